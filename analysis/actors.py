"""Actor mentions resolved through an editable gazetteer (``data/actors.csv``).

The gazetteer has one row per surface variant: actor (canonical name),
actor_type, affiliation, variant (as written, case-sensitive), variant_kind
(name, spelling, short, given_name, metonym, demonym) and a note. A person's
given names are only matched in front of one of their surnames, so "Serge
Sarkisian" and "Serzh Sargsyan" both resolve, but a lone "Robert" does not.

Matching is on the document text, case-sensitive, leftmost-longest
("Nagorno-Karabakh" beats "Karabakh"), with hyphens as word boundaries
("Karabakh-based" mentions Karabakh) and possessives included in the surface
("Pashinian’s").
"""
from __future__ import annotations

import bisect
import functools
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .errors import CorpusError
from .lexicon import file_key, read_data_table, sentence_rows

DEFAULT_GAZETTEER = Path(__file__).parent / "data" / "actors.csv"
ACTOR_TYPES = {"person", "state", "organisation", "place", "territory"}
VARIANT_KINDS = {"name", "spelling", "short", "given_name", "metonym", "demonym"}
GAZETTEER_COLUMNS = ["actor", "actor_type", "affiliation", "variant", "variant_kind", "note"]
MENTION_COLUMNS = ["doc_id", "source", "sentence_id", "actor", "actor_type", "affiliation",
                   "surface", "variant", "variant_kind", "start", "end"]


def read_gazetteer(path: str | Path = DEFAULT_GAZETTEER) -> pd.DataFrame:
    """The gazetteer as a DataFrame, validated, with given names composed into full names.

    Raises :class:`CorpusError` naming the file and row for a malformed gazetteer. Read once per file
    content (cached on the path and a hash of the file); each call gets its own copy.
    """
    key = file_key(path)
    return (_read_gazetteer(*key) if key else _read_gazetteer.__wrapped__(path, "")).copy()


@functools.lru_cache(maxsize=8)
def _read_gazetteer(path: str | Path, _content_hash: str) -> pd.DataFrame:
    raw = read_data_table(path, "actor gazetteer", GAZETTEER_COLUMNS[:5],
                          {"actor_type": ACTOR_TYPES, "variant_kind": VARIANT_KINDS})
    if "note" not in raw.columns:
        raw["note"] = ""
    raw = raw[GAZETTEER_COLUMNS]
    composed = _compose_full_names(raw)
    table = pd.concat([raw[raw["variant_kind"] != "given_name"], composed], ignore_index=True)
    clash = table.groupby("variant")["actor"].nunique()
    clash = clash[clash > 1]
    if len(clash):
        variant = clash.index[0]
        actors = sorted(table.loc[table["variant"] == variant, "actor"].unique())
        raise CorpusError(f"{path}: variant {variant!r} maps to several actors ({', '.join(actors)}); "
                          "a surface form must name one actor")
    return table.drop_duplicates("variant").reset_index(drop=True)


def _compose_full_names(raw: pd.DataFrame) -> pd.DataFrame:
    persons = raw[raw["actor_type"] == "person"]
    given = persons[persons["variant_kind"] == "given_name"]
    surnames = persons[persons["variant_kind"] == "short"]
    pairs = given.merge(surnames[["actor", "variant"]], on="actor", suffixes=("_given", ""))
    pairs["variant"] = pairs["variant_given"] + " " + pairs["variant"]
    pairs["variant_kind"] = "spelling"
    pairs["note"] = "composed: given name + surname"
    return pairs[GAZETTEER_COLUMNS]


def _default_gazetteer() -> pd.DataFrame:
    """The default gazetteer, shared (not copied): callers must not modify it."""
    key = file_key(DEFAULT_GAZETTEER)
    return _read_gazetteer(*key) if key else read_gazetteer(DEFAULT_GAZETTEER)


def _trie_regex(words: list[str], *, boundary_after_first: bool = False) -> str:
    """A regex matching any of ``words``, shaped as a trie so the engine never backtracks far.

    ``boundary_after_first``: each word must start after a non-word character (or at the start), checked
    by a look-behind after its first character, "A(?<!\\wA)rmenia", so that the regex opens with its set
    of first characters (re then skips to them with a fast scan).
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict, root: bool = False) -> str:
        ends = "" in node
        branches = [re.escape(ch) + (rf"(?<!\w{re.escape(ch)})" if root and boundary_after_first else "")
                    + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie, root=True)


@functools.lru_cache(maxsize=8)
def _matcher(variants: tuple[str, ...]) -> re.Pattern:
    # Greedy trie + backtracking gives the longest variant that ends on a word boundary.
    return re.compile(r"(?<!\w)(?P<variant>" + _trie_regex(list(variants)) + r")(?P<possessive>['’]s)?(?!\w)")


class _Scanner(NamedTuple):
    """_matcher(variants), split in two for speed (see :func:`_find_mentions`)."""
    variants: tuple[str, ...]  # _matcher(variants) is the definition (compiled when a text needs it)
    common: re.Pattern | None  # the variants that open with anything but a lower-case letter
    rare: tuple[str, ...]  # the variants that open with a lower-case letter ("the Hague", "twitter")
    rare_matcher: re.Pattern | None


_RARE_LIMIT = 64  # more lower-case variants than this: scan with the whole alternation


@functools.lru_cache(maxsize=8)
def _scanner(variants: tuple[str, ...]) -> _Scanner:
    rare = tuple(v for v in variants if v[:1].islower())
    common = [v for v in variants if not v[:1].islower()]
    if "" in variants or len(rare) > _RARE_LIMIT or not common:
        return _Scanner(variants, None, (), None)
    # the boundary look-behind goes after each first character (A(?<!\wA)...), so the pattern opens with the
    # set of first characters and re skips to them with its fast scan instead of trying every position
    trie = _trie_regex(common, boundary_after_first=True)
    common_matcher = re.compile(r"(?P<variant>" + trie + r")(?P<possessive>['’]s)?(?!\w)")
    return _Scanner(variants, common_matcher, rare, _matcher(rare) if rare else None)


def _find_mentions(text: str, scanner: _Scanner) -> list[tuple[int, int, str, str]]:
    """(start, end, surface, variant) of every match of _matcher(variants) in ``text``, as its finditer gives them.

    The variants opening with a capital, digit or other non-lower-case character are scanned with one pattern;
    the few opening in lower case are looked up with str.find and matched where they occur. Matches at one
    position are the whole pattern's (the two sets never share a first character); where no match of one set
    overlaps a match of the other, the two scans together are the whole scan, otherwise the text is scanned
    again with the whole pattern.
    """
    if scanner.common is None:
        return [(m.start(), m.end(), m.group(0), m.group(1)) for m in _matcher(scanner.variants).finditer(text)]
    found = [(m.start(), m.end(), m.group(0), m.group(1)) for m in scanner.common.finditer(text)]
    if not scanner.rare:
        return found
    starts = set()
    for variant in scanner.rare:
        at = text.find(variant)
        while at >= 0:
            starts.add(at)
            at = text.find(variant, at + 1)
    if not starts:
        return found
    rare, resume, match = [], 0, scanner.rare_matcher.match
    for start in sorted(starts):  # finditer of the lower-case variants, at the only places they can match
        if start < resume:
            continue
        m = match(text, start)
        if m:
            rare.append((m.start(), m.end(), m.group(0), m.group(1)))
            resume = m.end()
    if not rare:
        return found
    found_starts = [f[0] for f in found]
    for start, end, _, _ in rare:  # does a lower-case match overlap one of the others (its neighbours by start)?
        i = bisect.bisect_left(found_starts, start)
        if (i and found[i - 1][1] > start) or (i < len(found) and found[i][0] < end):
            return [(m.start(), m.end(), m.group(0), m.group(1)) for m in _matcher(scanner.variants).finditer(text)]
    return sorted(found + rare)


def mentions(docs: pd.DataFrame, gazetteer: pd.DataFrame | None = None, *,
             include_demonyms: bool = False, sents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per actor mention.

    Columns: doc_id, source, sentence_id, actor (canonical), actor_type,
    affiliation, surface (as written, possessive included), variant (the
    gazetteer entry matched), variant_kind, start and end (character offsets
    into the document's ``text``).

    Demonyms ("Russian", "Armenians") are matched but dropped unless
    ``include_demonyms``: an adjective such as "Armenian refugees" names a
    people, not the state. ``sents`` (from :func:`analysis.sentences`) saves
    re-segmenting when you already have it.
    """
    table = _default_gazetteer() if gazetteer is None else gazetteer
    scanner = _scanner(tuple(sorted(table["variant"])))
    found, counts = [], []
    for text in docs["text"]:
        in_doc = _find_mentions(text, scanner)
        counts.append(len(in_doc))
        found.extend(in_doc)
    rows = np.repeat(np.arange(len(docs)), counts)
    starts, ends, surfaces, variants = (list(column) for column in zip(*found)) if found else ([], [], [], [])
    # the table is assembled with arrays where that gives what the pandas merges below give: string columns
    # typed as pandas types Python strings, each matched variant one gazetteer row, some mention kept, each
    # mention inside a sentence (otherwise the merges run, and raise where they raise)
    entry = _gazetteer_rows(table, variants) if found else None
    typed = all(column.dtype == _INFERRED_STR for column in (docs["doc_id"], docs["source"], table["variant"]))
    if entry is not None and typed:
        keep = np.arange(len(entry)) if include_demonyms else \
            np.flatnonzero(table["variant_kind"].to_numpy()[entry] != "demonym")
        if sents is None:
            from .segment import sentences
            sents = sentences(docs)
        at = np.array(starts, dtype=np.int64)[keep]
        sentence = sentence_rows(docs["doc_id"].array.take(rows[keep]), at, sents) if len(keep) else None
        if sentence is not None and (sentence >= 0).all():
            # rows by doc_id, then start: the order the merges' final sort gives (see _document_order)
            order = _document_order(docs, rows[keep])
            if order is not None:
                keep, sentence, at = keep[order], sentence[order], at[order]
            entry, kept_rows = entry[keep], rows[keep]
            table = table.assign(affiliation=table["affiliation"].replace("", pd.NA))
            found = pd.DataFrame({
                "doc_id": docs["doc_id"].array.take(kept_rows), "source": docs["source"].array.take(kept_rows),
                "sentence_id": sents["sentence_id"].to_numpy()[sentence].astype("int64"),
                **{column: table[column].array.take(entry) for column in ("actor", "actor_type", "affiliation")},
                "surface": np.array(surfaces, dtype=object)[keep], "variant": table["variant"].array.take(entry),
                "variant_kind": table["variant_kind"].array.take(entry),
                "start": at, "end": np.array(ends, dtype=np.int64)[keep]})
            if order is None:
                found = found.sort_values(["doc_id", "start"], kind="stable")
            return found.reset_index(drop=True)
    return _mentions_by_merge(docs, table, rows, starts, ends, surfaces, variants, include_demonyms, sents)


_INFERRED_STR = pd.Series(["text"]).dtype  # the type pandas gives a column of Python strings


def _document_order(docs: pd.DataFrame, rows: np.ndarray) -> np.ndarray | None:
    """The permutation that ``sort_values(["doc_id", "start"], kind="stable")`` applies to rows that come by
    document (``rows``: each row's document, in the order of ``docs``), each document's rows by start. With
    unique doc_ids it is the documents' blocks in doc_id order, so only the documents are sorted (with the same
    pandas sort); None when doc_ids repeat (then sort the rows)."""
    if not docs["doc_id"].is_unique:
        return None
    doc_order = pd.DataFrame({"doc_id": docs["doc_id"].array, "start": 0}).sort_values(
        ["doc_id", "start"], kind="stable").index.to_numpy()
    counts = np.bincount(rows, minlength=len(docs))
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    n = counts[doc_order]
    return np.repeat(first[doc_order] - np.cumsum(n) + n, n) + np.arange(n.sum())


def _gazetteer_rows(table: pd.DataFrame, variants: list[str]) -> np.ndarray | None:
    """Per matched variant, its row in the gazetteer (None unless each variant is one row)."""
    index = pd.Index(table["variant"])
    if not index.is_unique:
        return None
    entry = index.get_indexer(pd.Index(variants, dtype=object))
    return None if (entry < 0).any() else entry


def _mentions_by_merge(docs, table, rows, starts, ends, surfaces, variants, include_demonyms, sents):
    """The mentions table built with pandas merges, as first written (for gazetteers with repeated variants
    and mentions outside every sentence, where pandas raises)."""
    doc_ids, sources = list(docs["doc_id"]), list(docs["source"])
    found = pd.DataFrame([(doc_ids[row], sources[row], *match)
                          for row, match in zip(rows.tolist(), zip(surfaces, variants, starts, ends))],
                         columns=["doc_id", "source", "surface", "variant", "start", "end"])
    found = found.merge(table[["variant", "actor", "actor_type", "affiliation", "variant_kind"]],
                        on="variant", how="left", validate="many_to_one")
    if not include_demonyms:
        found = found[found["variant_kind"] != "demonym"]
    if sents is None:
        from .segment import sentences
        sents = sentences(docs)
    found = _attach_sentence_ids(found, sents)
    found["affiliation"] = found["affiliation"].replace("", pd.NA)
    return found[MENTION_COLUMNS].reset_index(drop=True)


def _attach_sentence_ids(found: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    if found.empty:
        found["sentence_id"] = pd.Series(dtype="int64")
        return found
    found = found.sort_values(["start"], kind="stable")
    keyed = sents[["doc_id", "sentence_id", "start"]].rename(columns={"start": "sentence_start"})
    keyed = keyed.sort_values("sentence_start", kind="stable")
    merged = pd.merge_asof(found, keyed, left_on="start", right_on="sentence_start", by="doc_id",
                           direction="backward")
    merged = merged.drop(columns="sentence_start").sort_values(["doc_id", "start"], kind="stable")
    merged["sentence_id"] = merged["sentence_id"].astype("int64")
    return merged
