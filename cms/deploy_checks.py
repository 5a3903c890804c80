"""`manage.py check --deploy`: the settings a production site must not run with, in Japanese for the operator.

Registered from cms/apps.py with `deploy=True`, so they run only with `--deploy` (never under `make run`).
`check --deploy --fail-level WARNING` is clean with a proper production configuration and fails on each of
these (tests/test_production_settings.py; docs/deployment.md lists them).

- cms.E001: PUBLIC_BASE_URL or WAGTAILADMIN_BASE_URL missing, not absolute, or on loopback: links in
  emails and calendar files would point at the server's own machine.
- cms.E002: a weak SECRET_KEY (cms/secret_key.py). Production refuses to start with one; this check
  catches settings modules that do not.
- cms.E003: a per-process cache while gunicorn runs several worker processes: the registration rate limit
  then counts per process, and a change reaches the other processes' menus and counts minutes late.
- cms.W001: the console email backend (as the worker's delivery backend), which writes whole emails
  (names, addresses, personal links) into the log.
"""

import ipaddress
import os
import runpy
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from cms import secret_key
from home.outbox.delivery import delivery_backend

TAG = "cms"
BASE_URL_SETTINGS = ("PUBLIC_BASE_URL", "WAGTAILADMIN_BASE_URL")
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
# Caches whose contents live in one process: each worker would count and invalidate on its own.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
GUNICORN_CONFIG = "gunicorn.conf.py"


def _is_loopback(host):
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def check_base_urls(app_configs=None, **kwargs):
    errors = []
    for name in BASE_URL_SETTINGS:
        value = getattr(settings, name, "") or ""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            message = f"{name} が http:// か https:// で始まるサイトのアドレスではありません（{value!r}）。"
        elif _is_loopback(parts.hostname):
            message = (
                f"{name} がこのサーバー自身のアドレス（{value}）です。メールなどで送るリンクを、"
                "受け取った人が開けません。"
            )
        else:
            continue
        errors.append(
            checks.Error(
                message,
                hint=f"サイトのアドレスを {name} に設定してください（例: https://www.example.jp）。",
                id="cms.E001",
            )
        )
    return errors


def check_secret_key(app_configs=None, **kwargs):
    reason = secret_key.weakness(settings.SECRET_KEY or "")
    if reason is None:
        return []
    return [checks.Error(f"SECRET_KEY が安全ではありません: {reason}。", hint=secret_key.HINT, id="cms.E002")]


def gunicorn_workers():
    """How many worker processes gunicorn starts with this environment, read from gunicorn.conf.py itself
    (WEB_CONCURRENCY, or two per core plus one); 1 when there is no such file."""
    path = settings.BASE_DIR / GUNICORN_CONFIG
    if not path.exists():
        return int(os.environ.get("WEB_CONCURRENCY", "1"))
    return int(runpy.run_path(str(path)).get("workers", 1))


def check_shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    workers = gunicorn_workers()
    if workers <= 1:
        return []
    return [
        checks.Error(
            f"キャッシュがプロセスごとのメモリ（{backend}）なのに、gunicorn のワーカープロセスが"
            f" {workers} 個設定されています（WEB_CONCURRENCY または gunicorn.conf.py）。"
            f"参加申込のレート制限がプロセスごとに数えられて上限が実質 {workers} 倍になり、"
            "更新が他のプロセスのメニューや件数に遅れて届きます。",
            hint="REDIS_URL を設定してすべてのプロセスで Redis を共有するか、"
            "WEB_CONCURRENCY=1 にしてください。",
            id="cms.E003",
        )
    ]


def check_email_backend(app_configs=None, **kwargs):
    # The backend the worker hands each email to (EMAIL_BACKEND only queues it: home/outbox/).
    if delivery_backend() != CONSOLE_EMAIL:
        return []
    return [
        checks.Warning(
            f"EMAIL_BACKEND がコンソール（{CONSOLE_EMAIL}）です。メールの全文（氏名、メールアドレス、"
            "本人用のリンク）がログに書き出されます。",
            hint="本番では SMTP（既定）を使ってください。試すだけなら、ファイルに書き出す "
            "django.core.mail.backends.filebased.EmailBackend と "
            "EMAIL_FILE_PATH（本人だけが読めるフォルダ）を。",
            id="cms.W001",
        )
    ]


def register():
    for check in (check_base_urls, check_secret_key, check_shared_cache, check_email_backend):
        checks.register(check, TAG, deploy=True)
