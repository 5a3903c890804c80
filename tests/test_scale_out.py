"""Two app servers behind one PostgreSQL and one Redis behave as one site.

Starts two gunicorn servers (the production settings, `gunicorn.conf.py`, as `make serve` runs them) on two
loopback ports against a PostgreSQL database of this module's own, built with migrate and load_demo, and
one Redis key prefix of its own. Everything is driven over plain HTTP, as a load balancer would spread a
visitor's requests:

- a registration made on server A shows on server B at once: the seats left drop by one, although B had
  the event page in its page cache, and the worker sends the confirmation email (to an SMTP server in the
  test);
- a draft published through the admin of server A (the bulk publish action, over HTTP) shows on B at once,
  on the page, its parent listing and the home page, all of which B had cached;
- a login to the admin on A is valid on B: sessions live in the database, not in a server.

Needs PostgreSQL and Redis (by default on 127.0.0.1; SCALE_OUT_POSTGRES_URL and SCALE_OUT_REDIS_URL point
elsewhere). Without them the module is skipped locally and fails under CI=true, as the browser tests do.
Setting up (migrate, load_demo, collectstatic) takes about 35 seconds on an idle two-core machine (two
minutes when the cores are shared), once for the module.
"""

import os
import re
import secrets
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from projects.demo.accounts import demo_code
from tests.faults.harness import (
    CSRF_INPUT,
    GUNICORN,
    INHERITED,
    PYTHON,
    SMTPSink,
    Visitor,
    free_port,
    run,
    start_group,
    stop_group,
    wait_until,
)

pytestmark = pytest.mark.xdist_group("scale-out")

BASE_DIR = Path(settings.BASE_DIR)
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
REDIS_DB = 9
SEATS_LEFT = re.compile(r"残り(\d+)席")


def _admin_postgres_url():
    """The server to create the module's database on, through its `postgres` maintenance database."""
    if os.environ.get("SCALE_OUT_POSTGRES_URL"):
        return os.environ["SCALE_OUT_POSTGRES_URL"]
    configured = urlsplit(os.environ.get("DATABASE_URL", ""))
    if configured.scheme.startswith("postgres"):
        return configured._replace(path="/postgres").geturl()
    return "postgresql://postgres@127.0.0.1:5432/postgres"


def _redis_server_url():
    return os.environ.get("SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")


def _unavailable(reason):
    message = f"Scale-out test needs PostgreSQL and Redis: {reason}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Cluster:
    server_a: str
    server_b: str
    database_url: str
    env: dict
    sent_mail: list
    setup_seconds: float
    logs: list

    def sql(self, query, params=()):
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def manage(self, *args):
        return run([PYTHON, "manage.py", *args], self.env)

    def log_tail(self):
        return "\n".join(f"--- {path}\n{Path(path).read_text()[-3000:]}" for path in self.logs)


def _wait_until_ready(base_url, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited ({process.returncode}):\n{Path(log_path).read_text()}")
        try:
            if Visitor(base_url).get("/readyz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn at {base_url} not ready after {timeout}s:\n{Path(log_path).read_text()}")


@pytest.fixture(scope="module")
def mail():
    """A local SMTP server the app servers send to with the production email backend."""
    sink = SMTPSink()
    yield sink
    sink.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, mail):
    try:
        import psycopg
        import redis
    except ImportError as error:
        _unavailable(str(error))
    admin_url = _admin_postgres_url()
    redis_url = f"{_redis_server_url()}/{REDIS_DB}"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except (psycopg.Error, redis.RedisError) as error:
        _unavailable(str(error))

    name = f"scaleout_{uuid.uuid4().hex[:12]}"
    prefix = f"scaleout-{uuid.uuid4().hex[:12]}"
    database_url = urlsplit(admin_url)._replace(path=f"/{name}").geturl()
    workdir = tmp_path_factory.mktemp("scale-out")
    media_root, static_root = workdir / "media", workdir / "static"
    env = {key: os.environ[key] for key in INHERITED if key in os.environ}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        HTTPS_ONLY="off",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=prefix,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail.port),
        MEDIA_ROOT=str(media_root),
        # One media folder for both servers stands for the shared disk or bucket; gunicorn serves it here.
        SERVE_MEDIA="on",
        STATIC_ROOT=str(static_root),
        LOG_FORMAT="text",
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    production = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}
    # The production settings refuse demo content; dev builds it, without Redis (nothing to cache yet).
    dev = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "REDIS_URL": ""}

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    processes, logs = [], []
    try:
        started = time.monotonic()
        collectstatic = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=BASE_DIR,
            env=production,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], dev)
        run([PYTHON, "manage.py", "load_demo"], dev)
        output, _ = collectstatic.communicate(timeout=300)
        assert collectstatic.returncode == 0, output
        setup_seconds = time.monotonic() - started

        urls = []
        for label in ("a", "b"):
            port = free_port()
            log_path = workdir / f"gunicorn-{label}.log"
            logs.append(log_path)
            with open(log_path, "w") as log:
                process = subprocess.Popen(
                    [GUNICORN, "--config", "gunicorn.conf.py"],
                    cwd=BASE_DIR,
                    env={**production, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, so teardown stops the workers too
                )
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
        for url, process, log_path in zip(urls, processes, logs, strict=True):
            _wait_until_ready(url, process, log_path)
        # The background worker beside them, which sends the emails the servers queue.
        logs.append(workdir / "worker.log")
        processes.append(start_group([PYTHON, "manage.py", "run_worker"], production, logs[-1]))
        print(f"\nscale-out setup (migrate + load_demo + collectstatic): {setup_seconds:.1f}s")
        yield Cluster(urls[0], urls[1], database_url, production, mail.messages, setup_seconds, logs)
    finally:
        for process in processes:
            stop_group(process)
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _site_path(cluster, url_path):
    """The public path of a page from its tree url_path (the site root's own path taken off)."""
    [(root_path,)] = cluster.sql(
        "SELECT p.url_path FROM wagtailcore_site s JOIN wagtailcore_page p ON p.id = s.root_page_id "
        "WHERE s.is_default_site"
    )
    return "/" + url_path.removeprefix(root_path)


def _seats_left(response):
    found = set(SEATS_LEFT.findall(response.text))
    assert len(found) == 1, f"expected one seats-left number on the page, found {found or 'none'}"
    return int(found.pop())


def _cached_twice(visitor, path):
    """GET twice as a fresh anonymous visitor would; the second answer must come from B's page cache."""
    first = visitor.get(path)
    second = visitor.get(path)
    assert first.status == second.status == 200, (path, first.status, second.status)
    assert second.header("X-Page-Cache") == "hit", (path, second.header("X-Page-Cache"))
    return second


def _log_in(cluster, visitor, username, password):
    form_page = visitor.get("/admin/login/")
    assert form_page.status == 200
    response = visitor.post(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": CSRF_INPUT.search(form_page.text).group(1),
            "username": username,
            "password": password,
            "next": "/admin/",
        },
    )
    assert response.status == 302, response.text[:2000]
    assert "sessionid" in visitor.cookies
    _pass_the_second_step(cluster, visitor, username)


def _pass_the_second_step(cluster, visitor, username):
    """The demo's moderator must use two-factor authentication: the code from the demo key. A code is used
    once, so a second sign-in within its 30 seconds gives the next one (the device accepts one step ahead);
    a wrong guess would be throttled, so the step is read from the device, not guessed."""
    now_step = int(time.time()) // 30
    (last_step,) = cluster.sql(
        "SELECT d.last_t FROM otp_totp_totpdevice d JOIN auth_user u ON u.id = d.user_id "
        "WHERE u.username = %s",
        (username,),
    )[0]
    steps_ahead = max(0, last_step + 1 - now_step)
    if steps_ahead > 1:  # both usable codes are spent: wait for the next step
        time.sleep((now_step + 1) * 30 - time.time() + 0.5)
        steps_ahead = 0
    form_page = visitor.get("/admin/two-factor/verify/?next=/admin/")
    assert form_page.status == 200, form_page.text[:2000]
    response = visitor.post(
        "/admin/two-factor/verify/",
        {
            "csrfmiddlewaretoken": CSRF_INPUT.search(form_page.text).group(1),
            "code": demo_code(steps_ahead),
            "next": "/admin/",
        },
    )
    assert response.status == 302, response.text[:2000]


def test_registration_on_one_server_shows_at_once_on_the_other(cluster, mail):
    rows = cluster.sql(
        "SELECT p.url_path, p.id FROM projects_eventpage e JOIN wagtailcore_page p ON p.id = e.page_ptr_id "
        "WHERE p.live AND e.registration_enabled AND e.capacity IS NOT NULL "
        "AND e.registration_opens_at <= now() AND e.registration_closes_at > now() AND e.starts_at > now() "
        "ORDER BY e.starts_at"
    )
    assert rows, "the demo has no upcoming event with registration open"
    path = _site_path(cluster, rows[0][0])
    reader = Visitor(cluster.server_b)
    seats_before = _seats_left(_cached_twice(reader, path))
    assert seats_before > 0

    person = Visitor(cluster.server_a)
    form_page = person.get(path)
    assert form_page.status == 200
    assert "csrftoken" in person.cookies
    email = f"scale-out-{uuid.uuid4().hex[:8]}@example.jp"
    response = person.post(
        path,
        {
            "csrfmiddlewaretoken": CSRF_INPUT.search(form_page.text).group(1),
            "name": "八王子 太郎",
            "name_kana": "はちおうじ たろう",
            "email": email,
            "phone": "",
            "note": "",
            "agree_privacy": "on",
            "leave_blank": "",
        },
    )
    assert response.status == 302, response.text[:3000]
    [(count,)] = cluster.sql(
        "SELECT count(*) FROM projects_registration WHERE email = %s AND event_id = %s", (email, rows[0][1])
    )
    assert count == 1

    after = reader.get(path)
    assert after.status == 200
    assert after.header("X-Page-Cache") == "miss"
    assert _seats_left(after) == seats_before - 1
    wait_until(lambda: mail.sent_to(email), 60, "the confirmation email, from the worker")
    messages = [message for recipients, message in cluster.sent_mail if recipients == [email]]
    assert len(messages) == 1, cluster.log_tail()
    assert f"To: {email}".encode() in messages[0]


def test_an_image_rendition_made_by_one_server_is_served_by_the_other(cluster):
    home = Visitor(cluster.server_a).get("/")
    renditions = re.findall(r'<img[^>]+src="(/media/images/[^"]+)"', home.text)
    assert renditions, "the demo home page shows no image"

    image = Visitor(cluster.server_b).get(renditions[0])

    assert image.status == 200
    assert image.headers["Content-Type"].startswith("image/")


def test_admin_session_from_one_server_is_valid_on_the_other(cluster):
    editor = Visitor(cluster.server_a)
    _log_in(cluster, editor, "moderator", "hachioji-moderator")
    assert editor.get("/admin/").status == 200
    assert Visitor(cluster.server_b).get("/admin/").status == 302  # a stranger is sent to log in
    dashboard = editor.on(cluster.server_b).get("/admin/")
    assert dashboard.status == 200, cluster.log_tail()
    assert "承認" in dashboard.text  # the moderator's name, 承認 太郎


def test_publish_through_the_admin_of_one_server_shows_at_once_on_the_other(cluster):
    [(page_id, url_path, title, parent_path)] = cluster.sql(
        "SELECT p.id, p.url_path, p.title, parent.url_path FROM wagtailcore_page p "
        "JOIN home_articlepage a ON a.page_ptr_id = p.id "
        "JOIN wagtailcore_page parent ON parent.path = substr(p.path, 1, length(p.path) - 4) "
        "WHERE p.live ORDER BY p.first_published_at DESC LIMIT 1"
    )
    path, parent = _site_path(cluster, url_path), _site_path(cluster, parent_path)
    reader = Visitor(cluster.server_b)
    pages = {address: _cached_twice(reader, address) for address in (path, parent, "/")}
    assert title in pages[path].text and title in pages[parent].text
    on_home = title in pages["/"].text

    new_title = f"{title}(更新 {uuid.uuid4().hex[:6]})"
    # An editor's draft, saved as the edit view saves it; the live page keeps its title until published.
    cluster.manage(
        "shell",
        "-c",
        "from wagtail.models import Page\n"
        f"page = Page.objects.get(pk={page_id}).specific\n"
        f"page.title = {new_title!r}\n"
        "page.save_revision()\n",
    )
    assert new_title not in reader.get(path).text

    moderator = Visitor(cluster.server_a)
    _log_in(cluster, moderator, "moderator", "hachioji-moderator")
    action = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
    confirm = moderator.get(action)
    assert confirm.status == 200, confirm.text[:2000]
    published = moderator.post(action, {"csrfmiddlewaretoken": CSRF_INPUT.search(confirm.text).group(1)})
    assert published.status == 302, published.text[:3000]

    for address in (path, parent, "/"):
        response = reader.get(address)
        assert response.status == 200
        assert response.header("X-Page-Cache") == "miss", address
        if address != "/" or on_home:
            assert new_title in response.text, address
