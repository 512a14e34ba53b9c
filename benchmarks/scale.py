"""Scale benchmark: every stage, the whole pipeline on all cores, the cache, and the reference costs.

Run: .venv/bin/python benchmarks/scale.py [--sizes 1 10 100] [--stage-mb 10] [--jobs 2] [--root /tmp/synth]

1. Synthetic corpora of 1, 10 and 100 MB of clean text are generated (once)
   by benchmarks/synthetic.py under --root.
2. On the --stage-mb corpus, each stage is timed alone on one core, and so are
   the two references: TextBlob sentiment alone on the same sentences (the
   cost nobody can avoid) and a naive baseline (per-document TextBlob plus
   Python loops for counts, actor names and frame terms).
3. On every corpus, the whole pipeline (analysis.run.pipeline.analyse, --jobs
   processes) runs cold (empty cache), warm (same cache, unchanged corpus),
   and once more after one document is added, each in a fresh interpreter
   (times exclude Python's start and imports, and include loading the
   tokenizer and lexicons). Peak memory is the largest sum, over that process
   and its workers, of proportional set size (PSS: shared pages divided among
   the processes that share them), sampled every 0.1 s. TextBlob alone is
   timed likewise after its import (and with its lexicon already loaded; the
   pipeline's time includes loading every lexicon and the tokenizer).

Printed ratios, against the targets of issue 7:
* pipeline throughput / TextBlob-alone throughput (target >= 1.0);
* peak memory / (3 x corpus text + 1 GB) (target <= 1.0);
* cost of 100 MB / cost of 10 MB (target <= 12);
* cold / warm wall time (target >= 10);
* documents recomputed after adding one (target: 1).
The numbers depend on the machine; the ratios are what to compare.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analysis  # noqa: E402
from analysis.corpus.loading import _corpus_files, _doc_id, _Report, read_file  # noqa: E402
from analysis.measures.frequency import document_term_counts  # noqa: E402


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # registered before it runs, as its dataclasses need
    spec.loader.exec_module(module)
    return module


class PeakMemory:
    """Largest total PSS (bytes) of process ``pid`` and its children while the block runs."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.process, self.interval, self.peak, self._stop = psutil.Process(pid), interval, 0, threading.Event()

    def _total(self) -> int:
        total = 0
        try:
            processes = [self.process, *self.process.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        for proc in processes:
            try:
                total += proc.memory_full_info().pss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def corpus(root: Path, mb: float) -> Path:
    folder = root / f"{mb:g}mb"
    if not (folder / ".synthetic_truth.csv").exists():  # written last by the generator
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {folder} ...", flush=True)
        seconds, _ = timed(lambda: _synthetic().generate_corpus(folder, mb))
        print(f"  generated in {seconds:.1f} s", flush=True)
    return folder


def naive_baseline(docs, frame_terms: list[str], actor_variants: list[str]) -> None:
    """What a first script does: TextBlob per document, and Python loops for counts, actors and frames."""
    from textblob import TextBlob
    counts: dict = {}
    for row in docs.itertuples():
        blob = TextBlob(row.text)
        _ = blob.sentiment  # per-document polarity and subjectivity
        counter = counts.setdefault(row.source, Counter())
        for word in row.text.lower().split():
            counter[word.strip(".,;:!?\"'“”‘’()")] += 1
        for variant in actor_variants:
            row.text.count(variant)
        for term in frame_terms:
            for _ in re.finditer(r"\b" + re.escape(term) + r"\b", row.text, flags=re.IGNORECASE):
                pass


class Stages:
    """Seconds and extra memory of each stage: the peak resident memory of this process while the stage runs
    (sampled every 10 ms) above its level when the stage starts, after freed memory went back to the OS."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.extra: dict[str, int] = {}
        self.process, self.peak = psutil.Process(), 0
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self):
        while True:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.01)

    def run(self, name: str, fn):
        from analysis.run.memory import release_memory
        release_memory()
        base = self.peak = self.process.memory_info().rss
        self.seconds[name], result = timed(fn)
        self.extra[name] = max(0, self.peak - base)
        return result


def _all_stages(docs, sents, toks, stages: Stages) -> None:
    """Run (and time into ``stages``) every measure after segmentation."""
    ments = stages.run("actor mentions", lambda: analysis.mentions(docs, sents=sents))
    # as the pipeline counts: per document and term, then keyness and log-odds from the summed counts
    counts = stages.run("term counts", lambda: document_term_counts(toks))
    stages.run("term counts + tf-idf per source", lambda: analysis.term_counts(counts))
    stages.run("keyness (every source vs rest)", lambda: analysis.keyness_all(counts))
    stages.run("log-odds", lambda: analysis.log_odds(counts))
    stages.run("TextBlob + VADER sentiment", lambda: analysis.sentence_sentiment(docs, sents))
    spans = stages.run("quotes", lambda: analysis.quoted_spans(docs, sents=sents, ments=ments))
    stages.run("naming choices", lambda: analysis.naming_choices(docs, sents=sents, spans=spans))
    stages.run("frames", lambda: analysis.frame_scores(docs, sents=sents, toks=toks))
    stages.run("text reuse", lambda: analysis.text_reuse(docs, sents=sents, toks=toks, ments=ments))


def stage_timings(folder: Path) -> tuple[dict, float, float]:
    """Seconds per stage on one core, TextBlob alone, and the naive baseline; and the MB of clean text."""
    warnings.simplefilter("ignore")
    # every stage once on the seeds first: imports (scikit-learn, scipy) and lexicon loading are not timed
    seeds = analysis.read_corpus(ROOT / "seeds")
    _all_stages(seeds.docs, seeds.sentences, seeds.tokens, Stages())
    files, _ = _corpus_files(folder)
    stages = Stages()
    report, used, records = _Report("ignore"), set(), []

    def load():
        for rel in files:
            doc_id = _doc_id(rel, None, used)
            used.add(doc_id)
            found, _, _ = read_file(folder, rel, doc_id, None, {}, 20_000_000, report)
            records.extend(found)  # (one record per news item of the page)
    stages.run("load and clean", load)
    docs = pd.DataFrame(records)[["doc_id", "file", "source", "date", "text"]]
    mb = docs["text"].str.encode("utf-8").str.len().sum() / 1e6
    # one pass gives sentences and tokens (spaCy's tokenizer, then the sentence rule over its tokens)
    sents, toks = stages.run("segmentation + tokens (one pass)", lambda: analysis.parse(docs))
    _all_stages(docs, sents, toks, stages)
    from textblob.en.sentiments import PatternAnalyzer
    analyzer = PatternAnalyzer()
    texts = sents["text"].tolist()
    stages.run("TextBlob alone (reference)", lambda: [analyzer.analyze(t) for t in texts])
    textblob_alone = stages.seconds.pop("TextBlob alone (reference)")
    frame_terms = [t.replace("*", "") for t in analysis.read_frame_dictionary()["term"]]
    actor_variants = analysis.read_gazetteer()["variant"].tolist()
    stages.run("naive baseline (per-document TextBlob, loops)", lambda: naive_baseline(docs, frame_terms,
                                                                                      actor_variants))
    naive = stages.seconds.pop("naive baseline (per-document TextBlob, loops)")
    print(f"\nstages on one core, {mb:.2f} MB of clean text, {len(docs)} documents, {len(sents)} sentences "
          f"({sents['text'].nunique() / len(sents):.1%} distinct); extra MB: the stage's peak resident memory "
          "above its start")
    print(f"{'stage':46} {'seconds':>8} {'MB/s':>7} {'x TextBlob':>10} {'extra MB':>9}")
    for name, seconds in stages.seconds.items():
        print(f"{name:46} {seconds:8.2f} {mb / seconds:7.2f} {seconds / textblob_alone:10.2f} "
              f"{stages.extra[name] / 1e6:9.0f}")
    total = sum(stages.seconds.values())
    print(f"{'all stages, one core (sum)':46} {total:8.2f} {mb / total:7.2f} {total / textblob_alone:10.2f}")
    for name, seconds in [("TextBlob alone (reference)", textblob_alone),
                          ("naive baseline (per-document TextBlob, loops)", naive)]:
        print(f"{name:46} {seconds:8.2f} {mb / seconds:7.2f} {seconds / textblob_alone:10.2f} "
              f"{stages.extra[name] / 1e6:9.0f}")
    return stages.seconds, textblob_alone, mb


def add_one_document(folder: Path) -> Path:
    """Copy the first file under a new name with one changed sentence: a new document."""
    files, _ = _corpus_files(folder)
    source = folder / files[0]
    target = folder / ("zz_added_" + Path(files[0]).name)
    text = source.read_bytes().decode("utf-8-sig")
    target.write_text(text.replace(".", ". This sentence was added for the benchmark.", 1), encoding="utf-8")
    return target


RUN = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
# imports are not timed, here as for TextBlob alone: the pipeline would otherwise pay TextBlob's import of
# NLTK and SciPy (1.8 s) inside the run, where it first needs them
import textblob.en.sentiments, vaderSentiment.vaderSentiment
from analysis.run import pipeline
start = time.perf_counter()
result = pipeline.analyse(sys.argv[1], cache=sys.argv[2], n_jobs=int(sys.argv[3]), errors="ignore")
print(json.dumps({"seconds": time.perf_counter() - start, **result.stats, "docs": len(result.docs),
                  "pairs": len(result.tables["reuse_pairs"])}))
"""


def run_once(folder: Path, cache: Path, jobs: int) -> dict:
    """One analyse() in a fresh interpreter (its own memory; the time excludes Python's start and imports)."""
    process = subprocess.Popen([sys.executable, "-c", RUN, str(folder), str(cache), str(jobs)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as memory:
        out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"the pipeline failed on {folder}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak": memory.peak}


def whole_pipeline(folder: Path, jobs: int) -> dict:
    cache = Path(tempfile.mkdtemp(prefix="scale-cache-"))
    try:
        cold = run_once(folder, cache, jobs)
        warm = run_once(folder, cache, jobs)
        added = add_one_document(folder)
        try:
            grown = run_once(folder, cache, jobs)
        finally:
            added.unlink()
        return {"mb": cold["text_mb"], "docs": cold["docs"], "sentences": cold["sentences"],
                "cold": cold["seconds"], "warm": warm["seconds"], "peak": cold["peak"], "grown": grown["seconds"],
                "recomputed": grown["documents_computed"], "warm_cached": warm["result_cached"],
                "pairs": cold["pairs"]}
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--stage-mb", type=float, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "synth")
    args = parser.parse_args()
    _, textblob_alone, stage_mb = stage_timings(corpus(args.root, args.stage_mb))
    textblob_mbps = stage_mb / textblob_alone
    runs = {}
    print(f"\nwhole pipeline, {args.jobs} processes; TextBlob alone runs at {textblob_mbps:.2f} MB/s on one core")
    print(f"{'corpus':>8} {'docs':>7} {'cold s':>8} {'MB/s':>6} {'x TextBlob':>10} {'peak MB':>8} {'mem limit':>9} "
          f"{'warm s':>7} {'cold/warm':>9} {'+1 doc s':>8} {'recomputed':>10} {'reuse pairs':>11}")
    for size in args.sizes:
        run = whole_pipeline(corpus(args.root, size), args.jobs)
        runs[size] = run
        limit = 3 * run["mb"] * 1e6 + 1e9
        print(f"{run['mb']:7.1f}M {run['docs']:7d} {run['cold']:8.1f} {run['mb'] / run['cold']:6.2f} "
              f"{run['mb'] / run['cold'] / textblob_mbps:10.2f} {run['peak'] / 1e6:8.0f} {run['peak'] / limit:9.2f} "
              f"{run['warm']:7.2f} {run['cold'] / run['warm']:9.0f} {run['grown']:8.2f} {run['recomputed']:10d} "
              f"{run['pairs']:11d}", flush=True)
    print("\nratios against the targets")
    for size, run in runs.items():
        print(f"  {size:g} MB: throughput {run['mb'] / run['cold'] / textblob_mbps:.2f}x TextBlob alone (>= 1.0); "
              f"peak memory {run['peak'] / (3 * run['mb'] * 1e6 + 1e9):.2f} of 3 x text + 1 GB (<= 1.0); "
              f"warm run {run['cold'] / run['warm']:.0f}x faster (>= 10); one added document recomputed "
              f"{run['recomputed']} document(s) (1)")
    if 10 in runs and 100 in runs:
        print(f"  100 MB costs {runs[100]['cold'] / runs[10]['cold']:.1f}x what 10 MB costs (<= 12)")


if __name__ == "__main__":
    main()
