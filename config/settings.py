"""Kinerja settings: one module, driven by environment variables.

Local defaults are safe for a developer's machine (SQLite, DEBUG on). Production sets
DJANGO_DEBUG=0, and then refuses to start without DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS:
no secret has a production default. `.env.example` lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"  # noqa: S105

_hosts = os.environ.get("DJANGO_ALLOWED_HOSTS", "")
if _hosts:
    ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
elif DEBUG:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")

CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "kinerja.core",
    "kinerja.accounts",
    "kinerja.planning",
    "kinerja.auction",
    "kinerja.documents",
    "kinerja.agreements",
    "kinerja.monitoring",
    "kinerja.employees",
    "kinerja.evaluation",
    "kinerja.dashboards",
    "kinerja.sampledata",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # An unchanged live-hearing poll is answered here, before sessions and the database.
    "kinerja.auction.live.PollMiddleware",
    "kinerja.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kinerja.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kinerja.accounts.middleware.PasswordChangeRequiredMiddleware",
    "kinerja.core.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.accounts.context_processors.kinerja",
                "kinerja.planning.context_processors.government_calendar",
                "kinerja.monitoring.context_processors.navigation",
            ],
        },
    }
]

# SQLite is the zero-setup default; PostgreSQL in production and in CI via DATABASE_URL;
# `citus://…` a Citus coordinator (PostgreSQL's backend, with test databases on every node).
_database_url = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'kinerja.sqlite3'}")
_citus = _database_url.startswith("citus://")
DATABASES = {
    "default": dj_database_url.parse(
        "postgres://" + _database_url.removeprefix("citus://") if _citus else _database_url,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if _citus:
    DATABASES["default"]["ENGINE"] = "kinerja.core.citus"
    # Reference tables are read through Citus's connections, never in the coordinator's own
    # process: a transaction that first read one locally and then needs it remotely is
    # refused ("cannot switch local execution status"; decision 0018).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c citus.enable_local_execution=off"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins, so two simultaneous writes queue
    # instead of deadlocking (SQLite's default deferred transactions fail one with "locked").
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # Tests use a file too: an in-memory database shares one cache between connections and
    # reports "table is locked" at once instead of queueing, unlike any real deployment.
    # Named after the database, so that two runs with different DATABASE_URLs do not share it.
    _stem = Path(str(DATABASES["default"]["NAME"])).stem
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{_stem}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling: after this many failures for one username from one address within the
# window, further attempts are refused until the window has passed.
LOGIN_FAILURE_LIMIT = int(os.environ.get("KINERJA_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("KINERJA_LOGIN_FAILURE_WINDOW", "900"))
# Failures from one address across all usernames (an office shares one address): higher.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("KINERJA_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kinerja" / "locale"]
TIME_ZONE = os.environ.get("KINERJA_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
# Numbers are formatted explicitly (the `angka` filter): a global separator would print
# years as "2.019".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("KINERJA_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: the plan workbook is small; anything larger is refused before it is parsed.
# A .docx whose styles, page setup, header and footer the LKjIP and LHE in Word start from
# (empty: python-docx's default, A4 with 2 cm margins).
KINERJA_LKJIP_DOCX_TEMPLATE = os.environ.get("KINERJA_LKJIP_DOCX_TEMPLATE", "")
KINERJA_MAX_UPLOAD_BYTES = int(os.environ.get("KINERJA_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = KINERJA_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = KINERJA_MAX_UPLOAD_BYTES

# Signing: the key that encrypts the private keys of the CA and of signers at rest. Required in
# production; locally it is derived from the development SECRET_KEY.
KINERJA_SIGNING_KEY = os.environ.get("KINERJA_SIGNING_KEY", "")
if not KINERJA_SIGNING_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("KINERJA_SIGNING_KEY must be set when DJANGO_DEBUG=0.")
    KINERJA_SIGNING_KEY = "local-signing-key:" + SECRET_KEY
# Background work (generating a year's agreements): django-tasks with its database backend,
# so no broker is needed; `manage.py db_worker` runs the queue (make demo starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("KINERJA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
# Agreements are due this many months after the budget's approval.
KINERJA_AGREEMENT_DUE_MONTHS = int(os.environ.get("KINERJA_AGREEMENT_DUE_MONTHS", "1"))

# The address printed in QR codes and on documents, for verification by anyone.
# Trust roots besides the deployment's own CA (PEM files, comma-separated), e.g. the national
# BSrE root: a signer's own certificate is accepted only if it chains to one of them.
KINERJA_TRUST_ROOTS = [
    p.strip() for p in os.environ.get("KINERJA_TRUST_ROOTS", "").split(",") if p.strip()
]

# Required in production: without it every signed PDF's QR code would point at this machine.
KINERJA_PUBLIC_URL = os.environ.get("KINERJA_PUBLIC_URL", "").rstrip("/")
if not KINERJA_PUBLIC_URL:
    if not DEBUG:
        raise ImproperlyConfigured("KINERJA_PUBLIC_URL must be set when DJANGO_DEBUG=0.")
    KINERJA_PUBLIC_URL = "http://127.0.0.1:" + os.environ.get("PORT", "8000")

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "kinerja@localhost")
# SMTP, when DJANGO_EMAIL_BACKEND names it (docs/deployment.md).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 30

# Security headers. HTTPS-only settings follow DEBUG so that `check --deploy` is clean in
# production and the demo still works over plain http://127.0.0.1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("KINERJA_SESSION_SECONDS", str(8 * 3600)))
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload is on in production: a government service should never be reached over http.
# Set DJANGO_HSTS_PRELOAD=0 if the domain cannot commit to HTTPS for every subdomain.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content security policy (django-csp 4.x format): everything from our own origin, no inline
# script; inline style attributes are not used either.
# Achievement overviews are computed once per change and shared by every worker through the
# cache (kinerja.monitoring.figures); 0 computes them on every request.
KINERJA_OVERVIEW_CACHE = env_bool("KINERJA_OVERVIEW_CACHE", True)

# The cache: Redis when REDIS_URL is set (shared by every worker and server: computed figures,
# password-reset and signing attempt counters), the process's memory otherwise (one process's
# own; right, but each worker computes for itself). Keys carry the database's name, so two
# deployments (or the suite and the demo) can share one Redis.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
_CACHE_PREFIX = (
    os.environ.get("KINERJA_CACHE_PREFIX")
    or "kinerja:"
    + str(DATABASES["default"].get("NAME") or "default").replace(" ", "_").rsplit("/", 1)[-1]
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _CACHE_PREFIX,
            "TIMEOUT": 300,
            # A slow or absent Redis must not hang a page for long.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": _CACHE_PREFIX,
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KINERJA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates every step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
