"""Bringing the KB up to date with its remote before a pass writes, and after, for a push.

The author edits his KB elsewhere too (on GitHub, on his phone), so the branch on the remote
moves on without the machine the tool runs on. Before a pass writes, `pull` fetches the
branch's upstream (or `REMOTE/BRANCH`) and:

- fast-forwards when only the remote has new commits;
- rebases the local commits the remote does not have yet (the tool's own, from a pass whose
  push failed) onto the remote's when both have new commits;
- does nothing when the remote has nothing new, or there is no remote.

Uncommitted changes to tracked files are stashed for the move and put back (`--autostash`);
untracked files (new notes in `inbox/raw/`) are never touched. When his edits conflict with
the local ones, the rebase is aborted, the KB is left exactly as it was, and `PullConflict`
says so in one line naming the files. A remote that cannot be reached is not a conflict:
`pull` returns a warning and the pass goes on.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from notes.kb import gitkb
from notes.kb.gitkb import GitError


class PullConflict(GitError):
    """His edits on the remote conflict with the local commits; nothing was changed."""


def pull(root: Path) -> list[str]:
    """Bring the current branch up to date with its remote; warnings, one line each.

    Raises PullConflict when it cannot be done without a merge by hand.
    """
    if not gitkb.is_repo(root) or gitkb.remote_url(root) is None:
        return []
    remote = gitkb.remote_name(root)
    fetched = gitkb.run(root, "fetch", "--quiet", remote, check=False)
    if fetched.returncode != 0:
        complaint = (fetched.stderr.strip() or "no output").splitlines()[0]
        return [f"not pulled from {remote}: {complaint}"]
    target = _upstream(root, remote)
    if target is None:
        return []
    counts = gitkb.run(root, "rev-list", "--left-right", "--count", f"HEAD...{target}")
    ahead, behind = (int(n) for n in counts.stdout.split())
    if behind == 0:
        return []
    if ahead == 0:
        done = gitkb.run(
            root, "merge", "--ff-only", "--autostash", "--quiet", target, check=False, commits=True
        )
        if done.returncode != 0:
            raise PullConflict(f"cannot pull from {remote}: {_first_line(done)}")
        return []
    _rebase(root, remote, target, ahead)
    return []


def _rebase(root: Path, remote: str, target: str, ahead: int) -> None:
    done = gitkb.run(root, "rebase", "--autostash", "--quiet", target, check=False, commits=True)
    if done.returncode == 0:
        return
    conflicted = gitkb.run(root, "diff", "--name-only", "--diff-filter=U", check=False)
    files = ", ".join(conflicted.stdout.split()) or _first_line(done)
    gitkb.run(root, "rebase", "--abort", check=False)
    commits = "commit" if ahead == 1 else f"{ahead} commits"
    raise PullConflict(
        f"edits on {remote} conflict with the {commits} not pushed yet ({files}); "
        "nothing was drafted and every note stays in inbox/raw: merge by hand, then draft again"
    )


def _upstream(root: Path, remote: str) -> str | None:
    """The branch's upstream, or `REMOTE/BRANCH` when that exists; None when neither does."""
    done = gitkb.run(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}", check=False)
    if done.returncode == 0 and done.stdout.strip():
        return done.stdout.strip()
    branch = gitkb.run(root, "rev-parse", "--abbrev-ref", "HEAD", check=False).stdout.strip()
    candidate = f"refs/remotes/{remote}/{branch}"
    exists = gitkb.run(root, "rev-parse", "--verify", "--quiet", candidate, check=False)
    return candidate if branch and exists.returncode == 0 else None


def _first_line(done: subprocess.CompletedProcess[str]) -> str:
    text = (done.stderr or done.stdout or "").strip()
    return text.splitlines()[0] if text else "no output"
