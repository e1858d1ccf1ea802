"""The author's words as filed: as sent, minus unsafe control characters."""

from __future__ import annotations

from bot.content import as_sent


def test_text_is_kept_as_sent_but_for_unsafe_control_characters() -> None:
    sent = (
        "See https://example.com/a-very-long-path-with-hyphens-that-must-not-be-split"
        "-at-any-hyphen-whatsoever-0123456789\r\n\tcode line\u00a0 x  y\n\nemoji 👍🏽 done"
    )
    assert as_sent(sent) == sent
    assert as_sent("a\x00b\x07c\x1bd\x7fe\x85f\u009fg") == "abcdefg"
