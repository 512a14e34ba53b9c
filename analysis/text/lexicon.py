"""Match a lexicon of regular expressions against many texts at once.

All texts are joined into one string (with a separator no pattern can cross).
The places where a pattern can begin are found for the whole lexicon in one
NumPy pass over the text, and the regex engine runs only there: cost grows
with the corpus size and the number of places, not with the number of patterns
times the corpus size, nor with the number of documents. Within each ``group``
(e.g. one frame) matches never overlap and the longer pattern wins, so
"Nagorno-Karabakh" is one match, not also "Karabakh".
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import CorpusError


def file_key(path: str | Path) -> tuple[str, str] | None:
    """A cache key for an editable data file: its path as given and a hash of its bytes (None if unreadable,
    so the caller reads it uncached and reports the problem). Edits to the file give a new key."""
    try:
        with open(path, "rb") as f:
            return os.fspath(path), hashlib.sha256(f.read()).hexdigest()
    except (OSError, TypeError):
        return None


def read_data_table(path: str | Path, what: str, required: list[str],
                    allowed: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """Read an editable data file (a UTF-8 CSV, all columns text) and check it.

    Raises :class:`CorpusError` naming the file, and the row where a value is
    not among ``allowed[column]``.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: cannot read the {what}: {err}") from None
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise CorpusError(f"{path}: the {what} lacks column(s) {', '.join(missing)}")
    for column, values in (allowed or {}).items():
        if column not in table.columns:
            continue
        bad = table[~table[column].isin(values)]
        if len(bad):
            raise CorpusError(f"{path}, row {bad.index[0] + 2}: {column} {bad[column].iloc[0]!r} is not one of "
                              f"{', '.join(sorted(v for v in values if v))}")
    return table


_SEPARATOR = "\n\x00\n"  # between texts; NUL never occurs in cleaned text, and a match containing it is dropped


def glob_to_regex(term: str) -> str:
    """A dictionary term ("econom*", "sphere of influence") as a regex: * = word ending, spaces = any white space."""
    return r"\s+".join(re.escape(word).replace(r"\*", r"\w*") for word in term.split())


def lexicon_matches(texts: list[str] | pd.Series, patterns: list[str], *, groups: list | None = None,
                    ignore_case: bool = True, word_boundaries: bool = True) -> pd.DataFrame:
    """Every match of every pattern in every text.

    Returns one row per match: row (index into ``texts``), pattern_id (index
    into ``patterns``), start, end (offsets into that text) and match (the
    matched text). Patterns of one ``group`` are compiled into one alternation,
    longest pattern first: their matches never overlap, and where several match
    at the same place the first of them in that order wins (the longest
    pattern, as written). Patterns of different groups are matched independently.

    Speed: the compiled lexicon is cached (keyed on the patterns, groups and
    options), and the regex engine only runs where a match can begin. The
    strings every match of a pattern opens with are read from the parsed pattern
    (:func:`_prefixes`), the places where the text opens that way are found with
    NumPy (:func:`_candidates`), and there the group's patterns that can match
    are tried in the alternation's order. The result is the alternation's
    ``finditer`` over all texts joined, as if every position were tried.
    """
    texts = list(texts)
    key = (tuple(patterns), None if groups is None else tuple(groups), bool(ignore_case), bool(word_boundaries))
    try:
        lexicon = _compiled_lexicon(*key)
    except TypeError:  # unhashable group labels: compile without the cache
        lexicon = _compiled_lexicon.__wrapped__(*key)
    joined = _SEPARATOR.join(texts)
    offsets = np.cumsum([0] + [len(t) + len(_SEPARATOR) for t in texts[:-1]]) if texts else np.array([0])
    found: list[tuple[int, int, int, str]] = []
    candidates = _candidates(joined, lexicon)
    for g, source in enumerate(lexicon.sources):
        regex = _group_regex(source, lexicon.compile_flags) if candidates is None or lexicon.alone is None \
            or not lexicon.filtered[g] else None
        if candidates is None or not lexicon.filtered[g]:  # openings unknown: the engine tries every position
            for m in regex.finditer(joined):
                if m.end() > m.start() and "\x00" not in m.group(0):
                    found.append((int(m.lastgroup[1:]), m.start(), m.end(), m.group(0)))
            continue
        # finditer, at the positions where a pattern of the group can begin, trying those patterns in the
        # alternation's order (the first that matches wins); after a match the scan resumes at its end
        positions, pattern_ids = candidates[g]
        alone = lexicon.alone
        resume = 0
        for start, k in zip(positions.tolist(), pattern_ids.tolist()):
            if start < resume:
                continue
            m = alone[k].match(joined, start) if alone is not None else regex.match(joined, start)
            if m is None or m.end() == start:
                continue
            resume = m.end()
            text = m.group(0)
            if "\x00" not in text:
                found.append((k if alone is not None else int(m.lastgroup[1:]), start, resume, text))
    columns = ["row", "pattern_id", "start", "end", "match"]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c != "match" else object) for c in columns})
    table = pd.DataFrame(found, columns=["pattern_id", "start", "end", "match"])
    table["row"] = np.searchsorted(offsets, table["start"].to_numpy(), side="right") - 1
    base = offsets[table["row"].to_numpy()]
    table["start"] -= base
    table["end"] -= base
    return table[columns].sort_values(["row", "start", "pattern_id"], kind="stable").reset_index(drop=True)


_MAX_PREFIX = 8  # characters of a prefix looked up before the engine runs
_MAX_PREFIXES = 4096  # per pattern; past this, its prefixes stay shorter
_DIRECT_LEVEL = 1 << 20  # levels with fewer possible codes than this are looked up in a table, not searched


class _Level(NamedTuple):
    """The prefixes cut to one length L, as base-(classes + 1) numbers of their first L character classes."""
    complete: np.ndarray  # sorted codes of prefixes of exactly this length
    start: np.ndarray  # patterns of complete[i]: patterns[start[i]:start[i + 1]]
    patterns: np.ndarray
    partial: np.ndarray  # sorted codes of longer prefixes, cut to this length
    complete_at: np.ndarray | None  # when small enough: code -> index into ``complete`` or -1
    partial_at: np.ndarray | None  # and code -> whether a longer prefix continues it


class _Lexicon(NamedTuple):
    sources: tuple[str, ...]  # one alternation per group (compiled by _group_regex where it is used)
    compile_flags: int
    alone: tuple[re.Pattern, ...] | None  # each pattern with the alternation's boundaries (None: back-references)
    group_of: np.ndarray  # per pattern: its group
    rank: np.ndarray  # per pattern: its place in its group's alternation
    filtered: tuple[bool, ...]  # per group: every pattern's openings are known (else: try every position)
    flags: int  # IGNORECASE / ASCII as the alternations were compiled
    after_non_word: bool  # the alternations open with (?<!\w)
    chars: tuple[str, ...]  # the characters prefixes are made of
    classes: tuple[int, ...]  # per character its class (1, 2, ...); characters that match each other share one
    levels: tuple[_Level, ...]


@functools.lru_cache(maxsize=32)
def _compiled_lexicon(patterns: tuple[str, ...], groups: tuple | None, ignore_case: bool,
                      word_boundaries: bool) -> _Lexicon:
    flags = re.IGNORECASE if ignore_case else 0
    parsed = []
    for i, pattern in enumerate(patterns):
        try:
            parsed.append(_parsed(pattern, flags))  # re.compile's own parse: the same errors
        except re.error as err:
            raise ValueError(f"lexicon pattern {i + 1} {pattern!r} is not a valid regular expression: {err}") from None
    group_of = list(groups) if groups is not None else [0] * len(patterns)
    members: dict[object, list[int]] = {}
    for pattern_id, group in enumerate(group_of):
        members.setdefault(group, []).append(pattern_id)
    sources, used = [], set()
    group_index = np.zeros(len(patterns), dtype=np.int64)
    rank = np.zeros(len(patterns), dtype=np.int64)
    for g, ids in enumerate(members.values()):
        # one alternation per group, longest pattern first; the first alternative that matches wins
        ordered = sorted(ids, key=lambda k: (-len(patterns[k]), k))
        body = "|".join(f"(?P<p{k}>{patterns[k]})" for k in ordered)
        source = rf"(?<!\w)(?:{body})(?!\w)" if word_boundaries else body
        # re.compile's parse, for its errors (a group name used twice, inline flags inside, a back-reference
        # to a group numbered differently in the alternation) and its flags; compiling waits until it is needed
        used.add(_parsed(source, flags).state.flags & (re.IGNORECASE | re.ASCII) if _has_parser()
                 else _group_regex(source, flags).flags & (re.IGNORECASE | re.ASCII))
        sources.append(source)
        group_index[ordered] = g
        rank[ordered] = np.arange(len(ordered))
    prefixes = [_prefixes(tree) for tree in parsed] if len(used) == 1 else [None] * len(patterns)
    used_flags = used.pop() if len(used) == 1 else flags
    # a pattern alone matches as its alternative does, unless it refers to groups (numbered across the alternation)
    alone = None
    if not any(_refers_to_groups(tree) for tree in parsed):
        alone = tuple(re.compile(rf"(?<!\w)(?:{p})(?!\w)" if word_boundaries else f"(?:{p})", used_flags)
                      for p in patterns)
    filtered = tuple(all(prefixes[k] is not None for k in ids) for ids in members.values())
    usable = [k for k in range(len(patterns)) if filtered[group_index[k]]]
    chars = sorted({ch for k in usable for prefix in prefixes[k] for ch in prefix})
    classes: list[int] = []
    for i, ch in enumerate(chars):
        same = next((classes[j] for j in range(i) if re.fullmatch(re.escape(chars[j]), ch, used_flags)
                     or re.fullmatch(re.escape(ch), chars[j], used_flags)), None)
        classes.append(same if same is not None else max(classes, default=0) + 1)
    base = max(classes, default=0) + 1
    depth = max(1, min(_MAX_PREFIX, int(62 / np.log2(base + 1))))  # codes stay below 2**62
    class_of = dict(zip(chars, classes))
    complete: list[dict[int, set[int]]] = [{} for _ in range(depth + 1)]
    partial: list[set[int]] = [set() for _ in range(depth + 1)]
    for k in usable:
        for prefix in prefixes[k]:
            prefix, code = prefix[:depth], 0
            for level, ch in enumerate(prefix, start=1):
                code = code * base + class_of[ch]
                if level < len(prefix):
                    partial[level].add(code)
            complete[len(prefix)].setdefault(code, set()).add(k)
    levels = []
    for level in range(1, depth + 1):
        keys = sorted(complete[level])
        owners = [sorted(complete[level][key]) for key in keys]
        starts = np.cumsum([0] + [len(o) for o in owners])
        keys_array = np.array(keys, dtype=np.int64)
        partial_array = np.array(sorted(partial[level]), dtype=np.int64)
        complete_at = partial_at = None
        if base ** level <= _DIRECT_LEVEL:
            complete_at = np.full(base ** level, -1, dtype=np.int64)
            complete_at[keys_array] = np.arange(len(keys_array))
            partial_at = np.zeros(base ** level, dtype=bool)
            partial_at[partial_array] = True
        levels.append(_Level(keys_array, starts, np.array([k for o in owners for k in o], dtype=np.int64),
                             partial_array, complete_at, partial_at))
    return _Lexicon(tuple(sources), flags, alone, group_index, rank, filtered, used_flags, word_boundaries,
                    tuple(chars), tuple(classes), tuple(levels))


@functools.lru_cache(maxsize=256)
def _group_regex(source: str, flags: int) -> re.Pattern:
    return re.compile(source, flags)


def _has_parser() -> bool:
    try:
        from re import _parser  # noqa: F401
    except ImportError:  # pragma: no cover
        return False
    return True


def _parsed(pattern: str, flags: int):
    """``re``'s own parse of a pattern, as re.compile does it (raises re.error for an invalid pattern).

    The parser is an internal module of ``re``: where it is missing, the pattern is compiled to check it
    and None returned (then every position is tried: slower, same matches).
    """
    try:
        from re import _parser
    except ImportError:  # pragma: no cover - a Python without re._parser
        re.compile(pattern, flags)
        return None
    return _parser.parse(pattern, flags)


def _refers_to_groups(parsed) -> bool:
    """Whether a parsed pattern has a back-reference or a conditional group (or could not be parsed)."""
    if parsed is None:
        return True
    from re import _constants as ops
    refs = {getattr(ops, name) for name in ("GROUPREF", "GROUPREF_EXISTS") if hasattr(ops, name)}

    def visit(value) -> bool:
        if isinstance(value, (list, tuple)):
            return any(visit(v) for v in value)
        if hasattr(value, "data"):  # a parsed sub-pattern
            return any(op in refs or visit(av) for op, av in value.data)
        return False

    return visit(parsed)


def _prefixes(parsed) -> frozenset[str] | None:
    """Strings (as written in the pattern) one of which every match of a parsed pattern starts with, or None.

    Read from the parsed pattern: literals, small character sets, groups,
    alternations, optional and repeated parts are followed; look-arounds and
    anchors consume nothing and are skipped; anything else (\\w, ., a negated
    set, scoped flags, a back-reference) ends the prefix. None when a match may
    start with no known character, or when the parsed form is not understood.
    """
    if parsed is None:
        return None
    from re import _constants as ops
    repeats = tuple(getattr(ops, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                    if hasattr(ops, name))

    def expand(op, av) -> set[tuple[str, bool]]:
        # the ways one item can begin: (text, whether that is the whole item, so the next item follows)
        if op is ops.LITERAL:
            return {(chr(av), True)}
        if op is ops.IN:
            chars: list[str] = []
            for item_op, item_av in av:
                if item_op is ops.LITERAL:
                    chars.append(chr(item_av))
                elif item_op is ops.RANGE and item_av[1] - item_av[0] < 64:
                    chars.extend(chr(x) for x in range(item_av[0], item_av[1] + 1))
                else:  # NEGATE, CATEGORY, a wide range
                    return {("", False)}
            return {(ch, True) for ch in chars}
        if op in (ops.AT, ops.ASSERT, ops.ASSERT_NOT):
            return {("", True)}
        if op is ops.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            return {("", False)} if add_flags or del_flags else walk(sub)
        if op is getattr(ops, "ATOMIC_GROUP", None):
            return walk(av)
        if op is ops.BRANCH:
            return set().union(*(walk(alternative) for alternative in av[1]))
        if op in repeats:
            low, high, sub = av
            once = walk(sub)
            if low == high == 1:
                return once
            first = {(text, False) for text, _ in once}  # one repetition or more: the prefix stops after one
            if low == 0:
                return (once if high == 1 else first) | {("", True)}
            return first
        return {("", False)}

    def walk(items) -> set[tuple[str, bool]]:
        states = {("", True)}
        for op, av in items:
            if not any(is_open for _, is_open in states):
                break
            ways = expand(op, av)
            if len(states) * len(ways) > _MAX_PREFIXES:
                return {(text, False) for text, _ in states}
            extended = set()
            for text, is_open in states:
                if not is_open:
                    extended.add((text, False))
                    continue
                for more, more_open in ways:
                    longer = text + more
                    extended.add((longer[:_MAX_PREFIX], more_open and len(longer) < _MAX_PREFIX))
            states = extended
        return states

    try:
        found = {text for text, _ in walk(parsed)}
    except Exception:  # noqa: BLE001 - a parse tree of an unexpected shape only costs speed
        return None
    return None if not found or "" in found else frozenset(found)


def _candidates(joined: str, lexicon: _Lexicon) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Per group: (positions, pattern ids), where a prefix of that pattern starts in ``joined``.

    Sorted by position, then by the pattern's place in its group's alternation.
    Every character of the text gets the class of the prefix characters it
    matches (0 for none), with ``re`` and the lexicon's flags deciding what
    matches what, so case folding is the engine's own. Prefixes are looked up
    one character more per level, keeping only the positions that can still
    grow into a prefix. None when the characters cannot be classed soundly.
    """
    n_groups = len(lexicon.sources)
    empty = np.zeros(0, dtype=np.int64)
    if not joined or not lexicon.chars:
        return [(empty, empty)] * n_groups
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    present = np.flatnonzero(np.bincount(codes))
    distinct = "".join(map(chr, present.tolist()))
    class_of = np.zeros(len(present), dtype=np.int64)
    for ch, k in zip(lexicon.chars, lexicon.classes):
        for m in re.finditer(re.escape(ch), distinct, lexicon.flags):
            if class_of[m.start()] not in (0, k):  # a character in two classes: no sound mapping
                return None
            class_of[m.start()] = k
    # one look-up gives a character's class and whether it is a word character (class * 2 + word)
    is_word = np.zeros(len(present), dtype=np.int64)
    is_word[[m.start() for m in re.finditer(r"\w", distinct, lexicon.flags & re.ASCII)]] = 1
    table = np.zeros(int(present[-1]) + 1, dtype=np.uint8 if 2 * max(lexicon.classes) + 1 < 256 else np.int32)
    table[present] = class_of * 2 + is_word
    looked_up = np.take(table, codes)
    ids = looked_up >> 1
    opens = ids != 0
    if lexicon.after_non_word:  # (?<!\w): no match starts right after a word character
        opens[1:] &= (looked_up[:-1] & 1) == 0
    where = np.flatnonzero(opens)
    padded = np.concatenate([ids, np.zeros(len(lexicon.levels), dtype=ids.dtype)])
    base = max(lexicon.classes) + 1
    hit_positions, hit_patterns = [], []
    code = np.zeros(len(where), dtype=np.int64)
    for level, step in enumerate(lexicon.levels):
        if not len(where):
            break
        code = code * base + padded[where + level]
        if len(step.complete):
            if step.complete_at is not None:
                at = step.complete_at[code]
                hit = at >= 0
            else:
                at = np.minimum(np.searchsorted(step.complete, code), len(step.complete) - 1)
                hit = step.complete[at] == code
            if hit.any():
                # each hit stands for every pattern of its prefix
                index = at[hit]
                counts = step.start[index + 1] - step.start[index]
                first = np.repeat(step.start[index] - np.cumsum(counts) + counts, counts)
                hit_positions.append(np.repeat(where[hit], counts))
                hit_patterns.append(step.patterns[first + np.arange(counts.sum())])
        if not len(step.partial):
            break
        if step.partial_at is not None:
            keep = step.partial_at[code]
        else:
            at = np.minimum(np.searchsorted(step.partial, code), len(step.partial) - 1)
            keep = step.partial[at] == code
        where, code = where[keep], code[keep]
    if not hit_positions:
        return [(empty, empty)] * n_groups
    positions = np.concatenate(hit_positions)
    patterns = np.concatenate(hit_patterns)
    group = lexicon.group_of[patterns]
    order = np.lexsort((lexicon.rank[patterns], positions, group))
    positions, patterns, group = positions[order], patterns[order], group[order]
    repeated = np.zeros(len(order), dtype=bool)  # the same pattern at the same place, from two of its prefixes
    repeated[1:] = (positions[1:] == positions[:-1]) & (patterns[1:] == patterns[:-1])
    positions, patterns, group = positions[~repeated], patterns[~repeated], group[~repeated]
    bounds = np.searchsorted(group, np.arange(n_groups + 1))
    return [(positions[bounds[g]:bounds[g + 1]], patterns[bounds[g]:bounds[g + 1]]) for g in range(n_groups)]


def attach_sentences(found: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """Add sentence_id to rows with doc_id and start (offsets into the document's text).

    The sentence is the last one of the document that starts at or before
    ``start`` (sentence 1 when none does); rows come back ordered by start.
    """
    if found.empty:
        return found.assign(sentence_id=pd.Series(dtype="int64"))
    found = found.sort_values("start", kind="stable").reset_index(drop=True)
    rows = sentence_rows(found["doc_id"], found["start"].to_numpy(), sents)
    if rows is None:  # offsets too large for one sort key: let pandas do it
        keyed = sents[["doc_id", "sentence_id", "start"]].rename(columns={"start": "sentence_start"})
        merged = pd.merge_asof(found, keyed.sort_values("sentence_start", kind="stable"), left_on="start",
                               right_on="sentence_start", by="doc_id", direction="backward")
        merged["sentence_id"] = merged["sentence_id"].fillna(1).astype("int64")
        return merged.drop(columns="sentence_start")
    ids = sents["sentence_id"].to_numpy()
    found["sentence_id"] = np.where(rows >= 0, ids[np.maximum(rows, 0)], 1).astype("int64") if len(ids) else 1
    return found


def sentence_rows(doc_ids, starts: np.ndarray, sents: pd.DataFrame) -> np.ndarray | None:
    """For each (doc_id, start): the position in ``sents`` of the last sentence of that document that starts
    at or before ``start`` (of several starting there, the last in ``sents``), or -1.

    The look-up of :func:`pandas.merge_asof` (backward, by doc_id), as one sort and one binary search.
    None when the offsets are too large to share one 63-bit key with the document number.
    """
    codes, documents = pd.factorize(sents["doc_id"])
    # each distinct doc_id looked up once (pyarrow encodes string arrays without Python objects)
    query_codes, queried = pd.factorize(doc_ids)
    looked_up = pd.Index(documents).get_indexer(pd.Index(queried))
    wanted = np.full(len(query_codes), -1, dtype=np.int64)
    wanted[query_codes >= 0] = looked_up[query_codes[query_codes >= 0]]
    sentence_starts = sents["start"].to_numpy()
    starts = np.asarray(starts)
    if not len(sentence_starts) or not len(starts):
        return np.full(len(starts), -1, dtype=np.int64)
    low = int(min(sentence_starts.min(), starts.min()))
    span = int(max(sentence_starts.max(), starts.max())) - low + 2
    if (len(documents) + 1) * span >= 2 ** 62:
        return None
    known = np.flatnonzero(codes >= 0)
    order = known[np.lexsort((known, sentence_starts[known] - low, codes[known]))]
    keys = codes[order].astype(np.int64) * span + (sentence_starts[order].astype(np.int64) - low)
    at = np.searchsorted(keys, wanted.astype(np.int64) * span + (starts.astype(np.int64) - low), side="right") - 1
    at_ok = at >= 0
    found = np.full(len(starts), -1, dtype=np.int64)
    hit = at_ok & (wanted >= 0)
    hit[hit] = codes[order[at[hit]]] == wanted[hit]
    found[hit] = order[at[hit]]
    return found
