"""Settings for the pressroom, read from the environment (see .env.example).

Every value that differs between a laptop and a production server comes from
an environment variable or a ``.env`` file beside ``manage.py``. The defaults
are safe: ``DEBUG`` is off, and a production start without a secret key or
allowed hosts is stopped by the system checks in ``pressroom/checks.py``.
"""

from pathlib import Path

import environ
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
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# Runtime files of the zero-setup run: the embedded database, media, sent mail.
VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")

INSTALLED_APPS = [
    "modeltranslation",
    "core.apps.CoreConfig",
    "core.apps.CoreAdminConfig",
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
    "releases",
    "missions",
    "subscriptions",
    "pressroom.apps.PressroomConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A health check costs a round trip at the start of every request; off by default,
# on where the database may restart or drop idle connections under a long CONN_MAX_AGE.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": environ.Env.cache_url_config(
        env.str("CACHE_URL", default="") or "dbcache://pressroom_cache"
    )
}

# Rendered public pages are kept per web process; see core/caching.py for why
# they are never stale about releases. Other edits show within PAGE_CACHE_SECONDS.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed admin logins: after this many for one account or one client within
# the window, further attempts are refused until the window has passed.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=15 * 60)

# Languages: English is the default; every public URL carries its language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("da", _("Danish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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

# Security. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER via
# the environment (PROXY_SSL_HEADER=true) and use an https SITE_URL.
_https = SITE_URL.startswith("https://")
if env.bool("PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_https)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "pgserver": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
    },
}
