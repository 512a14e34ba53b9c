"""Topic-model benchmark: analysis.framing.topics.topic_model on the synthetic corpus, k fixed and k chosen by stability.

Run: .venv/bin/python benchmarks/topics.py [--mb 10] [--root /tmp/synth] [--max-units N] [--lda-units 5000]

The corpus is benchmarks/synthetic.py's (generated once under --root, as in
benchmarks/scale.py; reused when already there). Reading and tokenising it are
timed but not part of the ratios. Timed, on one core as the package runs:

1. NMF with k fixed (k = 10): one fit on all sentence units, plus building the
   unit-term matrix and the tables;
2. NMF with selection over --candidates (default 2..10), --n-seeds runs each
   (1 reference fit + n_seeds subsample fits per candidate);
3. LDA with k fixed on a seeded sample of --lda-units sentences (sklearn's
   batch LDA is about two orders of magnitude slower than NMF per unit; its
   selection on the whole corpus would take hours, so it is not run unless
   --lda-selection is given, and then on the same sample).

Printed: seconds for each, and the ratio selection / fixed-k (what choosing k
costs; the number of fits it makes is printed beside it). --max-units samples
the NMF units too (say it when quoting the numbers).
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analysis  # noqa: E402
from analysis.framing.topics import topic_model  # noqa: E402


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def corpus(root: Path, mb: float) -> Path:
    """The --mb synthetic corpus under root (the layout benchmarks/scale.py uses), generated if absent."""
    folder = root / f"{mb:g}mb"
    if not (folder / ".synthetic_truth.csv").exists():  # written last by the generator
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {folder} ...", flush=True)
        _synthetic().generate_corpus(folder, mb)
    return folder


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "synth")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--candidates", type=int, nargs="+", default=list(range(2, 11)))
    parser.add_argument("--n-seeds", type=int, default=5)
    parser.add_argument("--max-units", type=int, default=None, help="sample this many sentences for NMF")
    parser.add_argument("--lda-units", type=int, default=5000)
    parser.add_argument("--lda-selection", action="store_true")
    args = parser.parse_args()

    folder = corpus(args.root, args.mb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds, docs = timed(lambda: analysis.read_corpus(folder, manifest=False, errors="ignore").docs)
    print(f"corpus {folder}: {len(docs)} documents, {docs['text'].str.len().sum() / 1e6:.1f} MB clean text "
          f"(read in {seconds:.1f} s)")
    seconds, toks = timed(lambda: analysis.tokens(docs))
    print(f"tokens: {len(toks):,} in {seconds:.1f} s (not part of the times below)")
    sample = f"a seeded sample of {args.max_units:,} sentences" if args.max_units else "all sentences"

    fixed_s, fixed = timed(lambda: topic_model(toks, k=args.k, method="nmf", max_units=args.max_units))
    p = fixed.params
    print(f"\nNMF units: {sample}: {p['n_units']:,} sentence units x {p['n_terms']:,} terms "
          f"({fixed.n_empty_units:,} sentences without a vocabulary term left out)")
    print(f"NMF, k={args.k} fixed:                 {fixed_s:8.1f} s")
    n_fits = len(args.candidates) * (1 + args.n_seeds)
    sel_s, selected = timed(lambda: topic_model(toks, method="nmf", candidates=args.candidates,
                                                n_seeds=args.n_seeds, max_units=args.max_units))
    print(f"NMF, k chosen from {min(args.candidates)}..{max(args.candidates)} "
          f"({n_fits} fits): {sel_s:8.1f} s")
    print(f"ratio selection / fixed k:          {sel_s / fixed_s:8.1f}  (fits: {n_fits} vs 1)")
    print("\nselection table:")
    print(selected.selection[["k", "stability", "stability_sd", "n_runs", "chosen"]].to_string(index=False))
    print(f"criterion: {selected.selection['criterion'].iloc[0]}")
    print("\ntopics of the chosen model:")
    print(selected.topics[["label", "prevalence"]].to_string(index=False))

    lda_s, lda = timed(lambda: topic_model(toks, k=args.k, method="lda", max_units=args.lda_units))
    print(f"\nLDA, k={args.k} fixed, on a seeded sample of {lda.params['n_units']:,} sentence units "
          f"(of {lda.params['units_sampled_from'] or lda.params['n_units']:,}): {lda_s:.1f} s")
    if args.lda_selection:
        lsel_s, lsel = timed(lambda: topic_model(toks, method="lda", candidates=args.candidates,
                                                 n_seeds=args.n_seeds, max_units=args.lda_units))
        print(f"LDA, k chosen ({n_fits} fits), same sample: {lsel_s:.1f} s; ratio {lsel_s / lda_s:.1f}; "
              f"chosen k={lsel.k}")


if __name__ == "__main__":
    main()
