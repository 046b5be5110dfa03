"""A load balancer in miniature, and clients that sign in through it from their own address.

`ForwardingProxy` listens on loopback and passes each request on to the app, appending the
address the request came from to `X-Forwarded-For`, as a load balancer does (nginx's
`$proxy_add_x_forwarded_for`, HAProxy's `option forwardfor`, a cloud balancer): whatever a
client wrote in that header itself stays in front of it. The app then sees every request
coming from the proxy's own address, as it does in production.

`SignInClient` is a browser reduced to what signing in needs (a cookie jar and the form's
CSRF token). It connects from a chosen loopback address (127.0.0.2, 127.0.0.3, …: on Linux
the whole of 127.0.0.0/8 is this machine), so two clients are two different places.
"""

from __future__ import annotations

import http.client
import re
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

# Headers about one connection, which a proxy never passes on.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer",
                        "transfer-encoding", "upgrade", "content-length"})


class ForwardingProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ForwardingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self):
        upstream = self.upstream

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._forward()

            def do_POST(self):
                self._forward()

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers.pop("X-Forwarded-For", None)
                seen = self.headers.get("X-Forwarded-For")
                client = self.client_address[0]
                headers["X-Forwarded-For"] = f"{seen}, {client}" if seen else client
                connection = http.client.HTTPConnection(*upstream, timeout=30)
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    answer = connection.getresponse()
                    content = answer.read()
                finally:
                    connection.close()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format, *args):
                pass  # the test reads outcomes, not the proxy's request lines

        return Handler


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignInClient:
    """Signs in through the real form, from `source` (a loopback address), to `base_url`."""

    def __init__(self, base_url: str, *, source: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port, self.source = parts.hostname, parts.port, source
        self.cookies: dict[str, str] = {}

    def sign_in(self, email: str, password: str, *, forwarded_for: str = "") -> tuple[int, str]:
        """Post the sign-in form; returns the status and the page (a 302 means signed in)."""
        extra = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        _status, page = self._request("GET", "/accounts/login/", headers=extra)
        csrf = CSRF_INPUT.search(page).group(1)
        form = urlencode({"csrfmiddlewaretoken": csrf, "username": email,
                          "password": password})
        return self._request("POST", "/accounts/login/", body=form, headers={
            **extra, "Content-Type": "application/x-www-form-urlencoded"})

    def _request(self, method: str, path: str, *, body: str | None = None,
                 headers: dict) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30,
                                                source_address=(self.source, 0))
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body,
                               headers={**headers, **({"Cookie": cookie} if cookie else {})})
            response = connection.getresponse()
            page = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, page
