"""The same analysis on Dask, for corpora past one machine.

When to use it: :func:`analysis.run.pipeline.analyse` already uses every core of
one machine and caches by content; a year of several outlets (hundreds of MB)
fits on a laptop. Use Dask when the corpus or the deadline outgrows one
machine: then store the loaded corpus as Parquet once, and run the analysis
on a cluster (``dask.distributed``: SSH, Kubernetes, HPC job queues via
dask-jobqueue, or a LocalCluster for testing).

    from dask.distributed import Client
    import analysis, analysis.run.distributed as ad
    docs = analysis.load_corpus("my_corpus")                # or analyse(...).evidence("docs")
    ad.write_parquet_corpus(docs, "corpus.parquet", docs_per_partition=500)
    client = Client("tcp://scheduler-host:8786")          # the cluster's scheduler
    tables = ad.analyse_parquet("corpus.parquet")            # uses the active client

The per-document stages are the very function the single-machine pipeline
runs (:func:`analysis.run.document_stage.document_tables`), applied to each Parquet
partition. The reductions are sums (term counts are reduced on the cluster
with a Dask groupby; candidate text-reuse pairs come from a Dask groupby of
the shingles), then the same code turns them into per-source tables, so the
numbers equal the single-machine ones (``tests/test_distributed.py`` checks it
on a LocalCluster with several worker processes). Every worker needs this
package installed (``pip install -e .`` of the same commit) and, like the
single-machine path, nothing is downloaded.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .document_stage import MEASURE_COLUMNS, document_tables
from .reduction import source_tables
from ..measures.reuse import (PAIR_COLUMNS, PASSAGE_COLUMNS, align_pairs, rare_cap, sentence_texts, sentences_by_doc,
                    shared_shingle_pairs)

# the columns of the docs table the analysis needs; the rest (raw text, cleaning audit) stays at home
PARQUET_COLUMNS = ["doc_id", "file", "source", "date", "title", "text"]


def write_parquet_corpus(docs: pd.DataFrame, path: str | Path, *, docs_per_partition: int = 500) -> Path:
    """Write the loaded documents (one row per document, corpus order kept) as a Parquet dataset.

    One file per partition of ``docs_per_partition`` documents; only the
    columns the analysis needs (PARQUET_COLUMNS) plus doc_order.
    """
    import dask.dataframe as dd
    table = docs[[c for c in PARQUET_COLUMNS if c in docs.columns]].reset_index(drop=True)
    table = table.assign(doc_order=range(len(table)))
    npartitions = max(1, -(-len(table) // docs_per_partition))
    dd.from_pandas(table, npartitions=npartitions, sort=False).to_parquet(str(path), write_index=False,
                                                                           overwrite=True)
    return Path(path)


def _partition_tables(part: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """document_tables for one Parquet partition, plus the per-document facts the reductions need."""
    from ..text.segment import parse
    part = part.sort_values("doc_order", kind="stable").reset_index(drop=True)
    sents, toks = parse(part)
    tables = document_tables(part, sents, toks)
    words = toks[~toks["is_punct"]].groupby("doc_id").size()
    tables["meta"] = pd.DataFrame({
        "doc_id": part["doc_id"].to_numpy(), "source": part["source"].to_numpy(), "date": part["date"].to_numpy(),
        "doc_order": part["doc_order"].to_numpy(),
        "n_words": part["doc_id"].map(words).fillna(0).astype("int64").to_numpy(),
        "n_sentences": part["doc_id"].map(sents.groupby("doc_id").size()).fillna(0).astype("int64").to_numpy()})
    tables["scores"] = tables["sentences"][["doc_id", "source", "sentence_id", *MEASURE_COLUMNS]]
    return tables


def _pick(tables: dict, name: str) -> pd.DataFrame:
    return tables[name]


def analyse_parquet(path: str | Path, *, client=None, shingle_options: dict | None = None) -> dict[str, pd.DataFrame]:
    """Per-source tables (as :func:`analysis.run.pipeline.analyse` gives them in ``.tables``) computed on Dask.

    ``path``: a Parquet dataset from :func:`write_parquet_corpus`. ``client``: a
    ``dask.distributed.Client`` (default: the active one, else Dask's local
    scheduler). Also returns "docs" (one row per document: doc_id, source,
    date, n_words, n_sentences).
    """
    import dask
    import dask.dataframe as dd
    ddf = dd.read_parquet(str(path))
    parts = [dask.delayed(_partition_tables)(p) for p in ddf.to_delayed()]
    if client is not None:
        parts = client.persist(parts)
    else:
        parts = dask.persist(*parts)

    def frame(name: str) -> dd.DataFrame:
        return dd.from_delayed([dask.delayed(_pick)(p, name) for p in parts], verify_meta=False)

    # reduced on the cluster: per (source, term) sums, and the document frequency of every shingle
    term_counts = (frame("term_counts").groupby(["source", "term"])
                   .agg({"count": "sum", "n": "first", "has_stop": "first"}).reset_index())
    shingles = frame("shingles")
    document_frequency = shingles.groupby("h")["doc_id"].count().rename("df").reset_index()
    per_doc = shingles.groupby("doc_id")["h"].count()
    small = {name: frame(name) for name in ("scores", "frame_counts", "naming_counts", "voice_counts",
                                            "actor_counts", "meta")}
    computed = dask.compute(term_counts, document_frequency, per_doc, *small.values())
    term_counts, document_frequency, per_doc = computed[:3]
    partials = dict(zip(small, computed[3:]))
    meta = partials.pop("meta").sort_values("doc_order", kind="stable").reset_index(drop=True)
    partials["term_counts"] = term_counts
    tables = source_tables(partials, meta)
    tables["reuse_pairs"], tables["reuse_passages"] = _reuse(parts, shingles, document_frequency, per_doc, meta,
                                                             **(shingle_options or {}))
    tables["docs"] = meta.drop(columns="doc_order")
    return tables


def _reuse(parts, shingles, document_frequency: pd.DataFrame, per_doc: pd.Series, meta: pd.DataFrame, **options):
    """Candidate pairs as :func:`analysis.measures.reuse.pairs_sharing_shingles`, aligned as on one machine."""
    import dask
    pair_options = {k: options.pop(k) for k in ("min_shared", "min_share") if k in options}
    cap = rare_cap(per_doc.size, **options)
    rare_h = document_frequency.loc[(document_frequency["df"] >= 2) & (document_frequency["df"] <= cap), "h"]
    rare = shingles[shingles["h"].isin(set(rare_h))].compute().rename(columns={"doc_id": "doc"})
    candidates = shared_shingle_pairs(rare[["doc", "h"]], per_doc, **pair_options)
    if candidates.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS), pd.DataFrame(columns=PASSAGE_COLUMNS)
    involved = sorted(set(candidates["doc_a"]) | set(candidates["doc_b"]))

    def select(tables: dict, docs: list[str]):
        words = tables["words"][tables["words"]["doc_id"].isin(docs)]
        sents = tables["sentences"][tables["sentences"]["doc_id"].isin(docs)]
        return sentences_by_doc(words), sentence_texts(sents)

    sentences_of, texts_of = {}, {}
    for found_sentences, found_texts in dask.compute(*[dask.delayed(select)(p, involved) for p in parts]):
        sentences_of.update(found_sentences)
        texts_of.update(found_texts)
    pairs, passages = align_pairs(candidates, sentences_of, texts_of, meta[["doc_id", "source", "date"]])
    return pairs, passages


__all__ = ["analyse_parquet", "write_parquet_corpus"]
