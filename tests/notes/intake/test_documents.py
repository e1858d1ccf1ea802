"""Documents filed by what they hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes.intake import documents
from notes.intake.filing import Materials
from notes.kb import KnowledgeBase
from tests.support.materials import SENDER, STEM, front, private_ok
from tests.support.openai_server import OpenAIServer
from tests.support.pictures import exif_of, photo_with_gps
from tests.support.web_server import make_pdf

pytestmark = pytest.mark.timeout(120)


def test_documents_by_kind(server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path) -> None:
    m = Materials(kb, private_ok(server, kb))
    text = tmp_path / "plan.md"
    text.write_text("# План\n\n- пункт", encoding="utf-8")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(make_pdf(["Graph of prompts"], "PGE"))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnothing else")
    blob = tmp_path / "book.epub"
    blob.write_bytes(b"PK\x03\x04 an epub")

    as_text = documents.file_document(m, text, "plan.md", STEM + "a", SENDER, None)
    as_pdf = documents.file_document(m, pdf, "paper.pdf", STEM + "b", SENDER, "статья")
    as_broken = documents.file_document(m, broken, "broken.pdf", STEM + "c", SENDER, None)
    as_blob = documents.file_document(m, blob, "book.epub", STEM + "d", SENDER, "книга")

    assert as_text.path.read_text(encoding="utf-8").endswith(
        "original_filename: plan.md\nfiled_by: voicenotes\n---\n# План\n\n- пункт"
    )
    pdf_note = as_pdf.path.read_text(encoding="utf-8")
    assert "## Text of paper.pdf\n\nGraph of prompts" in pdf_note
    assert pdf_note.endswith("Caption: статья")
    assert front(as_pdf.path)["saved_as"] == f"{STEM}b.pdf"
    assert as_broken.problem is not None and "PDF" in as_broken.problem
    assert (kb.raw / f"{STEM}c.pdf").read_bytes() == broken.read_bytes()
    assert front(as_blob.path)["saved_as"] == f"{STEM}d.epub"
    assert as_blob.problem is None


def test_an_image_sent_as_a_file_loses_its_gps(
    server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path
) -> None:
    photo = tmp_path / "IMG_0001.JPG"
    photo.write_bytes(photo_with_gps(1200, 900))
    m = Materials(kb, private_ok(server, kb))
    filed = documents.file_document(m, photo, "IMG_0001.JPG", STEM, SENDER, None)
    assert filed.path.name == f"{STEM}_photo.md"
    assert front(filed.path)["original_filename"] == "IMG_0001.JPG"
    assert dict(exif_of((kb.raw / f"{STEM}.jpg").read_bytes())) == {}
    assert not list(kb.raw.glob("*.JPG"))
