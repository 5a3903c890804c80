"""What the site's configured log handler writes, captured in a test: the `console` handler of LOGGING with
its filters (request id, redaction) and one of its formatters."""

import io
import json
import logging
import logging.config
from contextlib import contextmanager

from django.conf import settings


def configured_formatter(name):
    """The formatter LOGGING defines under `name`, built the way logging.config builds it."""
    return logging.config.DictConfigurator(settings.LOGGING).configure_formatter(
        dict(settings.LOGGING["formatters"][name])
    )


@contextmanager
def console_output(formatter_name=None, level=logging.DEBUG):
    """What the configured console handler writes at `level`, optionally in another of LOGGING's formats."""
    (handler,) = [handler for handler in logging.getLogger().handlers if handler.name == "console"]
    buffer = io.StringIO()
    old_stream = handler.setStream(buffer)
    old_formatter = handler.formatter
    if formatter_name:
        handler.setFormatter(configured_formatter(formatter_name))
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(level)
    try:
        yield buffer
    finally:
        root.setLevel(old_level)
        handler.setFormatter(old_formatter)
        handler.setStream(old_stream)


def json_lines(buffer):
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
