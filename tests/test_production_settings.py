"""The production configuration: Django's deployment checks, secrets, HTTPS, CSP, cache and media storage."""

import functools
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    """Run manage.py with the production settings and only the environment given (plus PATH)."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": f"sqlite:///{ROOT / 'unused-production-check.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


# What the tests read from a production process, in one subprocess per environment.
READ = {
    "debug": "settings.DEBUG",
    "https": "[settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE]",
    "hsts": "settings.SECURE_HSTS_SECONDS",
    "proxy_header": "list(settings.SECURE_PROXY_SSL_HEADER)",
    "cache": "settings.CACHES['default']['BACKEND']",
    "page_cache": "settings.PAGE_CACHE_ENABLED",
    "storage": "settings.STORAGES['default']",
    "frontend_cache": "settings.WAGTAILFRONTENDCACHE",
    "img_src": "list(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])",
    "admin_url": "settings.WAGTAILADMIN_BASE_URL",
}
# Everything optional switched on at once.
EVERYTHING = {
    "REDIS_URL": "redis://127.0.0.1:6379/3",
    "MEDIA_S3_BUCKET": "civic-media",
    "MEDIA_S3_ENDPOINT_URL": "https://s3.example.jp",
    "FRONTEND_CACHE_PURGE_URL": "http://127.0.0.1:6081",
}


@functools.cache
def production_settings(**env):
    values = ", ".join(f"{name!r}: {expression}" for name, expression in READ.items())
    script = f"from django.conf import settings; import json; print(json.dumps({{{values}}}, default=str))"
    result = manage("shell", "-c", script, SECRET_KEY=secrets.token_urlsafe(50), **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# A proper production configuration: a random key, the site's address, a shared cache, the SMTP backend.
PROPER = {"PUBLIC_BASE_URL": "https://www.example.jp", "REDIS_URL": "redis://127.0.0.1:6379/3"}


def deploy_check(**env):
    settings = {"SECRET_KEY": secrets.token_urlsafe(50), **PROPER, **env}
    return manage("check", "--deploy", "--fail-level", "WARNING", **{k: v for k, v in settings.items() if v})


def test_the_deployment_checks_pass_without_a_single_warning():
    result = deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "check_id", "message"),
    [
        (
            {"PUBLIC_BASE_URL": ""},
            "cms.E001",
            "PUBLIC_BASE_URL がこのサーバー自身のアドレス（http://127.0.0.1:8000）",
        ),
        ({"PUBLIC_BASE_URL": "http://localhost:8000"}, "cms.E001", "PUBLIC_BASE_URL がこのサーバー自身"),
        ({"PUBLIC_BASE_URL": "http://[::1]/"}, "cms.E001", "PUBLIC_BASE_URL がこのサーバー自身"),
        ({"PUBLIC_BASE_URL": "www.example.jp"}, "cms.E001", "PUBLIC_BASE_URL が http:// か https://"),
        (
            {"WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8000"},
            "cms.E001",
            "WAGTAILADMIN_BASE_URL がこのサーバー自身",
        ),
        ({"REDIS_URL": ""}, "cms.E003", "gunicorn のワーカープロセスが"),
        ({"REDIS_URL": "", "WEB_CONCURRENCY": "5"}, "cms.E003", "ワーカープロセスが 5 個"),
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            "cms.W001",
            "メールの全文（氏名、メールアドレス、本人用のリンク）がログに書き出されます",
        ),
    ],
    ids=[
        "no-public-base-url",
        "localhost",
        "ipv6-loopback",
        "not-absolute",
        "admin-on-loopback",
        "no-shared-cache-default-workers",
        "no-shared-cache-5-workers",
        "console-email",
    ],
)
def test_the_deployment_checks_fail_on_each_unsafe_setting(env, check_id, message):
    result = deploy_check(**env)

    assert result.returncode != 0
    assert f"({check_id})" in result.stderr
    assert message in result.stderr


def test_one_worker_may_use_the_per_process_cache():
    result = deploy_check(REDIS_URL="", WEB_CONCURRENCY="1")

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_admin_address_follows_the_public_one_unless_set():
    assert (
        production_settings(PUBLIC_BASE_URL="https://www.example.jp")["admin_url"] == "https://www.example.jp"
    )
    assert (
        production_settings(
            PUBLIC_BASE_URL="https://www.example.jp", WAGTAILADMIN_BASE_URL="https://admin.example.jp"
        )["admin_url"]
        == "https://admin.example.jp"
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x", "50文字未満です（1文字）"),
        ("production-settings-under-test", "50文字未満です"),
        ("abcd" * 20, "使われている文字が5種類未満です"),
        ("django-insecure-" + secrets.token_urlsafe(50), "開発・テスト用の鍵です"),
        ("dev-only-insecure-key-do-not-use-in-production", "開発・テスト用の鍵です"),
    ],
    ids=["one-character", "short", "few-characters", "django-insecure", "the-dev-key"],
)
def test_production_refuses_to_start_with_a_weak_secret_key(key, reason):
    result = deploy_check(SECRET_KEY=key)

    assert result.returncode != 0
    assert "SECRET_KEY が安全ではありません: " in result.stderr
    assert reason in result.stderr


def test_the_secret_key_rule_is_also_a_deployment_check_for_settings_that_do_not_refuse_it():
    """The development settings start with their published key; `check --deploy` names it."""
    result = manage("check", "--deploy", DJANGO_SETTINGS_MODULE="cms.settings.dev")

    assert "(cms.E002) SECRET_KEY が安全ではありません" in result.stderr


def test_https_is_required_behind_the_proxy_by_default():
    defaults = production_settings()

    assert defaults["debug"] is False
    assert defaults["https"] == [True, True, True]
    assert defaults["hsts"] == 31536000
    assert defaults["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_plain_http_on_loopback_is_an_explicit_choice():
    loopback = production_settings(HTTPS_ONLY="off")

    assert loopback["https"] == [False, False, False]
    assert loopback["hsts"] == 0


def test_the_cache_is_redis_when_redis_url_is_set_and_the_page_cache_follows():
    assert production_settings(**EVERYTHING)["cache"] == "cms.cache.RedisCache"
    assert production_settings(**EVERYTHING)["page_cache"] is True
    assert production_settings()["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert production_settings()["page_cache"] is False


def test_uploaded_media_go_to_an_s3_compatible_bucket_when_one_is_named():
    storage = production_settings(**EVERYTHING)["storage"]

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "civic-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.jp"
    assert production_settings()["storage"]["BACKEND"].endswith("FileSystemStorage")


def test_images_from_the_bucket_are_allowed_by_the_content_security_policy():
    assert production_settings(**EVERYTHING)["img_src"] == [
        "'self'",
        "data:",
        "blob:",
        "https://s3.example.jp",
        "https://civic-media.s3.example.jp",
    ]
    assert production_settings()["img_src"] == ["'self'", "data:", "blob:"]


def test_a_cdn_is_purged_only_when_configured():
    assert production_settings()["frontend_cache"] == {}
    assert production_settings(**EVERYTHING)["frontend_cache"]["http"]["LOCATION"] == "http://127.0.0.1:6081"


@pytest.mark.django_db
def test_public_pages_get_a_strict_policy_and_the_admin_only_its_inline_allowance(client, tree):
    public = client.get("/")["Content-Security-Policy"]
    admin = client.get("/admin/login/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in public.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in public
    assert "script-src 'self' 'unsafe-inline'" in admin


def test_static_files_are_collected_hashed_and_compressed(tmp_path):
    result = manage(
        "collectstatic", "--noinput", SECRET_KEY=secrets.token_urlsafe(50), STATIC_ROOT=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert hashed != "css/site.css" and hashed.startswith("css/site.")
    assert (tmp_path / hashed).read_bytes() == (ROOT / "static/css/site.css").read_bytes()
    assert (tmp_path / f"{hashed}.gz").stat().st_size < (tmp_path / hashed).stat().st_size
    assert (tmp_path / manifest["js/site.js"]).exists()
