"""Match a lexicon of regular expressions against many texts in one pass per pattern.

All texts are joined into one string (with a separator no pattern can cross),
so each pattern is searched once over the whole corpus: cost grows with the
number of patterns times the corpus size, never with the number of documents.
Within each ``group`` (e.g. one frame) matches never overlap and the longer
pattern wins, so "Nagorno-Karabakh" is one match, not also "Karabakh".
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CorpusError

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
    longest pattern first, and searched in one pass: their matches never
    overlap, and where several match at the same place the longer pattern wins.
    Patterns of different groups are matched independently.
    """
    texts = list(texts)
    flags = re.IGNORECASE if ignore_case else 0
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern, flags)
        except re.error as err:
            raise ValueError(f"lexicon pattern {i + 1} {pattern!r} is not a valid regular expression: {err}") from None
    group_of = list(groups) if groups is not None else [0] * len(patterns)
    members: dict[object, list[int]] = {}
    for pattern_id, group in enumerate(group_of):
        members.setdefault(group, []).append(pattern_id)
    joined = _SEPARATOR.join(texts)
    offsets = np.cumsum([0] + [len(t) + len(_SEPARATOR) for t in texts[:-1]]) if texts else np.array([0])
    found: list[tuple[int, int, int, str]] = []
    for ids in members.values():
        # one alternation per group, longest pattern first; a leading look-behind on the whole alternation
        # keeps the engine's first-character scan, so the cost is one pass per group, not per pattern
        ordered = sorted(ids, key=lambda k: (-len(patterns[k]), k))
        body = "|".join(f"(?P<p{k}>{patterns[k]})" for k in ordered)
        regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)" if word_boundaries else body, flags)
        for m in regex.finditer(joined):
            if m.end() > m.start() and "\x00" not in m.group(0):
                found.append((int(m.lastgroup[1:]), m.start(), m.end(), m.group(0)))
    columns = ["row", "pattern_id", "start", "end", "match"]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c != "match" else object) for c in columns})
    table = pd.DataFrame(found, columns=["pattern_id", "start", "end", "match"])
    table["row"] = np.searchsorted(offsets, table["start"].to_numpy(), side="right") - 1
    base = offsets[table["row"].to_numpy()]
    table["start"] -= base
    table["end"] -= base
    return table[columns].sort_values(["row", "start", "pattern_id"], kind="stable").reset_index(drop=True)


def attach_sentences(found: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """Add sentence_id to rows with doc_id and start (offsets into the document's text)."""
    if found.empty:
        return found.assign(sentence_id=pd.Series(dtype="int64"))
    keyed = sents[["doc_id", "sentence_id", "start"]].rename(columns={"start": "sentence_start"})
    merged = pd.merge_asof(found.sort_values("start", kind="stable"), keyed.sort_values("sentence_start", kind="stable"),
                           left_on="start", right_on="sentence_start", by="doc_id", direction="backward")
    merged["sentence_id"] = merged["sentence_id"].fillna(1).astype("int64")
    return merged.drop(columns="sentence_start")
