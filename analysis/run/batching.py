"""Batches: the corpus's files in batches of about a megabyte, each read, analysed and stored by one worker.

:func:`batches` cuts the files to compute into batches, :func:`compute` runs them on a process pool (in this
process when there is one worker or one batch), and :func:`run_batch` reads one batch's files, runs
:func:`~analysis.run.document_stage.document_tables` on them, writes the evidence to the store and returns
the batch's partials. :func:`warm_up` loads the tokenizer and lexicons before the workers fork, so they
share them.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from . import store as store_module
from ..corpus.loading import _docs_frame, _Report, read_file
from .cache_keys import Job
from .document_stage import EVIDENCE, MEASURE_COLUMNS, document_tables
from .memory import forked_pool, release_memory
from .partials import compact, sum_terms

BATCH_BYTES = 1_000_000  # ~1 MB of raw text per batch: small enough to balance two cores, big enough to amortise


def batches(jobs: list[Job], batch_bytes: int, n_jobs: int) -> list[list[Job]]:
    """Consecutive files in batches of about ``batch_bytes``, at least two per worker when there is work.

    With several workers, the last ``n_jobs`` batches' worth of files come in quarter batches: workers
    then finish within a quarter batch of each other instead of one idling while another ends a whole one."""
    total = sum(j.size for j in jobs)
    target = max(1, min(batch_bytes, total // max(1, 2 * n_jobs))) if n_jobs > 1 else batch_bytes
    tail = n_jobs * target if n_jobs > 1 else 0
    batches, current, size, done = [], [], 0, 0
    for job in jobs:
        current.append(job)
        size += job.size
        done += job.size
        if size >= (target if total - done >= tail else max(1, target // 4)):
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


def compute(folder: Path, todo: list[Job], max_bytes: int, store: store_module.Store, n_jobs: int,
             batch_bytes: int):
    """(batch name, partials) for every batch of ``todo``, in order, computed on ``n_jobs`` processes."""
    if not todo:
        return
    work = batches(todo, batch_bytes, n_jobs)
    if n_jobs == 1 or len(work) == 1:
        for batch in work:
            yield run_batch(folder, batch, max_bytes, store)
        return
    warm_up()
    with forked_pool(n_jobs) as pool:
        futures = [pool.submit(run_batch, folder, batch, max_bytes, store) for batch in work]
        for future in futures:
            yield future.result()


def run_batch(folder: Path, jobs: list[Job], max_bytes: int, store: store_module.Store) -> tuple[str, dict]:
    """Read and analyse one batch of files; store it; return (batch name, partials)."""
    report = _Report("ignore")
    records, lines, provenance, problems = [], [], [], []
    key_of = {job.doc_id: job.key for job in jobs}
    for job in jobs:
        before = len(report.problems)
        found, line_rows, prov = read_file(folder, job.rel, job.doc_id, job.entry, job.overrides, max_bytes, report,
                                           job.templates)
        lines.extend({**row, "doc_key": job.key} for row in line_rows)
        provenance.extend({**row, "doc_key": job.key} for row in prov)
        problems.extend((p.file, p.doc_id, p.severity, p.problem, p.message, job.key)
                        for p in report.problems[before:])
        records.extend(found)
        # a page of several news items is several documents, all under the file's key
        key_of.update({record["doc_id"]: job.key for record in found})
    evidence: dict[str, pd.DataFrame] = {}
    partials: dict[str, pd.DataFrame] = {}
    words, doc_terms = pd.DataFrame(), pd.DataFrame()
    shingle_h, shingle_doc = np.empty(0, np.uint64), np.empty(0, np.int32)
    if records:
        docs, sents, toks = _docs_frame(records)
        tables = document_tables(docs, sents, toks)
        words = tables.pop("words")
        evidence["docs"] = _keyed(docs, key_of)
        for name in EVIDENCE[3:]:
            evidence[name] = _keyed(tables[name], key_of)
        # Partials are keyed by doc_id (unique within a batch; the batch's meta maps it to the key): a key
        # on every row would cost more memory than the counts. Term counts come summed over the batch;
        # the per-document counts stay on disk, to subtract a document that is later dropped.
        doc_terms = tables["term_counts"]
        partials["terms"] = sum_terms(doc_terms)
        for name in ("frame_counts", "naming_counts", "voice_counts", "actor_counts"):
            partials[name] = compact(tables[name])
        # Shingles, the largest partial, go to disk only: sorted by hash, so that the reduction reads them a
        # hash range at a time (memory-mapped) instead of holding the corpus' shingles.
        shingles = tables["shingles"]
        local, partials["shingle_docs"] = pd.factorize(shingles["doc_id"])
        partials["shingle_counts"] = np.bincount(local, minlength=len(partials["shingle_docs"]))
        order = np.argsort(shingles["h"].to_numpy(), kind="stable")
        shingle_h, shingle_doc = shingles["h"].to_numpy()[order], local[order].astype(np.int32)
        sentences = tables["sentences"]
        partials["scores"] = compact(sentences[["doc_id", "source", "sentence_id", *MEASURE_COLUMNS]])
        partials["meta"] = _keyed(docs[["doc_id", "file", "source", "date", "n_words", "n_sentences"]].assign(
            text_sha=[hashlib.sha256(t.encode("utf-8")).hexdigest() for t in docs["text"]],
            n_bytes=docs["text"].str.encode("utf-8").str.len().to_numpy()), key_of)
    evidence["lines"] = pd.DataFrame(lines)
    evidence["provenance"] = pd.DataFrame(provenance)
    partials["problems"] = pd.DataFrame(problems, columns=["file", "doc_id", "severity", "problem", "message",
                                                           "doc_key"])
    partials["keys"] = [job.key for job in jobs]
    # what text reuse needs from a batch, apart from the evidence: its words and its sentences' texts
    texts = evidence["sentences"][["doc_id", "sentence_id", "text"]] if "sentences" in evidence else pd.DataFrame()
    name = store.write_batch(partials["keys"], {"partials": partials, "evidence": evidence, "words": words,
                                                "texts": texts, "doc_terms": doc_terms, "shingle_h": shingle_h,
                                                "shingle_doc": shingle_doc})
    del evidence, words, texts, doc_terms, records, lines, provenance
    release_memory()  # a worker's next batch starts from its own size, not from the last batch's peak
    return name, partials


def _keyed(table: pd.DataFrame, key_of: dict[str, str]) -> pd.DataFrame:
    return table.assign(doc_key=table["doc_id"].map(key_of).to_numpy())


def warm_up() -> None:
    """Load the tokenizer, lexicons and compiled patterns once, before the workers fork from this process."""
    from ..corpus.main_text import _stopword_languages
    from ..text.segment import _segmenter, english_tokenizer
    from ..measures.exact_scorers import analyzers
    english_tokenizer()
    _segmenter()
    analyzers()
    _stopword_languages()  # jusText's 100 stop-word lists, read once (about 1 s)
    docs = pd.DataFrame({"doc_id": ["warm-up"], "source": ["warm-up"],
                         "text": ["Mr. Pashinyan said the “peacekeepers” were not good, Karabakh officials said."]})
    document_tables(docs)
