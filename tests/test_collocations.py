"""analysis.collocations: quanteda's textstat_collocations (Blaheta & Johnson lambda and z)."""
import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import regex

from analysis.measures.collocations_lambda import collocations_lambda

DATA = Path(__file__).resolve().parent / "data"
_spec = importlib.util.spec_from_file_location("make_collocations_reference",
                                               DATA / "make_collocations_reference.py")
reference_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference_script)


def toy(texts, keep=None):
    """A tokens table from space-separated texts, one document each, tokenized as quanteda's tokens() does
    for such texts. Tokens matching ^\\p{P}+$ are punctuation. With ``keep``, every other token becomes a
    removed (padded) word instead, as quanteda's tokens_keep(..., padding = TRUE), and punctuation does not
    exist (the pads are counted): use with drop_stop=True."""
    rows = []
    for d, text in enumerate(texts):
        for i, w in enumerate(text.split()):
            punct = bool(regex.match(r"^\p{P}+$", w))
            rows.append(dict(doc_id=f"text{d + 1}", source="s", sentence_id=1, position=i + 1, token=w,
                             norm=w.lower(), is_punct=punct and keep is None,
                             is_stop=keep is not None and w not in keep))
    return pd.DataFrame(rows, columns=["doc_id", "source", "sentence_id", "position", "token", "norm",
                                       "is_punct", "is_stop"])


def row(result, collocation):
    hit = result[result["collocation"] == collocation]
    assert len(hit) == 1, collocation
    return hit.iloc[0]


# 1. by hand -----------------------------------------------------------------------------------------------

def test_bigram_lambda_and_z_by_hand_from_the_2x2_table():
    # "a b c a b d e b d a b": 10 bigrams: a b (x3), b c, c a, b d (x2), d e, e b, d a
    # for "a b": both words match 3; only "a" first 0; only "b" second 1 (e b); neither 6
    n11, n10, n01, n00 = 3 + 0.5, 0 + 0.5, 1 + 0.5, 6 + 0.5
    lam = math.log(n11) - math.log(n10) - math.log(n01) + math.log(n00)
    z = lam / math.sqrt(1 / n11 + 1 / n10 + 1 / n01 + 1 / n00)
    got = row(collocations_lambda(toy(["a b c a b d e b d a b"])), "a b")
    assert got["count"] == 3 and got["length"] == 2 and got["count_nested"] == 0
    assert got["lambda"] == pytest.approx(lam, abs=1e-12, rel=1e-12)
    assert got["z"] == pytest.approx(z, abs=1e-12, rel=1e-12)


def test_trigram_lambda_and_z_by_hand_from_the_2x2x2_table():
    # "a b c a b d e b c a b c": 10 trigrams: abc x2 (111), bca x2, cab x2, bde, deb (000), abd (110), ebc (011)
    cells = {"111": 2, "110": 1, "011": 1, "000": 6}   # match pattern of (w1 == a, w2 == b, w3 == c)
    lam, inv = 0.0, 0.0
    for pattern in ("".join(str(b) for b in bits) for bits in np.ndindex(2, 2, 2)):
        n = cells.get(pattern, 0) + 0.5
        lam += (-1) ** (3 - pattern.count("1")) * math.log(n)
        inv += 1 / n
    # written out: +log n111 - log n110 - log n101 - log n011 + log n100 + log n010 + log n001 - log n000
    assert lam == pytest.approx(math.log(2.5) - 2 * math.log(1.5) - math.log(0.5) + 3 * math.log(0.5)
                                - math.log(6.5), abs=1e-12)
    got = row(collocations_lambda(toy(["a b c a b d e b c a b c"]), size=3), "a b c")
    assert got["count"] == 2 and got["length"] == 3
    assert got["lambda"] == pytest.approx(lam, abs=1e-12, rel=1e-12)
    assert got["z"] == pytest.approx(lam / math.sqrt(inv), abs=1e-12, rel=1e-12)


# 2. quanteda's own published numbers ----------------------------------------------------------------------
# From quanteda.textstats (github.com/quanteda/quanteda.textstats): the rendered examples of
# docs/reference/textstat_collocations.html (quanteda 4.0.1; printed to 7 significant digits) and
# tests/testthat/test-textstat_collocations.R.

PRINTED = dict(rel=1e-6, abs=1e-6)


def check(result, expected):
    assert list(result["collocation"]) == [e[0] for e in expected]
    for (_, count, nested, length, lam, z), (_, got) in zip(expected, result.iterrows()):
        assert (got["count"], got["count_nested"], got["length"]) == (count, nested, length)
        assert got["lambda"] == pytest.approx(lam, **PRINTED)
        assert got["z"] == pytest.approx(z, **PRINTED)


def test_quanteda_docs_vectorized_size():
    txt = [". . . . a b c . . a b c . . . c d e", "a b . . a b . . a b . . a b . a b",
           "b c d . . b c . b c . . . b c"]
    check(collocations_lambda(toy(txt), size=[2, 3]), [
        ("a b", 7, 2, 2, 5.652489, 2.745546),
        ("b c", 6, 3, 2, 5.609472, 2.721287),
        ("c d", 2, 2, 2, 4.976734, 2.354187),
        ("a b c", 2, 0, 3, -1.110223e-16, -3.103168e-17)])   # i.e. 0: abs tolerance


def test_quanteda_docs_european_union():
    result = collocations_lambda(toy(["The new European Union is not the old European Union ."]), min_count=1,
                          tolower=False)
    check(result, [
        ("European Union", 2, 0, 2, 4.317488, 2.027787),
        ("The new", 1, 0, 2, 3.931826, 1.797564),
        ("Union is", 1, 0, 2, 3.931826, 1.797564),
        ("is not", 1, 0, 2, 3.931826, 1.797564),
        ("not the", 1, 0, 2, 3.931826, 1.797564),
        ("the old", 1, 0, 2, 3.931826, 1.797564),
        ("new European", 1, 0, 2, 2.708050, 1.454456),
        ("old European", 1, 0, 2, 2.708050, 1.454456)])


def test_quanteda_docs_phrase_example():
    check(collocations_lambda(toy(["a b c a b d e b d a b"])), [
        ("a b", 3, 0, 2, 3.412247, 1.936083),
        ("b d", 2, 0, 2, 3.218876, 1.799406)])


def test_quanteda_tests_zero_length_documents_940():
    # test "textstat_collocations.tokens works ok with zero-length documents (#940)" (its printed output)
    result = collocations_lambda(toy(["I like good ice cream .", "Me too ! I like good ice cream .", ""]))
    check(result, [(c, 2, 0, 2, 4.317488, 2.027787) for c in ("good ice", "i like", "ice cream", "like good")])


def test_quanteda_tests_count_nested_with_padding():
    # test "textstat_collocations counts sequences correctly when recursive = FALSE": tokens_keep(padding = TRUE)
    def run(txt, keep, size, min_count=2):
        r = collocations_lambda(toy(txt, keep=set(keep)), size=size, min_count=min_count, drop_stop=True)
        return list(r["collocation"]), list(r["count"]), list(r["count_nested"])

    assert run(["a b c . . a b c . . a b c . . . a b c", "a b . . a b . . a b . . a b . a b"], "abc",
               [2, 3]) == (["a b", "b c", "a b c"], [9, 4, 4], [4, 4, 0])
    assert run([". . . . a b c . . a b c . . .", "a b . . a b . . a b . . a b . a b",
                "b c . . b c . b c . . . b c"], "abc", [2, 3], 1) == (["a b", "b c", "a b c"], [7, 6, 2], [2, 2, 0])
    assert run([". . . . a b c d . . a b c d . . .", "a b . . a b . . a b . . a b . a b",
                "b c . . b c . b c . . . b c"], "abcd", [2, 4], 1) == (
        ["a b", "b c", "c d", "a b c d"], [7, 6, 2, 2], [2, 2, 2, 0])
    assert run([". . . . a b c d . . a b c . . ."], "abcd", [2, 3, 4], 1) == (
        ["a b", "b c", "c d", "a b c d", "a b c", "b c d"], [2, 2, 1, 1, 2, 1], [2, 2, 1, 0, 1, 1])


def test_quanteda_tests_selected_features_and_smoothing():
    # "lambda & [ function": lower-case letters removed with padding; top collocation "g f"
    toks = toy(["E E G F a b c E E G G f E E f f G G"], keep=set("EFG"))
    assert collocations_lambda(toks, min_count=1, drop_stop=True)["collocation"].iloc[0] == "g f"
    # "test the correctness of significant" (smoothing = 0) and "... with smoothing"
    toks = toy(["capital other capital gains other capital word2 other gains capital"])
    assert collocations_lambda(toks, min_count=1, smoothing=0)["collocation"].iloc[0] == "other capital"
    assert collocations_lambda(toks, min_count=1)["collocation"].iloc[0] == "other capital"
    # "collocations do not span texts"
    both = collocations_lambda(toy(["this is a test", "this also a test"]), size=[2, 3], min_count=1)
    assert "test this" not in set(both["collocation"]) and "test this also" not in set(both["collocation"])
    assert "this also a" in set(both["collocation"])


# 2b. the independent reference implementation -----------------------------------------------------------

def test_matches_reference_implementation():
    ref = pd.read_csv(DATA / "collocations_reference.csv", keep_default_na=False)
    toks = reference_script.toy_tokens()
    for params_json, expected in ref.groupby("params", sort=False):
        params = json.loads(params_json)
        got = collocations_lambda(toks, **params)
        by = params.get("by")
        if by is None:
            got = got.assign(by_value="")
        else:
            got = got.rename(columns={by: "by_value"})
        expected = expected.reset_index(drop=True)
        assert len(got) == len(expected), params
        assert list(got["by_value"]) == list(expected["by_value"]), params
        assert list(got["collocation"]) == list(expected["collocation"]), params
        for col in ("count", "count_nested", "length"):
            assert list(got[col]) == list(expected[col]), (params, col)
        for col in ("lambda", "z"):
            np.testing.assert_allclose(got[col].to_numpy(), expected[col].to_numpy(dtype=float),
                                       rtol=1e-12, atol=1e-12, err_msg=f"{params} {col}")


def test_reference_covers_the_interesting_cases():
    ref = pd.read_csv(DATA / "collocations_reference.csv", keep_default_na=False)
    assert set(ref["length"]) == {2, 3, 4}
    assert (ref["count_nested"] > 0).any() and (ref["count"] >= 2).any()
    assert {"US ambassador", "us and"} <= set(ref["collocation"])          # acronym kept, "Us" lowered
    assert "november 2020" not in set(ref["collocation"])                # "10 November , 2020"


# 3. punctuation and sentence boundaries on the seed corpus -----------------------------------------------

ACRONYM = regex.compile(r"^\p{Lu}(\p{Lu}|\d)+$")   # quanteda's keep_acronyms test


def valid_ngrams(toks, n):
    """Every run of n word tokens adjacent in the full token stream and within one sentence."""
    out = set()
    for _, t in toks.sort_values(["doc_id", "position"]).groupby("doc_id"):
        pos, sent = t["position"].to_numpy(), t["sentence_id"].to_numpy()
        word, norm, punct = t["token"].to_numpy(), t["norm"].to_numpy(), t["is_punct"].to_numpy()
        for i in range(len(t) - n + 1):
            j = slice(i, i + n)
            if punct[j].any() or (sent[j] != sent[i]).any() or (np.diff(pos[j]) != 1).any():
                continue
            out.add(" ".join(w if ACRONYM.match(w) else m for w, m in zip(word[j], norm[j])))
    return out


def test_no_collocation_spans_punctuation_or_sentences(seed_tokens):
    result = collocations_lambda(seed_tokens, size=[2, 3, 4], min_count=1)
    for n in (2, 3, 4):
        got = set(result.loc[result["length"] == n, "collocation"])
        assert got and got == valid_ngrams(seed_tokens, n)
    got = set(result["collocation"])
    # the seeds have "November 10, 2020" and "January 10, 2020"
    text = seed_tokens.sort_values(["doc_id", "position"])["token"].tolist()
    assert any(text[i:i + 3] == ["10", ",", "2020"] for i in range(len(text)))
    assert "10 2020" not in got and not any(", " in c or " ," in c for c in got)
    # without punctuation rows only sentence_id separates sentences: no sequence joins two sentences
    words = seed_tokens[~seed_tokens["is_punct"]].sort_values(["doc_id", "position"]).copy()
    words["position"] = words.groupby("doc_id").cumcount() + 1
    across = set()
    for _, t in words.groupby("doc_id"):
        n, s = t["norm"].to_numpy(), t["sentence_id"].to_numpy()
        across |= {f"{n[i - 1]} {n[i]}" for i in range(1, len(t)) if s[i] != s[i - 1]}
    joined = set(collocations_lambda(words, min_count=1)["collocation"])
    assert across and joined == valid_ngrams(words, 2)
    assert not (across - valid_ngrams(words, 2)) & joined


def test_position_gap_and_sentence_break_on_toy():
    toks = toy(["a b c a b c"])
    assert "c a" in set(collocations_lambda(toks, min_count=1)["collocation"])
    gap = toks.drop(index=3)                                  # the second "a": positions 3 and 5 are not adjacent
    assert "c b" not in set(collocations_lambda(gap, min_count=1)["collocation"])
    split = toks.assign(sentence_id=[1, 1, 1, 2, 2, 2])
    assert "c a" not in set(collocations_lambda(split, min_count=1)["collocation"])


# 4. determinism, min_count, grouping, arguments ----------------------------------------------------------

def test_deterministic_and_order_free(seed_tokens):
    a = collocations_lambda(seed_tokens, size=[2, 3])
    b = collocations_lambda(seed_tokens, size=[2, 3])
    shuffled = collocations_lambda(seed_tokens.sample(frac=1, random_state=7), size=[2, 3])
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, shuffled)
    assert list(a.columns) == ["collocation", "count", "count_nested", "length", "lambda", "z"]
    key = list(zip(-a["z"], a["collocation"]))
    assert key == sorted(key)


def test_min_count_filters_only(seed_tokens):
    all_ = collocations_lambda(seed_tokens, size=[2, 3], min_count=1)
    for m in (2, 3, 5):
        got = collocations_lambda(seed_tokens, size=[2, 3], min_count=m)
        assert (got["count"] >= m).all()
        pd.testing.assert_frame_equal(got, all_[all_["count"] >= m].reset_index(drop=True))
    assert collocations_lambda(seed_tokens).equals(collocations_lambda(seed_tokens, min_count=2))   # quanteda's default


def test_by_scores_each_group_alone(seed_tokens):
    grouped = collocations_lambda(seed_tokens, by="source", min_count=1)
    assert list(grouped.columns) == ["source", "collocation", "count", "count_nested", "length", "lambda", "z"]
    for source, sub in seed_tokens.groupby("source"):
        alone = collocations_lambda(sub, min_count=1)
        pd.testing.assert_frame_equal(grouped[grouped["source"] == source].drop(columns="source")
                                      .reset_index(drop=True), alone)


def test_drop_stop_pads_and_arguments(seed_tokens):
    padded = collocations_lambda(seed_tokens, drop_stop=True, min_count=1)
    stops = set(seed_tokens.loc[seed_tokens["is_stop"], "norm"])
    assert not any(set(c.split()) & stops for c in padded["collocation"])
    with pytest.raises(ValueError, match="larger than 1"):
        collocations_lambda(seed_tokens, size=1)
    with pytest.raises(ValueError, match="lacks"):
        collocations_lambda(seed_tokens.drop(columns="sentence_id"))
    empty = collocations_lambda(seed_tokens.iloc[:0], size=[2, 3])
    assert empty.empty and list(empty.columns) == ["collocation", "count", "count_nested", "length", "lambda", "z"]
    assert collocations_lambda(toy(["a", "bb", ""]), size=[2, 3], min_count=1).empty   # quanteda: shorter than size
