from __future__ import annotations

import io

from notes.progress import TerminalProgress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_in_a_terminal():
    screen = FakeTerminal()
    progress = TerminalProgress(screen, min_interval=0)
    progress.start("[1/2] a.ogg")
    progress.update(30, 60)
    progress.update(60, 60)
    progress.done()
    shown = screen.getvalue()
    assert "[1/2] a.ogg" in shown
    assert " 50% (30/60 s)" in shown and "100% (60/60 s)" in shown
    assert shown.endswith("\r\x1b[2K")


def test_progress_is_silent_when_piped():
    piped = io.StringIO()
    progress = TerminalProgress(piped)
    progress.start("x")
    progress.update(1, 2)
    progress.done()
    assert piped.getvalue() == ""
