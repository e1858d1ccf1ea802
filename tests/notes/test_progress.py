from __future__ import annotations

import io

from notes.progress import TerminalProgress, status, time_left


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_in_a_terminal():
    screen = FakeTerminal()
    moments = iter([100.0, 103.0, 106.0, 109.0])
    progress = TerminalProgress(screen, min_interval=0, now=lambda: next(moments))
    progress.start("[1/2] a.ogg")
    progress.update(15, 60)
    progress.update(30, 60)
    progress.update(60, 60)
    progress.done()
    shown = screen.getvalue()
    assert "[1/2] a.ogg" in shown
    assert "[1/2] a.ogg [######------------------]  25% of 1:00\r" in shown
    assert "[1/2] a.ogg [############------------]  50% of 1:00, 0:06 left" in shown
    assert "[########################] 100% of 1:00\r" in shown
    assert shown.endswith("\r\x1b[2K")


def test_the_time_left_goes_by_the_pace_so_far():
    assert time_left(0, 600, 5) is None
    assert time_left(150, 600, 30) == 90
    assert status(150, 750, 30) == " 20% of 12:30, 2:00 left"
    assert status(750, 750, 150) == "100% of 12:30"


def test_progress_is_silent_when_piped():
    piped = io.StringIO()
    progress = TerminalProgress(piped)
    progress.start("x")
    progress.update(1, 2)
    progress.done()
    assert piped.getvalue() == ""


def test_no_time_left_before_a_step_after_the_first_is_measured():
    # A 97 s note: the first report comes after the model load; its pace would say 19:45.
    first = (5.0, 12.0)
    assert status(5, 97, 12, since=first) == "  5% of 1:37"
    assert time_left(5, 97, 12, since=first) is None
    assert status(35, 97, 18, since=first) == " 36% of 1:37, 0:12 left"
