"""Helpers the report notebooks share: grouping documents, choosing a group, naming files, showing tables.

A report compares *groups* of documents: outlets (the ``source`` column) by
default, or the values of any other document column such as ``side`` or
``source_country`` from a manifest (``group_by``). :func:`regroup` writes the
group of each document into the ``source`` column of the corpus's documents,
sentences and tokens, so every measure that compares outlets compares those
groups instead; documents without a value form the group "(unknown <column>)"
("(unknown source)" for outlets), never a missing value.

:func:`open_report` is what each notebook calls first: it loads the corpus,
groups it, selects the documents of one group (or all), sets pandas' display
options so that no table is ever elided with "...", and returns a
:class:`Report` that names, saves and shows the notebook's tables and figures.
Tables are always written to CSV in full; a notebook shows at most ``top_n``
rows of a long table and at most :data:`MAX_COLUMNS` columns of a wide one,
with a sentence saying where the full table is.
"""
from __future__ import annotations

import dataclasses
import hashlib
import html
import os
import re
from pathlib import Path

import pandas as pd

ALL_SOURCES = "all"
DEFAULT_GROUP = "source"
MAX_COLUMNS = 12        # columns a notebook shows of a wide table
MAX_PANELS = 8          # panels of a small-multiples figure (the groups with the most words): plotting.MAX_PANELS
MAX_FIGURES = 8         # figures one notebook run may write
SLUG_LENGTH = 80        # characters of a slug at most (its hash included)

# document columns that describe a document, not a group of documents
NOT_GROUPABLE = ("doc_id", "file", "title", "subtitle", "date", "url", "dateline", "text", "raw", "encoding",
                 "n_paragraphs", "n_sentences", "n_tokens", "n_words", "n_lines_removed", "duplicate_of",
                 "volume", "issue", "part", "outlet")
# how a grouping column reads in a sentence: (one, several)
GROUP_WORDS = {"source": ("outlet", "outlets"), "source_country": ("country", "countries"),
               "source_type": ("outlet type", "outlet types"), "side": ("side", "sides"),
               "language": ("language", "languages"), "author": ("author", "authors"),
               "section": ("section", "sections"), "publication": ("publication", "publications")}


# ---------------------------------------------------------------- groups

def unknown_label(group_by: str = DEFAULT_GROUP) -> str:
    """The group of documents without a value: "(unknown source)", "(unknown side)", ..."""
    return f"(unknown {group_by})"


def group_words(group_by: str = DEFAULT_GROUP) -> tuple[str, str]:
    """How one group and several groups are called in the reports' sentences ("outlet", "outlets")."""
    if group_by in GROUP_WORDS:
        return GROUP_WORDS[group_by]
    one = group_by.replace("_", " ")
    return one, (one[:-1] + "ies" if one.endswith("y") and one[-2:-1] not in "aeiou" else one + "s")


def group_columns(docs: pd.DataFrame) -> list[str]:
    """The document columns a report can be grouped by (every metadata column but ids, texts and counts)."""
    return [c for c in docs.columns if c not in NOT_GROUPABLE]


def check_group(docs: pd.DataFrame, group_by: str) -> None:
    """Raise ValueError naming the valid columns when ``group_by`` is not one of them."""
    valid = group_columns(docs)
    if group_by not in valid:
        raise ValueError(f"cannot group by {group_by!r}: the documents have no such column to group by; "
                         f"valid columns: {', '.join(valid)}")


def group_values(docs: pd.DataFrame, group_by: str = DEFAULT_GROUP) -> pd.Series:
    """Each document's group as text: missing, NaN, None and blank values become "(unknown <column>)"."""
    unknown = unknown_label(group_by)
    if group_by not in docs.columns:
        return pd.Series(unknown, index=docs.index, dtype=object)

    def label(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return unknown
        text = str(value).strip()
        return text or unknown

    return docs[group_by].astype(object).map(label).astype(object)


def known_sources(docs: pd.DataFrame, group_by: str = DEFAULT_GROUP) -> list[str]:
    """The corpus's groups (outlets by default), sorted; documents without one are "(unknown <column>)"."""
    return sorted(set(group_values(docs, group_by)))


def regroup(corpus, group_by: str = DEFAULT_GROUP):
    """The corpus with each document's group in the ``source`` column of docs, sentences and tokens.

    For ``group_by="source"`` only missing outlets change (to "(unknown source)").
    For another column the outlet is kept in a new ``outlet`` column of the
    documents. Raises ValueError naming the valid columns for an unknown one.
    """
    docs = corpus.docs
    check_group(docs, group_by)
    labels = group_values(docs, group_by)
    extra = {} if group_by == DEFAULT_GROUP else {"outlet": group_values(docs, DEFAULT_GROUP)}
    same = group_by == DEFAULT_GROUP and docs["source"].astype(object).equals(labels)
    if same:
        return corpus
    new_docs = docs.assign(**extra, source=labels.to_numpy())
    of_doc = pd.Series(labels.to_numpy(), index=docs["doc_id"].to_numpy())
    of_doc = of_doc[~of_doc.index.duplicated()]

    def relabel(table: pd.DataFrame) -> pd.DataFrame:
        if table is None or "source" not in table.columns:
            return table
        return table.assign(source=table["doc_id"].map(of_doc).fillna(unknown_label(group_by)).astype(object))

    return dataclasses.replace(corpus, docs=new_docs, sentences=relabel(corpus.sentences),
                               tokens=relabel(corpus.tokens))


def select_source(docs: pd.DataFrame, source: str, group_by: str = DEFAULT_GROUP) -> pd.DataFrame:
    """The documents of one group (``source``), or all of them for ``"all"``.

    Raises ValueError naming the known groups when ``source`` is not one of them, or is empty. ``source``
    is only ever compared with the groups (data, never code); a number (``papermill -p source 1984``) is
    taken as its text.
    """
    if source == ALL_SOURCES:
        return docs
    values = group_values(docs, group_by)
    groups = sorted(set(values))
    if source is None or not str(source).strip():
        raise ValueError(f"no {group_by} given (source={source!r}); the corpus has: {', '.join(groups)} (or 'all')")
    source = str(source)
    if source not in groups:
        raise ValueError(f"unknown {group_by} {source!r}; the corpus has: {', '.join(groups)} (or 'all')")
    return docs[(values == source).to_numpy()].reset_index(drop=True)


def check_choice(parameter: str, value, valid, *, empty: bool = False) -> None:
    """Raise ValueError naming the valid values when a notebook parameter is not one of them (``empty``: ""
    is allowed, it means the default). The value is only compared (data, never code)."""
    valid = [str(v) for v in valid]
    if empty and (value is None or str(value) == ""):
        return
    if value is None or str(value) not in valid:
        raise ValueError(f"{'no' if value is None or not str(value).strip() else 'unknown'} {parameter} "
                         f"{value!r}; valid values: {', '.join(valid)}" + (" (or '' for the default)" if empty else ""))


def top_groups(docs: pd.DataFrame, n: int = MAX_PANELS, *, among=None) -> list[str]:
    """The ``n`` groups (``source`` column) with the most words, ties by name; only those in ``among`` if given."""
    words = docs.groupby("source", sort=True)["n_words"].sum()
    if among is not None:
        words = words[words.index.isin([str(a) for a in among])]
    ranked = sorted(words.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [str(g) for g, _ in ranked[:n]]


# ---------------------------------------------------------------- views the notebooks show

DOCUMENT_COLUMNS = ["doc_id", "source", "outlet", "source_country", "source_type", "date", "author", "title",
                    "n_paragraphs", "n_sentences", "n_words"]


def document_table(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per document: its group, outlet (when grouped by another column), metadata and size."""
    return docs[[c for c in DOCUMENT_COLUMNS if c in docs.columns]]


def provenance_overview(provenance: pd.DataFrame, max_docs: int = MAX_COLUMNS) -> pd.DataFrame:
    """Where each metadata field comes from: field x doc_id for up to ``max_docs`` documents, else
    field x provenance (how many documents have each kind), which reads the same for any number."""
    if provenance.empty:
        return pd.DataFrame(columns=["field"])
    if provenance["doc_id"].nunique() <= max_docs:
        table = provenance.pivot(index="field", columns="doc_id", values="provenance").fillna("")
    else:
        table = (provenance.groupby(["field", "provenance"]).size().unstack(fill_value=0)
                 .reindex(columns=[c for c in ("text", "manifest", "inferred", "unknown")
                                   if c in set(provenance["provenance"])]))
        table.columns = [f"documents: {c}" for c in table.columns]
    order = list(dict.fromkeys(provenance["field"]))
    return table.reindex(order).reset_index().rename_axis(columns=None)


def keyness_view(keyness: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Keyness to read: one target's ``n`` most over-used terms with their statistics; for several
    targets one row each, its ``n`` most over- and under-used terms (a readable table for any number)."""
    if keyness.empty:
        return keyness
    if keyness["target"].nunique() == 1:
        return keyness[keyness["g2"] > 0].head(n)[["target", "term", "target_count", "reference_count", "g2",
                                                  "log_ratio", "p_adjusted"]].reset_index(drop=True)
    rows = []
    for target, part in keyness.groupby("target", sort=True):
        over = part[part["g2"] > 0].head(n)
        under = part[part["g2"] < 0].sort_values("g2").head(n)
        rows.append({"target": target, "target_words": int(part["target_total"].iloc[0]),
                     "over_used": ", ".join(f"{t}{'*' if p < 0.05 else ''}" for t, p in
                                            zip(over["term"], over["p_adjusted"])),
                     "under_used": ", ".join(f"{t}{'*' if p < 0.05 else ''}" for t, p in
                                             zip(under["term"], under["p_adjusted"]))})
    return pd.DataFrame(rows).sort_values(["target_words", "target"], ascending=[False, True]).reset_index(drop=True)


def wide_table(table: pd.DataFrame, index: list[str], values: str, groups: list[str],
               column: str = "source") -> pd.DataFrame:
    """``values`` with one column per group of ``groups`` (in that order), 0 where a group has none."""
    if table.empty:
        return pd.DataFrame(columns=index)
    wide = table.pivot_table(index=index, columns=column, values=values, aggfunc="sum", fill_value=0)
    return wide.reindex(columns=[g for g in groups], fill_value=0).reset_index().rename_axis(columns=None)


def doc_colors(docs: pd.DataFrame, colors: dict[str, str]) -> dict[str, str]:
    """Each document's colour: that of its group (``source`` column)."""
    from .plotting import color_of
    return {str(d): color_of(colors, s) for d, s in zip(docs["doc_id"], docs["source"])}


# ---------------------------------------------------------------- file names

def report_name(notebook: str, source: str, group_by: str = DEFAULT_GROUP) -> str:
    """The prefix of every file one run writes: ``04_framing__Caliber.az``, ``04_framing__side__armenian``."""
    if group_by == DEFAULT_GROUP:
        return f"{notebook}__{slug(source)}"
    return f"{notebook}__{slug(group_by)}__{slug(source)}"


def slug(name: str) -> str:
    """A file-name-safe version of ``name`` that can never leave its folder.

    Letters, digits, dot, dash and underscore are kept and spaces become
    underscores; anything else (markup, slashes, newlines...) becomes a dash,
    runs of dots become one, leading and trailing dots and dashes are dropped
    (no hidden files, no "..", no option-like names). A name that had to change, or that is longer than
    :data:`SLUG_LENGTH`, is cut and then gets a short hash of the *whole* name:
    two names that differ only in punctuation, or only after the cut, stay
    apart. At most :data:`SLUG_LENGTH` characters.
    """
    name = str(name)
    spaced = name.replace(" ", "_")
    cleaned = re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9._-]+", "-", spaced)).strip("-.") or "source"
    if cleaned != spaced or len(cleaned) > SLUG_LENGTH:
        digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
        cleaned = f"{cleaned[:SLUG_LENGTH - 7].rstrip('-.') or 'source'}-{digest}"
    return cleaned


def inside(folder: str | Path, name: str) -> Path:
    """``folder / name``, refusing any path that would resolve outside ``folder``."""
    folder = Path(folder).resolve()
    path = (folder / name).resolve()
    if folder != path and folder not in path.parents:
        raise ValueError(f"refusing to write {name!r} outside {folder}")
    return path


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell and column name that a spreadsheet would read as a formula (starting
    with ``=``, ``+``, ``-``, ``@``, tab or CR) prefixed with an apostrophe (:func:`analysis.framing.validation.neutralise`,
    as OWASP advises against CSV injection). Numbers, dates and missing values are left as they are (a
    negative number is a number, not text); the table is returned unchanged when nothing needs it."""
    from ..framing.validation import neutralise

    def text_cell(value):
        return neutralise(value) if isinstance(value, str) else value

    columns = {}
    for i in range(table.shape[1]):
        values = table.iloc[:, i]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        cells = values.tolist()
        safe = [text_cell(v) for v in cells]
        if any(new is not old for new, old in zip(safe, cells)):
            columns[i] = pd.Series(safe, index=values.index, dtype=object)
    names = [tuple(map(text_cell, c)) if isinstance(c, tuple) else text_cell(c) for c in table.columns]
    if not columns and names == list(table.columns):
        return table
    safe = table.copy()
    for i, values in columns.items():
        safe.isetitem(i, values)
    safe.columns = pd.MultiIndex.from_tuples(names, names=table.columns.names) \
        if isinstance(table.columns, pd.MultiIndex) else pd.Index(names, dtype=object, name=table.columns.name)
    return safe


def _has_carriage_return(table: pd.DataFrame) -> bool:
    names = [c for column in table.columns for c in (column if isinstance(column, tuple) else (column,))]
    if any(isinstance(c, str) and "\r" in c for c in names):
        return True
    for i in range(table.shape[1]):
        values = table.iloc[:, i]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        if any(isinstance(v, str) and "\r" in v for v in values.tolist()):
            return True
    return False


def save_table(table: pd.DataFrame, name: str, folder: str | Path) -> Path:
    """Write ``table`` as ``folder/name.csv`` (UTF-8, ``\\n`` line ends, no index), atomically.

    Text cells that a spreadsheet would run as a formula get a leading apostrophe (:func:`spreadsheet_safe`).
    A table with a carriage return in a text cell is written with every cell quoted: Python's CSV writer
    leaves a lone CR unquoted, and a spreadsheet (or pandas) would start a new row there, whose first cell
    could be a formula.
    """
    import csv
    path = inside(folder, f"{name}.csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    safe = spreadsheet_safe(table)
    quoting = csv.QUOTE_ALL if _has_carriage_return(safe) else csv.QUOTE_MINIMAL
    safe.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8", quoting=quoting)
    os.replace(tmp, path)
    return path


# ---------------------------------------------------------------- showing tables

def display_options() -> None:
    """pandas options under which a displayed table is never elided ("...") in rows, columns or cell text.

    Notebooks show short tables (:func:`readable`); the full ones are in the CSV files.
    """
    pd.set_option("display.max_rows", None)
    pd.set_option("display.max_columns", None)
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.width", None)
    pd.set_option("display.max_seq_items", None)
    # tables' HTML escapes every cell (pandas' default, never turned off here); a "$...$" in a title or a
    # term is text, not a formula for MathJax
    pd.set_option("display.html.use_mathjax", False)


def readable(table: pd.DataFrame, rows: int, columns: int = MAX_COLUMNS) -> tuple[pd.DataFrame, str]:
    """At most ``rows`` rows and ``columns`` columns of ``table``, and a sentence saying what was left out ("")."""
    left_out = []
    shown = table
    if len(table) > rows:
        shown = shown.head(rows)
        left_out.append(f"the first {rows} of {len(table):,} rows")
    if shown.shape[1] > columns:
        shown = shown.iloc[:, :columns]
        left_out.append(f"the first {columns} of {table.shape[1]} columns")
    return shown, (f"Showing {' and '.join(left_out)}" if left_out else "")


@dataclasses.dataclass
class Report:
    """One notebook run: its corpus (grouped), its documents, and where its tables and figures go."""

    notebook: str
    source: str
    group_by: str
    corpus: object
    docs: pd.DataFrame
    output_dir: str
    figures_dir: str
    top_n: int = 15
    figures: int = 0

    @property
    def name(self) -> str:
        """Prefix of every figure and table this run writes."""
        return report_name(self.notebook, self.source, self.group_by)

    @property
    def groups(self) -> list[str]:
        """Every group of the whole corpus (sorted)."""
        return known_sources(self.corpus.docs)

    @property
    def selected_groups(self) -> list[str]:
        return known_sources(self.docs)

    @property
    def colors(self) -> dict[str, str]:
        """One colour per group of the whole corpus: the same in every report."""
        from .plotting import source_colors
        return source_colors(self.groups)

    @property
    def one(self) -> str:
        return group_words(self.group_by)[0]

    @property
    def many(self) -> str:
        return group_words(self.group_by)[1]

    def count(self, n: int) -> str:
        """"1 outlet", "30 outlets", "4 sides" (Markdown-escaped: the words may come from a column name)."""
        return f"{n} {escape_markdown(self.one if n == 1 else self.many)}"

    def summary(self) -> str:
        """One sentence on what this report covers."""
        docs, groups = self.docs, self.selected_groups
        unknown = unknown_label(self.group_by)
        listed = ", ".join(map(escape_markdown, groups)) if len(groups) <= MAX_COLUMNS else \
            ", ".join(map(escape_markdown, groups[:MAX_COLUMNS])) + f" and {len(groups) - MAX_COLUMNS} more"
        text = (f"{len(docs)} document{'s' if len(docs) != 1 else ''} from {self.count(len(groups))}: {listed}.")
        n_unknown = int((docs["source"] == unknown).sum())
        if n_unknown:
            text += (f" {n_unknown} document{'s' if n_unknown != 1 else ''} name no {self.one} and are grouped as "
                     f"{escape_markdown(unknown)}.")
        if self.group_by != DEFAULT_GROUP:
            text += (f" Grouped by the documents' {markdown_code(self.group_by)} column: each "
                     f"{escape_markdown(self.one)} plays the role of an outlet.")
        return text

    def intro(self) -> None:
        _markdown(self.summary())

    # ------------------------------------------------------------ output

    def public(self, table: pd.DataFrame) -> pd.DataFrame:
        """The table as written and shown: its ``source`` column named after the grouping column."""
        if self.group_by != DEFAULT_GROUP and "source" in table.columns and self.group_by not in table.columns:
            return table.rename(columns={"source": self.group_by})
        return table

    def save(self, table: pd.DataFrame, what: str) -> Path:
        """Write the full table as ``<name>__<what>.csv`` in the tables folder."""
        return save_table(self.public(table), f"{self.name}__{what}", self.output_dir)

    def table_file(self, what: str) -> str:
        return f"{Path(self.output_dir).name}/{self.name}__{what}.csv"

    def show(self, table: pd.DataFrame | None, what: str | None = None, *, full: str | None = None,
             rows: int | None = None, empty: str = "No rows."):
        """Save ``table`` in full as ``what`` (if given), and return a readable part of it to display.

        At most ``rows`` (default ``top_n``) rows and :data:`MAX_COLUMNS` columns
        are shown, with a sentence naming the CSV file that has them all (``what``,
        or ``full``: a table saved earlier that holds these rows); an empty table
        shows the sentence ``empty`` instead.
        """
        if table is not None and what:
            self.save(table, what)
        if table is None or len(table) == 0:
            _markdown(f"*{empty}*")
            return None
        shown, note = readable(self.public(table), rows or self.top_n)
        if note:
            where = what or full
            _markdown(f"*{note}" + (f"; the full table is `{self.table_file(where)}`" if where else "") + ".*")
        return shown

    def figure(self, fig, what: str, *, note: str = "") -> None:
        """Save and show a figure as ``<name>__<what>``; ``None`` (nothing to plot) shows ``note`` instead."""
        from .plotting import save_figure
        if fig is None:
            _markdown(f"*{note or 'Nothing to plot.'}*")
            return
        if self.figures >= MAX_FIGURES:
            import matplotlib.pyplot as plt
            plt.close(fig)
            _markdown(f"*Figure {escape_markdown(repr(what))} not drawn: this report already has {MAX_FIGURES} "
                      "figures.*")
            return
        self.figures += 1
        save_figure(fig, f"{self.name}__{what}", self.figures_dir)

    def panels(self, table: pd.DataFrame | None = None, n: int = MAX_PANELS) -> list[str]:
        """The groups a figure shows, sorted by name: all selected ones when they fit, else the ``n`` with the
        most words (only those with rows in ``table`` when given)."""
        among = None if table is None or "source" not in table.columns else set(table["source"].astype(str))
        return sorted(top_groups(self.docs, n, among=among))

    def panel_note(self, shown, what: str, total: int | None = None, *, ranked_by: str | None = "words",
                   words: tuple[str, str] | None = None, lead: str = "The figure shows") -> None:
        """Say that a figure (or section: ``lead``) leaves rows out, which it kept, and where they all are.

        ``shown``: the groups shown (or how many); ``total``: how many there are
        (default: this report's groups); ``ranked_by``: what the kept ones have
        most of (``None``: the first ones of the table); ``words``: what is
        counted, (one, several), default this report's groups ("outlet", "outlets").
        """
        total = len(self.selected_groups) if total is None else int(total)
        n = shown if isinstance(shown, int) else len(shown)
        if n >= total:
            return
        one, many = words or (self.one, self.many)
        one, many = escape_markdown(one), escape_markdown(many)
        kept = f"the {n} {one if n == 1 else many} with the most {escape_markdown(ranked_by)}" if ranked_by else \
            f"the first {n} {one if n == 1 else many}"
        _markdown(f"*{escape_markdown(lead)} {kept} of {total}; all {total} are in `{self.table_file(what)}`.*")


def reuse_heading(pair) -> str:
    """The HTML heading of one re-use pair: "001 (Jamestown Foundation) → 000 (PanARMENIAN.Net)", escaped."""
    from html import escape
    return (f"<h3>{escape(str(pair.source_doc))} ({escape(str(pair.source))}) &rarr; "
            f"{escape(str(pair.derivative_doc))} ({escape(str(pair.derivative_source))})</h3>")


def open_report(notebook: str, *, source: str = ALL_SOURCES, group_by: str = DEFAULT_GROUP,
                corpus_dir: str | Path = "../seeds", output_dir: str | Path = "../reports/tables",
                figures_dir: str | Path = "../figures", top_n: int = 15, corpus=None) -> Report:
    """Load and group the corpus, select ``source`` (a group, or "all"), apply the report style.

    An unknown group or grouping column stops here with the list of valid ones.
    """
    import warnings

    from ..corpus.loading import read_corpus
    from ..errors import CorpusWarning
    from .plotting import use_style

    use_style()
    display_options()
    if corpus is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CorpusWarning)   # the overview notebook lists the problems
            corpus = read_corpus(corpus_dir)
    group_by = group_by or DEFAULT_GROUP
    corpus = regroup(corpus, group_by)
    docs = select_source(corpus.docs, source, group_by)
    return Report(notebook, source, group_by, corpus, docs, str(output_dir), str(figures_dir), int(top_n))


def markdown(text: str) -> None:
    """Show ``text`` as Markdown in a notebook (printed elsewhere). Corpus strings and parameters in it must be
    escaped (:func:`escape_markdown`)."""
    _markdown(text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")      # special anywhere in a line
_MARKDOWN_LEADING = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")  # special at the start of a line only


def escape_markdown(text) -> str:
    """``text`` (a title, a source name, a parameter...) as literal text inside Markdown.

    HTML-escaped, so markup (``<script>``, ``<img onerror=...>``) shows as text and never runs; the
    punctuation that Markdown or MathJax would read (``\\ ` * _ [ ] | ~ $``, and a leading ``#``, ``+``,
    ``-``, ``=`` or ``1.``) backslash-escaped, so nothing is emphasised, linked, quoted as code or typeset;
    line breaks become spaces (a name cannot start a heading, a list or a table). Plain names read as before:
    "Caliber.az" stays "Caliber.az".
    """
    text = re.sub(r"[\r\n\t\v\f\u2028\u2029\x85]+", " ", str(text))
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return _MARKDOWN_LEADING.sub(lambda m: m.group(1) + (m.group(2)[:-1] + "\\" + m.group(2)[-1]
                                                         if m.group(2)[0].isdigit() else "\\" + m.group(2)), text)


def markdown_code(text) -> str:
    """``text`` as inline code in Markdown (`` `side` ``), or escaped text when it holds a backtick."""
    text = re.sub(r"[\r\n\t\v\f\u2028\u2029\x85]+", " ", str(text))
    return f"`{text}`" if "`" not in text and text.strip() == text and text else escape_markdown(text)


def _markdown(text: str) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:   # pragma: no cover
        print(text)
        return
    if get_ipython() is None:
        print(text)
    else:
        display(Markdown(text))
