"""Validate the dictionary measures against human coding: sample, code, check agreement, score.

The dictionaries (``data/frames.csv``, ``data/naming.csv``) measure vocabulary. Before a frame share is cited,
coders should read a random sample of sentences and say whether each carries the frame; this module runs that
loop, with tidy tables in and out:

1. :func:`coding_sample` draws a seeded, stratified random sample of sentences (one row per *unit*, a sentence,
   keyed ``unit_id`` = ``"doc_id:sentence_id"``) with one empty column per variable to code;
2. :func:`write_coding_sheet` writes it as a CSV or XLSX sheet with coding instructions drawn from
   ``data/LEXICONS.md`` and the dictionary (:func:`frame_definitions`);
3. :func:`read_codings` reads the filled sheets of any number of coders back into one long table
   (coder, unit, variable, value);
4. :func:`agreement` gives Krippendorff's alpha (nominal) between coders per variable, with a bootstrap interval;
5. :func:`validate` scores the dictionary measure against the coders' majority (precision, recall, F1), and
   :func:`validation_disagreements` lists the units where they differ, with the matched terms, to read.

Two functions rather than one returning a pair: every function of the package returns one tidy table.

Frame variables are binary: ``1`` the sentence carries the frame, ``0`` it does not, blank = the coder is unsure
or cannot tell (blank is missing, not 0). Other variables (``naming_convention``, ``speaker``) are labels
compared by equality (case and surrounding space ignored; several labels in one cell are separated by ``;`` and
compared as a set). :func:`label_measure` turns :func:`analysis.naming_choices` or :func:`analysis.quoted_spans`
rows into a sentence-level measure of such a variable.

Randomness (sampling, bootstrap) comes from ``numpy.random.default_rng(seed)`` built inside each call: no global
random state is read or changed, and the same inputs and seed give the same output.
"""
from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CorpusError
from .frames import read_frame_dictionary
from .._package import DATA_DIR

DEFAULT_FRAMES_DOC = DATA_DIR / "LEXICONS.md"

#: the columns of a coding sheet that are not coded variables
META_COLUMNS = ["unit_id", "doc_id", "source", "sentence_id", "text", "coder", "note"]
#: the optional variables :func:`coding_sample` adds on request (besides ``"frames"``)
LABEL_VARIABLES = ("naming_convention", "speaker")
CODING_COLUMNS = ["coder", "unit_id", "doc_id", "source", "sentence_id", "text", "variable", "value"]
AGREEMENT_COLUMNS = ["variable", "n_units", "n_coders", "n_pairable", "alpha", "ci_low", "ci_high",
                     "observed_agreement", "n_boot", "reason"]
SCORE_COLUMNS = ["variable", "value", "n_units", "n_ties", "n_positive_coders", "n_positive_measure",
                 "tp", "fp", "fn", "tn", "precision", "recall", "f1"]
DISAGREEMENT_COLUMNS = ["unit_id", "doc_id", "source", "sentence_id", "text", "variable", "kind", "majority",
                        "measure", "terms", "coders"]
SHEET_SUFFIXES = (".csv", ".xlsx")

_TRUE = {"1", "1.0", "yes", "y", "true"}
_FALSE = {"0", "0.0", "no", "n", "false"}
# a cell a spreadsheet would run as a formula (OWASP "CSV injection"); a leading apostrophe makes it text
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_LIST_SEPARATOR = ";"


# --------------------------------------------------------------------------------------------------------------
# sampling

def unit_ids(table: pd.DataFrame) -> pd.Series:
    """The stable unit id of each sentence row: ``"doc_id:sentence_id"`` (e.g. ``"003:12"``)."""
    return table["doc_id"].astype(str) + ":" + table["sentence_id"].astype(str)


def generic_frames(dictionary: pd.DataFrame | None = None) -> list[str]:
    """The generic frames of the dictionary (``frame_type == "generic"``), in dictionary order."""
    dictionary = read_frame_dictionary() if dictionary is None else dictionary
    return list(dict.fromkeys(dictionary.loc[dictionary["frame_type"] == "generic", "frame"]))


def allocate(sizes: Mapping[str, int], n: int, rng: np.random.Generator | None = None) -> dict[str, int]:
    """How many units to draw from each group: proportional allocation, at least one per group where possible.

    Rule: group ``g`` of ``N_g`` units (``N`` in all) has the quota ``q_g = n * N_g / N``. If ``n >= N`` every
    unit is taken. If ``n`` is smaller than the number of (non-empty) groups, ``n`` groups are drawn at random
    (``rng``, probability proportional to size) and give one unit each. Otherwise each group first gets
    ``max(1, floor(q_g))`` units (never more than ``N_g``); while the total is short of ``n``, one more goes to
    the group whose quota exceeds its allocation most (largest remainder) among groups with units left; while it
    is over ``n`` (the minimum of one pushed it up), one is taken from the most over-allocated group that has
    more than one. Ties go to the group first in sorted order. The allocation sums to ``min(n, N)``.
    """
    sizes = {g: int(s) for g, s in sorted(sizes.items()) if int(s) > 0}
    total = sum(sizes.values())
    if n <= 0 or not sizes:
        return {g: 0 for g in sizes}
    if n >= total:
        return dict(sizes)
    groups = list(sizes)
    if n < len(groups):
        rng = np.random.default_rng(0) if rng is None else rng
        weights = np.array([sizes[g] for g in groups], dtype=float)
        chosen = set(rng.choice(len(groups), size=n, replace=False, p=weights / weights.sum()).tolist())
        return {g: int(i in chosen) for i, g in enumerate(groups)}
    quota = {g: n * sizes[g] / total for g in groups}
    alloc = {g: min(sizes[g], max(1, int(np.floor(quota[g])))) for g in groups}
    while sum(alloc.values()) < n:
        open_groups = [g for g in groups if alloc[g] < sizes[g]]
        g = max(open_groups, key=lambda g: (quota[g] - alloc[g], -groups.index(g)))
        alloc[g] += 1
    while sum(alloc.values()) > n:
        full = [g for g in groups if alloc[g] > 1]
        g = max(full, key=lambda g: (alloc[g] - quota[g], -groups.index(g)))
        alloc[g] -= 1
    return alloc


def _excluded_ids(exclude) -> set[str]:
    if exclude is None:
        return set()
    if isinstance(exclude, pd.DataFrame):
        if "unit_id" not in exclude.columns:
            raise ValueError("exclude: a table of already coded units needs a unit_id column")
        exclude = exclude["unit_id"]
    if isinstance(exclude, str):
        exclude = [exclude]
    return {str(u) for u in exclude}


def coding_sample(sents: pd.DataFrame, *, n: int = 100, by: str = "source", seed: int = 0,
                  frames: Sequence[str] | None = None, variables: Sequence[str] = ("frames",),
                  exclude: Iterable[str] | pd.DataFrame | None = None) -> pd.DataFrame:
    """A stratified random sample of sentences to code by hand, one row per sentence.

    ``sents``: a sentence table (:func:`analysis.sentences`: doc_id, source, sentence_id, text). Sentences with
    blank text, and those whose ``unit_id`` is in ``exclude`` (ids, or a table with a unit_id column, e.g. the
    codings of an earlier round), are not drawn. ``n`` sentences (all of them if fewer) are split across the
    groups of column ``by`` by proportional allocation with at least one per group where ``n`` allows (the
    rule: :func:`allocate`); within a group, sentences are drawn without replacement, uniformly, from
    ``numpy.random.default_rng(seed)``. The rows come in document order (doc_id, sentence_id) so that a coder
    reads sentences of one article together.

    Columns: unit_id (``"doc_id:sentence_id"``), doc_id, source, sentence_id, text; then, if ``"frames"`` is in
    ``variables``, one empty column per frame (``frames``, default the dictionary's generic frames:
    responsibility, human_interest, conflict, morality, economic) to be filled with 1/0/blank; then
    ``naming_convention`` and/or ``speaker`` if listed in ``variables``; then ``coder`` and ``note``. Empty
    cells are "".
    """
    variables = list(variables)
    unknown = [v for v in variables if v != "frames" and v not in LABEL_VARIABLES]
    if unknown:
        raise ValueError(f"variables: unknown {unknown}; use 'frames', {', '.join(map(repr, LABEL_VARIABLES))}")
    dictionary = read_frame_dictionary()
    if frames is None:
        frames = generic_frames(dictionary)
    frames = list(frames)
    known = set(dictionary["frame"])
    missing = [f for f in frames if f not in known]
    if missing:
        raise ValueError(f"frames: {missing} not in the frame dictionary ({', '.join(sorted(known))})")
    for column in ("doc_id", "sentence_id", "text", by):
        if column not in sents.columns:
            raise ValueError(f"sents lacks the column {column!r}")

    pool = sents.copy()
    pool["unit_id"] = unit_ids(pool)
    pool = pool[pool["text"].fillna("").astype(str).str.strip().ne("")]
    pool = pool[~pool["unit_id"].isin(_excluded_ids(exclude))]
    pool = pool.sort_values(["doc_id", "sentence_id"], kind="stable").reset_index(drop=True)
    strata = pool[by].fillna("").astype(str)

    rng = np.random.default_rng(seed)
    alloc = allocate(strata.value_counts().to_dict(), n, rng)
    chosen = []
    for group in sorted(alloc):
        rows = np.flatnonzero(strata.to_numpy() == group)
        if alloc[group]:
            chosen.append(rows[rng.choice(len(rows), size=alloc[group], replace=False)])
    picked = np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=int)

    sample = pool.iloc[picked].reset_index(drop=True)
    if "source" not in sample.columns:
        sample["source"] = ""
    out = sample[["unit_id", "doc_id", "source", "sentence_id", "text"]].copy()
    columns = (frames if "frames" in variables else []) + [v for v in LABEL_VARIABLES if v in variables]
    for column in columns + ["coder", "note"]:
        out[column] = pd.Series([""] * len(out), dtype=object)
    return out


# --------------------------------------------------------------------------------------------------------------
# instructions and sheets

def _markdown_sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) of each section of a markdown text; the text before the first heading has heading ""."""
    sections, heading, body = [], "", []
    for line in text.splitlines():
        found = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if found:
            sections.append((heading, "\n".join(body).strip()))
            heading, body = found.group(1), []
        else:
            body.append(line)
    sections.append((heading, "\n".join(body).strip()))
    return sections


def _bullets(body: str) -> list[str]:
    """The bullet items ("* ..." or "- ...", with their indented continuation lines) of a markdown body."""
    items, current = [], None
    for line in body.splitlines():
        if re.match(r"[*-]\s+", line):
            if current is not None:
                items.append(current)
            current = re.sub(r"^[*-]\s+", "", line).strip()
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            current += " " + line.strip()
        else:
            if current is not None:
                items.append(current)
            current = None
    if current is not None:
        items.append(current)
    return items


def _frame_key(heading: str) -> str:
    return re.sub(r"[\s-]+", "_", heading.replace("`", "").strip().lower())


def _question_items(notes: Iterable[str]) -> list[str]:
    """The distinct coding questions in a frame's dictionary notes: each note's first sentence, without the
    "S&V 2000 ... item:" prefix, parentheses, and term-level remarks ("not 'fund*'", spelling variants)."""
    items: dict[str, str] = {}
    for note in notes:
        note = str(note or "").strip()
        note = re.sub(r"^S&V 2000[^:]*:\s*", "", note)
        note = re.sub(r"\s+\([^)]*\)(?=[\s.,;]|$)", "", note)  # "(e.g. 'not doing enough')", "(blame attribution)"
        first = re.split(r"\.\s", note + " ", maxsplit=1)[0].strip().rstrip(".")
        for part in first.split(";"):
            part = part.strip()
            lowered = part.lower()
            if (not part or lowered.startswith(("not ", "does not", "also ", "exclude", "ambiguous", "shared"))
                    or "spelling" in lowered):
                continue
            items.setdefault(lowered, part)
    # an item contained in a longer one ("disagreement" in "disagreement between parties") adds nothing
    return [item for key, item in items.items() if not any(key != other and key in other for other in items)]


def frame_definitions(frames: Sequence[str] | None = None, *, frames_doc: str | Path | None = None,
                      dictionary: pd.DataFrame | None = None) -> pd.DataFrame:
    """The definition of each frame for coders, one row per frame: frame, frame_type, definition, items.

    ``definition`` is the frame's text in ``frames_doc`` (default ``data/LEXICONS.md``), the first of: the body
    of a section whose heading is the frame's name (``## conflict``, ``### Human interest``); the bullets that
    define it (``* `conflict`: the sentence reflects disagreement ...``, continuation lines joined by spaces);
    every bullet that names the frame in backticks (e.g. the one citing Semetko and Valkenburg 2000 for the
    generic frames, the one on issue frames for those); "" if none. ``items`` is the list of the
    distinct coding questions the frame's dictionary rows stand for (from their ``note``, e.g. "disagreement
    between parties", "one party reproaches another"); the dictionary's terms themselves are not shown, so that
    coders judge the frame, not the vocabulary. Raises :class:`~analysis.CorpusError` if ``frames_doc`` cannot
    be read.
    """
    dictionary = read_frame_dictionary() if dictionary is None else dictionary
    frames = generic_frames(dictionary) if frames is None else list(frames)
    path = Path(DEFAULT_FRAMES_DOC if frames_doc is None else frames_doc)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: cannot read the frame definitions: {err}") from None
    sections = _markdown_sections(text)
    rows = []
    for frame in frames:
        own = [body for heading, body in sections if heading and _frame_key(heading) == frame]
        bullets = [item for _, body in sections for item in _bullets(body) if f"`{frame}`" in item]
        defining = [item for item in bullets if item.startswith(f"`{frame}`:")]
        definition = "\n\n".join(own or defining or bullets)
        entries = dictionary[dictionary["frame"] == frame]
        frame_type = entries["frame_type"].iloc[0] if len(entries) else ""
        notes = entries["note"] if "note" in entries.columns else []
        rows.append({"frame": frame, "frame_type": frame_type, "definition": definition,
                     "items": _question_items(notes)})
    return pd.DataFrame(rows, columns=["frame", "frame_type", "definition", "items"])


def coding_instructions(sample: pd.DataFrame, *, frames_doc: str | Path | None = None) -> str:
    """The coding instructions for a sample's variables, as Markdown (what :func:`write_coding_sheet` writes)."""
    dictionary = read_frame_dictionary()
    known = set(dictionary["frame"])
    variables = [c for c in sample.columns if c not in META_COLUMNS]
    frames = [v for v in variables if v in known]
    lines = [
        "# Coding instructions",
        "",
        "Each row is one unit: a sentence (column `text`) of the document `doc_id`. Read the sentence; you may "
        "open the document for context, but code what this sentence says. Write your name in `coder` (or name "
        "the file after yourself) and any remark in `note`. Do not edit `unit_id`, `doc_id`, `sentence_id`, "
        "`text`. A cell shown with a leading apostrophe (`'-`, `'=`) starts with that character in the text: "
        "the apostrophe only stops spreadsheets from reading it as a formula.",
        "",
    ]
    if frames:
        lines += [
            "## Frames",
            "",
            "For each frame column: **1** if the sentence carries the frame, **0** if it does not, "
            "**blank** if you are unsure or cannot tell (blank is not 0). yes/no and true/false are read as 1/0. "
            "A sentence may carry several frames, or none. Judge the meaning, not the words: a frame can be "
            "carried without any of its usual words, and a word can appear without the frame.",
            "",
        ]
        for row in frame_definitions(frames, frames_doc=frames_doc, dictionary=dictionary).itertuples():
            lines += [f"### `{row.frame}` ({row.frame_type} frame)", ""]
            if row.definition:
                lines += [row.definition, ""]
            if row.items:
                lines += ["Code 1 if the sentence does any of the following:", ""]
                lines += [f"- {item}" for item in row.items] + [""]
    if "naming_convention" in variables:
        lines += [
            "## `naming_convention`",
            "",
            "Whose naming convention the sentence's own labels for the places, authorities, forces and events "
            "of the conflict follow (the outlet's voice; labels inside quotations are the speaker's and do not "
            "count): one of armenian, azerbaijani, russian, international, common, distancing (see "
            "`analysis/data/LEXICONS.md`, naming.csv); several: separate with `;`; `none` if the sentence names "
            "nothing; blank if unsure.",
            "",
        ]
    if "speaker" in variables:
        lines += [
            "## `speaker`",
            "",
            "Who is quoted in the sentence (direct quotation in quotation marks): the person or body, by full "
            "name as in `analysis/data/actors.csv` (e.g. Nikol Pashinyan); several: separate with `;`; `none` "
            "if the sentence quotes no one; blank if unsure.",
            "",
        ]
    others = [v for v in variables if v not in known and v not in LABEL_VARIABLES]
    if others:
        lines += ["## Other columns", "", f"Code {', '.join(f'`{v}`' for v in others)} as instructed separately.",
                  ""]
    return "\n".join(lines)


def neutralise(value):
    """A cell value safe to open in a spreadsheet: text that a spreadsheet would read as a formula (starting
    with ``=``, ``+``, ``-``, ``@``, tab or CR, after any apostrophes) gets a leading apostrophe. Other values
    are returned unchanged. :func:`read_codings` removes the apostrophe again."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def _unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") and _FORMULA.match(value[1:]) else value


def write_coding_sheet(sample: pd.DataFrame, path: str | Path, *, frames_doc: str | Path | None = None) -> Path:
    """Write a coding sheet and its instructions; returns the path of the sheet.

    The format follows the suffix of ``path``: ``.csv`` (UTF-8, lines ending in "\\n", with the instructions
    in a sibling ``<stem>_instructions.md``) or ``.xlsx`` (sheet "coding", then a sheet "instructions", one
    line per row). Instructions: :func:`coding_instructions` (frame definitions from ``frames_doc``, default
    ``data/LEXICONS.md``). Every text cell that a spreadsheet would read as a formula is written with a
    leading apostrophe (:func:`neutralise`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise ValueError(f"{path}: a coding sheet is .csv or .xlsx")
    if "unit_id" not in sample.columns:
        raise ValueError("sample lacks the column 'unit_id' (make it with coding_sample)")
    instructions = coding_instructions(sample, frames_doc=frames_doc)
    safe = sample.astype(object).where(sample.notna(), "").map(neutralise)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        path.with_name(f"{path.stem}_instructions.md").write_text(instructions, encoding="utf-8", newline="\n")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        book = Workbook()
        sheet = book.active
        sheet.title = "coding"
        sheet.append(list(safe.columns))
        for row in safe.itertuples(index=False):
            sheet.append([v.item() if isinstance(v, np.generic) else v for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        widths = {"unit_id": 10, "text": 90, "note": 30}
        for i, column in enumerate(safe.columns, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = widths.get(column, 14)
        text_col = list(safe.columns).index("text") + 1 if "text" in safe.columns else None
        if text_col:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=text_col, max_col=text_col):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        notes = book.create_sheet("instructions")
        notes.column_dimensions["A"].width = 120
        for line in instructions.splitlines():  # list bullets as "•", which no spreadsheet reads as a formula
            notes.append([neutralise(re.sub(r"^- ", "• ", line))])
        _save_reproducibly(book, path)
    return path


_FIXED_TIME = "2000-01-01T00:00:00Z"


def _save_reproducibly(book, path: Path) -> None:
    """Save an openpyxl workbook so that the same content gives the same bytes: openpyxl stamps the time
    of saving into docProps/core.xml and into every zip entry; both are set to a fixed time here."""
    import io
    import zipfile

    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------------------------------
# reading codings

def _sheet_paths(paths) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(q for q in p.iterdir() if q.suffix.lower() in SHEET_SUFFIXES
                            and not q.name.startswith(("~$", ".")))
        else:
            found.append(p)
    if not found:
        raise CorpusError(f"no coding sheets (*.csv, *.xlsx) in {', '.join(map(str, paths)) or 'the list'}")
    return found


def _read_sheet(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix == ".xlsx":
            table = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl")
        else:
            raise CorpusError(f"{path}: a coding sheet is .csv or .xlsx")
    except CorpusError:
        raise
    except Exception as err:  # noqa: BLE001 - any reader failure is reported with the file name
        raise CorpusError(f"{path}: cannot read the coding sheet: {err}") from None
    table = table.astype(object).where(table.notna(), "")
    table.columns = [str(c).strip() for c in table.columns]
    blank_headers = [c for c in table.columns if c == "" or c.startswith("Unnamed:")]
    table = table.drop(columns=[c for c in blank_headers if (table[c].astype(str).str.strip() == "").all()])
    return table.map(lambda v: _unneutralise(str(v)) if v is not None else "")


def _binary(value: str) -> str | None:
    """"1"/"0" for a frame cell, None for blank; raises KeyError for anything else."""
    v = value.strip().lower()
    if v == "":
        return None
    if v in _TRUE:
        return "1"
    if v in _FALSE:
        return "0"
    raise KeyError(value)


def _label(value: str) -> str | None:
    """A label cell normalised: stripped, case-folded, several labels (``;``) sorted; None for blank."""
    parts = sorted({p.strip().casefold() for p in str(value).split(_LIST_SEPARATOR) if p.strip()})
    return _LIST_SEPARATOR.join(parts) if parts else None


def read_codings(paths, *, frames: Iterable[str] | None = None) -> pd.DataFrame:
    """Filled coding sheets, in long tidy form: one row per coder, unit and variable.

    ``paths``: a sheet (CSV or XLSX, first worksheet), a list of sheets, or a folder (its ``*.csv`` and
    ``*.xlsx``; ``*_instructions.md`` files are ignored). Columns: coder, unit_id, doc_id, source, sentence_id,
    text, variable, value (nullable string: ``<NA>`` = left blank, unsure). The coder is the row's ``coder``
    cell, or the file's stem when it is empty. Every column not in :data:`META_COLUMNS` is a variable; the
    frame columns (names of dictionary frames, or ``frames``) must hold 1/0 (also yes/no, true/false, y/n, any
    case) or blank and are read as "1"/"0"; other variables are labels, kept as written (stripped). The
    apostrophe :func:`write_coding_sheet` puts before formula-like text is removed. Wholly blank rows are
    skipped; rows repeated by one coder are kept once.

    Raises :class:`~analysis.CorpusError` naming the file (and row: the spreadsheet's row number, header = 1)
    for: a missing ``unit_id`` column, a blank unit_id in a row that has content, a value in a frame column
    that is not 0/1/blank, and two rows of one coder for the same unit with different values of a variable.
    """
    frame_names = set(read_frame_dictionary()["frame"]) | set(frames or [])
    longs = []
    for path in _sheet_paths(paths):
        table = _read_sheet(path)
        if "unit_id" not in table.columns:
            raise CorpusError(f"{path}: no unit_id column (columns: {', '.join(table.columns)}); "
                              "a coding sheet needs the unit_id column written by write_coding_sheet")
        rows = pd.Series(np.arange(len(table)) + 2, index=table.index)  # spreadsheet row numbers
        content = table.apply(lambda col: col.astype(str).str.strip().ne("")).any(axis=1)
        table, rows = table[content], rows[content]
        table = table.assign(unit_id=table["unit_id"].astype(str).str.strip())
        blank = table["unit_id"] == ""
        if blank.any():
            raise CorpusError(f"{path}, row {rows[blank].iloc[0]}: empty unit_id in a row with content")
        split = table["unit_id"].str.rpartition(":")
        for column, fallback in (("doc_id", split[0]), ("sentence_id", split[2]), ("source", ""), ("text", ""),
                                 ("coder", "")):
            if column not in table.columns:
                table[column] = fallback
        table["coder"] = table["coder"].astype(str).str.strip().replace("", path.stem)
        variables = [c for c in table.columns if c not in META_COLUMNS]
        for variable in variables:
            cells = table[variable].astype(str)
            if variable in frame_names:
                values = []
                for row, cell in zip(rows, cells):
                    try:
                        values.append(_binary(cell))
                    except KeyError:
                        raise CorpusError(f"{path}, row {row}: {variable} {cell!r} is not 1, 0 or blank "
                                          "(yes/no, true/false also accepted)") from None
            else:
                values = [cell.strip() or None for cell in cells]
            longs.append(pd.DataFrame({
                "coder": table["coder"].to_numpy(), "unit_id": table["unit_id"].to_numpy(),
                "doc_id": table["doc_id"].astype(str).to_numpy(), "source": table["source"].astype(str).to_numpy(),
                "sentence_id": table["sentence_id"].astype(str).to_numpy(), "text": table["text"].to_numpy(),
                "variable": variable, "value": pd.array(values, dtype="string"),
                "_file": str(path), "_row": rows.to_numpy()}))
    if not longs:
        out = pd.DataFrame({c: pd.Series(dtype="string" if c == "value" else object) for c in CODING_COLUMNS})
        return out
    long = pd.concat(longs, ignore_index=True)
    given = long[long["value"].notna()]
    keys = ["coder", "unit_id", "variable"]
    clash = given.groupby(keys)["value"].transform("nunique") > 1
    if clash.any():
        first = given[clash].iloc[0]
        same = given[clash & (given["coder"] == first["coder"]) & (given["unit_id"] == first["unit_id"])
                     & (given["variable"] == first["variable"])]
        where = "; ".join(f"{f}, row {r}: {v!r}" for f, r, v in zip(same["_file"], same["_row"], same["value"]))
        raise CorpusError(f"coder {first['coder']!r} coded unit {first['unit_id']} twice with different "
                          f"{first['variable']} values ({where})")
    # one row per coder, unit and variable: a given value wins over a blank
    long = (long.assign(_blank=long["value"].isna()).sort_values(keys + ["_blank"], kind="stable")
            .drop_duplicates(keys).sort_index())
    sid = pd.to_numeric(long["sentence_id"], errors="coerce")
    if sid.notna().all():
        long["sentence_id"] = sid.astype("int64")
    return long[CODING_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# agreement

def _value_counts(codings: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Units x values matrix of how many coders gave each value (rows: units with >= 2 values)."""
    counts = pd.crosstab(codings["unit_id"], codings["value"].astype(str))
    counts = counts[counts.sum(axis=1) >= 2]
    return counts.to_numpy(dtype=float), list(counts.columns)


def _alpha(counts: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) of a units x values count matrix, via the krippendorff package; NaN when
    every pairable value is the same (expected disagreement 0)."""
    import krippendorff

    if counts.shape[0] == 0 or (counts.sum(axis=0) > 0).sum() < 2:
        return float("nan")
    return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))


def agreement(codings: pd.DataFrame, *, variables: Sequence[str] | None = None, n_boot: int = 1000,
              seed: int = 0, ci: float = 0.95) -> pd.DataFrame:
    """Agreement between coders per variable: Krippendorff's alpha (nominal) with a bootstrap interval.

    ``codings``: :func:`read_codings` output (coder, unit_id, variable, value; blank values are missing and not
    counted). One row per variable (``variables``, default all, sorted):

    * n_units: units coded (non-blank) by 2 or more coders, the pairable units;
    * n_coders: coders with at least one value of the variable;
    * n_pairable: the values in those units (Krippendorff's *n*);
    * alpha: Krippendorff's alpha for nominal data, computed by the ``krippendorff`` package
      (``krippendorff.alpha(value_counts=..., level_of_measurement="nominal")``), 1 = perfect agreement, 0 = what
      chance would give, < 0 systematic disagreement;
    * ci_low, ci_high: percentile bootstrap interval (level ``ci``) from ``n_boot`` resamples of the pairable
      units with replacement (``numpy.random.default_rng(seed)``); resamples without variation (alpha
      undefined) are dropped. This is a plain unit bootstrap, not Krippendorff's own (Hayes and Krippendorff
      2007) algorithm; NaN if ``n_boot`` is 0;
    * observed_agreement: the share of pairs of values given to the same unit by two different coders that
      agree (0-1; unweighted, so a unit coded by more coders has more pairs);
    * n_boot: the resamples the interval rests on;
    * reason: why alpha is NaN ("fewer than 2 coders", "no unit coded by 2 or more coders", "no variation:
      every pairable value is ..."), else "".
    """
    if not 0 < ci < 1:
        raise ValueError("ci must be between 0 and 1")
    given = codings[codings["value"].notna()]
    names = sorted(codings["variable"].unique()) if variables is None else list(variables)
    rng = np.random.default_rng(seed)
    rows = []
    for variable in names:
        part = given[given["variable"] == variable]
        n_coders = part["coder"].nunique()
        counts, values = _value_counts(part) if len(part) else (np.zeros((0, 0)), [])
        row = {"variable": variable, "n_units": counts.shape[0], "n_coders": n_coders,
               "n_pairable": int(counts.sum()), "alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan,
               "observed_agreement": np.nan, "n_boot": 0, "reason": ""}
        if counts.shape[0]:
            m = counts.sum(axis=1)
            row["observed_agreement"] = float((counts * (counts - 1)).sum() / (m * (m - 1)).sum())
        if n_coders < 2:
            row["reason"] = "fewer than 2 coders"
        elif counts.shape[0] == 0:
            row["reason"] = "no unit coded by 2 or more coders"
        elif (counts.sum(axis=0) > 0).sum() < 2:
            row["reason"] = f"no variation: every pairable value is {values[int(np.argmax(counts.sum(axis=0)))]!r}"
        else:
            row["alpha"] = _alpha(counts)
            if n_boot > 0:
                draws = rng.integers(0, counts.shape[0], size=(n_boot, counts.shape[0]))
                boot = np.array([_alpha(counts[idx]) for idx in draws])
                boot = boot[np.isfinite(boot)]
                row["n_boot"] = len(boot)
                if len(boot):
                    tail = (1 - ci) / 2 * 100
                    row["ci_low"], row["ci_high"] = np.percentile(boot, [tail, 100 - tail])
        rows.append(row)
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


# --------------------------------------------------------------------------------------------------------------
# the dictionary measure against the coders

def label_measure(rows: pd.DataFrame, column: str, variable: str, *, sents: pd.DataFrame | None = None,
                  evidence: str | None = None, none: str = "none") -> pd.DataFrame:
    """A sentence-level measure of a label variable, in the tidy form :func:`validate` takes.

    ``rows``: per-sentence findings with doc_id and sentence_id, e.g. ``naming_choices(...)`` rows of
    ``voice == "outlet"`` (``column="convention"``, ``variable="naming_convention"``) or ``quoted_spans(...)``
    rows of ``kind == "quotation"`` (``column="speaker_actor"``, ``variable="speaker"``). A sentence's value is
    the set of its non-empty ``column`` values, sorted and joined by ``;``; with ``sents``, sentences with none
    get ``none`` (otherwise they are absent, i.e. no prediction). ``evidence``: a column (e.g. ``surface``) whose
    values go to ``terms``. Columns: unit_id, doc_id, sentence_id, variable, value, terms.
    """
    found = rows[rows[column].notna() & rows[column].astype(str).str.strip().ne("")].copy()
    found["unit_id"] = unit_ids(found)
    found["_value"] = found[column].astype(str).str.strip()
    found["_terms"] = found[evidence].astype(str) if evidence else ""
    grouped = found.groupby("unit_id", sort=True)
    out = pd.DataFrame({
        "value": grouped["_value"].agg(lambda v: _LIST_SEPARATOR.join(sorted(set(v)))),
        "terms": grouped["_terms"].agg(lambda v: "; ".join(t for t in dict.fromkeys(v) if t)),
        "doc_id": grouped["doc_id"].first(), "sentence_id": grouped["sentence_id"].first()}).reset_index()
    if sents is not None:
        rest = sents.assign(unit_id=unit_ids(sents))
        rest = rest[~rest["unit_id"].isin(out["unit_id"])]
        out = pd.concat([out, pd.DataFrame({"unit_id": rest["unit_id"], "value": none, "terms": "",
                                            "doc_id": rest["doc_id"], "sentence_id": rest["sentence_id"]})],
                        ignore_index=True)
    out["variable"] = variable
    return out[["unit_id", "doc_id", "sentence_id", "variable", "value", "terms"]].reset_index(drop=True)


def _is_frame_matches(measure: pd.DataFrame) -> bool:
    return {"frame", "doc_id", "sentence_id"} <= set(measure.columns) and "variable" not in measure.columns


def _measure_table(measure: pd.DataFrame, units: pd.DataFrame, variable_map: Mapping[str, str],
                   binary: set[str]) -> pd.DataFrame:
    """The measure's value and evidence for each coded (unit, coding variable): unit_id, variable, measure,
    terms; NaN measure = the measure says nothing about the unit."""
    to_measure = {v: variable_map.get(v, v) for v in units["variable"].unique()}
    if _is_frame_matches(measure):
        found = measure.assign(unit_id=unit_ids(measure))
        match = found["match"].astype(str) if "match" in found.columns else found["term"].astype(str)
        term = found["term"].astype(str) if "term" in found.columns else match
        found["_terms"] = np.where(match.str.lower() == term, match, match + " [" + term + "]")
        terms = (found.groupby(["unit_id", "frame"])["_terms"]
                 .agg(lambda v: "; ".join(dict.fromkeys(v))).rename("terms").reset_index())
        pairs = units.loc[units["variable"].isin(binary), ["unit_id", "variable"]].drop_duplicates()
        pairs["frame"] = pairs["variable"].map(to_measure)
        pairs = pairs.merge(terms, on=["unit_id", "frame"], how="left")
        pairs["measure"] = np.where(pairs["terms"].notna(), "1", "0")
        pairs["terms"] = pairs["terms"].fillna("")
        return pairs[["unit_id", "variable", "measure", "terms"]]
    table = measure.copy()
    if "unit_id" not in table.columns:
        if not {"doc_id", "sentence_id"} <= set(table.columns):
            raise ValueError("measure: give frame_matches rows, or a table with unit_id (or doc_id and "
                             "sentence_id), variable and value")
        table["unit_id"] = unit_ids(table)
    if not {"variable", "value"} <= set(table.columns):
        raise ValueError("measure: a generic measure table needs the columns variable and value")
    table["unit_id"] = table["unit_id"].astype(str)
    evidence = next((c for c in ("terms", "term", "match", "evidence") if c in table.columns), None)
    table["terms"] = table[evidence].fillna("").astype(str) if evidence else ""
    back: dict[str, list[str]] = {}
    for coding_var, measure_var in to_measure.items():
        back.setdefault(measure_var, []).append(coding_var)
    table = table[table["variable"].isin(back)]
    table = table.assign(variable=table["variable"].map(back)).explode("variable")
    table = table.rename(columns={"value": "measure"})
    dup = table.duplicated(["unit_id", "variable"], keep=False)
    if dup.any():
        first = table[dup].iloc[0]
        raise ValueError(f"measure: unit {first['unit_id']} has several values of {first['variable']}; "
                         "give one row per unit and variable")
    return table[["unit_id", "variable", "measure", "terms"]]


def _normalised(value, binary: bool) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if not binary:
        return _label(value)
    try:
        return _binary(str(value))
    except KeyError:
        raise ValueError(f"measure: {value!r} is not a 1/0 value of a frame variable") from None


def _paired(codings: pd.DataFrame, measure: pd.DataFrame, variable_map: Mapping[str, str] | None) -> pd.DataFrame:
    """One row per coded unit and variable: the coders' majority (or a tie), the measure's value, evidence."""
    variable_map = dict(variable_map or {})
    frames = set(read_frame_dictionary()["frame"])
    if _is_frame_matches(measure):
        frames |= set(measure["frame"])
    given = codings[codings["value"].notna()].copy()
    binary = {v for v in given["variable"].unique() if v in frames or variable_map.get(v) in frames}
    given["norm"] = [_normalised(v, var in binary) for v, var in zip(given["value"], given["variable"])]
    given = given[given["norm"].notna()]
    keys = ["unit_id", "variable"]
    tally = given.groupby(keys + ["norm"]).size().rename("n").reset_index()
    tally = tally.sort_values(keys + ["n"], ascending=[True, True, False], kind="stable")
    tally["rank"] = tally.groupby(keys).cumcount()
    first = tally[tally["rank"] == 0].set_index(keys)
    second = tally[tally["rank"] == 1].set_index(keys)["n"].reindex(first.index)
    units = first.assign(tie=second.eq(first["n"]).to_numpy(), majority=first["norm"]).reset_index()
    units.loc[units["tie"], "majority"] = None
    given["pair"] = given["coder"].astype(str) + "=" + given["value"].astype(str)
    info = given.groupby(keys).agg(doc_id=("doc_id", "first"), source=("source", "first"),
                                   sentence_id=("sentence_id", "first"), text=("text", "first"),
                                   coders=("pair", "; ".join)).reset_index()
    units = units[keys + ["tie", "majority"]].merge(info, on=keys, how="left")
    measured = _measure_table(measure, units, variable_map, binary)
    # score only the variables the measure speaks to (a naming measure says nothing about frames)
    units = units[units["variable"].isin(set(measured["variable"]))]
    units = units.merge(measured, on=keys, how="left")
    units["binary"] = units["variable"].isin(binary)
    units["measure_norm"] = [_normalised(m, b) for m, b in zip(units["measure"].astype(object), units["binary"])]
    units["terms"] = units["terms"].fillna("")
    return units


def validate(codings: pd.DataFrame, measure: pd.DataFrame, *,
             variable_map: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Precision, recall and F1 of the dictionary measure against the coders' majority, per variable and class.

    ``codings``: :func:`read_codings` output. ``measure``: either :func:`analysis.frame_matches` rows (a frame is
    present in a sentence, value "1", when the sentence has at least one match of it, else "0"), or a tidy
    table with unit_id (or doc_id and sentence_id), variable, value, optionally terms (e.g.
    :func:`label_measure` output for naming conventions or speakers). ``variable_map``: coding variable ->
    measure variable, for names that differ (``{"conflict_frame": "conflict"}``).

    Reference: per unit and variable, the coders' majority = the value most coders gave (blank values are not
    counted); a tie for the most frequent value is no majority, and the unit is dropped (counted in
    ``n_ties``). A unit coded by one coder has that coder's value. The measure's value is compared with it:
    for frames as 1/0 (a coded unit without a match is 0); for labels by equality after stripping and
    case-folding (several ``;``-separated labels are compared as a set); a unit the generic measure does not
    list is a "no prediction", wrong for every class.

    One row per variable and class ``value``: frames are scored for the class "1" only; label variables for
    each class the majority or the measure gives (one-vs-rest per class). Columns: variable, value, n_units
    (units with a majority), n_ties, n_positive_coders (majority = value), n_positive_measure (measure = value),
    tp (both), fp (measure only), fn (majority only), tn (neither), precision = tp / (tp + fp), recall =
    tp / (tp + fn), f1 = 2 precision recall / (precision + recall); NaN when the denominator is 0.
    """
    if not codings["value"].notna().any():   # nothing coded: nothing to score (and no types to merge on)
        return pd.DataFrame(columns=SCORE_COLUMNS)
    units = _paired(codings, measure, variable_map)
    rows = []
    for variable, part in units.groupby("variable", sort=True):
        n_ties = int(part["tie"].sum())
        kept = part[~part["tie"]]
        if part["binary"].iloc[0]:
            classes = ["1"]
        else:
            classes = sorted(set(kept["majority"].dropna()) | set(kept["measure_norm"].dropna()))
        for cls in classes:
            ref = kept["majority"].eq(cls).to_numpy()
            pred = kept["measure_norm"].eq(cls).to_numpy()
            tp, fp = int((ref & pred).sum()), int((~ref & pred).sum())
            fn, tn = int((ref & ~pred).sum()), int((~ref & ~pred).sum())
            precision = tp / (tp + fp) if tp + fp else np.nan
            recall = tp / (tp + fn) if tp + fn else np.nan
            f1 = (2 * precision * recall / (precision + recall)
                  if np.isfinite(precision) and np.isfinite(recall) and precision + recall else np.nan)
            rows.append({"variable": variable, "value": cls, "n_units": len(kept), "n_ties": n_ties,
                         "n_positive_coders": int(ref.sum()), "n_positive_measure": int(pred.sum()),
                         "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall,
                         "f1": f1})
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def validation_disagreements(codings: pd.DataFrame, measure: pd.DataFrame, *,
                             variable_map: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The units where the dictionary measure and the coders' majority differ, to read (same inputs as
    :func:`validate`; ties are left out).

    Columns: unit_id, doc_id, source, sentence_id, text, variable, kind ("false positive": the measure finds
    the frame, the coders do not; "false negative": the reverse; "different label" for label variables),
    majority (the coders'), measure (the measure's value, normalised; "" = no prediction), terms (the matches
    that made the measure's value, "match [term]"), coders (each coder's value, "coder=value; ...").
    """
    if not codings["value"].notna().any():
        return pd.DataFrame(columns=DISAGREEMENT_COLUMNS)
    units = _paired(codings, measure, variable_map)
    kept = units[~units["tie"]].copy()
    kept["measure"] = kept["measure_norm"].fillna("")
    differ = kept[kept["majority"] != kept["measure"]].copy()
    differ["kind"] = np.where(~differ["binary"], "different label",
                              np.where(differ["measure"] == "1", "false positive", "false negative"))
    differ = differ.sort_values(["variable", "doc_id", "sentence_id"], kind="stable")
    return differ[DISAGREEMENT_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# which codings apply to a corpus, and what the reports say about it

#: the worked example: every seed sentence coded for the five generic frames by the tool's authors (coder A,
#: one pass) and a stratified random 40 of them coded again, independently (coder B); see its README.md
EXAMPLE_CODINGS = DATA_DIR / "codings_example"
EXAMPLE_ORIGIN = ("the worked example shipped with the package (`analysis/data/codings_example/`: one coder's "
                  "coding of every seed sentence, a second coder's of 40 of them; a coding, not ground truth)")


def _flat(text) -> str:
    return " ".join(str(text).split())


def codings_for(codings: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """The codings that belong to this corpus: rows whose unit_id names one of ``sents``'s sentences and whose
    text (when the sheet has it) is that sentence's text, white space aside. Sheets made for another corpus
    (whose "000:3" is another sentence) are thereby left out, not scored against the wrong sentence."""
    if codings.empty:
        return codings
    here = pd.Series(sents["text"].map(_flat).to_numpy(), index=unit_ids(sents).to_numpy())
    here = here[~here.index.duplicated()]
    known = codings["unit_id"].isin(here.index)
    text = codings["text"].fillna("").astype(str) if "text" in codings.columns else pd.Series("", index=codings.index)
    same = known & ((text.str.strip() == "") | (text.map(_flat) == codings["unit_id"].map(here)))
    return codings[same.to_numpy()].reset_index(drop=True)


def find_codings(codings_dir: str | Path | None, sents: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The coding sheets that apply to the corpus of ``sents``, and where they come from.

    First the sheets in ``codings_dir`` (if it exists and holds any) that match the corpus
    (:func:`codings_for`); else the worked example (:data:`EXAMPLE_CODINGS`), when the corpus holds its
    sentences (the seeds); else an empty table and origin "". A sheet that cannot be read raises the error of
    :func:`read_codings`, naming the file: a researcher's own coding is never skipped silently.
    """
    empty = pd.DataFrame(columns=CODING_COLUMNS)
    if codings_dir and Path(codings_dir).is_dir() and any(
            p.suffix.lower() in SHEET_SUFFIXES for p in Path(codings_dir).iterdir()):
        mine = codings_for(read_codings(codings_dir), sents)
        if len(mine):
            return mine, f"the coding sheets in `{codings_dir}`"
    example = codings_for(read_codings(EXAMPLE_CODINGS), sents)
    if len(example):
        return example, EXAMPLE_ORIGIN
    return empty, ""


def validation_note(scores: pd.DataFrame | None, origin: str, *, what: str = "The frame dictionary") -> str:
    """One sentence for a report, beside a dictionary measure: validated on this corpus or not, and with
    which F1 against the coders' majority (``scores``: :func:`validate` output; per frame, or per class of a
    label variable; None when nothing can validate the measure, e.g. sentiment, which no sheet codes)."""
    if not origin or scores is None or scores.empty:
        return (f"{what} has **not been validated on this corpus**: no coding sheet covers it for these "
                "sentences (the validation report shows how to make one).")
    parts = []
    for row in scores.itertuples():
        name = row.variable if row.value == "1" else f"{row.value}"
        parts.append(f"{name} {row.f1:.2f}" if np.isfinite(row.f1) else f"{name} n/a")
    n = int(scores["n_units"].max())
    return (f"{what} **has been validated on this corpus** against {origin}, on {n} sentences: F1 "
            f"{', '.join(parts)} (precision and recall in the validation report); what is not listed is not "
            "validated.")


def coders(codings: pd.DataFrame) -> pd.DataFrame:
    """Who coded what: coder, n_units (sentences coded), n_values (non-blank cells), variables (coded)."""
    if codings.empty:
        return pd.DataFrame(columns=["coder", "n_units", "n_values", "variables"])
    coded = codings[codings["value"].notna()]
    table = codings.groupby("coder", sort=True).agg(n_units=("unit_id", "nunique")).reset_index()
    values = coded.groupby("coder").size().rename("n_values")
    variables = coded.groupby("coder")["variable"].agg(lambda v: ", ".join(sorted(set(v)))).rename("variables")
    return table.join(values, on="coder").join(variables, on="coder").fillna({"n_values": 0, "variables": ""}
                                                                              ).astype({"n_values": "int64"})
