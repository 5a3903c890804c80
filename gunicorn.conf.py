"""gunicorn, the production app server: `make serve` and docs/deployment.md.

Every value can be changed through the environment without editing this file.
"""

import multiprocessing
import os

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers behind a reverse proxy that buffers slow clients (nginx); two per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Load the application once in the master: a worker then starts by forking, in milliseconds, instead of
# importing Django and Wagtail (about 2 s of CPU on a small server).
preload_app = True
# Recycle workers now and then, so that a slow leak can never grow without bound; the wide jitter spreads
# the restarts, since evenly balanced workers reach the same count together (benchmarks/load.py saw all
# five restart within a second).
max_requests = 10000
max_requests_jitter = 5000
# The application logs every request itself, with its request id and without query strings
# (cms/request_log.py); gunicorn's own access log would repeat it without them.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Which proxies may tell gunicorn the client's scheme (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
