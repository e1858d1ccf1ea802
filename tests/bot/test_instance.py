"""One bot per knowledge base."""

from __future__ import annotations

import pytest

from bot.instance import AlreadyRunning, only_instance
from notes.kb import KnowledgeBase


def test_a_second_bot_on_the_same_kb_is_refused_and_the_lock_is_freed_at_exit(
    kb: KnowledgeBase,
) -> None:
    with (
        only_instance(kb),
        pytest.raises(AlreadyRunning, match="another voicenotes bot is running"),
        only_instance(kb),
    ):
        pass
    with only_instance(kb):
        pass
