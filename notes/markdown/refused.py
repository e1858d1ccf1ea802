"""The one shape of a change to an article that cannot be made: every reason, one line each."""

from __future__ import annotations

from collections.abc import Sequence


class Refused(ValueError):
    """A change refused whole; `problems` says why, one line each (the message joins them)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)
