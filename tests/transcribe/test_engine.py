from __future__ import annotations

import itertools
import subprocess
import sys
import time

import pytest
from faster_whisper import WhisperModel

from tests.conftest import SPEECH_WORDS
from tests.support import audio
from transcribe import EngineOptions, NoSpeechError
from transcribe.base import AudioError, ModelError
from transcribe.engine import WhisperEngine


def _words(text: str) -> str:
    return text.lower().replace("ё", "е")


def test_real_russian_speech_is_transcribed(engine, speech_ogg):
    progress: list[tuple[float, float]] = []
    result = engine.transcribe(speech_ogg, lambda done, total: progress.append((done, total)))
    found = [word for word in SPEECH_WORDS if word in _words(result.text)]
    assert len(found) >= len(SPEECH_WORDS) - 1, result.text
    assert result.language == "ru"
    assert result.duration == pytest.approx(12.1, abs=0.1)
    assert result.model == "whisper-base (embedded)"
    assert result.segments and result.segments[-1].end <= result.duration + 0.5
    assert progress[-1] == (result.duration, result.duration) or progress[-1][0] == progress[-1][1]


def test_model_is_loaded_once_per_process(engine):
    other = WhisperEngine(EngineOptions())
    assert other._model() is engine._model()


def test_language_auto_detects_russian(engine, speech_ogg):
    auto = WhisperEngine(EngineOptions(language="auto"))
    assert auto.transcribe(speech_ogg).language == "ru"


def test_silence_is_no_speech(engine, tmp_path):
    with pytest.raises(NoSpeechError, match="no speech"):
        engine.transcribe(audio.silence_wav(tmp_path / "quiet.wav"))


def test_bad_audio_fails_before_the_model(engine, tmp_path):
    (tmp_path / "x.ogg").write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        engine.transcribe(tmp_path / "x.ogg")


def test_glossary_becomes_the_initial_prompt():
    options = EngineOptions(glossary=("RAG", "LLM", "OpenAI"))
    assert options.initial_prompt() == "RAG, LLM, OpenAI."
    assert EngineOptions().initial_prompt() is None


def test_unknown_model_folder_is_a_clear_error(tmp_path, speech_ogg):
    broken = WhisperEngine(EngineOptions(model=str(tmp_path / "no-model-here")))
    with pytest.raises(ModelError, match="no such model folder"):
        broken.transcribe(speech_ogg)


def test_many_files_come_back_in_order_each_with_its_own_result(engine, speech_ogg, tmp_path):
    empty = tmp_path / "empty.ogg"
    empty.write_bytes(b"")
    quiet = audio.silence_wav(tmp_path / "quiet.wav")
    mp3 = audio.encode(tmp_path / "talk.mp3", audio.speech_samples(), "mp3")
    longer = audio.repeated_speech_ogg(tmp_path / "long.ogg", 3)
    seen: list[tuple[int, float, float]] = []
    files = [speech_ogg, quiet, empty, mp3, longer]

    results = list(engine.transcribe_many(files, lambda *args: seen.append(args)))

    kinds = [type(result).__name__ for result in results]
    assert kinds == ["Transcript", "NoSpeechError", "AudioError", "Transcript", "Transcript"]
    for result in (results[0], results[3], results[4]):
        assert sum(word in _words(result.text) for word in SPEECH_WORDS) >= len(SPEECH_WORDS) - 1
    assert results[4].duration == pytest.approx(36.3, abs=0.3)
    starts = [segment.start for segment in results[4].segments]
    assert starts == sorted(starts) and results[4].segments[-1].end <= results[4].duration + 0.5
    assert {index for index, _, _ in seen} == {0, 3, 4}
    assert all(0 <= done <= total for _, done, total in seen)


def test_transcribe_imports_neither_telegram_nor_openai(tmp_path):
    (tmp_path / "kb").mkdir()
    code = (
        "import sys\n"
        "from notes.cli import main\n"
        f"status = main(['transcribe', '--kb', {str(tmp_path / 'kb')!r}, 'missing.ogg'])\n"
        "print(status, sorted({m.split('.')[0] for m in sys.modules} & {'telegram', 'openai'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    assert out.strip() == "1 []"


PEAK_RSS = (
    "import resource, sys\n"
    "from pathlib import Path\n"
    "from transcribe.engine import WhisperEngine\n"
    "from transcribe import NoSpeechError\n"
    "try:\n"
    "    WhisperEngine().transcribe(Path(sys.argv[1]))\n"
    "except NoSpeechError:\n"
    "    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
)


def _peak_rss_mb(path) -> int:
    run = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(path)], capture_output=True, text=True, check=True
    )
    return int(run.stdout)


def test_memory_does_not_grow_with_the_length_of_the_recording(tmp_path):
    """Decoded whole, 18 minutes of audio took 200 MB more than 6 minutes; by windows, 45 MB:
    the peak settles within the first few windows."""
    short = _peak_rss_mb(audio.quiet_opus(tmp_path / "short.ogg", 6 * 60))
    long = _peak_rss_mb(audio.quiet_opus(tmp_path / "long.ogg", 18 * 60))
    assert long - short < 100, (short, long)


def test_a_long_note_s_progress_advances_every_half_minute_of_audio_to_the_end(long_note):
    """The real 3-minute note, its chunks decoded in batches (a minute or more of audio each):
    progress moves on by about half a minute of audio at a time, each encoded window and each
    decoded batch. (A chunk holds up to 30 s of speech; with this note's pauses it spans some
    42 s of the recording, so a step is up to a share of that: encoded_share.)"""
    reports = long_note.progress
    done = [d for d, _ in reports]
    shares = [d / total for d, total in reports]
    duration = round(done[-1], 2)
    assert reports[-1] == (duration, duration) and duration == pytest.approx(181, abs=1)
    assert all(a < b for a, b in itertools.pairwise(done)), reports
    assert all(a < b for a, b in itertools.pairwise(shares)), reports
    assert shares[-1] == 1.0 and all(share < 1.0 for share in shares[:-1])
    assert max(b - a for a, b in itertools.pairwise([0.0, *done])) <= 35.0, reports


VAD_RSS = (
    "import resource, sys\n"
    "from pathlib import Path\n"
    "from transcribe.audio import load_audio\n"
    "from transcribe.engine import WhisperEngine\n"
    "engine = WhisperEngine()\n"
    "speech = load_audio(Path(sys.argv[1]))\n"
    "window = __import__('numpy').tile(speech, 10)\n"
    "engine._speech(window[:16000 * 90])\n"
    "first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
    "for number in range(24):  # windows are cut in pauses: each is a new length\n"
    "    engine._speech(window[: 16000 * 90 + 7919 * number])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 - first)\n"
)


def test_windows_of_every_length_do_not_grow_the_heap(speech_ogg):
    """glibc kept the VAD's buffers of each new window length in its heap: 24 windows took
    130 to 200 MB more before the heap was trimmed after each, 10 to 40 MB since."""
    run = subprocess.run(
        [sys.executable, "-c", VAD_RSS, str(speech_ogg)], capture_output=True, text=True, check=True
    )
    assert int(run.stdout) < 70, run.stdout


def test_batches_decoded_side_by_side_match_one_at_a_time(speech_ogg, tmp_path):
    longer = audio.repeated_speech_ogg(tmp_path / "long.ogg", 3)
    files = [speech_ogg, longer, speech_ogg]
    one = WhisperEngine(EngineOptions(batch_size=1, workers=1))
    two = WhisperEngine(EngineOptions(batch_size=1, workers=2, cpu_threads=1))
    assert two._model().model.num_workers == 2

    alone = [(r.text, r.segments) for r in one.transcribe_many(files)]  # type: ignore[union-attr]
    side_by_side = [(r.text, r.segments) for r in two.transcribe_many(files)]  # type: ignore[union-attr]

    assert side_by_side == alone
    assert len(alone[1][1]) >= 2  # the long file's chunks went to different batches


def test_workers_take_turns_at_the_encoder(speech_ogg, tmp_path, monkeypatch):
    """Two encoder passes at once only cost memory: each pass keeps every core busy."""
    passes: list[tuple[float, float]] = []
    real_encode = WhisperModel.encode

    def timed_encode(self, features):
        start = time.perf_counter()
        try:
            return real_encode(self, features)
        finally:
            passes.append((start, time.perf_counter()))

    monkeypatch.setattr(WhisperModel, "encode", timed_encode)
    longer = audio.repeated_speech_ogg(tmp_path / "long.ogg", 3)
    two = WhisperEngine(EngineOptions(batch_size=1, workers=2, cpu_threads=1))
    results = list(two.transcribe_many([longer, speech_ogg, longer]))

    assert all(not isinstance(result, Exception) for result in results)
    assert len(passes) >= 4
    ordered = sorted(passes)
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(ordered))


def test_each_worker_uses_every_core_unless_threads_are_given():
    assert EngineOptions(workers=2).parallel == 2
    assert EngineOptions(workers=2, cpu_threads=3).threads == 3
    assert EngineOptions(workers=2).threads == EngineOptions(workers=1).threads >= 1
