"""`voicenotes add FILE|URL …` and `voicenotes describe`: materials from the command line."""

from __future__ import annotations

import argparse
import functools
import getpass
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from notes.errors import explain
from notes.intake import documents, linknotes, photos, urls, videos, waiting
from notes.intake.filing import FiledNote, Materials
from notes.intake.inbox import AlreadyFiled
from notes.intake.origin import Origin
from notes.kb import KnowledgeBase, names
from notes.settings import Settings
from transcribe import Transcriber

_URL = re.compile(r"^https?://", re.IGNORECASE)


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    """File each argument: a URL as a link or YouTube note, a file by what it holds.

    Prints `path: one line of what it holds` per note; a problem (the note is still filed)
    or an error (nothing filed) goes to stderr, and the exit status is then 1.
    """
    kb = KnowledgeBase(settings.kb).ensure()
    materials = Materials(kb, settings, transcriber=_lazy_engine(settings))
    username = names.safe_component(getpass.getuser())
    caption: str | None = args.caption
    failures = 0
    for item in args.items:
        try:
            filed = _add_one(materials, item, username, caption)
        except (AlreadyFiled, OSError) as error:
            print(f"error: {item}: {explain(error)}", file=sys.stderr)
            failures += 1
            continue
        for note in filed:
            print(f"{note.path}: {note.summary}")
            if note.problem:
                print(f"warning: {item}: {note.problem} (filed anyway)", file=sys.stderr)
                failures += 1
    return 1 if failures else 0


def run_describe(args: argparse.Namespace, settings: Settings) -> int:
    """Describe the photos and video keyframes filed while no vision model answered."""
    kb = KnowledgeBase(settings.kb).ensure()
    m = Materials(kb, settings)
    done = photos.describe_pending(m) + videos.describe_pending(m)
    for note in done:
        print(f"{note.path}: {note.summary}")
    pending = waiting.undescribed(kb)
    if pending:
        print(f"{pending} photo(s) or keyframe(s) still wait for a description", file=sys.stderr)
        return 1
    return 0


def _add_one(m: Materials, item: str, username: str, caption: str | None) -> list[FiledNote]:
    if _URL.match(item):
        now = datetime.now(UTC).replace(microsecond=0)
        stem = names.file_stem(now, username, _url_label(item))
        origin = Origin("local", now, 0, username)
        filed = linknotes.file_links(m, [item], stem, origin, context=caption)
        if not filed:
            raise AlreadyFiled(f"already filed under {stem}")
        return filed
    path = Path(item)
    if not path.is_file():
        raise FileNotFoundError(2, "No such file", item)
    when = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    stem = names.file_stem(when, username, path.stem)
    origin = Origin("local", when, 0, username)
    return [documents.file_document(m, path, path.name, stem, origin, caption)]


def _url_label(url: str) -> str:
    site = urls.site_of(url).replace(".", "-")
    tail = url.rstrip("/").rsplit("/", 1)[-1][:40]
    return f"{site}_{tail}" if tail and tail != urls.site_of(url) else site


def _lazy_engine(settings: Settings) -> functools.partial[Transcriber]:
    """The speech engine, loaded only when a file needs it (most materials do not)."""
    return functools.partial(_engine_for, settings)


@functools.cache
def _engine_for(settings: Settings) -> Transcriber:
    from notes.intake.transcribers import transcriber_for

    engine = transcriber_for(settings)
    getattr(engine, "load", lambda: None)()
    return engine
