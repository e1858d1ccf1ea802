"""Shared by the tests of notes.intake's filing modules: a sender, a KB's settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from notes.intake.origin import Origin
from notes.kb import KnowledgeBase
from notes.markdown import frontmatter
from notes.settings import Settings
from tests.support.openai_server import OpenAIServer, settings_for

WHEN = datetime(2026, 11, 30, 10, 0, 0, tzinfo=UTC)
SENDER = Origin("telegram", WHEN, 822266080, "AlexeyDTC", message_id=5001, chat_id=822266080)
STEM = "20261130_100000_AlexeyDTC_msg5001"
CAPTION = "Возьми для статьи про тесты (research tag)"


def private_ok(server: OpenAIServer, kb: KnowledgeBase, **extra: str) -> Settings:
    """Settings whose LLM is `server`, allowed to fetch from local test servers."""
    return settings_for(server, kb.root, VOICENOTES_FETCH_PRIVATE="1", **extra)


def front(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(frontmatter.split(path.read_text(encoding="utf-8"))[0]))
