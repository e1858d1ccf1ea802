"""What went wrong with a call to the model, in one line that holds no secret."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import openai

from notes.llm.exchange import LLMError

Scrub = Callable[[str], str]


def failure(error: openai.OpenAIError, server: str, timeout: float, scrub: Scrub) -> LLMError:
    """One line saying what went wrong, without the key (`scrub` takes the secrets out)."""
    where = f"the LLM server ({server})"
    if isinstance(error, openai.APITimeoutError):
        return LLMError(f"{where} did not answer within {timeout:g} s")
    if isinstance(error, openai.APIConnectionError):
        return LLMError(f"cannot reach {where}: {_connection_reason(error)}")
    if isinstance(error, openai.AuthenticationError):
        return LLMError(f"{where} refused the API key (HTTP 401): check OPENAI_API_KEY")
    if isinstance(error, openai.RateLimitError):
        detail = _detail(error, scrub)
        return LLMError(f"{where} is rate limiting requests (HTTP 429){detail}; try later")
    if isinstance(error, openai.APIStatusError):
        kind = "failed" if error.status_code >= 500 else "refused the request"
        return LLMError(f"{where} {kind} (HTTP {error.status_code}){_detail(error, scrub)}")
    if isinstance(error, openai.APIResponseValidationError):
        return LLMError(f"{where} sent something that is not a chat completion")
    return LLMError(f"{where}: {scrub(str(error))}")


def _detail(error: openai.APIStatusError, scrub: Scrub) -> str:
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str):
        message = re.sub(r"^Error code: \d+ - ", "", error.message)
    message = scrub(" ".join(message.split()))
    return f": {message[:200]}" if message else ""


def scrub(text: str, api_key: str | None, base_url: str | None) -> str:
    """`text` with the API key and the base URL's credentials replaced by `***`."""
    secrets = [api_key or ""]
    if base_url:
        parts = urlsplit(base_url)
        userinfo = parts.netloc.rpartition("@")[0]
        secrets += [userinfo, parts.password or "", unquote(parts.password or "")]
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _connection_reason(error: openai.APIConnectionError) -> str:
    cause = error.__cause__
    while cause is not None and cause.__cause__ is not None:
        cause = cause.__cause__
    text = str(cause or error).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return " ".join(str(cause or error).split())[:200] or "connection failed"
