"""Gazetteer coverage: the capitalised names no gazetteer entry resolves, per source, with an example."""
import pandas as pd
import pytest

import analysis
from analysis.text.coverage import UNRESOLVED_COLUMNS, unresolved_names

GAZETTEER = """actor,actor_type,affiliation,variant,variant_kind,note
Nikol Pashinyan,person,Armenia,Nikol Pashinyan,name,
Nikol Pashinyan,person,Armenia,Pashinyan,short,
Armenia,state,,Armenia,name,
Armenia,state,,Armenian,demonym,
Armenia,state,,Armenians,demonym,
Russia,state,,Russia,name,
Russia,state,,Russian,demonym,
Yerevan,place,Armenia,Yerevan,name,
"""

TEXTS = [
    ("d1", "A", "Samvel Shahramanyan met Nikol Pashinyan in Yerevan. The meeting was short.\n\n"
                "Yesterday the prime minister spoke. Armenian Prime Minister Nikol Pashinyan left."),
    ("d2", "A", "In Yerevan, Samvel Shahramanyan spoke again on September 19. But the talks stalled. "
                "The Yerevan State University staff and Yerevan State University students listened."),
    ("d3", "B", "Samvel Shahramanyan left. The Russian Foreign Ministry said the Russian Foreign Ministry would "
                "comment yesterday on foreign affairs. Armenians and Iranian officials watched from Goris. "
                "Overall, little changed."),
    ("d4", "B", "Reporters saw Shahramanyan’s office in Goris-based media. Overall, Goris was calm on Tuesday. "
                "Foreign Minister Ararat Mirzoyan spoke; Ararat Mirzoyan left."),
]


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory):
    path = tmp_path_factory.mktemp("gazetteer") / "actors.csv"
    path.write_text(GAZETTEER, encoding="utf-8")
    return analysis.read_gazetteer(path)


@pytest.fixture(scope="module")
def docs():
    return pd.DataFrame(TEXTS, columns=["doc_id", "source", "text"])


def test_an_unknown_repeated_name_is_counted_with_an_example(docs, gazetteer):
    table = unresolved_names(docs, gazetteer=gazetteer, by=None, min_count=1)
    assert list(table.columns) == UNRESOLVED_COLUMNS
    row = table.set_index("name").loc["Samvel Shahramanyan"]
    assert (row["n"], row["n_docs"], row["n_corpus"]) == (3, 3, 3)
    assert row["example_doc_id"] == "d1" and row["sentence_id"] == 1          # the first occurrence
    assert row["example"] == "Samvel Shahramanyan met Nikol Pashinyan in Yerevan."


def test_known_names_common_words_calendar_and_demonyms_are_left_out(docs, gazetteer):
    names = set(unresolved_names(docs, gazetteer=gazetteer, by=None, min_count=1)["name"])
    assert not names & {"Nikol Pashinyan", "Pashinyan", "Yerevan", "Nikol"}          # the gazetteer resolves them
    assert not names & {"The", "In", "But", "Yesterday"}      # stop words; a word also written in lower case
    assert not names & {"Overall", "Reporters"}                # only ever seen opening a sentence
    assert not names & {"September", "Tuesday"}
    assert not names & {"Armenians", "Iranian", "Armenian"}    # demonyms (the gazetteer's and the built-in list)
    # the title of a known name is no name; a demonym inside a longer name is part of it
    assert not names & {"Armenian Prime Minister", "Prime Minister", "Armenian Prime Minister Nikol Pashinyan"}
    assert "Russian Foreign Ministry" in names


def test_possessives_hyphens_titles_and_partly_known_names(docs, gazetteer):
    table = unresolved_names(docs, gazetteer=gazetteer, by=None, min_count=1).set_index("name")
    assert table.loc["Shahramanyan", "n"] == 1                 # "Shahramanyan’s": the possessive is dropped
    assert table.loc["Goris", "n"] == 3                        # "Goris-based" counts as Goris
    assert table.loc["Ararat Mirzoyan", "n"] == 2              # "Foreign Minister" is a title
    assert "Foreign Minister Ararat Mirzoyan" not in table.index
    # a name the gazetteer knows only part of is reported whole, with the part it knows
    assert table.loc["Yerevan State University", ["known", "n", "n_docs"]].tolist() == ["Yerevan", 2, 1]
    assert table.loc["Samvel Shahramanyan", "known"] == ""


def test_per_source_counts_and_min_count(docs, gazetteer):
    table = unresolved_names(docs, gazetteer=gazetteer, min_count=1)
    assert list(table.columns) == ["source", *UNRESOLVED_COLUMNS]
    rows = table.set_index(["source", "name"])
    assert rows.loc[("A", "Samvel Shahramanyan"), ["n", "n_docs", "n_corpus"]].tolist() == [2, 2, 3]
    assert rows.loc[("B", "Samvel Shahramanyan"), ["n", "n_docs"]].tolist() == [1, 1]
    assert rows.loc[("B", "Russian Foreign Ministry"), "n"] == 2
    assert rows.loc[("B", "Samvel Shahramanyan"), "example_doc_id"] == "d3"
    two = unresolved_names(docs, gazetteer=gazetteer)              # min_count=2
    assert set(zip(two["source"], two["name"])) == {
        ("A", "Samvel Shahramanyan"), ("A", "Yerevan State University"),
        ("B", "Goris"), ("B", "Russian Foreign Ministry"), ("B", "Ararat Mirzoyan")}
    assert two.loc[two["source"] == "B", "name"].tolist() == ["Goris", "Ararat Mirzoyan", "Russian Foreign Ministry"]


def test_output_is_deterministic_and_sorted(docs, gazetteer):
    table = unresolved_names(docs, gazetteer=gazetteer, min_count=1)
    shuffled = unresolved_names(docs.sample(frac=1, random_state=3), gazetteer=gazetteer, min_count=1)
    pd.testing.assert_frame_equal(table, shuffled)
    for _, part in table.groupby("source"):
        keys = list(zip(-part["n"], part["name"]))
        assert keys == sorted(keys)
    assert list(table["source"]) == sorted(table["source"])


def test_inputs_given_or_computed_agree_and_errors(docs, gazetteer, tmp_path):
    sents = analysis.sentences(docs)
    ments = analysis.mentions(docs, gazetteer, sents=sents)
    pd.testing.assert_frame_equal(unresolved_names(docs, ments, sents, gazetteer=gazetteer),
                                  unresolved_names(docs, gazetteer=gazetteer))
    path = tmp_path / "mine.csv"
    path.write_text(GAZETTEER, encoding="utf-8")
    pd.testing.assert_frame_equal(unresolved_names(docs, gazetteer=path), unresolved_names(docs, gazetteer=gazetteer))
    with pytest.raises(ValueError, match="no column 'side'"):
        unresolved_names(docs, gazetteer=gazetteer, by="side")
    empty = unresolved_names(docs.iloc[:0], gazetteer=gazetteer)
    assert empty.empty and list(empty.columns) == ["source", *UNRESOLVED_COLUMNS]
    no_name = pd.DataFrame({"doc_id": ["x"], "source": ["S"], "text": ["Overall, it rained. Overall, Armenians voted."]})
    assert unresolved_names(no_name, gazetteer=gazetteer, min_count=1).empty   # candidates found, none kept


def test_seed_corpus(seed_docs, seed_sentences, seed_mentions):
    table = unresolved_names(seed_docs, seed_mentions, seed_sentences, min_count=1)
    gazetteer = analysis.read_gazetteer()
    full_names = set(gazetteer.loc[gazetteer["variant_kind"].isin(["name", "spelling", "metonym"]), "variant"])
    assert len(table) and not set(table["name"]) & full_names   # nothing the gazetteer knows is listed
    assert (table["n_corpus"] >= table["n"]).all() and (table["n"] >= table["n_docs"]).all()
    sentences = seed_sentences.set_index(["doc_id", "sentence_id"])["text"]
    for row in table.itertuples():
        assert sentences[(row.example_doc_id, row.sentence_id)] == row.example
        assert row.name.split(" ")[0] in row.example
    # an actor taken out of the gazetteer comes back as names to add (Jamestown's spelling of Onik Gasparyan)
    without = gazetteer[gazetteer["actor"] != "Onik Gasparyan"]
    rows = unresolved_names(seed_docs, sents=seed_sentences, gazetteer=without).set_index(["source", "name"])
    assert rows.loc[("Jamestown Foundation", "Gasparian"), ["n", "n_docs", "example_doc_id"]].tolist() == [2, 1, "002"]
    assert "Gasparian" not in set(table["name"])
