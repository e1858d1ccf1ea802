"""The web page of a drafting pass's commit, from the KB's git remote (pure).

GitHub (`https://github.com/o/r/commit/SHA`), GitLab (`https://gitlab.com/g/r/-/commit/SHA`)
and Gitea, Forgejo or Codeberg (`https://host/o/r/commit/SHA`) remotes, in any form git takes
them: `git@host:o/r.git`, `ssh://git@host:22/o/r.git`, `https://user:token@host/o/r.git`. The
kind is told by the host name; credentials in a remote never reach the link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

GITHUB = "github"
GITLAB = "gitlab"
GITEA = "gitea"
_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>(?!/).+)$")
_COMMIT_PATH = {GITHUB: "commit", GITLAB: "-/commit", GITEA: "commit"}


def forge(host: str) -> str | None:
    """GitHub, GitLab or Gitea by the host's name; None for a host of no known kind."""
    host = host.lower()
    if "github" in host:
        return GITHUB
    if "gitlab" in host:
        return GITLAB
    if "gitea" in host or "forgejo" in host or host == "codeberg.org":
        return GITEA
    return None


def repository_page(remote: str) -> tuple[str, str] | None:
    """(kind, `https://host/owner/repo`) for a remote of a known forge, else None."""
    remote = remote.strip()
    parts = urlsplit(remote)
    if parts.scheme in ("http", "https", "ssh", "git", "git+ssh") and parts.hostname:
        host, path = parts.hostname, parts.path
        if parts.scheme in ("http", "https") and parts.port:
            host = f"{host}:{parts.port}"
    else:
        match = _SCP.match(remote)
        if match is None:
            return None
        host, path = match["host"], match["path"]
    path = path.strip("/").removesuffix(".git").strip("/")
    kind = forge(host.split(":")[0])
    if kind is None or "/" not in path:
        return None
    return kind, f"https://{host}/{path}"


def commit_url(remote: str | None, sha: str) -> str | None:
    """The web page of commit `sha` on `remote`; None when it has none we know how to name."""
    page = repository_page(remote) if remote else None
    if page is None:
        return None
    kind, base = page
    return f"{base}/{_COMMIT_PATH[kind]}/{sha}"


def commit_line(remote: str | None, sha: str, *, pushed: bool) -> str:
    """`Commit: URL` once pushed to a known forge; `Committed locally (abc1234).` otherwise."""
    url = commit_url(remote, sha) if pushed else None
    return f"Commit: {url}" if url else f"Committed locally ({sha[:7]})."
