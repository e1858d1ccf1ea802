"""What the bot says: HTML that Telegram accepts, within one message."""

from __future__ import annotations

from datetime import date

import pytest

from bot import replies
from notes.markdown.summary import ArticleSummary
from tests.support.telegram_server import html_problem, visible_text

NAME = "20260204_102339_AlexeyDTC_msg900_transcript.txt"


def test_ack_tells_the_queue_position() -> None:
    assert replies.ack(0) == "Saved. Transcribing…"
    assert replies.ack(1) == "Saved. Queued behind 1 note."
    assert replies.ack(3) == "Saved. Queued behind 3 notes."


def test_transcript_fits_whole_in_an_expandable_quote() -> None:
    text = "Со спокойным мужеством <RAG> & evals"
    html = replies.transcribed(NAME, text, 12.4)

    assert html == (
        f"Filed <code>{NAME}</code> (12 s)\n"
        "<blockquote expandable>Со спокойным мужеством &lt;RAG&gt; &amp; evals</blockquote>"
    )
    assert html_problem(html) is None


@pytest.mark.parametrize(
    "text",
    [
        "слово " * 2000,  # Cyrillic: one UTF-16 unit a character
        "a<b & " * 2000,  # escaping makes the HTML much longer than the text
        "🎙️ emoji " * 1500,  # two UTF-16 units a character
    ],
)
def test_a_long_transcript_is_cut_to_one_message_and_says_so(text: str) -> None:
    html = replies.transcribed(NAME, text, 600, prefix=replies.RESTART_PREFIX)

    assert replies.utf16_length(html) <= replies.MESSAGE_LIMIT
    assert replies.utf16_length(html) > replies.MESSAGE_LIMIT - 10  # no room wasted
    assert html_problem(html) is None
    shown = visible_text(html)
    assert shown.endswith(replies.CUT_MARK)
    quoted = shown.split("\n", 1)[1].removesuffix(replies.CUT_MARK)
    assert text.startswith(quoted)


def test_failure_is_one_line_naming_the_kept_recording() -> None:
    html = replies.failed("x_msg1.ogg", "corrupt: no Ogg page where one should start (byte 9)")

    assert visible_text(html) == (
        "Could not transcribe: corrupt: no Ogg page where one should start (byte 9). "
        "The recording is kept as inbox/audio/x_msg1.ogg."
    )
    assert "\n" not in html


def test_status_says_what_waits_and_what_runs() -> None:
    assert replies.status(0, False, 0, "none yet") == (
        "Inbox: 0 notes waiting in <code>inbox/raw/</code>.\n"
        "Transcription: idle.\n"
        "Last drafting run: none yet"
    )
    busy = replies.status(1, True, 2, "last pass 2026-02-08; 1 error(s): <429>")
    assert "Transcription: 1 note in progress, 2 queued." in busy
    assert busy.endswith("1 error(s): &lt;429&gt;")
    assert "Inbox: 1 note waiting" in busy


def test_articles_list_titles_dates_and_paths() -> None:
    entries = [
        ArticleSummary("articles/rag.md", "RAG & evals", updated="2026-03-01", status="draft"),
        ArticleSummary("articles/old.md", "Old", status="published"),
    ]
    html = replies.articles(entries, today=date(2026, 3, 2))

    assert html == (
        "Recently updated articles:\n"
        "yesterday — <b>RAG &amp; evals</b>\n<code>articles/rag.md</code>\n"
        "undated — <b>Old</b> [published]\n<code>articles/old.md</code>"
    )
    assert replies.articles([]) == "No articles yet."


def test_every_fixed_text_is_valid_telegram_html() -> None:
    for text in (
        replies.HELP,
        replies.REFUSAL,
        replies.refusal(822266080),
        replies.UNSUPPORTED,
        replies.TOO_BIG,
        replies.DRAFT_STARTED,
        replies.gave_up("a.ogg", 3),
        replies.lost("gone"),
        replies.duplicate("filed as <x>"),
        replies.not_downloaded("timed out"),
        replies.error_line("a & b"),
    ):
        assert html_problem(text) is None, text


def test_a_long_drafting_summary_is_cut_at_a_line_to_fit_one_message() -> None:
    summary = "Drafting pass: 300 created.\n" + "\n".join(
        f"+ articles/a{n}.md (R&D {n}) from note{n}" for n in range(300)
    )
    html = replies.plain(summary)

    assert replies.utf16_length(html) <= replies.MESSAGE_LIMIT
    assert html_problem(html) is None
    assert html.startswith("Drafting pass: 300 created.\n+ articles/a0.md (R&amp;D 0) from note0")
    assert html.splitlines()[-1] == replies.CUT_MARK
    assert replies.plain("1 created") == "1 created"
    one_line = replies.plain("x & y " * 2000)
    assert replies.utf16_length(one_line) <= replies.MESSAGE_LIMIT
    assert one_line.endswith(replies.CUT_MARK) and html_problem(one_line) is None


def test_status_and_the_acknowledgement_show_a_long_note_s_progress() -> None:
    busy = replies.status(0, True, 0, "none yet", " 42% of 12:30, 3:10 left")
    assert "Transcription: 1 note in progress ( 42% of 12:30, 3:10 left), 0 queued." in busy
    assert replies.transcribing("42% of 12:30, <3:10 left") == (
        "Transcribing… 42% of 12:30, &lt;3:10 left"
    )


def test_error_replies_never_show_a_server_path_or_the_token() -> None:
    reason = (
        "FileExistsError: /srv/notes/kb/.voicenotes/voicequeue/x.json already exists; "
        "embedded model in /home/notes/.cache/voicenotes/whisper-base failed; "
        "bot 123456789:AAF-fake-token-for-tests-0123456789ab"
    )
    for text in (
        replies.error_line(reason),
        replies.failed("x.ogg", reason),
        replies.not_downloaded(reason),
        replies.kept_for_retry(reason, 60),
    ):
        assert "/srv" not in text and "/home" not in text and "AAF-fake" not in text
        assert "x.json already exists" in text and "whisper-base failed" in text
