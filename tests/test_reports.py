"""The report notebooks under papermill: what they produce, byte-for-byte reproducibility, failures."""
import json
import re
import shutil

import nbformat
import pandas as pd
import pytest

from analysis.report.reporting import inside, known_sources, select_source, slug
from analysis.run.runner import NOTEBOOKS, plan, run_reports
from conftest import ROOT, SEEDS

NOTEBOOK_DIR = ROOT / "notebooks"


def execute(tmp, name, sources=("Caliber.az",), notebooks=NOTEBOOKS, notebook_dir=NOTEBOOK_DIR):
    lines = []
    outcomes = run_reports(SEEDS, notebooks_dir=notebook_dir, reports_dir=tmp / name / "reports",
                           figures_dir=tmp / name / "figures", sources=list(sources), jobs=2,
                           progress=lines.append, notebooks=notebooks)
    return outcomes, lines, tmp / name / "reports", tmp / name / "figures"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    first = execute(tmp, "a")
    second = execute(tmp, "b")
    return first, second


# ---------------------------------------------------------------- committed notebooks

@pytest.mark.parametrize("stem", list(NOTEBOOKS))
def test_committed_notebook_is_clean_and_parameterised(stem):
    nb = nbformat.read(NOTEBOOK_DIR / f"{stem}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit notebooks without outputs"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is code[0]
    for name in ("source", "group_by", "corpus_dir", "output_dir", "figures_dir", "top_n"):
        assert f"{name} =" in tagged[0].source
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 4   # narrated: method, result, caveats
    assert "Caveats" in "".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_plan_runs_each_per_source_notebook_for_every_source_and_all():
    runs = plan(["B", "A"])
    per_source = [s for s, (_, _, each) in NOTEBOOKS.items() if each]
    assert len(runs) == len(per_source) * 3 + (len(NOTEBOOKS) - len(per_source))
    assert [r.source for r in runs if r.notebook == "01_corpus_overview"] == ["all", "A", "B"]


def test_the_seeds_get_per_outlet_reports_by_default(seed_docs):
    from analysis.run.runner import choose_sources
    sources = known_sources(seed_docs)
    assert choose_sources(sources) == (sources, "per-outlet reports for all 4 outlets")
    assert len(plan(choose_sources(sources)[0])) == 26


# ---------------------------------------------------------------- what a run produces

def test_every_run_succeeds_and_is_published(site):
    (outcomes, lines, reports, figures), _ = site
    assert len(outcomes) == 14 and all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert any(line.startswith("[ 14/14]") for line in lines)
    assert "5 documents, 4 outlets; per-outlet reports for the 1 outlet asked for" in lines[0]
    for o in outcomes:
        assert (reports / "notebooks" / f"{o.run.name}.ipynb").is_file()
        reader = (reports / "html" / f"{o.run.name}.reader.html").read_text(encoding="utf-8")
        full = (reports / "html" / f"{o.run.name}.html").read_text(encoding="utf-8")
        code_cell = re.compile(r'<div class="[^"]*jp-InputArea-editor')   # (the CSS names the class too)
        assert not code_cell.search(reader)                                 # the reader version shows no code
        assert code_cell.search(full)
        if o.run.notebook != "07_explorer":                            # (the explorer has no figure)
            assert "<img" in reader                                    # figures are embedded
    index = (reports / "index.html").read_text(encoding="utf-8")
    for o in outcomes:
        assert f'href="html/{o.run.name}.reader.html"' in index
    assert not (reports / ".staging").exists() or not any((reports / ".staging").iterdir())


def test_reports_say_whether_each_dictionary_measure_is_validated(site):
    (_, _, reports, figures), _ = site
    framing = (reports / "html" / "04_framing__all.reader.html").read_text(encoding="utf-8")
    assert "has been validated on this corpus</strong> against the worked example" in framing   # the frames
    assert "naming classification has <strong>not been validated on this corpus" in framing
    assert "Speaker attribution has <strong>not been validated" in framing
    validation_page = (reports / "html" / "09_validation__all.reader.html").read_text(encoding="utf-8")
    assert "Krippendorff" in validation_page and "responsibility" in validation_page
    agreement = pd.read_csv(reports / "tables" / "09_validation__all__agreement.csv")
    assert set(agreement["n_coders"]) == {2} and agreement["alpha"].notna().any()
    sheet = pd.read_csv(reports / "tables" / "09_validation__all__coding_sheet.csv")
    assert len(sheet) == 100 and sheet["conflict"].isna().all()      # a fresh sheet, to be filled
    assert (reports / "tables" / "09_validation__all__coding_sheet.xlsx").is_file()
    over_time = pd.read_csv(reports / "tables" / "08_over_time__all__documents_per_period.csv")
    assert over_time.loc[over_time["period"] == "undated", "n_documents"].sum() == 2
    assert (figures / "05_comparison__all__term_map.html").is_file()


def test_figures_are_png_and_svg_with_stable_names(site):
    (_, _, _, figures), _ = site
    names = {p.name for p in figures.iterdir()}
    for stem in ("04_framing__Caliber.az__naming_conventions", "03_sentiment__all__sentiment_intervals",
                 "02_terms_keyness__Caliber.az__keyness", "05_comparison__all__frames",
                 "01_corpus_overview__all__words_per_document"):
        assert f"{stem}.png" in names and f"{stem}.svg" in names
        assert (figures / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tables_carry_the_findings(site):
    (_, _, reports, _), _ = site
    tables = reports / "tables"
    documents = pd.read_csv(tables / "01_corpus_overview__all__documents.csv")
    assert len(documents) == 5 and set(documents["source"]) == {"Caliber.az", "Jamestown Foundation", "OpsLens",
                                                               "PanARMENIAN.Net"}
    assert len(pd.read_csv(tables / "01_corpus_overview__Caliber.az__documents.csv")) == 1
    shares = pd.read_csv(tables / "04_framing__Caliber.az__naming_shares.csv").set_index(["referent", "convention"])
    assert shares.loc[("territory", "azerbaijani"), "share"] == 1.0
    keyness = pd.read_csv(tables / "02_terms_keyness__Caliber.az__keyness.csv")
    assert "garabagh" in set(keyness[keyness["g2"] > 0].head(5)["term"])
    summary = pd.read_csv(tables / "03_sentiment__all__sentiment_summary.csv")
    assert len(summary) == 4 * 3 and set(summary["resampled"]) == {"sentences"}
    frames = pd.read_csv(tables / "05_comparison__all__frame_scores.csv").set_index(["source", "frame"])
    assert frames.loc[("Caliber.az", "international_law"), "per_1000_words"] > 5
    voices = pd.read_csv(tables / "05_comparison__all__voices.csv")
    assert "Vladimir Putin" in set(voices.loc[voices["source"] == "OpsLens", "speaker"])
    reuse = pd.read_csv(tables / "06_text_reuse__all__reuse_pairs.csv", dtype={"source_doc": str, "derivative_doc": str})
    assert list(zip(reuse["source_doc"], reuse["derivative_doc"])) == [("001", "000")]


def test_reuse_report_shows_the_side_by_side_view(site):
    (_, _, reports, _), _ = site
    reader = (reports / "html" / "06_text_reuse__all.reader.html").read_text(encoding="utf-8")
    assert "<del>Pashinian</del> <ins>Pashinyan</ins>" in reader
    assert "001 (Jamestown Foundation) → 000 (PanARMENIAN.Net)" in reader   # nbconvert turns &rarr; into →


def test_two_runs_give_byte_identical_tables_and_figures(site):
    (_, _, reports_a, figures_a), (_, _, reports_b, figures_b) = site
    for folder_a, folder_b in ((reports_a / "tables", reports_b / "tables"), (figures_a, figures_b)):
        files_a = sorted(p.name for p in folder_a.iterdir())
        assert files_a == sorted(p.name for p in folder_b.iterdir())
        different = [n for n in files_a if (folder_a / n).read_bytes() != (folder_b / n).read_bytes()]
        assert not different, different


# ---------------------------------------------------------------- failures, sources, paths

def test_a_failing_notebook_keeps_the_previous_good_report(tmp_path):
    notebooks = {"01_corpus_overview": NOTEBOOKS["01_corpus_overview"]}
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(NOTEBOOK_DIR / "01_corpus_overview.ipynb", folder)
    outcomes, _, reports, figures = execute(tmp_path, "site", sources=("OpsLens",), notebooks=notebooks,
                                            notebook_dir=folder)
    assert all(o.ok for o in outcomes)
    good = {p: p.read_bytes() for p in [*reports.rglob("*.*"), *figures.iterdir()] if ".staging" not in str(p)}

    nb = nbformat.read(folder / "01_corpus_overview.ipynb", as_version=4)
    nb.cells.insert(5, nbformat.v4.new_code_cell('raise RuntimeError("deliberate failure for the test")'))
    nbformat.write(nb, folder / "01_corpus_overview.ipynb")
    outcomes, lines, reports, figures = execute(tmp_path, "site", sources=("OpsLens",), notebooks=notebooks,
                                                notebook_dir=folder)
    assert len(outcomes) == 2 and not any(o.ok for o in outcomes)
    # cell 6 of the executed notebook: papermill's injected-parameters cell comes before it
    assert all(o.cell == 6 and "deliberate failure" in o.error for o in outcomes)
    summary = "\n".join(lines)
    assert ("FAILED 01_corpus_overview.ipynb for source 'OpsLens' at cell 6 of the executed notebook "
            "('raise RuntimeError(\"deliberate failure for the test\")'): RuntimeError: deliberate failure") in summary
    assert "previous good report was left in place" in summary
    for path, content in good.items():
        if path.name != "index.html":
            assert path.read_bytes() == content, path
    assert (reports / "failed" / "01_corpus_overview__OpsLens.ipynb").is_file()
    assert "last run failed" in (reports / "index.html").read_text(encoding="utf-8")


def test_a_hanging_cell_fails_its_run_instead_of_blocking(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.read(NOTEBOOK_DIR / "01_corpus_overview.ipynb", as_version=4)
    # right after the parameters: no earlier cell does real work, so only the hanging cell can meet the
    # 5-second limit, however loaded the machine is (after the corpus was read, a slow read timed out first)
    nb.cells.insert(2, nbformat.v4.new_code_cell("import time\ntime.sleep(120)"))
    nbformat.write(nb, folder / "01_corpus_overview.ipynb")
    lines = []
    outcomes = run_reports(SEEDS, notebooks_dir=folder, reports_dir=tmp_path / "r", figures_dir=tmp_path / "f",
                           sources=[], notebooks={"01_corpus_overview": NOTEBOOKS["01_corpus_overview"]},
                           cell_timeout=5, jobs=1, progress=lines.append)
    assert len(outcomes) == 1 and not outcomes[0].ok
    assert outcomes[0].seconds < 60
    assert outcomes[0].error.startswith("CellTimeoutError: A cell timed out while it was being executed, after 5 seconds")
    assert "time.sleep(120)" in outcomes[0].error                       # the message shows the hanging cell


def test_unknown_source_is_a_clear_error(tmp_path, seed_docs):
    with pytest.raises(ValueError, match="unknown source.*'Nowhere News'.*Caliber.az, Jamestown Foundation, "
                                         "OpsLens, PanARMENIAN.Net"):
        run_reports(SEEDS, notebooks_dir=NOTEBOOK_DIR, reports_dir=tmp_path / "r", figures_dir=tmp_path / "f",
                    sources=["Nowhere News"], progress=lambda line: None)
    with pytest.raises(ValueError, match=r"unknown source 'X'; the corpus has: Caliber.az, .* \(or 'all'\)"):
        select_source(seed_docs, "X")
    assert len(select_source(seed_docs, "all")) == 5


def test_papermill_cli_reports_an_unknown_source(tmp_path):
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOK_DIR / "04_framing.ipynb"),
                             str(tmp_path / "out.ipynb"), "-p", "source", "Nowhere News", "-p", "corpus_dir",
                             str(SEEDS), "--cwd", str(NOTEBOOK_DIR)], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "unknown source 'Nowhere News'; the corpus has: Caliber.az" in result.stderr + result.stdout


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", ".hidden", "a/../../b", "..", "ok name"])
def test_source_names_never_leave_the_output_folder(tmp_path, name):
    path = inside(tmp_path, slug(name) + ".csv")
    assert tmp_path.resolve() in path.parents
    with pytest.raises(ValueError, match="outside"):
        inside(tmp_path, "../escape.csv")


def test_reports_parameters_reach_the_notebook(site):
    (outcomes, _, reports, _), _ = site
    nb = json.loads((reports / "notebooks" / "04_framing__Caliber.az.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and "source = \"Caliber.az\"" in "".join(injected[0]["source"])


def test_a_kernel_that_loses_its_port_at_start_is_started_again(tmp_path, monkeypatch):
    import papermill

    from analysis.run import runner
    real, calls = papermill.execute_notebook, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:   # what jupyter_client raises when another process took the kernel's port
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    outcome = runner._execute(runner.Run("09_validation", "all"), SEEDS, NOTEBOOK_DIR, tmp_path / "reports",
                              tmp_path / "figures", 15)
    assert outcome.ok and len(calls) == 2, outcome.error
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: (_ for _ in ()).throw(
        RuntimeError("Kernel died before replying to kernel_info")))
    failed = runner._execute(runner.Run("09_validation", "all"), SEEDS, NOTEBOOK_DIR, tmp_path / "reports2",
                             tmp_path / "figures2", 15)
    assert not failed.ok and "Kernel died" in failed.error     # three starts, then reported, never hung
