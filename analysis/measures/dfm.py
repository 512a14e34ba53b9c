"""Term statistics on the long-form document-feature matrix, with the options quanteda and tidytext users expect.

The input is the package's tidy counts table, :func:`analysis.measures.frequency.document_term_counts` (one row per
document and term: doc_id, term, count, ...), or, for :func:`term_frequency`, the tokens table itself.
Each function mirrors one peer function, named in its docstring, and says where it departs from it:

=====================  =================================================================================
:func:`term_frequency`  quanteda.textstats ``textstat_frequency(x, n, groups, ties_method)``
:func:`trim_terms`      quanteda ``dfm_trim(x, min_termfreq, max_termfreq, termfreq_type, min_docfreq, ...)``
:func:`weight_terms`    quanteda ``dfm_weight(x, scheme, base, k)``
:func:`tf_idf`          quanteda ``dfm_tfidf(x)``, tidytext ``bind_tf_idf(tbl, term, document, n)``,
                        scikit-learn ``TfidfTransformer(norm=None, smooth_idf=True)``
=====================  =================================================================================

A "document" is a value of ``doc_id`` (or, where a function takes ``by``, of that column). Documents without
any word token have no row in a counts table, so they are not counted among the N documents (quanteda
counts every document of the dfm, empty ones too).

Relation to :func:`analysis.measures.frequency.term_counts`: its ``tfidf`` column is scikit-learn's smoothed tf-idf
over the groups of ``by``, i.e. ``tf_idf(document_term_counts(toks), scheme="sklearn", by="source")["tf_idf"]``
for the same (source, term), with term_counts' defaults (``drop_stop=False``, ``min_count=1``; its filters act
before the idf is computed, so they change the document frequencies).
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

ALL = "all"
TIES_METHODS = ("min", "average", "first", "max", "dense")
TRIM_TYPES = ("count", "prop", "rank", "quantile")
WEIGHT_SCHEMES = ("count", "prop", "propmax", "logcount", "boolean", "augmented", "logave")
TFIDF_SCHEMES = ("quanteda", "tidytext", "sklearn")


def _is_counts(table: pd.DataFrame) -> bool:
    return "count" in table.columns and "term" in table.columns and "is_punct" not in table.columns


def _require_counts(counts: pd.DataFrame, name: str) -> None:
    missing = [c for c in ("doc_id", "term", "count") if c not in counts.columns]
    if missing:
        raise ValueError(f"{name} needs a document_term_counts table (doc_id, term, count); "
                         f"missing {', '.join(missing)}")


def _log(x, base: float):
    """log_base(x) as R's ``log(x, base)`` computes it (log10 and log2 exactly, else ln x / ln base)."""
    if base == 10:
        return np.log10(x)
    if base == 2:
        return np.log2(x)
    if base == np.e:
        return np.log(x)
    return np.log(x) / np.log(base)


# textstat_frequency -------------------------------------------------------------------------------------------

def term_frequency(toks_or_counts: pd.DataFrame, *, by: str | None = None, n: int | None = None,
                   ties_method: str = "min") -> pd.DataFrame:
    """How often each term occurs, its rank and document frequency; as quanteda.textstats'
    ``textstat_frequency(x, n = n, groups = by, ties_method = ties_method)``.

    Input: the tokens table (unigram counts of word tokens' ``norm``, as :func:`document_term_counts`) or a
    :func:`document_term_counts` table (any n; its rows are summed).

    Columns (quanteda's, with its ``feature`` called ``term``):

    - term;
    - frequency: occurrences of the term in the group (a number of tokens; colSums of the grouped dfm);
    - rank: ``rank(-frequency, ties.method = ties_method)`` within the group, 1 = most frequent; with the
      default "min", frequencies 10, 10, 9 rank 1, 1, 3 (int64, float64 for "average");
    - docfreq: documents of the group (distinct doc_id) in which the term occurs at least once;
    - group: the value of ``by``, or ``"all"`` when ``by`` is None.

    Sorted as quanteda sorts (``order(group, rank)``, a stable sort): groups in ascending order, then rank;
    terms of equal rank keep the dfm's feature order, the order in which terms first appear (tokens: in
    reading order, documents in the order they first appear in the table; counts: in row order, i.e.
    by doc_id, then term). ``n`` keeps the first ``n`` rows of each group (``head(n)``), so ties at the
    cut are broken by that order. ``ties_method``: "min", "average", "first" (ties in feature order),
    "max" or "dense"; quanteda's "random" is not offered (it depends on R's random number generator).
    """
    if ties_method not in TIES_METHODS:
        raise ValueError(f"ties_method must be one of {', '.join(TIES_METHODS)}, not {ties_method!r}")
    if n is not None and (not isinstance(n, numbers.Integral) or n < 0):
        raise ValueError("n must be a non-negative integer or None")
    table = toks_or_counts
    if by is not None and by not in table.columns:
        raise ValueError(f"no column {by!r} in the table; columns are {', '.join(table.columns)}")
    if _is_counts(table):
        _require_counts(table, "term_frequency")
        cols = ["doc_id", "term", "count"] + ([by] if by not in (None, "doc_id") else [])
        counts = table[cols]
        feature_order = pd.unique(counts["term"].to_numpy(dtype=object))
    else:
        from .frequency import document_term_counts
        words = table.loc[~table["is_punct"].astype(bool)]
        doc_order = pd.factorize(words["doc_id"])[0]
        reading = np.lexsort((words["position"].to_numpy(), doc_order))
        feature_order = pd.unique(words["norm"].to_numpy(dtype=object)[reading])
        keep = (by,) if by not in (None, "doc_id") else ()
        counts = document_term_counts(table, n=1, keep=keep)
    counts = counts.loc[counts["count"].to_numpy() > 0]
    if counts.empty:
        raise ValueError("no term occurs in the table (quanteda: dfm is empty)")
    group = counts[by].to_numpy() if by is not None else np.full(len(counts), ALL, dtype=object)
    frame = pd.DataFrame({"group": group, "term": counts["term"].to_numpy(dtype=object),
                          "doc_id": counts["doc_id"].to_numpy(), "count": counts["count"].to_numpy()})
    result = (frame.groupby(["group", "term"], sort=False)
              .agg(frequency=("count", "sum"), docfreq=("doc_id", "nunique")).reset_index())
    feature_code = pd.Index(feature_order).get_indexer(result["term"])
    result = result.assign(_feature=feature_code).sort_values(["group", "_feature"], kind="stable")
    rank = result.groupby("group", sort=False)["frequency"].rank(method=ties_method, ascending=False)
    result["rank"] = rank.astype("float64" if ties_method == "average" else "int64")
    result = result.sort_values(["group", "rank"], kind="stable")
    if n is not None:
        result = result.groupby("group", sort=False).head(n)
    result["docfreq"] = result["docfreq"].astype("int64")
    return result[["term", "frequency", "rank", "docfreq", "group"]].reset_index(drop=True)


# dfm_trim -----------------------------------------------------------------------------------------------------

def _r_quantile_type1(values: np.ndarray, prob: float) -> float:
    """R's ``quantile(values, prob, type = 1)``: the inverse of the empirical distribution function."""
    x = np.sort(np.asarray(values, dtype=float))
    size = len(x)
    nppm = size * prob
    j = int(np.floor(nppm + 4 * np.finfo(float).eps))
    index = j + 1 if nppm > j else j  # 1-based; 0 means the smallest value
    return float(x[min(max(index, 1), size) - 1])


def _check(value, kind: str, name: str):
    if kind in ("count", "rank"):
        low = 1 if kind == "rank" else 0
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != int(value) or value < low:
            raise ValueError(f"{name} must be a whole number >= {low} for type {kind!r}, not {value!r} "
                             f"(for a fraction of the total use type 'prop')")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1 for type {kind!r}, not {value!r}")
    return float(value)


def _limits(freq: np.ndarray, low, high, kind: str, total: float, what: str) -> tuple[float, float]:
    """The [min, max] a frequency must lie in, as dfm_trim turns its arguments into them."""
    if kind not in TRIM_TYPES:
        raise ValueError(f"{what}_type must be one of {', '.join(TRIM_TYPES)}, not {kind!r}")
    low = None if low is None else _check(low, kind, f"min_{what}")
    high = None if high is None else _check(high, kind, f"max_{what}")
    if kind == "count":
        return (1 if low is None else low), (freq.max() if high is None else high)
    if kind == "prop":
        return (0.0 if low is None else low) * total, (1.0 if high is None else high) * total
    if kind == "quantile":
        return (_r_quantile_type1(freq, 0.0 if low is None else low),
                _r_quantile_type1(freq, 1.0 if high is None else high))
    # rank: rank(-freq, ties.method = "min"); R's min/max of nothing are Inf/-Inf (nothing kept)
    rank = pd.Series(-freq).rank(method="min").to_numpy()
    low = len(freq) if low is None else low
    high = 1 if high is None else high
    above, below = freq[rank <= low], freq[rank >= high]
    return (above.min() if len(above) else np.inf), (below.max() if len(below) else -np.inf)


def trim_terms(counts: pd.DataFrame, *, min_termfreq=None, max_termfreq=None, termfreq_type: str = "count",
               min_docfreq=None, max_docfreq=None, docfreq_type: str = "count") -> pd.DataFrame:
    """The rows of a :func:`document_term_counts` table whose terms pass frequency thresholds; as quanteda's
    ``dfm_trim`` (same arguments, same semantics).

    A term's term frequency is its count summed over all documents (tokens); its document frequency is the
    number of documents (distinct doc_id) with a positive count. A term is kept when
    min <= frequency <= max for both, the limits being, by type:

    - "count": the values themselves (whole numbers); defaults min 1, max the largest frequency;
    - "prop": the value x the total (termfreq: the sum of all counts; docfreq: the number of documents N);
      defaults 0 and 1;
    - "quantile": R's ``quantile(frequencies, value, type = 1)`` over the terms; defaults 0 and 1;
    - "rank": ranks are ``rank(-frequency, ties.method = "min")`` (1 = most frequent): ``min = r`` keeps
      terms at least as frequent as the least frequent term ranked <= r, ``max = r`` keeps terms no more
      frequent than the most frequent term ranked >= r (none, when no term ranks that low). So
      ``max_docfreq=2, docfreq_type="rank"`` drops the terms sharing the top document frequency.

    Returns the input rows (all columns, original order) for the kept terms. Deviations: fractional or
    negative "count"/"rank" values raise ValueError rather than warn; N counts only the documents present in
    the table.
    """
    _require_counts(counts, "trim_terms")
    if counts.empty:
        return counts.reset_index(drop=True)
    positive = counts.loc[counts["count"].to_numpy() > 0]
    per_term = counts.groupby("term", sort=True)["count"].sum()
    docfreq = positive.groupby("term")["doc_id"].nunique().reindex(per_term.index, fill_value=0)
    freq = per_term.to_numpy(dtype=float)
    dfreq = docfreq.to_numpy(dtype=float)
    n_docs = counts["doc_id"].nunique()
    t_low, t_high = _limits(freq, min_termfreq, max_termfreq, termfreq_type, float(freq.sum()), "termfreq")
    d_low, d_high = _limits(dfreq, min_docfreq, max_docfreq, docfreq_type, float(n_docs), "docfreq")
    keep = (freq >= t_low) & (freq <= t_high) & (dfreq >= d_low) & (dfreq <= d_high)
    kept = per_term.index[keep]
    return counts.loc[counts["term"].isin(kept).to_numpy()].reset_index(drop=True)


# dfm_weight ---------------------------------------------------------------------------------------------------

def _weights(count: np.ndarray, doc: np.ndarray, scheme: str, base: float, k: float) -> np.ndarray:
    if scheme not in WEIGHT_SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(WEIGHT_SCHEMES)}, not {scheme!r}")
    if not 0 <= k <= 1:
        raise ValueError("k must be between 0 and 1")
    c = count.astype(float)
    nonzero = c != 0
    frame = pd.DataFrame({"doc": doc, "c": c, "nz": nonzero.astype(float)})
    grouped = frame.groupby("doc", sort=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        if scheme == "count":
            w = c
        elif scheme == "prop":
            w = c / grouped["c"].transform("sum").to_numpy()
        elif scheme == "propmax":
            w = c / grouped["c"].transform("max").to_numpy()
        elif scheme == "boolean":
            w = (c > 0).astype(float)
        elif scheme == "logcount":
            w = 1 + _log(c, base)
        elif scheme == "augmented":
            w = k + (1 - k) * c / grouped["c"].transform("max").to_numpy()
        else:  # logave
            mean = grouped["c"].transform("sum").to_numpy() / grouped["nz"].transform("sum").to_numpy()
            w = (1 + _log(c, base)) / (1 + _log(mean, base))
    return np.where(nonzero, w, 0.0)  # a sparse dfm weights only its non-zero cells


def weight_terms(counts: pd.DataFrame, scheme: str = "count", base: float = 10, *, k: float = 0.5) -> pd.DataFrame:
    """The counts table with a ``weight`` column: each count weighted within its document; as quanteda's
    ``dfm_weight(x, scheme, base = base, k = k)``. For count c of term j in document i:

    - "count": c (tokens);
    - "prop": c / sum_j c (share of the document's tokens, in [0, 1]);
    - "propmax": c / max_j c (relative to the document's most frequent term);
    - "logcount": 1 + log_base(c);
    - "boolean": 1;
    - "augmented": k + (1 - k) * c / max_j c (k = 0.5 by default);
    - "logave": (1 + log_base c) / (1 + log_base(mean count of the terms the document contains)).

    Rows with a zero count weigh 0 (quanteda weights only a sparse dfm's non-zero cells). ``base`` only
    affects "logcount" and "logave". Rows and columns are kept as they are; the document is ``doc_id``.
    """
    _require_counts(counts, "weight_terms")
    out = counts.copy()
    out["weight"] = _weights(counts["count"].to_numpy(), counts["doc_id"].to_numpy(), scheme, base, k)
    return out


# tf-idf -------------------------------------------------------------------------------------------------------

def tf_idf(counts: pd.DataFrame, *, scheme: str = "quanteda", by: str = "doc_id", scheme_tf: str = "count",
           base: float = 10) -> pd.DataFrame:
    """The counts table with tf, idf and tf_idf (= tf x idf) columns, by one of three peers' definitions.

    N is the number of documents (distinct values of ``by``), df the number of them in which the term
    occurs (positive count), c the term's count in the document (tokens), and T the document's total count.

    - ``"quanteda"``: ``dfm_tfidf(x, scheme_tf, scheme_df = "inverse", base)``; with the defaults,
      tf = c (a count, ``scheme_tf="count"``; any :func:`weight_terms` scheme may be named, e.g. "prop" gives
      c / T) and idf = log10(N / df), unsmoothed (``docfreq(x, "inverse")``, 0 for a term in every document).
    - ``"tidytext"``: ``bind_tf_idf(tbl, term, document, n)``: tf = c / T (a proportion), idf = ln(N / df).
    - ``"sklearn"``: ``TfidfTransformer(norm=None, smooth_idf=True, sublinear_tf=False)``: tf = c,
      idf = ln((1 + N) / (1 + df)) + 1 (never 0); this is the ``tfidf`` column of
      :func:`analysis.measures.frequency.term_counts` when ``by`` is that function's grouping column.

    ``by`` names the "documents": with ``by="doc_id"`` (default) the input rows are kept as they are (all
    columns, same order) and the three columns added; with another column (e.g. ``"source"``) counts are
    first summed per (``by``, term) and the result has the columns ``by``, term, count, tf, idf, tf_idf,
    sorted by ``by`` then term. ``scheme_tf`` and ``base`` belong to the quanteda scheme only.
    """
    _require_counts(counts, "tf_idf")
    if scheme not in TFIDF_SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(TFIDF_SCHEMES)}, not {scheme!r}")
    if scheme != "quanteda" and (scheme_tf != "count" or base != 10):
        raise ValueError("scheme_tf and base apply to scheme='quanteda' only")
    if by not in counts.columns:
        raise ValueError(f"no column {by!r} in the counts table; columns are {', '.join(counts.columns)}")
    if by == "doc_id" and not counts.duplicated(["doc_id", "term"]).any():
        table = counts.copy()
    else:
        table = counts.groupby([by, "term"], sort=True)["count"].sum().reset_index()
    count = table["count"].to_numpy(dtype=float)
    docs = table[by].to_numpy()
    n_docs = float(pd.unique(docs).size)
    positive = count > 0
    df = (pd.Series(positive.astype(float)).groupby(table["term"].to_numpy()).transform("sum").to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        if scheme == "quanteda":
            tf = _weights(table["count"].to_numpy(), docs, scheme_tf, base, 0.5)
            idf = _log(n_docs / df, base)
        elif scheme == "tidytext":
            total = pd.Series(count).groupby(docs).transform("sum").to_numpy()
            tf = count / total
            idf = np.log(n_docs / df)
        else:
            tf = count
            idf = np.log((n_docs + 1) / (df + 1)) + 1
    table["tf"] = tf
    table["idf"] = idf
    table["tf_idf"] = tf * idf
    return table.reset_index(drop=True)
