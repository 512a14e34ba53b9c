"""analysis.measures.dfm against the peers: reference tables made by tests/data/dfm_reference/make_dfm_reference.py
(an independent plain transcription of quanteda, quanteda.textstats, tidytext and scikit-learn), the numbers
the peers' own test files assert on their toy inputs, scikit-learn itself, and the seed corpus."""
from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.measures.dfm import term_frequency, tf_idf, trim_terms, weight_terms
from analysis.measures.frequency import document_term_counts, term_counts

REF = Path(__file__).parent / "data" / "dfm_reference"
_spec = importlib.util.spec_from_file_location("make_dfm_reference", REF / "make_dfm_reference.py")
make_ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_ref)

TOL = 1e-12


def tokens_from(texts: dict[str, str], sources: dict[str, str] | None = None) -> pd.DataFrame:
    """A minimal tokens table (one sentence per document, no punctuation): tokens split on white space."""
    rows = []
    for doc_id, text in texts.items():
        for position, token in enumerate(text.split()):
            rows.append({"doc_id": doc_id, "source": (sources or {}).get(doc_id, "x"), "sentence_id": 1,
                         "position": position, "token": token, "norm": token.lower(), "is_stop": False,
                         "is_punct": False})
    return pd.DataFrame(rows)


def counts_from(texts: dict[str, str], sources: dict[str, str] | None = None) -> pd.DataFrame:
    return document_term_counts(tokens_from(texts, sources))


def dense(table: pd.DataFrame, value: str) -> dict[tuple[str, str], float]:
    return {(d, t): v for d, t, v in zip(table["doc_id"], table["term"], table[value])}


@pytest.fixture(scope="module")
def toy_tokens() -> pd.DataFrame:
    return tokens_from({d: text for d, _, text in make_ref.TOY}, {d: s for d, s, _ in make_ref.TOY})


@pytest.fixture(scope="module")
def toy_counts(toy_tokens) -> pd.DataFrame:
    return document_term_counts(toy_tokens)


def test_toy_counts_match_the_reference(toy_counts):
    ref = pd.read_csv(REF / "counts.csv")
    got = toy_counts[["doc_id", "source", "term", "count"]].astype(object)
    assert got.values.tolist() == ref.astype(object).values.tolist()


# term_frequency ------------------------------------------------------------------------------------------------

def _frequency_config(config: dict) -> dict:
    return {"by": config.get("by"), "n": config.get("n"), "ties_method": config.get("ties_method", "min")}


def test_term_frequency_matches_reference_tables(toy_tokens, toy_counts):
    ref = pd.read_csv(REF / "frequency.csv")
    assert ref["config"].nunique() == len(make_ref.FREQUENCY_CONFIGS)
    for config_text, expected in ref.groupby("config", sort=False):
        kwargs = _frequency_config(json.loads(config_text))
        got = term_frequency(toy_tokens, **kwargs)
        assert got.columns.tolist() == ["term", "frequency", "rank", "docfreq", "group"]
        assert got["term"].tolist() == expected["term"].tolist(), config_text
        assert got["group"].astype(str).tolist() == expected["group"].astype(str).tolist()
        assert got["frequency"].tolist() == expected["frequency"].tolist()
        assert got["docfreq"].tolist() == expected["docfreq"].tolist()
        np.testing.assert_allclose(got["rank"].to_numpy(float), expected["rank"].to_numpy(float), rtol=0, atol=TOL)
        # from the counts table: the same numbers; ties may be ordered differently (row order, not reading order)
        if kwargs["n"] is None and kwargs["ties_method"] != "first":
            from_counts = term_frequency(toy_counts, **kwargs).sort_values(["group", "term"]).reset_index(drop=True)
            exp = expected.sort_values(["group", "term"]).reset_index(drop=True)
            assert from_counts["frequency"].tolist() == exp["frequency"].tolist()
            assert from_counts["docfreq"].tolist() == exp["docfreq"].tolist()
            np.testing.assert_allclose(from_counts["rank"].to_numpy(float), exp["rank"].to_numpy(float), atol=TOL)


def test_textstat_frequency_test_file_without_groups():
    # quanteda.textstats tests/testthat/test-textstat_frequency.R, "test textstat_frequency without groups"
    counts = counts_from({"text1": "a a b b c d", "text2": "a d d d", "text3": "a a a"})
    got = term_frequency(counts, ties_method="first")  # the test's "random" ties: there are none here
    assert got["term"].tolist() == ["a", "d", "b", "c"]
    assert got["frequency"].tolist() == [6, 4, 2, 1]
    assert got["rank"].tolist() == [1, 2, 3, 4]
    assert got["docfreq"].tolist() == [3, 2, 1, 1]
    assert got["group"].tolist() == ["all"] * 4
    assert term_frequency(counts, n=2)["term"].tolist() == ["a", "d"]


def test_textstat_frequency_test_file_with_groups():
    # quanteda.textstats tests/testthat/test-textstat_frequency.R, second "without groups" block (groups grp2);
    # its ranks come from ties_method = "random" with set.seed(10): 1:4, 1:2, which "first" gives too
    toks = tokens_from({"text1": "a a b b c d", "text2": "a d d d", "text3": "a a a"},
                       {"text1": "one", "text2": "two", "text3": "one"})
    got = term_frequency(toks, by="source", ties_method="first")
    assert got["term"].tolist() == ["a", "b", "c", "d", "d", "a"]
    assert got["frequency"].tolist() == [5, 2, 1, 1, 3, 1]
    assert got["rank"].tolist() == [1, 2, 3, 4, 1, 2]
    assert got["docfreq"].tolist() == [2, 1, 1, 1, 1, 1]
    assert got["group"].tolist() == ["one", "one", "one", "one", "two", "two"]
    top = term_frequency(toks, by="source", n=2, ties_method="first")
    assert top["term"].tolist() == ["a", "b", "d", "a"]
    assert top["frequency"].tolist() == [5, 2, 3, 1]
    assert top["rank"].tolist() == [1, 2, 1, 2]
    assert top["docfreq"].tolist() == [2, 1, 1, 1]
    # with "max" the two ways of naming the groups agree (the test's expect_identical), and the default "min"
    assert term_frequency(toks, by="source", ties_method="min")["rank"].tolist() == [1, 2, 3, 3, 1, 2]
    assert term_frequency(toks, by="source", ties_method="max")["rank"].tolist() == [1, 2, 4, 4, 1, 2]


def test_textstat_frequency_test_file_ties_min_default():
    # quanteda.textstats tests/testthat/test-textstat_frequency.R, "ties methods defaults work (min)"
    got = term_frequency(tokens_from({"text1": "a a b b c d", "text2": "b b b d d d", "text3": "a a a"}))
    assert got["term"].tolist() == ["a", "b", "d", "c"]
    assert got["rank"].tolist() == [1, 1, 3, 4]


def test_textstat_frequency_test_file_n_larger_than_nfeat():
    # quanteda.textstats tests/testthat/test-textstat_frequency.R, "does not return NAs when n > nfeat"
    toks = tokens_from({"text1": "a a b c d", "text2": "a d d e", "text3": "a b b"},
                       {"text1": "1", "text2": "2", "text3": "2"})
    assert len(term_frequency(toks, n=6)) == 5
    assert len(term_frequency(toks, n=6, by="source")) == 8
    assert not term_frequency(toks, n=6, by="source").isna().any().any()


def test_term_frequency_rejects_empty_input_and_unknown_ties():
    # quanteda.textstats: textstat_frequency of an empty dfm is an error ("raises error when dfm is empty")
    counts = counts_from({"d1": "a b"})
    with pytest.raises(ValueError):
        term_frequency(counts.iloc[:0])
    with pytest.raises(ValueError):
        term_frequency(counts, ties_method="random")


# trim_terms ----------------------------------------------------------------------------------------------------

def test_trim_terms_matches_reference_table(toy_counts):
    ref = pd.read_csv(REF / "trim.csv", keep_default_na=False)
    assert len(ref) == len(make_ref.TRIM_CONFIGS)
    for config_text, kept in zip(ref["config"], ref["kept"]):
        got = trim_terms(toy_counts, **json.loads(config_text))
        assert sorted(got["term"].unique()) == kept.split(), config_text
        expected_rows = toy_counts[toy_counts["term"].isin(kept.split())].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected_rows)


def test_dfm_trim_test_file_counts():
    # quanteda tests/testthat/test-dfm_trim.R, "dfm_trim": nfeat after each trim
    counts = counts_from({"d1": "a b c d e", "d2": "a a b b e f", "d3": "b c e e f f f"})
    s = int(counts["count"].sum())

    def nfeat(**kw):
        return trim_terms(counts, **kw)["term"].nunique()

    assert nfeat(min_termfreq=0.5, termfreq_type="quantile") == 4
    assert nfeat(min_termfreq=3 / s, termfreq_type="prop") == 4
    assert nfeat(min_termfreq=3) == 4
    assert nfeat(max_termfreq=0.8, termfreq_type="quantile") == 6
    assert nfeat(max_termfreq=4 / s, termfreq_type="prop") == 6
    assert nfeat(max_termfreq=4) == 6
    assert nfeat(min_docfreq=0.5, docfreq_type="quantile") == 5
    assert nfeat(min_docfreq=2 / 3, docfreq_type="prop") == 5
    assert nfeat(min_docfreq=2) == 5
    assert nfeat(max_docfreq=0.5, docfreq_type="quantile") == 4
    assert nfeat(max_docfreq=2 / 3, docfreq_type="prop") == 4
    assert nfeat(max_docfreq=2) == 4
    assert nfeat(min_termfreq=2, termfreq_type="rank") == 3
    assert nfeat(min_termfreq=4) == 3
    assert nfeat(max_termfreq=4, termfreq_type="rank") == 3
    assert nfeat(max_termfreq=3) == 3
    assert nfeat(min_docfreq=1, docfreq_type="rank") == 2
    assert nfeat(min_docfreq=3) == 2
    assert nfeat(max_docfreq=2, docfreq_type="rank") == 4
    assert nfeat(max_docfreq=2) == 4


def test_dfm_trim_test_file_sentences_and_large_minimum():
    # quanteda tests/testthat/test-dfm_trim.R, "dfm_trim works as expected" (features include ".") and #1181
    texts = {"text1": "this is a sentence .", "text2": "this is a second sentence .", "text3": "third sentence .",
             "text4": "fouth sentence .", "text5": "fifth sentence ."}
    counts = counts_from(texts)
    assert counts["term"].nunique() == 9
    assert counts["term"].nunique() - trim_terms(counts, min_termfreq=2, min_docfreq=2)["term"].nunique() == 4
    assert counts["term"].nunique() - trim_terms(counts, max_termfreq=2, max_docfreq=2)["term"].nunique() == 2
    assert trim_terms(counts, max_termfreq=5, max_docfreq=5)["term"].nunique() == 9  # "No features removed."
    small = counts_from({"d1": "a a a a b b", "d2": "a b b c"})
    assert trim_terms(small, min_termfreq=6).empty
    assert trim_terms(small, min_docfreq=3).empty


def test_trim_terms_rejects_fractional_counts():
    counts = counts_from({"d1": "a b b"})
    with pytest.raises(ValueError):
        trim_terms(counts, min_termfreq=0.001)
    with pytest.raises(ValueError):
        trim_terms(counts, min_docfreq=1.5, docfreq_type="prop")
    with pytest.raises(ValueError):
        trim_terms(counts, min_docfreq=1, docfreq_type="share")


# weight_terms --------------------------------------------------------------------------------------------------

def test_weight_terms_matches_reference_table(toy_counts):
    ref = pd.read_csv(REF / "weight.csv")
    assert ref["config"].nunique() == len(make_ref.WEIGHT_CONFIGS)
    for config_text, expected in ref.groupby("config", sort=False):
        config = json.loads(config_text)
        got = weight_terms(toy_counts, config["scheme"], base=config.get("base", 10))
        assert got.drop(columns="weight").equals(toy_counts)
        got_w, exp_w = dense(got, "weight"), dense(expected, "weight")
        assert got_w.keys() == exp_w.keys()
        for key in exp_w:
            assert got_w[key] == pytest.approx(exp_w[key], abs=TOL, rel=0), (config_text, key)


def test_dfm_weight_test_file_apple_banana():
    # quanteda tests/testthat/test-dfm_weight.R, "dfm_weight works" (stop words removed: apple better banana much)
    counts = counts_from({"text1": "apple better banana", "text2": "banana banana apple much better"})
    order = [("text1", "apple"), ("text2", "apple"), ("text1", "better"), ("text2", "better"),
             ("text1", "banana"), ("text2", "banana"), ("text1", "much"), ("text2", "much")]  # column-major

    def matrix(scheme):
        w = dense(weight_terms(counts, scheme), "weight")
        return [round(w.get(cell, 0.0), 2) for cell in order]

    assert matrix("count") == [1, 1, 1, 1, 1, 2, 0, 1]
    assert matrix("prop") == [0.33, 0.2, 0.33, 0.2, 0.33, 0.4, 0, 0.2]
    assert matrix("propmax") == [1, 0.5, 1, 0.5, 1, 1, 0, 0.5]
    assert matrix("logcount") == [1, 1, 1, 1, 1, 1.30, 0, 1]


def test_dfm_weight_test_file_logave_and_zero_features():
    # quanteda tests/testthat/test-dfm_weight.R, "tf with logave now working as expected": (1 + log10 x) /
    # (1 + log10(sum(x) / sum(x > 0)))
    counts = counts_from({"text1": "He went out to buy a car", "text2": "He went out and bought pickles and onions"})
    w = dense(weight_terms(counts, "logave"), "weight")
    assert w[("text1", "car")] == pytest.approx(1.0, abs=TOL)
    assert w[("text2", "and")] == pytest.approx((1 + math.log10(2)) / (1 + math.log10(8 / 7)), abs=TOL)
    assert w[("text2", "onions")] == pytest.approx(1 / (1 + math.log10(8 / 7)), abs=TOL)
    # "dfm_weight works with zero-frequency features (#929)": prop 0.33 / 0.25; dfm_tfidf(x, "prop") 0.07525
    small = counts_from({"text1": "a b c", "text2": "a b c d"})
    prop = dense(weight_terms(small, "prop"), "weight")
    assert round(prop[("text1", "a")], 2) == 0.33 and prop[("text2", "d")] == 0.25
    tfidf = dense(tf_idf(small, scheme_tf="prop"), "tf_idf")
    assert tfidf[("text2", "d")] == pytest.approx(0.07525, abs=0.001)
    assert tfidf[("text2", "d")] == pytest.approx(0.25 * math.log10(2), abs=TOL)
    assert tfidf[("text1", "a")] == 0


def test_weight_terms_augmented_and_unknown_scheme():
    counts = counts_from({"d1": "a a a a b"})
    w = dense(weight_terms(counts, "augmented"), "weight")
    assert w[("d1", "a")] == 1.0 and w[("d1", "b")] == pytest.approx(0.5 + 0.5 * 0.25, abs=TOL)
    assert dense(weight_terms(counts, "augmented", k=0.2), "weight")[("d1", "b")] == pytest.approx(0.4, abs=TOL)
    with pytest.raises(ValueError):
        weight_terms(counts, "relfreq")


# tf_idf --------------------------------------------------------------------------------------------------------

def test_tf_idf_matches_reference_table(toy_counts):
    ref = pd.read_csv(REF / "tfidf.csv")
    assert ref["config"].nunique() == len(make_ref.TFIDF_CONFIGS)
    for config_text, expected in ref.groupby("config", sort=False):
        config = json.loads(config_text)
        by = config.pop("by")
        got = tf_idf(toy_counts, by=by, **config)
        if by == "doc_id":
            assert got[toy_counts.columns].equals(toy_counts)
        else:
            assert got.columns.tolist() == [by, "term", "count", "tf", "idf", "tf_idf"]
        got = got.rename(columns={by: "unit"}).sort_values(["unit", "term"]).reset_index(drop=True)
        exp = expected.sort_values(["unit", "term"]).reset_index(drop=True)
        assert got["unit"].tolist() == exp["unit"].tolist() and got["term"].tolist() == exp["term"].tolist()
        assert got["count"].tolist() == exp["count"].tolist()
        for column in ("tf", "idf", "tf_idf"):
            np.testing.assert_allclose(got[column].to_numpy(float), exp[column].to_numpy(float), rtol=0, atol=TOL,
                                       err_msg=f"{config_text} {column}")


def test_bind_tf_idf_test_file():
    # tidytext tests/testthat/test-tf-idf.R, "Can calculate TF-IDF": the table w, counts given directly
    w = pd.DataFrame({"doc_id": ["1"] * 5 + ["2"] * 5,
                      "term": ["the", "quick", "brown", "fox", "jumped", "over", "the", "lazy", "brown", "dog"],
                      "count": [1, 1, 1, 1, 2, 1, 1, 1, 1, 2]})
    got = tf_idf(w, scheme="tidytext")
    assert got[["doc_id", "term", "count"]].equals(w)
    np.testing.assert_allclose(got["tf"], [1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 3] * 2, rtol=0, atol=TOL)
    np.testing.assert_allclose(got["idf"][:4], [0, math.log(2), 0, math.log(2)], rtol=0, atol=TOL)
    np.testing.assert_allclose(got["tf_idf"], got["tf"] * got["idf"], rtol=0, atol=TOL)
    # "TF-IDF works when the document ID is a number" (tidytext issue 31)
    corpus = pd.DataFrame({"doc_id": [2, 2, 2, 3, 3, 3], "term": ["an", "interesting", "text", "a", "boring", "text"],
                           "count": [1, 1, 3, 1, 2, 1]})
    got = tf_idf(corpus, scheme="tidytext")
    assert not got.isna().any().any()
    assert got["tf_idf"].iloc[[2, 5]].tolist() == [0, 0]


def test_dfm_tfidf_test_file_wikipedia_example():
    # quanteda tests/testthat/test-dfm_weight.R, "dfm_weight works": Wikipedia's tf-idf example,
    # dfm_tfidf(wikidfm, scheme_tf = "prop") to tol 1e-4, and exactly as prop x log10(2 / df)
    counts = counts_from({"text1": "this is a  a sample", "text2": "this is another example another example example"})
    got = dense(tf_idf(counts, scheme="quanteda", scheme_tf="prop"), "tf_idf")
    expected = {("text1", "this"): 0, ("text2", "this"): 0, ("text1", "is"): 0, ("text2", "is"): 0,
                ("text1", "a"): 0.120412, ("text1", "sample"): 0.060206, ("text2", "another"): 0.08600857,
                ("text2", "example"): 0.1290129}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-4)
    assert got[("text1", "a")] == pytest.approx(2 / 5 * math.log10(2), abs=TOL)
    assert got[("text2", "example")] == pytest.approx(3 / 7 * math.log10(2), abs=TOL)
    # the default scheme_tf = "count": count x log10(N / df)
    count = dense(tf_idf(counts), "tf_idf")
    assert count[("text2", "example")] == pytest.approx(3 * math.log10(2), abs=TOL)
    assert dense(tf_idf(counts, base=2), "idf")[("text1", "a")] == 1.0  # "tfidf works with different log base"


def test_tf_idf_sklearn_equals_tfidf_transformer(toy_counts, seed_tokens):
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer
    for counts in (toy_counts, document_term_counts(seed_tokens)):
        for by in ("doc_id", "source"):
            got = tf_idf(counts, scheme="sklearn", by=by)
            rows, units = pd.factorize(got[by])
            cols, terms = pd.factorize(got["term"])
            matrix = csr_matrix((got["count"].to_numpy(float), (rows, cols)), shape=(len(units), len(terms)))
            transformer = TfidfTransformer(norm=None, smooth_idf=True).fit(matrix)
            np.testing.assert_allclose(got["idf"], transformer.idf_[cols], rtol=0, atol=TOL)
            expected = transformer.transform(matrix).toarray()[rows, cols]
            np.testing.assert_allclose(got["tf_idf"], expected, rtol=0, atol=TOL)


def test_tf_idf_sklearn_by_source_is_term_counts_tfidf(seed_tokens):
    counts = document_term_counts(seed_tokens)
    ours = tf_idf(counts, scheme="sklearn", by="source").set_index(["source", "term"])
    theirs = term_counts(seed_tokens, by="source").set_index(["source", "term"])
    assert len(ours) == len(theirs)
    joined = theirs[["tfidf", "count"]].join(ours[["tf_idf", "count"]].rename(columns={"count": "count_ours"}))
    assert (joined["count"] == joined["count_ours"]).all()
    np.testing.assert_allclose(joined["tfidf"], joined["tf_idf"], rtol=0, atol=TOL)


def test_tf_idf_rejects_options_of_other_schemes(toy_counts):
    with pytest.raises(ValueError):
        tf_idf(toy_counts, scheme="tidytext", scheme_tf="prop")
    with pytest.raises(ValueError):
        tf_idf(toy_counts, scheme="bm25")


# seeds ---------------------------------------------------------------------------------------------------------

def test_seed_term_frequency_is_consistent(seed_tokens):
    n_docs = seed_tokens["doc_id"].nunique()
    freq = term_frequency(seed_tokens)
    assert (freq["group"] == "all").all()
    assert (freq["docfreq"] >= 1).all() and (freq["docfreq"] <= n_docs).all()
    assert (freq["docfreq"] <= freq["frequency"]).all()
    assert freq["frequency"].is_monotonic_decreasing and freq["rank"].is_monotonic_increasing
    # rank "min": 1 + the number of more frequent terms
    higher = freq["frequency"].apply(lambda f: int((freq["frequency"] > f).sum()))
    assert (freq["rank"] == higher + 1).all()
    assert freq["frequency"].sum() == int((~seed_tokens["is_punct"].astype(bool)).sum())
    counts = document_term_counts(seed_tokens)
    same = term_frequency(counts).sort_values("term").reset_index(drop=True)
    mine = freq.sort_values("term").reset_index(drop=True)
    assert same[["term", "frequency", "rank", "docfreq"]].equals(mine[["term", "frequency", "rank", "docfreq"]])
    by_source = term_frequency(seed_tokens, by="source")
    docs_per_source = seed_tokens.groupby("source")["doc_id"].nunique()
    assert (by_source["docfreq"] <= by_source["group"].map(docs_per_source)).all()
    for _, group in by_source.groupby("group"):
        assert group["frequency"].is_monotonic_decreasing and group["rank"].iloc[0] == 1
    dense_rank = term_frequency(seed_tokens, by="source", ties_method="dense")
    assert dense_rank.groupby("group")["rank"].max().tolist() == \
        by_source.groupby("group")["frequency"].nunique().tolist()
    top = term_frequency(seed_tokens, by="source", n=5)
    assert top.groupby("group").size().max() <= 5


def test_seed_trim_by_docfreq_prop(seed_tokens):
    counts = document_term_counts(seed_tokens)
    n_docs = counts["doc_id"].nunique()
    docfreq = counts.groupby("term")["doc_id"].nunique()
    for share in (0.4, 0.6, 1.0):
        kept = trim_terms(counts, min_docfreq=share, docfreq_type="prop")
        assert (kept["term"].map(docfreq) >= share * n_docs).all()
        assert set(kept["term"]) == set(docfreq.index[docfreq >= share * n_docs])
    few = trim_terms(counts, max_docfreq=0.2, docfreq_type="prop")
    assert (few["term"].map(docfreq) <= 0.2 * n_docs).all()
    assert trim_terms(counts).equals(counts.reset_index(drop=True))
