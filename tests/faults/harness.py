"""The fault harness: the real app server and its real dependencies on loopback, and the switches that break
them. Shared by the fault suite (tests/faults/) and benchmarks/faults.py; it needs no pytest.

- `SiteProcesses` starts gunicorn with the production settings (as `make serve` does) and the background
  worker, on a database, a Redis, an SMTP server and a media folder of their own;
- `SMTPSink` keeps the messages it receives, or, in blackhole mode, accepts connections and never answers;
- `RedisServer` is a private `redis-server` that can be stopped and started again on the same port;
- `TCPProxy` stands between the app and PostgreSQL and can be cut and restored;
- `SQLiteWriteLock` holds an SQLite database's lock from another connection;
- `tmpfs` mounts a tiny filesystem, for a disk that fills up.

Every wait polls against a deadline and says what it waited for when it gives up; every process runs in its
own process group, which `stop_group` ends as a whole (gunicorn's workers, the worker's children).
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# Passed on to the subprocesses; everything else they read comes from `SiteProcesses.env`, so a variable set
# in the caller's shell (PAGE_CACHE, EMAIL_BACKEND, …) cannot change what is tested.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What a person types into an event's registration form (the address aside).
REGISTRANT = {
    "name": "八王子 花子",
    "name_kana": "はちおうじ はなこ",
    "phone": "042-620-1234",
    "note": "",
    "agree_privacy": "on",
    "leave_blank": "",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout, what, interval=0.05):
    """Poll `condition` until it returns something true (returned), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout}s waiting for {what}")
        time.sleep(interval)


def start_group(command, env, log_path, cwd=ROOT):
    """Start `command` in a process group of its own, its output appended to `log_path`."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_group(process, sig=signal.SIGTERM, timeout=15):
    """End a process and everything it started (its process group); SIGKILL if it does not stop in time."""
    if process is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    # The master is gone; a child that outlived it (a gunicorn worker mid-request) goes too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def run(command, env, timeout=300):
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if finished.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, command[1:4]))} failed ({finished.returncode}):\n"
            f"{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}"
        )
    return finished.stdout


# --- HTTP --------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def header(self, name):
        return self.headers.get(name, "")


@dataclass
class Visitor:
    """One browser talking to one server: plain HTTP with its own cookies, no redirects followed."""

    base_url: str
    cookies: dict = field(default_factory=dict)
    timeout: float = 30

    def request(self, method, path, form=None, body=None, content_type=None):
        address = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=self.timeout)
        headers = {"Accept-Language": "ja"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if form is not None:
            body = urlencode(form).encode()
            content_type = "application/x-www-form-urlencoded"
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Origin"] = self.base_url
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)

    def on(self, base_url):
        """The same browser (same cookies) talking to another server."""
        return Visitor(base_url, dict(self.cookies), self.timeout)

    def csrf_token(self, path):
        """GET `path` (setting the CSRF cookie) and return the token of its form."""
        page = self.get(path)
        found = CSRF_INPUT.search(page.text)
        if page.status != 200 or not found:
            raise AssertionError(f"no form with a CSRF token at {path} ({page.status}):\n{page.text[:2000]}")
        return found.group(1)

    def upload(self, path, fields, files):
        """POST a multipart form: `fields` a dict, `files` {name: (filename, bytes, content type)}."""
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, kind) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {kind}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, body=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}"
        )

    def register(self, event_path, email, token=None):
        """POST an event's registration form as a person who opened the page (its CSRF token)."""
        token = token or self.csrf_token(event_path)
        return self.post(event_path, {**REGISTRANT, "email": email, "csrfmiddlewaretoken": token})

    def log_in(self, username, password):
        token = self.csrf_token("/admin/login/")
        response = self.post(
            "/admin/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"login as {username} failed ({response.status}):\n{response.text[:2000]}")


# --- SMTP --------------------------------------------------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's SMTP backend; in blackhole mode, silence until the mode changes."""

    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        sink = self.server.sink
        with sink.lock:
            sink.connections += 1
            answering = sink._answering
        # Blackhole: the connection stays open and unanswered until the sink answers again; then its
        # client gets the greeting, late, as from a mail server that was stuck and recovers.
        answering.wait()
        if sink.closed:
            return
        # OSError: the client gave up meanwhile (its timeout), or was killed.
        with contextlib.suppress(OSError):
            self.converse(sink)

    def converse(self, sink):
        self.reply("220 fault-suite mail sink")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                with sink.lock:
                    sink.messages.append((recipients, b"".join(lines)))
                recipients = []
                self.reply("250 queued")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # EHLO, HELO, MAIL, RSET, NOOP
                self.reply("250 ok")


class SMTPSink:
    """An SMTP server on a loopback port, in this process. `messages` holds (recipients, raw message) of
    every message accepted; `connections` counts the connections ever opened to it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.connections = 0
        self.blackhole = False
        self.closed = False
        self._answering = threading.Event()
        self._answering.set()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
        self._server.daemon_threads = True
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def set_blackhole(self, on):
        """On: accept every connection and never answer. Off: answer, the connections held so far too."""
        with self.lock:
            self.blackhole = on
            if on:
                self._answering = threading.Event()
            else:
                self._answering.set()

    def wait_for_connection(self, seen, timeout=60):
        """Wait until a connection beyond the first `seen` was opened."""
        wait_until(lambda: self.connections > seen, timeout, "a client to connect to the mail server")

    def sent_to(self, address):
        with self.lock:
            return [message for recipients, message in self.messages if address in recipients]

    def close(self):
        self.closed = True
        self.set_blackhole(False)
        self._server.shutdown()
        self._server.server_close()


# --- Redis -------------------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port, nothing saved to disk; stop() and start() keep the port."""

    def __init__(self, workdir):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.workdir = Path(workdir)
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def flush(self):
        """Empty it (every key of every site), so that no page is served from the page cache."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            if not sock.recv(16).startswith(b"+OK"):
                raise RuntimeError("FLUSHALL failed")

    def start(self):
        self.process = start_group(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.workdir),
            ],
            {"PATH": os.environ.get("PATH", "")},
            self.workdir / "redis.log",
        )  # fmt: skip
        wait_until(self.ping, 15, f"redis-server on port {self.port}")

    def stop(self):
        stop_group(self.process)
        self.process = None
        wait_until(lambda: not self.ping(), 5, "redis-server to stop")


# --- The database ------------------------------------------------------------------------------------


class TCPProxy:
    """Forwards a loopback port to `target`; cut() drops every connection and refuses new ones (they are
    accepted and closed at once, as a database that went away), restore() lets them through again."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open = set()
        self._down = False
        self._closed = False
        self.refused = 0  # connections closed at once while cut
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                down = self._down
                self.refused += down
            if down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                self._drop(sock)

    def _drop(self, sock):
        with self._lock:
            self._open.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cut(self):
        with self._lock:
            self._down = True
            current = list(self._open)
        for sock in current:
            self._drop(sock)

    def restore(self):
        with self._lock:
            self._down = False

    def close(self):
        self._closed = True
        self.cut()
        self._listener.close()


class SQLiteDatabase:
    """An SQLite file. The app waits `busy_timeout` seconds for a lock before giving up (None: the settings'
    20; the suite need not wait that long to see what happens next)."""

    vendor = "sqlite"

    def __init__(self, path, busy_timeout=2):
        self.path = Path(path)
        self.busy_timeout = busy_timeout

    @property
    def app_url(self):
        return f"sqlite:///{self.path}" + (f"?timeout={self.busy_timeout}" if self.busy_timeout else "")

    def sql(self, query, params=()):
        with contextlib.closing(sqlite3.connect(self.path, timeout=10)) as connection:
            rows = connection.execute(query.replace("%s", "?"), params).fetchall()
            connection.commit()
            return rows

    @contextlib.contextmanager
    def outage(self):
        """The database down: its exclusive lock held from another connection, as a long write (a backup,
        a migration, a stuck process) would hold it; no other connection can read or write."""
        with contextlib.closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as holder:
            holder.execute("BEGIN EXCLUSIVE")
            try:
                yield
            finally:
                holder.execute("ROLLBACK")

    def drop(self):
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class PostgresDatabase:
    """A PostgreSQL database that the app reaches through a `TCPProxy`, so that it can go down and back."""

    vendor = "postgresql"

    def __init__(self, url):
        self.url = url
        address = urlsplit(url)
        self.proxy = TCPProxy(address.hostname or "127.0.0.1", address.port or 5432)

    @property
    def app_url(self):
        address = urlsplit(self.url)
        credentials, at, _ = address.netloc.rpartition("@")
        return address._replace(netloc=f"{credentials}{at}127.0.0.1:{self.proxy.port}").geturl()

    def sql(self, query, params=()):
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
            return connection.execute(query, params).fetchall()

    @contextlib.contextmanager
    def outage(self):
        """The database down: every connection through the proxy dropped, new ones closed at once."""
        self.proxy.cut()
        try:
            yield
        finally:
            self.proxy.restore()

    def wait_for_attempt(self, timeout=30):
        """During an outage, wait until one more connection is tried (the worker's poll, when nothing else
        is asking)."""
        seen = self.proxy.refused
        wait_until(lambda: self.proxy.refused > seen, timeout, "another connection to the database")

    def drop(self):
        self.proxy.close()
        drop_postgres_database(postgres_admin_url(self.url), urlsplit(self.url).path.lstrip("/"))


@contextlib.contextmanager
def tmpfs(directory, size="256k"):
    """Mount a tmpfs of `size` on `directory` for the block (needs root, or CAP_SYS_ADMIN)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        raise PermissionError(
            f"could not mount a {size} tmpfs on {directory} (mount needs root or CAP_SYS_ADMIN; "
            f"the fault suite runs as root in CI): {mounted.stderr.strip()}"
        )
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], capture_output=True, check=False)


# --- The site --------------------------------------------------------------------------------------


def postgres_admin_url(database_url):
    """The maintenance database (`postgres`) of the server that `database_url` points at."""
    return urlsplit(database_url)._replace(path="/postgres", query="").geturl()


def create_postgres_database(admin_url, name, template=None, timeout=30):
    """CREATE DATABASE `name` (a copy of `template` when given; a template may have no other session, so
    this retries until `timeout`)."""
    import psycopg

    statement = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")

    def attempt():
        try:
            with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
                connection.execute(statement)
        except psycopg.errors.ObjectInUse:
            return False
        return True

    wait_until(attempt, timeout, f"a copy of {template} with no other session on it", interval=0.2)


def drop_postgres_database(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class SiteProcesses:
    """gunicorn (production settings, `gunicorn.conf.py`) and the background worker of one site, on its own
    database (`SQLiteDatabase` or `PostgresDatabase`), Redis, SMTP server and media folder."""

    workdir: Path
    database: SQLiteDatabase | PostgresDatabase
    sink: SMTPSink
    redis: RedisServer
    extra_env: dict = field(default_factory=dict)
    web_concurrency: int | None = 2  # gunicorn workers; None: gunicorn.conf.py's default
    port: int = field(default_factory=free_port)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    server: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None

    def __post_init__(self):
        self.workdir = Path(self.workdir)
        self.media_root = self.workdir / "media"
        self.static_root = self.workdir / "static"
        self.server_log = self.workdir / "gunicorn.log"
        self.worker_log = self.workdir / "worker.log"
        self.media_root.mkdir(exist_ok=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self):
        env = {key: os.environ[key] for key in INHERITED if key in os.environ}
        env.update(
            DJANGO_SETTINGS_MODULE="cms.settings.production",
            SECRET_KEY=self.secret_key,
            HTTPS_ONLY="off",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            PUBLIC_BASE_URL=self.base_url,
            DATABASE_URL=self.database.app_url,
            REDIS_URL=self.redis.url,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.sink.port),
            # How long the worker waits on a mail server that does not answer: longer than a test takes to
            # let the server answer again, so that the held connection goes on rather than failing.
            EMAIL_TIMEOUT="30",
            MEDIA_ROOT=str(self.media_root),
            SERVE_MEDIA="on",
            STATIC_ROOT=str(self.static_root),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            PYTHONUNBUFFERED="1",
        )
        if self.web_concurrency:
            env["WEB_CONCURRENCY"] = str(self.web_concurrency)
        env.update(self.extra_env)
        return env

    def manage(self, *args, timeout=300):
        return run([PYTHON, "manage.py", *args], self.env, timeout=timeout)

    def prepare(self):
        """collectstatic beside building the site's content (tests/faults/site_content.py, on a migrated
        database); returns what the builder printed: where the pages are and who may log in."""
        collectstatic = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            # Without Redis: nothing is cached yet, and Redis need not be up.
            content = run([PYTHON, "-m", "tests.faults.site_content"], {**self.env, "REDIS_URL": ""})
        finally:
            output, _ = collectstatic.communicate(timeout=300)
        if collectstatic.returncode != 0:
            raise RuntimeError(f"collectstatic failed:\n{output}")
        return json.loads(content.strip().splitlines()[-1])

    def start_server(self):
        self.server = start_group([GUNICORN, "--config", "gunicorn.conf.py"], self.env, self.server_log)
        wait_until(self._ready, 60, f"gunicorn at {self.base_url} to answer /readyz", interval=0.1)

    def _ready(self):
        if self.server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({self.server.returncode}):\n{self.log_tail()}")
        try:
            return Visitor(self.base_url, timeout=5).get("/readyz").status == 200
        except OSError:
            return False

    def start_worker(self, *args, env=None, wait=True):
        """Start `manage.py run_worker` and wait until it takes tasks (its "Starting worker" log line,
        written after its first outbox sweep, which may be sending; `wait=False` when that would hang)."""
        logged = self.worker_log.stat().st_size if self.worker_log.exists() else 0
        command = [PYTHON, "manage.py", "run_worker", *args]
        self.worker = start_group(command, {**self.env, **(env or {})}, self.worker_log)

        def started():
            if self.worker.poll() is not None:
                raise RuntimeError(f"run_worker exited ({self.worker.returncode}):\n{self.log_tail()}")
            with open(self.worker_log, "rb") as log:
                log.seek(logged)
                return b"Starting worker" in log.read()

        if wait:
            wait_until(started, 60, "run_worker to start taking tasks", interval=0.1)

    def stop_worker(self, sig=signal.SIGTERM):
        stop_group(self.worker, sig)
        self.worker = None

    def stop(self):
        self.stop_worker()
        stop_group(self.server)
        self.server = None

    def log_tail(self, size=4000):
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-size:]}"
            for path in (self.server_log, self.worker_log)
            if path.exists()
        )

    def visitor(self, timeout=30):
        return Visitor(self.base_url, timeout=timeout)

    def sql(self, query, params=()):
        """The harness's own look at the database (never through the proxy); %s placeholders."""
        return self.database.sql(query, params)
