"""Which model a name means, on this machine only: folders checked, named models from the
cache, one line for everything that cannot be used, and the device chosen."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import huggingface_hub.constants
import pytest

from notes.cli import main
from transcribe import EngineOptions, ModelError
from transcribe.catalog import MODEL_FILES, local_folder
from transcribe.engine import WhisperEngine, _gpus
from transcribe.model import embedded_model_dir

REVISION = "0123456789abcdef0123456789abcdef01234567"
REVISION_OF_HUB = REVISION  # the commit tests/support/model_hub.py serves


@pytest.fixture
def hub_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "hub"
    cache.mkdir()
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    return cache


def cache_model(cache: Path, repo: str) -> Path:
    """`repo` in the cache as huggingface_hub lays it out: blobs, a snapshot of links, a ref;
    its files are the embedded model's."""
    root = cache / f"models--{repo.replace('/', '--')}"
    snapshot = root / "snapshots" / REVISION
    snapshot.mkdir(parents=True)
    (root / "blobs").mkdir()
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text(REVISION)
    for source in embedded_model_dir().iterdir():
        if source.name == "verified.json":
            continue
        blob = root / "blobs" / hashlib.sha256(source.name.encode()).hexdigest()
        os.link(source, blob)
        (snapshot / source.name).symlink_to(os.path.relpath(blob, snapshot))
    return snapshot


def test_a_folder_that_is_not_a_model_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    with pytest.raises(ModelError) as raised:
        WhisperEngine(EngineOptions(model=str(folder))).load()
    assert str(raised.value) == (
        f"cannot load Whisper model {str(folder)!r}: "
        "not a CTranslate2 Whisper model (no model.bin, tokenizer.json)"
    )
    (folder / "model.bin").write_bytes(b"x")
    (folder / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelError, match=r"\(config.json is not Whisper's\)$"):
        local_folder(str(folder))


def test_an_unknown_name_lists_the_sizes(hub_cache: Path) -> None:
    with pytest.raises(ModelError, match=r"^unknown Whisper model 'huge': use one of tiny, base"):
        local_folder("huge")


def test_a_named_model_not_on_this_machine_names_model_fetch(hub_cache: Path) -> None:
    with pytest.raises(ModelError) as raised:
        WhisperEngine(EngineOptions(model="large-v3")).load()
    assert str(raised.value) == (
        "cannot load Whisper model 'large-v3': not on this machine; "
        "fetch it ahead with `voicenotes model fetch large-v3`"
    )


def test_a_cached_named_model_loads_offline_and_is_listed(
    hub_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = cache_model(hub_cache, "Systran/faster-whisper-tiny")
    assert local_folder("tiny") == snapshot
    assert sorted(p.name for p in snapshot.iterdir()) == sorted(
        p.name for p in embedded_model_dir().iterdir() if p.name != "verified.json"
    )
    assert {"config.json", "model.bin", "tokenizer.json"} <= set(MODEL_FILES)
    WhisperEngine(EngineOptions(model="tiny")).load()

    assert main(["model", "list", "--kb", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("* embedded  whisper-base (embedded)")
    assert lines[1].startswith("  tiny  Systran/faster-whisper-tiny, ")
    assert "tiny," not in lines[-1] and "large-v3-turbo" in lines[-1]


@pytest.mark.skipif(_gpus() > 0, reason="a CUDA GPU is visible")
def test_cuda_without_a_gpu_is_one_line_and_auto_means_the_cpu() -> None:
    with pytest.raises(ModelError, match=r"^VOICENOTES_DEVICE is cuda, but CTranslate2 sees no"):
        WhisperEngine(EngineOptions(device="cuda")).load()
    automatic = WhisperEngine(EngineOptions(device="auto")).options
    assert (automatic.device, automatic.compute_type, automatic.batch_size) == ("cpu", "int8", 2)


def test_a_gpu_takes_its_own_defaults_unless_told_otherwise() -> None:
    gpu = EngineOptions().for_device("cuda")
    assert (gpu.compute_type, gpu.batch_size, gpu.workers) == ("float16", 8, 1)
    told = EngineOptions(compute_type="int8_float16", batch_size=4).for_device("cuda")
    assert (told.compute_type, told.batch_size) == ("int8_float16", 4)
    assert EngineOptions().for_device("cpu") == EngineOptions(compute_type="int8")


def test_an_unknown_device_is_one_line() -> None:
    with pytest.raises(ModelError, match=r"^unknown device 'tpu': use cpu, cuda or auto$"):
        WhisperEngine(EngineOptions(device="tpu"))


def test_model_fetch_tells_the_size_then_fetches_and_the_model_is_used_offline(
    hub_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.support.model_hub import ModelHub

    source = embedded_model_dir()
    size = sum(p.stat().st_size for p in source.iterdir() if p.name != "verified.json")
    with ModelHub("Systran/faster-whisper-tiny", source) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        assert main(["model", "fetch", "tiny", "--kb", str(tmp_path)]) == 0
        assert (
            "GET /Systran/faster-whisper-tiny/resolve/" + REVISION_OF_HUB + "/model.bin" in hub.hits
        )
    out = capsys.readouterr()
    assert out.err.splitlines()[0] == (
        f"tiny: Systran/faster-whisper-tiny, {size / 1e6:,.0f} MB to download"
    )
    folder = local_folder("tiny")  # now in the cache, found with no network
    assert out.out.strip() == f"tiny: ready in {folder}"
    assert not (folder / "verified.json").exists()  # only the model's own files are fetched
    WhisperEngine(EngineOptions(model="tiny")).load()


def test_fetching_from_a_hub_that_cannot_be_reached_is_one_line(
    hub_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    assert main(["model", "fetch", "tiny", "--kb", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot reach the model hub for 'tiny': ") and "\n" not in err
