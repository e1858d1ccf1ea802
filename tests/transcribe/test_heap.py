"""glibc's allocator: one arena for every thread when asked, the author's MALLOC_ARENA_MAX kept."""

from __future__ import annotations

import platform

import pytest

from tests.support.arenas import arenas_used
from transcribe import heap

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="arenas are glibc's")


def test_threads_get_arenas_of_their_own_by_default() -> None:
    assert arenas_used("") > 1


def test_after_share_one_arena_every_thread_allocates_from_one() -> None:
    shared = "from transcribe import heap\nassert heap.share_one_arena()\n"
    assert arenas_used(shared) == 1


def test_an_arena_limit_set_in_the_environment_is_left_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "3")
    assert heap.share_one_arena() is False
    shared = "from transcribe import heap\nassert not heap.share_one_arena()\n"
    assert arenas_used(shared, env={"MALLOC_ARENA_MAX": "3"}) == 3
