"""Sentence-level lexicon sentiment, aggregated with honest uncertainty.

Two general-purpose English lexicons score every sentence, offline:

* TextBlob's ``PatternAnalyzer`` (the Pattern lexicon, mostly adjectives):
  ``tb_polarity`` in [-1, 1] and ``tb_subjectivity`` in [0, 1];
* VADER (Hutto & Gilbert 2014, built for social media): ``vader_compound`` in
  [-1, 1] (the normalised sum of word valences, rounded to 4 decimals by VADER)
  and ``vader_pos``/``vader_neu``/``vader_neg``, the shares in [0, 1] of the
  sentence's valence mass that is positive, neutral, negative (rounded to 3
  decimals; they sum to about 1).

Neither lexicon was built for war reporting: "security", "peacekeepers" or
"Justice Party" score positive, "war" and "conflict" negative whatever the
stance, and "victory", "liberation" or "occupation" score nothing.
:func:`sentiment_pitfalls` and :func:`lexicon_entries` show this for every
sentence and word, and ``data/sentiment_domain_words.csv`` lists the words
whose score misleads in this domain. Read a difference between outlets as a
difference in vocabulary first and in stance only after reading the sentences
(:func:`extreme_sentences`, :func:`actor_sentences`).

Every table here is tidy and keyed by ``doc_id`` and ``sentence_id``, so each
mean can be traced back to the sentences it averages.

The scores are the libraries' own, bit for bit (textblob 0.20.1, vaderSentiment
3.3.2); they are computed by the faster exact copies of the two scorers in
:mod:`analysis.measures.exact_scorers`, which says what is copied from where.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .exact_scorers import analyzers
from .resampling import mean_ci
from .._package import DATA_DIR

DOMAIN_WORDS = DATA_DIR / "sentiment_domain_words.csv"

MEASURES = ("tb_polarity", "tb_subjectivity", "vader_compound")
SCORE_COLUMNS = ["doc_id", "source", "sentence_id", "text", "tb_polarity", "tb_subjectivity",
                 "vader_compound", "vader_pos", "vader_neu", "vader_neg"]
SUMMARY_COLUMNS = ["measure", "n_sentences", "n_documents", "mean", "ci_low", "ci_high", "resampled"]
AGREEMENT_COLUMNS = ["n_sentences", "n_both_nonzero", "pearson_r", "spearman_rho", "sign_agreement",
                     "both_neutral"]
ACTOR_SENTENCE_COLUMNS = ["doc_id", "source", "sentence_id", "actor", "actor_type", "tb_polarity",
                          "vader_compound", "text"]
PITFALL_COLUMNS = ["doc_id", "source", "sentence_id", "text", "tb_polarity", "vader_compound",
                   "has_negation", "lexicons_disagree", "domain_words", "flagged"]
LEXICON_COLUMNS = ["word", "tb_polarity", "tb_subjectivity", "vader_valence", "vader_compound"]

_STR = pd.Series(["x"]).dtype  # the dtype pandas infers for text ("str" in pandas 3, object before)

# Typographic quotes and apostrophes -> ASCII. VADER strips only ASCII punctuation from a word and
# spots negation as "n't": with ’ it misses both ("‘peacekeepers’" scores 0, "haven’t" negates nothing).
_ASCII_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "‹": "'", "›": "'",
                               "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'})
_QUOTE_PAIRS = [(chr(k), v) for k, v in _ASCII_QUOTES.items()]


def _ascii_quotes(text: str) -> str:
    """text.translate(_ASCII_QUOTES), ten times faster on news: str.translate looks every character up."""
    if text.isascii():
        return text
    for quote, ascii_quote in _QUOTE_PAIRS:  # the replacements are ASCII, so no later quote can appear in them
        if quote in text:
            text = text.replace(quote, ascii_quote)
    return text


_NEGATION = re.compile(r"\b(?:not|no|never|without|nor|neither|none|cannot)\b|n['’]t\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def _keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"{what} lacks column(s) {', '.join(missing)}")


def _groups(frame: pd.DataFrame, keys: list[str]):
    """(key tuple, rows) per group, sorted; missing key values form their own group."""
    if not len(frame):
        return
    if not keys:
        yield (), frame
        return
    for key, rows in frame.groupby(keys, sort=True, dropna=False, observed=True):
        yield (key if isinstance(key, tuple) else (key,)), rows


def _frame(rows: list[tuple], keys: list[str], columns: list[str], dtypes: dict[str, object],
           source: pd.DataFrame) -> pd.DataFrame:
    """A result table with the same column types whether or not it has rows."""
    out = pd.DataFrame.from_records(rows, columns=keys + columns) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in keys + columns})
    types = {k: source[k].dtype for k in keys}
    types.update(dtypes)
    return out.astype(types)


# --------------------------------------------------------------------------- scoring

def sentence_sentiment(docs: pd.DataFrame | None, sents: pd.DataFrame | None = None, *,
                       ascii_quotes: bool = True) -> pd.DataFrame:
    """One row per sentence with both lexicons' scores.

    Columns: doc_id, source, sentence_id, text (the sentence as in the corpus),
    tb_polarity (TextBlob PatternAnalyzer, -1 negative .. 1 positive),
    tb_subjectivity (0 objective .. 1 subjective), vader_compound (VADER's
    normalised sum of valences, -1 .. 1, rounded to 4 decimals), vader_pos,
    vader_neu, vader_neg (VADER's shares of positive, neutral and negative
    valence mass, each 0 .. 1, rounded to 3 decimals). A sentence without any
    lexicon word scores 0 (and vader_neu 1).

    Sentences, not articles, are scored: VADER's compound saturates on long
    texts (sum of valences / sqrt(sum^2 + 15) tends to +-1 as words accumulate,
    so nearly every article scores close to +-1), and TextBlob averages away the
    contrast between passages. Aggregate the sentence scores afterwards with
    :func:`sentiment_summary`.

    ``sents`` (from :func:`analysis.sentences`) saves re-segmenting ``docs``.
    ``ascii_quotes`` (default True) replaces typographic quotes and apostrophes
    with ASCII ones in the text that is scored (the ``text`` column keeps the
    original): VADER recognises neither "‘peacekeepers’" as a lexicon word nor
    "haven’t" as a negation, so otherwise outlets would score differently only
    because of their typography. Identical sentences are scored once.
    """
    if sents is None:
        from ..text.segment import sentences
        sents = sentences(docs)
    _require(sents, ["doc_id", "source", "sentence_id", "text"], "sents")
    texts = sents["text"].astype(str)
    scored = texts.map(_ascii_quotes) if ascii_quotes else texts
    codes, unique = pd.factorize(scored)
    pattern, vader = analyzers()
    unique = unique.tolist()
    textblob = [pattern(text) for text in unique]  # one scorer after the other: each keeps its memo in cache
    vd = [vader.polarity_scores(text) for text in unique]
    rows = [(tb[0], tb[1], v["compound"], v["pos"], v["neu"], v["neg"]) for tb, v in zip(textblob, vd)]
    values = np.array(rows, dtype=np.float64).reshape(-1, 6)[codes] if len(codes) else np.empty((0, 6))
    out = sents[["doc_id", "source", "sentence_id"]].reset_index(drop=True).copy()
    out["text"] = texts.reset_index(drop=True)
    for j, column in enumerate(SCORE_COLUMNS[4:]):
        out[column] = values[:, j]
    return out.astype({"sentence_id": "int64"})


# --------------------------------------------------------------------------- aggregation

def sentiment_summary(scores: pd.DataFrame, by: str | Sequence[str] | None = "source",
                      measures: Sequence[str] = MEASURES, n_boot: int = 2000, ci: float = 0.95,
                      seed: int = 0, unit: str = "auto", *, min_documents: int = 5) -> pd.DataFrame:
    """Mean sentence score per group and measure, with a percentile bootstrap interval.

    One row per group x measure: the ``by`` column(s) (none when ``by`` is None:
    the whole table is one group), measure, n_sentences, n_documents, mean (the
    plain mean over the group's sentences, in the measure's own units: -1..1
    for polarity and compound, 0..1 for subjectivity), ci_low and ci_high (the
    ``ci`` percentile interval of ``n_boot`` bootstrap means) and resampled:

    * "documents": a cluster bootstrap: the group's documents are drawn with
      replacement and the mean is taken over all their sentences. Sentences of
      one article are not independent (same author, topic, stance), so this is
      the interval to cite when comparing outlets. Used by ``unit="auto"`` when
      the group has at least ``min_documents`` (5) documents;
    * "sentences": the sentences are drawn as if independent. Used by
      ``unit="auto"`` for groups with fewer documents, where a cluster bootstrap
      has too few clusters to work; the interval then describes these few
      articles only and is too narrow as a statement about the outlet.
      ``by="doc_id"`` always resamples sentences.

    ``unit="documents"`` or ``"sentences"`` forces one scheme. The same ``seed``
    is used for every group, so a group's interval does not change when other
    groups are added or dropped; within a group all measures share the same
    resamples. A group with one sentence (or one document, resampled as such)
    gets ci_low == ci_high == mean: nothing to resample, not a precise estimate.
    Empty ``scores`` give an empty table with the same columns and types.
    """
    keys = _keys(by)
    measures = list(measures)
    if unit not in ("auto", "documents", "sentences"):
        raise ValueError(f"unit must be 'auto', 'documents' or 'sentences', not {unit!r}")
    if not measures:
        raise ValueError("measures is empty")
    _require(scores, ["doc_id", *keys, *measures], "scores")
    rows = []
    for key, group in _groups(scores, keys):
        n_docs = int(group["doc_id"].nunique(dropna=False))
        if "doc_id" in keys or unit == "sentences":
            resampled = "sentences"
        elif unit == "documents":
            resampled = "documents"
        else:
            resampled = "documents" if n_docs >= min_documents else "sentences"
        clusters = group["doc_id"].to_numpy() if resampled == "documents" else None
        est = mean_ci(group[measures].to_numpy(dtype=np.float64), clusters, n_boot=n_boot, ci=ci, seed=seed)
        for j, measure in enumerate(measures):
            rows.append((*key, measure, len(group), n_docs, float(est.mean[j]), float(est.ci_low[j]),
                         float(est.ci_high[j]), resampled))
    out = _frame(rows, keys, SUMMARY_COLUMNS,
                 {"measure": _STR, "n_sentences": "int64", "n_documents": "int64", "mean": "float64",
                  "ci_low": "float64", "ci_high": "float64", "resampled": _STR}, scores)
    out.attrs.update(n_boot=n_boot, ci=ci, seed=seed, unit=unit, min_documents=min_documents)
    return out


def lexicon_agreement(scores: pd.DataFrame, by: str | Sequence[str] | None = None, *,
                      x: str = "tb_polarity", y: str = "vader_compound") -> pd.DataFrame:
    """How far TextBlob polarity and VADER compound agree, per group of sentences.

    Columns: the ``by`` column(s) (none for the whole table), n_sentences,
    n_both_nonzero (sentences where both scores are non-zero: the denominator
    of sign_agreement), pearson_r and spearman_rho (correlation of the two
    scores across sentences, -1..1; scipy.stats), sign_agreement (share 0..1 of
    the both-non-zero sentences where the signs agree), both_neutral (share
    0..1 of all sentences where both scores are exactly 0).

    The correlations are NaN (no exception) for fewer than 3 sentences or when
    either score is constant; sign_agreement is NaN without both-non-zero
    sentences. Low agreement means the "sentiment" of a sentence depends on
    which lexicon one happens to use.
    """
    from scipy import stats  # loaded here: scipy.stats takes half a second to import
    keys = _keys(by)
    _require(scores, [*keys, x, y], "scores")
    rows = []
    for key, group in _groups(scores, keys):
        a = group[x].to_numpy(dtype=np.float64)
        b = group[y].to_numpy(dtype=np.float64)
        n = len(a)
        usable = n >= 3 and np.ptp(a) > 0 and np.ptp(b) > 0
        pearson = float(stats.pearsonr(a, b).statistic) if usable else np.nan
        spearman = float(stats.spearmanr(a, b).statistic) if usable else np.nan
        nonzero = (a != 0) & (b != 0)
        n_nonzero = int(nonzero.sum())
        sign = float(np.mean(np.sign(a[nonzero]) == np.sign(b[nonzero]))) if n_nonzero else np.nan
        neutral = float(np.mean((a == 0) & (b == 0)))
        rows.append((*key, n, n_nonzero, pearson, spearman, sign, neutral))
    return _frame(rows, keys, AGREEMENT_COLUMNS,
                  {"n_sentences": "int64", "n_both_nonzero": "int64", "pearson_r": "float64",
                   "spearman_rho": "float64", "sign_agreement": "float64", "both_neutral": "float64"}, scores)


def extreme_sentences(scores: pd.DataFrame, by: str | Sequence[str] | None = "source",
                      measure: str = "vader_compound", n: int = 3, *, other: str | None = None) -> pd.DataFrame:
    """The ``n`` most positive and ``n`` most negative sentences per group: the evidence to read.

    Columns: the ``by`` column(s), direction ("most positive" / "most negative"),
    rank (1 = most extreme), doc_id, sentence_id, text, ``measure`` (its value,
    in its own units) and ``other`` (the other lexicon's value for the same
    sentence: tb_polarity for a VADER measure, vader_compound for a TextBlob
    one), so that sentences on which the lexicons disagree stand out.

    Only sentences scoring above 0 count as positive and below 0 as negative,
    so a group may have fewer than ``n`` rows in a direction (none if nothing
    scores below 0). Ties are broken by doc_id, then sentence_id.
    """
    keys = _keys(by)
    if other is None:
        other = "tb_polarity" if measure.startswith("vader") else "vader_compound"
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n!r}")
    _require(scores, [*keys, "doc_id", "sentence_id", "text", measure, other], "scores")
    columns = [*keys, "doc_id", "sentence_id", "text", measure, other]
    parts = []
    for direction, chosen, ascending in (("most positive", scores[measure] > 0, False),
                                         ("most negative", scores[measure] < 0, True)):
        part = scores.loc[chosen, columns].sort_values(
            [*keys, measure, "doc_id", "sentence_id"], ascending=[True] * len(keys) + [ascending, True, True],
            kind="mergesort", na_position="last")
        if keys:
            part = part.groupby(keys, sort=False, dropna=False, observed=True).head(n)
            rank = part.groupby(keys, sort=False, dropna=False, observed=True).cumcount() + 1
        else:
            part = part.head(n)
            rank = pd.Series(np.arange(1, len(part) + 1), index=part.index)
        part = part.assign(direction=direction, rank=rank.astype("int64"), _order=int(ascending))
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values([*keys, "_order", "rank"], kind="mergesort", na_position="last")
    out = out[[*keys, "direction", "rank", "doc_id", "sentence_id", "text", measure, other]]
    return out.astype({"direction": _STR, "rank": "int64"}).reset_index(drop=True)


# --------------------------------------------------------------------------- actors

def actor_sentences(scores: pd.DataFrame, ments: pd.DataFrame) -> pd.DataFrame:
    """The evidence table: one row per (actor, sentence) where the actor is mentioned.

    Columns: doc_id, source, sentence_id, actor, actor_type, tb_polarity (-1..1),
    vader_compound (-1..1), text. A sentence that mentions an actor twice is one
    row; a sentence that mentions two actors is a row for each. Mentions of
    sentences missing from ``scores`` are dropped. The score is the sentence's,
    not a score *towards* the actor: "Russia blamed Armenia" counts for both.
    """
    _require(ments, ["doc_id", "sentence_id", "actor", "actor_type"], "ments")
    _require(scores, ["doc_id", "source", "sentence_id", "tb_polarity", "vader_compound", "text"], "scores")
    evidence = ments[["doc_id", "sentence_id", "actor", "actor_type"]].drop_duplicates(
        ["doc_id", "sentence_id", "actor"])
    out = evidence.merge(scores[["doc_id", "source", "sentence_id", "tb_polarity", "vader_compound", "text"]],
                         on=["doc_id", "sentence_id"], how="inner", validate="many_to_one")
    out = out.sort_values(["doc_id", "sentence_id", "actor"], kind="mergesort")
    return out[ACTOR_SENTENCE_COLUMNS].astype({"sentence_id": "int64"}).reset_index(drop=True)


def actor_sentiment(scores: pd.DataFrame, ments: pd.DataFrame, by: str | Sequence[str] | None = "source",
                    min_sentences: int = 1, n_boot: int = 2000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Mean sentiment of the sentences that mention each actor, per group.

    The evidence is ``actor_sentences(scores, ments)``: every number here is a
    mean over its rows for one group and actor. Columns: the ``by`` column(s),
    actor, actor_type, n_sentences (distinct sentences mentioning the actor),
    n_documents, tb_polarity_mean, tb_polarity_ci_low, tb_polarity_ci_high
    (-1..1), vader_compound_mean, vader_compound_ci_low, vader_compound_ci_high
    (-1..1). Intervals are percentile bootstrap intervals (level ``ci``,
    ``n_boot`` resamples, ``seed``) over the sentences, treated as independent:
    with few documents per actor they are too narrow as a statement about the
    outlet (see n_documents). Rows with fewer than ``min_sentences`` sentences
    are dropped; sorted by group, then n_sentences (descending), then actor.

    The score is the sentence's, not a stance towards the actor.
    """
    keys = _keys(by)
    if "actor" in keys:
        raise ValueError("by must not include 'actor' (rows are already per actor)")
    evidence = actor_sentences(scores, ments)
    extra = [k for k in keys if k not in evidence.columns]  # grouping columns of scores, e.g. a date
    if extra:
        _require(scores, extra, "scores")
        evidence = evidence.merge(scores[["doc_id", "sentence_id", *extra]], on=["doc_id", "sentence_id"],
                                  how="left", validate="many_to_one")
    measures = ["tb_polarity", "vader_compound"]
    rows = []
    for key, group in _groups(evidence, [*keys, "actor"]):
        if len(group) < min_sentences:
            continue
        est = mean_ci(group[measures].to_numpy(dtype=np.float64), n_boot=n_boot, ci=ci, seed=seed)
        rows.append((*key, group["actor_type"].iloc[0], len(group), int(group["doc_id"].nunique()),
                     *(float(v) for j in range(2) for v in (est.mean[j], est.ci_low[j], est.ci_high[j]))))
    stat_columns = [f"{m}_{s}" for m in measures for s in ("mean", "ci_low", "ci_high")]
    out = _frame(rows, [*keys, "actor"], ["actor_type", "n_sentences", "n_documents", *stat_columns],
                 {"actor_type": _STR, "n_sentences": "int64", "n_documents": "int64",
                  **{c: "float64" for c in stat_columns}}, evidence)
    out = out.sort_values([*keys, "n_sentences", "actor"], ascending=[True] * len(keys) + [False, True],
                          kind="mergesort", na_position="last")
    out.attrs.update(n_boot=n_boot, ci=ci, seed=seed, resampled="sentences")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- pitfalls

def read_domain_words(path: str | Path = DOMAIN_WORDS) -> pd.DataFrame:
    """The curated conflict-news words whose lexicon score misleads: columns word (lower case), why."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    _require(table, ["word", "why"], str(path))
    table["word"] = table["word"].str.strip().str.lower()
    dupes = table["word"][table["word"].duplicated()]
    if len(dupes):
        raise ValueError(f"{path}: word {dupes.iloc[0]!r} is listed twice")
    return table[["word", "why"]]


def sentiment_pitfalls(scores: pd.DataFrame, *, threshold: float = 0.3,
                       domain_words: Iterable[str] | None = None) -> pd.DataFrame:
    """Known failure modes of lexicon sentiment on news, flagged per sentence.

    One row per sentence: doc_id, source, sentence_id, text, tb_polarity,
    vader_compound, and the flags

    * has_negation: the sentence contains not, no, never, n't, without, nor,
      neither, none or cannot. TextBlob only flips a word right after "not",
      "never" etc. ("isn't good" stays positive), VADER looks three words back:
      negated sentences are where the lexicons misread most often;
    * lexicons_disagree: both scores non-zero with opposite signs, or one has
      abs(score) >= ``threshold`` while the other is exactly 0;
    * domain_words: the words of ``domain_words`` (default:
      :func:`read_domain_words`) that occur in the sentence, "; "-joined in order
      of appearance, "" if none. Matched as whole lower-case words (hyphenated
      compounds are one word, as for the lexicons; a possessive 's is dropped);
    * flagged: any of the three.
    """
    _require(scores, ["doc_id", "source", "sentence_id", "text", "tb_polarity", "vader_compound"], "scores")
    words = set(read_domain_words()["word"] if domain_words is None else (w.lower() for w in domain_words))
    out = scores[["doc_id", "source", "sentence_id", "text", "tb_polarity", "vader_compound"]].reset_index(drop=True)
    texts = out["text"].astype(str)
    out["has_negation"] = texts.map(lambda t: _NEGATION.search(t) is not None).astype(bool)
    tb, vd = out["tb_polarity"].to_numpy(dtype=np.float64), out["vader_compound"].to_numpy(dtype=np.float64)
    opposite = (tb * vd) < 0
    one_silent = ((np.abs(tb) >= threshold) & (vd == 0)) | ((np.abs(vd) >= threshold) & (tb == 0))
    out["lexicons_disagree"] = opposite | one_silent
    out["domain_words"] = texts.map(lambda t: _domain_words_in(t, words)).astype(_STR)
    out["flagged"] = out["has_negation"] | out["lexicons_disagree"] | (out["domain_words"] != "")
    return out[PITFALL_COLUMNS].astype({"has_negation": bool, "lexicons_disagree": bool, "flagged": bool})


def _domain_words_in(text: str, words: set[str]) -> str:
    found = (_POSSESSIVE.sub("", w) for w in _WORD.findall(text.lower()))
    return "; ".join(dict.fromkeys(w for w in found if w in words))


def lexicon_entries(words: str | Iterable[str]) -> pd.DataFrame:
    """What each lexicon makes of a word on its own: one row per given word (lower-cased).

    Columns: word, tb_polarity (-1..1) and tb_subjectivity (0..1) of
    PatternAnalyzer on the word alone, vader_valence (the VADER lexicon entry:
    mean human rating on -4..+4, NaN when the word is not in the lexicon) and
    vader_compound (-1..1, VADER on the word alone). Shows, e.g., that VADER
    rates "peacekeepers" and "security" positive and that neither lexicon
    scores "victory" or "liberation".
    """
    words = [words] if isinstance(words, str) else list(words)
    pattern, vader = analyzers()
    rows = []
    for word in words:
        word = str(word).strip().lower()
        polarity, subjectivity = pattern(word)
        valence = vader.lexicon.get(word)
        rows.append((word, float(polarity), float(subjectivity),
                     np.nan if valence is None else float(valence), float(vader.polarity_scores(word)["compound"])))
    return _frame(rows, [], LEXICON_COLUMNS, {"word": _STR, "tb_polarity": "float64", "tb_subjectivity": "float64",
                                              "vader_valence": "float64", "vader_compound": "float64"},
                  pd.DataFrame())


__all__ = ["actor_sentences", "actor_sentiment", "extreme_sentences", "lexicon_agreement", "lexicon_entries",
           "read_domain_words", "sentence_sentiment", "sentiment_pitfalls", "sentiment_summary"]
