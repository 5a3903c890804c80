"""Settings shared by every environment; everything that differs between machines is read here."""

import datetime
import os
from pathlib import Path

import dj_database_url
from wagtail.embeds.oembed_providers import vimeo, youtube

from cms.cache import redis_cache
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
    # The project package: its deployment checks of these settings (cms/deploy_checks.py).
    "cms",
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
    "django_tasks",
    "django_tasks_db",
    "csp",
    "corsheaders",
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
    # CORS for the open data (CORS_URLS_REGEX below): other sites' scripts may read, never write. Outside the
    # conditional GET, so a 304 carries it too.
    "corsheaders.middleware.CorsMiddleware",
    # Every GET answer gets an ETag from its body, and one whose view knows when its content last changed
    # a Last-Modified; a request that already holds that version gets 304. Outside the page cache, so
    # stored pages answer conditional requests too.
    "django.middleware.http.ConditionalGetMiddleware",
    # Page-cache hits are answered here, inside the conditional GET (so they answer 304 too) and before
    # everything below, which a stored page needs no more: its headers from them are stored with it, and
    # for a page with a form Django's CSRF middleware runs around just the token (home/page_cache.py).
    "home.page_cache.PageCacheMiddleware",
    "cms.csp.ContentSecurityPolicyMiddleware",
    "cms.permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A page request's Wagtail Site from the cache, for every `Site.find_for_request` after it; past the
    # page cache, whose hits need none, and the host check above (home/routing.py).
    "home.routing.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Pages served from the page cache are refused to other sites' frames too: the header is stored with them
    # (X_FRAME_OPTIONS below).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Refuses an oversized body before anything reads it, with the headers above (cms/size_limits.py).
    "cms.size_limits.RequestSizeLimitMiddleware",
    # Where a rendered page is first seen: decides whether it may be stored, and puts the visitor's CSRF
    # token in, inside the CSRF middleware, which then sets the cookie (home/page_cache.py).
    "home.page_cache.StorablePageMiddleware",
    # Inside the page cache, so a stored page with ふりがな already carries its ruby (search/furigana.py).
    "search.furigana.FuriganaMiddleware",
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
                # `display`: 文字サイズ, 背景色, ふりがな (home/display.py)
                "home.display.context",
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
    # queue up instead of both counting the seats and one failing with "database is locked". A writer waits
    # up to 20 seconds for the lock; DATABASE_URL's own ?timeout= wins.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

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
# The project's Japanese catalogue completes Wagtail's and its add-ons' (docs/translation.md); Django reads
# LOCALE_PATHS before the apps' own catalogues, so its translations win.
LOCALE_PATHS = [BASE_DIR / "locale"]

WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ja", "日本語")]
# Staff all work in Tokyo: the account screen offers no other time zone.
WAGTAIL_USER_TIME_ZONES = ["Asia/Tokyo"]

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
    # Django's FileSystemStorage, minus the partial file a failed write (a full disk) leaves.
    "default": {"BACKEND": "home.media_storage.MediaFileSystemStorage"},
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
    # An outage is logged once per process, not once per call (cms/cache.py, docs/logging.md).
    CACHES = {
        "default": redis_cache(
            REDIS_URL,
            key_prefix=env_str("CACHE_KEY_PREFIX", "civic"),
            connect_timeout=float(env_str("REDIS_CONNECT_TIMEOUT", "0.2")),
            timeout=float(env_str("REDIS_TIMEOUT", "0.5")),
        )
    }
    # django_ratelimit knows django-redis's backend by name only; cms.cache.RedisCache is that backend.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-ratelimit counts in the cache; a per-process count is right for one process (make run) and
    # too lenient for several, which is why production sets REDIS_URL: `check --deploy` errors
    # (cms.E003, cms/deploy_checks.py) when more than one worker process is configured without it.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Whether every process serving the site reads one cache (Redis), so that a change made in one is seen by
# all at once. Without it, what must never be late is read from the database instead: whether a view
# restriction applies to a page (home/visibility.py).
CACHE_IS_SHARED = bool(REDIS_URL)

# Whole pages for anonymous visitors, kept in the cache until content changes (home/page_cache.py). On by
# default only with a shared cache: with one memory cache per process, a publish would reach only the
# process that made it.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", CACHE_IS_SHARED)
PAGE_CACHE_SECONDS = int(env_str("PAGE_CACHE_SECONDS", "300"))
# Stored pages each process also keeps in its memory (about 25 KB each), so that a hit fetches only the
# content version and its tokens from Redis, never the page; checked against them on every hit. At most
# this many, and this many bytes of pages in all (a page may be up to 2 MB; a larger one than the whole
# budget is fetched from Redis each time).
PAGE_CACHE_LOCAL_ENTRIES = int(env_str("PAGE_CACHE_LOCAL_ENTRIES", "200"))
PAGE_CACHE_LOCAL_BYTES = int(env_str("PAGE_CACHE_LOCAL_BYTES", str(16 * 1024 * 1024)))

# A CDN or reverse proxy in front, purged through wagtail.contrib.frontend_cache when content changes
# (docs/deployment.md). Pages then carry s-maxage so that the CDN keeps them that long at most.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        # Wagtail's HTTPBackend, once per display-preference combination (home/frontend_cache.py).
        "BACKEND": "home.frontend_cache.DisplayVariantsHTTPBackend",
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
# How long after that the CDN may still serve a page while it fetches it again (stale-while-revalidate),
# never past the moment the page cache would drop it (a registration closing, an event starting).
FRONTEND_CACHE_STALE_SECONDS = int(env_str("FRONTEND_CACHE_STALE_SECONDS", "60"))

# Open data may be read by scripts on any site (docs/opendata.md): the API, the downloads, the calendar
# feeds and the sitemap, for GET only and never with the visitor's cookies.
CORS_URLS_REGEX = r"^(/api/|/opendata/|/sitemap\.xml$|/.*\.ics$)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")

CONTENT_SECURITY_POLICY = {"DIRECTIVES": with_media_origins(PUBLIC_POLICY, media_origins(os.environ))}

# Complex page models (a project with a long timeline) exceed Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Every email goes into the outbox and is sent by the worker (home/outbox/, docs/operations.md); the
# EMAIL_BACKEND variable names how the worker hands it on, SMTP unless said otherwise.
EMAIL_BACKEND = "home.outbox.backend.QueueingEmailBackend"
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT", "10"))
# Where django.core.mail.backends.filebased.EmailBackend writes (make serve): a folder only the site's user
# may read, since each file is a whole email (docs/deployment.md).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "八王子市市民活動支援センター <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Attempts before an email is marked failed for staff; between them the wait doubles from a minute up to
# an hour, so eight attempts span about two hours of mail server outage.
EMAIL_MAX_ATTEMPTS = int(env_str("EMAIL_MAX_ATTEMPTS", "8"))
# A worker that claimed an email this long ago and never finished it died mid-send: the email is retried.
EMAIL_CLAIM_TIMEOUT = int(env_str("EMAIL_CLAIM_TIMEOUT", str(max(120, 6 * EMAIL_TIMEOUT))))
# Days the record of a sent email (subject and date, no content) is kept.
EMAIL_OUTBOX_KEEP_DAYS = int(env_str("EMAIL_OUTBOX_KEEP_DAYS", "30"))

# Background work (emails, search and reference index updates, CDN purges, Wagtail's own tasks) runs on
# Django's task queue, served by `manage.py run_worker`. The database backend needs no other service;
# docs/operations.md shows the same tasks on Redis through django-tasks-rq.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# /readyz reports the queue stuck when a task has waited this long for a worker.
TASK_QUEUE_STUCK_SECONDS = int(env_str("TASK_QUEUE_STUCK_SECONDS", "300"))

WAGTAIL_SITE_NAME = "八王子市市民活動支援センター"
# Registrations one address may submit, as django-ratelimit's "count/period"; empty turns the limit off.
# Generous, because mobile carriers and offices put many people behind one address.
REGISTRATION_RATE_LIMIT = env_str("REGISTRATION_RATE_LIMIT", "30/10m") or None
# Requests one address may make to the open data API (/api/, projects/api/), as django-ratelimit's
# "count/period"; over it the API answers 429 with Retry-After. Empty turns the limit off.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "300/m") or None
# Behind reverse proxies, how many of them append to X-Forwarded-For (cms/client_ip.py); 0 = none.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "cms.client_ip.client_ip"
# While the cache is unreachable, registrations go through unlimited rather than being refused.
RATELIMIT_FAIL_OPEN = True
# The public site's address, for links in emails and calendar files sent outside a request, and the admin's
# (Wagtail's notification emails, staff links), the same unless the admin has an address of its own. Either
# one set is enough; `check --deploy` errors while they are missing or on loopback (cms.E001).
PUBLIC_BASE_URL = env_str(
    "PUBLIC_BASE_URL", env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
).rstrip("/")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)
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

# --- Staff sign-in: lockout of failed logins and two-factor authentication -----------------------------
# docs/operations.md "Staff sign-in" explains the rules; docs/deployment.md lists the variables.
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "home.staff_signin",
]
# OTPMiddleware tells whether this session passed the second step (request.user.is_verified()); the
# two-factor middleware then keeps a session that has not out of the admin; AxesMiddleware, last, turns a
# locked-out login into the lockout page.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "home.staff_signin.middleware.TwoFactorMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Axes checks every login attempt (each login form calls authenticate() with the request) before the
# password is checked, so a locked-out pair is refused even with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are counted in the database (axes' default handler), so every process and server sees them.
# A lockout is per username *and* address: an attacker guessing one account from one address is stopped,
# but cannot lock a member of staff out from everywhere by typing their username, nor lock out a whole
# office behind one address. Guessing from many addresses is what the second factor is for.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(env_str("SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env_str("SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "home.staff_signin.lockout.lockout_response"
# Axes logs four INFO lines for every sign-in; a lockout is a WARNING (usernames and addresses masked).
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
# Two-factor authentication (TOTP, with one-time recovery codes) is required of superusers and of these
# groups' members; anyone else may turn it on from their account.
STAFF_TWO_FACTOR_GROUPS = env_list("STAFF_TWO_FACTOR_GROUPS", "事務局,承認者")
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# --- Upload and request size limits (cms/size_limits.py, docs/deployment.md) ---
# Images and documents staff upload in the admin, checked by Wagtail (documents since Wagtail 8, through a
# form that words the limit in Japanese).
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(env_str("IMAGE_MAX_UPLOAD_MB", "10")) * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(env_str("DOCUMENT_MAX_UPLOAD_MB", "20")) * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.size_limits.DocumentForm"
# The largest request body, refused with 413 above it: in the admin, the larger upload and its form;
# elsewhere what Django reads into memory anyway (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB): public forms take
# no files.
ADMIN_REQUEST_MAX_SIZE = max(WAGTAILIMAGES_MAX_UPLOAD_SIZE, WAGTAILDOCS_MAX_UPLOAD_SIZE) + 1024 * 1024
PUBLIC_REQUEST_MAX_SIZE = 2_621_440

# --- Framing ---
# Only the site itself may frame its pages, as the CSP's frame-ancestors 'self' says (cms/csp.py): Wagtail's
# admin shows its previews in a frame (and marks those responses SAMEORIGIN itself). Django's default, DENY,
# contradicted the CSP. Django's deployment check asks for DENY unless there is a reason: this is it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]
# ---------------------------------------------------------------------------------------------------------
# Public forms: the email policy and duplicate submissions (home/mail_policy.py, docs/talent.md).
# One email per address and purpose within PUBLIC_FORM_MAIL_WINDOW seconds (0 turns the limit off), and
# the same submission within PUBLIC_FORM_DUPLICATE_WINDOW seconds lands on the row it made first.
PUBLIC_FORM_MAIL_WINDOW = int(env_str("PUBLIC_FORM_MAIL_WINDOW", str(24 * 60 * 60)))
PUBLIC_FORM_DUPLICATE_WINDOW = int(env_str("PUBLIC_FORM_DUPLICATE_WINDOW", str(24 * 60 * 60)))
