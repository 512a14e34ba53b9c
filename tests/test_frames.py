"""Frame dictionary exclusions: each false friend found on real news must not match, its true use still must."""
import pandas as pd
import pytest

import analysis
from analysis.errors import CorpusError
from analysis.framing.frames import exclusion_problem, read_frame_dictionary


def matched(text: str, frame: str, dictionary: pd.DataFrame | None = None) -> list[str]:
    docs = pd.DataFrame({"doc_id": ["x"], "source": ["s"], "text": [text]})
    found = analysis.frame_matches(docs, dictionary=dictionary)
    return [m.lower() for m in found.loc[found["frame"] == frame, "match"]]


# (frame, false friend in a sentence, its word, true use in a sentence, its word)
FALSE_FRIENDS = [
    ("economic", "Investigators opened a criminal case.", "investigators",
     "Foreign investment in the region grew.", "investment"),
    ("economic", "Shelling hit villages in the Karabakh economic region.", "economic",
     "The blockade hurt the local economy.", "economy"),
    ("economic", "Fire was reported in Azerbaijan's East Zangezur economic region.", "economic",
     "Economic ties were discussed.", "economic"),
    ("economic", "Antonio Costa will chair the summit.", "costa",
     "The costs of reconstruction are high.", "costs"),
    ("economic", "We increasingly need our readers to fund our work.", "fund",
     "The fund pays for new roads.", "fund"),
    ("economic", "The team paid their respects to the fallen.", "paid",
     "Baku paid a billion dollars for the roads.", "paid"),
    ("economic", "Armenia built military infrastructure near the road.", "infrastructure",
     "The war destroyed homes and infrastructure.", "infrastructure"),
    ("economic", "Baku and Yerevan trade accusations.", "trade",
     "Trade across the border resumed.", "trade"),
    ("domestic_politics", "We call on the parties to exercise restraint.", "parties",
     "Opposition parties boycotted the vote.", "parties"),
    ("domestic_politics", "Both parties to the conflict must withdraw.", "parties",
     "Five parties entered parliament.", "parties"),
    ("domestic_politics", "Baku does not want a third party in the talks.", "party",
     "The ruling party lost its majority.", "party"),
    ("domestic_politics", "Yerevan handed the ambassador a protest note.", "protest",
     "Protesters in Yerevan demanded his resignation.", "protesters"),
    ("domestic_politics", "The European Parliament adopted a resolution.", "parliament",
     "The Armenian parliament ratified the deal.", "parliament"),
    ("domestic_politics", "The military campaign ended within a day.", "campaign",
     "The electoral commission counted the votes.", "electoral"),
    ("domestic_politics", "Gross domestic product fell.", "domestic",
     "Domestic critics blamed the prime minister.", "domestic"),
    ("morality", "The World Council of Churches called for peace.", "churches",
     "Churches in Shusha were damaged.", "churches"),
    ("morality", "Churchill is quoted in the editorial.", "churchill",
     "The church bells rang.", "church"),
    ("morality", "The sides should negotiate in good faith.", "faith",
     "Their faith sustained them.", "faith"),
    ("morality", "Troop morale was low.", "morale",
     "It is a moral duty.", "moral"),
    ("morality", "Talks were held in Islamabad.", "islamabad",
     "The Islamic heritage of Aghdam.", "islamic"),
    ("human_interest", "Such childish behaviour in diplomacy.", "childish",
     "Children were evacuated.", "children"),
    ("human_interest", "Many prominent personalities attended.", "personalities",
     "They left with their personal belongings.", "personal"),
    ("human_interest", "Armenian forces have suffered serious blows.", "suffered",
     "Families suffered from hunger.", "suffered"),
    ("human_interest", "They defended the fatherland.", "fatherland",
     "Her father stayed behind.", "father"),
    ("conflict", "The club could not host rival teams at home.", "rival",
     "The two rivals ignored calls for a ceasefire.", "rivals"),
    ("geopolitics", "The Western Azerbaijan Community issued a statement.", "western",
     "Western sanctions followed.", "western"),
    ("geopolitics", "Shelling hit the western part of the town.", "western",
     "Armenia turns to the West.", "the west"),
    ("legitimacy_sovereignty", "The car's occupants were unhurt.", "occupants",
     "Azerbaijan regained the occupied territories.", "occupied"),
    ("humanitarian", "The Black Sea Fleet was moved.", "fleet",
     "Refugees were fleeing the region.", "fleeing"),
    ("international_law", "Armenian fears may have been warranted.", "warranted",
     "The court issued an arrest warrant.", "warrant"),
    ("international_law", "The ministry blamed illegal Armenian armed formations.", "illegal",
     "Armenia called the checkpoint illegal.", "illegal"),
    ("international_law", "Remnants of illegal gangs were blamed.", "illegal",
     "The illegal transfer of weapons was stopped.", "illegal"),
]


@pytest.mark.parametrize("frame, false_text, false_word, true_text, true_word", FALSE_FRIENDS,
                         ids=[f"{f[0]}:{f[2]}" for f in FALSE_FRIENDS])
def test_false_friend_does_not_match_and_true_use_does(frame, false_text, false_word, true_text, true_word):
    assert false_word not in matched(false_text, frame)
    assert true_word in matched(true_text, frame)


def test_exclusions_are_case_insensitive_and_only_veto_matches_inside_them():
    text = "INVESTIGATORS said investment grew in the KARABAKH ECONOMIC REGION and the economy recovered."
    assert matched(text, "economic") == ["investment", "economy"]


def test_an_exclusion_belongs_to_its_own_term():
    dictionary = pd.DataFrame({"frame": ["economic", "naming"], "frame_type": ["generic", "issue"],
                               "term": ["econom*", "econom*"], "exclude": ["economic region*", ""]})
    text = "Villages of the Karabakh economic region."
    assert matched(text, "economic", dictionary) == []
    assert matched(text, "naming", dictionary) == ["economic"]


def test_the_exclude_column_is_optional(tmp_path):
    path = tmp_path / "frames.csv"
    path.write_text("frame,frame_type,term,note\neconomic,generic,invest*,x\n", encoding="utf-8")
    dictionary = read_frame_dictionary(path)
    assert list(dictionary["exclude"]) == [""]
    assert matched("Investigators and investors.", "economic", dictionary) == ["investigators", "investors"]


def test_every_packaged_exclusion_is_valid():
    dictionary = read_frame_dictionary()
    assert "exclude" in dictionary.columns
    assert (dictionary["exclude"] != "").sum() >= 30
    for term, exclude in zip(dictionary["term"], dictionary["exclude"]):
        assert exclusion_problem(term, exclude) is None


@pytest.mark.parametrize("exclude, message", [
    ("investor|", "empty exclusion"),
    ("investor||investigat*", "empty exclusion"),
    ("invest*", "is the term itself"),
    ("economic region", "does not contain the term"),
    ("in vest", "does not contain the term"),
])
def test_a_bad_exclusion_is_an_error_naming_file_and_row(tmp_path, exclude, message):
    path = tmp_path / "frames.csv"
    path.write_text("frame,frame_type,term,exclude,note\n"
                    "economic,generic,econom*,economic region*,fine\n"
                    f"economic,generic,invest*,{exclude},bad\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        read_frame_dictionary(path)
    assert str(err.value).startswith(f"{path}, row 3: ")
    assert message in str(err.value)
