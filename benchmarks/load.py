"""Requests per second and latency of the production configuration under load (gunicorn, PostgreSQL, Redis).

Run from the repository root: `.venv/bin/python benchmarks/load.py` (see benchmarks/README.md and
docs/performance.md). It builds a scratch PostgreSQL database with the demo and N generated projects,
starts gunicorn with the production settings on a loopback port, and measures with wrk:

- cold: the page cache off (PAGE_CACHE=off), so that every request renders from the database, however
  many times wrk repeats the URL; the other caches (menus, catalog counts) are emptied before each URL and
  warm after its first requests. With 8 connections, then with one (a render that need not queue).
- warm: the page cache on (the production default with Redis) and primed; and the first render of each
  page just after the cache was emptied.
- mixed: 90% GETs and 10% registrations for one event with 50 seats and a waitlist, from concurrent
  clients; the database must then hold exactly the seats confirmed and everyone else waitlisted.
"""

import argparse
import concurrent.futures
import http.client
import http.cookies
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from catalog import URLS as CATALOG_URLS

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = Path(PYTHON).parent / "gunicorn"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"

# Pages from the demo content (projects/demo/): a completed project with an organization and a long timeline,
# the Saturday briefing (registration open, seats left, no waitlist) and the weeknight briefing, which the
# mixed run turns into a 50-seat event with a waitlist.
PROJECT_SLUG = "katatsumuri-facebook"
EVENT_SLUG = "upcoming-briefing-weekend"
MIXED_EVENT_SLUG = "upcoming-briefing-weeknight"
CATALOG_URL = CATALOG_URLS[0]  # two facets, as benchmarks/catalog.py measures it
STYLESHEET = re.compile(r"/static/css/site\.[0-9a-f]+\.css")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Environment variables of the site (cms/settings/, gunicorn.conf.py) that a run never takes from its caller.
SITE_VARIABLES = (
    "ALLOWED_HOSTS",
    "CACHE_KEY_PREFIX",
    "CLOUDFLARE_",
    "CLOUDFRONT_",
    "DATABASE_",
    "EMAIL_",
    "FRONTEND_CACHE",
    "GUNICORN_",
    "MEDIA_",
    "PAGE_CACHE",
    "REDIS_",
    "REGISTRATION_RATE_LIMIT",
    "STATIC_ROOT",
    "TRUSTED_PROXY_COUNT",
    "WEB_CONCURRENCY",
)

# Targets of issue 8.
WARM_TO_STATIC = 0.5
COLD_CATALOG_P95_MS = 150

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  local figures = {
    requests = summary.requests, duration_us = summary.duration, connect = e.connect, read = e.read,
    write = e.write, status = e.status, timeout = e.timeout, max_us = latency.max,
    p50_us = latency:percentile(50), p95_us = latency:percentile(95), p99_us = latency:percentile(99),
  }
  for name, value in pairs(figures) do
    io.write(string.format("wrk-figure %s %d\\n", name, value))
  end
end
"""

# Run in the scratch database through `manage.py shell`: make the mixed run's event a 50-seat event with
# a waitlist and no registrations (again on every run, so a kept database can be reused), and say where
# the measured pages are.
PREPARE = """
import json
from django.utils import timezone
from projects.models import EventPage, ProjectPage, Registration, RegistrationState
from wagtail.models import Page

event = EventPage.objects.live().get(slug={event!r})
mixed = EventPage.objects.live().get(slug={mixed!r})
Registration.objects.filter(event=mixed).delete()
EventPage.objects.filter(pk=mixed.pk).update(
    capacity={capacity}, waitlist_enabled=True, registration_enabled=True
)
mixed.refresh_from_db()
states = {{page.slug: page.registration_state().value for page in (event, mixed)}}
print(json.dumps({{
    "project": ProjectPage.objects.live().get(slug={project!r}).url,
    "event": event.url,
    "mixed_event": mixed.url,
    "mixed_event_id": mixed.pk,
    "states": states,
    "live_projects": ProjectPage.objects.live().count(),
    "pages": Page.objects.live().count(),
}}))
"""


# Run through `manage.py shell` under the production settings with the page cache off: where one render of
# each page spends its time (cProfile) and which SQL it runs, after a few renders that warm the other caches.
PROFILE = """
import cProfile, io, json, pstats, re, statistics, time
from collections import Counter
from django.db import connection
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1")
results = {{}}
for path in {paths!r}:
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    statements = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((sql, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(record):
        client.get(path)
    # Column lists make every page query look alike: keep what follows FROM.
    columns = re.compile(r"^SELECT .*? FROM ", re.S)
    statements = [(columns.sub("SELECT … FROM ", sql), took) for sql, took in statements]
    shapes = Counter(re.sub(r"\\d+", "N", sql)[:{sql_width}] for sql, _ in statements)
    timings = []
    for _ in range({renders}):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range({renders}):
        client.get(path)
    profiler.disable()
    rows = []
    for (file, line, function), (_, calls, own, total, _) in pstats.Stats(profiler).stats.items():
        file = file.split("site-packages/")[-1].replace({root!r}, "")
        rows.append([file, line, function, calls, own, total])
    results[path] = {{
        "median_ms": statistics.median(timings),
        "queries": len(statements),
        "repeated_queries": [[count, shape] for shape, count in shapes.most_common(5) if count > 1],
        "slowest_queries": [
            [took, sql[:{sql_width}]] for sql, took in sorted(statements, key=lambda row: -row[1])[:3]
        ],
        "sql_ms": sum(ms for _, ms in statements),
        "by_own_time": sorted(rows, key=lambda row: -row[4])[:{top}],
        "own_code_by_total_time": sorted(
            [row for row in rows if row[0].startswith(("home/", "projects/", "search/", "cms/"))],
            key=lambda row: -row[5],
        )[:{top}],
        "renders": {renders},
    }}
print(json.dumps(results))
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000, help="generated projects (default 1000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each run, not counted")
    parser.add_argument(
        "--first-renders", type=int, default=5, help="first renders timed per URL (default 5)"
    )
    parser.add_argument("--mixed-requests", type=int, default=2000, help="requests of the mixed run")
    parser.add_argument("--registrations", type=int, default=200, help="registration POSTs among them")
    parser.add_argument("--clients", type=int, default=12, help="concurrent clients of the mixed run")
    parser.add_argument("--capacity", type=int, default=50, help="seats of the mixed run's event")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument(
        "--max-requests",
        type=int,
        help="recycle a gunicorn worker after this many requests; 0 never (default: gunicorn.conf.py's)",
    )
    parser.add_argument("--database-server", default=DEFAULT_SERVER, help=f"default {DEFAULT_SERVER}")
    parser.add_argument(
        "--redis", default=DEFAULT_REDIS, help=f"Redis database to use (default {DEFAULT_REDIS})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and files")
    parser.add_argument("--skip-build", metavar="DBNAME", help="reuse a database kept with --keep")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one render of each page (cProfile, SQL counts)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    return parser.parse_args()


def log(message):
    # Progress goes to stderr, so that --json leaves only the figures on stdout.
    print(message, file=sys.stderr, flush=True)


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


@dataclass
class Scratch:
    """The scratch database, and a folder for its media files and the collected static files."""

    name: str
    server: str
    folder: Path = field(init=False)

    def __post_init__(self):
        self.folder = Path(tempfile.gettempdir()) / self.name

    @property
    def database_url(self):
        return f"{self.server}/{self.name}"

    def admin_connection(self):
        return psycopg.connect(f"{self.server}/postgres", autocommit=True)

    def create(self):
        with self.admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        self.folder.mkdir()

    def drop(self):
        with self.admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)


class Cache:
    """This run's keys in Redis. Emptied by their unique prefix rather than FLUSHDB, so that a Redis
    shared with other people (or other runs) keeps their keys."""

    def __init__(self, url):
        self.url = url
        self.prefix = f"bench-load-{secrets.token_hex(4)}"
        self.client = redis.Redis.from_url(url)

    def clear(self):
        keys = list(self.client.scan_iter(match=f"{self.prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            self.client.delete(*keys[start : start + 500])
        return len(keys)


def base_env(scratch, settings, **extra):
    # Whatever the caller's shell says about the site (a database, a bucket, a CDN), this run decides.
    env = {key: value for key, value in os.environ.items() if not key.startswith(SITE_VARIABLES)}
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=scratch.database_url,
        MEDIA_ROOT=str(scratch.folder / "media"),
        STATIC_ROOT=str(scratch.folder / "static"),
        SECRET_KEY=secrets.token_urlsafe(50),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env, *args):
    completed = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def timed(function, *args):
    started = time.monotonic()
    result = function(*args)
    return result, time.monotonic() - started


def build(scratch, projects):
    """migrate + load_demo under the dev settings (production refuses demo content); seconds of each."""
    env = base_env(scratch, "cms.settings.dev")
    _, migrate_seconds = timed(manage, env, "migrate", "--noinput")
    log(f"  migrate: {migrate_seconds:.0f} s")
    _, load_seconds = timed(manage, env, "load_demo", "--projects", str(projects))
    log(f"  load_demo --projects {projects}: {load_seconds:.0f} s")
    return {"migrate_seconds": migrate_seconds, "load_demo_seconds": load_seconds}


def prepare(scratch, capacity):
    code = PREPARE.format(event=EVENT_SLUG, mixed=MIXED_EVENT_SLUG, project=PROJECT_SLUG, capacity=capacity)
    output = manage(base_env(scratch, "cms.settings.dev"), "shell", "-c", code)
    found = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    for slug, state in found["states"].items():
        if state != "open":
            raise SystemExit(f"registration for {slug} is {state!r}, not open: rebuild the database")
    return found


def default_workers():
    # As gunicorn.conf.py computes it when WEB_CONCURRENCY is not set.
    return os.cpu_count() * 2 + 1


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the production settings and gunicorn.conf.py, as `make serve` starts it."""

    health_path = "/healthz"  # answers 200 once the server is up

    def __init__(self, scratch, cache, label, workers=None, max_requests=None, **extra):
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.label = label
        env = base_env(
            scratch,
            "cms.settings.production",
            HTTPS_ONLY="off",
            ALLOWED_HOSTS="127.0.0.1",
            REDIS_URL=cache.url,
            CACHE_KEY_PREFIX=cache.prefix,
            GUNICORN_BIND=self.host,
            # Info, for its "Booting worker" lines: workers recycled by max_requests during a run.
            GUNICORN_LOG_LEVEL="info",
            **extra,
        )
        self.workers = workers or default_workers()
        env["WEB_CONCURRENCY"] = str(self.workers)
        self.log_path = scratch.folder / f"gunicorn-{label}.log"
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            # Options on the command line override the config file's.
            [str(GUNICORN), "--config", "gunicorn.conf.py"]
            + ([] if max_requests is None else ["--max-requests", str(max_requests)]),
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()

    def url(self, path):
        return f"http://{self.host}{path}"

    def boots(self):
        """How many workers gunicorn has started so far, recycled ones included."""
        return self.log_path.read_text().count("Booting worker")

    def warm_up(self, paths):
        """Render every path in every worker: a fresh worker's first renders load templates and code.

        A query string the pages ignore makes each request a page cache miss, so that each one renders.
        """
        requests = [
            f"{path}{'&' if '?' in path else '?'}warmup={number}"
            for path in paths
            for number in range(3 * self.workers)
        ]
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.workers) as pool:
            responses = pool.map(lambda path: get(self.host, path), requests)
            for path, response in zip(requests, responses, strict=True):
                check_ok(response, path, self)

    def wait_until_up(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn ({self.label}) exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if get(self.host, self.health_path).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn ({self.label}) did not answer {self.health_path} within {seconds} s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float


def get(host, path, headers=None):
    return request(host, "GET", path, headers=headers)


def request(host, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(host, timeout=30)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        content = answer.read()
        return Response(answer.status, answer.headers, content, time.perf_counter() - started)
    finally:
        connection.close()


def wrk(server, path, args, script, seconds, connections):
    command = [
        "wrk",
        f"-t{min(args.threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",  # slower requests would be left out of the percentiles as timeouts
        "-s",
        script,
        server.url(path),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    lines = [line.split() for line in completed.stdout.splitlines() if line.startswith("wrk-figure ")]
    figures = {name: int(value) for _, name, value in lines}
    socket_errors = figures["connect"] + figures["read"] + figures["write"] + figures["timeout"]
    # With no request finished within the run, wrk's percentiles are 0: no figure, not a fast one.
    done = figures["requests"] > 0
    return {
        "requests": figures["requests"],
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        **{
            f"{name}_ms": figures[f"{name}_us"] / 1000 if done else None
            for name in ("p50", "p95", "p99", "max")
        },
        "socket_errors": socket_errors,
        "non_2xx_3xx": figures["status"],  # wrk counts statuses of 400 and above
        "errors": socket_errors + figures["status"],
    }


def measure(server, path, args, script, connections=None):
    connections = connections or args.connections
    if args.warmup:
        wrk(server, path, args, script, args.warmup, connections)
    boots = server.boots()
    figures = wrk(server, path, args, script, args.duration, connections)
    figures["worker_restarts"] = server.boots() - boots
    log(
        f"    {path} (-c{connections}): {figures['rps']:.0f} rps, p50 {ms(figures['p50_ms'])} ms, "
        f"p95 {ms(figures['p95_ms'])} ms, errors {figures['errors']}, "
        f"workers recycled {figures['worker_restarts']}"
    )
    return figures


def ms(value, width=0):
    return f"{value:{width}.1f}" if value is not None else f"{'—':>{width}}"


def first_renders(server, cache, path, count):
    """The latency of one request just after every cache was emptied: a visitor after a deploy."""
    timings = []
    for _ in range(count):
        cache.clear()
        response = get(server.host, path)
        check_ok(response, path, server)
        timings.append(response.seconds * 1000)
    return statistics.median(timings)


def check_ok(response, path, server=None):
    if response.status != 200:
        where = f"; see {server.log_path}" if server else ""
        raise SystemExit(f"{path} answered {response.status}{where}")


def percentile(values, percent):
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def profile(scratch, cache, pages, renders=10, top=12):
    """cProfile of `renders` renders of each page in one process, with the page cache off."""
    log(f"Profiling {renders} renders of each page (page cache off)")
    code = PROFILE.format(
        paths=list(pages.values()), renders=renders, top=top, sql_width=400, root=f"{ROOT}/"
    )
    env = base_env(
        scratch,
        "cms.settings.production",
        HTTPS_ONLY="off",
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=cache.url,
        CACHE_KEY_PREFIX=cache.prefix,
        PAGE_CACHE="off",
    )
    output = manage(env, "shell", "-c", code)
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


def run_cold(scratch, cache, pages, args, script):
    log("Cold: page cache off (PAGE_CACHE=off), every request renders from the database")
    results = {}
    with Server(scratch, cache, "cold", args.workers, args.max_requests, PAGE_CACHE="off") as server:
        server.warm_up(pages.values())
        for name, path in pages.items():
            cache.clear()
            response = get(server.host, path)
            check_ok(response, path, server)
            if response.headers.get("X-Page-Cache"):
                raise SystemExit(f"{path}: the page cache answered although PAGE_CACHE=off")
            results[name] = measure(server, path, args, script)
            # One connection: how long a render takes when it need not queue for a core.
            results[name]["one_connection"] = measure(server, path, args, script, connections=1)
    return results


def run_warm(scratch, cache, pages, static, args, script):
    log("Warm: page cache on and primed")
    results = {}
    with Server(scratch, cache, "warm", args.workers, args.max_requests) as server:
        server.warm_up(pages.values())
        for name, path in pages.items():
            results[name] = {"first_render_ms": first_renders(server, cache, path, args.first_renders)}
            cache.clear()
            outcomes = [get(server.host, path).headers.get("X-Page-Cache") for _ in range(2)]
            results[name]["page_cache"] = outcomes[-1]
            if outcomes != ["miss", "hit"]:
                log(f"    {path}: X-Page-Cache {outcomes}, expected a miss then a hit")
            results[name].update(measure(server, path, args, script))
        check_ok(get(server.host, static), static, server)
        results["static"] = measure(server, static, args, script)
    return results


@dataclass
class Sample:
    kind: str
    path: str
    status: int
    ms: float
    page_cache: str = ""


def run_mixed(scratch, cache, pages, found, args):
    """GETs of the pages and registrations for one event from concurrent clients; then count the rows."""
    log(
        f"Mixed: {args.mixed_requests} requests, {args.registrations} of them registration POSTs, "
        f"{args.clients} clients; page cache on, REGISTRATION_RATE_LIMIT off"
    )
    tag = secrets.token_hex(3)
    event_path = found["mixed_event"]
    plain_gets = args.mixed_requests - 2 * args.registrations  # each registration GETs its form first
    if plain_gets < 0:
        raise SystemExit("--mixed-requests must be at least twice --registrations")
    paths = list(pages.values())
    jobs = [("get", paths[i % len(paths)]) for i in range(plain_gets)]
    jobs += [("register", number) for number in range(args.registrations)]
    random.Random(8).shuffle(jobs)
    samples = []
    lock = threading.Lock()

    def record(sample):
        with lock:
            samples.append(sample)

    def run(job):
        kind, value = job
        if kind == "get":
            response = get(server.host, value)
            record(Sample("GET", value, response.status, response.seconds * 1000, page_cache(response)))
            return
        form = get(server.host, event_path)
        record(Sample("GET", event_path, form.status, form.seconds * 1000, page_cache(form)))
        token = CSRF_INPUT.search(form.body.decode())
        cookie = http.cookies.SimpleCookie()
        for header in form.headers.get_all("Set-Cookie") or []:
            cookie.load(header)
        if form.status != 200 or token is None or "csrftoken" not in cookie:
            record(Sample("POST", event_path, 0, 0.0))  # could not even try
            return
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "name": f"負荷試験 {value}",
                "name_kana": "ふかしけん",
                "email": f"load-{tag}-{value}@example.jp",
                "phone": "",
                "note": "",
                "agree_privacy": "on",
                "leave_blank": "",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie['csrftoken'].value}",
        }
        response = request(server.host, "POST", event_path, body=body, headers=headers)
        record(Sample("POST", event_path, response.status, response.seconds * 1000))

    cache.clear()
    with Server(
        scratch, cache, "mixed", args.workers, args.max_requests, REGISTRATION_RATE_LIMIT=""
    ) as server:
        server.warm_up([*paths, event_path])
        cache.clear()
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            for future in [pool.submit(run, job) for job in jobs]:
                future.result()
        wall = time.monotonic() - started
    return summarize_mixed(samples, wall, count_registrations(scratch, found["mixed_event_id"]), args)


def page_cache(response):
    return response.headers.get("X-Page-Cache", "")


def count_registrations(scratch, event_id):
    with psycopg.connect(scratch.database_url) as connection:
        rows = connection.execute(
            "SELECT status, count(*) FROM projects_registration WHERE event_id = %s GROUP BY status",
            [event_id],
        ).fetchall()
    return dict(rows)


def summarize_mixed(samples, wall, registrations, args):
    kinds = {}
    for kind in ("GET", "POST"):
        chosen = [sample for sample in samples if sample.kind == kind]
        timings = [sample.ms for sample in chosen]
        kinds[kind] = {
            "requests": len(chosen),
            "rps": len(chosen) / wall,
            "p50_ms": percentile(timings, 50) if timings else None,
            "p95_ms": percentile(timings, 95) if timings else None,
        }
    posts = [sample for sample in samples if sample.kind == "POST"]
    accepted = sum(sample.status == 302 for sample in posts)
    get_outcomes = {}
    for sample in samples:
        if sample.kind == "GET":
            get_outcomes[sample.page_cache] = get_outcomes.get(sample.page_cache, 0) + 1
    confirmed = registrations.get("confirmed", 0)
    waitlisted = registrations.get("waitlisted", 0)
    seats = min(accepted, args.capacity)
    return {
        "wall_seconds": wall,
        "requests": len(samples),
        "rps": len(samples) / wall,
        "kinds": kinds,
        "get_page_cache": get_outcomes,
        "posts": len(posts),
        "posts_accepted": accepted,
        "posts_refused": sum(sample.status == 200 for sample in posts),
        "server_errors": sum(sample.status >= 500 for sample in samples),
        "other_errors": sum(sample.status == 0 or 400 <= sample.status < 500 for sample in samples),
        "registrations": registrations,
        "checks": {
            f"confirmed == the seats ({seats} of {args.capacity})": confirmed == seats,
            f"waitlisted == everyone else ({accepted - seats})": waitlisted == accepted - seats,
            f"registrations in the database == accepted POSTs ({accepted})": sum(registrations.values())
            == accepted,
            f"every POST accepted ({len(posts)})": accepted == len(posts),
            "zero 5xx": all(sample.status < 500 for sample in samples),
            "zero other errors (4xx, no form)": all(0 < sample.status < 400 for sample in samples),
        },
    }


def targets(cold, warm, mixed):
    """Issue 8's targets: [{"passed": bool, "target": what was compared}]."""
    static_rps = warm["static"]["rps"] or float("nan")
    results = []

    def check(passed, description):
        results.append({"passed": bool(passed), "target": description})

    for name, figures in warm.items():
        if name != "static":
            ratio = figures["rps"] / static_rps
            check(
                ratio >= WARM_TO_STATIC,
                f"warm {name}: {figures['rps']:.0f} rps = {ratio:.0%} of the static file's "
                f"{static_rps:.0f} (target ≥ {WARM_TO_STATIC:.0%})",
            )
    p95 = cold["catalog"]["p95_ms"]
    check(
        p95 is not None and p95 < COLD_CATALOG_P95_MS,
        f"cold catalog p95: {ms(p95)} ms (target < {COLD_CATALOG_P95_MS})",
    )
    runs = [*cold.values(), *(figures["one_connection"] for figures in cold.values()), *warm.values()]
    socket_errors = sum(figures["socket_errors"] for figures in runs)
    statuses = sum(figures["non_2xx_3xx"] for figures in runs)
    total = sum(figures["requests"] for figures in runs)
    # A run in which no request finished (every worker restarting at once) has no errors, and is one.
    stalled = sum(figures["requests"] == 0 for figures in runs)
    check(
        socket_errors == statuses == stalled == 0,
        f"zero errors under wrk: {socket_errors} socket errors, {statuses} responses ≥ 400 "
        f"in {total} requests; {stalled} runs without a single answer",
    )
    if mixed:
        failed = [name for name, passed in mixed["checks"].items() if not passed]
        check(
            not failed,
            "mixed run: " + ("every check passed" if not failed else "failed " + "; ".join(failed)),
        )
    return results


def print_tables(report):
    meta = report["machine"]
    size = (
        f"{report['projects']} generated projects"
        if report["projects"] is not None
        else f"the kept database {report['reused_database']}"
    )
    print(
        f"Load benchmark: {size} ({report['live_projects']} live projects, {report['pages']} live pages); "
        f"PostgreSQL {meta['postgresql']}, Redis {meta['redis']}, Python {meta['python']}; "
        f"code {report['code']}"
    )
    print(
        f"Machine: {meta['cpus']} CPUs; load average (1, 5, 15 min) {fmt_load(meta['load_at_start'])} at the "
        f"start, {fmt_load(meta['load_before'])} before measuring, {fmt_load(meta['load_after'])} after"
    )
    server = report["server"]
    recycling = "as gunicorn.conf.py sets it" if server["max_requests"] is None else server["max_requests"]
    print(
        f"gunicorn: {server['workers']} sync workers × {server['threads']} thread "
        f"({server['workers_source']}), max_requests {recycling}; "
        f"wrk -t{server['wrk_threads']} -c{server['wrk_connections']} -d{server['wrk_duration']}s "
        f"after {server['wrk_warmup']} s of warm-up"
    )
    if report.get("build"):
        build = report["build"]
        print(
            f"Database built in {build['migrate_seconds'] + build['load_demo_seconds']:.0f} s (migrate "
            f"{build['migrate_seconds']:.0f} s, load_demo {build['load_demo_seconds']:.0f} s); "
            f"collectstatic {report['collectstatic_seconds']:.0f} s"
        )
    print()
    for name, path in report["urls"].items():
        print(f"  {name:8} {path}")
    print()
    groups = (
        ("cold", f"-c{server['wrk_connections']}"),
        ("cold", "-c1"),
        ("warm", f"-c{server['wrk_connections']}"),
    )
    print(
        f"{'':8}"
        + "".join(f"  {f'{state}, {connections}':<22}" for state, connections in groups)
        + "  1st render"
    )
    print(f"{'page':8}" + f"  {'rps':>6} {'p50':>7} {'p95':>7}" * len(groups) + f"  {'ms':>10}")
    cold, warm = report["cold"], report["warm"]
    recycled = 0
    for name in report["urls"]:
        runs = [cold.get(name), cold.get(name, {}).get("one_connection"), warm[name]]
        row = f"{name:8}"
        for figures in runs:
            if figures:
                row += f"  {figures['rps']:6.0f} {ms(figures['p50_ms'], 7)} {ms(figures['p95_ms'], 7)}"
                recycled += figures["worker_restarts"]
            else:
                row += f"  {'—':>6} {'':7} {'':7}"
        if "first_render_ms" in warm[name]:
            row += f"  {warm[name]['first_render_ms']:10.1f}"
        print(row)
    print(
        "Latencies in ms. cold: page cache off; warm: page cache on and primed; 1st render: median of single "
        "requests\njust after the cache was emptied. "
        f"gunicorn recycled {recycled} workers (max_requests) during the timed runs."
    )
    mixed = report.get("mixed")
    if mixed:
        print()
        print(
            f"Mixed: {mixed['requests']} requests in {mixed['wall_seconds']:.1f} s = {mixed['rps']:.0f} rps, "
            f"{report['mixed_clients']} clients"
        )
        print(f"  {'kind':5} {'requests':>8} {'rps':>6} {'p50 ms':>7} {'p95 ms':>7}")
        for kind, figures in mixed["kinds"].items():
            print(
                f"  {kind:5} {figures['requests']:8} {figures['rps']:6.0f} {ms(figures['p50_ms'], 7)} "
                f"{ms(figures['p95_ms'], 7)}"
            )
        outcomes = ", ".join(
            f"{name or 'none'} {count}" for name, count in sorted(mixed["get_page_cache"].items())
        )
        print(f"  GETs by X-Page-Cache: {outcomes}")
        print(
            f"  POSTs: {mixed['posts']} sent, {mixed['posts_accepted']} accepted (302), "
            f"{mixed['posts_refused']} refused; in the database: "
            + ", ".join(f"{status} {count}" for status, count in sorted(mixed["registrations"].items()))
        )
        for name, passed in mixed["checks"].items():
            print(f"  {'PASS' if passed else 'FAIL'}  {name}")
    if report.get("profile"):
        print_profile(report["profile"])
    print()
    print("Targets:")
    for result in report["targets"]:
        print(f"  {'PASS' if result['passed'] else 'FAIL'}  {result['target']}")


def print_profile(profiles):
    for path, found in profiles.items():
        print()
        print(
            f"Profile of {path}: median {found['median_ms']:.1f} ms a render in one process, "
            f"{found['queries']} SQL queries taking {found['sql_ms']:.1f} ms"
        )
        print("  slowest queries:")
        for took, sql in found["slowest_queries"]:
            print(f"    {took:6.1f} ms  {shorten(sql, 150)}")
        print("  repeated queries:")
        for count, shape in found["repeated_queries"]:
            print(f"    {count:3}×  {shorten(shape, 150)}")
        for title, key in (
            ("own time", "by_own_time"),
            ("the site's code, total time", "own_code_by_total_time"),
        ):
            print(f"  by {title} (ms a render, calls a render):")
            for file, line, function, calls, own, total in found[key]:
                renders = found["renders"]
                print(
                    f"    own {own * 1000 / renders:6.1f}  total {total * 1000 / renders:6.1f}  "
                    f"{calls / renders:7.0f}×  {shorten(f'{file}:{line} {function}', 80)}"
                )


def fmt_load(values):
    return " ".join(f"{value:.2f}" for value in values)


def shorten(text, width):
    return text if len(text) <= width else text[: width - 1] + "…"


def code_version():
    """The commit measured, and whether the working tree differed from it."""

    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no")
    return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes" if changed else "")


def server_versions(scratch, cache):
    with psycopg.connect(scratch.database_url) as connection:
        postgresql = connection.execute("SHOW server_version").fetchone()[0]
    return postgresql, cache.client.info("server")["redis_version"]


def main():
    args = parse_args()
    load_at_start = load_average()
    log(f"Load average: {fmt_load(load_at_start)} ({os.cpu_count()} CPUs)")
    scratch = Scratch(args.skip_build or f"bench_load_{secrets.token_hex(4)}", args.database_server)
    cache = Cache(args.redis)
    report = {"projects": args.projects, "mixed_clients": args.clients, "code": code_version()}
    try:
        if args.skip_build:
            log(f"Reusing the database {scratch.name}; migrating it to the code's models")
            scratch.folder.mkdir(exist_ok=True)
            manage(base_env(scratch, "cms.settings.dev"), "migrate", "--noinput")
            report.update(projects=None, reused_database=scratch.name)
        else:
            log(f"Building {scratch.name}: migrate, then load_demo --projects {args.projects}")
            scratch.create()
            report["build"] = build(scratch, args.projects)
        env = base_env(scratch, "cms.settings.production")
        _, report["collectstatic_seconds"] = timed(
            manage, env, "collectstatic", "--noinput", "--verbosity", "0"
        )
        found = prepare(scratch, args.capacity)
        report.update(live_projects=found["live_projects"], pages=found["pages"])
        pages = {
            "home": "/",
            "catalog": CATALOG_URL,
            "project": found["project"],
            "event": found["event"],
        }
        with Server(scratch, cache, "probe", workers=1) as probe:
            home = get(probe.host, "/")
            check_ok(home, "/", probe)
            static = STYLESHEET.search(home.body.decode())
            if static is None:
                raise SystemExit("no /static/css/site.<hash>.css in the home page")
        report["urls"] = {**pages, "static": static.group(0)}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
            script_file.write(WRK_SCRIPT)
        script = script_file.name
        load_before = load_average()
        log(f"Load average before measuring: {fmt_load(load_before)}")
        try:
            report["cold"] = run_cold(scratch, cache, pages, args, script)
            report["warm"] = run_warm(scratch, cache, pages, static.group(0), args, script)
        finally:
            os.unlink(script)
        report["mixed"] = run_mixed(scratch, cache, pages, found, args) if args.registrations else None
        if args.profile:
            report["profile"] = profile(scratch, cache, pages)
        postgresql, redis_version = server_versions(scratch, cache)
        workers = args.workers or default_workers()
        report["server"] = {
            "workers": workers,
            "workers_source": "--workers"
            if args.workers
            else f"gunicorn.conf.py: 2 × {os.cpu_count()} cores + 1",
            "threads": 1,
            "max_requests": args.max_requests,
            "wrk_threads": args.threads,
            "wrk_connections": args.connections,
            "wrk_duration": args.duration,
            "wrk_warmup": args.warmup,
        }
        report["machine"] = {
            "cpus": os.cpu_count(),
            "load_at_start": load_at_start,
            "load_before": load_before,
            "load_after": load_average(),
            "python": platform.python_version(),
            "postgresql": postgresql,
            "redis": redis_version,
        }
        report["targets"] = targets(report["cold"], report["warm"], report["mixed"])
    finally:
        cleared = cache.clear()
        log(f"Removed {cleared} keys of this run from Redis")
        if args.keep or args.skip_build:
            log(
                f"Kept: database {scratch.name}, files in {scratch.folder}; "
                f"reuse with --skip-build {scratch.name}"
            )
        else:
            scratch.drop()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_tables(report)


if __name__ == "__main__":
    main()
