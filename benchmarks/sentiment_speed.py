"""Speed of sentence-level sentiment (TextBlob pattern + VADER) against TextBlob's PatternAnalyzer alone.

Run: .venv/bin/python benchmarks/sentiment_speed.py [--corpus DIR | --mb 3] [--runs 3] [--limit N]

The sentences are the seed corpus's plus those of a synthetic corpus: DIR if
given, else /tmp/synth/10mb if it exists (a 10 MB corpus from
benchmarks/synthetic.py), else one of --mb megabytes generated into a
temporary folder. On the same sentences it times

(a) ``PatternAnalyzer().analyze(sentence)`` per sentence: the reference (one
    lexicon, no VADER);
(b) ``sentence_sentiment`` as it was before the fast scorers (commit
    BEFORE_FAST_SCORERS, read with git; skipped outside the repository):
    ``textblob.en.sentiment`` and the previous VADER subclass;
(c) ``sentence_sentiment`` now (both lexicons), and its two scorers alone.

Each is run --runs times, interleaved, and the best time counts (the machine
is shared; the spread is printed). The first run of (c) starts with empty
memos (each scorer remembers how it split the tokens it has seen) and is
printed as well. MB are megabytes of UTF-8 sentence text. The scores of (b)
and (c) are checked to be identical.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import analysis
from analysis.measures import exact_scorers
from analysis.measures import sentiment as snt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before import module_at  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path("/tmp/synth/10mb")
BEFORE_FAST_SCORERS = "83f75b0"  # the last commit whose analysis/sentiment.py had the previous scorers


def load_synthetic_generator():
    spec = importlib.util.spec_from_file_location("benchmarks_synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # registered, as dataclasses need
    spec.loader.exec_module(module)
    return module


def previous_sentiment_module():
    """analysis/sentiment.py of BEFORE_FAST_SCORERS as a module, or None outside the repository."""
    return module_at(BEFORE_FAST_SCORERS, "analysis/sentiment.py")


def sentences(corpus: Path | None, mb: float) -> pd.DataFrame:
    seeds = analysis.read_corpus(ROOT / "seeds").sentences
    if corpus is None and DEFAULT_CORPUS.is_dir():
        corpus = DEFAULT_CORPUS
    if corpus is not None:
        synthetic = analysis.read_corpus(corpus, manifest=False, errors="ignore").sentences
        print(f"synthetic corpus: {corpus}")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "corpus"
            load_synthetic_generator().generate_corpus(folder, mb, seed=0)
            synthetic = analysis.read_corpus(folder, manifest=False, errors="ignore").sentences
        print(f"synthetic corpus: {mb} MB generated with seed 0")
    return pd.concat([seeds, synthetic], ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, help=f"a synthetic corpus folder (default {DEFAULT_CORPUS} if any)")
    parser.add_argument("--mb", type=float, default=3.0, help="size of the corpus to generate when there is none")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, help="only the first LIMIT sentences")
    args = parser.parse_args()

    sents = sentences(args.corpus, args.mb)
    if args.limit:
        sents = sents.head(args.limit)
    texts = sents["text"].astype(str).tolist()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} sentences ({sents['text'].nunique()} distinct), {mb:.2f} MB of sentence text")

    from textblob.en.sentiments import PatternAnalyzer
    analyzer = PatternAnalyzer()
    pattern, vader = exact_scorers.analyzers()
    analyzer.analyze("Warm up.")
    before = previous_sentiment_module()
    if before is None:
        print(f"(b) skipped: git show {BEFORE_FAST_SCORERS}:analysis/sentiment.py failed")
    else:
        before._analyzers()

    cases = {"(a) PatternAnalyzer().analyze": lambda: [analyzer.analyze(t) for t in texts]}
    if before is not None:
        cases["(b) sentence_sentiment before"] = lambda: before.sentence_sentiment(None, sents)
    cases["(c) sentence_sentiment now"] = lambda: snt.sentence_sentiment(None, sents)
    cases["    its TextBlob scorer alone"] = lambda: [pattern(t) for t in texts]
    cases["    its VADER scorer alone"] = lambda: [vader.polarity_scores(t) for t in texts]
    times: dict[str, list[float]] = {name: [] for name in cases}
    results = {}
    for _ in range(args.runs):
        for name, fn in cases.items():
            start = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - start)

    reference = min(times["(a) PatternAnalyzer().analyze"])
    print(f"\n{'':32s} {'best s':>8s} {'MB/s':>7s} {'/ (a)':>7s}   all runs (s)")
    for name, runs in times.items():
        best = min(runs)
        print(f"{name:32s} {best:8.2f} {mb / best:7.2f} {best / reference:7.2f}   "
              + " ".join(f"{t:.2f}" for t in runs))
    now = min(times["(c) sentence_sentiment now"])
    print(f"\n(c) first run, with empty memos: {times['(c) sentence_sentiment now'][0]:.2f} s")
    print(f"(a) / (c): {reference / now:.2f}x")
    if before is not None:
        old = min(times["(b) sentence_sentiment before"])
        print(f"(b) / (c): {old / now:.2f}x")
        columns = snt.SCORE_COLUMNS[4:]
        same = (results["(b) sentence_sentiment before"][columns].to_numpy().tobytes()
                == results["(c) sentence_sentiment now"][columns].to_numpy().tobytes())
        print(f"(b) and (c) scores identical (bytes): {same}")
        if not same:
            raise SystemExit("the scores differ")


if __name__ == "__main__":
    main()
