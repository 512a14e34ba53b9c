"""Partials: what each batch hands to the reduction, stored compactly, and how they are summed.

A batch's per-document counts travel to the parent process with their text columns as categories
(:func:`compact`), are put back together by :func:`concat`, and term counts are summed per source and term
as batches arrive (:class:`TermTotals`, :func:`sum_terms`): the parent never holds a token table.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def compact(table: pd.DataFrame) -> pd.DataFrame:
    """Text columns as categories: the parent holds every batch's partials until the end, and a doc_id or
    actor name repeated on every row would cost more than the counts. :func:`concat` restores them."""
    return table.astype({c: "category" for c in table.columns if pd.api.types.is_string_dtype(table[c].dtype)})


def concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The tables one under the other; category columns (see :func:`compact`) back to their categories' type."""
    parts = [p for p in parts if p is not None and len(p.columns)]
    if not parts:
        return pd.DataFrame()
    if not any(isinstance(dtype, pd.CategoricalDtype) for dtype in parts[0].dtypes):
        return pd.concat(parts, ignore_index=True)
    columns = {}
    for column in parts[0].columns:
        values = [p[column] for p in parts]
        if isinstance(values[0].dtype, pd.CategoricalDtype):
            # Categories differ between batches: join the codes against the union of the categories, and
            # decode once, so the full-length text column exists only in the result.
            categories = pd.Index(pd.unique(np.concatenate([v.cat.categories.to_numpy(dtype=object)
                                                            for v in values])))
            # a missing value (code -1) picks the -1 appended to each batch's translation
            codes = np.concatenate([np.append(categories.get_indexer(v.cat.categories), -1)[v.cat.codes.to_numpy()]
                                    for v in values])
            kind = values[0].cat.categories.dtype
            kind = kind if pd.api.types.is_string_dtype(kind) else object
            # decoded by one take from the (short) categories: a missing value (-1) becomes NaN
            columns[column] = pd.Series(pd.api.extensions.take(pd.array(categories, dtype=kind), codes,
                                                               allow_fill=True))
        else:
            columns[column] = pd.concat(values, ignore_index=True)
    return pd.DataFrame(columns)


def sum_terms(doc_terms: pd.DataFrame) -> pd.DataFrame:
    """Per-document term counts summed per (source, term)."""
    return (doc_terms.groupby(["source", "term"], sort=True)
            .agg(n=("n", "first"), count=("count", "sum"), has_stop=("has_stop", "first")).reset_index())


class TermTotals:
    """Running per-(source, term) sums of batch term counts, compacted as they grow."""

    def __init__(self, compact_rows: int = 500_000):
        self.parts: list[pd.DataFrame] = []
        self.rows, self.compacted, self.compact_rows = 0, 0, compact_rows

    def add(self, table: pd.DataFrame | None) -> None:
        if table is None or table.empty:
            return
        self.parts.append(table)
        self.rows += len(table)
        # compacted when the rows pass the limit or double since the last compaction (a vocabulary larger
        # than the limit would otherwise be summed again on every batch)
        if self.rows > max(self.compact_rows, 2 * self.compacted) and len(self.parts) > 1:
            self.parts = [sum_terms(pd.concat(self.parts, ignore_index=True))]
            self.rows = self.compacted = len(self.parts[0])

    def total(self, minus: pd.DataFrame | None = None) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=["source", "term", "n", "count", "has_stop"])
        summed = sum_terms(concat(self.parts))
        if minus is None or minus.empty:
            return summed
        minus = sum_terms(minus).set_index(["source", "term"])["count"]
        summed = summed.set_index(["source", "term"])
        summed["count"] = summed["count"].sub(minus, fill_value=0).reindex(summed.index).astype("int64")
        return summed[summed["count"] > 0].reset_index()
