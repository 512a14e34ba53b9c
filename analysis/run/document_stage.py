"""The map: every per-document stage of the analysis, for a batch of loaded documents, as one pure function.

:func:`document_tables` takes documents (as :func:`analysis.load_corpus` gives them) and returns the
evidence tables (sentences with both lexicons' scores, mentions, quoted spans, naming choices, frame
matches, words for text-reuse alignment) and the partials that sum over documents to the per-source tables
(term counts per document, reuse shingles, frame, naming, voice and actor counts). Each output row depends
on one document only, so batches can run in any order, on any core, or on other machines
(:mod:`analysis.run.distributed`).
"""
from __future__ import annotations

import pandas as pd

from ..framing.frames import frame_matches
from ..framing.naming import naming_choices
from ..framing.quotes import quoted_spans
from ..measures.frequency import document_term_counts
from ..measures.reuse import document_shingles, sentence_words
from ..measures.sentiment import SCORE_COLUMNS, sentence_sentiment
from ..text.actors import mentions
from ..text.segment import parse

MEASURE_COLUMNS = ["tb_polarity", "tb_subjectivity", "vader_compound"]
# the per-document tables kept as evidence (in the cache), beside the documents, lines and provenance
EVIDENCE = ("docs", "lines", "provenance", "sentences", "mentions", "quoted_spans", "naming_choices",
            "frame_matches")


def document_tables(docs: pd.DataFrame, sents: pd.DataFrame | None = None,
                    toks: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every per-document stage for a batch of loaded documents (``docs`` as :func:`analysis.load_corpus`).

    Pure: each output row depends on one document only, so batches can run in
    any order, in parallel or on other machines. Evidence tables: sentences
    (with both lexicons' scores), mentions, quoted_spans, naming_choices,
    frame_matches, words (for text-reuse alignment). Partials, which sum over
    documents to the per-source tables: term_counts (per document and term),
    shingles, frame_counts, naming_counts, voice_counts, actor_counts.
    """
    if sents is None or toks is None:
        sents, toks = parse(docs)
    ments = mentions(docs, sents=sents)
    scores = sentence_sentiment(docs, sents)
    sentences = sents.reset_index(drop=True).copy()
    for column in SCORE_COLUMNS[4:]:
        sentences[column] = scores[column].to_numpy()
    spans = quoted_spans(docs, sents=sents, ments=ments)
    choices = naming_choices(docs, sents=sents, spans=spans)
    matches = frame_matches(docs, sents=sents)
    words = sentence_words(docs, sents=sents, toks=toks, ments=ments)
    shingles = document_shingles(words).rename(columns={"doc": "doc_id"})
    quotes = spans[spans["kind"] == "quotation"]
    speaker = quotes["speaker_actor"].fillna(quotes["speaker"]).fillna("(unattributed)")
    return {
        "sentences": sentences, "mentions": ments, "quoted_spans": spans, "naming_choices": choices,
        "frame_matches": matches, "words": words, "shingles": shingles,
        "term_counts": document_term_counts(toks),
        "frame_counts": (matches.groupby(["doc_id", "source", "frame"], sort=True)
                         .agg(n_matches=("frame", "size"), n_sentences=("sentence_id", "nunique")).reset_index()),
        "naming_counts": (choices.groupby(["doc_id", "source", "referent", "convention", "label", "voice"],
                                          sort=True)
                          .agg(n=("label", "size"), first=("start", "min")).reset_index()),
        "voice_counts": (quotes.assign(speaker=speaker).groupby(["doc_id", "source", "speaker"], sort=True)
                         .agg(n_quotations=("text", "size"), n_words=("n_words", "sum")).reset_index()),
        "actor_counts": (ments.groupby(["doc_id", "source", "actor", "actor_type"], sort=True)
                         .agg(n_mentions=("actor", "size"), n_sentences=("sentence_id", "nunique")).reset_index()),
    }
