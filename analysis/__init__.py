"""Tidy news-corpus tables and framing analyses.

>>> import analysis
>>> corpus = analysis.read_corpus("seeds")      # docs, lines, provenance, relations, problems
>>> docs = analysis.load_corpus("seeds")        # one row per document
>>> sents = analysis.sentences(docs)            # one row per sentence
>>> toks = analysis.tokens(docs)                # one row per token
>>> ments = analysis.mentions(docs)             # one row per actor mention
"""
from .actors import mentions, read_gazetteer
from .corpus import Corpus, load_corpus, read_corpus
from .errors import CorpusError, CorpusWarning
from .segment import sentences, tokens
from .summary import removal_summary, source_summary

__all__ = [
    "Corpus", "CorpusError", "CorpusWarning", "load_corpus", "mentions", "read_corpus", "read_gazetteer",
    "removal_summary", "sentences", "source_summary", "tokens",
]
