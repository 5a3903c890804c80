"""Faults under load: how fast the site answers while the mail server hangs, how many emails each
registration gets once it answers again, and how much the site logs while Redis is down.

Run from the repository root: `.venv/bin/python benchmarks/faults.py` (see benchmarks/README.md and the
"Fault suite" section of docs/operations.md). It starts the site the way the fault suite does
(tests/faults/harness.py): gunicorn with the production settings and the background worker, on a scratch
database (PostgreSQL by default, `--sqlite` for a file), a private redis-server and an SMTP server in this
process. Then:

1. with a working mail server, then with one that accepts connections and never answers, `--clients`
   concurrent clients each do `--rounds` times: open the event page, post its registration form, open an
   unrelated page (an article). It prints the p95 of the registration POST and of the article GET in both
   runs and their ratio (goal: within 1.5×);
2. the mail server answers again: once no email is pending, the emails delivered per registration of the
   hung run (goal: exactly 1 each);
3. Redis stopped: the same load, and the bytes the app server logged per request (goal: under 1 KB).
"""

import argparse
import collections
import concurrent.futures
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults.harness import (  # noqa: E402 (the repository root is on the path only now)
    PostgresDatabase,
    RedisServer,
    SiteProcesses,
    SMTPSink,
    SQLiteDatabase,
    create_postgres_database,
    wait_until,
)

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
GOAL_RATIO, GOAL_LOG_BYTES = 1.5, 1024


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients (default 10)")
    parser.add_argument("--rounds", type=int, default=10, help="registrations a client per run (default 10)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--database-server", default=DEFAULT_SERVER, help=f"default {DEFAULT_SERVER}")
    parser.add_argument("--sqlite", action="store_true", help="an SQLite file instead of PostgreSQL")
    return parser.parse_args()


def log(message):
    print(message, file=sys.stderr, flush=True)


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def build(args, workdir):
    if args.sqlite:
        database = SQLiteDatabase(workdir / "db.sqlite3", busy_timeout=None)
    else:
        name = f"faults_bench_{uuid.uuid4().hex[:10]}"
        create_postgres_database(f"{args.database_server}/postgres", name)
        database = PostgresDatabase(f"{args.database_server}/{name}")
    site = SiteProcesses(
        workdir,
        database,
        SMTPSink(),
        RedisServer(workdir),
        # The clients all come from 127.0.0.1: the per-address limit would refuse most of them.
        extra_env={"REGISTRATION_RATE_LIMIT": ""},
        web_concurrency=args.workers,
    )
    started = time.monotonic()
    log("migrating the scratch database")
    site.manage("migrate", "--noinput", "--verbosity", "0", timeout=900)
    content = site.prepare()
    site.redis.start()
    site.start_server()
    site.start_worker()
    log(f"site ready in {time.monotonic() - started:.0f} s at {site.base_url}")
    return site, content


def load(site, content, clients, rounds, label):
    """Each client registers `rounds` times, opening the event page before and an article after."""
    post_ms, get_ms, statuses, emails = [], [], collections.Counter(), []

    def client(index):
        visitor = site.visitor(timeout=120)
        for round_ in range(rounds):
            email = f"{label}-{index}-{round_}-{uuid.uuid4().hex[:6]}@example.jp"
            token = visitor.csrf_token(content["event"])
            started = time.perf_counter()
            registered = visitor.register(content["event"], email, token)
            post_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            page = visitor.get(content["article"])
            get_ms.append((time.perf_counter() - started) * 1000)
            statuses[f"POST {registered.status}"] += 1
            statuses[f"GET {page.status}"] += 1
            if registered.status == 302:
                emails.append(email)

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client, index) for index in range(clients)]:
            future.result()
    return {
        "post_p95": p95(post_ms),
        "get_p95": p95(get_ms),
        "statuses": dict(statuses),
        "emails": emails,
        "requests": 3 * clients * rounds,
    }


def outbox_settled(site):
    [(waiting,)] = site.sql("SELECT count(*) FROM home_outgoingemail WHERE status IN ('pending', 'sending')")
    return waiting == 0


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    site = None
    try:
        site, content = build(args, workdir)
        load(site, content, 2, 2, "warmup")

        log(f"working mail server: {args.clients} clients × {args.rounds} registrations")
        working = load(site, content, args.clients, args.rounds, "working")
        site.sink.set_blackhole(True)
        log("mail server that never answers: the same load")
        connections = site.sink.connections
        hung = load(site, content, args.clients, args.rounds, "hung")
        hung_connections = site.sink.connections - connections
        site.sink.set_blackhole(False)
        log("mail server answering again: waiting for every email")
        wait_until(lambda: all(site.sink.sent_to(email) for email in hung["emails"]), 900, "every email")
        wait_until(lambda: outbox_settled(site), 300, "the outbox to settle")
        delivered = collections.Counter(len(site.sink.sent_to(email)) for email in hung["emails"])

        log("Redis stopped: the same load")
        log_before = site.server_log.stat().st_size
        site.redis.stop()
        try:
            outage = load(site, content, args.clients, args.rounds, "redis")
            log_bytes = site.server_log.stat().st_size - log_before
        finally:
            site.redis.start()
    finally:
        if site is not None:
            site.stop()
            site.redis.stop()
            site.sink.close()
            site.database.drop()

    load_average = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"Fault benchmark: {args.clients} concurrent clients × {args.rounds} registrations a run, "
        f"{'SQLite' if args.sqlite else 'PostgreSQL'}, gunicorn workers: "
        f"{args.workers or 'gunicorn.conf.py default'}; {os.cpu_count()} CPUs, load average {load_average}"
    )
    print()
    print("| run | registration POST p95 | article GET p95 | statuses |")
    print("| --- | ---: | ---: | --- |")
    for name, run in (("mail server working", working), ("mail server never answers", hung)):
        print(f"| {name} | {run['post_p95']:.0f} ms | {run['get_p95']:.0f} ms | {run['statuses']} |")
    post_ratio, get_ratio = hung["post_p95"] / working["post_p95"], hung["get_p95"] / working["get_p95"]
    print(
        f"| ratio (goal ≤ {GOAL_RATIO}) | {post_ratio:.2f}× | {get_ratio:.2f}× | "
        f"{hung_connections} SMTP connection(s) opened during the hung run (the worker's, held) |"
    )
    print()
    exactly_once = delivered == collections.Counter({1: len(hung["emails"])})
    print(
        "Emails delivered per registration of the hung run, after recovery (goal: exactly 1): "
        + ", ".join(f"{count} email(s) for {people}" for count, people in sorted(delivered.items()))
        + (" — exactly once" if exactly_once else " — NOT exactly once")
    )
    print(
        f"Log during the Redis outage: {log_bytes} bytes for {outage['requests']} requests, "
        f"{log_bytes / outage['requests']:.0f} bytes a request (goal < {GOAL_LOG_BYTES}); "
        f"statuses {outage['statuses']}"
    )


if __name__ == "__main__":
    main()
