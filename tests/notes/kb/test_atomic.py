from __future__ import annotations

import os

import pytest

from notes.kb import atomic


def test_write_text_creates_parents_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a" / "b" / "note.txt"
    atomic.write_text(target, "привет")
    assert target.read_text(encoding="utf-8") == "привет"
    assert os.listdir(target.parent) == ["note.txt"]


def test_existing_file_is_never_overwritten(tmp_path):
    target = tmp_path / "note.txt"
    target.write_text("original")
    with pytest.raises(FileExistsError, match="not overwriting"):
        atomic.write_text(target, "new")
    assert target.read_text() == "original"
    assert os.listdir(tmp_path) == ["note.txt"]


def test_overwrite_when_asked(tmp_path):
    target = tmp_path / "note.txt"
    target.write_text("original")
    atomic.write_text(target, "new", overwrite=True)
    assert target.read_text() == "new"


def test_copy_file(tmp_path):
    source = tmp_path / "src.bin"
    source.write_bytes(bytes(range(256)) * 1000)
    target = atomic.copy_file(source, tmp_path / "out" / "dst.bin")
    assert target.read_bytes() == source.read_bytes()
    with pytest.raises(FileExistsError):
        atomic.copy_file(source, target)


def test_move_file_refuses_to_clobber(tmp_path):
    source = tmp_path / "raw" / "n.txt"
    source.parent.mkdir()
    source.write_text("a")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "n.txt").write_text("b")
    with pytest.raises(FileExistsError):
        atomic.move_file(source, tmp_path / "used" / "n.txt")
    assert source.read_text() == "a"
    atomic.move_file(source, tmp_path / "elsewhere" / "n.txt")
    assert not source.exists()
    assert (tmp_path / "elsewhere" / "n.txt").read_text() == "a"


def test_failed_write_leaves_nothing_behind(tmp_path):
    with pytest.raises(TypeError):
        atomic.write_bytes(tmp_path / "x.txt", "not bytes")  # type: ignore[arg-type]
    assert os.listdir(tmp_path) == []


def test_is_temporary(tmp_path):
    assert atomic.is_temporary(tmp_path / ".note.txt.k2j3.tmp")
    assert not atomic.is_temporary(tmp_path / "note.txt")
