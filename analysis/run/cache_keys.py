"""Cache keys: what a document's results, a corpus's result and a reuse pair's alignment depend on.

A document is recomputed only when its key changes. The key (:func:`analysis.run.store.document_key`)
holds the file's bytes (by their SHA-256), its name, its manifest row, its line overrides, the corpus's
site-template lines it holds, and the fingerprint of the code, lexicons, library versions and options
(:func:`analysis.run.store.fingerprint`). :func:`corpus_jobs` does the corpus-level reading steps as
:func:`analysis.read_corpus` does them (manifest, overrides, files, doc_ids decided before any file is read,
template lines counted over every file) and gives one :class:`Job` per file with its key; the corpus's
finished result is keyed by all of them (:func:`corpus_key`), an aligned reuse pair by its two documents'
keys (:func:`pair_key`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import store as store_module
from ..corpus.loading import (_corpus_files, _manifest_entries, _read_overrides, assign_doc_ids, folder_problems,
                              manifest_lookup, no_manifest_row)
from ..corpus.templates import recurring_lines, short_line_keys


@dataclass(frozen=True)
class Job:
    rel: str
    doc_id: str
    entry: object
    overrides: dict
    key: str
    size: int
    templates: dict = field(default_factory=dict)  # the corpus's site-template lines this file holds


def corpus_jobs(folder: Path, fp: str, manifest, overrides, max_bytes: int, template_min_docs: int
                ) -> tuple[list[Job], list]:
    """(one job per file in corpus order, the corpus-level problems) for the corpus ``folder``."""
    entries = _manifest_entries(folder, manifest)
    line_overrides = _read_overrides(folder, overrides)
    files, ignored = _corpus_files(folder)
    by_file = {e.file: e for e in entries}
    corpus_problems = folder_problems(folder, files, ignored, by_file)
    jobs = []
    digests, template_keys = {}, {}
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
        jobs.append(Job(rel, doc_id, entry, doc_overrides, key, size, doc_templates))
    return jobs, corpus_problems


def corpus_key(fp: str, keep_duplicates: bool, jobs: list[Job]) -> str:
    """The key of a corpus's finished result: the fingerprint, the duplicates option and every document's key."""
    return hashlib.sha256("\0".join([fp, str(keep_duplicates), *(j.key for j in jobs)]).encode()).hexdigest()


def pair_key(key_a: str, key_b: str) -> str:
    """The key of a reuse pair's alignment: its two documents' keys."""
    return hashlib.sha256(f"{key_a}\0{key_b}".encode()).hexdigest()
