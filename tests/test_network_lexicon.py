"""Actor salience and co-occurrence; the shared lexicon matcher."""
import pandas as pd
import pytest

from analysis.lexicon import glob_to_regex, lexicon_matches
from analysis.network import actor_network, actor_salience


def test_salience_counts(seed_mentions, seed_sentences):
    table = actor_salience(seed_mentions, seed_sentences).set_index(["source", "actor"])
    caliber = seed_mentions[seed_mentions["source"] == "Caliber.az"]
    russia = caliber[caliber["actor"] == "Russia"]
    row = table.loc[("Caliber.az", "Russia")]
    assert row["n_mentions"] == len(russia)
    assert row["n_sentences"] == russia[["doc_id", "sentence_id"]].drop_duplicates().shape[0]
    assert row["share_of_sentences"] == pytest.approx(row["n_sentences"] / (seed_sentences["source"] == "Caliber.az").sum())
    assert row["rank"] == 1
    assert table.groupby(level="source")["share_of_mentions"].sum().to_numpy() == pytest.approx([1, 1, 1, 1])


def test_network_edges():
    ments = pd.DataFrame({
        "source": ["s"] * 6, "doc_id": ["d"] * 6, "sentence_id": [1, 1, 2, 2, 3, 3],
        "actor": ["Russia", "Armenia", "Russia", "Armenia", "Russia", "Russia"]})
    edges = actor_network(ments)
    assert len(edges) == 1
    edge = edges.iloc[0]
    assert (edge["actor_a"], edge["actor_b"], edge["n_sentences"], edge["n_a"], edge["n_b"]) == (
        "Armenia", "Russia", 2, 2, 3)
    assert edge["jaccard"] == pytest.approx(2 / 3)
    assert actor_network(ments, min_sentences=3).empty


def test_network_on_seeds(seed_mentions):
    edges = actor_network(seed_mentions)
    assert (edges["actor_a"] < edges["actor_b"]).all()
    assert edges["jaccard"].between(0, 1).all()
    caliber = edges[edges["source"] == "Caliber.az"].iloc[0]
    assert {caliber["actor_a"], caliber["actor_b"]} == {"Armenia", "Russia"}


def test_lexicon_matches_leftmost_longest_within_group():
    texts = ["Nagorno-Karabakh and Karabakh.", "Upper Karabakh"]
    found = lexicon_matches(texts, ["karabakh", "nagorno-karabakh", "upper karabakh"])
    assert list(zip(found["row"], found["match"])) == [(0, "Nagorno-Karabakh"), (0, "Karabakh"),
                                                       (1, "Upper Karabakh")]
    assert texts[0][found.loc[1, "start"]:found.loc[1, "end"]] == "Karabakh"
    both = lexicon_matches(texts, ["karabakh", "nagorno-karabakh"], groups=["a", "b"])
    assert len(both) == 4   # different groups do not suppress each other


def test_lexicon_matches_never_cross_texts_and_report_bad_patterns():
    assert lexicon_matches(["end of one", "two starts"], [r"one\s+two"]).empty
    with pytest.raises(ValueError, match="pattern 2 '\\(oops' is not a valid"):
        lexicon_matches(["x"], ["fine", "(oops"])
    assert glob_to_regex("econom*") == r"econom\w*"
    assert lexicon_matches(["Economic costs rose"], [glob_to_regex("econom*")])["match"].tolist() == ["Economic"]
