"""Sentence and token segmentation: offline, offsets exact, the tricky cases of news text."""
import pandas as pd
import pytest

import analysis


def split(*paragraphs):
    docs = pd.DataFrame({"doc_id": ["d"], "source": ["s"], "text": ["\n\n".join(paragraphs)]})
    return list(analysis.sentences(docs)["text"])


@pytest.mark.parametrize("text, expected", [
    ("Yerevan invited U.S. soldiers to stage joint drills. Russia has hit out at the decision.",
     ["Yerevan invited U.S. soldiers to stage joint drills.", "Russia has hit out at the decision."]),
    ("He met Gen. Smith and Lt. Jones on Dec. 5. They talked.",
     ["He met Gen. Smith and Lt. Jones on Dec. 5.", "They talked."]),
    ("Power sits in the “president’s” hands, who doubles as “prime minister.” Harutiunian has forfeited it.",
     ["Power sits in the “president’s” hands, who doubles as “prime minister.”", "Harutiunian has forfeited it."]),
    ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
    ("Harutiunian promised, “[W]e shall strengthen and rearm our forces with modern armament,” so as to build "
     "a “qualitatively new army” (News.am, January 1, 2021). Those intentions are in line with Balasanian’s.",
     ["Harutiunian promised, “[W]e shall strengthen and rearm our forces with modern armament,” so as to build "
      "a “qualitatively new army” (News.am, January 1, 2021).", "Those intentions are in line with Balasanian’s."]),
    ("At the same time—and confusingly—he refutes the information. Presidents in 1998–2008 and 2008–2018, respectively.",
     ["At the same time—and confusingly—he refutes the information.",
      "Presidents in 1998–2008 and 2008–2018, respectively."]),
    ("Balasanian adopted a quasi-autonomist stance vis-à-vis Yerevan. He resigned in 2019.",
     ["Balasanian adopted a quasi-autonomist stance vis-à-vis Yerevan.", "He resigned in 2019."]),
    ("Russia now has ‘peacekeepers’ on the ground. ‘Frozen conflict’ is the phrase.",
     ["Russia now has ‘peacekeepers’ on the ground.", "‘Frozen conflict’ is the phrase."]),
    ("It happened in the U.S. The troops left. Really?! Yes.",
     ["It happened in the U.S.", "The troops left.", "Really?!", "Yes."]),
    ("The parents (see EDM, March 17) protested. (It was late.) Then they left.",
     ["The parents (see EDM, March 17) protested.", "(It was late.)", "Then they left."]),
])
def test_tricky_sentences(text, expected):
    assert split(text) == expected


def test_paragraph_break_ends_a_sentence():
    assert split("A headline without a full stop", "The body starts here.") == [
        "A headline without a full stop", "The body starts here."]


def test_seed_sentence_offsets_are_exact(seed_docs, seed_sentences):
    texts = seed_docs.set_index("doc_id")["text"]
    for row in seed_sentences.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text
    assert list(seed_sentences.columns[:7]) == ["doc_id", "source", "sentence_id", "paragraph_id", "text",
                                                "start", "end"]
    # ids run 1..n within each document
    for _, group in seed_sentences.groupby("doc_id"):
        assert list(group["sentence_id"]) == list(range(1, len(group) + 1))


def test_seed_sentences_known_boundaries(seed_sentences):
    s001 = list(seed_sentences.loc[seed_sentences["doc_id"] == "001", "text"])
    assert ("Power in Karabakh is heavily concentrated in the “president’s” hands, who doubles as "
            "“prime minister.”") in s001
    assert any(s.startswith("In a New Year’s statement, Harutiunian promised, “[W]e shall strengthen") for s in s001)
    s003 = list(seed_sentences.loc[seed_sentences["doc_id"] == "003", "text"])
    assert any(s.startswith("For example, a few days ago, before the clashes, Yerevan invited U.S. soldiers")
               for s in s003)
    s002 = list(seed_sentences.loc[seed_sentences["doc_id"] == "002", "text"])
    assert any("At the same time—and confusingly—he refutes the information" in s for s in s002)


def test_tokens(seed_docs, seed_tokens):
    texts = seed_docs.set_index("doc_id")["text"]
    assert list(seed_tokens.columns[:8]) == ["doc_id", "source", "sentence_id", "position", "token", "norm",
                                             "is_stop", "is_punct"]
    for row in seed_tokens.sample(300, random_state=0).itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.token
    by_token = seed_tokens.drop_duplicates("token").set_index("token")
    # hyphenated words and editorial brackets stay whole; dashes split
    for word in ("Nagorno-Karabakh", "vis-à-vis", "quasi-autonomist", "revanche-seeking", "[W]e", "U.S."):
        assert word in by_token.index, word
    assert by_token.loc["[W]e", "norm"] == "we"
    assert "Karabakh’s" not in by_token.index  # the possessive is its own token
    assert "’s" in by_token.index and by_token.loc["’s", "norm"] == "'s"
    assert by_token.loc["The", "is_stop"] and not by_token.loc["Karabakh", "is_stop"]
    assert by_token.loc["“", "is_punct"] and by_token.loc["—", "is_punct"]
    assert not by_token.loc["Russia", "is_punct"]
    assert "1998" in by_token.index and "–" in by_token.index
    # positions run 1..n within each document
    for _, group in seed_tokens.groupby("doc_id"):
        assert list(group["position"]) == list(range(1, len(group) + 1))


def test_tokens_and_sentences_agree(seed_sentences, seed_tokens):
    merged = seed_tokens.merge(seed_sentences[["doc_id", "sentence_id", "start", "end"]],
                               on=["doc_id", "sentence_id"], suffixes=("", "_sentence"))
    assert len(merged) == len(seed_tokens)
    assert ((merged["start"] >= merged["start_sentence"]) & (merged["end"] <= merged["end_sentence"])).all()


def test_empty_input_gives_empty_typed_tables():
    docs = pd.DataFrame({"doc_id": pd.Series(dtype=str), "source": pd.Series(dtype=str),
                         "text": pd.Series(dtype=str)})
    assert analysis.sentences(docs).empty
    assert list(analysis.tokens(docs).columns)[:4] == ["doc_id", "source", "sentence_id", "position"]


def test_segmentation_needs_no_download(monkeypatch):
    """Segmentation runs with the network cut: no model or corpus is fetched."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("segmentation tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert split("One. Two.") == ["One.", "Two."]


# --- the vectorised rule against the rule as first written, token by token ------------------------------------

def _reference_sentences(text):
    """Sentence texts by the boundary rule applied token by token to the whole text, tokenized in one piece
    (how analysis.text.segment first did it); parse must agree with it on any text."""
    from analysis.text.segment import _CLOSING, _SENTENCE_END, _STRAIGHT_QUOTES, STOP_WORDS, english_tokenizer

    doc = english_tokenizer().tokenizer(text)
    n = len(doc)

    def ends_sentence(i):
        if doc[i].text in _SENTENCE_END:
            return True
        if doc[i].text.endswith(".") and len(doc[i].text) > 1 and i + 1 < n:
            nxt = doc[i + 1]
            return nxt.text[:1].isupper() and nxt.lower_ in STOP_WORDS and doc[i].whitespace_ != ""
        return False

    def closing(j):
        return doc[j].text in _CLOSING or (doc[j].text in _STRAIGHT_QUOTES and doc[j - 1].whitespace_ == "")

    def cannot_start(tok):
        first = next((ch for ch in tok.text if ch.isalpha()), "")
        return first.islower() or tok.text in _CLOSING or tok.text in {",", ";", ":"}

    starts, last = {0}, -1
    for i in range(n):
        if not doc[i].text or doc[i].text[-1] not in ".!?…" or i <= last or not ends_sentence(i):
            continue
        j = i + 1
        while j < n and (closing(j) or (doc[j].text in _SENTENCE_END and doc[j - 1].whitespace_ == "")):
            j += 1
        while j < n and doc[j].is_space:
            j += 1
        if j < n and not cannot_start(doc[j]):
            starts.add(j)
        last = j - 1
    paragraph_starts = {a for a, _ in analysis.text.segment.paragraph_spans(text)}
    starts |= {t.i for t in doc if t.idx in paragraph_starts}
    sentences, current = [], []
    for tok in doc:
        if tok.i in starts and current:
            sentences.append(current)
            current = []
        if not tok.is_space:
            current.append(tok)
    if current:
        sentences.append(current)
    return [text[s[0].idx:s[-1].idx + len(s[-1])] for s in sentences if s]


_PIECES = ["U.S.", "The", "the", "He", ".", "!", "?", "?!", "...", "…", "”", "“", "’", '"', "'", ")", "(", "[W]e",
           "Inc.", "Gen.", "Dec.", "5.", "word", "Word", "Nagorno-Karabakh", "1998–2008", "—", ",", ";", ":", "it's",
           "U.N.", "e.g.", "»", "«", "No.", "Russia", "’s", "a.m.", ":)", "Что", "это."]
_GAPS = [" ", " ", " ", "", "  ", "\n", "\n\n", "\n \n", "\t", "\r\n", "\r\n\r\n", "\xa0", " \n\n ", "\u2028"]


def _random_texts(seed, count):
    import random
    rng = random.Random(seed)
    return [rng.choice(["", " ", "\n\n "]) + "".join(rng.choice(_PIECES) + rng.choice(_GAPS)
                                                    for _ in range(rng.randint(0, 50))) for _ in range(count)]


def test_sentence_rule_matches_token_by_token_reference():
    texts = _random_texts(7, 150) + [
        "It happened in the U.S.\n\nThe troops left.", 'He said "no."\n\n"Yes," she said.', "Really?!\n\n”Odd.",
        "End.”\n\n(It was late.) Then.", "  Lead.  \n \n  Next U.S. The end. ", "Dec. 5.\n\nthe lower case."]
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "source": "s", "text": texts})
    sents = analysis.sentences(docs)
    for i, text in enumerate(texts):
        assert list(sents.loc[sents["doc_id"] == f"d{i}", "text"]) == _reference_sentences(text), repr(text)


def test_paragraph_spans_are_the_paragraph_pattern():
    from analysis.text.segment import _PARAGRAPH, paragraph_spans
    for text in _random_texts(3, 200) + ["", "\n\n", "a\n \t\nb", "a\nb\n\n\nc  \n", "\r\n\r\nx\r\n\r\ny"]:
        assert paragraph_spans(text) == [m.span() for m in _PARAGRAPH.finditer(text)], repr(text)


def test_batches_and_column_types_do_not_change_the_tables(monkeypatch):
    import pandas.testing as pdt
    from analysis.text import segment

    texts = _random_texts(11, 40)
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "source": ["a", None] * 20, "text": texts})
    whole = analysis.parse(docs)
    monkeypatch.setattr(segment, "_BATCH_CHARS", 50)
    for one, batched in zip(whole, analysis.parse(docs)):
        pdt.assert_frame_equal(one, batched)
    # text columns are typed as pandas types them: text with missing values is "str", anything else stays object
    assert str(whole[1]["source"].dtype) == "str" and whole[1]["source"].isna().any()
    assert whole[1]["norm"].dtype == object
    numbered = analysis.parse(docs.assign(doc_id=range(40)))
    assert numbered[0]["doc_id"].dtype == object and numbered[1]["doc_id"].iloc[0] == 0


def test_text_columns_are_typed_by_the_values_they_hold():
    """A document without tokens does not count: its source does not decide the column's type."""
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": [None, 3, "x"], "text": ["Hi there.", "", "Yo."]})
    sents, toks = analysis.parse(docs)
    assert str(sents["source"].dtype) == "str" and sents["source"].isna().tolist() == [True, False]
    only_missing = docs.assign(source=[None, "x", None])
    sents, toks = analysis.parse(only_missing)
    assert sents["source"].dtype == object and toks["source"].isna().all()


def test_parse_tokenizer_matches_the_english_tokenizer(seed_docs):
    """parse tokenizes with a copy of english_tokenizer() whose new words get no lexeme attributes: same
    tokens and spaces, and the attributes the tables use (lower, is_punct, is_space) as the full lexemes have them."""
    from spacy.attrs import ORTH, SPACY

    from analysis.text.segment import _segmenter, _TokenTypes, english_tokenizer
    full, lean = english_tokenizer().tokenizer, _segmenter()
    texts = _random_texts(5, 200) + list(seed_docs["text"]) + [
        "Что это? Ça va. ΟΔΟΣ Σ. İstanbul’s U.N.-backed “deal” — 1998–2008 (see p. 5). e.g. [W]e\u2028x\u00a0y  \t z"]
    types = _TokenTypes(lean.vocab, english_tokenizer().vocab.lex_attr_getters)
    for text in texts:
        a, b = full(text), lean(text)
        assert (a.to_array([ORTH, SPACY]) == b.to_array([ORTH, SPACY])).all(), repr(text)
        if not len(b):
            continue
        type_of = types.lookup(b.to_array([ORTH, SPACY])[:, 0])
        props = types.arrays()
        for tok, k in zip(a, type_of):
            assert props["text"][k] == tok.text
            assert props["is_punct"][k] == tok.is_punct and props["is_space"][k] == tok.is_space
            assert props["opener"][k] == (tok.text[:1].isupper() and tok.lower_ in analysis.text.segment.STOP_WORDS)


def test_document_counts_per_run_equal_grouped_counts():
    """_docs_frame counts sentences, tokens and words per run of parse's rows; the counts must be those of
    grouping by doc_id (documents without tokens, punctuation only, repeated or missing doc_ids included)."""
    from analysis.corpus.loading import _docs_frame

    texts = _random_texts(13, 30) + ["", "...", "“!”", "One.\n\nTwo words here."]
    for ids in ([f"d{i}" for i in range(len(texts))], ["x", "y"] * (len(texts) // 2),
                [f"d{i}" for i in range(len(texts) - 1)] + [None]):
        records = [{"doc_id": d, "text": t, "source": "s", "date": None} for d, t in zip(ids, texts)]
        docs, sents, toks = _docs_frame(records)
        words = (~toks["is_punct"]).groupby(toks["doc_id"]).sum()
        for column, counts in (("n_sentences", sents.groupby("doc_id").size()),
                               ("n_tokens", toks.groupby("doc_id").size()), ("n_words", words)):
            expected = docs["doc_id"].map(counts).fillna(0).astype("int64")
            pd.testing.assert_series_equal(docs[column], expected, check_names=False)


def test_a_news_site_named_by_its_domain_does_not_end_a_sentence():
    """"Caliber.Az" and "PanArmenian.Net" stay one token (spaCy splits a period between a lower-case and an
    upper-case letter), while a real missing space after a full stop still ends a sentence."""
    import pandas as pd

    from analysis import parse
    docs = pd.DataFrame({"doc_id": ["a"], "source": ["x"], "text": [
        "According to Caliber.Az, the talks failed. PanArmenian.Net reported it too (Day.Az). "
        "Armenpress.am and Trend.az agreed. He left.Azerbaijan said no. The U.S. Department of State said so."]})
    sents, toks = parse(docs)
    assert sents["text"].tolist() == [
        "According to Caliber.Az, the talks failed.", "PanArmenian.Net reported it too (Day.Az).",
        "Armenpress.am and Trend.az agreed.", "He left.", "Azerbaijan said no.",
        "The U.S. Department of State said so."]
    assert {"Caliber.Az", "PanArmenian.Net", "Day.Az", "Armenpress.am", "Trend.az"} <= set(toks["token"])
