"""Load-and-clean and segmentation speed, against an earlier version of the code in the same run.

Run: .venv/bin/python benchmarks/loading.py [--folder /tmp/synth/10mb] [--baseline REV] [--repeat 3] [--no-check]

Times, on one core, as benchmarks/scale.py ``stage_timings`` does:

* ``read_file`` over every file of the folder (decoding, boilerplate cleaning,
  metadata, dates, language);
* ``analysis.parse`` over the loaded documents (sentences and tokens), with a
  freshly built tokenizer each time (its cache starts empty, as in a new worker);
* ``_docs_frame`` over the loaded records (the docs, sentences and tokens tables,
  parse included), as read_corpus and the pipeline's batches call it.

``--baseline REV`` (default: the commit before this benchmark's speed-ups) is
extracted with ``git archive`` into a temporary folder and imported as a second
package, so old and new run alternately in one process on the same machine load;
the best of ``--repeat`` rounds (CPU seconds) is printed with the old/new ratio. Both versions'
outputs are checked equal first. The machine is shared: compare ratios within a run.
"""
from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import _before  # noqa: E402  (benchmarks/: the package at an earlier commit)

BASELINE = "e4300f001edff156078d6162962da1abdaade3ea"  # the code before the load/segmentation speed-ups


def baseline_package(rev: str, into: Path):
    """The ``analysis`` package as committed at ``rev``, imported as ``analysis_baseline``."""
    return _before.package_at(rev, into, "analysis_baseline")


def load(package, folder: Path, files: list[str]) -> list[dict]:
    corpus = package.corpus
    report, used, records = corpus._Report("ignore"), set(), []
    for rel in files:
        doc_id = corpus._doc_id(rel, None, used)
        used.add(doc_id)
        found, _, _ = corpus.read_file(folder, rel, doc_id, None, {}, 20_000_000, report)
        # (a record, or None, before pages of several news items; a list of records since)
        records.extend(found if isinstance(found, list) else [found] if found is not None else [])
    return records


def fresh_tokenizer(package) -> None:
    """Tokenizers with empty caches, built before the clock starts (as the pipeline builds them before forking)."""
    package.segment.english_tokenizer.cache_clear()
    package.segment.english_tokenizer()
    segmenter = getattr(package.segment, "_segmenter", None)  # (the tokenizer parse uses, when there is one)
    if segmenter is not None:
        segmenter.cache_clear()
        segmenter()


def timed(fn):
    """CPU seconds of ``fn()`` (this process's CPU time: steadier than wall time on a shared machine; the
    stages run on one core, so it is their wall time when nothing else runs) and its result."""
    gc.collect()
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/synth/10mb"))
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-check", action="store_true",
                        help="time the two versions without checking their outputs equal (when cleaning changed)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    import analysis

    with tempfile.TemporaryDirectory() as tmp:
        versions = {"old": baseline_package(args.baseline, Path(tmp)), "new": analysis}
        files, _ = analysis.corpus.loading._corpus_files(args.folder)
        raw_mb = sum((args.folder / f).stat().st_size for f in files) / 1e6
        # warm up (imports, rules, lexicons) and check the two versions agree
        outputs = {}
        for name, package in versions.items():
            package.read_corpus(ROOT / "seeds")
            records = load(package, args.folder, files)
            docs = pd.DataFrame(records)[["doc_id", "file", "source", "date", "text"]]
            outputs[name] = (records, package.parse(docs))
        if not args.no_check:
            pd.testing.assert_frame_equal(pd.DataFrame(outputs["old"][0]), pd.DataFrame(outputs["new"][0]),
                                          check_exact=True)
            for old, new in zip(outputs["old"][1], outputs["new"][1]):
                pd.testing.assert_frame_equal(old, new, check_exact=True)
        records = outputs["new"][0]
        docs = pd.DataFrame(records)[["doc_id", "file", "source", "date", "text"]]
        mb = docs["text"].str.encode("utf-8").str.len().sum() / 1e6
        del outputs

        best: dict[tuple[str, str], float] = {}
        for round_ in range(args.repeat):
            for name, package in versions.items():
                seconds = {}
                seconds["load and clean (read_file)"], _ = timed(lambda p=package: load(p, args.folder, files))
                fresh_tokenizer(package)
                seconds["segmentation (parse)"], _ = timed(lambda p=package: p.parse(docs))
                fresh_tokenizer(package)
                seconds["_docs_frame (parse + tables)"], _ = timed(lambda p=package: p.corpus._docs_frame(records))
                for stage, s in seconds.items():
                    best[stage, name] = min(best.get((stage, name), s), s)
                print(f"round {round_ + 1} {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items()),
                      flush=True)

    print(f"\n{args.folder}: {len(files)} files, {raw_mb:.2f} MB raw, {mb:.2f} MB clean text; "
          f"best of {args.repeat}, CPU seconds on one core (MB/s of clean text)")
    print(f"{'stage':32} {'old s':>7} {'old MB/s':>9} {'new s':>7} {'new MB/s':>9} {'old/new':>8}")
    for stage in dict.fromkeys(s for s, _ in best):
        old, new = best[stage, "old"], best[stage, "new"]
        print(f"{stage:32} {old:7.2f} {mb / old:9.2f} {new:7.2f} {mb / new:9.2f} {old / new:8.2f}")


if __name__ == "__main__":
    main()
