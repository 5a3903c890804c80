"""Loopback ports for tests that need a service to be down (a closed port) or one of their own."""

import socket


def closed_port():
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
