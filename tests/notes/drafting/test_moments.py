"""Time marks, parts cut at pauses, and citations of a moment (pure rules)."""

from __future__ import annotations

from notes.drafting import moments
from transcribe.base import Segment


def seg(start: float, end: float, text: str = "слово " * 9) -> Segment:
    return Segment(start, end, text.strip())


def test_a_mark_before_the_first_and_every_third_segment() -> None:
    segments = [seg(n * 10, n * 10 + 8, f"s{n}") for n in range(7)]
    assert moments.marked(segments) == "[0:00] s0 s1 s2 [0:30] s3 s4 s5 [1:00] s6"


def test_a_short_note_is_one_part_covering_the_recording() -> None:
    segments = [seg(1, 5), seg(6, 9)]
    assert moments.parts(segments, 10.0) == [moments.Part(0.0, 10.0, tuple(segments))]


def test_a_long_note_is_cut_at_its_longest_pause_and_the_parts_meet() -> None:
    # 12 segments of 53 characters; a long pause after the 4th and after the 9th.
    starts = [0, 5, 10, 15, 40, 45, 50, 55, 60, 90, 95, 100]
    segments = [seg(s, s + 4) for s in starts]
    found = moments.parts(segments, 110.0, limit=300)
    assert [len(part.segments) for part in found] == [4, 5, 3]
    assert [(p.start, p.end) for p in found] == [(0.0, 29.5), (29.5, 77.0), (77.0, 110.0)]
    assert [s for part in found for s in part.segments] == segments


def test_a_moment_is_read_from_its_label() -> None:
    assert moments.moment("S1@12:30-13:10") == moments.Moment("S1", 750, 790)
    assert moments.moment("S12@1:02:03-1:02:09") == moments.Moment("S12", 3723, 3729)
    assert moments.moment("S1") is None
    assert moments.moment("S1@12:3-13:10") is None
    assert moments.span(750, 790.4) == "12:30-13:10"
