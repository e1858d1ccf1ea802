"""The commit link the author gets after a pass, for each kind of remote."""

from __future__ import annotations

import pytest

from notes.kb.commitlink import commit_line, commit_url

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("git@github.com:alexey/kb.git", f"https://github.com/alexey/kb/commit/{SHA}"),
        ("https://github.com/alexey/kb", f"https://github.com/alexey/kb/commit/{SHA}"),
        (
            "https://x-access-token:ghp_secret@github.com/alexey/kb.git",
            f"https://github.com/alexey/kb/commit/{SHA}",
        ),
        ("ssh://git@gitlab.com/team/sub/kb.git", f"https://gitlab.com/team/sub/kb/-/commit/{SHA}"),
        (
            "https://gitlab.example.com:8443/me/kb.git",
            f"https://gitlab.example.com:8443/me/kb/-/commit/{SHA}",
        ),
        ("git@gitea.home.lan:me/kb.git", f"https://gitea.home.lan/me/kb/commit/{SHA}"),
        ("ssh://git@codeberg.org:22/me/kb.git", f"https://codeberg.org/me/kb/commit/{SHA}"),
        ("https://git.example.org/me/kb.git", None),
        ("/srv/git/kb.git", None),
        ("git@github.com:kb.git", None),
        ("", None),
    ],
)
def test_the_commit_page_for_each_kind_of_remote(remote: str, url: str | None) -> None:
    assert commit_url(remote, SHA) == url


def test_the_line_says_committed_locally_without_a_known_pushed_remote() -> None:
    github = "git@github.com:alexey/kb.git"
    assert (
        commit_line(github, SHA, pushed=True)
        == f"Commit: https://github.com/alexey/kb/commit/{SHA}"
    )
    assert commit_line(github, SHA, pushed=False) == "Committed locally (0123456)."
    assert commit_line(None, SHA, pushed=True) == "Committed locally (0123456)."
    assert "secret" not in commit_line("https://u:secret@gitlab.com/a/b", SHA, pushed=True)
