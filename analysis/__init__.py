"""Tidy news-corpus tables and framing analyses.

>>> import analysis
>>> corpus = analysis.read_corpus("seeds")      # docs, lines, provenance, relations, problems
>>> docs = analysis.load_corpus("seeds")        # one row per document
>>> sents = analysis.sentences(docs)            # one row per sentence
>>> toks = analysis.tokens(docs)                # one row per token
>>> ments = analysis.mentions(docs)             # one row per actor mention
>>> analysis.keyness(toks, "Caliber.az")        # what one outlet says more (and less) than the others

The package is layered, one folder per layer (ARCHITECTURE.md): ``corpus`` (files to documents), ``text``
(sentences, tokens, mentions), ``measures``, ``framing``, ``report`` and ``run``. The functions below are
the public API, whatever folder they live in; the flat layout's module paths (``analysis.frequency``,
``from analysis import plotting``) still import the same modules (``analysis._compat``).
"""
from .errors import CorpusError, CorpusWarning
from .corpus.loading import Corpus, load_corpus, read_corpus
from .corpus.periods import by_event, by_period, read_events
from .text.actors import mentions, read_gazetteer
from .text.coverage import unresolved_names
from .text.segment import parse, sentences, tokens
from .measures.collocations_lambda import collocations_lambda
from .measures.dfm import term_frequency, tf_idf, trim_terms, weight_terms
from .measures.frequency import collocations, dispersion, keyness, keyness_all, kwic, log_odds, term_counts
from .measures.network import actor_network, actor_salience
from .measures.reuse import side_by_side_html, text_reuse
from .measures.sentiment import (actor_sentences, actor_sentiment, extreme_sentences, lexicon_agreement,
                                 lexicon_entries, sentence_sentiment, sentiment_pitfalls, sentiment_summary)
from .framing.dictionary import dictionary_counts, dictionary_matches, read_dictionary
from .framing.frames import frame_evidence, frame_matches, frame_scores, read_frame_dictionary
from .framing.naming import naming_choices, naming_shares, read_naming_lexicon
from .framing.over_time import (changed_terms, frame_shares_over_time, naming_shares_over_time,
                                salience_over_time, sentiment_over_time, term_rates_over_time, voices_over_time)
from .framing.quotes import quotations, quoted_spans, scare_quote_terms, scare_quotes, voices
from .framing.topics import topic_documents, topic_frames, topic_model, topic_prevalence, topic_sentences
from .framing.validation import (agreement, coding_sample, read_codings, validate, validation_disagreements,
                                 write_coding_sheet)
from .report.summary import removal_summary, source_summary
from .report.termmap import term_map, term_map_figure, term_map_html

from . import _compat

_compat.install(__name__)


def __getattr__(name: str):
    """``analysis.<module>`` by its flat-layout name (``analysis.plotting``), imported on first use."""
    module = _compat.module(__name__, name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return module


__all__ = [
    "Corpus", "CorpusError", "CorpusWarning", "actor_network", "by_event", "by_period", "changed_terms",
    "frame_shares_over_time", "naming_shares_over_time", "read_events", "salience_over_time",
    "sentiment_over_time", "term_rates_over_time", "voices_over_time", "actor_sentences", "actor_sentiment",
    "extreme_sentences", "lexicon_agreement", "lexicon_entries", "sentence_sentiment", "sentiment_pitfalls",
    "sentiment_summary", "actor_salience", "collocations", "dispersion",
    "frame_evidence", "frame_matches", "frame_scores", "keyness", "keyness_all", "kwic", "load_corpus", "log_odds", "mentions", "naming_choices",
    "naming_shares", "parse", "quotations", "quoted_spans", "read_corpus", "read_frame_dictionary",
    "read_gazetteer", "read_naming_lexicon", "removal_summary", "scare_quote_terms", "scare_quotes", "sentences", "source_summary",
    "side_by_side_html", "term_counts", "text_reuse", "tokens", "unresolved_names", "voices",
    "term_map", "term_map_figure", "term_map_html", "topic_documents", "topic_frames", "topic_model",
    "topic_prevalence", "topic_sentences", "agreement", "coding_sample", "read_codings", "validate",
    "validation_disagreements", "write_coding_sheet", "collocations_lambda", "dictionary_counts",
    "dictionary_matches", "read_dictionary", "term_frequency", "tf_idf", "trim_terms", "weight_terms",
]
