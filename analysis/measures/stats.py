"""Association statistics for 2x2 frequency tables, vectorised over terms.

Every function takes arrays for one contingency table per term::

                    target      reference
    term              a             b
    other words     c - a         d - b
    total             c             d

so ``a``/``b`` are the term's counts and ``c``/``d`` the two corpus sizes (in
tokens), as on the UCREL log-likelihood calculator page.
"""
from __future__ import annotations

import numpy as np
from scipy.special import xlogy

P_ADJUSTMENTS = ("fdr_bh", "fdr_by", "bonferroni", "none")
CORRECTIONS = ("none", "yates", "williams")
QUANTEDA_EPSILON = 1e-9   # quanteda.textstats adds it inside the logs of "lr" and "pmi" (src/keyness.cpp)


def _cells(a, b, c, d):
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = c + d
    observed = (a, b, c - a, d - b)
    row_term, row_other = a + b, n - (a + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = (c * row_term / n, d * row_term / n, c * row_other / n, d * row_other / n)
    return observed, expected


def _cell_differences(a, b, c, d):
    """O - E of the four cells, from integers where they are exact: (O n - row col) / n, not O - E."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n, row = c + d, a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        first = (a * n - c * row) / n       # the term's cell in the target; the other three follow from it
    return (first, -first, -first, first)


# h(r) = r^2 * sum_{k>=2} (-1)^k r^(k-2) / (k (k-1)): the coefficients of the series, for Horner's rule
_SERIES = [(-1) ** k / (k * (k - 1)) for k in range(2, 19)]


def _excess(ratio):
    """(1 + r) ln(1 + r) - r, accurately also for small r (a Taylor series there: no cancellation)."""
    given = np.asarray(ratio, dtype=float)
    r = given.reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (1 + r) * np.log1p(r) - r
    small = np.flatnonzero(np.abs(r) < 0.1)
    if small.size:
        rs = r[small]
        tiny = np.abs(rs) < 1e-3           # 1e-3: 6 terms reach 1e-18; up to 0.1: 17 terms
        for mask, terms in ((tiny, _SERIES[:6]), (~tiny, _SERIES)):
            x = rs[mask]
            acc = np.full_like(x, terms[-1])
            for coefficient in reversed(terms[:-1]):
                acc = acc * x + coefficient
            out[small[mask]] = x * x * acc
    return out.reshape(given.shape)


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Dunning's log-likelihood G2 over all four cells (as AntConc and quanteda's "lr").

    G2 = 2 * sum(O * ln(O / E)), cells with O = 0 contributing 0. Unsigned;
    compare ``a/c`` with ``b/d`` for the direction. Equals the G-test of independence.

    Computed as 2 * sum(E * h((O - E) / E)) with h(r) = (1 + r) ln(1 + r) - r, which is the same sum
    (the O - E add to 0) with every term non-negative, and O - E taken from the integer counts: the
    textbook form adds large terms of both signs and, for a frequent word used at nearly the same rate
    in both corpora, keeps only the first few digits (relative error 4e-5 with O ln O - O ln E, 1e-6 with
    O ln(O / E), below 1e-12 here; checked against 60-digit arithmetic in the tests).
    """
    observed, expected = _cells(a, b, c, d)
    differences = _cell_differences(a, b, c, d)
    total = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e, diff in zip(observed, expected, differences):
            term = e * _excess(diff / e)
            total = total + np.where(o == 0, e, np.where(e == 0, 0.0, term))   # O = 0: the term is E
    return 2.0 * total


def log_likelihood_two_cell(a, b, c, d) -> np.ndarray:
    """The UCREL calculator's form: G2 = 2 * (a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d).

    Rayson and Garside (2000), after Read and Cressie; shown for comparison with
    published keyword lists that used it. :func:`log_likelihood` is the default.
    """
    observed, expected = _cells(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2.0 * (xlogy(observed[0], observed[0] / expected[0]) + xlogy(observed[1], observed[1] / expected[1]))


def chi_square(a, b, c, d, *, yates: bool = False) -> np.ndarray:
    """Pearson's chi-square over the four cells, optionally with Yates' continuity correction."""
    observed, expected = _cells(a, b, c, d)
    total = 0.0
    for o, e in zip(observed, expected):
        diff = np.abs(o - e)
        if yates:
            diff = np.maximum(diff - 0.5, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            total = total + np.where(e > 0, diff ** 2 / e, 0.0)
    return total


def log_ratio(a, b, c, d, *, zero: float = 0.5) -> np.ndarray:
    """Hardie's Log Ratio: log2 of the ratio of relative frequencies (a/c) / (b/d).

    An effect size in doublings: 1 means twice as frequent in the target, -1 half
    as frequent. A zero count is replaced by ``zero`` (0.5, CQPweb's convention)
    so the ratio stays finite.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    a = np.where(a == 0, zero, a)
    b = np.where(b == 0, zero, b)
    return np.log2((a / c) / (b / d))


def p_value(statistic) -> np.ndarray:
    """Upper-tail p-value of a 1-degree-of-freedom chi-square statistic (G2 or chi-square)."""
    from scipy.stats import chi2  # scipy.stats takes half a second to load: only when p-values are asked for
    return chi2.sf(np.asarray(statistic, dtype=float), df=1)


def adjust_p(p, method: str = "fdr_bh") -> np.ndarray:
    """Correct p-values for testing many terms at once.

    ``fdr_bh``: Benjamini-Hochberg false discovery rate (default); ``fdr_by``:
    Benjamini-Yekutieli (valid under any dependence); ``bonferroni``; ``none``.
    """
    p = np.asarray(p, dtype=float)
    if method not in P_ADJUSTMENTS:
        raise ValueError(f"p-value adjustment must be one of {', '.join(P_ADJUSTMENTS)}, not {method!r}")
    if method == "none" or p.size == 0:
        return p.copy()
    if method == "bonferroni":
        return np.minimum(p * p.size, 1.0)
    from scipy.stats import false_discovery_control
    return false_discovery_control(p, method="bh" if method == "fdr_bh" else "by")


# ----------------------------------------------------------------------------- quanteda's corrections

def _quanteda_cells(a, b, c, d):
    """Our (term counts, corpus sizes) as quanteda.textstats' cells: a, b the term in target and reference,
    c, d the other words of each (its src/keyness.cpp names them so)."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    return a, b, c - a, d - b


def yates_delta(a, b, c, d) -> np.ndarray:
    """quanteda's conditional Yates correction (0.5 or 0): applied when |ad - bc| >= N/2 and some expected
    count is below 5, as ``yates_correction`` in quanteda.textstats src/keyness.cpp."""
    qa, qb, qc, qd = _quanteda_cells(a, b, c, d)
    n = qa + qb + qc + qd
    with np.errstate(divide="ignore", invalid="ignore"):
        small = (((qa + qb) * (qa + qc) / n < 5) | ((qa + qb) * (qb + qd) / n < 5)
                 | ((qa + qc) * (qc + qd) / n < 5) | ((qc + qd) * (qb + qd) / n < 5))
    return np.where((np.abs(qa * qd - qb * qc) >= n / 2) & small, 0.5, 0.0)


def williams_q(a, b, c, d) -> np.ndarray:
    """Williams' (1976) correction factor q for a 2x2 table (statistic / q), 1 when a cell is empty, as
    ``williams_correction`` in quanteda.textstats src/keyness.cpp."""
    qa, qb, qc, qd = _quanteda_cells(a, b, c, d)
    n = qa + qb + qc + qd
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1.0 + (n / (qa + qb) + n / (qc + qd) - 1.0) * (n / (qa + qc) + n / (qb + qd) - 1.0) / (6.0 * n)
    return np.where(qa * qb * qc * qd == 0, 1.0, q)


def corrected_chi_square(a, b, c, d, correction: str = "none") -> np.ndarray:
    """Pearson's chi-square with quanteda's Yates rule or Williams' q, unsigned:
    N (|ad - bc| - N delta)^2 / ((a+b)(c+d)(a+c)(b+d)) / q, delta from :func:`yates_delta` ("yates"),
    q from :func:`williams_q` ("williams"), neither for "none" (which equals :func:`chi_square`). "yates" and
    "none" equal quanteda's ``textstat_keyness(measure = "chi2")``; for "williams" quanteda multiplies by q
    (its chisq_lambda divides the denominator by q), so its value is this one times q^2."""
    _check_correction(correction)
    qa, qb, qc, qd = _quanteda_cells(a, b, c, d)
    n = qa + qb + qc + qd
    delta = yates_delta(a, b, c, d) if correction == "yates" else 0.0
    q = williams_q(a, b, c, d) if correction == "williams" else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return n * (np.abs(qa * qd - qb * qc) - n * delta) ** 2 / ((qa + qb) * (qc + qd) * (qa + qc) * (qb + qd)) / q


def corrected_log_likelihood(a, b, c, d, correction: str = "none") -> np.ndarray:
    """G2 with quanteda's corrections, unsigned: "yates" moves each cell by delta (:func:`yates_delta`) towards
    independence before G2; "williams" divides G2 by :func:`williams_q`; "none" is :func:`log_likelihood`.
    quanteda adds 1e-9 inside each log (:data:`QUANTEDA_EPSILON`), which adds 2 x 1e-9 x N to its G2; this
    does not, and agrees with quanteda's formula without it to 1e-9 relative."""
    _check_correction(correction)
    if correction == "none":
        return log_likelihood(a, b, c, d)
    if correction == "williams":
        return log_likelihood(a, b, c, d) / williams_q(a, b, c, d)
    qa, qb, qc, qd = _quanteda_cells(a, b, c, d)
    delta = yates_delta(a, b, c, d) * np.where(qa * qd - qb * qc > 0, 1.0, -1.0)
    qa, qb, qc, qd = qa - delta, qb + delta, qc + delta, qd - delta
    return log_likelihood(qa, qb, qa + qc, qb + qd)


def pmi(a, b, c, d, *, epsilon: float = QUANTEDA_EPSILON) -> np.ndarray:
    """Pointwise mutual information of the term and the target, natural log: ln(a / E + epsilon), E =
    (a + b) c / (c + d), as quanteda's ``textstat_keyness(measure = "pmi")`` (epsilon 1e-9 keeps a = 0 finite:
    ln(1e-9) = -20.7). Positive: the term is more frequent in the target than independence predicts."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(a / ((a + b) * c / (c + d)) + epsilon)


def fisher_exact(a, b, c, d) -> tuple[np.ndarray, np.ndarray]:
    """Fisher's exact test of each 2x2 table, as R's ``fisher.test`` (which quanteda's measure "exact" calls):
    the conditional maximum-likelihood odds ratio and the two-sided p-value. One scipy call per distinct
    table (scipy.stats.contingency.odds_ratio(kind="conditional"), scipy.stats.fisher_exact): slow on large
    vocabularies, as in quanteda."""
    from scipy.stats import fisher_exact as _fisher
    from scipy.stats.contingency import odds_ratio
    a, b, c, d = (np.asarray(x, dtype=np.int64) for x in (a, b, c, d))
    tables = np.stack([a, c - a, b, d - b], axis=-1).reshape(-1, 4)
    distinct, inverse = np.unique(tables, axis=0, return_inverse=True)
    ratios, ps = np.empty(len(distinct)), np.empty(len(distinct))
    for i, (x11, x12, x21, x22) in enumerate(distinct):
        table = [[int(x11), int(x12)], [int(x21), int(x22)]]
        ratios[i] = odds_ratio(table, kind="conditional").statistic
        ps[i] = _fisher(table, alternative="two-sided").pvalue
    shape = np.broadcast(a, b, c, d).shape
    return ratios[inverse.reshape(-1)].reshape(shape), ps[inverse.reshape(-1)].reshape(shape)


def _check_correction(correction: str) -> None:
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, not {correction!r}")
