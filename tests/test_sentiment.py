import math
import re
import socket

import numpy as np
import pandas as pd
import pytest
from textblob.en.sentiments import PatternAnalyzer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.measures import exact_scorers
from analysis.measures import sentiment as snt
from analysis.measures.resampling import bootstrap_means, cluster_bootstrap_means, mean_ci
from analysis.measures.sentiment import (actor_sentences, actor_sentiment, extreme_sentences, lexicon_agreement,
                                lexicon_entries, read_domain_words, sentence_sentiment, sentiment_pitfalls,
                                sentiment_summary)

REFERENCE = [
    "Both sides welcomed the agreement as a great success.",
    "The ceasefire is holding and refugees are returning home.",
    "Shelling killed three civilians and destroyed a school.",
    "This is not a good agreement.",
    "VADER is smart, handsome, and funny.",
]


def _sents(texts, doc_ids=None):
    doc_ids = doc_ids or ["d1"] * len(texts)
    return pd.DataFrame({"doc_id": doc_ids, "source": "test", "sentence_id": range(1, len(texts) + 1),
                         "text": texts})


def _scores(values, doc_ids, by_value="s", vader=None):
    """A synthetic scores table: one row per value, sentence ids numbered within each document."""
    frame = pd.DataFrame({"doc_id": doc_ids, "source": by_value, "tb_polarity": values,
                          "tb_subjectivity": np.abs(values) / (1 + np.abs(values)),
                          "vader_compound": values if vader is None else vader})
    frame["sentence_id"] = frame.groupby("doc_id").cumcount() + 1
    frame["text"] = [f"sentence {i}" for i in range(len(frame))]
    return frame


@pytest.fixture(scope="module")
def seed_scores(seed_docs, seed_sentences):
    return sentence_sentiment(seed_docs, seed_sentences)


# ----------------------------------------------------------------------------- reference values

def test_scores_equal_the_libraries_on_reference_sentences():
    pattern, vader = PatternAnalyzer(), SentimentIntensityAnalyzer()  # independent instances
    scores = sentence_sentiment(None, _sents(REFERENCE))
    assert list(scores.columns) == snt.SCORE_COLUMNS
    for text, row in zip(REFERENCE, scores.itertuples()):
        expected_tb = pattern.analyze(text)
        expected_vd = vader.polarity_scores(text)
        assert row.text == text
        assert row.tb_polarity == expected_tb.polarity
        assert row.tb_subjectivity == expected_tb.subjectivity
        assert row.vader_compound == expected_vd["compound"]
        assert (row.vader_pos, row.vader_neu, row.vader_neg) == (expected_vd["pos"], expected_vd["neu"],
                                                                  expected_vd["neg"])
    assert scores["vader_compound"].iloc[4] == 0.8316  # the vaderSentiment README example
    assert scores["vader_compound"].iloc[2] < 0 < scores["vader_compound"].iloc[0]
    # good news without a lexicon word is "neutral" for both
    assert scores["vader_compound"].iloc[1] == scores["tb_polarity"].iloc[1] == 0
    assert scores["tb_polarity"].iloc[3] < 0  # "not a good": TextBlob flips the adjective after "not"


def test_typographic_quotes_are_scored_as_ascii():
    curly = "Russia’s ‘peacekeepers’ haven’t helped."
    ascii_ = "Russia's 'peacekeepers' haven't helped."
    vader = SentimentIntensityAnalyzer()
    normalised = sentence_sentiment(None, _sents([curly]))
    raw = sentence_sentiment(None, _sents([curly]), ascii_quotes=False)
    assert normalised["text"].iloc[0] == raw["text"].iloc[0] == curly  # the text column is untouched
    assert normalised["vader_compound"].iloc[0] == vader.polarity_scores(ascii_)["compound"]
    assert raw["vader_compound"].iloc[0] == vader.polarity_scores(curly)["compound"]
    # why the option exists: VADER does not see the curly-quoted word or the n’t negation
    assert normalised["vader_compound"].iloc[0] != raw["vader_compound"].iloc[0]


def test_empty_sentences_give_typed_empty_scores():
    scores = sentence_sentiment(None, _sents([]))
    assert list(scores.columns) == snt.SCORE_COLUMNS and len(scores) == 0
    assert scores["vader_compound"].dtype == np.float64 and scores["sentence_id"].dtype == np.int64


def test_no_network_needed(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    exact_scorers.analyzers.cache_clear()  # build the analyzers again with the network cut
    scores = sentence_sentiment(None, _sents(["Peace talks resumed in Vienna.", "Shelling killed two soldiers."]))
    assert len(scores) == 2 and scores["vader_compound"].iloc[1] < 0


# ----------------------------------------------------------------------------- bootstrap

def test_bootstrap_is_reproducible_and_seed_dependent():
    rng = np.random.Generator(np.random.PCG64(7))
    x = rng.normal(size=300)
    docs = np.repeat(np.arange(30), 10)
    a, b = mean_ci(x, n_boot=500, seed=1), mean_ci(x, n_boot=500, seed=1)
    assert a.ci_low.tobytes() == b.ci_low.tobytes() and a.ci_high.tobytes() == b.ci_high.tobytes()
    c = mean_ci(x, n_boot=500, seed=2)
    assert (c.ci_low, c.ci_high) != (a.ci_low, a.ci_high)
    assert c.mean == a.mean  # the point estimate does not depend on the seed
    d, e = mean_ci(x, docs, n_boot=500, seed=1), mean_ci(x, docs, n_boot=500, seed=1)
    assert d.ci_low.tobytes() == e.ci_low.tobytes() and d.ci_high.tobytes() == e.ci_high.tobytes()
    assert mean_ci(x, docs, n_boot=500, seed=3).ci_low != d.ci_low


def test_bootstrap_does_not_depend_on_chunk_size():
    rng = np.random.Generator(np.random.PCG64(3))
    x = rng.normal(size=(250, 2))
    docs = rng.integers(0, 40, size=250)
    whole = bootstrap_means(x, n_boot=301, seed=5)
    assert whole.shape == (301, 2)
    assert whole.tobytes() == bootstrap_means(x, n_boot=301, seed=5, max_bytes=7 * 250 * 20).tobytes()
    assert whole.tobytes() == bootstrap_means(x, n_boot=301, seed=5, max_bytes=1).tobytes()
    clustered = cluster_bootstrap_means(x, docs, n_boot=301, seed=5)
    assert clustered.tobytes() == cluster_bootstrap_means(x, docs, n_boot=301, seed=5, max_bytes=1).tobytes()


def test_summary_is_byte_identical_for_the_same_seed():
    rng = np.random.Generator(np.random.PCG64(11))
    scores = _scores(rng.uniform(-1, 1, size=120), np.repeat([f"d{i}" for i in range(12)], 10))
    a = sentiment_summary(scores, n_boot=300, seed=4)
    b = sentiment_summary(scores, n_boot=300, seed=4)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    numbers = ["mean", "ci_low", "ci_high"]
    assert a[numbers].to_numpy().tobytes() == b[numbers].to_numpy().tobytes()
    c = sentiment_summary(scores, n_boot=300, seed=5)
    assert not np.array_equal(a["ci_low"].to_numpy(), c["ci_low"].to_numpy())


def test_ci_of_a_normal_sample_has_the_textbook_width():
    n, mu, sd = 400, 0.3, 1.0
    x = np.random.Generator(np.random.PCG64(2024)).normal(mu, sd, size=n)
    est = mean_ci(x, n_boot=4000, ci=0.95, seed=0)
    assert est.ci_low[0] < mu < est.ci_high[0]
    expected = 2 * 1.96 * sd / math.sqrt(n)
    assert abs((est.ci_high[0] - est.ci_low[0]) - expected) / expected < 0.15


def test_cluster_bootstrap_is_wider_when_sentences_are_correlated_within_documents():
    rng = np.random.Generator(np.random.PCG64(9))
    n_docs, per_doc = 30, 20
    doc_effect = np.repeat(rng.normal(0, 0.5, size=n_docs), per_doc)
    values = np.clip(doc_effect + rng.normal(0, 0.05, size=n_docs * per_doc), -1, 1)
    scores = _scores(values, np.repeat([f"d{i:02d}" for i in range(n_docs)], per_doc))
    by_doc = sentiment_summary(scores, by=None, measures=["tb_polarity"], n_boot=1000, unit="documents")
    by_sent = sentiment_summary(scores, by=None, measures=["tb_polarity"], n_boot=1000, unit="sentences")
    auto = sentiment_summary(scores, by=None, measures=["tb_polarity"], n_boot=1000)
    width = lambda t: float(t["ci_high"].iloc[0] - t["ci_low"].iloc[0])  # noqa: E731
    assert width(by_doc) > 2.5 * width(by_sent)  # ~sqrt(20) in theory
    assert by_doc["mean"].iloc[0] == by_sent["mean"].iloc[0]
    assert auto["resampled"].iloc[0] == "documents" and auto.equals(by_doc)


def test_one_sentence_group_and_empty_input():
    scores = _scores(np.array([0.4, -0.2, 0.1, 0.3]), ["a", "b", "b", "b"], by_value="x")
    scores.loc[0, "source"] = "solo"
    out = sentiment_summary(scores, n_boot=200)
    solo = out[out["source"] == "solo"]
    assert len(solo) == 3 and (solo["n_sentences"] == 1).all()
    assert (solo["ci_low"] == solo["mean"]).all() and (solo["ci_high"] == solo["mean"]).all()
    assert solo.loc[solo["measure"] == "tb_polarity", "mean"].iloc[0] == 0.4
    empty = sentiment_summary(scores.iloc[:0], n_boot=200)
    assert len(empty) == 0
    assert list(empty.columns) == ["source", *snt.SUMMARY_COLUMNS]
    assert empty.dtypes.equals(out.dtypes)
    assert len(sentiment_summary(scores.iloc[:0], by=None)) == 0
    nan = mean_ci(np.array([]))
    assert np.isnan(nan.mean[0]) and nan.n_units == 0
    with pytest.raises(ValueError):
        mean_ci(np.array([0.1, np.nan]))


def test_summary_units_and_grouping():
    scores = _scores(np.linspace(-1, 1, 40), np.repeat(["a", "b", "c", "d", "e", "f", "g", "h"], 5))
    scores["source"] = np.where(scores["doc_id"] < "f", "five docs", "three docs")
    out = sentiment_summary(scores, n_boot=200)
    resampled = out.groupby("source")["resampled"].unique().map(list).to_dict()
    assert resampled == {"five docs": ["documents"], "three docs": ["sentences"]}
    assert (out.groupby("source")["n_documents"].first() == [5, 3]).all()
    forced = sentiment_summary(scores, n_boot=200, unit="sentences")
    assert set(forced["resampled"]) == {"sentences"}
    per_doc = sentiment_summary(scores, by="doc_id", n_boot=200, unit="documents")
    assert set(per_doc["resampled"]) == {"sentences"} and len(per_doc) == 8 * 3
    with pytest.raises(ValueError):
        sentiment_summary(scores, unit="articles")


# ----------------------------------------------------------------------------- agreement, extremes

def test_lexicon_agreement_by_hand():
    scores = _scores(np.array([0.5, -0.5, 0.0, 0.2, 0.0]), ["a"] * 5, vader=np.array([0.6, 0.3, 0.0, 0.4, -0.7]))
    row = lexicon_agreement(scores).iloc[0]
    assert row["n_sentences"] == 5 and row["n_both_nonzero"] == 3
    assert row["sign_agreement"] == pytest.approx(2 / 3)
    assert row["both_neutral"] == pytest.approx(1 / 5)
    assert row["pearson_r"] == pytest.approx(np.corrcoef(scores["tb_polarity"], scores["vader_compound"])[0, 1])
    few = lexicon_agreement(scores.iloc[:2]).iloc[0]
    assert np.isnan(few["pearson_r"]) and np.isnan(few["spearman_rho"])
    constant = scores.assign(vader_compound=0.25)
    assert np.isnan(lexicon_agreement(constant).iloc[0]["pearson_r"])
    assert len(lexicon_agreement(scores.iloc[:0], by="source")) == 0


def test_extreme_sentences_tie_breaking_and_signs():
    scores = _scores(np.array([0.5, 0.5, -0.3, 0.0, 0.9, -0.3]), ["b", "a", "a", "a", "c", "b"])
    out = extreme_sentences(scores, by=None, measure="tb_polarity", n=2)
    pos = out[out["direction"] == "most positive"]
    neg = out[out["direction"] == "most negative"]
    assert list(zip(pos["doc_id"], pos["tb_polarity"])) == [("c", 0.9), ("a", 0.5)]  # tie: doc a before b
    assert list(neg["doc_id"]) == ["a", "b"] and list(neg["rank"]) == [1, 2]
    assert (out["tb_polarity"] != 0).all()  # neutral sentences are neither
    assert "vader_compound" in out.columns
    assert out.equals(extreme_sentences(scores.sample(frac=1, random_state=1), by=None, measure="tb_polarity", n=2))


# ----------------------------------------------------------------------------- seed corpus

def test_seed_scores_one_row_per_sentence(seed_scores, seed_sentences):
    keys = ["doc_id", "source", "sentence_id", "text"]
    pd.testing.assert_frame_equal(seed_scores[keys], seed_sentences[keys].reset_index(drop=True))
    for column in ["tb_polarity", "vader_compound"]:
        assert seed_scores[column].between(-1, 1).all()
    for column in ["tb_subjectivity", "vader_pos", "vader_neu", "vader_neg"]:
        assert seed_scores[column].between(0, 1).all()
    assert seed_scores[["vader_pos", "vader_neu", "vader_neg"]].sum(axis=1).between(0.99, 1.01).all()


def test_seed_summary_resamples_sentences_for_every_source(seed_scores):
    out = sentiment_summary(seed_scores, n_boot=200)
    assert set(out["source"]) == {"PanARMENIAN.Net", "Jamestown Foundation", "Caliber.az", "OpsLens"}
    assert len(out) == 4 * 3
    assert (out["resampled"] == "sentences").all() and (out["n_documents"] < 5).all()
    assert ((out["ci_low"] <= out["mean"]) & (out["mean"] <= out["ci_high"])).all()
    per_doc = sentiment_summary(seed_scores, by="doc_id", n_boot=200)
    assert len(per_doc) == 5 * 3 and (per_doc["n_documents"] == 1).all()
    assert per_doc.groupby("doc_id")["n_sentences"].first().sum() == len(seed_scores)
    corpus = sentiment_summary(seed_scores, by=None, n_boot=200)
    assert list(corpus["measure"]) == list(snt.MEASURES) and (corpus["n_sentences"] == len(seed_scores)).all()


def test_seed_extremes_and_agreement(seed_scores):
    out = extreme_sentences(seed_scores)
    worst = out[(out["source"] == "OpsLens") & (out["direction"] == "most negative") & (out["rank"] == 1)]
    assert len(worst) == 1 and worst["vader_compound"].iloc[0] < 0
    opslens = seed_scores[seed_scores["source"] == "OpsLens"]
    assert worst["vader_compound"].iloc[0] == opslens["vader_compound"].min()
    agreement = lexicon_agreement(seed_scores)
    assert len(agreement) == 1 and np.isfinite(agreement["pearson_r"].iloc[0])
    assert 0 <= agreement["sign_agreement"].iloc[0] <= 1


def test_seed_actor_sentiment_matches_its_evidence(seed_scores, seed_mentions):
    evidence = actor_sentences(seed_scores, seed_mentions)
    assert not evidence.duplicated(["doc_id", "sentence_id", "actor"]).any()
    out = actor_sentiment(seed_scores, seed_mentions, n_boot=200)
    for actor in ["Nagorno-Karabakh", "Russia"]:
        rows = out[out["actor"] == actor]
        assert rows["source"].nunique() >= 3
        for row in rows.itertuples():
            mine = evidence[(evidence["actor"] == actor) & (evidence["source"] == row.source)]
            assert row.n_sentences == len(mine[["doc_id", "sentence_id"]].drop_duplicates())
            assert row.vader_compound_mean == pytest.approx(mine["vader_compound"].mean())
            assert row.tb_polarity_ci_low <= row.tb_polarity_mean <= row.tb_polarity_ci_high
    within = out.groupby("source", sort=False)["n_sentences"].apply(lambda s: s.is_monotonic_decreasing)
    assert within.all() and out["source"].is_monotonic_increasing
    assert (actor_sentiment(seed_scores, seed_mentions, n_boot=50, min_sentences=5)["n_sentences"] >= 5).all()


def test_actor_sentences_counts_a_sentence_once_per_actor():
    scores = _scores(np.array([0.1, -0.2]), ["d", "d"])
    ments = pd.DataFrame({"doc_id": ["d", "d", "d", "d"], "sentence_id": [1, 1, 1, 2],
                          "actor": ["Russia", "Russia", "Armenia", "Russia"], "actor_type": "state"})
    evidence = actor_sentences(scores, ments)
    assert list(zip(evidence["sentence_id"], evidence["actor"])) == [(1, "Armenia"), (1, "Russia"), (2, "Russia")]
    out = actor_sentiment(scores, ments, by=None, n_boot=100)
    assert list(out["actor"]) == ["Russia", "Armenia"] and list(out["n_sentences"]) == [2, 1]


# ----------------------------------------------------------------------------- pitfalls

def test_seed_pitfalls(seed_scores):
    flags = sentiment_pitfalls(seed_scores)
    assert len(flags) == len(seed_scores)
    assert flags["has_negation"].any() and flags["lexicons_disagree"].any()
    putin = flags[flags["text"].str.startswith("“I haven’t noticed")]
    assert putin["has_negation"].all()
    words = flags["domain_words"].str.split("; ")
    assert words.map(lambda w: "peacekeepers" in w).any()
    opslens = flags[(flags["source"] == "OpsLens") & flags["text"].str.contains("‘peacekeepers’ in the Transdniester")]
    assert opslens["domain_words"].iloc[0] == "peacekeepers"
    assert flags["flagged"].equals(flags["has_negation"] | flags["lexicons_disagree"] | (flags["domain_words"] != ""))


def test_pitfall_rules_by_hand():
    scores = _scores(np.array([0.5, 0.4, 0.0, 0.1]), ["a"] * 4, vader=np.array([-0.2, 0.0, 0.0, 0.2]))
    scores["text"] = ["They never lost.", "Not a word.", "Russian peacekeepers’ base.", "The anti-terror raid."]
    flags = sentiment_pitfalls(scores)
    assert list(flags["has_negation"]) == [True, True, False, False]
    assert list(flags["lexicons_disagree"]) == [True, True, False, False]
    assert list(flags["domain_words"]) == ["lost", "", "peacekeepers; base", "anti-terror"]
    assert flags["flagged"].all()


def test_lexicon_entries_show_what_the_lexicons_think():
    vader = SentimentIntensityAnalyzer()
    out = lexicon_entries(["Peacekeepers", "peace", "victory", "security"]).set_index("word")
    assert list(out.index) == ["peacekeepers", "peace", "victory", "security"]
    # what we found: VADER rates them positive, TextBlob's adjective lexicon does not know them
    assert out.loc["peacekeepers", "vader_valence"] == 1.6 and out.loc["peace", "vader_valence"] == 2.5
    assert (out.loc[["peacekeepers", "peace"], "tb_polarity"] == 0).all()
    assert out.loc["security", "vader_valence"] == vader.lexicon["security"] > 0
    assert np.isnan(out.loc["victory", "vader_valence"]) and out.loc["victory", "tb_polarity"] == 0
    assert out.loc["peace", "vader_compound"] == vader.polarity_scores("peace")["compound"]


def test_domain_word_list_states_the_real_lexicon_scores():
    table = read_domain_words()
    assert 15 <= len(table) <= 40 and table["word"].is_unique
    lex = lexicon_entries(table["word"]).set_index("word")
    claim = re.compile(r"^TextBlob ([+-]?[\d.]+), VADER ([+-][\d.]+|not listed): \S")
    for word, why in zip(table["word"], table["why"]):
        m = claim.match(why)
        assert m, f"{word}: reason must start with the lexicon scores"
        assert float(m.group(1)) == pytest.approx(lex.loc[word, "tb_polarity"], abs=0.01), word
        valence = lex.loc[word, "vader_valence"]
        assert (m.group(2) == "not listed") if np.isnan(valence) else float(m.group(2)) == valence, word
        if lex.loc[word, "tb_polarity"] == 0 and (np.isnan(valence) or valence == 0):
            assert "scored 0" in why, f"{word}: a word both lexicons ignore must say it is loaded but scored 0"


def test_ascii_quotes_equals_translate():
    quotes = "".join(chr(k) for k in snt._ASCII_QUOTES)
    for text in ["", "plain ASCII 'text'", quotes, f"«{quotes}» Ça “va” ‘bien’ “", "’’’„‟″"]:
        assert snt._ascii_quotes(text) == text.translate(snt._ASCII_QUOTES)
