"""Main text and metadata of saved HTML pages, through trafilatura.

trafilatura drops navigation, footers, scripts and other page furniture before
the line rules in :mod:`analysis.cleaning` run; what it dropped is not itemised
in the audit table (the raw HTML is kept in the ``raw`` column).
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


def is_html(name: str) -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml"))

