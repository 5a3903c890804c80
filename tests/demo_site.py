"""The demo site (load_demo) built once per test process, for the tests marked `demo`.

Those tests run on one xdist worker, one after another (conftest.py puts them in the xdist group "demo"),
inside one transaction that holds the demo, as Django's setUpTestData holds a class's data: each test's
own transaction rolls back what it writes, so the next one sees the demo as built. Before any test that is
not marked, the transaction is rolled back, so that test starts from the database as the migrations left
it. A demo test must not be transactional (transaction=True would flush the shared demo).

Django closes the connections after each TestCase class (and pytest-django after each test); on SQLite's
in-memory test database that does nothing, elsewhere it would end the transaction and lose the demo, so
while the demo is held the connection's close() does nothing, as on SQLite.
"""

from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction


class SharedDemo:
    def __init__(self):
        self._atomic = None
        self.output = None

    @property
    def is_built(self):
        return self._atomic is not None

    def build(self, django_db_blocker):
        """Load the demo into an open transaction, unless it is there already."""
        if self.is_built:
            return
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            # Marked like TestCase's own transactions, so that code opening a durable atomic block still may.
            atomic._from_testcase = True
            atomic.__enter__()
            try:
                out = StringIO()
                call_command("load_demo", stdout=out)
            except BaseException as error:
                atomic.__exit__(type(error), error, error.__traceback__)
                raise
        self._atomic, self.output = atomic, out.getvalue()
        connection.close = _keep_open

    def discard(self, django_db_blocker):
        """Roll the demo back, leaving the database as the migrations made it."""
        if not self.is_built:
            return
        atomic, self._atomic, self.output = self._atomic, None, None
        del connection.close
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _keep_open():
    """The connection's close() while the demo is held: the transaction that holds it stays open."""


SHARED_DEMO = SharedDemo()
