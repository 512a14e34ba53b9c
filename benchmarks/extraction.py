"""Article-extraction benchmark: how much of each page's article body a method keeps, and how much else.

Run (from the repository root):

    .venv/bin/python benchmarks/extraction.py                       # all methods, all pages
    .venv/bin/python benchmarks/extraction.py --only ours-txt --worst 15
    .venv/bin/python benchmarks/extraction.py --methods ours-txt,ours-html --pages 20 --json /tmp/scores.json
    .venv/bin/python benchmarks/extraction.py /path/to/article-extraction --txt-dir /tmp/extraction_txt

Data: the benchmark folder (default ``../shared/benchmarks/article-extraction`` from the
repository root) holds ``html/<id>.html.gz`` and ``ground-truth.json`` (id -> {articleBody, url}):
the development half (91 of 181 pages) of Scrapinghub's article-extraction-benchmark, MIT licence,
https://github.com/scrapinghub/article-extraction-benchmark (commit 4a3bc97).

Methods (``--methods`` keys; the table shows the names in brackets):

* ``full`` [full page (inscriptis)]: ``inscriptis.get_text`` of the whole page, default settings
  (the benchmark's full-page baseline);
* ``trafilatura`` [trafilatura]: ``trafilatura.extract(html)`` with its defaults (the benchmark
  itself passes ``include_comments=False``);
* ``readability`` [readability-lxml]: ``readability.Document(html).summary(html_partial=True)``, its
  text by ``inscriptis.get_text`` (the benchmark uses ``html_text``, which is not installed here);
* ``justext`` [jusText]: paragraphs that are not boilerplate, joined by spaces, with the benchmark's
  settings (length 50/200, stopwords 0.1/0.2, link density 0.2, heading distance 200, no headings)
  and the English stoplist on every page, as the benchmark does; ``--justext-stoplist page`` takes
  the stoplist of the page's ``<html lang>`` instead (English when absent or not in jusText);
* ``ours-html`` [ours .html]: the page saved as ``<id>.html`` in a temporary corpus folder and read by
  ``analysis.read_corpus(folder, manifest=False, errors="ignore")``; the body is ``docs.text``;
* ``ours-txt`` [ours .txt]: the page's visible text as a person copying it from a browser would get
  it, one block per line (:func:`visible_text`), saved as ``<id>.txt`` (in ``--txt-dir``, default
  ``/tmp/extraction_txt``, kept for inspection) and read by ``read_corpus`` the same way.

For the two ``ours`` methods all pages go through one ``read_corpus`` call; a page the loader
skipped scores as empty text (recall 0) and is listed with the problem the loader gave.

Scoring reproduces the benchmark's ``evaluate.py`` (written from its definition, not copied):
tokens are the runs of ``\\w`` characters (Unicode, case kept); a text's shingles are its runs of 4
consecutive tokens, counted as a multiset (a text of fewer than 4 tokens is one shingle of all its
tokens, an empty text has none); per page, true positives are the shingles in both texts (minimum of
the two counts), false positives the surplus in the extracted text, false negatives the surplus in
the truth, and the three are divided by their sum so that every page weighs the same. Precision is
averaged over the pages whose extraction has a shingle (tp + fp > 0), recall over the pages whose
truth has one (tp + fn > 0), and F1 is the harmonic mean of those two averages (not the mean of
per-page F1). Per-page F1 (for ``--worst``, the F1 < 0.5 count and ``--json``) is 2tp / (2tp + fp + fn).
The benchmark's bootstrap standard deviations and exact-match accuracy are not computed.

The table adds, per method: pages with F1 < 0.5; pages that lost 90 % or more of their body
(recall < 0.1); seconds of wall time. For the ``ours`` methods it then says, among the pages with
recall < 0.5, for how many the loader reported a problem (a ``corpus.problems`` row for the file):
a rule that removes most of a document should say so there.

Published F1 on all 181 pages (README of the benchmark): trafilatura 0.958, readability-lxml 0.922,
jusText 0.804, inscriptis 0.679. All methods on the 91 pages take about 10 seconds on 2 cores (``--jobs``).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
DEFAULT_TXT_DIR = Path("/tmp/extraction_txt")
SHINGLE = 4  # tokens per shingle, as evaluate.py
_TOKEN = re.compile(r"\w+")

METHODS = {  # --methods key -> name in the table
    "full": "full page (inscriptis)",
    "trafilatura": "trafilatura",
    "readability": "readability-lxml",
    "justext": "jusText",
    "ours-html": "ours .html",
    "ours-txt": "ours .txt",
}
LOADER_METHODS = {"ours-html": "html", "ours-txt": "txt"}  # method -> file extension given to read_corpus

# <html lang> primary subtag -> jusText stoplist, for --justext-stoplist page
_JUSTEXT_LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "tr": "Turkish", "id": "Indonesian",
    "sv": "Swedish", "da": "Danish", "cs": "Czech", "fi": "Finnish", "hu": "Hungarian", "ro": "Romanian",
}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------- scoring

def tokens(text: str | None) -> list[str]:
    """The text's tokens: runs of word characters (``\\w``, Unicode), case kept."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE) -> Counter:
    """Multiset of the text's runs of ``n`` consecutive tokens; fewer tokens: one shingle of them all."""
    toks = tokens(text)
    if len(toks) < n:
        return Counter([tuple(toks)] if toks else [])
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def page_counts(truth: str, extracted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) shingle counts of one page, as shares of their sum (all 0 if both texts are empty)."""
    true, pred = shingles(truth), shingles(extracted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    """Share of the extracted shingles that are in the truth (1 when both texts are empty)."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def recall(tp: float, fp: float, fn: float) -> float:
    """Share of the truth's shingles that were extracted (1 when both texts are empty)."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def page_f1(tp: float, fp: float, fn: float) -> float:
    """One page's F1 from its shingle counts (0 when nothing matches)."""
    if fp == fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def summary(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """Mean precision (pages with extracted shingles), mean recall (pages with true shingles), their F1."""
    p = statistics.mean([precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


# ---------------------------------------------------------------------------------------------- pages

@dataclass
class Page:
    """One benchmark page: its id, HTML (decoded as UTF-8, as the benchmark reads it) and true body."""

    id: str
    html: str
    truth: str
    url: str = ""


def load_pages(folder: Path, limit: int | None = None) -> list[Page]:
    """The benchmark's pages in id order, the first ``limit`` of them if given."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    pages = []
    for page_id in ids:
        with gzip.open(folder / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as f:
            html = f.read()
        pages.append(Page(page_id, html, truth[page_id].get("articleBody", ""), truth[page_id].get("url", "")))
    return pages


# ---------------------------------------------------------------------------------------------- visible text

_BLOCK_TAGS = ("section", "dl", "dt", "dd", "form", "fieldset", "legend", "details", "summary", "menu",
               "center", "hr", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th")
_HIDDEN_TAGS = ("noscript", "template", "iframe", "svg", "select", "datalist", "object", "video", "audio",
                "canvas", "dialog")
_TABLE_TAGS = ("table", "tr", "td", "th")


def _visible_text_config():
    """Inscriptis settings for browser-like visible text: Firefox's default block elements (the
    'strict' profile) plus section, dl/dt/dd, form, details, table rows and cells ... as blocks; no
    list bullets; tables not laid out as grids (each cell a block, as they read in a copied page);
    elements a browser does not render (noscript, template, iframe fallback, svg, select) hidden."""
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.html_properties import Display
    from inscriptis.model.config import ParserConfig
    from inscriptis.model.html_element import HtmlElement
    from inscriptis.model.tag import CustomHtmlTagHandlerMapping

    css = CSS_PROFILES["strict"].copy()
    for tag in _BLOCK_TAGS:
        css[tag] = HtmlElement(display=Display.block)
    for tag in _HIDDEN_TAGS:
        css[tag] = HtmlElement(display=Display.none)

    def no_bullet(state, _attributes):
        state.tags[-1].write("")

    def ignore_start(_state, _attributes):
        return None

    def ignore_end(_state):
        return None

    handlers = CustomHtmlTagHandlerMapping(
        start_tag_mapping={"li": no_bullet, **{tag: ignore_start for tag in _TABLE_TAGS}},
        end_tag_mapping={tag: ignore_end for tag in _TABLE_TAGS})
    return ParserConfig(css=css, display_links=False, display_images=False,
                        custom_html_tag_handler_mapping=handlers)


def visible_text(html: str) -> str:
    """The page's visible text, one block per line: what a person copying the whole page from a browser
    gets, without the document title. Scripts, styles, the head, elements with the ``hidden``
    attribute or an inline ``display: none`` are left out; lines are stripped and empty lines dropped.
    (Styles from CSS files and classes are not known, so text hidden by them is kept.)"""
    from inscriptis.html_engine import Inscriptis
    from lxml.etree import ParserError
    from lxml.html import document_fromstring

    html = re.sub(r"^\s*<\?xml [^>]*?\?>", "", html, count=1).strip()
    if not html:
        return ""
    try:
        tree = document_fromstring(html)
    except ParserError:
        return ""
    for element in tree.xpath("//*[@hidden]"):
        element.drop_tree()
    text = Inscriptis(tree, _visible_text_config()).get_text()
    return "\n".join(line for line in (raw.strip() for raw in text.splitlines()) if line)


# ---------------------------------------------------------------------------------------------- other methods

def full_page_text(html: str) -> str:
    """Inscriptis's text of the whole page, default settings."""
    from inscriptis import get_text
    return get_text(html)


def trafilatura_text(html: str) -> str:
    """``trafilatura.extract`` with its defaults ('' when it finds nothing)."""
    import trafilatura
    return trafilatura.extract(html) or ""


def readability_text(html: str) -> str:
    """The text (by inscriptis) of readability-lxml's summary of the page."""
    from inscriptis import get_text
    from readability import Document
    return get_text(Document(html).summary(html_partial=True))


def justext_stoplist(html: str, by_page: bool) -> str:
    """The jusText stoplist name: English, or with ``by_page`` the one of the page's ``<html lang>``."""
    if not by_page:
        return "English"
    found = _HTML_LANG.search(html)
    return _JUSTEXT_LANGUAGES.get(found.group(1).lower() if found else "en", "English")


def justext_text(html: str, by_page: bool = False) -> str:
    """jusText's non-boilerplate paragraphs joined by spaces, with the benchmark's settings."""
    import justext
    stoplist = justext.get_stoplist(justext_stoplist(html, by_page))
    paragraphs = justext.justext(html, stoplist, length_low=50, length_high=200, stopwords_low=0.1,
                                 stopwords_high=0.2, max_link_density=0.2, max_heading_distance=200,
                                 no_headings=True)
    return " ".join(p.text for p in paragraphs if not p.is_boilerplate)


def _page_method(job: tuple[str, str, bool]) -> str:
    """Worker: the text of one page by one per-page method (job: method key, html, jusText by page)."""
    method, html, by_page = job
    if method == "justext":
        return justext_text(html, by_page)
    return {"full": full_page_text, "trafilatura": trafilatura_text, "readability": readability_text,
            "ours-txt": visible_text}[method](html)


def per_page(method: str, pages: list[Page], pool: ProcessPoolExecutor | None, by_page: bool) -> list[str]:
    """The text of every page by a per-page method, in page order (in the pool if given)."""
    jobs = [(method, page.html, by_page) for page in pages]
    if pool is None:
        return [_page_method(job) for job in jobs]
    return list(pool.map(_page_method, jobs, chunksize=4))


# ---------------------------------------------------------------------------------------------- our loader

def write_corpus(folder: Path, pages: list[Page], ext: str, texts: list[str] | None) -> None:
    """Save each page as ``<id>.<ext>`` in ``folder``: its ``texts`` entry, or its HTML."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, page in enumerate(pages):
        (folder / f"{page.id}.{ext}").write_text(texts[i] if texts is not None else page.html, encoding="utf-8")


def loader_texts(folder: Path, pages: list[Page], ext: str) -> tuple[list[str], list[list[str]]]:
    """Per page, in page order: the body ``read_corpus`` gives for ``<id>.<ext>`` in ``folder`` ('' when
    skipped) and the problems it reported for that file ("severity problem: message")."""
    import analysis

    corpus = analysis.read_corpus(folder, manifest=False, errors="ignore")
    by_file = dict(zip(corpus.docs["file"].map(lambda f: Path(str(f)).name), corpus.docs["text"]))
    problems: dict[str, list[str]] = {}
    for row in corpus.problems.itertuples(index=False):
        problems.setdefault(Path(str(row.file)).name, []).append(f"{row.severity} {row.problem}: {row.message}")
    names = [f"{page.id}.{ext}" for page in pages]
    return [by_file.get(name) or "" for name in names], [problems.get(name, []) for name in names]


def loader_method(method: str, pages: list[Page], txt_dir: Path,
                  pool: ProcessPoolExecutor | None) -> tuple[list[str], list[list[str]]]:
    """Bodies and problems for ``ours-html`` (raw pages) or ``ours-txt`` (visible text, cached in
    ``txt_dir``), all pages read by one ``read_corpus`` call on a fresh folder."""
    ext = LOADER_METHODS[method]
    with tempfile.TemporaryDirectory(prefix=f"extraction_{ext}_") as tmp:
        folder = Path(tmp)
        if ext == "txt":
            texts = per_page("ours-txt", pages, pool, False)
            _refresh_cache(txt_dir, pages, texts)
            write_corpus(folder, pages, "txt", texts)
        else:
            write_corpus(folder, pages, "html", None)
        return loader_texts(folder, pages, ext)


def _refresh_cache(txt_dir: Path, pages: list[Page], texts: list[str]) -> None:
    """Write the visible texts to ``txt_dir`` as ``<id>.txt``, for inspection (overwriting earlier
    ones; other files there are left alone and never read: the loader reads a fresh copy)."""
    write_corpus(txt_dir, pages, "txt", texts)


# ---------------------------------------------------------------------------------------------- report

@dataclass
class Result:
    """One method's scores: per page (tp, fp, fn), loader problems, and wall seconds."""

    method: str
    counts: list[tuple[float, float, float]]
    problems: list[list[str]] = field(default_factory=list)
    seconds: float = 0.0

    def page_rows(self, pages: list[Page]) -> list[dict]:
        """Per page: id, precision, recall, F1, tp/fp/fn shares and loader problems."""
        rows = []
        for i, (page, c) in enumerate(zip(pages, self.counts)):
            rows.append({"id": page.id, "url": page.url, "precision": precision(*c), "recall": recall(*c),
                         "f1": page_f1(*c), "tp": c[0], "fp": c[1], "fn": c[2],
                         "problems": self.problems[i] if self.problems else []})
        return rows


def run_method(method: str, pages: list[Page], args, pool) -> Result:
    """Extract every page's body by ``method`` and score it against the truth."""
    start = time.perf_counter()
    problems: list[list[str]] = []
    if method in LOADER_METHODS:
        texts, problems = loader_method(method, pages, args.txt_dir, pool)
    else:
        texts = per_page(method, pages, pool, args.justext_stoplist == "page")
    seconds = time.perf_counter() - start
    counts = [page_counts(page.truth, text) for page, text in zip(pages, texts)]
    return Result(method, counts, problems, seconds)


def print_table(results: list[Result], pages: list[Page]) -> None:
    """The method table: mean precision, recall, F1 (as evaluate.py), failing pages, seconds."""
    print(f"{len(pages)} pages; precision/recall/F1 averaged as the benchmark's evaluate.py")
    print(f"{'method':<24} {'precision':>9} {'recall':>7} {'F1':>6} {'F1<0.5':>7} {'R<0.1':>6} {'seconds':>8}")
    for result in results:
        rows = result.page_rows(pages)
        s = summary(result.counts)
        low_f1 = sum(r["f1"] < 0.5 for r in rows)
        lost = sum(r["recall"] < 0.1 for r in rows)
        print(f"{METHODS[result.method]:<24} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>6.3f} "
              f"{low_f1:>7} {lost:>6} {result.seconds:>8.1f}")


def print_loader_notes(results: list[Result], pages: list[Page]) -> None:
    """For the ``ours`` methods: skipped pages, and problems reported among pages with recall < 0.5."""
    for result in results:
        if result.method not in LOADER_METHODS:
            continue
        rows = result.page_rows(pages)
        skipped = [r for r in rows if any(p.startswith("skipped") for p in r["problems"])]
        low = [r for r in rows if r["recall"] < 0.5]
        flagged = [r for r in low if r["problems"]]
        kinds = Counter(p.split(":", 1)[0] for r in flagged for p in r["problems"])
        print(f"\n{METHODS[result.method]}: {len(low)} pages with recall < 0.5, the loader reported a problem "
              f"for {len(flagged)}" + (f" ({', '.join(f'{k} x{n}' for k, n in kinds.most_common())})" if kinds else ""))
        for r in skipped:
            print(f"  skipped {r['id']}: {'; '.join(r['problems'])}")
        silent = [r["id"][:16] for r in low if not r["problems"]]
        if silent:
            print(f"  recall < 0.5 without a problem row: {' '.join(silent)}")


def print_worst(result: Result, pages: list[Page], k: int, txt_dir: Path) -> None:
    """The ``k`` pages with the lowest F1 for one method, with their scores and loader problems."""
    rows = sorted(result.page_rows(pages), key=lambda r: (r["f1"], r["recall"]))[:k]
    where = f" (texts in {txt_dir})" if result.method == "ours-txt" else ""
    print(f"\n{k} worst pages for {METHODS[result.method]}{where}:")
    print(f"{'id':<16} {'F1':>5} {'P':>5} {'R':>5}  problems / url")
    for r in rows:
        note = "; ".join(r["problems"]) or r["url"]
        print(f"{r['id'][:16]:<16} {r['f1']:>5.2f} {r['precision']:>5.2f} {r['recall']:>5.2f}  {note}")


def write_json(path: Path, results: list[Result], pages: list[Page]) -> None:
    """Per method: the summary and every page's scores and problems."""
    out = {METHODS[r.method]: {"summary": summary(r.counts), "seconds": r.seconds,
                               "pages": r.page_rows(pages)} for r in results}
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------------------------------------- main

def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--methods", "--only", default=",".join(METHODS),
                        help=f"comma-separated subset of: {', '.join(METHODS)}")
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages (by id)")
    parser.add_argument("--worst", type=int, default=0, help="print the K worst pages (by page F1)")
    parser.add_argument("--worst-for", default="ours-txt",
                        help="methods whose worst pages --worst prints (comma-separated; default ours-txt)")
    parser.add_argument("--json", type=Path, default=None, help="write per-page scores to this file")
    parser.add_argument("--txt-dir", type=Path, default=DEFAULT_TXT_DIR,
                        help="where the ours-txt visible texts are written (default /tmp/extraction_txt)")
    parser.add_argument("--justext-stoplist", choices=("english", "page"), default="english",
                        help="jusText stoplist: English for every page (as the benchmark) or the page's <html lang>")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the per-page methods (1: none)")
    args = parser.parse_args(argv)
    args.methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    args.worst_for = [m.strip() for m in args.worst_for.split(",") if m.strip()]
    unknown = sorted(set(args.methods + args.worst_for) - set(METHODS))
    if unknown:
        parser.error(f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(METHODS)}")
    return args


def main(argv=None) -> list[Result]:
    args = parse_args(argv)
    pages = load_pages(args.folder, args.pages)
    pool = ProcessPoolExecutor(args.jobs) if args.jobs > 1 else None
    try:
        results = [run_method(method, pages, args, pool) for method in args.methods]
    finally:
        if pool is not None:
            pool.shutdown()
    print_table(results, pages)
    print_loader_notes(results, pages)
    if args.worst:
        for result in results:
            if result.method in args.worst_for:
                print_worst(result, pages, args.worst, args.txt_dir)
    if args.json:
        write_json(args.json, results, pages)
        print(f"\nper-page scores: {args.json}")
    return results


if __name__ == "__main__":
    main()
