"""`voicenotes doctor`: every setting and outside part checked at once, one line each."""

from notes.doctor.result import Check

__all__ = ["Check"]
