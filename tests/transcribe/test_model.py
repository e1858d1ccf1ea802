from __future__ import annotations

import os

import pytest

from transcribe import model
from transcribe.base import ModelError


@pytest.fixture(scope="module")
def assembled(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return cache, model.embedded_model_dir(cache)


def test_embedded_model_is_assembled_and_verified(assembled):
    cache, folder = assembled
    assert folder.parent == cache / "models"
    for name, expected in model.EXPECTED_SHA256.items():
        assert model.sha256_of(folder / name) == expected
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_second_use_reuses_the_folder(assembled):
    cache, folder = assembled
    before = (folder / "model.bin").stat().st_mtime_ns
    assert model.embedded_model_dir(cache) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == before


def test_damaged_cache_is_rebuilt_never_used(assembled):
    cache, folder = assembled
    with (folder / "model.bin").open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01\x02\x03")
    assert model.embedded_model_dir(cache) == folder
    assert model.sha256_of(folder / "model.bin") == model.EXPECTED_SHA256["model.bin"]


def test_damaged_package_data_is_a_clear_error(tmp_path, monkeypatch):
    good_first, _ = model._part_dirs()
    bad_second = tmp_path / "part2"
    bad_second.mkdir()
    (bad_second / "model.bin.part2").write_bytes(b"not the model")
    monkeypatch.setattr(model, "_part_dirs", lambda: [good_first, bad_second])
    with pytest.raises(ModelError, match=r"model\.bin failed its SHA-256 check"):
        model.embedded_model_dir(tmp_path / "cache")
    folder = next((tmp_path / "cache" / "models").iterdir())
    assert list(folder.iterdir()) == []


def test_cache_location_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("VOICENOTES_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert model.cache_root() == tmp_path / "voicenotes"
    monkeypatch.setenv("VOICENOTES_CACHE_DIR", str(tmp_path / "mine"))
    assert model.cache_root() == tmp_path / "mine"


def test_an_unchanged_model_is_not_hashed_again(assembled, monkeypatch):
    cache, folder = assembled
    model.embedded_model_dir(cache)  # stamps the files as verified

    def no_hashing(path):
        raise AssertionError(f"{path} hashed again")

    monkeypatch.setattr(model, "sha256_of", no_hashing)
    assert model.embedded_model_dir(cache) == folder


def test_damage_that_keeps_size_and_mtime_is_still_caught(assembled):
    cache, folder = assembled
    model.embedded_model_dir(cache)
    target = folder / "model.bin"
    before = target.stat()
    with target.open("r+b") as handle:
        handle.seek(5000)
        handle.write(b"\xff\xfe\xfd\xfc")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert model.embedded_model_dir(cache) == folder
    assert model.sha256_of(target) == model.EXPECTED_SHA256["model.bin"]


def test_a_damaged_stamp_means_hashing_again(assembled):
    cache, folder = assembled
    (folder / model.STAMP_FILE).write_text("{not json")
    assert model.embedded_model_dir(cache) == folder
    assert model._unchanged_since_verified(folder)
