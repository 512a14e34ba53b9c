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

import functools
import re
from pathlib import Path

import pandas as pd

from .errors import CorpusError
from .lexicon import read_data_table

DEFAULT_GAZETTEER = Path(__file__).parent / "data" / "actors.csv"
ACTOR_TYPES = {"person", "state", "organisation", "place", "territory"}
VARIANT_KINDS = {"name", "spelling", "short", "given_name", "metonym", "demonym"}
GAZETTEER_COLUMNS = ["actor", "actor_type", "affiliation", "variant", "variant_kind", "note"]
MENTION_COLUMNS = ["doc_id", "source", "sentence_id", "actor", "actor_type", "affiliation",
                   "surface", "variant", "variant_kind", "start", "end"]


def read_gazetteer(path: str | Path = DEFAULT_GAZETTEER) -> pd.DataFrame:
    """The gazetteer as a DataFrame, validated, with given names composed into full names.

    Raises :class:`CorpusError` naming the file and row for a malformed gazetteer.
    """
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


@functools.lru_cache(maxsize=8)
def _default_gazetteer() -> pd.DataFrame:
    return read_gazetteer(DEFAULT_GAZETTEER)


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words``, shaped as a trie so the engine never backtracks far."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


@functools.lru_cache(maxsize=8)
def _matcher(variants: tuple[str, ...]) -> re.Pattern:
    # Greedy trie + backtracking gives the longest variant that ends on a word boundary.
    return re.compile(r"(?<!\w)(?P<variant>" + _trie_regex(list(variants)) + r")(?P<possessive>['’]s)?(?!\w)")


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
    pattern = _matcher(tuple(sorted(table["variant"])))
    rows = []
    for doc_id, source, text in zip(docs["doc_id"], docs["source"], docs["text"]):
        for m in pattern.finditer(text):
            rows.append((doc_id, source, m.group(0), m.group("variant"), m.start(), m.end()))
    found = pd.DataFrame(rows, columns=["doc_id", "source", "surface", "variant", "start", "end"])
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
