"""Describing an image: a vision model through the one LLM door, else OCR, else later.

`describe` returns a `Description` or raises `VisionUnavailable` with one line saying why;
the caller files the photo anyway and a later pass (`describe_pending`) fills it in.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from pydantic import BaseModel, ConfigDict

from notes.intake.formats import Description
from notes.llm.client import LLMClient, LLMError, Message
from notes.llm.prompts import load_version
from notes.settings import Settings

PROMPT_VERSION = "describe_image_v1"
SCHEMA = "describe_image"
OCR_LANGUAGES = "rus+eng"
OCR_TIMEOUT = 60.0


class ImageDescription(BaseModel):
    """The vision model's strict JSON answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    summary: str
    visible_text: str
    suggested_file_name: str
    alt_text: str


class VisionUnavailable(Exception):
    """No description now (no model configured, or the model failed). One line."""


def describe(settings: Settings, jpeg: bytes, caption: str | None) -> Description:
    """Ask `VOICENOTES_VISION_MODEL` for a description of `jpeg` (sent as a data URL only)."""
    if not settings.vision_model:
        raise VisionUnavailable("no vision model (set VOICENOTES_VISION_MODEL)")
    prompt = load_version(PROMPT_VERSION).text
    user = f"Caption: {caption}" if caption else "There is no caption."
    messages = [Message("system", prompt), Message("user", user)]
    client = LLMClient.from_settings(settings, model=settings.vision_model, max_retries=1)
    try:
        answer = client.complete(
            SCHEMA, ImageDescription, messages, prompt=PROMPT_VERSION, images=(jpeg,)
        )
    except LLMError as error:
        raise VisionUnavailable(str(error)) from None
    finally:
        client.close()
    value = answer.value
    return Description(
        kind=value.kind.strip(),
        summary=value.summary.strip(),
        visible_text=value.visible_text.strip(),
        alt=" ".join(value.alt_text.split()),
        suggested_name=slug(value.suggested_file_name),
    )


def slug(name: str) -> str:
    """A safe file name stem: lowercase latin, digits and hyphens, at most 60 characters."""
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", name.strip().lower())
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    return stem[:60].rstrip("-")


def ocr(jpeg: bytes, languages: str = OCR_LANGUAGES) -> str:
    """Text Tesseract reads in `jpeg`; "" when Tesseract is missing or fails."""
    binary = shutil.which("tesseract")
    if binary is None:
        return ""
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "-l", languages],
            input=jpeg,
            capture_output=True,
            timeout=OCR_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    if done.returncode != 0:
        return ""
    return done.stdout.decode("utf-8", errors="replace").strip()
