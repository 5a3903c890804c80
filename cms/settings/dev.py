"""Local development: `make run`."""

from cms.secret_key import DEV_KEY

from .base import *  # noqa: F403
from .base import env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", DEV_KEY)
ALLOWED_HOSTS = ["*"]
# `make run` prints emails in its terminal once the worker sends them.
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
DEMO_CONTENT_ALLOWED = True
# Serve static files straight from the source folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# DEBUG keeps its tracebacks, but a missing page shows the site's own 404 page, as in production.
MIDDLEWARE = [*MIDDLEWARE, "cms.not_found.SiteNotFoundPageMiddleware"]  # noqa: F405
