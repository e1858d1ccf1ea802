"""Removing an article: `voicenotes remove ARTICLE [--yes]`.

`remove` deletes the article, and the notes only it cites and the images only it shows when
voicenotes filed them (notes.upkeep.filed: named by the run log and marked `filed_by: voicenotes`);
it names what it keeps because another document uses it, and counts what it leaves alone
because voicenotes did not file it (the author's own notes stay). An image whose photo note
voicenotes filed and another document still cites is moved into `_unused/` instead, its note
following.

It first shows what it would do and asks; `--yes` does it without asking, and with no terminal
to ask on and no `--yes` it changes nothing and says so. The change itself is made under the
drafting lock, from the documents as they are read again under it, so a note a pass has just
cited is never deleted. The generated index is regenerated, the change committed, and pushed
when `VOICENOTES_GIT_PUSH` asks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from notes.errors import explain
from notes.kb import KnowledgeBase, lock
from notes.kb.metadocs import is_meta_document
from notes.settings import Settings
from notes.upkeep import filed, tidy
from notes.upkeep.cleanup import uses_of
from notes.upkeep.tidy import ASSETS, UNUSED, Found


def plan(kb: KnowledgeBase, article: str) -> Found:
    """What removing the article at KB path `article` would delete (`notes`, `images`), keep
    (`kept`) and leave alone; changes nothing. Raises FileNotFoundError: no such article."""
    all_uses = uses_of(kb)
    if article not in all_uses or is_meta_document(article):
        raise FileNotFoundError(f"no article {article}")
    own = all_uses.pop(article)
    others_notes = set().union(*(u.notes for u in all_uses.values())) if all_uses else set()
    others_files = set().union(*(u.files for u in all_uses.values())) if all_uses else set()
    found = Found()
    mine = filed.owned(kb)
    locations = _note_paths(kb)
    for name in sorted(own.notes):
        path = locations.get(name)
        if path is None:
            continue
        rel = path.relative_to(kb.root).as_posix()
        _sort_out(found, rel, used_elsewhere=name in others_notes, ours=rel in mine.notes)
    for rel in sorted(own.files):
        if rel.startswith(ASSETS + "/") and (kb.root / rel).is_file():
            _sort_out(found, rel, used_elsewhere=rel in others_files, ours=rel in mine.images)
    found.why = {rel: tidy.reason(mine, rel) for rel in found.left_alone}
    return found


def remove(kb: KnowledgeBase, article: str, *, push: bool = False) -> Found:
    """Delete the article at KB path `article`, and the notes and images only it uses that
    voicenotes filed; those it did not file stay (`Found.left_alone`), as in `cleanup`.

    The caller holds the drafting lock. Raises FileNotFoundError when there is no such article.
    """
    found = plan(kb, article)
    owners = filed.owned(kb).images
    touched: list[Path] = []
    for rel in found.notes:
        touched += tidy.delete_note(kb, kb.root / rel, found)
    for rel in found.images:
        owner = owners[rel]
        if owner not in found.notes and not rel.startswith(UNUSED + "/"):
            try:  # its photo note stays: the image retires, and the note says where to
                touched += tidy.retire(kb, rel, owner, found)
            except (OSError, ValueError) as error:
                found.problems.append(f"{rel}: {explain(error)}")
            continue
        (kb.root / rel).unlink(missing_ok=True)
        found.deleted.append(rel)
        touched.append(kb.root / rel)
    (kb.root / article).unlink()
    found.deleted.append(article)
    touched.append(kb.root / article)
    touched += tidy.forget_description(kb, article)
    touched += tidy.reindex(kb, create=True)
    tidy.commit(kb, touched, f"Remove {article}", found, push=push)
    return found


def preview(article: str, found: Found) -> list[str]:
    """What `remove` would do, one line a file, for the author to confirm."""
    out = [f"would delete {article}"]
    out += [f"would delete {rel}" for rel in found.notes]
    out += [f"would retire or delete {rel}" for rel in found.images]
    out += [f"would keep (used elsewhere): {rel}" for rel in found.kept]
    out += [
        f"would leave alone: {rel} ({found.why.get(rel, 'not filed')})" for rel in found.left_alone
    ]
    return out


def article_path(kb: KnowledgeBase, given: str) -> str:
    """The KB path of an article named as `articles/x.md`, `x.md`, `x` or a file path."""
    candidate = Path(given)
    if candidate.is_absolute() or candidate.exists():
        try:
            return candidate.resolve().relative_to(kb.root.resolve()).as_posix()
        except ValueError:
            pass
    rel = given if given.startswith("articles/") else f"articles/{given}"
    return rel if rel.endswith(".md") else f"{rel}.md"


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes remove ARTICLE [--yes]`: show, ask (unless `--yes`), then remove."""
    kb = KnowledgeBase(settings.kb)
    article = article_path(kb, args.article)
    try:
        if not getattr(args, "yes", False) and not _confirmed(article, plan(kb, article)):
            return 1
        with tidy.locked(kb):
            found = remove(kb, article, push=settings.git_push)
    except (lock.Busy, OSError) as error:
        return tidy.failed(error, "nothing removed")
    for line in found.lines(dry_run=False)[:-1]:
        print(line)
    return 1 if found.problems else 0


def _confirmed(article: str, found: Found) -> bool:
    """Show the plan and ask; no terminal to ask on means no (and says so)."""
    for line in preview(article, found):
        print(line)
    if not sys.stdin.isatty():
        print(f"nothing removed: run `voicenotes remove {article} --yes` to remove it")
        return False
    try:
        answer = input(f"Remove {article}? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        print("nothing removed")
        return False
    return True


def _sort_out(found: Found, rel: str, *, used_elsewhere: bool, ours: bool) -> None:
    """File a note or image the removed article used: kept, to go, or left alone."""
    if used_elsewhere:
        found.kept.append(rel)
    elif ours:
        (found.images if rel.startswith(ASSETS + "/") else found.notes).append(rel)
    else:
        found.left_alone.append(rel)


def _note_paths(kb: KnowledgeBase) -> dict[str, Path]:
    """Notes in `inbox/used/` by name (the first one found when a name repeats)."""
    paths: dict[str, Path] = {}
    for path in tidy.notes_under(kb.used):
        paths.setdefault(path.name, path)
    return paths
