"""Standard-library loggers (uvicorn, piccolo, our modules) go through the same
formatter as structlog, with the bound request id, and honour LOG_LEVEL."""

import json
import logging

import structlog

from server.logs import configure_logging


def test_stdlib_lines_share_the_format_and_the_request_id(capsys):
    configure_logging("INFO", "json")
    uvicorn_error = logging.getLogger("uvicorn.error")
    uvicorn_error.addHandler(logging.StreamHandler())  # what uvicorn's own config would add
    configure_logging("INFO", "json")  # ...and ours takes it away again
    tokens = structlog.contextvars.bind_contextvars(request_id="req-1234567890")
    try:
        uvicorn_error.warning("worker %s restarted", 3, extra={"color_message": "worker \x1b[36m%s\x1b[0m"})
        logging.getLogger("uvicorn.access").info("duplicate of our own access line")
        logging.getLogger("piccolo.engine").info("pool opened")
        logging.getLogger("rounds.photos").debug("below the level")
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert "color_message" not in records[0]
    assert [(r["logger"], r["event"], r["level"], r["request_id"]) for r in records] == [
        ("uvicorn.error", "worker 3 restarted", "warning", "req-1234567890"),
        ("piccolo.engine", "pool opened", "info", "req-1234567890"),
    ]


def test_debug_level_lets_debug_lines_through_as_key_value(capsys):
    configure_logging("DEBUG", "console")
    try:
        logging.getLogger("rounds.photos").debug("decoded %d pixels", 12)
    finally:
        configure_logging("INFO", "console")
    err = capsys.readouterr().err
    assert "level='debug'" in err and "logger='rounds.photos'" in err and "event='decoded 12 pixels'" in err
