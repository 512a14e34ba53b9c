"""Throughput of every per-source measure, in MB/s of clean text, and its cost relative to TextBlob.

Run: .venv/bin/python benchmarks/measures.py [--mb 2]

The corpus is the seed bodies repeated to about --mb megabytes, each copy with
its own doc_id and its copy number in every sentence (so no sentence is
scored from a cache). "x TextBlob" is each stage's time divided by the time
TextBlob's PatternAnalyzer alone takes on the same sentences: the one cost the
sentiment analysis cannot avoid.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
from textblob.en.sentiments import PatternAnalyzer

import analysis

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, runs: int = 1):
    """Best of ``runs`` wall times (pattern's lexicon caches make a first run slower) and the result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=2.0)
    args = parser.parse_args()
    seeds = analysis.load_corpus(ROOT / "seeds")
    seed_mb = seeds["text"].str.encode("utf-8").str.len().sum() / 1e6
    copies = max(1, round(args.mb / seed_mb))
    # every sentence of every copy gets the copy number before its full stop, so no sentence repeats
    docs = pd.concat([seeds.assign(doc_id=seeds["doc_id"] + f"_{i}",
                                   text=seeds["text"].str.replace(r"([.!?…][\"”’)\]]*)(?=\s|$)", rf" {i}\1", regex=True))
                      for i in range(copies)], ignore_index=True)
    mb = docs["text"].str.encode("utf-8").str.len().sum() / 1e6
    print(f"corpus: {len(docs)} documents, {mb:.2f} MB of clean text")

    stages = {}
    stages["sentences + tokens"], (sents, toks) = timed(lambda: analysis.parse(docs))
    analyzer = PatternAnalyzer()
    stages["TextBlob alone (reference)"], _ = timed(lambda: [analyzer.analyze(t) for t in sents["text"]], runs=2)
    stages["actor mentions"], ments = timed(lambda: analysis.mentions(docs, sents=sents))
    stages["term counts (unigrams, tf-idf)"], _ = timed(lambda: analysis.term_counts(toks))
    stages["term counts (bigrams)"], _ = timed(lambda: analysis.term_counts(toks, n=2))
    stages["collocations"], _ = timed(lambda: analysis.collocations(toks))
    stages["keyness (one source vs rest)"], _ = timed(lambda: analysis.keyness(toks, "Caliber.az"))
    stages["log-odds (every source)"], _ = timed(lambda: analysis.log_odds(toks))
    stages["sentence sentiment (TextBlob + VADER)"], scores = timed(lambda: analysis.sentence_sentiment(docs, sents),
                                                                   runs=2)
    stages["sentiment summary (bootstrap)"], _ = timed(lambda: analysis.sentiment_summary(scores))
    stages["quoted spans"], spans = timed(lambda: analysis.quoted_spans(docs, sents=sents, ments=ments))
    stages["naming choices"], _ = timed(lambda: analysis.naming_choices(docs, sents=sents, spans=spans))
    stages["frame matches + scores"], _ = timed(lambda: analysis.frame_scores(docs, sents=sents, toks=toks))
    stages["actor network + salience"], _ = timed(lambda: (analysis.actor_network(ments),
                                                            analysis.actor_salience(ments, sents)))
    reference = stages["TextBlob alone (reference)"]
    print(f"{'stage':40} {'seconds':>8} {'MB/s':>8} {'x TextBlob':>11}")
    for name, seconds in stages.items():
        print(f"{name:40} {seconds:8.2f} {mb / seconds:8.2f} {seconds / reference:11.2f}")
    measures = sum(s for n, s in stages.items() if n != "TextBlob alone (reference)")
    print(f"{'all measures, one core':40} {measures:8.2f} {mb / measures:8.2f} {measures / reference:11.2f}")
    print(f"sentences: {len(sents)} ({sents['text'].nunique()} distinct), tokens: {len(toks)}, mentions: {len(ments)}, quoted spans: {len(spans)}")


if __name__ == "__main__":
    main()
