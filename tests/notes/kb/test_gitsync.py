"""A pass and a remote the author pushes to as well: pull, rebase, conflict, push (real git)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.serve import pass_notice
from notes.drafting import PassStopped, run_pass
from notes.drafting.answers import ROUTE, UPDATE
from notes.kb import KnowledgeBase, gitsync
from tests.support.kbfiles import add_note, article_text, write_article
from tests.support.openai_server import OpenAIServer, answer, settings_for

pytestmark = [pytest.mark.timeout(120), pytest.mark.usefixtures("no_git_identity")]

ARTICLE = "articles/evals.md"
HIS_LINE = "Evaluation sets first."


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


class Remote:
    """A bare remote, the server's KB cloned from it (no identity: the tool's fallback), and
    the author's own clone, where he edits and pushes."""

    def __init__(self, tmp_path: Path) -> None:
        self.bare = tmp_path / "remote.git"
        seed = tmp_path / "seed"
        seed.mkdir()
        kb = KnowledgeBase(seed).ensure()
        write_article(kb, "evals.md", article_text("Evals", "Intro[^1].", {"1": add_note(kb, 1)}))
        git(seed, "init", "-q", "-b", "main")
        git(seed, "-c", "user.name=A", "-c", "user.email=a@example.org", "add", ".")
        git(seed, "-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "KB")
        git(tmp_path, "clone", "-q", "--bare", str(seed), str(self.bare))
        git(tmp_path, "clone", "-q", str(self.bare), str(tmp_path / "server"))
        git(tmp_path, "clone", "-q", str(self.bare), str(tmp_path / "his"))
        self.kb = KnowledgeBase(tmp_path / "server").ensure()
        self.his = tmp_path / "his"
        for option in ("user.name=Author", "user.email=author@example.org"):
            key, value = option.split("=")
            git(self.his, "config", key, value)

    def he_edits(self, rel: str, old: str, new: str, message: str = "My edit") -> None:
        path = self.his / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        git(self.his, "commit", "-qam", message)
        git(self.his, "push", "-q", "origin", "main")

    def remote_log(self) -> list[str]:
        return git(self.bare, "log", "--format=%s", "main").splitlines()


def update_answers(server: OpenAIServer, markdown: str = "A new point[^S1].") -> None:
    route = {
        "sources": ["S1"],
        "action": "update",
        "article": ARTICLE,
        "title": None,
        "tags": [],
        "folder": None,
        "reason": "same topic",
    }
    server.always(ROUTE, answer({"decisions": [route]}))
    insertion = {"section": None, "heading": "More", "markdown": markdown}
    server.always(
        UPDATE,
        answer({"tags": [], "description": "Evals.", "insertions": [insertion], "figures": []}),
    )


def test_a_pass_pulls_his_edit_first_then_pushes_on_top_of_it(tmp_path: Path) -> None:
    remote = Remote(tmp_path)
    remote.he_edits(ARTICLE, "Intro[^1].", f"Intro[^1]. {HIS_LINE}")
    add_note(remote.kb, 2, folder="raw")
    with OpenAIServer() as server:
        update_answers(server)
        report = run_pass(settings_for(server, remote.kb.root, VOICENOTES_GIT_PUSH="1"))
    assert report.ok and report.warnings == [], report.warnings
    text = (remote.kb.root / ARTICLE).read_text(encoding="utf-8")
    assert HIS_LINE in text and "A new point[^" in text
    assert remote.remote_log()[:2] == [report.commit_message().splitlines()[0], "My edit"]
    assert git(remote.kb.root, "rev-parse", "HEAD") == git(remote.bare, "rev-parse", "main")


def test_the_tools_unpushed_commit_is_rebased_onto_his_edit(tmp_path: Path) -> None:
    remote = Remote(tmp_path)
    add_note(remote.kb, 2, folder="raw")
    with OpenAIServer() as server:
        update_answers(server)
        first = run_pass(settings_for(server, remote.kb.root))  # not pushed
        his_file = remote.his / "articles/his.md"
        his_file.write_text("# Mine\n", encoding="utf-8")
        git(remote.his, "add", ".")
        git(remote.his, "commit", "-qm", "His new page")
        git(remote.his, "push", "-q", "origin", "main")
        add_note(remote.kb, 3, folder="raw")
        second = run_pass(settings_for(server, remote.kb.root, VOICENOTES_GIT_PUSH="1"))
    assert first.commit and second.ok, second.warnings
    subjects = remote.remote_log()
    assert subjects[1:] == [first.commit_message().splitlines()[0], "His new page", "KB"]
    assert git(remote.bare, "rev-list", "--merges", "--count", "main") == "0"  # no fork
    assert (remote.kb.root / "articles/his.md").is_file()


def test_his_conflicting_edit_stops_the_pass_with_one_line_and_keeps_every_note(
    tmp_path: Path,
) -> None:
    remote = Remote(tmp_path)
    add_note(remote.kb, 2, folder="raw")
    with OpenAIServer() as server:
        update_answers(server, "Mine, from the tool[^S1].")
        run_pass(settings_for(server, remote.kb.root))  # a commit that is not pushed
        head = git(remote.kb.root, "rev-parse", "HEAD")
        article = (remote.kb.root / ARTICLE).read_bytes()
        remote.he_edits(ARTICLE, "## Sources", "## More\n\nHis own words here.\n\n## Sources")
        waiting = [add_note(remote.kb, 3, folder="raw"), add_note(remote.kb, 4, folder="raw")]
        with pytest.raises(PassStopped) as stopped:
            run_pass(settings_for(server, remote.kb.root, VOICENOTES_GIT_PUSH="1"))
        calls = len(server.requests_for(UPDATE))
    line = str(stopped.value)
    assert "\n" not in line and "conflict" in line and ARTICLE in line
    assert stopped.value.report.conflict == line
    assert sorted(p.name for p in remote.kb.raw.iterdir()) == sorted(waiting)
    assert git(remote.kb.root, "rev-parse", "HEAD") == head
    assert (remote.kb.root / ARTICLE).read_bytes() == article
    assert git(remote.kb.root, "status", "--porcelain", "--untracked-files=no") == ""
    assert not (remote.kb.root / ".git/rebase-merge").exists()
    assert calls == 1  # the stopped pass asked the model nothing
    notice = pass_notice(stopped.value.report)
    assert notice is not None and notice.startswith("Drafting stopped: edits on origin conflict")


def test_an_unreachable_remote_is_a_warning_not_a_conflict(tmp_path: Path) -> None:
    remote = Remote(tmp_path)
    git(remote.kb.root, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    warnings = gitsync.pull(remote.kb.root)
    assert len(warnings) == 1 and warnings[0].startswith("not pulled from origin:")


def test_nothing_new_on_the_remote_changes_nothing(tmp_path: Path) -> None:
    remote = Remote(tmp_path)
    head = git(remote.kb.root, "rev-parse", "HEAD")
    assert gitsync.pull(remote.kb.root) == []
    assert git(remote.kb.root, "rev-parse", "HEAD") == head
