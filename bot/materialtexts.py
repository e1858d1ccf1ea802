"""What the bot first says about a material it received, and about an edit (pure text)."""

from __future__ import annotations

from html import escape

from bot import replies
from bot.jobs import Job
from bot.redact import scrub
from notes.intake import message_edits as edits
from notes.intake.filing import FiledNote

ANSWER_BUDGET = replies.MESSAGE_LIMIT - 100
"""Room for the lines of one answer; the rest are counted, not shown (one Telegram message)."""


def edit_reply(edit: edits.Edit) -> str:
    """The answer to an edit, by what was done with it."""
    name = f"<code>{escape(edit.path.name)}</code>"
    return {
        "updated": f"Updated {name} with your edit.",
        "follow_up": f"Already drafted, so I filed {name} saying what changed.",
        "unchanged": f"{name} already reads so.",
        "unknown": "I filed nothing from that message, so there is nothing to update.",
    }[edit.action]


def acknowledgement(job: Job) -> str:
    """The first answer to a material: what was saved, and that it is being filed."""
    what = {
        "photo": "photo",
        "animation": "GIF",
        "video": "video",
        "video_note": "round video",
        "document": "file",
        "text": "forwarded message" if job.forward else "comment",
        "links": "link" if len(job.urls) == 1 else f"{len(job.urls)} links",
        "edit_links": "link" if len(job.urls) == 1 else f"{len(job.urls)} links",
    }[job.kind]
    if job.kind == "edit_links":
        return f"Saved the {what} your edit added. Filing…"
    return f"Saved the {what}. Filing…"


def answer(filed: list[FiledNote]) -> str:
    """One line per note: its name and what it holds; then any problem, one line each."""
    lines: list[str] = []
    for number, note in enumerate(filed):
        line = f"Filed <code>{escape(note.path.name)}</code>: {escape(note.summary)}"
        if note.problem:
            line += f"\n⚠ {escape(scrub(note.problem))}"
        if replies.utf16_length("\n".join([*lines, line])) > ANSWER_BUDGET:
            lines.append(f"…and {len(filed) - number} more filed.")
            break
        lines.append(line)
    return "\n".join(lines) or "Nothing new to file."
