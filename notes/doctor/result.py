"""One line of the doctor's report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """What was checked, whether it passed, and what was found (never a secret)."""

    name: str
    ok: bool
    detail: str
    origin: str = ""
    """Where the setting came from: "environment", the KB's `.env`, or "default" (or, for a
    check of several, "model from default, key from environment")."""

    def line(self) -> str:
        said = self.origin if " from " in self.origin else f"from {self.origin}"
        where = f" ({said})" if self.origin else ""
        return f"{'ok' if self.ok else 'FAIL':<4} {self.name}{where}: {self.detail}"


def passed(name: str, detail: str, origin: str = "") -> Check:
    return Check(name, True, detail, origin)


def failed(name: str, detail: str, origin: str = "") -> Check:
    return Check(name, False, detail, origin)
