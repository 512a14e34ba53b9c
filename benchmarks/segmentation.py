"""Throughput of corpus loading, segmentation and actor matching, in MB/s of clean text.

Run: .venv/bin/python benchmarks/segmentation.py [--mb 5]

The corpus is the seed bodies repeated to about --mb megabytes (UTF-8). The
floor is spaCy's bare tokenizer on the same paragraphs: our sentences/tokens
pass adds the quote-aware boundary rule and the tidy DataFrames on top, and
the ratio says what that costs.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

import analysis
from analysis.text.segment import english_tokenizer, paragraph_spans, parse

ROOT = Path(__file__).resolve().parent.parent


def best_of(runs: int, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0, help="size of the synthetic corpus in MB")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    seeds = analysis.load_corpus(ROOT / "seeds")
    seed_mb = seeds["text"].str.encode("utf-8").str.len().sum() / 1e6
    copies = max(1, round(args.mb / seed_mb))
    docs = pd.concat([seeds.assign(doc_id=seeds["doc_id"] + f"_{i}") for i in range(copies)], ignore_index=True)
    mb = docs["text"].str.encode("utf-8").str.len().sum() / 1e6
    print(f"corpus: {len(docs)} documents, {mb:.2f} MB of clean text ({copies} copies of the seeds)")

    nlp = english_tokenizer()
    paragraphs = [text[s:e] for text in docs["text"] for s, e in paragraph_spans(text)]
    floor, _ = best_of(args.runs, lambda: sum(len(d) for d in nlp.tokenizer.pipe(paragraphs)))
    seg, (sents, toks) = best_of(args.runs, lambda: parse(docs))
    men, ments = best_of(args.runs, lambda: analysis.mentions(docs, sents=sents))

    with tempfile.TemporaryDirectory() as tmp:
        raw_mb = 0.0
        for i in range(copies):
            for row in seeds.itertuples():
                path = Path(tmp) / f"{row.doc_id}_{i}.txt"
                # mark each copy inside its first body paragraph, so duplicate detection keeps it
                opening = row.text[:40]
                path.write_text(row.raw.replace(opening, f"{opening} [copy {i}]", 1), encoding="utf-8")
                raw_mb += path.stat().st_size / 1e6
        load, loaded = best_of(1, lambda: analysis.read_corpus(tmp, manifest=False, errors="ignore"))

    rows = [
        ("spaCy tokenizer alone (floor)", floor, mb),
        ("sentences + tokens (analysis.text.segment.parse)", seg, mb),
        ("actor mentions (given sentences)", men, mb),
        ("read_corpus: decode, clean, metadata, segment", load, raw_mb),
    ]
    print(f"{'stage':48} {'seconds':>8} {'MB/s':>7}")
    for name, seconds, size in rows:
        print(f"{name:48} {seconds:8.2f} {size / seconds:7.2f}")
    print(f"sentences: {len(sents)}, tokens: {len(toks)}, mentions: {len(ments)}, loaded docs: {len(loaded.docs)}")
    print(f"ratio segmentation / floor: {seg / floor:.2f}x the bare tokenizer's time")


if __name__ == "__main__":
    main()
