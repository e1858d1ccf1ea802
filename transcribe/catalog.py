"""Which Whisper model a name means, where it is on this machine, and fetching one ahead.

A named model (`large-v3`, `turbo`, `org/repo`) is never fetched while transcribing: it is
looked up in the model cache (huggingface_hub's, `HF_HUB_CACHE`), and a model not there is
one line naming `voicenotes model fetch NAME`. A folder given by path is checked to be a
CTranslate2 Whisper model before it is loaded. The embedded model (transcribe.model) needs
neither.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from transcribe.base import ModelError, explain

SIZES = {
    "tiny": "Systran/faster-whisper-tiny",
    "base": "Systran/faster-whisper-base",
    "small": "Systran/faster-whisper-small",
    "medium": "Systran/faster-whisper-medium",
    "large-v2": "Systran/faster-whisper-large-v2",
    "large-v3": "Systran/faster-whisper-large-v3",
    "large": "Systran/faster-whisper-large-v3",
    "distil-large-v3": "Systran/faster-distil-whisper-large-v3",
    "large-v3-turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
    "turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
}
"""The multilingual models faster-whisper knows by name (English-only `.en` ones are no use
for Russian notes, but any `org/repo` of a CTranslate2 conversion works too)."""
MODEL_FILES = [
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
]
"""The files of a CTranslate2 Whisper model: all a fetch takes from its repository."""


@dataclass(frozen=True)
class CachedModel:
    name: str
    repo: str
    folder: Path
    size_bytes: int


def looks_like_path(name: str) -> bool:
    """`org/model` is a repository name; `/x`, `./x`, `~/x` are folders."""
    return name.startswith(("/", ".", "~"))


def repo_of(name: str) -> str:
    """The repository a model name means; one line listing the sizes for an unknown name."""
    if "/" in name:
        return name
    if name not in SIZES:
        known = ", ".join(SIZES)
        raise ModelError(f"unknown Whisper model {name!r}: use one of {known}, or a folder")
    return SIZES[name]


def folder_problem(folder: Path) -> str | None:
    """Why `folder` is not a CTranslate2 Whisper model, or None when it is one."""
    if not folder.is_dir():
        return "no such model folder"
    missing = [name for name in ("model.bin", "config.json") if not (folder / name).is_file()]
    if not (folder / "tokenizer.json").is_file() and not any(folder.glob("vocabulary.*")):
        missing.append("tokenizer.json")
    if missing:
        return f"not a CTranslate2 Whisper model (no {', '.join(missing)})"
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "not a CTranslate2 Whisper model (config.json does not parse)"
    if not isinstance(config, dict) or "suppress_ids" not in config:
        return "not a CTranslate2 Whisper model (config.json is not Whisper's)"
    return None


def local_folder(name: str) -> Path:
    """The folder of model `name` on this machine, checked; never fetches anything."""
    if looks_like_path(name):
        folder = Path(name).expanduser()
        problem = folder_problem(folder)
    else:
        found = _cached(repo_of(name))
        folder = found or Path()
        problem = (
            None
            if found
            else (f"not on this machine; fetch it ahead with `voicenotes model fetch {name}`")
        )
    if problem:
        raise ModelError(f"cannot load Whisper model {name!r}: {problem}")
    return folder


def _cached(repo: str) -> Path | None:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        path = snapshot_download(repo, allow_patterns=MODEL_FILES, local_files_only=True)
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    folder = Path(path)
    return None if folder_problem(folder) else folder


def download_size(name: str) -> int:
    """Bytes a fetch of `name` downloads (asks the hub; raises ModelError when unreachable)."""
    from fnmatch import fnmatch

    from huggingface_hub import HfApi

    try:
        info = HfApi(endpoint=_endpoint()).model_info(repo_of(name), files_metadata=True)
    except Exception as error:  # huggingface_hub raises many kinds; all mean "cannot ask"
        raise ModelError(
            f"cannot reach the model hub for {name!r}: {explain(error, named=True)}"
        ) from None
    return sum(
        file.size or 0
        for file in info.siblings or []
        if any(fnmatch(file.rfilename, pattern) for pattern in MODEL_FILES)
    )


def fetch(name: str, say: Callable[[str], None] = print) -> Path:
    """Download model `name` into the cache, with a progress bar, telling its size first."""
    from huggingface_hub import snapshot_download

    repo = repo_of(name)
    say(f"{name}: {repo}, {download_size(name) / 1e6:,.0f} MB to download")
    try:
        folder = Path(snapshot_download(repo, allow_patterns=MODEL_FILES, endpoint=_endpoint()))
    except Exception as error:  # as above: network, disk, hub errors
        raise ModelError(f"fetching {name!r} failed: {explain(error, named=True)}") from None
    problem = folder_problem(folder)
    if problem:
        raise ModelError(f"fetched {name!r}, but it is {problem}")
    return folder


def cached_models() -> list[CachedModel]:
    """The models of SIZES (and any other Whisper conversion) in the cache."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    try:
        cache = scan_cache_dir()
    except CacheNotFound:
        return []
    names = {repo: name for name, repo in reversed(SIZES.items())}
    found = []
    for repo in sorted(cache.repos, key=lambda r: r.repo_id):
        for revision in repo.revisions:
            if repo.repo_type == "model" and not folder_problem(revision.snapshot_path):
                name = names.get(repo.repo_id, repo.repo_id)
                found.append(
                    CachedModel(name, repo.repo_id, revision.snapshot_path, repo.size_on_disk)
                )
                break
    return found


def _endpoint() -> str | None:
    """The hub to fetch from: `HF_ENDPOINT` as huggingface_hub reads it, but read when a fetch
    starts (huggingface_hub reads it once, at import)."""
    return os.environ.get("HF_ENDPOINT") or None
