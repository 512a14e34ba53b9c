"""The reduction: every batch's partials into the per-source tables, and text reuse across the corpus.

:func:`reduce_batches` keeps the documents of this run (in file order, duplicates dropped unless kept),
gathers their partials and computes the per-source tables (:func:`source_tables`: term counts, keyness,
log-odds, sentiment, frames, naming, voices, actor salience). Text reuse is found from the shingles, which
stay on disk sorted by hash and are read one hash range at a time; candidate pairs are aligned by the
worker processes, in waves of a bounded number of documents, while this process computes the per-source
tables. Each aligned pair is cached by its two documents' keys.
"""
from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd

from . import store as store_module
from ..errors import SKIPPED, WARNING, CorpusError
from ..framing.frames import frame_table
from ..framing.quotes import voice_table
from ..measures.frequency import keyness_all, log_odds, term_counts
from ..measures.network import salience_table
from ..measures.reuse import (align_pair, document_info, pairs_from_partitions, reuse_tables, sentence_texts,
                              sentences_by_doc)
from ..measures.sentiment import sentiment_summary
from .cache_keys import pair_key
from .document_stage import MEASURE_COLUMNS
from .memory import forked_pool, release_memory
from .partials import concat, sum_terms

ALIGN_CHUNK = 25  # candidate reuse pairs per alignment task
ALIGN_WAVE_DOCS = 2_000  # documents whose words are held at once for alignment (about 50 MB)
SHINGLES_PER_PART = 1_000_000  # shingles per hash range read at once by the reduction (about 40 MB of work)


def reduce_batches(jobs, batch_of, partials_by_batch, terms, corpus_problems, keep_duplicates, store,
                   n_jobs: int = 1) -> dict:
    """The fields of the run's :class:`~analysis.run.pipeline.Analysis`: tables, docs, problems, batches and
    stats, from every batch's partials (``batch_of``: document key -> the batch its results are read from)."""
    order = {job.key: i for i, job in enumerate(jobs)}
    wanted: dict[str, set[str]] = {}
    for key, name in batch_of.items():
        wanted.setdefault(name, set()).add(key)
    # documents in file order; duplicates (same clean text as an earlier file) dropped unless kept
    meta = concat([p["meta"][p["meta"]["doc_key"].isin(wanted[n])] for n, p in partials_by_batch.items()
                    if "meta" in p and n in wanted])
    problems = [concat([p["problems"][p["problems"]["doc_key"].isin(wanted[n])]
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
        return concat(parts)

    removed = []
    for name, batch in partials_by_batch.items():
        dropped = set(batch["meta"]["doc_id"]) - kept_ids.get(name, set()) if "meta" in batch else set()
        if dropped:  # a duplicate, or a document whose file changed since this batch: take its counts out
            doc_terms = store.read_batch(name, "doc_terms")
            removed.append(sum_terms(doc_terms[doc_terms["doc_id"].isin(list(dropped))]))
    partials = {name: gather(name) for name in ("scores", "frame_counts", "naming_counts", "voice_counts",
                                                "actor_counts")}
    partials["term_counts"] = terms.total(minus=concat(removed))
    terms.parts.clear()
    n_sentences = len(partials["scores"])
    tables: dict[str, pd.DataFrame] = {}

    def per_source_tables():  # done by this process while the workers align text-reuse pairs
        tables.update(source_tables(partials, meta))
        partials.clear()  # the largest tables of the reduction
        release_memory()

    reuse_pairs, reuse_passages, aligned = _reuse(_shingle_parts(store, partials_by_batch, kept_ids, meta), meta,
                                                  used, store, n_jobs, meanwhile=per_source_tables)
    tables["reuse_pairs"], tables["reuse_passages"] = reuse_pairs, reuse_passages

    problem_table = pd.concat([pd.DataFrame([(p.file, p.doc_id, p.severity, p.problem, p.message)
                                             for p in corpus_problems],
                                            columns=["file", "doc_id", "severity", "problem", "message"]),
                               concat(problems).drop(columns="doc_key", errors="ignore")], ignore_index=True)
    docs = meta.drop(columns=["doc_key", "text_sha", "order"])
    return {"tables": tables, "docs": docs, "problems": problem_table, "batches": used,
            "stats": {"sentences": n_sentences, "words": int(meta["n_words"].sum()),
                      "text_mb": float(meta["n_bytes"].sum()) / 1e6, "reuse_pairs_aligned": aligned}}


def source_tables(partials: dict[str, pd.DataFrame], meta: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The per-source tables from the partials of :func:`document_tables` (all documents, concatenated).

    ``term_counts`` may already be summed per source (sums of sums are sums:
    the Dask path reduces it on the cluster); ``scores`` must be per sentence
    (the bootstrap resamples documents). ``meta``: one row per document in
    corpus order, with doc_id, source, n_words and n_sentences.
    """
    by_source = sum_terms(partials["term_counts"])
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


def _reuse(shingle_parts: tuple, meta: pd.DataFrame, used: dict[str, list[str]],
           store: store_module.Store, n_jobs: int = 1, meanwhile=None) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Text reuse from the corpus' shingles (:func:`_shingle_parts`); each candidate pair is aligned once and
    cached by its two keys. ``meanwhile()`` runs in this process while worker processes align the pairs."""
    meanwhile = meanwhile or _nothing
    candidates = pairs_from_partitions(*shingle_parts)
    key_of = dict(zip(meta["doc_id"], meta["doc_key"]))
    pair_keys = [pair_key(key_of[a], key_of[b]) for a, b in zip(candidates["doc_a"], candidates["doc_b"])]
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
        pool = stack.enter_context(forked_pool(n_jobs)) if parallel else None
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
    release_memory()
    return sentences_of, texts_of


def _align_chunk(candidates: list[tuple[str, str, int]], sentences_of: dict, texts_of: dict, info: dict) -> list:
    """:func:`analysis.measures.reuse.align_pair` of each candidate (doc_a, doc_b, shared shingles); each is cached
    on its own."""
    return [align_pair(a, b, shared, sentences_of, texts_of, info) for a, b, shared in candidates]


def _nothing() -> None:
    pass
