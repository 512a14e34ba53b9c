"""The exact fast scorers (analysis/measures/exact_scorers.py) give TextBlob 0.20.1's and VADER 3.3.2's scores.

Every score is compared with the unmodified libraries' as the float's type and bits (so -0.0 differs from
0.0): on crafted texts aimed at each shortcut, on random strings of the pieces the tokenizers treat
specially, on the seed corpus and on a synthetic corpus; also when the memo restarts, and the version guard
falls back to the libraries' own scorers.
"""
import re

import numpy as np
import pytest
from textblob.en.sentiments import PatternAnalyzer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.measures import exact_scorers
from analysis.measures import sentiment as snt
from analysis.measures.sentiment import sentence_sentiment
from test_sentiment import REFERENCE  # published reference sentences, scored there



# Crafted texts aimed at each shortcut of the fast scorers (see fast_pattern, fast_vader_class)
CRAFTED = [
    "", " ", "   padded text   ", ".", "!!!", "???", "?!", "...", "…", "( ! )", "(!)", "( !)", "(! )", "good ( ! )",
    "Great idea ( ! ) really.", "Great idea (!) really.", "Great idea(!)", "good :)", "good :-(", "I <3 peace", "<3",
    ":)", ":-)", ": )", ":'(", ":'''(", "xD", "XD", "x D", "Fox Davis", "o.O", "no. Of course", "Oh no.", "so.",
    "no . O", ">.>", "8)", "(2018)", "(see EDM, April 2, 2018).", "(Armenpress, August 18)", "8 )", "c )",
    "Shelling: b", ":b", ": b", ":o", ": o", ":p", ": p", ": s", ":S", ":c", "=/", ":\\", ">:\\", "°O°", "♥", "♥ good",
    "It's good", "it isn't good", "They aren't bad", "I'd say good", "I'm happy", "we'll see", "they're great",
    "we've won", "'s", "n't", "'", "''", "' '", '"', '""', "“good”", "‘good’", "He said “not good”.",
    "He said ‘not bad’.", "He said 'good'.", 'He said "good".', "'quoted' good 'again'", "dogs' 'bone'",
    "It is good... really...", "good.....", "good....bad", "U.S. troops were good.", "Mr. Smith was bad.",
    "e.g. good", "i.e. bad", "T. De Smedt is great", "A.B.C. good", "etc. bad", "Dr. Good", "Mil. good",
    "line one\nline two is good", "good\n\nbad", "good\r\n\r\nbad", "good\n", "\ngood", "good END-OF-SENTENCE bad",
    "END-OF-SENTENCE", "tab\tseparated\tgood", "nbsp\xa0good", "para\u2029good", "line\u2028sep bad",
    "Ça va très bien", "İstanbul is GOOD", "ΣΊΣΥΦΟΣ good", "good😀", "Not bad at all 😀 really", "😀", "💔 sad",
    "I don't hate it 💔", "GREAT news, but terrible results", "good but bad", "bad BUT good", "but", "but good",
    "Good, but not great, but fine", "kind of good", "Kind Of bad", "kind", "of kind", "sort of good",
    "never so good", "Never this bad!", "never good", "without doubt the best", "without any doubt good",
    "No, this is not good :)", "no good at all", "Not", "n't good", "no", "No.", "No or good", "no nor good",
    "nor good", "not good", "not very good", "not a good idea", "very very good", "extremely bad", "really not good",
    "hardly good, barely bad", "least good", "at least good", "very least good", "the least bad",
    "The ceasefire WORKED while others failed", "GOOD", "GOOD bad", "VERY good", "very GOOD news", "ALL CAPS GOOD BAD",
    "The shit hit the fan", "the bomb", "cut the mustard", "kiss of death", "bus stop", "yeah right good",
    "Good!", "Good!!", "Good!!!!!!", "Bad?!", "Bad??", "Bad????", "good ! bad", "!good", "good !", "good ( ! bad",
    "Peace talks resumed in Vienna.", "Shelling killed two soldiers.", "(good)", "[bad]", "{great}", "#good",
    "@bad", "good,bad", "good-bad", "well-intentioned", "anti-terror", "2020", "$5", "50%", "1.5", "—", "–",
    "good;bad:worse", "What a good, good day",
    "Good. Not so good, never this good; without doubt bad, not without doubt.",
    " ".join(["The agreement was not very good, but the ceasefire held ( ! ) and refugees were happy :) ."] * 60),
]


def _exact(value):
    """A float as its type and bits: -0.0 differs from 0.0 here, unlike with ==."""
    return type(value).__name__, float(value).hex()


def _library_pattern(texts):
    analyzer = PatternAnalyzer()
    return [(_exact(s.polarity), _exact(s.subjectivity)) for s in map(analyzer.analyze, texts)]


def _library_vader(texts):
    analyzer = SentimentIntensityAnalyzer()
    return [{k: _exact(v) for k, v in analyzer.polarity_scores(t).items()} for t in texts]


def _fast_pattern_scores(texts, pattern=None):
    pattern = pattern or exact_scorers.analyzers()[0]
    return [tuple(map(_exact, pattern(t))) for t in texts]


def _fast_vader_scores(texts, vader=None):
    vader = vader or exact_scorers.analyzers()[1]
    return [{k: _exact(v) for k, v in vader.polarity_scores(t).items()} for t in texts]


def _assert_fast_equals_library(texts):
    texts = list(texts)
    texts += [t.translate(snt._ASCII_QUOTES) for t in texts if not t.isascii()]
    for fast, library in ((_fast_pattern_scores, _library_pattern), (_fast_vader_scores, _library_vader)):
        got, expected = fast(texts), library(texts)
        wrong = [(t, g, e) for t, g, e in zip(texts, got, expected) if g != e]
        assert not wrong, f"{fast.__name__}: {len(wrong)} of {len(texts)} differ, e.g. {wrong[:3]}"


def _fuzz_texts(n=3000, seed=11):
    """Random strings of the pieces the tokenizers and scorers treat specially, glued with and without spaces."""
    pieces = ["good", "bad", "great", "terrible", "happy", "not", "no", "never", "n't", "'s", "'d", "'ll", "'re",
              "'ve", "'m", "very", "really", "extremely", "hardly", "kind", "of", "sort", "least", "at", "so", "this",
              "without", "doubt", "but", "BUT", "GOOD", "Bad", "NOT", "or", "nor", "the", "shit", "bomb", "!", "?",
              "(", ")", "( ! )", "(!)", ":", "-", "'", '"', "“", "”", "‘", "’", "...", ".", ",", ";", "U.S.", "Mr.",
              "e.g.", "8", "2018", "x", "D", "o", "O", "c", "b", "p", "s", "3", "<", ">", "=", "*", "[", "]", "{", "}",
              "/", "\\", "^", "_", "°", "♥", "😀", "é", "İ", "Σ", "\n", "\n\n", "\t", "\xa0", "END-OF-SENTENCE",
              "peace", "war", "security", "well-intentioned", "anti-terror", "Armenia", "Azerbaijan"]
    rng = np.random.Generator(np.random.PCG64(seed))
    glue = ["", " ", " ", " ", "  "]
    texts = []
    for _ in range(n):
        k = int(rng.integers(1, 14))
        picked = rng.choice(len(pieces), size=k)
        joins = rng.choice(len(glue), size=k)
        texts.append("".join(pieces[p] + glue[j] for p, j in zip(picked, joins)))
    return texts


def test_fast_scorers_equal_the_libraries_on_crafted_texts():
    _assert_fast_equals_library(CRAFTED + REFERENCE)


def test_fast_scorers_equal_the_libraries_on_random_texts():
    _assert_fast_equals_library(_fuzz_texts())


def test_fast_scorers_equal_the_libraries_on_the_seed_corpus(seed_sentences):
    _assert_fast_equals_library(seed_sentences["text"].tolist())


@pytest.fixture(scope="module")
def synthetic_sentences(tmp_path_factory):
    import importlib.util
    import sys

    from conftest import ROOT

    import analysis
    name = "benchmarks_synthetic"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "synthetic.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # registered, as dataclasses need
        spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    module.generate_corpus(folder, 0.5, seed=3)
    return analysis.read_corpus(folder, manifest=False, errors="ignore").sentences


def test_fast_scorers_equal_the_libraries_on_a_synthetic_corpus(synthetic_sentences):
    assert len(synthetic_sentences) > 2000
    _assert_fast_equals_library(synthetic_sentences["text"].tolist())


def test_sentence_sentiment_equals_the_libraries_per_sentence(synthetic_sentences):
    sents = synthetic_sentences.head(1500)
    pattern, vader = PatternAnalyzer(), SentimentIntensityAnalyzer()
    for ascii_quotes in (True, False):
        scores = sentence_sentiment(None, sents, ascii_quotes=ascii_quotes)
        assert len(scores) == len(sents)
        for row in scores.itertuples():
            text = row.text.translate(snt._ASCII_QUOTES) if ascii_quotes else row.text
            tb, vd = pattern.analyze(text), vader.polarity_scores(text)
            expected = (tb.polarity, tb.subjectivity, vd["compound"], vd["pos"], vd["neu"], vd["neg"])
            got = (row.tb_polarity, row.tb_subjectivity, row.vader_compound, row.vader_pos, row.vader_neu,
                   row.vader_neg)
            assert [float(v).hex() for v in got] == [float(v).hex() for v in expected], text


def test_fast_scorers_stay_exact_when_their_memo_restarts(monkeypatch):
    from textblob.en import sentiment as pattern_sentiment
    monkeypatch.setattr(exact_scorers, "MEMO_LIMIT", 7)
    pattern, vader = exact_scorers.fast_pattern(pattern_sentiment), exact_scorers.fast_vader_class()()
    texts = CRAFTED + _fuzz_texts(300, seed=5)
    assert _fast_pattern_scores(texts, pattern) == _library_pattern(texts)
    assert _fast_vader_scores(texts, vader) == _library_vader(texts)


def test_other_library_versions_get_the_library_scorers(monkeypatch):
    from textblob.en import sentiment as pattern_sentiment
    from vaderSentiment import vaderSentiment as vs
    monkeypatch.setattr(exact_scorers, "VERIFIED_VERSIONS", {"textblob": "0.0", "vaderSentiment": "0.0"})
    assert exact_scorers.fast_pattern(pattern_sentiment) is pattern_sentiment
    assert exact_scorers.fast_vader_class() is vs.SentimentIntensityAnalyzer


def test_what_the_fast_scorers_assume_of_python():
    r"""find_tokens collapses re's \s and Sentiment.__call__ splits on str.isspace; VADER lower-cases lower-case
    words again: the fast scorers rely on these being the same characters and on str.lower being idempotent."""
    import sys
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        assert (space.match(c) is not None) == c.isspace(), hex(code)
        assert c.lower().lower() == c.lower(), hex(code)


def test_fast_vader_scores_equal_the_library_analyzer():
    """The fast VADER gives exactly vaderSentiment's scores (seed sentences and crafted cases)."""
    from pathlib import Path

    import analysis
    texts = analysis.read_corpus(Path(__file__).resolve().parent.parent / "seeds").sentences["text"].tolist()
    texts += ["No, this is not good :)", "never so good", "Never this bad!", "without doubt the best",
              "Not bad at all 😀 really", "It isn't great", "GREAT news, but terrible results", "kind of good",
              "no good at all", "good", "Not", "n't good", "I don't hate it 💔", "  padded text   ", "nor good",
              "no or good", "The ceasefire WORKED while others failed", "hardly good, barely bad", "😀", "",
              "Good. Not so good, never this good; without doubt bad, not without doubt."]
    texts += [t.translate(str.maketrans({"’": "'"})) for t in texts]
    library, fast = SentimentIntensityAnalyzer(), exact_scorers.analyzers()[1]
    assert type(fast) is not SentimentIntensityAnalyzer
    assert [fast.polarity_scores(t) for t in texts] == [library.polarity_scores(t) for t in texts]
    assert _fast_vader_scores(texts) == _library_vader(texts)  # also -0.0 against 0.0
