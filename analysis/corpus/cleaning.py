"""Separate an article's body from web boilerplate, keeping an audit row for every line.

A scraped page is read line by line. Each non-blank line ends in one of three
states, recorded with a reason in the audit table (see :func:`clean_text`):

* ``kept``: part of the article body;
* ``metadata``: title, subtitle, byline, date or publication line, moved to the
  document's metadata rather than its body;
* ``removed``: boilerplate, with the rule that removed it.

Line rules (menus, share widgets, copyright notices, ...) are data, in
``data/boilerplate.yaml``. The rules here depend on a line's position:
the header zone before the first body paragraph holds the title and possibly
headlines of *other* articles; an end-of-article marker (share widget, view
counter, "Top stories") means everything after it is boilerplate too.
"""
from __future__ import annotations

import copy
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .bylines import job_title_line, name_line, read_byline
from .dates import CRAWL_DATE_PREFIX, DateError, date_rank, find_date
from .main_text import MainText, find_main_text, word_count
from .outlets import agency_dateline, dateline_date, dateline_line, is_outlet_line, leftover_outlet
from .._package import DATA_DIR

DEFAULT_RULES = DATA_DIR / "boilerplate.yaml"

KEPT, REMOVED, METADATA = "kept", "removed", "metadata"
OVERRIDES_NAME = "cleaning_overrides.csv"
# A standfirst is a line or two below the title; more lines there are something else (menus, teasers).
MAX_SUBTITLES = 3
# Without a byline or date, the title is looked for among this many lines right above the body first.
HEADER_WINDOW = 4  # the corpus folder's per-line overrides (read by analysis.corpus)
# A page's header (menus, a headline, a standfirst, other headlines) is a few dozen lines. A text with no
# paragraph of prose but more lines than this, none removed by a rule, is a text of short lines (a list, a
# transcript, verse, a table copied as text): its first line is read as the title, the others kept as the
# body, not removed one by one as headlines of other articles.
SHORT_LINES_TEXT = 200

# White space a scraped page may use inside a line; replaced one-for-one by a space
# so that character offsets into the raw line stay valid.
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
_TERMINAL = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")
_WORD = re.compile(r"\w+")
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:az|am|ru|ge|tr|ua|by|kz|com|net|org|info|news|io|co|uk|eu|us|de|fr)$",
                     re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:by|written by|(?:article\s+)?authors?|posted by|reporting by|story by|text by|words by|report by|"
    r"reported by|авторы?|текст(?=\s*:)|müəllif|yazar|հեղինակ)(?:\b|(?<=[^\W\d_])(?=[՝]))\s*[:՝]?\s*(?:[-–—]\s+)?(?P<rest>.*)$",
    re.IGNORECASE)
_PUBLICATION = re.compile(
    r"^(?:publication|published in|periodical|journal)\s*:\s*(?P<pub>.+?)"
    r"(?:[,;]?\s+volume\s*:?\s*(?P<vol>\d+))?(?:[,;]?\s+issue\s*:?\s*(?P<iss>\d+))?\s*$",
    re.IGNORECASE)
_VOLUME_ONLY = re.compile(r"^volume\s*:?\s*(?P<vol>\d+)[,;]?\s+issue\s*:?\s*(?P<iss>\d+)\s*$", re.IGNORECASE)
_TITLE_WITH_PUBLICATION = re.compile(
    r"^(?P<title>.+?)\s*[;|]\s*(?P<pub>[^;|]+?)[,;]?\s+volume\s*:?\s*(?P<vol>\d+)[,;]?\s+issue\s*:?\s*(?P<iss>\d+)\s*$",
    re.IGNORECASE)
_TITLE_PART = re.compile(r"\((?P<part>part\s+(?:\w+))\)\s*$", re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:URL:\s*)?https?://[\w.-]+\.[a-z]{2,}(?:[/?#]\S*)?$", re.IGNORECASE)
_DATE_FILLER = re.compile(
    r"\b(?:published|posted|updated|last updated|date|on|at|created|modified|by)\b|[|:·•,\-–—/()<]"
    r"|\b\d+\s*(?:min(?:ute)?s?|мин(?:ут[аы]?)?)\.?\s*(?:read|чтения)\b"  # "< 1 minute read", "3 мин чтения"
    r"|\(?\b(?:AMT|AZT|MSK|GMT|UTC|EET|EEST|CET|CEST|BST|EST|EDT|PST|TRT|IRST|GET|ET)\b(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?"
    r"|\b(?:a|à)\b"  # a time zone after the time; "à 16:11"
    r"|\b(?:опубликовано|обновлено|дата|yayımlanıb|tarix)\b", re.IGNORECASE)
# "PanARMENIAN.Net - ", "MOSCOW, Nov 19 (Reuters) - ": an outlet or place credit
# opening the first paragraph. It must contain an all-caps word, a domain or a
# parenthesised agency, so an ordinary sentence starting "Russia - ..." is left alone.
_DATELINE_PREFIX = re.compile(
    r"^(?P<prefix>(?:[A-Z][\w.&'’]*|\d{1,2}|\([^()]{1,30}\))(?:,?\s+(?:[A-Z][\w.&'’]*|\d{1,2}|\([^()]{1,30}\))){0,5}"
    r"\s+[-–—]\s+)(?=\S)")


@dataclass(frozen=True)
class Rule:
    """One line rule from the rules file."""

    reason: str
    description: str
    whole_line: re.Pattern | None
    contains: re.Pattern | None
    max_words: int | None
    ends_article: bool
    requires: tuple[str, ...] = ()  # a contains pattern is tried only on lines holding one of these (lower case)

    def matches(self, line: str, n_words: int) -> bool:
        if self.whole_line is not None and self.whole_line.fullmatch(line):
            return True
        if self.contains is not None and (self.max_words is None or n_words <= self.max_words):
            return self.may_contain(line.lower()) and self.contains.search(line) is not None
        return False

    def may_contain(self, lowered: str) -> bool:
        """Can the contains pattern match a line (given in lower case)? (A search for the rule's required
        words, cheaper than its patterns.)"""
        return not self.requires or any(map(lowered.__contains__, self.requires))  # (substring tests at C speed)


@dataclass(frozen=True)
class _RuleScreen:
    """The rules of one rule set, arranged to find a line's first matching rule with few tests.

    ``whole_lines``: every rule's whole-line patterns as one alternation, each rule's
    pattern in a capturing group of its own (a line matches it if and only if it
    matches one of them); ``rule_of_group``: the rule (its index in ``rules``) of
    each such group; ``with_contains``: the rules with ``contains`` patterns, in order;
    ``word_limit``: no ``contains`` rule searches a line with more words than this
    (None: some rule has no limit).
    """

    rules: tuple[Rule, ...]
    whole_lines: re.Pattern | None
    with_contains: tuple[Rule, ...]
    word_limit: int | None
    rule_of_group: dict[int, int] = field(default_factory=dict)
    required_any: tuple[str, ...] = ()  # every contains rule's required words, when each rule has some

    def first_match(self, line: Line) -> Rule | None:
        """The first rule (in file order) that matches ``line``, as ``Rule.matches`` tells."""
        text = line.text
        if self.whole_lines is not None:
            m = self.whole_lines.fullmatch(text)
            if m is not None:
                # An alternation tries its branches in order, so the group that matched is the first rule
                # whose whole-line pattern matches (its group closes last: it is m.lastindex). Only a rule
                # before it can still win, by a contains pattern. (Testing each rule's pattern in turn, as
                # before, cost more than all the rest of the line rules.)
                k = self.rule_of_group.get(m.lastindex)
                if k is None:  # (cannot happen; the rules in turn are right whatever the pattern holds)
                    n_words = line.n_words
                    return next((rule for rule in self.rules if rule.matches(text, n_words)), None)
                lowered = text.lower()
                for rule in self.rules[:k]:
                    if rule.contains is not None and rule.may_contain(lowered) \
                            and (rule.max_words is None or line.at_most_words(rule.max_words)) \
                            and rule.contains.search(text):
                        return rule
                return self.rules[k]
        # no whole-line pattern matches: only a contains pattern can
        if not self.with_contains:
            return None
        lowered = text.lower()
        if self.required_any and not any(map(lowered.__contains__, self.required_any)):
            return None  # (no contains rule's required word: most lines, at one screen's cost)
        if self.word_limit is not None and not line.at_most_words(self.word_limit):
            return None
        for rule in self.with_contains:  # the cheap tests first: a required word, then the word limit
            if rule.may_contain(lowered) and (rule.max_words is None or line.at_most_words(rule.max_words)) \
                    and rule.contains.search(text):
                return rule
        return None


@functools.lru_cache(maxsize=8)
def _rule_screen(rules: tuple[Rule, ...]) -> _RuleScreen | None:
    """``rules`` arranged for :meth:`_RuleScreen.first_match`, once per rule set; None if their
    whole-line patterns cannot be combined safely (then each line tries every rule in turn)."""
    compiled = [r.whole_line for r in rules if r.whole_line is not None]
    flags = {p.flags for p in compiled}
    # one flag set, no verbose-mode comments, no group numbers (they shift once patterns share one numbering)
    if len(flags) > 1 or any(f & re.VERBOSE for f in flags) \
            or any(re.search(r"\\[1-9]|\(\?\(", p.pattern) for p in compiled):
        return None
    rule_of_group, group, branches = {}, 1, []
    for k, rule in enumerate(rules):
        if rule.whole_line is not None:
            rule_of_group[group] = k
            group += 1 + rule.whole_line.groups  # this rule's group, then the pattern's own groups
            branches.append(f"({rule.whole_line.pattern})")
    try:
        whole_lines = re.compile("|".join(branches), flags.pop()) if compiled else None
    except re.error:
        return None
    if whole_lines is not None and whole_lines.groups != group - 1:  # (named groups shared by two rules)
        return None
    with_contains = tuple(r for r in rules if r.contains is not None)
    limits = [r.max_words for r in with_contains]
    required_any = tuple(sorted({w for r in with_contains for w in r.requires})) \
        if with_contains and all(r.requires for r in with_contains) else ()
    return _RuleScreen(rules, whole_lines, with_contains, None if None in limits else max(limits, default=0),
                       rule_of_group, required_any)


@functools.lru_cache(maxsize=64)
def _more_words_than(limit: int) -> re.Pattern:
    """Matches (at the start) a text of more than ``limit`` words, without counting them all."""
    return re.compile(r"\W*(?:\w+\W+){%d}\w" % limit)


@functools.lru_cache(maxsize=8)
def load_rules(path: str | Path = DEFAULT_RULES) -> tuple[Rule, ...]:
    """Read the boilerplate line rules (see ``data/boilerplate.yaml`` for the format)."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    rules = []
    for item in spec["rules"]:
        lines = item.get("lines") or []
        contains = item.get("contains") or []
        rules.append(Rule(
            reason=item["reason"],
            description=item.get("description", ""),
            whole_line=re.compile("|".join(f"(?:{p})" for p in lines), re.IGNORECASE) if lines else None,
            contains=re.compile("|".join(f"(?:{p})" for p in contains), re.IGNORECASE) if contains else None,
            max_words=item.get("max_words"),
            ends_article=bool(item.get("ends_article", False)),
            requires=tuple(str(w).lower() for w in item.get("requires") or ()),
        ))
    return tuple(rules)


@dataclass
class Line:
    """One non-blank raw line and its fate."""

    line_no: int          # 1-based line number in the raw text
    raw_start: int        # character offsets of the stripped line in the raw text
    raw_end: int
    text: str             # the line, stripped, odd spaces made plain, NULs dropped
    action: str = KEPT
    reason: str = ""
    detail: str = ""
    ends_article: bool = False
    at_wrap: bool = False  # the line reaches the wrap width of a hard-wrapped text (see _mark_wrap)
    _counted: tuple[str, int] | None = field(default=None, repr=False, compare=False)  # (text, its word count)

    @property
    def n_words(self) -> int:
        counted = self._counted
        if counted is None or counted[0] is not self.text:
            counted = self._counted = (self.text, len(_WORD.findall(self.text)))
        return counted[1]

    def at_most_words(self, limit: int) -> bool:
        """``n_words <= limit``, without counting the words of a long line."""
        counted = self._counted
        if counted is not None and counted[0] is self.text:
            return counted[1] <= limit
        if len(self.text) <= 2 * limit:  # more than ``limit`` words take at least 2 * limit + 1 characters
            return True
        return _more_words_than(limit).match(self.text) is None


@dataclass
class CleanedText:
    """The result of cleaning one document's text."""

    body: str
    paragraphs: list[tuple[int, int]]          # (start, end) offsets of each paragraph in body
    lines: list[dict]                           # audit rows, one per line part (see clean_text)
    metadata: dict[str, tuple[object, str]] = field(default_factory=dict)  # field -> (value, evidence)
    date_problems: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (problem, message) for the problems table


def split_lines(raw: str) -> list[Line]:
    """Non-blank lines of ``raw`` with their raw offsets (any of CRLF, CR, LF ends a line)."""
    lines = []
    pos = 0
    if "\r" in raw:
        parts = _LINE_BREAK.split(raw)
        pieces, seps = parts[0::2], [len(sep) for sep in parts[1::2]] + [0]
    else:  # LF only (most files): a plain split, each line end one character
        pieces = raw.split("\n")
        seps = itertools.repeat(1)
    odd_spaces = _ODD_SPACES.search(raw) is not None  # (a whole-text test spares a pass over every line)
    nul = "\x00" in raw
    for number, (piece, sep) in enumerate(zip(pieces, seps), start=1):
        stripped = piece.strip()
        if stripped and (not nul or stripped.strip("\x00")):
            lead = len(piece) - len(piece.lstrip())
            text = _ODD_SPACES.sub(" ", stripped) if odd_spaces else stripped
            text = text.replace("\x00", "").strip() if nul else text
            lines.append(Line(number, pos + lead, pos + lead + len(stripped), text))
        pos += len(piece) + sep
    return lines


def clean_text(raw: str, *, rules: tuple[Rule, ...] | None = None,
               outlet_names: tuple[str, ...] = (),
               overrides: dict[int, tuple[str, str]] | None = None, find_main: bool = True,
               templates: dict[str, int] | None = None) -> CleanedText:
    """Clean one document.

    ``outlet_names`` are names of the source (from the manifest) whose lone
    appearance on a line is a signature, not body text. ``overrides`` maps a
    raw line number to ``("keep" | "remove", note)`` and wins over every rule.
    ``find_main``: look for the article's main text among the lines (see
    :mod:`analysis.corpus.main_text`); False for text an HTML extractor already chose.
    ``templates``: the site-template lines found across the corpus (see
    :mod:`analysis.corpus.templates`): line key -> number of documents it stands in.

    Returns the body (paragraphs separated by a blank line), the paragraph
    offsets, one audit row per line part (line_no, raw_start, raw_end, text,
    action, reason, detail, paragraph_id, text_start, text_end) and the
    metadata read from the header (field -> (value, evidence)).
    """
    rules = load_rules() if rules is None else rules
    lines = split_lines(raw)
    signatures = {n.casefold() for n in outlet_names if n}
    screen = _rule_screen(rules)
    _mark_wrap(lines)
    for line in lines:
        _apply_line_rules(line, rules, signatures, screen)
    if templates:
        _mark_templates(lines, templates)

    metadata: dict[str, tuple[object, str]] = {}
    date_problems: list[str] = []
    problems: list[tuple[str, str]] = []
    main = _main_text(lines) if find_main else None
    body_start = _body_start(lines, main)
    if main is None and body_start == len(lines):  # no prose anywhere: the whole text would be the header
        short = _short_lines_body(lines)
        if short is not None:
            body_start, message = short
            problems.append(("short_lines_only", message))
    _classify_header(lines[:body_start], metadata, date_problems)
    _classify_body(lines[body_start:], metadata)
    if main is not None:
        problems.extend(_outside_main_text(lines, body_start, main))
    split = _split_dateline_prefix(lines, metadata)
    if split is not None:
        prefix, rest = split
        lines.insert(lines.index(prefix) + 1, rest)
    _apply_overrides(lines, overrides or {})
    if main is not None and not overrides:
        problems.extend(_most_left_out(lines, main))
    body, paragraphs, rows = _assemble(lines)
    return CleanedText(body, paragraphs, rows, metadata, date_problems, problems)


def template_key(text: str) -> str:
    """A line as site-template detection compares it: odd spaces plain, case folded, white space collapsed.
    (Digits stay: "Day 12 of the blockade" and "Day 13 of the blockade" are two headlines.)"""
    return " ".join(_ODD_SPACES.sub(" ", text).casefold().split())


def _mark_templates(lines: list[Line], templates: dict[str, int]) -> None:
    """Remove the lines no rule removed that recur across the corpus as the site's template. A byline, date
    or publication line recurs too (one author's byline on each of their articles) and stays metadata."""
    for line in lines:
        if line.reason:
            continue
        n = templates.get(template_key(line.text))
        if n is not None and not _read_metadata_line(copy.copy(line), {}, []):  # (a copy: it marks the line)
            line.action, line.reason = REMOVED, "site_template"
            line.detail = f"stands in {n} documents of the corpus: the site's template (a menu, footer or widget)"


def _apply_line_rules(line: Line, rules: tuple[Rule, ...], signatures: set[str],
                      screen: _RuleScreen | None = None) -> None:
    text = line.text
    if screen is not None:
        rule = screen.first_match(line)
    else:
        n_words = line.n_words
        rule = next((rule for rule in rules if rule.matches(text, n_words)), None)
    if rule is not None:
        line.action, line.reason, line.detail = REMOVED, rule.reason, rule.description
        line.ends_article = rule.ends_article
        return
    if not _WORD.search(text):
        line.action, line.reason, line.detail = REMOVED, "separator", "a line of punctuation or symbols only"
    elif _is_markup_names(text):
        line.action, line.reason = REMOVED, "markup_names"
        line.detail = "a run of icon or CSS class names (page code shown as text)"
    elif _DOMAIN.match(text) or (signatures and text.casefold() in signatures):
        line.action, line.reason, line.detail = REMOVED, "outlet_signature", "the outlet's name or domain alone on a line"
    elif text.isupper() and line.n_words <= 3 and not any(ch.isdigit() for ch in text) \
            and not _TERMINAL.search(text):
        line.action, line.reason, line.detail = REMOVED, "section_label", "an all-capitals section or rubric label"


def _paragraph_groups(lines: list[Line]) -> list[list[int]]:
    """Indices of ``lines`` grouped into paragraphs: a hard-wrapped line joins the line it continues."""
    groups: list[list[int]] = []
    for i, line in enumerate(lines):
        if groups and not line.reason and not lines[i - 1].reason and _continues(lines[i - 1], line):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


@dataclass(frozen=True)
class _MainLines:
    """The main text (see :mod:`analysis.corpus.main_text`) in line indices: its first and last line, and the
    lines of widgets inside it."""

    first: int
    last: int
    widgets: frozenset[int]
    found: MainText


def _main_text(lines: list[Line]) -> _MainLines | None:
    """Where the article's main text is among ``lines`` (None: the page has no prose paragraph)."""
    groups = _paragraph_groups(lines)
    texts = [" ".join(lines[i].text for i in group) for group in groups]
    anchor = next((k for k, g in enumerate(groups) if _may_be_anchor(lines[g[0]])
                   and _read_metadata_line(copy.copy(lines[g[0]]), {}, [])), None)  # (a copy: it marks the line)
    found = find_main_text(texts, [bool(lines[g[0]].reason) for g in groups],
                           [lines[g[0]].ends_article for g in groups], anchor,
                           [lines[g[0]].reason == "comment_section" for g in groups])
    if found.end < found.start:
        return None
    widgets = frozenset(i for k in found.widgets for i in groups[k])
    return _MainLines(groups[found.start][0], groups[found.end][-1], widgets, found)


_DIGIT = re.compile(r"\d")


def _may_be_anchor(line: Line) -> bool:
    """Could ``line`` be a byline or date line (a cheap screen before reading it as one)? A short line no
    rule removed, with a digit (every date has one) or opening like a byline."""
    return (not line.reason and line.at_most_words(20)
            and (_DIGIT.search(line.text) is not None or _BYLINE.match(line.text) is not None))


def _body_start(lines: list[Line], main: _MainLines | None) -> int:
    """The first body line: the first paragraph of prose in the main text that is not a headline above
    a byline (without a main text, the first such paragraph of the page)."""
    first, last = (main.first, main.last) if main is not None else (0, len(lines) - 1)
    return next((i for i in range(first, last + 1) if not lines[i].reason and _looks_like_body(_wrapped(lines, i))
                 and not _headline_above_byline(lines, i)),
                main.first if main is not None else len(lines))


def _short_lines_body(lines: list[Line]) -> tuple[int, str] | None:
    """For a text of short lines only (more than SHORT_LINES_TEXT lines no rule removed, no paragraph of
    prose): where its body starts (after its first such line, the title) and a message saying so; None
    for a page's header of a few lines."""
    free = [i for i, line in enumerate(lines) if not line.reason]
    if len(free) <= SHORT_LINES_TEXT:
        return None
    first = free[0]
    return first + 1, (f"no paragraph of prose in its {len(lines)} lines ({len(free)} short lines no rule removed): "
                       f"read as a text of short lines, line {lines[first].line_no} as the title and the other "
                       "lines kept as the body (not as a page's header and other headlines)")


def _outside_main_text(lines: list[Line], body_start: int, main: _MainLines) -> list[tuple[str, str]]:
    """Remove what follows the main text and the widgets inside it; a problem when most prose was left out."""
    marker: Line | None = None
    for i in range(body_start, len(lines)):
        line = lines[i]
        if line.reason:
            if line.ends_article and marker is None and i > main.last:
                marker = line
            continue
        if i > main.last:
            line.action = REMOVED
            if marker is not None:
                line.reason = "after_article_end"
                line.detail = f"after the end-of-article marker {marker.text!r} (line {marker.line_no})"
            else:
                line.reason = "outside_main_text"
                line.detail = (f"after the article's main text (lines {lines[main.first].line_no}-"
                               f"{lines[main.last].line_no}): the page's other text")
        elif i in main.widgets:
            line.action, line.reason = REMOVED, "widget_in_text"
            line.detail = "one of several short lines in a row inside the article: a widget (e.g. other headlines)"
    return []


# What the main-text search leaves out; when it holds more words than the body, the choice is reported.
_LEFT_OUT = frozenset({"outside_main_text", "after_article_end", "widget_in_text", "other_headline", "subtitle"})


def _most_left_out(lines: list[Line], main: _MainLines) -> list[tuple[str, str]]:
    """A problem when the text left out around the main text (lines of 8+ words: teasers and paragraphs, not
    menus) has more words than the body kept."""
    # (words as spaces count them: a ratio of two amounts of text, no need to count words exactly)
    kept = sum(line.text.count(" ") + 1 for line in lines if line.action == KEPT)
    left_out = sum(n for n in (line.text.count(" ") + 1 for line in lines if line.reason in _LEFT_OUT) if n >= 8)
    if left_out <= kept:
        return []
    return [("main_text_choice",
             f"kept lines {lines[main.first].line_no}-{lines[main.last].line_no} ({kept} words) as the article; "
             f"{left_out} words around them were left out as the page's other text (menus, teasers, other "
             f"items: more than the article). If the choice is wrong or the page holds another article, keep "
             f"lines with {OVERRIDES_NAME}")]


_IDENTIFIER = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_MARKUP_HINT = re.compile(r"[-_]|icon|svg|btn|ico\b|chevron|caret|arrow|glyph|sprite")


def _is_markup_names(text: str) -> bool:
    """Is ``text`` a run of class or icon names ("icon bookmark-bicon cameraicon chevron-down ..."): four or
    more lower-case ASCII identifiers, at least half of them hyphenated or named like icons?"""
    tokens = text.split()
    if len(tokens) < 4 or not all(_IDENTIFIER.fullmatch(t) for t in tokens):
        return False
    return 2 * sum(1 for t in tokens if _MARKUP_HINT.search(t)) >= len(tokens)


def _looks_like_body(text: str) -> bool:
    """A paragraph of prose: a full sentence of 8+ words, or 25+ words."""
    n = word_count(text)
    return n >= 25 or (n >= 8 and bool(_TERMINAL.search(text)))


def _headline_above_byline(lines: list[Line], i: int) -> bool:
    """Is line ``i``, which reads like a sentence, a headline instead: a single line of under 25 words (a
    question, or a headline ending in a full stop) whose next kept line is a byline, date or publication
    line? Such a line is the title, and the byline and date below it belong to the header."""
    line = lines[i]
    if line.n_words >= 25 or (i + 1 < len(lines) and not lines[i + 1].reason and _continues(line, lines[i + 1])):
        return False
    following = next((ln for ln in lines[i + 1:] if not ln.reason), None)
    # read on a copy: _read_metadata_line marks the line it reads
    return following is not None and _read_metadata_line(copy.copy(following), {}, [])


def _continues(previous: Line, line: Line) -> bool:
    """Is ``line`` the continuation of a hard-wrapped ``previous`` line?

    Only when they are adjacent, the previous one does not end a sentence and this one
    starts in lower case: a title or intertitle above a paragraph stays separate.
    """
    if line.line_no != previous.line_no + 1:
        return False
    if previous.at_wrap:  # the line was broken where it reached the text's wrap width: the paragraph goes on
        return True
    return not _TERMINAL.search(previous.text) and line.text[:1].islower()


# A text is hard-wrapped at width W when most of its longer lines end within WRAP_BAND of W (typed or mailed
# text, e-mail digests and some copied pages wrap at 60-80 characters); lines that reach the band were cut
# there, so the line below continues their paragraph, whatever its first letter.
WRAP_MAX_WIDTH = 100
WRAP_BAND = 0.75
WRAP_MIN_LINES = 8
WRAP_SHARE = 0.6


def _mark_wrap(lines: list[Line]) -> None:
    """Mark the lines that reach the wrap width of a hard-wrapped text (see WRAP_BAND)."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 30)
    if len(lengths) < WRAP_MIN_LINES:
        return
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > WRAP_MAX_WIDTH or lengths[-1] > width * 1.1:
        return
    near = sum(1 for n in lengths if n >= WRAP_BAND * width)
    if near < WRAP_SHARE * len(lengths):
        return
    for line, after in zip(lines, lines[1:]):
        if len(line.text) >= WRAP_BAND * width and after.line_no == line.line_no + 1:
            line.at_wrap = True


def _wrapped(lines: list[Line], i: int) -> str:
    """Line ``i`` joined with the unclassified lines that continue it."""
    parts = [lines[i].text]
    j = i + 1
    while j < len(lines) and not lines[j].reason and _continues(lines[j - 1], lines[j]):
        parts.append(lines[j].text)
        j += 1
    return " ".join(parts)


def _evidence(line: Line) -> str:
    text = line.text if len(line.text) <= 120 else line.text[:117] + "..."
    return f"line {line.line_no}: {text!r}"


def _to_metadata(line: Line, reason: str, detail: str) -> None:
    line.action, line.reason, line.detail = METADATA, reason, detail


def _classify_header(header: list[Line], metadata: dict, date_problems: list[str]) -> None:
    """Title, byline, date and publication lines; headlines of other articles above the title."""
    candidates: list[Line] = []
    anchor = None  # first byline/date line that follows a headline: the title sits just above it
    for line in header:
        if line.reason == "section_label" and "section" not in metadata:
            metadata["section"] = (line.text.title(), _evidence(line))
        if line.reason:
            continue
        if _read_metadata_line(line, metadata, date_problems):
            if anchor is None and candidates:
                anchor = len(candidates)
            continue
        candidates.append(line)
    if not candidates:
        return
    title_index = anchor - 1 if anchor else _headline_index(candidates)
    title_line = candidates[title_index]
    _read_title(title_line, metadata)
    title_keys = {_key(metadata["title"][0]), _key(title_line.text)}
    for i, line in enumerate(candidates):
        if i == title_index:
            continue
        if _key(line.text) in title_keys:
            _to_metadata(line, "duplicated_title", f"repeats the title (line {title_line.line_no})")
        elif i < title_index:
            line.action, line.reason = REMOVED, "other_headline"
            line.detail = f"a headline above the article's title (line {title_line.line_no}): another article's"
        elif i > title_index + MAX_SUBTITLES:
            line.action, line.reason = REMOVED, "outside_main_text"
            line.detail = (f"one of {len(candidates) - title_index - 1} lines between the title (line "
                           f"{title_line.line_no}) and the main text: more than a standfirst")
        else:
            _to_metadata(line, "subtitle", "a standfirst line between the title and the body")
            previous = metadata.get("subtitle")
            value = f"{previous[0]} / {line.text}" if previous else line.text
            metadata["subtitle"] = (value, _evidence(line) if not previous else f"{previous[1]}; {_evidence(line)}")


def _stopword_share(text: str) -> float:
    """The share of English stop words among the words of ``text`` (headlines drop them: "Russia warns
    Baku over corridor"; a standfirst is a sentence, 40% and more of it stop words)."""
    from ..text.segment import STOP_WORDS

    words = _WORD.findall(text.lower())
    return sum(map(STOP_WORDS.__contains__, words)) / len(words) if words else 0.0


def _headline_index(candidates: list[Line]) -> int:
    """Without a byline or date below it, the title is the longest line reading like a headline among the
    last HEADER_WINDOW lines above the body (a headline, then perhaps an agency label and a standfirst),
    else the nearest such line above them. A headline has three or more words and is not a standfirst
    (12+ words that end a sentence or are 40% English stop words, or 25+ words). Menu entries and labels
    above it are then other lines of the page, not the title."""
    def headline(line: Line) -> bool:
        n = word_count(line.text)
        standfirst = n >= 25 or (n >= 12 and (_TERMINAL.search(line.text) is not None
                                              or _stopword_share(line.text) >= 0.4))
        return n >= 3 and not standfirst

    window = range(max(0, len(candidates) - HEADER_WINDOW), len(candidates))
    in_window = [k for k in window if headline(candidates[k])]
    # the longest there: a kicker or a section line above the headline ("Top news today") is shorter
    k = max(in_window, key=lambda k: (word_count(candidates[k].text), -k)) if in_window else None
    if k is None:
        k = next((k for k in range(window.start - 1, -1, -1) if headline(candidates[k])), None)
    if k is None:
        return 0
    key = _key(candidates[k].text)  # a headline printed twice (a kicker line, then the title) is read at its first
    return next(j for j in range(k + 1) if _key(candidates[j].text) == key)


def _read_title(line: Line, metadata: dict) -> None:
    title = line.text
    m = _TITLE_WITH_PUBLICATION.match(title)
    if m:
        title = m.group("title").strip()
        metadata.setdefault("publication", (m.group("pub").strip(), _evidence(line)))
        metadata.setdefault("volume", (int(m.group("vol")), _evidence(line)))
        metadata.setdefault("issue", (int(m.group("iss")), _evidence(line)))
    part = _TITLE_PART.search(title)
    if part:
        metadata.setdefault("part", (part.group("part").title(), _evidence(line)))
    metadata["title"] = (title, _evidence(line))
    _to_metadata(line, "title", "the article's title")


def _read_metadata_line(line: Line, metadata: dict, date_problems: list[str]) -> bool:
    """Byline, dateline or publication line? If so record it and return True."""
    text = line.text
    m = _PUBLICATION.match(text) or _VOLUME_ONLY.match(text)
    if m:
        groups = m.groupdict()
        if groups.get("pub"):
            metadata.setdefault("publication", (groups["pub"].strip(), _evidence(line)))
        for key in ("vol", "iss"):
            if groups.get(key):
                metadata.setdefault("volume" if key == "vol" else "issue", (int(groups[key]), _evidence(line)))
        _to_metadata(line, "publication", "publication, volume and issue")
        return True
    byline = _BYLINE.match(text)
    if byline and line.n_words <= 20:
        rest = _take_date(byline.group("rest"), line, metadata, date_problems)
        read = read_byline(rest)
        if read.author:
            metadata.setdefault("author", (read.author, _evidence(line)))
        else:
            metadata.setdefault("author_note", (read.note, _evidence(line)))
        if read.credit:
            metadata.setdefault("credit", (read.credit, f"byline, {_evidence(line)}"))
        _to_metadata(line, "byline", "byline (author and/or date)")
        return True
    crawled = CRAWL_DATE_PREFIX.match(text)
    if crawled:  # the crawler's " date 2023-04-27 " opening a line: the page's date, then a dateline or a title
        _take_date(crawled.group("date"), line, metadata, date_problems, rank=2)
        rest = text[crawled.end():]
        if not rest or len(_DATE_FILLER.sub(" ", rest).split()) <= 2 or _read_metadata_line(
                Line(line.line_no, line.raw_start + crawled.end(), line.raw_end, rest), metadata, date_problems):
            _to_metadata(line, "date", "publication date (the saved page's date prefix)")
            return True
        return False
    if _URL_ONLY.match(text):  # the page's address, as a saved page may begin
        metadata.setdefault("url", (text, _evidence(line)))
        _to_metadata(line, "url", "the page's address on a line of its own")
        return True
    if line.n_words <= 8:
        plain = text.strip("•·-–— ")
        name = name_line(plain) if not any(ch.isdigit() for ch in text) else None
        if name:  # a byline without "By" under the headline
            metadata.setdefault("author", (name[0], f"a name alone on a line in the header, {_evidence(line)}"))
            if name[1]:
                metadata.setdefault("credit", (name[1], f"with the name, {_evidence(line)}"))
            _to_metadata(line, "byline", "byline without 'By': a person's name alone on a line")
            return True
        if job_title_line(plain):
            metadata.setdefault("author_note", (f"the byline names a role, {plain!r}, not a person", _evidence(line)))
            _to_metadata(line, "byline", "byline naming a role or placeholder, no person")
            return True
        outlet = is_outlet_line(plain)
        if outlet is not None:  # "Reuters" under the headline: the story's credit
            metadata.setdefault("credit", (outlet.name, f"an outlet named alone on a line, {_evidence(line)}"))
            _to_metadata(line, "credit", "an outlet's name alone on a line: the story's credit")
            return True
        dateline = dateline_line(text)
        if dateline is not None:  # "Baku, Azerbaijan, Jan. 24", "Baku, February 26, AZERTAC"
            metadata.setdefault("dateline", (text, _evidence(line)))
            _to_metadata(line, "dateline", "a dateline (place, day, agency) on a line of its own")
            return True
    try:
        found = find_date(text)
    except DateError as err:
        if line.n_words <= 8:
            date_problems.append(f"line {line.line_no}: {err}")
            _to_metadata(line, "date", f"a date line that could not be read: {err}")
            return True
        return False
    if found:
        leftover = _DATE_FILLER.sub(" ", text[:found[1].start()] + " " + text[found[1].end():])
        credit = leftover_outlet(leftover) if leftover.strip() else None
        if len(leftover.split()) <= 2 or credit is not None:
            _set_date(metadata, found[0], line, date_rank(text[:found[1].start()]))
            if credit is not None:  # "RFE/RL Armenian Service – 10/26/2023", "AFP Video • 13/11/2020 à 20:51"
                metadata.setdefault("credit", (credit.name, f"with the date, {_evidence(line)}"))
            _to_metadata(line, "date", "publication date")
            return True
    return False


def _set_date(metadata: dict, value, line: Line, rank: int) -> None:
    """Keep the first date of the surest kind (see :func:`analysis.corpus.dates.date_rank`): a date labelled
    "Published" wins over an earlier unlabelled one (a page clock above the article), an unlabelled one
    over an "Updated" one."""
    previous = metadata.get("date")
    labels = ("updated", "unlabelled", "published")
    if previous is None or rank > labels.index(metadata.get("date_label", ("unlabelled",))[0]):
        metadata["date"] = (value, _evidence(line) if previous is None else
                            f"{_evidence(line)} (over {previous[1]}, which is not labelled as the publication date)")
        metadata["date_label"] = (labels[rank], _evidence(line))


def _take_date(text: str, line: Line, metadata: dict, date_problems: list[str], rank: int | None = None) -> str:
    """Record the date in ``text`` (``rank``: how surely it is the publication date, see
    :func:`_set_date`; by default from the words before it) and return ``text`` without it."""
    try:
        found = find_date(text)
    except DateError as err:  # an unreadable date is still a date: keep it out of the author's name
        date_problems.append(f"line {line.line_no}: {err}")
        return text[:err.span[0]] + text[err.span[1]:] if err.span else text
    if not found:
        return text
    _set_date(metadata, found[0], line, date_rank(text[:found[1].start()]) if rank is None else rank)
    return text[:found[1].start()] + text[found[1].end():]


def _classify_body(body: list[Line], metadata: dict) -> None:
    """Duplicated titles in the body. (Where the article ends is the main text's business: an end-of-article
    marker such as a share bar also stands above or inside articles, so it no longer ends one by itself.)"""
    title_key = _key(metadata["title"][0]) if "title" in metadata else None
    # a line whose key is the title's contains each of the title's words (cheap test before the key)
    title_words = title_key.split() if title_key else []
    if not title_key:
        return
    for line in body:
        if not line.reason and _has_all(line.text.casefold(), title_words) and _key(line.text) == title_key:
            _to_metadata(line, "duplicated_title", "repeats the title")


def _split_dateline_prefix(lines: list[Line], metadata: dict) -> tuple[Line, Line] | None:
    """Cut a credit off the first body line: (removed prefix, kept rest). The credit is an outlet or place
    ("PanARMENIAN.Net - ", "MOSCOW (Reuters) - "), an agency's dateline ("YEREVAN, AUGUST 7, ARMENPRESS. ",
    "MOSCOW, September 20. /TASS/. ", see :func:`analysis.corpus.outlets.agency_dateline`), and/or the saved
    page's date prefix (" date 2023-04-27 ")."""
    first = next((ln for ln in lines if ln.action == KEPT), None)
    if first is None:
        return None
    length, details = 0, []
    crawled = CRAWL_DATE_PREFIX.match(first.text)
    if crawled and len(first.text) > crawled.end():
        _take_date(crawled.group("date"), first, metadata, [], rank=2)
        length = crawled.end()
        details.append("the saved page's date prefix (kept as metadata 'date')")
    text = first.text[length:]
    agency = agency_dateline(text)
    m = _DATELINE_PREFIX.match(text) if agency is None else None
    if agency is not None:
        end, credit, _ = agency
        metadata.setdefault("dateline", (credit, _evidence(first)))
        if dateline_date(credit) is not None:  # "Baku/04.08.22/Turan:"
            _set_date(metadata, dateline_date(credit), first, 1)
        length += end
        details.append("an agency's dateline opening the first paragraph (kept as metadata 'dateline')")
    elif m:
        prefix = m.group("prefix")
        words = prefix.replace("(", " ").replace(")", " ").split()
        if any(w.isupper() and len(w) >= 3 or _DOMAIN.match(w.strip(",")) for w in words) or "(" in prefix:
            metadata.setdefault("dateline", (prefix.strip(" -–—"), _evidence(first)))
            length += len(prefix)
            details.append("an outlet or place credit opening the first paragraph (kept as metadata 'dateline')")
    if not length:
        return None
    prefix = first.text[:length]
    rest = Line(first.line_no, first.raw_start + length, first.raw_end, first.text[length:])
    first.text, first.raw_end = prefix.rstrip(), first.raw_start + len(prefix.rstrip())
    first.action, first.reason = REMOVED, "dateline_prefix"
    first.detail = "; ".join(details)
    return first, rest


def _apply_overrides(lines: list[Line], overrides: dict[int, tuple[str, str]]) -> None:
    for line in lines:
        if line.line_no not in overrides:
            continue
        action, note = overrides[line.line_no]
        was = f"{line.action} ({line.reason})" if line.reason else line.action
        if action == "keep":
            line.action, line.reason = KEPT, "override"
        else:
            line.action, line.reason = REMOVED, "override"
        line.detail = f"researcher override (was {was}){': ' + note if note else ''}"


def _assemble(lines: list[Line]) -> tuple[str, list[tuple[int, int]], list[dict]]:
    """Join kept lines into paragraphs (hard-wrapped lines are rejoined, see :func:`_continues`)."""
    placed: list[tuple[int, int, int] | None] = [None] * len(lines)  # (paragraph_id, start, end) of kept lines
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    paragraph: list[str] = []
    previous: Line | None = None
    pid, pos, start = 0, -2, 0
    for i, line in enumerate(lines):
        if line.action != KEPT:
            previous = None
            continue
        text = line.text
        if previous is not None and _continues(previous, line):
            pos += 1  # the space that rejoins a hard-wrapped line
            paragraph.append(text)
        else:
            if paragraph:
                pieces.append(" ".join(paragraph))
                spans.append((start, pos))
            pid, pos, paragraph = pid + 1, pos + 2, [text]  # paragraphs are separated by a blank line
            start = pos
        placed[i] = (pid, pos, pos + len(text))
        pos += len(text)
        previous = line
    if paragraph:
        pieces.append(" ".join(paragraph))
        spans.append((start, pos))
    nowhere = (None, None, None)
    rows = []
    for line, (pid_, start_, end_) in zip(lines, [p or nowhere for p in placed]):
        rows.append({
            "line_no": line.line_no, "raw_start": line.raw_start, "raw_end": line.raw_end,
            "text": line.text, "action": line.action, "reason": line.reason or None,
            "detail": line.detail or None, "paragraph_id": pid_, "text_start": start_, "text_end": end_,
        })
    return "\n\n".join(pieces), spans, rows


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _has_all(text: str, words: list[str]) -> bool:
    return all(w in text for w in words)
