"""Frame dictionaries: generic news frames (Semetko and Valkenburg 2000) and issue frames of this conflict.

The dictionaries are data (``data/frames.csv``: frame, frame_type, term, exclude,
note; see ``data/LEXICONS.md`` for sources and limits). A term is a word or phrase,
``*`` standing for any word ending. Matching is lexical, case-insensitive and at
word boundaries: a dictionary measures vocabulary associated with a frame, not a
frame as a human coder would judge it. Validate on a sample before citing.

``exclude`` lists a term's false friends: phrases or longer words, ``|``-separated,
in the term's own syntax, each containing the term ("investigat*" for "invest*",
"economic region*" for "econom*"). A match of the term that lies inside a match
of one of its exclusions is dropped.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CorpusError
from ..text.lexicon import attach_sentences, file_key, glob_to_regex, lexicon_matches, read_data_table
from .._package import DATA_DIR

DEFAULT_FRAMES = DATA_DIR / "frames.csv"
FRAME_TYPES = {"generic", "issue"}
EXCLUDE_SEPARATOR = "|"


def read_frame_dictionary(path: str | Path = DEFAULT_FRAMES) -> pd.DataFrame:
    """The frame dictionary, validated (frame, frame_type, term, exclude, note; ``exclude`` optional, "" if absent).

    Read once per file content (cached on the path and a hash of the file); each call gets its own copy.
    """
    key = file_key(path)
    return (_read_frame_dictionary(*key) if key else _read_frame_dictionary.__wrapped__(path, "")).copy()


@functools.lru_cache(maxsize=8)
def _read_frame_dictionary(path: str | Path, _content_hash: str) -> pd.DataFrame:
    table = read_data_table(path, "frame dictionary", ["frame", "frame_type", "term"],
                            {"frame_type": FRAME_TYPES})
    empty = table[table["term"].str.strip() == ""]
    if len(empty):
        raise CorpusError(f"{path}, row {empty.index[0] + 2}: empty term")
    table["term"] = table["term"].str.strip().str.lower()
    if "exclude" not in table.columns:
        table["exclude"] = ""
    table["exclude"] = table["exclude"].str.strip().str.lower()
    for row, term, exclude in zip(table.index, table["term"], table["exclude"]):
        problem = exclusion_problem(term, exclude)
        if problem:
            raise CorpusError(f"{path}, row {row + 2}: {problem}")
    return table.drop_duplicates(["frame", "term"]).reset_index(drop=True)


def exclusions(exclude: str) -> list[str]:
    """The exclusions of one dictionary row: its ``exclude`` cell split at ``|`` ("" gives none)."""
    return [] if not exclude.strip() else [part.strip().lower() for part in exclude.split(EXCLUDE_SEPARATOR)]


def exclusion_problem(term: str, exclude: str) -> str | None:
    """What is wrong with a term's ``exclude`` cell, or None.

    Each exclusion must be non-empty, must not be the term itself (that would drop every match: drop the row
    instead), and must contain the term: read as text with its ``*`` removed, it has a match of the term at word
    boundaries ("investigat*" contains "invest*", "karabakh economic region" contains "econom*"). An exclusion
    that cannot contain the term could never veto one of its matches: a typo or a row mix-up.
    """
    term_regex = re.compile(rf"(?<!\w)(?:{glob_to_regex(term)})(?!\w)", re.IGNORECASE)
    for exclusion in exclusions(exclude):
        if not exclusion:
            return f"empty exclusion in {exclude!r} of term {term!r} (exclusions are separated by a single '|')"
        if glob_to_regex(exclusion) == glob_to_regex(term):
            return f"exclusion {exclusion!r} is the term itself (it would drop every match: drop the row instead)"
        if not term_regex.search(exclusion.replace("*", "")):
            return (f"exclusion {exclusion!r} does not contain the term {term!r} (an exclusion is a longer phrase "
                    f"or word around the term, e.g. 'investigat*' for 'invest*'), so it could never apply")
    return None


def _drop_excluded(texts: pd.Series, found: pd.DataFrame, dictionary: pd.DataFrame) -> pd.DataFrame:
    """``found`` (lexicon_matches rows, pattern_id = dictionary row) without the matches inside an exclusion."""
    if "exclude" not in dictionary.columns or found.empty:
        return found
    owners, patterns = [], []
    for pattern_id, exclude in enumerate(dictionary["exclude"].fillna("").astype(str)):
        for exclusion in exclusions(exclude):
            if exclusion:
                owners.append(pattern_id)
                patterns.append(glob_to_regex(exclusion))
    if not patterns:
        return found
    # each exclusion is its own group: all of its matches are found, whatever the other exclusions match
    vetoes = lexicon_matches(texts, patterns, groups=list(range(len(patterns))))
    if vetoes.empty:
        return found
    vetoes = pd.DataFrame({"row": vetoes["row"].to_numpy(), "pattern_id": np.asarray(owners)[vetoes["pattern_id"]],
                           "veto_start": vetoes["start"].to_numpy(), "veto_end": vetoes["end"].to_numpy()})
    paired = found[["row", "pattern_id", "start", "end"]].reset_index().merge(vetoes, on=["row", "pattern_id"])
    inside = paired.loc[(paired["veto_start"] <= paired["start"]) & (paired["end"] <= paired["veto_end"]), "index"]
    return found.drop(index=inside.unique())


def frame_matches(docs: pd.DataFrame, *, sents: pd.DataFrame | None = None,
                  dictionary: pd.DataFrame | None = None) -> pd.DataFrame:
    """The evidence: one row per dictionary match.

    Columns: doc_id, source, sentence_id, frame, frame_type, term (the
    dictionary entry), match (as written), start, end (offsets into the
    document's text), sentence. Within a frame, overlapping terms count once
    (the longest); the same words may count for two different frames. A match
    inside one of its term's exclusions is dropped (its words are not offered
    to the frame's other terms).
    """
    from ..text.segment import sentences
    dictionary = read_frame_dictionary() if dictionary is None else dictionary
    sents = sentences(docs) if sents is None else sents
    patterns = [glob_to_regex(t) for t in dictionary["term"]]
    found = lexicon_matches(docs["text"], patterns, groups=list(dictionary["frame"]))
    found = _drop_excluded(docs["text"], found, dictionary)
    found["doc_id"] = docs["doc_id"].to_numpy()[found["row"].to_numpy()]
    found["source"] = docs["source"].to_numpy()[found["row"].to_numpy()]
    found = found.join(dictionary[["frame", "frame_type", "term"]], on="pattern_id")
    found = attach_sentences(found, sents)
    found = found.merge(sents[["doc_id", "sentence_id", "text"]].rename(columns={"text": "sentence"}),
                        on=["doc_id", "sentence_id"], how="left")
    columns = ["doc_id", "source", "sentence_id", "frame", "frame_type", "term", "match", "start", "end", "sentence"]
    return found[columns].sort_values(["doc_id", "start", "frame"], kind="stable").reset_index(drop=True)


def frame_scores(docs: pd.DataFrame, by: str = "source", *, sents: pd.DataFrame | None = None,
                 toks: pd.DataFrame | None = None, dictionary: pd.DataFrame | None = None,
                 matches: pd.DataFrame | None = None) -> pd.DataFrame:
    """Frame prominence per group (``by``: "source", "doc_id", or any docs column).

    Columns: ``by``, frame, frame_type, n_matches, n_sentences (sentences with
    at least one match), share_of_sentences (0..1), n_words (word tokens in
    the group), per_1000_words (matches per 1,000 words). Every frame appears
    for every group, with zeros where it never matched. The evidence behind
    each number is :func:`frame_matches`.
    """
    from ..text.segment import parse
    dictionary = read_frame_dictionary() if dictionary is None else dictionary
    if sents is None or toks is None:
        sents, toks = parse(docs)
    matches = frame_matches(docs, sents=sents, dictionary=dictionary) if matches is None else matches
    group_of = pd.Series(docs[by].to_numpy(), index=docs["doc_id"].to_numpy())
    # word tokens per document, then per group (counting first: mapping every token to its group is slow)
    per_doc = toks["doc_id"][~toks["is_punct"].to_numpy(dtype=bool)].value_counts(sort=False)
    words = per_doc.groupby(per_doc.index.map(group_of).rename("group")).sum()
    per_doc = sents["doc_id"].value_counts(sort=False)
    sentences_per_group = per_doc.groupby(per_doc.index.map(group_of).rename("group")).sum()
    matches = matches.assign(group=matches["doc_id"].map(group_of))
    n_matches = matches.groupby(["group", "frame"]).size().rename("n_matches")
    n_sentences = (matches.drop_duplicates(["group", "frame", "doc_id", "sentence_id"])
                   .groupby(["group", "frame"]).size().rename("n_sentences"))
    counted = pd.concat([n_matches, n_sentences], axis=1).reset_index()
    return frame_table(counted, words, sentences_per_group, dictionary, by)


def frame_table(counted: pd.DataFrame, words: pd.Series, sentences: pd.Series,
                dictionary: pd.DataFrame | None = None, by: str = "source") -> pd.DataFrame:
    """:func:`frame_scores` from counts: ``counted`` (group, frame, n_matches, n_sentences, summable over
    documents), word tokens and sentences per group. Every frame appears for every group with words."""
    dictionary = read_frame_dictionary() if dictionary is None else dictionary
    counted = (counted.groupby(["group", "frame"])[["n_matches", "n_sentences"]].sum().reset_index()
               if len(counted) else pd.DataFrame(columns=["group", "frame", "n_matches", "n_sentences"]))
    words = words[words > 0]
    frames = dictionary[["frame", "frame_type"]].drop_duplicates("frame")
    grid = pd.MultiIndex.from_product([sorted(words.index), frames["frame"]], names=["group", "frame"]).to_frame(
        index=False)
    table = grid.merge(frames, on="frame").merge(counted, on=["group", "frame"], how="left")
    table[["n_matches", "n_sentences"]] = table[["n_matches", "n_sentences"]].fillna(0).astype("int64")
    table["share_of_sentences"] = table["n_sentences"] / table["group"].map(sentences)
    table["n_words"] = table["group"].map(words).astype("int64")
    table["per_1000_words"] = table["n_matches"] / table["n_words"] * 1000
    table = table.sort_values(["group", "frame_type", "frame"], kind="stable").rename(columns={"group": by})
    return table[[by, "frame", "frame_type", "n_matches", "n_sentences", "share_of_sentences", "n_words",
                  "per_1000_words"]].reset_index(drop=True)


def frame_evidence(matches: pd.DataFrame, by: str = "source", per_frame: int = 1) -> pd.DataFrame:
    """The sentences with the most matches for each group and frame (the evidence to read first).

    ``matches`` is :func:`frame_matches` output. Columns: ``by``, frame, sentence, matches.
    """
    counted = matches.groupby([by, "frame", "sentence"]).size().rename("matches").reset_index()
    counted = counted.sort_values([by, "frame", "matches", "sentence"], ascending=[True, True, False, True],
                                  kind="stable")
    return counted.groupby([by, "frame"]).head(per_frame).reset_index(drop=True)
