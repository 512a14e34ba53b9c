"""Helpers the report notebooks share: choosing a source, naming files safely, writing tables."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pandas as pd

ALL_SOURCES = "all"


def known_sources(docs: pd.DataFrame) -> list[str]:
    """The corpus's sources, sorted (documents without a source are "(unknown source)")."""
    return sorted(docs["source"].fillna("(unknown source)").astype(str).unique())


def select_source(docs: pd.DataFrame, source: str) -> pd.DataFrame:
    """The documents of one ``source``, or all of them for ``"all"``.

    Raises ValueError naming the known sources when ``source`` is not one of them.
    """
    if source == ALL_SOURCES:
        return docs
    sources = known_sources(docs)
    if source not in sources:
        raise ValueError(f"unknown source {source!r}; the corpus has: {', '.join(sources)} (or 'all')")
    return docs[docs["source"].fillna("(unknown source)") == source].reset_index(drop=True)


def slug(name: str) -> str:
    """A file-name-safe version of ``name`` that can never leave its folder.

    Letters, digits, dot, dash and underscore are kept and spaces become
    underscores; anything else becomes a dash, leading dots are dropped (no
    hidden files, no "..") and a short hash then keeps two names that differ
    only in punctuation apart.
    """
    spaced = name.replace(" ", "_")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", spaced).strip("-.") or "source"
    if cleaned != spaced:
        cleaned = f"{cleaned}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"
    return cleaned[:80]


def inside(folder: str | Path, name: str) -> Path:
    """``folder / name``, refusing any path that would resolve outside ``folder``."""
    folder = Path(folder).resolve()
    path = (folder / name).resolve()
    if folder != path and folder not in path.parents:
        raise ValueError(f"refusing to write {name!r} outside {folder}")
    return path


def save_table(table: pd.DataFrame, name: str, folder: str | Path) -> Path:
    """Write ``table`` as ``folder/name.csv`` (UTF-8, ``\\n`` line ends, no index), atomically."""
    path = inside(folder, f"{name}.csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
