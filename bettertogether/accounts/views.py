from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.forms import apply_errors
from bettertogether.directory.models import Person
from bettertogether.directory.selectors import organisations_administered_by

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    InvitationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
)
from .models import Invitation
from .sso import sign_in_origins


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        origins = sign_in_origins(request)
        if origins:
            policy = dict(settings.SECURE_CSP)
            policy["form-action"] = [*policy["form-action"], *origins]
            response._csp_config = policy
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are signed out. Thank you for the work you do."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


STATUS_FILTERS = {
    "pending": Q(accepted_at__isnull=True, revoked_at__isnull=True, declined_at__isnull=True),
    "accepted": Q(accepted_at__isnull=False),
    "declined": Q(declined_at__isnull=False),
    "revoked": Q(revoked_at__isnull=False),
}


def invitations(request):
    if not request.user.has_perm("directory.admin_anything"):  # directory.rules.is_network_admin
        raise Http404
    organisations = organisations_administered_by(actor=request.user)
    form = InvitationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:invitations")
    status = request.GET.get("status", "pending")
    listed = selectors.invitations_visible_to(actor=request.user)
    if status in STATUS_FILTERS:
        listed = listed.filter(STATUS_FILTERS[status])
    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "page": page, "status": status, "now": timezone.now()},
        status=422 if form.errors else 200,
    )


@require_POST
def invitation_resend(request, pk):
    invitation = selectors.invitation_get_for(actor=request.user, pk=pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new link went to %(email)s.") % {"email": invitation.email})
    return redirect("accounts:invitations")


@require_POST
def invitation_revoke(request, pk):
    invitation = selectors.invitation_get_for(actor=request.user, pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {
            "email": invitation.email})
    return redirect("accounts:invitations")


def _invitation_problem(invitation: Invitation | None) -> str:
    if invitation is None:
        return _("This invitation link is not valid. Check that you copied all of it.")
    if invitation.status == Invitation.Status.ACCEPTED:
        return _("This invitation has already been used. Sign in with your email and password.")
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation was withdrawn. Ask whoever invited you for a new one.")
    if invitation.status == Invitation.Status.DECLINED:
        return _("This invitation was declined. Ask whoever invited you if you change your "
                 "mind.")
    return _("This invitation has expired. Ask whoever invited you to send a new one.")


@login_not_required
def invitation_accept(request, token):
    invitation = services.invitation_find(token=token)
    if invitation is None or not invitation.is_usable:
        return render(
            request,
            "accounts/invitation_problem.html",
            {"problem": _invitation_problem(invitation)},
            status=410 if invitation else 404,
        )
    if not invitation.network.password_sign_in:
        # The network signs in only through its provider; signing in there accepts this.
        return render(request, "accounts/invitation_accept_sso.html", {"invitation": invitation})
    existing = Person.objects.filter(email__iexact=invitation.email).first()
    form = None if existing else AcceptInvitationForm(
        request.POST or None, email=invitation.email,
        initial={"full_name": invitation.full_name},
    )
    if request.method == "POST" and (existing or form.is_valid()):
        try:
            person = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else None,
            )
        except ValidationError as error:
            return render(request, "accounts/invitation_problem.html",
                          {"problem": " ".join(error.messages)}, status=410)
        if existing:
            messages.success(request, _("You now hold the new role. Sign in to continue."))
            return redirect("accounts:login")
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Better Together, %(name)s.") % {
            "name": person.get_short_name()})
        return redirect("core:home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
        status=422 if form is not None and form.errors else 200,
    )



@require_POST
def invitation_answer(request, pk, answer):
    """The invited person, signed in, accepts or declines from their home page (HTMX swaps
    the invitation for its answer; without it, the home page comes back with a message)."""
    invitation = selectors.invitation_addressed_to(actor=request.user, pk=pk)
    answer_service = (services.invitation_answer_accept if answer == "accept"
                      else services.invitation_decline)
    try:
        invitation = answer_service(actor=request.user, invitation=invitation)
    except ValidationError as error:
        problem = " ".join(error.messages)
    else:
        problem = ""
    if request.htmx:
        return render(request, "accounts/_invitation_answer.html",
                      {"invitation": invitation, "problem": problem})
    if problem:
        messages.error(request, problem)
    elif invitation.status == Invitation.Status.ACCEPTED:
        messages.success(request, _("You joined %(org)s as %(role)s.") % {
            "org": invitation.organisation.name, "role": invitation.get_role_display()})
    else:
        messages.success(request, _("You declined the invitation from %(network)s.") % {
            "network": invitation.network.name})
    return redirect("core:home")


@login_not_required
def sso_inactive(request):
    return render(request, "accounts/sso_refused.html",
                  {"message": _("This account is switched off. Ask your network admin.")},
                  status=403)
