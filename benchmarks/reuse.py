"""Time text reuse detection on 1,000 and 10,000 synthetic articles with planted derivatives.

Run: .venv/bin/python benchmarks/reuse.py [--sizes 1000 10000]

Articles are random sentences drawn from the seed vocabulary (so they share
words, names and topic but not passages); 5% of them are derivatives of another
article: most sentences kept, a few dropped, one added, an actor name
re-transliterated (Pashinyan -> Pashinian). Prints the time of each stage, and
how many planted pairs were found (recall) and how many other pairs were
reported (false positives).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

import analysis
from analysis.measures.reuse import candidate_pairs, sentence_words, text_reuse

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["Nikol Pashinyan", "Vladimir Putin", "Ilham Aliyev", "Stepanakert", "Karabakh", "Yerevan", "Moscow", "Baku"]


def synthetic(n: int, seed: int = 0) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    rng = np.random.default_rng(seed)
    toks = analysis.load_corpus(ROOT / "seeds").pipe(analysis.tokens)
    vocabulary = toks.loc[~toks["is_punct"], "token"].value_counts()
    words, weights = vocabulary.index.to_numpy(), vocabulary.to_numpy() / vocabulary.sum()

    def sentence() -> str:
        body = list(rng.choice(words, size=rng.integers(12, 28), p=weights))
        body.insert(int(rng.integers(0, len(body))), NAMES[int(rng.integers(0, len(NAMES)))])
        return " ".join(body).capitalize() + "."

    texts = ["\n\n".join(" ".join(sentence() for _ in range(4)) for _ in range(6)) for _ in range(n)]
    planted = set()
    derivatives = rng.choice(n, size=n // 20, replace=False)
    originals = np.setdiff1d(np.arange(n), derivatives)      # a source is never itself overwritten
    for i in derivatives:
        j = int(rng.choice(originals))
        paragraphs = texts[j].split("\n\n")
        kept = [p for k, p in enumerate(paragraphs) if k != int(rng.integers(0, len(paragraphs)))]
        texts[i] = "\n\n".join([sentence()] + kept).replace("Pashinyan", "Pashinian")
        planted.add((f"a{j:05d}", f"a{i:05d}"))
    docs = pd.DataFrame({"doc_id": [f"a{k:05d}" for k in range(n)], "source": [f"outlet{k % 7}" for k in range(n)],
                         "text": texts, "date": pd.NaT})
    return docs, planted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    for n in args.sizes:
        docs, planted = synthetic(n)
        mb = docs["text"].str.len().sum() / 1e6
        start = time.perf_counter()
        sents, toks = analysis.parse(docs)
        ments = analysis.mentions(docs, sents=sents)
        prepared = time.perf_counter() - start
        start = time.perf_counter()
        words = sentence_words(docs, sents=sents, toks=toks, ments=ments)
        candidates = candidate_pairs(words)
        candidates_time = time.perf_counter() - start
        start = time.perf_counter()
        pairs, passages = text_reuse(docs, sents=sents, toks=toks, ments=ments)
        reuse_time = time.perf_counter() - start
        found = {tuple(sorted(p)) for p in zip(pairs["source_doc"], pairs["derivative_doc"])}
        expected = {tuple(sorted(p)) for p in planted}
        origin = {derivative: source for source, derivative in planted}
        siblings = {p for p in found - expected if p[0] in origin and p[1] in origin and origin[p[0]] == origin[p[1]]}
        print(f"{n} articles ({mb:.1f} MB): segmentation + mentions {prepared:.1f} s; shingle candidates "
              f"{candidates_time:.1f} s ({len(candidates)} candidate pairs of {n * (n - 1) // 2:,} possible); "
              f"text_reuse end to end {reuse_time:.1f} s")
        print(f"   planted pairs found: {len(found & expected)}/{len(expected)}; siblings (two derivatives of one "
              f"original, which do share passages): {len(siblings)}; other pairs reported: "
              f"{len(found - expected - siblings)}; passages: {len(passages)}")


if __name__ == "__main__":
    main()
