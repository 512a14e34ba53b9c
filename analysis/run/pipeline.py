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
  not help), and each batch's results go to the cache (:mod:`analysis.store`).
* **Reduce.** Workers also return small per-document *partials* (counts); the
  per-source tables are sums of them, so the parent never holds a token table
  and memory grows with the vocabulary and the number of sentences, not with
  the text. Reuse shingles stay on disk, sorted by hash, and are read one hash
  range at a time; the per-source tables are computed while worker processes
  align the candidate reuse pairs, in waves of a bounded number of documents.
  The same map and reduce run on Dask (:mod:`analysis.distributed`).
* **Cache.** A document is recomputed only when its key changes (its bytes,
  name, manifest row or overrides, or the code, lexicons, library versions
  and options: :func:`analysis.store.fingerprint`). A second run on an
  unchanged corpus loads the finished result; adding a document computes that
  document only (and aligns only its new candidate reuse pairs).

Numbers equal those of the single-table functions (``term_counts(tokens)``,
``keyness``, ``sentiment_summary``, ``frame_scores``, ...) on the same corpus;
``tests/test_pipeline.py`` checks it.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import store as store_module
from ..text.actors import mentions
from ..corpus.templates import TEMPLATE_MIN_DOCS, recurring_lines, short_line_keys
from ..corpus.loading import (_corpus_files, _docs_frame, _manifest_entries, _read_overrides, _Report, assign_doc_ids,
                     folder_problems, manifest_lookup, no_manifest_row, read_file)
from ..errors import NOTE, SKIPPED, WARNING, CorpusError, CorpusWarning
from ..framing.frames import frame_matches, frame_table
from ..measures.frequency import document_term_counts, keyness_all, log_odds, term_counts
from ..framing.naming import naming_choices
from ..measures.network import salience_table
from ..framing.quotes import quoted_spans, voice_table
from ..measures.reuse import (align_pair, document_info, document_shingles, pairs_from_partitions,
                    reuse_tables, sentence_texts, sentence_words, sentences_by_doc)
from ..text.segment import parse
from ..measures.sentiment import SCORE_COLUMNS, sentence_sentiment, sentiment_summary

DEFAULT_CACHE = Path(".cache") / "conflict-framing"
ALIGN_CHUNK = 25  # candidate reuse pairs per alignment task
BATCH_BYTES = 1_000_000  # ~1 MB of raw text per batch: small enough to balance two cores, big enough to amortise
MEASURE_COLUMNS = ["tb_polarity", "tb_subjectivity", "vader_compound"]


# --------------------------------------------------------------------------- map: one batch of documents

def document_tables(docs: pd.DataFrame, sents: pd.DataFrame | None = None,
                    toks: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every per-document stage for a batch of loaded documents (``docs`` as :func:`analysis.load_corpus`).

    Pure: each output row depends on one document only, so batches can run in
    any order, in parallel or on other machines. Evidence tables: sentences
    (with both lexicons' scores), mentions, quoted_spans, naming_choices,
    frame_matches, words (for text-reuse alignment). Partials, which sum over
    documents to the per-source tables: term_counts (per document and term),
    shingles, frame_counts, naming_counts, voice_counts, actor_counts.
    """
    if sents is None or toks is None:
        sents, toks = parse(docs)
    ments = mentions(docs, sents=sents)
    scores = sentence_sentiment(docs, sents)
    sentences = sents.reset_index(drop=True).copy()
    for column in SCORE_COLUMNS[4:]:
        sentences[column] = scores[column].to_numpy()
    spans = quoted_spans(docs, sents=sents, ments=ments)
    choices = naming_choices(docs, sents=sents, spans=spans)
    matches = frame_matches(docs, sents=sents)
    words = sentence_words(docs, sents=sents, toks=toks, ments=ments)
    shingles = document_shingles(words).rename(columns={"doc": "doc_id"})
    quotes = spans[spans["kind"] == "quotation"]
    speaker = quotes["speaker_actor"].fillna(quotes["speaker"]).fillna("(unattributed)")
    return {
        "sentences": sentences, "mentions": ments, "quoted_spans": spans, "naming_choices": choices,
        "frame_matches": matches, "words": words, "shingles": shingles,
        "term_counts": document_term_counts(toks),
        "frame_counts": (matches.groupby(["doc_id", "source", "frame"], sort=True)
                         .agg(n_matches=("frame", "size"), n_sentences=("sentence_id", "nunique")).reset_index()),
        "naming_counts": (choices.groupby(["doc_id", "source", "referent", "convention", "label", "voice"],
                                          sort=True)
                          .agg(n=("label", "size"), first=("start", "min")).reset_index()),
        "voice_counts": (quotes.assign(speaker=speaker).groupby(["doc_id", "source", "speaker"], sort=True)
                         .agg(n_quotations=("text", "size"), n_words=("n_words", "sum")).reset_index()),
        "actor_counts": (ments.groupby(["doc_id", "source", "actor", "actor_type"], sort=True)
                         .agg(n_mentions=("actor", "size"), n_sentences=("sentence_id", "nunique")).reset_index()),
    }


EVIDENCE = ("docs", "lines", "provenance", "sentences", "mentions", "quoted_spans", "naming_choices",
            "frame_matches")


@dataclass(frozen=True)
class _Job:
    rel: str
    doc_id: str
    entry: object
    overrides: dict
    key: str
    size: int
    templates: dict = field(default_factory=dict)  # the corpus's site-template lines this file holds


def _keyed(table: pd.DataFrame, key_of: dict[str, str]) -> pd.DataFrame:
    return table.assign(doc_key=table["doc_id"].map(key_of).to_numpy())


def _run_batch(folder: Path, jobs: list[_Job], max_bytes: int, store: store_module.Store) -> tuple[str, dict]:
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
        partials["terms"] = _sum_terms(doc_terms)
        for name in ("frame_counts", "naming_counts", "voice_counts", "actor_counts"):
            partials[name] = _compact(tables[name])
        # Shingles, the largest partial, go to disk only: sorted by hash, so that the reduction reads them a
        # hash range at a time (memory-mapped) instead of holding the corpus' shingles.
        shingles = tables["shingles"]
        local, partials["shingle_docs"] = pd.factorize(shingles["doc_id"])
        partials["shingle_counts"] = np.bincount(local, minlength=len(partials["shingle_docs"]))
        order = np.argsort(shingles["h"].to_numpy(), kind="stable")
        shingle_h, shingle_doc = shingles["h"].to_numpy()[order], local[order].astype(np.int32)
        sentences = tables["sentences"]
        partials["scores"] = _compact(sentences[["doc_id", "source", "sentence_id", *MEASURE_COLUMNS]])
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
    _release_memory()  # a worker's next batch starts from its own size, not from the last batch's peak
    return name, partials


def _compact(table: pd.DataFrame) -> pd.DataFrame:
    """Text columns as categories: the parent holds every batch's partials until the end, and a doc_id or
    actor name repeated on every row would cost more than the counts. :func:`_concat` restores them."""
    return table.astype({c: "category" for c in table.columns if pd.api.types.is_string_dtype(table[c].dtype)})


class _TermTotals:
    """Running per-(source, term) sums of batch term counts, compacted as they grow."""

    def __init__(self, compact_rows: int = 500_000):
        self.parts: list[pd.DataFrame] = []
        self.rows, self.compacted, self.compact_rows = 0, 0, compact_rows

    def add(self, table: pd.DataFrame | None) -> None:
        if table is None or table.empty:
            return
        self.parts.append(table)
        self.rows += len(table)
        # compacted when the rows pass the limit or double since the last compaction (a vocabulary larger
        # than the limit would otherwise be summed again on every batch)
        if self.rows > max(self.compact_rows, 2 * self.compacted) and len(self.parts) > 1:
            self.parts = [_sum_terms(pd.concat(self.parts, ignore_index=True))]
            self.rows = self.compacted = len(self.parts[0])

    def total(self, minus: pd.DataFrame | None = None) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=["source", "term", "n", "count", "has_stop"])
        summed = _sum_terms(_concat(self.parts))
        if minus is None or minus.empty:
            return summed
        minus = _sum_terms(minus).set_index(["source", "term"])["count"]
        summed = summed.set_index(["source", "term"])
        summed["count"] = summed["count"].sub(minus, fill_value=0).reindex(summed.index).astype("int64")
        return summed[summed["count"] > 0].reset_index()


def _sum_terms(doc_terms: pd.DataFrame) -> pd.DataFrame:
    """Per-document term counts summed per (source, term)."""
    return (doc_terms.groupby(["source", "term"], sort=True)
            .agg(n=("n", "first"), count=("count", "sum"), has_stop=("has_stop", "first")).reset_index())


# --------------------------------------------------------------------------- the run

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


CACHE_ATTEMPTS = 20  # damaged cache entries removed in one run before the cache folder is given up on


def _analyse(folder: Path, store: store_module.Store, cache, fp: str, n_jobs: int, manifest, overrides,
             max_file_mb: float, keep_duplicates: bool, batch_bytes: int, template_min_docs: int) -> Analysis:

    # the corpus-level reading steps, as read_corpus does them
    entries = _manifest_entries(folder, manifest)
    line_overrides = _read_overrides(folder, overrides)
    files, ignored = _corpus_files(folder)
    by_file = {e.file: e for e in entries}
    corpus_problems = folder_problems(folder, files, ignored, by_file)
    jobs = []
    digests, template_keys = {}, {}
    max_bytes = int(max_file_mb * 1e6)
    for rel in files:
        try:
            raw = (folder / rel).read_bytes()
        except OSError as err:   # unreadable: the worker's read reports it as a skip, as read_corpus does
            digests[rel] = (f"unreadable:{type(err).__name__}:{err.errno}", 0)
            continue
        # a document's key holds its bytes (by their digest here) and the corpus's template lines it holds
        digests[rel] = (hashlib.sha256(raw).hexdigest(), len(raw))
        if rel.lower().endswith(".txt") and len(raw) <= max_bytes:
            template_keys[rel] = short_line_keys(raw.decode("utf-8", errors="replace"))
    templates = recurring_lines(template_keys, min_docs=template_min_docs)
    entry_of = manifest_lookup(entries)
    doc_ids, id_problems = assign_doc_ids(files, entry_of)   # as read_corpus: decided before any file is read
    corpus_problems.extend(id_problems)
    for rel in files:
        entry = entry_of(rel)
        if entries and entry is None:
            corpus_problems.append(no_manifest_row(rel))
        doc_id = doc_ids[rel]
        doc_overrides = line_overrides.get(doc_id, {})
        doc_templates = templates.get(rel, {})
        digest, size = digests[rel]
        key = store_module.document_key(fp, digest.encode(), rel, doc_id, entry, sorted(doc_overrides.items()),
                                        sorted(doc_templates.items()))
        jobs.append(_Job(rel, doc_id, entry, doc_overrides, key, size, doc_templates))
    corpus_key = hashlib.sha256("\0".join([fp, str(keep_duplicates), *(j.key for j in jobs)]).encode()).hexdigest()

    finished = store.get("results", corpus_key)
    if finished is not None:
        finished.stats = {**finished.stats, "documents_computed": 0, "documents_cached": len(jobs),
                          "result_cached": True}
        finished.store_root = str(cache)
        return finished

    index = store.index()
    todo = [job for job in jobs if job.key not in index]
    batch_of = {job.key: index[job.key] for job in jobs if job.key in index}
    partials_by_batch: dict[str, dict] = {}
    terms = _TermTotals()  # summed as batches arrive: one vocabulary per batch would cost more than the text
    for name, partials in _compute(folder, todo, int(max_file_mb * 1e6), store, n_jobs, batch_bytes):
        terms.add(partials.pop("terms", None))
        partials_by_batch[name] = partials
    # a document computed in this run may also sit in an older batch: take this run's copy
    for name, partials in partials_by_batch.items():
        for key in partials["keys"]:
            batch_of[key] = name
    for name in sorted(set(batch_of.values()) - set(partials_by_batch)):
        partials_by_batch[name] = store.read_batch(name, "partials")
        terms.add(partials_by_batch[name].pop("terms", None))

    _release_memory()
    result = _reduce(jobs, batch_of, partials_by_batch, terms, corpus_problems, keep_duplicates, store, n_jobs)
    result.stats = {"documents": len(jobs), "documents_computed": len(todo), "documents_cached": len(jobs) - len(todo),
                    "result_cached": False, **result.stats}
    result.store_root, result.fingerprint = str(cache), fp
    store.put("results", corpus_key, result)
    return result


def _batches(jobs: list[_Job], batch_bytes: int, n_jobs: int) -> list[list[_Job]]:
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


def _warm_up() -> None:
    """Load the tokenizer, lexicons and compiled patterns once, before the workers fork from this process."""
    from ..corpus.main_text import _stopword_languages
    from ..text.segment import _segmenter, english_tokenizer
    from ..measures.sentiment import _analyzers
    english_tokenizer()
    _segmenter()
    _analyzers()
    _stopword_languages()  # jusText's 100 stop-word lists, read once (about 1 s)
    docs = pd.DataFrame({"doc_id": ["warm-up"], "source": ["warm-up"],
                         "text": ["Mr. Pashinyan said the “peacekeepers” were not good, Karabakh officials said."]})
    document_tables(docs)


def _release_memory() -> None:
    """Hand freed memory back to the operating system. pandas' text columns live in pyarrow's memory pool
    (mimalloc), which keeps freed pages for reuse, and glibc keeps the tail of its heaps: between the
    pipeline's phases, hundreds of MB freed by one phase would otherwise still count against the next."""
    with contextlib.suppress(Exception):
        import pyarrow
        pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(Exception):
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc only; elsewhere this does nothing


@contextlib.contextmanager
def _forked_pool(n_jobs: int):
    """A process pool forked from this process, whose objects are frozen meanwhile: the workers' garbage
    collector then leaves the inherited lexicons, tokenizer and tables alone, so their memory pages are
    neither walked again and again nor copied into every worker."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _compute(folder: Path, todo: list[_Job], max_bytes: int, store: store_module.Store, n_jobs: int,
             batch_bytes: int):
    """(batch name, partials) for every batch of ``todo``, in order, computed on ``n_jobs`` processes."""
    if not todo:
        return
    batches = _batches(todo, batch_bytes, n_jobs)
    if n_jobs == 1 or len(batches) == 1:
        for batch in batches:
            yield _run_batch(folder, batch, max_bytes, store)
        return
    _warm_up()
    with _forked_pool(n_jobs) as pool:
        futures = [pool.submit(_run_batch, folder, batch, max_bytes, store) for batch in batches]
        for future in futures:
            yield future.result()


# --------------------------------------------------------------------------- reduce: per-source tables

def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The tables one under the other; category columns (see :func:`_compact`) back to their categories' type."""
    parts = [p for p in parts if p is not None and len(p.columns)]
    if not parts:
        return pd.DataFrame()
    if not any(isinstance(dtype, pd.CategoricalDtype) for dtype in parts[0].dtypes):
        return pd.concat(parts, ignore_index=True)
    columns = {}
    for column in parts[0].columns:
        values = [p[column] for p in parts]
        if isinstance(values[0].dtype, pd.CategoricalDtype):
            # Categories differ between batches: join the codes against the union of the categories, and
            # decode once, so the full-length text column exists only in the result.
            categories = pd.Index(pd.unique(np.concatenate([v.cat.categories.to_numpy(dtype=object)
                                                            for v in values])))
            # a missing value (code -1) picks the -1 appended to each batch's translation
            codes = np.concatenate([np.append(categories.get_indexer(v.cat.categories), -1)[v.cat.codes.to_numpy()]
                                    for v in values])
            kind = values[0].cat.categories.dtype
            kind = kind if pd.api.types.is_string_dtype(kind) else object
            # decoded by one take from the (short) categories: a missing value (-1) becomes NaN
            columns[column] = pd.Series(pd.api.extensions.take(pd.array(categories, dtype=kind), codes,
                                                               allow_fill=True))
        else:
            columns[column] = pd.concat(values, ignore_index=True)
    return pd.DataFrame(columns)


def _reduce(jobs, batch_of, partials_by_batch, terms, corpus_problems, keep_duplicates, store,
            n_jobs: int = 1) -> Analysis:
    order = {job.key: i for i, job in enumerate(jobs)}
    wanted: dict[str, set[str]] = {}
    for key, name in batch_of.items():
        wanted.setdefault(name, set()).add(key)
    # documents in file order; duplicates (same clean text as an earlier file) dropped unless kept
    meta = _concat([p["meta"][p["meta"]["doc_key"].isin(wanted[n])] for n, p in partials_by_batch.items()
                    if "meta" in p and n in wanted])
    problems = [_concat([p["problems"][p["problems"]["doc_key"].isin(wanted[n])]
                         for n, p in partials_by_batch.items() if n in wanted])]
    if meta.empty:
        raise CorpusError("no document could be loaded")
    meta = meta.assign(order=meta["doc_key"].map(order)).sort_values("order", kind="stable").reset_index(drop=True)
    # batches where every source is unknown hold None in an object column, others NaN in a str column
    meta = meta.astype({"doc_id": "str", "file": "str", "source": "str"})
    first = meta.groupby("text_sha", sort=False)["doc_id"].transform("first")
    meta["duplicate_of"] = np.where(first != meta["doc_id"], first, None)
    duplicates = meta[meta["duplicate_of"].notna()]
    file_of = dict(zip(meta["doc_id"], meta["file"]))
    problems.append(pd.DataFrame(
        [(row.file, row.doc_id, WARNING if keep_duplicates else SKIPPED, "duplicate",
          f"same text as {file_of[row.duplicate_of]} (doc_id {row.duplicate_of}); "
          + ("kept" if keep_duplicates else "skipped (keep_duplicates=True keeps both)"), row.doc_key)
         for row in duplicates.itertuples()], columns=["file", "doc_id", "severity", "problem", "message", "doc_key"]))
    if not keep_duplicates:
        meta = meta[meta["duplicate_of"].isna()].reset_index(drop=True)
    keys = set(meta["doc_key"])
    used = {name: sorted(k & keys) for name, k in wanted.items() if k & keys}
    kept_ids: dict[str, set[str]] = {}  # batch -> doc_ids used from it
    for name in used:
        batch_meta = partials_by_batch[name]["meta"]
        # a set lookup per row: pandas' isin on text converts every one of the corpus' keys on every call
        kept_ids[name] = {d for d, k in zip(batch_meta["doc_id"], batch_meta["doc_key"]) if k in keys}

    complete = {n for n, ids in kept_ids.items() if len(ids) == len(partials_by_batch[n]["meta"])}

    def gather(name: str) -> pd.DataFrame:
        parts = []
        for n, ids in kept_ids.items():
            table = partials_by_batch[n].pop(name)  # the batch's copy is not needed again
            parts.append(table if n in complete else table[table["doc_id"].isin(list(ids))])
        return _concat(parts)

    removed = []
    for name, batch in partials_by_batch.items():
        dropped = set(batch["meta"]["doc_id"]) - kept_ids.get(name, set()) if "meta" in batch else set()
        if dropped:  # a duplicate, or a document whose file changed since this batch: take its counts out
            doc_terms = store.read_batch(name, "doc_terms")
            removed.append(_sum_terms(doc_terms[doc_terms["doc_id"].isin(list(dropped))]))
    partials = {name: gather(name) for name in ("scores", "frame_counts", "naming_counts", "voice_counts",
                                                "actor_counts")}
    partials["term_counts"] = terms.total(minus=_concat(removed))
    terms.parts.clear()
    n_sentences = len(partials["scores"])
    tables: dict[str, pd.DataFrame] = {}

    def per_source_tables():  # done by this process while the workers align text-reuse pairs
        tables.update(source_tables(partials, meta))
        partials.clear()  # the largest tables of the reduction
        _release_memory()

    reuse_pairs, reuse_passages, aligned = _reuse(_shingle_parts(store, partials_by_batch, kept_ids, meta), meta,
                                                  used, store, n_jobs, meanwhile=per_source_tables)
    tables["reuse_pairs"], tables["reuse_passages"] = reuse_pairs, reuse_passages

    problem_table = pd.concat([pd.DataFrame([(p.file, p.doc_id, p.severity, p.problem, p.message)
                                             for p in corpus_problems],
                                            columns=["file", "doc_id", "severity", "problem", "message"]),
                               _concat(problems).drop(columns="doc_key", errors="ignore")], ignore_index=True)
    docs = meta.drop(columns=["doc_key", "text_sha", "order"])
    return Analysis(tables=tables, docs=docs, problems=problem_table, batches=used,
                    stats={"sentences": n_sentences, "words": int(meta["n_words"].sum()),
                           "text_mb": float(meta["n_bytes"].sum()) / 1e6,
                           "reuse_pairs_aligned": aligned})


SHINGLES_PER_PART = 1_000_000  # shingles per hash range read at once by the reduction (about 40 MB of work)


def _shingle_parts(store: store_module.Store, partials_by_batch: dict, kept_ids: dict[str, set[str]],
                   meta: pd.DataFrame):
    """(hash-range parts, shingles per document, doc_ids) of the kept documents, for pairs_from_partitions.

    Documents are int32 codes in doc_id order. Each part is read from the batches' memory-mapped arrays,
    which are sorted by hash, so a range is a slice of each; a part is produced only when it is needed."""
    doc_ids = np.array(sorted(meta["doc_id"]), dtype=object)
    code_of = {doc: i for i, doc in enumerate(doc_ids)}
    per_doc = np.zeros(len(doc_ids), dtype=np.int64)
    codes_of: dict[str, np.ndarray] = {}
    for name, ids in kept_ids.items():
        batch = partials_by_batch[name]
        codes = np.array([code_of[d] if d in ids else -1 for d in batch.get("shingle_docs", [])], dtype=np.int64)
        kept = codes >= 0
        per_doc[codes[kept]] += batch["shingle_counts"][kept]  # a document is in one batch only
        codes_of[name] = codes
    n_parts = max(1, -(-int(per_doc.sum()) // SHINGLES_PER_PART))
    bounds = [np.uint64((part * 2**64) // n_parts) for part in range(n_parts)]

    def parts():
        for part in range(n_parts):
            hashes, docs = [], []
            for name, codes in codes_of.items():
                h = store.read_batch(name, "shingle_h")
                low = int(np.searchsorted(h, bounds[part]))
                high = int(np.searchsorted(h, bounds[part + 1])) if part + 1 < n_parts else len(h)
                doc = codes[store.read_batch(name, "shingle_doc")[low:high]] if high > low else codes[:0]
                kept = doc >= 0
                hashes.append(np.asarray(h[low:high])[kept])
                docs.append(doc[kept].astype(np.int32))
                del h  # unmapped: pages read for this range do not stay in memory
            yield np.concatenate(hashes), np.concatenate(docs)
    return parts(), per_doc, doc_ids


def source_tables(partials: dict[str, pd.DataFrame], meta: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The per-source tables from the partials of :func:`document_tables` (all documents, concatenated).

    ``term_counts`` may already be summed per source (sums of sums are sums:
    the Dask path reduces it on the cluster); ``scores`` must be per sentence
    (the bootstrap resamples documents). ``meta``: one row per document in
    corpus order, with doc_id, source, n_words and n_sentences.
    """
    by_source = _sum_terms(partials["term_counts"])
    tables = {"term_counts": term_counts(by_source)}
    sources = sorted(by_source["source"].unique())
    if len(sources) > 1:
        tables["keyness"] = keyness_all(by_source)  # every source against the rest, in one pass
        tables["log_odds"] = log_odds(by_source)
    # the bootstrap draws depend on row order: sentences in corpus order, however the partials arrived
    order = dict(zip(meta["doc_id"], range(len(meta))))
    scores = partials["scores"]
    scores = (scores.assign(doc_order=scores["doc_id"].map(order))
              .sort_values(["doc_order", "sentence_id"], kind="stable").reset_index(drop=True))
    tables["sentiment"] = sentiment_summary(scores[["doc_id", "source", "sentence_id", *MEASURE_COLUMNS]])
    tables["frame_scores"] = _frame_scores(partials["frame_counts"], meta)
    tables["naming_shares"] = _naming_shares(partials["naming_counts"], meta)
    tables["voices"] = voice_table(partials["voice_counts"])
    tables["actor_salience"] = _actor_salience(partials["actor_counts"], meta)
    return tables


def _frame_scores(counts: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.frame_scores` (by source) from per-document frame counts."""
    totals = meta.groupby("source")[["n_words", "n_sentences"]].sum()
    return frame_table(counts.rename(columns={"source": "group"}), totals["n_words"], totals["n_sentences"])


def _naming_shares(counts: pd.DataFrame, meta: pd.DataFrame, voice: str = "outlet") -> pd.DataFrame:
    """:func:`analysis.naming_shares` (by source, the outlet's own voice) from per-document label counts.

    Labels with equal counts are listed in order of first use in the corpus."""
    columns = ["source", "referent", "convention", "n", "share", "labels"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    counts = counts[counts["voice"] == voice]
    doc_order = dict(zip(meta["doc_id"], range(len(meta))))
    counts = counts.assign(first_doc=counts["doc_id"].map(doc_order))
    keys = ["source", "referent", "convention"]
    table = counts.groupby(keys, sort=True)["n"].sum().reset_index()
    table["share"] = table["n"] / table.groupby(["source", "referent"])["n"].transform("sum")
    first_use = counts.sort_values(["first_doc", "first"], kind="stable").drop_duplicates([*keys, "label"])
    labels = (counts.groupby([*keys, "label"])["n"].sum().reset_index()
              .merge(first_use[[*keys, "label", "first_doc", "first"]], on=[*keys, "label"])
              .sort_values([*keys, "n", "first_doc", "first", "label"],
                           ascending=[True, True, True, False, True, True, True], kind="stable"))
    labels["text"] = labels["label"] + " (" + labels["n"].astype(str) + ")"
    joined = labels.groupby(keys, sort=False)["text"].agg("; ".join).rename("labels").reset_index()
    table = table.merge(joined, on=keys)
    return table.sort_values(["source", "referent", "share", "convention"], ascending=[True, True, False, True],
                             kind="stable").reset_index(drop=True)[columns]


def _actor_salience(counts: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.actor_salience` (by source) from per-document actor counts."""
    return salience_table(counts, meta.groupby("source")["n_sentences"].sum())


def _align_chunk(candidates: list[tuple[str, str, int]], sentences_of: dict, texts_of: dict, info: dict) -> list:
    """:func:`analysis.reuse.align_pair` of each candidate (doc_a, doc_b, shared shingles); each is cached
    on its own."""
    return [align_pair(a, b, shared, sentences_of, texts_of, info) for a, b, shared in candidates]


ALIGN_WAVE_DOCS = 2_000  # documents whose words are held at once for alignment (about 50 MB)


def _nothing() -> None:
    pass


def _waves(pairs: list[tuple], max_docs: int) -> list[list[tuple]]:
    """Consecutive candidate pairs in waves that involve at most ``max_docs`` documents (or one pair): a
    corpus where most articles re-use others never has all its words in memory at once."""
    waves, current, docs = [], [], set()
    for pair in pairs:
        new = {pair[0], pair[1]} - docs
        if current and len(docs) + len(new) > max_docs:
            waves.append(current)
            current, docs = [], set()
            new = {pair[0], pair[1]}
        current.append(pair)
        docs |= new
    if current:
        waves.append(current)
    return waves


def _alignment_inputs(involved: set[str], used: dict[str, list[str]], key_of: dict,
                      store: store_module.Store) -> tuple[dict, dict]:
    """(sentences_by_doc, {doc: {sentence_id: text}}) of the ``involved`` documents, read from their batches."""
    sentences_of, texts_of = {}, {}
    wanted = {key_of[d] for d in involved}
    for name, keys in sorted(used.items()):
        mine = wanted.intersection(keys)
        if not mine:
            continue
        batch_ids = {d for d in involved if key_of[d] in mine}
        words = store.read_batch(name, "words")
        sentences_of.update(sentences_by_doc(words[words["doc_id"].isin(list(batch_ids))]))
        sents = store.read_batch(name, "texts")
        sents = sents[sents["doc_id"].isin(list(batch_ids))]
        texts_of.update(sentence_texts(sents))
    _release_memory()
    return sentences_of, texts_of


def _reuse(shingle_parts: tuple, meta: pd.DataFrame, used: dict[str, list[str]],
           store: store_module.Store, n_jobs: int = 1, meanwhile=None) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Text reuse from the corpus' shingles (:func:`_shingle_parts`); each candidate pair is aligned once and
    cached by its two keys. ``meanwhile()`` runs in this process while worker processes align the pairs."""
    meanwhile = meanwhile or _nothing
    candidates = pairs_from_partitions(*shingle_parts)
    key_of = dict(zip(meta["doc_id"], meta["doc_key"]))
    pair_keys = [hashlib.sha256(f"{key_of[a]}\0{key_of[b]}".encode()).hexdigest()
                 for a, b in zip(candidates["doc_a"], candidates["doc_b"])]
    cached = {k: store.get("pairs", k) for k in pair_keys}
    todo, todo_keys = [], []
    for pair, key in zip(zip(candidates["doc_a"], candidates["doc_b"], candidates["shared_shingles"]), pair_keys):
        if cached[key] is None:
            todo.append(pair)
            todo_keys.append(key)
    info = document_info(meta)
    done = []
    with contextlib.ExitStack() as stack:
        parallel = n_jobs > 1 and len(todo) > ALIGN_CHUNK
        pool = stack.enter_context(_forked_pool(n_jobs)) if parallel else None
        for wave in _waves(todo, ALIGN_WAVE_DOCS):  # a wave's documents' words in memory at a time
            sentences_of, texts_of = _alignment_inputs({d for a, b, _ in wave for d in (a, b)}, used, key_of, store)
            chunks = [wave[i:i + ALIGN_CHUNK] for i in range(0, len(wave), ALIGN_CHUNK)]
            if pool is not None:  # alignments are independent: on every core, each chunk sent its own documents
                futures = []
                for chunk in chunks:
                    involved = {d for a, b, _ in chunk for d in (a, b)}
                    futures.append(pool.submit(_align_chunk, chunk, {d: sentences_of[d] for d in involved},
                                               {d: texts_of[d] for d in involved}, {d: info[d] for d in involved}))
                meanwhile()
                done.extend(r for future in futures for r in future.result())
            else:
                meanwhile()
                done.extend(r for chunk in chunks for r in _align_chunk(chunk, sentences_of, texts_of, info))
            meanwhile = _nothing
            del sentences_of, texts_of
    meanwhile()  # nothing was aligned
    for key, found in zip(todo_keys, done):
        store.put("pairs", key, found)
        cached[key] = found
    pairs, passages = reuse_tables([cached[key] for key in pair_keys])
    return pairs, passages, len(todo)


def _report(problems: pd.DataFrame, errors: str) -> None:
    serious = problems[problems["severity"] != NOTE]
    if errors == "raise" and len(serious):
        first = serious.iloc[0]
        raise CorpusError(f"{first['file']}: {first['message']}")
    if errors == "warn":
        for row in serious.itertuples():
            warnings.warn(f"{row.file}: {row.message}", CorpusWarning, stacklevel=3)  # as str(Problem)
