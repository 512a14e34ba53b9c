"""Reading a corpus: a folder of saved news pages into one row per document, with an audit of every line.

The corpus layer turns files into the documents table and its evidence: decoding bytes (``reading``),
HTML pages through trafilatura (``htmlpages``), the optional manifest (``manifest``), dates, outlets and
bylines found in the page (``dates``, ``outlets``, ``bylines``), the article's body told from the page's
furniture (``main_text``, ``cleaning``, ``templates``, ``items``), and the documents' time periods and
events (``periods``). ``loading`` puts these together: :func:`read_corpus` and :func:`load_corpus`.

May import: :mod:`analysis.errors` and, from the text layer, only :mod:`analysis.text.segment` (its
tokenizer counts each document's sentences and words, and its stop-word list tells a paragraph of prose
from a menu). Nothing here knows of measures, framing, reports or runs.
"""
from .loading import (DOC_COLUMNS, LINE_COLUMNS, PROBLEM_COLUMNS, PROVENANCE_COLUMNS, RELATION_COLUMNS, Corpus,
                      load_corpus, read_corpus)

__all__ = ["Corpus", "DOC_COLUMNS", "LINE_COLUMNS", "PROBLEM_COLUMNS", "PROVENANCE_COLUMNS", "RELATION_COLUMNS",
           "load_corpus", "read_corpus"]
