"""The bot token never reaches a log line, a traceback included."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.redact import HIDDEN, Redactor, protect, scrub
from tests.support.telegram_server import TOKEN

URL = f"https://api.telegram.org/bot{TOKEN}/getUpdates"


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("tests.redact")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    protect([TOKEN], handlers=[handler])
    yield logger, stream
    logger.removeHandler(handler)


def test_scrub_hides_token_shapes_and_named_secrets() -> None:
    assert scrub(URL) == f"https://api.telegram.org/bot{HIDDEN}/getUpdates"
    assert scrub("key sk-local-1 here", ["sk-local-1"]) == f"key {HIDDEN} here"
    assert scrub("message 12345 at 10:23") == "message 12345 at 10:23"


def test_log_messages_arguments_and_tracebacks_lose_the_token(
    log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = log
    logger.info("HTTP Request: POST %s %s", URL, "HTTP/1.1 200 OK")
    try:
        raise ConnectionError(f"cannot reach {URL}")
    except ConnectionError:
        logger.exception("polling failed")

    text = stream.getvalue()
    assert TOKEN not in text
    assert TOKEN.split(":")[1] not in text
    assert f"bot{HIDDEN}/getUpdates" in text
    assert "ConnectionError: cannot reach" in text


def test_protect_quiets_the_url_logging_http_clients() -> None:
    logging.getLogger("httpx").setLevel(logging.NOTSET)
    protect([TOKEN], handlers=[])
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpcore").level == logging.WARNING


def test_a_record_without_secrets_is_left_as_it_was() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d notes", (3,), None)
    assert Redactor([TOKEN]).filter(record)
    assert (record.msg, record.args) == ("%d notes", (3,))
