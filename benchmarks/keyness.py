"""Keyness of every source, and document_term_counts: the implementations before and after keyness_all.

Run: .venv/bin/python benchmarks/keyness.py [--root /tmp/synth] [--repeat 5]

* 10 MB: the synthetic corpus ``<root>/10mb`` is read whole (analysis.read_corpus)
  and tokenised; document_term_counts is timed on all its tokens and on a
  1 MB batch (the pipeline counts batch by batch); keyness of every source on
  its counts summed per source, as reduction.source_tables does.
* 100 MB: reading and tokenising 100 MB takes minutes, so the per-source counts
  are the 10 MB ones scaled: counts x 10 and the vocabulary x 3 (each term
  copied under two suffixed names, with counts halved, by Heaps' law a 10 x
  larger corpus has about 3 x the vocabulary). Keyness costs grow with the
  number of (source, term) rows, not with the counts.

Old and new run alternately in one process, ``--repeat`` times each; the
machine is shared, so the minimum is the fairer figure and the ratio old/new the
thing to compare. Seconds are wall-clock (time.perf_counter). Every new result
is checked equal to the old one (assert_frame_equal, check_exact).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analysis  # noqa: E402
from analysis.measures.frequency import document_term_counts, keyness, keyness_all  # noqa: E402
from analysis.run.partials import sum_terms  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from _before import module_at  # noqa: E402


BEFORE = "e4300f0"  # the last commit whose analysis/frequency.py had keyness per target and the old counting
OLD = module_at(BEFORE, "analysis/frequency.py")
if OLD is None:
    raise SystemExit(f"needs the git history: git show {BEFORE}:analysis/frequency.py failed")
old_keyness, old_document_term_counts = OLD.keyness, OLD.document_term_counts


per_source = sum_terms  # counts summed per source and term, as reduction.source_tables builds them


def scaled(by_source: pd.DataFrame, counts: int = 10, vocabulary: int = 3) -> pd.DataFrame:
    """A stand-in for a larger corpus's per-source counts: counts x ``counts``, vocabulary x ``vocabulary``."""
    copies = []
    for k in range(vocabulary):
        copy = by_source.copy()
        if k:
            copy["term"] = copy["term"] + f"~{k}"
        copy["count"] = np.maximum(copy["count"] * counts // (1 if k == 0 else 2), 1)
        copies.append(copy)
    return (pd.concat(copies, ignore_index=True).sort_values(["source", "term"], kind="stable")
            .reset_index(drop=True))


def compare(name: str, old, new, repeat: int) -> None:
    old_times, new_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        expected = old()
        old_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        got = new()
        new_times.append(time.perf_counter() - start)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    print(f"{name:<52} old {min(old_times):7.3f} s (median {statistics.median(old_times):7.3f})   "
          f"new {min(new_times):7.3f} s (median {statistics.median(new_times):7.3f})   "
          f"old/new {min(old_times) / min(new_times):5.1f}x   [{len(got):,} rows, equal]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/tmp/synth"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    toks = analysis.read_corpus(args.root / "10mb").tokens
    print(f"10 MB corpus read and tokenised in {time.perf_counter() - start:.1f} s: {len(toks):,} tokens")
    doc_ids = toks["doc_id"].unique()
    batch = toks[toks["doc_id"].isin(doc_ids[: max(len(doc_ids) // 10, 1)])]

    compare("document_term_counts, 1 MB batch", lambda: old_document_term_counts(batch),
            lambda: document_term_counts(batch), args.repeat)
    compare("document_term_counts, 10 MB", lambda: old_document_term_counts(toks),
            lambda: document_term_counts(toks), args.repeat)

    by_source = per_source(document_term_counts(toks))
    sources = sorted(by_source["source"].unique())
    for label, table in (("10 MB", by_source), ("100 MB (scaled counts)", scaled(by_source))):
        compare(f"keyness, {len(sources)} sources vs rest, {label}",
                lambda table=table: pd.concat([old_keyness(table, s) for s in sources], ignore_index=True),
                lambda table=table: keyness_all(table), args.repeat)
    compare("keyness, 1 source vs rest (keyness itself), 10 MB", lambda: old_keyness(by_source, sources[0]),
            lambda: keyness(by_source, sources[0]), args.repeat)


if __name__ == "__main__":
    main()
