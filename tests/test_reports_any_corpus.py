"""Reports for any corpus: 1 to 50 outlets, with or without a manifest, unknown outlets, missing metadata.

The fast tests check the pieces (grouping, colours, choice of runs, readable
tables, bounded figures, the failure message); the slow ones build whole sites
from the generated corpora of ``tests/corpora.py``.
"""
import re
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import analysis  # noqa: E402
from analysis.report import plotting, reporting  # noqa: E402
from analysis.errors import CorpusWarning  # noqa: E402
from analysis.run.runner import (AUTO_PER_SOURCE, NOTEBOOKS, Outcome, Run, choose_sources, failure_message,  # noqa: E402
                             plan, run_reports)
from conftest import ROOT, SEEDS  # noqa: E402
from corpora import OUTLETS, corpus30_documents, write_corpus30, write_single_outlet  # noqa: E402

NOTEBOOK_DIR = ROOT / "notebooks"
SIZE_LIMIT_MB = 25


def read(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return analysis.read_corpus(folder)


def folder_mb(*folders):
    return sum(p.stat().st_size for f in folders for p in Path(f).rglob("*") if p.is_file()) / 1e6


# ---------------------------------------------------------------- the generated corpus

def test_generator_is_deterministic_and_varied():
    a, b = corpus30_documents(), corpus30_documents()
    assert a == b
    assert len(a) == 62 and len({i["source"] for i in a if i["source"]}) == 30 == len(OUTLETS)
    texts = [i["text"] for i in a]
    assert any("ARMENPRESS. " in t for t in texts)
    assert any("(Reuters) - " in t for t in texts) and any(", AZERTAC. " in t for t in texts)
    assert sum(i["source"] is None for i in a) == 4
    one_item = [o for o in {i["source"] for i in a if i["source"]} if sum(i["source"] == o for i in a) == 1]
    assert len(one_item) == 10


@pytest.fixture(scope="module")
def corpus30(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus30")
    write_corpus30(folder)
    return folder


def test_the_loader_sees_missing_metadata_and_unknown_outlets(corpus30):
    docs = read(corpus30).docs
    assert len(docs) == 62
    assert docs["title"].isna().any() and docs["date"].isna().any() and docs["author"].isna().any()
    assert docs["source"].isna().any()      # at least the four unattributed items
    groups = reporting.known_sources(docs)
    assert "(unknown source)" in groups and len(groups) == docs["source"].nunique() + 1


# ---------------------------------------------------------------- grouping

def test_group_values_make_every_missing_value_one_unknown_group():
    docs = pd.DataFrame({"doc_id": list("abcdefg"), "n_words": 1,
                         "source": ["A", None, np.nan, "", "  ", 3.0, "A "],
                         "side": ["x", None, "y", None, "x", "x", None]})
    assert list(reporting.group_values(docs)) == ["A", "(unknown source)", "(unknown source)", "(unknown source)",
                                                  "(unknown source)", "3.0", "A"]
    assert reporting.known_sources(docs) == ["(unknown source)", "3.0", "A"]
    assert reporting.known_sources(docs, "side") == ["(unknown side)", "x", "y"]
    assert len(reporting.select_source(docs, "(unknown source)")) == 4
    with pytest.raises(ValueError, match=r"unknown side 'z'; the corpus has: \(unknown side\), x, y \(or 'all'\)"):
        reporting.select_source(docs, "z", "side")


def test_regroup_by_a_manifest_column(tmp_path):
    write_corpus30(tmp_path, manifest="subset")
    corpus = read(tmp_path)
    grouped = reporting.regroup(corpus, "side")
    docs = grouped.docs
    assert set(docs["source"]) == set(reporting.known_sources(corpus.docs, "side"))
    assert "(unknown side)" in set(docs["source"]) and "armenian" in set(docs["source"])
    assert list(docs["outlet"]) == list(reporting.group_values(corpus.docs))        # the outlet is kept
    side_of = dict(zip(docs["doc_id"], docs["source"]))
    for table in (grouped.sentences, grouped.tokens):
        assert (table["source"] == table["doc_id"].map(side_of)).all()
    # the measures now compare sides
    shares = analysis.naming_shares(analysis.naming_choices(docs, sents=grouped.sentences))
    assert set(shares["source"]) <= set(docs["source"])


def test_an_unknown_column_is_a_clear_error_listing_the_valid_ones(seed_corpus, tmp_path):
    with pytest.raises(ValueError, match=r"cannot group by 'sidee'.*valid columns: source, source_country, "
                                         r"source_type, author"):
        reporting.regroup(seed_corpus, "sidee")
    with pytest.raises(ValueError, match=r"cannot group by 'sidee'"):
        run_reports(SEEDS, notebooks_dir=NOTEBOOK_DIR, reports_dir=tmp_path / "r", figures_dir=tmp_path / "f",
                    group_by="sidee", progress=lambda line: None)
    result = subprocess.run([sys.executable, "-m", "analysis", "reports", "--corpus", str(SEEDS), "--reports",
                             str(tmp_path / "r"), "--figures", str(tmp_path / "f"), "--group", "sidee"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "valid columns: source" in result.stderr and "Traceback" not in result.stderr


def test_summary_counts_per_group(tmp_path):
    write_corpus30(tmp_path, manifest="full")
    table = analysis.source_summary(read(tmp_path), by="side")
    assert list(table["side"]) == ["(unknown side)", "armenian", "azerbaijani", "georgian", "international",
                                   "russian", "turkish"]
    assert table["documents"].sum() == 62 and table.loc[0, "documents"] == 4


# ---------------------------------------------------------------- what runs

def test_per_source_reports_run_automatically_up_to_eight_sources():
    few = [f"S{i}" for i in range(AUTO_PER_SOURCE)]
    many = [f"S{i:02d}" for i in range(30)]
    assert choose_sources(few)[0] == few
    chosen, why = choose_sources(many)
    assert chosen == [] and "30 outlets" in why and "PER_SOURCE=all" in why and 'SOURCES="a;b"' in why
    assert choose_sources(many, per_source="all")[0] == many
    assert choose_sources(few, per_source="none")[0] == []
    assert choose_sources(many, ["S03", "S01", "all"])[0] == ["S03", "S01"]
    with pytest.raises(ValueError, match=r"unknown side\(s\) 'nope'; the corpus has: S00"):
        choose_sources(many, ["nope"], group_by="side")
    per_source = sum(each for _, _, each in NOTEBOOKS.values())
    assert len(plan([])) == len(NOTEBOOKS) and len(plan(few)) == len(NOTEBOOKS) + per_source * len(few)
    runs = plan(["armenian"], group_by="side")
    assert {r.name for r in runs if r.notebook == "04_framing"} == {"04_framing__side__all",
                                                                    "04_framing__side__armenian"}


def test_sources_on_the_command_line_are_split_at_semicolons(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis", "reports", "--corpus", str(SEEDS), "--reports",
                             str(tmp_path / "r"), "--figures", str(tmp_path / "f"), "--sources", "Nowhere;Caliber.az"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "unknown source(s) 'Nowhere'; the corpus has: Caliber.az" in result.stderr


def test_make_passes_group_sources_and_per_source():
    result = subprocess.run(["make", "-n", "reports", "GROUP=side", "SOURCES=TASS;Reuters", "PER_SOURCE=all",
                             "CORPUS=/tmp/x"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    out = result.stdout
    # every value single-quoted by the Makefile, so spaces, quotes and $ stay one argument
    assert "--group 'side'" in out and "--sources 'TASS;Reuters'" in out and "--per-source 'all'" in out
    assert "summary --corpus '/tmp/x' --group 'side'" in out


# ---------------------------------------------------------------- the failure message tells the truth

def test_the_failure_message_says_whether_an_earlier_report_exists(tmp_path):
    outcome = Outcome(Run("04_framing", "TASS"), False, 1.0, "ValueError: boom", 7, "x = 1")
    message = failure_message(outcome, tmp_path)
    assert "FAILED 04_framing.ipynb for source 'TASS' at cell 7" in message
    assert "no report of it is on disk" in message and "left in place" not in message
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "04_framing__TASS.reader.html").write_text("<html></html>")
    assert "the previous good report was left in place" in failure_message(outcome, tmp_path)
    grouped = Outcome(Run("04_framing", "armenian", "side"), False, 1.0, "E", None, "")
    assert "for side 'armenian' before any cell ran" in failure_message(grouped, tmp_path)


# ---------------------------------------------------------------- colours, tables, figures

def test_colours_for_any_number_of_groups():
    assert list(plotting.source_colors(["b", "a"]).values()) == plotting.OKABE_ITO[:2]
    assert plotting.source_colors([f"S{i}" for i in range(8)])["S7"] == plotting.OKABE_ITO[7]
    for n in (9, 30, 32, 50, 120):
        names = [f"Outlet {i:03d}" for i in range(n)]
        colours = plotting.source_colors(names + ["(unknown source)"])
        assert len(set(colours[name] for name in names)) == n                 # all distinct
        assert colours["(unknown source)"] == plotting.UNKNOWN_COLOR
        assert plotting.UNKNOWN_COLOR not in [colours[name] for name in names]
        assert colours == plotting.source_colors(list(reversed(names)) + ["(unknown source)", names[0]])  # stable
    assert len(set(plotting.LARGE_PALETTE)) == len(plotting.LARGE_PALETTE)
    assert plotting.color_of({"a": "#000000"}, float("nan")) == plotting.OKABE_ITO[0]


def test_tables_are_shown_readably_and_never_elided():
    reporting.display_options()
    table = pd.DataFrame(np.arange(200 * 30).reshape(200, 30), columns=[f"c{i}" for i in range(30)])
    table["text"] = "a long sentence " * 20
    assert "..." not in repr(table) and "…" not in repr(table)
    shown, note = reporting.readable(table, 15)
    assert shown.shape == (15, reporting.MAX_COLUMNS)
    assert note == "Showing the first 15 of 200 rows and the first 12 of 31 columns"
    assert reporting.readable(table.head(3).iloc[:, :4], 15)[1] == ""


def test_a_report_object_saves_in_full_and_shows_a_part(tmp_path, capsys):
    corpus = read(SEEDS)
    report = reporting.open_report("02_terms_keyness", corpus=corpus, output_dir=tmp_path / "tables",
                                   figures_dir=tmp_path / "figures", top_n=5)
    assert report.name == "02_terms_keyness__all" and report.count(4) == "4 outlets"
    assert "5 documents from 4 outlets: Caliber.az, Jamestown Foundation, OpsLens, PanARMENIAN.Net." == \
        report.summary()
    shown = report.show(corpus.docs[["doc_id", "source"]].head(2), "few")
    assert len(shown) == 2 and capsys.readouterr().out == ""
    shown = report.show(corpus.tokens, "tokens")
    assert len(shown) == 5 and len(pd.read_csv(tmp_path / "tables" / "02_terms_keyness__all__tokens.csv")) == \
        len(corpus.tokens)
    assert "the full table is `tables/02_terms_keyness__all__tokens.csv`" in capsys.readouterr().out
    assert report.show(corpus.tokens.iloc[0:0], "none", empty="Nothing here.") is None
    assert "*Nothing here.*" in capsys.readouterr().out
    side = reporting.open_report("04_framing", corpus=corpus, group_by="source_country", output_dir=tmp_path / "t",
                                 figures_dir=tmp_path / "f")
    assert side.name == "04_framing__source_country__all" and side.many == "countries"
    path = side.save(side.docs[["doc_id", "source"]], "docs")
    assert list(pd.read_csv(path).columns) == ["doc_id", "source_country"]


def test_views_for_many_groups():
    keyness = pd.DataFrame({"target": ["A"] * 3 + ["B"] * 3, "term": list("xyzxyz"), "g2": [5, 1, -2, 4, -1, -3],
                            "p_adjusted": [0.01, 0.5, 0.2, 0.01, 0.3, 0.04], "target_total": [10] * 3 + [20] * 3,
                            "target_count": 1, "reference_count": 1, "log_ratio": 1.0})
    view = reporting.keyness_view(keyness, n=2)
    assert list(view["target"]) == ["B", "A"] and view.loc[0, "over_used"] == "x*"
    assert view.loc[0, "under_used"] == "z*, y"
    assert list(reporting.keyness_view(keyness[keyness["target"] == "A"])["term"]) == ["x", "y"]
    provenance = pd.DataFrame({"doc_id": [f"{i:02d}" for i in range(20) for _ in range(2)],
                               "field": ["title", "date"] * 20, "provenance": ["text", "unknown"] * 20})
    overview = reporting.provenance_overview(provenance)
    assert list(overview.columns) == ["field", "documents: text", "documents: unknown"]
    assert list(overview["field"]) == ["title", "date"] and overview["documents: text"].tolist() == [20, 0]
    few = reporting.provenance_overview(provenance[provenance["doc_id"] < "03"])
    assert list(few.columns) == ["field", "00", "01", "02"]


@pytest.mark.parametrize("n_groups", [1, 5, 30, 50])
def test_figures_stay_within_a_page_for_any_number_of_groups(n_groups):
    import matplotlib.pyplot as plt
    plotting.use_style()
    groups = [f"Outlet number {i:02d}" for i in range(n_groups)]
    colors = plotting.source_colors(groups)
    rng = np.random.default_rng(0)
    long = pd.DataFrame([(g, f"term{j}", float(rng.random())) for g in groups for j in range(15)],
                        columns=["source", "term", "value"])
    keyness = long.rename(columns={"source": "target"}).assign(g2=lambda t: t["value"] - 0.5, log_ratio=1.0,
                                                               p_adjusted=0.01)
    summary = pd.DataFrame([(g, m, 10, 1, 0.1, 0.0, 0.2, "sentences") for g in groups
                            for m in ("tb_polarity", "vader_compound")],
                           columns=["source", "measure", "n_sentences", "n_documents", "mean", "ci_low", "ci_high",
                                    "resampled"])
    frames = pd.DataFrame([(g, f"frame{j}", 1.0) for g in groups for j in range(11)],
                          columns=["source", "frame", "per_1000_words"])
    shares = pd.DataFrame([(g, r, c, 0.5) for g in groups for r in ("territory", "capital", "forces", "authorities",
                                                                     "war_2020", "operation_2023", "russian_troops")
                           for c in ("armenian", "international")], columns=["source", "referent", "convention", "share"])
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(2 * n_groups)], "source": groups * 2,
                         "n_words": np.arange(2 * n_groups) + 10})
    figures = [
        plotting.small_multiples(long, "source", "term", "value", xlabel="x", colors=colors, top_n=15),
        plotting.keyness_chart(keyness, colors=colors),
        plotting.interval_chart(summary, "source", ["tb_polarity", "vader_compound"], {}, colors),
        plotting.heatmap(frames, "frame", "source", "per_1000_words", label="x"),
        plotting.convention_chart(shares, groups=groups[:plotting.MAX_PANELS]),
        plotting.length_chart(docs, colors),
        plotting.scatter_by_group(long.assign(y=1.0), "value", "y", "source", colors, xlabel="x", ylabel="y"),
    ]
    for fig in figures:
        assert fig is not None
        width, height = fig.get_size_inches()
        assert width <= plotting.PAGE_WIDTH and height <= plotting.MAX_HEIGHT + 0.5, (fig, height)
        assert len([ax for ax in fig.axes if ax.get_visible()]) <= plotting.MAX_PANELS + 2
        plt.close(fig)


def test_charts_return_none_when_there_is_nothing_to_plot():
    empty = pd.DataFrame(columns=["source", "term", "value", "target", "g2", "log_ratio", "p_adjusted", "measure",
                                  "mean", "ci_low", "ci_high", "frame", "per_1000_words", "referent", "convention",
                                  "share", "doc_id", "pattern", "relative_position", "n_words"])
    assert plotting.bar_chart(empty, "term", "value", xlabel="x") is None
    assert plotting.small_multiples(empty, "source", "term", "value", xlabel="x", colors={}) is None
    assert plotting.keyness_chart(empty) is None
    assert plotting.interval_chart(empty, "source", ["tb_polarity"], {}, {}) is None
    assert plotting.heatmap(empty, "frame", "source", "per_1000_words", label="x") is None
    assert plotting.convention_chart(empty) is None
    assert plotting.dispersion_chart(empty, {}) is None
    assert plotting.scatter_by_group(empty, "value", "share", "source", {}, xlabel="x", ylabel="y") is None
    assert plotting.length_chart(empty, {}) is None
    assert plotting.reuse_chart(empty, {}) is None


def test_notebooks_do_not_hard_code_the_number_of_outlets():
    import nbformat
    for stem in NOTEBOOKS:
        text = "".join(c.source for c in nbformat.read(NOTEBOOK_DIR / f"{stem}.ipynb", as_version=4).cells)
        assert not re.search(r"\b(four|five|4|5) outlets\b", text), stem
        assert "group_by = " in text and "reporting.open_report(" in text


# ---------------------------------------------------------------- whole sites (slow)

def build(corpus, tmp, **options):
    lines = []
    outcomes = run_reports(corpus, notebooks_dir=NOTEBOOK_DIR, reports_dir=tmp / "reports", figures_dir=tmp / "figures",
                           jobs=2, progress=lines.append, **options)
    return outcomes, lines, tmp / "reports", tmp / "figures"


def check_site(outcomes, reports, figures):
    assert outcomes and all(o.ok for o in outcomes), [(o.run, o.error) for o in outcomes if not o.ok]
    for page in (reports / "html").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<td>...</td>" not in text and "<th>...</th>" not in text, page.name    # no elided table
        assert len(text) < 1_500_000, (page.name, len(text))
    from PIL import Image
    for png in figures.glob("*.png"):
        with Image.open(png) as image:
            assert image.size[1] <= (plotting.MAX_HEIGHT + 0.5) * 300, png.name


@pytest.mark.slow
def test_thirty_outlets_without_a_manifest_build_within_the_size_bound(corpus30, tmp_path):
    outcomes, lines, reports, figures = build(corpus30, tmp_path)
    check_site(outcomes, reports, figures)
    groups = reporting.known_sources(read(corpus30).docs)
    expected = groups if len(groups) <= AUTO_PER_SOURCE else []
    assert [o.run for o in outcomes] == plan(expected)
    assert folder_mb(reports, figures) < SIZE_LIMIT_MB
    reader = (reports / "html" / "05_comparison__all.reader.html").read_text(encoding="utf-8")
    assert f"62 documents from {len(groups)} outlets" in reader
    assert "(unknown source)" in reader and "four outlets" not in reader
    summary = pd.read_csv(reports / "tables" / "05_comparison__all__source_summary.csv")
    assert list(summary["source"]) == groups and summary["documents"].sum() == 62
    index = (reports / "index.html").read_text(encoding="utf-8")
    if len(groups) > AUTO_PER_SOURCE:
        assert "PER_SOURCE=all" in index and "no per-outlet reports" in lines[0]


@pytest.mark.slow
def test_grouped_by_side_with_a_manifest(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus30(corpus, manifest="subset")
    sides = reporting.known_sources(read(corpus).docs, "side")
    in_manifest = set(pd.read_csv(corpus / "manifest.csv")["side"])
    assert sides == ["(unknown side)"] + sorted(in_manifest) and "azerbaijani" in sides
    outcomes, lines, reports, figures = build(corpus, tmp_path, group_by="side", sources=["azerbaijani"])
    check_site(outcomes, reports, figures)
    assert {o.run.name for o in outcomes if o.run.notebook == "04_framing"} == {
        "04_framing__side__all", "04_framing__side__azerbaijani"}
    shares = pd.read_csv(reports / "tables" / "04_framing__side__all__naming_shares.csv")
    assert "side" in shares.columns and set(shares["side"]) <= set(sides)
    summary = pd.read_csv(reports / "tables" / "05_comparison__side__all__source_summary.csv")
    assert list(summary["side"]) == sides and summary["documents"].sum() == 62
    documents = pd.read_csv(reports / "tables" / "01_corpus_overview__side__azerbaijani__documents.csv")
    assert set(documents["side"]) == {"azerbaijani"} and "outlet" in documents.columns
    assert "grouped by 'side'" in lines[0]
    reader = (reports / "html" / "05_comparison__side__all.reader.html").read_text(encoding="utf-8")
    assert f"from {len(sides)} sides" in reader and "(unknown side)" in reader


@pytest.mark.slow
def test_a_single_document_without_quotes_labels_or_reuse(tmp_path):
    corpus = tmp_path / "corpus"
    write_single_outlet(corpus, 1, manifest=False, plain=True)
    groups = reporting.known_sources(read(corpus).docs)          # the outlet, or "(unknown source)"
    outcomes, _, reports, figures = build(corpus, tmp_path)
    check_site(outcomes, reports, figures)
    assert len(groups) == 1 and [o.run for o in outcomes] == plan(groups)
    assert pd.read_csv(reports / "tables" / "06_text_reuse__all__reuse_pairs.csv").empty
    assert pd.read_csv(reports / "tables" / "04_framing__all__naming_shares.csv").empty
    reader = (reports / "html" / "02_terms_keyness__all.reader.html").read_text(encoding="utf-8")
    assert "Keyness needs at least two outlets" in reader


@pytest.mark.slow
def test_a_failed_first_run_says_no_earlier_report_existed(tmp_path):
    import nbformat
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.read(NOTEBOOK_DIR / "06_text_reuse.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('raise RuntimeError("deliberate failure")'))
    nbformat.write(nb, folder / "06_text_reuse.ipynb")
    lines = []
    outcomes = run_reports(SEEDS, notebooks_dir=folder, reports_dir=tmp_path / "r", figures_dir=tmp_path / "f",
                           notebooks={"06_text_reuse": NOTEBOOKS["06_text_reuse"]}, jobs=1, progress=lines.append)
    assert len(outcomes) == 1 and not outcomes[0].ok
    summary = "\n".join(lines)
    assert "no report of it is on disk" in summary and "left in place" not in summary
    assert "failed, no report yet" in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
