"""Text reuse: which articles re-use another's passages, and what they kept, changed, dropped and added.

1. **Normalise.** Words are lower-cased and punctuation dropped; every actor
   mention becomes its canonical actor (through the gazetteer), so a passage
   re-transliterated from "Pashinian" to "Pashinyan" still matches.
2. **Candidates.** Each document becomes a set of word 5-gram shingles. An
   inverted index (shingle -> documents) gives, for every pair of documents,
   the number of shingles they share; shingles found in many documents (common
   phrases, boilerplate) are ignored. Only pairs sharing enough rare shingles are
   aligned, so a corpus of 10,000 articles never needs all-pairs alignment.
3. **Align.** Every sentence of one document is scored against every sentence
   of the other (rapidfuzz, Indel similarity of the normalised words, 0-100,
   or the best partial match for long sentences that share a word trigram,
   which catches a kept half sentence) and matched one-to-one, best first,
   above a threshold. Matched
   sentences are ``verbatim`` (the same words) or ``changed`` (with a word-by-word
   diff and the renamed actors); the source's unmatched sentences were
   ``dropped``, the derivative's are ``added``.
4. **Direction.** The earlier document is the source when both dates are known;
   otherwise the document with the smaller re-used share of its own text is taken
   as the source (``direction_basis`` says which).

Sentence-level alignment does not pair one sentence with two (a split or a
merge shows as one changed sentence plus one added).
"""
from __future__ import annotations

import html
from collections import Counter

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

SHINGLE = 5
PAIR_PASS_BYTES = 64_000_000  # memory for counting one block of candidate pairs (more blocks past it)
PAIR_COLUMNS = ["source_doc", "derivative_doc", "source", "derivative_source", "direction_basis", "shared_shingles",
                "source_words", "derivative_words", "source_share_reused", "derivative_share_reused",
                "n_verbatim", "n_changed", "n_dropped", "n_added"]
PASSAGE_COLUMNS = ["source_doc", "derivative_doc", "kind", "source_sentence_id", "derivative_sentence_id",
                   "similarity", "source_text", "derivative_text", "diff", "renamed"]


def sentence_words(docs: pd.DataFrame, *, sents: pd.DataFrame | None = None, toks: pd.DataFrame | None = None,
                   ments: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per word token, in reading order: doc_id, sentence_id, word (as written), key (normalised:
    lower case, or ``@actor`` for every word of an actor mention) and first (False for the second and later
    words of one mention, which matching skips so that "Nikol Pashinian" and "Pashinyan" compare equal)."""
    from ..text.actors import mentions
    from ..text.segment import parse
    if sents is None or toks is None:
        sents, toks = parse(docs)
    ments = mentions(docs, sents=sents) if ments is None else ments
    words = toks.loc[~toks["is_punct"], ["doc_id", "sentence_id", "position", "token", "norm", "start", "end"]]
    words = words.sort_values(["doc_id", "position"], kind="stable").reset_index(drop=True)
    codes, norms = pd.factorize(words["norm"])  # normalise each distinct word once, not every token
    words["key"] = pd.Series(norms).str.replace(r"[^\w@]+", "", regex=True).to_numpy()[codes]
    words["first"] = True
    if len(ments):
        spans = ments[["doc_id", "start", "end", "actor"]].rename(columns={"start": "m_start", "end": "m_end"})
        located = pd.merge_asof(words[["doc_id", "start", "end"]].reset_index().sort_values("start"),
                                spans.sort_values("m_start"), left_on="start", right_on="m_start", by="doc_id",
                                direction="backward").set_index("index").sort_index()
        inside = located["m_end"].notna() & (located["end"] <= located["m_end"])
        actor_codes, actors = pd.factorize(located["actor"])
        actor_keys = ("@" + pd.Series(actors, dtype=object).str.lower().str.replace(r"\W+", "_", regex=True)
                      ).to_numpy(dtype=object)
        inside_np = inside.to_numpy()
        words.loc[inside_np, "key"] = actor_keys[actor_codes[inside_np]]
        repeat = inside & (located["m_start"] == located["m_start"].shift()) & inside.shift(fill_value=False)
        words.loc[repeat, "first"] = False
    words = words[words["key"] != ""]
    return words[["doc_id", "sentence_id", "token", "key", "first"]].rename(
        columns={"token": "word"}).reset_index(drop=True)


def candidate_pairs(words: pd.DataFrame, *, shingle: int = SHINGLE, **options) -> pd.DataFrame:
    """Pairs of documents sharing enough rare word shingles (``options``: see :func:`pairs_sharing_shingles`).

    Columns: doc_a, doc_b (doc_a < doc_b), shared_shingles, shingles_a, shingles_b.
    """
    return pairs_sharing_shingles(document_shingles(words, shingle=shingle), **options)


def document_shingles(words: pd.DataFrame, *, shingle: int = SHINGLE) -> pd.DataFrame:
    """The distinct word ``shingle``-grams of each document, hashed: one row per (doc, h), h a uint64.

    ``words`` is :func:`sentence_words` output. A document's shingles depend on
    that document alone, so they can be computed batch by batch and concatenated.
    """
    words = words[words["first"]]
    size = len(words) - shingle + 1
    if size <= 0:
        return pd.DataFrame({"doc": pd.Series(dtype=object), "h": pd.Series(dtype="uint64")})
    doc_codes, doc_ids = pd.factorize(words["doc_id"])
    same = np.ones(size, dtype=bool)
    for k in range(1, shingle):
        same &= doc_codes[k:k + size] == doc_codes[:size]
    # Each distinct word is hashed once (pandas' hash: the same in every process and run), and a shingle's
    # hash is a polynomial of its words' hashes, modulo 2**64: no shingle strings are built.
    key_codes, keys = pd.factorize(words["key"])
    word_hash = pd.util.hash_array(np.asarray(keys, dtype=object))[key_codes]
    h = np.zeros(size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(shingle):
            h = h * np.uint64(0x100000001B3) + word_hash[k:k + size]
    table = pd.DataFrame({"doc": np.asarray(doc_ids, dtype=object)[doc_codes[:size][same]], "h": h[same]})
    return table.drop_duplicates().reset_index(drop=True)


def rare_cap(n_docs: int, *, max_doc_share: float = 0.05, min_docs_cap: int = 5, max_docs: int = 100) -> int:
    """The most documents a shingle may occur in and still count as evidence of re-use: 5% of the
    documents, but at least ``min_docs_cap`` (small corpora) and at most ``max_docs`` (a phrase in more
    than 100 articles is a formula, not a copied passage, however large the corpus)."""
    return min(max_docs, max(min_docs_cap, int(max_doc_share * n_docs)))


def pairs_sharing_shingles(table: pd.DataFrame, *, max_doc_share: float = 0.05, min_docs_cap: int = 5,
                           max_docs: int = 100, min_shared: int = 10, min_share: float = 0.02) -> pd.DataFrame:
    """Candidate pairs from :func:`document_shingles` of the whole corpus (doc, h).

    A shingle is rare when it occurs in 2 to :func:`rare_cap` documents. A pair
    is a candidate when it shares at least ``min_shared`` rare shingles and they
    make up at least ``min_share`` of the shorter document's shingles. The
    defaults follow from what :func:`text_reuse` reports (40 or more matched
    words): 40 words copied verbatim share about 36 shingles, lightly edited
    ones well over 10; 2% of a 2,000-word article is 40 shingles. Chance
    sharing of a few phrases between unrelated articles (a handful of shingles,
    under 1% of either) is not aligned, which keeps the cost linear in the corpus.
    """
    if table.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS_CANDIDATES)
    # documents as integer codes in sorted order (so code order is doc order), then all in numpy
    if pd.api.types.is_integer_dtype(table["doc"].dtype):  # already codes
        doc_codes = table["doc"].to_numpy()
        doc_ids = np.arange(int(doc_codes.max()) + 1)
    else:
        doc_codes, doc_ids = pd.factorize(table["doc"], sort=True)
        doc_ids = np.asarray(doc_ids, dtype=object)
    per_doc = np.bincount(doc_codes, minlength=len(doc_ids))
    return pairs_from_partitions([(table["h"].to_numpy(), doc_codes)], per_doc, doc_ids,
                                 max_doc_share=max_doc_share, min_docs_cap=min_docs_cap, max_docs=max_docs,
                                 min_shared=min_shared, min_share=min_share)


PAIR_COLUMNS_CANDIDATES = ["doc_a", "doc_b", "shared_shingles", "shingles_a", "shingles_b"]


def pairs_from_partitions(partitions, per_doc: np.ndarray, doc_ids: np.ndarray, *, max_doc_share: float = 0.05,
                          min_docs_cap: int = 5, max_docs: int = 100, min_shared: int = 10,
                          min_share: float = 0.02) -> pd.DataFrame:
    """:func:`pairs_sharing_shingles` over shingles split by hash into parts that need not fit in memory at once.

    ``partitions``: an iterable of (hashes, doc codes) arrays, every occurrence of a hash in the same part (e.g.
    split by hash range), produced one at a time; ``per_doc``: shingles per document code (all parts);
    ``doc_ids``: the document of each code, code order being doc order. A part is sorted and reduced to the
    documents of its rare shingles before the next is read, so memory holds one part plus the rare
    shingles' documents (most shingles occur once), not the corpus' shingles.
    """
    per_doc = np.asarray(per_doc)
    cap = rare_cap(int((per_doc > 0).sum()), max_doc_share=max_doc_share, min_docs_cap=min_docs_cap,
                   max_docs=max_docs)
    members: dict[int, list[np.ndarray]] = {}  # shingle count -> matrices of the documents sharing a shingle
    for hashes, docs in partitions:
        for length, matrix in _rare_groups(np.asarray(hashes), np.asarray(docs), cap):
            members.setdefault(length, []).append(matrix)
    groups = [(np.concatenate(parts), np.triu_indices(length, 1)) for length, parts in sorted(members.items())]
    del members
    pair, shared = _count_pairs(groups, per_doc, len(doc_ids), min_shared, min_share)
    if not len(pair):
        return pd.DataFrame(columns=PAIR_COLUMNS_CANDIDATES)
    n_docs = np.int64(len(doc_ids))
    a, b = pair // n_docs, pair % n_docs
    return pd.DataFrame({"doc_a": doc_ids[a], "doc_b": doc_ids[b], "shared_shingles": shared.astype("int64"),
                         "shingles_a": per_doc[a].astype("int64"), "shingles_b": per_doc[b].astype("int64")})


def _rare_groups(hashes: np.ndarray, docs: np.ndarray, cap: int):
    """(k, the documents of every shingle found in exactly k documents, one row each) for k in 2..cap."""
    if not len(hashes):
        return
    order = np.argsort(hashes, kind="stable")  # parts made of sorted runs: timsort merges them
    hashes, docs = hashes[order], docs[order]
    del order
    starts = np.flatnonzero(np.concatenate([[True], hashes[1:] != hashes[:-1]]))
    del hashes
    lengths = np.diff(np.concatenate([starts, [len(docs)]]))
    rare = (lengths >= 2) & (lengths <= cap)
    starts, lengths = starts[rare], lengths[rare]
    if not len(starts):
        return
    by_length = np.argsort(lengths, kind="stable")
    starts, lengths = starts[by_length], lengths[by_length]
    cuts = np.flatnonzero(np.concatenate([[True], lengths[1:] != lengths[:-1], [True]]))
    for first, stop in zip(cuts[:-1], cuts[1:]):
        length = int(lengths[first])
        yield length, docs[starts[first:stop, None] + np.arange(length)]


def _count_pairs(groups, per_doc: np.ndarray, n_docs: int, min_shared: int, min_share: float):
    """(pair codes a * n_docs + b with a < b, shared rare shingles) of the pairs passing both thresholds,
    sorted by pair. ``groups``: (matrix, _) pairs, a matrix row holding the documents of one rare shingle.

    An inverted index: every document's rare shingles point to the later documents sharing them. Documents
    are taken in order, in blocks whose pairs (one entry per pair per shared shingle: tens of millions in a
    large corpus) fit in PAIR_PASS_BYTES; each block's pairs are complete, counted and filtered at once.
    """
    matrices = [np.sort(matrix, axis=1) for matrix, _ in groups if len(matrix)]
    if not matrices:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    flat = np.concatenate([m.ravel() for m in matrices])  # each shingle's documents, ascending, one after another
    # how many documents come after each entry in its shingle (int32: flat holds far fewer than 2**31 entries)
    later = np.concatenate([np.tile(np.arange(m.shape[1] - 1, -1, -1, dtype=np.int32), len(m)) for m in matrices])
    del matrices
    has = later > 0
    first = (np.flatnonzero(has) + 1).astype(np.int32)  # where those documents start in flat
    doc, later = flat[has], later[has]
    order = np.argsort(doc, kind="stable")
    doc, first, later = doc[order], first[order], later[order]
    del order, has
    # blocks cut where the document changes, each about PAIR_PASS_BYTES / 48 pairs (bytes per pair entry)
    reach = np.cumsum(later, dtype=np.int64)
    boundaries = np.concatenate([np.flatnonzero(doc[1:] != doc[:-1]) + 1, [len(doc)]])
    targets = np.arange(1, -(-int(reach[-1]) // max(1, PAIR_PASS_BYTES // 48))) * max(1, PAIR_PASS_BYTES // 48)
    cuts = np.unique(np.concatenate([[0], boundaries[np.searchsorted(boundaries, np.searchsorted(reach, targets))],
                                     [len(doc)]]))
    n_docs = np.int64(n_docs)
    found_pairs, found_shared = [], []
    for low, high in zip(cuts[:-1], cuts[1:]):
        counts = later[low:high]
        total = int(counts.sum())
        # entry i of the block pairs its document with flat[first[i]], flat[first[i] + 1], ...
        position = np.arange(total, dtype=np.int64)
        position += np.repeat(first[low:high].astype(np.int64) - (np.cumsum(counts, dtype=np.int64) - counts), counts)
        partner = flat[position]
        del position
        pair, shared = np.unique(np.repeat(doc[low:high], counts).astype(np.int64) * n_docs + partner,
                                 return_counts=True)
        del partner
        a, b = pair // n_docs, pair % n_docs
        keep = (shared >= min_shared) & (shared >= min_share * np.minimum(per_doc[a], per_doc[b]))
        found_pairs.append(pair[keep])
        found_shared.append(shared[keep])
    return np.concatenate(found_pairs), np.concatenate(found_shared)


def shared_shingle_pairs(rare: pd.DataFrame, per_doc: pd.Series, *, min_shared: int = 10,
                         min_share: float = 0.02) -> pd.DataFrame:
    """Pairs from the rare shingles (doc, h) and the number of shingles per document (see above)."""
    pairs = rare.merge(rare, on="h", suffixes=("_a", "_b"))
    pairs = pairs[pairs["doc_a"] < pairs["doc_b"]]
    counted = pairs.groupby(["doc_a", "doc_b"]).size().rename("shared_shingles").reset_index()
    counted["shingles_a"] = counted["doc_a"].map(per_doc).astype("int64")
    counted["shingles_b"] = counted["doc_b"].map(per_doc).astype("int64")
    shorter = np.minimum(counted["shingles_a"], counted["shingles_b"])
    counted = counted[(counted["shared_shingles"] >= min_shared) & (counted["shared_shingles"] >= min_share * shorter)]
    return counted.sort_values(["doc_a", "doc_b"]).reset_index(drop=True)


def sentence_texts(sents: pd.DataFrame) -> dict:
    """``{doc_id: {sentence_id: text}}``: the sentences :func:`align_pair` quotes in the passages table."""
    return {doc: dict(zip(part["sentence_id"], part["text"])) for doc, part in sents.groupby("doc_id")}


def sentences_by_doc(words: pd.DataFrame) -> dict:
    """Each document's sentences as :func:`align_pair` reads them: ``{doc_id: (sentence ids, words as written,
    keys, matching keys)}``, one list per sentence in sentence order (matching keys skip the second and later
    words of an actor mention). ``words``: :func:`sentence_words` rows, each document's in reading order. One pass over the table: a pandas
    group per document would cost more than its sentences."""
    if words.empty:
        return {}
    words = words.sort_values(["doc_id", "sentence_id"], kind="stable")
    doc = words["doc_id"].to_numpy(dtype=object)
    sentence = words["sentence_id"].to_numpy()
    # each distinct word as one Python string, shared by all its occurrences (a string per word would cost
    # more than the lists that hold them)
    codes, uniques = pd.factorize(words["word"], use_na_sentinel=False)
    word = np.asarray(uniques, dtype=object)[codes].tolist()
    codes, uniques = pd.factorize(words["key"], use_na_sentinel=False)
    key = np.asarray(uniques, dtype=object)[codes].tolist()
    first = words["first"].to_numpy(dtype=bool).tolist()
    cuts = np.flatnonzero((doc[1:] != doc[:-1]) | (sentence[1:] != sentence[:-1])) + 1
    found: dict[str, tuple] = {}
    for start, stop in zip(np.concatenate([[0], cuts]).tolist(), np.concatenate([cuts, [len(doc)]]).tolist()):
        entry = found.get(doc[start])
        if entry is None:
            entry = found[doc[start]] = ([], [], [], [])
        keys = key[start:stop]
        entry[0].append(int(sentence[start]))
        entry[1].append(word[start:stop])
        entry[2].append(keys)
        entry[3].append([k for k, f in zip(keys, first[start:stop]) if f])
    return found


def _align(keys_a: list[list[str]], keys_b: list[list[str]], threshold: float, partial_min_words: int):
    """One-to-one sentence matches (i, j, score), best first."""
    if not keys_a or not keys_b:
        return []
    strings_a = [" ".join(k) for k in keys_a]
    strings_b = [" ".join(k) for k in keys_b]
    # score_cutoff: rapidfuzz gives up early on pairs below the threshold (scored 0), which are never used
    scores = process.cdist(strings_a, strings_b, scorer=fuzz.ratio, workers=1, score_cutoff=threshold)
    # The partial ratio costs ~100x the ratio, so it is computed only for two long sentences that share a
    # word trigram: a kept half sentence of partial_min_words or more words shares several.
    trigrams_b: dict[tuple, set[int]] = {}
    for j, words in enumerate(keys_b):
        if len(words) >= partial_min_words:
            for gram in zip(words, words[1:], words[2:]):
                trigrams_b.setdefault(gram, set()).add(j)
    for i, words in enumerate(keys_a):
        if len(words) < partial_min_words:
            continue
        near = set().union(*(trigrams_b.get(gram, ()) for gram in zip(words, words[1:], words[2:])))
        for j in sorted(near):
            partial = fuzz.partial_ratio(strings_a[i], strings_b[j], score_cutoff=threshold)
            if partial > scores[i, j]:
                scores[i, j] = partial
    order = np.dstack(np.unravel_index(np.argsort(-scores, axis=None, kind="stable"), scores.shape))[0]
    used_a, used_b, matches = set(), set(), []
    for i, j in order:
        if scores[i, j] < threshold:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(int(i))
        used_b.add(int(j))
        matches.append((int(i), int(j), float(scores[i, j])))
    return matches


def _diff(raw_a: list[str], raw_b: list[str], keys_a: list[str], keys_b: list[str]) -> tuple[str, str]:
    """An inline word diff ("[-old-] {+new+}") and the renamed actors ("Pashinian → Pashinyan")."""
    pieces, renamed = [], []
    for op in Levenshtein.opcodes(raw_a, raw_b):
        old, new = raw_a[op.src_start:op.src_end], raw_b[op.dest_start:op.dest_end]
        if op.tag == "equal":
            pieces.append(" ".join(old))
            continue
        if old:
            pieces.append("[-" + " ".join(old) + "-]")
        if new:
            pieces.append("{+" + " ".join(new) + "+}")
        old_keys = list(dict.fromkeys(keys_a[op.src_start:op.src_end]))
        new_keys = list(dict.fromkeys(keys_b[op.dest_start:op.dest_end]))
        if op.tag == "replace" and old_keys == new_keys and all(k.startswith("@") for k in old_keys):
            renamed.append(f"{' '.join(old)} → {' '.join(new)}")
    return " ".join(pieces), "; ".join(dict.fromkeys(renamed))


def text_reuse(docs: pd.DataFrame, *, sents: pd.DataFrame | None = None, toks: pd.DataFrame | None = None,
               ments: pd.DataFrame | None = None, threshold: float = 70.0, partial_min_words: int = 10,
               min_words: int = 40, min_sentences: int = 2, **candidate_options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Find re-used passages between documents.

    Returns ``(pairs, passages)``:

    * ``pairs``: one row per re-use relation: source_doc, derivative_doc, their
      outlets, direction_basis ("dates" or "shares"), shared_shingles, word
      counts, source_share_reused and derivative_share_reused (share of each
      document's words in matched sentences, 0..1), and the number of verbatim,
      changed, dropped and added sentences;
    * ``passages``: one row per sentence of each pair: kind (verbatim, changed,
      dropped, added), the two sentence ids and texts, similarity (0-100), diff
      (words removed ``[-...-]`` and added ``{+...+}``) and renamed (actor names
      that changed spelling, e.g. "Pashinian → Pashinyan").

    A pair is reported only when at least ``min_sentences`` sentences and
    ``min_words`` words of the shorter document are matched: shared names and
    common phrases alone are not re-use.
    """
    from ..text.segment import parse
    if sents is None or toks is None:
        sents, toks = parse(docs)
    words = sentence_words(docs, sents=sents, toks=toks, ments=ments)
    candidates = candidate_pairs(words, **candidate_options)
    involved = set(candidates["doc_a"]) | set(candidates["doc_b"])
    sentences_of = sentences_by_doc(words[words["doc_id"].isin(involved)])
    texts_of = sentence_texts(sents[sents["doc_id"].isin(involved)])
    return align_pairs(candidates, sentences_of, texts_of, docs, threshold=threshold,
                       partial_min_words=partial_min_words, min_words=min_words, min_sentences=min_sentences)


def align_pairs(candidates: pd.DataFrame, sentences_of: dict, texts_of: dict, docs: pd.DataFrame, *,
                threshold: float = 70.0, partial_min_words: int = 10, min_words: int = 40,
                min_sentences: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Align every candidate pair (see :func:`text_reuse`): ``sentences_of`` is :func:`sentences_by_doc` of the
    documents' words, ``texts_of[doc]`` maps its sentence ids to texts; ``docs`` gives date and source."""
    info = document_info(docs)
    aligned = [align_pair(c.doc_a, c.doc_b, c.shared_shingles, sentences_of, texts_of, info, threshold=threshold,
                          partial_min_words=partial_min_words, min_words=min_words, min_sentences=min_sentences)
               for c in candidates.itertuples()]
    return reuse_tables(aligned)


def document_info(docs: pd.DataFrame) -> dict:
    """doc_id -> (source, date): what :func:`align_pair` needs to know about a document besides its words."""
    return dict(zip(docs["doc_id"], zip(docs["source"], docs["date"])))


def align_pair(a: str, b: str, shared_shingles: int, sentences_of: dict, texts_of: dict, info: dict, *,
               threshold: float = 70.0, partial_min_words: int = 10, min_words: int = 40,
               min_sentences: int = 2) -> tuple[tuple | None, list[tuple]]:
    """(the pair's row, its passages' rows) for one candidate pair, or (None, []) when it is not re-use;
    :func:`reuse_tables` makes the tables. Plain rows, so that a pair costs no table of its own."""
    ids_a, raw_a, keys_a, match_a = sentences_of[a]
    ids_b, raw_b, keys_b, match_b = sentences_of[b]
    matches = _align(match_a, match_b, threshold, partial_min_words)
    words_a = sum(len(r) for r in raw_a)
    words_b = sum(len(r) for r in raw_b)
    matched_a = sum(len(raw_a[i]) for i, _, _ in matches)
    matched_b = sum(len(raw_b[j]) for _, j, _ in matches)
    if len(matches) < min_sentences or min(matched_a, matched_b) < min_words:
        return None, []
    texts = {(a, i): t for i, t in texts_of[a].items()} | {(b, i): t for i, t in texts_of[b].items()}
    share_a, share_b = matched_a / words_a, matched_b / words_b
    date_a, date_b = info[a][1], info[b][1]
    if pd.notna(date_a) and pd.notna(date_b) and date_a != date_b:
        a_is_source, basis = date_a < date_b, "dates"
    else:
        a_is_source, basis = share_a <= share_b, "shares"
    if not a_is_source:
        a, b, ids_a, ids_b, raw_a, raw_b, keys_a, keys_b = b, a, ids_b, ids_a, raw_b, raw_a, keys_b, keys_a
        share_a, share_b, words_a, words_b = share_b, share_a, words_b, words_a
        matches = [(j, i, s) for i, j, s in matches]
    rows = []
    for i, j, score in sorted(matches, key=lambda m: m[1]):
        verbatim = raw_a[i] == raw_b[j]
        diff, renamed = ("", "") if verbatim else _diff(raw_a[i], raw_b[j], keys_a[i], keys_b[j])
        rows.append((a, b, "verbatim" if verbatim else "changed", ids_a[i], ids_b[j], round(score, 1),
                     texts[(a, ids_a[i])], texts[(b, ids_b[j])], diff, renamed))
    matched_i = {i for i, _, _ in matches}
    matched_j = {j for _, j, _ in matches}
    rows += [(a, b, "dropped", ids_a[i], None, None, texts[(a, ids_a[i])], None, "", "")
             for i in range(len(ids_a)) if i not in matched_i]
    rows += [(a, b, "added", None, ids_b[j], None, None, texts[(b, ids_b[j])], "", "")
             for j in range(len(ids_b)) if j not in matched_j]
    kinds = Counter(r[2] for r in rows)
    pair = (a, b, info[a][0], info[b][0], basis, shared_shingles, words_a, words_b, round(share_a, 4),
            round(share_b, 4), kinds["verbatim"], kinds["changed"], kinds["dropped"], kinds["added"])
    return pair, rows


def reuse_tables(aligned: list[tuple[tuple | None, list[tuple]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The (pairs, passages) tables of :func:`text_reuse` from :func:`align_pair` results, in their order."""
    pairs = pd.DataFrame([pair for pair, _ in aligned if pair is not None], columns=PAIR_COLUMNS)
    passages = pd.DataFrame([row for _, rows in aligned for row in rows], columns=PASSAGE_COLUMNS)
    passages[["source_sentence_id", "derivative_sentence_id"]] = passages[
        ["source_sentence_id", "derivative_sentence_id"]].astype("Int64")
    return pairs, passages


def side_by_side_html(passages: pd.DataFrame) -> str:
    """An HTML table of one pair's passages in the derivative's order, source left, derivative right.

    All text is escaped (a document may contain markup); removed words are
    struck through, added words underlined.
    """
    rows = []
    order = passages.assign(
        order_b=passages["derivative_sentence_id"].astype("Float64").fillna(np.inf),
        order_a=passages["source_sentence_id"].astype("Float64").fillna(np.inf))
    order = pd.concat([order[order["kind"] != "dropped"].sort_values(["order_b", "order_a"]),
                       order[order["kind"] == "dropped"].sort_values("order_a")])
    colours = {"verbatim": "#e8f4ea", "changed": "#fff4d6", "dropped": "#fde2e1", "added": "#e3eefb"}
    for row in order.itertuples():
        left = html.escape(row.source_text) if isinstance(row.source_text, str) else ""
        right = html.escape(row.derivative_text) if isinstance(row.derivative_text, str) else ""
        if row.kind == "changed":
            right = _render_diff(row.diff)
        rows.append(f'<tr style="background:{colours[row.kind]}"><td>{html.escape(row.kind)}</td>'
                    f"<td>{left}</td><td>{right}</td></tr>")
    return ('<table style="border-collapse:collapse;font-size:90%"><thead><tr><th>kind</th><th>source</th>'
            "<th>derivative</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _render_diff(diff: str) -> str:
    escaped = html.escape(diff)
    escaped = escaped.replace("[-", "<del>").replace("-]", "</del>")
    return escaped.replace("{+", "<ins>").replace("+}", "</ins>")
