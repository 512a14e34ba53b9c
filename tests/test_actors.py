"""Actor mentions: one canonical actor across spellings, transliterations, possessives and metonyms."""
import pandas as pd
import pytest

import analysis
from analysis.actors import GAZETTEER_COLUMNS, read_gazetteer

KNOWN = {
    "person": {"Ann Linde", "António Guterres", "Arayik Harutyunyan", "Davit Babayan", "Dmitry Peskov",
               "Hikmet Hajiyev", "Ilham Aliyev", "Jeyhun Bayramov", "Maria Lvova-Belova", "Nikol Pashinyan",
               "Onik Gasparyan", "Peter Stano", "Recep Tayyip Erdoğan", "Robert Kocharyan", "Serzh Sargsyan",
               "Vitaly Balasanyan", "Vladimir Putin", "Vladimir Socor"},
    "state": {"Armenia", "Azerbaijan", "Belarus", "France", "Moldova", "Russia", "Soviet Union", "Turkey",
              "Ukraine", "United States"},
    "territory": {"Nagorno-Karabakh", "Abkhazia", "South Ossetia", "Transnistria", "Donbas", "South Caucasus"},
    "place": {"Stepanakert", "Askeran", "Lachin corridor", "The Hague"},
    "organisation": {"Collective Security Treaty Organization", "Organization for Security and Co-operation in Europe",
                     "OSCE Minsk Group", "United Nations", "International Criminal Court", "European Union",
                     "Jamestown Foundation", "Eurasia Daily Monitor", "Artsakh Justice Party", "TASS",
                     "Russian peacekeeping contingent", "Artsakh Defense Army", "News.am", "Artsakhpress",
                     "Armenian Apostolic Church", "Caliber.az", "PanARMENIAN.Net"},
}


def surfaces(mentions, actor):
    return set(mentions.loc[mentions["actor"] == actor, "surface"])


def test_columns_and_offsets(seed_docs, seed_mentions, seed_sentences):
    assert list(seed_mentions.columns) == ["doc_id", "source", "sentence_id", "actor", "actor_type", "affiliation",
                                           "surface", "variant", "variant_kind", "start", "end"]
    texts = seed_docs.set_index("doc_id")["text"]
    spans = seed_sentences.set_index(["doc_id", "sentence_id"])
    for m in seed_mentions.itertuples():
        assert texts[m.doc_id][m.start:m.end] == m.surface
        sentence = spans.loc[(m.doc_id, m.sentence_id)]
        assert sentence["start"] <= m.start and m.end <= sentence["end"]
    assert set(seed_mentions["actor_type"]) <= {"person", "state", "organisation", "place", "territory"}


def test_transliterations_resolve_to_one_person(seed_mentions):
    assert {"Balasanyan", "Vitaly Balasanyan", "Balasanian", "Vitaly Balasanian", "Balasanian’s"} <= \
        surfaces(seed_mentions, "Vitaly Balasanyan")
    assert {"Arayik Harutyunyan", "Araiyk Harutiunian", "Haraik Harutiunian", "Harutiunian"} <= \
        surfaces(seed_mentions, "Arayik Harutyunyan")
    assert {"Pashinyan", "Nikol Pashinyan", "Pashinian", "Nikol Pashinian", "Pashinian’s", "Pashinyan’s"} <= \
        surfaces(seed_mentions, "Nikol Pashinyan")
    assert {"Serzh Sargsyan", "Serge Sarkisian"} <= surfaces(seed_mentions, "Serzh Sargsyan")
    assert {"Robert Kocharian"} <= surfaces(seed_mentions, "Robert Kocharyan")
    # the same person is found in the outlets that spell him differently
    assert set(seed_mentions.loc[seed_mentions["actor"] == "Vitaly Balasanyan", "doc_id"]) == {"000", "001", "002"}


def test_metonyms_and_names_of_places(seed_mentions):
    assert {"Moscow", "Moscow’s", "Kremlin", "Russian Federation", "Russia", "Russia’s"} <= surfaces(seed_mentions, "Russia")
    assert {"Baku", "Baku’s", "Azerbaijan"} <= surfaces(seed_mentions, "Azerbaijan")
    assert {"Yerevan", "Armenia"} <= surfaces(seed_mentions, "Armenia")
    assert {"Stepanakert", "Khankendi"} <= surfaces(seed_mentions, "Stepanakert")
    territory = surfaces(seed_mentions, "Nagorno-Karabakh")
    assert {"Artsakh", "Nagorno-Karabakh", "Upper Karabakh", "Karabakh", "Karabakh’s", "Garabagh", "NK"} <= territory
    kinds = seed_mentions.drop_duplicates("variant").set_index("variant")["variant_kind"]
    assert kinds["Kremlin"] == "metonym" and kinds["Yerevan"] == "metonym"


def test_longest_match_wins(seed_mentions):
    # "Nagorno-Karabakh" is one mention, not also a "Karabakh" inside it
    spans = seed_mentions[["doc_id", "start", "end"]].sort_values(["doc_id", "start"])
    for _, group in spans.groupby("doc_id"):
        assert (group["start"].to_numpy()[1:] >= group["end"].to_numpy()[:-1]).all()
    ndf = seed_mentions[seed_mentions["surface"].isin(["Karabakh Defense Forces", "Karabakh Defense Army"])]
    assert set(ndf["actor"]) == {"Artsakh Defense Army"}


def test_outlets_name_the_territory_differently(seed_mentions):
    """The framing question in miniature: which name for Karabakh does each outlet use?"""
    territory = seed_mentions[seed_mentions["actor"] == "Nagorno-Karabakh"]
    by_source = territory.groupby("source")["variant"].agg(set)
    assert "Garabagh" in by_source["Caliber.az"] and "Artsakh" not in by_source["Caliber.az"]
    assert "Artsakh" in by_source["Jamestown Foundation"]
    assert "NK" in by_source["OpsLens"]
    city = seed_mentions[seed_mentions["actor"] == "Stepanakert"].groupby("source")["variant"].agg(set)
    assert city["Caliber.az"] == {"Khankendi"}
    assert city["OpsLens"] == {"Stepanakert"}


def test_demonyms_only_on_request(seed_docs, seed_sentences, seed_mentions):
    assert "demonym" not in set(seed_mentions["variant_kind"])
    with_demonyms = analysis.mentions(seed_docs, include_demonyms=True, sents=seed_sentences)
    demonyms = with_demonyms[with_demonyms["variant_kind"] == "demonym"]
    assert {"Russian", "Armenian", "Azeri"} <= set(demonyms["surface"])
    assert len(with_demonyms) > len(seed_mentions)


def test_every_seed_actor_is_covered(seed_docs):
    """Everyone and everything the five raw files name, boilerplate included, is in the gazetteer."""
    raw = seed_docs.assign(text=seed_docs["raw"])
    found = analysis.mentions(raw, include_demonyms=True)  # Turkey is only ever "Turkish" in the seeds
    for actor_type, expected in KNOWN.items():
        got = set(found.loc[found["actor_type"] == actor_type, "actor"])
        assert expected <= got, (actor_type, expected - got)


def test_given_name_alone_is_not_a_mention():
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"],
                         "text": ["Robert and Nikol met Serzh. Later Arayik Haratiunian spoke."]})
    found = analysis.mentions(docs)
    assert list(found["surface"]) == ["Arayik Haratiunian"]
    assert list(found["actor"]) == ["Arayik Harutyunyan"]


def test_hyphen_compounds_and_word_boundaries():
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"],
                         "text": ["The Karabakh-based party and Russia-led bloc; USAID is not US; Russians."]})
    found = analysis.mentions(docs)
    assert list(zip(found["surface"], found["actor"])) == [
        ("Karabakh", "Nagorno-Karabakh"), ("Russia", "Russia"),
        ("USAID", "United States Agency for International Development"), ("US", "United States")]


def test_gazetteer_is_valid_and_composed():
    g = read_gazetteer()
    assert list(g.columns) == GAZETTEER_COLUMNS
    assert g["variant"].is_unique
    composed = set(g.loc[g["note"] == "composed: given name + surname", "variant"])
    assert {"Serge Sarkisian", "Haraik Harutiunian", "Araiyk Harutiunian", "Nikol Pashinian"} <= composed
    assert "given_name" not in set(g["variant_kind"])


def test_custom_gazetteer_and_bad_gazetteers(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("actor,actor_type,affiliation,variant,variant_kind,note\n"
                    "Nagorno-Karabakh,territory,,Qarabağ,name,\n", encoding="utf-8")
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"], "text": ["Qarabağ and Karabakh."]})
    found = analysis.mentions(docs, read_gazetteer(path))
    assert list(found["surface"]) == ["Qarabağ"]

    path.write_text("actor,actor_type,affiliation,variant,variant_kind,note\n"
                    "Baku,city,,Baku,name,\n", encoding="utf-8")
    with pytest.raises(analysis.CorpusError, match=r"row 2: actor_type 'city'"):
        read_gazetteer(path)
    path.write_text("actor,actor_type,affiliation,variant,variant_kind,note\n"
                    "Russia,state,,Moscow,metonym,\nMoscow (city),place,,Moscow,name,\n", encoding="utf-8")
    with pytest.raises(analysis.CorpusError, match="'Moscow' maps to several actors"):
        read_gazetteer(path)
    path.write_text("actor,type\nRussia,state\n", encoding="utf-8")
    with pytest.raises(analysis.CorpusError, match="lacks column"):
        read_gazetteer(path)


def test_split_scan_is_the_whole_patterns_scan():
    """Capitalised variants are scanned with one pattern, lower-case ones looked up where they occur; overlaps
    between the two (“the Hague” over “Hague”) fall back to the whole pattern. Same matches as the whole."""
    from analysis.actors import _find_mentions, _matcher, _scanner
    variants = tuple(sorted(["The Hague", "the Hague", "Hague", "twitter", "Twitter", "Russia", "U.S.", "U.S.A",
                             "eastern Ukraine", "Ukraine", "x", "İlham", "Russian"]))
    assert _scanner(variants).rare == ("eastern Ukraine", "the Hague", "twitter", "x")
    texts = ["", "the Hague", "In the Hague, Hague and The Hague’s court", "twitter and Twitter’s x-ray, x",
             "eastern Ukraine and Ukraine's eastern Ukraine", "U.S.A. and U.S. and U.S.S.R", "Russia_ Russia9 _Russia",
             "İlham’s the Hagueish thex Russian", "“Russia”—Russia’s—twitter’s", "x", "xx x x"]
    for text in texts:
        assert _find_mentions(text, _scanner(variants)) == \
               [(m.start(), m.end(), m.group(0), m.group(1)) for m in _matcher(variants).finditer(text)], text


def test_an_edited_gazetteer_file_is_read_again(tmp_path):
    path = tmp_path / "actors.csv"
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"], "text": ["Baku and Yerevan."]})
    path.write_text("actor,actor_type,affiliation,variant,variant_kind,note\n"
                    "Azerbaijan,state,,Baku,metonym,\n", encoding="utf-8")
    assert list(analysis.mentions(docs, read_gazetteer(path))["actor"]) == ["Azerbaijan"]
    path.write_text("actor,actor_type,affiliation,variant,variant_kind,note\n"
                    "Armenia,state,,Yerevan,metonym,\n", encoding="utf-8")        # same size, new content
    assert list(analysis.mentions(docs, read_gazetteer(path))["actor"]) == ["Armenia"]
    mine = read_gazetteer(path)
    mine.loc[0, "actor"] = "changed"                                               # callers get a copy
    assert read_gazetteer(path).loc[0, "actor"] == "Armenia"


def test_mentions_come_by_doc_id_then_offset():
    """Rows are ordered by doc_id, then start, whatever the order of the documents (repeated doc_ids too)."""
    texts = ["Russia and Armenia.", "Baku said: Armenia.", "Armenia, then Russia."]
    for doc_ids in (["b", "c", "a"], ["b", "a", "b"]):
        docs = pd.DataFrame({"doc_id": doc_ids, "source": ["s"] * 3, "text": texts})
        found = analysis.mentions(docs)
        assert found.equals(found.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True))
        assert sorted(zip(found["doc_id"], found["surface"])) == sorted(
            (d, s) for d, t in zip(doc_ids, texts) for s in ("Russia", "Armenia", "Baku") if s in t)
