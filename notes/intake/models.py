"""`voicenotes model list` and `voicenotes model fetch NAME`: Whisper models on this machine.

Transcription never downloads a model; this command is the one way a named model reaches the
cache, so a machine can be made ready while it is online and then run offline.
"""

from __future__ import annotations

import argparse
import sys

from notes.settings import Settings
from transcribe import ModelError
from transcribe.catalog import SIZES, cached_models, fetch
from transcribe.model import MODEL_ID, embedded_model_dir


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.action == "fetch":
            if not args.name:
                print("error: name the model to fetch, e.g. large-v3-turbo", file=sys.stderr)
                return 2
            folder = fetch(args.name, say=lambda line: print(line, file=sys.stderr))
            print(f"{args.name}: ready in {folder}")
            return 0
        return _list(settings)
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _list(settings: Settings) -> int:
    chosen = settings.whisper_model
    mark = {True: "*", False: " "}
    print(
        f"{mark[chosen == 'embedded']} embedded  {MODEL_ID}, shipped with voicenotes, in "
        f"{embedded_model_dir(settings.cache_dir).parent}"
    )
    cached = cached_models()
    for model in cached:
        size = f"{model.size_bytes / 1e6:,.0f} MB"
        print(f"{mark[chosen == model.name]} {model.name}  {model.repo}, {size}, in {model.folder}")
    others = ", ".join(name for name in SIZES if name not in {m.name for m in cached})
    print(f"  fetch another with `voicenotes model fetch NAME` ({others})")
    return 0
