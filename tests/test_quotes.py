"""Quotations and who speaks, distancing quotes, titles: on the seeds and on crafted sentences."""
import pandas as pd
import pytest

from analysis.quotes import quotations, quoted_spans, scare_quote_terms, scare_quotes, voices


@pytest.fixture(scope="module")
def spans(seed_docs, seed_sentences, seed_mentions):
    return quoted_spans(seed_docs, sents=seed_sentences, ments=seed_mentions)


def find(spans, doc_id, startswith):
    rows = spans[(spans["doc_id"] == doc_id) & spans["text"].str.startswith(startswith)]
    assert len(rows) >= 1, (doc_id, startswith)
    return rows.iloc[0]


def test_every_span_is_classified_and_located(spans, seed_docs):
    assert set(spans["kind"]) <= {"quotation", "scare_quote", "title", "unattributed"}
    texts = seed_docs.set_index("doc_id")["text"]
    for row in spans.itertuples():
        assert row.text in texts[row.doc_id][row.start:row.end]


@pytest.mark.parametrize("doc_id, opening, speaker, actor", [
    ("001", "[W]e shall strengthen", "Harutiunian", "Arayik Harutyunyan"),
    ("001", "qualitatively new army", "Harutiunian", "Arayik Harutyunyan"),      # fragment of the same statement
    ("001", "counter-revolutionary", "Pashinian", "Nikol Pashinyan"),           # described as “...” by Pashinian
    ("001", "defeatist attitude", "Balasanian’s Karabakh-based Justice Party", "Artsakh Justice Party"),
    ("001", "The November 9 ceasefire", "Balasanian’s Karabakh-based Justice Party", "Artsakh Justice Party"),
    ("002", "the conflict between Azerbaijan and Karabakh", "Babaian", "Davit Babayan"),
    ("004", "I haven’t noticed", "Putin", "Vladimir Putin"),
    ("004", "On November 18, 2020", "the Russian Defense Ministry", "Ministry of Defence of the Russian Federation"),
    ("004", "This is why I don’t get", "the Russian president", None),          # "he added": the previous speaker
    ("000", "Balasanyan’s political prospects", "the foundation", None),
])
def test_attributed_quotations(spans, doc_id, opening, speaker, actor):
    row = find(spans, doc_id, opening)
    assert row["kind"] == "quotation"
    assert row["speaker"] == speaker
    assert (row["speaker_actor"] if pd.notna(row["speaker_actor"]) else None) == actor


@pytest.mark.parametrize("doc_id, term", [
    ("004", "peacekeepers"), ("004", "frozen conflict"), ("004", "paradise"),
    ("002", "republic"), ("002", "Karabakh Defense Army"), ("002", "velvet revolution"),
    ("001", "color revolution"), ("001", "Artsakh"), ("001", "peacekeeping"),
    ("003", "doing enough"), ("003", "fact-finding"), ("003", "occupation of Garabagh"),
    ("000", "Karabakh Defense Forces"), ("000", "anti-terror"),
])
def test_distancing_quotes(spans, doc_id, term):
    row = find(spans, doc_id, term)
    assert row["kind"] == "scare_quote", row["sentence"]
    assert pd.isna(row["speaker"])


def test_counts_per_outlet(spans):
    kinds = spans.groupby(["source", "kind"]).size()
    assert kinds[("OpsLens", "scare_quote")] == 4            # ‘paradise’, ‘peacekeepers’ x2, ‘frozen conflict’
    assert (spans[(spans["doc_id"] == "002") & (spans["text"] == "republic")]["kind"] == "scare_quote").sum() == 3
    assert kinds[("PanARMENIAN.Net", "quotation")] == 1


def test_voices(spans):
    table = voices(spans[spans["kind"] == "quotation"]).set_index(["source", "speaker"])
    assert table.loc[("PanARMENIAN.Net", "the foundation"), "share_of_words"] == pytest.approx(1.0)
    assert table.loc[("PanARMENIAN.Net", "the foundation"), "n_words"] > 100
    assert table.loc[("OpsLens", "the Russian president"), "n_quotations"] == 3
    assert ("OpsLens", "Vladimir Putin") in table.index
    shares = table.groupby(level="source")["share_of_words"].sum()
    assert shares.to_numpy() == pytest.approx([1.0] * len(shares))


def crafted(text):
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"], "text": [text]})
    return quoted_spans(docs)


def test_titles_scare_quotes_and_apostrophes():
    spans = crafted("The report titled “Frozen Peace” blamed Baku. Karabakh’s ‘peacekeepers’ don’t leave. "
                    "The so-called “president” resigned.")
    kinds = dict(zip(spans["text"], spans["kind"]))
    assert kinds == {"Frozen Peace": "title", "peacekeepers": "scare_quote", "president": "scare_quote"}


def test_straight_quotes_and_long_unattributed_passages():
    spans = crafted('The ministry said: "We will respond to any provocation with force." '
                    'Observers called it "a dangerous escalation of an old conflict in the region today".')
    first = spans.iloc[0]
    assert (first["kind"], first["speaker"]) == ("quotation", "The ministry")
    assert spans.iloc[1]["kind"] == "quotation" and spans.iloc[1]["speaker"] == "Observers"


def test_quote_after_a_sentence_end_is_not_attributed_to_the_next_sentence():
    spans = crafted("He has learnt that “we need to change everything.” He condemns nepotism.")
    assert spans.iloc[0]["kind"] == "scare_quote" and pd.isna(spans.iloc[0]["speaker"])   # "He condemns" is not its speaker


def test_scare_quotes_and_quotations_partition(spans, seed_docs, seed_sentences, seed_mentions):
    s = scare_quotes(seed_docs, sents=seed_sentences, ments=seed_mentions)
    q = quotations(seed_docs, sents=seed_sentences, ments=seed_mentions)
    assert len(s) == (spans["kind"] == "scare_quote").sum() and len(q) == (spans["kind"] == "quotation").sum()
    assert "speaker" not in s.columns and q["kind"].eq("quotation").all()


def test_no_quotes():
    assert crafted("Nothing is quoted here.").empty


def test_scare_quote_terms(spans):
    terms = scare_quote_terms(spans).set_index(["source", "term"])["times"]
    assert terms[("OpsLens", "peacekeepers")] == 2
    assert terms[("Jamestown Foundation", "republic")] == 3
    assert "prime minister" in terms.loc["Jamestown Foundation"].index      # trailing full stop dropped


# ---------------------------------------------------------------- the fast paths give the plain rules' answers

def _attribute_by_plain_search(before, after):
    """The attribution rules as first written: every rule searched over the whole context."""
    import analysis.quotes as q
    for rule, pattern, text in (("speaker + verb before", q._BEFORE_VERB, before),
                                ("statement of", q._BEFORE_STATEMENT, before),
                                ("speaker + verb after", q._AFTER_SPEAKER_VERB, after),
                                ("verb + speaker after", q._AFTER_VERB_SPEAKER, after)):
        m = pattern.search(text)
        if m and q._plausible_speaker(m.group("speaker")):
            return q._trim_speaker(m.group("speaker")), rule
    if q._BEFORE_LABEL.search(before):
        by, subject = q._AFTER_BY.search(after), q._BEFORE_LABEL_SUBJECT.search(before)
        earlier = list(q._EARLIER_SPEAKER_VERB.finditer(before))
        if by:
            return q._trim_speaker(by.group("speaker")), "labelled ... by"
        if subject and q._plausible_speaker(q._trim_speaker(subject.group("speaker"))):
            return q._trim_speaker(subject.group("speaker")), "labelled by the subject"
        if earlier and q._plausible_speaker(q._trim_speaker(earlier[-1].group("speaker"))):
            return q._trim_speaker(earlier[-1].group("speaker")), "labelled by the sentence's speaker"
    m = q._BEFORE_ACCORDING.search(before)
    return (q._trim_speaker(m.group("speaker")), "according to") if m else (None, "")


LONG = "In a statement issued late on Tuesday after a long meeting of the security council in the capital, "
BEFORES = ["", " ", "he said: ", "He SAID,\n", "Putin said , ", "Putin said ,: ",
           "The Russian president pointed out that ", "the ministry has said ", "Aliyev condemned the ",
           "Baku’s statement: ", "Russia’s Defense Ministry remarks, ",
           LONG + "the foundation said ", LONG + "Pashinyan added that the ", "one two three four five six seven said ",
           "Armenia, which said ", "and then said: ", "the Kremlin ſaid ", "Moscow a\u212aed ", "\u0130t said ",
           "Pashinian described the protests as ", LONG + "Russia defines this territory as the ",
           "The protests, Pashinian said, were labelled as the ", "which Baku calls ", "they called it ",
           LONG + "defining it as ", "according to the ministry, it was ", "According to him, the ",
           "the report titled ", "the book, ", "an untitled ", "the so-called ", "a so-called\n",
           "Putin’s words ", "the same statement ", "UN’s posts: ", "the States ", "notes that the ", "said",
           # labelled, no subject: the sentence's last speaker + verb (searched from five words before the first verb)
           "Pashinian said, defining it as ", "Putin SAID, describing it as ", "the Kremlin ſaid, labelling it ",
           "The United States and its many allies in the region, Moscow claims, calling it the ",
           LONG + "and the ministers of all six member states, Baku told them, branding it ",
           "He said, and she added, and they argued, calling it "]
AFTERS = ["", " he said.", ", said Putin.", ". The ministry added.", " by Pashinian.", " by the ministry, ",
          ", according to Baku.", " he told reporters", ", the foundation noted", " SAID the ministry;"]


@pytest.mark.parametrize("before", BEFORES)
def test_attribution_fast_paths_agree_with_searching_everything(before):
    import analysis.quotes as q
    for after in AFTERS:
        record = {"before": before, "after": after, "last_words": q._last_words(before)}
        q._attribute([record])
        assert (record["speaker"], record["attribution"]) == _attribute_by_plain_search(before, after), after
        title = bool(q._TITLE_LAST_WORD.search(record["last_words"][-1]) and q._TITLE_CUE.search(q._tail(before, 4)))
        assert title == bool(q._TITLE_CUE.search(before))
        assert bool(q._SO_CALLED.search(q._tail(before, 2))) == bool(q._SO_CALLED.search(before))


def test_single_quotes_open_only_after_a_non_word_character():
    import re

    from analysis.quotes import _QUOTES
    first_written = {"curly single": re.compile(r"(?<!\w)‘(?P<inner>(?:[^‘’\n]|’(?=\w))+)’(?!\w)"),
                     "straight single": re.compile(r"(?<!\w)'(?P<inner>(?:[^'\n]|'(?=\w))+)'(?!\w)")}
    text = ("‘start’ of text, x‘glued’ ‘peacekeepers’ don’t ‘a’b’ c’ 'one' it's 'two'x 'three' o'clock "
            "'don't' ‘nested ‘inner’ outer’ \n‘line\nbreak’ ‘’ ''")
    for style, pattern in _QUOTES:
        if style in first_written:
            assert [(m.span(), m.group("inner")) for m in pattern.finditer(text)] == \
                   [(m.span(), m.group("inner")) for m in first_written[style].finditer(text)]


def test_speech_verbs_as_a_trie_match_as_the_alternation(seed_docs):
    """The rules use SPEECH_VERBS as a trie. Equivalent because in every rule a verb is followed by a non-word
    character and no verb is another one plus a non-word character and more (so one verb at most can match)."""
    import re

    import analysis.quotes as q
    verbs = q.SPEECH_VERBS.split("|")
    assert not [(a, b) for a in verbs for b in verbs if b != a and b.startswith(a) and not re.match(r"\w", b[len(a)])]
    texts = BEFORES + AFTERS + [LONG + b + a for b in BEFORES for a in AFTERS[:3]]
    texts += [s for text in seed_docs["text"] for s in re.split(r"(?<=[.!?”])\s+", text)]
    for rule in (q._BEFORE_VERB, q._EARLIER_SPEAKER_VERB, q._AFTER_SPEAKER_VERB, q._AFTER_VERB_SPEAKER):
        as_alternation = re.compile(rule.pattern.replace(q._VERB_TRIE, q._VERB), rule.flags)
        assert as_alternation.pattern != rule.pattern
        for text in texts:
            assert [(m.span(), m.groupdict()) for m in rule.finditer(text)] == \
                   [(m.span(), m.groupdict()) for m in as_alternation.finditer(text)], (rule.pattern[:40], text)
