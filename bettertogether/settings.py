"""Settings for Better Together, read from environment variables.

Defaults suit a developer's machine (SQLite, console email, local-memory cache).
Production is `DEBUG=false`: it then refuses to start without `SECRET_KEY` and
`ALLOWED_HOSTS`. Every variable is listed in `.env.example`.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("BT_TESTING", default=False)

# Commands that only read the code (the migration check, listing migrations) never sign,
# send or serve anything, so they run without production secrets, e.g. in a linter's job.
CODE_ONLY_COMMANDS = frozenset({"makemigrations", "showmigrations", "sqlmigrate"})
CODE_ONLY = (len(sys.argv) > 1 and Path(sys.argv[0]).name == "manage.py"
             and sys.argv[1] in CODE_ONLY_COMMANDS)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not TESTING and not CODE_ONLY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for development, set DEBUG=true)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG and not TESTING and not CODE_ONLY:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when DEBUG is off (for development, set DEBUG=true)."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.google",
    # allauth's Microsoft provider, keeping the ID token's claims (accounts/entra/).
    "bettertogether.accounts.entra",
    "django_tasks_db",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "bettertogether.directory",
    "bettertogether.activity",
    "bettertogether.accounts",
    "bettertogether.core",
    "bettertogether.rostering",
    "bettertogether.coaching",
    "bettertogether.notifications",
    "bettertogether.menu",
    "bettertogether.goals",
    "bettertogether.reports",
    "bettertogether.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bettertogether.core.limits.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "bettertogether.core.middleware.NoStoreMiddleware",
    "bettertogether.core.middleware.OrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bettertogether.core.once.SubmitOnceMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bettertogether.urls"
WSGI_APPLICATION = "bettertogether.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bettertogether" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bettertogether.core.context_processors.shell",
            ],
            "string_if_invalid": "",
            "builtins": ["bettertogether.core.templatetags.forms"],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The reports' aggregates are short queries with large cost estimates: PostgreSQL's JIT
    # would spend longer compiling them (about 100 ms each) than running them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if TESTING:
        # A test database is thrown away: its commits need not wait for the disk.
        DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "directory.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 3)

SESSION_ENGINE = "bettertogether.directory.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 14)

# Single sign-on (OpenID Connect) through django-allauth. Nobody signs up through a provider:
# a sign-in links to a person who was invited or rostered, by an email address the provider
# vouches for (see bettertogether/accounts/vouching.py). Providers come from the environment
# here, or from "Social applications" in the support admin.
ACCOUNT_ADAPTER = "bettertogether.accounts.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "bettertogether.accounts.sso.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_PROVIDERS: dict = {}
if env_str("OIDC_GOOGLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": env_str("OIDC_GOOGLE_CLIENT_ID"),
                  "secret": env_str("OIDC_GOOGLE_CLIENT_SECRET")}],
        "SCOPE": ["openid", "email", "profile"],
        "OAUTH_PKCE_ENABLED": True,
    }
if env_str("OIDC_MICROSOFT_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [{"client_id": env_str("OIDC_MICROSOFT_CLIENT_ID"),
                  "secret": env_str("OIDC_MICROSOFT_CLIENT_SECRET"),
                  "settings": {"tenant": env_str("OIDC_MICROSOFT_TENANT", "organizations")}}],
        "SCOPE": ["openid", "email", "profile", "User.Read"],
    }
if env_str("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [{
            "provider_id": env_str("OIDC_PROVIDER_ID", "sso"),
            "name": env_str("OIDC_PROVIDER_NAME", "Single sign-on"),
            "client_id": env_str("OIDC_CLIENT_ID"),
            "secret": env_str("OIDC_CLIENT_SECRET"),
            "settings": {"server_url": env_str("OIDC_SERVER_URL")},
        }],
        "OAUTH_PKCE_ENABLED": True,
    }

# Brute-force protection: a lock-out is keyed on the account and the address together, so
# one guessed-at account or one noisy classroom network cannot lock a whole school out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Whose address a request comes from. Behind a load balancer every connection comes from the
# balancer, and the client is the address it appended to X-Forwarded-For. Only the proxies
# the operator counts here are believed, from the right of that header: what a client writes
# there itself is ignored (the default, 0, believes no header at all). django-ipware reads
# it for django-axes; its count is of the proxies *listed in* the header, one fewer than
# those in front of the app, because the last one is the connection itself.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = None
# Count from the right even when a client prepended addresses of its own (strict mode would
# drop such a header and lump all those clients together under the balancer's address).
IPWARE_STRICT = False
# allauth's own rate limits (single sign-on) read the same header the same way.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# A failed sign-in keeps its form data for support staff; the CSRF token is none of theirs.
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en-us", "English (United States)"), ("en-gb", "English (United Kingdom)")]
LOCALE_PATHS = [BASE_DIR / "bettertogether" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "bettertogether" / "static"]
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files (roster imports, evidence work samples) live under MEDIA_ROOT and are never
# served from it directly: no MEDIA_URL is routed, each file goes out through a view that
# checks who is asking.
# The most a request may send (core.limits); a view that takes a file says how much more.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_KB", 1024) * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
EVIDENCE_SAMPLE_MAX_BYTES = env_int("EVIDENCE_SAMPLE_MAX_MB", 10) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "bettertogether.core.mail.ConsoleEmailBackend"  # prints each email readably
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Better Together <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A strict Content-Security-Policy: no inline script or style anywhere in the product.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' HSTS preload list is hard to undo, so it is the operator's choice
# (SECURE_HSTS_PRELOAD=true); the deploy check's reminder about it is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# The benchmark counts SQL queries per response; nothing else turns this on.
BENCH_QUERY_COUNT = env_bool("BENCH_QUERY_COUNT", False)
if BENCH_QUERY_COUNT:
    MIDDLEWARE.insert(0, "bettertogether.core.middleware.QueryCountHeaderMiddleware")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Invitation, password-reset and calendar-feed addresses hold their secret: hidden from
    # every line, at the loggers that name paths (before Django's own handlers see them)
    # and at the console.
    "filters": {"secret_links": {"()": "bettertogether.core.log_filters.RedactSecretLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["secret_links"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print each of its lines a second time with
        # DEBUG on (as under `make run`); the root's console handler is enough.
        "django": {"handlers": []},
        "django.server": {"level": "WARNING" if TESTING else "INFO",
                          "filters": ["secret_links"]},
        "django.request": {"filters": ["secret_links"]},
        "django.security.csrf": {"filters": ["secret_links"]},
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
