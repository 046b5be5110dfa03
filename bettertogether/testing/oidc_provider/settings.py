"""A stand-alone OpenID Connect provider for the test suite (django-oauth-toolkit).

It is a separate Django project that the tests start as its own process on loopback, so
Better Together signs in against a real provider speaking real HTTP. One process answers as
three providers, one client each: any OIDC provider (issuer `<url>/o`), Google (Google's
issuer and claims, its endpoints at `<url>/o/…`) and Microsoft Entra ID (Microsoft's
`/<tenant>/oauth2/v2.0/…` endpoints, its ID token claims and Graph's `/v1.0/me`).
"""

import os
from pathlib import Path

DEBUG = False
SECRET_KEY = "test-provider-only-" + "x" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bettertogether.testing.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("OIDC_PROVIDER_DB", ":memory:"),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/login/"
SESSION_COOKIE_NAME = "providersession"
CSRF_COOKIE_NAME = "providercsrftoken"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ.get("OIDC_PROVIDER_KEY", ""),
    "OAUTH2_VALIDATOR_CLASS": "bettertogether.testing.oidc_provider.validator.Validator",
    "PKCE_REQUIRED": False,
    "SCOPES": {"openid": "OpenID Connect", "email": "Email address", "profile": "Profile",
               "User.Read": "Microsoft Graph: read the signed-in user's profile"},
}
