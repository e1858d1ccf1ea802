from __future__ import annotations

from tests.conftest import SPEECH_OGG
from transcribe.ogg import is_ogg, ogg_problem

CLIP = SPEECH_OGG.read_bytes()


def test_whole_file_has_no_problem():
    assert is_ogg(CLIP)
    assert ogg_problem(CLIP) is None


def test_cut_at_every_kind_of_place_is_truncated():
    for cut in (10, 27, 30, 200, len(CLIP) // 2, len(CLIP) - 1):
        problem = ogg_problem(CLIP[:cut])
        assert problem is not None and problem.startswith("truncated"), cut


def test_damaged_page_header_is_corruption():
    third_page = CLIP.index(b"OggS", CLIP.index(b"OggS", 1) + 1)
    damaged = CLIP[:third_page] + bytes(8) + CLIP[third_page + 8 :]
    assert (
        ogg_problem(damaged) == f"corrupt: no Ogg page where one should start (byte {third_page})"
    )


def test_damage_inside_a_page_body_is_left_to_the_decoder():
    second_page = CLIP.index(b"OggS", 1)
    damaged = CLIP[: second_page + 100] + bytes(10) + CLIP[second_page + 110 :]
    assert ogg_problem(damaged) is None


def test_not_ogg():
    assert not is_ogg(b"ID3\x03")
