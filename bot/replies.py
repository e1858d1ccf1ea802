"""What the bot says: Telegram HTML texts, kept within Telegram's message limit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape, unescape

from bot.redact import hide_paths, scrub
from notes import whenwords
from notes.markdown.summary import ArticleSummary

MESSAGE_LIMIT = 4096
"""Telegram's limit on one message's text, in UTF-16 code units."""
CUT_MARK = "…"

HELP = "\n".join(
    [
        "I file your voice notes into the knowledge base.",
        "",
        "Send a voice message or an audio file: I keep the recording, "
        "transcribe it and file the transcript in <code>inbox/raw/</code>. "
        "Text messages are filed as notes too; round videos (transcribed), photos, files, "
        "videos, GIFs, links (YouTube included) and forwards each become a note of their own.",
        "",
        "/status — what is waiting, and the last drafting run",
        "/draft — run a drafting pass now",
        "/articles — the ten most recently updated drafts",
        "/ask QUESTION — what your articles and notes say of it, with their sources",
        "/trace NOTE|DATE|ARTICLE — where a note went, a day's notes, an article's notes",
    ]
)
REFUSAL = "Sorry, this bot serves its owner only."


def refusal(user_id: int) -> str:
    """The one reply a stranger gets: the refusal and their own numeric id, nothing else, so
    the owner learns his id (for TELEGRAM_ALLOWED_USERS) by writing to his bot once."""
    return f"{REFUSAL} Your Telegram user id is {user_id}."


UNSUPPORTED = (
    "I file voice messages, audio, round videos, text, photos, files, videos, GIFs and links; "
    "this message was not filed. /help says more."
)
TOO_BIG = (
    "This file is too big to download through the Bot API (20 MB on Telegram's own server). "
    "A self-hosted Bot API server lifts that limit: point TELEGRAM_API_BASE_URL at it."
)
DRAFT_STARTED = "Drafting…"
RESTART_PREFIX = "After a restart: "


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def ack(ahead: int) -> str:
    """The first answer to a voice note, sent as soon as it is saved."""
    if ahead <= 0:
        return "Saved. Transcribing…"
    notes = "note" if ahead == 1 else "notes"
    return f"Saved. Queued behind {ahead} {notes}."


def transcribing(status: str) -> str:
    """The acknowledgement while a long note is transcribed: `Transcribing… 42% of 12:30, …`."""
    return f"Transcribing… {escape(status)}"


def duplicate(where: str, prefix: str = "") -> str:
    return f"{escape(prefix)}Already received: {escape(where)}."


def text_filed(name: str, prefix: str = "") -> str:
    return f"{escape(prefix)}Filed <code>{escape(name)}</code>"


def group_ignored(title: str) -> str:
    return (
        f"A message you sent in the group “{escape(title)}” was not filed: I file notes sent "
        "to me here. To file a group's messages, add its id to TELEGRAM_ALLOWED_GROUPS."
    )


def transcribed(name: str, text: str, seconds: float, prefix: str = "") -> str:
    """The filed name, then the transcript in an expandable quote, cut to fit one message."""
    head = f"{escape(prefix)}Filed <code>{escape(name)}</code> ({seconds:.0f} s)\n"
    return head + _quote(text, MESSAGE_LIMIT - utf16_length(head))


def failed(audio_name: str, reason: str, prefix: str = "") -> str:
    return (
        f"{escape(prefix)}Could not transcribe: {escape(shown(reason))}. "
        f"The recording is kept as <code>inbox/audio/{escape(audio_name)}</code>."
    )


def gave_up_on_message(attempts: int) -> str:
    """A material whose filing failed attempts.MAX_ATTEMPTS times (told at a start)."""
    return f"{RESTART_PREFIX}gave up on a message after {attempts} tries."


def too_long_for_now(reason: str) -> str:
    """A material whose filing ran past its time limit: this try counts, the next start tries
    again."""
    return f"Gave up: {escape(reason)}; it is tried again at the next start."


def could_not_file(reason: str) -> str:
    """A material whose filing failed: `reason` is one line, its paths hidden and escaped here."""
    return f"Could not file this message: {escape(scrub(reason))}"


def gave_up(audio_name: str, attempts: int) -> str:
    return (
        f"{RESTART_PREFIX}gave up on a voice note after {attempts} tries. "
        f"The recording is kept as <code>inbox/audio/{escape(audio_name)}</code>."
    )


def lost(reason: str) -> str:
    return (
        f"{RESTART_PREFIX}a voice note could not be downloaded again ({escape(shown(reason))}). "
        "Please send it once more."
    )


def status(
    waiting: int, busy: bool, queued: int, last_run: str, progress: str | None = None
) -> str:
    notes = "note" if waiting == 1 else "notes"
    if busy or queued:
        current = f"1 note in progress ({progress}), " if progress else "1 note in progress, "
        queue = (current if busy else "") + f"{queued} queued"
    else:
        queue = "idle"
    return "\n".join(
        [
            f"Inbox: {waiting} {notes} waiting in <code>inbox/raw/</code>.",
            f"Transcription: {queue}.",
            f"Last drafting run: {escape(last_run)}",
        ]
    )


def articles(entries: Sequence[ArticleSummary], today: date | None = None) -> str:
    """The latest articles, each dated in words ("today", "3 Dec") against `today`."""
    if not entries:
        return "No articles yet."
    lines = ["Recently updated articles:"]
    for entry in entries:
        day = entry.updated_date
        when = whenwords.day_in_words(day, today or date.today()) if day else "undated"
        status = "" if entry.status in ("", "draft") else f" [{escape(entry.status)}]"
        lines.append(f"{when} — <b>{escape(entry.title)}</b>{status}")
        lines.append(f"<code>{escape(entry.path)}</code>")
    return _fit("\n".join(lines))


def plain(text: str) -> str:
    """Text from elsewhere (a drafting summary), shown as it is, within one message."""
    return _fit(escape(text))


def not_downloaded(reason: str) -> str:
    return f"Could not download the file ({escape(shown(reason))}). Please send it again."


def error_line(reason: str) -> str:
    return f"Something went wrong: {escape(shown(reason))}. The bot keeps running."


def kept_for_retry(reason: str, seconds: float) -> str:
    """A message that could not be filed for now (the disk): it is kept and tried again."""
    minutes = max(1, round(seconds / 60))
    return (
        f"Could not file this message: {escape(shown(reason))}. "
        f"It is kept and tried again in {minutes} min."
    )


def shown(reason: str) -> str:
    """An error reason as the chat may see it: no token, no server path."""
    return hide_paths(scrub(reason))


def _quote(text: str, budget: int) -> str:
    """`text` escaped inside an expandable quote of at most `budget` UTF-16 units."""
    opening, closing = "<blockquote expandable>", "</blockquote>"
    room = budget - utf16_length(opening + closing)
    body = escape(text)
    if utf16_length(body) > room:
        body = _cut_escaped(text, room - utf16_length(CUT_MARK)) + CUT_MARK
    return opening + body + closing


def _cut_escaped(text: str, room: int) -> str:
    """The longest prefix of `text` whose escaped form fits in `room` UTF-16 units."""
    kept = text[:room]
    while kept and utf16_length(escape(kept)) > room:
        overflow = utf16_length(escape(kept)) - room
        kept = kept[: len(kept) - max(1, overflow // 6)]  # escaping grows a char to 6 at most
    return escape(kept.rstrip())


def _fit(html_text: str) -> str:
    """Drop whole lines from the end until a text without open tags fits in one message."""
    if utf16_length(html_text) <= MESSAGE_LIMIT:
        return html_text
    lines = html_text.split("\n")
    while len(lines) > 1 and utf16_length("\n".join(lines) + "\n" + CUT_MARK) > MESSAGE_LIMIT:
        lines.pop()
    fitted = "\n".join(lines)
    if utf16_length(fitted) > MESSAGE_LIMIT - 1:  # one line too long: an escaped plain text
        return _cut_escaped(unescape(fitted), MESSAGE_LIMIT - 1) + CUT_MARK
    return fitted + "\n" + CUT_MARK
