"""A CDN in front (WAGTAILFRONTENDCACHE) for tests: a real HTTP server on loopback (the `cdn` fixture)
that records the PURGE requests Wagtail's HTTPBackend sends it.
"""

from http.server import BaseHTTPRequestHandler

from home import frontend_cache


class PurgeLog(list):
    """The (host, path) of each PURGE the CDN answered; `answering` cleared holds its answers back."""

    answering = None


class PurgeRecorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        # A test may hold the CDN's answers back, as a slow or hanging CDN would.
        self.server.answering.wait(30)
        self.server.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def paths(purged):
    frontend_cache.wait_for_purges()
    assert {host for host, _path in purged} <= {"localhost"}, purged
    return {path for _host, path in purged}
