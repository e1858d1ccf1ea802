"""Run `voicenotes` with the drafting pass frozen at one step, for a test to SIGKILL it there.

    python -m tests.faults.draft_pauses STEP MARKER -- draft --kb KB

At STEP the process creates the file MARKER and then waits forever; the test kills it with
SIGKILL once MARKER exists. The pause wraps the pass's seams (the one writer notes.kb.atomic, the
git commit), so the pass itself runs unchanged. Steps:

- `article-written`: an article file is on disk, its notes not moved yet
- `figure-moved`: a figure's image is in `assets/images/`, its photo note not yet rewritten
- `note-moved`: the first note of a batch is in inbox/used/, the others not yet
- `index-written`: articles/_index.md is regenerated, nothing committed
- `before-commit`: everything written, `git commit` about to run

(`routed`, the pass waiting for the model after routing, needs no pause: the test's LLM
server holds the write request.)
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from notes import cli
from notes.kb import atomic, gitkb

STEPS = ("article-written", "figure-moved", "note-moved", "index-written", "before-commit")


def pause(marker: Path) -> None:
    marker.write_text("paused\n")
    threading.Event().wait()


def after(function: Callable[..., Any], when: Callable[..., bool], marker: Path) -> Any:
    @functools.wraps(function)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        if when(*args):
            pause(marker)
        return result

    return wrapped


def install(step: str, marker: Path) -> None:
    def is_article(path: Path, *_: Any) -> bool:
        return path.parent.name == "articles" and not path.name.startswith("_")

    def is_index(path: Path, *_: Any) -> bool:
        return path.name == "_index.md"

    def into_used(source: Path, target: Path, *_: Any) -> bool:
        return target.parent.name == "used"

    def into_assets(source: Path, target: Path, *_: Any) -> bool:
        return target.parent.parent.name == "images"

    if step == "article-written":
        atomic.write_text = after(atomic.write_text, is_article, marker)  # type: ignore[assignment]
    elif step == "figure-moved":
        atomic.move_file = after(atomic.move_file, into_assets, marker)  # type: ignore[assignment]
    elif step == "note-moved":
        atomic.move_file = after(atomic.move_file, into_used, marker)  # type: ignore[assignment]
    elif step == "index-written":
        atomic.write_text = after(atomic.write_text, is_index, marker)  # type: ignore[assignment]
    elif step == "before-commit":
        commit = gitkb.commit

        def paused_commit(*args: Any, **kwargs: Any) -> str | None:
            pause(marker)
            return commit(*args, **kwargs)

        gitkb.commit = paused_commit  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown step {step!r}; one of {', '.join(STEPS)}")


def main(argv: list[str]) -> int:
    step, marker, separator, *args = argv
    assert separator == "--", "usage: STEP MARKER -- VOICENOTES-ARGS"
    install(step, Path(marker))
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
