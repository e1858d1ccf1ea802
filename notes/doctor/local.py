"""The parts on this machine: the Whisper model (loaded), git, disk space, the KB folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from notes.doctor.result import Check, failed, passed
from notes.intake.voice import engine_options
from notes.kb import gitkb, kbguard
from notes.settings import Settings
from transcribe import TranscriptionError

MIN_FREE_BYTES = 1 << 30
"""Below this the KB's disk is reported: a long recording and its model need room."""


def knowledge_base(root: Path) -> Check:
    problem = kbguard.problem(root)
    if problem:
        return failed("knowledge base", problem)
    return passed("knowledge base", str(root))


def whisper(settings: Settings, origin: str) -> Check:
    """Load the model as the bot would, so a damaged or missing model shows now."""
    from transcribe.engine import WhisperEngine

    name = "VOICENOTES_WHISPER_MODEL"
    engine = WhisperEngine(engine_options(settings))
    try:
        engine.load()
    except TranscriptionError as error:
        return failed(name, f"{settings.whisper_model}: {error}", origin)
    return passed(name, f"{engine.model_id} loads", origin)


def git(settings: Settings, origin: str) -> list[Check]:
    """The repository, the identity commits get, the remote, push access when pushing."""
    root = settings.kb
    if not gitkb.is_repo(root):
        return [failed("git", "the KB is not a git repository: run `voicenotes init` on it")]
    name, email = _config(root, "user.name"), _config(root, "user.email")
    if name and email:
        checks = [passed("git identity", f"{name} <{email}>")]
    else:
        fallback = f"{gitkb.FALLBACK_NAME} <{gitkb.FALLBACK_EMAIL}>"
        checks = [passed("git identity", f"not set: commits are by {fallback}")]
    remote = gitkb.remote_url(root)
    shown = _without_credentials(remote) if remote else None
    if not settings.git_push:
        detail = f"{shown}; not pushed (VOICENOTES_GIT_PUSH is off)" if shown else "none"
        return [*checks, passed("git remote", detail)]
    if shown is None:
        return [*checks, failed("VOICENOTES_GIT_PUSH", "on, but the KB has no remote", origin)]
    done = subprocess.run(
        ["git", "push", "--dry-run", "--quiet", "origin", "HEAD"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        complaint = (done.stderr.strip() or "no output").splitlines()[0]
        cannot = f"cannot push to {shown}: {complaint}"
        return [*checks, failed("VOICENOTES_GIT_PUSH", cannot, origin)]
    return [*checks, passed("VOICENOTES_GIT_PUSH", f"can push to {shown}", origin)]


def disk(root: Path) -> Check:
    free = shutil.disk_usage(root).free
    detail = f"{free / (1 << 30):.1f} GB free where the KB is"
    return passed("disk", detail) if free >= MIN_FREE_BYTES else failed("disk", detail)


def _config(root: Path, key: str) -> str:
    done = subprocess.run(
        ["git", "config", "--get", key], cwd=root, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def _without_credentials(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return url
    return f"{scheme}://{rest.split('@', 1)[1]}"
