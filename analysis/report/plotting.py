"""Publication figures: one pinned style, one colour per source everywhere, byte-identical files.

Colours come from the Okabe-Ito palette (safe for the common colour-vision
deficiencies) for up to eight groups, and from a fixed larger palette beyond
that; they are assigned to sources in sorted order of the *whole* corpus, so an
outlet keeps its colour in every figure, whichever sources a figure shows. A
group "(unknown ...)" is always grey. Sizes fit a journal column (3.5 in) or a
full page width (7.2 in); figures with many groups grow up to a bound and then
show the groups the caller chose (see :mod:`analysis.report.reporting`), in a grid of
at most two columns. Every chart function returns ``None`` when there is
nothing to plot.

Files: a 300 dpi PNG and an SVG per figure (publication); the notebook shows
a 150 dpi, 128-colour copy of the PNG, so report pages stay small.

Every text drawn (labels, titles, tick labels, legends) is literal: a "$" in an
outlet's name or a term is a dollar sign, never mathtext or LaTeX, whatever the
caller's matplotlib style (:data:`LITERAL_TEXT`).
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

CONVENTION_COLORS = {  # naming conventions: a separate, fixed encoding (not the source colours)
    "armenian": "#D55E00", "azerbaijani": "#0072B2", "russian": "#CC79A7", "international": "#999999",
    "distancing": "#E69F00",
}
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
# beyond eight groups: Paul Tol's muted and light schemes (colour-blind aware), then Okabe-Ito and Tol's
# dark variants; past these 32 colours, evenly spaced hues (a fixed rule, so still stable)
LARGE_PALETTE = [
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
    "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#BBCC33", "#AAAA00", "#0072B2", "#E69F00",
    "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442", "#004488", "#DDAA33", "#BB5566",
    "#225555", "#663333", "#555599", "#997700", "#6699CC"]
UNKNOWN_COLOR = "#A0A0A0"   # "(unknown source)", "(unknown side)", ...
OTHER_COLOR = "#C8C8C8"     # groups a figure does not single out
DISPLAY_DPI = 150           # resolution of the copy shown in notebooks and HTML pages
COLUMN_WIDTH = 3.5   # inches
PAGE_WIDTH = 7.2     # inches

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.5,
    "figure.dpi": 110,
    "savefig.dpi": 300,
    "figure.constrained_layout.use": True,  # exact figure sizes (column / page width), one layout pass
    "svg.hashsalt": "conflict-framing",  # fixed ids inside SVG files
    "svg.fonttype": "none",              # text stays text in SVG
    "path.simplify": True,
    # every label, title, tick label and legend entry is literal text: a "$" in an outlet's name or a term
    # is a dollar sign, never mathtext (which would fail on "$x^^$") or LaTeX
    "text.parse_math": False,
    "text.usetex": False,
}
LITERAL_TEXT = {"text.parse_math": False, "text.usetex": False}


def _literal_text(chart):
    """Draw ``chart`` with :data:`LITERAL_TEXT` whatever the caller's style: no text it creates is mathtext."""
    @functools.wraps(chart)
    def draw(*args, **kwargs):
        with plt.rc_context(LITERAL_TEXT):
            return chart(*args, **kwargs)
    return draw


def use_style() -> None:
    """Apply the report style to matplotlib (idempotent)."""
    plt.rcParams.update(STYLE)


def source_colors(sources) -> dict[str, str]:
    """A colour for each source, stable for a given set of sources (sorted order).

    Up to eight named groups: Okabe-Ito; more: :data:`LARGE_PALETTE`, then
    evenly spaced hues. Groups named "(unknown ...)" are grey and take no
    palette colour. Every colour is distinct.
    """
    names = sorted({str(s) for s in sources if s is not None and not (isinstance(s, float) and np.isnan(s))})
    unknown = [n for n in names if n.startswith("(unknown")]
    named = [n for n in names if n not in unknown]
    if len(named) <= len(OKABE_ITO):
        palette = OKABE_ITO
    elif len(named) <= len(LARGE_PALETTE):
        palette = LARGE_PALETTE
    else:
        palette = LARGE_PALETTE + _spaced_hues(len(named) - len(LARGE_PALETTE))
    return {**dict(zip(named, palette)), **{n: UNKNOWN_COLOR for n in unknown}}


def _spaced_hues(n: int) -> list[str]:
    """``n`` colours of evenly spaced hue, alternating two lightness levels (deterministic)."""
    import colorsys
    colours = []
    for i in range(n):
        r, g, b = colorsys.hls_to_rgb((i * 0.618033988749895) % 1.0, 0.42 if i % 2 else 0.62, 0.65)
        colours.append(f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}")
    return colours


def color_of(colors: dict[str, str] | None, name) -> str:
    """The colour of group ``name`` (any type); the first palette colour for a group without one."""
    return (colors or {}).get(str(name), OKABE_ITO[0])


def save_figure(fig, name: str, folder: str | Path, *, show: bool = True) -> None:
    """Write ``fig`` as ``folder/name.png`` (300 dpi) and ``folder/name.svg`` with no timestamps, then close it.

    Files are written to a temporary name and then moved into place, so a
    reader never sees half a file. In a notebook (``show``), a reduced copy of
    the saved PNG is displayed (:data:`DISPLAY_DPI`, 128 colours: about a
    seventh of the bytes): the figure is drawn once per format, not again inline.
    ``fig=None`` (nothing to plot) writes nothing.
    """
    if fig is None:
        return
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = folder / f"{name}.{ext}"
        tmp = folder / f".{name}.{ext}.tmp"
        with plt.rc_context(LITERAL_TEXT):   # tick labels made while drawing are literal text too
            fig.savefig(tmp, format=ext, metadata=metadata)
        os.replace(tmp, path)
        paths.append(path)
        fig.set_layout_engine("none")  # the layout is done: the SVG reuses it instead of computing it again
    width = int(fig.get_figwidth() * 110)
    plt.close(fig)
    if show and _in_notebook():
        from IPython.display import Image, display
        display(Image(data=display_png(paths[0]), format="png", width=width))


def display_png(path: str | Path) -> bytes:
    """The PNG at ``path`` reduced from the saved 300 dpi to :data:`DISPLAY_DPI` and to 128 colours."""
    import io

    from PIL import Image
    with Image.open(path) as image:
        factor = max(int(round(STYLE["savefig.dpi"] / DISPLAY_DPI)), 1)
        reduced = image.convert("RGB").reduce(factor) if factor > 1 else image.convert("RGB")
    small = reduced.quantize(128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, format="png")
    return buffer.getvalue()


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


MAX_PANELS = 8         # panels in one small-multiples figure (two columns, at most four rows)
MAX_ROWS = 30          # bars, intervals, documents or heatmap rows in one figure
MAX_HEIGHT = 10.5      # inches: no figure is taller than a page; panels then show fewer bars each
HEATMAP_COLUMNS = 12   # a heatmap with more columns is turned (the groups as rows)


def _empty(table) -> bool:
    return table is None or len(table) == 0


@_literal_text
def bar_chart(table: pd.DataFrame, label: str, value: str, *, xlabel: str, color_by: str | None = None,
              colors: dict[str, str] | None = None, title: str | None = None, width: float = COLUMN_WIDTH,
              max_rows: int = MAX_ROWS):
    """Horizontal bars in the table's order, first row at the top; coloured by ``color_by`` through ``colors``.

    At most ``max_rows`` bars (the first rows); ``None`` for an empty table.
    """
    if _empty(table):
        return None
    table = table.head(max_rows).iloc[::-1]
    fill = ([color_of(colors, v) for v in table[color_by]] if color_by and colors else OKABE_ITO[0])
    fig, ax = plt.subplots(figsize=(width, 0.18 * len(table) + 0.8))
    y = np.arange(len(table))
    ax.barh(y, table[value].astype(float), color=fill)
    ax.set_yticks(y, table[label].astype(str))
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def _groups(table: pd.DataFrame, group: str, groups) -> list[str]:
    """The groups to draw: ``groups`` (in that order) that have rows, else every group, at most MAX_PANELS."""
    present = set(table[group].astype(str))
    chosen = [str(g) for g in groups] if groups is not None else sorted(present)
    return [g for g in chosen if g in present][:MAX_PANELS]


@_literal_text
def small_multiples(table: pd.DataFrame, group: str, label: str, value: str, *, xlabel: str,
                    colors: dict[str, str], top_n: int = 10, title: str | None = None, groups=None):
    """One bar-chart panel per group (e.g. per source), each in the group's colour, full page width.

    ``groups``: which groups, in order (default: all, sorted); at most
    :data:`MAX_PANELS` panels in two columns. ``None`` when nothing is left to plot.
    """
    if _empty(table):
        return None
    names = _groups(table, group, groups)
    if not names:
        return None
    keys = table[group].astype(str)
    rows = max(min(int(keys.value_counts().reindex(names).max()), top_n, _bars_that_fit(len(names), 0.17, 0.75)), 1)
    fig, axes = _panel_grid(len(names), 0.17 * rows + 0.75)
    for ax, name in zip(axes.flat, names):
        part = table[keys == name].head(top_n).iloc[::-1]
        y = np.arange(len(part))
        ax.barh(y, part[value].astype(float), color=color_of(colors, name))
        ax.set_yticks(y, part[label].astype(str))
        ax.set_ylim(-0.6, rows - 0.4)
        ax.set_title(_short(name), loc="left")
        ax.grid(axis="y", visible=False)
    fig.supxlabel(xlabel, fontsize=STYLE["axes.labelsize"])
    return _finish_grid(fig, axes, len(names), title)


def _bars_that_fit(panels: int, per_bar: float, extra: float) -> int:
    """How many bars a panel may have so that a grid of ``panels`` (two a row) stays within MAX_HEIGHT."""
    grid_rows = max(int(np.ceil(panels / 2)), 1)
    return max(int((MAX_HEIGHT / grid_rows - extra - 0.3 / grid_rows) / per_bar), 3)


def _short(text: str, n: int = 40) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n - 1] + "…"


def _panel_grid(n: int, row_height: float, *, sharex: bool = False):
    """Up to two panels a row: a column-wide figure for one panel, page-wide otherwise."""
    columns = max(min(n, 2), 1)
    rows = max(int(np.ceil(n / columns)), 1)
    width = COLUMN_WIDTH if columns == 1 else PAGE_WIDTH
    return plt.subplots(rows, columns, figsize=(width, rows * row_height + 0.3), squeeze=False, sharex=sharex)


def _finish_grid(fig, axes, n: int, title: str | None):
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


@_literal_text
def keyness_chart(table: pd.DataFrame, *, top_n: int = 10, colors: dict[str, str] | None = None,
                  title: str | None = None, targets=None):
    """Diverging bars of Log Ratio for each target's most over- and under-used terms, one panel per target.

    ``table`` is :func:`analysis.keyness` output (one or several targets, stacked);
    over-used terms take the target outlet's colour, under-used ones grey; *
    marks a Benjamini-Hochberg adjusted p < 0.05. ``targets``: which targets, in
    order (default: all, sorted), at most :data:`MAX_PANELS`.
    """
    if _empty(table):
        return None
    names = _groups(table, "target", targets)
    if not names:
        return None
    top_n = max(min(top_n, _bars_that_fit(len(names), 0.17 * 2, 0.8)), 1)
    fig, axes = _panel_grid(len(names), 0.17 * 2 * top_n + 0.8)
    for ax, target in zip(axes.flat, names):
        part = table[table["target"].astype(str) == target]
        over = part[part["g2"] > 0].head(top_n)
        under = part[part["g2"] < 0].sort_values("g2").head(top_n)
        shown = pd.concat([over, under.iloc[::-1]]).iloc[::-1]
        ax.set_title(f"{_short(target)} vs the rest", loc="left")
        ax.grid(axis="y", visible=False)
        if shown.empty:
            ax.text(0.5, 0.5, "no key words", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
            continue
        labels = [f"{t}{' *' if p < 0.05 else ''}" for t, p in zip(shown["term"], shown["p_adjusted"])]
        fill = color_of(colors, target)
        y = np.arange(len(shown))
        ax.barh(y, shown["log_ratio"].astype(float), color=[fill if v > 0 else "#999999" for v in shown["log_ratio"]])
        ax.set_yticks(y, labels)
        ax.axvline(0, color="black", linewidth=0.6)
    fig.supxlabel("Log Ratio (+1 = twice as frequent)", fontsize=STYLE["axes.labelsize"])
    return _finish_grid(fig, axes, len(names), title)


@_literal_text
def interval_chart(summary: pd.DataFrame, group: str, measures: list[str], labels: dict[str, str],
                   colors: dict[str, str], *, title: str | None = None, max_rows: int = MAX_ROWS):
    """Point estimates with confidence intervals, one panel per measure, one colour per group.

    At most ``max_rows`` groups (those with the most sentences); an interval
    that cannot be computed (one sentence) is drawn as a point. ``None`` if empty.
    """
    if _empty(summary):
        return None
    summary = summary[summary["measure"].isin(measures)]
    if summary.empty:
        return None
    keys = summary[group].astype(str)
    if keys.nunique() > max_rows:
        size = summary.groupby(keys)["n_sentences"].max() if "n_sentences" in summary else keys.value_counts()
        keep = sorted(size.items(), key=lambda kv: (-kv[1], kv[0]))[:max_rows]
        summary = summary[keys.isin([k for k, _ in keep])]
        keys = summary[group].astype(str)
    names = sorted(keys.unique(), reverse=True)
    fig, axes = plt.subplots(1, len(measures), figsize=(PAGE_WIDTH, 0.3 * len(names) + 1.2), sharey=True,
                             squeeze=False)
    position = {name: i for i, name in enumerate(names)}
    for ax, measure in zip(axes.flat, measures):
        part = summary[summary["measure"] == measure]
        for row in part.itertuples(index=False):
            name = str(getattr(row, group))
            mean = float(row.mean)
            if np.isnan(mean):
                continue
            low = mean - row.ci_low if pd.notna(row.ci_low) else 0.0
            high = row.ci_high - mean if pd.notna(row.ci_high) else 0.0
            ax.errorbar(mean, position[name], xerr=[[max(low, 0.0)], [max(high, 0.0)]], fmt="o",
                        color=color_of(colors, name), capsize=2, markersize=4)
        ax.set_yticks(range(len(names)), [_short(n) for n in names])
        ax.set_ylim(-0.6, len(names) - 0.4)
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_xlabel(labels.get(measure, measure))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


@_literal_text
def heatmap(table: pd.DataFrame, index: str, columns: str, values: str, *, label: str, fmt: str = ".1f",
            title: str | None = None, width: float = PAGE_WIDTH, max_columns: int = HEATMAP_COLUMNS,
            max_rows: int = MAX_ROWS):
    """An annotated heatmap of ``values`` (e.g. frame rates per source); colour-blind-safe sequential map.

    With more than ``max_columns`` columns the grid is turned (``columns`` as
    rows), at most ``max_rows`` rows. ``None`` when there is nothing to plot.
    """
    import seaborn as sns
    if _empty(table):
        return None
    grid = table.pivot_table(index=index, columns=columns, values=values, aggfunc="sum", fill_value=0)
    if grid.size == 0:
        return None
    if grid.shape[1] > max_columns:
        grid = grid.T
    grid = grid.iloc[:max_rows]
    grid.index = [_short(str(i).replace("_", " ")) for i in grid.index]
    grid.columns = [_short(str(c), 24) for c in grid.columns]
    fig, ax = plt.subplots(figsize=(width, 0.28 * len(grid) + 1.2))
    sns.heatmap(grid.astype(float), annot=True, fmt=fmt, cmap="cividis", cbar_kws={"label": label}, ax=ax,
                annot_kws={"fontsize": 6}, linewidths=0.5, linecolor="white")
    ax.grid(False)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


@_literal_text
def convention_chart(shares: pd.DataFrame, group: str = "source", *, title: str | None = None, groups=None):
    """Stacked bars: for each referent and group, the share of each naming convention.

    ``groups``: which groups, in order (default all, sorted), at most
    :data:`MAX_PANELS`; with more than four, the referents' panels go in two
    columns. ``None`` when there is nothing to plot.
    """
    if _empty(shares):
        return None
    names = _groups(shares, group, groups)
    if not names:
        return None
    shares = shares[shares[group].astype(str).isin(names)]
    keys = shares[group].astype(str)
    referents = sorted(shares["referent"].unique())
    conventions = dict(CONVENTION_COLORS)
    for extra in sorted(set(shares["convention"].astype(str)) - set(conventions)):
        conventions[extra] = "#555555"
    columns = 1 if len(names) <= 4 else 2
    rows = int(np.ceil(len(referents) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(PAGE_WIDTH, 0.9 + rows * (0.2 * len(names) + 0.4)),
                             sharex=True, squeeze=False)
    y = np.arange(len(names))
    for i, (ax, referent) in enumerate(zip(axes.flat, referents)):
        part = shares[shares["referent"] == referent]
        left = np.zeros(len(names))
        for convention, color in conventions.items():
            chosen = part[part["convention"].astype(str) == convention]
            values = chosen.groupby(keys[chosen.index])["share"].sum().reindex(names, fill_value=0).to_numpy()
            ax.barh(y, values, left=left, color=color, label=convention)
            left += values
        ax.set_yticks(y, [_short(n, 30) for n in names] if i % columns == 0 else [""] * len(names))
        ax.set_ylim(len(names) - 0.4, -0.6)
        ax.set_title(str(referent).replace("_", " "), loc="left")
        ax.grid(axis="y", visible=False)
    for ax in list(axes.flat)[len(referents):]:
        ax.set_visible(False)
    for ax in list(axes.flat)[max(len(referents) - columns, 0):len(referents)]:
        ax.set_xlabel("share of mentions in the outlet's own voice")
        ax.xaxis.set_tick_params(labelbottom=True)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 6))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


@_literal_text
def dispersion_chart(table: pd.DataFrame, colors: dict[str, str], *, title: str | None = None,
                     max_rows: int = MAX_ROWS):
    """Lexical dispersion: where each pattern occurs along each document (0 = start, 1 = end).

    One row per document with an occurrence, at most ``max_rows`` (by source, then doc_id).
    """
    if _empty(table):
        return None
    rows = table[["doc_id", "source"]].astype(str).drop_duplicates().sort_values(["source", "doc_id"]).head(max_rows)
    table = table[table["doc_id"].astype(str).isin(rows["doc_id"])]
    patterns = sorted(table["pattern"].unique())
    shapes = ["|", "x", "o", "^", "s", "d"]
    markers = {p: shapes[i % len(shapes)] for i, p in enumerate(patterns)}
    labels = [_short(f"{d} ({s})", 36) for d, s in zip(rows["doc_id"], rows["source"])]
    wide = len(rows) > 10 or max(len(label) for label in labels) > 24
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH if wide else COLUMN_WIDTH, 0.25 * len(rows) + 1.0))
    positions = {doc: i for i, doc in enumerate(rows["doc_id"])}
    for pattern in patterns:
        part = table[table["pattern"] == pattern]
        ax.scatter(part["relative_position"], part["doc_id"].astype(str).map(positions), marker=markers[pattern],
                   c=[color_of(colors, s) for s in part["source"]], s=30, label=pattern, linewidths=1)
    ax.set_yticks(range(len(rows)), labels)
    if len(rows) > 1:
        ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the document (share of its tokens)")
    fig.legend(loc="outside lower center", ncol=min(len(patterns), 4))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


@_literal_text
def scatter_by_group(table: pd.DataFrame, x: str, y: str, group: str, colors: dict[str, str], *, xlabel: str,
                     ylabel: str, title: str | None = None, max_legend: int = 8):
    """One point per row, coloured by group (e.g. one sentence, coloured by its source).

    With more than ``max_legend`` groups, the largest ``max_legend - 1`` keep
    their colour and the others are drawn grey as one "other" entry.
    """
    if _empty(table):
        return None
    keys = table[group].astype(str)
    sizes = keys.value_counts()
    ranked = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    singled = {k for k, _ in ranked} if len(ranked) <= max_legend else {k for k, _ in ranked[:max_legend - 1]}
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, COLUMN_WIDTH))
    others = table[~keys.isin(singled)]
    if len(others):
        ax.scatter(others[x], others[y], s=10, facecolors="none", edgecolors="#888888", linewidths=0.6,
                   label=f"{len(sizes) - len(singled)} other groups")
    for name in sorted(singled):
        part = table[keys == name]
        ax.scatter(part[x], part[y], s=10, alpha=0.7, color=color_of(colors, name), label=_short(name, 28),
                   linewidths=0)
    ax.axhline(0, color="black", linewidth=0.5)
    ax.axvline(0, color="black", linewidth=0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


@_literal_text
def reuse_chart(pairs: pd.DataFrame, colors: dict[str, str], *, title: str | None = None, max_pairs: int = 15):
    """For each re-use pair, the share of each document's words that the pair shares (source and derivative).

    At most ``max_pairs`` pairs (the first rows); ``None`` without pairs.
    """
    if _empty(pairs):
        return None
    pairs = pairs.head(max_pairs)
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 0.6 * len(pairs) + 1.0))
    labels, values, fills = [], [], []
    for row in pairs.itertuples():
        labels += [f"{row.derivative_doc} {_short(row.derivative_source, 24)}\n(derivative)",
                   f"{row.source_doc} {_short(row.source, 24)}\n(source)"]
        values += [row.derivative_share_reused, row.source_share_reused]
        fills += [color_of(colors, row.derivative_source), color_of(colors, row.source)]
    y = np.arange(len(labels))
    ax.barh(y, values[::-1], color=fills[::-1])
    ax.set_yticks(y, labels[::-1])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of words in re-used sentences")
    ax.grid(axis="y", visible=False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


@_literal_text
def length_chart(docs: pd.DataFrame, colors: dict[str, str], *, title: str | None = None,
                 max_rows: int = MAX_ROWS):
    """Words per document: one bar per document up to ``max_rows`` documents; beyond, one row per group
    (source) with a dot per document, for the ``max_rows`` groups with the most words."""
    if _empty(docs):
        return None
    xlabel = "words (tokens without punctuation)"
    if len(docs) <= max_rows:
        labelled = docs.assign(label=docs["doc_id"].astype(str) + " · " + docs["source"].astype(str).map(_short))
        return bar_chart(labelled, "label", "n_words", xlabel=xlabel, color_by="source", colors=colors, title=title)
    keys = docs["source"].astype(str)
    words = docs.groupby(keys)["n_words"].sum()
    names = [g for g, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:max_rows]]
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 0.18 * len(names) + 0.9))
    for i, name in enumerate(names):
        part = docs[keys == name]
        ax.scatter(part["n_words"], np.full(len(part), i), s=12, color=color_of(colors, name), linewidths=0)
    ax.set_yticks(range(len(names)), [f"{_short(n, 30)} ({int((keys == n).sum())})" for n in names])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlabel("words (one dot per document)")
    ax.grid(axis="y", visible=False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


@_literal_text
def time_lines(table: pd.DataFrame, value: str, *, group: str = "source", panel: str | None = None,
               x: str = "period_start", colors: dict[str, str] | None = None, events: pd.DataFrame | None = None,
               ylabel: str, title: str | None = None, groups=None, panels=None, max_panels: int = MAX_PANELS):
    """Lines over time with their intervals: one panel per value of ``panel``, one line per ``group``.

    ``table`` is an :mod:`analysis.framing.over_time` result (``value``, ci_low, ci_high, ``x`` = the period's first
    day; drawn at the period's middle when the table has ``period_end``: a point stands for the whole period,
    so an event inside it falls within the point's period). Undated rows (no ``x``) are left out of the plot (the tables keep them). A group with one dated
    period is a point with its interval. ``events`` (date, event) are drawn as dashed vertical lines
    numbered in date order (E1, E2...; the notebook lists them). ``None`` when nothing is dated.
    """
    if _empty(table) or x not in table.columns:
        return None
    dated = table[table[x].notna() & table[value].notna()]
    end = x.replace("_start", "_end")
    if end != x and end in dated.columns:
        dated = dated.assign(**{x: dated[x] + (dated[end] - dated[x]) / 2})
    if groups is not None:
        dated = dated[dated[group].astype(str).isin([str(g) for g in groups])]
    if dated.empty:
        return None
    names = sorted(dated[panel].astype(str).unique()) if panel else [""]
    if panels is not None:
        names = [n for n in panels if n in names]
    names = names[:max_panels]
    fig, axes = _panel_grid(len(names), 1.9, sharex=True)
    low_x, high_x = dated[x].min(), dated[x].max()
    shown = events[(events["date"] >= low_x - pd.Timedelta(days=45)) & (events["date"] <= high_x + pd.Timedelta(
        days=120))] if events is not None and len(events) else None
    for ax, name in zip(axes.flat, names):
        part = dated if not panel else dated[dated[panel].astype(str) == name]
        for key, rows in part.groupby(dated[group].astype(str).loc[part.index], sort=True):
            rows = rows.sort_values(x)
            color = color_of(colors, key)
            ax.plot(rows[x], rows[value], marker="o", markersize=3, linewidth=1.2, color=color, label=_short(key, 30))
            if "ci_low" in rows and rows["ci_low"].notna().any():
                ax.fill_between(rows[x], rows["ci_low"], rows["ci_high"], color=color, alpha=0.18, linewidth=0)
                if len(rows) == 1:
                    ax.errorbar(rows[x], rows[value], yerr=[rows[value] - rows["ci_low"], rows["ci_high"] - rows[value]],
                                fmt="none", color=color, capsize=2, linewidth=0.8)
        top = 0
        if shown is not None:
            span = max((shown["date"].max() - shown["date"].min()).days, (high_x - low_x).days, 1)
            previous, level = None, 0
            for number, (_, event) in enumerate(shown.sort_values("date").iterrows(), start=1):
                # close events: labels stepped up so they stay readable
                level = level + 1 if previous is not None and (event["date"] - previous).days < span / 25 else 0
                previous, top = event["date"], max(top, level % 3)
                ax.axvline(event["date"], color="#555555", linestyle="--", linewidth=0.6)
                ax.annotate(f"E{number}", (event["date"], 1.0), xycoords=("data", "axes fraction"),
                            xytext=(0, 1 + 7 * (level % 3)), textcoords="offset points", fontsize=6, ha="center",
                            va="bottom", color="#555555", annotation_clip=False)
        if panel:   # the title above the event labels
            ax.set_title(_short(name, 50), loc="left", pad=(10 + 7 * top) if shown is not None else 4)
        ax.set_ylabel(ylabel)
        ax.tick_params(axis="x", labelrotation=30)
    legend = {}
    for ax in axes.flat:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            legend.setdefault(label, handle)
    handles, labels = list(legend.values()), list(legend)
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 4))
    return _finish_grid(fig, axes, len(names), title)


@_literal_text
def dot_chart(table: pd.DataFrame, label: str, columns: list[str], *, xlabel: str, names: dict[str, str] | None = None,
              intervals: dict[str, tuple[str, str]] | None = None, title: str | None = None, xlim=(-0.02, 1.05),
              reference: float | None = None):
    """Several scores per row as dots on one axis (precision, recall, F1 of each frame; alpha with its
    interval). ``intervals`` maps a column to its (low, high) columns; ``reference`` draws a vertical line
    (e.g. Krippendorff's 0.667). ``None`` when the table is empty or every score is missing."""
    if _empty(table) or table[columns].isna().all().all():
        return None
    rows = table.sort_values(label, ascending=False, kind="stable")
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 0.32 * len(rows) + 1.3))
    markers = ["o", "s", "D", "^"]
    y = np.arange(len(rows))
    for j, column in enumerate(columns):
        offset = (j - (len(columns) - 1) / 2) * 0.18
        values = rows[column].to_numpy(dtype=float)
        color = OKABE_ITO[j % len(OKABE_ITO)]
        if intervals and column in intervals:
            low, high = (rows[c].to_numpy(dtype=float) for c in intervals[column])
            ok = np.isfinite(values) & np.isfinite(low) & np.isfinite(high)
            ax.errorbar(values[ok], y[ok] + offset, xerr=[values[ok] - low[ok], high[ok] - values[ok]], fmt="none",
                        color=color, capsize=2, linewidth=0.8)
        ax.plot(values, y + offset, linestyle="none", marker=markers[j % len(markers)], markersize=4, color=color,
                label=(names or {}).get(column, column))
    if reference is not None:
        ax.axvline(reference, color="#555555", linestyle="--", linewidth=0.6)
    ax.set_yticks(y, [_short(str(v)) for v in rows[label]])
    ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    if len(columns) > 1:
        fig.legend(loc="outside lower center", ncol=len(columns))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig
