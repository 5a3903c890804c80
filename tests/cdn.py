"""A CDN on loopback: a real HTTP server that records the PURGE requests Wagtail's HTTPBackend sends it."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings

from home import frontend_cache


class PurgeLog(list):
    """The (host, path) of each PURGE the CDN answered; `answering` cleared holds its answers back."""

    answering = None


class _PurgeRecorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        # A test may hold the CDN's answers back, as a slow or hanging CDN would.
        self.server.answering.wait(30)
        self.server.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextmanager
def purge_recorder():
    """A CDN's purge endpoint on loopback, configured as the site's frontend cache; gives the requests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PurgeRecorder)
    server.purged = PurgeLog()
    server.answering = server.purged.answering = threading.Event()
    server.answering.set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    location = f"http://127.0.0.1:{server.server_address[1]}"
    backends = {
        "local": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    }
    try:
        with override_settings(WAGTAILFRONTENDCACHE=backends):
            assert frontend_cache.connect_signals()
            yield server.purged
    finally:
        server.answering.set()
        frontend_cache.disconnect_signals()
        server.shutdown()
        server.server_close()


def paths(purged):
    frontend_cache.wait_for_purges()
    assert {host for host, _path in purged} <= {"localhost"}, purged
    return {path for _host, path in purged}
