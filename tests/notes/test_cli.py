from __future__ import annotations

import subprocess
import sys

import pytest

from notes.cli import main
from notes.intake import transcripts
from tests.conftest import SPEECH_WORDS
from tests.support import audio


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch):
    for name in (
        "VOICENOTES_KB",
        "VOICENOTES_LANGUAGE",
        "VOICENOTES_WHISPER_MODEL",
        "VOICENOTES_GLOSSARY",
    ):
        monkeypatch.delenv(name, raising=False)


def test_batch_files_good_ones_and_names_each_bad_one(tmp_path, engine, speech_ogg, capsys):
    kb = tmp_path / "kb"
    kb.mkdir()
    mp3 = audio.encode(tmp_path / "talk.mp3", audio.speech_samples(), "mp3")
    bad = {
        "missing.ogg": "no such file",
        "empty.ogg": "empty file",
        "notes.txt": "not audio",
        "cut.ogg": "truncated",
        "quiet.wav": "no speech",
    }
    (tmp_path / "empty.ogg").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not audio at all\n" * 20)
    audio.truncated_copy(speech_ogg, tmp_path / "cut.ogg")
    audio.silence_wav(tmp_path / "quiet.wav")
    files = [speech_ogg, *(tmp_path / name for name in bad), mp3]

    status = main(["transcribe", "--kb", str(kb), *map(str, files)])

    out, err = capsys.readouterr()
    assert status == 1
    filed = [kb / "inbox" / "raw" / line.rsplit("/", 1)[-1] for line in out.splitlines()]
    assert [
        path.name.endswith(suffix)
        for path, suffix in zip(
            filed, ("_speech_ru_transcript.txt", "_talk_transcript.txt"), strict=True
        )
    ] == [True, True]
    sidecars = [path.with_name(path.name.replace("_transcript.txt", ".vtt")) for path in filed]
    assert sorted([*filed, *sidecars]) == sorted((kb / "inbox" / "raw").iterdir())
    errors = err.strip().splitlines()
    assert len(errors) == len(bad)
    for line, (name, reason) in zip(errors, bad.items(), strict=True):
        assert line.startswith(f"error: {tmp_path / name}: ") and reason in line, line
    for path in filed:
        note = transcripts.parse(path.read_text(encoding="utf-8"))
        assert note.header.source == "audio_file"
        assert (kb / "inbox" / "audio" / note.header.audio_file).is_file()
        assert sum(word in note.text.lower() for word in SPEECH_WORDS) >= len(SPEECH_WORDS) - 2


def test_all_good_exits_zero_and_rerun_refuses_duplicates(tmp_path, engine, speech_ogg, capsys):
    kb = tmp_path / "kb"
    kb.mkdir()
    assert main(["transcribe", "--kb", str(kb), str(speech_ogg)]) == 0
    capsys.readouterr()
    assert main(["transcribe", "--kb", str(kb), str(speech_ogg)]) == 1
    assert "already filed as inbox/raw/" in capsys.readouterr().err
    assert len(list((kb / "inbox" / "raw").glob("*_transcript.txt"))) == 1


def test_bad_model_stops_before_any_file(tmp_path, speech_ogg, capsys):
    (tmp_path / "kb").mkdir()
    status = main(
        [
            "transcribe",
            "--kb",
            str(tmp_path / "kb"),
            "--model",
            str(tmp_path / "nothing"),
            str(speech_ogg),
        ]
    )
    assert status == 2
    assert capsys.readouterr().err.strip().endswith("no such model folder")
    assert not list((tmp_path / "kb" / "inbox" / "raw").iterdir())


def test_console_entry_point_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "notes", "transcribe", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "--language" in result.stdout and "--model" in result.stdout
