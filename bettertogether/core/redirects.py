"""Where a form sends its person back to: the `next` it was given, if that is a page here.

A `next` must be a path on this site ("/log/?week=2"): an address elsewhere would make the
app a launch pad for phishing, and a bare word ("0", "home") would be read by `redirect` as
the name of a view. Anything else is ignored and the view's own fallback is used.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def next_path(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        return None
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return None
