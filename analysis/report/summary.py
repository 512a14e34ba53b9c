"""Corpus-level summaries: what is in the corpus and what cleaning took out."""
from __future__ import annotations

import pandas as pd

from ..corpus.cleaning import KEPT
from ..corpus.loading import Corpus


def source_summary(corpus: Corpus, by: str = "source") -> pd.DataFrame:
    """One row per source: documents, paragraphs, sentences, words (non-punctuation
    tokens), tokens, and lines removed by cleaning or moved to metadata.

    ``by``: another document column to count by (``side``, ``source_country``...);
    documents without a value are "(unknown <column>)". An unknown column raises
    ValueError listing the valid ones.
    """
    from .reporting import check_group, group_values
    check_group(corpus.docs, by)
    docs = corpus.docs.assign(**{by: group_values(corpus.docs, by).to_numpy()})
    table = docs.groupby(by, sort=True).agg(
        documents=("doc_id", "size"), paragraphs=("n_paragraphs", "sum"), sentences=("n_sentences", "sum"),
        words=("n_words", "sum"), tokens=("n_tokens", "sum"), lines_removed=("n_lines_removed", "sum"))
    return table.reset_index()


def removal_summary(corpus: Corpus) -> pd.DataFrame:
    """One row per cleaning reason: how many lines (and characters) each source lost to it."""
    lines = corpus.lines[corpus.lines["action"] != KEPT]
    lines = lines.merge(corpus.docs[["doc_id", "source"]], on="doc_id", how="inner")
    lines = lines.assign(source=lines["source"].fillna("(unknown source)"),
                         characters=lines["text"].str.len())
    table = lines.groupby(["reason", "source"], sort=True).agg(lines=("line_no", "size"),
                                                              characters=("characters", "sum"))
    return table.reset_index()
