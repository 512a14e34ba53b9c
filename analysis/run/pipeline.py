"""The whole analysis of a corpus folder, on all cores, cached by content.

:func:`analyse` reads, cleans and analyses every file of a corpus folder and
returns an :class:`Analysis`: the per-source tables (term counts, keyness,
log-odds, sentiment, frames, naming, voices, actor salience, text reuse) and,
on demand, the per-document evidence behind every number.

How it scales:

* **Map.** Every per-document stage (decode and clean, segmentation, actor
  mentions, TextBlob and VADER sentiment, quotes, naming choices, frame
  matches, term counts, reuse shingles) runs in :func:`document_tables`, which
  depends on one document at a time. Batches of files go to a process pool
  (``n_jobs`` processes; TextBlob and VADER are pure Python, so threads would
  not help), and each batch's results go to the cache (:mod:`analysis.run.store`).
* **Reduce.** Workers also return small per-document *partials* (counts); the
  per-source tables are sums of them, so the parent never holds a token table
  and memory grows with the vocabulary and the number of sentences, not with
  the text. Reuse shingles stay on disk, sorted by hash, and are read one hash
  range at a time; the per-source tables are computed while worker processes
  align the candidate reuse pairs, in waves of a bounded number of documents.
  The same map and reduce run on Dask (:mod:`analysis.run.distributed`).
* **Cache.** A document is recomputed only when its key changes (its bytes,
  name, manifest row or overrides, or the code, lexicons, library versions
  and options: :func:`analysis.run.store.fingerprint`). A second run on an
  unchanged corpus loads the finished result; adding a document computes that
  document only (and aligns only its new candidate reuse pairs).

Numbers equal those of the single-table functions (``term_counts(tokens)``,
``keyness``, ``sentiment_summary``, ``frame_scores``, ...) on the same corpus;
``tests/test_pipeline.py`` checks it.

The jobs live in their own modules, in the order a run meets them: :mod:`~analysis.run.cache_keys` (one
job per file, with its key), :mod:`~analysis.run.batching` (batches on worker processes),
:mod:`~analysis.run.document_stage` (the map), :mod:`~analysis.run.partials` and
:mod:`~analysis.run.reduction` (the reduce), :mod:`~analysis.run.memory` and :mod:`~analysis.run.store` (the
cache). This module is the run itself: :func:`analyse` and its result, :class:`Analysis`.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import store as store_module
from ..corpus.templates import TEMPLATE_MIN_DOCS
from ..errors import NOTE, CorpusError, CorpusWarning
from .batching import BATCH_BYTES, compute
from .cache_keys import corpus_jobs, corpus_key
from .document_stage import EVIDENCE
from .memory import release_memory
from .partials import TermTotals
from .reduction import reduce_batches

DEFAULT_CACHE = Path(".cache") / "conflict-framing"
CACHE_ATTEMPTS = 20  # damaged cache entries removed in one run before the cache folder is given up on


@dataclass
class Analysis:
    """The result of :func:`analyse`: per-source tables, the documents, the problems, and how it was computed.

    ``tables``: name -> DataFrame (term_counts, keyness, log_odds, sentiment,
    frame_scores, naming_shares, voices, actor_salience, reuse_pairs,
    reuse_passages). ``docs``: one row per analysed document (metadata, no
    text). ``problems``: as :attr:`analysis.Corpus.problems`. ``stats``: how
    many documents were computed and how many came from the cache.
    :meth:`evidence` loads a per-document table (sentences with scores,
    mentions, quoted_spans, naming_choices, frame_matches, docs, lines,
    provenance) for the documents of this analysis.
    """

    tables: dict[str, pd.DataFrame]
    docs: pd.DataFrame
    problems: pd.DataFrame
    stats: dict = field(default_factory=dict)
    store_root: str | None = None
    fingerprint: str | None = None
    batches: dict[str, list[str]] = field(default_factory=dict)  # batch name -> doc keys used from it

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def evidence(self, name: str, **equal: object) -> pd.DataFrame:
        """A per-document table for this analysis' documents, optionally filtered (``source="OpsLens"``)."""
        if name not in EVIDENCE:
            raise ValueError(f"no evidence table {name!r}; tables are {', '.join(EVIDENCE)}")
        store = store_module.Store(self.store_root, self.fingerprint)
        if not store.batches.is_dir():
            raise CorpusError(f"the evidence of this analysis is no longer in '{self.store_root}' (the cache was "
                              "deleted, or analyse ran with cache=None): run analyse again with a cache folder")
        parts = []
        for batch, keys in sorted(self.batches.items()):
            try:
                table = store.read_batch(batch, "evidence").get(name)
            except store_module.CorruptEntry as err:
                store.forget(err)  # the next analyse computes its documents again
                raise CorpusError(f"{err}: it was removed; run analyse again (it recomputes only the documents "
                                  f"that entry held), then ask for the evidence again") from None
            if table is None or table.empty:
                continue
            table = table[table["doc_key"].isin(keys)]
            for column, value in equal.items():
                table = table[table[column] == value]
            parts.append(table.drop(columns="doc_key"))
        if not parts:
            return pd.DataFrame()
        table = pd.concat(parts, ignore_index=True)
        order = table["doc_id"].map(dict(zip(self.docs["doc_id"], range(len(self.docs)))))
        return table.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)  # corpus order


def analyse(path: str | Path = "seeds", *, cache: str | Path | None = DEFAULT_CACHE, n_jobs: int | None = None,
            manifest: str | Path | bool | None = None, overrides=None, max_file_mb: float = 20.0,
            keep_duplicates: bool = False, batch_bytes: int = BATCH_BYTES, errors: str = "warn",
            template_min_docs: int = TEMPLATE_MIN_DOCS) -> Analysis:
    """Analyse every .txt/.html file under ``path`` (options as :func:`analysis.read_corpus`).

    ``cache``: the folder of the content-keyed cache (default
    ``.cache/conflict-framing`` in the working directory); ``None`` uses a
    temporary folder that is deleted afterwards (nothing reused, and no
    :meth:`Analysis.evidence` afterwards).
    ``n_jobs``: worker processes (default: all cores; 1 runs in this process).
    ``errors``: "warn" (problems also become warnings), "ignore", or "raise"
    (a :class:`CorpusError` after the run if any file was skipped or warned about).
    """
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError("errors must be 'warn', 'raise' or 'ignore'")
    if cache is None:
        import tempfile
        with tempfile.TemporaryDirectory(prefix="conflict-framing-") as tmp:
            return analyse(path, cache=tmp, n_jobs=n_jobs, manifest=manifest, overrides=overrides,
                           max_file_mb=max_file_mb, keep_duplicates=keep_duplicates, batch_bytes=batch_bytes,
                           errors=errors, template_min_docs=template_min_docs)
    folder = Path(path)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder '{folder}' does not exist or is not a folder")
    n_jobs = n_jobs or os.cpu_count() or 1
    fp = store_module.fingerprint({"max_file_mb": max_file_mb})
    store = store_module.Store(cache, fp)
    # A damaged cache entry is never trusted: it is removed (with a note) and the run starts over, which
    # recomputes only what it held. Each attempt removes one entry, so this ends.
    for attempt in range(1, CACHE_ATTEMPTS + 1):
        try:
            result = _analyse(folder, store, cache, fp, n_jobs, manifest, overrides, max_file_mb, keep_duplicates,
                              batch_bytes, template_min_docs)
            break
        except store_module.CorruptEntry as err:
            store.forget(err)
            if attempt == CACHE_ATTEMPTS:
                raise CorpusError(f"{err}, and {attempt} more damaged entries were found in this run: the cache "
                                  f"folder '{cache}' cannot be trusted; delete it and run again") from None
    result.stats = {**result.stats, "cache_notes": list(store.notes)}
    _report(result.problems, errors)
    return result


def _analyse(folder: Path, store: store_module.Store, cache, fp: str, n_jobs: int, manifest, overrides,
             max_file_mb: float, keep_duplicates: bool, batch_bytes: int, template_min_docs: int) -> Analysis:
    jobs, corpus_problems = corpus_jobs(folder, fp, manifest, overrides, int(max_file_mb * 1e6), template_min_docs)
    result_key = corpus_key(fp, keep_duplicates, jobs)

    finished = store.get("results", result_key)
    if finished is not None:
        finished.stats = {**finished.stats, "documents_computed": 0, "documents_cached": len(jobs),
                          "result_cached": True}
        finished.store_root = str(cache)
        return finished

    index = store.index()
    todo = [job for job in jobs if job.key not in index]
    batch_of = {job.key: index[job.key] for job in jobs if job.key in index}
    partials_by_batch: dict[str, dict] = {}
    terms = TermTotals()  # summed as batches arrive: one vocabulary per batch would cost more than the text
    for name, partials in compute(folder, todo, int(max_file_mb * 1e6), store, n_jobs, batch_bytes):
        terms.add(partials.pop("terms", None))
        partials_by_batch[name] = partials
    # a document computed in this run may also sit in an older batch: take this run's copy
    for name, partials in partials_by_batch.items():
        for key in partials["keys"]:
            batch_of[key] = name
    for name in sorted(set(batch_of.values()) - set(partials_by_batch)):
        partials_by_batch[name] = store.read_batch(name, "partials")
        terms.add(partials_by_batch[name].pop("terms", None))

    release_memory()
    result = Analysis(**reduce_batches(jobs, batch_of, partials_by_batch, terms, corpus_problems, keep_duplicates,
                                       store, n_jobs))
    result.stats = {"documents": len(jobs), "documents_computed": len(todo), "documents_cached": len(jobs) - len(todo),
                    "result_cached": False, **result.stats}
    result.store_root, result.fingerprint = str(cache), fp
    store.put("results", result_key, result)
    return result


def _report(problems: pd.DataFrame, errors: str) -> None:
    serious = problems[problems["severity"] != NOTE]
    if errors == "raise" and len(serious):
        first = serious.iloc[0]
        raise CorpusError(f"{first['file']}: {first['message']}")
    if errors == "warn":
        for row in serious.itertuples():
            warnings.warn(f"{row.file}: {row.message}", CorpusWarning, stacklevel=3)  # as str(Problem)
