"""Metadata and its provenance: read from the text, given in the manifest, inferred, or unknown."""
import shutil

import pandas as pd
import pytest

import analysis
from analysis.corpus.cleaning import clean_text
from conftest import SEEDS


def prov(corpus, doc_id, field):
    row = corpus.provenance[(corpus.provenance["doc_id"] == doc_id) & (corpus.provenance["field"] == field)]
    assert len(row) == 1, (doc_id, field)
    return row.iloc[0]


def test_every_field_of_every_document_has_provenance(seed_corpus):
    p = seed_corpus.provenance
    assert set(p["provenance"]) <= {"text", "manifest", "inferred", "unknown"}
    fields = {"source", "source_country", "source_type", "title", "author", "date", "url", "language"}
    for doc_id in seed_corpus.docs["doc_id"]:
        assert fields <= set(p.loc[p["doc_id"] == doc_id, "field"])
    # inferred values always carry their evidence; unknown values carry no value
    assert (p.loc[p["provenance"] == "inferred", "evidence"].str.len() > 20).all()
    assert p.loc[p["provenance"] == "unknown", "value"].isna().all()


@pytest.mark.parametrize("doc_id, field, value, how, evidence", [
    ("001", "author", "Vladimir Socor", "text", "By: Vladimir Socor"),
    ("001", "publication", "Eurasia Daily Monitor", "text", "Volume: 18 Issue: 8"),
    ("001", "volume", "18", "text", "Volume: 18"),
    ("001", "issue", "8", "text", "Issue: 8"),
    ("001", "date", "2021-01-14", "inferred", "EDM, January 14, 2021"),
    ("002", "issue", "47", "text", "Issue: 47"),
    ("002", "part", "Part Three", "text", "(Part Three)"),
    ("002", "date", None, "unknown", "2021-03-22"),
    ("002", "author", None, "unknown", "no byline"),
    ("003", "date", "2023-09-29 15:10", "text", "29 September 2023 15:10"),
    ("003", "section", "Analytics", "text", "ANALYTICS"),
    ("003", "source", "Caliber.az", "manifest", "project brief"),
    ("004", "date", "2020-11-19", "text", "By: - November 19, 2020"),
    ("004", "author", None, "unknown", "names no author"),
    ("004", "title", "The Winner In Nagorno-Karabakh Is Russia", "text", "line 1"),
    ("004", "subtitle", "Kremlin cements gains on the ground in ‘frozen conflict’ of the Soviet Union", "text", "line 5"),
    ("000", "url", "panarmenian.net/eng/news/289438", "manifest", "project brief"),
    ("000", "dateline", "PanARMENIAN.Net", "text", "line 5"),
    ("000", "date", None, "unknown", "2021-01-14"),
])
def test_seed_metadata(seed_corpus, doc_id, field, value, how, evidence):
    row = prov(seed_corpus, doc_id, field)
    assert row["value"] == value if value is not None else pd.isna(row["value"])
    assert row["provenance"] == how
    assert evidence in row["evidence"]


def test_dates_in_docs_table(seed_docs):
    dates = dict(zip(seed_docs["doc_id"], seed_docs["date"]))
    assert dates["001"] == pd.Timestamp("2021-01-14")
    assert dates["003"] == pd.Timestamp("2023-09-29")
    assert dates["004"] == pd.Timestamp("2020-11-19")
    assert pd.isna(dates["000"]) and pd.isna(dates["002"])


def test_relations(seed_corpus):
    rel = seed_corpus.relations.set_index(["doc_id", "relation"])
    assert rel.loc[("000", "reuses"), "target"] == "001"
    assert rel.loc[("002", "cites"), "target"] == "001"
    assert rel.loc[("002", "cites"), "provenance"] == "inferred"
    assert "EDM, January 14, 2021" in rel.loc[("002", "cites"), "evidence"]


def test_without_manifest_metadata_comes_from_the_text(tmp_path):
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    corpus = analysis.read_corpus(tmp_path)
    docs = corpus.docs.set_index("doc_id")
    assert docs.loc["001_51913676188bf265", "author"] == "Vladimir Socor"
    assert docs.loc["003_5a655cea7172c313", "date"] == pd.Timestamp("2023-09-29")
    assert docs.loc["004_c8d29e6189c14854", "date"] == pd.Timestamp("2020-11-19")
    # outlets are inferred from what the pages say about themselves, with evidence
    source = prov(corpus, "000_07c80ff8d9de1e7f", "source")
    assert (source["value"], source["provenance"]) == ("PanARMENIAN.Net", "inferred")
    assert "dateline" in source["evidence"]
    assert prov(corpus, "003_5a655cea7172c313", "source")["value"] == "Caliber.az"
    # the publication line names Eurasia Daily Monitor, the Jamestown Foundation's (the outlet table's alias):
    # the source is the outlet, as the manifest gives it; the publication stays what the line says
    jamestown = prov(corpus, "001_51913676188bf265", "source")
    assert (jamestown["value"], jamestown["provenance"]) == ("Jamestown Foundation", "inferred")
    assert "publication line 'Eurasia Daily Monitor'" in jamestown["evidence"]
    assert prov(corpus, "001_51913676188bf265", "publication")["value"] == "Eurasia Daily Monitor"
    assert prov(corpus, "001_51913676188bf265", "source_country")["value"] == "United States"
    assert prov(corpus, "001_51913676188bf265", "source_type")["value"] == "think tank"
    assert prov(corpus, "003_5a655cea7172c313", "source_country")["value"] == "Azerbaijan"
    # OpsLens never names itself: unknown, and the evidence says what to do
    opslens = prov(corpus, "004_c8d29e6189c14854", "source")
    assert opslens["provenance"] == "unknown" and "manifest" in opslens["evidence"]
    language = prov(corpus, "001_51913676188bf265", "language")
    assert language["value"] == "en" and language["provenance"] == "inferred"
    assert "stop words" in language["evidence"]


def test_manifest_overrides_text_and_keeps_the_text_reading(tmp_path):
    shutil.copy(SEEDS / "001_51913676188bf265.txt", tmp_path)
    (tmp_path / "manifest.csv").write_text(
        "file,doc_id,source,author,date\n001_51913676188bf265.txt,edm8,Jamestown,V. Socor,2021-01-14\n",
        encoding="utf-8")
    corpus = analysis.read_corpus(tmp_path)
    author = prov(corpus, "edm8", "author")
    assert (author["value"], author["provenance"]) == ("V. Socor", "manifest")
    assert "Vladimir Socor" in author["evidence"]  # what the text said is not lost
    assert corpus.docs.loc[0, "date"] == pd.Timestamp("2021-01-14")


@pytest.mark.parametrize("header, author, date", [
    ("By: Vladimir Socor", "Vladimir Socor", None),
    ("By: - November 19, 2020", None, "2020-11-19"),
    ("29 September 2023 15:10", None, "2023-09-29T15:10:00"),
    ("By Jane Roe | March 5, 2021", "Jane Roe", "2021-03-05"),
    ("Published: 2021-03-05T10:00:00+04:00", None, "2021-03-05T10:00:00"),
    ("Posted on Dec. 5, 2020 at 3:15 pm", None, "2020-12-05T15:15:00"),
    ("Written by Anna Smith and Tom Brown", "Anna Smith and Tom Brown", None),
    ("Tuesday, 1 March 2022", None, "2022-03-01"),
    ("Updated 31.12.2020 18:05", None, "2020-12-31T18:05:00"),
])
def test_header_forms(header, author, date):
    page = f"A Headline About Karabakh\n\n{header}\n\nThe first paragraph of the article is long enough to be body text.\n"
    cleaned = clean_text(page)
    meta = {k: v[0] for k, v in cleaned.metadata.items()}
    assert meta["title"] == "A Headline About Karabakh"
    assert meta.get("author") == author
    got = meta.get("date")
    assert (got.isoformat() if got else None) == (date if date is None or "T" in date else date + "T00:00:00")
    assert cleaned.body.startswith("The first paragraph")


def test_non_numeric_volume_is_reported_not_silently_dropped(tmp_path):
    shutil.copy(SEEDS / "001_51913676188bf265.txt", tmp_path)
    (tmp_path / "manifest.csv").write_text("file,volume\n001_51913676188bf265.txt,abc\n", encoding="utf-8")
    with pytest.warns(analysis.CorpusWarning, match="volume 'abc' is not a whole number"):
        corpus = analysis.read_corpus(tmp_path)
    assert pd.isna(corpus.docs.loc[0, "volume"])
    assert prov(corpus, "001_51913676188bf265", "volume")["provenance"] == "unknown"


def test_find_date_agrees_with_the_date_pattern():
    """find_date skips lines without four digits in a row (every date form has a year): same answers."""
    from analysis.corpus.dates import DATE_RE, DateError, find_date
    for text in ["Published on 19 November 2020", "Nov. 19, 2020 at 3:45 pm", "2020-11-19T10:00", "19.11.2020",
                 "no date here", "Tuesday 19 Nov", "03/04/21", "03/04/2021", "19 Nov 202", "١٩ November ٢٠٢٠",
                 "Monday, 30 February 2021", "page 12 of 2000 words"]:
        match = DATE_RE.search(text)
        try:
            found = find_date(text)
        except DateError:
            assert match is not None
            continue
        assert (found is None) == (match is None), text
        if found:
            assert found[1].span() == match.span()
