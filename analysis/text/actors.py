"""Actor mentions resolved through an editable gazetteer (``data/actors.csv``).

The gazetteer has one row per surface variant: actor (canonical name),
actor_type, affiliation, variant (as written, case-sensitive), variant_kind
(name, spelling, short, given_name, metonym, demonym, role), a note, and for
role rows valid_from and valid_to (see below). A person's
given names are only matched in front of one of their surnames, so "Serge
Sarkisian" and "Serzh Sargsyan" both resolve, but a lone "Robert" does not.

Matching is on the document text, case-sensitive, leftmost-longest
("Nagorno-Karabakh" beats "Karabakh"), with hyphens as word boundaries
("Karabakh-based" mentions Karabakh) and possessives included in the surface
("Pashinian’s").

Namesakes (the given-name guard). A person's lone surname ("short" variant) is that person unless the word
right before it is another capitalised given name: "Aneta Harutyunyan" and "Siranush Sargsyan" are no mention
(not of Arayik Harutyunyan nor Serzh Sargsyan, and not of an "unknown person" either: the gazetteer names the
actors it knows; a namesake is dropped). The word before counts as a given name when it is capitalised (not
all capitals: "PM Pashinyan"), not possessive ("Japan’s Kishida"), not the end of another gazetteer match
("Armenia’s Pashinyan", "Kremlin Peskov"), not a title ("President Aliyev", "Minister Lavrov", "Mr
Pashinyan", see ``_NOT_GIVEN``), not an English stop word or a common sentence opener ("While Pashinyan",
"Yesterday Aliyev"; a sentence-initial word ending in -ing or -ly: "Addressing Putin"), not a weekday or month,
and the line is not a title-case headline ("Erdogan Calls Aliyev"). A middle name or patronymic after the
actor's own given name is accepted ("Vladimir Vladimirovich Putin"). The word after a lone surname is checked
the same way ("Michel Barnier" is not Charles Michel), except for words such as "Administration" or
"Government" (``_NOT_GIVEN_AFTER``). Full names are variants of their own (given names composed with
surnames), so "Armen Sarkissian" (president 2018-2022) is his own actor, not Serzh Sargsyan.

Role phrases (variant_kind "role"): rows such as "Russian President" -> Vladimir Putin carry the holder's term
in ``valid_from``/``valid_to`` (YYYY-MM-DD, inclusive, empty = open); one phrase may have several rows (holders
or terms) whose ranges must not overlap. Each role row also matches with the words after its first in lower
case ("Russian president"), and every variant with an apostrophe also matches with the other apostrophe
("Russia's"/"Russia’s"). A role phrase is a mention of the holder only when it is definite, i.e. after "the"
or "The" or opened by a possessive ("Russia’s foreign minister"), so "the former Russian president" and "a
Russian president" are not; when no name follows it (a title, "the Russian President Vladimir Putin", or an
apposition, "the Russian president, Vladimir Putin": the name is the mention); and when the document's date
(``docs["date"]``) lies in a holder's range. A document without a date (NaT, or no date column) resolves a
role only when one holder's range covers the whole period a news corpus of the conflict can have
(``CONFLICT_PERIOD``, 1988-02-20 onwards): with the shipped rows, never (every holder has a term); a role row
without dates (a custom gazetteer's) always. The rule looks at the document alone, never at the other
documents of the call, so a document's mentions do not depend on its batch (the pipeline caches per document).
An unresolved role phrase gives the mentions the gazetteer finds inside it ("Russia’s" in "Russia’s foreign
minister Sergei Lavrov").
"""
from __future__ import annotations

import bisect
import functools
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import CorpusError
from .lexicon import file_key, read_data_table, sentence_rows
from .._package import DATA_DIR

DEFAULT_GAZETTEER = DATA_DIR / "actors.csv"
ACTOR_TYPES = {"person", "state", "organisation", "place", "territory"}
VARIANT_KINDS = {"name", "spelling", "short", "given_name", "metonym", "demonym", "role"}
GAZETTEER_COLUMNS = ["actor", "actor_type", "affiliation", "variant", "variant_kind", "note", "valid_from", "valid_to"]
MENTION_COLUMNS = ["doc_id", "source", "sentence_id", "actor", "actor_type", "affiliation",
                   "surface", "variant", "variant_kind", "start", "end"]


def read_gazetteer(path: str | Path = DEFAULT_GAZETTEER) -> pd.DataFrame:
    """The gazetteer as a DataFrame, validated, with given names composed into full names.

    Raises :class:`CorpusError` naming the file and row for a malformed gazetteer. Read once per file
    content (cached on the path and a hash of the file); each call gets its own copy.
    """
    key = file_key(path)
    return (_read_gazetteer(*key) if key else _read_gazetteer.__wrapped__(path, "")).copy()


@functools.lru_cache(maxsize=8)
def _read_gazetteer(path: str | Path, _content_hash: str) -> pd.DataFrame:
    raw = read_data_table(path, "actor gazetteer", GAZETTEER_COLUMNS[:5],
                          {"actor_type": ACTOR_TYPES, "variant_kind": VARIANT_KINDS})
    for column in GAZETTEER_COLUMNS[5:]:
        if column not in raw.columns:
            raw[column] = ""
    raw = raw[GAZETTEER_COLUMNS]
    _check_ranges(raw, path)
    composed = _compose_full_names(raw)
    table = _with_twins(pd.concat([raw[raw["variant_kind"] != "given_name"], composed], ignore_index=True))
    is_role = table["variant_kind"] == "role"
    names, roles = table[~is_role], table[is_role]
    clash = names.groupby("variant")["actor"].nunique()
    clash = clash[clash > 1]
    if len(clash):
        variant = clash.index[0]
        actors = sorted(names.loc[names["variant"] == variant, "actor"].unique())
        raise CorpusError(f"{path}: variant {variant!r} maps to several actors ({', '.join(actors)}); "
                          "a surface form must name one actor")
    both = sorted(set(roles["variant"]) & set(names["variant"]))
    if both:
        raise CorpusError(f"{path}: {both[0]!r} is both a role phrase and a name; a surface form must name one actor")
    roles = roles.drop_duplicates(["variant", "actor", "valid_from", "valid_to"])
    for variant, group in roles.groupby("variant", sort=False):
        spans = sorted(zip([_day(v) for v in group["valid_from"]], [_day(v, end=True) for v in group["valid_to"]],
                           group["actor"]))
        for (_, end, actor), (start, _, other) in zip(spans, spans[1:]):
            if start <= end:
                raise CorpusError(f"{path}: role {variant!r} has overlapping date ranges ({actor}, {other}); "
                                  "at any date a role phrase must name one actor")
    table = pd.concat([names.drop_duplicates("variant"), roles], ignore_index=True)
    # the concatenations of empty frames must not turn the text columns into objects (see mentions' fast path)
    return table.astype({column: _INFERRED_STR for column in GAZETTEER_COLUMNS})


_OPEN = 2 ** 40  # days: a range without an end (or, negated, without a start)
CONFLICT_PERIOD = ("1988-02-20", "")  # from the Karabakh soviet's appeal to join Armenia: an undated document's span


def _day(value: str, end: bool = False) -> int:
    """YYYY-MM-DD as days since 1970-01-01; empty: open (before every date, or with ``end`` after every date)."""
    if not value:
        return _OPEN if end else -_OPEN
    return int(np.datetime64(value, "D").astype(np.int64))


def _check_ranges(raw: pd.DataFrame, path) -> None:
    for column in ("valid_from", "valid_to"):
        dated = raw[raw[column] != ""]
        if dated.empty:
            continue
        bad = dated[dated["variant_kind"] != "role"]
        if len(bad):
            raise CorpusError(f"{path}, row {bad.index[0] + 2}: {column} is for role rows (variant_kind role) only")
        parsed = pd.to_datetime(dated[column], format="%Y-%m-%d", errors="coerce")
        bad = dated[parsed.isna().to_numpy() | ~dated[column].str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy()]
        if len(bad):
            raise CorpusError(f"{path}, row {bad.index[0] + 2}: {column} {bad[column].iloc[0]!r} is not a date "
                              "(YYYY-MM-DD)")
    bad = raw[(raw["valid_from"] != "") & (raw["valid_to"] != "") & (raw["valid_from"] > raw["valid_to"])]
    if len(bad):
        raise CorpusError(f"{path}, row {bad.index[0] + 2}: valid_from is after valid_to")
    bad = raw[(raw["variant_kind"] == "role") & (raw["actor_type"] != "person")]
    if len(bad):
        raise CorpusError(f"{path}, row {bad.index[0] + 2}: a role phrase names a person (actor_type person)")


def _with_twins(table: pd.DataFrame) -> pd.DataFrame:
    """The table and, after it, the lower-case twin of each role phrase ("Russian President" -> "Russian
    president"; the first word and all-capital words such as "US" are kept), the capitals twin of each place,
    state and territory name ("YEREVAN", "BAKU"; a twin another actor already has is left out) and the
    other-apostrophe twin of
    each variant ("Russia's"/"Russia’s", "O'Brien"/"O’Brien")."""
    role = table["variant_kind"] == "role"
    lowered = table[role].assign(variant=[
        " ".join(v.split(" ")[:1] + [w if w.isupper() else w.lower() for w in v.split(" ")[1:]])
        for v in table.loc[role, "variant"]])
    table = pd.concat([table, lowered], ignore_index=True)
    # datelines and headlines write places in capitals ("YEREVAN, SEPTEMBER 26", "BAKU (AA) -")
    place = table["actor_type"].isin(["place", "state", "territory"]) & \
        table["variant_kind"].isin(["name", "spelling", "short", "metonym"]) & \
        (table["variant"].str.len() >= 4) & (table["variant"] != table["variant"].str.upper())
    upper = table[place].assign(variant=table.loc[place, "variant"].str.upper(), note="composed: capitals twin")
    taken = dict(zip(table["variant"], table["actor"]))
    free = np.array([taken.get(v, a) == a for v, a in zip(upper["variant"], upper["actor"])], dtype=bool)
    upper = upper[free]
    upper = upper[upper.groupby("variant")["actor"].transform("nunique") == 1].drop_duplicates("variant")
    table = pd.concat([table, upper], ignore_index=True)
    straight = table["variant"].str.contains("'", regex=False)
    curly = table["variant"].str.contains("’", regex=False)
    twins = pd.concat([table[straight].assign(variant=table.loc[straight, "variant"].str.replace("'", "’")),
                       table[curly].assign(variant=table.loc[curly, "variant"].str.replace("’", "'"))])
    twins = twins.assign(note=twins["note"].where(twins["note"].str.startswith("composed"),
                                                  "composed: apostrophe twin"))
    return pd.concat([table, twins], ignore_index=True).drop_duplicates(
        ["actor", "variant", "variant_kind", "valid_from", "valid_to"]).reset_index(drop=True)


def _compose_full_names(raw: pd.DataFrame) -> pd.DataFrame:
    persons = raw[raw["actor_type"] == "person"]
    given = persons[persons["variant_kind"] == "given_name"]
    surnames = persons[persons["variant_kind"] == "short"]
    pairs = given.merge(surnames[["actor", "variant"]], on="actor", suffixes=("_given", ""))
    pairs["variant"] = pairs["variant_given"] + " " + pairs["variant"]
    pairs["variant_kind"] = "spelling"
    pairs["note"] = "composed: given name + surname"
    return pairs[GAZETTEER_COLUMNS]


def _default_gazetteer() -> pd.DataFrame:
    """The default gazetteer, shared (not copied): callers must not modify it."""
    key = file_key(DEFAULT_GAZETTEER)
    return _read_gazetteer(*key) if key else read_gazetteer(DEFAULT_GAZETTEER)


def _trie_regex(words: list[str], *, boundary_after_first: bool = False) -> str:
    """A regex matching any of ``words``, shaped as a trie so the engine never backtracks far.

    ``boundary_after_first``: each word must start after a non-word character (or at the start), checked
    by a look-behind after its first character, "A(?<!\\wA)rmenia", so that the regex opens with its set
    of first characters (re then skips to them with a fast scan).
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict, root: bool = False) -> str:
        ends = "" in node
        branches = [(_GAP if ch == " " else re.escape(ch))
                    + (rf"(?<!\w{re.escape(ch)})" if root and boundary_after_first else "")
                    + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie, root=True)


# the space inside a multi-word name also matches a non-breaking space, a run of spaces or one line break
# (hard-wrapped copies: "Collective\nSecurity Treaty Organization"); the matched text is read back with single
# spaces (:func:`_key`) to find its gazetteer row
_GAP = "(?:[ \u00a0\t]+|[ \u00a0\t]*\n[ \u00a0\t]*)"
_ODD_SPACE = re.compile(r"[\u00a0\t\n]| {2}")


def _key(matched: str) -> str:
    """The gazetteer variant a matched text stands for: its white space read as single spaces."""
    return re.sub(r"\s+", " ", matched) if _ODD_SPACE.search(matched) else matched


def _hit(m: re.Match) -> tuple[int, int, str, str]:
    """(start, end, surface, variant) of a match of a variant scanner."""
    return m.start(), m.end(), m.group(0), _key(m.group(1))


@functools.lru_cache(maxsize=8)
def _matcher(variants: tuple[str, ...]) -> re.Pattern:
    # Greedy trie + backtracking gives the longest variant that ends on a word boundary.
    return re.compile(r"(?<!\w)(?P<variant>" + _trie_regex(list(variants)) + r")(?P<possessive>['’]s)?(?!\w)")


class _Scanner(NamedTuple):
    """_matcher(variants), split in two for speed (see :func:`_find_mentions`)."""
    variants: tuple[str, ...]  # _matcher(variants) is the definition (compiled when a text needs it)
    common: re.Pattern | None  # the variants that open with anything but a lower-case letter
    rare: tuple[str, ...]  # the variants that open with a lower-case letter ("the Hague", "twitter")
    rare_matcher: re.Pattern | None


_RARE_LIMIT = 64  # more lower-case variants than this: scan with the whole alternation


@functools.lru_cache(maxsize=8)
def _scanner(variants: tuple[str, ...]) -> _Scanner:
    rare = tuple(v for v in variants if v[:1].islower())
    common = [v for v in variants if not v[:1].islower()]
    if "" in variants or len(rare) > _RARE_LIMIT or not common:
        return _Scanner(variants, None, (), None)
    # the boundary look-behind goes after each first character (A(?<!\wA)...), so the pattern opens with the
    # set of first characters and re skips to them with its fast scan instead of trying every position
    trie = _trie_regex(common, boundary_after_first=True)
    common_matcher = re.compile(r"(?P<variant>" + trie + r")(?P<possessive>['’]s)?(?!\w)")
    return _Scanner(variants, common_matcher, rare, _matcher(rare) if rare else None)


def _find_mentions(text: str, scanner: _Scanner) -> list[tuple[int, int, str, str]]:
    """(start, end, surface, variant) of every match of _matcher(variants) in ``text``, as its finditer gives them.

    The variants opening with a capital, digit or other non-lower-case character are scanned with one pattern;
    the few opening in lower case are looked up with str.find and matched where they occur. Matches at one
    position are the whole pattern's (the two sets never share a first character); where no match of one set
    overlaps a match of the other, the two scans together are the whole scan, otherwise the text is scanned
    again with the whole pattern.
    """
    if scanner.common is None:
        return [_hit(m) for m in _matcher(scanner.variants).finditer(text)]
    found = [_hit(m) for m in scanner.common.finditer(text)]
    if not scanner.rare:
        return found
    starts = set()
    for variant in scanner.rare:
        at = text.find(variant)
        while at >= 0:
            starts.add(at)
            at = text.find(variant, at + 1)
    if not starts:
        return found
    rare, resume, match = [], 0, scanner.rare_matcher.match
    for start in sorted(starts):  # finditer of the lower-case variants, at the only places they can match
        if start < resume:
            continue
        m = match(text, start)
        if m:
            rare.append(_hit(m))
            resume = m.end()
    if not rare:
        return found
    found_starts = [f[0] for f in found]
    for start, end, _, _ in rare:  # does a lower-case match overlap one of the others (its neighbours by start)?
        i = bisect.bisect_left(found_starts, start)
        if (i and found[i - 1][1] > start) or (i < len(found) and found[i][0] < end):
            return [_hit(m) for m in _matcher(scanner.variants).finditer(text)]
    return sorted(found + rare)


# ------------------------------------------------------------------ namesakes and role phrases (see the module doc)

# capitalised words that are not given names when they stand before a surname: titles, openers, time words
_NOT_GIVEN = frozenset("""
president presidents prime minister ministers premier chancellor secretary deputy foreign defence defense leader
mr mrs ms miss dr mr. messrs madam madame monsieur sir lord lady dame herr frau
general gen colonel col lieutenant lt major maj marshal admiral commander captain sergeant officer chief
ambassador envoy commissioner chairman chairwoman chair speaker spokesman spokeswoman spokesperson senator sen
congressman congresswoman representative rep governor mayor judge justice prosecutor ombudsman professor prof
king queen prince princess emperor sultan shah ayatollah pope patriarch catholicos archbishop bishop father
acting incumbent outgoing late ex president-elect interim caretaker opposition comrade
according said says told added noted stated wrote asked urged warned recalled stressed replied answered
yesterday today tonight tomorrow earlier later now still thus instead also again finally recently reportedly
previously subsequently separately additionally moreover furthermore nevertheless nonetheless accordingly
indeed clearly obviously apparently certainly perhaps similarly likewise consequently hence therefore overall
unlike like despite following including regarding under until without within against toward towards amid
dear congratulations thanks welcome
monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
""".split())
# words that may follow a lone surname (an institution named after the person, not another given name)
_NOT_GIVEN_AFTER = _NOT_GIVEN | frozenset("""
administration government cabinet doctrine plan regime era team camp office foundation center centre
""".split())
_TITLE_AFTER = re.compile(r"[ \u00a0]+([^\W\d_][\w'’-]*)")
_APPOSITION = re.compile(r",[ \u00a0]+([^\W\d_][\w'’-]*)[ \u00a0]+([^\W\d_][\w'’-]*)")
_HEADLINE_WORD = re.compile(r"[^\W\d_]{4,}")


def _capitalised(word: str) -> bool:
    """A capitalised word ("Siranush", "İlham"), not one in capitals ("PM", "NKR")."""
    return word[:1].isupper() and any(ch.islower() for ch in word[1:])


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


def _ordinary(word: str, after: bool = False) -> bool:
    """Is a capitalised word an ordinary word (a title, stop word, time word) rather than a given name?"""
    low = word.casefold()
    listed = _NOT_GIVEN_AFTER if after else _NOT_GIVEN
    return low in listed or low.rsplit("-", 1)[-1] in listed or low in _stop_words()


def _sentence_initial(text: str, at: int) -> bool:
    before = text[max(0, at - 3):at].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:;\n"


def _headline(text: str, at: int) -> bool:
    """Is the line around ``at`` in title case (most words of four letters or more capitalised)?"""
    line = text[text.rfind("\n", 0, at) + 1:(text.find("\n", at) + 1 or len(text) + 1) - 1]
    words = _HEADLINE_WORD.findall(line)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


_SPACES = " \u00a0"
_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _word_before(text: str, at: int) -> tuple[int, str] | None:
    """The word ending one space before ``at`` (start, word), if one does ("Siranush" in "Siranush Sargsyan")."""
    if at < 2 or text[at - 1] not in _SPACES or not text[at - 2].isalpha():
        return None
    word = text[max(0, at - 40):at - 1].rsplit(None, 1)[-1].lstrip("\"“‘'([")
    return (at - 1 - len(word), word) if _NAME_WORD.fullmatch(word) else None


def _is_namesake(text: str, found: list, i: int, given: frozenset[str]) -> bool:
    """Is the lone surname ``found[i]`` someone else's (a different given name before or after it)?"""
    start, end, surface, variant = found[i]
    before = _word_before(text, start)
    if before and before[1][0].isupper():
        at, word = before
        if (_capitalised(word) and not word.endswith(("'s", "’s")) and word not in given
                and not (i and found[i - 1][1] == start - 1) and not _ordinary(word)
                and not (_sentence_initial(text, at) and word.endswith(("ing", "ly")))
                and not _headline(text, start)):
            middle = _word_before(text, at)  # a middle name or patronymic: "Recep Tayyip Erdoğan"
            if not (middle and middle[1] in given):
                return True
    # no possessive: is the next word another given name ("Michel Barnier")?
    if len(surface) == len(variant) and text[end:end + 1] in _SPACES and text[end + 1:end + 2].isupper():
        m = _NAME_WORD.match(text, end + 1)
        if m:
            word = m.group(0)
            if (_capitalised(word) and not (i + 1 < len(found) and found[i + 1][0] == end + 1)
                    and not _ordinary(word, after=True) and not _headline(text, start)):
                return True
    return False


class _Resolver(NamedTuple):
    """What the namesake guard and the role phrases need of a gazetteer table."""
    keys: np.ndarray  # per row, the key a mention carries: its variant, or for a role row variant + NUL + row
    special: frozenset  # variants that need a look: persons' lone surnames and role phrases
    surnames: dict  # lone surname -> the given names of its actor (first words of the actor's full names)
    roles: dict  # role phrase -> ((first day, last day, key), ...)
    person_keys: frozenset  # keys of persons' variants
    plain: tuple  # the variants that are not role phrases (to scan inside an unresolved role phrase)


def _resolver(table: pd.DataFrame) -> _Resolver:
    if table is _default_gazetteer():  # shared, never modified: built once
        return _default_resolver(file_key(DEFAULT_GAZETTEER))
    blank = [""] * len(table)
    columns = tuple(tuple(table[c]) if c in table.columns else tuple(blank)
                    for c in ("actor", "actor_type", "variant", "variant_kind", "valid_from", "valid_to"))
    return _resolver_of(columns)


@functools.lru_cache(maxsize=2)
def _default_resolver(_key) -> _Resolver:
    table = _default_gazetteer()
    return _resolver_of(tuple(tuple(table[c]) for c in ("actor", "actor_type", "variant", "variant_kind",
                                                         "valid_from", "valid_to")))


@functools.lru_cache(maxsize=8)
def _resolver_of(columns: tuple) -> _Resolver:
    actors, types, variants, kinds, firsts, lasts = columns
    keys = np.array([v + "\x00" + str(i) if k == "role" else v for i, (v, k) in enumerate(zip(variants, kinds))],
                    dtype=object)
    given: dict[str, set] = {}
    for actor, kind_of, variant, kind in zip(actors, types, variants, kinds):
        if kind_of == "person" and kind in ("name", "spelling") and " " in variant:
            given.setdefault(actor, set()).add(variant.split(" ")[0])
    surnames = {variant: frozenset(given.get(actor, ())) for actor, kind_of, variant, kind
                in zip(actors, types, variants, kinds) if kind_of == "person" and kind == "short" and " " not in variant}
    roles: dict[str, list] = {}
    for key, variant, kind, first, last in zip(keys, variants, kinds, firsts, lasts):
        if kind == "role":
            roles.setdefault(variant, []).append((_day(first), _day(last, end=True), key))
    person_keys = frozenset(key for key, kind_of, kind in zip(keys, types, kinds) if kind_of == "person")
    plain = tuple(sorted(v for v, k in zip(variants, kinds) if k != "role")) if roles else ()
    return _Resolver(keys, frozenset(surnames) | frozenset(roles), surnames,
                     {v: tuple(sorted(h)) for v, h in roles.items()}, person_keys, plain)


def _doc_days(docs: pd.DataFrame) -> list:
    """Each document's date as days since 1970 (None: unknown)."""
    if "date" not in docs.columns:
        return [None] * len(docs)
    dates = pd.to_datetime(pd.Series(docs["date"].array), errors="coerce")
    known = dates.notna().to_numpy()
    days = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    return [int(d) if k else None for d, k in zip(days, known)]


def _role_holder(text: str, found: list, i: int, r: _Resolver, day: int | None) -> str | None:
    """The key of the role row that ``found[i]`` (a role phrase) names at the document's date, or None."""
    start, end, surface, variant = found[i]
    definite = variant.split(" ", 1)[0].endswith(("'s", "’s")) or (
        text[max(0, start - 4):start] in ("the ", "The ", "the\u00a0", "The\u00a0")
        and (start == 4 or not text[start - 5].isalnum()))
    if not definite:
        return None
    if len(surface) == len(variant):  # not possessive ("the Russian president’s Security Council" is his)
        m = _TITLE_AFTER.match(text, end)
        if m and _capitalised(m.group(1)) and m.group(1).casefold() not in _stop_words():
            return None  # a title before a name: "the Russian President Vladimir Putin"
        m = _APPOSITION.match(text, end)
        if m and ((i + 1 < len(found) and found[i + 1][0] == m.start(1) and found[i + 1][3] in r.person_keys)
                  or (_capitalised(m.group(1)) and _capitalised(m.group(2)) and not _ordinary(m.group(1)))):
            return None  # an apposition: "the Russian president, Vladimir Putin"
    low, high = (day, day) if day is not None else (_day(CONFLICT_PERIOD[0]), _day(CONFLICT_PERIOD[1], end=True))
    for first, last, key in r.roles[variant]:
        if first <= low and high <= last:
            return key
    return None


def _resolve(text: str, found: list, r: _Resolver, day: int | None) -> list:
    """``found`` without namesakes, with role phrases as their holders' keys (or the mentions inside them)."""
    surnames, roles, special = r.surnames, r.roles, r.special
    out, done = [], 0
    namesakes = set()  # surnames a namesake bore earlier in the document ("Alik Sargsyan ... Sargsyan said")
    # full names of known persons by surname, in document order: a lone surname after "Shushan Stepanyan" is hers,
    # not Gegham Stepanyan's, whose surname the gazetteer lists
    full_names: dict[str, list] = {}
    for match in found:
        if match[3] in r.person_keys and " " in match[3] and "\x00" not in match[3]:
            full_names.setdefault(match[3].rsplit(" ", 1)[1], []).append(match)
    for i in [i for i, match in enumerate(found) if match[3] in special]:
        start, end, surface, variant = match = found[i]
        given = surnames.get(variant)
        if given is not None:
            named = full_names.get(variant, ())
            bearer = next((m for m in reversed(named) if m[1] <= start), None)
            owner_in_full = any(m[3].split(" ", 1)[0] in given for m in named)
            # the surname's own bearer named in full anywhere keeps it ("President Ilham Aliyev ... the Heydar
            # Aliyev Centre ... Aliyev said" is Ilham Aliyev)
            if bearer is not None and bearer[3].split(" ", 1)[0] not in given and not owner_in_full:
                out.extend(found[done:i])
                out.append((start, end, surface, bearer[3]))  # the namesake the text named in full
                done = i + 1
                continue
            # only a capitalised word just before, or just after, can make it a namesake
            namesake = ((start > 1 and text[start - 1] in _SPACES and text[start - 2].isalpha())
                        or (text[end:end + 1] in _SPACES and text[end + 1:end + 2].isupper())) \
                and _is_namesake(text, found, i, given)
            if namesake and start > 1 and text[start - 1] in _SPACES and text[start - 2].isalpha() and \
                    _capitalised(text[:start].split()[-1]):
                namesakes.add(variant)  # another given name before it ("Alik Sargsyan"), not a name after it
            elif variant in namesakes and not any(f"{g} {variant}" in text for g in given):
                # the lone surname after a namesake is the namesake again, unless the actor is named in full too
                namesake = True
            if namesake:
                out.extend(found[done:i])
                done = i + 1
            continue
        out.extend(found[done:i])
        done = i + 1
        key = _role_holder(text, found, i, r, day)
        if key is not None:
            out.append((start, end, surface, key))
        else:
            inner = [_hit(m) for m in _matcher(r.plain).finditer(text, start, end)]
            out.extend(_resolve(text, inner, r, day) if inner else ())
    if not done:
        return found
    out.extend(found[done:])
    return out


def mentions(docs: pd.DataFrame, gazetteer: pd.DataFrame | None = None, *,
             include_demonyms: bool = False, sents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per actor mention.

    Columns: doc_id, source, sentence_id, actor (canonical), actor_type,
    affiliation, surface (as written, possessive included), variant (the
    gazetteer entry matched), variant_kind, start and end (character offsets
    into the document's ``text``).

    Demonyms ("Russian", "Armenians") are matched but dropped unless
    ``include_demonyms``: an adjective such as "Armenian refugees" names a
    people, not the state. ``sents`` (from :func:`analysis.sentences`) saves
    re-segmenting when you already have it.
    """
    table = _default_gazetteer() if gazetteer is None else gazetteer
    scanner = _scanner(tuple(sorted(table["variant"])))
    resolver = _resolver(table)
    special, days = resolver.special, None
    found, counts = [], []
    for row, text in enumerate(docs["text"]):
        in_doc = _find_mentions(text, scanner)
        if special and not special.isdisjoint([m[3] for m in in_doc]):  # persons' surnames, role phrases
            if days is None:
                days = _doc_days(docs)
            in_doc = _resolve(text, in_doc, resolver, days[row])
        counts.append(len(in_doc))
        found.extend(in_doc)
    rows = np.repeat(np.arange(len(docs)), counts)
    starts, ends, surfaces, variants = (list(column) for column in zip(*found)) if found else ([], [], [], [])
    # the table is assembled with arrays where that gives what the pandas merges below give: string columns
    # typed as pandas types Python strings, each matched variant one gazetteer row, some mention kept, each
    # mention inside a sentence (otherwise the merges run, and raise where they raise)
    entry = _gazetteer_rows(resolver.keys, variants) if found else None
    typed = all(column.dtype == _INFERRED_STR for column in (docs["doc_id"], docs["source"], table["variant"]))
    if entry is not None and typed:
        keep = np.arange(len(entry)) if include_demonyms else \
            np.flatnonzero(table["variant_kind"].to_numpy()[entry] != "demonym")
        if sents is None:
            from .segment import sentences
            sents = sentences(docs)
        at = np.array(starts, dtype=np.int64)[keep]
        sentence = sentence_rows(docs["doc_id"].array.take(rows[keep]), at, sents) if len(keep) else None
        if sentence is not None and (sentence >= 0).all():
            # rows by doc_id, then start: the order the merges' final sort gives (see _document_order)
            order = _document_order(docs, rows[keep])
            if order is not None:
                keep, sentence, at = keep[order], sentence[order], at[order]
            entry, kept_rows = entry[keep], rows[keep]
            table = table.assign(affiliation=table["affiliation"].replace("", pd.NA))
            found = pd.DataFrame({
                "doc_id": docs["doc_id"].array.take(kept_rows), "source": docs["source"].array.take(kept_rows),
                "sentence_id": sents["sentence_id"].to_numpy()[sentence].astype("int64"),
                **{column: table[column].array.take(entry) for column in ("actor", "actor_type", "affiliation")},
                "surface": np.array(surfaces, dtype=object)[keep], "variant": table["variant"].array.take(entry),
                "variant_kind": table["variant_kind"].array.take(entry),
                "start": at, "end": np.array(ends, dtype=np.int64)[keep]})
            if order is None:
                found = found.sort_values(["doc_id", "start"], kind="stable")
            return found.reset_index(drop=True)
    return _mentions_by_merge(docs, table.assign(key=resolver.keys), rows, starts, ends, surfaces, variants,
                              include_demonyms, sents)


_INFERRED_STR = pd.Series(["text"]).dtype  # the type pandas gives a column of Python strings


def _document_order(docs: pd.DataFrame, rows: np.ndarray) -> np.ndarray | None:
    """The permutation that ``sort_values(["doc_id", "start"], kind="stable")`` applies to rows that come by
    document (``rows``: each row's document, in the order of ``docs``), each document's rows by start. With
    unique doc_ids it is the documents' blocks in doc_id order, so only the documents are sorted (with the same
    pandas sort); None when doc_ids repeat (then sort the rows)."""
    if not docs["doc_id"].is_unique:
        return None
    doc_order = pd.DataFrame({"doc_id": docs["doc_id"].array, "start": 0}).sort_values(
        ["doc_id", "start"], kind="stable").index.to_numpy()
    counts = np.bincount(rows, minlength=len(docs))
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    n = counts[doc_order]
    return np.repeat(first[doc_order] - np.cumsum(n) + n, n) + np.arange(n.sum())


def _gazetteer_rows(keys: np.ndarray, variants: list[str]) -> np.ndarray | None:
    """Per matched variant (its key: see _Resolver), its row in the gazetteer (None unless each key is one row)."""
    index = pd.Index(keys)
    if not index.is_unique:
        return None
    entry = index.get_indexer(pd.Index(variants, dtype=object))
    return None if (entry < 0).any() else entry


def _mentions_by_merge(docs, table, rows, starts, ends, surfaces, variants, include_demonyms, sents):
    """The mentions table built with pandas merges, as first written (for gazetteers with repeated variants
    and mentions outside every sentence, where pandas raises)."""
    doc_ids, sources = list(docs["doc_id"]), list(docs["source"])
    found = pd.DataFrame([(doc_ids[row], sources[row], *match)
                          for row, match in zip(rows.tolist(), zip(surfaces, variants, starts, ends))],
                         columns=["doc_id", "source", "surface", "key", "start", "end"])
    found = found.merge(table[["key", "variant", "actor", "actor_type", "affiliation", "variant_kind"]],
                        on="key", how="left", validate="many_to_one")
    if not include_demonyms:
        found = found[found["variant_kind"] != "demonym"]
    if sents is None:
        from .segment import sentences
        sents = sentences(docs)
    found = _attach_sentence_ids(found, sents)
    found["affiliation"] = found["affiliation"].replace("", pd.NA)
    return found[MENTION_COLUMNS].reset_index(drop=True)


def _attach_sentence_ids(found: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    if found.empty:
        found["sentence_id"] = pd.Series(dtype="int64")
        return found
    found = found.sort_values(["start"], kind="stable")
    keyed = sents[["doc_id", "sentence_id", "start"]].rename(columns={"start": "sentence_start"})
    keyed = keyed.sort_values("sentence_start", kind="stable")
    merged = pd.merge_asof(found, keyed, left_on="start", right_on="sentence_start", by="doc_id",
                           direction="backward")
    merged = merged.drop(columns="sentence_start").sort_values(["doc_id", "start"], kind="stable")
    merged["sentence_id"] = merged["sentence_id"].astype("int64")
    return merged
