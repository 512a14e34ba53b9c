"""The explorer's evidence tables and its widget."""
import re

import pandas as pd
import pytest

from analysis.report.explorer import Explorer, exploration, exploration_html, explorer_widget


@pytest.fixture(scope="module")
def explorer(seed_corpus):
    return Explorer(seed_corpus)


def test_evidence_for_one_choice(explorer):
    tables = exploration(explorer, actor="Russia", term="peacekeep*", frame="geopolitics")
    kwic = tables["kwic"]
    assert len(kwic) == 8 and set(kwic["match"].str.lower().str[:9]) == {"peacekeep"}
    # sentiment rows: sentences that both name Russia and contain the term
    sentiment = tables["sentiment"]
    assert len(sentiment) >= 1 and sentiment["text"].str.contains("peacekeep", case=False).all()
    keys = set(zip(explorer.ments.loc[explorer.ments["actor"] == "Russia", "doc_id"],
                   explorer.ments.loc[explorer.ments["actor"] == "Russia", "sentence_id"]))
    assert set(zip(tables["naming"]["doc_id"], tables["naming"]["sentence_id"])) <= keys
    assert (tables["frames"]["sentence"].str.len() > 0).all() and len(tables["frames"]) > 0
    scare = tables["scare_quotes"]
    assert "peacekeepers" in set(scare.loc[scare["source"] == "OpsLens", "text"])   # "Russia now has ‘peacekeepers’"


def test_source_filter_and_empty_choice(explorer):
    tables = exploration(explorer, sources=["Caliber.az"], actor=None, term="", frame=None)
    assert tables["kwic"].empty and tables["frames"].empty
    assert set(tables["naming"]["source"]) == {"Caliber.az"}
    assert set(tables["sentiment"]["source"]) == {"Caliber.az"}


def test_html_is_side_by_side_and_escaped(explorer):
    tables = exploration(explorer, actor="Russia", term="peacekeep*", frame="geopolitics")
    tables["kwic"] = pd.concat([tables["kwic"], pd.DataFrame([{
        "source": "OpsLens", "doc_id": "x", "sentence_id": 1, "left": "<script>alert(1)</script>", "match": "m",
        "right": "<img src=x onerror=alert(1)>"}])])
    page = exploration_html(tables, explorer.sources, rows=100)
    assert len(re.findall(r"<th[ >]", page)) == 1 + len(explorer.sources) + 5   # corner, sources, panels
    assert "<script>" not in page and "&lt;script&gt;" in page and "<img" not in page


def test_widget_builds_and_reacts(explorer):
    ui = explorer_widget(explorer, actor="Russia", term="peacekeep*", frame="geopolitics")
    controls = ui.children[0]
    sources, choices = controls.children
    assert set(sources.value) == set(explorer.sources)
    actor, term, frame = choices.children
    assert (actor.value, term.value, frame.value) == ("Russia", "peacekeep*", "geopolitics")
    output = ui.children[1]
    assert "Keyword in context" in output.value and "[peacekeep" in output.value
    term.value = "Lachin corridor"     # an observed change re-runs the exploration and replaces the view
    assert "[Lachin corridor]" in output.value and "[peacekeep" not in output.value   # the matched term is bracketed
    frame.value = ""
