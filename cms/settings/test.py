"""Test suite: fast hasher, in-memory email and cache, throwaway media."""

import tempfile

from cms.secret_key import TEST_KEY

from .base import *  # noqa: F403

SECRET_KEY = TEST_KEY
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run as they are queued, so a test sees an email in mail.outbox right after the request that
# caused it; tests/faults/ runs the real queue and worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The tests serve from one process, which the memory cache is shared by.
CACHE_IS_SHARED = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = tempfile.mkdtemp(prefix="civic-test-media-")
WAGTAILADMIN_BASE_URL = "http://testserver"
PUBLIC_BASE_URL = "http://testserver"
DEMO_CONTENT_ALLOWED = True
# Serve static files straight from the source folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
