"""Build the reference tables in tests/data/dfm_reference/ for tests/test_dfm.py.

Each peer's definition is transcribed independently and plainly (dicts and loops, no pandas, no numpy, no
code shared with analysis/measures/dfm.py) from the peers' source (read 2025):

- quanteda.textstats ``R/textstat_frequency.R``: frequency = colSums of the grouped dfm, docfreq = colSums
  of the boolean-weighted grouped dfm, rank = ``rank(-frequency, ties.method)`` within group, sorted by
  ``order(group, rank)`` (stable: ties keep the dfm's feature order = first appearance), ``head(n)`` per group;
- quanteda ``R/dfm_trim.R``: thresholds by "count", "prop", "quantile" (``quantile(type = 1)``), "rank";
- quanteda ``R/dfm_weight.R``: ``dfm_weight`` schemes, ``docfreq(scheme = "inverse")`` and ``dfm_tfidf``;
- tidytext ``R/bind_tf_idf.R``: tf = n / document total, idf = log(N / number of rows with the term);
- scikit-learn ``TfidfTransformer(norm=None, smooth_idf=True)``: idf = ln((1 + N) / (1 + df)) + 1.

Run:  .venv/bin/python tests/data/dfm_reference/make_dfm_reference.py
"""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

HERE = Path(__file__).parent

# (doc_id, source, text already tokenized by spaces; terms are the lower-cased tokens); doc_ids in order
TOY = [
    ("d1", "Alpha", "Peace talks resumed and the peace deal held"),
    ("d2", "Alpha", "The ceasefire held ceasefire ceasefire talks"),
    ("d3", "Beta", "Talks failed the deal failed"),
    ("d4", "Beta", "Peace peace peace and talks"),
    ("d5", "Gamma", "The war the war the talks and a deal"),
]

TIES = ["min", "average", "first", "max", "dense"]
FREQUENCY_CONFIGS = ([{"by": by, "ties_method": t} for by in (None, "source") for t in TIES]
                     + [{"by": None, "n": 3}, {"by": "source", "n": 2}, {"by": "source", "n": 2, "ties_method": "first"},
                        {"by": "doc_id"}])
TRIM_CONFIGS = [
    {}, {"min_termfreq": 3}, {"max_termfreq": 3}, {"min_termfreq": 2, "max_termfreq": 5},
    {"min_termfreq": 0.1, "termfreq_type": "prop"}, {"max_termfreq": 0.05, "termfreq_type": "prop"},
    {"min_termfreq": 0.5, "termfreq_type": "quantile"}, {"max_termfreq": 0.8, "termfreq_type": "quantile"},
    {"min_termfreq": 0.25, "max_termfreq": 0.75, "termfreq_type": "quantile"},
    {"min_termfreq": 3, "termfreq_type": "rank"}, {"max_termfreq": 2, "termfreq_type": "rank"},
    {"max_termfreq": 40, "termfreq_type": "rank"},
    {"min_docfreq": 2}, {"max_docfreq": 1}, {"min_docfreq": 0.6, "docfreq_type": "prop"},
    {"max_docfreq": 0.4, "docfreq_type": "prop"}, {"min_docfreq": 0.5, "docfreq_type": "quantile"},
    {"max_docfreq": 0.5, "docfreq_type": "quantile"}, {"min_docfreq": 2, "docfreq_type": "rank"},
    {"max_docfreq": 2, "docfreq_type": "rank"},
    {"min_termfreq": 2, "min_docfreq": 2}, {"min_termfreq": 0.05, "termfreq_type": "prop", "max_docfreq": 3},
]
WEIGHT_CONFIGS = [{"scheme": s} for s in ("count", "prop", "propmax", "logcount", "boolean", "augmented", "logave")] + [
    {"scheme": "logcount", "base": 2}, {"scheme": "logave", "base": math.e}, {"scheme": "logcount", "base": 3}]
TFIDF_CONFIGS = [{"scheme": s, "by": by} for s in ("quanteda", "tidytext", "sklearn") for by in ("doc_id", "source")] + [
    {"scheme": "quanteda", "by": "doc_id", "scheme_tf": "prop"}, {"scheme": "quanteda", "by": "doc_id", "base": 2},
    {"scheme": "quanteda", "by": "source", "scheme_tf": "logcount", "base": 2}]


def documents():
    """[(doc_id, source, [terms in reading order])]."""
    return [(doc_id, source, [w.lower() for w in text.split()]) for doc_id, source, text in TOY]


def count_table():
    """{(doc_id, term): count}, {doc_id: source}."""
    counts, sources = {}, {}
    for doc_id, source, terms in documents():
        sources[doc_id] = source
        for term in terms:
            counts[(doc_id, term)] = counts.get((doc_id, term), 0) + 1
    return counts, sources


def feature_order():
    order = []
    for _, _, terms in documents():
        for term in terms:
            if term not in order:
                order.append(term)
    return order


def r_rank(values, method):
    """R's rank(values, ties.method = method), values as given (no negation here)."""
    n = len(values)
    ranks = [0.0] * n
    distinct = sorted(set(values))
    for i, v in enumerate(values):
        below = sum(1 for w in values if w < v)
        equal = [j for j in range(n) if values[j] == v]
        if method == "min":
            ranks[i] = below + 1
        elif method == "max":
            ranks[i] = below + len(equal)
        elif method == "average":
            ranks[i] = below + (len(equal) + 1) / 2
        elif method == "first":
            ranks[i] = below + equal.index(i) + 1
        elif method == "dense":
            ranks[i] = distinct.index(v) + 1
    return ranks


def textstat_frequency(by=None, n=None, ties_method="min"):
    counts, sources = count_table()
    features = feature_order()

    def group_of(doc_id):
        return "all" if by is None else (sources[doc_id] if by == "source" else doc_id)

    groups = sorted({group_of(d) for d, _ in counts})
    rows = []
    for group in groups:
        entries = []
        for term in features:  # the dfm's column order
            freq = sum(c for (d, t), c in counts.items() if t == term and group_of(d) == group)
            docs = sum(1 for (d, t), c in counts.items() if t == term and group_of(d) == group and c > 0)
            if freq > 0:
                entries.append([term, freq, docs])
        ranks = r_rank([-e[1] for e in entries], ties_method)
        ordered = sorted(range(len(entries)), key=lambda i: ranks[i])  # Python's sort is stable, as R's order
        if n is not None:
            ordered = ordered[:n]
        for i in ordered:
            rows.append({"group": group, "term": entries[i][0], "frequency": entries[i][1], "rank": ranks[i],
                         "docfreq": entries[i][2]})
    return rows


def quantile_type1(values, p):
    """R's quantile(values, p, type = 1) (R's quantile.default, with its fuzz)."""
    x = sorted(values)
    n = len(x)
    nppm = n * p
    j = math.floor(nppm + 4 * 2.220446049250313e-16)
    h = nppm > j
    padded = [x[0], x[0]] + x + [x[-1], x[-1]]  # R: x <- c(x[1L], x[1L], x, x[n], x[n]); qs <- x[j + 2L]
    return padded[j + 2] if h else padded[j + 1]


def dfm_trim(min_termfreq=None, max_termfreq=None, termfreq_type="count", min_docfreq=None, max_docfreq=None,
             docfreq_type="count"):
    counts, _ = count_table()
    features = feature_order()
    ndoc = len({d for d, _ in counts})
    freq = [sum(c for (d, t), c in counts.items() if t == f) for f in features]
    freq_doc = [sum(1 for (d, t), c in counts.items() if t == f and c > 0) for f in features]

    def limits(values, lo, hi, kind, total):
        if kind == "count":
            return (1 if lo is None else lo), (max(values) if hi is None else hi)
        if kind == "prop":
            return (0 if lo is None else lo) * total, (1 if hi is None else hi) * total
        if kind == "quantile":
            return quantile_type1(values, 0 if lo is None else lo), quantile_type1(values, 1 if hi is None else hi)
        r = r_rank([-v for v in values], "min")
        lo = len(values) if lo is None else lo
        hi = 1 if hi is None else hi
        above = [v for v, rv in zip(values, r) if rv <= lo]
        below = [v for v, rv in zip(values, r) if rv >= hi]
        return (min(above) if above else math.inf), (max(below) if below else -math.inf)

    t_lo, t_hi = limits(freq, min_termfreq, max_termfreq, termfreq_type, sum(freq))
    d_lo, d_hi = limits(freq_doc, min_docfreq, max_docfreq, docfreq_type, ndoc)
    return sorted(f for f, v, dv in zip(features, freq, freq_doc)
                  if not (v < t_lo or v > t_hi or dv < d_lo or dv > d_hi))


def log_base(x, base):
    """R's log(x, base): log10 / log2 exactly for those bases, else log(x) / log(base)."""
    if base == 10:
        return math.log10(x)
    if base == 2:
        return math.log2(x)
    if base == math.e:
        return math.log(x)
    return math.log(x) / math.log(base)


def dfm_weight(cells, scheme, base=10, k=0.5):
    """cells: {(doc, term): count} (non-zero cells). Returns {(doc, term): weight}."""
    docs = sorted({d for d, _ in cells})
    out = {}
    for doc in docs:
        mine = {t: c for (d, t), c in cells.items() if d == doc}
        total, top, nnz = sum(mine.values()), max(mine.values()), len(mine)
        for term, c in mine.items():
            if scheme == "count":
                w = c
            elif scheme == "prop":
                w = c / total
            elif scheme == "propmax":
                w = c / top
            elif scheme == "boolean":
                w = 1.0
            elif scheme == "logcount":
                w = 1 + log_base(c, base)
            elif scheme == "augmented":
                w = k + (1 - k) * c / top
            elif scheme == "logave":
                w = (1 + log_base(c, base)) / (1 + log_base(total / nnz, base))
            out[(doc, term)] = float(w)
    return out


def cells_by(by):
    counts, sources = count_table()
    if by == "doc_id":
        return dict(counts)
    grouped = {}
    for (d, t), c in counts.items():
        grouped[(sources[d], t)] = grouped.get((sources[d], t), 0) + c
    return grouped


def tfidf(scheme, by, scheme_tf="count", base=10):
    cells = cells_by(by)
    docs = sorted({d for d, _ in cells})
    n = len(docs)
    df = {}
    for (d, t), c in cells.items():
        if c > 0:
            df[t] = df.get(t, 0) + 1
    rows = []
    if scheme == "quanteda":  # dfm_tfidf: dfm_weight(scheme_tf) x docfreq(scheme = "inverse") = log_base(N / df)
        tf = dfm_weight(cells, scheme_tf, base)
        idf = {t: log_base(n / v, base) for t, v in df.items()}
    elif scheme == "tidytext":  # bind_tf_idf
        totals = {d: sum(c for (d2, _), c in cells.items() if d2 == d) for d in docs}
        tf = {(d, t): c / totals[d] for (d, t), c in cells.items()}
        rows_per_term = {}
        for (_, t) in cells:
            rows_per_term[t] = rows_per_term.get(t, 0) + 1
        idf = {t: math.log(n / v) for t, v in rows_per_term.items()}
    else:  # sklearn TfidfTransformer(norm=None, smooth_idf=True): np.log(n_samples / df) + 1 after adding 1 to both
        tf = {key: float(c) for key, c in cells.items()}
        idf = {t: math.log((n + 1) / (v + 1)) + 1 for t, v in df.items()}
    for (d, t) in sorted(cells):
        rows.append({"unit": d, "term": t, "count": cells[(d, t)], "tf": tf[(d, t)], "idf": idf[t],
                     "tf_idf": tf[(d, t)] * idf[t]})
    return rows


def write(name, fields, rows):
    with open(HERE / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: repr(v) if isinstance(v, float) else v for k, v in row.items()})


def main():
    counts, sources = count_table()
    write("counts.csv", ["doc_id", "source", "term", "count"],
          [{"doc_id": d, "source": sources[d], "term": t, "count": c} for (d, t), c in sorted(counts.items())])
    rows = []
    for config in FREQUENCY_CONFIGS:
        for row in textstat_frequency(**config):
            rows.append({"config": json.dumps(config, sort_keys=True), **row})
    write("frequency.csv", ["config", "group", "term", "frequency", "rank", "docfreq"], rows)
    write("trim.csv", ["config", "kept"],
          [{"config": json.dumps(c, sort_keys=True), "kept": " ".join(dfm_trim(**c))} for c in TRIM_CONFIGS])
    rows = []
    for config in WEIGHT_CONFIGS:
        weights = dfm_weight(counts, config["scheme"], config.get("base", 10))
        for (d, t), w in sorted(weights.items()):
            rows.append({"config": json.dumps(config, sort_keys=True), "doc_id": d, "term": t, "weight": w})
    write("weight.csv", ["config", "doc_id", "term", "weight"], rows)
    rows = []
    for config in TFIDF_CONFIGS:
        for row in tfidf(**config):
            rows.append({"config": json.dumps(config, sort_keys=True), **row})
    write("tfidf.csv", ["config", "unit", "term", "count", "tf", "idf", "tf_idf"], rows)


if __name__ == "__main__":
    main()
