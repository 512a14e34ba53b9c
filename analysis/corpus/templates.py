"""Lines of a site's template: short lines that recur, word for word, across the corpus's documents.

A site prints the same menus, footers, widget headings and buttons on every page, in whatever language
its interface is in. No list of UI strings can hold them all, but a corpus shows them: a short line that
stands in several documents is page furniture, not an article's text (articles do not repeat each
other's lines, and the ones that do, quotations and reused paragraphs, are long). Such lines are removed
with reason ``site_template`` and the number of documents they stand in.

Counting is done over the raw text of every plain-text file before any is cleaned, so that each
document's cleaning still depends only on its own text and on these counts (the pipeline passes the
counts of a document's own template lines into its cache key). HTML pages are left to trafilatura.
"""
from __future__ import annotations

import re
from collections import Counter

from .cleaning import template_key

# A template line is short: a menu entry, a footer line, a widget's heading (12 words or fewer) ...
TEMPLATE_MAX_WORDS = 12
# ... that stands in at least this many documents.
TEMPLATE_MIN_DOCS = 3

_WORD = re.compile(r"\w+")


def short_line_keys(text: str, max_words: int = TEMPLATE_MAX_WORDS) -> set[str]:
    """The keys (see :func:`cleaning.template_key`) of the short lines of one raw text."""
    keys = set()
    for line in text.splitlines():
        line = line.strip()
        if line and len(_WORD.findall(line)) <= max_words:
            keys.add(template_key(line))
    keys.discard("")
    return keys


def template_lines(texts: dict[str, str], *, min_docs: int = TEMPLATE_MIN_DOCS,
                   max_words: int = TEMPLATE_MAX_WORDS) -> dict[str, dict[str, int]]:
    """For each document (name -> raw text), its template lines: key (see :func:`cleaning.template_key`)
    -> the number of documents of ``texts`` that hold that line. ``min_docs`` < 2 finds none."""
    return recurring_lines({name: short_line_keys(text, max_words) for name, text in texts.items()},
                           min_docs=min_docs)


def recurring_lines(keys_of: dict[str, set[str]], *, min_docs: int = TEMPLATE_MIN_DOCS) -> dict[str, dict[str, int]]:
    """For each document (name -> its short lines' keys), the keys that stand in ``min_docs`` or more
    documents, with that number."""
    if min_docs < 2 or len(keys_of) < min_docs:
        return {name: {} for name in keys_of}
    counts = Counter(key for keys in keys_of.values() for key in keys)
    frequent = {key: n for key, n in counts.items() if n >= min_docs}
    return {name: {key: frequent[key] for key in sorted(keys) if key in frequent} for name, keys in keys_of.items()}


def corpus_template_lines(folder, files: list[str], *, max_bytes: int, min_docs: int = TEMPLATE_MIN_DOCS,
                          ) -> dict[str, dict[str, int]]:
    """:func:`template_lines` of the plain-text files ``files`` (paths relative to ``folder``).

    Files are read leniently for counting (bad bytes replaced; a file that cannot be read, or is larger
    than ``max_bytes``, counts no lines): reading them for real, and reporting what is wrong with them,
    is the loader's job.
    """
    from pathlib import Path

    texts = {}
    for rel in files:
        path = Path(folder) / rel
        if not rel.lower().endswith(".txt"):
            continue
        try:
            if path.stat().st_size > max_bytes:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        texts[rel] = data.decode("utf-8", errors="replace")
    found = template_lines(texts, min_docs=min_docs)
    return {rel: found.get(rel, {}) for rel in files}
