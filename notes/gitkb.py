"""One git commit per drafting pass, when the knowledge base is a git repository.

Only the files the pass touched are committed (`git commit --only`), so whatever else the
author has staged or changed stays out of it. Without git, or outside a repository, this does
nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from notes.errors import explain

FALLBACK_NAME = "voicenotes"
FALLBACK_EMAIL = "voicenotes@localhost"
_TIMEOUT = 60


class GitError(RuntimeError):
    """A git command failed; the message is its first line of complaint."""


def is_repo(root: Path) -> bool:
    if shutil.which("git") is None or not root.is_dir():
        return False
    done = _run(root, "rev-parse", "--is-inside-work-tree", check=False)
    return done.returncode == 0 and done.stdout.strip() == "true"


def commit(root: Path, paths: Sequence[Path], message: str) -> str | None:
    """Commit exactly `paths` (new, changed or removed) with `message`; return the hash.

    None when there is no repository or nothing to commit.
    """
    if not paths or not is_repo(root):
        return None
    present = _not_ignored(root, [p for p in paths if p.exists()])
    gone = _tracked(root, [p for p in paths if not p.exists()])
    if present:
        _run(root, "add", "--", *map(str, present))
    pathspec = [str(p) for p in present + gone]
    if not pathspec or not _has_changes(root, pathspec):
        return None
    _run(root, "commit", "--quiet", "--only", "-m", message, "--", *pathspec, env=_identity(root))
    return _run(root, "rev-parse", "HEAD").stdout.strip()


def _has_changes(root: Path, pathspec: list[str]) -> bool:
    if _run(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        return True  # no commit yet: whatever was added is a change
    return _run(root, "diff", "--quiet", "HEAD", "--", *pathspec, check=False).returncode == 1


def _not_ignored(root: Path, paths: list[Path]) -> list[Path]:
    if not paths:
        return []
    done = _run(root, "check-ignore", "--", *map(str, paths), check=False)
    ignored = {(root / line).resolve() for line in done.stdout.splitlines() if line}
    return [p for p in paths if (root / p).resolve() not in ignored]


def _tracked(root: Path, paths: list[Path]) -> list[Path]:
    if not paths:
        return []
    done = _run(root, "ls-files", "--", *map(str, paths))
    listed = set(done.stdout.splitlines())
    return [p for p in paths if _relative(root, p) in listed]


def _relative(root: Path, path: Path) -> str:
    absolute = path if path.is_absolute() else root / path
    return absolute.relative_to(root).as_posix()


def _identity(root: Path) -> dict[str, str] | None:
    """A fallback author when the repository has none configured (a server's KB)."""
    if _run(root, "config", "user.email", check=False).stdout.strip():
        return None
    env = dict(os.environ)
    for role in ("AUTHOR", "COMMITTER"):
        env.setdefault(f"GIT_{role}_NAME", FALLBACK_NAME)
        env.setdefault(f"GIT_{role}_EMAIL", FALLBACK_EMAIL)
    return env


def _run(
    root: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=_TIMEOUT, env=env
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git {args[0]} failed: {explain(error)}") from None
    if check and done.returncode != 0:
        complaint = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()[0]
        raise GitError(f"git {args[0]} failed: {complaint}")
    return done
