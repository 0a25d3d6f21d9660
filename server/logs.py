"""Logging for the whole process: structlog and the standard library (uvicorn,
piccolo, litestar, our modules) share one formatter, so every line carries the
request id bound for the current request. LOG_FORMAT=json gives JSON lines for
a log shipper; the default is key=value for a terminal."""

from __future__ import annotations

import logging
import sys

import structlog

LOG_FORMATS = ("console", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Loggers that install handlers of their own: theirs go, ours (on the root) stay.
_FOREIGN = ("uvicorn", "uvicorn.error", "uvicorn.asgi", "piccolo", "litestar", "asyncio")
# Replaced by our own access line (server/web/request_context.py), which has the user and duration.
_SILENCED = ("uvicorn.access",)
_FIRST_KEYS = ["timestamp", "level", "logger", "event", "request_id"]


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (so test capture sees it)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _console_renderer():
    key_value = structlog.processors.KeyValueRenderer(key_order=_FIRST_KEYS, drop_missing=True)

    def render(logger, name, event_dict):
        # A traceback is easier to read as itself under the line than as one quoted value.
        exception = event_dict.pop("exception", None)
        line = key_value(logger, name, event_dict)
        return f"{line}\n{exception}" if exception else line

    return render


def _drop_color_message(logger, name, event_dict):
    event_dict.pop("color_message", None)  # uvicorn's ANSI-coloured copy of the message
    return event_dict


def _shared_processors() -> list:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def configure_logging(level: str = "INFO", fmt: str = "console") -> None:
    """Idempotent: calling it again (a second app in tests, each uvicorn worker)
    replaces the handler instead of adding one."""
    shared = _shared_processors()
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if fmt == "json" else _console_renderer()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(), _drop_color_message],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = _StderrHandler()
    handler.setFormatter(formatter)
    handler.rounds = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "rounds", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _FOREIGN:
        foreign = logging.getLogger(name)
        foreign.handlers.clear()
        foreign.propagate = True
    for name in _SILENCED:
        silenced = logging.getLogger(name)
        silenced.handlers.clear()
        silenced.propagate = False


def get_logger(name: str):
    return structlog.get_logger(name)
