"""This site against Wagtail's reference site, bakerydemo, with the same server settings, in one run.

Run from the repository root: `.venv/bin/python benchmarks/peers.py --bakerydemo PATH` (see
benchmarks/README.md). PATH is a checkout of https://github.com/wagtail/bakerydemo that you made yourself: its
code is never copied into this repository. The script keeps everything it builds in --workdir and reuses it on
the next run:

- this site: a scratch SQLite database with `migrate` and `load_demo --projects N`, its media and the
  collected static files;
- bakerydemo: a virtualenv installed from the checkout's requirements (with gunicorn, whitenoise and redis),
  a settings module that imports the checkout's production settings and points them at the workdir, and a
  scratch SQLite database filled by bakerydemo's own `load_initial_data`.

Both sites then run under gunicorn with this repository's gunicorn.conf.py (5 sync workers by default), DEBUG
off, HTTPS off on loopback, both caching in the same Redis under their own key prefixes, and wrk measures
each pair of pages with the same connections, threads and duration: this site rendering every request (page
cache off), bakerydemo (which has no page cache), and this site's page-cache hits against its stylesheet
served by whitenoise.
"""

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from load import (
    CATALOG_URL,
    DEFAULT_REDIS,
    EVENT_SLUG,
    PROJECT_SLUG,
    ROOT,
    STYLESHEET,
    WRK_SCRIPT,
    Cache,
    Server,
    base_env,
    build,
    check_ok,
    code_version,
    fmt_load,
    free_port,
    get,
    load_average,
    log,
    manage,
    measure,
    ms,
    timed,
)

# The pairs of issue 22: our page, and the bakerydemo page it is compared with.
PAIRS = {
    "home": ("home", "home"),
    "catalog": ("catalog with two filters", "/breads/"),
    "project": ("project page", "a bread page"),
    "search": ("search 猫", "search bread"),
    "event": ("event page", "a blog page"),
    "organization": ("organization page", "a location page"),
}
SEARCH_OURS = "/search/?q=" + urllib.parse.quote("猫")
SEARCH_PEER = "/search/?q=bread"

# Targets of issue 22.
RENDER_RATIO = 1.5
HIT_TO_STATIC = 0.8
HIT_P95_MS = 25
RENDER_P95_MS = 150

# Run in our scratch database through `manage.py shell`: where the measured pages are.
FIND_OURS = """
import json
from projects.models import EventPage, OrganizationPage, ProjectPage

project = ProjectPage.objects.live().get(slug={project!r})
organization = OrganizationPage.objects.live().filter(pk=project.organization_id).first()
print(json.dumps({{
    "project": project.url,
    "event": EventPage.objects.live().get(slug={event!r}).url,
    "organization": (organization or OrganizationPage.objects.live().order_by("path").first()).url,
    "live_projects": ProjectPage.objects.live().count(),
}}))
"""

# The same in bakerydemo's database, by content type so that it needs none of bakerydemo's imports.
FIND_PEER = """
import json
import django, wagtail
from wagtail.models import Page

def first(model):
    page = Page.objects.live().filter(content_type__model=model).order_by("path").first()
    return page.url if page else None

print(json.dumps({
    "project": first("breadpage"),
    "event": first("blogpage"),
    "organization": first("locationpage"),
    "pages": Page.objects.live().count(),
    "wagtail": wagtail.__version__,
    "django": django.__version__,
}))
"""

# bakerydemo's production settings, pointed at the workdir and at the same server conditions as ours.
PEER_SETTINGS = '''"""Written by benchmarks/peers.py: bakerydemo's production settings, on loopback."""

import os

from bakerydemo.settings.production import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["PEER_DATABASE"],
        "CONN_MAX_AGE": 60,  # as this site's production settings
    }
}
MEDIA_ROOT = os.environ["PEER_MEDIA_ROOT"]
STATIC_ROOT = os.environ["PEER_STATIC_ROOT"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["PEER_REDIS_URL"],
        "KEY_PREFIX": os.environ["PEER_CACHE_PREFIX"],
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
'''

# What the bakerydemo virtualenv needs beyond the checkout's requirements: the same app server as ours,
# whitenoise (its production settings serve static files with it) and the Redis client.
PEER_EXTRAS = ["gunicorn", "whitenoise", "redis"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bakerydemo", type=Path, help="a checkout of github.com/wagtail/bakerydemo")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bench_peers",
        help="where the databases, media, static files and bakerydemo's virtualenv are kept and reused "
        "(default: <tmp>/bench_peers)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild both databases from scratch")
    parser.add_argument("--projects", type=int, default=1000, help="generated projects (default 1000)")
    parser.add_argument(
        "--pages", default=",".join(PAIRS), help=f"comma-separated subset of: {', '.join(PAIRS)}"
    )
    parser.add_argument(
        "--peer-wagtail",
        metavar="VERSION",
        help="install this Wagtail in bakerydemo's virtualenv instead of the one its requirements name",
    )
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (default 5)")
    parser.add_argument(
        "--max-requests",
        type=int,
        help="recycle a gunicorn worker after this many requests; 0 never (default: gunicorn.conf.py's)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=10, help="wrk connections (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each run, not counted")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help=f"default {DEFAULT_REDIS}")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    args = parser.parse_args()
    args.pages = [name.strip() for name in args.pages.split(",") if name.strip()]
    unknown = set(args.pages) - set(PAIRS)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if args.bakerydemo and not (args.bakerydemo / "bakerydemo" / "settings").is_dir():
        parser.error(f"{args.bakerydemo} is not a bakerydemo checkout (no bakerydemo/settings/)")
    return args


@dataclass
class SqliteScratch:
    """This site's scratch SQLite database and folder, in the shape load.Server and load.base_env expect."""

    folder: Path

    @property
    def name(self):
        return self.folder.name

    @property
    def database(self):
        return self.folder / "db.sqlite3"

    @property
    def database_url(self):
        return f"sqlite:///{self.database}"


def prepare_ours(scratch, args):
    """Build the database once (or again with --rebuild), migrate a kept one, collect static files."""
    report = {}
    if args.rebuild and scratch.folder.exists():
        shutil.rmtree(scratch.folder)
    if scratch.database.exists():
        log(f"This site: reusing {scratch.database}; migrating it to the code's models")
        scratch.folder.mkdir(exist_ok=True)
        manage(base_env(scratch, "cms.settings.dev"), "migrate", "--noinput")
        report["reused_database"] = str(scratch.database)
    else:
        log(f"This site: building {scratch.database}: migrate, then load_demo --projects {args.projects}")
        scratch.folder.mkdir(parents=True)
        report["build"] = build(scratch, args.projects)
    _, report["collectstatic_seconds"] = timed(
        manage, base_env(scratch, "cms.settings.production"), "collectstatic", "--noinput", "--verbosity", "0"
    )
    code = FIND_OURS.format(project=PROJECT_SLUG, event=EVENT_SLUG)
    output = manage(base_env(scratch, "cms.settings.dev"), "shell", "-c", code)
    found = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    report["live_projects"] = found.pop("live_projects")
    report["urls"] = {
        "home": "/",
        "catalog": CATALOG_URL,
        "project": found["project"],
        "search": SEARCH_OURS,
        "event": found["event"],
        "organization": found["organization"],
    }
    return report


class Peer:
    """bakerydemo, run from the user's checkout with everything it writes kept under the workdir."""

    def __init__(self, checkout, folder, redis_url):
        self.checkout = checkout.resolve()
        self.folder = folder
        self.venv = folder / "venv"
        self.python = self.venv / "bin" / "python"
        self.database = folder / "db.sqlite3"
        self.cache = Cache(redis_url)

    def env(self, **extra):
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PEER_"))}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="peer_settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            PYTHONPATH=os.pathsep.join([str(self.folder), str(self.checkout)]),
            PEER_DATABASE=str(self.database),
            PEER_MEDIA_ROOT=str(self.folder / "media"),
            PEER_STATIC_ROOT=str(self.folder / "static"),
            PEER_REDIS_URL=self.cache.url,
            PEER_CACHE_PREFIX=self.cache.prefix,
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def manage(self, *args):
        completed = subprocess.run(
            [str(self.python), "manage.py", *args],
            cwd=self.checkout,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise SystemExit(
                f"bakerydemo: manage.py {args[0]} failed:\n{completed.stdout}\n{completed.stderr}"
            )
        return completed.stdout

    def requirements(self):
        for name in ("requirements/base.txt", "requirements.txt"):
            if (self.checkout / name).exists():
                return self.checkout / name
        raise SystemExit(f"no requirements/base.txt or requirements.txt in {self.checkout}")

    def install(self, wagtail_version):
        """A virtualenv from the checkout's requirements, reinstalled only when they change."""
        requirements = self.requirements()
        wanted = [
            f"-r {requirements}",
            *PEER_EXTRAS,
            f"wagtail=={wagtail_version}" if wagtail_version else "",
        ]
        stamp = hashlib.sha256((requirements.read_text() + "\n".join(wanted)).encode()).hexdigest()
        marker = self.venv / "peers-installed"
        if marker.exists() and marker.read_text() == stamp:
            return
        log(f"bakerydemo: installing {requirements} into {self.venv}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(self.venv)], check=True)
        pip = [str(self.python), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-r", str(requirements), *PEER_EXTRAS], check=True)
        if wagtail_version:
            subprocess.run([*pip, f"wagtail=={wagtail_version}"], check=True)
        marker.write_text(stamp)

    def prepare(self, args):
        report = {}
        self.folder.mkdir(parents=True, exist_ok=True)
        self.install(args.peer_wagtail)
        (self.folder / "peer_settings.py").write_text(PEER_SETTINGS)
        if args.rebuild:
            self.database.unlink(missing_ok=True)
            shutil.rmtree(self.folder / "media", ignore_errors=True)
        if self.database.exists():
            log(f"bakerydemo: reusing {self.database}")
            self.manage("migrate", "--noinput")
        else:
            log(f"bakerydemo: building {self.database}: migrate, then load_initial_data")
            _, seconds = timed(self.manage, "migrate", "--noinput")
            _, more = timed(self.manage, "load_initial_data")
            report["build_seconds"] = seconds + more
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        output = self.manage("shell", "-c", FIND_PEER)
        found = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
        missing = [name for name in ("project", "event", "organization") if not found[name]]
        if missing:
            raise SystemExit(
                f"bakerydemo: no live page for {', '.join(missing)}; is its demo content loaded?"
            )
        report.update(
            pages=found["pages"],
            wagtail=found["wagtail"],
            django=found["django"],
            commit=self.commit(),
            urls={
                "home": "/",
                "catalog": "/breads/",
                "project": found["project"],
                "search": SEARCH_PEER,
                "event": found["event"],
                "organization": found["organization"],
            },
        )
        return report

    def commit(self):
        completed = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=self.checkout, capture_output=True, text=True
        )
        return (
            completed.stdout.strip()
            if completed.returncode == 0
            else f"at {self.checkout} (not a git checkout)"
        )


class PeerServer(Server):
    """bakerydemo under gunicorn with this repository's gunicorn.conf.py: the same server settings as ours."""

    health_path = "/"

    def __init__(self, peer, label, workers, max_requests=None):
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.label = label
        self.workers = workers
        self.log_path = peer.folder / f"gunicorn-{label}.log"
        self.log_file = self.log_path.open("w")
        env = peer.env(WEB_CONCURRENCY=str(workers), GUNICORN_BIND=self.host, GUNICORN_LOG_LEVEL="info")
        self.process = subprocess.Popen(
            [str(peer.venv / "bin" / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py")]
            + ([] if max_requests is None else ["--max-requests", str(max_requests)])
            + ["bakerydemo.wsgi:application"],
            cwd=peer.checkout,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()


def run_rendering(runs, args, script):
    """Every page in every worker of each server first; then wrk on each pair of pages, one site right after
    the other, so that a change in what else the machine runs weighs on both sides of a ratio alike.

    runs: {side: (server, {name: path})}; returns {side: {name: figures}}.
    """
    for server, urls in runs.values():
        server.warm_up(urls.values())
        for path in urls.values():
            check_ok(get(server.host, path), path, server)
    results = {side: {} for side in runs}
    names = next(iter(runs.values()))[1]
    for name in names:
        for side, (server, urls) in runs.items():
            results[side][name] = measure(server, urls[name], args, script)
    return results


def run_hits(server, urls, static, args, script):
    """Page cache on: the stylesheet, then each page primed (a miss, then a hit) and measured, then the
    stylesheet again; the ratios use the mean of its two runs, since the load may change in between."""
    server.warm_up(urls.values())
    check_ok(get(server.host, static), static, server)
    before = measure(server, static, args, script)
    results = {}
    for name, path in urls.items():
        outcomes = [get(server.host, path).headers.get("X-Page-Cache") for _ in range(2)]
        if outcomes[-1] != "hit":
            log(f"    {path}: X-Page-Cache {outcomes}, not a hit: no hit figure for {name}")
            results[name] = None
            continue
        results[name] = measure(server, path, args, script)
    after = measure(server, static, args, script)
    results["static"] = {
        **after,
        "rps": (before["rps"] + after["rps"]) / 2,
        "p95_ms": max(before["p95_ms"] or 0, after["p95_ms"] or 0) or None,
        "requests": before["requests"] + after["requests"],
        "errors": before["errors"] + after["errors"],
        "worker_restarts": before["worker_restarts"] + after["worker_restarts"],
        "runs_rps": [before["rps"], after["rps"]],
    }
    return results


def targets(report):
    """Issue 22's targets: [{"passed": bool, "target": what was compared}]."""
    results = []

    def check(passed, description):
        results.append({"passed": bool(passed), "target": description})

    ours, peer, hits = report["rendering"], report.get("peer_rendering"), report["hits"]
    for name in report["pages"]:
        if peer:
            ratio = quotient(ours[name], peer[name])
            check(
                ratio is not None and ratio >= RENDER_RATIO,
                f"rendering {name} vs bakerydemo's {PAIRS[name][1]}: {fmt_ratio(ratio)}× "
                f"(target ≥ {RENDER_RATIO})",
            )
        p95 = ours[name]["p95_ms"]
        check(
            p95 is not None and p95 < RENDER_P95_MS,
            f"rendering {name} p95: {ms(p95)} ms (target < {RENDER_P95_MS})",
        )
        if hits.get(name):
            ratio = quotient(hits[name], hits["static"])
            check(
                ratio is not None and ratio >= HIT_TO_STATIC,
                f"hit {name}: {fmt_ratio(ratio)}× the static file (target ≥ {HIT_TO_STATIC})",
            )
            p95 = hits[name]["p95_ms"]
            check(
                p95 is not None and p95 < HIT_P95_MS, f"hit {name} p95: {ms(p95)} ms (target < {HIT_P95_MS})"
            )
    runs = [*ours.values(), *(peer or {}).values(), *(run for run in hits.values() if run)]
    errors = sum(run["errors"] for run in runs)
    check(errors == 0, f"zero errors under wrk: {errors} in {sum(run['requests'] for run in runs)} requests")
    return results


def quotient(run, reference):
    """run's requests per second over reference's; None without both figures (a run in which no request
    finished has none)."""
    if not run or not reference or not run["requests"] or not reference["requests"]:
        return None
    return run["rps"] / reference["rps"]


def fmt_ratio(value):
    return "–" if value is None else f"{value:.2f}"


def rps(run):
    return f"{run['rps']:,.0f}" if run else "–"


def p95(run):
    return ms(run["p95_ms"]) if run else "–"


def print_tables(report):
    server = report["server"]
    peer = report.get("peer")
    print(
        f"Peer benchmark: this site at {report['code']} ({report['ours']['live_projects']} live projects); "
        + (
            f"bakerydemo {peer['commit']} (Wagtail {peer['wagtail']}, Django {peer['django']}, "
            f"{peer['pages']} live pages)"
            if peer
            else "no bakerydemo (--bakerydemo not given)"
        )
    )
    recycling = "as gunicorn.conf.py sets it" if server["max_requests"] is None else server["max_requests"]
    runs = [*report["rendering"].values(), *(report.get("peer_rendering") or {}).values()]
    recycled = sum(
        run["worker_restarts"] for run in [*runs, *(run for run in report["hits"].values() if run)]
    )
    print(
        f"SQLite, production settings, gunicorn {server['workers']} sync workers (gunicorn.conf.py, "
        f"max_requests {recycling}; {recycled} workers recycled during the timed runs), Redis cache; "
        f"wrk -t{server['wrk_threads']} -c{server['wrk_connections']} -d{server['wrk_duration']}s "
        f"after {server['wrk_warmup']} s of warm-up"
    )
    machine = report["machine"]
    print(
        f"Load average (1, 5, 15 min): {fmt_load(machine['load_at_start'])} at the start, "
        f"{fmt_load(machine['load_before'])} before measuring, {fmt_load(machine['load_after'])} after "
        f"({machine['cpus']} CPUs)"
    )
    print()
    print(
        "| page | this site, rendering | p95 ms | bakerydemo, rendering | p95 ms | ratio "
        "| this site, page-cache hit | p95 ms | hit ÷ static file |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ours, theirs, hits = report["rendering"], report.get("peer_rendering") or {}, report["hits"]
    for name in report["pages"]:
        label = PAIRS[name][0] if not peer else f"{PAIRS[name][0]} / {PAIRS[name][1]}"
        mine, other, hit = ours[name], theirs.get(name), hits.get(name)
        ratio = fmt_ratio(quotient(mine, other))
        to_static = fmt_ratio(quotient(hit, hits["static"]))
        print(
            f"| {label} | {rps(mine)} | {p95(mine)} | {rps(other)} | {p95(other)} | {ratio} "
            f"| {rps(hit)} | {p95(hit)} | {to_static} |"
        )
    before, after = hits["static"]["runs_rps"]
    print(
        f"| stylesheet (whitenoise), mean of {before:,.0f} before and {after:,.0f} after the pages "
        f"| | | | | | {rps(hits['static'])} | {p95(hits['static'])} | 1.00 |"
    )
    print()
    print("Requests per second. Pages:")
    for name in report["pages"]:
        other = f"  vs  {peer['urls'][name]}" if peer else ""
        print(f"  {name:13} {report['ours']['urls'][name]}{other}")
    print(f"  {'stylesheet':13} {report['static']}")
    print()
    print("Targets:")
    for result in report["targets"]:
        print(f"  {'PASS' if result['passed'] else 'FAIL'}  {result['target']}")


def main():
    args = parse_args()
    load_at_start = load_average()
    log(f"Load average: {fmt_load(load_at_start)} ({os.cpu_count()} CPUs)")
    args.workdir.mkdir(parents=True, exist_ok=True)
    scratch = SqliteScratch(args.workdir / "site")
    cache = Cache(args.redis)
    report = {"code": code_version(), "pages": args.pages}
    report["ours"] = prepare_ours(scratch, args)
    urls = {name: report["ours"]["urls"][name] for name in args.pages}
    peer = None
    if args.bakerydemo:
        peer = Peer(args.bakerydemo, args.workdir / "bakerydemo", args.redis)
        report["peer"] = peer.prepare(args)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
        script_file.write(WRK_SCRIPT)
    script = script_file.name
    report["load_before"] = load_average()
    log(f"Load average before measuring: {fmt_load(report['load_before'])}")
    try:
        log(
            "Rendering: this site with the page cache off (PAGE_CACHE=off)"
            + (", and bakerydemo" if peer else "")
        )
        with contextlib.ExitStack() as servers:
            ours = servers.enter_context(
                Server(scratch, cache, "rendering", args.workers, args.max_requests, PAGE_CACHE="off")
            )
            home = get(ours.host, "/")
            check_ok(home, "/", ours)
            static = STYLESHEET.search(home.body.decode())
            if static is None:
                raise SystemExit("no /static/css/site.<hash>.css in the home page")
            report["static"] = static.group(0)
            runs = {"rendering": (ours, urls)}
            if peer:
                theirs = servers.enter_context(PeerServer(peer, "rendering", args.workers, args.max_requests))
                runs["peer_rendering"] = (theirs, {name: report["peer"]["urls"][name] for name in args.pages})
            report.update(run_rendering(runs, args, script))
        log("This site, page-cache hits, and the stylesheet")
        with Server(scratch, cache, "hits", args.workers, args.max_requests) as server:
            report["hits"] = run_hits(server, urls, report["static"], args, script)
    finally:
        os.unlink(script)
        cache.clear()
        if peer:
            peer.cache.clear()
    report["server"] = {
        "workers": args.workers,
        "max_requests": args.max_requests,
        "wrk_threads": args.threads,
        "wrk_connections": args.connections,
        "wrk_duration": args.duration,
        "wrk_warmup": args.warmup,
    }
    report["machine"] = {
        "cpus": os.cpu_count(),
        "load_at_start": load_at_start,
        "load_before": report.pop("load_before"),
        "load_after": load_average(),
    }
    report["targets"] = targets(report)
    log(f"Kept for the next run: {args.workdir} (--rebuild to start again)")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_tables(report)


if __name__ == "__main__":
    main()
