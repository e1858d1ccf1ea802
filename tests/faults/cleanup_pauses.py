"""Run `voicenotes cleanup` held still after it has read the KB, until a test lets it go.

    python -m tests.faults.cleanup_pauses MARKER GO -- cleanup --delete --kb KB

Once cleanup has read the documents and chosen what to delete (notes.upkeep.cleanup.unused), the
process creates MARKER and waits until the file GO exists, then goes on unchanged: the test
runs a real drafting pass in between.
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path
from typing import Any

from notes import cli
from notes.upkeep import cleanup


def install(marker: Path, go: Path) -> None:
    chosen = cleanup.unused

    @functools.wraps(chosen)
    def held(*args: Any, **kwargs: Any) -> cleanup.Found:
        found = chosen(*args, **kwargs)
        marker.write_text("read\n")
        while not go.exists():
            time.sleep(0.05)
        return found

    cleanup.unused = held


def main(argv: list[str]) -> int:
    marker, go, separator, *args = argv
    assert separator == "--", "usage: MARKER GO -- VOICENOTES-ARGS"
    install(Path(marker), Path(go))
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
