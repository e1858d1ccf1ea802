"""Bare faster-whisper, as a user would script it: the baseline of the end-to-end rows.

Its defaults (sequential decoder, beam 5) with VAD on, int8, the language given; the import
and the model load are part of its time. Prints one JSON line per file: its text.

    python bench/transcribe_bare.py MODEL_FOLDER FILE...
"""

import json
import sys

from faster_whisper import WhisperModel


def main() -> int:
    folder, *files = sys.argv[1:]
    model = WhisperModel(folder, device="cpu", compute_type="int8")
    for path in files:
        segments, _ = model.transcribe(path, language="ru", vad_filter=True)
        print(json.dumps(" ".join(segment.text.strip() for segment in segments)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
