"""Main text and metadata of saved HTML pages, through trafilatura.

trafilatura drops navigation, footers, scripts and other page furniture before
the line rules in :mod:`analysis.corpus.cleaning` run; what it dropped is not itemised
in the audit table (the raw HTML is kept in the ``raw`` column).

libxml2 (under lxml and trafilatura) stops reading a page at an element nested
more than MAX_NESTING deep; what lies deeper is dropped without a word, so such
a page is refused with a message naming the limit (see :func:`nesting_problem`).
"""
from __future__ import annotations

from .dates import DateError, parse_date


def extract_html(html: str) -> tuple[str, dict[str, tuple[object, str]]]:
    """The page's main text (paragraphs separated by blank lines) and its metadata.

    Metadata maps field -> (value, evidence) for title, author, date, url and
    source (the site name). Empty text means no main content was found.
    """
    import trafilatura  # loaded only for corpora with HTML pages

    evidence = f"HTML page metadata, read by trafilatura {trafilatura.__version__}"
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True})
    if document is None:
        return "", {}
    found = document.as_dict()
    text = "\n\n".join(line for line in (found.get("text") or "").split("\n") if line.strip())
    metadata: dict[str, tuple[object, str]] = {}
    for field, key in (("title", "title"), ("author", "author"), ("url", "url"), ("source", "sitename")):
        if found.get(key):
            metadata[field] = (str(found[key]).strip(), evidence)
    if found.get("date"):
        try:
            metadata["date"] = (parse_date(found["date"]), f"{evidence}: {found['date']}")
        except DateError:
            pass
    return text, metadata


# libxml2's limit on element nesting for HTML and XML parsed without XML_PARSE_HUGE (its xmlParserMaxDepth).
MAX_NESTING = 256


def nesting_problem(html: str) -> str | None:
    """Why the page cannot be read whole, if libxml2 stops at its nesting limit (None: it reads it whole)."""
    if html.count("<") <= MAX_NESTING:  # (fewer tags than the limit cannot nest that deep)
        return None
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        pass  # (an empty or unparseable document: trafilatura says it has no main text)
    for entry in parser.error_log:
        if "Excessive depth" in entry.message:
            return (f"HTML page nested deeper than {MAX_NESTING} elements, libxml2's limit (its elements are "
                    f"inside more than {MAX_NESTING} others): the parser stops there and the text below would "
                    "be lost; skipped (save the page's text as .txt, or remove the page's extra nesting)")
    return None


def is_html(name: str) -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml"))

