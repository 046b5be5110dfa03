"""How much a request may send.

Django caps the form fields it keeps in memory, but a file upload is written to disk
whatever its size, so a browser (or anyone with a script) could send gigabytes to any
address. Every request is capped here before anything reads its body: `MAX_REQUEST_BYTES`
for a form, and more only for a view that takes a file and says how large with
`@accepts_upload(bytes)`. A request over its cap is answered 413 with a page that says the
limit, and nothing it sent is read.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve

# Room for the form's other fields and the multipart boundaries around the file.
MULTIPART_ALLOWANCE = 256 * 1024


def accepts_upload(max_bytes: int):
    """Let a view take a file of up to `max_bytes`."""

    def mark(view):
        view.max_request_bytes = max_bytes + MULTIPART_ALLOWANCE
        return view

    return mark


def limit_for(path: str) -> int:
    try:
        view = resolve(path).func
    except Resolver404:
        return settings.MAX_REQUEST_BYTES
    return max(getattr(view, "max_request_bytes", 0), settings.MAX_REQUEST_BYTES)


def _length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _length(request)
        if length > settings.MAX_REQUEST_BYTES:
            limit = limit_for(request.path_info)
            if length > limit:
                return render(request, "413.html", {"limit_mb": max(1, limit // (1024 * 1024))},
                              status=413)
        return self.get_response(request)
