"""What `make bench` and `make soak` share: the server's environment, gunicorn started and
stopped, and people signed in by writing their sessions straight into the session store.

gunicorn runs in a session of its own, so a Ctrl-C in the terminal reaches only the harness,
whose `finally` stops it (`stop_process`): the server never outlives the run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def environment(url: str, **overrides: str) -> dict:
    """The environment of a production-like server on loopback against `url`."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bettertogether.settings",
        DEBUG="false",
        BT_TESTING="",
        SECRET_KEY="bench-secret",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        AXES_ENABLED="false",
        DATABASE_URL=url,
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def start_server(env: dict, port: int, *, log_path: Path, workers: int = 2,
                 threads: int = 1) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port`, its output in `log_path`."""
    if not port_free(port):
        raise SystemExit(f"Port {port} is already in use; stop what runs there first.")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    kind = "sync" if threads == 1 else "gthread"
    command = [sys.executable, "-m", "gunicorn", "bettertogether.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", kind, "--log-level", "warning"]
    if threads > 1:
        command += ["--threads", str(threads)]
    with log_path.open("w") as log:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_ready(server: subprocess.Popen, base: str, *, log_path: Path,
                     timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log_path}:\n{log_tail(log_path)}")
        try:
            urllib.request.urlopen(f"{base}/healthz/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:g} s; see {log_path}")


def stop_process(process: subprocess.Popen | None, *, timeout: float = 20) -> None:
    """SIGTERM to the process's group (it runs in a session of its own), then SIGKILL."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text().splitlines()[-lines:])
    except OSError:
        return ""


def session_for(person):
    """A signed-in session for `person`, written straight into the session store (Django
    must be set up). Its `session_key` is the `sessionid` cookie's value."""
    from importlib import import_module

    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore()
    store["_auth_user_id"] = str(person.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = person.get_session_auth_hash()
    store.save()
    return store
