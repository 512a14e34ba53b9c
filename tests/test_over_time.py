"""Periods, events and every measure over time, on a synthetic dated corpus whose trends are known.

Two outlets, 24 months (2021-2022), three documents per outlet and month, and three undated documents.
Planted: outlet "North" writes "Artsakh" in 2021 and "the Karabakh region of Azerbaijan" in 2022 (its
Armenian share goes 1 -> 0 at the event on 2022-01-01); outlet "South" always writes the latter. The
words "ceasefire" and "dispute" (conflict frame vocabulary) appear in every North sentence of 2022 and never
before.
Sentiment: North's sentences are positive in 2021 and negative in 2022.
"""
import pandas as pd
import pytest

import analysis
from analysis.corpus import periods
from analysis.framing import over_time

EVENT = "Planted change"


def _text(outlet: str, year: int, i: int) -> str:
    if outlet == "North" and year == 2021:
        return (f"Officials in Artsakh praised the wonderful new school number {i}. "
                f"Teachers in Artsakh said the harvest was excellent and happy.")
    if outlet == "North":
        return (f"The ceasefire dispute failed near the Karabakh region of Azerbaijan, a terrible loss. "
                f"Another ceasefire dispute collapsed and families mourned the horrible attack number {i}.")
    return (f"Reporters visited the Karabakh region of Azerbaijan for market day {i}. "
            f"Traders in the Karabakh region of Azerbaijan sold grain and cotton.")


@pytest.fixture(scope="module")
def dated():
    rows = []
    for outlet in ("North", "South"):
        for month in pd.period_range("2021-01", "2022-12", freq="M"):
            for i in range(3):
                rows.append({"doc_id": f"{outlet}-{month}-{i}", "source": outlet,
                             "date": month.start_time + pd.Timedelta(days=3 + i), "text": _text(outlet, month.year, i)})
    for i in range(3):
        rows.append({"doc_id": f"South-undated-{i}", "source": "South", "date": pd.NaT,
                     "text": _text("South", 2021, i)})
    docs = pd.DataFrame(rows)
    docs["date"] = docs["date"].astype("datetime64[ns]")
    sents, toks = analysis.parse(docs)
    return docs, sents, toks


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "events.csv"
    path.write_text("date,event,source_of_date\n2022-01-01,Planted change,the test\n"
                    "2021-07-01,Mid-2021,the test\n", encoding="utf-8")
    return periods.read_events(path)


def test_shipped_events_are_dated_and_sourced():
    events = periods.read_events()
    assert len(events) >= 12
    assert events["date"].is_monotonic_increasing
    assert (events["source_of_date"].str.len() > 10).all()
    wanted = {"2020-09-27", "2020-11-10", "2022-12-12", "2023-09-19"}
    assert wanted <= set(events["date"].dt.strftime("%Y-%m-%d"))


@pytest.mark.parametrize("body, message", [
    ("date,event\n2021-02-31,Impossible day\n", "row 2 (Impossible day)"),
    ("date,event\n2021-01-01,\n", "row 2: the event has no name"),
    ("date,event\n2021-01-01,A\n2021-02-01,A\n", "row 3: the event 'A' is already on row 2"),
    ("day,event\n2021-01-01,A\n", "needs the column(s) date"),
])
def test_bad_events_table_names_file_and_row(tmp_path, body, message):
    path = tmp_path / "my events.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        periods.read_events(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_periods_label_every_document_and_keep_the_undated(dated):
    docs, _, _ = dated
    for freq, first, n in (("M", "2021-01", 24), ("Q", "2021Q1", 8), ("Y", "2021", 2)):
        labelled = periods.by_period(docs, freq)
        assert list(labelled["period"].cat.categories[:1]) == [first]
        assert len(labelled["period"].cat.categories) == n + 1 and labelled["period"].cat.categories[-1] == "undated"
        assert (labelled["period"] == "undated").sum() == 3
        assert len(labelled) == len(docs)
    counts = periods.period_counts(periods.by_period(docs, "Q"))
    assert counts.set_index(["source", "period"]).loc[("North", "2021Q1"), "n_documents"] == 9
    assert counts.set_index(["source", "period"]).loc[("South", "undated"), "n_documents"] == 3
    assert counts.set_index(["source", "period"]).loc[("North", "undated"), "n_documents"] == 0


def test_empty_periods_between_dates_are_kept():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "source": ["X", "X"], "text": ["x", "y"],
                         "date": pd.to_datetime(["2021-01-05", "2021-04-02"])})
    assert list(periods.by_period(docs, "M")["period"].cat.categories) == [
        "2021-01", "2021-02", "2021-03", "2021-04", "undated"]


def test_phases_around_one_event_and_between_all_events(dated, events):
    docs, _, _ = dated
    phased = periods.by_event(docs, events, event=EVENT)
    assert phased.groupby("phase", observed=False).size().to_dict() == {"before": 72, "after": 72, "undated": 3}
    eras = periods.by_event(docs, events)
    assert list(eras["phase"].cat.categories) == [
        "before 2021-07-01 Mid-2021", "since 2021-07-01 Mid-2021", "since 2022-01-01 Planted change", "undated"]
    assert eras.groupby("phase", observed=False).size().tolist() == [36, 36, 72, 3]
    with pytest.raises(ValueError, match="no event 'Nope'"):
        periods.by_event(docs, events, event="Nope")
    assert periods.splitting_event(events, docs) in {EVENT, "Mid-2021"}


def test_naming_shares_follow_the_planted_switch(dated, events):
    docs, sents, _ = dated
    choices = analysis.naming_choices(docs, sents=sents)
    table = over_time.naming_shares_over_time(choices, periods.by_period(docs, "Y"), n_boot=200)
    north = table[(table["source"] == "North") & (table["referent"] == "territory")].set_index(
        ["period", "convention"])["share"]
    assert north[("2021", "armenian")] == 1.0 and north[("2022", "armenian")] == 0.0
    assert north[("2022", "azerbaijani")] == 1.0
    evidence = table.set_index(["source", "period", "referent", "convention"])["labels"]
    assert evidence[("North", "2021", "territory", "armenian")] == "Artsakh (72)"   # 36 documents x 2 sentences
    assert evidence[("North", "2022", "territory", "armenian")] == ""
    south = table[(table["source"] == "South") & (table["referent"] == "territory")]
    assert set(south["period"].astype(str)) == {"2021", "2022", "undated"}
    assert (south[south["convention"] == "azerbaijani"]["share"] == 1.0).all()
    assert (table["ci_low"] <= table["share"]).all() and (table["share"] <= table["ci_high"]).all()
    dated_cells = table["period"] != "undated"
    assert (table.loc[dated_cells, "resampled"] == "documents").all()   # 36 documents per cell
    assert (table.loc[~dated_cells, "resampled"] == "sentences").all()  # 3: too few to resample documents
    assert table["period_start"].notna().sum() == (table["period"] != "undated").sum()


def test_frame_shares_rise_where_planted(dated):
    docs, sents, _ = dated
    matches = analysis.frame_matches(docs, sents=sents)
    table = over_time.frame_shares_over_time(matches, sents, periods.by_event(docs, events=pd.DataFrame(
        {"date": pd.to_datetime(["2022-01-01"]), "event": [EVENT], "source_of_date": [""]}), event=EVENT),
        period="phase", frames=["conflict"], n_boot=200)
    cell = table.set_index(["source", "phase"])
    assert cell.loc[("North", "after"), "share"] == 1.0       # both sentences carry "dispute"
    assert cell.loc[("North", "before"), "share"] == 0.0
    assert cell.loc[("North", "after"), ["n_units", "n_documents"]].tolist() == [36 * 2, 36]
    # the evidence: the matches of the cell are the planted word
    north_after = matches[matches["doc_id"].str.startswith("North-2022") & (matches["frame"] == "conflict")]
    assert set(north_after["match"].str.lower()) == {"dispute"}


def test_sentiment_turns_negative_after_the_event(dated, events):
    docs, sents, _ = dated
    scores = analysis.sentence_sentiment(docs, sents)
    table = over_time.sentiment_over_time(scores, periods.by_event(docs, events, event=EVENT), period="phase",
                                          n_boot=200)
    north = table[(table["source"] == "North") & (table["measure"] == "vader_compound")].set_index("phase")
    assert north.loc["before", "mean"] > 0.3 and north.loc["after", "mean"] < -0.3
    assert north.loc["before", "ci_low"] > north.loc["after", "ci_high"]
    by_hand = scores[scores["doc_id"].str.startswith("North-2021")]["vader_compound"].mean()
    assert north.loc["before", "mean"] == pytest.approx(by_hand, abs=1e-12)


def test_term_rates_and_salience_by_hand(dated):
    docs, sents, toks = dated
    labelled = periods.by_period(docs, "Y")
    rates = over_time.term_rates_over_time(toks, ["ceasefire", "artsakh"], labelled, n_boot=200)
    words = toks[~toks["is_punct"] & toks["doc_id"].str.startswith("North-2022")]
    by_hand = (words["norm"] == "ceasefire").sum() / len(words) * 1000
    cell = rates.set_index(["source", "period", "term"])
    assert cell.loc[("North", "2022", "ceasefire"), "per_1000_words"] == pytest.approx(by_hand, abs=1e-9)
    assert cell.loc[("North", "2021", "ceasefire"), "per_1000_words"] == 0.0
    ments = analysis.mentions(docs, sents=sents)
    salience = over_time.salience_over_time(ments, sents, labelled, n_boot=200)
    assert set(salience["actor"]) and (salience["share_of_sentences"].between(0, 1)).all()


def test_what_changed_finds_the_planted_words(dated, events):
    docs, _, toks = dated
    changed = over_time.changed_terms(toks, periods.by_event(docs, events, event=EVENT))
    north = changed[changed["source"] == "North"]
    assert north.iloc[0]["term"] in {"ceasefire", "dispute", "karabakh", "region", "azerbaijan"}
    assert north.set_index("term").loc["ceasefire", "g2"] > 0
    assert north.set_index("term").loc["artsakh", "g2"] < 0
    corpus_wide = over_time.changed_terms(toks, periods.by_event(docs, events, event=EVENT), by=None)
    assert set(corpus_wide["group"]) == {"all"} and len(corpus_wide) > len(north)


def test_measures_say_what_to_do_without_periods(dated):
    docs, sents, _ = dated
    with pytest.raises(KeyError, match="by_period"):
        over_time.frame_shares_over_time(analysis.frame_matches(docs, sents=sents), sents, docs)


def test_a_corpus_with_nothing_to_count_gives_empty_tables_with_their_columns():
    docs = pd.DataFrame({"doc_id": ["a"], "source": ["X"], "date": pd.to_datetime([None]),
                         "text": ["Nothing here names anyone or frames anything."]})
    sents, toks = analysis.parse(docs)
    labelled = periods.by_period(docs, "M")
    assert list(labelled["period"].cat.categories) == ["undated"]
    frames = over_time.frame_shares_over_time(analysis.frame_matches(docs, sents=sents), sents, labelled)
    naming = over_time.naming_shares_over_time(analysis.naming_choices(docs, sents=sents), labelled)
    assert frames.empty and "share" in frames.columns
    assert naming.empty and "share" in naming.columns
    assert over_time.dating_note(labelled).startswith("None of the 1 documents has a date")
    assert periods.splitting_event(periods.read_events(), docs) is None
