"""Production: DEBUG off, secrets and hosts only from the environment, HTTPS behind a reverse proxy.

`python manage.py check --deploy --fail-level WARNING` passes once PUBLIC_BASE_URL and REDIS_URL (or
WEB_CONCURRENCY=1) are set, and fails on each unsafe setting (cms/deploy_checks.py,
tests/test_production_settings.py).
docs/deployment.md lists every variable.
"""

from django.core.exceptions import ImproperlyConfigured

from cms import secret_key

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, env_str

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
# A guessable key lets anyone forge sessions and personal links (`make serve` makes up a random one).
if weakness := secret_key.weakness(SECRET_KEY):
    raise ImproperlyConfigured(f"SECRET_KEY が安全ではありません: {weakness}。{secret_key.HINT}")

DEBUG = False

# TLS ends at the reverse proxy (nginx, a load balancer), which must set X-Forwarded-Proto and drop any
# value a client sent; Django then knows which requests came over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS_ONLY=off is for `make serve` and the benchmarks on loopback, which speak plain HTTP.
HTTPS_ONLY = env_bool("HTTPS_ONLY", True)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000")) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Health checks come from the load balancer over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Reuse database connections across requests; health checks drop broken ones.
DATABASES["default"]["CONN_MAX_AGE"] = int(env_str("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405

LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # noqa: F405

# Templates compiled once per process and kept (Django's cached loader). Django turns it on by default when
# no loaders are named; named here so that it stays on whatever else changes (tests/test_page_queries.py).
TEMPLATES = [  # noqa: F405
    {
        **TEMPLATES[0],  # noqa: F405
        "APP_DIRS": False,
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],  # noqa: F405
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
]
