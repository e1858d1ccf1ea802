"""His glossary: sound-alike corrections proposed, accepted into the KB's file by him, and the
accepted terms reaching speech recognition, local or remote."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes.cli import main
from notes.intake.transcribers import transcriber_for
from notes.intake.voice import engine_options
from notes.kb import KnowledgeBase, glossary
from notes.kb.glossary import Proposal, corrections
from notes.settings import load_settings
from tests.support.audio_api import AudioApiServer
from transcribe.remote import RemoteTranscriber


def test_a_misheard_name_fixed_is_a_correction_and_a_rewording_is_not() -> None:
    old = "Today I talked to Ladden about the course, and we use minsearch there."
    new = "Today I talked to Mladen about the course, and we rely on minsearch there."
    assert corrections(old, new) == [Proposal("Mladen", "Ladden")]
    assert corrections("Skyles are key.", "Skills are key.") == [Proposal("Skills", "Skyles")]
    assert corrections("I met ladden.", "I met Ladden.") == []
    assert corrections("a b c d e f", "a x y z w f") == []  # more than three words: rewritten


def test_proposals_wait_for_him_and_a_rejected_one_never_comes_back(kb: KnowledgeBase) -> None:
    added = glossary.propose(kb, [Proposal("Mladen", "Ladden", "articles/course.md")])
    assert added == [Proposal("Mladen", "Ladden", "articles/course.md")]
    assert glossary.propose(kb, [Proposal("mladen", "Mlaiden")]) == []  # waiting already
    assert glossary.pending(kb) == added
    assert not glossary.glossary_path(kb).exists()

    assert glossary.propose(kb, [Proposal("Skills", "Skyles")])
    assert glossary.reject(kb, "Skills") and not glossary.reject(kb, "Skills")
    assert glossary.propose(kb, [Proposal("Skills", "Skyles")]) == []

    assert glossary.accept(kb, "Mladen")
    assert glossary.pending(kb) == []
    assert glossary.terms(kb) == ["Mladen"]
    assert glossary.propose(kb, [Proposal("Mladen", "Ladden")]) == []  # accepted already
    assert glossary.glossary_path(kb).read_text(encoding="utf-8").endswith("\n\n- Mladen\n")


def test_his_own_edits_of_the_glossary_file_are_read_and_kept(kb: KnowledgeBase) -> None:
    path = glossary.glossary_path(kb)
    path.parent.mkdir(parents=True)
    mine = "# My words\n\nSome prose he wrote.\n\n* DataTalks.Club\n- `minsearch`\n- Mladen\n"
    path.write_text(mine, encoding="utf-8")
    assert glossary.terms(kb) == ["DataTalks.Club", "minsearch", "Mladen"]
    assert glossary.accept(kb, "Zoomcamp")
    assert path.read_text(encoding="utf-8") == mine + "- Zoomcamp\n"
    assert not glossary.accept(kb, "mladen")
    assert path.read_text(encoding="utf-8") == mine + "- Zoomcamp\n"


def test_an_accepted_term_reaches_the_recognition_prompt(tmp_path: Path, speech_ogg: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    glossary.propose(kb, [Proposal("Mladen", "Ladden")])
    settings = load_settings(kb.root, VOICENOTES_GLOSSARY="RAG")
    assert engine_options(settings).initial_prompt() == "RAG."  # proposed is not accepted
    glossary.accept(kb, "Mladen")
    assert engine_options(settings).initial_prompt() == "RAG, Mladen."

    with AudioApiServer() as api:
        remote = load_settings(kb.root, VOICENOTES_TRANSCRIBE_URL=api.url)
        transcriber = transcriber_for(remote)
        assert isinstance(transcriber, RemoteTranscriber)
        transcriber.transcribe(speech_ogg)
    assert api.uploads[0].fields["prompt"] == "Mladen."


def test_the_glossary_command_lists_accepts_and_rejects(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    glossary.propose(kb, [Proposal("Mladen", "Ladden", "articles/course.md"), Proposal("X1", "X2")])
    assert main(["glossary", "list", "--kb", str(kb.root)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "glossary (articles/_meta/glossary.md): 0 terms",
        "proposed: Mladen (heard as 'Ladden' in articles/course.md)",
        "proposed: X1 (heard as 'X2')",
    ]
    assert main(["glossary", "accept", "Mladen", "--kb", str(kb.root)]) == 0
    assert main(["glossary", "reject", "X1", "--kb", str(kb.root)]) == 0
    assert main(["glossary", "reject", "X1", "--kb", str(kb.root)]) == 1
    assert main(["glossary", "accept", "--kb", str(kb.root)]) == 2
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "Mladen: added to the glossary",
        "X1: rejected, never proposed again",
        "X1: not proposed",
    ]
    assert out.err.strip() == "error: name the term to accept"
    assert glossary.terms(kb) == ["Mladen"] and glossary.pending(kb) == []
