"""Multi-word expressions scored as quanteda's ``textstat_collocations`` scores them.

>>> import analysis
>>> from analysis.measures.collocations_lambda import collocations_lambda
>>> toks = analysis.tokens(analysis.load_corpus("seeds"))
>>> collocations_lambda(toks, size=[2, 3]).head()          # doctest: +SKIP

The statistics are Blaheta and Johnson's (2001, "Unsupervised learning of
multi-word verbs") ``lambda`` and its Wald ``z``, computed the way
quanteda.textstats computes them (``src/collocations.cpp``, functions
``counts2``, ``estimates_lambda2``, ``lambda_all2`` and ``sigma_all2``, and
``R/textstat_collocations.R``). See :func:`collocations_lambda`.
"""
from __future__ import annotations

import unicodedata
import warnings
from itertools import combinations

import numpy as np
import pandas as pd

COLUMNS = ["collocation", "count", "count_nested", "length", "lambda", "z"]
_REQUIRED = ("doc_id", "sentence_id", "position", "token", "norm", "is_punct")
_BREAK = -1   # punctuation, sentence or document boundary, gap in ``position``: no sequence spans it
_PAD = 0      # a removed (stop) word: counted in the tables, never part of a reported collocation


def _is_acronym(token: str) -> bool:
    """quanteda's ``tokens_tolower(keep_acronyms = TRUE)`` test: ``^\\p{Lu}(\\p{Lu}|\\d)+$``."""
    return (len(token) >= 2 and unicodedata.category(token[0]) == "Lu"
            and all(unicodedata.category(c) in ("Lu", "Nd") for c in token[1:]))


def _sizes(size) -> list[int]:
    sizes = [size] if np.ndim(size) == 0 else list(size)
    if not sizes:
        raise ValueError("size must be an integer or a non-empty list of integers")
    out = []
    for s in sizes:
        if isinstance(s, (bool, np.bool_)) or int(s) != s:
            raise ValueError(f"collocation sizes must be integers, not {s!r}")
        out.append(int(s))
    if any(s < 2 for s in out):
        raise ValueError("Collocation sizes must be larger than 1")
    if any(s > 8 for s in out):
        raise ValueError("collocation sizes above 8 are not supported (quanteda's bitset<8> limit)")
    if any(s > 5 for s in out):
        warnings.warn("Computation for large collocations may take long time", stacklevel=3)
    return sorted(set(out), reverse=True)  # quanteda: largest size first (matters for count_nested)


def _stream(toks: pd.DataFrame, tolower: bool, drop_stop: bool) -> tuple[np.ndarray, np.ndarray]:
    """One group's tokens as an id stream (words 1.., _PAD, _BREAK) and the id -> word table."""
    t = toks.sort_values(["doc_id", "position"], kind="stable")
    punct = t["is_punct"].to_numpy(dtype=bool)
    pad = t["is_stop"].to_numpy(dtype=bool) & ~punct if drop_stop else np.zeros(len(t), dtype=bool)
    if tolower:
        written = t["token"].astype(str)
        acronym = written.map(_is_acronym).to_numpy(dtype=bool)
        form = np.where(acronym, written.to_numpy(dtype=object), t["norm"].astype(str).to_numpy(dtype=object))
    else:
        form = t["token"].astype(str).to_numpy(dtype=object)
    word = ~punct & ~pad
    codes = np.full(len(t), _BREAK, dtype=np.int64)
    codes[pad] = _PAD
    ids, vocab = pd.factorize(pd.Series(form[word], dtype=object), sort=False)
    codes[word] = ids + 1
    doc = t["doc_id"].to_numpy()
    sent = t["sentence_id"].to_numpy()
    pos = t["position"].to_numpy(dtype=np.int64)
    starts = np.ones(len(t), dtype=bool)   # a new run starts at a new doc, sentence, or after a gap
    if len(t) > 1:
        starts[1:] = (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1]) | (pos[1:] != pos[:-1] + 1)
    stream = np.insert(codes, np.flatnonzero(starts), _BREAK)
    stream = np.append(stream, _BREAK)
    return stream, np.concatenate([[""], np.asarray(vocab, dtype=object)])


def _score(stream: np.ndarray, vocab: np.ndarray, sizes: list[int], min_count: int,
           smoothing: float) -> pd.DataFrame:
    """quanteda's cpp_collocations on one id stream."""
    flags = np.zeros(len(stream), dtype=bool)   # covered by a (larger) counted unpadded sequence
    flags_temp = np.zeros(len(stream), dtype=bool)
    out = []
    for n in sizes:                             # descending, as quanteda
        if len(stream) < n:
            continue
        win = np.lib.stride_tricks.sliding_window_view(stream, n)
        valid = (win != _BREAK).all(axis=1)
        first = np.flatnonzero(valid)
        w = win[valid]
        if len(w) == 0:
            flags = flags_temp.copy()
            continue
        padded = (w == _PAD).any(axis=1)
        nested = flags[first[:, None] + np.arange(n)].any(axis=1) & ~padded
        cover = np.zeros(len(stream) + 1, dtype=np.int64)
        np.add.at(cover, first[~padded], 1)
        np.add.at(cover, first[~padded] + n, -1)
        flags_temp |= np.cumsum(cover[:-1]) > 0
        flags = flags_temp.copy()

        cols = list(range(n))
        seqs = (pd.DataFrame(w, columns=cols).assign(nested=nested)
                .groupby(cols, sort=True).agg(count=("nested", "size"), count_nested=("nested", "sum"))
                .reset_index())
        cand = seqs[(seqs["count"] >= min_count) & (seqs[cols] != _PAD).all(axis=1)].reset_index(drop=True)
        if cand.empty:
            continue
        # M[S]: windows that agree with the candidate on every position of S (whatever elsewhere)
        total = int(seqs["count"].sum())
        m = {(): np.full(len(cand), total, dtype=np.int64)}
        for k in range(1, n + 1):
            for s in combinations(cols, k):
                if k == n:
                    m[s] = cand["count"].to_numpy(dtype=np.int64)
                    continue
                margin = seqs.groupby(list(s), sort=False)["count"].sum().rename("m").reset_index()
                m[s] = cand[list(s)].merge(margin, on=list(s), how="left")["m"].to_numpy(dtype=np.int64)
        # cells: bit b has bit i set when position i matches (quanteda's match_bit2); Moebius inversion of M
        lam = np.zeros(len(cand))
        inv_sum = np.zeros(len(cand))
        with np.errstate(divide="ignore", invalid="ignore"):
            for b in range(2 ** n):
                t_set = tuple(i for i in cols if b >> i & 1)
                cell = np.zeros(len(cand), dtype=np.int64)
                for s, ms in m.items():
                    if set(t_set) <= set(s):
                        cell += (-1) ** (len(s) - len(t_set)) * ms
                c = cell + smoothing
                lam += (-1.0) ** (n - len(t_set)) * np.log(c)
                inv_sum += 1.0 / c
            z = lam / np.sqrt(inv_sum)
        words = vocab[cand[cols].to_numpy()]
        out.append(pd.DataFrame({
            "collocation": [" ".join(r) for r in words], "count": cand["count"].to_numpy(dtype=np.int64),
            "count_nested": cand["count_nested"].to_numpy(dtype=np.int64), "length": n,
            "lambda": lam, "z": z}))
    if not out:
        return _empty()
    return pd.concat(out, ignore_index=True)


def _empty(by: str | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"collocation": pd.Series(dtype=object), "count": pd.Series(dtype=np.int64),
                          "count_nested": pd.Series(dtype=np.int64), "length": pd.Series(dtype=np.int64),
                          "lambda": pd.Series(dtype=float), "z": pd.Series(dtype=float)})
    return frame if by is None else frame.assign(**{by: pd.Series(dtype=object)})[[by, *COLUMNS]]


def collocations_lambda(toks: pd.DataFrame, *, size=2, min_count: int = 2, smoothing: float = 0.5,
                 by: str | None = None, drop_stop: bool = False, tolower: bool = True) -> pd.DataFrame:
    """Score adjacent word sequences of ``size`` words as quanteda's ``textstat_collocations`` does.

    ``toks`` is the tokens table (:func:`analysis.tokens`: doc_id, sentence_id,
    position, token, norm, is_punct, is_stop). ``size`` is an int or a list of
    ints (2 or more; quanteda's default 2); ``min_count`` (default 2) is the
    least number of occurrences (tokens, i.e. occurrences counted over all
    documents) a reported sequence has; ``smoothing`` (default 0.5) is added to
    every cell; ``by`` names a column to score each group separately (one
    quanteda run per group); ``drop_stop`` removes stop words with padding;
    ``tolower`` forms the collocations from lower-cased words (the ``norm``
    column), keeping acronyms (``^\\p{Lu}(\\p{Lu}|\\d)+$``, e.g. "US", "G7") as
    written, as quanteda's ``tokens_tolower(keep_acronyms = TRUE)``; with
    ``tolower=False`` the words are the tokens as written.

    Columns: collocation (the words joined by " "), count (occurrences),
    count_nested (occurrences inside an occurrence of a longer size requested
    in ``size``; always 0 for a single size), length (number of words),
    lambda (natural-log units) and z (lambda divided by its standard error,
    unitless), plus the ``by`` column first when grouped. Sorted by ``by``, then z
    descending, then collocation (code-point order, as R's radix sort); NaN z
    (possible only with ``smoothing=0``) last.

    Definitions (identical to quanteda.textstats ``src/collocations.cpp``):

    * Sequences are windows of ``size`` consecutive tokens with no punctuation
      token in them (quanteda ignores types matching ``^\\p{P}+$``; here
      ``is_punct``); they never cross a sentence or document boundary, nor a gap
      in ``position`` (rows missing from the table count as punctuation).
    * For a candidate x = (x1..xK), every counted K-word window z (all
      documents, every count, padded ones included) falls into one of 2^K cells
      by which positions k have z_k == x_k. n_i = cell count + smoothing.
      lambda = sum_i (-1)^(K - b_i) log n_i (b_i = number of matching positions:
      the K-way interaction of the saturated log-linear model), sigma =
      sqrt(sum_i 1 / n_i), z = lambda / sigma.
    * Stop words dropped with ``drop_stop`` are pads, as
      ``tokens_remove(x, stopwords, padding = TRUE)``: windows containing a pad
      are counted in the cells (they are mismatches at the pad), but are never
      reported and never make other sequences nested.
    * count_nested, as quanteda computes it (largest size first; a window is
      nested when one of its tokens is covered by an unpadded window of a larger
      requested size, which amounts to lying inside one): the occurrences that
      sit inside an occurrence of any longer requested sequence, whatever that
      sequence's count (also below ``min_count``, and so also when it is not
      reported). It does not change the statistics.

    Where it may differ from running quanteda on the same texts: tokenization
    (spaCy-based here: quanteda splits and keeps hyphens, URLs, "'s" differently),
    what counts as punctuation (``is_punct`` vs ``^\\p{P}+$``: quanteda keeps
    symbols such as "$" as words, and quanteda's ``tokens()`` segments no
    sentences, so a sentence end without punctuation, e.g. a headline, only
    breaks sequences here), lower-casing (``norm`` is NFKC with straight quotes;
    quanteda uses ICU's lower-casing only), and ``by`` (quanteda has no grouping).
    """
    sizes = _sizes(size)
    if int(min_count) != min_count:
        raise ValueError("min_count must be an integer")
    if not np.isfinite(smoothing) or smoothing < 0:
        raise ValueError("smoothing must be a non-negative number")
    required = list(_REQUIRED) + (["is_stop"] if drop_stop else []) + ([by] if by is not None else [])
    missing = [c for c in required if c not in toks.columns]
    if missing:
        raise ValueError(f"the tokens table lacks {', '.join(missing)}; "
                         f"columns are {', '.join(map(str, toks.columns))}")
    if by is None:
        stream, vocab = _stream(toks, tolower, drop_stop)
        result = _score(stream, vocab, sizes, int(min_count), float(smoothing))
        keys = ["z", "collocation"]
    else:
        parts = []
        for group, sub in toks.groupby(by, sort=True):
            stream, vocab = _stream(sub, tolower, drop_stop)
            scored = _score(stream, vocab, sizes, int(min_count), float(smoothing))
            parts.append(scored.assign(**{by: group})[[by, *COLUMNS]])
        result = pd.concat(parts, ignore_index=True) if parts else _empty(by)
        if result.empty:
            result = _empty(by)
        keys = [by, "z", "collocation"]
    result = result.sort_values(keys, ascending=[True] * (len(keys) - 2) + [False, True], kind="stable",
                                na_position="last")
    return result.reset_index(drop=True)
