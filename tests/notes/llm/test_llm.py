"""The LLM client wrapper: the real `openai` client against a local OpenAI-compatible server."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from notes.drafting.answers import WRITE, WriteAnswer
from notes.llm.client import (
    ECHO_LIMIT,
    MAX_ANSWER_CHARS,
    InvalidAnswer,
    LLMClient,
    LLMError,
    Message,
    Stopped,
    for_retry,
)
from tests.support.openai_server import (
    TEST_KEY,
    OpenAIServer,
    answer,
    error,
    garbage,
    refused_url,
    settings_for,
    silent,
    slow,
    trickle,
)

pytestmark = pytest.mark.timeout(60)

GOOD = {"title": "T", "tags": ["a"], "description": "one line", "body": "Text[^S1].", "figures": []}
PROMPT = [Message("system", "You write."), Message("user", "Write it.")]


_clients: list[LLMClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _clients:
        _clients.pop().close()


def client_for(
    url: str,
    *,
    key: str | None = TEST_KEY,
    timeout: float = 2.0,
    max_retries: int = 0,
    stop: threading.Event | None = None,
) -> LLMClient:
    client = LLMClient(
        model="test-model",
        api_key=key,
        base_url=url,
        timeout=timeout,
        max_retries=max_retries,
        stop=stop,
    )
    _clients.append(client)
    return client


def test_answer_is_parsed_with_usage_and_the_strict_schema_is_sent(server: OpenAIServer) -> None:
    server.on(WRITE, answer(GOOD, tokens_in=321, tokens_out=45))
    client = client_for(server.base_url)

    result = client.complete(WRITE, WriteAnswer, PROMPT)

    assert result.value == WriteAnswer.model_validate(GOOD)
    assert (result.record.tokens_in, result.record.tokens_out) == (321, 45)
    assert result.record.latency > 0
    assert client.calls == [result.record]
    request = server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
    assert request.body["model"] == "test-model"
    assert request.messages == [
        {"role": "system", "content": "You write."},
        {"role": "user", "content": "Write it."},
    ]
    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == WRITE
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    assert schema["required"] == ["title", "tags", "description", "body", "figures"]
    assert schema["additionalProperties"] is False


def test_from_settings_uses_the_url_key_and_model(server: OpenAIServer, tmp_path: Path) -> None:
    settings = settings_for(server, tmp_path, VOICENOTES_LLM_MODEL="my-model")
    server.on(WRITE, answer(GOOD))
    client = LLMClient.from_settings(settings, timeout=2.0, max_retries=0)
    _clients.append(client)

    client.complete(WRITE, WriteAnswer, PROMPT)

    assert server.requests[0].body["model"] == "my-model"
    assert server.requests[0].headers["authorization"] == f"Bearer {TEST_KEY}"
    assert TEST_KEY not in repr(client)


def test_an_answer_in_a_code_fence_is_accepted(server: OpenAIServer) -> None:
    server.on(
        WRITE,
        answer(
            '```json\n{"title": "T", "tags": [], "description": "d", "body": "b", '
            '"figures": []}\n```'
        ),
    )
    result = client_for(server.base_url).complete(WRITE, WriteAnswer, PROMPT)
    assert result.value.title == "T"


def test_an_answer_that_is_not_json_is_an_invalid_answer(server: OpenAIServer) -> None:
    server.on(WRITE, answer("Sure! Here is your article: ..."))
    client = client_for(server.base_url)

    with pytest.raises(InvalidAnswer) as caught:
        client.complete(WRITE, WriteAnswer, PROMPT)

    assert str(caught.value) == "the model's write_article answer is not JSON"
    assert caught.value.raw == "Sure! Here is your article: ..."
    assert caught.value.problems[0].startswith("the answer is not JSON")
    assert client.calls[0].error == "the model's write_article answer is not JSON"


def test_an_answer_outside_the_schema_lists_every_problem(server: OpenAIServer) -> None:
    server.on(WRITE, answer({"title": 3, "tags": "x", "extra": 1}))

    with pytest.raises(InvalidAnswer) as caught:
        client_for(server.base_url).complete(WRITE, WriteAnswer, PROMPT)

    problems = caught.value.problems
    assert "title: Input should be a valid string" in problems
    assert "description: Field required" in problems
    assert "body: Field required" in problems
    assert "extra: Extra inputs are not permitted" in problems
    assert "\n" not in str(caught.value)


def test_an_answer_cut_off_at_the_token_limit_is_invalid(server: OpenAIServer) -> None:
    server.on(WRITE, answer('{"title": "T", "tags": [', finish_reason="length"))
    with pytest.raises(InvalidAnswer, match="cut off"):
        client_for(server.base_url).complete(WRITE, WriteAnswer, PROMPT)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (error(429, "Rate limit reached"), "is rate limiting requests (HTTP 429): Rate limit"),
        (error(500, "upstream exploded"), "failed (HTTP 500): upstream exploded"),
        (error(503, "overloaded"), "failed (HTTP 503): overloaded"),
        (error(401, f"Incorrect API key provided: {TEST_KEY}"), "refused the API key (HTTP 401)"),
        (error(404, "model not found"), "refused the request (HTTP 404): model not found"),
        (garbage(), "sent something that is not a chat completion"),
    ],
)
def test_server_failures_are_one_line_llm_errors(
    server: OpenAIServer, reply: object, expected: str
) -> None:
    server.on(WRITE, reply)  # type: ignore[arg-type]
    client = client_for(server.base_url)

    with pytest.raises(LLMError) as caught:
        client.complete(WRITE, WriteAnswer, PROMPT)

    message = str(caught.value)
    assert not isinstance(caught.value, InvalidAnswer)
    assert expected in message
    assert server.base_url in message
    assert "\n" not in message
    assert TEST_KEY not in message
    assert client.calls[0].error == message


def test_a_rate_limit_is_retried_by_the_client_when_asked(server: OpenAIServer) -> None:
    server.on(WRITE, error(429, "slow down", **{"retry-after-ms": "10"}), answer(GOOD))
    result = client_for(server.base_url, max_retries=1).complete(WRITE, WriteAnswer, PROMPT)
    assert result.value.title == "T"
    assert len(server.requests) == 2


def test_a_slow_server_is_a_timeout(server: OpenAIServer) -> None:
    server.on(WRITE, slow(5, answer(GOOD)))
    with pytest.raises(LLMError, match=r"did not answer within 0\.3 s"):
        client_for(server.base_url, timeout=0.3).complete(WRITE, WriteAnswer, PROMPT)


def test_a_server_that_is_not_there_is_connection_refused() -> None:
    url = refused_url()
    with pytest.raises(LLMError) as caught:
        client_for(url).complete(WRITE, WriteAnswer, PROMPT)
    assert str(caught.value) == f"cannot reach the LLM server ({url}): connection refused"


def test_no_api_key_is_an_error_before_any_request(server: OpenAIServer) -> None:
    with pytest.raises(LLMError, match="no API key: set OPENAI_API_KEY"):
        client_for(server.base_url, key=None).complete(WRITE, WriteAnswer, PROMPT)
    assert server.requests == []


def test_the_key_never_reaches_the_log(
    server: OpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="notes")  # a command run earlier may have set it
    server.on(WRITE, answer(GOOD), error(401, f"bad key {TEST_KEY}"))
    client = client_for(server.base_url)
    client.complete(WRITE, WriteAnswer, PROMPT)
    with pytest.raises(LLMError):
        client.complete(WRITE, WriteAnswer, PROMPT)
    assert "write_article" in caplog.text
    assert TEST_KEY not in caplog.text


# --- a total deadline per call, and a stop --------------------------------------------------


def given_up_after(client: LLMClient) -> tuple[str, float]:
    """The error of one call and the seconds it took."""
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        client.complete(WRITE, WriteAnswer, PROMPT)
    return str(caught.value), time.monotonic() - started


def test_a_trickling_server_is_given_up_at_the_deadline(server: OpenAIServer) -> None:
    """One byte every 0.1 s never trips a read timeout; the call still ends at 2 s."""
    server.on(WRITE, trickle(0.1, answer(GOOD)))
    message, took = given_up_after(client_for(server.base_url, timeout=2.0))
    assert message == f"the LLM server ({server.base_url}) did not answer within 2 s"
    assert 2.0 <= took < 4.0  # the whole answer would take 30 s


def test_a_silent_server_is_given_up_when_the_message_says_retries_included(
    server: OpenAIServer,
) -> None:
    """Each try waited the whole timeout; with two retries that was over 3 times it."""
    server.always(WRITE, silent())
    message, took = given_up_after(client_for(server.base_url, timeout=2.0, max_retries=2))
    assert message.endswith("did not answer within 2 s")
    assert 2.0 <= took < 4.0  # three tries of 2 s each, and the pauses between them, before


def test_retries_of_failures_fit_within_the_deadline(server: OpenAIServer) -> None:
    server.always(WRITE, error(503, "overloaded", **{"retry-after": "0.6"}))
    message, took = given_up_after(client_for(server.base_url, timeout=2.0, max_retries=8))
    assert took < 4.0  # eight pauses of 0.6 s and more, before
    assert "did not answer within 2 s" in message or "HTTP 503" in message


def test_a_stop_ends_the_call_in_flight_at_once(server: OpenAIServer) -> None:
    server.on(WRITE, silent())
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    with pytest.raises(Stopped):
        client_for(server.base_url, timeout=30.0, stop=stop).complete(WRITE, WriteAnswer, PROMPT)
    assert time.monotonic() - started < 2.0


def test_no_call_starts_after_a_stop(server: OpenAIServer) -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Stopped):
        client_for(server.base_url, stop=stop).complete(WRITE, WriteAnswer, PROMPT)
    assert server.requests == []


# --- credentials in the base URL -------------------------------------------------------------

SECRET_USER, SECRET_PASS = "kbuser", "p%40ss-w0rd-9f3e"


def with_credentials(url: str) -> str:
    return url.replace("http://", f"http://{SECRET_USER}:{SECRET_PASS}@")


def test_credentials_in_the_url_are_sent_as_basic_auth_and_never_shown(
    server: OpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.on(WRITE, answer(GOOD), error(500, "boom"), trickle(0.2, answer(GOOD)))
    client = client_for(with_credentials(server.base_url), timeout=0.5)
    client.complete(WRITE, WriteAnswer, PROMPT)
    assert server.requests[0].headers["authorization"].startswith("Basic ")
    messages = [given_up_after(client)[0], given_up_after(client)[0]]
    url = with_credentials(refused_url())
    messages.append(given_up_after(client_for(url))[0])
    shown = "\n".join([*messages, caplog.text, *(str(call) for call in client.calls)])
    assert server.base_url in messages[0]
    for secret in (SECRET_PASS, "p@ss-w0rd-9f3e", f"{SECRET_USER}:"):
        assert secret not in shown


# --- the size of answers ---------------------------------------------------------------------


def test_an_answer_larger_than_any_article_is_invalid(server: OpenAIServer) -> None:
    huge = dict(GOOD, body="Valid text[^S1]. " * (MAX_ANSWER_CHARS // 16))
    server.on(WRITE, answer(huge))
    with pytest.raises(InvalidAnswer, match="too large") as caught:
        client_for(server.base_url).complete(WRITE, WriteAnswer, PROMPT)
    assert "at most" in caught.value.problems[0]


def test_a_large_rejected_answer_is_not_sent_back_in_full() -> None:
    raw = "x" * 5_000_000
    problems = [f"problem {n}: " + "y" * 1000 for n in range(50)]
    shown, listed = for_retry(raw, problems)
    assert len(shown) <= ECHO_LIMIT + 100
    assert "5000000-character answer" in shown
    assert len(listed) == 20 and all(len(p) <= 301 for p in listed)
    assert for_retry("small", ["one"]) == ("small", ["one"])
