import time

from django.db import connection
from django.utils import translation
from django.utils.cache import patch_cache_control

from bettertogether.directory.localisation import localisation_for, localised


class OrganisationMiddleware:
    """Speak the signed-in person's network's terminology and tell its time, for this
    request only.

    The language (district or trust, grade or year group) and the time zone come from the
    organisation, not the browser: a headteacher in an English trust sees "headteacher"
    and London times whatever their browser says. Anonymous pages use the product's
    defaults. Both are overridden for the request and restored when it ends — even when
    the view fails — so a worker thread never serves the next request in this one's
    language or zone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with localised(localisation_for(getattr(request, "user", None))):
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)


# Pages whose address is itself a key, signed in or not.
SECRET_ADDRESS_VIEWS = frozenset({
    "accounts:invitation_accept",
    "accounts:password_reset_confirm",
    "menu:feed",
})


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in person.

    On a shared school computer the back button, or the browser's cache, would otherwise
    show the last person's private pages to the next one. Pages whose address carries a
    secret (an invitation, a password reset, a calendar feed) get it whoever asks. A
    response that set its own Cache-Control keeps it (a download, the health check), and
    static files never reach this middleware: WhiteNoise answers them before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if _at_secret_address(request) or _signed_in(request):
            patch_cache_control(response, no_store=True)
        return response


def _at_secret_address(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in SECRET_ADDRESS_VIEWS


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class QueryCountHeaderMiddleware:
    """Benchmark only: report a response's SQL query count and server time in headers.

    It is the outermost middleware, so `X-Server-Time-Ms` covers every other middleware,
    the view and the template rendering: what the server spent, without the network.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["X-Query-Count"] = str(counter.count)
        response["X-Server-Time-Ms"] = f"{elapsed_ms:.2f}"
        return response


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
