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


def _cells(a, b, c, d):
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = c + d
    observed = (a, b, c - a, d - b)
    row_term, row_other = a + b, n - (a + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = (c * row_term / n, d * row_term / n, c * row_other / n, d * row_other / n)
    return observed, expected


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Dunning's log-likelihood G2 over all four cells (as AntConc and quanteda's "lr").

    G2 = 2 * sum(O * ln(O / E)), cells with O = 0 contributing 0. Unsigned;
    compare ``a/c`` with ``b/d`` for the direction. Equals the G-test of independence.
    """
    observed, expected = _cells(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = [xlogy(o, o) - xlogy(o, e) for o, e in zip(observed, expected)]
    return 2.0 * np.sum(terms, axis=0)


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
