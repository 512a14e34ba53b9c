"""Load a folder of news articles into tidy tables.

``read_corpus(path)`` returns a :class:`Corpus`, a bundle of DataFrames joined
on ``doc_id``: documents, the cleaning audit (every line's fate), metadata
provenance, relations between documents, and the problem report.
``load_corpus(path)`` returns just the documents table.

Hostile or odd folders (every case is a row of ``problems`` naming the file; the other files still load):
a symbolic link whose target lies outside the corpus folder (``passwd.txt -> /etc/passwd``) or that loops
is refused, a dangling link is skipped with a message, a link to a folder is not followed; hidden files
and folders and editor backups (``x.txt~``, ``.x.txt.swp``, ``#x.txt#``) are skipped with a note;
compressed files (``page.html.gz``) are reported as not read; a file that cannot be read (permission
denied) is skipped with a message. doc_ids are unique: they are assigned before any file is read, a
manifest's doc_id first; a file whose name yields a doc_id the manifest gives another file, or that
another file's name yields too (``a.txt`` and ``a.html``), is read under its full file name instead
(``a.txt``), with a warning (a clash with the manifest) or a note (two files of one stem) naming both.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .cleaning import KEPT, OVERRIDES_NAME, clean_text
from .bylines import infer_author
from .dates import DateError, check_date, parse_date
from ..errors import NOTE, SKIPPED, WARNING, CorpusError, CorpusWarning, Problem, SkipFile
from .htmlpages import extract_html, is_html
from .items import item_starts, item_texts
from .manifest import METADATA_FIELDS, ManifestEntry, find_manifest, read_manifest
from .outlets import canonical_site_name, infer_outlet, outlet_fields
from .reading import decode_file
from ..text.segment import STOP_WORDS, parse
from .templates import TEMPLATE_MIN_DOCS, corpus_template_lines
from .._package import PACKAGE_DIR

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# Document formats a researcher may drop in by mistake: reported, not silently ignored.
CONVERT_FIRST = (".pdf", ".doc", ".docx", ".rtf", ".odt", ".epub", ".pages")
# Compressed files and archives: not unpacked (a bomb, or a page saved twice), reported instead.
COMPRESSED = (".gz", ".bz2", ".xz", ".lzma", ".lz", ".zst", ".z", ".zip", ".7z", ".rar", ".tar", ".tgz", ".tbz2",
              ".txz")
# Editors' backups and autosaves, and swap files: skipped with a note.
_BACKUP = re.compile(r"(?:~|\.sw[a-p]|\.bak|\.orig|\.tmp)$|^#.*#$", re.IGNORECASE)

DOC_COLUMNS = ["doc_id", "file", "source", "source_country", "source_type", "title", "subtitle", "author",
               "date", "url", "language", "section", "publication", "volume", "issue", "part", "dateline",
               "text", "raw", "encoding", "n_paragraphs", "n_sentences", "n_tokens", "n_words",
               "n_lines_removed", "duplicate_of"]
LINE_COLUMNS = ["doc_id", "file", "line_no", "raw_start", "raw_end", "text", "action", "reason", "detail",
                "paragraph_id", "text_start", "text_end"]
PROVENANCE_COLUMNS = ["doc_id", "field", "value", "provenance", "evidence"]
RELATION_COLUMNS = ["doc_id", "relation", "target", "provenance", "evidence"]
PROBLEM_COLUMNS = ["file", "doc_id", "severity", "problem", "message"]

_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Corpus:
    """Tidy tables for one corpus, all joined on ``doc_id``.

    * ``docs``: one row per document (see :func:`load_corpus`);
    * ``lines``: one row per non-blank raw line (or line part): its action
      (kept, metadata, removed), the reason and rule, raw offsets, and where a
      kept line sits in the clean text;
    * ``provenance``: one row per document and metadata field: value,
      provenance (text, manifest, inferred, unknown) and evidence;
    * ``relations``: one row per relation between documents (e.g. 000 reuses 001);
    * ``problems``: one row per problem met while reading (file, severity, message);
    * ``sentences`` and ``tokens``: as :func:`analysis.sentences` and
      :func:`analysis.tokens` give them for ``docs`` (computed once, while loading).
    """

    docs: pd.DataFrame
    lines: pd.DataFrame
    provenance: pd.DataFrame
    relations: pd.DataFrame
    problems: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame

    @property
    def removed(self) -> pd.DataFrame:
        """The cleaning audit restricted to what did not go into the body text."""
        return self.lines[self.lines["action"] != KEPT].reset_index(drop=True)


def load_corpus(path: str | Path = "seeds", **options) -> pd.DataFrame:
    """One row per document of the corpus in ``path`` (options as for :func:`read_corpus`).

    Columns: doc_id, file, source, source_country, source_type, title, subtitle,
    author, date (day precision), url, language, section, publication, volume,
    issue, part, dateline, text (clean body, paragraphs separated by a blank
    line), raw (the file as read, never altered), encoding, n_paragraphs,
    n_sentences, n_tokens (white space excluded, punctuation included), n_words
    (tokens that are not punctuation), n_lines_removed, duplicate_of; then any
    extra manifest fields.
    """
    return read_corpus(path, **options).docs


def read_corpus(path: str | Path = "seeds", *, manifest: str | Path | bool | None = None,
                overrides: str | Path | pd.DataFrame | None = None, max_file_mb: float = 20.0,
                keep_duplicates: bool = False, errors: str = "warn",
                template_min_docs: int = TEMPLATE_MIN_DOCS) -> Corpus:
    """Read every .txt and .html file under ``path`` into a :class:`Corpus`.

    ``manifest``: a manifest file, ``None`` to use ``manifest.yaml``/``.csv`` in
    the folder if present, or ``False`` to read metadata from the texts only.
    ``overrides``: per-line cleaning overrides (doc_id, line_no, action keep|remove,
    note), a CSV path or DataFrame; by default ``cleaning_overrides.csv`` in the
    folder if present. ``max_file_mb``: larger files are skipped as not one
    article. ``keep_duplicates``: keep documents whose clean text repeats an
    earlier one (marked in ``duplicate_of``) instead of skipping them.
    ``template_min_docs``: a short line (12 words or fewer) that stands in this many plain-text files
    is the site's template (menus, footers, widgets), removed as ``site_template`` (0: never; see
    :mod:`analysis.corpus.templates`).
    ``errors``: ``"warn"`` (problems become :class:`CorpusWarning` and rows of
    ``problems``), ``"raise"`` (the first skipped file or warning raises
    :class:`CorpusError`) or ``"ignore"`` (only the ``problems`` table).
    """
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError("errors must be 'warn', 'raise' or 'ignore'")
    folder = Path(path)
    check_folder(folder)
    report = _Report(errors)
    entries = _manifest_entries(folder, manifest)
    line_overrides = _read_overrides(folder, overrides)
    files, ignored = _corpus_files(folder)
    by_file = {e.file: e for e in entries}
    for problem in folder_problems(folder, files, ignored, by_file):
        report.add(problem)
    entry_of = manifest_lookup(entries)
    doc_ids, id_problems = assign_doc_ids(files, entry_of)
    for problem in id_problems:
        report.add(problem, doc_ids[problem.file])

    templates = corpus_template_lines(folder, files, max_bytes=int(max_file_mb * 1e6), min_docs=template_min_docs)
    records, line_rows, provenance_rows, relation_rows = [], [], [], []
    loaded: dict[str, str] = {}  # doc_id -> file, of the documents read so far
    for rel in files:
        entry = entry_of(rel)
        if entries and entry is None:
            report.add(no_manifest_row(rel))
        doc_id = doc_ids[rel]
        found, lines, prov = read_file(folder, rel, doc_id, entry, line_overrides.get(doc_id, {}),
                                       int(max_file_mb * 1e6), report, templates.get(rel))
        _keep_ids_unique(rel, found, lines, prov, loaded, report)
        line_rows.extend(lines)
        if not found:
            continue
        records.extend(found)
        provenance_rows.extend(prov)
        if entry is not None:
            relation_rows.extend({"doc_id": record["doc_id"], **rel_} for record in found for rel_ in entry.relations)

    records = _mark_duplicates(records, keep_duplicates, report)
    if not records:
        raise CorpusError(f"no document could be loaded from '{folder}'"
                          + (":\n  " + "\n  ".join(str(p) for p in report.problems) if report.problems else
                             " (the folder is empty)" if not any(folder.iterdir()) else
                             " (it holds no .txt or .html files)"))
    kept_ids = {r["doc_id"] for r in records}
    docs, sents, toks = _docs_frame(records)
    relations = pd.DataFrame(relation_rows, columns=RELATION_COLUMNS)
    relations = relations[relations["doc_id"].isin(kept_ids)].reset_index(drop=True)
    for target in sorted(set(relations["target"]) - kept_ids):
        report.add(Problem("manifest", WARNING, "unknown_relation_target",
                           f"a relation points to doc_id {target!r}, which is not in the corpus"))
    lines = pd.DataFrame(line_rows, columns=LINE_COLUMNS)
    provenance = pd.DataFrame(provenance_rows, columns=PROVENANCE_COLUMNS)
    provenance = provenance[provenance["doc_id"].isin(kept_ids)].reset_index(drop=True)
    for doc_id in sorted(set(line_overrides) - set(lines["doc_id"])):
        report.add(Problem(OVERRIDES_NAME, WARNING, "unknown_override_doc",
                           f"overrides name doc_id {doc_id!r}, which is not in the corpus; ignored"))
    return Corpus(docs=docs, lines=lines.astype({"paragraph_id": "Int64", "text_start": "Int64",
                                                  "text_end": "Int64"}),
                  provenance=provenance, relations=relations, problems=report.frame(), sentences=sents, tokens=toks)


def check_folder(folder: Path) -> None:
    """Raise CorpusError unless ``folder`` is a folder (missing, a file, something else: said which)."""
    if folder.is_dir():
        return
    if folder.is_file():
        raise CorpusError(f"corpus folder '{folder}' is a file, which is not a folder: give the folder that holds "
                          f"the articles ('{folder.parent}'?)")
    if folder.is_symlink():
        raise CorpusError(f"corpus folder '{folder}' is a link to '{os.readlink(folder)}', which does not exist "
                          "or is not a folder")
    if folder.exists():
        raise CorpusError(f"corpus folder '{folder}' is not a folder (a device, pipe or socket)")
    raise CorpusError(f"corpus folder '{folder}' does not exist or is not a folder")


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def manifest_lookup(entries: list[ManifestEntry]):
    """A function giving a file's manifest entry (None if none): refused rows never match, and names match
    whatever their Unicode normalisation (a manifest typed in NFC, file names from a Mac in NFD)."""
    exact = {e.file: e for e in entries if e.refused is None}
    normal = {_nfc(e.file): e for e in entries if e.refused is None}
    return lambda rel: exact.get(rel) or normal.get(_nfc(rel))


def folder_problems(folder: Path, files: list[str], ignored: list, by_file: dict) -> list[Problem]:
    """What the folder walk met (``ignored``: names of files in formats that are not read, or problems:
    links, hidden files, backups, compressed files), manifest rows refused, and manifest rows naming files
    that are not there."""
    problems = [item if isinstance(item, Problem) else
                Problem(item, SKIPPED, "unsupported_format",
                        f"'{Path(item).suffix}' files are not read; convert it to .txt (or save the page as .html)")
                for item in ignored]
    present = set(files) | {_nfc(rel) for rel in files}
    for rel in sorted(by_file):
        entry = by_file[rel]
        if getattr(entry, "refused", None):
            problems.append(Problem(rel, WARNING, "manifest_row_refused",
                                    f"manifest {entry.where}: {entry.refused}; row refused"))
        elif rel not in present and _nfc(rel) not in present:
            problems.append(Problem(rel, WARNING, "manifest_file_missing",
                                    f"named in the manifest ({entry.where}) but no such file in '{folder}'; "
                                    "row ignored"))
    return problems


def no_manifest_row(rel: str) -> Problem:
    return Problem(rel, WARNING, "no_manifest_row", "has no manifest row; its metadata is read from the text only")


class _Report:
    """Collects problems; warns or raises as the caller asked."""

    def __init__(self, errors: str):
        self.errors = errors
        self.problems: list[Problem] = []

    def add(self, problem: Problem, doc_id: str | None = None) -> None:
        if doc_id is not None and problem.doc_id is None:
            problem = Problem(problem.file, problem.severity, problem.problem, problem.message, doc_id)
        self.problems.append(problem)
        if problem.severity == NOTE or self.errors == "ignore":
            return
        if self.errors == "raise":
            raise CorpusError(str(problem)) from None
        warnings.warn(str(problem), CorpusWarning, stacklevel=_caller_stacklevel())

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([(p.file, p.doc_id, p.severity, p.problem, p.message) for p in self.problems],
                            columns=PROBLEM_COLUMNS)


def _caller_stacklevel() -> int:
    """The stack level of the first frame outside this package, so a warning points at the user's call."""
    frame, level = sys._getframe(1), 1
    package = str(PACKAGE_DIR)
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def _manifest_entries(folder: Path, manifest: str | Path | bool | None) -> list[ManifestEntry]:
    if manifest is False:
        return []
    path = find_manifest(folder) if manifest in (None, True) else Path(manifest)
    if path is None:
        if manifest is True:
            raise CorpusError(f"no manifest.yaml or manifest.csv in '{folder}'")
        return []
    return read_manifest(path)


def _corpus_files(folder: Path) -> tuple[list[str], list]:
    """The .txt and .html files under ``folder`` (paths relative to it, in order), and what else was met:
    names of files in formats to convert first, and problems (links refused, hidden files, backups, ...).

    Symbolic links are not trusted: a link to a file is read only if its target lies inside the folder;
    a link leaving the folder or looping is refused, a dangling link reported, a link to a folder not
    followed (so no walk can loop). Hidden entries (a name beginning with '.') are not entered."""
    folder = Path(folder)
    try:
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError):
        root = folder.absolute()
    files: list[str] = []
    ignored: list = []

    def walk(directory: Path, prefix: str) -> None:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            ignored.append(Problem(prefix.rstrip("/") or ".", SKIPPED, "unreadable_folder",
                                   f"the folder cannot be read ({_os_reason(err)}); its files are skipped"))
            return
        for entry in entries:
            rel = prefix + entry.name
            found = _walk_entry(Path(entry.path), entry, rel, root)
            if found == "dir":
                walk(Path(entry.path), rel + "/")
            elif found == "file":
                suffix = Path(entry.name).suffix.lower()
                if suffix in TEXT_SUFFIXES + HTML_SUFFIXES:
                    files.append(rel)
                elif suffix in CONVERT_FIRST:
                    ignored.append(rel)
                elif suffix in COMPRESSED:
                    ignored.append(Problem(rel, SKIPPED, "compressed",
                                           f"a compressed file ('{suffix}') is not read; unpack it into the "
                                           "folder first (e.g. gunzip, unzip)"))
            elif found is not None:
                ignored.append(found)

    walk(folder, "")
    return files, ignored


def _walk_entry(path: Path, entry: os.DirEntry, rel: str, root: Path):
    """'file', 'dir', None (not of interest) or a Problem, for one entry of the walk."""
    name = entry.name
    is_link = entry.is_symlink()
    if name.startswith(".#") and is_link:  # (an Emacs lock: a dangling link by design)
        return None
    if _BACKUP.search(name):
        return Problem(rel, NOTE, "editor_backup", "an editor's backup, autosave or swap file; skipped")
    if name.startswith("."):
        # a hidden folder is noted once (not entered); a hidden file when it would otherwise be read or reported
        if entry.is_dir(follow_symlinks=False):
            return Problem(rel, NOTE, "hidden", "hidden folder (its name begins with '.'); skipped, with "
                                                "everything in it")
        if name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES + CONVERT_FIRST + COMPRESSED):
            return Problem(rel, NOTE, "hidden", "hidden file (its name begins with '.'); skipped")
        return None
    if is_link:
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return Problem(rel, SKIPPED, "dangling_link",
                           f"a symbolic link to '{_readlink(path)}', which does not exist; skipped")
        except RuntimeError:
            return Problem(rel, SKIPPED, "link_loop", "a symbolic link that leads back to itself (a link loop); refused")
        except OSError as err:
            return Problem(rel, SKIPPED, "unreadable",
                           f"a symbolic link that cannot be followed ({_os_reason(err)}); skipped")
        if target != root and root not in target.parents:
            return Problem(rel, SKIPPED, "link_outside",
                           f"a symbolic link to '{target}', outside the corpus folder; refused (its text would "
                           "be read and published as an article: copy the file into the folder if it is one)")
        if target.is_dir():
            return Problem(rel, NOTE, "link_to_folder",
                           f"a symbolic link to the folder '{target.relative_to(root).as_posix() or '.'}' "
                           "inside the corpus; not followed (its files are read where they are)")
    try:
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_file():
            return "file"
    except OSError as err:
        return Problem(rel, SKIPPED, "unreadable", f"cannot be examined ({_os_reason(err)}); skipped")
    if Path(name).suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES:
        return Problem(rel, SKIPPED, "not_a_file", "not a regular file (a pipe, socket or device); skipped")
    return None


def _readlink(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _os_reason(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "permission denied"
    return err.strerror or str(err)


def _manifest_doc_id(entry: ManifestEntry | None) -> str | None:
    if entry is not None and entry.values.get("doc_id", (None,))[0] is not None:
        return str(entry.values["doc_id"][0])
    return None


def assign_doc_ids(files: list[str], entry_of) -> tuple[dict[str, str], list[Problem]]:
    """Each file's doc_id (``entry_of(rel)``: its manifest entry or None), unique, decided before any file is
    read: a manifest's doc_id first; otherwise the file's name without its suffix, or, when that is taken (the
    manifest gives it to another file, or another file of the same stem came first: ``a.html`` then
    ``a.txt``), the whole file name. Problems say each such rename, naming both files."""
    ids: dict[str, str] = {}
    owner: dict[str, str] = {}  # doc_id -> the file that has it
    claimed: dict[str, ManifestEntry] = {}
    for rel in files:
        doc_id = _manifest_doc_id(entry_of(rel))
        if doc_id is not None:
            ids[rel], owner[doc_id], claimed[doc_id] = doc_id, rel, entry_of(rel)
    problems = []
    for rel in files:
        if rel in ids:
            continue
        stem = rel.rsplit(".", 1)[0]
        doc_id, n = stem, 1
        while doc_id in owner:
            n += 1
            doc_id = rel if n == 2 else f"{rel}~{n - 1}"
        if doc_id != stem:
            other = owner[stem]
            if stem in claimed:
                problems.append(Problem(rel, WARNING, "doc_id_clash",
                                        f"its name gives doc_id {stem!r}, which the manifest ({claimed[stem].where}) "
                                        f"gives to {other}; read as doc_id {doc_id!r} so that the two documents "
                                        "are not mixed (give it a doc_id of its own in the manifest)"))
            else:
                problems.append(Problem(rel, NOTE, "same_stem",
                                        f"its name gives doc_id {stem!r}, as {other}'s does; read as doc_id "
                                        f"{doc_id!r}"))
        ids[rel], owner[doc_id] = doc_id, rel
    return ids, problems


def _doc_id(rel: str, entry: ManifestEntry | None, used: set[str]) -> str:
    """One file's doc_id, given the doc_ids ``used`` so far (see :func:`assign_doc_ids`, which also keeps a
    name's doc_id from clashing with a manifest's doc_id of a later file)."""
    doc_id = _manifest_doc_id(entry)
    if doc_id is not None:
        return doc_id
    stem = rel.rsplit(".", 1)[0]
    doc_id, n = stem, 1
    while doc_id in used:
        n += 1
        doc_id = rel if n == 2 else f"{rel}~{n - 1}"
    return doc_id


def _keep_ids_unique(rel: str, found: list[dict], lines: list[dict], prov: list[dict], loaded: dict[str, str],
                     report: _Report) -> None:
    """Last guard: a document whose doc_id an earlier file's document has (a page of several news items is
    read as ``x#1``, ``x#2``, and a file may be named ``x#1.txt``) gets ``~2`` (``~3``, ...) added, said with
    both files, in its record, cleaning audit and provenance rows; then its doc_ids are recorded in ``loaded``."""
    renamed = {}
    for record in found:
        doc_id = record["doc_id"]
        if doc_id in loaded:
            n = 2
            while f"{doc_id}~{n}" in loaded:
                n += 1
            new = renamed[doc_id] = f"{doc_id}~{n}"
            report.add(Problem(rel, WARNING, "doc_id_clash",
                               f"doc_id {doc_id!r} is also the doc_id of a document of {loaded[doc_id]}; "
                               f"read as {new!r}"), new)
            record["doc_id"] = new
        loaded[record["doc_id"]] = rel
    if renamed:
        for row in lines + prov:
            row["doc_id"] = renamed.get(row["doc_id"], row["doc_id"])


def _read_overrides(folder: Path, overrides) -> dict[str, dict[int, tuple[str, str]]]:
    if overrides is None:
        path = folder / OVERRIDES_NAME
        if not path.is_file():
            return {}
        overrides = path
    if isinstance(overrides, pd.DataFrame):
        table, name = overrides.astype(str), "overrides"
    else:
        name = str(overrides)
        try:
            table = pd.read_csv(overrides, dtype=str, keep_default_na=False)
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            raise CorpusError(f"{name}: cannot read cleaning overrides: {err}") from None
        except UnicodeDecodeError as err:
            raise CorpusError(f"{name}: cleaning overrides are not UTF-8 ({err.reason} at byte {err.start}); "
                              "save the file as UTF-8 CSV") from None
    missing = {"doc_id", "line_no", "action"} - set(table.columns)
    if missing:
        raise CorpusError(f"{name}: cleaning overrides need columns doc_id, line_no, action (keep|remove); "
                          f"missing {', '.join(sorted(missing))}")
    result: dict[str, dict[int, tuple[str, str]]] = {}
    for i, row in enumerate(table.to_dict("records"), start=2):
        action = str(row["action"]).strip().lower()
        if action not in ("keep", "remove") or not str(row["line_no"]).strip().isdigit():
            raise CorpusError(f"{name}, row {i}: need a line number and action 'keep' or 'remove', "
                              f"got line_no={row['line_no']!r}, action={row['action']!r}")
        result.setdefault(str(row["doc_id"]), {})[int(row["line_no"])] = (action, str(row.get("note", "") or ""))
    return result


def read_file(folder: Path, rel: str, doc_id: str, entry: ManifestEntry | None,
              overrides: dict[int, tuple[str, str]], max_bytes: int, report: _Report,
              templates: dict[str, int] | None = None):
    """One file's document records (one per news item of the page, see :mod:`analysis.corpus.items`; none when
    it is skipped), its cleaning audit rows and provenance rows.

    Depends on this file (and its manifest row, overrides and the corpus's site-template lines that it
    holds, ``templates``) alone, so files can be read in parallel; problems go to ``report``.
    """
    try:
        items = _read_document(folder, rel, doc_id, entry, overrides, max_bytes, report, templates)
    except SkipFile as skip:
        skipped = skip.problem
    else:
        skipped = None
    if skipped is not None:  # reported outside the except block: errors="raise" shows no internal traceback
        report.add(skipped, doc_id)
        return [], [], []
    records, all_lines, all_provenance = [], [], []
    for record, lines, prov in items:
        all_lines.extend(lines)
        if not record["text"]:
            n_removed = sum(1 for row in lines if row["action"] == "removed")
            n_metadata = sum(1 for row in lines if row["action"] == "metadata")
            report.add(Problem(rel, SKIPPED, "only_boilerplate",
                               f"nothing is left after removing boilerplate ({n_removed} line(s) removed, "
                               f"{n_metadata} moved to metadata; see the lines table, or keep lines with "
                               f"{OVERRIDES_NAME}); skipped"), record["doc_id"])
            continue
        records.append(record)
        all_provenance.extend(prov)
    return records, all_lines, all_provenance


def _read_document(folder: Path, rel: str, doc_id: str, entry: ManifestEntry | None,
                   overrides: dict[int, tuple[str, str]], max_bytes: int, report: _Report,
                   templates: dict[str, int] | None = None):
    try:
        decoded = decode_file(folder / rel, max_bytes=max_bytes, encoding=entry.encoding if entry else None,
                              name=rel)
    except OSError as err:  # (permission denied, a file gone since the folder was listed, an I/O error)
        raise SkipFile(Problem(rel, SKIPPED, "unreadable",
                               f"cannot be read ({_os_reason(err)}); skipped"
                               + (" (give yourself read access, e.g. chmod u+r)"
                                  if isinstance(err, PermissionError) else ""))) from None
    for problem in decoded.problems:
        report.add(problem, doc_id)
    raw = decoded.text
    if "\r" in raw:
        report.add(Problem(rel, NOTE, "line_ends", "Windows (CRLF) or old Mac (CR) line ends read as line breaks"),
                   doc_id)
    page_metadata: dict[str, tuple[object, str]] = {}
    text = raw
    if is_html(rel):
        text, page_metadata = extract_html(raw)
        if not text:
            raise SkipFile(Problem(rel, SKIPPED, "no_main_text", "HTML page in which no main text was found; skipped"))
    starts = [] if is_html(rel) else item_starts(text)
    if not starts:
        return [_document(rel, doc_id, entry, overrides, report, templates, text, raw, decoded.encoding,
                          page_metadata)]
    report.add(Problem(rel, NOTE, "several_items",
                       f"the page holds {len(starts)} news items (headlines at lines "
                       f"{', '.join(map(str, starts))}, each over a dateline): read as documents "
                       f"{doc_id}#1 to {doc_id}#{len(starts)}"), doc_id)
    return [_document(rel, f"{doc_id}#{k}", entry, overrides, report, templates, item, raw, decoded.encoding, {})
            for k, item in enumerate(item_texts(text, starts), start=1)]


def _document(rel: str, doc_id: str, entry: ManifestEntry | None, overrides: dict[int, tuple[str, str]],
              report: _Report, templates: dict[str, int] | None, text: str, raw: str, encoding: str,
              page_metadata: dict):
    """One document's record, audit rows and provenance rows, from its ``text`` (the file's text, or one news
    item of it with the other lines blanked)."""
    source_hint = entry.values.get("source", (None,))[0] if entry else None
    cleaned = clean_text(text, outlet_names=(str(source_hint),) if source_hint else (), overrides=overrides,
                         find_main=not is_html(rel),  # trafilatura has chosen an HTML page's main text
                         templates=templates)
    for message in cleaned.date_problems:
        report.add(Problem(rel, WARNING, "unparseable_date", f"{message}; date left unknown"), doc_id)
    for problem, message in cleaned.problems:
        report.add(Problem(rel, WARNING, problem, message), doc_id)

    lines = [{"doc_id": doc_id, "file": rel, **row} for row in cleaned.lines]
    found = {**cleaned.metadata, **page_metadata}
    fields = _merge_fields(rel, doc_id, entry, found, lines, cleaned.body, report)
    record = {name: value for name, (value, _, _) in fields.items()}
    record.update({
        "doc_id": doc_id, "file": rel, "text": cleaned.body, "raw": raw, "encoding": encoding,
        "n_paragraphs": len(cleaned.paragraphs),
        "n_lines_removed": sum(1 for row in lines if row["action"] != KEPT),
    })
    provenance = [{"doc_id": doc_id, "field": name, "value": _as_text(value), "provenance": how, "evidence": evidence}
                  for name, (value, how, evidence) in fields.items()]
    return record, lines, provenance


def _merge_fields(rel: str, doc_id: str, entry: ManifestEntry | None, found: dict, lines: list[dict],
                  body: str, report: _Report) -> dict[str, tuple[object, str, str]]:
    """Each field's value, provenance and evidence: manifest over text over inference."""
    given = entry.values if entry else {}
    inferred = {**_infer_source(found, lines, given), "author": infer_author(lines),
                "language": _infer_language(body)}
    names = [f for f in METADATA_FIELDS if f != "doc_id"] + ["dateline"]
    names += [k for k in given if k not in names and k != "doc_id"]
    fields = {}
    for name in names:
        text_value = found.get(name)
        if name in given:
            value, how, evidence = given[name]
            if text_value is not None and _as_text(text_value[0]) != _as_text(value):
                evidence = "; ".join(e for e in (evidence, f"the text reads {_as_text(text_value[0])!r} "
                                                           f"({text_value[1]})") if e)
        elif text_value is not None:
            value, how, evidence = text_value[0], "text", text_value[1]
        elif inferred.get(name) and inferred[name][0] is not None:
            value, how, evidence = inferred[name][0], "inferred", inferred[name][1]
        else:
            note = found.get(f"{name}_note") or (inferred.get(name) or (None, ""))
            value, how, evidence = None, "unknown", note[1] if note[0] is None else f"{note[0]} ({note[1]})"
        if name in ("volume", "issue") and value is not None and not str(value).strip().isdigit():
            report.add(Problem(rel, WARNING, "bad_number",
                               f"{name} {value!r} is not a whole number; left unknown"), doc_id)
            value, how, evidence = None, "unknown", f"given as {value!r}, not a whole number"
        if name == "date" and value is not None and not hasattr(value, "year"):
            try:
                value = parse_date(str(value))
            except DateError as err:
                report.add(Problem(rel, WARNING, "unparseable_date",
                                   f"manifest {entry.where if entry else ''} date: {err}; date left unknown"), doc_id)
                value, how, evidence = None, "unknown", f"manifest value {value!r} could not be parsed"
        if name == "date" and value is not None and hasattr(value, "year"):
            try:  # a date however found (text, page, manifest) lies inside the plausible (and pandas') range
                check_date(value)
            except DateError as err:
                where = f"manifest {entry.where} date" if how == "manifest" and entry else f"date ({how})"
                report.add(Problem(rel, WARNING, "unparseable_date", f"{where}: {err}; date left unknown"), doc_id)
                value, how, evidence = None, "unknown", f"{_as_text(value)!r} is outside the plausible range"
        fields[name] = (value, how, evidence)
    return fields


def _infer_source(found: dict, lines: list[dict], given: dict | None = None) -> dict[str, tuple[object, str]]:
    """The outlet (source, source_country, source_type), from what the page says about itself, resolved
    through the outlet table (see :mod:`analysis.corpus.outlets`). When the manifest names the source, its
    country and type come from the table for that source instead."""
    given = given or {}
    if given.get("source", (None,))[0] is not None:
        return outlet_fields(str(given["source"][0]), "the manifest's source")
    if found.get("source"):  # an HTML page's site name ("en.trend.az", "Trend News Agency"): the table's name
        found["source"] = canonical_site_name(*found["source"])
    url = given.get("url", (None,))[0]
    return infer_outlet(found, lines, url=str(url) if url is not None else None)


def _infer_language(body: str) -> tuple[str | None, str]:
    """English if at least a quarter of the words are English stop words (as in running English prose)."""
    if "İ" in body or "Σ" in body:
        words = [w.lower().replace("’", "'") for w in _WORDS.findall(body)]
    else:
        # The same words, lowered in one pass over the body instead of one call per word: every other
        # character lowers to one character of the same kind (letter or not, apostrophe or not), so
        # _WORDS matches the same spans. "İ" lowers to two characters, and "Σ" lowers by context
        # (final sigma), which differs between a word and the whole body: those take the word-by-word way.
        words = _WORDS.findall(body.lower().replace("’", "'"))
    if len(words) < 20:
        return None, f"too few words ({len(words)}) to tell the language"
    share = sum(map(STOP_WORDS.__contains__, words)) / len(words)  # (a count at C speed)
    if share >= 0.25:
        return "en", f"{share:.0%} of {len(words)} words are English stop words (running English text: 35-55%)"
    return None, f"only {share:.0%} of {len(words)} words are English stop words: probably not English"


def _mark_duplicates(records: list[dict], keep: bool, report: _Report) -> list[dict]:
    first_by_hash: dict[str, dict] = {}
    result = []
    for record in records:
        digest = hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
        original = first_by_hash.get(digest)
        record["duplicate_of"] = original["doc_id"] if original else None
        if original is None:
            first_by_hash[digest] = record
        elif not keep:
            report.add(Problem(record["file"], SKIPPED, "duplicate",
                               f"same text as {original['file']} (doc_id {original['doc_id']}); skipped "
                               "(keep_duplicates=True keeps both)"), record["doc_id"])
            continue
        else:
            report.add(Problem(record["file"], WARNING, "duplicate",
                               f"same text as {original['file']} (doc_id {original['doc_id']}); kept"),
                       record["doc_id"])
        result.append(record)
    return result


def _docs_frame(records: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    docs = pd.DataFrame(records)
    extra = [c for c in docs.columns if c not in DOC_COLUMNS]
    for column in DOC_COLUMNS:
        if column not in docs.columns:
            docs[column] = None
    docs["date"] = pd.to_datetime(docs["date"].map(lambda d: d.date() if hasattr(d, "date") else None)
                                  ).astype("datetime64[ns]")
    for column in ("volume", "issue"):
        docs[column] = pd.to_numeric(docs[column], errors="coerce").astype("Int64")
    sents, toks = parse(docs)
    if docs["doc_id"].is_unique and docs["doc_id"].notna().all():
        # parse gives each document's sentences and tokens as one run of rows, starting at sentence_id 1 and
        # position 1: counts per run are the counts per doc_id, without grouping 1.7 million strings per 10 MB
        n_sentences = _per_run(sents, sents["sentence_id"].to_numpy() == 1, np.ones(len(sents), dtype=np.int64))
        is_first = toks["position"].to_numpy() == 1
        n_tokens = _per_run(toks, is_first, np.ones(len(toks), dtype=np.int64))
        words = _per_run(toks, is_first, (~toks["is_punct"].to_numpy(dtype=bool)).astype(np.int64))
    else:  # (a doc_id twice or missing: grouped by value, as always)
        n_sentences, n_tokens = sents.groupby("doc_id").size(), toks.groupby("doc_id").size()
        words = (~toks["is_punct"].astype(bool)).groupby(toks["doc_id"]).sum()  # counted without copying the tokens
    docs["n_sentences"] = docs["doc_id"].map(n_sentences).fillna(0).astype("int64")
    docs["n_tokens"] = docs["doc_id"].map(n_tokens).fillna(0).astype("int64")
    docs["n_words"] = docs["doc_id"].map(words).fillna(0).astype("int64")
    return docs[DOC_COLUMNS + extra].reset_index(drop=True), sents, toks


def _per_run(table: pd.DataFrame, starts: np.ndarray, values: np.ndarray) -> pd.Series:
    """The sum of ``values`` over each run of rows of ``table`` (a run begins where ``starts`` is True),
    indexed by the run's doc_id."""
    first = np.flatnonzero(starts)
    sums = np.add.reduceat(values, first) if len(first) else np.zeros(0, dtype=np.int64)
    return pd.Series(sums, index=table["doc_id"].iloc[first].to_numpy())


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d") if not getattr(value, "hour", 0) and not getattr(value, "minute", 0) \
            else value.strftime("%Y-%m-%d %H:%M")
    return str(value)
