"""Quotations and who speaks, distancing quotes, titles: on the seeds and on crafted sentences."""
import pandas as pd
import pytest

from analysis.framing.quotes import quotations, quoted_spans, scare_quote_terms, scare_quotes, voices


@pytest.fixture(scope="module")
def spans(seed_docs, seed_sentences, seed_mentions):
    return quoted_spans(seed_docs, sents=seed_sentences, ments=seed_mentions)


def find(spans, doc_id, startswith):
    rows = spans[(spans["doc_id"] == doc_id) & spans["text"].str.startswith(startswith)]
    assert len(rows) >= 1, (doc_id, startswith)
    return rows.iloc[0]


def test_every_span_is_classified_and_located(spans, seed_docs):
    assert set(spans["kind"]) <= {"quotation", "scare_quote", "title", "unattributed", "name", "term"}
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
    ("004", "This is why I don’t get", "the Russian president", "Vladimir Putin"),  # "he added": the previous speaker
    # attributed fragments are partial quotations, not the writer's distancing
    ("004", "paradise", "Azeri President Ilham Aliyev", "Ilham Aliyev"),      # Aliyev is declaring ... a ‘paradise’
    ("003", "doing enough", "Yerevan", "Armenia"),                            # Yerevan accused Moscow of not "doing enough"
    ("000", "Balasanyan’s political prospects", "the foundation", None),
])
def test_attributed_quotations(spans, doc_id, opening, speaker, actor):
    row = find(spans, doc_id, opening)
    assert row["kind"] == "quotation"
    assert row["speaker"] == speaker
    assert (row["speaker_actor"] if pd.notna(row["speaker_actor"]) else None) == actor


@pytest.mark.parametrize("doc_id, term", [
    ("004", "peacekeepers"), ("004", "frozen conflict"),
    ("002", "republic"), ("002", "Karabakh Defense Army"), ("002", "velvet revolution"),
    ("001", "color revolution"), ("001", "Artsakh"), ("001", "peacekeeping"),
    ("003", "fact-finding"), ("003", "occupation of Garabagh"),
    ("000", "Karabakh Defense Forces"), ("000", "anti-terror"),
])
def test_distancing_quotes(spans, doc_id, term):
    row = find(spans, doc_id, term)
    assert row["kind"] == "scare_quote", row["sentence"]
    assert pd.isna(row["speaker"])


def test_counts_per_outlet(spans):
    kinds = spans.groupby(["source", "kind"]).size()
    assert kinds[("OpsLens", "scare_quote")] == 3            # ‘peacekeepers’ x2, ‘frozen conflict’ (‘paradise’ is Aliyev’s)
    assert (spans[(spans["doc_id"] == "002") & (spans["text"] == "republic")]["kind"] == "scare_quote").sum() == 3
    assert kinds[("PanARMENIAN.Net", "quotation")] == 1


def test_voices(spans):
    table = voices(spans[spans["kind"] == "quotation"]).set_index(["source", "speaker"])
    assert table.loc[("PanARMENIAN.Net", "the foundation"), "share_of_words"] == pytest.approx(1.0)
    assert table.loc[("PanARMENIAN.Net", "the foundation"), "n_words"] > 100
    # Putin by name once and as "the Russian president" (a dated role phrase) three times
    assert table.loc[("OpsLens", "Vladimir Putin"), "n_quotations"] == 4
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


# ---------------------------------------------------------------- reporting clauses in the shapes of real news

# (text, quoted words the row starts with, kind, speaker, speaker_actor): one shape per row, written after
# sentences seen in Armenian, Azerbaijani, Russian, Turkish and Western outlets (development set)
OVER_PARAGRAPHS = "Aliyev said in his address: “We have restored our sovereignty.\n\n“Nobody can stop us now,” he said."
SHAPES = [
    ("Samantha Power called on Azerbaijan “to restore free movement through the corridor”.",
     "to restore", "quotation", "Samantha Power", None),
    ("Pashinyan also accused Baku of “preparing ethnic cleansing” in Karabakh.",
     "preparing", "quotation", "Pashinyan", "Nikol Pashinyan"),
    ("“We will not allow it,” Russian Foreign Ministry spokeswoman Maria Zakharova told reporters.",
     "We will", "quotation", "Russian Foreign Ministry spokeswoman Maria Zakharova", "Maria Zakharova"),
    ("“The situation is difficult,” said the spokeswoman for the Russian Foreign Ministry, Maria Zakharova.",
     "The situation", "quotation", "Maria Zakharova", "Maria Zakharova"),
    ("Anna Naghdalyan, spokeswoman for Armenia’s foreign ministry, said on Monday that the town is being "
     "“continuously attacked by armed forces”.", "continuously", "quotation", "Anna Naghdalyan", None),
    ("Sergei Lavrov met Jeyhun Bayramov in Moscow on Friday. “We agreed on many things,” he said.",
     "We agreed", "quotation", "Sergei Lavrov", "Sergey Lavrov"),
    (OVER_PARAGRAPHS, "We have restored", "quotation", "Aliyev", "Ilham Aliyev"),
    (OVER_PARAGRAPHS, "Nobody", "quotation", "Aliyev", "Ilham Aliyev"),
    ("“The provocation serves to increase tension,” Lavrov said. “We call on both sides to show restraint and "
     "to return to the talks.”", "We call", "quotation", "Lavrov", "Sergey Lavrov"),
    ("Azerbaijan launched what it called “local anti-terrorist measures” on Tuesday.",
     "local", "quotation", "Azerbaijan", "Azerbaijan"),
    ("Russia’s Foreign Ministry issued a statement. “The ceasefire must be observed,” the ministry said.",
     "The ceasefire", "quotation", "Russia’s Foreign Ministry", None),
    ("According to the same statement, “the talks will continue next week in Brussels”.",
     "the talks", "quotation", None, None),
    ("Ruben Vardanyan wrote on Telegram, saying “we will not leave our homeland”.",
     "we will", "quotation", "Ruben Vardanyan", None),
    ("The protests were described as “a counter-revolution” by Pashinian.",
     "a counter", "quotation", "Pashinian", "Nikol Pashinyan"),
    ("Yerevan appealed to the bloc, but the bloc only agreed to send a “fact-finding” mission.",
     "fact-finding", "scare_quote", None, None),
    ("The so-called “president” resigned on Friday.", "president", "scare_quote", None, None),
    ("The truck, a “Kamaz”, was stopped at the checkpoint.", "Kamaz", "name", None, None),      # a brand
    ("The opposition party “Musavat” demanded their release.", "Musavat", "name", None, None),
    ("The self-declared “Artsakh” held a vote.", "Artsakh", "scare_quote", None, None),  # a disputed name: distancing
    ("The events were propagandized under the terms “blockade”, “ethnic cleansing” and “crisis”.",
     "blockade", "term", None, None),
    ("The events were propagandized under the terms “blockade”, “ethnic cleansing” and “crisis”.",
     "ethnic cleansing", "term", None, None),
    # a headline that names its speaker after the quote
    ("‘Karabakh is Azerbaijan’: Erdoğan marks the anniversary\n\nBody.", "Karabakh is", "quotation", "Erdoğan",
     "Recep Tayyip Erdoğan"),
    # a statement whose opening mark is missing runs back to its paragraph's start
    ("The ministry issued a statement.\n\nOur forces disarmed the illegal formations and restored order,” "
     "Anar Eyvazov said.", "Our forces", "quotation", "Anar Eyvazov", None),
    # an outlet's credit line speaks for nobody
    ("The road was reopened, Trend reports.\n“The checkpoint works normally and traffic is calm.”",
     "The checkpoint", "quotation", None, None),
    # the outer reporting clause: the ministry's wording of what the ministers said
    ("The Russian Foreign Ministry said both ministers confirmed a “readiness for close coordination”.",
     "readiness", "quotation", "The Russian Foreign Ministry", None),
    ("Bayramov: “Azerbaijan and Armenia moved closer after the talks”\n\nBody.", "Azerbaijan and", "quotation",
     "Bayramov", "Jeyhun Bayramov"),
    ("Aliyev’s tweet read: “I am fortunate to have lived to see this day”.", "I am", "quotation", "Aliyev",
     "Ilham Aliyev"),
    ("At the same time, he defended the deal with Baku, saying “the agreement does not change our position”.",
     "the agreement", "quotation", "he", None),
    ("Alpine Mosvyan is still shaken by what she left behind.\n\n“We ran into a hangar and waited for hours.”",
     "We ran", "quotation", "Alpine Mosvyan", None),
    # a person named by role only is the person last introduced with that role and country
    ("“It is true,” Kremlin spokesperson Dmitry Peskov told reporters.\n\n“Indeed it is true,” the Kremlin "
     "Spokesman said.", "Indeed", "quotation", "Dmitry Peskov", "Dmitry Peskov"),
    ("The steps are wrong, Turkish President Recep Tayyip Erdogan said.\n\n“We do not approve of this, this is "
     "unacceptable,” the Turkish leader said.", "We do not", "quotation", "Recep Tayyip Erdogan",
     "Recep Tayyip Erdoğan"),
    ("Armenian Foreign Minister Ararat Mirzoyan met Foreign Minister of Azerbaijan Jeyhun Bayramov.\n\n“The talks "
     "were useful,” the Azerbaijani minister said.", "The talks", "quotation", "Jeyhun Bayramov", "Jeyhun Bayramov"),
    ("“We are ready for peace talks,” the Armenian premier said.\n\nPrime Minister Nikol Pashinyan spoke in Yerevan.",
     "We are ready", "quotation", "Nikol Pashinyan", "Nikol Pashinyan"),  # a headline: the holder named after it
    # "he" is never someone named inside a quotation
    ("Russian Foreign Minister Sergey Lavrov has said the corridor was never discussed.\n\n“It was never agreed by "
     "President Putin and President Aliyev,” he said.", "It was never", "quotation", "Sergey Lavrov",
     "Sergey Lavrov"),
    # someone whose words are reported after the last quotation takes the floor for "he"
    ("“We will help,” Pashinyan said.\nDeputy Prime Minister Tigran Khachatryan said that many have no cars.\n"
     "“We have an agreement to provide buses,” he said.", "We have an", "quotation",
     "Deputy Prime Minister Tigran Khachatryan", None),
    ("“Turkey stands by Azerbaijan,” Çavuşoğlu added.\n\nKurtulmuş also declared Turkey's full support.\n\n“Any "
     "attack on Azerbaijan is an attack on us,” he said.", "Any attack", "quotation", "Kurtulmuş", None),
    ("“Help is coming,” Pashinyan said.\nThe senior diplomats also voiced their frustration about what they deem a "
     "“diplomatic deadlock” in the talks.", "diplomatic", "quotation", "The senior diplomats", None),
    # the object of "with" before the verb is not its subject
    ("Antony Blinken in a telephone conversation with Azerbaijani President Ilham Aliyev emphasized the “urgent "
     "need” to ensure free transit.", "urgent", "quotation", "Antony Blinken", "Antony Blinken"),
    # a statement noun points to who issued it; an outlet's credit never takes the floor
    ("President Ilham Aliyev announced the news on Twitter.\n\n“The army has liberated twenty villages today,” the "
     "tweet reads.", "The army", "quotation", "President Ilham Aliyev", "Ilham Aliyev"),
    ("“We will prosecute them,” the Prosecutor General Kamran Aliyev said, Trend reports.\n\nHe spoke in Khankendi."
     "\n\n“All their rights have been secured,” he said.", "All their", "quotation", "the Prosecutor General Kamran "
     "Aliyev", None),
    # "one of them, NAME, wrote"; a conjunction opening the reported clause; an adverb before the verb
    ("“Who is he to sign a decree in Yerevan?” one of them, Artur Hovannisian, wrote on Facebook.", "Who is",
     "quotation", "Artur Hovannisian", None),
    ("Foreign Minister Jeyhun Bayramov said that although the process is intensive, the results are poor and "
     "“there are more talks than results”.", "there are more", "quotation", "Foreign Minister Jeyhun Bayramov",
     "Jeyhun Bayramov"),
    ("Hikmet Hajiyev strongly reiterated the position of Baku.\n\n“Azerbaijan has the right to protect its "
     "sovereignty,” he said.", "Azerbaijan has", "quotation", "Hikmet Hajiyev", "Hikmet Hajiyev"),
    # "it" points back before itself, and never to a possessive ("Armenia’s request")
    ("The court said it rejected Armenia’s request. It said that Azerbaijan must report: “The report shall be "
     "communicated to the parties in due course.”", "The report", "quotation", "The court", None),
    # "X quoted him as saying"; a statement's owner before "statement that"; a person after a body's name
    ("Erdogan visited Baku on Monday.\n\n“The corridor will strengthen the whole region,” Turkish media quoted him "
     "as saying.", "The corridor", "quotation", "Erdogan", "Recep Tayyip Erdoğan"),
    ("Zakharova commented on Azerbaijani President Ilham Aliyev’s statement that “Karabakh is recognized by the "
     "entire world as part of Azerbaijan”.", "Karabakh is", "quotation", "Azerbaijani President Ilham Aliyev",
     "Ilham Aliyev"),
    ("“UNHCR is stepping up its support,” said Filippo Grandi.\nInternational Committee of the Red Cross "
     "representative Hicham Diab said there was a massive need.\n“Families arrive with weak children,” he said.",
     "Families", "quotation", "Hicham Diab", None),
    ("Moscow is not discussing the withdrawal, a diplomatic source told RIA Novosti.\n\n“The reports do not "
     "correspond to reality at all,” he said.", "The reports", "quotation", "a diplomatic source", None),
    ("“Peace is near,” Michel said.\n“Nothing is agreed yet,” a senior EU diplomat told Politico.", "Nothing is",
     "quotation", "a senior EU diplomat", None),  # an indefinite description is someone new
    ("Georgian Prime Minister Irakli Garibashvili met both leaders.\n\n“We are ready to host the talks,” the top "
     "official said.", "We are ready", "quotation", "Irakli Garibashvili", "Irakli Garibashvili"),
    # a pronoun's body or group within its paragraph; an outlet's credit after a quoted title names nobody
    ("The Armenian government said that 6,650 people crossed by 5 p.m. local time. It pledged to house those who "
     "“do not have a predetermined place of residence”.", "do not have", "quotation", "The Armenian government", None),
    ("Karabakh authorities said all civilians would be evacuated. They pledged to “provide very soon information "
     "about the relocation”.", "provide very", "quotation", "Karabakh authorities", None),
    ("The platform aired the project “Dialogue with Tofig Abbasov”, Trend reports.\nThe guest was Artur Agajanov.\n"
     "Speaking about the measures, he said it was forced.\n“Not all Armenians accepted the separatist regime "
     "here,” he said.", "Not all", "quotation", "he", None),
    # the object of "met" is not whom "he" points to; "he noted that X explains" is his statement
    ("“Trade will grow,” Erdogan said.\nThe remarks come after his visit, where he met his Azerbaijani counterpart "
     "Ilham Aliyev.\n“We hope to turn our region into a basin of peace,” he added.", "We hope", "quotation",
     "Erdogan", "Recep Tayyip Erdoğan"),
    ("“The road is blocked,” Nikol Pashinyan said.\n\nHe noted that Azerbaijan explains this with military cargo. "
     "“This information does not correspond to reality at all.”", "This information", "quotation",
     "Nikol Pashinyan", "Nikol Pashinyan"),
    ("“It is true,” Kremlin spokesman Dmitry Peskov said.\n“It is over,” said the press secretary of the President "
     "of Russia.", "It is over", "quotation", "Dmitry Peskov", "Dmitry Peskov"),
    ("“This is my house,” said one resident as he set it on fire.", "This is my", "quotation", "one resident", None),
    # a quote in an earlier verb's reported clause when the last "verb" names nobody (dev7, issue 13)
    ("The ministry has reported that during the night, fighting continued with ‘various intensity’ near Martuni.",
     "various intensity", "quotation", "The ministry", None),
    ("They said that the media have been spreading fake news about the alleged \"blockade\" of the city.",
     "blockade", "quotation", "They", None),
    # not noun phrases naming someone: no speaker (unattributed, not wrongly attributed)
    ("Nothing changed despite the agreement was “signed in good faith by both sides of the war”.",
     "signed", "quotation", None, None),
]


@pytest.mark.parametrize("text, opening, kind, speaker, actor", SHAPES)
def test_reporting_clauses(text, opening, kind, speaker, actor):
    spans = crafted(text)
    row = spans[spans["text"].str.startswith(opening)].iloc[0]
    assert row["kind"] == kind, row["attribution"]
    if speaker is None:
        assert pd.isna(row["speaker"]), (row["speaker"], row["attribution"])
    else:
        assert row["speaker"] == speaker, row["attribution"]
    got_actor = row["speaker_actor"] if pd.notna(row["speaker_actor"]) else None
    if actor is not None:
        assert got_actor == actor, row["attribution"]


def test_no_speaker_that_is_not_a_noun_phrase():
    spans = crafted("It failed because I included the “wrong figures in the final table of the report”. "
                    "Despite the agreement was “a good step”, fighting resumed.")
    assert spans["speaker"].isna().all()


def test_a_paragraph_left_open_continues_the_statement():
    spans = crafted("The ministry of defence said in a statement:\n\n“Our units are taking all necessary measures "
                    "against the provocation.\n\n“The situation is under full control,” the statement said.")
    assert len(spans) == 2
    assert spans["kind"].eq("quotation").all()
    assert spans.iloc[0]["attribution"].startswith("speaker + verb before")
    assert spans.iloc[0]["speaker"] == spans.iloc[1]["speaker"] == "The ministry of defence"


@pytest.mark.parametrize("mark_open, mark_close", [("“", "”"), ('"', '"')])
def test_a_statement_over_paragraphs_with_marks_only_at_its_ends(mark_open, mark_close):
    text = (f"The ministry issued a statement.\n\n{mark_open}We have restored the constitutional order in the region "
            "today.\n\nThe units of the Armenian armed forces were disarmed and withdrawn from our territories.\n\n"
            f"Civilians in the liberated territories are safe and well protected,{mark_close} Anar Eyvazov said.\n\n"
            "The road stayed closed.")
    spans = crafted(text)
    assert len(spans) == 3 and set(spans["kind"]) == {"quotation"} and set(spans["speaker"]) == {"Anar Eyvazov"}
    assert spans["text"].iloc[1].startswith("The units")  # the middle paragraph, with no mark of its own
    # the straight closing mark after "protected," closes the statement; it opens nothing
    assert not spans["text"].str.contains("Anar Eyvazov said").any()
    assert "The road" not in " ".join(spans["text"])


def test_single_quotes_open_only_after_a_non_word_character():
    import re

    from analysis.framing.quotes import _QUOTES
    first_written = {"curly single": re.compile(r"(?<!\w)‘(?P<inner>(?:[^‘’\n]|’(?=\w))+)’(?!\w)"),
                     "straight single": re.compile(r"(?<!\w)'(?P<inner>(?:[^'\n]|'(?=\w))+)'(?!\w)")}
    text = ("‘start’ of text, x‘glued’ ‘peacekeepers’ don’t ‘a’b’ c’ 'one' it's 'two'x 'three' o'clock "
            "'don't' ‘nested ‘inner’ outer’ \n‘line\nbreak’ ‘’ ''")
    for style, pattern in _QUOTES:
        if style in first_written:
            assert [(m.span(), m.group("inner")) for m in pattern.finditer(text)] == \
                   [(m.span(), m.group("inner")) for m in first_written[style].finditer(text)]


