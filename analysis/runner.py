"""Run every report notebook through papermill, in parallel, and publish the results safely.

Each run (a notebook for one source, or for "all") executes in its own staging
folder. Only when it succeeds are its executed notebook, HTML (full and reader
versions), figures and tables moved into place, so a failed run never
overwrites a good report. Failures are collected, not raised: the other runs
go on, and the summary names each failed notebook and the cell that failed,
and says whether an earlier good report of it is still in place.

What runs: every notebook once for the whole corpus ("all"); the per-source
notebooks also once per outlet when the corpus has at most
:data:`AUTO_PER_SOURCE` outlets (or when asked: ``sources=[...]``,
``per_source="all"``). Past that, one cross-outlet report per notebook is
what a reader can take in, and what keeps the site small; the per-outlet
reports are a command away. ``group_by`` groups documents by another column
(``side``, ``source_country``...): the groups then play the role of outlets.
"""
from __future__ import annotations

import html
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .css_pruning import prune_css
from .reporting import ALL_SOURCES, DEFAULT_GROUP, check_group, group_words, inside, known_sources, report_name

AUTO_PER_SOURCE = 8   # per-source reports run by default up to this many sources (groups)
PER_SOURCE_CHOICES = ("auto", "all", "none")

NOTEBOOKS = {
    # stem: (title, what it shows, run once per source as well as for "all"?)
    "01_corpus_overview": ("Corpus overview",
                           "Documents, their metadata and its provenance, and what cleaning removed.", True),
    "02_terms_keyness": ("Terms and keyness",
                         "Frequent terms, the words an outlet over- and under-uses (G2, Log Ratio, log-odds), "
                         "collocations, keywords in context.", True),
    "03_sentiment": ("Sentiment",
                     "Sentence sentiment by two lexicons with bootstrap intervals, their disagreement, and the "
                     "sentences behind the numbers.", True),
    "04_framing": ("Framing",
                   "Naming choices and their conventions, distancing quotes, who is quoted, frames, actors.", True),
    "05_comparison": ("Outlets side by side",
                      "The outlets compared on naming, frames, sentiment, voices and key terms.", False),
    "06_text_reuse": ("Text reuse",
                      "Articles that re-use another's passages: what they kept, changed (re-transliterated names), "
                      "dropped and added, side by side.", False),
    "07_explorer": ("Explorer",
                    "Choose outlets, an actor, a term and a frame; see the evidence side by side (interactive in "
                    "JupyterLab, a snapshot here).", False),
    "08_over_time": ("Over time",
                     "Naming, frames, sentiment, actors and voices per period and around dated events, with "
                     "intervals; what changed after an event.", False),
    "09_validation": ("Validation",
                      "Agreement between human coders (Krippendorff's alpha) and the frame dictionary's precision "
                      "and recall against them; a seeded sample of sentences to code.", False),
    "10_topics": ("Topics",
                  "Frames from the data: topic models (NMF, LDA) with the number of topics chosen by stability, "
                  "their sentences, prevalence per outlet and over time, and the dictionary frames they carry.", False),
}


@dataclass(frozen=True)
class Run:
    """One notebook executed for one source (a group of ``group_by``), or for "all"."""

    notebook: str
    source: str
    group_by: str = DEFAULT_GROUP

    @property
    def name(self) -> str:
        return report_name(self.notebook, self.source, self.group_by)


@dataclass
class Outcome:
    run: Run
    ok: bool
    seconds: float
    error: str = ""
    cell: int | None = None        # index in the executed notebook (papermill's injected cell included)
    cell_source: str = ""          # first line of the failing cell
    files: list[str] = field(default_factory=list)


def plan(sources: list[str], notebooks: dict = NOTEBOOKS, group_by: str = DEFAULT_GROUP) -> list[Run]:
    """Every (notebook, source) run: per-source notebooks for each source and "all"; the rest once."""
    runs = []
    for stem, (_, _, per_source) in notebooks.items():
        targets = [ALL_SOURCES] + sorted(sources) if per_source else [ALL_SOURCES]
        runs.extend(Run(stem, target, group_by) for target in targets)
    return runs


def choose_sources(available: list[str], sources: list[str] | None = None, per_source: str = "auto",
                   group_by: str = DEFAULT_GROUP) -> tuple[list[str], str]:
    """The sources that get per-source reports, and a sentence saying why.

    ``sources`` given: exactly those (an unknown one raises ValueError naming the
    known ones). Otherwise ``per_source``: "auto" (every source when there are
    at most :data:`AUTO_PER_SOURCE`, none beyond), "all" or "none".
    """
    one, many = group_words(group_by)
    if per_source not in PER_SOURCE_CHOICES:
        raise ValueError(f"per_source must be one of {', '.join(PER_SOURCE_CHOICES)}, not {per_source!r}")
    if sources is not None:
        chosen = [s for s in dict.fromkeys(sources) if s != ALL_SOURCES]
        unknown = [s for s in chosen if s not in available]
        if unknown:
            raise ValueError(f"unknown {group_by}(s) {', '.join(map(repr, unknown))}; "
                             f"the corpus has: {', '.join(available)}")
        return chosen, f"per-{one} reports for the {len(chosen)} {one if len(chosen) == 1 else many} asked for"
    if per_source == "all" or (per_source == "auto" and len(available) <= AUTO_PER_SOURCE):
        return list(available), f"per-{one} reports for all {len(available)} {one if len(available) == 1 else many}"
    if per_source == "none":
        return [], f"no per-{one} reports (asked for none)"
    return [], (f"{len(available)} {many}: one cross-{one} report per notebook, no per-{one} reports (they run "
                f"automatically up to {AUTO_PER_SOURCE} {many}; ask for them with make reports SOURCES=\"a;b\" or PER_SOURCE=all, or --sources / --per-source all)")


def run_reports(corpus_dir: str | Path, *, notebooks_dir: str | Path, reports_dir: str | Path,
                figures_dir: str | Path, sources: list[str] | None = None, jobs: int | None = None,
                top_n: int = 15, progress=print, notebooks: dict = NOTEBOOKS,
                cell_timeout: int | None = None, per_source: str = "auto",
                group_by: str = DEFAULT_GROUP) -> list[Outcome]:
    """Execute the report notebooks for "all" and for ``sources``.

    ``sources``: the sources (groups) that get per-source reports; by default
    (``None``) every source when the corpus has at most :data:`AUTO_PER_SOURCE`
    of them, none beyond (``per_source="all"`` or ``"none"`` overrides).
    ``group_by``: a document column (default ``source``) whose values play the
    role of outlets; an unknown column raises ValueError listing the valid ones.

    Writes, under ``reports_dir``: ``notebooks/`` (executed), ``html/`` (full and
    ``.reader.html`` versions), ``tables/`` (CSV), ``index.html``; figures go to
    ``figures_dir`` (PNG and SVG). A cell running longer than ``cell_timeout``
    seconds (default 600) fails its run. Returns one Outcome per run.
    """
    from .corpus import read_corpus
    import warnings
    from .errors import CorpusWarning

    corpus_dir, notebooks_dir = Path(corpus_dir).resolve(), Path(notebooks_dir).resolve()
    reports_dir, figures_dir = Path(reports_dir).resolve(), Path(figures_dir).resolve()
    group_by = group_by or DEFAULT_GROUP
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        corpus = read_corpus(corpus_dir)
    check_group(corpus.docs, group_by)
    available = known_sources(corpus.docs, group_by)
    chosen, why = choose_sources(available, sources, per_source, group_by)
    runs = plan(chosen, notebooks, group_by)
    jobs = jobs or os.cpu_count() or 1
    one, many = group_words(group_by)
    grouped = "" if group_by == DEFAULT_GROUP else f", grouped by {group_by!r}"
    progress(f"Corpus {corpus_dir}: {len(corpus.docs)} documents, {len(available)} "
             f"{one if len(available) == 1 else many}{grouped}; {why}")
    progress(f"Running {len(runs)} notebooks on {jobs} worker(s): corpus {corpus_dir}")
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    # heaviest first (whole-corpus runs, then one outlet each), so no long run is left alone at the end
    ordered = sorted(runs, key=lambda r: (r.source != ALL_SOURCES, runs.index(r)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_execute, run, corpus_dir, notebooks_dir, reports_dir, figures_dir, top_n,
                               cell_timeout or CELL_TIMEOUT) for run in ordered]
        for done, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            outcomes.append(outcome)
            status = "ok    " if outcome.ok else "FAILED"
            progress(f"[{done:>3}/{len(runs)}] {status} {outcome.run.notebook} · {outcome.run.source} "
                     f"({outcome.seconds:.1f} s)")
    outcomes.sort(key=lambda o: runs.index(o.run))
    write_index(outcomes, reports_dir, notebooks, corpus_dir, note=why, group_by=group_by)
    failed = [o for o in outcomes if not o.ok]
    progress(f"Done in {time.perf_counter() - started:.1f} s: {len(outcomes) - len(failed)} succeeded, "
             f"{len(failed)} failed. Index: {reports_dir / 'index.html'}")
    for o in failed:
        progress(failure_message(o, reports_dir))
    return outcomes


def failure_message(outcome: Outcome, reports_dir: Path) -> str:
    """Two lines on a failed run: where it failed, and what is on disk now (the truth, either way)."""
    o = outcome
    where = (f"at cell {o.cell} of the executed notebook ({o.cell_source!r})" if o.cell is not None
             else "before any cell ran")
    label = "source" if o.run.group_by == DEFAULT_GROUP else o.run.group_by
    # a failed run publishes nothing, so a report on disk now is the one an earlier run made
    earlier = (Path(reports_dir) / "html" / f"{o.run.name}.reader.html").exists()
    kept = ("the previous good report was left in place" if earlier
            else "no earlier report existed, so there is none for it yet")
    return (f"  FAILED {o.run.notebook}.ipynb for {label} {o.run.source!r} {where}: {o.error}\n"
            f"         the partial run is in {Path(reports_dir) / 'failed' / (o.run.name + '.ipynb')}; {kept}")


CELL_TIMEOUT = 600  # seconds one cell may run
KERNEL_STARTS = 3   # attempts to start a notebook's kernel (a start can lose its port to another process)


def _execute(run: Run, corpus_dir: Path, notebooks_dir: Path, reports_dir: Path, figures_dir: Path,
             top_n: int, cell_timeout: int = CELL_TIMEOUT) -> Outcome:
    """Run one notebook in a staging folder; publish its outputs only if it succeeds."""
    import papermill as pm

    started = time.perf_counter()
    staging = inside(reports_dir / ".staging", run.name)
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "tables").mkdir(parents=True)
    (staging / "figures").mkdir(parents=True)
    executed = staging / f"{run.name}.ipynb"
    # the kernel inherits this worker's stderr: send its chatter to a log kept with a failed run
    kernel_log = staging / "kernel.log"
    saved_stderr = os.dup(2)
    log_file = open(kernel_log, "w")
    os.dup2(log_file.fileno(), 2)
    try:
        for attempt in range(1, KERNEL_STARTS + 1):
            try:
                pm.execute_notebook(
                    str(notebooks_dir / f"{run.notebook}.ipynb"), str(executed),
                    parameters={"source": run.source, "group_by": run.group_by, "corpus_dir": str(corpus_dir),
                                "output_dir": str(staging / "tables"), "figures_dir": str(staging / "figures"),
                                "top_n": top_n},
                    kernel_name="python3", cwd=str(notebooks_dir), progress_bar=False, log_output=False,
                    request_save_on_cell_execute=False,  # one save at the end, not one per cell (images are slow)
                    execution_timeout=cell_timeout)      # a cell that hangs fails the run instead of blocking
                break
            except RuntimeError as err:
                # jupyter_client picks free TCP ports, then the kernel binds them: with several kernels
                # starting at once another process can take one in between ("Address already in use"), and
                # the kernel dies before its first reply. Nothing of the notebook has run: start it again.
                if "Kernel died before replying to kernel_info" not in str(err) or attempt == KERNEL_STARTS:
                    raise
        html_files = render_html(executed, staging)
    except Exception as err:  # a notebook's failure is reported, never fatal for the others
        _restore_stderr(saved_stderr, log_file)
        cell = getattr(err, "cell_index", None)
        cell_source = (getattr(err, "source", "") or "").strip().splitlines()[:1]
        name = getattr(err, "ename", type(err).__name__)
        value = getattr(err, "evalue", str(err))
        failed = inside(reports_dir / "failed", f"{run.name}.ipynb")
        failed.parent.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            os.replace(executed, failed)
        os.replace(kernel_log, failed.with_suffix(".kernel.log"))
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(run, False, time.perf_counter() - started, f"{name}: {value}".strip()[:500], cell,
                       cell_source[0][:100] if cell_source else "")
    _restore_stderr(saved_stderr, log_file)
    kernel_log.unlink()
    files = _publish(run, staging, executed, html_files, reports_dir, figures_dir)
    shutil.rmtree(staging, ignore_errors=True)
    stale = inside(reports_dir / "failed", f"{run.name}.ipynb")
    if stale.exists():
        stale.unlink()
    return Outcome(run, True, time.perf_counter() - started, files=files)


def _restore_stderr(saved: int, log_file) -> None:
    os.dup2(saved, 2)
    os.close(saved)
    log_file.close()


def _publish(run: Run, staging: Path, executed: Path, html_files: list[Path], reports_dir: Path,
             figures_dir: Path) -> list[str]:
    """Move a successful run's files into place, and drop files an earlier run of it made but this one did not."""
    targets = [(executed, reports_dir / "notebooks")] + [(p, reports_dir / "html") for p in html_files]
    targets += [(p, reports_dir / "tables") for p in sorted((staging / "tables").iterdir())]
    targets += [(p, figures_dir) for p in sorted((staging / "figures").iterdir())]
    published = []
    for path, folder in targets:
        destination = inside(folder, path.name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
        published.append(str(destination))
    prefix = f"{run.name}__"
    for folder in (reports_dir / "tables", figures_dir):
        for old in folder.glob(f"{prefix}*"):
            if str(old) not in published:
                old.unlink()
    return published


def render_html(executed: Path, folder: Path, *, prune: bool = True) -> list[Path]:
    """A full HTML version (code and output) and a reader version (output only) of an executed notebook.

    Both use the ``offline`` template (``analysis/templates``): nbconvert's lab
    template without the scripts it would fetch from a CDN, so pages display
    offline. ``prune``: leave out the inline CSS that cannot apply (:func:`prune_css`).
    """
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(executed, as_version=4)
    templates = [str(Path(__file__).parent / "templates")]
    full = HTMLExporter(template_name="offline", extra_template_basedirs=templates)
    reader = HTMLExporter(template_name="offline", extra_template_basedirs=templates, exclude_input=True,
                          exclude_input_prompt=True, exclude_output_prompt=True)
    paths = []
    for exporter, suffix in ((full, ".html"), (reader, ".reader.html")):
        body, _ = exporter.from_notebook_node(notebook)
        if prune:
            body = prune_css(body)
        path = folder / f"{executed.stem}{suffix}"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def write_index(outcomes: list[Outcome], reports_dir: Path, notebooks: dict, corpus_dir: Path, *,
                note: str = "", group_by: str = DEFAULT_GROUP) -> Path:
    """``reports/index.html``: every report with one line on what it shows (what exists on disk is linked)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    one, many = group_words(group_by)
    rows = []
    for stem, (title, what, _) in notebooks.items():
        runs = [o for o in outcomes if o.run.notebook == stem]
        links = []
        for o in runs:
            reader = reports_dir / "html" / f"{o.run.name}.reader.html"
            full = reports_dir / "html" / f"{o.run.name}.html"
            label = ("all sources" if group_by == DEFAULT_GROUP else f"all {many}") \
                if o.run.source == ALL_SOURCES else o.run.source
            if reader.exists():
                state = "" if o.ok else " <em>(last run failed; showing the previous good report)</em>"
                links.append(f'<li><a href="html/{html.escape(reader.name)}">{html.escape(label)}</a> '
                             f'(<a href="html/{html.escape(full.name)}">with code</a>, '
                             f'<a href="notebooks/{html.escape(o.run.name)}.ipynb">notebook</a>){state}</li>')
            else:
                links.append(f"<li>{html.escape(label)}: <em>failed, no report yet</em></li>")
        rows.append(f"<section><h2>{html.escape(title)}</h2><p>{html.escape(what)}</p><ul>{''.join(links)}</ul>"
                    "</section>")
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Framing reports</title>"
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
        "h2{margin-bottom:.2em}p{margin-top:0;color:#444}</style></head><body>"
        f"<h1>Framing reports</h1><p>Corpus: {html.escape(corpus_dir.name)}"
        + (f", grouped by <code>{html.escape(group_by)}</code> (each {html.escape(one)} plays the role of an outlet)"
           if group_by != DEFAULT_GROUP else "")
        + (f"; {html.escape(note)}" if note else "")
        + ". Each report is shown as a reader "
        "version (no code); the version with code and the executed notebook are linked next to it. "
        "Figures are in <code>figures/</code>, tables in <code>tables/</code>.</p>"
        + "".join(rows) + "</body></html>\n")
    path = reports_dir / "index.html"
    tmp = reports_dir / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
