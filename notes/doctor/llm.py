"""The LLM: one real call in a strict JSON schema, through the one door (notes/llm/client.py).

A server or model that cannot answer in a strict schema is named as such: drafting needs it
for every call, so nothing else it could do matters.
"""

from __future__ import annotations

import io
import re

from PIL import Image
from pydantic import BaseModel, ConfigDict

from notes.doctor.result import Check, failed, passed
from notes.llm.client import InvalidAnswer, LLMClient, LLMError, Message
from notes.settings import Settings

SCHEMA = "doctor_probe"
TIMEOUT = 60.0
_UNSUPPORTED = re.compile(r"json_schema|response_format|structured|strict|schema", re.IGNORECASE)
NO_STRICT = "does not support strict structured output (a JSON schema with strict: true)"


class Probe(BaseModel):
    """The answer asked for: closed, every field required, as strict mode wants."""

    model_config = ConfigDict(extra="forbid")
    word: str
    number: int


QUESTION = Message("user", 'Answer with word "ready" and number 42.')


def drafting_model(settings: Settings, origin: str) -> Check:
    """One call to the drafting model; says which model at which server, never the key."""
    if settings.openai_api_key is None:
        return failed("OPENAI_API_KEY", "not set (any value for a local server that needs none)")
    return _ask(settings, settings.llm_model, "LLM", origin, images=())


def vision_model(settings: Settings, origin: str) -> Check:
    """One call with a small image to the vision model, when one is set."""
    name = "VOICENOTES_VISION_MODEL"
    if not settings.vision_model:
        return passed(name, "not set: photos are filed with their caption, described later")
    if settings.openai_api_key is None:
        return failed(name, "needs OPENAI_API_KEY", origin)
    return _ask(settings, settings.vision_model, name, origin, images=(_tiny_jpeg(),))


def _ask(
    settings: Settings, model: str, name: str, origin: str, images: tuple[bytes, ...]
) -> Check:
    with LLMClient.from_settings(settings, timeout=TIMEOUT, max_retries=0, model=model) as client:
        where = f"{model} at {client.server}"
        try:
            answer = client.complete(SCHEMA, Probe, [QUESTION], images=images)
        except InvalidAnswer as invalid:
            return failed(name, f"{where} {NO_STRICT}: {invalid}", origin)
        except LLMError as error:
            text = str(error)
            if "(HTTP 400)" in text and _UNSUPPORTED.search(text.split("(HTTP 400)", 1)[1]):
                return failed(name, f"{where} {NO_STRICT}: {text}", origin)
            return failed(
                name, f"{model}: {text}" if client.server in text else f"{where}: {text}", origin
            )
    tokens = answer.record.tokens_in + answer.record.tokens_out
    return passed(name, f"{where} answers in a strict JSON schema ({tokens} tokens)", origin)


def _tiny_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()
