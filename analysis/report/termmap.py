"""Term maps of two groups (scattertext, Kessler 2017): every term placed by its frequency rank in each group.

>>> table = term_map(toks, "Caliber.az", ["Jamestown Foundation", "OpsLens"])
>>> fig = term_map_figure(table, a_name="Caliber.az", b_name="Jamestown and OpsLens")
>>> page = term_map_html(table, sents, toks, a_name="Caliber.az", b_name="Jamestown and OpsLens")
>>> save_term_map(table, sents, toks, "termmap_caliber", "figures", a_name="Caliber.az", b_name="others")

Each term (a token's ``norm``; punctuation never counts) is one point: x is the
percentile rank of its frequency in group a, y in group b (0 = rarest, 1 = most
frequent; ties broken alphabetically, as scattertext does), so terms used alike
lie near the diagonal. Colour is the weighted log-odds z of a vs b with an
informative Dirichlet prior (Monroe, Colaresi and Quinn 2008; see
:func:`analysis.measures.frequency.log_odds`) estimated from the two groups only: z > 0
means more typical of a, z < 0 of b; |z| > 1.96 is the usual threshold.

The static figure (matplotlib, fixed geometry so that label placement does not
depend on the group names) labels the most distinctive terms of each side
without overlap, by a deterministic greedy placement on the renderer's text
boxes. The HTML version is one self-contained page (inline SVG and script, no
external resources) whose points show their numbers on hover and their
sentences on click; every corpus string travels as escaped JSON data and is
inserted with ``textContent``, so markup in the corpus is shown, never run.
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..measures.frequency import log_odds
from .plotting import STYLE, save_figure

# figure geometry, inches: fixed, so that the same table gives the same label placement in every figure
FIG_WIDTH, FIG_HEIGHT = 7.2, 6.6
AXES_RECT = (0.62, 0.78, 5.5, 5.3)        # left, bottom, width, height
COLORBAR_RECT = (6.3, 0.78, 0.12, 5.3)
LIMITS = (-0.03, 1.03)                    # both axes, in percentile units
LABEL_SIZE = 6.0                          # points
# offsets (points) tried around a point, in order, with the text alignment each implies
OFFSETS = [(3, 3), (3, -3), (-3, 3), (-3, -3), (0, 5), (0, -5), (5, 0), (-5, 0),
           (8, 8), (8, -8), (-8, 8), (-8, -8), (0, 11), (0, -11)]
PAD = 1.0                                 # pixels kept free around each label
LABEL_GID = "term-label"
COLUMNS = ["term", "count_a", "count_b", "total_a", "total_b", "rate_a", "rate_b", "x", "y", "z", "delta",
           "label_candidate", "label"]


def _values(v) -> list:
    if isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
        return [v]
    return list(v)


def term_map(toks: pd.DataFrame, a, b, by: str = "source", *, min_count: int = 3, drop_stop: bool = True,
             n_labels: int = 30, prior="corpus") -> pd.DataFrame:
    """One row per term of groups ``a`` and ``b``: its counts, rates, rank positions, log-odds z and label.

    ``a`` and ``b`` are a value or a list of values of column ``by`` (e.g. a
    source, a list of sources, a side); only the two groups' tokens are used.

    Columns:

    - term; count_a, count_b: occurrences (tokens) in each group;
    - total_a, total_b: word tokens of each group (punctuation excluded, stop words included);
    - rate_a, rate_b: occurrences per 1,000 word tokens of the group;
    - x, y: percentile rank (0..1, unitless) of the term's count in a and in b
      among the terms shown (ordinal rank, ties broken alphabetically; 0.5 when
      there is one term);
    - z, delta: weighted log-odds of a vs b (delta in natural-log units, z =
      delta / its standard error) with ``prior`` ("corpus": prior counts = the
      term's count in the two groups, as :func:`analysis.measures.frequency.log_odds`;
      or "uniform", or a Series of prior counts); with ``drop_stop`` the model
      is over the non-stop vocabulary (group sizes = non-stop word tokens);
    - label_candidate: among the ``n_labels`` most distinctive terms (by |z|,
      half from each side: z > 0 for a, z < 0 for b; a side with too few leaves
      its share to the other);
    - label: the candidates whose label fits, in the figure's fixed geometry,
      without overlapping a more distinctive term's label (a candidate with
      label False was dropped for overlap).

    Terms need ``min_count`` occurrences in the two groups together (the prior
    and the model still use every term); ``drop_stop`` drops stop words. Sorted
    by z descending, then term. ``table.attrs["term_map"]`` records ``by``,
    ``a`` and ``b`` (used by :func:`term_map_html` to pick the sentences).
    """
    if by not in toks.columns:
        raise ValueError(f"no column {by!r} in the tokens table; columns are {', '.join(map(str, toks.columns))}")
    a_values, b_values = _values(a), _values(b)
    shared = set(a_values) & set(b_values)
    if shared:
        raise ValueError(f"groups a and b share values {sorted(map(str, shared))}")
    words = toks.loc[~toks["is_punct"].astype(bool)]
    in_a, in_b = words[by].isin(a_values).to_numpy(), words[by].isin(b_values).to_numpy()
    for name, mask, values in (("a", in_a, a_values), ("b", in_b, b_values)):
        if not mask.any():
            known = ", ".join(sorted(map(str, toks[by].dropna().unique())))
            raise ValueError(f"group {name} ({', '.join(map(str, values))}) has no word tokens; "
                             f"values of {by!r} are {known}")
    words = words.loc[in_a | in_b]
    total_a, total_b = int(in_a.sum()), int(in_b.sum())
    side = np.where(words[by].isin(a_values).to_numpy(), "a", "b")
    two = words.assign(**{"__side": side})
    odds = log_odds(two, by="__side", prior=prior, drop_stop=drop_stop)
    odds = odds[odds["__side"] == "a"]
    table = pd.DataFrame({
        "term": odds["term"].astype(str).to_numpy(),
        "count_a": odds["count"].astype("int64").to_numpy(),
        "count_b": odds["rest_count"].astype("int64").to_numpy(),
        "total_a": total_a, "total_b": total_b,
        "z": odds["z"].to_numpy(dtype=float), "delta": odds["delta"].to_numpy(dtype=float)})
    table = table[table["count_a"] + table["count_b"] >= min_count]
    table["rate_a"] = table["count_a"] / total_a * 1000
    table["rate_b"] = table["count_b"] / total_b * 1000
    table["x"] = _percentile_rank(table["count_a"], table["term"])
    table["y"] = _percentile_rank(table["count_b"], table["term"])
    table = table.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table["label_candidate"] = _candidates(table, n_labels)
    table["label"] = False
    chosen = _label_order(table, table["label_candidate"].to_numpy())
    if len(chosen):
        placed = _layout_only(table.loc[chosen])
        table.loc[chosen, "label"] = placed["placed"].to_numpy()
    table = table[COLUMNS]
    table.attrs["term_map"] = {"by": by, "a": a_values, "b": b_values}
    return table


def _percentile_rank(counts: pd.Series, terms: pd.Series) -> np.ndarray:
    """Ordinal rank of (count, term) ascending, scaled to 0..1 (0.5 for a single term)."""
    n = len(counts)
    if n == 0:
        return np.array([], dtype=float)
    order = np.lexsort((terms.to_numpy(dtype=object).astype(str), counts.to_numpy()))
    rank = np.empty(n, dtype=float)
    rank[order] = np.arange(n, dtype=float)
    return rank / (n - 1) if n > 1 else np.full(1, 0.5)


def _candidates(table: pd.DataFrame, n_labels: int) -> np.ndarray:
    """The ``n_labels`` most distinctive terms, half from each side (z > 0: a, z < 0: b)."""
    z = table["z"].to_numpy(dtype=float)
    terms = table["term"].to_numpy(dtype=object)
    pos = sorted(np.flatnonzero(z > 0), key=lambda i: (-z[i], terms[i]))
    neg = sorted(np.flatnonzero(z < 0), key=lambda i: (z[i], terms[i]))
    n_labels = max(int(n_labels), 0)
    take_a = min(len(pos), (n_labels + 1) // 2)
    take_b = min(len(neg), n_labels - take_a)
    take_a = min(len(pos), n_labels - take_b)
    chosen = np.zeros(len(table), dtype=bool)
    chosen[pos[:take_a]] = True
    chosen[neg[:take_b]] = True
    return chosen


def _label_order(table: pd.DataFrame, mask) -> list:
    """Index labels of the masked rows in placement priority: |z| descending, then term."""
    part = table.loc[np.asarray(mask, dtype=bool)]
    key = pd.DataFrame({"abs": -part["z"].abs(), "term": part["term"].astype(str)}, index=part.index)
    return list(key.sort_values(["abs", "term"], kind="stable").index)


def _axes(fig):
    w, h = fig.get_figwidth(), fig.get_figheight()
    left, bottom, width, height = AXES_RECT
    ax = fig.add_axes((left / w, bottom / h, width / w, height / h))
    ax.set_xlim(*LIMITS)
    ax.set_ylim(*LIMITS)
    return ax


def _new_figure():
    return plt.figure(figsize=(FIG_WIDTH, FIG_HEIGHT), layout="none")


def _place_labels(fig, ax, rows: pd.DataFrame) -> pd.DataFrame:
    """Greedy placement in ``rows`` order: the first offset whose text box, padded by :data:`PAD` pixels,
    lies inside the axes and overlaps no placed label; dropped (text removed) when none fits.

    Returns term, placed, dx, dy (points; NaN when dropped)."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    boxes, out = [], []
    for row in rows.itertuples(index=False):
        kept = None
        for dx, dy in OFFSETS:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
            text = ax.annotate(str(row.term), xy=(row.x, row.y), xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize=LABEL_SIZE, parse_math=False, annotation_clip=False,
                               gid=LABEL_GID)
            box = text.get_window_extent(renderer).padded(PAD)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(other) for other in boxes):
                kept = (dx, dy)
                boxes.append(box)
                break
            text.remove()
        out.append({"term": row.term, "placed": kept is not None,
                    "dx": float(kept[0]) if kept else np.nan, "dy": float(kept[1]) if kept else np.nan})
    return pd.DataFrame(out, columns=["term", "placed", "dx", "dy"])


def _layout_only(rows: pd.DataFrame) -> pd.DataFrame:
    """Label placement in an empty figure of the term map's geometry (no drawing is kept)."""
    with plt.rc_context(STYLE):
        fig = _new_figure()
        try:
            return _place_labels(fig, _axes(fig), rows)
        finally:
            plt.close(fig)


def _norm(z: np.ndarray):
    from matplotlib.colors import TwoSlopeNorm
    finite = z[np.isfinite(z)]
    limit = max(float(np.abs(finite).max()) if len(finite) else 0.0, 1.0)
    return TwoSlopeNorm(vcenter=0.0, vmin=-limit, vmax=limit)


CMAP = "RdBu"   # blue: more typical of a (z > 0), red: of b


def _short(text, n: int = 48) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n - 1] + "…"


def term_map_figure(table: pd.DataFrame, *, a_name: str, b_name: str, title: str | None = None):
    """The term map as a matplotlib Figure (7.2 x 6.6 in; fixed axes, so placement is the same in every figure).

    One point per term at (x, y) (percentile ranks in a and b), coloured by z on
    a diverging map centred at 0 (blue: a, red: b); a dashed diagonal marks
    equal rank. Terms with ``label`` True are labelled in order of |z|, each at
    the first of a few offsets around its point where its text box overlaps no
    placed label; a label that fits nowhere is dropped. ``fig.term_map_labels``
    records term, placed, dx, dy (points) for every attempted label, and a note
    under the axes counts the labels drawn and dropped. Terms and names are
    drawn literally (no mathtext: "$5" stays "$5").
    """
    with plt.rc_context(STYLE):
        fig = _new_figure()
        ax = _axes(fig)
        w, h = fig.get_figwidth(), fig.get_figheight()
        left, bottom, width, height = COLORBAR_RECT
        cax = fig.add_axes((left / w, bottom / h, width / w, height / h))
        z = table["z"].to_numpy(dtype=float)
        norm = _norm(z)
        order = np.argsort(np.abs(z), kind="stable")      # the most distinctive drawn last, on top
        points = ax.scatter(table["x"].to_numpy(dtype=float)[order], table["y"].to_numpy(dtype=float)[order],
                            c=z[order], cmap=CMAP, norm=norm, s=9, linewidths=0.25, edgecolors="#555555",
                            zorder=2)
        ax.plot(LIMITS, LIMITS, linestyle="--", color="#888888", linewidth=0.6, zorder=1)
        colorbar = fig.colorbar(points, cax=cax)
        colorbar.set_label(f"log-odds z ({_short(a_name, 24)} vs {_short(b_name, 24)})", parse_math=False)
        ax.set_xlabel(f"frequency rank in {_short(a_name)} (percentile)", parse_math=False)
        ax.set_ylabel(f"frequency rank in {_short(b_name)} (percentile)", parse_math=False)
        if title:
            ax.set_title(_short(title, 90), loc="left", parse_math=False)
        rows = table.loc[_label_order(table, table["label"].to_numpy(dtype=bool))]
        labels = _place_labels(fig, ax, rows)
        fig.term_map_labels = labels
        dropped = int((~labels["placed"]).sum()) if len(labels) else 0
        note = f"{len(table):,} terms; {int(labels['placed'].sum()) if len(labels) else 0} labelled"
        if dropped:
            note += f"; {dropped} label{'s' if dropped != 1 else ''} dropped to avoid overlap"
        fig.text(0.08 / w, 0.08 / h, note, fontsize=6, color="#555555", ha="left", va="bottom", parse_math=False)
    return fig


def _json_for_script(data) -> str:
    """JSON safe inside a <script> element: no '<', '>', '&' or U+2028/U+2029 left raw."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _number(value, digits: int):
    value = float(value)
    return round(value, digits) if np.isfinite(value) else None


def _term_sentences(table: pd.DataFrame, sents: pd.DataFrame, toks: pd.DataFrame, max_sentences: int) -> dict:
    """For each term: [number of sentences, [[side, source, doc_id, text], ...]] with up to ``max_sentences``
    sentences, alternating a and b when the table records its groups, each side in (doc_id, sentence_id) order."""
    meta = table.attrs.get("term_map") or {}
    words = toks.loc[~toks["is_punct"].astype(bool)]
    by = meta.get("by")
    if by in words.columns:
        side = np.where(words[by].isin(meta.get("a", [])), "a", np.where(words[by].isin(meta.get("b", [])), "b", ""))
        words = words.assign(__side=side)
        words = words[words["__side"] != ""]
    else:
        words = words.assign(__side="")
    terms = set(table["term"].astype(str))
    norm = words["norm"].astype(str)
    hits = words.loc[norm.isin(terms), ["doc_id", "sentence_id", "norm", "__side"]].astype(
        {"doc_id": str, "norm": str}).drop_duplicates(["doc_id", "sentence_id", "norm"])
    text = sents[["doc_id", "sentence_id", "source", "text"]].astype({"doc_id": str}).drop_duplicates(
        ["doc_id", "sentence_id"])
    hits = hits.merge(text, on=["doc_id", "sentence_id"], how="inner")
    hits = hits.sort_values(["norm", "doc_id", "sentence_id"], kind="stable")
    out = {}
    for term, part in hits.groupby("norm", sort=True):
        rows = [[s, str(src), d, str(t)] for s, src, d, t in
                zip(part["__side"], part["source"], part["doc_id"], part["text"])]
        by_side = [[r for r in rows if r[0] == "a"], [r for r in rows if r[0] == "b"], [r for r in rows if r[0] == ""]]
        mixed = []
        for i in range(max(len(x) for x in by_side)):
            for group in by_side:
                if i < len(group):
                    mixed.append(group[i])
        out[term] = [len(rows), mixed[:max(int(max_sentences), 0)]]
    return out


def _hex_colors(z: np.ndarray) -> list[str]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex
    cmap, norm = colormaps[CMAP], _norm(z)
    return [to_hex(cmap(norm(v))) for v in z] if len(z) else []


def term_map_html(table: pd.DataFrame, sents: pd.DataFrame, toks: pd.DataFrame, *, a_name: str, b_name: str,
                  title: str | None = None, max_sentences: int = 20) -> str:
    """The term map as one self-contained HTML page (inline SVG built by inline script; nothing external).

    Every term is a point (x, y as in the table, colour by z); labelled terms
    are drawn next to their points without overlap (greedy, in the browser).
    Hovering (or focusing) a point shows the term, its counts, rates per 1,000
    words and z; clicking it (or Enter) lists up to ``max_sentences``
    sentences containing the term (a sentence with a word token whose norm is
    the term; from the table's two groups when ``table.attrs["term_map"]`` is
    set, alternating a and b), with source and doc_id.

    Safety: terms, sentences, sources and names travel as JSON in a
    ``<script type="application/json">`` element with ``<``, ``>``, ``&``,
    U+2028 and U+2029 escaped, and reach the page only through ``textContent``;
    the title and names in the markup are HTML-escaped; a Content-Security-Policy
    forbids any external resource. The same input gives the same bytes.
    """
    z = table["z"].to_numpy(dtype=float)
    colors = _hex_colors(z)
    terms = [[str(r.term), int(r.count_a), int(r.count_b), _number(r.rate_a, 4), _number(r.rate_b, 4),
              _number(r.x, 5), _number(r.y, 5), _number(r.z, 4), c]
             for r, c in zip(table.itertuples(index=False), colors)]
    label_order = _label_order(table.reset_index(drop=True), table["label"].to_numpy(dtype=bool))
    first = table.iloc[0] if len(table) else None
    data = {
        "a": str(a_name), "b": str(b_name),
        "total_a": int(first["total_a"]) if first is not None else 0,
        "total_b": int(first["total_b"]) if first is not None else 0,
        "terms": terms, "labels": [int(i) for i in label_order],
        "sentences": _term_sentences(table, sents, toks, max_sentences),
        "offsets": [list(o) for o in OFFSETS],
    }
    heading = html.escape(str(title) if title else f"{a_name} vs {b_name}")
    a_html, b_html = html.escape(str(a_name)), html.escape(str(b_name))
    return _PAGE.format(title=heading, a=a_html, b=b_html, n=len(table), data=_json_for_script(data),
                        script=_SCRIPT, style=_CSS)


def save_term_map(table: pd.DataFrame, sents: pd.DataFrame, toks: pd.DataFrame, name: str, folder: str | Path, *,
                  a_name: str, b_name: str, title: str | None = None, max_sentences: int = 20) -> dict[str, Path]:
    """Write ``folder/name.png`` (300 dpi), ``name.svg`` (via :func:`analysis.report.plotting.save_figure`: no
    timestamps, fixed SVG ids) and ``name.html``; return their paths by extension ("png", "svg", "html").
    Same input, same bytes."""
    folder = Path(folder)
    with plt.rc_context(STYLE):
        fig = term_map_figure(table, a_name=a_name, b_name=b_name, title=title)
        save_figure(fig, name, folder, show=False)
    page = term_map_html(table, sents, toks, a_name=a_name, b_name=b_name, title=title, max_sentences=max_sentences)
    path = folder / f"{name}.html"
    tmp = folder / f".{name}.html.tmp"
    tmp.write_text(page, encoding="utf-8", newline="\n")
    os.replace(tmp, path)
    return {"png": folder / f"{name}.png", "svg": folder / f"{name}.svg", "html": path}


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 14px; margin: 16px; color: #222; }
h1 { font-size: 18px; margin: 0 0 6px; }
p.legend { margin: 0 0 8px; color: #444; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 5px; vertical-align: middle; }
#wrap { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
#map { border: 1px solid #ddd; background: #fff; max-width: 100%; height: auto; }
#map circle { cursor: pointer; stroke: #555; stroke-width: 0.4; }
#map circle:hover, #map circle:focus, #map circle.selected { stroke: #000; stroke-width: 1.6; outline: none; }
#map text.label { font-size: 10px; fill: #222; cursor: pointer; }
#map text.axis { font-size: 11px; fill: #444; }
#tooltip { position: absolute; display: none; pointer-events: none; background: #fffff4; border: 1px solid #999;
  padding: 4px 6px; font-size: 12px; max-width: 320px; box-shadow: 1px 1px 3px rgba(0,0,0,.2); }
#tooltip .term { font-weight: bold; display: block; }
#panel { flex: 1 1 320px; min-width: 280px; max-width: 640px; }
#panel h2 { font-size: 15px; margin: 0 0 4px; }
#sentences li { margin-bottom: 6px; }
#sentences .where { color: #666; font-size: 12px; display: block; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; \
style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<h1>{title}</h1>
<p class="legend">{n} terms. x: frequency rank in <b>{a}</b>; y: frequency rank in <b>{b}</b> (percentiles).
<span class="swatch" style="background:#2166ac"></span> more typical of {a} (log-odds z &gt; 0),
<span class="swatch" style="background:#b2182b"></span> more typical of {b} (z &lt; 0).
Hover a point for its numbers; click it for its sentences.</p>
<div id="wrap">
<svg id="map" xmlns="http://www.w3.org/2000/svg" width="720" height="680" viewBox="0 0 720 680" role="img"
 aria-label="term map"></svg>
<div id="panel"><h2 id="panel-title">Click a term</h2><p id="panel-count"></p><ol id="sentences"></ol></div>
</div>
<div id="tooltip" role="tooltip"></div>
<script type="application/json" id="termmap-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("termmap-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("map");
  var tooltip = document.getElementById("tooltip");
  var L = 70, T = 20, W = 620, H = 600, LO = -0.03, HI = 1.03;
  function px(x) { return L + (x - LO) / (HI - LO) * W; }
  function py(y) { return T + H - (y - LO) / (HI - LO) * H; }
  function el(name, attrs) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) { node.setAttribute(k, attrs[k]); }
    return node;
  }
  function fmt(v, d) { return v === null ? "n/a" : Number(v).toFixed(d); }
  svg.appendChild(el("rect", {x: L, y: T, width: W, height: H, fill: "none", stroke: "#ccc"}));
  svg.appendChild(el("line", {x1: px(LO), y1: py(LO), x2: px(HI), y2: py(HI), stroke: "#999",
                              "stroke-dasharray": "4 3"}));
  var xl = el("text", {x: L + W / 2, y: T + H + 36, "text-anchor": "middle", "class": "axis"});
  xl.textContent = "frequency rank in " + DATA.a + " (percentile)";
  svg.appendChild(xl);
  var yl = el("text", {x: 0, y: 0, "text-anchor": "middle", "class": "axis",
                       transform: "translate(" + (L - 40) + "," + (T + H / 2) + ") rotate(-90)"});
  yl.textContent = "frequency rank in " + DATA.b + " (percentile)";
  svg.appendChild(yl);
  [0, 0.25, 0.5, 0.75, 1].forEach(function (t) {
    var tx = el("text", {x: px(t), y: T + H + 16, "text-anchor": "middle", "class": "axis"});
    tx.textContent = String(t);
    svg.appendChild(tx);
    var ty = el("text", {x: L - 6, y: py(t) + 4, "text-anchor": "end", "class": "axis"});
    ty.textContent = String(t);
    svg.appendChild(ty);
  });
  var points = el("g", {id: "points"});
  var labels = el("g", {id: "labels"});
  svg.appendChild(labels);   // points above the labels: a label never hides a point from the pointer
  svg.appendChild(points);
  var order = DATA.terms.map(function (t, i) { return i; });
  order.sort(function (i, j) {
    var d = Math.abs(DATA.terms[i][7] || 0) - Math.abs(DATA.terms[j][7] || 0);
    return d !== 0 ? d : i - j;
  });
  var selected = null;
  function line(text, cls) {
    var span = document.createElement("span");
    if (cls) { span.className = cls; }
    span.textContent = text;
    return span;
  }
  function show(i, evt) {
    var t = DATA.terms[i];
    tooltip.textContent = "";
    tooltip.appendChild(line(t[0], "term"));
    tooltip.appendChild(line(DATA.a + ": " + t[1] + " (" + fmt(t[3], 2) + " per 1,000 words)"));
    tooltip.appendChild(document.createElement("br"));
    tooltip.appendChild(line(DATA.b + ": " + t[2] + " (" + fmt(t[4], 2) + " per 1,000 words)"));
    tooltip.appendChild(document.createElement("br"));
    tooltip.appendChild(line("log-odds z (a vs b): " + fmt(t[7], 2)));
    var r = svg.getBoundingClientRect(), mouse = evt && evt.clientX !== undefined;
    var cx = mouse ? evt.clientX : r.left + px(t[5]) * r.width / 720;   // keyboard focus: at the point
    var cy = mouse ? evt.clientY : r.top + py(t[6]) * r.height / 680;
    tooltip.style.left = (cx + window.scrollX + 12) + "px";
    tooltip.style.top = (cy + window.scrollY + 12) + "px";
    tooltip.style.display = "block";
  }
  function hide() { tooltip.style.display = "none"; }
  function choose(i) {
    var t = DATA.terms[i];
    if (selected !== null) { selected.classList.remove("selected"); }
    selected = circles[i];
    selected.classList.add("selected");
    document.getElementById("panel-title").textContent = t[0];
    var entry = DATA.sentences[t[0]] || [0, []];
    var count = document.getElementById("panel-count");
    count.textContent = entry[0] === 0 ? "No sentences found." :
      "Showing " + entry[1].length + " of " + entry[0] + " sentence" + (entry[0] === 1 ? "" : "s") + ".";
    var list = document.getElementById("sentences");
    list.textContent = "";
    entry[1].forEach(function (s) {
      var li = document.createElement("li");
      li.appendChild(line(s[3], "text"));
      li.appendChild(line(s[1] + " \u00b7 doc " + s[2], "where"));
      list.appendChild(li);
    });
  }
  var circles = {};
  order.forEach(function (i) {
    var t = DATA.terms[i];
    var c = el("circle", {cx: px(t[5]).toFixed(2), cy: py(t[6]).toFixed(2), r: 3.2, fill: t[8],
                          tabindex: 0, "data-i": i});
    c.addEventListener("mouseenter", function (e) { show(i, e); });
    c.addEventListener("mousemove", function (e) { show(i, e); });
    c.addEventListener("mouseleave", hide);
    c.addEventListener("focus", function () { show(i); });
    c.addEventListener("blur", hide);
    c.addEventListener("click", function () { choose(i); });
    c.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { choose(i); } });
    circles[i] = c;
    points.appendChild(c);
  });
  var placed = [];
  function overlaps(a, b) {
    return !(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y);
  }
  DATA.labels.forEach(function (i) {
    var t = DATA.terms[i];
    var x = px(t[5]), y = py(t[6]);
    for (var k = 0; k < DATA.offsets.length; k++) {
      var dx = DATA.offsets[k][0] * 1.4, dy = -DATA.offsets[k][1] * 1.4;
      var anchor = dx > 0 ? "start" : dx < 0 ? "end" : "middle";
      var base = dy < 0 ? "text-after-edge" : dy > 0 ? "text-before-edge" : "central";
      var text = el("text", {x: (x + dx).toFixed(2), y: (y + dy).toFixed(2), "text-anchor": anchor,
                             "dominant-baseline": base, "class": "label", "data-i": i});
      text.textContent = t[0];
      labels.appendChild(text);
      var b = text.getBBox();
      var pad = {x: b.x - 1, y: b.y - 1, width: b.width + 2, height: b.height + 2};
      var inside = pad.x >= L && pad.y >= T && pad.x + pad.width <= L + W && pad.y + pad.height <= T + H;
      if (inside && !placed.some(function (p) { return overlaps(p, pad); })) {
        placed.push(pad);
        text.addEventListener("click", function () { choose(i); });
        text.addEventListener("mouseenter", function (e) { show(i, e); });
        text.addEventListener("mouseleave", hide);
        return;
      }
      labels.removeChild(text);
    }
  });
})();
"""
