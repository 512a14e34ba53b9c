"""Term frequency, collocations, keyness, weighted log-odds, keyword in context, dispersion.

Every function takes the tidy tables (``tokens(docs)``, ``docs``) and returns a
tidy DataFrame. ``by`` names the grouping column (``"source"`` by default, or
``"doc_id"``, or any column you merged into the tokens table); ``by=None``
treats the whole corpus as one group called ``"all"``.

Counts are over word tokens: punctuation is never counted, and n-grams never
cross a sentence boundary or a punctuation token (removed tokens are padded, as
quanteda's ``tokens_remove(padding = TRUE)``: "November 10, 2020" has the bigram
"november 10" but not "10 2020"). Terms are the tokens' ``norm`` (lower case, straight
quotes), so "Karabakh" and "KARABAKH" are one term.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .stats import (CORRECTIONS, adjust_p, chi_square, corrected_chi_square, corrected_log_likelihood, fisher_exact,
                    log_likelihood, log_ratio, p_value, pmi)

KEYNESS_MEASURES = ("g2", "chi2", "log_ratio", "pmi", "fisher")

ALL = "all"


def _groups(toks: pd.DataFrame, by: str | None) -> tuple[pd.DataFrame, str]:
    """Word tokens in reading order, with a ``group`` column."""
    if by is not None and by not in toks.columns:
        raise ValueError(f"no column {by!r} in the tokens table; columns are {', '.join(toks.columns)}")
    words = toks.loc[~toks["is_punct"].astype(bool)].sort_values(["doc_id", "position"], kind="stable")
    group = words[by] if by is not None else pd.Series(ALL, index=words.index)
    return words.assign(group=group.to_numpy()), by or "group"


def _ngrams(words: pd.DataFrame, n: int) -> pd.DataFrame:
    """Consecutive word n-grams within a sentence: group, term, has_stop (and the parts, for n=2)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    size = len(words) - n + 1
    if size <= 0:
        return pd.DataFrame({"group": [], "term": [], "has_stop": pd.Series(dtype=bool)})
    norm = words["norm"].to_numpy(dtype=object)
    stop = words["is_stop"].to_numpy(dtype=bool)
    doc = pd.factorize(words["doc_id"])[0]
    sentence = words["sentence_id"].to_numpy()
    # tokens' positions count punctuation too: a gap means a removed token lay between the two words, and,
    # as quanteda pads removed tokens, an n-gram never spans it ("November 10, 2020" gives no "10 2020")
    position = words["position"].to_numpy()
    same = np.ones(size, dtype=bool)
    has_stop = stop[:size].copy()
    for k in range(1, n):
        same &= ((doc[k:k + size] == doc[:size]) & (sentence[k:k + size] == sentence[:size])
                 & (position[k:k + size] - position[:size] == k))
        has_stop |= stop[k:k + size]
    parts = [pd.Series(norm[k:k + size]) for k in range(n)]
    term = parts[0].str.cat(parts[1:], sep=" ") if n > 1 else parts[0]
    frame = pd.DataFrame({"group": words["group"].to_numpy()[:size], "term": term.to_numpy(), "has_stop": has_stop})
    if n == 2:
        frame["first"], frame["second"] = norm[:size], norm[1:size + 1]
    return frame[same].reset_index(drop=True)


def document_term_counts(toks: pd.DataFrame, *, n: int = 1, keep: tuple[str, ...] = ("source",)) -> pd.DataFrame:
    """One row per document and term (quanteda's document-feature matrix, in long form).

    Columns: doc_id, the document-level columns named in ``keep`` that the
    tokens table has (``source`` by default), term, n (n-gram length), count
    (occurrences in the document, a number of tokens) and has_stop. Counts from separate batches of
    documents can be concatenated; :func:`term_counts`, :func:`keyness` and
    :func:`log_odds` accept this table (n = 1) in place of the tokens, giving the
    same numbers, which lets a large corpus be counted batch by batch (or on
    Dask) without ever holding every token. Rows are sorted by doc_id then term;
    a document's ``keep`` values are those of its first word token.
    """
    keep = [c for c in keep if c in toks.columns and c != "doc_id"]
    if n == 1:
        table = _unigram_counts(toks, keep)
    else:
        words = toks.loc[~toks["is_punct"].astype(bool)].sort_values(["doc_id", "position"], kind="stable")
        grams = _ngrams(words.assign(group=words["doc_id"].to_numpy()), n)
        table = (grams.groupby(["group", "term"], sort=True)
                 .agg(count=("term", "size"), has_stop=("has_stop", "first")).reset_index()
                 .rename(columns={"group": "doc_id"}))
        if keep:
            per_doc = words.drop_duplicates("doc_id").set_index("doc_id")[keep]
            for column in keep:
                table[column] = table["doc_id"].map(per_doc[column]).to_numpy()
    table["n"] = n
    return table[["doc_id", *keep, "term", "n", "count", "has_stop"]].astype({"count": "int64"})


def _inferred_take(values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``values[codes]`` as the column pandas would build from that numpy array (so strings in an object array
    become the default string dtype), but inferring the dtype from the few distinct ``values`` and then
    taking, rather than inferring over every row: that inference was a third of the counting's time."""
    return pd.Series(values).take(codes).reset_index(drop=True)


def _unigram_counts(toks: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
    """doc_id, the ``keep`` columns, term, count, has_stop (as the term's first word token in the document has
    it), sorted by doc_id then term, counting word tokens only.

    By integer codes and sorts of int64 values, not a groupby over strings nor a sort of the table; only the
    columns it needs are taken from the tokens table (filtering and sorting the whole table, then building
    string columns row by row, took two thirds of the time).
    """
    word_rows = np.flatnonzero(~toks["is_punct"].astype(bool).to_numpy())
    doc_codes, doc_ids = pd.factorize(toks["doc_id"].take(word_rows), sort=True)
    term_codes, terms = pd.factorize(toks["norm"].to_numpy()[word_rows], sort=True)
    n_terms = len(terms)
    pair = doc_codes.astype(np.int64) * n_terms + term_codes
    # words in reading order within a document: by position, ties in table order (what the stable sort by
    # doc_id and position gave before); then by (document, term) and that order, so that each pair's first
    # row is its first token, whose has_stop the table reports
    by_position, rank = _reading_order(toks["position"].to_numpy()[word_rows])
    order = by_position[_sort_by(pair, rank)]
    sorted_pair = pair[order]
    starts = _run_starts(sorted_pair)
    unique = sorted_pair[starts]
    first = order[starts]
    doc_of_row = unique // n_terms if n_terms else unique
    table = {"doc_id": _inferred_take(np.asarray(doc_ids, dtype=object), doc_of_row)}
    if keep:
        # a document's values are its first word token's: the earliest, in reading order, of its pairs' first
        # tokens (every document has a pair, and pairs are sorted by document)
        if len(unique):
            first_of_doc = by_position[np.minimum.reduceat(rank[first], _run_starts(doc_of_row))]
            for column in keep:
                table[column] = _inferred_take(toks[column].take(word_rows[first_of_doc]).to_numpy(), doc_of_row)
        else:  # no word tokens: the dtypes that mapping the empty table's doc_id always gave
            per_doc = toks.iloc[:0].set_index("doc_id")
            for column in keep:
                table[column] = table["doc_id"].map(per_doc[column]).to_numpy()
    table["term"] = _inferred_take(np.asarray(terms, dtype=object), unique % n_terms if n_terms else unique)
    table["count"] = np.diff(np.append(starts, len(sorted_pair))).astype("int64")
    table["has_stop"] = toks["is_stop"].to_numpy(dtype=bool)[word_rows[first]]
    return pd.DataFrame(table)


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in a sorted array."""
    return np.flatnonzero(np.concatenate([np.ones(min(len(values), 1), dtype=bool), values[1:] != values[:-1]]))


def _reading_order(position: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row indices sorted by position, ties in row order, and each row's rank in that order.

    Sorting int64 values (position and row packed in one number) is several times faster than a stable
    argsort (0.02 s against 0.25 s for 1.4 million rows); packed only when that cannot overflow.
    """
    size = len(position)
    if not size:
        return np.arange(0), np.arange(0)
    low, high = int(position.min()), int(position.max())
    if (high - low + 1) * size < 2 ** 63:
        by_position = np.sort((position.astype(np.int64) - low) * size + np.arange(size)) % size
    else:
        by_position = np.argsort(position, kind="stable")
    rank = np.empty(size, dtype=np.int64)
    rank[by_position] = np.arange(size)
    return by_position, rank


def _sort_by(major: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """The ranks (``rank`` is a permutation of 0..n-1) sorted by ``major`` then rank; by sorting packed int64
    values when they cannot overflow, else by a lexsort."""
    size = len(major)
    if not size:
        return np.arange(0)
    if int(major.min()) >= 0 and (int(major.max()) + 1) * size < 2 ** 63:
        return np.sort(major * size + rank) % size
    return rank[np.lexsort((rank, major))]


def _is_counts(table: pd.DataFrame) -> bool:
    return "count" in table.columns and "is_punct" not in table.columns


def _grouped_counts(table: pd.DataFrame, by: str | None, n: int) -> tuple[pd.DataFrame, pd.Series, pd.Series, str]:
    """(group, term, count, has_stop) per group and term, word tokens per group, non-stop word tokens
    per group, and the label of the grouping column; from tokens or from :func:`document_term_counts`."""
    if _is_counts(table):
        if n != 1 or (table["n"] != 1).any():
            raise ValueError("a document_term_counts table gives word totals for unigrams only: "
                             "count n-grams from the tokens table")
        if by is not None and by not in table.columns:
            raise ValueError(f"no column {by!r} in the counts table; columns are {', '.join(table.columns)}")
        group = table[by] if by is not None else pd.Series(ALL, index=table.index)
        frame = table.assign(group=group.to_numpy())
        counts = (frame.groupby(["group", "term"], sort=True)
                  .agg(count=("count", "sum"), has_stop=("has_stop", "first")).reset_index())
        totals = frame.groupby("group", sort=True)["count"].sum()
        content = frame.loc[~frame["has_stop"]].groupby("group")["count"].sum().reindex(totals.index, fill_value=0)
        return counts, totals, content, by or "group"
    words, label = _groups(table, by)
    totals = words.groupby("group", sort=True).size()
    content = words.loc[~words["is_stop"]].groupby("group").size().reindex(totals.index, fill_value=0)
    grams = _ngrams(words, n)
    counts = (grams.groupby(["group", "term"], sort=True)
              .agg(count=("term", "size"), has_stop=("has_stop", "first")).reset_index())
    return counts, totals, content, label


def term_counts(toks: pd.DataFrame, by: str | None = "source", *, n: int = 1, drop_stop: bool = False,
                min_count: int = 1) -> pd.DataFrame:
    """How often each term (word or n-gram) occurs in each group.

    Columns: ``by``, term, n (n-gram length), count, per_1000_words (count per
    1,000 word tokens of the group), per_1000_content_words (per 1,000 non-stop
    word tokens; NaN for terms containing a stop word), tfidf (count x smoothed
    idf over the groups, scikit-learn's ``TfidfTransformer(norm=None)``: high for
    terms frequent in this group and rare in the others), has_stop.
    ``drop_stop`` drops terms that contain a stop word.
    """
    counts, totals, content_totals, label = _grouped_counts(toks, by, n)
    if drop_stop:
        counts = counts[~counts["has_stop"]]
    counts = counts[counts["count"] >= min_count].reset_index(drop=True)
    counts["n"] = n
    counts["per_1000_words"] = counts["count"] / counts["group"].map(totals).to_numpy() * 1000
    content = counts["group"].map(content_totals).to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        counts["per_1000_content_words"] = np.where(counts["has_stop"], np.nan, counts["count"] / content * 1000)
    counts["tfidf"] = _tfidf(counts)
    counts = counts.sort_values(["group", "count", "term"], ascending=[True, False, True], kind="stable")
    counts = counts.rename(columns={"group": label})
    return counts[[label, "term", "n", "count", "per_1000_words", "per_1000_content_words", "tfidf", "has_stop"]
                  ].reset_index(drop=True)


def _tfidf(counts: pd.DataFrame) -> np.ndarray:
    if counts.empty:
        return np.array([], dtype=float)
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer  # here, not at import: sklearn takes 0.8 s to load
    g, groups = pd.factorize(counts["group"])
    t, terms = pd.factorize(counts["term"])
    matrix = csr_matrix((counts["count"].to_numpy(dtype=float), (g, t)), shape=(len(groups), len(terms)))
    idf = TfidfTransformer(norm=None, smooth_idf=True).fit(matrix).idf_
    return counts["count"].to_numpy(dtype=float) * idf[t]


def collocations(toks: pd.DataFrame, by: str | None = None, *, min_count: int = 3, drop_stop: bool = True,
                 sort_by: str = "g2") -> pd.DataFrame:
    """Two-word expressions that occur together more often than chance (adjacent words, same sentence).

    For each bigram "w1 w2": count (O11), expected count under independence
    (f(w1 first) x f(w2 second) / number of bigrams), pmi (log2 O/E, bits), t_score
    ((O - E) / sqrt(O)), g2 (four-cell log-likelihood of the 2x2 table of w1-first
    x w2-second) and its p_value. Only bigrams seen ``min_count`` times or more
    are returned; ``drop_stop`` drops bigrams with a stop word. Sorted by ``sort_by``.
    For quanteda's ``textstat_collocations`` (sizes 2 to 4, lambda and z), see
    :func:`analysis.measures.collocations_lambda`.
    """
    words, label = _groups(toks, by)
    grams = _ngrams(words, 2)
    rows = []
    for group, bigrams in grams.groupby("group", sort=True):
        total = len(bigrams)
        first = bigrams.groupby("first").size()
        second = bigrams.groupby("second").size()
        table = bigrams.groupby(["term", "first", "second"]).agg(count=("term", "size"),
                                                                 has_stop=("has_stop", "first")).reset_index()
        table = table[table["count"] >= min_count]
        if drop_stop:
            table = table[~table["has_stop"]]
        if table.empty:
            continue
        o11 = table["count"].to_numpy(dtype=float)
        f1 = table["first"].map(first).to_numpy(dtype=float)
        f2 = table["second"].map(second).to_numpy(dtype=float)
        expected = f1 * f2 / total
        g2 = log_likelihood(o11, f2 - o11, f1, total - f1)
        rows.append(pd.DataFrame({
            "group": group, "collocation": table["term"].to_numpy(), "first": table["first"].to_numpy(),
            "second": table["second"].to_numpy(), "count": table["count"].to_numpy(), "expected": expected,
            "pmi": np.log2(o11 / expected), "t_score": (o11 - expected) / np.sqrt(o11), "g2": g2,
            "p_value": p_value(g2)}))
    columns = ["group", "collocation", "first", "second", "count", "expected", "pmi", "t_score", "g2", "p_value"]
    result = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame({c: [] for c in columns})
    if sort_by not in ("g2", "pmi", "t_score", "count"):
        raise ValueError("sort_by must be 'g2', 'pmi', 't_score' or 'count'")
    result = result.sort_values(["group", sort_by, "collocation"], ascending=[True, False, True], kind="stable")
    return result.rename(columns={"group": label}).reset_index(drop=True)


def keyness(toks: pd.DataFrame, target, by: str = "source", *, reference: str | None = None,
            measure: str = "g2", n: int = 1, drop_stop: bool = False, min_count: int = 1,
            adjust: str = "fdr_bh", correction: str = "none") -> pd.DataFrame:
    """Terms over- and under-used in the ``target`` group against the rest (or one ``reference`` group).

    For each term, the 2x2 table of (term, other words) x (target, reference):
    target_count, reference_count, target_total and reference_total (word tokens),
    rates per 1,000 words, g2 (four-cell log-likelihood, as AntConc and quanteda's
    "lr"), chi2 (Pearson, no continuity correction), log_ratio (Hardie's effect
    size: log2 of the ratio of relative frequencies; +1 = twice as frequent in the
    target), p_value (chi-square, 1 df, of the chosen ``measure``) and p_adjusted
    (``adjust``: Benjamini-Hochberg by default, over all terms tested). g2 and
    chi2 are signed: negative when the term is relatively rarer in the target.
    Sorted from most over-used to most under-used by ``measure``
    (``"g2"``, ``"chi2"``, ``"log_ratio"``, ``"pmi"`` or ``"fisher"``). :func:`keyness_all` gives every
    group's table at once.

    What each equals in quanteda.textstats' ``textstat_keyness`` (checked in the tests against the formulas of
    its src/keyness.cpp): ``g2`` is its ``measure = "lr"`` with ``correction = "none"`` up to the 1e-9 it adds
    inside each log, which adds 2 x 1e-9 x N to |G2| (N: the words of both sides; 7e-6 on the seeds); without
    it the two agree to 1e-9 relative; ``chi2`` is its ``"chi2"`` with ``correction = "none"``, to 1e-12.
    quanteda's *default* corrects both (Yates, when an expected count is below 5): ``correction="yates"``
    gives its default numbers. ``"williams"`` divides g2 and chi2 by Williams' q: equal to quanteda for g2;
    for chi2 quanteda multiplies by q instead (``den / q`` in its chisq_lambda), so its numbers are ours x q^2. ``measure="pmi"``
    adds a ``pmi`` column (its ``"pmi"``: ln(a / E + 1e-9)); ``measure="fisher"`` adds ``odds_ratio`` (the
    conditional MLE, as R's fisher.test) and ``fisher_p`` (two-sided), as its ``"exact"``, and p_value is then
    Fisher's. For "log_ratio" and "pmi", p_value is G2's. The new columns cost nothing unless asked for.

    ``target`` may be a list of groups: they are pooled into one target (quanteda's target of several
    documents), named "a + b" in the ``target`` column, against the rest (or ``reference``).
    """
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, not {correction!r}")
    if not isinstance(target, str) and isinstance(target, (list, tuple, set, pd.Index, np.ndarray)):
        toks, target = _pooled(toks, list(target), by, reference)
    counts, totals, groups = _keyness_counts(toks, by, n, measure)
    if target not in groups:
        raise ValueError(f"no group {target!r} in column {by!r}; groups are {', '.join(map(str, groups))}")
    _check_reference(reference, target, groups, by)
    return _keyness_tables(counts, totals, [target], reference, measure, drop_stop, min_count, adjust, correction)


def _pooled(toks: pd.DataFrame, targets: list, by: str, reference) -> tuple[pd.DataFrame, str]:
    """``toks`` with the ``targets`` groups relabelled as one pooled group, and that group's name."""
    if not targets:
        raise ValueError("target is an empty list")
    if by not in toks.columns:
        raise ValueError(f"no column {by!r}; columns are {', '.join(toks.columns)}")
    present = set(toks[by].dropna().unique())
    missing = [t for t in targets if t not in present]
    if missing:
        raise ValueError(f"no group {missing[0]!r} in column {by!r}; groups are {', '.join(map(str, sorted(present)))}")
    if reference is not None and reference in targets:
        raise ValueError(f"the reference {reference!r} is one of the targets")
    name = " + ".join(map(str, sorted(dict.fromkeys(targets), key=str)))
    if name in present and len(set(targets)) > 1:
        raise ValueError(f"the pooled target's name {name!r} is already a group in column {by!r}")
    values = toks[by].astype(object)
    return toks.assign(**{by: values.where(~values.isin(targets), name)}), name


def keyness_all(toks: pd.DataFrame, by: str = "source", *, targets: list | None = None,
                reference: str | None = None, measure: str = "g2", n: int = 1, drop_stop: bool = False,
                min_count: int = 1, adjust: str = "fdr_bh", correction: str = "none") -> pd.DataFrame:
    """:func:`keyness` for every group (or each of ``targets``) in one pass, stacked.

    Equals ``pd.concat([keyness(toks, t, by, reference=reference, ...) for t in
    targets], ignore_index=True)`` exactly (same rows, order, dtypes and floats,
    bit for bit), with ``targets`` by default every group in sorted order except
    ``reference``; all of :func:`keyness`'s options are supported, with the same
    meanings and units (counts and totals in word tokens, rates per 1,000 words,
    g2 and chi2 signed, log_ratio in doublings, p-values adjusted over each
    target's own terms). ``toks`` is a tokens table or a
    :func:`document_term_counts` table (summed per group or not). The counts are
    summed once and each group's reference counts are the corpus's minus its
    own, instead of one grouping per target: at 10 sources on 10 MB, 0.1 s
    against 1.4 s. Counts must be whole numbers (as tokens and
    :func:`document_term_counts` give) for "corpus minus own" to equal the sum
    of the other groups exactly. Memory: one int64 per target and term.

    Raises ValueError as :func:`keyness` would for any target, and when there is
    nothing to compare: a single group (without ``reference``) or no group.
    """
    counts, totals, groups = _keyness_counts(toks, by, n, measure)
    if targets is None:
        targets = [g for g in groups if g != reference] if reference is not None else list(groups)
        if not groups:
            raise ValueError(f"no groups in column {by!r}: no word tokens to compare")
    else:
        targets = list(targets)
        if len(set(targets)) != len(targets):
            raise ValueError("each target must be named once")
        missing = [t for t in targets if t not in groups]
        if missing:
            raise ValueError(f"no group {missing[0]!r} in column {by!r}; groups are {', '.join(map(str, groups))}")
    for target in targets:
        _check_reference(reference, target, groups, by)
    if not targets:
        raise ValueError(f"no target groups in column {by!r}: nothing to compare")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, not {correction!r}")
    return _keyness_tables(counts, totals, targets, reference, measure, drop_stop, min_count, adjust, correction)


def _keyness_counts(toks: pd.DataFrame, by: str, n: int, measure: str) -> tuple[pd.DataFrame, pd.Series, list]:
    if measure not in KEYNESS_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(KEYNESS_MEASURES)}, not {measure!r}")
    counts, totals, _, _ = _grouped_counts(toks, by, n)
    return counts, totals, sorted(totals.index)


def _check_reference(reference, target, groups: list, by: str) -> None:
    if reference is not None and reference not in groups:
        raise ValueError(f"no reference group {reference!r} in column {by!r}; groups are {', '.join(map(str, groups))}")
    if reference == target:
        raise ValueError("target and reference are the same group")
    if reference is None and len(groups) < 2:
        raise ValueError(f"nothing to compare {target!r} with: it is the only group in column {by!r}")


def _keyness_tables(counts: pd.DataFrame, totals: pd.Series, targets: list, reference, measure: str,
                    drop_stop: bool, min_count: int, adjust: str, correction: str = "none") -> pd.DataFrame:
    """The keyness tables of ``targets`` (checked groups of ``totals``), stacked in that order: the single
    implementation of the statistics, over every (target, term) row at once.

    ``counts``: group, term, count, has_stop, one row per group and term (from :func:`_grouped_counts`);
    ``totals``: word tokens per group. Every number is computed element by element with the formulas and
    order of operations of the one-target computation, so a target's rows equal its table alone bit for bit.
    """
    groups = sorted(totals.index)
    if drop_stop:
        counts = counts[~counts["has_stop"]]
    group_index = pd.Index(groups)
    term_codes, terms = pd.factorize(counts["term"], sort=True)
    # Rows for the targets (and the reference) only, by terms: keyness of one document among thousands
    # (by="doc_id") must not cost a documents x terms matrix. Every (group, term) occurs once in ``counts``.
    group_of_row = group_index.get_indexer(counts["group"])
    values = counts["count"].to_numpy()

    def rows_of(wanted: list) -> np.ndarray:
        row_of_group = np.full(len(groups), -1, dtype=np.int64)
        row_of_group[group_index.get_indexer(wanted)] = np.arange(len(wanted))
        rows = row_of_group[group_of_row]
        mine = rows >= 0
        matrix = np.zeros((len(wanted), len(terms)), dtype=values.dtype)
        matrix[rows[mine], term_codes[mine]] = values[mine]
        return matrix

    target_rows = group_index.get_indexer(targets)
    group_totals = totals.reindex(groups).to_numpy()
    a = rows_of(targets)
    if reference is None:  # the rest of the corpus: everything minus the target
        corpus = np.zeros(len(terms), dtype=values.dtype)
        np.add.at(corpus, term_codes, values)
        b = corpus - a
        d = group_totals.sum() - group_totals[target_rows]
    else:
        reference_row = group_index.get_loc(reference)
        b = np.broadcast_to(rows_of([reference])[0], a.shape)
        d = np.full(len(targets), group_totals[reference_row])
    c = group_totals[target_rows]
    # as keyness always did: a term is tested if either side uses it (a term with a zero or negative count on
    # one side counts 0 there), and kept if both sides together use it min_count times or more
    a, b = np.where(a > 0, a, 0), np.where(b > 0, b, 0)
    keep = ((a > 0) | (b > 0)) & ((a + b) >= min_count)
    row_target, row_term = np.nonzero(keep)  # target by target, terms in sorted order
    a, b = a[keep], b[keep]
    c, d = c.astype(float)[row_target], d.astype(float)[row_target]
    table = pd.DataFrame({"term": terms.take(row_term) if len(terms) else terms[:0],
                          "target": pd.Series(targets, dtype=None if targets else object).take(row_target).array,
                          "reference": (pd.Series([reference] * len(targets) if reference is not None
                                                  else ["(rest)"] * len(targets)).take(row_target).array),
                          "target_count": a.astype("int64"), "reference_count": b.astype("int64"),
                          "target_total": c.astype("int64"), "reference_total": d.astype("int64")})
    sign = np.sign(a / c - b / d)
    table["target_per_1000"], table["reference_per_1000"] = a / c * 1000, b / d * 1000
    if correction == "none":
        table["g2"] = sign * log_likelihood(a, b, c, d)
        table["chi2"] = sign * chi_square(a, b, c, d)
    else:
        table["g2"] = sign * corrected_log_likelihood(a, b, c, d, correction)
        table["chi2"] = sign * corrected_chi_square(a, b, c, d, correction)
    table["log_ratio"] = log_ratio(a, b, c, d)
    statistic = np.abs(table["chi2" if measure == "chi2" else "g2"].to_numpy())
    table["p_value"] = _p_values(statistic)
    if measure == "pmi":
        table["pmi"] = pmi(a, b, c, d)
    elif measure == "fisher":
        table["odds_ratio"], table["fisher_p"] = fisher_exact(a, b, c, d)
        table["p_value"] = table["fisher_p"].to_numpy()
    # adjusted over each target's own terms, as in its table alone
    bounds = np.searchsorted(row_target, np.arange(len(targets) + 1))
    p = table["p_value"].to_numpy()
    table["p_adjusted"] = np.concatenate([adjust_p(p[start:end], adjust) for start, end in zip(bounds[:-1], bounds[1:])]
                                         or [adjust_p(p, adjust)])
    # by target, then from most over-used to most under-used (NaN last, as sort_values puts it), then term
    # (the term codes are in sorted term order); lexsort is stable and the keys are unique
    order = np.lexsort((row_term, -table["odds_ratio" if measure == "fisher" else measure].to_numpy(), row_target))
    return table.take(order).reset_index(drop=True)


def _p_values(statistic: np.ndarray) -> np.ndarray:
    """:func:`analysis.measures.stats.p_value` of each statistic, computed once per distinct value.

    The chi-square tail is the costliest step of keyness (0.11 s of 0.25 s for 10 sources on 10 MB), and
    most rows share their statistic with others (terms seen once or twice in a group have the same 2x2
    table); the tail is an element-wise function, so mapping the distinct values back is bit-identical.
    """
    distinct, inverse = np.unique(statistic, return_inverse=True)
    return p_value(distinct)[inverse]


def log_odds(toks: pd.DataFrame, by: str = "source", *, prior: str | pd.Series = "corpus",
             alpha: float = 0.01, prior_size: float | None = None, n: int = 1,
             drop_stop: bool = False) -> pd.DataFrame:
    """Weighted log-odds ratios with a Dirichlet prior (Monroe, Colaresi and Quinn 2008), each group vs the rest.

    For word w, group i and the rest j (all other groups), with prior counts a_w
    and a_0 = sum of a_w:

        delta = ln[(y_wi + a_w) / (n_i + a_0 - y_wi - a_w)] - ln[(y_wj + a_w) / (n_j + a_0 - y_wj - a_w)]
        variance ~ 1 / (y_wi + a_w) + 1 / (y_wj + a_w),   z = delta / sqrt(variance)

    (their equations 16, 18-20). ``prior="corpus"``: the informative prior a_w =
    a_0 * (corpus frequency of w / corpus size) with a_0 = ``prior_size``
    (default: the corpus size, i.e. a_w = the word's corpus count, as tidylo);
    ``prior="uniform"``: a_w = ``alpha`` for every word; or a Series of prior
    counts indexed by term (e.g. counts from a background corpus).

    Columns: ``by``, term, count, group_total, rest_count, rest_total, prior
    (a_w), delta (log-odds ratio, natural log), variance, z (z > 1.96: reliably
    more typical of the group). Sorted by group then z, descending.
    """
    grouped, _, _, label = _grouped_counts(toks, by, n)
    if drop_stop:
        grouped = grouped[~grouped["has_stop"]]
    counts = grouped.set_index(["group", "term"])["count"].unstack(fill_value=0).T  # terms x groups
    if counts.shape[1] < 2:
        raise ValueError(f"log-odds needs at least two groups in column {by!r}")
    corpus = counts.sum(axis=1)
    total = float(corpus.sum())
    if isinstance(prior, pd.Series):
        a_w = prior.reindex(counts.index).fillna(0).astype(float)
        if (a_w <= 0).any():
            missing = list(a_w[a_w <= 0].index[:5])
            raise ValueError(f"the prior must give a positive count for every term; missing e.g. {missing}")
    elif prior == "corpus":
        a_w = corpus / total * (prior_size if prior_size is not None else total)
    elif prior == "uniform":
        a_w = pd.Series(alpha, index=counts.index, dtype=float)
    else:
        raise ValueError("prior must be 'corpus', 'uniform' or a Series of prior counts")
    a0 = float(a_w.sum())
    rows = []
    for group in counts.columns:
        y_i = counts[group].astype(float)
        n_i = float(y_i.sum())
        y_j, n_j = corpus - y_i, total - n_i
        delta = (np.log((y_i + a_w) / (n_i + a0 - y_i - a_w))
                 - np.log((y_j + a_w) / (n_j + a0 - y_j - a_w)))
        variance = 1.0 / (y_i + a_w) + 1.0 / (y_j + a_w)
        rows.append(pd.DataFrame({
            "group": group, "term": counts.index, "count": y_i.astype("int64").to_numpy(),
            "group_total": int(n_i), "rest_count": y_j.astype("int64").to_numpy(), "rest_total": int(n_j),
            "prior": a_w.to_numpy(), "delta": delta.to_numpy(), "variance": variance.to_numpy(),
            "z": (delta / np.sqrt(variance)).to_numpy()}))
    result = pd.concat(rows, ignore_index=True)
    result = result.sort_values(["group", "z", "term"], ascending=[True, False, True], kind="stable")
    return result.rename(columns={"group": label}).reset_index(drop=True)


def _pattern(pattern: str, regex: bool, case_sensitive: bool) -> re.Pattern:
    """A word, a phrase (any white space between words) or a glob with * as in quanteda; or a regex."""
    if not regex:
        parts = [re.escape(word).replace(r"\*", r"\w*") for word in pattern.split()]
        pattern = r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"
    try:
        return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"bad pattern {pattern!r}: {err}") from None


KWIC_MATCHING = ("tokens", "text")


def _token_pattern(word: str, regex: bool, case_sensitive: bool) -> re.Pattern:
    """One pattern word matched against one whole token: a glob (``*`` = any characters) or a regex."""
    source = word if regex else "".join(r".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", word))
    try:
        return re.compile(source, 0 if case_sensitive else re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"bad pattern {word!r}: {err}") from None


def _token_hits(toks: pd.DataFrame, pattern: str, regex: bool, case_sensitive: bool) -> pd.DataFrame:
    """Runs of consecutive tokens (punctuation included, as quanteda's tokens) matching the pattern's words."""
    words = [pattern] if regex else pattern.split()
    if not words:
        raise ValueError("empty pattern")
    ordered = toks.sort_values(["doc_id", "position"], kind="stable").reset_index(drop=True)
    text = ordered["token"].astype(str)
    doc = pd.factorize(ordered["doc_id"])[0]
    position = ordered["position"].to_numpy()
    n, size = len(words), len(ordered) - len(words) + 1
    if size <= 0:
        return ordered.iloc[0:0].assign(last=pd.Series(dtype="int64"))
    hit = np.ones(size, dtype=bool)
    for k, word in enumerate(words):
        compiled = _token_pattern(word, regex, case_sensitive)
        matched = text.map(lambda t, c=compiled: c.fullmatch(t) is not None).to_numpy(dtype=bool)
        hit &= matched[k:k + size]
        if k:
            hit &= (doc[k:k + size] == doc[:size]) & (position[k:k + size] - position[:size] == k)
    first = np.flatnonzero(hit)
    found = ordered.iloc[first].copy()
    found["last"] = first + n - 1
    found["end"] = ordered["end"].to_numpy()[first + n - 1]
    return found


def kwic(docs: pd.DataFrame, pattern: str, *, window: int = 5, regex: bool = False,
         case_sensitive: bool = False, toks: pd.DataFrame | None = None, on: str = "tokens") -> pd.DataFrame:
    """Keyword in context: every match of ``pattern`` with ``window`` tokens either side.

    ``on="tokens"`` (default, as quanteda's kwic): each word of ``pattern`` must match one whole token of the
    tokens table, a phrase ("Russian peacekeepers") consecutive tokens; a word is a glob ("peacekeep*",
    ``*`` = any characters) or, with ``regex=True``, a regular expression matched against the whole token.
    So "Karabakh" does not match inside the token "Nagorno-Karabakh", and the hits are exactly the
    occurrences the term counts see (:func:`term_counts` counts the same tokens, lower-cased).
    ``on="text"``: the pattern is searched in the document text at word boundaries (a regex may then span
    tokens: "self-(?:declared|proclaimed)"), which also finds a word inside a hyphenated compound.
    Case is ignored unless ``case_sensitive``. Columns: doc_id, source, sentence_id, start, end (character
    offsets into the document's text), left, match, right (context: ``window`` tokens, punctuation
    included, either side; it may cross sentence boundaries, as in quanteda; line breaks show as spaces).
    """
    from ..text.segment import tokens as make_tokens
    if on not in KWIC_MATCHING:
        raise ValueError(f"on must be 'tokens' or 'text', not {on!r}")
    toks = make_tokens(docs) if toks is None else toks
    by_doc = {doc_id: group.sort_values("position", kind="stable") for doc_id, group in toks.groupby("doc_id", sort=False)}
    if on == "tokens":
        found = _token_hits(toks, pattern, regex, case_sensitive)
        spans = {doc_id: list(zip(g["start"].to_numpy(), g["end"].to_numpy()))
                 for doc_id, g in found.groupby("doc_id", sort=False)}
    else:
        compiled = _pattern(pattern, regex, case_sensitive)
    rows = []
    for doc_id, source, text in zip(docs["doc_id"], docs["source"], docs["text"]):
        doc_toks = by_doc.get(doc_id)
        if doc_toks is None:
            continue
        starts, ends = doc_toks["start"].to_numpy(), doc_toks["end"].to_numpy()
        sentence = doc_toks["sentence_id"].to_numpy()
        matches = (spans.get(doc_id, []) if on == "tokens" else
                   [(m.start(), m.end()) for m in compiled.finditer(text) if m.end() > m.start()])
        for m_start, m_end in matches:
            first = max(int(np.searchsorted(ends, m_start, side="right")), 0)
            after = int(np.searchsorted(starts, m_end, side="left"))
            left_from = starts[max(first - window, 0)] if first > 0 else m_start
            right_to = ends[min(after + window, len(ends)) - 1] if after < len(ends) else m_end
            rows.append((doc_id, source, int(sentence[min(first, len(sentence) - 1)]), int(m_start), int(m_end),
                         _flat(text[left_from:m_start]), _flat(text[m_start:m_end]), _flat(text[m_end:right_to])))
    return pd.DataFrame(rows, columns=["doc_id", "source", "sentence_id", "start", "end", "left", "match", "right"])


def _flat(text: str) -> str:
    return " ".join(text.split())


def dispersion(docs: pd.DataFrame, patterns: str | list[str], *, regex: bool = False,
               case_sensitive: bool = False, toks: pd.DataFrame | None = None, on: str = "tokens") -> pd.DataFrame:
    """Where in each document each pattern occurs, for a lexical dispersion plot.

    One row per occurrence: doc_id, source, pattern, sentence_id, start,
    token_position (1-based index, among all the document's tokens, of the token where the match starts),
    n_tokens (word and punctuation tokens in the document) and
    relative_position (token_position / n_tokens, in (0, 1]: 0.5 is mid-article). ``on``: as :func:`kwic`.
    """
    from ..text.segment import tokens as make_tokens
    toks = make_tokens(docs) if toks is None else toks
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    sizes = toks.groupby("doc_id").size()
    parts = []
    for pattern in patterns:
        hits = kwic(docs, pattern, window=0, regex=regex, case_sensitive=case_sensitive, toks=toks, on=on)
        hits.insert(2, "pattern", pattern)
        parts.append(hits)
    hits = pd.concat(parts, ignore_index=True)
    token_ends = {doc_id: group["end"].to_numpy() for doc_id, group in toks.groupby("doc_id", sort=False)}
    positions = [int(np.searchsorted(token_ends[doc_id], start, side="right")) + 1
                 for doc_id, start in zip(hits["doc_id"], hits["start"])]
    hits["token_position"] = np.array(positions, dtype=np.int64)
    hits["n_tokens"] = hits["doc_id"].map(sizes).astype("int64")
    hits["relative_position"] = hits["token_position"] / hits["n_tokens"]
    return hits[["doc_id", "source", "pattern", "sentence_id", "start", "token_position", "n_tokens",
                 "relative_position"]]
