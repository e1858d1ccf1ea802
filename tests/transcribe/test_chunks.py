from __future__ import annotations

import numpy as np

from transcribe.chunks import Span, group_spans, speech_of


def test_spans_are_grouped_up_to_the_limit_in_order():
    spans = [Span(0, 40), Span(50, 80), Span(90, 100), Span(200, 260), Span(300, 310)]
    groups = group_spans(spans, most=80)
    assert groups == [[Span(0, 40), Span(50, 80), Span(90, 100)], [Span(200, 260), Span(300, 310)]]


def test_a_span_longer_than_the_limit_stands_alone():
    assert group_spans([Span(0, 10), Span(20, 200), Span(210, 220)], most=50) == [
        [Span(0, 10)],
        [Span(20, 200)],
        [Span(210, 220)],
    ]


def test_no_spans_no_groups():
    assert group_spans([], most=10) == []


def test_speech_leaves_the_pauses_out():
    samples = np.arange(10, dtype=np.float32)
    assert speech_of(samples, [Span(1, 3), Span(6, 8)]).tolist() == [1, 2, 6, 7]
