"""Build tests/data/collocations_reference.csv: quanteda's textstat_collocations on a toy text.

An independent, deliberately plain (loop-based, slow) transcription of
quanteda.textstats (github.com/quanteda/quanteda.textstats, 2024-08 master):
``R/textstat_collocations.R`` (tolower with keep_acronyms, punctuation types
``^\\p{P}+$`` ignored, z = lambda / sigma) and ``src/collocations.cpp``
(``mark``, ``counts2``, ``match_bit2``, ``estimates_lambda2``, ``lambda_all2``,
``sigma_all2``). It shares no code with analysis/measures/collocations_lambda.py.

Package conventions made explicit here: sentences are separate (a sentence
boundary acts like a punctuation token), and ``drop_stop`` is
``tokens_remove(stopwords, padding = TRUE)``.

Run:  .venv/bin/python tests/data/make_collocations_reference.py
"""
from __future__ import annotations

import csv
import json
import math
import unicodedata
from pathlib import Path

import pandas as pd
import regex

OUT = Path(__file__).with_name("collocations_reference.csv")

# (doc_id, source, [sentences, each pre-tokenized with spaces])
TOY = [
    ("d1", "Alpha", ["The prime minister met the US ambassador in Baku on Monday .",
                     "The prime minister said the peace talks would resume , officials said .",
                     "The peace talks stalled in the summer",
                     "US officials and the prime minister welcomed the peace deal ."]),
    ("d2", "Alpha", ["On 10 November , 2020 the ceasefire agreement was signed .",
                     "The ceasefire agreement ended the war ; the prime minister signed it .",
                     "Us and them : the peace talks , the peace deal , the ceasefire agreement ."]),
    ("d3", "Beta", ["The foreign minister of Armenia met the foreign minister of Azerbaijan .",
                    "The foreign ministers met in Moscow on 10 November",
                    "Peace talks between the foreign ministers resumed in Moscow .",
                    "The prime minister and the foreign minister of Armenia said the peace talks failed ."]),
    ("d4", "Beta", ["“ The peace deal is dead , ” the US ambassador said .",
                    "The US ambassador met the prime minister in the summer ."]),
]
STOP = {"the", "of", "in", "on", "and", "it", "was", "would", "is", "us", "them", "between"}

CONFIGS = [
    dict(size=2),
    dict(size=2, min_count=1),
    dict(size=3, min_count=1),
    dict(size=4, min_count=1),
    dict(size=[2, 3], min_count=1),
    dict(size=[2, 3, 4]),
    dict(size=[2, 4], min_count=1),
    dict(size=[2, 3], min_count=1, drop_stop=True),
    dict(size=2, min_count=1, tolower=False),
    dict(size=3, min_count=1, smoothing=1.0),
    dict(size=2, min_count=1, by="source"),
    dict(size=[2, 3], by="source", drop_stop=True),
]

PUNCT = regex.compile(r"^\p{P}+$")
IGNORE = "<ignore>"   # quanteda's id_ignore
PAD = ""              # quanteda's pad (type id 0)


def is_acronym(w):
    return len(w) >= 2 and unicodedata.category(w[0]) == "Lu" and all(
        unicodedata.category(c) in ("Lu", "Nd") for c in w[1:])


def toy_tokens() -> pd.DataFrame:
    """The toy text as the package's tokens table (norm = lower case here)."""
    rows = []
    for doc_id, source, sentences in TOY:
        position = 0
        for sentence_id, sentence in enumerate(sentences, start=1):
            for token in sentence.split():
                position += 1
                rows.append(dict(doc_id=doc_id, source=source, sentence_id=sentence_id, position=position,
                                 token=token, norm=token.lower(), is_stop=token.lower() in STOP,
                                 is_punct=bool(PUNCT.match(token))))
    return pd.DataFrame(rows)


def texts_for(docs, tolower, drop_stop):
    """quanteda's tokens after tokens_remove(padding=TRUE), tokens_tolower and mark(): one list per doc."""
    texts = []
    for _, _, sentences in docs:
        text = []
        for k, sentence in enumerate(sentences):
            if k > 0:
                text.append(IGNORE)               # sentence boundary
            for w in sentence.split():
                if drop_stop and w.lower() in STOP and not PUNCT.match(w):
                    text.append(PAD)
                elif PUNCT.match(w):
                    text.append(IGNORE)
                elif tolower and not is_acronym(w):
                    text.append(w.lower())
                else:
                    text.append(w)
        texts.append(text)
    return texts


def counts2(text, map_seqs, sizes):
    flags_nested = [False] * len(text)
    flags_temp = [False] * len(text)
    for size in sizes:
        if len(text) < size:
            continue
        i = 0
        while i < len(text) - size + 1:
            marked = nested = padded = False
            for j in range(i, i + size):
                if text[j] == PAD:
                    padded = True
                elif text[j] == IGNORE:
                    marked = True
                    i = j
                    break
                if flags_nested[j]:
                    nested = True
            if not marked:
                key = tuple(text[i:i + size])
                count = map_seqs.setdefault(key, [0, 0])
                count[0] += 1
                if not padded:
                    if nested:
                        count[1] += 1
                    for j in range(i, i + size):
                        flags_temp[j] = True
            i += 1
        flags_nested = list(flags_temp)


def cpp_collocations(texts, count_min, sizes, smoothing):
    sizes = sorted(set(sizes), reverse=True)
    map_seqs = {}
    for text in texts:
        counts2(text, map_seqs, sizes)
    rows = []
    for seq, (count, nested) in map_seqs.items():
        if count < count_min or PAD in seq:
            continue
        n = len(seq)
        counts_bit = [smoothing] * 2 ** n
        for other, (c, _) in map_seqs.items():
            if len(other) != n:
                continue
            bit = 0
            for i in range(n):
                if seq[i] == other[i]:
                    bit += 2 ** i
            counts_bit[bit] += c
        lam = 0.0
        s = 0.0
        for b in range(2 ** n):
            ones = bin(b).count("1")
            lam += (-1) ** (n - ones) * (math.log(counts_bit[b]) if counts_bit[b] > 0 else -math.inf)
        for b in range(2 ** n):
            s += 1.0 / counts_bit[b] if counts_bit[b] > 0 else math.inf
        sigma = math.sqrt(s)
        rows.append(dict(collocation=" ".join(seq), count=count, count_nested=nested, length=n,
                         **{"lambda": lam, "z": lam / sigma}))
    rows.sort(key=lambda r: r["collocation"])
    rows.sort(key=lambda r: -r["z"])
    return rows


def reference(params):
    p = {**dict(size=2, min_count=2, smoothing=0.5, by=None, drop_stop=False, tolower=True), **params}
    sizes = [p["size"]] if isinstance(p["size"], int) else p["size"]
    groups = [(None, TOY)] if p["by"] is None else [
        (g, [d for d in TOY if d[1] == g]) for g in sorted({d[1] for d in TOY})]
    out = []
    for group, docs in groups:
        for row in cpp_collocations(texts_for(docs, p["tolower"], p["drop_stop"]), p["min_count"], sizes,
                                    p["smoothing"]):
            out.append(dict(by_value="" if group is None else group, **row))
    return out


def main():
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["params", "by_value", "collocation", "count", "count_nested", "length", "lambda", "z"])
        for params in CONFIGS:
            for r in reference(params):
                w.writerow([json.dumps(params, sort_keys=True), r["by_value"], r["collocation"], r["count"],
                            r["count_nested"], r["length"], repr(r["lambda"]), repr(r["z"])])
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
