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

Faults: one run at a time writes to a reports folder (``.lock`` in it holds the
pid; a lock left by a run that died is taken over, with a note). A run
publishes its files as one transaction (the files it replaces are kept aside
until all are in place; a run killed in between is rolled back at the next
start), so Ctrl-C or SIGKILL leaves every report on disk complete: the new one
or the previous good one. Output folders inside the corpus, the shipped seeds
or the notebooks are refused; a folder that cannot be written (read-only, full
disk) fails with a message naming it, and the reports already there are kept.
"""
from __future__ import annotations

import contextlib
import errno
import html
import json
import os
import shutil
import signal
import socket
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..report.css_pruning import prune_css
from ..report.reporting import ALL_SOURCES, DEFAULT_GROUP, check_group, group_words, inside, known_sources, report_name
from .._package import PACKAGE_DIR

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

    Raises :class:`RunError` (nothing lost) for a folder that is locked by another run, misplaced (inside
    the corpus, the seeds or the notebooks) or cannot be written, and :class:`Interrupted` on Ctrl-C.
    """
    corpus_dir, notebooks_dir = Path(corpus_dir).resolve(), Path(notebooks_dir).resolve()
    reports_dir, figures_dir = Path(reports_dir).resolve(), Path(figures_dir).resolve()
    check_folders(corpus_dir, notebooks_dir, reports_dir, figures_dir)
    with contextlib.ExitStack() as held:
        held.enter_context(lock(reports_dir, progress))
        if figures_dir != reports_dir and reports_dir not in figures_dir.parents:
            held.enter_context(lock(figures_dir, progress))
        recover(reports_dir, progress)
        return _run_reports(corpus_dir, notebooks_dir, reports_dir, figures_dir, sources, jobs, top_n, progress,
                            notebooks, cell_timeout, per_source, group_by)


def _run_reports(corpus_dir, notebooks_dir, reports_dir, figures_dir, sources, jobs, top_n, progress, notebooks,
                 cell_timeout, per_source, group_by) -> list[Outcome]:
    from ..corpus.loading import read_corpus
    import warnings
    from ..errors import CorpusWarning

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
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_started)
    futures = []
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(_sigterm_interrupts())   # `kill` stops the run as Ctrl-C does
        futures = [pool.submit(_execute, run, corpus_dir, notebooks_dir, reports_dir, figures_dir, top_n,
                               cell_timeout or CELL_TIMEOUT) for run in ordered]
        for done, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            outcomes.append(outcome)
            status = "ok    " if outcome.ok else "FAILED"
            progress(f"[{done:>3}/{len(runs)}] {status} {outcome.run.notebook} · {outcome.run.source} "
                     f"({outcome.seconds:.1f} s)")
    except BaseException as err:
        # Ctrl-C (or a worker that died): stop the workers; each finishes a publication it has begun (they
        # block signals meanwhile), and a running notebook's partial output stays in its staging folder
        for future in futures:
            future.cancel()
        _stop_workers(pool)
        if isinstance(err, KeyboardInterrupt):
            raise Interrupted(f"interrupted after {len(outcomes)} of {len(runs)} notebooks: "
                              f"{sum(o.ok for o in outcomes)} new reports were published, each complete; every "
                              f"other report in {reports_dir} is the previous one, untouched (index.html too). "
                              "Run again to finish.") from None
        if isinstance(err, Exception) and not isinstance(err, RunError):
            raise RunError(f"the report run stopped ({type(err).__name__}: {err}); the reports already in "
                           f"{reports_dir} were kept") from err
        raise
    finally:
        stack.close()
    pool.shutdown()
    with contextlib.suppress(OSError):
        (reports_dir / ".publishing").rmdir()
    outcomes.sort(key=lambda o: runs.index(o.run))
    try:
        write_index(outcomes, reports_dir, notebooks, corpus_dir, note=why, group_by=group_by)
    except OSError as err:
        (reports_dir / ".index.html.tmp").unlink(missing_ok=True)
        raise RunError(f"could not write {reports_dir / 'index.html'}: {_os_error(err)}; the previous index was "
                       "kept") from None
    failed = [o for o in outcomes if not o.ok]
    progress(f"Done in {time.perf_counter() - started:.1f} s: {len(outcomes) - len(failed)} succeeded, "
             f"{len(failed)} failed. Index: {reports_dir / 'index.html'}")
    for o in failed:
        progress(failure_message(o, reports_dir))
    if any("No space left on device" in o.error or "Errno 28" in o.error for o in failed):
        progress(f"  The disk is full (the failed runs above say so): free some space on the disk of {reports_dir} "
                 "and run again; the reports already on disk were kept.")
    return outcomes


class RunError(Exception):
    """A report run that could not start or go on (a locked, misplaced or unwritable folder); nothing was lost."""


class Interrupted(RunError):
    """Ctrl-C: the runs not yet finished were stopped; every report on disk is complete."""


def _os_error(err: OSError) -> str:
    reason = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
              errno.EACCES: "permission denied", errno.EPERM: "permission denied",
              errno.EDQUOT: "the disk quota is exceeded"}.get(err.errno, err.strerror or str(err))
    return reason + (f" ({err.filename})" if err.filename else "")


SEEDS = PACKAGE_DIR.resolve().parent / "seeds"


def check_folders(corpus_dir: Path, notebooks_dir: Path, reports_dir: Path, figures_dir: Path) -> None:
    """Refuse output folders that would write into the corpus (the next read would take the reports for
    articles), the shipped seeds or the notebooks, or that are files."""
    protected = [("the corpus folder", corpus_dir), ("the seeds folder", SEEDS), ("the notebooks folder", notebooks_dir)]
    for what, folder in (("reports", reports_dir), ("figures", figures_dir)):
        for label, place in protected:
            if folder == place or place in folder.parents:
                raise RunError(f"refusing to write the {what} to {folder}: it is inside {label} {place} (the "
                               f"reports would mix with the files they are made from); choose another "
                               f"{what.upper()} folder, e.g. --{what} {what} or make reports {what.upper()}={what}")
        if folder.exists() and not folder.is_dir():
            raise RunError(f"the {what} folder {folder} is a file, not a folder; choose another --{what}")
    if corpus_dir == reports_dir or reports_dir in corpus_dir.parents:
        raise RunError(f"refusing to write the reports to {reports_dir}: the corpus {corpus_dir} is inside it; "
                       "choose a reports folder of its own")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def lock(folder: Path, progress=print):
    """Hold ``folder/.lock`` (an flock, released by the system whatever ends the process, and a line with the
    pid, host and start time) for the duration; another live holder raises :class:`RunError`."""
    import fcntl
    path = folder / ".lock"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = _open_lock(path)
    except OSError as err:
        raise RunError(f"cannot write to the output folder {folder}: {_os_error(err)}; nothing there was "
                       "changed. Choose a folder you can write to (--reports / --figures, or make reports "
                       "REPORTS=... FIGURES=...)") from None
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_lock(fd)
                pid = holder.get("pid")
                if isinstance(pid, int) and holder.get("host") == socket.gethostname() and not _pid_alive(pid):
                    detail = (f"its run (pid {pid}) has ended but its worker processes still hold the lock; wait "
                              "a moment")
                else:
                    detail = f"pid {pid} on {holder.get('host', '?')}, started {holder.get('started', '?')}"
                raise RunError(f"another report run is writing to {folder} ({detail}); two runs on one "
                               f"folder would mix their files. Wait for it to finish, or give this run other "
                               f"--reports/--figures folders. If no such run exists, delete {path}") from None
            if os.path.exists(path) and os.stat(path).st_ino == os.fstat(fd).st_ino:
                break  # the lock file is still the one in the folder (an ending run unlinks it)
            os.close(fd)
            fd = _open_lock(path)
        previous = _read_lock(fd)
        if previous.get("pid"):
            progress(f"note: took over the lock {path} left by a report run that is no longer running "
                     f"(pid {previous['pid']}, started {previous.get('started', '?')})")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "started": time.strftime("%Y-%m-%d %H:%M:%S")}).encode() + b"\n", 0)
    except BaseException:
        os.close(fd)
        raise
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _open_lock(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


def _read_lock(fd: int) -> dict:
    try:
        value = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}


def recover(reports_dir: Path, progress=print) -> None:
    """Under the lock: roll back a publication a killed run left half done, and remove staging folders."""
    journals = reports_dir / ".publishing"
    for journal in sorted(journals.glob("*.json")) if journals.is_dir() else ():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            entries = []
        _roll_back(entries)
        journal.unlink()
        progress(f"note: an earlier run was stopped while publishing {journal.stem}; its previous report was "
                 "restored")
    shutil.rmtree(journals, ignore_errors=True)
    shutil.rmtree(reports_dir / ".staging", ignore_errors=True)


@contextlib.contextmanager
def _sigterm_interrupts():
    import threading
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _worker_started() -> None:
    """In each worker: Ctrl-C is the main process's to handle; SIGTERM (the main process stopping the run, or
    dying: PR_SET_PDEATHSIG) ends the worker and the kernel it started."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    with contextlib.suppress(Exception):
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _worker_stop(signum, frame) -> None:
    with contextlib.suppress(Exception):
        import psutil
        for child in psutil.Process().children(recursive=True):
            child.kill()
    os._exit(128 + signum)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def failure_message(outcome: Outcome, reports_dir: Path) -> str:
    """Two lines on a failed run: where it failed, and what is on disk now (the truth, either way)."""
    o = outcome
    where = (f"at cell {o.cell} of the executed notebook ({o.cell_source!r})" if o.cell is not None
             else "before any cell ran")
    label = "source" if o.run.group_by == DEFAULT_GROUP else o.run.group_by
    # a failed run publishes nothing, so a report on disk now is the one an earlier run made: say what is there
    earlier = Path(reports_dir) / "html" / f"{o.run.name}.reader.html"
    if earlier.exists():
        made = time.strftime("%Y-%m-%d %H:%M", time.localtime(earlier.stat().st_mtime))
        kept = f"the previous good report was left in place ({earlier}, made {made})"
    else:
        kept = f"no report of it is on disk ({earlier} does not exist): there is none for it yet"
    partial = Path(reports_dir) / "failed" / (o.run.name + ".ipynb")
    where_partial = (f"the partial run is in {partial}" if partial.exists()
                     else "no partial run was kept (it stopped before its notebook was written)")
    return (f"  FAILED {o.run.notebook}.ipynb for {label} {o.run.source!r} {where}: {o.error}\n"
            f"         {where_partial}; {kept}")


CELL_TIMEOUT = 600  # seconds one cell may run
KERNEL_STARTS = 3   # attempts to start a notebook's kernel (a start can lose its port to another process)


def _execute(run: Run, corpus_dir: Path, notebooks_dir: Path, reports_dir: Path, figures_dir: Path,
             top_n: int, cell_timeout: int = CELL_TIMEOUT) -> Outcome:
    """Run one notebook in a staging folder; publish its outputs only if it succeeds."""
    import papermill as pm

    started = time.perf_counter()
    staging = inside(reports_dir / ".staging", run.name)
    executed = staging / f"{run.name}.ipynb"
    # the kernel inherits this worker's stderr: send its chatter to a log kept with a failed run
    kernel_log = staging / "kernel.log"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "tables").mkdir(parents=True)
        (staging / "figures").mkdir(parents=True)
        log_file = open(kernel_log, "w")
    except OSError as err:   # a read-only or full disk: this run fails, the others are told the same
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(run, False, time.perf_counter() - started,
                       f"cannot write its staging folder {staging}: {type(err).__name__}: [Errno {err.errno}] "
                       f"{err.strerror}")
    saved_stderr = os.dup(2)
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
        with contextlib.suppress(OSError):  # kept when the disk allows; the failure is reported either way
            failed.parent.mkdir(parents=True, exist_ok=True)
            failed.unlink(missing_ok=True)
            if executed.exists():
                os.replace(executed, failed)
            os.replace(kernel_log, failed.with_suffix(".kernel.log"))
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(run, False, time.perf_counter() - started, f"{name}: {value}".strip()[:500], cell,
                       cell_source[0][:100] if cell_source else "")
    _restore_stderr(saved_stderr, log_file)
    kernel_log.unlink()
    try:
        files = _publish(run, staging, executed, html_files, reports_dir, figures_dir)
    except OSError as err:   # rolled back: the previous report is as it was
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(run, False, time.perf_counter() - started,
                       f"could not publish it: {type(err).__name__}: [Errno {err.errno}] {err.strerror} "
                       f"({err.filename}); the previous report was restored")
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
    """Move a successful run's files into place, and drop files an earlier run of it made but this one did not.

    One transaction: the files replaced or dropped are first linked aside (``.publishing/<run>/``) and
    the moves listed in a journal; only then are the new files moved in. A run killed in between is
    rolled back by :func:`recover` at the next start; an error here rolls back at once. SIGINT and SIGTERM
    wait until it is done."""
    targets = [(executed, reports_dir / "notebooks")] + [(p, reports_dir / "html") for p in html_files]
    targets += [(p, reports_dir / "tables") for p in sorted((staging / "tables").iterdir())]
    targets += [(p, figures_dir) for p in sorted((staging / "figures").iterdir())]
    moves = [(path, inside(folder, path.name)) for path, folder in targets]
    new = {str(destination) for _, destination in moves}
    prefix = f"{run.name}__"
    drops = [old for folder in (reports_dir / "tables", figures_dir) if folder.is_dir()
             for old in sorted(folder.glob(f"{prefix}*")) if str(old) not in new]
    aside = reports_dir / ".publishing" / run.name
    journal = reports_dir / ".publishing" / f"{run.name}.json"
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    entries = []
    try:
        shutil.rmtree(aside, ignore_errors=True)
        aside.mkdir(parents=True)
        for number, destination in enumerate([d for _, d in moves] + drops):
            backup = None
            if destination.exists():
                backup = aside / str(number)
                try:
                    os.link(destination, backup)
                except OSError:
                    shutil.copy2(destination, backup)   # another file system, or no hard links
            entries.append((str(destination), None if backup is None else str(backup)))
        tmp = journal.with_suffix(".tmp")
        tmp.write_text(json.dumps(entries), encoding="utf-8")
        os.replace(tmp, journal)            # from here on, a killed run is rolled back at the next start
        try:
            for path, destination in moves:
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, destination)
            for old in drops:
                old.unlink()
        except OSError:
            _roll_back(entries)
            journal.unlink()
            raise
        journal.unlink()                    # committed
    finally:
        if not journal.exists():            # else kept for recover(): the journal points into it
            shutil.rmtree(aside, ignore_errors=True)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return [str(destination) for _, destination in moves]


def _roll_back(entries) -> None:
    for destination, backup in entries:
        if backup is not None and Path(backup).exists():
            os.replace(backup, destination)
        elif backup is None:
            Path(destination).unlink(missing_ok=True)


def render_html(executed: Path, folder: Path, *, prune: bool = True) -> list[Path]:
    """A full HTML version (code and output) and a reader version (output only) of an executed notebook.

    Both use the ``offline`` template (``analysis/report/templates``): nbconvert's lab
    template without the scripts it would fetch from a CDN, so pages display
    offline. ``prune``: leave out the inline CSS that cannot apply (:func:`prune_css`).
    """
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(executed, as_version=4)
    templates = [str(PACKAGE_DIR / "report" / "templates")]
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
