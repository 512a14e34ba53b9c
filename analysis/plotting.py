"""Publication figures: one pinned style, one colour per source everywhere, byte-identical files.

Colours come from the Okabe-Ito palette (safe for the common colour-vision
deficiencies) and are assigned to sources in sorted order of the *whole*
corpus, so an outlet keeps its colour in every figure, whichever sources a
figure shows. Sizes fit a journal column (3.5 in) or a full page width (7.2 in).
"""
from __future__ import annotations

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
}


def use_style() -> None:
    """Apply the report style to matplotlib (idempotent)."""
    plt.rcParams.update(STYLE)


def source_colors(sources) -> dict[str, str]:
    """A colour for each source, stable for a given set of sources (sorted order, Okabe-Ito)."""
    names = sorted({str(s) for s in sources})
    if len(names) > len(OKABE_ITO):
        import seaborn as sns
        extra = sns.color_palette("colorblind", len(names)).as_hex()
        return dict(zip(names, extra))
    return dict(zip(names, OKABE_ITO))


def save_figure(fig, name: str, folder: str | Path, *, show: bool = True) -> None:
    """Write ``fig`` as ``folder/name.png`` and ``folder/name.svg`` with no timestamps, then close it.

    Files are written to a temporary name and then moved into place, so a
    reader never sees half a file. In a notebook (``show``), the saved PNG is
    what is displayed: the figure is drawn once per format, not again inline.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = folder / f"{name}.{ext}"
        tmp = folder / f".{name}.{ext}.tmp"
        fig.savefig(tmp, format=ext, metadata=metadata)
        os.replace(tmp, path)
        paths.append(path)
        fig.set_layout_engine("none")  # the layout is done: the SVG reuses it instead of computing it again
    width = int(fig.get_figwidth() * 110)
    plt.close(fig)
    if show and _in_notebook():
        from IPython.display import Image, display
        display(Image(filename=str(paths[0]), width=width))


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


def bar_chart(table: pd.DataFrame, label: str, value: str, *, xlabel: str, color_by: str | None = None,
              colors: dict[str, str] | None = None, title: str | None = None, width: float = COLUMN_WIDTH):
    """Horizontal bars in the table's order, first row at the top; coloured by ``color_by`` through ``colors``."""
    table = table.iloc[::-1]
    fill = ([colors.get(str(v), OKABE_ITO[0]) for v in table[color_by]] if color_by and colors else OKABE_ITO[0])
    fig, ax = plt.subplots(figsize=(width, 0.18 * len(table) + 0.8))
    ax.barh(table[label].astype(str), table[value], color=fill)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title, loc="left")
    return fig


def small_multiples(table: pd.DataFrame, group: str, label: str, value: str, *, xlabel: str,
                    colors: dict[str, str], top_n: int = 10, title: str | None = None):
    """One bar-chart panel per group (e.g. per source), each in the group's colour, full page width."""
    groups = sorted(table[group].unique())
    fig, axes = _panel_grid(len(groups), 0.17 * top_n + 0.9)
    for ax, name in zip(axes.flat, groups):
        part = table[table[group] == name].head(top_n).iloc[::-1]
        ax.barh(part[label].astype(str), part[value], color=colors.get(name, OKABE_ITO[0]))
        ax.set_title(str(name), loc="left")
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
    return _finish_grid(fig, axes, len(groups), title)


def _panel_grid(n: int, row_height: float):
    """Up to two panels a row: a column-wide figure for one panel, page-wide otherwise."""
    columns = max(min(n, 2), 1)
    rows = max(int(np.ceil(n / columns)), 1)
    width = COLUMN_WIDTH if columns == 1 else PAGE_WIDTH
    return plt.subplots(rows, columns, figsize=(width, rows * row_height), squeeze=False)


def _finish_grid(fig, axes, n: int, title: str | None):
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def keyness_chart(table: pd.DataFrame, *, top_n: int = 10, colors: dict[str, str] | None = None,
                  title: str | None = None):
    """Diverging bars of Log Ratio for each target's most over- and under-used terms, one panel per target.

    ``table`` is :func:`analysis.keyness` output (one or several targets, stacked);
    over-used terms take the target outlet's colour, under-used ones grey; *
    marks a Benjamini-Hochberg adjusted p < 0.05.
    """
    targets = sorted(table["target"].unique())
    fig, axes = _panel_grid(len(targets), 0.17 * 2 * top_n + 1.0)
    for ax, target in zip(axes.flat, targets):
        part = table[table["target"] == target]
        over = part[part["g2"] > 0].head(top_n)
        under = part[part["g2"] < 0].sort_values("g2").head(top_n)
        shown = pd.concat([over, under.iloc[::-1]]).iloc[::-1]
        labels = [f"{t}{' *' if p < 0.05 else ''}" for t, p in zip(shown["term"], shown["p_adjusted"])]
        fill = (colors or {}).get(str(target), OKABE_ITO[0])
        ax.barh(labels, shown["log_ratio"], color=[fill if v > 0 else "#999999" for v in shown["log_ratio"]])
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_title(f"{target} vs the rest", loc="left")
        ax.set_xlabel("Log Ratio (+1 = twice as frequent)")
        ax.grid(axis="y", visible=False)
    return _finish_grid(fig, axes, len(targets), title)


def interval_chart(summary: pd.DataFrame, group: str, measures: list[str], labels: dict[str, str],
                   colors: dict[str, str], *, title: str | None = None):
    """Point estimates with confidence intervals, one panel per measure, one colour per group."""
    fig, axes = plt.subplots(1, len(measures), figsize=(PAGE_WIDTH, 0.3 * summary[group].nunique() + 1.2),
                             sharey=True, squeeze=False)
    for ax, measure in zip(axes.flat, measures):
        part = summary[summary["measure"] == measure].sort_values(group, ascending=False)
        y = np.arange(len(part))
        for yi, (_, row) in zip(y, part.iterrows()):
            color = colors.get(str(row[group]), OKABE_ITO[0])
            ax.errorbar(row["mean"], yi, xerr=[[row["mean"] - row["ci_low"]], [row["ci_high"] - row["mean"]]],
                        fmt="o", color=color, capsize=2, markersize=4)
        ax.set_yticks(y, part[group].astype(str))
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_xlabel(labels.get(measure, measure))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def heatmap(table: pd.DataFrame, index: str, columns: str, values: str, *, label: str, fmt: str = ".1f",
            title: str | None = None, width: float = PAGE_WIDTH):
    """An annotated heatmap of ``values`` (e.g. frame rates per source); colour-blind-safe sequential map."""
    import seaborn as sns
    grid = table.pivot_table(index=index, columns=columns, values=values, aggfunc="sum", fill_value=0)
    grid.index = [str(i).replace("_", " ") for i in grid.index]
    fig, ax = plt.subplots(figsize=(width, 0.28 * len(grid) + 1.2))
    sns.heatmap(grid, annot=True, fmt=fmt, cmap="cividis", cbar_kws={"label": label}, ax=ax,
                annot_kws={"fontsize": 6}, linewidths=0.5, linecolor="white")
    ax.grid(False)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if title:
        ax.set_title(title, loc="left")
    return fig


def convention_chart(shares: pd.DataFrame, group: str = "source", *, title: str | None = None):
    """Stacked bars: for each referent and group, the share of each naming convention."""
    referents = sorted(shares["referent"].unique())
    groups = sorted(shares[group].unique())
    fig, axes = plt.subplots(len(referents), 1, figsize=(PAGE_WIDTH, 0.9 + len(referents) * (0.2 * len(groups) + 0.4)),
                             sharex=True, squeeze=False)
    for ax, referent in zip(axes.flat, referents):
        part = shares[shares["referent"] == referent]
        left = np.zeros(len(groups))
        for convention, color in CONVENTION_COLORS.items():
            values = np.array([part.loc[(part[group] == g) & (part["convention"] == convention), "share"].sum()
                               for g in groups])
            ax.barh(groups, values, left=left, color=color, label=convention)
            left += values
        ax.set_title(referent.replace("_", " "), loc="left")
        ax.grid(axis="y", visible=False)
        ax.invert_yaxis()
    axes.flat[-1].set_xlabel("share of the referent's mentions in the outlet's own voice")
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=len(names))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def dispersion_chart(table: pd.DataFrame, colors: dict[str, str], *, title: str | None = None):
    """Lexical dispersion: where each pattern occurs along each document (0 = start, 1 = end)."""
    rows = table[["doc_id", "source"]].drop_duplicates().sort_values(["source", "doc_id"])
    patterns = sorted(table["pattern"].unique())
    markers = dict(zip(patterns, ["|", "x", "o", "^", "s", "d"]))
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 0.25 * len(rows) + 1.0))
    positions = {doc: i for i, doc in enumerate(rows["doc_id"])}
    for pattern in patterns:
        part = table[table["pattern"] == pattern]
        ax.scatter(part["relative_position"], part["doc_id"].map(positions), marker=markers.get(pattern, "|"),
                   c=[colors.get(s, OKABE_ITO[0]) for s in part["source"]], s=30, label=pattern, linewidths=1)
    ax.set_yticks(range(len(rows)), [f"{d} ({s})" for d, s in zip(rows["doc_id"], rows["source"])])
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the document (share of its tokens)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=len(patterns))
    if title:
        ax.set_title(title, loc="left")
    return fig


def scatter_by_group(table: pd.DataFrame, x: str, y: str, group: str, colors: dict[str, str], *, xlabel: str,
                     ylabel: str, title: str | None = None):
    """One point per row, coloured by group (e.g. one sentence, coloured by its source)."""
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, COLUMN_WIDTH))
    for name, part in table.groupby(group, sort=True):
        ax.scatter(part[x], part[y], s=10, alpha=0.7, color=colors.get(str(name), OKABE_ITO[0]), label=str(name),
                   linewidths=0)
    ax.axhline(0, color="black", linewidth=0.5)
    ax.axvline(0, color="black", linewidth=0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    if title:
        ax.set_title(title, loc="left")
    return fig


def reuse_chart(pairs: pd.DataFrame, colors: dict[str, str], *, title: str | None = None):
    """For each re-use pair, the share of each document's words that the pair shares (source and derivative)."""
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 0.6 * len(pairs) + 1.0))
    labels, values, fills = [], [], []
    for row in pairs.itertuples():
        labels += [f"{row.derivative_doc} {row.derivative_source}\n(derivative)",
                   f"{row.source_doc} {row.source}\n(source)"]
        values += [row.derivative_share_reused, row.source_share_reused]
        fills += [colors.get(row.derivative_source, OKABE_ITO[0]), colors.get(row.source, OKABE_ITO[0])]
    ax.barh(labels[::-1], values[::-1], color=fills[::-1])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of words in re-used sentences")
    ax.grid(axis="y", visible=False)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig
