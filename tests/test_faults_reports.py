"""Issue 16, reports: hostile titles, source names and parameters reach the pages, figures, file names and
CSV tables only as data.

Cases (unit): slugs of long, marked-up, climbing or multi-line names; CSV cells a spreadsheet would run as a
formula; Markdown in the notebooks' sentences; "$...$" in every kind of figure text; papermill parameters
with quotes, code and markup; empty and unknown sources. Cases (slow, real notebooks on a copy of the seeds
plus hostile documents): every run succeeds, no page runs the markup, no CSV cell is a formula, two
100-character outlet names that differ after 80 characters get their own files.
"""
from __future__ import annotations

import ast
import csv
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from analysis.report import plotting, reporting
from analysis.report.reporting import (SLUG_LENGTH, escape_markdown, inside, report_name, save_table, select_source,
                                slug, spreadsheet_safe)
from analysis.framing.validation import neutralise
from conftest import ROOT, SEEDS

NOTEBOOK_DIR = ROOT / "notebooks"

MARKUP = '<script>alert(1)</script> <img src=x onerror=alert(3)>'
HOSTILE_SOURCE = f"$x^^$ {MARKUP} O'Brien \"Daily\" Outlet"          # mathtext that fails, markup, both quotes
HOSTILE_TITLE = "=cmd <img src=x onerror=alert(1)> $x^^$ <script>alert(2)</script> Title"
HYPERLINK = '=HYPERLINK("http://evil.example","x")'
LONG_A = "The " + "Very Long Outlet Name " * 3 + "x" * 40 + " Alpha Edition"
LONG_B = LONG_A[:-len("Alpha Edition")] + "Bravo Edition"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")


# ---------------------------------------------------------------- slugs and file names

def test_two_long_names_that_differ_after_the_cut_get_distinct_slugs():
    a, b = "n" * 100, "n" * 80 + "z" * 20
    assert len(LONG_A) == len(LONG_B) and LONG_A[:80] == LONG_B[:80]
    for x, y in ((a, b), (LONG_A, LONG_B)):
        assert slug(x) != slug(y)
        assert len(slug(x)) <= SLUG_LENGTH and len(slug(y)) <= SLUG_LENGTH
    assert slug(a) == slug("n" * 100)                                    # the same name, the same slug


@pytest.mark.parametrize("name", [
    HOSTILE_SOURCE, MARKUP, "../../etc/passwd", "/etc/passwd", "a/../../b", "..", ".", ".hidden", "line\nbreak\r",
    "-rf --all", "x" * 500, "ü" * 500, "", " ", "\x00nul", "con", "a\\b", "$x^^$"])
def test_hostile_names_give_safe_bounded_slugs(tmp_path, name):
    s = slug(name)
    assert SAFE_NAME.match(s) and ".." not in s and len(s) <= SLUG_LENGTH, s
    assert tmp_path.resolve() in inside(tmp_path, f"{report_name('04_framing', name, 'side')}__what.png").parents
    assert len(report_name("04_framing", name, "x" * 500) + "__naming_conventions.svg") < 255


def test_plain_names_keep_their_slugs():
    assert slug("Caliber.az") == "Caliber.az" and slug("Jamestown Foundation") == "Jamestown_Foundation"
    assert slug("a" * SLUG_LENGTH) == "a" * SLUG_LENGTH
    assert slug("a b") != slug("a:b") != slug("a/b")


# ---------------------------------------------------------------- CSV injection

def formula_cells(folder: Path) -> list[tuple[str, str]]:
    """Every CSV cell under ``folder`` that a spreadsheet would read as a formula (numbers are not)."""
    found = []
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if re.match(r"[=+\-@\t\r]", cell):
                        try:
                            float(cell)
                        except ValueError:
                            found.append((path.name, cell))
    return found


def test_csv_tables_neutralise_formula_cells_and_keep_numbers(tmp_path):
    table = pd.DataFrame({
        "source": [HYPERLINK, "+1 news", "-minus", "@SUM(A1)", "\tTab", "\rCR", "plain", None],
        "n": [-1, 2, 3, 4, 5, 6, 7, 8],
        "share": [-0.5, 0.25, None, 1.0, 2.0, 3.0, 4.0, 5.0],
        "mixed": [-3, "-3", "'=x", 1.5, None, "ok", "=1", "+"],
        "date": pd.to_datetime(["2021-01-01"] * 8),
    })
    table["=header"] = "x"
    path = save_table(table, "t", tmp_path)
    first = path.read_bytes()
    back = pd.read_csv(path, keep_default_na=False)
    assert list(back.columns)[-1] == "'=header"
    assert back["source"].tolist()[:7] == ["'" + HYPERLINK, "'+1 news", "'-minus", "'@SUM(A1)", "'\tTab", "'\rCR",
                                           "plain"]
    numbers = pd.read_csv(path)
    assert pd.api.types.is_integer_dtype(numbers["n"]) and numbers["n"].iloc[0] == -1  # numbers stay numbers
    assert pd.api.types.is_float_dtype(numbers["share"]) and numbers["share"].iloc[0] == -0.5
    assert len(numbers) == len(table)                                   # the CR cell did not start a new row
    assert back["mixed"].tolist()[:4] == ["-3", "'-3", "''=x", "1.5"]   # a number is kept; text "-3" is text
    assert formula_cells(tmp_path) == []
    assert save_table(table, "t", tmp_path).read_bytes() == first                      # byte-identical
    assert table["source"].iloc[0] == HYPERLINK                                         # the caller's table unchanged


def test_a_carriage_return_inside_a_cell_cannot_start_a_formula_row(tmp_path):
    table = pd.DataFrame({"text": ["harmless\r" + HYPERLINK, "ok"], "n": [1, 2]})
    path = save_table(table, "cr", tmp_path)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["text", "n"], ["harmless\r" + HYPERLINK, "1"], ["ok", "2"]]
    assert pd.read_csv(path)["n"].tolist() == [1, 2]
    plain = save_table(pd.DataFrame({"text": ["ok"], "n": [1]}), "plain", tmp_path)
    assert plain.read_text(encoding="utf-8") == "text,n\nok,1\n"           # no CR: quoted only where needed


def test_spreadsheet_safe_is_validation_neutralise_on_text_only():
    values = [HYPERLINK, "-x", "+", "@", "\t", "\r", "'=x", "a=b", "", "x"]
    safe = spreadsheet_safe(pd.DataFrame({"v": values, "n": range(len(values))}))
    assert safe["v"].tolist() == [neutralise(v) for v in values]
    plain = pd.DataFrame({"v": ["a", None], "n": [-1, 2]})
    assert spreadsheet_safe(plain) is plain                                 # nothing to do: the same table


# ---------------------------------------------------------------- Markdown in the notebooks' sentences

def rendered(markdown: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    return markdown2html_mistune(markdown)


@pytest.mark.parametrize("text", [HOSTILE_SOURCE, HOSTILE_TITLE, "*bold* _it_ [link](javascript:alert(1)) `code`",
                                  "# heading", "- item", "1. first", "> quote", "a | b", "line\n# two", "a\\*b"])
def test_escaped_markdown_renders_as_the_literal_text(text):
    html_out = rendered(f"*Note: {escape_markdown(text)}.*")
    for tag in ("<script", "<img", "<a ", "<strong", "<code", "<h1", "<li", "<blockquote", "<table"):
        assert tag not in html_out, (text, html_out)
    assert html_out.count("<em>") == 1
    plain = re.sub(r"\s+", " ", text).strip()
    from html import unescape
    assert unescape(re.sub(r"<[^>]+>", "", html_out)).strip() == f"Note: {plain}."


def test_plain_names_read_as_before_in_markdown():
    assert escape_markdown("Caliber.az, Jamestown Foundation (unknown source)") == \
        "Caliber.az, Jamestown Foundation (unknown source)"


def test_the_report_summary_and_notes_escape_group_names(capsys):
    docs = pd.DataFrame({"doc_id": ["1", "2"], "source": [HOSTILE_SOURCE, "Caliber.az"], "n_words": [10, 20]})
    report = reporting.Report("01_corpus_overview", "all", "source", None, docs, "out", "fig")
    summary = report.summary()
    assert "<script" not in rendered(summary) and "<img" not in rendered(summary)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered(summary) and "$x^^$" in rendered(summary)
    grouped = reporting.Report("01_corpus_overview", "all", "a`b<i>", None, docs, "out", "fig")
    assert "<i>" not in rendered(grouped.summary())
    grouped.panel_note(1, "documents")
    assert "<i>" not in rendered(capsys.readouterr().out)


def test_tables_are_shown_escaped_and_without_mathjax():
    reporting.display_options()
    html_out = pd.DataFrame({"title": [HOSTILE_TITLE]})._repr_html_()
    assert "<script" not in html_out and "<img" not in html_out and "tex2jax_ignore" in html_out


# ---------------------------------------------------------------- figures: "$" is a dollar sign

def hostile_figures():
    names = [HOSTILE_SOURCE, "$\\bad$", "Caliber.az"]
    colors = plotting.source_colors(names)
    terms = pd.DataFrame({"source": names * 2, "term": ["$x^^$", "$_$", "ok"] * 2, "per_1000_words": [3, 2, 1] * 2})
    keyness = pd.DataFrame({"target": names, "term": ["$x^^$", "$_$", "$a"], "g2": [5.0, -4.0, 3.0],
                            "log_ratio": [1.0, -1.0, 0.5], "p_adjusted": [0.01, 0.2, 0.03]})
    shares = pd.DataFrame({"source": names, "referent": ["$x^^$"] * 3, "convention": ["armenian", "$_$", "russian"],
                           "share": [0.5, 0.3, 0.2]})
    dated = pd.DataFrame({"source": names * 2, "period_start": pd.to_datetime(["2021-01-01"] * 3 + ["2021-04-01"] * 3),
                          "share": [0.1, 0.2, 0.3] * 2, "panel": ["$x^^$"] * 6})
    events = pd.DataFrame({"date": pd.to_datetime(["2021-02-01"]), "event": ["$x^^$"]})
    scores = pd.DataFrame({"source": names * 2, "tb": [0.1, -0.2, 0.3] * 2, "vader": [0.2, 0.1, -0.3] * 2})
    docs = pd.DataFrame({"doc_id": ["$x^^$", "2", "3"], "source": names, "n_words": [10, 20, 30]})
    yield plotting.bar_chart(terms, "term", "per_1000_words", xlabel="$x^^$", title=HOSTILE_SOURCE)
    yield plotting.small_multiples(terms, "source", "term", "per_1000_words", xlabel="$_$", colors=colors,
                                   title="$\\bad$")
    yield plotting.keyness_chart(keyness, colors=colors)
    yield plotting.heatmap(terms, "term", "source", "per_1000_words", label="$x^^$", title="$x^^$")
    yield plotting.convention_chart(shares)
    yield plotting.time_lines(dated, "share", panel="panel", colors=colors, events=events, ylabel="$_$")
    yield plotting.scatter_by_group(scores, "tb", "vader", "source", colors, xlabel="$x^^$", ylabel="$_$")
    yield plotting.length_chart(docs, colors, title="$x^^$")
    yield plotting.dot_chart(keyness, "term", ["log_ratio"], xlabel="$x^^$", names={"log_ratio": "$_$"})


def test_every_figure_text_is_literal_even_with_mathtext_on(tmp_path):
    with matplotlib.rc_context({"text.parse_math": True, "svg.fonttype": "none"}):   # a user's own style
        for i, fig in enumerate(hostile_figures()):
            assert fig is not None
            plotting.save_figure(fig, f"figure{i}", tmp_path, show=False)
    assert len(list(tmp_path.glob("*.png"))) == 9
    svgs = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.svg"))]
    assert all("$x^^$" in s or "$_$" in s for s in svgs)                 # drawn as the characters they are
    assert "&lt;script&gt;" in svgs[0] and "<script" not in "".join(svgs)
    assert plotting.STYLE["text.parse_math"] is False
    plt.close("all")


# ---------------------------------------------------------------- parameters are data

HOSTILE_PARAMETERS = ['"; import os; os.system("touch PWNED"); "', "'; raise SystemExit; '", '\\"; x = 1 #',
                      '"""\nimport os\n"""', "{__import__('os').system('id')}", MARKUP, "line\nbreak", "back\\slash\\",
                      "ü€😀", "\x00\x1b[31m", HOSTILE_SOURCE]


@pytest.mark.parametrize("value", HOSTILE_PARAMETERS)
def test_papermill_injects_parameters_as_literals(value):
    from papermill.translators import PythonTranslator
    code = PythonTranslator.codify({"source": value, "term_map_a": value, "top_n": 15})
    tree = ast.parse(code)
    assert all(isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) for node in tree.body), code
    values = {node.targets[0].id: node.value.value for node in tree.body}
    assert values == {"source": value, "term_map_a": value, "top_n": 15}


def test_notebooks_never_evaluate_their_parameters():
    for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert not re.search(r"\b(eval|exec|compile|__import__)\s*\(|get_ipython|^\s*[!%]", code, re.M), path.name
        assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
        assert all(not c.outputs for c in nb.cells if c.cell_type == "code"), path.name


@pytest.mark.parametrize("value", ["", "   ", None])
def test_an_empty_source_lists_the_valid_ones(seed_docs, value):
    with pytest.raises(ValueError, match=r"no source given .*; the corpus has: Caliber.az, .* \(or 'all'\)"):
        select_source(seed_docs, value)


@pytest.mark.parametrize("value", HOSTILE_PARAMETERS + [1984])
def test_an_unknown_source_is_data_in_the_message(seed_docs, value):
    with pytest.raises(ValueError) as caught:
        select_source(seed_docs, value)
    message = str(caught.value)
    assert "the corpus has: Caliber.az, Jamestown Foundation, OpsLens, PanARMENIAN.Net (or 'all')" in message
    assert repr(str(value)) in message or "no source given" in message


def test_an_unknown_term_map_group_lists_the_valid_ones():
    reporting.check_choice("term_map_a", "", ["A", "B"], empty=True)
    reporting.check_choice("term_map_a", "A", ["A", "B"], empty=True)
    with pytest.raises(ValueError, match=r"unknown term_map_a '<b>'; valid values: A, B"):
        reporting.check_choice("term_map_a", "<b>", ["A", "B"], empty=True)


@pytest.mark.slow
@pytest.mark.parametrize("value", ['"; open("PWNED", "w"); "', ""])
def test_papermill_cli_source_with_code_or_nothing_is_refused_with_the_list(tmp_path, value):
    result = subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOK_DIR / "01_corpus_overview.ipynb"),
                             str(tmp_path / "out.ipynb"), "-p", "source", value, "-p", "corpus_dir", str(SEEDS),
                             "-p", "output_dir", str(tmp_path / "t"), "-p", "figures_dir", str(tmp_path / "f"),
                             "--cwd", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "the corpus has: Caliber.az, Jamestown Foundation, OpsLens, PanARMENIAN.Net (or 'all')" in \
        result.stderr + result.stdout
    assert not (tmp_path / "PWNED").exists() and not (NOTEBOOK_DIR / "PWNED").exists()


# ---------------------------------------------------------------- whole sites on a hostile corpus

ARTICLE = ("Russian peacekeepers in Nagorno-Karabakh said on {day} that talks between Azerbaijan and Armenia on the "
           "Lachin corridor would resume. {who} reported that the {n} rounds of talks in Moscow had not settled the "
           "question of the border. Officials in Yerevan and Baku gave different accounts of the meeting.")


def hostile_corpus(folder: Path) -> Path:
    """The seeds, plus a page with markup and mathtext in its title and manifest source, and two documents of
    outlets whose 100-character names differ only after 80 characters."""
    shutil.copytree(SEEDS, folder)
    escaped_title = HOSTILE_TITLE.replace("&", "&amp;").replace("<", "&lt;")
    paragraphs = "".join(f"<p>{ARTICLE.format(day=d, who='$x$ costs', n=i)} =cmd|' /C calc'!A0 and -1.</p>"
                         for i, d in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]))
    (folder / "hostile.html").write_text(
        f"<!DOCTYPE html><html><head><title>{escaped_title}</title></head><body><article><h1>{escaped_title}</h1>"
        f"{paragraphs}</article></body></html>", encoding="utf-8")
    for name, day in (("long_a.txt", "Monday"), ("long_b.txt", "Sunday")):
        (folder / name).write_text(f"Talks on the corridor, {day}\n\n" + "\n\n".join(
            ARTICLE.format(day=day, who=w, n=i) for i, w in enumerate(["TASS", "Reuters", "AFP"])) + "\n",
            encoding="utf-8")

    def quoted(value: str) -> str:
        return json.dumps(value)   # a YAML double-quoted scalar
    manifest = (folder / "manifest.yaml").read_text(encoding="utf-8")
    manifest += (f'\n  - doc_id: "hostile"\n    file: hostile.html\n    source: {quoted(HOSTILE_SOURCE)}\n'
                 f"    source_country: {quoted(HYPERLINK)}\n    source_type: {quoted('@SUM(1+1)')}\n"
                 f"    language: en\n"
                 f'\n  - doc_id: "long_a"\n    file: long_a.txt\n    source: {quoted(LONG_A)}\n    language: en\n'
                 f'\n  - doc_id: "long_b"\n    file: long_b.txt\n    source: {quoted(LONG_B)}\n    language: en\n')
    (folder / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return folder


class Scan(HTMLParser):
    """What in a page would run: event-handler attributes, and script elements (not JSON data) with our code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.running, self.script = [], None

    def handle_starttag(self, tag, attrs):
        self.running += [(tag, k, v) for k, v in attrs if k.startswith("on") or "alert(" in (v or "")
                         or (v or "").strip().lower().startswith("javascript:")]
        if tag == "script":
            self.script = dict(attrs).get("type") or "text/javascript"

    def handle_endtag(self, tag):
        if tag == "script":
            self.script = None

    def handle_data(self, data):
        if self.script is not None and "json" not in self.script and "alert(" in data:
            self.running.append(("script", self.script, data[:80]))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from analysis.run.runner import NOTEBOOKS, run_reports
    tmp = tmp_path_factory.mktemp("hostile")
    corpus = hostile_corpus(tmp / "corpus")
    chosen = ("01_corpus_overview", "02_terms_keyness", "03_sentiment", "04_framing", "05_comparison",
              "07_explorer", "08_over_time")
    outcomes = run_reports(corpus, notebooks_dir=NOTEBOOK_DIR, reports_dir=tmp / "reports", figures_dir=tmp / "figures",
                           sources=[HOSTILE_SOURCE], jobs=2, progress=lambda line: None,
                           notebooks={stem: NOTEBOOKS[stem] for stem in chosen})
    long_runs = run_reports(corpus, notebooks_dir=NOTEBOOK_DIR, reports_dir=tmp / "long" / "reports",
                            figures_dir=tmp / "long" / "figures", sources=[LONG_A, LONG_B], jobs=2,
                            progress=lambda line: None, notebooks={"01_corpus_overview": NOTEBOOKS["01_corpus_overview"]})
    return tmp, outcomes, long_runs


@pytest.mark.slow
def test_hostile_names_and_titles_runs_all_succeed(hostile_site):
    _, outcomes, long_runs = hostile_site
    assert len(outcomes) == 11 and len(long_runs) == 3
    assert all(o.ok for o in outcomes + long_runs), [(o.run.name, o.error) for o in outcomes + long_runs if not o.ok]


@pytest.mark.slow
def test_hostile_markup_is_shown_escaped_in_every_page(hostile_site):
    tmp, outcomes, _ = hostile_site
    pages = sorted((tmp / "reports" / "html").glob("*.html")) + [tmp / "reports" / "index.html"]
    pages += sorted((tmp / "figures").glob("*.html")) + sorted((tmp / "figures").glob("*.svg"))
    assert len(pages) > 2 * len(outcomes)
    for page in pages:
        scan = Scan()
        scan.feed(page.read_text(encoding="utf-8"))
        assert scan.running == [], (page.name, scan.running[:3])
    overview = (tmp / "reports" / "html" / f"{report_name('01_corpus_overview', 'all')}.reader.html").read_text(
        encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview and "$x^^$" in overview   # the name, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in overview                               # the title, as text
    mine = report_name("04_framing", HOSTILE_SOURCE)
    assert (tmp / "reports" / "html" / f"{mine}.reader.html").is_file()
    assert (tmp / "figures" / f"{mine}__naming_conventions.svg").is_file()


@pytest.mark.slow
def test_hostile_site_file_names_are_safe_and_csv_cells_neutralised(hostile_site):
    tmp, _, _ = hostile_site
    written = [p for folder in ("reports/html", "reports/tables", "reports/notebooks", "figures")
               for p in (tmp / folder).iterdir()]
    assert any(HOSTILE_SOURCE not in p.name and "x-_-script-alert" in p.name for p in written)
    for path in written:                                 # (the runner's own .staging folder is not a report)
        assert SAFE_NAME.match(path.name) and len(path.name) < 255, path
        assert path.resolve().parent.parent in (tmp.resolve(), (tmp / "reports").resolve())
    tables = tmp / "reports" / "tables"
    assert formula_cells(tables) == []
    documents = pd.read_csv(tables / "01_corpus_overview__all__documents.csv", dtype={"doc_id": str})
    row = documents.set_index("doc_id").loc["hostile"]
    assert row["source"] == HOSTILE_SOURCE and row["source_country"] == "'" + HYPERLINK
    assert row["source_type"] == "'@SUM(1+1)" and row["title"].startswith("'=cmd")
    assert pd.api.types.is_integer_dtype(documents["n_words"])
    mine = pd.read_csv(tables / f"{report_name('01_corpus_overview', HOSTILE_SOURCE)}__documents.csv")
    assert mine["source"].tolist() == [HOSTILE_SOURCE]                  # -p source reached the notebook as data


@pytest.mark.slow
def test_two_outlets_whose_names_differ_after_80_characters_keep_their_own_reports(hostile_site):
    tmp, _, long_runs = hostile_site
    names = {o.run.source: o.run.name for o in long_runs}
    assert len(set(names.values())) == 3
    tables = tmp / "long" / "reports" / "tables"
    for source in (LONG_A, LONG_B):
        table = pd.read_csv(tables / f"{names[source]}__documents.csv")
        assert table["source"].tolist() == [source]
        assert (tmp / "long" / "reports" / "html" / f"{names[source]}.reader.html").is_file()
        assert (tmp / "long" / "figures" / f"{names[source]}__words_per_document.png").is_file()
