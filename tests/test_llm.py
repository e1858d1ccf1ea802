"""The LLM client wrapper: the real `openai` client against a local OpenAI-compatible server."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from notes.drafting.answers import WRITE, WriteAnswer
from notes.drafting.llm import InvalidAnswer, LLMClient, LLMError, Message
from tests.support.openai_server import (
    TEST_KEY,
    OpenAIServer,
    answer,
    error,
    garbage,
    refused_url,
    settings_for,
    slow,
)

pytestmark = pytest.mark.timeout(60)

GOOD = {"title": "T", "tags": ["a"], "description": "one line", "body": "Text[^S1].", "figures": []}
PROMPT = [Message("system", "You write."), Message("user", "Write it.")]


_clients: list[LLMClient] = []


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _clients:
        _clients.pop().close()


def client_for(
    url: str, *, key: str | None = TEST_KEY, timeout: float = 2.0, max_retries: int = 0
) -> LLMClient:
    client = LLMClient(
        model="test-model", api_key=key, base_url=url, timeout=timeout, max_retries=max_retries
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
    server.on(WRITE, answer(GOOD), error(401, f"bad key {TEST_KEY}"))
    client = client_for(server.base_url)
    client.complete(WRITE, WriteAnswer, PROMPT)
    with pytest.raises(LLMError):
        client.complete(WRITE, WriteAnswer, PROMPT)
    assert "write_article" in caplog.text
    assert TEST_KEY not in caplog.text
