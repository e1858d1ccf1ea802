"""His glossary: names and terms as he spells them, learned from his own corrections.

The accepted terms live in the KB, `articles/_meta/glossary.md`, one `- term` a line, so he
can edit them by hand; speech recognition continues from them (the engine's initial prompt,
or a transcription server's `prompt`), so "Mladen" stays "Mladen". When a revision replaces a
misheard word with one that sounds alike ("Ladden" → "Mladen"), the new spelling is proposed,
not added: proposals wait in `.voicenotes/glossary.json` until he accepts or rejects each
(`voicenotes glossary`); a rejected term is never proposed again.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from notes.kb import KnowledgeBase, atomic
from notes.settings import Settings

GLOSSARY_HEADER = (
    "# Glossary\n\n"
    "Names and terms as they are spelled. voicenotes gives them to speech recognition, so\n"
    "they are heard right; edit this list freely, one `- term` a line.\n\n"
)
_TERM_LINE = re.compile(r"^\s*[-*]\s+(?P<term>\S.*?)\s*$")
_WORD = re.compile(r"[\w][\w.+#'-]*", re.UNICODE)
SOUNDS_ALIKE = 0.5
"""How alike (difflib's ratio, lower-cased) a correction must be to what it replaces to be a
misheard word rather than a rewording."""
MOST_WORDS = 3


@dataclass(frozen=True)
class Proposal:
    term: str
    heard: str
    """What the transcript had instead."""
    article: str = ""


def glossary_path(kb: KnowledgeBase) -> Path:
    return kb.articles / "_meta" / "glossary.md"


def terms(kb: KnowledgeBase) -> list[str]:
    """The accepted terms, in the file's order (nothing when there is no glossary)."""
    try:
        text = glossary_path(kb).read_text(encoding="utf-8")
    except OSError:
        return []
    found = [match["term"] for line in text.splitlines() if (match := _TERM_LINE.match(line))]
    return list(dict.fromkeys(term.strip("`") for term in found))


def corrections(old: str, new: str) -> list[Proposal]:
    """The words of `new` that replace a sound-alike word of `old` (a misheard name fixed)."""
    before, after = _WORD.findall(old), _WORD.findall(new)
    found = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or max(i2 - i1, j2 - j1) > MOST_WORDS:
            continue
        heard, term = " ".join(before[i1:i2]), " ".join(after[j1:j2])
        alike = difflib.SequenceMatcher(a=heard.lower(), b=term.lower()).ratio()
        if heard.lower() != term.lower() and alike >= SOUNDS_ALIKE:
            found.append(Proposal(term, heard))
    return found


def pending(kb: KnowledgeBase) -> list[Proposal]:
    return [Proposal(**item) for item in _state(kb)["proposals"]]


def status_line(kb: KnowledgeBase) -> str | None:
    """What /status says of the proposals (None when none waits)."""
    waiting = pending(kb)
    if not waiting:
        return None
    names = ", ".join(p.term for p in waiting[:5]) + (", …" if len(waiting) > 5 else "")
    return (
        f"Glossary: {len(waiting)} proposed ({names}); accept with voicenotes glossary accept TERM."
    )


def propose(kb: KnowledgeBase, proposals: Iterable[Proposal]) -> list[Proposal]:
    """Keep the new proposals (not accepted, rejected or waiting already); returns them."""
    state = _state(kb)
    known = {t.lower() for t in terms(kb)} | {t.lower() for t in state["rejected"]}
    known |= {item["term"].lower() for item in state["proposals"]}
    added = []
    for proposal in proposals:
        if proposal.term.lower() not in known:
            known.add(proposal.term.lower())
            added.append(proposal)
    if added:
        state["proposals"] += [asdict(p) for p in added]
        _save(kb, state)
    return added


def accept(kb: KnowledgeBase, term: str) -> bool:
    """Add `term` to the glossary file (made when missing), and drop its proposal."""
    state = _state(kb)
    state["proposals"] = [p for p in state["proposals"] if p["term"].lower() != term.lower()]
    _save(kb, state)
    if term.lower() in {t.lower() for t in terms(kb)}:
        return False
    path = glossary_path(kb)
    text = path.read_text(encoding="utf-8") if path.is_file() else GLOSSARY_HEADER
    text = text if not text or text.endswith("\n") else text + "\n"
    atomic.write_text(path, f"{text}- {term}\n", overwrite=True)
    return True


def reject(kb: KnowledgeBase, term: str) -> bool:
    """Drop `term`'s proposal and never propose it again; False when none waited."""
    state = _state(kb)
    kept = [p for p in state["proposals"] if p["term"].lower() != term.lower()]
    if len(kept) == len(state["proposals"]):
        return False
    state["proposals"] = kept
    state["rejected"] = sorted({*state["rejected"], term})
    _save(kb, state)
    return True


def _state_path(kb: KnowledgeBase) -> Path:
    return kb.state / "glossary.json"


def _state(kb: KnowledgeBase) -> dict[str, list[Any]]:
    try:
        loaded = json.loads(_state_path(kb).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        loaded = {}
    return {
        "proposals": list(loaded.get("proposals", [])),
        "rejected": list(loaded.get("rejected", [])),
    }


def _save(kb: KnowledgeBase, state: dict[str, list[Any]]) -> None:
    kb.state.mkdir(parents=True, exist_ok=True)
    text = json.dumps(state, ensure_ascii=False, indent=2) + "\n"
    atomic.write_text(_state_path(kb), text, overwrite=True)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes glossary [list | accept TERM | reject TERM]`."""
    kb = KnowledgeBase(settings.kb)
    if args.action == "list":
        accepted = terms(kb)
        print(f"glossary ({glossary_path(kb).relative_to(kb.root)}): {len(accepted)} terms")
        for term in accepted:
            print(f"  {term}")
        for proposal in pending(kb):
            where = f" in {proposal.article}" if proposal.article else ""
            print(f"proposed: {proposal.term} (heard as {proposal.heard!r}{where})")
        return 0
    if not args.term:
        print(f"error: name the term to {args.action}", file=sys.stderr)
        return 2
    done = accept(kb, args.term) if args.action == "accept" else reject(kb, args.term)
    if args.action == "accept":
        print(f"{args.term}: " + ("added to the glossary" if done else "already in the glossary"))
    else:
        print(f"{args.term}: " + ("rejected, never proposed again" if done else "not proposed"))
    return 0 if done or args.action == "accept" else 1
