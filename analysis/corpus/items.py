"""Pages that hold several news items: where each item starts.

A listing page, an author's or a tag's archive, a news feed copied whole, prints several items one below
the other, each a headline and then a paragraph that opens with the agency's dateline
("YEREVAN, SEPTEMBER 26, ARMENPRESS. ...", "MOSCOW, March 16. /TASS/. ...", "BAKU (AA) - ...",
"Baku, February 26, AZERTAC"). Read as one document, the first item's main text wins and the others are
lost as "the page's other text". An item starts at a headline line followed, within four lines, by a
paragraph that opens with a dateline; a page with two or more such starts is split at each headline.
"""
from __future__ import annotations

import re

from .cleaning import _LINE_BREAK, _TERMINAL, _stopword_share, split_lines

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|"
    "январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|ноябр[ья]|"
    "декабр[ья]|янв|фев|апр|июн|июл|авг|сен|сент|окт|ноя|дек|"
    "yanvar|fevral|mart|aprel|iyun|iyul|avqust|sentyabr|oktyabr|noyabr|dekabr|"
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre")
_PLACE = r"[A-ZÀ-ÞА-ЯЁ][\w'’.\-]*(?:[ /-][A-ZÀ-ÞА-ЯЁ][\w'’.\-]*){0,3}"
_DAY_MONTH = rf"(?:\d{{1,2}}\s+(?:{_MONTHS})\.?|(?:{_MONTHS})\.?\s+\d{{1,2}})(?:,?\s+\d{{4}})?"
DATELINE = re.compile(
    rf"^(?:{_PLACE}(?:,\s*{_PLACE})?,\s+{_DAY_MONTH}[.,]?\s*(?:[-–—]\s*)?(?:/?[A-ZА-Я][\w.\- ]{{1,30}}/?\.?\s*)?"
    rf"|{_PLACE}\s*\((?:[A-Z][\w.&\- ]{{0,20}})\)\s*[-–—:])",
    re.IGNORECASE)
_DATELINE_AT_LINE_START = re.compile(r"^[ \t]*(?:" + DATELINE.pattern[1:] + ")", re.IGNORECASE | re.MULTILINE)
# the month alternation is case-insensitive; the place must still look like a name (checked separately)
_PLACE_START = re.compile(r"^[A-ZÀ-ÞА-ЯЁ]")
_WORD = re.compile(r"\w+")

HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_WORDS = 30
HEADLINE_REACH = 4  # lines above a dateline paragraph where its headline may stand
# a line this rich in (English) stop words is a standfirst, not a headline ("It is reported that the ...")
STANDFIRST_STOPWORDS = 0.4
# an item's closing credit line ("Editing and translating by ...", "Reporting by ...")
_ITEM_CREDIT = re.compile(r"^\(?(editing|edited|translat\w*|reporting|writing|compiled|prepared)\b", re.IGNORECASE)


def _is_dateline_paragraph(text: str) -> bool:
    return bool(_PLACE_START.match(text)) and DATELINE.match(text) is not None and len(_WORD.findall(text)) >= 12


_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _is_headline(text: str) -> bool:
    """Three to thirty words, three of them words of letters (not a time stamp), no sentence end."""
    n = len(_WORD.findall(text))
    return (HEADLINE_MIN_WORDS <= n <= HEADLINE_MAX_WORDS and len(_LETTERS.findall(text)) >= 3
            and not _TERMINAL.search(text) and not DATELINE.match(text))


def item_starts(raw: str) -> list[int]:
    """The raw line numbers (1-based) of the headlines that start each news item of a page; [] when the page
    holds fewer than two (one article, however long)."""
    if len(_DATELINE_AT_LINE_START.findall(raw, 0, len(raw))) < 2:  # (one pass over the text spares most pages
        return []                                                     # the line by line reading below)
    lines = split_lines(raw)
    starts = []
    for i, line in enumerate(lines):
        if not _is_dateline_paragraph(line.text):
            continue
        # the headline: the topmost line reading like one over at most a few lines above (agency and section
        # labels, a time stamp, share buttons, a standfirst), below the previous item's last sentence or credit
        headline = None
        for j in range(i - 1, max(-1, i - 1 - HEADLINE_REACH), -1):
            text = lines[j].text
            if _TERMINAL.search(text) or _ITEM_CREDIT.match(text):
                break
            if _is_headline(text) and _stopword_share(text) < STANDFIRST_STOPWORDS:
                headline = lines[j].line_no
        if headline is not None and (not starts or headline > starts[-1]):
            starts.append(headline)
    return starts if len(starts) >= 2 else []



def item_texts(raw: str, starts: list[int]) -> list[str]:
    """``raw`` once per item, with every line outside the item blanked (so line numbers and character offsets
    into ``raw`` stay valid). The first item also holds the lines above its headline, the last the lines
    below it: a page's header and footer."""
    bounds = [1] + starts[1:] + [None]
    parts = _LINE_BREAK.split(raw)  # as split_lines numbers lines: CRLF, CR or LF ends one
    pieces, breaks = parts[0::2], parts[1::2] + [""]
    texts = []
    for first, after in zip(bounds, bounds[1:]):
        out = []
        for number, (piece, end) in enumerate(zip(pieces, breaks), start=1):
            inside = number >= first and (after is None or number < after)
            out.append((piece if inside else " " * len(piece)) + end)
        texts.append("".join(out))
    return texts
