"""Match a lexicon of regular expressions against many texts in one pass per pattern.

All texts are joined into one string (with a separator no pattern can cross),
so each pattern is searched once over the whole corpus: cost grows with the
number of patterns times the corpus size, never with the number of documents.
Overlapping matches are resolved leftmost-longest within each ``group`` (e.g.
within one frame), so "Nagorno-Karabakh" is one match, not also "Karabakh".
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

_SEPARATOR = "\n\x00\n"  # between texts; NUL never occurs in cleaned text, and a match containing it is dropped


def glob_to_regex(term: str) -> str:
    """A dictionary term ("econom*", "sphere of influence") as a regex: * = word ending, spaces = any white space."""
    return r"\s+".join(re.escape(word).replace(r"\*", r"\w*") for word in term.split())


def lexicon_matches(texts: list[str] | pd.Series, patterns: list[str], *, groups: list | None = None,
                    ignore_case: bool = True, word_boundaries: bool = True) -> pd.DataFrame:
    """Every match of every pattern in every text.

    Returns one row per kept match: row (index into ``texts``), pattern_id
    (index into ``patterns``), start, end (offsets into that text) and match
    (the matched text). ``groups`` gives each pattern a group; overlaps are
    resolved within a group only (longest match first, then earliest).
    """
    texts = list(texts)
    flags = re.IGNORECASE if ignore_case else 0
    compiled = []
    for i, pattern in enumerate(patterns):
        wrapped = rf"(?<!\w)(?:{pattern})(?!\w)" if word_boundaries else pattern
        try:
            compiled.append(re.compile(wrapped, flags))
        except re.error as err:
            raise ValueError(f"lexicon pattern {i + 1} {pattern!r} is not a valid regular expression: {err}") from None
    joined = _SEPARATOR.join(texts)
    offsets = np.cumsum([0] + [len(t) + len(_SEPARATOR) for t in texts[:-1]]) if texts else np.array([0])
    found: list[tuple[int, int, int, str]] = []
    for pattern_id, regex in enumerate(compiled):
        for m in regex.finditer(joined):
            if m.end() > m.start() and "\x00" not in m.group(0):
                found.append((pattern_id, m.start(), m.end(), m.group(0)))
    columns = ["row", "pattern_id", "start", "end", "match"]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c != "match" else object) for c in columns})
    table = pd.DataFrame(found, columns=["pattern_id", "start", "end", "match"])
    table["row"] = np.searchsorted(offsets, table["start"].to_numpy(), side="right") - 1
    base = offsets[table["row"].to_numpy()]
    table["start"] -= base
    table["end"] -= base
    group_of = np.asarray(groups if groups is not None else [0] * len(patterns), dtype=object)
    table["group"] = group_of[table["pattern_id"].to_numpy()]
    table = _leftmost_longest(table)
    return table[columns].sort_values(["row", "start", "pattern_id"], kind="stable").reset_index(drop=True)


def _leftmost_longest(table: pd.DataFrame) -> pd.DataFrame:
    table = table.assign(length=table["end"] - table["start"])
    table = table.sort_values(["row", "group", "start", "length", "pattern_id"],
                              ascending=[True, True, True, False, True], kind="stable")
    keep = np.zeros(len(table), dtype=bool)
    last_key, last_end = None, -1
    for i, (row, group, start, end) in enumerate(zip(table["row"], table["group"], table["start"], table["end"])):
        key = (row, group)
        if key != last_key:
            last_key, last_end = key, -1
        if start >= last_end:
            keep[i] = True
            last_end = end
    return table[keep]


def attach_sentences(found: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """Add sentence_id to rows with doc_id and start (offsets into the document's text)."""
    if found.empty:
        return found.assign(sentence_id=pd.Series(dtype="int64"))
    keyed = sents[["doc_id", "sentence_id", "start"]].rename(columns={"start": "sentence_start"})
    merged = pd.merge_asof(found.sort_values("start", kind="stable"), keyed.sort_values("sentence_start", kind="stable"),
                           left_on="start", right_on="sentence_start", by="doc_id", direction="backward")
    merged["sentence_id"] = merged["sentence_id"].fillna(1).astype("int64")
    return merged.drop(columns="sentence_start")
