"""User dictionaries in quanteda's formats (YAML, LIWC .dic), CSV and dicts: reading, lookup, counts."""
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.framing.dictionary import dictionary_counts, dictionary_matches, read_dictionary
from analysis.errors import CorpusError, CorpusWarning
from analysis.framing.frames import DEFAULT_FRAMES

DATA = Path(__file__).parent / "data" / "dictionaries"

DOCS = pd.DataFrame({
    "doc_id": ["d1", "d2", "d3"],
    "source": ["S1", "S2", "S2"],
    "text": ["Growth returned and the economy is recovering. The recession is over.",
             "Shelling continued despite the ceasefire. Unemployment rose.",
             "Nothing happened here."],
})


def counts(found: pd.DataFrame, docs: pd.DataFrame = DOCS) -> dict[tuple[str, str], int]:
    table = dictionary_counts(found, docs)
    return {(s, k): c for s, k, c in zip(table["source"], table["key"], table["count"])}


# --- reading -------------------------------------------------------------------------------------------------------

def test_yaml_two_levels_tidy_rows():
    d = read_dictionary(DATA / "economy.yml")
    assert list(d.columns) == ["key", "level1", "level2", "pattern", "exclude"]
    assert list(d["key"]) == ["economy.positive"] * 2 + ["economy.negative"] * 2 + ["security"] * 2
    assert list(d["pattern"]) == ["growth", "recover*", "recession", "unemploy*", "ceasefire", "shell*"]
    assert list(d["level2"]) == ["positive", "positive", "negative", "negative", "", ""]
    assert (d["exclude"] == "").all()


def test_dict_gives_the_same_table_as_yaml():
    d = read_dictionary({"economy": {"positive": ["growth", "recover*"], "negative": ["recession", "unemploy*"]},
                         "security": ["ceasefire", "shell*"]})
    pd.testing.assert_frame_equal(d, read_dictionary(DATA / "economy.yml"))


def test_yaml_as_quanteda_writes_it(tmp_path):
    # as.yaml: a key with sub-keys keeps its own patterns under "__"; a single pattern may be a scalar
    (tmp_path / "d.yml").write_text('economy:\n  positive:\n  - growth\n  __:\n  - econom*\nwar: "shell*"\n')
    d = read_dictionary(tmp_path / "d.yml")
    assert list(zip(d["key"], d["pattern"])) == [("economy.positive", "growth"), ("economy", "econom*"),
                                                 ("war", "shell*")]


def test_liwc_categories():
    d = read_dictionary(DATA / "sample.dic")
    assert list(d.columns) == ["key", "level1", "pattern", "exclude"]
    by_key = d.groupby("key")["pattern"].apply(list).to_dict()
    assert by_key == {"posemo": ["peace", "cease fire"], "negemo": ["war"], "conflict": ["war", "attack*"]}
    assert list(dict.fromkeys(d["key"])) == ["posemo", "negemo", "conflict"]  # the header's order


def test_liwc_hierarchy_and_quanteda_quirks(tmp_path):
    # LIWC 2015: tab-indented categories nest; a parenthesised note and an <of> line are ignored (with warnings)
    (tmp_path / "h.dic").write_text(
        "%\n1\taffect\t(Affective processes)\n\t2\tposemo\n\t3\tnegemo\n4\tsocial\n%\n"
        "feel*\t1\nhappy\t1\t2\nsad\t3\nfriend*\t4\nlike\t(02 134)4\nkind <of>\t4\n")
    with pytest.warns(CorpusWarning):
        d = read_dictionary(tmp_path / "h.dic")
    assert set(zip(d["key"], d["pattern"])) == {("affect", "feel*"), ("affect", "happy"),
                                                ("affect.posemo", "happy"), ("affect.negemo", "sad"),
                                                ("social", "friend*"), ("social", "like")}


def test_csv_with_exclusions():
    d = read_dictionary(DATA / "economy.csv")
    assert list(d["exclude"]) == ["economic region*", "investigat*", ""]


# --- lookup --------------------------------------------------------------------------------------------------------

def test_yaml_counts_by_hand():
    found = dictionary_matches(DOCS, DATA / "economy.yml")
    assert list(found.columns) == ["doc_id", "source", "sentence_id", "key", "pattern", "match", "start", "end",
                                   "sentence"]
    assert counts(found) == {("S1", "economy.positive"): 2, ("S1", "economy.negative"): 1, ("S1", "security"): 0,
                             ("S2", "economy.positive"): 0, ("S2", "economy.negative"): 1, ("S2", "security"): 2}
    row = found[found["match"] == "recession"].iloc[0]
    assert (row["sentence_id"], row["sentence"]) == (2, "The recession is over.")
    assert DOCS.loc[0, "text"][row["start"]:row["end"]] == "recession"
    table = dictionary_counts(found, DOCS)
    s1 = table[(table["source"] == "S1") & (table["key"] == "economy.positive")].iloc[0]
    # d1: 11 words; both positive matches in sentence 1
    assert (s1["n_sentences"], s1["n_words"]) == (1, 11)
    assert s1["per_1000_words"] == pytest.approx(2 / 11 * 1000)
    s2 = table[(table["source"] == "S2") & (table["key"] == "security")].iloc[0]
    assert (s2["n_sentences"], s2["n_words"]) == (1, 10)  # d2 7 words + d3 3 words


def test_levels_truncate_keys_as_quanteda():
    top = dictionary_matches(DOCS, DATA / "economy.yml", levels=1)
    assert counts(top) == {("S1", "economy"): 3, ("S1", "security"): 0, ("S2", "economy"): 1, ("S2", "security"): 2}
    # levels=2: only the second-level names; "security" has no second level, so it is not looked up
    second = dictionary_matches(DOCS, DATA / "economy.yml", levels=2)
    assert counts(second) == {("S1", "positive"): 2, ("S1", "negative"): 1, ("S2", "positive"): 0,
                              ("S2", "negative"): 1}
    both = dictionary_matches(DOCS, DATA / "economy.yml", levels=[1, 2])
    assert counts(both) == counts(dictionary_matches(DOCS, DATA / "economy.yml"))


def test_truncated_key_counts_overlaps_once():
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"], "text": ["A cease fire held; the fire spread."]})
    d = {"war": {"truce": ["cease fire"], "violence": ["fire"]}}
    assert sorted(dictionary_matches(docs, d)["match"]) == ["cease fire", "fire", "fire"]  # two keys, both count
    assert list(dictionary_matches(docs, d, levels=1)["match"]) == ["cease fire", "fire"]  # one key: longest wins


def test_liwc_word_in_two_categories_counts_in_both():
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"],
                         "text": ["The war ended in peace. Troops attacked and attacks followed a cease fire."]})
    found = dictionary_matches(docs, DATA / "sample.dic")
    assert counts(found, docs) == {("s", "posemo"): 2, ("s", "negemo"): 1, ("s", "conflict"): 3}
    assert sorted(found.loc[found["key"] == "conflict", "match"]) == ["attacked", "attacks", "war"]


def test_excluded_false_friend_not_counted():
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"],
                         "text": ["Investigators say the Karabakh economic region saw investment. The economy grew."]})
    found = dictionary_matches(docs, DATA / "economy.csv")
    assert list(found.loc[found["key"] == "economy", "match"]) == ["investment", "economy"]


def test_valuetypes_and_case():
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"], "text": ["Tax, taxes and TAXATION; the tax* form."]})
    assert list(dictionary_matches(docs, {"t": ["tax*"]})["match"]) == ["Tax", "taxes", "TAXATION", "tax"]
    assert list(dictionary_matches(docs, {"t": ["tax?s"]})["match"]) == ["taxes"]
    assert list(dictionary_matches(docs, {"t": ["tax*"]}, valuetype="fixed")["match"]) == ["tax*"]
    assert list(dictionary_matches(docs, {"t": [r"tax(es)?"]}, valuetype="regex")["match"]) == ["Tax", "taxes", "tax"]
    assert list(dictionary_matches(docs, {"t": ["tax*"]}, case_sensitive=True)["match"]) == ["taxes", "tax"]


def test_counts_include_unmatched_keys_and_groups():
    docs = pd.DataFrame({"doc_id": ["x", "y"], "source": ["s", "t"], "text": ["Peace now.", "Nothing."]})
    table = dictionary_counts(dictionary_matches(docs, DATA / "sample.dic"), docs)
    assert len(table) == 6 and table["count"].sum() == 1
    assert (table.loc[table["source"] == "t", "count"] == 0).all()


# --- malformed input -----------------------------------------------------------------------------------------------

def test_bad_yaml_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("economy:\n  positive:\n    - growth\n  negative: [recession\n")
    with pytest.raises(CorpusError, match=r"bad\.yml, line \d+"):
        read_dictionary(bad)
    (tmp_path / "list.yml").write_text("- growth\n- recession\n")
    with pytest.raises(CorpusError, match=r"list\.yml, line 1: a dictionary is a mapping"):
        read_dictionary(tmp_path / "list.yml")
    (tmp_path / "empty.yml").write_text("economy: ''\n")
    with pytest.raises(CorpusError, match=r"empty\.yml, line 1: empty pattern"):
        read_dictionary(tmp_path / "empty.yml")


def test_liwc_unknown_category_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.dic"
    bad.write_text("%\n1\tposemo\n2\tnegemo\n%\npeace\t1\nwar\t2\t7\n")
    with pytest.raises(CorpusError, match=r"bad\.dic, line 6: word 'war' refers to category 7"):
        read_dictionary(bad)
    (tmp_path / "nohead.dic").write_text("peace\t1\n")
    with pytest.raises(CorpusError, match=r"nohead\.dic, line 1: .*two lines '%'"):
        read_dictionary(tmp_path / "nohead.dic")
    (tmp_path / "nonum.dic").write_text("%\n1\tposemo\n%\npeace\n")
    with pytest.raises(CorpusError, match=r"nonum\.dic, line 4: word 'peace' has no category"):
        read_dictionary(tmp_path / "nonum.dic")


def test_csv_problems_name_file_and_line(tmp_path):
    (tmp_path / "bad.csv").write_text("category,term,exclude\neconomy,econom*,\neconomy,,\n")
    with pytest.raises(CorpusError, match=r"bad\.csv, line 3: empty term"):
        read_dictionary(tmp_path / "bad.csv")
    (tmp_path / "veto.csv").write_text("category,term,exclude\neconomy,econom*,trade\n")
    with pytest.raises(CorpusError, match=r"veto\.csv, line 2: exclusion 'trade' does not contain"):
        read_dictionary(tmp_path / "veto.csv")


def test_empty_dictionary_is_an_error(tmp_path):
    (tmp_path / "e.yml").write_text("# nothing yet\n")
    with pytest.raises(CorpusError, match=r"e\.yml: the dictionary is empty"):
        read_dictionary(tmp_path / "e.yml")
    (tmp_path / "e.dic").write_text("%\n1\tposemo\n%\n")
    with pytest.raises(CorpusError, match=r"e\.dic: the dictionary is empty"):
        read_dictionary(tmp_path / "e.dic")
    with pytest.raises(CorpusError, match="empty"):
        read_dictionary({})


# --- the package's frame dictionary, as a user dictionary, on the seeds -----------------------------------------------

def test_frames_as_dictionary_match_frame_matches(tmp_path, seed_docs, seed_sentences, seed_tokens):
    frames = analysis.read_frame_dictionary(DEFAULT_FRAMES)
    csv = tmp_path / "frames.csv"
    pd.DataFrame({"category": frames["frame_type"] + "." + frames["frame"], "term": frames["term"],
                  "exclude": frames["exclude"]}).to_csv(csv, index=False)
    found = dictionary_matches(seed_docs, csv, sents=seed_sentences, levels=2)  # level 2 = the frame
    expected = analysis.frame_matches(seed_docs, sents=seed_sentences)
    assert len(expected) > 0
    key = ["doc_id", "sentence_id", "start", "end", "match"]
    pd.testing.assert_frame_equal(
        found.rename(columns={"key": "frame"})[key + ["frame"]].sort_values(key + ["frame"]).reset_index(drop=True),
        expected[key + ["frame"]].sort_values(key + ["frame"]).reset_index(drop=True), check_dtype=False)
    ours = dictionary_counts(found, seed_docs, toks=seed_tokens)
    theirs = analysis.frame_scores(seed_docs, sents=seed_sentences, toks=seed_tokens)
    merged = theirs.merge(ours, left_on=["source", "frame"], right_on=["source", "key"], how="left")
    assert len(merged) == len(theirs) and merged["key"].notna().all()
    assert (merged["n_sentences_x"] == merged["n_sentences_y"]).all()
    assert (merged["n_matches"] == merged["count"]).all()
    assert (merged["n_words_x"] == merged["n_words_y"]).all()
