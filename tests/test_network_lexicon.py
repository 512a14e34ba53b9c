"""Actor salience and co-occurrence; the shared lexicon matcher."""
import pandas as pd
import pytest

from analysis.text.lexicon import glob_to_regex, lexicon_matches
from analysis.measures.network import actor_network, actor_salience


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


def _scan_every_position(texts, patterns, groups=None, ignore_case=True, word_boundaries=True):
    """The definition lexicon_matches must agree with: each group's alternation, finditer over every position."""
    import re
    rows = []
    members = {}
    for k, g in enumerate(groups if groups is not None else [0] * len(patterns)):
        members.setdefault(g, []).append(k)
    for ids in members.values():
        body = "|".join(f"(?P<p{k}>{patterns[k]})" for k in sorted(ids, key=lambda k: (-len(patterns[k]), k)))
        regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)" if word_boundaries else body,
                           re.IGNORECASE if ignore_case else 0)
        for row, text in enumerate(texts):
            rows += [(row, int(m.lastgroup[1:]), m.start(), m.end(), m.group(0))
                     for m in regex.finditer(text) if m.group(0)]
    return sorted(rows, key=lambda r: (r[0], r[2], r[1]))


@pytest.mark.parametrize("patterns, groups, ignore_case, word_boundaries", [
    (["karabakh", "nagorno-karabakh", "upper karabakh", r"(?:nagorn(?:o|yy?)[-\s]?)?karaba(?:kh|gh)"],
     None, True, True),
    (["kiss", "ask", r"s\w*", "desk"], ["a", "b", "a", "b"], True, True),            # KELVIN SIGN, long s, dotted I
    ([r"[“\"‘']\s*peace", r"so[-\s]?called\s+[“\"]?\s*republic", r"(?<!great\s)war"], None, True, True),
    ([r"\w+ed", r"(?:de)?fact\w*", "x*ct"], None, True, True),                       # no known opening: full scan
    ([r"(\w)\w*", "is"], None, True, False),                                         # a capturing group, no boundaries
    (["Kas", "σας"], None, False, True),                                             # case-sensitive
    (["ab", "a"], ["g1", "g2"], True, False),
])
def test_lexicon_matches_only_skips_positions_where_nothing_can_match(patterns, groups, ignore_case, word_boundaries):
    texts = ["Nagorno-Karabakh, NAGORNYY KARABAGH and Karabakh-based; upper  Karabakh", "",
             "\u212aiss ask \u017fki desk DE\u017fK \u0130s \u0131s kiss-ass KISS",
             "a so-called “republic”, ‘peacekeepers’",
             "the great war, a war, Wars, de facto, defacto, factual \"peace\"", "ΣΑΣ σας Kas kas abab aab",
             "\u212aas K\u0131ss σαςσας"]
    found = lexicon_matches(texts, patterns, groups=groups, ignore_case=ignore_case, word_boundaries=word_boundaries)
    assert list(found.itertuples(index=False, name=None)) == _scan_every_position(texts, patterns, groups, ignore_case,
                                                                                  word_boundaries)
