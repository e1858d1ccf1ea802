"""Transcription speed and accuracy: engine settings against bare faster-whisper.

Real Russian read speech from Debian's festvox-ru voice (one speaker, reading Tolstoy's
"Aelita"): about a third of the utterances are transcribed alone, the rest are joined into
longer "notes", since voice notes often run for minutes. Every clip is encoded as Ogg Opus at
24 kbit/s, like a Telegram voice note. Every model loads once and is warmed up; then each clip
goes through every configuration in turn. The first row, bare faster-whisper with its own
defaults, is the baseline that the ratio columns refer to.

    python bench/transcribe.py [--clips 30] [--corpus DIR] [--model M] [--configs a,b,...]
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import tempfile
import time
import wave
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

# This file shares its name with the `transcribe` package: keep its own folder off the path,
# and put the project's root on it for the sibling modules (bench.transcribe_e2e).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import av  # noqa: E402
import jiwer  # noqa: E402
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
from faster_whisper import BatchedInferencePipeline, WhisperModel  # noqa: E402

from bench import transcribe_e2e as e2e  # noqa: E402
from transcribe.audio import AudioStream  # noqa: E402
from transcribe.base import NoSpeechError  # noqa: E402
from transcribe.engine import WhisperEngine  # noqa: E402
from transcribe.model import embedded_model_dir  # noqa: E402
from transcribe.options import EMBEDDED_MODEL, EngineOptions  # noqa: E402

DEFAULT_CORPUS = Path("/usr/share/festival/voices/russian/msu_ru_nsh_clunits")
AELITA_LAST = 250
"""The corpus opens with "Aelita" (ru_0001 to ru_0250, with gaps); other books follow."""
NAMES = ("Лось", "Гусев", "Аэлита", "Тускуб", "Марс", "Скайлс", "Мстислав Сергеевич")
TECH_TERMS = ("RAG", "LLM", "OpenAI", "evals", "embeddings", "Kubernetes", "PostgreSQL")
LATIN = re.compile(r"[A-Za-z]")
GAP_SECONDS = 0.5
RATE = 16_000

Int16 = npt.NDArray[np.int16]
Transcribe = Callable[[Path], str]


@dataclass(frozen=True)
class Utterance:
    name: str
    text: str
    wav: Path
    seconds: float


@dataclass(frozen=True)
class Clip:
    name: str
    audio: Path
    seconds: float
    reference: str
    is_note: bool


@dataclass
class Result:
    label: str
    audio_seconds: float = 0.0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    hypotheses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Config:
    key: str
    label: str
    build: Callable[[], Transcribe]


# --- corpus -------------------------------------------------------------------------------


def read_corpus(folder: Path) -> list[Utterance]:
    """Every utterance of the festvox voice with its text, in corpus order."""
    texts = folder / "etc" / "txt.done.data"
    if not texts.is_file() or not (folder / "wav").is_dir():
        sys.exit(f"error: no festvox-ru voice in {folder} (apt-get install festvox-ru)")
    utterances = []
    for name, text in re.findall(r'^\( (\S+) "(.*)" \)$', texts.read_text(), re.MULTILINE):
        wav = folder / "wav" / f"{name}.wav"
        if wav.is_file():
            utterances.append(Utterance(name, text, wav, wav_seconds(wav)))
    return utterances


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as handle:
        return handle.getnframes() / handle.getframerate()


def read_wav(path: Path) -> Int16:
    with wave.open(str(path), "rb") as handle:
        if handle.getframerate() != RATE or handle.getnchannels() != 1:
            sys.exit(f"error: {path} is not 16 kHz mono")
        return np.frombuffer(handle.readframes(handle.getnframes()), dtype=np.int16)


def plan(utterances: Sequence[Utterance], count: int, note_seconds: float) -> list[list[Utterance]]:
    """Groups of utterances: a third alone, spread out; the rest as runs of consecutive ones."""
    pool = [u for u in utterances if int(u.name.removeprefix("ru_")) <= AELITA_LAST]
    count = max(2, min(count, len(pool)))
    singles = max(1, count // 3)
    stride = len(pool) // singles
    groups = [[pool[i * stride]] for i in range(singles)]
    used = {group[0].name for group in groups}
    left = count - singles
    mean = sum(u.seconds for u in pool) / len(pool)
    notes = max(1, round(left * mean / note_seconds))
    for number in range(notes):
        start = (2 * number + 1) * len(pool) // (2 * notes)  # the middle of its share
        run = _run_from(pool[start:], used, note_seconds, left // notes + (number < left % notes))
        used.update(u.name for u in run)
        if run:
            groups.append(run)
    return groups


def _run_from(
    pool: Sequence[Utterance], used: set[str], seconds: float, most: int
) -> list[Utterance]:
    run: list[Utterance] = []
    for utterance in pool:
        if utterance.name in used:
            continue
        run.append(utterance)
        if len(run) >= most or sum(u.seconds for u in run) >= seconds:
            break
    return run


def make_clips(groups: Iterable[list[Utterance]], folder: Path) -> list[Clip]:
    clips = []
    for group in groups:
        name = group[0].name if len(group) == 1 else f"{group[0].name}..{group[-1].name[3:]}"
        gap = np.zeros(int(GAP_SECONDS * RATE), dtype=np.int16)
        parts = [part for u in group for part in (read_wav(u.wav), gap)][:-1]
        samples = np.concatenate(parts)
        audio = folder / f"{name}.ogg"
        write_ogg(samples, audio)
        reference = " ".join(u.text for u in group)
        clips.append(Clip(name, audio, len(samples) / RATE, reference, len(group) > 1))
    return clips


def write_ogg(samples: Int16 | Iterable[Int16], path: Path) -> None:
    """Mono Ogg Opus at 24 kbit/s, as Telegram sends voice notes; `samples` may come in
    blocks, so that a long recording is never held whole."""
    blocks = [samples] if isinstance(samples, np.ndarray) else samples
    with av.open(str(path), "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.bit_rate = 24_000
        stream.layout = "mono"
        for block in blocks:
            frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = RATE
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


# --- scoring ------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, ё as е, no stress marks or punctuation: what WER should not count."""
    text = text.lower().replace("ё", "е").replace("+", "")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def name_stems(names: Iterable[str]) -> list[str]:
    """Russian names decline (Лось, Лося, Лосем): match on the stem."""
    return [normalise(word).rstrip("аяоеьйыи") for name in names for word in name.split()]


def names_in(reference: str, stems: Sequence[str]) -> list[str]:
    """Capitalised words of the reference that are forms of a name, as spelled there."""
    return [
        word
        for word in cased_words(reference)
        if word[0].isupper()
        and any(word.lower().startswith(s) and len(word) <= len(s) + 3 for s in stems)
    ]


def cased_words(text: str) -> list[str]:
    """Words with their capitals kept: a name must come out capitalised to count."""
    return re.findall(r"\w+", text.replace("+", "").replace("ё", "е").replace("Ё", "Е"))


def names_hit(references: Sequence[str], hypotheses: Sequence[str]) -> tuple[int, int]:
    """(name forms found in the hypothesis, name forms in the reference) over all clips."""
    stems = name_stems(NAMES)
    hit = total = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        wanted = Counter(names_in(reference, stems))
        heard = Counter(cased_words(hypothesis))
        hit += sum(min(n, heard[word]) for word, n in wanted.items())
        total += sum(wanted.values())
    return hit, total


def latin_added(references: Sequence[str], hypotheses: Sequence[str]) -> int:
    """Words in Latin script that the transcripts have and the references do not: an English
    glossary can pull Whisper into transliterating Russian words."""
    added = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        expected = Counter(w for w in cased_words(reference) if LATIN.search(w))
        heard = Counter(w for w in cased_words(hypothesis) if LATIN.search(w))
        added += sum((heard - expected).values())
    return added


def error_rates(references: Sequence[str], hypotheses: Sequence[str]) -> tuple[float, float]:
    """Corpus-level (WER, CER) of normalised texts."""
    if not references:
        return float("nan"), float("nan")
    refs = [normalise(text) for text in references]
    hyps = [normalise(text) for text in hypotheses]
    return float(jiwer.wer(refs, hyps)), float(jiwer.cer(refs, hyps))


# --- configurations -----------------------------------------------------------------------


def engine_config(key: str, options: EngineOptions, note: str = "") -> Config:
    def build() -> Transcribe:
        engine = WhisperEngine(options)
        engine.load()

        def run(path: Path) -> str:
            try:
                return engine.transcribe(path).text
            except NoSpeechError:
                return ""

        return run

    return Config(key, describe(options) + note, build)


def describe(options: EngineOptions) -> str:
    decoder = f"batch{options.batch_size}" if options.batch_size else "sequential"
    words = [decoder, f"beam{options.beam_size}", options.compute_type]
    if not options.vad:
        words.append("no-vad")
    default = replace(EngineOptions(), model=options.model, glossary=options.glossary)
    return " ".join(words) + (" (default)" if options == default else "")


class Models:
    """Bare faster-whisper models for the direct rows, each loaded once."""

    def __init__(self, name: str) -> None:
        self.source = str(embedded_model_dir()) if name == EMBEDDED_MODEL else name
        self._loaded: dict[tuple[str, int], WhisperModel] = {}

    def get(self, compute_type: str = "default", threads: int = 0) -> WhisperModel:
        key = (compute_type, threads)
        if key not in self._loaded:
            self._loaded[key] = WhisperModel(
                self.source, compute_type=compute_type, cpu_threads=threads
            )
        return self._loaded[key]


def direct_config(
    key: str, label: str, models: Models, options: EngineOptions | None, **extra: object
) -> Config:
    """faster-whisper called directly: with its defaults, or as the engine calls it plus `extra`."""

    def build() -> Transcribe:
        if options is None:
            model = models.get()
            return lambda path: _joined(model.transcribe(str(path))[0])
        model = models.get(options.compute_type, options.threads)
        kwargs = {
            "language": options.language_code,
            "beam_size": options.beam_size,
            "vad_filter": options.vad,
            **extra,
        }
        if options.batch_size:
            pipeline = BatchedInferencePipeline(model)
            size = options.batch_size
            return lambda path: _joined(
                pipeline.transcribe(str(path), batch_size=size, **kwargs)[0]
            )
        return lambda path: _joined(model.transcribe(str(path), **kwargs)[0])

    return Config(key, label, build)


def _joined(segments: Iterable[object]) -> str:
    return " ".join(str(getattr(segment, "text", "")).strip() for segment in segments)


def configs(model: str, names: tuple[str, ...]) -> list[Config]:
    batched = EngineOptions(model=model, batch_size=8, beam_size=5, compute_type="int8")
    sequential = replace(batched, batch_size=0)
    models = Models(model)
    with_names = [  # only when some name occurs in the clips
        *glossary_configs("names", "names", replace(batched, glossary=names), models),
        *glossary_configs("seq-names", "names", replace(sequential, glossary=names), models),
    ]
    return [
        direct_config("baseline", "faster-whisper defaults (baseline)", models, None),
        engine_config("seq-b5", sequential),
        engine_config("seq-b1", replace(sequential, beam_size=1)),
        engine_config("batch-b5", batched),
        engine_config("batch-b1", replace(batched, beam_size=1)),
        engine_config("batch-b5-f32", replace(batched, compute_type="float32")),
        *(with_names[:2] if names else []),
        *glossary_configs("tech", "tech terms", replace(batched, glossary=TECH_TERMS), models),
        *(with_names[2:] if names else []),
    ]


def glossary_configs(key: str, what: str, options: EngineOptions, models: Models) -> list[Config]:
    """The glossary as the engine passes it (initial prompt), and the same text as hotwords."""
    return [
        engine_config(key, options, f" + {what} as prompt"),
        direct_config(
            f"{key}-hot",
            f"{describe(options)} + {what} as hotwords",
            models,
            options,
            hotwords=options.initial_prompt(),
        ),
    ]


# --- running ------------------------------------------------------------------------------


def measure(chosen: Sequence[Config], clips: Sequence[Clip]) -> list[Result]:
    """Every configuration on every clip, interleaved so that other load on the machine
    slows all configurations alike rather than whichever happened to run at the time."""
    shortest = min(clips, key=lambda clip: clip.seconds).audio
    runners = [prepare(config, shortest) for config in chosen]
    results = [Result(config.label) for config in chosen]
    for number, clip in enumerate(clips):
        _log(f"clip {number + 1}/{len(clips)}: {clip.name} ({clip.seconds:.0f} s)")
        turn = number % len(runners)  # rotate who goes first, too
        for index in [*range(turn, len(runners)), *range(turn)]:
            timed(runners[index], clip, results[index])
    return results


def prepare(config: Config, warm_up: Path) -> Transcribe:
    _log(f"loading {config.label}")
    transcribe = config.build()
    transcribe(warm_up)  # not timed: first calls pay one-off set-up costs
    return transcribe


def timed(transcribe: Transcribe, clip: Clip, result: Result) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    result.hypotheses.append(transcribe(clip.audio))
    result.seconds += time.perf_counter() - wall
    result.cpu_seconds += time.process_time() - cpu
    result.audio_seconds += clip.seconds


HEADER = (
    f"{'configuration':<52} {'audio s':>7} {'wall s':>6} {'RTF':>5} {'x':>4} {'CPU s':>6} "
    f"{'x':>4} {'WER':>5} {'x':>4} {'CER':>5} {'x':>4} {'WER 1':>5} {'WER n':>5} "
    f"{'names':>5} {'latin':>5}"
)


def row(result: Result, baseline: Result, clips: Sequence[Clip]) -> str:
    return f"{result.label:<52} {speed(result, baseline)} {accuracy(result, baseline, clips)}"


def speed(result: Result, baseline: Result) -> str:
    rtf = result.seconds / result.audio_seconds
    return (
        f"{result.audio_seconds:7.1f} {result.seconds:6.1f} {rtf:5.3f} "
        f"{_ratio(result.seconds, baseline.seconds)} {result.cpu_seconds:6.1f} "
        f"{_ratio(result.cpu_seconds, baseline.cpu_seconds)}"
    )


def accuracy(result: Result, baseline: Result, clips: Sequence[Clip]) -> str:
    refs = [clip.reference for clip in clips]
    wer, cer = error_rates(refs, result.hypotheses)
    base_wer, base_cer = error_rates(refs, baseline.hypotheses)
    pairs = list(zip(clips, result.hypotheses, strict=True))
    wer_short = error_rates(*_unzip([(c.reference, h) for c, h in pairs if not c.is_note]))[0]
    wer_long = error_rates(*_unzip([(c.reference, h) for c, h in pairs if c.is_note]))[0]
    hit, total = names_hit(refs, result.hypotheses)
    latin = latin_added(refs, result.hypotheses)
    return (
        f"{_pct(wer)} {_ratio(wer, base_wer)} {_pct(cer)} {_ratio(cer, base_cer)} "
        f"{_pct(wer_short)} {_pct(wer_long)} {f'{hit}/{total}':>5} {latin:5d}"
    )


def _unzip(pairs: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    return [ref for ref, _ in pairs], [hyp for _, hyp in pairs]


def _pct(value: float) -> str:
    return "    -" if math.isnan(value) else f"{value:5.1%}"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:4.2f}" if base else "   -"


_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "--corpus",
        {
            "type": Path,
            "default": DEFAULT_CORPUS,
            "help": "festvox-ru voice folder (default: %(default)s)",
        },
    ),
    (
        "--clips",
        {
            "type": int,
            "default": 30,
            "help": "utterances to use; a third alone, the rest joined (default: 30)",
        },
    ),
    (
        "--note-seconds",
        {"type": float, "default": 60.0, "help": "length of a joined note (default: 60)"},
    ),
    (
        "--model",
        {
            "default": EMBEDDED_MODEL,
            "help": "'embedded', a faster-whisper model name, or a model folder",
        },
    ),
    (
        "--configs",
        {
            "default": "",
            "help": "run the table of configurations, only these keys (baseline always runs);"
            " with --sweep, the settings to sweep",
        },
    ),
    ("--show", {"action": "store_true", "help": "print every transcript too"}),
    (
        "--sweep",
        {
            "action": "store_true",
            "help": "compare engine settings in one process (the table of configurations)",
        },
    ),
    (
        "--repeat",
        {"type": int, "default": 3, "help": "runs of each end-to-end process (default: 3)"},
    ),
    (
        "--long-minutes",
        {
            "type": float,
            "default": 30.0,
            "help": "length of the near-silent recording for the memory rows"
            " (default: 30; 0 skips)",
        },
    ),
)
"""The command's options, each with its argparse settings."""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    for flag, settings in _OPTIONS:
        parser.add_argument(flag, **settings)
    return parser.parse_args(argv)


def select(all_configs: list[Config], keys: str) -> list[Config]:
    if not keys:
        return all_configs
    wanted = {"baseline", *keys.split(",")}
    unknown = wanted - {config.key for config in all_configs}
    if unknown:
        known = ", ".join(config.key for config in all_configs)
        sys.exit(f"error: unknown configuration {', '.join(sorted(unknown))} (known: {known})")
    return [config for config in all_configs if config.key in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    groups = plan(read_corpus(args.corpus), args.clips, args.note_seconds)
    refs = [u.text for group in groups for u in group]
    names = tuple(n for n in NAMES if any(names_in(r, name_stems([n])) for r in refs))
    chosen = [] if args.sweep else select(configs(args.model, names), args.configs)
    glossaries = f"Glossaries: names: {', '.join(names)}; tech terms: {', '.join(TECH_TERMS)}."
    with tempfile.TemporaryDirectory(prefix="bench-transcribe-") as folder:
        clips = make_clips(groups, Path(folder))
        _log(f"{len(clips)} clips, {sum(c.seconds for c in clips):.0f} s of audio. {glossaries}")
        if args.sweep:
            keys = args.configs.split(",") if args.configs else list(SWEEP)
            print(sweep(clips, keys, args.repeat))
            return 0
        if not args.configs:
            report_end_to_end(args, clips, read_corpus(args.corpus), Path(folder))
            return 0
        results = measure(chosen, clips)
    print_report(results, clips, glossaries, args.show)
    return 0


def print_report(
    results: Sequence[Result], clips: Sequence[Clip], glossaries: str, show: bool
) -> None:
    baseline = results[0]
    print(HEADER)
    for result in results:
        print(row(result, baseline, clips))
    print()
    print(legend(clips, glossaries))
    if show:
        for result in results:
            print(f"\n## {result.label}")
            for clip, hypothesis in zip(clips, result.hypotheses, strict=True):
                print(f"{clip.name}: {hypothesis}")


def legend(clips: Sequence[Clip], glossaries: str) -> str:
    notes = [clip.seconds for clip in clips if clip.is_note]
    words = sum(len(normalise(clip.reference).split()) for clip in clips)
    span = f" of {min(notes):.0f}-{max(notes):.0f} s" if notes else ""
    return "\n".join(
        [
            f"{len(clips) - len(notes)} single utterances (WER 1) and {len(notes)} joined notes"
            f"{span} (WER n), {words} reference words; Ogg Opus 24 kbit/s.",
            "Baseline: WhisperModel(folder) and model.transcribe(path) with faster-whisper's "
            "defaults (language detection, no VAD, beam 5, the model's own compute type: float32 "
            "on a CPU).",
            "wall s: elapsed seconds; RTF: wall s / audio s; CPU s: process CPU seconds (steadier"
            " when the machine is busy); x: ratio to the baseline row, for the column on its"
            " left; WER 1 / WER n: single utterances / joined notes only; names: name forms"
            " transcribed right and capitalised / name forms in the references; latin: words"
            " in Latin script that the transcripts have and the references do not.",
            glossaries,
        ]
    )


# --- sweep: engine settings on all clips at once, as the command runs them ----------------

SWEEP = {
    "default": EngineOptions(),
    "w1-b4-beam5": EngineOptions(workers=1, beam_size=5),
    "w1-b4-beam3": EngineOptions(workers=1, beam_size=3),
    "w2t1-b4-beam5": EngineOptions(workers=2, cpu_threads=1, beam_size=5),
    "w2t1-b4-beam3": EngineOptions(workers=2, cpu_threads=1, beam_size=3),
    "w2t2-b4-beam3": EngineOptions(workers=2, cpu_threads=2, batch_size=4, beam_size=3),
    "w2t1-b2-beam3": EngineOptions(workers=2, cpu_threads=1, batch_size=2, beam_size=3),
    "w2t1-b8-beam3": EngineOptions(workers=2, cpu_threads=1, batch_size=8, beam_size=3),
    "w2t1-b4-beam3-pad100": EngineOptions(
        workers=2, cpu_threads=1, beam_size=3, vad_speech_pad_ms=100
    ),
    "w2t1-b4-beam1": EngineOptions(workers=2, cpu_threads=1, beam_size=1),
    "w2t2-b3-beam3": EngineOptions(batch_size=3),
    "w2t2-b2-beam2": EngineOptions(beam_size=2),
    "w2t2-b2-beam1": EngineOptions(beam_size=1),
    "w2t2-b2-beam3-pad200": EngineOptions(vad_speech_pad_ms=200),
}


def sweep(clips: Sequence[Clip], keys: Sequence[str], repeats: int) -> str:
    """Each setting transcribes all clips in one `transcribe_many` call (as the command does),
    against bare faster-whisper (sequential, beam 5, VAD, int8, language given) file by file;
    models loaded and warmed up first, runs interleaved with a rotating order."""
    files = [clip.audio for clip in clips]
    refs = [clip.reference for clip in clips]
    bare = WhisperModel(str(embedded_model_dir()), device="cpu", compute_type="int8")

    def run_bare() -> list[str]:
        return [_joined(bare.transcribe(str(f), language="ru", vad_filter=True)[0]) for f in files]

    def engine_run(options: EngineOptions) -> Callable[[], list[str]]:
        engine = WhisperEngine(options)
        engine.load()
        return lambda: [r.text if hasattr(r, "text") else "" for r in engine.transcribe_many(files)]

    runners = {"bare": run_bare, **{key: engine_run(SWEEP[key]) for key in keys}}
    texts: dict[str, list[str]] = {}
    walls: dict[str, list[float]] = {key: [] for key in runners}
    names = list(runners)
    _log("sweep: warm-up on the shortest clip")
    shortest = min(clips, key=lambda clip: clip.seconds).audio
    bare.transcribe(str(shortest), language="ru", vad_filter=True)
    for key in names[1:]:
        list(WhisperEngine(SWEEP[key]).transcribe_many([shortest]))
    for number in range(repeats):
        order = names[number % len(names) :] + names[: number % len(names)]
        for key in order:
            _log(f"sweep run {number + 1}/{repeats}: {key}")
            start = time.perf_counter()
            texts[key] = runners[key]()
            walls[key].append(time.perf_counter() - start)
    base_wer = error_rates(refs, texts["bare"])[0]
    audio = sum(clip.seconds for clip in clips)
    lines = [
        f"Settings: {len(clips)} files, {audio:.0f} s, all files in one call; median (min–max)"
        f" of {repeats}",
        "| setting | wall s | × bare | WER | CER | WER ≤ bare |",
        "|---|---|---|---|---|---|",
    ]
    for key in names:
        ratios = [w / b for w, b in zip(walls[key], walls["bare"], strict=True)]
        wer, cer = error_rates(refs, texts[key])
        lines.append(
            f"| {key} | {e2e.spread(walls[key])} | {e2e.spread(ratios)} | {wer:.2%} | {cer:.2%}"
            f" | {'yes' if wer <= base_wer else 'no'} |"
        )
    return "\n".join(lines)


# --- end to end, latency, memory -------------------------------------------------------


def report_end_to_end(
    args: argparse.Namespace, clips: Sequence[Clip], corpus: Sequence[Utterance], folder: Path
) -> None:
    """The default run: the command against bare faster-whisper, where its time goes, short
    notes on a warm engine, and peak memory."""
    model_folder = embedded_model_dir()
    files = [clip.audio for clip in clips]
    refs = [clip.reference for clip in clips]
    env = {"VOICENOTES_CACHE_DIR": str(folder / "cache")}
    _log("cold probe (model assembled and hashed), then warm probe")
    cold = e2e.probe(files, folder / "kb-cold", env)
    warm = e2e.probe(files, folder / "kb-warm", env)
    bare, cli = e2e.end_to_end(model_folder, files, args.repeat, folder, env)
    print(end_to_end_table(bare, cli, refs, clips))
    print()
    print(breakdown_table(cold, warm))
    print()
    print(latency_table(corpus, folder))
    print()
    print(memory_table(bare, cli, folder, clips, args.long_minutes, model_folder))


def end_to_end_table(bare: e2e.Rows, cli: e2e.Rows, refs: list[str], clips: Sequence[Clip]) -> str:
    audio = sum(clip.seconds for clip in clips)
    ratios = [c.wall / b.wall for b, c in zip(bare.runs, cli.runs, strict=True)]
    cpu_ratios = [c.cpu / b.cpu for b, c in zip(bare.runs, cli.runs, strict=True)]
    lines = [
        f"End to end: {len(clips)} files, {audio:.0f} s of real Russian speech, one process each"
        f" run, {len(bare.runs)} runs alternating (median (min–max))",
        "| process | wall s | × bare | CPU s | CPU × bare | peak RSS MB | WER | CER |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rows, ratio, cpu in ((bare, [1.0], [1.0]), (cli, ratios, cpu_ratios)):
        wer, cer = error_rates(refs, rows.texts)
        lines.append(
            f"| {rows.label} | {e2e.spread([r.wall for r in rows.runs])} | {e2e.spread(ratio)} "
            f"| {e2e.spread([r.cpu for r in rows.runs], '.1f')} | {e2e.spread(cpu)} "
            f"| {e2e.spread([r.rss_mb for r in rows.runs], '.0f')} | {wer:.2%} | {cer:.2%} |"
        )
    return "\n".join(lines)


def breakdown_table(
    cold: tuple[float, dict[str, float]], warm: tuple[float, dict[str, float]]
) -> str:
    lines = [
        "Where the time of `voicenotes transcribe` goes (one process doing its steps; cold: the"
        " model assembled and hashed first; decode and VAD also run inside the transcribe call)",
        "| step | cold s | warm s |",
        "|---|---|---|",
        f"| process start | {cold[0]:.2f} | {warm[0]:.2f} |",
    ]
    for step in cold[1]:
        lines.append(f"| {step} | {cold[1][step]:.2f} | {warm[1].get(step, float('nan')):.2f} |")
    return "\n".join(lines)


LATENCY_SECONDS = (5, 15, 30)


def latency_table(corpus: Sequence[Utterance], folder: Path, repeats: int = 3) -> str:
    """Short notes on a warm engine: the default engine and bare faster-whisper in this process."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    notes = [_note_of(corpus, seconds, folder) for seconds in LATENCY_SECONDS]
    engine = WhisperEngine(EngineOptions())
    engine.load()
    bare = WhisperModel(str(embedded_model_dir()), device="cpu", compute_type="int8")
    model = engine._model()
    options = engine.options
    vad = VadOptions(max_speech_duration_s=options.chunk_seconds, **options.vad_parameters())
    features = model.feature_extractor(np.zeros(RATE * 30, dtype=np.float32))[..., :-1]
    steps: dict[str, Callable[[Path], object]] = {
        "engine": engine.transcribe,
        "bare": lambda path: _joined(bare.transcribe(str(path), language="ru", vad_filter=True)[0]),
        "decode": lambda path: list(AudioStream(path)),
        "VAD": lambda path: [get_speech_timestamps(b, vad) for b in AudioStream(path)],
        "encoder": lambda path: model.encode(features[np.newaxis]),
    }
    for path in notes:  # warm-up
        for step in steps.values():
            step(path)
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(repeats):
        for path, seconds in zip(notes, LATENCY_SECONDS, strict=True):
            for name, step in steps.items():
                start = time.perf_counter()
                step(path)
                times.setdefault((name, seconds), []).append(time.perf_counter() - start)
    lines = [
        f"Warm latency of one note (model loaded; median (min–max) of {repeats}, interleaved)",
        "| note | engine s | bare s | engine × bare | decode s | VAD s | encoder (30 s window) s"
        " | rest: token decoding s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for seconds in LATENCY_SECONDS:
        got = {name: times[(name, seconds)] for name in steps}
        ratio = [e / b for e, b in zip(got["engine"], got["bare"], strict=True)]
        rest = [
            e - d - v - c
            for e, d, v, c in zip(
                got["engine"], got["decode"], got["VAD"], got["encoder"], strict=True
            )
        ]
        lines.append(
            f"| {seconds} s | {e2e.spread(got['engine'])} | {e2e.spread(got['bare'])} "
            f"| {e2e.spread(ratio)} | {statistics.median(got['decode']):.3f} "
            f"| {statistics.median(got['VAD']):.3f} | {statistics.median(got['encoder']):.3f} "
            f"| {statistics.median(rest):.3f} |"
        )
    return "\n".join(lines)


def _note_of(corpus: Sequence[Utterance], seconds: int, folder: Path) -> Path:
    """A note of exactly `seconds` of consecutive utterances joined by short pauses."""
    gap = np.zeros(int(GAP_SECONDS * RATE), dtype=np.int16)
    parts: list[Int16] = []
    for utterance in corpus[100:]:
        parts += [read_wav(utterance.wav), gap]
        if sum(part.size for part in parts) >= seconds * RATE:
            break
    path = folder / f"latency-{seconds}s.ogg"
    write_ogg(np.concatenate(parts)[: seconds * RATE], path)
    return path


def memory_table(
    bare: e2e.Rows,
    cli: e2e.Rows,
    folder: Path,
    clips: Sequence[Clip],
    long_minutes: float,
    model_folder: Path,
) -> str:
    """Peak RSS: the end-to-end processes, the bot while transcribing, a long quiet recording."""
    bot = e2e.bot_peak([clip.audio for clip in clips[-4:]], folder)
    lines = [
        "Peak RSS (MB, median of the runs)",
        "| process | peak RSS MB | over bare MB |",
        "|---|---|---|",
    ]
    base = statistics.median(r.rss_mb for r in bare.runs)
    rows = [
        (bare.label, base),
        (cli.label, statistics.median(r.rss_mb for r in cli.runs)),
        ("bot (real bot, fake Bot API), while transcribing 4 notes", bot),
    ]
    if long_minutes > 0:
        long = e2e.quiet_opus(folder / "long.ogg", long_minutes * 60)
        label = f"{long_minutes:.0f} min of near-silence, {long.stat().st_size / 1e6:.1f} MB Opus"
        rows.append((f"bare faster-whisper, {label}", e2e.bare_run(model_folder, [long])[0].rss_mb))
        rows.append((f"voicenotes transcribe, {label}", e2e.cli_rss(long, folder)))
    for label, rss in rows:
        lines.append(f"| {label} | {rss:.0f} | {rss - base:+.0f} |")
    return "\n".join(lines)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
