"""Times as the author reads them in the chat: in his time zone, in words ("today 14:05").

Pure rules: the moment, now and the zone go in, the words come out; never raw ISO.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def zone(name: str | None) -> tzinfo:
    """The IANA zone `name`, or the machine's own zone when None.

    Raises ValueError for a name that is no known zone.
    """
    if not name:
        local = datetime.now().astimezone().tzinfo
        assert local is not None  # astimezone() always sets one
        return local
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a time zone (try Europe/Berlin or UTC)") from None


def day_in_words(day: date, today: date) -> str:
    """`today`, `yesterday`, `3 Dec` (this year) or `3 Dec 2025`."""
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    month = MONTHS[day.month - 1]
    return f"{day.day} {month}" if day.year == today.year else f"{day.day} {month} {day.year}"


def moment_in_words(moment: datetime, now: datetime, where: tzinfo) -> str:
    """`today 14:05`, `yesterday 09:12`, `3 Dec 18:40`, in the zone `where`.

    A moment without an offset is taken as UTC, as the notes' dates are.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local, today = moment.astimezone(where), now.astimezone(where).date()
    return f"{day_in_words(local.date(), today)} {local:%H:%M}"


def iso_in_words(text: str, now: datetime, where: tzinfo) -> str:
    """An ISO timestamp (as the run log keeps them) in words; unreadable text as it is."""
    try:
        return moment_in_words(datetime.fromisoformat(text), now, where)
    except ValueError:
        return text
