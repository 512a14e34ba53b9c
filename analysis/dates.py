"""Find and parse publication dates in the forms news pages print them.

Only unambiguous forms are accepted: a date like 03/04/2021 could be 3 April or
4 March, so it is reported as ambiguous and left unknown rather than guessed.
"""
from __future__ import annotations

import re
from datetime import datetime

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_TIME = r"(?:,?\s*(?:at\s+)?(?P<time>\d{1,2}:\d{2})(?::\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?)?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"

DATE_RE = re.compile(
    "|".join([
        _WEEKDAY + r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.replace("month", "m1") + r",?\s+(?P<y1>\d{4})" + _TIME.replace("time", "t1").replace("ampm", "p1"),
        _WEEKDAY + _MONTH.replace("month", "m2") + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})" + _TIME.replace("time", "t2").replace("ampm", "p2"),
        r"(?P<y3>\d{4})-(?P<mo3>\d{2})-(?P<d3>\d{2})(?:[T ](?P<t3>\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
        r"(?P<d4>\d{1,2})\.(?P<mo4>\d{1,2})\.(?P<y4>\d{4})" + _TIME.replace("time", "t4").replace("ampm", "p4"),
        r"(?P<a5>\d{1,2})/(?P<b5>\d{1,2})/(?P<y5>\d{4})" + _TIME.replace("time", "t5").replace("ampm", "p5"),
    ]),
    re.IGNORECASE,
)


class DateError(ValueError):
    """A date string that cannot be read unambiguously; ``span`` is where it stands in the text."""

    def __init__(self, message: str, span: tuple[int, int] | None = None):
        super().__init__(message)
        self.span = span


# Every form of DATE_RE has a four-digit year: a text without four digits in a row has no date.
_YEAR_DIGITS = re.compile(r"\d{4}")


def find_date(text: str) -> tuple[datetime, re.Match] | None:
    """The first date in ``text`` and its match, or None. Raises DateError if it is ambiguous."""
    if _YEAR_DIGITS.search(text) is None:  # a quick scan spares the long alternation most lines
        return None
    match = DATE_RE.search(text)
    if match is None:
        return None
    return _to_datetime(match), match


def parse_date(value: str) -> datetime:
    """Parse a whole string as one date (manifest values). Raises DateError."""
    value = str(value).strip()
    match = DATE_RE.fullmatch(value)
    if match is None:
        raise DateError(f"'{value}' is not a date in a recognised form "
                        "(use YYYY-MM-DD, '19 November 2020' or 'November 19, 2020')")
    return _to_datetime(match)


def _to_datetime(m: re.Match) -> datetime:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    try:
        if "y1" in g or "y2" in g:
            i = "1" if "y1" in g else "2"
            year, day = int(g["y" + i]), int(g["d" + i])
            month = _MONTHS[g["m" + i].lower()[:3]]
            time, ampm = g.get("t" + i), g.get("p" + i)
        elif "y3" in g:
            year, month, day, time, ampm = int(g["y3"]), int(g["mo3"]), int(g["d3"]), g.get("t3"), None
        elif "y4" in g:
            year, month, day, time, ampm = int(g["y4"]), int(g["mo4"]), int(g["d4"]), g.get("t4"), g.get("p4")
        else:
            a, b = int(g["a5"]), int(g["b5"])
            if a <= 12 and b <= 12 and a != b:
                raise DateError(f"'{m.group(0)}' is ambiguous (day/month or month/day)", m.span())
            day, month = (a, b) if a > 12 else (b, a)
            year, time, ampm = int(g["y5"]), g.get("t5"), g.get("p5")
        hour = minute = 0
        if time:
            hour, minute = (int(x) for x in time.split(":"))
            if ampm and ampm.lower().startswith("p") and hour < 12:
                hour += 12
            if ampm and ampm.lower().startswith("a") and hour == 12:
                hour = 0
        return datetime(year, month, day, hour, minute)
    except DateError:
        raise
    except ValueError as err:  # e.g. 30 February
        raise DateError(f"'{m.group(0)}' is not a valid date: {err}", m.span()) from None
