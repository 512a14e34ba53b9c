"""Faults in runs (issue 16): interrupted and concurrent report runs, damaged cache entries, unwritable or
misplaced output folders, and the Makefile's quoting. The interrupted and concurrent cases run
``python -m analysis reports`` as real subprocesses and send them real signals."""
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from analysis.run import pipeline, runner, store
from analysis.errors import CorpusError
from conftest import ROOT, SEEDS

NOTEBOOKS = ROOT / "notebooks"
ONE = ["--only", "01_corpus_overview", "--per-source", "none", "--jobs", "1"]


def cli(*args, cwd=ROOT, timeout=300):
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def reports_args(corpus, reports, figures):
    return ["reports", "--corpus", corpus, "--notebooks", NOTEBOOKS, "--reports", reports, "--figures", figures, *ONE]


def snapshot(*folders):
    """Every published file's bytes (the lock, staging and journal folders are the run's own)."""
    return {p: p.read_bytes() for folder in folders for p in Path(folder).rglob("*")
            if p.is_file() and not {".staging", ".publishing"} & set(p.parts) and p.name != ".lock"}


# ---------------------------------------------------------------- the cache

def _quiet(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pipeline.analyse(**kwargs)


@pytest.fixture(scope="module")
def cached(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cache")
    corpus = tmp / "corpus"
    shutil.copytree(SEEDS, corpus)
    first = _quiet(path=corpus, cache=tmp / "cache", n_jobs=1)
    return corpus, tmp / "cache", first


def _damage(cache: Path, how: str) -> Path:
    batches = sorted(cache.rglob("batches/*.keys.json"))
    if how == "result":
        target = next(cache.rglob("results/*.pkl"))
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
        return target
    for result in cache.rglob("results/*.pkl"):   # so that the batches are read
        result.unlink()
    if how == "keys":
        batches[0].write_text("{garbage", encoding="utf-8")
        return batches[0]
    part = {"batch": "partials.pkl", "array": "shingle_h.npy", "flipped": "partials.pkl"}[how]
    target = sorted(cache.rglob(f"batches/*.{part}"))[0]
    data = bytearray(target.read_bytes())
    if how == "flipped":          # same size, one byte changed: only the checksum sees it
        data[len(data) // 2] ^= 0xFF
    else:
        data = data[: len(data) // 2]
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("how", ["result", "batch", "array", "keys", "flipped"])
def test_a_damaged_cache_entry_is_recomputed_with_a_note(cached, tmp_path, how):
    corpus, cache, first = cached
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    damaged = _damage(copy, how)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = pipeline.analyse(corpus, cache=copy, n_jobs=1)
    notes = again.stats["cache_notes"]
    assert notes and any(damaged.name in n or damaged.stem[:24] in n for n in notes), notes
    assert any(isinstance(w.message, store.CacheWarning) for w in caught)
    if how == "keys":
        assert str(damaged) in notes[0] and "not a valid key list" in notes[0]
    assert not again.stats["result_cached"]
    if how != "result":
        assert again.stats["documents_computed"] > 0
    for name, table in first.tables.items():
        assert again.tables[name].equals(table), name
    # and the cache is whole again: a third run takes everything from it, without a note
    third = _quiet(path=corpus, cache=copy, n_jobs=1)
    assert third.stats["result_cached"] and third.stats["cache_notes"] == []


def test_the_command_line_notes_a_damaged_cache_and_goes_on(cached, tmp_path):
    corpus, cache, _ = cached
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    _damage(copy, "batch")
    result = cli("analyse", corpus, "--cache", copy, "--out", tmp_path / "tables", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "note: cache:" in result.stdout and "computed again" in result.stdout
    assert "Traceback" not in result.stderr


def test_evidence_from_a_damaged_batch_names_the_file_and_the_way_out(cached, tmp_path):
    corpus, cache, _ = cached
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    result = _quiet(path=corpus, cache=copy, n_jobs=1)
    part = sorted(copy.rglob("batches/*.evidence.pkl"))[0]
    part.write_bytes(part.read_bytes()[:100])
    with pytest.raises(CorpusError, match=rf"{part.name}.*damaged.*run analyse again"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result.evidence("sentences")
    assert not part.exists()


# ---------------------------------------------------------------- folders: misplaced, unwritable, locked

@pytest.mark.parametrize("where", ["seeds", "corpus", "notebooks"])
def test_reports_inside_the_seeds_the_corpus_or_the_notebooks_are_refused(tmp_path, where):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    inside = {"seeds": SEEDS / "reports", "corpus": corpus / "out", "notebooks": NOTEBOOKS / "out"}[where]
    result = cli(*reports_args(corpus, inside, tmp_path / "figures"))
    assert result.returncode == 2 and "refusing to write the reports" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not inside.exists()
    with pytest.raises(runner.RunError, match="refusing to write the figures"):
        runner.check_folders(corpus.resolve(), NOTEBOOKS, tmp_path / "reports", inside.resolve())


def test_a_read_only_output_folder_fails_with_a_message_and_keeps_the_reports(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    (reports / "html").mkdir(parents=True)
    (reports / "html" / "old.reader.html").write_text("old", encoding="utf-8")

    def read_only(path):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(runner, "_open_lock", read_only)
    with pytest.raises(runner.RunError, match=r"cannot write to the output folder .*reports: the file system is "
                                              r"read-only .*nothing there was changed"):
        runner.run_reports(SEEDS, notebooks_dir=NOTEBOOKS, reports_dir=reports, figures_dir=tmp_path / "f",
                           progress=lambda line: None)
    assert (reports / "html" / "old.reader.html").read_text(encoding="utf-8") == "old"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_folder_without_write_permission_is_named(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    reports.chmod(0o555)
    try:
        result = cli(*reports_args(SEEDS, reports, tmp_path / "figures"))
    finally:
        reports.chmod(0o755)
    assert result.returncode == 2 and f"cannot write to the output folder {reports}" in result.stderr


def test_a_full_disk_fails_the_runs_with_a_message_and_keeps_the_reports(tmp_path, monkeypatch):
    import papermill
    reports = tmp_path / "reports"
    (reports / "html").mkdir(parents=True)
    old = reports / "html" / "01_corpus_overview__all.reader.html"
    old.write_text("the previous good report", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(papermill, "execute_notebook", full)   # the worker is forked: it has the patch too
    lines = []
    outcomes = runner.run_reports(SEEDS, notebooks_dir=NOTEBOOKS, reports_dir=reports, figures_dir=tmp_path / "f",
                                  sources=[], jobs=1, progress=lines.append,
                                  notebooks={"01_corpus_overview": runner.NOTEBOOKS["01_corpus_overview"]})
    assert [o.ok for o in outcomes] == [False]
    text = "\n".join(lines)
    assert "No space left on device" in text and "The disk is full" in text
    assert f"the previous good report was left in place ({old}" in text
    assert old.read_text(encoding="utf-8") == "the previous good report"


def test_a_failed_run_says_no_report_is_on_disk_when_none_is(tmp_path):
    outcome = runner.Outcome(runner.Run("01_corpus_overview", "all"), False, 1.0, "RuntimeError: boom", 6, "raise")
    message = runner.failure_message(outcome, tmp_path / "empty")
    assert "previous good report" not in message
    assert "no report of it is on disk" in message and "no partial run was kept" in message


def test_a_live_lock_refuses_a_second_run_and_a_dead_ones_is_taken_over(tmp_path):
    reports = tmp_path / "reports"
    with runner.lock(reports, progress=lambda line: None) as path:
        assert json.loads(path.read_text())["pid"] == os.getpid()
        result = cli(*reports_args(SEEDS, reports, tmp_path / "figures"), timeout=60)
        assert result.returncode == 2, result.stderr
        assert f"another report run is writing to {reports} (pid {os.getpid()}" in result.stderr
        assert f"delete {path}" in result.stderr and "Traceback" not in result.stderr
    assert not path.exists()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket
    path.write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname(), "started": "then"}))
    lines = []
    with runner.lock(reports, progress=lines.append):
        pass
    assert lines == [f"note: took over the lock {path} left by a report run that is no longer running "
                     f"(pid {int(dead.stdout)}, started then)"]


# ---------------------------------------------------------------- publishing as one transaction

def _staged(tmp_path):
    """A staged run of 01 for 'all' with new files, over an earlier report with one more table."""
    reports, figures, staging = tmp_path / "reports", tmp_path / "figures", tmp_path / "reports" / ".staging" / "x"
    run = runner.Run("01_corpus_overview", "all")
    for folder in (reports / "notebooks", reports / "html", reports / "tables", figures, staging / "tables",
                   staging / "figures"):
        folder.mkdir(parents=True, exist_ok=True)
    names = [reports / "notebooks" / f"{run.name}.ipynb", reports / "html" / f"{run.name}.html",
             reports / "tables" / f"{run.name}__a.csv", reports / "tables" / f"{run.name}__gone.csv",
             figures / f"{run.name}__a.png"]
    for path in names:
        path.write_text("old " + path.name)
    (staging / f"{run.name}.ipynb").write_text("new")
    (staging / f"{run.name}.html").write_text("new")
    (staging / "tables" / f"{run.name}__a.csv").write_text("new")
    (staging / "tables" / f"{run.name}__b.csv").write_text("new")   # a table the earlier report did not have
    (staging / "figures" / f"{run.name}__a.png").write_text("new")
    return run, reports, figures, staging


def test_a_run_killed_while_publishing_is_rolled_back_at_the_next_start(tmp_path):
    run, reports, figures, staging = _staged(tmp_path)
    before = snapshot(reports, figures)
    # in a real process, os.replace dies (os._exit: nothing cleans up) after moving two files
    code = f"""
import os, sys
sys.path.insert(0, {str(ROOT / 'tests')!r})
from pathlib import Path
from analysis.run import runner
real, moved = os.replace, []
def dying(src, dst):
    if str(dst).endswith('.json'):
        return real(src, dst)
    if len(moved) == 2:
        os._exit(9)
    moved.append(dst)
    real(src, dst)
runner.os.replace = dying
staging = Path({str(staging)!r})
runner._publish(runner.Run("01_corpus_overview", "all"), staging, staging / "01_corpus_overview__all.ipynb",
                [staging / "01_corpus_overview__all.html"], Path({str(reports)!r}), Path({str(figures)!r}))
"""
    died = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert died.returncode == 9, died.stderr
    assert snapshot(reports, figures) != before         # half published
    lines = []
    runner.recover(reports, lines.append)
    assert snapshot(reports, figures) == before         # the earlier report, whole
    assert lines and "stopped while publishing 01_corpus_overview__all" in lines[0]
    assert not (reports / ".publishing").exists() and not (reports / ".staging").exists()


def test_an_error_while_publishing_restores_the_previous_report(tmp_path, monkeypatch):
    run, reports, figures, staging = _staged(tmp_path)
    before = snapshot(reports, figures)
    real, moved = os.replace, []

    def failing(src, dst):
        if str(dst).endswith(".json") or moved.__len__() < 3 or ".publishing" in str(src):
            moved.append(dst)
            return real(src, dst)
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(runner.os, "replace", failing)
    with pytest.raises(OSError):
        runner._publish(run, staging, staging / f"{run.name}.ipynb", [staging / f"{run.name}.html"], reports,
                        figures)
    monkeypatch.undo()
    assert snapshot(reports, figures) == before
    assert not (reports / ".publishing" / f"{run.name}.json").exists()


# ---------------------------------------------------------------- real runs, real signals

@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    """A corpus copy and a good report site of one notebook, made by the command line."""
    tmp = tmp_path_factory.mktemp("site")
    corpus = tmp / "my corpus"                     # a space in the name, as researchers' folders have
    shutil.copytree(SEEDS, corpus)
    result = cli(*reports_args(corpus, tmp / "reports", tmp / "figures"))
    assert result.returncode == 0, result.stdout + result.stderr
    return corpus, tmp / "reports", tmp / "figures"


def _start(args):
    """A report run in its own session (so a signal to its group is what Ctrl-C in a terminal sends); returns
    once it has started its notebooks."""
    process = subprocess.Popen([sys.executable, "-m", "analysis", *map(str, args)], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Running"):
            break
    time.sleep(3)   # the worker has forked and its kernel is starting or running the notebook
    return process, lines


@pytest.mark.slow
def test_ctrl_c_keeps_the_reports_and_a_concurrent_run_is_refused(good_site):
    corpus, reports, figures = good_site
    before = snapshot(reports, figures)
    first, _ = _start(reports_args(corpus, reports, figures))
    second = cli(*reports_args(corpus, reports, figures), timeout=60)   # while the first one runs
    assert second.returncode == 2, second.stdout + second.stderr
    assert f"another report run is writing to {reports} (pid {first.pid}" in second.stderr
    os.killpg(first.pid, signal.SIGINT)                                 # Ctrl-C
    out, err = first.communicate(timeout=120)
    assert first.returncode == 130, out + err
    assert "interrupted after 0 of 1 notebooks" in err and "Traceback" not in err
    assert snapshot(reports, figures) == before
    assert not (reports / ".lock").exists()
    again = cli(*reports_args(corpus, reports, figures))
    assert again.returncode == 0 and "1 succeeded, 0 failed" in again.stdout, again.stdout + again.stderr


@pytest.mark.slow
def test_sigkill_keeps_the_reports_and_the_next_run_takes_over_the_lock(good_site):
    corpus, reports, figures = good_site
    before = snapshot(reports, figures)
    first, _ = _start(reports_args(corpus, reports, figures))
    os.kill(first.pid, signal.SIGKILL)       # the main process only: its workers and kernel must not linger
    first.communicate(timeout=60)
    assert json.loads((reports / ".lock").read_text())["pid"] == first.pid
    assert snapshot(reports, figures) == before
    again = cli(*reports_args(corpus, reports, figures))
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"note: took over the lock {reports / '.lock'} left by a report run that is no longer running " \
           f"(pid {first.pid}" in again.stdout
    assert "1 succeeded, 0 failed" in again.stdout
    assert not (reports / ".staging").exists() or not any((reports / ".staging").iterdir())


# ---------------------------------------------------------------- the Makefile

def test_make_reports_passes_folders_with_spaces_and_quotes_as_one_argument(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake = venv / "bin" / "python"      # prints its arguments, one per line
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\n')
    fake.chmod(0o755)
    (venv / ".installed").touch()
    os.utime(venv / ".installed", (time.time() + 3600,) * 2)   # newer than the lock file: no rebuild
    result = subprocess.run(["make", "-s", "reports", f"VENV={venv}", "CORPUS=my corpus", "REPORTS=it's here",
                             "FIGURES=a $$HOME b", "GROUP=side", "SOURCES=A B;C", "JOBS=2", "PER_SOURCE=all"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[--corpus]\n[my corpus]\n" in out
    assert "[--reports]\n[it's here]\n" in out
    assert "[--figures]\n[a $HOME b]\n" in out
    assert "[--sources]\n[A B;C]\n" in out and "[--jobs]\n[2]\n" in out and "[--per-source]\n[all]\n" in out
