"""Settings shared by every environment; everything that differs between machines is read here."""

import os
from pathlib import Path

import dj_database_url
from wagtail.embeds.oembed_providers import vimeo, youtube

from cms.csp import PUBLIC_POLICY, media_origins, with_media_origins

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False  # each environment module decides; never from a stray variable
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "projects",
    "search",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_ratelimit",
    "csp",
    "wagtail.contrib.frontend_cache",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "cms.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Outside the page cache, so that pages served from it are also refused to other sites' frames.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the CSRF middleware, so a page served from the cache still gets the visitor's CSRF cookie;
    # before anything that reads the session or the database, so a hit costs neither.
    "home.page_cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded SQLite file is the default so that `make run` needs no server;
# production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that drops packets must fail a request in seconds (the 503 page), not hang a worker
    # until the operating system gives up; DATABASE_URL's own ?connect_timeout= wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take SQLite's lock when their transaction begins, so two registrations for one event
    # queue up instead of both counting the seats and one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ja", "日本語")]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded files are served by the web server in front (docs/deployment.md); `make serve` has none, so
# Django serves them itself there.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded images and documents go to an S3-compatible bucket (AWS S3, MinIO, Sakura, Wasabi…) when one is
# named, so that several app servers share them; otherwise to MEDIA_ROOT on this server's disk.
if env_str("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MEDIA_S3_BUCKET"),
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": env_str("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "location": env_str("MEDIA_S3_PREFIX", "media"),
            # Uploads keep their names; Wagtail already makes them unique.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": env_bool("MEDIA_S3_SIGNED_URLS", False),
        },
    }

# The cache: Redis when REDIS_URL is set, shared by every app server and worker (page cache, menus, catalog
# counts, rate limits); otherwise this process's memory, right for one process (make run).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "civic"),
            "TIMEOUT": 300,
            "OPTIONS": {
                # An unreachable Redis must cost a request milliseconds, not seconds, and never an error:
                # every read is then a miss and the page is built from the database.
                "SOCKET_CONNECT_TIMEOUT": float(env_str("REDIS_CONNECT_TIMEOUT", "0.2")),
                "SOCKET_TIMEOUT": float(env_str("REDIS_TIMEOUT", "0.5")),
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "cms.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-ratelimit counts in the cache; a per-process count is right for one process (make run) and
    # too lenient for several, which is why production sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Whole pages for anonymous visitors, kept in the cache until content changes (home/page_cache.py). On by
# default only with a shared cache: with one memory cache per process, a publish would reach only the
# process that made it.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_SECONDS = int(env_str("PAGE_CACHE_SECONDS", "300"))

# A CDN or reverse proxy in front, purged through wagtail.contrib.frontend_cache when content changes
# (docs/deployment.md). Pages then carry s-maxage so that the CDN keeps them that long at most.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
    }
if env_str("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env_str("CLOUDFLARE_API_TOKEN"),
        "ZONEID": env_str("CLOUDFLARE_ZONE_ID"),
    }
if env_str("CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env_str("CLOUDFRONT_DISTRIBUTION_ID"),
    }
FRONTEND_CACHE_SECONDS = int(env_str("FRONTEND_CACHE_SECONDS", "300"))

CONTENT_SECURITY_POLICY = {"DIRECTIVES": with_media_origins(PUBLIC_POLICY, media_origins(os.environ))}

# Complex page models (a project with a long timeline) exceed Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "八王子市市民活動支援センター <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = "八王子市市民活動支援センター"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Registrations one address may submit, as django-ratelimit's "count/period"; empty turns the limit off.
# Generous, because mobile carriers and offices put many people behind one address.
REGISTRATION_RATE_LIMIT = env_str("REGISTRATION_RATE_LIMIT", "30/10m") or None
# Behind reverse proxies, how many of them append to X-Forwarded-For (cms/client_ip.py); 0 = none.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "cms.client_ip.client_ip"
# While the cache is unreachable, registrations go through unlimited rather than being refused.
RATELIMIT_FAIL_OPEN = True
# The public site's address, for links in emails and calendar files sent outside a request.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
# The domain of calendar entries' UIDs (home/origin.py). Set once and never change it: calendars that
# imported an event would show it twice.
CALENDAR_UID_DOMAIN = env_str("CALENDAR_UID_DOMAIN", "hachioji-katsudo.example.jp")
# Wagtail's database search with Japanese segmentation (docs/search.md).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}
# The admin loads nothing from other sites (the CSP would block it, and the site must work on a closed
# network): no Gravatar avatars, which would also send a hash of each staff email address out, and no
# check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Videos may be embedded from the two players the Content-Security-Policy lets the site frame (cms/csp.py).
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [youtube, vimeo],
    }
]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# Demo content and demo accounts may be built only where an environment says so (dev, test).
DEMO_CONTENT_ALLOWED = False

# "text" for people reading a terminal, "json" (production's default) for a log collector (docs/logging.md).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "cms.request_log.RequestIdFilter"},
        "redact": {"()": "cms.request_log.RedactFilter"},
    },
    "formatters": {
        "text": {
            "()": "cms.request_log.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {
            "()": "cms.request_log.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Every request, 4xx included, has its line on cms.request; Django's own line adds only the
        # traceback of a server error. Redacted here too, for Django's own handlers (mail_admins).
        "django.request": {"level": "ERROR", "filters": ["redact"]},
        "django.db.backends": {"level": "WARNING"},
        # Both log a line for every page saved, which drowns an import of hundreds of pages.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------------------------------------
# Public forms: the email policy and duplicate submissions (home/mail_policy.py, docs/talent.md).
# One email per address and purpose within PUBLIC_FORM_MAIL_WINDOW seconds (0 turns the limit off), and
# the same submission within PUBLIC_FORM_DUPLICATE_WINDOW seconds lands on the row it made first.
PUBLIC_FORM_MAIL_WINDOW = int(env_str("PUBLIC_FORM_MAIL_WINDOW", str(24 * 60 * 60)))
PUBLIC_FORM_DUPLICATE_WINDOW = int(env_str("PUBLIC_FORM_DUPLICATE_WINDOW", str(24 * 60 * 60)))
