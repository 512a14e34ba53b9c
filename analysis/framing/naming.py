"""Naming choices: which of the competing labels for the same referent each outlet uses.

The lexicon is data (``data/naming.csv``: referent, label, pattern,
convention, when_quoted, note; see ``data/LEXICONS.md``). Each occurrence is
tagged with whose naming convention the label follows (armenian, azerbaijani,
russian, international, or distancing) and with who is speaking: a label inside
a direct quotation is the quoted speaker's choice, not the outlet's, and a
label inside distancing quotes ("‘peacekeepers’") takes the ``when_quoted``
convention.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..text.lexicon import attach_sentences, file_key, lexicon_matches, read_data_table
from .._package import DATA_DIR

DEFAULT_NAMING = DATA_DIR / "naming.csv"
CONVENTIONS = {"armenian", "azerbaijani", "russian", "international", "common", "distancing"}
CHOICE_COLUMNS = ["doc_id", "source", "sentence_id", "referent", "label", "convention", "label_convention",
                  "in_scare_quotes", "voice", "surface", "start", "end"]


def read_naming_lexicon(path: str | Path = DEFAULT_NAMING) -> pd.DataFrame:
    """The naming lexicon, validated.

    Read once per file content (cached on the path and a hash of the file); each call gets its own copy.
    """
    key = file_key(path)
    return (_read_naming_lexicon(*key) if key else _read_naming_lexicon.__wrapped__(path, "")).copy()


@functools.lru_cache(maxsize=8)
def _read_naming_lexicon(path: str | Path, _content_hash: str) -> pd.DataFrame:
    table = read_data_table(path, "naming lexicon", ["referent", "label", "pattern", "convention"],
                            {"convention": CONVENTIONS, "when_quoted": CONVENTIONS | {""}})
    if "when_quoted" not in table.columns:
        table["when_quoted"] = ""
    return table


def naming_choices(docs: pd.DataFrame, *, lexicon: pd.DataFrame | None = None, sents: pd.DataFrame | None = None,
                   spans: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per occurrence of a label from the naming lexicon.

    Columns: doc_id, source, sentence_id, referent, label, convention (the
    convention that applies here: ``when_quoted`` if the label sits in
    distancing quotes), label_convention (the label's own), in_scare_quotes,
    voice ("outlet"; "quoted speaker" inside a quotation or a quoted title; "attributed" when the outlet
    gives the label as someone else's wording: "what Baku called an anti-terrorist operation", "which
    Armenians call Artsakh", "known to Azerbaijanis as", "described by X as", "Baku's so-called ..."; reported
    speech without quotation marks stays the outlet's), surface
    (as written), start, end (offsets into the document's text).
    ``spans`` (from :func:`analysis.framing.quotes.quoted_spans`) saves recomputing.
    """
    from .quotes import quoted_spans
    from ..text.segment import sentences
    lexicon = read_naming_lexicon() if lexicon is None else lexicon
    sents = sentences(docs) if sents is None else sents
    spans = quoted_spans(docs, sents=sents) if spans is None else spans
    found = lexicon_matches(docs["text"], list(lexicon["pattern"]))
    rows = found["row"].to_numpy()
    found["doc_id"], found["source"] = docs["doc_id"].to_numpy()[rows], docs["source"].to_numpy()[rows]
    found = found.join(lexicon[["referent", "label", "convention", "when_quoted"]], on="pattern_id")
    found["in_scare_quotes"] = _inside(found, spans[spans["kind"] == "scare_quote"], wrapped=True)
    # a quotation's (or a quoted title's) words are the speaker's
    found["voice"] = np.where(_inside(found, spans[spans["kind"].isin(["quotation", "title"])]), "quoted speaker",
                              "outlet")
    quoted = found["in_scare_quotes"] & (found["when_quoted"] != "")
    found["label_convention"] = found["convention"]
    found["convention"] = found["when_quoted"].where(quoted, found["convention"])
    # "the so-called Lachin corridor": whatever the label, the writer disowns it
    texts = docs["text"].to_numpy()
    so_called = np.array([bool(_SO_CALLED_BEFORE.search(texts[row][max(0, start - 14):start]))
                          for row, start in zip(found["row"].to_numpy(), found["start"].to_numpy())], dtype=bool)
    found.loc[so_called, "convention"] = "distancing"
    found = attach_sentences(found.rename(columns={"match": "surface"}), sents)
    if len(found):
        attributed = _attributed(found, docs, sents) & (found["voice"] == "outlet").to_numpy()
        found.loc[attributed, "voice"] = "attributed"
    return found[CHOICE_COLUMNS].sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


# wording the outlet gives to someone else, just before the label: "what Baku called an ...", "which Armenians
# call ...", "known to Azerbaijanis as ...", "described by Pashinyan as ...", "Baku's so-called ...", "accused Baku
# of ..."
_LABEL_VERB = (r"(?:call(?:s|ed)?|describe[sd]?|term(?:s|ed)?|dub(?:s|bed)?|label(?:s|l?ed)?|brand(?:s|ed)?|"
               r"refer(?:s|red)?\s+to|consider(?:s|ed)?|regard(?:s|ed)?|see(?:s)?|saw|deem(?:s|ed)?)")
_ATTRIBUTED_BEFORE = re.compile(
    rf"(?:(?<!\w)(?:what|which|whom)\s+(?:[\w’'-]+\s+){{1,5}}?{_LABEL_VERB}\s+(?:(?:it|them|this)\s+)?(?:as\s+)?"
    rf"|(?<!\w)(?:known|referred\s+to)\s+(?:(?:to|by|among)\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+)?|in\s+[\w’'-]+)\s+as\s+"
    rf"|(?<!\w)described\s+by\s+(?:[\w’'-]+\s+){{1,5}}?as\s+"
    rf"|(?<!\w)(?:called|dubbed|termed|labell?ed|branded)\s+(?:as\s+)?(?=(?:an?\s+|the\s+)?\S+\s+by\s+[A-Z])"
    # "They call it the Road of Life", "Azerbaijanis call it Garabagh"
    rf"|(?<!\w)(?:they|locals|residents|people|armenians|azerbaijanis|russians|(?-i:(?!We\b|You\b)[A-Z][\w’'-]+))\s+(?:now\s+|still\s+)?"
    rf"call(?:s|ed)?\s+(?:it|them|this|the\s+(?:road|town|city|region|route|corridor))\s+"
    # an accusation is the accuser's wording: "Yerevan accused Baku of ethnic cleansing"
    rf"|(?<!\w)accus(?:e[sd]?|ing)\s+(?:[\w’'-]+\s+){{1,5}}?of\s+(?:committing\s+|carrying\s+out\s+|conducting\s+)?"
    rf")(?:(?:an?|the|its|their|his|her)\s+)?$", re.IGNORECASE)
_SO_CALLED_BEFORE = re.compile(r"(?<!\w)so[-‐‑–\s]?called\s+[“\"‘']?$", re.IGNORECASE)
_POSSESSIVE_SO_CALLED = re.compile(r"\w['’]s\s+$")
# "Stepanakert - called Khankendi by Azerbaijan -", "known as Shushi to Armenians"
_CALLED_BEFORE = re.compile(r"(?<!\w)(?:called|named|dubbed|known\s+as|referred\s+to\s+as)\s+$", re.IGNORECASE)
_BY_AFTER = re.compile(r"\s+(?:by|to|among|in)\s+(?:the\s+)?[A-Z]")
# a headline that opens with its speaker: "Hikmet Hajiyev: Armenia closes the road between Khankendi and ..."
_HEADLINE_OF = re.compile(r"[A-Z][\w’'.-]+(?:[ \t]+[A-Z][\w’'.-]+){0,3}:[ \t]")
def _attributed(found: pd.DataFrame, docs: pd.DataFrame, sents: pd.DataFrame) -> np.ndarray:
    """Whether each label is given as someone else's wording (and so not the outlet's own voice)."""
    texts = dict(zip(docs["doc_id"], docs["text"]))
    keyed = sents.set_index(["doc_id", "sentence_id"])["start"]
    sentence_starts = keyed.reindex(pd.MultiIndex.from_arrays([found["doc_id"], found["sentence_id"]])).to_numpy()
    result = np.zeros(len(found), dtype=bool)
    for i, (doc_id, start, surface, s_start) in enumerate(zip(found["doc_id"], found["start"], found["surface"],
                                                              sentence_starts)):
        s_start = int(s_start) if pd.notna(s_start) else max(0, start - 200)
        text = texts[doc_id]
        before = text[max(s_start, start - 120):start]
        after = text[start + len(surface):start + len(surface) + 60]
        line_start = text.rfind("\n", 0, start) + 1
        result[i] = bool(_ATTRIBUTED_BEFORE.search(before)) or (
            surface.lower().startswith("so") and bool(_POSSESSIVE_SO_CALLED.search(before))) or (
            bool(_CALLED_BEFORE.search(before)) and bool(_BY_AFTER.match(after))) or \
            bool(_HEADLINE_OF.match(text, line_start, start))
    return result


# quotation marks, a possessive and a comma or full stop: what may sit between a label and the quotes around it
_WRAP_SLACK = 5
_MAX_PAIRS = 1_000_000  # (match, span) pairs compared at once


def _inside(found: pd.DataFrame, spans: pd.DataFrame, *, wrapped: bool = False) -> np.ndarray:
    """Whether each match lies within one of its document's quoted spans.

    ``wrapped``: only when the quotes enclose the label itself ("‘peacekeepers’"),
    not when the label is part of a longer quoted phrase (“occupation of Garabagh”
    distances the claim of occupation, not the name); a pattern that includes the
    quotation marks itself (self-declared “republic”) counts too.
    """
    result = np.zeros(len(found), dtype=bool)
    if not len(found) or not len(spans):
        return result
    # every (match, span of the same document) pair, a slice of matches at a time (bounded memory)
    codes, documents = pd.factorize(spans["doc_id"])
    wanted = pd.Index(documents).get_indexer(pd.Index(found["doc_id"]))
    order = np.flatnonzero(codes >= 0)
    order = order[np.argsort(codes[order], kind="stable")]
    span_doc = codes[order]
    span_start, span_end = spans["start"].to_numpy()[order], spans["end"].to_numpy()[order]
    first = np.searchsorted(span_doc, np.arange(len(documents)), side="left")
    last = np.searchsorted(span_doc, np.arange(len(documents)), side="right")
    known = wanted >= 0
    low = np.where(known, first[np.maximum(wanted, 0)], 0)
    counts = np.where(known, last[np.maximum(wanted, 0)], 0) - low
    starts, ends = found["start"].to_numpy(), found["end"].to_numpy()
    total = np.cumsum(counts)
    chunk_start = 0
    while chunk_start < len(found):
        done = int(total[chunk_start - 1]) if chunk_start else 0
        chunk_end = max(int(np.searchsorted(total, done + _MAX_PAIRS, side="right")), chunk_start + 1)
        rows = np.arange(chunk_start, chunk_end)
        chunk_start = chunk_end
        n = counts[rows]
        if not n.sum():
            continue
        match = np.repeat(rows, n)
        span = np.repeat(low[rows] - np.cumsum(n) + n, n) + np.arange(n.sum())
        s, e, start, end = span_start[span], span_end[span], starts[match], ends[match]
        within = (s <= start) & (end <= e)
        if wrapped:
            within &= (e - s) - (end - start) <= _WRAP_SLACK
        result[match[within | ((start <= s) & (e <= end))]] = True
    return result


def naming_shares(choices: pd.DataFrame, by: str = "source", *, voice: str | None = "outlet") -> pd.DataFrame:
    """Per group and referent, how often each convention is used (``voice``: "outlet" by default, so a
    label quoted from a speaker does not count as the outlet's choice; None counts both).

    Columns: ``by``, referent, convention, n, share (of the referent's occurrences in the group, 0..1),
    labels (the labels used, most frequent first, with counts).
    """
    if voice is not None:
        choices = choices[choices["voice"] == voice]
    table = choices.groupby([by, "referent", "convention"], sort=True).size().rename("n").reset_index()
    table["share"] = table["n"] / table.groupby([by, "referent"])["n"].transform("sum")
    labels = (choices.groupby([by, "referent", "convention"])["label"]
              .agg(lambda s: "; ".join(f"{k} ({v})" for k, v in s.value_counts().items())).rename("labels"))
    table = table.merge(labels.reset_index(), on=[by, "referent", "convention"])
    return table.sort_values([by, "referent", "share", "convention"], ascending=[True, True, False, True],
                             kind="stable").reset_index(drop=True)
