"""Run the test provider: `python -m bettertogether.testing.oidc_provider PORT CONFIG_JSON`.

CONFIG_JSON names the clients (`clients`: list of {kind, client_id, client_secret,
redirect_uris}, where `kind` is the provider the client stands in for: `oidc`, `google` or
`entra`) and the accounts (`users`: list of {username, password, first_name, last_name,
claims, graph}; see `people.py`).
"""

import json
import os
import sys
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    port = int(sys.argv[1])
    config = json.loads(sys.argv[2])
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_PROVIDER_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    os.environ["OIDC_PROVIDER_DB"] = tempfile.mkstemp(suffix=".sqlite3")[1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bettertogether.testing.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    from . import people

    call_command("migrate", verbosity=0, interactive=False)
    people.load(config["users"])
    for account in config["users"]:
        User.objects.create_user(
            username=account["username"],
            password=account["password"],
            email=account.get("claims", {}).get("email", ""),
            first_name=account.get("first_name", ""),
            last_name=account.get("last_name", ""),
        )
    for client in config["clients"]:
        Application.objects.create(
            name=client["kind"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            hash_client_secret=False,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
    server = make_server(
        "127.0.0.1", port, get_wsgi_application(),
        server_class=ThreadingServer, handler_class=QuietHandler,
    )
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
