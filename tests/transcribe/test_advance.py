from __future__ import annotations

import itertools

import pytest

from transcribe.advance import Advance, encoded_share

SHARE = encoded_share(4)
CHUNKS = [(2.0, 30.0), (31.0, 60.0), (61.0, 90.0), (91.0, 118.0)]


def test_nothing_scanned_is_nothing_done() -> None:
    assert Advance().done == 0.0


def test_a_window_without_speech_is_done_once_scanned() -> None:
    advance = Advance()
    advance.scanned([], 120.0)
    assert advance.done == 120.0


def test_speech_counts_partly_once_encoded_and_whole_once_decoded() -> None:
    advance = Advance(SHARE)
    advance.scanned(CHUNKS, 120.0)
    seen = [advance.done]
    for start, _ in CHUNKS:
        advance.encoded(start)
        seen.append(advance.done)
    for _ in CHUNKS:
        advance.decoded()
    seen.append(advance.done)
    assert seen[0] == 2.0 + 2.0  # the pause before the first chunk and the one after the last
    assert seen[1] == pytest.approx(4.0 + SHARE * 28.0)
    assert seen[4] == pytest.approx(4.0 + SHARE * 116.0)
    assert seen[-1] == 120.0
    assert all(a <= b for a, b in itertools.pairwise(seen))
    assert max(b - a for a, b in itertools.pairwise(seen)) <= 30.0


def test_chunks_encoded_out_of_order_count_as_they_come() -> None:
    advance = Advance(SHARE)
    advance.scanned(CHUNKS, 120.0)
    advance.encoded(61.0)  # a batch running beside the first
    assert advance.done == pytest.approx(4.0 + SHARE * 30.0)


def test_chunks_of_the_next_window_do_not_take_progress_back() -> None:
    advance = Advance()
    advance.scanned([(0.0, 25.0)], 118.5)
    advance.encoded(0.0)
    advance.decoded()
    before = advance.done
    advance.scanned([(119.0, 140.0), (141.0, 237.5)], 238.0)
    assert before == 118.5 and advance.done == 119.5


def test_unknown_encodes_and_extra_decodes_are_ignored() -> None:
    advance = Advance(SHARE)
    advance.decoded()
    advance.scanned([(5.0, 10.0)], 20.0)
    advance.encoded(7.0)
    assert advance.done == 15.0
    advance.encoded(5.0)
    assert advance.done == pytest.approx(15.0 + SHARE * 5.0)


def test_the_share_evens_out_encoding_one_window_and_decoding_a_batch() -> None:
    assert encoded_share(4) == 0.8
    assert encoded_share(1) == 0.5
