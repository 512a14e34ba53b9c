"""Frames from the data: topic models over the corpus (NMF on tf-idf, LDA on counts), seeded and checkable.

A dictionary (``frames.py``) says in advance which words carry which frame; a
topic model lets the co-occurrence of words in the corpus propose the
groupings. Both are vocabulary: a topic is a set of words that tend to appear
in the same units, not a frame as a coder would judge it. Read its sentences
(:func:`topic_sentences`) before naming it.

* **Units.** The model runs over *units* built from the tokens table
  (:func:`topic_units`): sentences by default (doc_id, sentence_id), or whole
  documents. A unit's terms are its tokens' ``norm`` (lower case), without
  punctuation, stop words (spaCy's list, the tokens' ``is_stop``) and tokens
  with a digit or without a letter; a term is kept when it occurs in at least
  ``min_df`` units and at most ``max_df`` of them (a share when a float, a
  count when an int, as in scikit-learn). The tokenisation is the package's own.
* **Methods.** ``"nmf"``: scikit-learn's NMF (Frobenius loss, coordinate
  descent, ``init="nndsvda"``) on the units' tf-idf rows (smoothed idf, rows
  L2-normalised). ``"lda"``: LatentDirichletAllocation (batch variational
  Bayes, priors 1/k) on raw counts. Both get ``random_state=seed``; no global
  random state is read or changed, and the same inputs and seed give
  byte-identical tables.
* **Number of topics.** Unless ``k`` is given it is chosen by *stability*
  (Greene, O'Callaghan & Cunningham 2014, "How many topics? Stability analysis
  for topic models", ECML PKDD): for each candidate k a reference model is fit
  on all units, and ``n_seeds`` further models each on a random
  ``sample_fraction`` of the units with their own seed. Each topic is the
  vector of its ``stability_terms`` (20) strongest term weights (other terms 0);
  the topics of a run are matched one-to-one to the reference's by the
  Hungarian algorithm (``scipy.optimize.linear_sum_assignment``) maximising
  cosine similarity, and the run's agreement is the mean matched cosine. The
  stability of k is the mean agreement over runs (0..1); the chosen k has the
  highest stability, ties (equal after rounding to 6 decimals) going to the
  smaller k. Subsampling, as in Greene et al., is what makes runs differ:
  NMF's nndsvda start is almost the same whatever the seed. A k whose topics
  are real structure comes back in every sample; too many topics split a
  topic differently each time, too few merge different pairs. The
  ``selection`` table shows every candidate's stability, so the choice can be
  checked (and another k fit if the researcher disagrees).
* **Topics** are labelled "T1", "T2", ... by prevalence (mean share over all
  units), largest first, and carry a ``label`` with their three strongest
  terms ("T1: ceasefire, troops, shelling").

A unit's **share** of a topic (``weight`` in ``units``) is its topic loading
divided by the sum of its loadings: LDA's document-topic distribution, or
NMF's row of W normalised to sum 1. It is a proportion (0..1) of the unit's
modelled content. A unit whose NMF loadings are all zero (rare: its terms are
in no topic) gets share 0 for every topic and still counts as a unit in
:func:`topic_prevalence`. Units without any vocabulary term after filtering are
not modelled and not in ``units`` (``model.n_empty_units`` counts them).
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..measures.resampling import mean_ci

UNITS = ("sentence", "document")
METHODS = ("nmf", "lda")
CITATION = ('Greene, O\'Callaghan & Cunningham (2014), "How many topics? Stability analysis for topic models", '
            'ECML PKDD')
_HAS_LETTER = re.compile(r"[^\W\d_]")
_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, eq=False)
class TopicModel:
    """A fitted topic model as tidy tables.

    * ``terms``: topic, label, rank (1 = strongest), term, weight: the term's
      share of the topic's term-weight mass over the whole vocabulary (0..1;
      LDA: the topic-word probability; NMF: the row of H normalised to sum 1),
      ``top_n`` terms per topic;
    * ``units``: one row per modelled unit x topic (every pair, zeros
      included), unit-major in topic order: doc_id, source, sentence_id
      (sentence units only), n_terms (vocabulary tokens in the unit), topic,
      weight (the unit's share of the topic, 0..1, summing to 1 over topics
      except NMF units with no loading) and loading (the raw W value; for LDA
      the same as weight);
    * ``topics``: topic, label, prevalence (mean share over all units, 0..1),
      top_terms (``top_n`` terms, strongest first);
    * ``selection``: k, stability (mean matched cosine, 0..1, NaN when k was
      given), stability_sd (its standard deviation over the runs), n_runs,
      chosen, criterion (the rule, in words).

    ``topic_term`` (k x V array, rows in topic order, each summing to 1) and
    ``vocabulary`` (the V terms, sorted) are the full term weights, used by
    :func:`topic_frames`.
    """

    k: int
    method: str
    seed: int
    unit: str
    terms: pd.DataFrame
    units: pd.DataFrame
    topics: pd.DataFrame
    selection: pd.DataFrame
    topic_term: np.ndarray = field(repr=False)
    vocabulary: tuple[str, ...] = field(repr=False)
    n_empty_units: int = 0
    params: dict = field(default_factory=dict, repr=False)

    @property
    def labels(self) -> dict[str, str]:
        """topic -> label ("T1" -> "T1: ceasefire, troops, shelling")."""
        return dict(zip(self.topics["topic"], self.topics["label"]))


# --------------------------------------------------------------------------- units

def _unit_keys(unit: str) -> list[str]:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(map(repr, UNITS))}, not {unit!r}")
    return ["doc_id", "sentence_id"] if unit == "sentence" else ["doc_id"]


def _df_limit(value, n_units: int, name: str) -> float:
    """sklearn's reading of min_df / max_df: a float in [0, 1] is a share of the units, an int a count."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if isinstance(value, (int, np.integer)):
        if value < 0:
            raise ValueError(f"{name} must be >= 0, not {value!r}")
        return float(value)
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} as a float is a share of the units and must be in [0, 1], not {value!r}")
    return value * n_units


def topic_units(toks: pd.DataFrame, unit: str = "sentence", *, min_df: int | float = 2,
                max_df: int | float = 0.5) -> pd.DataFrame:
    """The unit-term counts a topic model is fit on, in long form (one row per unit and term).

    Columns: doc_id, source, sentence_id (``unit="sentence"`` only), term (the
    tokens' ``norm``), count (occurrences of the term in the unit, a number of
    tokens). Punctuation, stop words and tokens with a digit or without a
    letter are dropped; a term is kept if it occurs in at least ``min_df`` and
    at most ``max_df`` units (float: share of the units, int: a number of
    units; counted over units with at least one candidate term). Units left
    without a term are absent. Rows are sorted by the unit keys, then term.
    """
    keys = _unit_keys(unit)
    missing = [c for c in [*keys, "source", "norm", "is_punct", "is_stop"] if c not in toks.columns]
    if missing:
        raise KeyError(f"the tokens table lacks column(s) {', '.join(missing)}; build it with analysis.tokens(docs)")
    # what a term may be is decided once per distinct norm, not per token
    term_codes, norms = pd.factorize(toks["norm"].to_numpy(dtype=object), sort=True, use_na_sentinel=True)
    norms = pd.Series(np.asarray(norms, dtype=object)).astype(str)
    allowed = (norms.str.contains(_HAS_LETTER) & ~norms.str.contains(_HAS_DIGIT)).to_numpy()
    keep = (~toks["is_punct"].to_numpy(dtype=bool)) & (~toks["is_stop"].to_numpy(dtype=bool)) & (term_codes >= 0)
    keep[keep] = allowed[term_codes[keep]]
    rows = np.flatnonzero(keep)
    unit_codes, _ = pd.factorize(pd.MultiIndex.from_frame(toks[keys].iloc[rows]), sort=True)
    width = max(len(norms), 1)
    pair = unit_codes.astype(np.int64) * width + term_codes[rows]
    unique_pairs, first, count = np.unique(pair, return_index=True, return_counts=True)  # sorted: unit, then term
    pair_term = unique_pairs % width
    n_units = len(np.unique(unique_pairs // width))
    lo, hi = _df_limit(min_df, n_units, "min_df"), _df_limit(max_df, n_units, "max_df")
    df = np.bincount(pair_term, minlength=len(norms))[pair_term]  # units with the term
    ok = (df >= lo) & (df <= hi)
    counts = toks[[*keys, "source"]].iloc[rows[first[ok]]].reset_index(drop=True)
    counts["term"] = norms.to_numpy()[pair_term[ok]]
    counts["count"] = count[ok].astype("int64")
    return counts[["doc_id", "source", *keys[1:], "term", "count"]].astype({"count": "int64"}).reset_index(drop=True)


def _matrix(counts: pd.DataFrame, keys: list[str]):
    """(unit table, vocabulary, CSR count matrix units x terms) from :func:`topic_units` rows."""
    from scipy import sparse
    unit_codes, _ = pd.factorize(pd.MultiIndex.from_frame(counts[keys]), sort=True)
    term_codes, vocabulary = pd.factorize(counts["term"], sort=True)
    n_units = int(unit_codes.max()) + 1 if len(unit_codes) else 0
    X = sparse.csr_matrix((counts["count"].to_numpy(dtype=np.float64), (unit_codes, term_codes)),
                          shape=(n_units, len(vocabulary)))
    first = counts.drop_duplicates(keys)  # sorted by the keys, as the codes are
    unit_table = first[["doc_id", "source", *keys[1:]]].reset_index(drop=True)
    unit_table["n_terms"] = np.asarray(X.sum(axis=1)).ravel().astype("int64")
    return unit_table, tuple(str(t) for t in vocabulary), X


# --------------------------------------------------------------------------- fitting

def _fit(X, k: int, method: str, seed: int, max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """(W: units x k loadings, H: k x terms raw weights) of one seeded fit."""
    if method == "nmf":
        from sklearn.decomposition import NMF
        est = NMF(n_components=k, init="nndsvda", solver="cd", beta_loss="frobenius", max_iter=max_iter,
                  random_state=seed)
    else:
        from sklearn.decomposition import LatentDirichletAllocation
        est = LatentDirichletAllocation(n_components=k, learning_method="batch", max_iter=max_iter,
                                        random_state=seed, n_jobs=None)
    W = est.fit_transform(X)
    return np.asarray(W, dtype=np.float64), np.asarray(est.components_, dtype=np.float64)


def _tfidf(X):
    from sklearn.feature_extraction.text import TfidfTransformer
    return TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=False).fit_transform(X)


def _top_vectors(H: np.ndarray, n_terms: int) -> np.ndarray:
    """Each row keeps its ``n_terms`` largest weights (others 0), scaled to unit length."""
    out = np.zeros_like(H)
    n = min(n_terms, H.shape[1])
    for i, row in enumerate(H):
        top = np.argsort(-row, kind="stable")[:n]
        out[i, top] = row[top]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


def matched_similarity(H_a: np.ndarray, H_b: np.ndarray, *, n_terms: int = 20) -> float:
    """Mean cosine similarity of the topics of two fits after one-to-one matching (Hungarian algorithm).

    ``H_a``, ``H_b``: k x V topic-term weights over the same vocabulary. Each
    topic is reduced to its ``n_terms`` strongest weights; the k x k cosine
    matrix is matched by ``scipy.optimize.linear_sum_assignment`` (maximum
    total similarity). Returns the mean matched cosine, 0..1 (1: the same topics).
    """
    from scipy.optimize import linear_sum_assignment
    A, B = _top_vectors(H_a, n_terms), _top_vectors(H_b, n_terms)
    sim = A @ B.T
    rows, cols = linear_sum_assignment(sim, maximize=True)
    return float(sim[rows, cols].mean())


def _check_size(k: int, n_units: int, n_terms: int, unit: str, min_df, max_df, n_all: int,
                what: str = "") -> None:
    if n_units < k or n_terms < k:
        raise ValueError(
            f"too little text for k={k} topics{what}: there are {n_units} {unit} units with a vocabulary term "
            f"(of {n_all} in the tokens table) and {n_terms} terms (min_df={min_df!r}, max_df={max_df!r}); "
            f"a model needs at least k units and k terms. "
            f"Lower k (or the candidates), lower min_df or raise max_df, use unit='sentence' rather than "
            f"'document', or add documents")


def topic_model(toks: pd.DataFrame, *, k: int | None = None, method: str = "nmf",
                candidates: Sequence[int] = range(2, 11), seed: int = 0, n_seeds: int = 5,
                unit: str = "sentence", top_n: int = 10, min_df: int | float = 2, max_df: int | float = 0.5,
                sample_fraction: float = 0.8, stability_terms: int = 20, max_iter: int | None = None,
                max_units: int | None = None) -> TopicModel:
    """Fit a topic model over the corpus's units; choose k by stability unless ``k`` is given.

    ``toks``: the tokens table (``analysis.tokens(docs)``). ``method``:
    ``"nmf"`` (tf-idf) or ``"lda"`` (counts). ``unit``: "sentence" or
    "document". ``min_df``/``max_df``: see :func:`topic_units`. ``top_n``:
    terms per topic in ``terms``. ``max_iter``: iterations of the solver
    (default 1000 for NMF, 50 LDA passes). ``max_units``: if there are more
    units, a seeded random sample of that many units (before vocabulary
    filtering) is modelled, and ``units`` covers only it (``params`` records it).

    Selection (``k=None``): every candidate k is scored by stability (module
    docstring: a reference fit with ``seed`` on all units, ``n_seeds`` fits on
    ``sample_fraction`` subsamples with seeds ``seed+1``.., Hungarian matching
    on cosine of the top ``stability_terms`` term weights); the highest
    stability wins, ties to the smaller k, and the chosen k's reference fit is
    the model returned. With ``k`` given no selection is run and ``selection``
    has one row with stability NaN.

    Raises ValueError when there are fewer units or terms than a k needs
    (the message gives both counts and what to change).
    """
    if method not in METHODS:
        raise ValueError(f"method must be 'nmf' or 'lda', not {method!r}")
    keys = _unit_keys(unit)
    if k is not None and (int(k) != k or k < 1):
        raise ValueError(f"k must be a positive integer, not {k!r}")
    cands = [int(k)] if k is not None else sorted({int(c) for c in candidates})
    if not cands or (k is None and min(cands) < 2):
        raise ValueError(f"candidates must be integers >= 2 (stability of one topic is trivially 1), not "
                         f"{list(candidates)!r}")
    if k is None and (n_seeds < 1 or not 0.0 < sample_fraction <= 1.0):
        raise ValueError(f"n_seeds must be >= 1 and sample_fraction in (0, 1], not {n_seeds!r}, "
                         f"{sample_fraction!r}")
    if top_n < 1:
        raise ValueError(f"top_n must be >= 1, not {top_n!r}")
    max_iter = int(max_iter) if max_iter is not None else (1000 if method == "nmf" else 50)

    n_empty = 0
    sampled_from = None
    tok_units = toks
    if max_units is not None and len(toks):
        all_units = toks[keys].drop_duplicates().sort_values(keys, kind="stable")
        if len(all_units) > max_units:
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 7919])))
            chosen = np.sort(rng.choice(len(all_units), size=int(max_units), replace=False))
            pick = all_units.iloc[chosen]
            tok_units = toks.merge(pick, on=keys, how="inner")
            sampled_from = len(all_units)
    counts = topic_units(tok_units, unit, min_df=min_df, max_df=max_df)
    n_all_units = len(tok_units[keys].drop_duplicates()) if len(tok_units) else 0
    unit_table, vocabulary, X = _matrix(counts, keys) if len(counts) else (None, (), None)
    n_units = 0 if unit_table is None else len(unit_table)
    n_empty = n_all_units - n_units
    n_terms = len(vocabulary)
    for c in cands:
        _check_size(c, n_units, n_terms, unit, min_df, max_df, n_all_units)
        if k is None:
            size = math.ceil(sample_fraction * n_units)
            _check_size(c, size, n_terms, unit, min_df, max_df, n_all_units,
                        f" in the stability runs (each on a sample_fraction={sample_fraction:g} subsample: {size} of "
                        f"the {n_units} modelled units)")
    data = _tfidf(X) if method == "nmf" else X

    fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    rows = []
    if k is None:
        size = math.ceil(sample_fraction * n_units)
        for c in cands:
            W, H = _fit(data, c, method, seed, max_iter)
            fits[c] = (W, H)
            agreement = []
            for r in range(1, n_seeds + 1):
                rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, c, r])))
                rows_r = np.sort(rng.choice(n_units, size=size, replace=False))
                _, H_r = _fit(data[rows_r], c, method, seed + r, max_iter)
                agreement.append(matched_similarity(H, H_r, n_terms=stability_terms))
            rows.append((c, float(np.mean(agreement)), float(np.std(agreement)), len(agreement)))
        best = max(rows, key=lambda row: (round(row[1], 6), -row[0]))[0]
        criterion = (f"stability (Greene, O'Callaghan & Cunningham 2014): mean cosine, after Hungarian matching, "
                     f"between the topics (top {stability_terms} term weights) of a {method.upper()} fit on all "
                     f"units (seed {seed}) and of {n_seeds} fits on random {sample_fraction:g} subsamples "
                     f"(seeds {seed + 1}..{seed + n_seeds}); highest stability chosen, ties to the smaller k")
    else:
        best = int(k)
        fits[best] = _fit(data, best, method, seed, max_iter)
        rows.append((best, float("nan"), float("nan"), 0))
        criterion = "k given by the caller: no selection run (stability not computed)"
    selection = pd.DataFrame(rows, columns=["k", "stability", "stability_sd", "n_runs"]).astype(
        {"k": "int64", "n_runs": "int64"})
    selection["chosen"] = selection["k"] == best
    selection["criterion"] = criterion

    W, H = fits[best]
    sums = W.sum(axis=1, keepdims=True)
    share = np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)
    prevalence = share.mean(axis=0)
    order = np.lexsort((np.arange(best), -prevalence))  # prevalence descending, ties by fit order
    W, H, share, prevalence = W[:, order], H[order], share[:, order], prevalence[order]
    hsum = H.sum(axis=1, keepdims=True)
    topic_term = np.divide(H, hsum, out=np.zeros_like(H), where=hsum > 0)
    names = [f"T{i + 1}" for i in range(best)]
    vocab = np.asarray(vocabulary, dtype=object)
    term_rows, labels, top_terms = [], [], []
    for i, name in enumerate(names):
        top = np.argsort(-topic_term[i], kind="stable")[:top_n]  # ties: alphabetical (vocabulary is sorted)
        labels.append(f"{name}: {', '.join(vocab[top[:3]])}")
        top_terms.append(", ".join(vocab[top]))
        term_rows += [(name, r + 1, str(vocab[j]), float(topic_term[i, j])) for r, j in enumerate(top)]
    label_of = dict(zip(names, labels))
    terms = pd.DataFrame(term_rows, columns=["topic", "rank", "term", "weight"]).astype({"rank": "int64"})
    terms.insert(1, "label", terms["topic"].map(label_of))
    topics = pd.DataFrame({"topic": names, "label": labels, "prevalence": prevalence, "top_terms": top_terms})

    units = unit_table.loc[unit_table.index.repeat(best)].reset_index(drop=True)
    units["topic"] = np.tile(np.asarray(names, dtype=object), n_units)
    units["topic"] = units["topic"].astype(topics["topic"].dtype)
    units["weight"] = share.ravel()
    units["loading"] = W.ravel()
    params = dict(min_df=min_df, max_df=max_df, top_n=top_n, n_seeds=n_seeds, sample_fraction=sample_fraction,
                  stability_terms=stability_terms, max_iter=max_iter, max_units=max_units,
                  n_units=n_units, n_terms=n_terms, units_sampled_from=sampled_from)
    return TopicModel(k=best, method=method, seed=seed, unit=unit, terms=terms, units=units, topics=topics,
                      selection=selection, topic_term=topic_term, vocabulary=tuple(vocabulary),
                      n_empty_units=int(n_empty), params=params)


# --------------------------------------------------------------------------- evidence

def _topic_rank(model: TopicModel) -> dict[str, int]:
    return {t: i for i, t in enumerate(model.topics["topic"])}


def topic_sentences(model: TopicModel, sents: pd.DataFrame, n: int = 5, *, min_terms: int = 3) -> pd.DataFrame:
    """The ``n`` sentences with the highest share of each topic: the evidence to read before naming it.

    Columns: topic, label, rank, doc_id, source, sentence_id, weight (the
    sentence's share of the topic, 0..1), n_terms (vocabulary tokens in the
    sentence), text (from ``sents``). Sentences with fewer than ``min_terms``
    vocabulary tokens are skipped (a two-word sentence easily has share 1).
    Ties: more terms first, then doc_id, sentence_id. Needs a sentence-unit model.
    """
    if model.unit != "sentence":
        raise ValueError(f"topic_sentences ranks sentences, but this model's units are {model.unit}s: fit with "
                         f"unit='sentence', or use topic_documents")
    missing = [c for c in ["doc_id", "sentence_id", "text"] if c not in sents.columns]
    if missing:
        raise KeyError(f"sents lacks column(s) {', '.join(missing)}; build it with analysis.sentences(docs)")
    units = model.units[model.units["n_terms"] >= min_terms]
    units = units.assign(_t=units["topic"].map(_topic_rank(model)))
    units = units.sort_values(["_t", "weight", "n_terms", "doc_id", "sentence_id"],
                              ascending=[True, False, False, True, True], kind="stable")
    top = units.groupby("_t", sort=True).head(n).copy()
    top["rank"] = (top.groupby("_t").cumcount() + 1).astype("int64")
    out = top.merge(sents[["doc_id", "sentence_id", "text"]], on=["doc_id", "sentence_id"], how="left")
    if out["text"].isna().any():
        raise ValueError("some of the model's sentences are not in sents: pass the sentence table of the documents "
                         "the tokens came from")
    out["label"] = out["topic"].map(model.labels)
    return out[["topic", "label", "rank", "doc_id", "source", "sentence_id", "weight", "n_terms", "text"]
               ].reset_index(drop=True)


def _doc_shares(model: TopicModel) -> pd.DataFrame:
    """doc_id, source, topic, weight (mean share over the document's units), n_units."""
    grouped = model.units.groupby(["doc_id", "topic"], sort=False)
    out = grouped.agg(source=("source", "first"), weight=("weight", "mean"), n_units=("weight", "size"))
    return out.reset_index().astype({"n_units": "int64"})


def topic_documents(model: TopicModel, docs: pd.DataFrame | None = None, n: int = 5) -> pd.DataFrame:
    """The ``n`` documents with the highest mean share of each topic.

    Columns: topic, label, rank, doc_id, source, weight (mean share of the
    topic over the document's modelled units, 0..1), n_units (those units),
    and title when ``docs`` has one. Ties: more units first, then doc_id.
    """
    shares = _doc_shares(model)
    shares["_t"] = shares["topic"].map(_topic_rank(model))
    shares = shares.sort_values(["_t", "weight", "n_units", "doc_id"], ascending=[True, False, False, True],
                                kind="stable")
    top = shares.groupby("_t", sort=True).head(n).copy()
    top["rank"] = (top.groupby("_t").cumcount() + 1).astype("int64")
    top["label"] = top["topic"].map(model.labels)
    columns = ["topic", "label", "rank", "doc_id", "source", "weight", "n_units"]
    if docs is not None and "title" in docs.columns:
        top = top.merge(docs[["doc_id", "title"]].drop_duplicates("doc_id"), on="doc_id", how="left")
        columns.append("title")
    return top[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- prevalence

def topic_prevalence(model: TopicModel, docs: pd.DataFrame | None = None, by: str | None = "source", *,
                     n_boot: int = 2000, ci: float = 0.95, seed: int = 0, unit: str = "auto",
                     min_documents: int = 5) -> pd.DataFrame:
    """Mean topic share per group, with a percentile bootstrap interval.

    One row per group x topic (every topic for every group): ``by`` (the
    column; "group" = "all" when ``by`` is None), topic, label, n_units,
    n_documents, prevalence (the mean share of the topic over the group's
    modelled units, 0..1: the proportion of the group's sentences' content in
    the topic), ci_low, ci_high (``ci`` percentile interval of ``n_boot``
    bootstrap means) and resampled:

    * "documents": cluster bootstrap, the group's documents drawn with
      replacement (a document's units are not independent); used when the
      group has at least ``min_documents`` documents;
    * "sentences" (or "units" for document-unit models): the units drawn as if
      independent, for groups with fewer documents (the interval then
      describes these documents only).

    ``unit`` "documents" or "sentences" forces one scheme. ``by`` is a column
    of ``model.units`` (source, doc_id) or of ``docs`` (merged on doc_id, so
    docs may carry any extra columns, e.g. ``period``). All topics of a group
    share the same resamples; the same ``seed`` is used for every group.
    """
    if unit not in ("auto", "documents", "sentences"):
        raise ValueError(f"unit must be 'auto', 'documents' or 'sentences', not {unit!r}")
    k = model.k
    units = model.units
    if len(units) % k:
        raise ValueError("model.units must hold every unit x topic row, as topic_model returns it")
    wide = units["weight"].to_numpy(dtype=np.float64).reshape(-1, k)
    per_unit = units.iloc[::k].reset_index(drop=True)
    column = by if by is not None else "group"
    if by is None:
        group = pd.Series("all", index=per_unit.index)
    elif by in per_unit.columns and by not in ("topic", "weight", "loading"):
        group = per_unit[by]
    else:
        if docs is None or by not in docs.columns or "doc_id" not in docs.columns:
            raise KeyError(f"no column {by!r} in the model's units ({', '.join(per_unit.columns)}); pass docs "
                           f"with doc_id and {by!r}")
        group = per_unit["doc_id"].map(docs.drop_duplicates("doc_id").set_index("doc_id")[by])
    names, labels = list(model.topics["topic"]), list(model.topics["label"])
    single = "sentences" if model.unit == "sentence" else "units"
    rows = []
    frame = pd.DataFrame({"g": group.to_numpy(), "i": np.arange(len(per_unit))})
    for key, part in frame.groupby("g", sort=True, dropna=False):
        idx = part["i"].to_numpy()
        doc_ids = per_unit["doc_id"].to_numpy()[idx]
        n_docs = int(pd.unique(doc_ids).size)
        if by == "doc_id" or unit == "sentences":
            resampled = single
        elif unit == "documents":
            resampled = "documents"
        else:
            resampled = "documents" if n_docs >= min_documents else single
        est = mean_ci(wide[idx], doc_ids if resampled == "documents" else None, n_boot=n_boot, ci=ci, seed=seed)
        for j in range(k):
            rows.append((key, names[j], labels[j], len(idx), n_docs, float(est.mean[j]), float(est.ci_low[j]),
                         float(est.ci_high[j]), resampled))
    out = pd.DataFrame(rows, columns=[column, "topic", "label", "n_units", "n_documents", "prevalence", "ci_low",
                                      "ci_high", "resampled"])
    out = out.astype({"n_units": "int64", "n_documents": "int64", "prevalence": "float64", "ci_low": "float64",
                      "ci_high": "float64"})
    out.attrs.update(n_boot=n_boot, ci=ci, seed=seed, unit=unit, min_documents=min_documents)
    return out


# --------------------------------------------------------------------------- dictionary frames

def topic_frames(model: TopicModel, dictionary: pd.DataFrame | None = None, *, top_n: int | None = None,
                 max_listed: int = 10) -> pd.DataFrame:
    """Which topics carry which dictionary frame's vocabulary.

    One row per topic x frame: topic, label, frame, frame_type, weight_share
    (the share, 0..1, of the topic's term-weight mass that falls on terms
    matched by the frame's dictionary patterns; over the whole vocabulary when
    ``top_n`` is None, else over the topic's ``top_n`` strongest terms only,
    whose mass is then the denominator), n_matched_terms, matched_terms (up to
    ``max_listed`` matched terms, strongest first, "term (weight)" joined by
    "; "). Rows are in topic order, frames by weight_share descending.

    A term matches a pattern (``*`` = any word ending, see ``frames.py``) as
    ``frame_matches`` would find it in running text: at word boundaries,
    case-insensitive, so "anti-terror" matches "terror*"; a term inside one of
    the pattern's exclusions ("investigation" for "invest*", excluded by
    "investigat*") does not. Multi-word patterns ("natural gas") cannot match
    a single-word term and count for nothing here: a topic's vocabulary and a
    phrase dictionary overlap only in single words.
    """
    from .frames import exclusions, read_frame_dictionary
    from ..text.lexicon import glob_to_regex
    dictionary = read_frame_dictionary() if dictionary is None else dictionary
    vocab = np.asarray(model.vocabulary, dtype=object)
    weights = model.topic_term
    if top_n is not None:
        mask = np.zeros_like(weights, dtype=bool)
        for i, row in enumerate(weights):
            mask[i, np.argsort(-row, kind="stable")[:top_n]] = True
        weights = np.where(mask, weights, 0.0)
    totals = weights.sum(axis=1)
    frames = dictionary[["frame", "frame_type"]].drop_duplicates("frame")
    rows = []
    matched_by_frame = {}
    for frame in frames["frame"]:
        entries = dictionary[dictionary["frame"] == frame]
        hit = np.zeros(len(vocab), dtype=bool)
        for term, exclude in zip(entries["term"], entries.get("exclude", pd.Series([""] * len(entries)))):
            if len(str(term).split()) != 1:
                continue
            pattern = re.compile(rf"(?<!\w)(?:{glob_to_regex(str(term))})(?!\w)", re.IGNORECASE)
            vetoes = [re.compile(rf"(?<!\w)(?:{glob_to_regex(e)})(?!\w)", re.IGNORECASE)
                      for e in exclusions(str(exclude) if isinstance(exclude, str) else "")
                      if len(e.split()) == 1]
            for j, word in enumerate(vocab):
                if not hit[j]:
                    found = pattern.search(word)
                    if found and not any(v.search(word) and _inside(v, word, found) for v in vetoes):
                        hit[j] = True
        matched_by_frame[frame] = hit
    for i, (topic, label) in enumerate(zip(model.topics["topic"], model.topics["label"])):
        topic_rows = []
        for frame, frame_type in zip(frames["frame"], frames["frame_type"]):
            hit = matched_by_frame[frame] & (weights[i] > 0)
            idx = np.flatnonzero(hit)
            idx = idx[np.argsort(-weights[i, idx], kind="stable")]
            share = float(weights[i, idx].sum() / totals[i]) if totals[i] > 0 else 0.0
            listed = "; ".join(f"{vocab[j]} ({weights[i, j]:.3f})" for j in idx[:max_listed])
            topic_rows.append((topic, label, frame, frame_type, share, len(idx), listed))
        topic_rows.sort(key=lambda r: -r[4])  # stable: dictionary order among equal shares
        rows += topic_rows
    return pd.DataFrame(rows, columns=["topic", "label", "frame", "frame_type", "weight_share", "n_matched_terms",
                                       "matched_terms"]).astype({"n_matched_terms": "int64"})


def _inside(veto: re.Pattern, word: str, found: re.Match) -> bool:
    """Whether the term's match lies inside a match of the exclusion (as frames._drop_excluded decides)."""
    return any(v.start() <= found.start() and found.end() <= v.end() for v in veto.finditer(word))
