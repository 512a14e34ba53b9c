"""Topic models (analysis/framing/topics.py): planted topics are found, k by stability, deterministic, evidence is real."""
import random

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.framing.topics import (TopicModel, matched_similarity, topic_documents, topic_frames, topic_model,
                             topic_prevalence, topic_sentences, topic_units)

PLANTED = {
    "war": ["ceasefire", "troops", "shelling", "artillery", "frontline", "soldiers", "trenches", "offensive"],
    "gas": ["gas", "pipeline", "export", "tariff", "consortium", "terminal", "barrels", "refinery"],
    "church": ["church", "monastery", "heritage", "bishop", "frescoes", "pilgrims", "chapel", "relics"],
}
FILLER = ["officials", "region", "week", "report", "statement", "local", "people", "situation", "country",
          "government", "sources", "area"]
MIX = {"A": [0.8, 0.1, 0.1], "B": [0.1, 0.8, 0.1], "C": [0.2, 0.2, 0.6]}  # source -> P(war, gas, church)


def _planted(n_docs=20, n_sents=8, seed=1):
    """Docs whose sentences each draw 4 words of one planted topic and 3 shared filler words; and the truth
    (doc_id, source, sentence number, topic)."""
    rng = random.Random(seed)
    names = list(PLANTED)
    docs, truth = [], []
    for source, mix in MIX.items():
        for d in range(n_docs):
            doc_id, sentences = f"{source}{d:03d}", []
            for s in range(n_sents):
                topic = rng.choices(names, weights=mix)[0]
                words = rng.sample(PLANTED[topic], 4) + rng.sample(FILLER, 3)
                rng.shuffle(words)
                sentences.append("The " + " ".join(words) + " were there.")
                truth.append((doc_id, source, s + 1, topic))
            docs.append((doc_id, source, pd.Timestamp("2021-01-01") + pd.Timedelta(days=d), " ".join(sentences)))
    return (pd.DataFrame(docs, columns=["doc_id", "source", "date", "text"]),
            pd.DataFrame(truth, columns=["doc_id", "source", "sentence_id", "topic"]))


@pytest.fixture(scope="module")
def planted():
    docs, truth = _planted()
    sents, toks = analysis.parse(docs)
    assert len(sents) == len(truth)  # one sentence per planted sentence
    return docs, truth, sents, toks


@pytest.fixture(scope="module")
def nmf_selected(planted):
    return topic_model(planted[3], method="nmf", seed=0)


@pytest.fixture(scope="module")
def lda3(planted):
    return topic_model(planted[3], method="lda", k=3, seed=0)


def _match_planted(model: TopicModel, top: int = 6) -> dict[str, str]:
    """planted topic -> the found topic whose top terms are all its words (asserting exactly one)."""
    found = {}
    for name, words in PLANTED.items():
        owners = [t for t, g in model.terms.groupby("topic") if set(g.nsmallest(top, "rank")["term"]) <= set(words)]
        assert len(owners) == 1, (name, owners, model.topics)
        found[name] = owners[0]
    assert len(set(found.values())) == len(PLANTED)
    return found


def _check_prevalence(model, planted, tolerance):
    docs, truth, _, _ = planted
    found = _match_planted(model)
    realised = truth.groupby("source")["topic"].value_counts(normalize=True)
    prev = topic_prevalence(model, docs, n_boot=200)
    assert set(prev["resampled"]) == {"documents"}  # 20 documents per source
    for (source, name), share in realised.items():
        row = prev[(prev["source"] == source) & (prev["topic"] == found[name])].iloc[0]
        assert abs(row["prevalence"] - share) < tolerance, (source, name, row["prevalence"], share)
        assert row["ci_low"] <= row["prevalence"] <= row["ci_high"]
    # each source's dominant topic is its planted majority topic
    for source, mix in MIX.items():
        rows = prev[prev["source"] == source]
        assert rows.loc[rows["prevalence"].idxmax(), "topic"] == found[list(PLANTED)[int(np.argmax(mix))]]


def test_stability_chooses_the_planted_number_of_topics(nmf_selected):
    sel = nmf_selected.selection
    assert list(sel["k"]) == list(range(2, 11))
    assert nmf_selected.k == 3 and sel["chosen"].sum() == 1 and sel.loc[sel["chosen"], "k"].item() == 3
    assert sel.loc[sel["k"] == 3, "stability"].item() == sel["stability"].max()
    assert sel["stability"].between(0, 1 + 1e-9).all() and (sel["n_runs"] == 5).all()
    assert sel.loc[sel["k"] > 3, "stability"].max() < 0.95  # too many topics split differently in each sample
    assert "Greene" in sel["criterion"].iloc[0]


def test_nmf_recovers_planted_topics_and_their_prevalence_per_source(nmf_selected, planted):
    found = _match_planted(nmf_selected)
    labels = nmf_selected.labels
    for name, topic in found.items():
        assert labels[topic].startswith(f"{topic}: ")
        assert set(labels[topic].split(": ")[1].split(", ")) <= set(PLANTED[name])
    # topics are numbered by prevalence
    assert nmf_selected.topics["prevalence"].is_monotonic_decreasing
    assert list(nmf_selected.topics["topic"]) == ["T1", "T2", "T3"]
    _check_prevalence(nmf_selected, planted, tolerance=0.12)


def test_lda_recovers_planted_topics_with_k_given(lda3, planted):
    assert lda3.k == 3 and len(lda3.selection) == 1 and np.isnan(lda3.selection["stability"].item())
    assert "no selection" in lda3.selection["criterion"].item()
    _check_prevalence(lda3, planted, tolerance=0.12)
    # LDA shares are distributions over topics
    sums = lda3.units.groupby(["doc_id", "sentence_id"])["weight"].sum()
    np.testing.assert_allclose(sums, 1.0, atol=1e-9)


def test_units_table_and_evidence(nmf_selected, planted):
    docs, truth, sents, toks = planted
    units = nmf_selected.units
    assert len(units) == len(sents) * 3  # every sentence x topic
    assert set(units.columns) >= {"doc_id", "source", "sentence_id", "n_terms", "topic", "weight", "loading"}
    assert (units["n_terms"] == 7).all()  # 4 topic words + 3 filler words; "the", "were", "there" are stop words
    found = _match_planted(nmf_selected)
    top = topic_sentences(nmf_selected, sents, n=5)
    labelled = top.merge(truth, on=["doc_id", "source", "sentence_id"], suffixes=("", "_planted"))
    for name, topic in found.items():
        assert (labelled.loc[labelled["topic"] == topic, "topic_planted"] == name).all()
    docs_top = topic_documents(nmf_selected, docs, n=3)
    war_docs = docs_top.loc[docs_top["topic"] == found["war"], "doc_id"]
    assert war_docs.str.startswith("A").all() and len(war_docs) == 3
    assert docs_top.groupby("topic")["weight"].apply(lambda w: w.is_monotonic_decreasing).all()


def test_same_inputs_and_seed_give_identical_tables(planted):
    toks = planted[3]
    for kwargs in [dict(method="nmf", candidates=range(2, 5), n_seeds=3), dict(method="lda", k=3)]:
        a, b = topic_model(toks, seed=3, **kwargs), topic_model(toks, seed=3, **kwargs)
        for name in ["terms", "units", "topics", "selection"]:
            pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
            assert getattr(a, name).to_csv().encode() == getattr(b, name).to_csv().encode()
        pa, pb = topic_prevalence(a, n_boot=100, seed=1), topic_prevalence(b, n_boot=100, seed=1)
        assert pa.to_csv().encode() == pb.to_csv().encode()
        np.testing.assert_array_equal(a.topic_term, b.topic_term)


def test_topic_frames_weight_share_by_hand(nmf_selected):
    found = _match_planted(nmf_selected)
    war = found["war"]
    i = list(nmf_selected.topics["topic"]).index(war)
    weight = dict(zip(nmf_selected.vocabulary, nmf_selected.topic_term[i]))
    # the package's dictionary: security_defence lists troops, soldier*, artillery, shelling, offensive, ceasefire
    table = topic_frames(nmf_selected)
    row = table[(table["topic"] == war) & (table["frame"] == "security_defence")].iloc[0]
    by_hand = sum(weight[w] for w in ["troops", "soldiers", "artillery", "shelling", "offensive", "ceasefire"])
    assert row["weight_share"] == pytest.approx(by_hand / sum(weight.values()))
    assert row["n_matched_terms"] >= 6 and row["matched_terms"].split(" (")[0] in PLANTED["war"]
    # the war topic carries security_defence more than any other topic does, and more than any other frame
    sec = table[table["frame"] == "security_defence"].set_index("topic")["weight_share"]
    assert sec.idxmax() == war
    assert table[table["topic"] == war].iloc[0]["frame"] == "security_defence"
    # top_n: the share of the top-n terms' mass
    top = nmf_selected.terms[nmf_selected.terms["topic"] == war]
    dictionary = pd.DataFrame({"frame": ["fighting"], "frame_type": ["issue"], "term": ["troop*"], "exclude": [""]})
    small = topic_frames(nmf_selected, dictionary, top_n=10).set_index("topic")
    expected = top.loc[top["term"] == "troops", "weight"].sum() / top["weight"].sum()
    assert small.loc[war, "weight_share"] == pytest.approx(expected)


def test_topic_frames_patterns_exclusions_and_phrases():
    vocabulary = ("anti-terror", "investigation", "investment", "natural", "gas", "terrorists", "weather")
    topic_term = np.array([[0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1], [0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.5]])
    topics = pd.DataFrame({"topic": ["T1", "T2"], "label": ["T1: a", "T2: b"], "prevalence": [0.5, 0.5],
                           "top_terms": ["a", "b"]})
    empty = pd.DataFrame()
    model = TopicModel(k=2, method="nmf", seed=0, unit="sentence", terms=empty, units=empty, topics=topics,
                       selection=empty, topic_term=topic_term, vocabulary=vocabulary)
    dictionary = pd.DataFrame({"frame": ["economic", "economic", "security"], "frame_type": ["generic"] * 3,
                               "term": ["invest*", "natural gas", "terror*"], "exclude": ["investigat*", "", ""]})
    out = topic_frames(model, dictionary).set_index(["topic", "frame"])
    assert out.loc[("T1", "economic"), "weight_share"] == pytest.approx(0.3)  # investment only; no phrase match
    assert out.loc[("T1", "economic"), "matched_terms"] == "investment (0.300)"
    assert out.loc[("T1", "security"), "weight_share"] == pytest.approx(0.2)  # anti-terror and terrorists
    assert out.loc[("T1", "security"), "matched_terms"] == "anti-terror (0.100); terrorists (0.100)"
    assert out.loc[("T2", "economic"), "weight_share"] == 0 and out.loc[("T2", "security"), "n_matched_terms"] == 0


def test_matched_similarity_is_order_free():
    rng = np.random.Generator(np.random.PCG64(0))
    H = rng.random((4, 50))
    assert matched_similarity(H, H[[2, 0, 3, 1]]) == pytest.approx(1.0)
    assert matched_similarity(H, rng.random((4, 50))) < 0.9


def test_seed_corpus_model_with_k_given(seed_docs, seed_sentences, seed_tokens):
    model = topic_model(seed_tokens, k=3, seed=0)
    assert model.k == 3 and len(model.terms) == 30 and model.units["doc_id"].isin(seed_docs["doc_id"]).all()
    evidence = topic_sentences(model, seed_sentences, n=3)
    assert len(evidence) == 9
    real = evidence.merge(seed_sentences, on=["doc_id", "sentence_id"], suffixes=("", "_table"))
    assert len(real) == len(evidence) and (real["text"] == real["text_table"]).all()
    assert (real["source"] == real["source_table"]).all()
    prev = topic_prevalence(model, seed_docs, n_boot=300)
    assert (prev["ci_low"] <= prev["prevalence"] + 1e-12).all()
    assert (prev["prevalence"] <= prev["ci_high"] + 1e-12).all()
    assert set(prev["resampled"]) == {"sentences"}  # one or two documents per outlet
    assert prev.groupby("source")["n_units"].first().sum() == len(model.units) // 3
    # a column of docs only (as a period column added by another function would be) is merged on doc_id
    by_year = topic_prevalence(model, seed_docs.assign(period=seed_docs["date"].dt.year.astype("Int64")),
                               by="period", n_boot=100)
    assert by_year.groupby("period", dropna=False)["n_units"].first().sum() == len(model.units) // 3
    assert set(topic_documents(model, seed_docs, n=2)["doc_id"]) <= set(seed_docs["doc_id"])


def test_topic_units_filters_terms(seed_tokens):
    counts = topic_units(seed_tokens, min_df=2, max_df=0.5)
    assert not counts["term"].str.contains(r"\d").any()
    stop = set(seed_tokens.loc[seed_tokens["is_stop"], "norm"])
    assert not counts["term"].isin(stop).any()
    df = counts.groupby("term").size()
    assert df.min() >= 2
    docs_level = topic_units(seed_tokens, unit="document", min_df=1, max_df=1.0)
    assert list(docs_level.columns) == ["doc_id", "source", "term", "count"]


def test_too_little_text_is_a_clear_error(seed_tokens):
    tiny = analysis.tokens(pd.DataFrame({"doc_id": ["x"], "source": ["s"],
                                         "text": ["Troops shelled the town. Troops left the town."]}))
    # both words occur in 2 of the 2 sentences, above max_df=0.5: nothing is left to model
    with pytest.raises(ValueError, match=r"k=3 topics: there are 0 sentence units .*\(of 2 in the tokens table\) "
                                         r"and 0 terms .*Lower k"):
        topic_model(tiny, k=3)
    with pytest.raises(ValueError, match=r"there are 2 sentence units .* and 4 terms"):
        topic_model(tiny, k=3, max_df=1.0, min_df=1)
    with pytest.raises(ValueError, match=r"0 sentence units .*\(of 0 in"):
        topic_model(tiny.iloc[:0], k=2)
    with pytest.raises(ValueError, match=r"k=5 topics in the stability runs .*4 of the 5 modelled units"):
        topic_model(seed_tokens, unit="document", min_df=1, candidates=range(2, 11))
    with pytest.raises(ValueError, match="method"):
        topic_model(seed_tokens, k=2, method="lsa")
    model = topic_model(seed_tokens, k=2, unit="document", min_df=2, max_df=1.0)
    with pytest.raises(ValueError, match="unit='sentence'"):
        topic_sentences(model, analysis.sentences(pd.DataFrame({"doc_id": ["x"], "source": ["s"], "text": ["A."]})))
    with pytest.raises(KeyError, match="period"):
        topic_prevalence(model, by="period")
