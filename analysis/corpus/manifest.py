"""Read a corpus manifest: one entry per document, each value with its provenance.

Two formats:

* CSV (``manifest.csv``): one row per document, a ``file`` column and any of the
  metadata columns; every value counts as given in the manifest. Optional
  ``<field>_provenance`` / ``<field>_evidence`` columns qualify a value, and a
  ``relations`` column holds ``type:target`` pairs separated by ``;``
  (``reuses:001; cites:002``).
* YAML (``manifest.yaml``): a ``documents`` list; a field is either a plain value
  (given) or a mapping ``{value, provenance, evidence}`` where provenance is
  ``manifest`` (given by the curator), ``inferred`` (evidence required) or
  ``unknown`` (value must be empty; evidence says what is known).

A malformed manifest raises :class:`CorpusError` naming the file and the place.

Hostile or odd manifests: YAML dates are read as the text written (``2021-02-31`` is then reported by the
loader for that row and field, not a loader crash); YAML aliases are allowed but the document they expand
to is bounded (``MAX_YAML_VALUES``: a "billion laughs" file is refused at once, before it is expanded);
a row whose ``file`` is an absolute path or climbs out of the corpus folder with ``..`` is kept with
``refused`` set (the loader reports it naming the row and ignores it); a CSV separated by ``;`` or tabs
is refused with a hint (a ``relations`` cell uses ``;`` itself, so the delimiter is not guessed).
"""
from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

import yaml

from ..errors import CorpusError

MANIFEST_NAMES = ("manifest.yaml", "manifest.yml", "manifest.csv")
METADATA_FIELDS = ("doc_id", "source", "source_country", "source_type", "title", "subtitle", "author",
                   "date", "url", "language", "section", "publication", "volume", "issue", "part")
PROVENANCES = {"manifest", "inferred", "unknown"}
_PROVENANCE_ALIASES = {"given": "manifest", "manifest": "manifest", "inferred": "inferred", "unknown": "unknown"}
_RESERVED = {"file", "relations", "encoding"}
# a YAML manifest may use aliases, but the values they expand to are bounded (a "billion laughs" is refused)
MAX_YAML_VALUES = 100_000


@dataclass
class ManifestEntry:
    """One document's manifest entry."""

    file: str
    where: str                                   # "row 3" or "document 2", for messages
    values: dict[str, tuple[object, str, str]] = field(default_factory=dict)  # field -> (value, provenance, evidence)
    relations: list[dict] = field(default_factory=list)
    encoding: str | None = None
    refused: str | None = None                   # why the row is not used (its file leaves the corpus folder)


def find_manifest(folder: Path) -> Path | None:
    """The manifest file in ``folder``, if there is one."""
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def read_manifest(path: str | Path) -> list[ManifestEntry]:
    """Parse and validate a manifest (CSV or YAML, chosen by the file's extension)."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: manifest file not found")
    if path.suffix.lower() in (".yaml", ".yml"):
        entries = _read_yaml(path)
    elif path.suffix.lower() == ".csv":
        entries = _read_csv(path)
    else:
        raise CorpusError(f"{path}: a manifest must be .csv, .yaml or .yml")
    _check_unique(path, entries)
    return entries


class _ManifestLoader(yaml.SafeLoader):
    """PyYAML's safe loader, but a date is the text written (``2021-02-31`` is not a loader crash; the
    date is checked, per row and field, where every manifest date is), and aliases are counted."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.n_aliases = getattr(self, "n_aliases", 0) + 1
            self.first_alias = getattr(self, "first_alias", None) or self.peek_event().start_mark
        return super().compose_node(parent, index)


_ManifestLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _TooLarge(Exception):
    pass


def _expanded_size(node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """How many values ``node`` stands for once its aliases are expanded (shared nodes counted each time they
    are used; that is what a consumer that walks the values pays). Raises _TooLarge over MAX_YAML_VALUES or
    on an alias that contains itself."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise _TooLarge("include an alias that contains itself")
    open_nodes.add(key)
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    else:
        children = []
    total = 1
    for child in children:
        total += _expanded_size(child, sizes, open_nodes)
        if total > MAX_YAML_VALUES:
            raise _TooLarge(f"expand to more than {MAX_YAML_VALUES:,} values")
    open_nodes.discard(key)
    sizes[key] = total
    return total


def _load_yaml(path: Path, text: str):
    loader = _ManifestLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if getattr(loader, "n_aliases", 0):
            try:
                _expanded_size(node, {}, set())
            except _TooLarge as err:
                mark = loader.first_alias
                raise CorpusError(f"{path}: its YAML aliases (*name, {loader.n_aliases} of them, the first at line "
                                  f"{mark.line + 1}) {err}; refused (a 'billion laughs' file?). "
                                  "Write the values out instead of aliasing them") from None
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _read_yaml(path: Path) -> list[ManifestEntry]:
    try:
        spec = _load_yaml(path, path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        raise CorpusError(f"{path}: malformed YAML at {where}: {err.problem}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: malformed manifest: {err}") from None
    except RecursionError:
        raise CorpusError(f"{path}: malformed manifest: YAML nested too deeply to read") from None
    except (ValueError, TypeError, OverflowError) as err:  # (a value PyYAML's constructors cannot build)
        raise CorpusError(f"{path}: malformed manifest: a value cannot be read: {err}") from None
    documents = spec.get("documents") if isinstance(spec, dict) else spec
    if not isinstance(documents, list):
        raise CorpusError(f"{path}: expected a 'documents:' list of entries, one per document")
    entries = []
    for i, item in enumerate(documents, start=1):
        where = f"document {i}"
        if not isinstance(item, dict):
            raise CorpusError(f"{path}, {where}: expected a mapping of fields, got {type(item).__name__}")
        entries.append(_entry(path, where, item))
    return entries


def _read_csv(path: Path) -> list[ManifestEntry]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusError(f"{path}: the manifest is not UTF-8 ({err.reason} at byte {err.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append((reader.line_num, record))
    except csv.Error as err:
        raise CorpusError(f"{path}: malformed CSV near line {reader.line_num}: {err} "
                          "(an unclosed quote runs to the end of the file)") from None
    if not rows:
        raise CorpusError(f"{path}: the manifest is empty")
    _, header = rows[0]
    header = [h.strip() for h in header]
    if "file" not in header:
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if len(header) == 1 and delimiter in header[0] or sum(delimiter in h for h in header) > len(header) / 2:
                raise CorpusError(f"{path}: the header {', '.join(header)!r} has no 'file' column; the manifest "
                                  f"seems to be separated by {name}, not commas: save it as comma-separated "
                                  "CSV (a spreadsheet's 'CSV UTF-8 (comma delimited)')")
        raise CorpusError(f"{path}: the header has no 'file' column (it has {', '.join(header)}); the first "
                          "row must name the columns, one of them 'file'")
    entries = []
    for line, record in rows[1:]:
        if len(record) != len(header):
            raise CorpusError(f"{path}, row {line}: {len(record)} fields, but the header has {len(header)} "
                              f"({', '.join(header)}); quote values that contain commas")
        row = dict(zip(header, (cell.strip() for cell in record)))
        item: dict = {}
        for key, value in row.items():
            if key.endswith(("_provenance", "_evidence")) or value == "":
                continue
            if key == "relations":
                item[key] = _parse_relation_cell(path, line, value)
                continue
            provenance = row.get(f"{key}_provenance", "")
            evidence = row.get(f"{key}_evidence", "")
            item[key] = {"value": value, "provenance": provenance or "manifest", "evidence": evidence} \
                if (provenance or evidence) else value
        entries.append(_entry(path, f"row {line}", item))
    return entries


def _parse_relation_cell(path: Path, row: int, cell: str) -> list[dict]:
    relations = []
    for part in cell.split(";"):
        if not part.strip():
            continue
        kind, sep, target = part.partition(":")
        if not sep or not kind.strip() or not target.strip():
            raise CorpusError(f"{path}, row {row}: relation {part.strip()!r} is not 'type:target' (e.g. reuses:001)")
        relations.append({"type": kind.strip(), "target": target.strip()})
    return relations


def _entry(path: Path, where: str, item: dict) -> ManifestEntry:
    file = item.get("file")
    if not file or not isinstance(file, str):
        raise CorpusError(f"{path}, {where}: no 'file' given (the document's file name in the corpus folder)")
    file, refused = _manifest_file(file)
    entry = ManifestEntry(file=file, where=where, encoding=_encoding(path, where, item.get("encoding")),
                          refused=refused)
    for key, raw in item.items():
        if key in _RESERVED:
            continue
        entry.values[key] = _value(path, where, key, raw)
    for rel in item.get("relations") or []:
        if not isinstance(rel, dict) or not rel.get("type") or not rel.get("target"):
            raise CorpusError(f"{path}, {where}: each relation needs a 'type' and a 'target' doc_id")
        provenance = _provenance(path, where, "relations", rel.get("provenance", "manifest"))
        entry.relations.append({"relation": str(rel["type"]), "target": str(rel["target"]),
                                "provenance": provenance, "evidence": str(rel.get("evidence") or "")})
    return entry


def _manifest_file(name: str) -> tuple[str, str | None]:
    """The row's file as a path inside the corpus folder (``./`` dropped), and why it is refused:
    an absolute path, or one that climbs out with ``..``, never names a file of the corpus."""
    name = name.strip()
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or PureWindowsPath(name).drive \
            or name.startswith(("\\", "/")):
        return name, (f"file {name!r} is an absolute path; a manifest names files by their path inside the "
                      "corpus folder")
    if ".." in PurePosixPath(name).parts or ".." in PureWindowsPath(name).parts:
        return name, f"file {name!r} climbs out of the corpus folder with '..'"
    if "\0" in name:
        return name, f"file {name!r} holds a NUL character"
    return PurePosixPath(name).as_posix(), None


def _encoding(path: Path, where: str, raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    name = str(raw).strip()
    if isinstance(raw, int) or name.isdigit():
        name = f"cp{name}"  # YAML reads "encoding: 1251" as a number; code pages are spelled cp1251
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise CorpusError(f"{path}, {where}: encoding {raw!r} is not a known text encoding "
                          "(e.g. utf-8, cp1251, latin-1)") from None


def _value(path: Path, where: str, key: str, raw: object) -> tuple[object, str, str]:
    if isinstance(raw, dict):
        if "value" not in raw and raw.get("provenance") not in ("unknown",):
            raise CorpusError(f"{path}, {where}: field '{key}' is a mapping without 'value'")
        value = _plain(raw.get("value"))
        provenance = _provenance(path, where, key, raw.get("provenance", "manifest"))
        evidence = str(raw.get("evidence") or "")
        if provenance == "inferred" and not evidence:
            raise CorpusError(f"{path}, {where}: field '{key}' is inferred but gives no evidence")
        if value is None:
            provenance = "unknown"
        return value, provenance, evidence
    value = _plain(raw)
    return value, ("manifest" if value is not None else "unknown"), ""


def _plain(value: object) -> object:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _provenance(path: Path, where: str, key: str, raw: object) -> str:
    name = _PROVENANCE_ALIASES.get(str(raw).strip().lower())
    if name is None:
        raise CorpusError(f"{path}, {where}: provenance of '{key}' is {raw!r}; use one of "
                          f"{', '.join(sorted(PROVENANCES))}")
    return name


def _check_unique(path: Path, entries: list[ManifestEntry]) -> None:
    seen_files: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for entry in entries:
        if entry.file in seen_files:
            raise CorpusError(f"{path}: file {entry.file!r} appears twice ({seen_files[entry.file]} and {entry.where})")
        seen_files[entry.file] = entry.where
        doc_id = entry.values.get("doc_id", (None,))[0]
        if doc_id is not None:
            doc_id = str(doc_id)
            if doc_id in seen_ids:
                raise CorpusError(f"{path}: doc_id {doc_id!r} appears twice ({seen_ids[doc_id]} and {entry.where})")
            seen_ids[doc_id] = entry.where
