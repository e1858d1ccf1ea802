from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from notes.cli import main
from notes.kb import KnowledgeBase
from notes.upkeep import check, orphans
from tests.support.kbfiles import (
    add_note,
    article_text,
    copy_examples,
    generated_kb,
    write_article,
)

MSG902 = "20260204_102429_AlexeyDTC_msg902_transcript.txt"


def run(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, list[str]]:
    status = main(["check", "--kb", str(kb.root), *extra])
    return status, capsys.readouterr().out.splitlines()


def good_kb(kb: KnowledgeBase) -> None:
    """Articles as a person might write them: odd Markdown, HTML, images, subfolders."""
    first, second, third = add_note(kb, 1), add_note(kb, 2), add_note(kb, 3)
    body = (
        "Claim one[^1] and <span>inline HTML</span>, ![a picture](img/p.png).\n\n"
        '<details>\n<summary>cited in HTML[^2] <img src="img/p.png"></summary>\n</details>\n\n'
        "| table | cell |\n| --- | --- |\n| cited[^2] | `[^7]` |\n\n"
        "> A quote citing one again[^1].\n\n"
        "See [the other article](ai/other.md), [a site](https://example.com/x) "
        "and [a heading](#sources)."
    )
    write_article(kb, "first.md", article_text("First", body, {"1": first, "2": second}))
    write_article(kb, "img/p.png", b"\x89PNG")
    write_article(
        kb,
        "ai/other.md",
        article_text("Other", "Deeper claim[^note].", {"note": third}, depth=1),
    )


def test_good_kb_passes(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    good_kb(kb)
    status, out = run(kb, capsys)
    assert out == ["checked 2 articles: 0 errors, 0 warnings"]
    assert status == 0


def test_example_article_shows_its_faults(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_examples(kb)
    status, out = run(kb, capsys)
    assert status == 1
    assert out == [
        f"articles/ai-engineer-my-vision.md:94: source link ../inbox/used/{MSG902}: no such file",
        "articles/ai-engineer-my-vision.md:92: warning: footnote [^1] is defined but never used",
        "articles/ai-engineer-my-vision.md:93: warning: footnote [^2] is defined but never used",
        "articles/ai-engineer-my-vision.md:94: warning: footnote [^3] is defined but never used",
        "checked 1 article: 1 error, 3 warnings",
    ]


def with_body(body: str) -> Callable[[str], str]:
    """The article "T" with `body`, citing the note it is given as [^1]."""
    return lambda name: article_text("T", body, {"1": name})


def with_front(old: str, new: str) -> Callable[[str], str]:
    """The article "T" citing the note it is given, `old` in its front matter made `new`."""
    return lambda name: with_body("Claim[^1].")(name).replace(old, new)


FAULTS: dict[str, tuple[Callable[[str], str], str]] = {
    "broken source link": (
        lambda n: article_text("T", "Claim[^1][^2].", {"1": n, "2": "missing_transcript.txt"}),
        "articles/bad.md:16: source link ../inbox/used/missing_transcript.txt: no such file",
    ),
    "broken link into the inbox from the body": (
        with_body("Claim[^1], [raw](../inbox/raw/gone.txt)."),
        "articles/bad.md:11: source link ../inbox/raw/gone.txt: no such file",
    ),
    "reference without definition": (
        with_body("Claim[^1].\n\nOther claim[^2]."),
        "articles/bad.md:13: footnote [^2] is used but not defined",
    ),
    "marker in HTML without definition": (
        with_body("Claim[^1].\n\n<figure>\n<figcaption>Seen[^7]</figcaption>\n</figure>"),
        "articles/bad.md:14: footnote [^7] (in HTML) is used but not defined",
    ),
    "missing image": (
        with_body("Claim[^1].\n\n![x](../assets/gone.png)"),
        "articles/bad.md:13: image ../assets/gone.png: no such file",
    ),
    "missing HTML image": (
        with_body('Claim[^1].\n\n<img src="../assets/gone.jpg">'),
        "articles/bad.md:13: HTML ../assets/gone.jpg: no such file",
    ),
    "missing link target": (
        with_body('Claim[^1], see <a href="other.md#x">other</a>.'),
        "articles/bad.md:11: HTML other.md#x: no such file",
    ),
    "broken link to another article": (
        with_body("Claim[^1], see [other](ai/gone.md)."),
        "articles/bad.md:11: markdown link ai/gone.md: no such file",
    ),
    "duplicate definition": (
        lambda n: article_text("T", "Claim[^1].", {"1": n}) + f"[^1]: [{n}](../inbox/used/{n})\n",
        "articles/bad.md:16: footnote [^1] is defined twice (first on line 15)",
    ),
    "no front matter": (
        lambda n: f"# T\n\nClaim[^1].\n\n## Sources\n\n[^1]: [{n}](../inbox/used/{n})\n",
        "articles/bad.md:1: no front matter: the file does not start with '---'",
    ),
    "front matter not YAML": (
        with_front("tags: [testing]", "tags: [testing"),
        "articles/bad.md:6: front matter is not valid YAML: expected ',' or ']', but got ':'",
    ),
    "updated before created": (
        with_front("updated: 2026-03-02", "updated: 2025-01-01"),
        "articles/bad.md:4: front matter: updated 2025-01-01 is before created 2026-03-01",
    ),
    "tags not a list": (
        with_front("tags: [testing]", "tags: testing"),
        "articles/bad.md:5: front matter: tags must be a list of text items, like [a, b]",
    ),
    "missing title": (
        with_front('title: "T"\n', ""),
        "articles/bad.md:1: front matter: title is missing",
    ),
}


@pytest.mark.parametrize("fault", FAULTS, ids=FAULTS.keys())
def test_each_fault_is_an_error_on_its_line(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str], fault: str
) -> None:
    good_kb(kb)
    make, expected = FAULTS[fault]
    write_article(kb, "bad.md", make(add_note(kb, 50)))
    status, out = run(kb, capsys)
    assert status == 1
    assert out[:-1] == [expected]
    assert out[-1] == "checked 3 articles: 1 error, 0 warnings"


def test_non_utf8_file_is_one_error(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    good_kb(kb)
    name = add_note(kb, 50)
    text = article_text("T", "Caf\xe9 claim[^1].", {"1": name})
    write_article(kb, "latin.md", text.encode("latin-1"))
    status, out = run(kb, capsys)
    assert status == 1
    assert out == [
        "articles/latin.md:11: not UTF-8 text (byte 0xe9 at offset 98)",
        "checked 3 articles: 1 error, 0 warnings",
    ]


def test_underscore_documents_need_no_front_matter_but_their_links_are_checked(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    good_kb(kb)
    cited = add_note(kb, 20)
    write_article(kb, "_index.md", "# My index\n\n| [First](first.md) | [gone](gone.md) |\n")
    write_article(kb, "ai/_log.md", f"Week 1[^1].\n\n[^1]: [n](../../inbox/used/{cited})\n")
    write_article(kb, "_bad.md", "---\ntitle: [unclosed\n---\n\nText.\n")
    status, out = run(kb, capsys)
    assert status == 1
    assert out == [
        "articles/_bad.md:3: front matter is not valid YAML: "
        "expected ',' or ']', but got '<stream end>'",
        "articles/_index.md:3: markdown link gone.md: no such file",
        "checked 2 articles and 3 other documents: 2 errors, 0 warnings",
    ]


def test_crlf_article_and_byte_order_mark(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    name = add_note(kb, 1)
    text = "\ufeff" + article_text("T", "Claim[^1].", {"1": name}).replace("\n", "\r\n")
    write_article(kb, "windows.md", text)
    status, out = run(kb, capsys)
    assert (status, out) == (0, ["checked 1 article: 0 errors, 0 warnings"])


def test_fix_repairs_links_to_notes_that_moved(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    moved_up, moved_back, lost = add_note(kb, 1), add_note(kb, 2, folder="raw"), "lost.txt"
    text = article_text(
        "T", "One[^1], two[^2], three[^3].", {"1": moved_up, "2": moved_back}, depth=1
    )
    text = text.replace(f"inbox/used/{moved_up})", f"inbox/raw/{moved_up})")
    text = text.replace(f"inbox/raw/{moved_back})", f"inbox/used/{moved_back})")
    text += f"[^3]: [{lost}](../../inbox/raw/{lost})\n"
    path = write_article(kb, "ai/x.md", text)

    status, out = run(kb, capsys)
    assert status == 1 and len(out) == 4  # three broken links, the summary
    assert path.read_text(encoding="utf-8") == text  # no --fix, no change

    status, out = run(kb, capsys, "--fix")
    assert out == [
        f"articles/ai/x.md:15: fixed link ../../inbox/raw/{moved_up} -> "
        f"../../inbox/used/{moved_up}",
        f"articles/ai/x.md:16: fixed link ../../inbox/used/{moved_back} -> "
        f"../../inbox/raw/{moved_back}",
        f"articles/ai/x.md:17: source link ../../inbox/raw/{lost}: no such file",
        "checked 1 article: 1 error, 0 warnings, 2 links fixed",
    ]
    assert status == 1
    expected = text.replace(f"inbox/raw/{moved_up})", f"inbox/used/{moved_up})").replace(
        f"inbox/used/{moved_back})", f"inbox/raw/{moved_back})"
    )
    assert path.read_text(encoding="utf-8") == expected
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.md"]  # no temporary left

    status, out = run(kb, capsys, "--fix")
    assert out[-1] == "checked 1 article: 1 error, 0 warnings"


def test_fix_keeps_every_other_byte(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    name = add_note(kb, 1, folder="raw")
    text = article_text(
        "T", "Claim[^1]. Same link in text: see ../inbox/used/" + name, {"1": name}
    ).replace("\n", "\r\n")
    path = write_article(kb, "x.md", text)
    status, out = run(kb, capsys, "--fix")
    assert status == 0, out
    assert path.read_bytes() == text.replace(
        f"(../inbox/used/{name})", f"(../inbox/raw/{name})"
    ).encode("utf-8")


def test_orphans_are_notes_drafting_filed_that_nothing_cites_now(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    good_kb(kb)
    orphan, aside, other_aside, by_hand = (add_note(kb, n) for n in (10, 11, 12, 14))
    cited = [add_note(kb, n) for n in (1, 2, 3)]  # good_kb's articles cite them
    add_note(kb, 13, folder="raw")  # waiting notes are not orphans
    (kb.used / "notes.md").write_text("not a note file", encoding="utf-8")
    filed = [*cited, orphan, aside, other_aside, "20260301_000000_gone_msg9.md"]
    records = [
        {"time": "2026-03-01T10:00:00+00:00", "set_aside": [aside], "filed": filed},
        {"time": "2026-03-02T10:00:00+00:00", "set_aside": [f"inbox/used/{other_aside}"]},
    ]
    log = kb.state / "runs.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in records) + "{damaged\n", encoding="utf-8")
    status, out = run(kb, capsys)
    assert status == 0
    assert out == [  # by_hand was never filed by a pass: the author's business
        f"inbox/used/{orphan}: warning: no article cites this note",
        "checked 2 articles: 0 errors, 1 warning",
    ]
    assert orphans.run_history(kb)[1] == {aside, other_aside}
    assert by_hand not in " ".join(out)


def test_a_note_cited_only_by_an_underscore_document_is_not_an_orphan(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    good_kb(kb)
    logged = add_note(kb, 10)
    write_article(kb, "_weekly-log.md", f"Done[^1].\n\n[^1]: [x](../inbox/used/{logged})\n")
    (kb.state / "runs.jsonl").write_text(json.dumps({"filed": [logged]}) + "\n", encoding="utf-8")
    status, out = run(kb, capsys)
    assert (status, out) == (0, ["checked 2 articles and 1 other document: 0 errors, 0 warnings"])


def test_hundreds_of_articles(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    paths = generated_kb(kb, 300)
    status, out = run(kb, capsys)
    assert (status, out) == (0, ["checked 300 articles: 0 errors, 0 warnings"])
    paths[150].write_text(
        paths[150].read_text(encoding="utf-8").replace("[^2]\n", "[^3]\n"), encoding="utf-8"
    )
    status, out = run(kb, capsys)
    rel = paths[150].relative_to(kb.root).as_posix()
    assert status == 1
    assert out[:2] == [
        f"{rel}:15: footnote [^3] is used but not defined",
        f"{rel}:27: warning: footnote [^2] is defined but never used",
    ]


def test_kb_without_articles_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb = KnowledgeBase(tmp_path / "nothing")
    kb.root.mkdir()
    assert main(["check", "--kb", str(kb.root)]) == 1
    assert "no articles/ folder" in capsys.readouterr().out


def test_check_kb_reports_without_printing(kb: KnowledgeBase) -> None:
    copy_examples(kb)
    shutil.copy(kb.used / "20260204_102339_AlexeyDTC_msg900_transcript.txt", kb.used / MSG902)
    report = check.check_kb(kb)
    assert report.errors == []
    assert [(w.line, w.message, w.kind) for w in report.warnings] == [
        (92, "footnote [^1] is defined but never used", check.UNUSED_FOOTNOTE),
        (93, "footnote [^2] is defined but never used", check.UNUSED_FOOTNOTE),
        (94, "footnote [^3] is defined but never used", check.UNUSED_FOOTNOTE),
    ]
    assert report.articles == 1


def test_a_cited_time_range_must_lie_inside_the_recording(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    name = add_note(kb, 4)
    path = kb.used / name
    path.write_text(
        path.read_text(encoding="utf-8").replace("\n---\n", "\nduration: 181.2\n---\n", 1),
        encoding="utf-8",
    )
    audio = f"../inbox/audio/{name[:-15]}.ogg"
    (kb.audio / f"{name[:-15]}.ogg").write_bytes(b"OggS")
    link = f"[{name}](../inbox/used/{name})"
    text = (
        '---\ntitle: "Long"\ncreated: 2026-03-01\nupdated: 2026-03-01\ntags: []\n'
        "status: draft\n---\n\n# Long\n\nEarly[^1], late[^2], invented[^3].\n\n## Sources\n\n"
        f"[^1]: {link} at 0:06\u20130:18, [audio]({audio}#t=6,18)\n"
        f"[^2]: {link} at 2:50\u20133:01, [audio]({audio}#t=170,181)\n"
        f"[^3]: {link} at 12:30\u201313:10, [audio]({audio}#t=750,790)\n"
    )
    (kb.articles / "long.md").write_text(text, encoding="utf-8")
    status, out = run(kb, capsys)
    assert out == [
        "articles/long.md:17: cited time 12:30\u201313:10 is outside the recording (3:01 long)",
        "checked 1 article: 1 error, 0 warnings",
    ]
    assert status == 1
