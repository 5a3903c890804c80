"""`manage.py run_worker`: the process that does the site's background work, beside the web server.

It runs the tasks on the queue (django-tasks-db's worker: emails, search and reference index updates, CDN
purges, Wagtail's own tasks) and, every --sweep-interval seconds, sweeps the outbox (home/outbox/): it
sends the emails whose retry delay has passed or whose task never reached the queue, gives up the claims
of a worker that died mid-send, and forgets old records; then it runs what other apps register under the
`worker_sweep` hook (search forgets its old counts). Takes db_worker's options.

When the database goes away it waits for it to come back, instead of exiting as db_worker does.
"""

import logging
import os
import threading
import time

from django.db import close_old_connections, connections
from django.db.utils import InterfaceError, OperationalError
from django.utils import autoreload
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from wagtail import hooks

from home.database import DatabaseBusy, database_answers
from home.outbox import deliver_due
from home.outbox.delivery import prune

logger = logging.getLogger(__name__)


def sweep():
    """One sweep of the outbox, then of what other apps register under the `worker_sweep` hook (a
    function without arguments: search forgets old counts); never raises (the next sweep tries again)."""
    try:
        sent = deliver_due()
        prune()
        if sent["sent"] or sent["waiting"]:
            logger.info("Outbox sweep: %s sent, %s still waiting", sent["sent"], sent["waiting"])
    except Exception as error:
        logger.warning("Outbox sweep failed: %s", type(error).__name__)
    try:
        for task in hooks.get_hooks("worker_sweep"):
            try:
                task()
            except Exception as error:
                logger.warning("Sweep %s.%s failed: %s", task.__module__, task.__name__, type(error).__name__)
    finally:
        close_old_connections()


def wait_for_database(pause):
    """Ask every `pause` seconds until the database answers (on SQLite: until its lock is free)."""
    while True:
        connections.close_all()
        try:
            if database_answers():
                return
        except (OperationalError, InterfaceError, DatabaseBusy):
            pass
        time.sleep(pause)


def sweep_every(seconds, stop):
    while not stop.wait(seconds):
        sweep()


class Command(DatabaseWorkerCommand):
    help = (
        "バックグラウンド処理(メール送信、検索インデックスの更新、CDNの削除依頼など)を実行するワーカーです。"
        "Webサーバーと並べて常に動かしてください。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=30.0,
            help="送信待ちメールの見回り間隔(秒)。",
        )

    def handle(self, *args, sweep_interval, **options):
        # Under the autoreloader, only the child process that runs tasks sweeps.
        if not options.get("reload") or os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":
            sweep()
            if not options.get("batch"):
                stop = threading.Event()
                threading.Thread(
                    target=sweep_every, args=(sweep_interval, stop), name="outbox-sweep", daemon=True
                ).start()
        while True:
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                if options.get("batch"):
                    raise  # a batch run is asked to finish what is queued, not to outlast an outage
                # db_worker waits out a locked SQLite file but exits on any other database error, so an
                # outage would end the worker (and a supervisor restarting it soon gives up). One line per
                # outage; a signal meanwhile still stops the process (db_worker's handler exits).
                logger.warning("Database unavailable, the worker waits for it: %s", type(error).__name__)
                wait_for_database(options["interval"])
                logger.warning("Database back, the worker resumes")
