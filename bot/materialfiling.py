"""Filing one material job: its links, its text, or its file, downloaded first; a video's
speech goes through the speech lane (one recording at a time, capped, progress shown)."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import replace
from pathlib import Path

from telegram import Bot

from bot import answers
from bot.jobs import Job
from bot.jobthreads import in_thread
from bot.speechlane import SpeechLane
from bot.voice import DownloadError, download
from notes.intake import documents, filing, formats, inbox, linknotes, photos, videos
from notes.intake.filing import FiledNote, Materials
from notes.intake.formats import VideoInfo

_SUFFIXES = {"video_note": ".mp4"}
"""The download's suffix for kinds Telegram sends without a file name."""


async def file_job(m: Materials, lane: SpeechLane | None, bot: Bot, job: Job) -> list[FiledNote]:
    """File `job`: its links, its text, or its file downloaded first (a video's speech in
    the speech `lane`). Raises AlreadyFiled, Stopped, or whatever filing failed with."""
    origin = job.origin()
    if job.kind in ("links", "edit_links"):
        return await in_thread(
            linknotes.file_links, m, job.urls, job.stem, origin, job.caption, job.article
        )
    if job.kind == "text":
        name = job.stem + formats.TEXT_SUFFIX
        text = formats.text_note(origin, job.text or "")
        path = await asyncio.to_thread(inbox.file_note, m.kb, name, text)
        return [FiledNote(path, "text", filing.first_line(job.text or "", 100))]
    with tempfile.TemporaryDirectory(dir=m.kb.state) as folder:
        suffix = Path(job.file_name).suffix.lower() or _SUFFIXES.get(job.kind, "")
        target = Path(folder) / ("file" + suffix)
        problem = await _fetch(bot, job, target)
        heard = _listening(m, lane, bot, job)
        return [await in_thread(_file_downloaded, heard, job, target, problem)]


def _listening(m: Materials, lane: SpeechLane | None, bot: Bot, job: Job) -> Materials:
    """Materials whose transcriber is the speech lane, showing progress in `job`'s ack."""
    if lane is None:
        return m
    where = answers.Asked(job.chat_id, job.message_id, job.ack_message_id, job.key)

    async def show(status: str) -> None:
        await answers.show_progress(bot, where, status)

    listener = lane.for_thread(asyncio.get_running_loop(), show)
    return replace(m, transcriber=lambda: listener)


def _file_downloaded(m: Materials, job: Job, path: Path, problem: str | None) -> FiledNote:
    origin = job.origin()
    if job.kind in ("video", "animation", "video_note"):
        declared = VideoInfo(job.file_name, job.duration, job.width, job.height, job.file_size)
        filed = videos.file_video(
            m,
            path,
            job.stem,
            origin,
            job.caption,
            kind=job.kind,
            file_name=job.file_name,
            message_link=job.message_link,
            declared=declared,
            keep=job.kind == "video_note",
        )
    elif problem is not None:
        filed = filing.file_missing(
            m, job.file_name or "photo.jpg", job.stem, origin, job.caption, job.file_size
        )
    elif job.kind == "photo":
        filed = photos.file_image(m, path.read_bytes(), job.stem, origin, job.caption)
    else:
        filed = documents.file_document(
            m,
            path,
            job.file_name,
            job.stem,
            origin,
            job.caption,
            mime_type=job.mime_type or None,
        )
    if problem is not None:
        joined = "; ".join(p for p in (problem, filed.problem) if p)
        filed = replace(filed, problem=joined)
    return filed


async def _fetch(bot: Bot, job: Job, target: Path) -> str | None:
    """Download the job's file; the reason when it cannot be had (too big, gone)."""
    assert job.file_id is not None
    try:
        await download(bot, job.file_id, target)
    except DownloadError as error:
        if error.too_big:
            return "too big to download through the Bot API (20 MB); kept its details only"
        return f"not downloaded: {error}"
    return None
