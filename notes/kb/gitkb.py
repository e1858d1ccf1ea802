"""One git commit per drafting pass, when the knowledge base is a git repository.

Only the files the pass touched are committed (`git commit --only`), so whatever else the
author has staged or changed stays out of it. Without git, or outside a repository, this does
nothing.

A git killed in the middle of a commit leaves `.git/index.lock` behind, and every git command
that writes refuses to run while it exists. `clear_stale_lock` removes it when it is stale:
no git process is running in the repository (found in /proc: a process named git whose
working directory is inside the KB), and it is older than a few seconds. Without /proc the
lock must be older than ten minutes. A live git's lock is left alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from notes.errors import explain

FALLBACK_NAME = "voicenotes"
FALLBACK_EMAIL = "voicenotes@localhost"
_TIMEOUT = 60
STALE_AFTER = 5.0
"""Seconds: a lock younger than this may belong to a git that is just starting."""
STALE_WITHOUT_PROC = 600.0
_PROC = Path("/proc")


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


def remote_url(root: Path) -> str | None:
    """The URL of the remote the current branch pushes to (`origin` by default), if any."""
    if not is_repo(root):
        return None
    # The URL as configured: `git remote get-url` would apply the `insteadOf` rewrites.
    done = _run(root, "config", "--get", f"remote.{_remote_name(root)}.url", check=False)
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def push(root: Path) -> None:
    """Push the current branch to its remote (`origin` by default). Raises GitError."""
    _run(root, "push", "--quiet", _remote_name(root), "HEAD")


def remote_name(root: Path) -> str:
    """The remote the current branch pushes to and pulls from (`origin` by default)."""
    return _remote_name(root)


def run(
    root: Path, *args: str, check: bool = True, commits: bool = False
) -> subprocess.CompletedProcess[str]:
    """`git ARGS` in `root` (raises GitError when it fails and `check` is set); `commits`:
    it may make commits, under the fallback identity when the repository has none."""
    return _run(root, *args, check=check, env=_identity(root) if commits else None)


def _remote_name(root: Path) -> str:
    branch = _run(root, "rev-parse", "--abbrev-ref", "HEAD", check=False).stdout.strip()
    configured = _run(root, "config", f"branch.{branch}.remote", check=False).stdout.strip()
    return configured or "origin"


def clear_stale_lock(root: Path) -> list[str]:
    """Remove the repository's `index.lock` if no git holds it; say what was done.

    Returns warnings (one line each): the lock removed, or left because it looks alive.
    """
    if not is_repo(root):
        return []
    done = _run(root, "rev-parse", "--git-path", "index.lock", check=False)
    lock = root / done.stdout.strip() if done.returncode == 0 else root / ".git" / "index.lock"
    try:
        age = time.time() - lock.stat().st_mtime
    except FileNotFoundError:
        return []
    except OSError as error:
        return [f"cannot look at {lock.name}: {explain(error)}"]
    rel = _shown(root, lock)
    if not is_stale(root, age):
        return [f"{rel} exists and may belong to a running git; left alone"]
    try:
        lock.unlink()
    except FileNotFoundError:
        return []
    except OSError as error:
        return [f"cannot remove the stale {rel}: {explain(error)}"]
    return [f"removed a stale {rel} (no git process was running; a killed git left it)"]


def is_stale(root: Path, age: float) -> bool:
    """Whether a lock `age` seconds old in the repository at `root` is left by a dead git."""
    if not (_PROC / "self" / "cwd").exists():
        return age > STALE_WITHOUT_PROC
    return age > STALE_AFTER and not _git_running_in(root.resolve(), _PROC)


def _git_running_in(root: Path, proc: Path) -> bool:
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if not (entry / "comm").read_text().strip().startswith("git"):
                continue
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue  # gone, or another user's: not a git we can see
        if cwd.is_relative_to(root):
            return True
    return False


def _shown(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.name)


def _has_changes(root: Path, pathspec: list[str]) -> bool:
    if _run(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        return True  # no commit yet: whatever was added is a change
    return _run(root, "diff", "--quiet", "HEAD", "--", *pathspec, check=False).returncode == 1


def _not_ignored(root: Path, paths: list[Path]) -> list[Path]:
    """The paths git does not ignore; the tool's state in `.voicenotes/` may be ignored.

    Raises GitError, committing nothing, when git ignores any other file the pass wrote:
    a commit of half the pass's work (the image without its article) would look whole.
    """
    if not paths:
        return []
    done = _run(root, "check-ignore", "--", *map(str, paths), check=False)
    ignored = {(root / line).resolve() for line in done.stdout.splitlines() if line}
    state = (root / ".voicenotes").resolve()
    knowledge = sorted(
        _shown(root, p) for p in ignored if not p.is_relative_to(state) and p != state
    )
    if knowledge:
        more = f" and {len(knowledge) - 1} more" if len(knowledge) > 1 else ""
        raise GitError(
            f"git ignores {knowledge[0]}{more} (see .gitignore), so nothing was committed"
        )
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


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `git ARGS` in `root` (text output). Raises GitError when it fails and `check`."""
    return _run(root, *args, check=check)


def show(root: Path, revision: str, path: str) -> bytes | None:
    """The bytes of `path` at `revision`, or None when it has no such file there."""
    try:
        done = subprocess.run(
            ["git", "show", f"{revision}:{path}"], cwd=root, capture_output=True, timeout=_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git show failed: {explain(error)}") from None
    return done.stdout if done.returncode == 0 else None
