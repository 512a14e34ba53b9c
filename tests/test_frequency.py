"""Term frequency, keyness, log-odds, collocations, kwic and dispersion, against reference values."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from analysis.measures import stats
from analysis.measures.frequency import (collocations, dispersion, document_term_counts, keyness, keyness_all, kwic, log_odds,
                                term_counts)


def toy_tokens(groups: dict[str, list[list[str]]], stop=("the", "of", "a")) -> pd.DataFrame:
    """Tokens for {group: [sentence words, ...]}; one document per group; "." is punctuation."""
    rows = []
    for group, sentences in groups.items():
        position = 0
        for sentence_id, words in enumerate(sentences, start=1):
            for word in words:
                position += 1
                rows.append({"doc_id": f"d-{group}", "source": group, "sentence_id": sentence_id,
                             "position": position, "token": word, "norm": word.lower(),
                             "is_stop": word.lower() in stop, "is_punct": word in {".", ",", "“", "”"}})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- statistics against references

TABLES = [(10, 5, 1000, 2000), (0, 12, 5000, 7000), (59, 0, 2839, 758), (3, 3, 100, 100), (250, 17, 30000, 41000)]


@pytest.mark.parametrize("a, b, c, d", TABLES)
def test_log_likelihood_is_the_four_cell_g_test(a, b, c, d):
    table = np.array([[a, b], [c - a, d - b]])
    expected = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert stats.log_likelihood(a, b, c, d) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("a, b, c, d", TABLES)
def test_chi_square_matches_scipy(a, b, c, d):
    table = np.array([[a, b], [c - a, d - b]])
    assert stats.chi_square(a, b, c, d) == pytest.approx(chi2_contingency(table, correction=False)[0], rel=1e-9)
    assert stats.chi_square(a, b, c, d, yates=True) == pytest.approx(chi2_contingency(table, correction=True)[0],
                                                                      rel=1e-9)


def test_two_cell_form_follows_the_ucrel_calculator_definition():
    a, b, c, d = 10, 5, 1000, 2000
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    assert stats.log_likelihood_two_cell(a, b, c, d) == pytest.approx(2 * (a * math.log(a / e1) + b * math.log(b / e2)))
    # a zero cell contributes nothing (0 ln 0 = 0), as the calculator's note says
    assert stats.log_likelihood_two_cell(0, 5, 1000, 2000) == pytest.approx(2 * 5 * math.log(5 / (2000 * 5 / 3000)))


def test_log_ratio_hardie_worked_example_and_zero_adjustment():
    # relative frequency 0.0006 in A and 0.0002 in B: three times as frequent, log2(3)
    assert stats.log_ratio(6, 2, 10_000, 10_000) == pytest.approx(math.log2(3))
    assert stats.log_ratio(2, 8, 1_000, 1_000) == pytest.approx(-2.0)
    assert stats.log_ratio(0, 4, 1_000, 1_000) == pytest.approx(math.log2(0.5 / 4))  # zero -> 0.5
    assert np.isfinite(stats.log_ratio(4, 0, 100, 100))


def test_p_values_and_adjustments():
    assert stats.p_value(3.841458820694124) == pytest.approx(0.05)
    assert stats.p_value(6.634896601021214) == pytest.approx(0.01)
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # Benjamini-Hochberg by hand: sorted p * m / rank, made monotone
    assert stats.adjust_p(p, "fdr_bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert stats.adjust_p(p, "bonferroni") == pytest.approx([0.04, 0.16, 0.12, 0.02])
    assert stats.adjust_p(p, "none") == pytest.approx(p)
    with pytest.raises(ValueError, match="fdr_bh"):
        stats.adjust_p(p, "holm-sidak")


# ---------------------------------------------------------------- term counts

TOY = {
    "A": [["The", "war", "of", "words", "."], ["Peace", "talks", "failed", "."]],
    "B": [["The", "peace", "talks", "."], ["Peace", "talks", "resumed", "after", "the", "war", "."]],
}


def test_term_counts_rates_and_tfidf():
    toks = toy_tokens(TOY)
    counts = term_counts(toks).set_index(["source", "term"])
    # A has 7 word tokens (punctuation excluded), 5 of them content words
    assert counts.loc[("A", "war"), "count"] == 1
    assert counts.loc[("A", "war"), "per_1000_words"] == pytest.approx(1000 / 7)
    assert counts.loc[("A", "war"), "per_1000_content_words"] == pytest.approx(1000 / 5)
    assert math.isnan(counts.loc[("A", "the"), "per_1000_content_words"])
    assert counts.loc[("B", "peace"), "count"] == 2 and counts.loc[("B", "talks"), "count"] == 2
    # smoothed idf over the two groups: ln((1 + 2) / (1 + df)) + 1
    assert counts.loc[("A", "words"), "tfidf"] == pytest.approx(1 * (math.log(3 / 2) + 1))
    assert counts.loc[("B", "talks"), "tfidf"] == pytest.approx(2 * (math.log(3 / 3) + 1))
    assert "." not in counts.index.get_level_values("term")
    assert "the" not in set(term_counts(toks, drop_stop=True)["term"])


def test_ngrams_stay_inside_sentences():
    toks = toy_tokens(TOY)
    bigrams = term_counts(toks, by=None, n=2)
    assert "words peace" not in set(bigrams["term"])       # across a sentence end in A
    assert "peace talks" in set(bigrams["term"])
    assert bigrams.set_index("term").loc["peace talks", "count"] == 3
    assert set(bigrams["n"]) == {2}
    assert "the war" not in set(term_counts(toks, by=None, n=2, drop_stop=True)["term"])


def test_edge_cases_one_token_group_and_punctuation_only_group():
    toks = toy_tokens({"A": [["Karabakh"]], "B": [[".", ","]], "C": [["Artsakh", "Artsakh"]]})
    counts = term_counts(toks)
    assert list(counts["source"]) == ["A", "C"]               # B has no words: no rows, no error
    assert counts.set_index("source").loc["A", "per_1000_words"] == pytest.approx(1000.0)
    table = keyness(toks, "A").set_index("term")
    assert table.loc["karabakh", "target_total"] == 1 and table.loc["karabakh", "reference_total"] == 2
    with pytest.raises(ValueError, match="no column 'outlet'"):
        term_counts(toks, by="outlet")


# ---------------------------------------------------------------- keyness

def test_keyness_cells_statistics_and_direction():
    toks = toy_tokens(TOY)
    table = keyness(toks, "A").set_index("term")
    row = table.loc["words"]  # only in A
    # A: 7 words; B: 3 + 6 = 9 words
    assert (row["target_count"], row["reference_count"], row["target_total"], row["reference_total"]) == (1, 0, 7, 9)
    assert row["g2"] == pytest.approx(stats.log_likelihood(1, 0, 7, 9)) and row["g2"] > 0
    assert row["chi2"] == pytest.approx(stats.chi_square(1, 0, 7, 9))
    assert row["log_ratio"] == pytest.approx(math.log2((1 / 7) / (0.5 / 9)))
    assert row["p_value"] == pytest.approx(stats.p_value(row["g2"]))
    talks = table.loc["talks"]  # 1/7 in A vs 2/9 in B: under-used in A, so negative
    assert talks["g2"] < 0 and talks["log_ratio"] < 0
    assert list(table["g2"]) == sorted(table["g2"], reverse=True)
    assert (table["p_adjusted"] >= table["p_value"] - 1e-15).all()


def test_keyness_against_one_named_group_and_errors():
    toks = toy_tokens({**TOY, "C": [["War", "war", "war", "."]]})
    vs_b = keyness(toks, "C", reference="B").set_index("term")
    assert vs_b.loc["war", "reference_total"] == 9 and vs_b.loc["war", "reference"] == "B"
    assert vs_b.loc["war", "reference_count"] == 1
    vs_rest = keyness(toks, "C").set_index("term")
    assert vs_rest.loc["war", "reference_count"] == 2 and vs_rest.loc["war", "reference"] == "(rest)"
    with pytest.raises(ValueError, match="groups are A, B, C"):
        keyness(toks, "Z")
    with pytest.raises(ValueError, match="same group"):
        keyness(toks, "A", reference="A")
    with pytest.raises(ValueError, match="only group"):
        keyness(toy_tokens({"A": [["x"]]}), "A")


def test_keyness_on_the_seeds_shows_naming(seed_tokens):
    caliber = keyness(seed_tokens, "Caliber.az").set_index("term")
    assert caliber.loc["garabagh", "target_count"] == 4 and caliber.loc["garabagh", "reference_count"] == 0
    assert caliber.loc["garabagh", "g2"] > 10
    assert caliber.loc["karabakh", "target_count"] == 0 and caliber.loc["karabakh", "reference_count"] == 59
    assert caliber.loc["karabakh", "g2"] < -20 and caliber.loc["karabakh", "p_adjusted"] < 0.01
    jamestown = keyness(seed_tokens, "Jamestown Foundation", reference="PanARMENIAN.Net").set_index("term")
    assert jamestown.loc["balasanian", "g2"] > 0 and jamestown.loc["balasanyan", "g2"] < 0


# ---------------------------------------------------------------- log-odds (Monroe et al. 2008)

def monroe(y_i, n_i, y_j, n_j, a_w, a0):
    delta = math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log((y_j + a_w) / (n_j + a0 - y_j - a_w))
    variance = 1 / (y_i + a_w) + 1 / (y_j + a_w)
    return delta, variance, delta / math.sqrt(variance)


def test_log_odds_uniform_prior_by_hand():
    toks = toy_tokens(TOY)
    table = log_odds(toks, prior="uniform", alpha=0.5).set_index(["source", "term"])
    vocabulary = 9  # the, war, of, words, peace, talks, failed, resumed, after
    delta, variance, z = monroe(1, 7, 0, 9, 0.5, 0.5 * vocabulary)
    row = table.loc[("A", "words")]
    assert (row["delta"], row["variance"], row["z"]) == pytest.approx((delta, variance, z))
    # with two groups, each word's log-odds for B is the mirror image of A's
    both = table["delta"].unstack("source")
    assert np.allclose(both["A"], -both["B"])


def test_log_odds_corpus_prior_by_hand_and_custom_prior():
    toks = toy_tokens(TOY)
    table = log_odds(toks).set_index(["source", "term"])
    # corpus prior with prior_size = corpus size: a_w = corpus count of w, a0 = 16 words
    delta, variance, z = monroe(2, 9, 1, 7, 3, 16)
    assert table.loc[("B", "talks"), ["delta", "variance", "z"]].tolist() == pytest.approx([delta, variance, z])
    assert table.loc[("B", "talks"), "prior"] == pytest.approx(3)
    half = log_odds(toks, prior_size=8).set_index(["source", "term"])
    assert half.loc[("B", "talks"), "prior"] == pytest.approx(1.5)
    background = pd.Series(1.0, index=["the", "war", "of", "words", "peace", "talks", "failed", "resumed", "after"])
    custom = log_odds(toks, prior=background).set_index(["source", "term"])
    assert custom.loc[("A", "words"), "delta"] == pytest.approx(monroe(1, 7, 0, 9, 1, 9)[0])
    with pytest.raises(ValueError, match="positive count for every term"):
        log_odds(toks, prior=background.drop("war"))
    with pytest.raises(ValueError, match="at least two groups"):
        log_odds(toy_tokens({"A": [["x", "y"]]}))


def test_log_odds_on_the_seeds(seed_tokens):
    table = log_odds(seed_tokens, drop_stop=True)
    top = table.groupby("source").head(5).groupby("source")["term"].agg(set)
    assert {"balasanian", "pashinian"} & top["Jamestown Foundation"]
    assert "garabagh" in set(table[(table["source"] == "Caliber.az") & (table["z"] > 1.5)]["term"])


# ---------------------------------------------------------------- collocations

def test_collocation_measures_by_hand():
    toks = toy_tokens({"A": [["peace", "talks", "x"], ["peace", "talks", "y"], ["peace", "z"], ["w", "talks"]]})
    table = collocations(toks, min_count=2, drop_stop=False).set_index("collocation")
    assert list(table.index) == ["peace talks"]
    n, o, f1, f2 = 6, 2, 3, 3   # 6 bigrams; "peace" first in 3, "talks" second in 3
    e = f1 * f2 / n
    row = table.loc["peace talks"]
    assert row["count"] == o and row["expected"] == pytest.approx(e)
    assert row["pmi"] == pytest.approx(math.log2(o / e))
    assert row["t_score"] == pytest.approx((o - e) / math.sqrt(o))
    assert row["g2"] == pytest.approx(chi2_contingency(np.array([[o, f2 - o], [f1 - o, n - f1 - f2 + o]]),
                                                       correction=False, lambda_="log-likelihood")[0])


def test_collocations_on_the_seeds(seed_tokens):
    table = collocations(seed_tokens)
    top = set(table.head(10)["collocation"])
    assert {"prime minister", "security council", "lachin corridor"} <= top
    assert (table["count"] >= 3).all()


# ---------------------------------------------------------------- kwic and dispersion

def test_kwic_glob_phrase_and_regex(seed_docs, seed_tokens):
    hits = kwic(seed_docs, "peacekeep*", window=3, toks=seed_tokens)
    assert len(hits) == 8
    texts = seed_docs.set_index("doc_id")["text"]
    for row in hits.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.match
    opslens = hits[hits["source"] == "OpsLens"]
    assert sum(left.endswith("‘") for left in opslens["left"]) == 2       # ‘peacekeepers’ in scare quotes
    phrase = kwic(seed_docs, "Lachin corridor", toks=seed_tokens)
    assert len(phrase) == 5 and set(phrase["source"]) == {"Jamestown Foundation", "OpsLens"}
    regex = kwic(seed_docs, r"self-(?:declared|proclaimed)", regex=True, toks=seed_tokens)
    assert list(regex["right"].str[:1]) == ["“"]
    assert kwic(seed_docs, "garabagh", case_sensitive=True, toks=seed_tokens).empty
    with pytest.raises(ValueError, match="bad pattern"):
        kwic(seed_docs, "(unclosed", regex=True, toks=seed_tokens)


def test_dispersion(seed_docs, seed_tokens):
    table = dispersion(seed_docs, ["Garabagh", "Artsakh"], toks=seed_tokens)
    assert set(table.loc[table["pattern"] == "Garabagh", "doc_id"]) == {"003"}
    assert table["relative_position"].between(0, 1, inclusive="right").all()
    first = table[table["pattern"] == "Garabagh"].sort_values("start").iloc[0]
    tokens_003 = seed_tokens[seed_tokens["doc_id"] == "003"].reset_index(drop=True)
    assert tokens_003.loc[first["token_position"] - 1, "token"] == "Garabagh"


# ---------------------------------------------------------------- keyness of every group at once

def _keyness_before(toks, target, by="source", *, reference=None, measure="g2", n=1, drop_stop=False,
                    min_count=1, adjust="fdr_bh"):
    """keyness as it was before keyness_all (one grouping per target), kept as the reference."""
    from analysis.measures.frequency import _grouped_counts
    counts, totals, _, _ = _grouped_counts(toks, by, n)
    groups = sorted(totals.index)
    reference_groups = [g for g in groups if (g == reference if reference is not None else g != target)]
    c, d = float(totals[target]), float(totals[reference_groups].sum())
    if drop_stop:
        counts = counts[~counts["has_stop"]]
    target_counts = counts.loc[counts["group"] == target].groupby("term")["count"].sum()
    reference_counts = counts.loc[counts["group"].isin(reference_groups)].groupby("term")["count"].sum()
    table = pd.concat([target_counts[target_counts > 0].rename("target_count"),
                       reference_counts[reference_counts > 0].rename("reference_count")], axis=1).fillna(0)
    table = table[(table["target_count"] + table["reference_count"]) >= min_count]
    table = table.rename_axis("term").reset_index()
    a, b = table["target_count"].to_numpy(), table["reference_count"].to_numpy()
    sign = np.sign(a / c - b / d)
    table["target"], table["reference"] = target, reference if reference is not None else "(rest)"
    table["target_total"], table["reference_total"] = int(c), int(d)
    table["target_per_1000"], table["reference_per_1000"] = a / c * 1000, b / d * 1000
    table["g2"] = sign * stats.log_likelihood(a, b, c, d)
    table["chi2"] = sign * stats.chi_square(a, b, c, d)
    table["log_ratio"] = stats.log_ratio(a, b, c, d)
    table["p_value"] = stats.p_value(np.abs(table["chi2" if measure == "chi2" else "g2"].to_numpy()))
    table["p_adjusted"] = stats.adjust_p(table["p_value"].to_numpy(), adjust)
    table[["target_count", "reference_count"]] = table[["target_count", "reference_count"]].astype("int64")
    table = table.sort_values([measure, "term"], ascending=[False, True], kind="stable")
    return table[["term", "target", "reference", "target_count", "reference_count", "target_total",
                  "reference_total", "target_per_1000", "reference_per_1000", "g2", "chi2", "log_ratio",
                  "p_value", "p_adjusted"]].reset_index(drop=True)


def assert_identical(got: pd.DataFrame, expected: pd.DataFrame):
    """Same columns, rows, order, dtypes and values; floats bit for bit (so -0.0 differs from 0.0)."""
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    for column in got.columns:
        if got[column].dtype == float:
            assert np.array_equal(got[column].to_numpy().view(np.int64), expected[column].to_numpy().view(np.int64)), \
                column


def assert_all_equals_concat(toks, by="source", **options):
    groups = sorted(set(toks[by].dropna()))
    targets = [g for g in groups if g != options.get("reference")]
    got = keyness_all(toks, by, **options)
    assert_identical(got, pd.concat([keyness(toks, t, by, **options) for t in targets], ignore_index=True))
    assert_identical(got, pd.concat([_keyness_before(toks, t, by, **options) for t in targets], ignore_index=True))
    return got


def per_source_counts(toks):
    """Term counts summed per source, as the pipeline's source_tables builds them."""
    counts = document_term_counts(toks)
    return (counts.groupby(["source", "term"], sort=True)
            .agg(n=("n", "first"), count=("count", "sum"), has_stop=("has_stop", "first")).reset_index())


OPTIONS = [{}, {"drop_stop": True}, {"measure": "chi2"}, {"measure": "log_ratio"}, {"min_count": 3},
           {"adjust": "bonferroni"}, {"adjust": "fdr_by"}, {"adjust": "none"},
           {"reference": "OpsLens"}, {"reference": "Caliber.az", "drop_stop": True, "min_count": 2}]


@pytest.mark.parametrize("options", OPTIONS)
def test_keyness_all_equals_the_per_source_tables_on_the_seeds(seed_tokens, options):
    table = assert_all_equals_concat(seed_tokens, **options)
    assert len(table) > 0


@pytest.mark.parametrize("options", OPTIONS)
def test_keyness_all_equals_the_per_source_tables_on_summed_counts(seed_tokens, options):
    counts = per_source_counts(seed_tokens)
    table = assert_all_equals_concat(counts, **options)
    # and the counts give the numbers the tokens give
    assert_identical(table, keyness_all(seed_tokens, **options))


def test_keyness_all_on_per_document_counts_and_bigrams(seed_tokens):
    assert_all_equals_concat(document_term_counts(seed_tokens))
    assert_all_equals_concat(seed_tokens, n=2, drop_stop=True)
    assert_all_equals_concat(seed_tokens, by="doc_id", min_count=2)


def test_keyness_all_edge_corpora():
    one_term = toy_tokens({**TOY, "C": [["war", "."]]})                 # a source with a single term
    only_in_a = toy_tokens({"A": [["alpha", "beta", "beta"]], "B": [["beta", "gamma"]], "C": [["beta"]]})
    ties = toy_tokens({"A": [["x", "y", "z", "w"]], "B": [["x", "y", "z", "w"]], "C": [["q", "r", "s", "t"]]})
    for toks in (one_term, only_in_a, ties):
        for options in ({}, {"drop_stop": True}, {"measure": "chi2"}, {"min_count": 2}):
            assert_all_equals_concat(toks, **options)
            assert_all_equals_concat(per_source_counts(toks), **options)
    table = keyness_all(only_in_a).set_index(["target", "term"])
    assert table.loc[("A", "alpha"), ["target_count", "reference_count"]].tolist() == [1, 0]
    assert table.loc[("B", "alpha"), ["target_count", "reference_count"]].tolist() == [0, 1]
    tied = keyness_all(ties)
    a = tied[tied["target"] == "A"]
    assert list(a["term"]) == ["w", "x", "y", "z", "q", "r", "s", "t"]  # equal g2: by term
    # a target whose terms are all filtered out has no rows, and the others are unchanged
    assert_all_equals_concat(one_term, min_count=3)


def test_keyness_all_with_two_sources_and_one():
    two = assert_all_equals_concat(toy_tokens(TOY))
    assert list(two["target"].unique()) == ["A", "B"]
    both = two.set_index(["target", "term"])["g2"].unstack("target")
    assert np.allclose(both["A"], -both["B"])  # with two groups, each is the other's mirror image
    with pytest.raises(ValueError, match="only group"):
        keyness_all(toy_tokens({"A": [["x", "y"]]}))
    with pytest.raises(ValueError, match="nothing to compare"):
        keyness_all(toy_tokens({"A": [["x", "y"]]}), reference="A")
    with pytest.raises(ValueError, match="no groups"):
        keyness_all(toy_tokens({"A": [[".", ","]]}))


def test_keyness_all_targets_and_errors(seed_tokens):
    targets = ["OpsLens", "Caliber.az"]
    got = keyness_all(seed_tokens, targets=targets, drop_stop=True)
    assert_identical(got, pd.concat([keyness(seed_tokens, t, drop_stop=True) for t in targets], ignore_index=True))
    with pytest.raises(ValueError, match="no group 'Z'"):
        keyness_all(seed_tokens, targets=["Z"])
    with pytest.raises(ValueError, match="once"):
        keyness_all(seed_tokens, targets=["OpsLens", "OpsLens"])
    with pytest.raises(ValueError, match="same group"):
        keyness_all(seed_tokens, targets=["OpsLens"], reference="OpsLens")
    with pytest.raises(ValueError, match="measure"):
        keyness_all(seed_tokens, measure="bogus")
    with pytest.raises(ValueError, match="adjustment"):
        keyness_all(seed_tokens, adjust="holm")


# ---------------------------------------------------------------- document_term_counts against the old counting

def _document_term_counts_before(toks, *, keep=("source",)):
    """document_term_counts (n = 1) as it was: sort the word tokens, factorize, np.unique of the pairs."""
    keep = [c for c in keep if c in toks.columns and c != "doc_id"]
    words = toks.loc[~toks["is_punct"].astype(bool)].sort_values(["doc_id", "position"], kind="stable")
    doc_codes, doc_ids = pd.factorize(words["doc_id"], sort=True)
    term_codes, terms = pd.factorize(words["norm"], sort=True)
    pair = doc_codes.astype(np.int64) * len(terms) + term_codes
    unique, first, counts = np.unique(pair, return_index=True, return_counts=True)
    table = pd.DataFrame({"doc_id": np.asarray(doc_ids, dtype=object)[unique // max(len(terms), 1)],
                          "term": np.asarray(terms, dtype=object)[unique % max(len(terms), 1)],
                          "count": counts.astype("int64"),
                          "has_stop": words["is_stop"].to_numpy(dtype=bool)[first]})
    if keep:
        per_doc = words.drop_duplicates("doc_id").set_index("doc_id")[keep]
        for column in keep:
            table[column] = table["doc_id"].map(per_doc[column]).to_numpy()
    table["n"] = 1
    return table[["doc_id", *keep, "term", "n", "count", "has_stop"]].astype({"count": "int64"})


def test_document_term_counts_equal_the_old_counting(seed_tokens):
    shuffled = seed_tokens.sample(frac=1, random_state=3)
    punct = seed_tokens.assign(is_punct=True)
    stops = seed_tokens.assign(is_stop=True)
    one_doc = seed_tokens[seed_tokens["doc_id"] == seed_tokens["doc_id"].iloc[0]]
    # ties in position inside a document: the first row in table order decides has_stop, as before
    tied = seed_tokens.assign(position=seed_tokens["position"] // 3,
                              is_stop=np.arange(len(seed_tokens)) % 2 == 0)
    for toks in (seed_tokens, shuffled, punct, stops, one_doc, tied, seed_tokens.iloc[:0],
                 toy_tokens(TOY), toy_tokens({"A": [[".", ","]], "B": [["x"]]})):
        for keep in (("source",), (), ("source", "sentence_id", "token")):
            got = document_term_counts(toks, keep=keep)
            assert_identical(got, _document_term_counts_before(toks, keep=keep))
    assert document_term_counts(punct).empty
    counts = document_term_counts(seed_tokens)
    assert counts["count"].sum() == (~seed_tokens["is_punct"]).sum()


# ---------------------------------------------------------------- issue 15: counts, n-grams and KWIC agree

def test_ngrams_never_span_punctuation(seed_tokens):
    bigrams = term_counts(seed_tokens, by=None, n=2)
    for artefact in ("10 2020", "1 2021", "news.am march"):
        assert artefact not in set(bigrams["term"])
    assert "november 10" in set(bigrams["term"])
    # every bigram occurrence is two tokens adjacent in the full stream (positions differ by one)
    words = seed_tokens[~seed_tokens["is_punct"]].sort_values(["doc_id", "position"])
    adjacent = (words["doc_id"].eq(words["doc_id"].shift()) & words["sentence_id"].eq(words["sentence_id"].shift())
                & words["position"].sub(words["position"].shift()).eq(1))
    assert bigrams["count"].sum() == int(adjacent.sum())


def test_kwic_on_tokens_reconciles_with_the_counts(seed_docs, seed_tokens):
    counts = term_counts(seed_tokens, by="source").set_index(["source", "term"])["count"]
    for term in ("karabakh", "peacekeepers", "russia", "armistice"):
        hits = kwic(seed_docs, term, toks=seed_tokens)
        for source, n in hits.groupby("source").size().items():
            assert counts[(source, term)] == n, (term, source)
        assert len(hits) == sum(counts.xs(term, level="term"))
    # OpsLens writes only "Nagorno-Karabakh": no token "karabakh", no KWIC line on tokens, three on text
    opslens = seed_docs[seed_docs["source"] == "OpsLens"]
    assert kwic(opslens, "Karabakh", toks=seed_tokens).empty
    assert ("OpsLens", "karabakh") not in counts.index
    assert len(kwic(opslens, "Karabakh", toks=seed_tokens, on="text")) == 3
    with pytest.raises(ValueError, match="on must be"):
        kwic(seed_docs, "x", toks=seed_tokens, on="words")


def _g2_exact(a, b, c, d):
    from decimal import Decimal, getcontext
    getcontext().prec = 60
    observed = [a, b, c - a, d - b]
    n, row = Decimal(c + d), Decimal(a + b)
    expected = [Decimal(c) * row / n, Decimal(d) * row / n, Decimal(c) * (n - row) / n, Decimal(d) * (n - row) / n]
    return float(2 * sum(Decimal(o) * (Decimal(o) / e).ln() for o, e in zip(observed, expected) if o))


@pytest.mark.parametrize("cells", [(41_234, 40_687, 1_500_000, 1_480_000), (123_456, 121_800, 5_000_000, 4_933_000),
                                   (30, 500, 1000, 16_000), (0, 5, 100, 200), (3, 0, 100, 200)])
def test_g2_keeps_its_digits_on_large_cells(cells):
    from scipy.special import xlogy
    exact = _g2_exact(*cells)
    assert float(stats.log_likelihood(*cells)) == pytest.approx(exact, rel=1e-12)
    if cells[0] == 41_234:   # a frequent word at nearly the same rate: the textbook form keeps 4 digits
        a, b, c, d = cells
        observed = np.array([a, b, c - a, d - b], dtype=float)
        n, row = c + d, a + b
        expected = np.array([c * row / n, d * row / n, c * (n - row) / n, d * (n - row) / n])
        textbook = 2 * np.sum(xlogy(observed, observed) - xlogy(observed, expected))
        assert abs(textbook - exact) / exact > 1e-6


# ---------------------------------------------------------------- keyness as quanteda.textstats computes it

EPS = 1e-9


def _quanteda_keyness(a, b, t_total, r_total, measure, correction, eps=EPS):
    """A line-by-line port of quanteda.textstats src/keyness.cpp (chisq_lambda, lr_lambda, pmi_lambda), one term."""
    c, d = t_total - a, r_total - b
    n = a + b + c + d
    e = (a + b) * (a + c) / n
    yates = 0.5 if (abs(a * d - b * c) >= n / 2 and ((a + b) * (a + c) / n < 5 or (a + b) * (b + d) / n < 5
                                                     or (a + c) * (c + d) / n < 5 or (c + d) * (b + d) / n < 5)) else 0.0
    williams = 1.0 if a * b * c * d == 0 else \
        1.0 + (n / (a + b) + n / (c + d) - 1.0) * (n / (a + c) + n / (b + d) - 1.0) / (6.0 * n)
    sign = 1.0 if a > e else -1.0
    if measure == "chi2":
        delta = yates if correction in ("default", "yates") else 0.0
        q = williams if correction == "williams" else 1.0
        return n * (abs(a * d - b * c) - n * delta) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d) * sign / q)
    if measure == "lr":
        aa, bb, cc, dd = a, b, c, d
        if correction in ("default", "yates"):
            up = a * d - b * c > 0
            aa, bb, cc, dd = (a - yates, b + yates, c + yates, d - yates) if up else \
                (a + yates, b - yates, c - yates, d + yates)
        cells = [(aa, (aa + bb) * (aa + cc) / n), (bb, (aa + bb) * (bb + dd) / n),
                 (cc, (aa + cc) * (cc + dd) / n), (dd, (bb + dd) * (cc + dd) / n)]
        res = 2 * sum(o * math.log(o / ex + eps) if o else 0.0 for o, ex in cells) * sign
        return res / williams if correction == "williams" else res
    return math.log(a / e + eps)


@pytest.mark.parametrize("correction", ["none", "yates", "williams"])
def test_keyness_equals_quanteda_textstats_formulas(seed_tokens, correction):
    table = keyness(seed_tokens, "OpsLens", correction=correction)
    for row in table.itertuples():
        args = (row.target_count, row.reference_count, row.target_total, row.reference_total)
        quanteda_chi2 = _quanteda_keyness(*args, "chi2", correction)
        if correction == "williams":   # quanteda multiplies chi2 by q (den / q in chisq_lambda); Williams divides
            q = stats.williams_q(*args)
            assert row.chi2 == pytest.approx(quanteda_chi2 / q ** 2, rel=1e-12, abs=1e-12)
        else:
            assert row.chi2 == pytest.approx(quanteda_chi2, rel=1e-12, abs=1e-12)
        # quanteda's 1e-9 inside each log adds 1e-9 x the expected count per cell: 2 x 1e-9 x N to G2
        n = row.target_total + row.reference_total
        assert abs(row.g2 - _quanteda_keyness(*args, "lr", correction)) <= 2.001e-9 * n
        assert row.g2 == pytest.approx(_quanteda_keyness(*args, "lr", correction, eps=0.0), rel=1e-9, abs=1e-9)
    corrected = table[table["target_count"] <= 2]
    if correction != "none":   # small counts are where the corrections bite
        plain = keyness(seed_tokens, "OpsLens").set_index("term").loc[corrected["term"]]
        assert (corrected["chi2"].abs().to_numpy() <= plain["chi2"].abs().to_numpy() + 1e-12).all()
        assert (corrected["chi2"].to_numpy() != plain["chi2"].to_numpy()).any()


def test_keyness_pmi_and_fisher(seed_tokens):
    table = keyness(seed_tokens, "OpsLens", measure="pmi")
    for row in table.head(50).itertuples():
        args = (row.target_count, row.reference_count, row.target_total, row.reference_total)
        assert row.pmi == pytest.approx(_quanteda_keyness(*args, "pmi", "none"), rel=1e-12)
    assert table["pmi"].is_monotonic_decreasing
    # R's fisher.test on Fisher's tea-tasting table (R documentation): odds ratio 6.408309, p = 0.4857. R finds
    # the conditional MLE with uniroot (tolerance about 1e-4); scipy solves it more tightly: 6.4083197
    odds, p = stats.fisher_exact(np.array([3]), np.array([1]), np.array([4]), np.array([4]))
    assert odds[0] == pytest.approx(6.408309, abs=2e-5) and p[0] == pytest.approx(0.4857, abs=5e-5)
    exact = keyness(seed_tokens, "OpsLens", measure="fisher", min_count=3)
    assert {"odds_ratio", "fisher_p"} <= set(exact.columns) and (exact["p_value"] == exact["fisher_p"]).all()
    assert "pmi" not in keyness(seed_tokens, "OpsLens").columns      # new columns only when asked for


def test_keyness_of_a_pooled_target(seed_tokens):
    pooled = keyness(seed_tokens, ["OpsLens", "Caliber.az"])
    assert set(pooled["target"]) == {"Caliber.az + OpsLens"}
    by_hand = seed_tokens.assign(source=seed_tokens["source"].where(
        ~seed_tokens["source"].isin(["OpsLens", "Caliber.az"]), "Caliber.az + OpsLens"))
    pd.testing.assert_frame_equal(pooled, keyness(by_hand, "Caliber.az + OpsLens"))
    with pytest.raises(ValueError, match="reference 'OpsLens' is one of the targets"):
        keyness(seed_tokens, ["OpsLens", "Caliber.az"], reference="OpsLens")
    with pytest.raises(ValueError, match="correction must be"):
        keyness(seed_tokens, "OpsLens", correction="default")
