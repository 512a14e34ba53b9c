"""Find and parse publication dates in the forms news pages print them.

Forms read (with an optional time before or after, ``19:58, 22 December, 2021``,
``19 January 2023 - 12:41``, ``Sept. 20, 2023 at 3:15 pm``):

* a day, a month name and a four-digit year, either order: ``22 December 2021``,
  ``25 Sep, 2023``, ``Sept. 20, 2023``, ``22 декабря 2021 г.``, ``13 avqust 2023``,
  ``13 Ağustos 2023``, ``13 օգոստոսի 2023``. Month names (full, abbreviated, genitive)
  are dateparser's own locale data for English, Russian, Azerbaijani, Armenian and
  Turkish (``LANGUAGES``), so the spellings are maintained with that library;
* ISO dates ``2022-08-13``, ``2022-08-13 15:24:00``, ``2021-03-05T10:00:00+04:00``
  (the local time is kept, the offset dropped);
* day.month.year ``21.09.2023`` (always day first, as everywhere it is written);
* slashed (or dashed) dates ``20/09/2023``, ``22-08-2023``: read only when one of the
  first two numbers is over 12. ``09/10/2023`` could be 9 October or 10 September: it raises :class:`DateError`
  (ambiguous) and the date stays unknown; it is never guessed.

A line with a year and a month name in none of those shapes goes to
:func:`dateparser.search.search_dates` with strict settings (``STRICT_SETTINGS``:
day, month and year all required, absolute dates only, so "2H ago", "yesterday"
or "March 2021" are not dates), the languages above, and a cache.

Speed: every form holds four digits in a row, so a line without them is passed
over at once, and the common forms are read by one regular expression and a
month lookup, without calling dateparser (which costs about a millisecond per
call: at one call per article it would add a third to the loading time of a
corpus); dateparser is imported on the first line that needs it.

A date before 1900 or after next year, or one that does not exist (30 February),
raises :class:`DateError` with the span where it stands; callers report it and
leave the date unknown.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime

# dateparser language codes whose month names are read
LANGUAGES = ("en", "ru", "az", "hy", "tr")
# settings for dateparser: a date needs a day, a month and a year; relative dates ("2 hours ago",
# "yesterday") and bare times are not publication dates; no day, month or year is filled in
STRICT_SETTINGS = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "DATE_ORDER": "DMY",
    "PREFER_LOCALE_DATE_ORDER": False,
}
EARLIEST_YEAR = 1900


class DateError(ValueError):
    """A date string that cannot be read unambiguously; ``span`` is where it stands in the text."""

    def __init__(self, message: str, span: tuple[int, int] | None = None):
        super().__init__(message)
        self.span = span


# Every form has a four-digit year: a text without four digits in a row has no date.
_YEAR_DIGITS = re.compile(r"\d{4}")

_TIME = r"(?P<{t}>\d{{1,2}}:\d{{2}})(?::\d{{2}}(?:\.\d+)?)?(?:\s*(?P<{p}>[ap]\.?\s?m\b\.?))?"
_TIME_AFTER = r"(?:\s*(?:,|\||[-–—]|at|à|в|saat)?\s*" + _TIME + r")?"
_TIME_BEFORE = r"(?:(?P<{t}>\d{{1,2}}:\d{{2}})\s*(?:,|\||[-–—])?\s+)?"
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
# what may follow a year: Russian "г." / "года", Azerbaijani "-cü il", Armenian "թ."
_YEAR_WORD = r"(?:\s*(?:г\.|года\b|год\b|-?c[iıuü]\s+il\b|il\b|թ\.))?"


def _month_words() -> dict[str, int]:
    """Month name (lower case) -> month number, from dateparser's locale data for LANGUAGES."""
    import importlib

    months = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
    words: dict[str, int] = {}
    clash: set[str] = set()
    for language in LANGUAGES:
        info = importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
        for number, month in enumerate(months, start=1):
            for word in info.get(month, []):
                for form in {word.lower(), _plain_letters(word.lower())}:
                    if len(form) < 3 or not form.isalpha():  # two-letter Turkish forms ("Ka", "Ey"): too loose
                        continue
                    if words.get(form, number) != number:
                        clash.add(form)
                    words[form] = number
    for form in clash:
        del words[form]
    return words


def _plain_letters(word: str) -> str:
    """``word`` without accents (ağustos -> agustos): pages written without them are read too."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@functools.cache
def _patterns() -> tuple[re.Pattern, dict[str, int]]:
    words = _month_words()
    month = "(?P<{m}>" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\.?"
    day = r"(?P<{d}>\d{{1,2}})(?:st|nd|rd|th|-(?:c[iıuü]|[iıuü]nc[iıuü]|nc[iıuü]|го|е|ին))?"
    end = r"(?![\w])"  # a month name is a whole word; the year is not part of a longer number
    forms = [
        # [time,] [weekday] 22 December[,] 2021 [time]
        _TIME_BEFORE.format(t="lt1") + _WEEKDAY + day.format(d="d1") + r"\s+" + month.format(m="m1")
        + r",?\s+(?P<y1>\d{4})(?!\d)" + _YEAR_WORD + _TIME_AFTER.format(t="t1", p="p1"),
        # [time,] [weekday] December 22[,] 2021 [time]
        _TIME_BEFORE.format(t="lt2") + _WEEKDAY + month.format(m="m2") + r"\s+" + day.format(d="d2")
        + r",?\s+(?P<y2>\d{4})(?!\d)" + _YEAR_WORD + _TIME_AFTER.format(t="t2", p="p2"),
        # 2022-08-13[T| ]15:24[:00][+04:00]
        r"(?P<y3>\d{4})-(?P<mo3>\d{2})-(?P<d3>\d{2})(?:[T ](?P<t3>\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?"
        r"(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)",
        # [time,] 21.09.2023 [time]
        _TIME_BEFORE.format(t="lt4") + r"(?P<d4>\d{1,2})\.(?P<mo4>\d{1,2})\.(?P<y4>\d{4})(?!\d)"
        + _YEAR_WORD + _TIME_AFTER.format(t="t4", p="p4"),
        # [time,] 20/09/2023 or 20-09-2023 [time]
        _TIME_BEFORE.format(t="lt5") + r"(?P<a5>\d{1,2})(?P<s5>[/-])(?P<b5>\d{1,2})(?P=s5)(?P<y5>\d{4})(?!\d)"
        + _TIME_AFTER.format(t="t5", p="p5"),
    ]
    pattern = re.compile(r"(?<![\d./])(?:" + "|".join(forms) + ")" + end, re.IGNORECASE)
    return pattern, words


def __getattr__(name: str):
    if name == "DATE_RE":  # the pattern of the forms above (built on first use: it needs dateparser's data)
        return _patterns()[0]
    raise AttributeError(name)


def find_date(text: str) -> tuple[datetime, re.Match] | None:
    """The first date in ``text`` and its match, or None. Raises DateError if it is ambiguous or invalid."""
    year = _YEAR.search(text)
    if year is None:  # a quick scan spares the long alternation most lines
        _check_long_year(text)
        return None
    pattern, words = _patterns()
    while year is not None:
        # a date holds one year, at most BEFORE_YEAR characters after its start: search around each year in
        # turn (the whole pattern tried at every position of a long line costs three times as much)
        start, end = year.span()
        match = pattern.search(text, max(0, start - _BEFORE_YEAR), end + _AFTER_YEAR)
        if match is not None and match.start() <= start and end <= match.end():
            return _to_datetime(match, words), match
        year = _YEAR.search(text, end)
    if _may_hold_a_date(text, words):
        return _search_with_dateparser(text)
    return None


# a year of a date as the forms above write it; how far before and after it a date may reach
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_BEFORE_YEAR, _AFTER_YEAR = 48, 32


# an ISO date whose year has five digits or more (20211-01-05, a slip of the keyboard): no datetime holds it
_LONG_YEAR_ISO = re.compile(r"(?<![\d./])\d{5,}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])(?![\d])")


def _check_long_year(text: str) -> None:
    """Raise DateError for an ISO date with a year of five digits or more (not silently no date)."""
    if "-" in text:
        match = _LONG_YEAR_ISO.search(text)
        if match is not None:
            latest = datetime.now().year + 1
            raise DateError(f"'{match.group(0)}' is outside the plausible range of publication dates "
                            f"({EARLIEST_YEAR}-{latest}): its year has {match.group(0).index('-')} digits",
                            match.span())


def check_date(value) -> None:
    """Raise DateError unless ``value`` (a date or datetime, however it was found) is a plausible publication
    date: from EARLIEST_YEAR to next year, and so inside pandas' datetime64[ns] range."""
    latest = datetime.now().year + 1
    if not EARLIEST_YEAR <= value.year <= latest:
        raise DateError(f"'{value}' is outside the plausible range of publication dates ({EARLIEST_YEAR}-{latest})")


def parse_date(value: str) -> datetime:
    """Parse a whole string as one date (manifest values, page metadata). Raises DateError."""
    value = str(value).strip()
    pattern, words = _patterns()
    match = pattern.fullmatch(value)
    if match is None:
        _check_long_year(value)
        raise DateError(f"'{value}' is not a date in a recognised form "
                        "(use YYYY-MM-DD, '19 November 2020' or 'November 19, 2020')")
    return _to_datetime(match, words)


_LOOSE_DAY = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]+")


def _may_hold_a_date(text: str, words: dict[str, int]) -> bool:
    """A year, a month name and a one- or two-digit number: worth asking dateparser (rare)."""
    return (len(text) <= 200 and _LOOSE_DAY.search(text) is not None
            and any(w.lower() in words for w in _LETTERS.findall(text)))


def _search_with_dateparser(text: str) -> tuple[datetime, re.Match] | None:
    found = _dateparser_search(text)
    if found is None:
        return None
    substring, value = found
    match = re.compile(re.escape(substring)).search(text)
    if match is None:  # (dateparser normalised the text; cannot point at the span)
        return None
    _check_range(value, match)
    return value, match


@functools.lru_cache(maxsize=4096)
def _dateparser_search(text: str) -> tuple[str, datetime] | None:
    from dateparser.search import search_dates

    try:
        results = search_dates(text, languages=list(LANGUAGES), settings=STRICT_SETTINGS) or []
    except Exception:  # (dateparser raises on some odd inputs; no date then)
        return None
    for substring, value in results:
        # a full date holds a year and another number; dateparser may still take "2021" or "May" alone
        if _YEAR_DIGITS.search(substring) and _LOOSE_DAY.search(_YEAR_DIGITS.sub(" ", substring)):
            return substring, value.replace(tzinfo=None)
    return None


def _to_datetime(m: re.Match, words: dict[str, int]) -> datetime:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    try:
        if "y1" in g or "y2" in g:
            i = "1" if "y1" in g else "2"
            year, day = int(g["y" + i]), int(g["d" + i])
            month = words[g["m" + i].lower()]
            time, ampm = g.get("t" + i) or g.get("lt" + i), g.get("p" + i)
        elif "y3" in g:
            year, month, day, time, ampm = int(g["y3"]), int(g["mo3"]), int(g["d3"]), g.get("t3"), None
        elif "y4" in g:
            year, month, day = int(g["y4"]), int(g["mo4"]), int(g["d4"])
            time, ampm = g.get("t4") or g.get("lt4"), g.get("p4")
        else:
            a, b = int(g["a5"]), int(g["b5"])
            if a <= 12 and b <= 12 and a != b:
                raise DateError(f"'{m.group(0)}' is ambiguous (day/month or month/day)", m.span())
            day, month = (a, b) if a > 12 else (b, a)
            year, time, ampm = int(g["y5"]), g.get("t5") or g.get("lt5"), g.get("p5")
        hour = minute = 0
        if time:
            hour, minute = (int(x) for x in time.split(":"))
            if ampm and ampm.lower().startswith("p") and hour < 12:
                hour += 12
            if ampm and ampm.lower().startswith("a") and hour == 12:
                hour = 0
        value = datetime(year, month, day, hour, minute)
    except DateError:
        raise
    except ValueError as err:  # e.g. 30 February
        raise DateError(f"'{m.group(0)}' is not a valid date: {err}", m.span()) from None
    _check_range(value, m)
    return value


def _check_range(value: datetime, m: re.Match) -> None:
    latest = datetime.now().year + 1
    if not EARLIEST_YEAR <= value.year <= latest:
        raise DateError(f"'{m.group(0)}' is outside the plausible range of publication dates "
                        f"({EARLIEST_YEAR}-{latest})", m.span())


# The crawler's page-date prefix some saved pages open with: " date 2023-04-27 " then the text
CRAWL_DATE_PREFIX = re.compile(r"^date\s+(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?:\s+|$)")
_PUBLISHED_LABEL = re.compile(r"\b(?:published|posted|created|date|дата|опубликовано|yayımlanıb|yayımlandı|"
                              r"tarix|dərc|հրապարակվել)\w*", re.IGNORECASE)
_UPDATED_LABEL = re.compile(r"\b(?:updated|last updated|modified|edited|обновлено|изменено|yenilənib|"
                            r"güncellendi|güncelleme)\w*", re.IGNORECASE)


def date_rank(before: str) -> int:
    """How surely a date is the publication date, from the words before it on its line: 2 labelled as
    published ("Published on", "date", "Опубликовано"), 1 no label, 0 labelled as an update ("Updated")."""
    if _UPDATED_LABEL.search(before):
        return 0
    return 2 if _PUBLISHED_LABEL.search(before) else 1


def month_words() -> dict[str, int]:
    """Month names (lower case) of LANGUAGES -> month number, from dateparser's locale data."""
    return _patterns()[1]
