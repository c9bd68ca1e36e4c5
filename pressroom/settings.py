"""Settings for the pressroom, read from the environment (see .env.example).

Every value that differs between a laptop and a production server comes from
an environment variable or a ``.env`` file beside ``manage.py``. The defaults
are safe: ``DEBUG`` is off, and a production start without a secret key or
allowed hosts is stopped by the system checks in ``pressroom/checks.py``.
"""

import datetime
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")


def env_path(name, default):
    """A path from the environment; an empty value counts as unset."""
    value = env.str(name, default="")
    return Path(value) if value else default


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and "pytest" in sys.modules:
    # Bare `pytest` on a fresh clone: a throwaway key, in the environment too, so that the
    # processes the tests start share it. (`run.py test` sets one the same way.)
    SECRET_KEY = os.environ["SECRET_KEY"] = "tests-only-" + secrets.token_hex(32)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# Runtime files of the zero-setup run: the embedded database, media, sent mail.
VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")

INSTALLED_APPS = [
    "modeltranslation",
    "core.apps.CoreConfig",
    "pressroom.apps.PressroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_countries",
    "django_prose_editor",
    "procrastinate.contrib.django",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "two_factor.plugins.webauthn",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "signin",
    "releases",
    "missions",
    "opendata",
    "verification",
    "subscriptions",
    "pressroom.apps.PressroomConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the page cache, so that a page served from it gets the headers too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.middleware.RefuseNullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "signin.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pressroom.urls"
WSGI_APPLICATION = "pressroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded PostgreSQL under VAR_DIR.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "pressroom.db",
            "NAME": "pressroom",
            "USER": "postgres",
        }
    }
# Folder of the pg_dump, pg_restore and psql that `manage.py backup` and `restore` use;
# unset, the ones of the server's major version are looked for (pressroom/backup.py).
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A health check costs a round trip at the start of every request; off by default,
# on where the database may restart or drop idle connections under a long CONN_MAX_AGE.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
# The few hot statements of public pages (core/prepared.py) are prepared on a connection once it
# has run them this many times, and planned no more. Only those: Django's own queries bind on
# the client and are never prepared. Empty turns it off, for a connection pooler in
# transaction mode that cannot keep prepared statements (PgBouncer before 1.21).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "prepare_threshold", env.int("DATABASE_PREPARE_THRESHOLD", default=5) or None
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache: the database's cache table unless CACHE_URL names a memcached
# or redis. Rendered pages have their own table (or key prefix) so that hundreds
# of pages never push rate-limit counts out.
_cache_url = env.str("CACHE_URL", default="")
CACHES = {
    "default": environ.Env.cache_url_config(_cache_url or "dbcache://pressroom_cache"),
    "pages": environ.Env.cache_url_config(_cache_url or "dbcache://pressroom_pages"),
}
if _cache_url:
    CACHES["pages"]["KEY_PREFIX"] = "pages"
else:
    # Django's database cache, with writes of one statement (core/cache_backends.py).
    for _alias in CACHES:
        CACHES[_alias]["BACKEND"] = "core.cache_backends.DatabaseCache"
    CACHES["pages"]["OPTIONS"] = {"MAX_ENTRIES": env.int("PAGE_CACHE_ENTRIES", default=20000)}
PAGE_CACHE_ALIAS = "pages"

# Rendered public pages are kept in the shared cache for every web process; see
# core/caching.py for why they are never stale about releases. Other edits show
# within PAGE_CACHE_SECONDS. Browsers may keep a public page PAGE_MAX_AGE seconds
# and shared caches (the proxy) PAGE_SHARED_MAX_AGE, plus PAGE_STALE_SECONDS while
# they fetch it again: an unpublished release is gone from the proxy within the
# sum of those two.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
PAGE_MAX_AGE = env.int("PAGE_MAX_AGE", default=5)
PAGE_SHARED_MAX_AGE = env.int("PAGE_SHARED_MAX_AGE", default=5)
PAGE_STALE_SECONDS = env.int("PAGE_STALE_SECONDS", default=4)
# A web process checks the version a kept page was stored at (one query) at most once per
# PAGE_VERSION_SECONDS for each page, and at once after it saves anything itself: so a
# publication, an unpublishing or a scheduled time passing reaches the pages of every
# process within this many seconds (0: on the very next request, at a query per request).
PAGE_VERSION_SECONDS = env.float("PAGE_VERSION_SECONDS", default=1.0)
# Each web process keeps recently served pages in memory too, up to this many bytes;
# a page larger than PAGE_CACHE_MAX_PAGE_BYTES is never kept.
PAGE_CACHE_MEMORY_BYTES = env.int("PAGE_CACHE_MEMORY_BYTES", default=32 * 1024 * 1024)
PAGE_CACHE_MAX_PAGE_BYTES = env.int("PAGE_CACHE_MAX_PAGE_BYTES", default=2 * 1024 * 1024)
# While one process renders a page anew, others serve its previous copy this long at most.
PAGE_RENDER_LOCK_SECONDS = env.int("PAGE_RENDER_LOCK_SECONDS", default=5)
# After a publication, release pages whose own content did not change (only their lists
# of latest and related releases may) are rendered again with at most PAGE_RENDER_SHARE of
# each web process's time, their previous copies served in between, for at most
# PAGE_WAIT_SECONDS after the publication time.
PAGE_RENDER_SHARE = env.float("PAGE_RENDER_SHARE", default=0.25)
PAGE_WAIT_SECONDS = env.int("PAGE_WAIT_SECONDS", default=10)

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign in at the admin with a password and a second factor (see signin/).
AUTHENTICATION_BACKENDS = [
    "signin.throttle.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "admin:index"
# Editors (whoever may publish) always need a second factor; press officers too
# when this is on. Anyone who has set one up is asked for it.
TWO_FACTOR_FOR_PRESS_OFFICERS = env.bool("TWO_FACTOR_FOR_PRESS_OFFICERS", default=False)
TWO_FACTOR_WEBAUTHN_RP_NAME = "Pressroom"
TWO_FACTOR_PATCH_ADMIN = False  # the admin site sends people to sign in itself
# Failed sign-ins: after LOGIN_FAILURE_LIMIT for one account from one client address
# within LOGIN_FAILURE_WINDOW seconds, that pair is refused until the window has
# passed. The account itself stays open from everywhere else, so a stranger cannot
# lock an editor out. Wrong second-factor codes count as failures too.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(seconds=env.int("LOGIN_FAILURE_WINDOW", default=15 * 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during a wait do not lengthen it: the real person knows when to come back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "signin.throttle.username"
AXES_PASSWORD_FORM_FIELD = "auth-password"
AXES_SENSITIVE_PARAMETERS = ["auth-password", "token-otp_token", "backup-otp_token"]
AXES_CLIENT_IP_CALLABLE = "core.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "signin.views.locked_out"
# The sign-in log of signin.models.SignInFailure replaces axes' own logs.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
SIGN_IN_LOG_DAYS = env.int("SIGN_IN_LOG_DAYS", default=365)

# Languages: English is the default; every public URL carries its language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("da", _("Danish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The admin's language switch sets a cookie only the admin's addresses receive: a public page
# (and the page cache) never depends on it.
LANGUAGE_COOKIE_PATH = "/admin/"
# English dates day first, as in British English (pressroom/formats/en/formats.py).
FORMAT_MODULE_PATH = ["pressroom.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Copenhagen")

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "da")
# Content that exists in one language only is shown in that language on the
# other language's site, marked with its own lang attribute.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "da")}

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "pressroom" / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="") or "/media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Behind nginx (deploy/nginx.conf): the application checks a file may be seen, and nginx
# sends it (X-Accel-Redirect), so a large download never holds a web process.
MEDIA_ACCEL_REDIRECT = env.bool("MEDIA_ACCEL_REDIRECT", default=False)


def media_bucket_options(url):
    """The storage options that MEDIA_STORAGE_URL names, such as ``s3://bucket/folder?…``.

    The query may give ``endpoint_url`` (any S3-compatible server), ``region_name`` and
    ``addressing_style``; keys come from the URL's user part or, without one, from
    boto3's own sources (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an instance role).
    """
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL must look like s3://bucket/folder?endpoint_url=…, not {url!r}"
        )
    query = dict(parse_qsl(parts.query))
    options = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "endpoint_url": query.get("endpoint_url"),
        "region_name": query.get("region_name"),
        "addressing_style": query.get("addressing_style"),
        "access_key": unquote(parts.username) if parts.username else None,
        "secret_key": unquote(parts.password) if parts.password else None,
    }
    return {name: value for name, value in options.items() if value}


# Uploads live under MEDIA_ROOT unless MEDIA_STORAGE_URL names an S3-compatible bucket.
# The bucket must be private: the application checks each file request and redirects a
# reader it may show the file to, to an address signed for MEDIA_SIGNED_URL_SECONDS.
MEDIA_STORAGE_URL = env.str("MEDIA_STORAGE_URL", default="")
MEDIA_SIGNED_URL_SECONDS = env.int("MEDIA_SIGNED_URL_SECONDS", default=60)
STORAGES = {
    "default": {
        "BACKEND": "core.storage.MediaBucketStorage",
        "OPTIONS": media_bucket_options(MEDIA_STORAGE_URL),
    }
    if MEDIA_STORAGE_URL
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: EMAIL_URL such as smtp+tls://user:password@mail.example.org:587.
# Without it, mail is written as files under var/mail for a newcomer to read.
_email = environ.Env.email_url_config(env.str("EMAIL_URL", default="") or "filemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Pressroom <pressroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Subscriptions: how fast and in what batches release emails go out, when
# digests are sent (in TIME_ZONE), and how long delivery records are kept.
EMAIL_SEND_RATE = env.float("EMAIL_SEND_RATE", default=0)
DELIVERY_BATCH_SIZE = env.int("DELIVERY_BATCH_SIZE", default=200)
DELIVERY_SENDING_JOBS = env.int("DELIVERY_SENDING_JOBS", default=4)
DELIVERY_RETENTION_DAYS = env.int("DELIVERY_RETENTION_DAYS", default=365)
DIGEST_TIME = env.str("DIGEST_TIME", default="07:00")
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)
SUBSCRIBER_BOUNCE_LIMIT = env.int("SUBSCRIBER_BOUNCE_LIMIT", default=3)
# Sign-ups and "send me my link" requests allowed per address and per client
# within the window (seconds), counted in the shared cache.
SUBSCRIBE_LIMIT_PER_ADDRESS = env.int("SUBSCRIBE_LIMIT_PER_ADDRESS", default=3)
SUBSCRIBE_LIMIT_PER_CLIENT = env.int("SUBSCRIBE_LIMIT_PER_CLIENT", default=20)
SUBSCRIBE_LIMIT_WINDOW = env.int("SUBSCRIBE_LIMIT_WINDOW", default=60 * 60)

# The open data API (opendata/): read-only, no accounts, JSON only (no browsable
# pages), every client limited to API_RATE_LIMIT requests (such as 120/min, counted
# per client address in the shared cache).
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["opendata.throttling.ClientThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pressroom releases API",
    "DESCRIPTION": "The public releases of the pressroom, read-only, in English and Danish.",
    "VERSION": "1",
    # 3.1: its schemas are JSON Schema, so clients (and our tests) validate with any validator.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Verifiable releases (verification/): the Ed25519 private key every public release
# version is signed with, 32 bytes base64-encoded (`manage.py signing_key --new`).
# Empty: a key generated once and kept in VAR_DIR/release-signing.key (demo, tests);
# a production start warns about that (pressroom.W010).
RELEASE_SIGNING_KEY = env.str("RELEASE_SIGNING_KEY", default="")
# Public keys (base64) of keys used before: documents they signed still verify.
RELEASE_SIGNING_RETIRED_KEYS = env.list("RELEASE_SIGNING_RETIRED_KEYS", default=[])

# Security. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER via
# the environment (PROXY_SSL_HEADER=true) and use an https SITE_URL.
_https = SITE_URL.startswith("https://")
if env.bool("PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_https)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _https else 0)
# Both commit every subdomain, or every browser through the preload list, to HTTPS
# for years; only an explicit setting turns them on.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: scripts and styles only from this site's own files. The
# one inline script, the rich-text editor's import map in the admin, carries the
# per-request nonce; public pages use none, so the page cache never repeats one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": _https,
    },
}
# Permissions-Policy: no page needs a device or sensor; passkeys work on this site only.
PERMISSIONS_POLICY = {
    **{
        feature: []
        for feature in [
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "fullscreen",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ]
    },
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # A database outage is logged once by the worker, not on every reconnection attempt.
    "filters": {"outages": {"()": "pressroom.logs.DatabaseOutageFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["outages"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "pgserver": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
