// Small behaviours for the shell. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";

  function initNavToggle() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("is-open", !open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        toggle.setAttribute("aria-expanded", "false");
        nav.classList.remove("is-open");
        toggle.focus();
      }
    });
  }

  function initConfirm() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var question = form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
      }
    });
  }

  function initSingleSubmit() {
    // A second click while the first submit is on its way does nothing.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || form.hasAttribute("hx-get") || form.method === "get") return;
      if (form.dataset.submitting === "true") {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "true";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  }

  function initAutoSubmit() {
    document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
      field.addEventListener("change", function () {
        if (field.form && window.htmx) {
          window.htmx.trigger(field.form, "submit");
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initNavToggle();
    initConfirm();
    initSingleSubmit();
    initAutoSubmit();
  });
})();
