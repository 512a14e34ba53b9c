"""A content-keyed store of per-document results, so unchanged documents are never recomputed.

Every document gets a key: the SHA-256 of the file's bytes, its name, doc_id,
manifest row and cleaning overrides, and of the *fingerprint*: this package's
source code, its data files (gazetteer, naming, frame and sentiment lexicons,
boilerplate rules), the versions of the libraries that produce numbers, and the
pipeline's options. Change any of these and the key changes: the document is
computed afresh. Nothing is ever looked up by file name or modification time.

Results are written in *batches*: one pickle per batch of documents, holding
every per-document table, with a small JSON side file listing the keys it holds.
A batch is written to a temporary name and renamed into place, so a crash
never leaves a half-written batch that a later run would trust.

Nothing read back is trusted either: every pickle ends with the SHA-256 of
its bytes, and a batch's key list records the size of each of its parts. A
truncated, garbled or missing entry (a full disk, a machine that lost power,
a file edited by hand) is not loaded: it is removed with a note
(:attr:`Store.notes`, also a :class:`CacheWarning`) and the documents it held
are computed again. A key list that is not valid JSON is treated the same way,
and named in the note.

Layout: ``<root>/<fingerprint[:16]>/batches/<batch>.<part>.pkl`` (``.npy`` for an array
part) and ``<batch>.keys.json``,
``.../results/<corpus key>.pkl`` for whole-corpus results, and
``.../pairs/<pair key>.pkl`` for text-reuse alignments. Delete the folder to
clear the cache; a new fingerprint starts a new folder (old ones can be
deleted safely).
"""
from __future__ import annotations

import hashlib
import io
import importlib.metadata
import json
import os
import pickle
import tempfile
from pathlib import Path

import numpy as np

from .._package import PACKAGE_DIR

PACKAGE = PACKAGE_DIR.resolve()
# The libraries whose version can change a number in a result.
LIBRARIES = ("pandas", "numpy", "spacy", "textblob", "vaderSentiment", "rapidfuzz", "scikit-learn", "scipy",
             "charset-normalizer", "trafilatura")


def _hash_file(digest, path: Path) -> None:
    digest.update(path.relative_to(PACKAGE).as_posix().encode())
    digest.update(b"\0")
    digest.update(path.read_bytes())
    digest.update(b"\0")


def fingerprint(options: dict | None = None) -> str:
    """SHA-256 (hex) of the code, data files, library versions and ``options`` that results depend on."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".csv", ".yaml", ".txt"):
            _hash_file(digest, path)
    for name in LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\0".encode())
    digest.update(json.dumps(options or {}, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def document_key(fingerprint_: str, raw: bytes, *parts: object) -> str:
    """The key of one document: its bytes, the ``parts`` that describe how it is read, and the fingerprint."""
    digest = hashlib.sha256(fingerprint_.encode())
    for part in parts:
        digest.update(b"\0" + repr(part).encode())
    digest.update(b"\0")
    digest.update(raw)
    return digest.hexdigest()


FOOTER = b"CFSHA256"   # a pickle entry ends with FOOTER and the SHA-256 of the bytes before it
STALE_TMP_SECONDS = 6 * 3600  # a temporary file this old was left by a run that died; removed


class CacheWarning(UserWarning):
    """A cache entry that could not be trusted was removed; what it held is computed again."""


class CorruptEntry(Exception):
    """A cache entry failed its check (``path``: the file; ``batch``: its batch, when it is part of one)."""

    def __init__(self, path: Path, why: str, batch: str | None = None):
        super().__init__(f"cache entry '{path}' is damaged ({why})")
        self.path, self.why, self.batch = Path(path), why, batch


class _Hashing:
    """A binary file wrapper that hashes what is written through it."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def write(self, data) -> int:  # data may be a PickleBuffer (protocol 5): anything with the buffer protocol
        self.digest.update(data)
        return self.handle.write(data)


def _atomic_write(path: Path, data) -> int:
    """Write ``data`` (bytes, or a function that writes to an open binary file) to ``path`` atomically:
    a temporary file in the same folder, flushed, then renamed over ``path``. Returns the size written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            size = handle.tell()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return size


def _pickle_to(value):
    """A writer for :func:`_atomic_write`: ``value`` pickled, then FOOTER and the SHA-256 of the pickle."""
    def write(handle) -> None:
        hashing = _Hashing(handle)
        pickle.dump(value, hashing, protocol=pickle.HIGHEST_PROTOCOL)
        handle.write(FOOTER + hashing.digest.digest())
    return write


def _load_pickle(path: Path, batch: str | None = None):
    """A pickle written by :func:`_pickle_to`, checked first; a damaged one raises :class:`CorruptEntry`."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            trailer = len(FOOTER) + 32
            if size < trailer:
                raise CorruptEntry(path, f"{size} bytes, too short to be an entry", batch)
            digest, left = hashlib.sha256(), size - trailer
            while left:
                chunk = handle.read(min(left, 1 << 20))
                if not chunk:
                    raise CorruptEntry(path, "shorter than its size", batch)
                digest.update(chunk)
                left -= len(chunk)
            footer = handle.read(trailer)
            if footer[:len(FOOTER)] != FOOTER:
                raise CorruptEntry(path, "truncated: its checksum is missing", batch)
            if footer[len(FOOTER):] != digest.digest():
                raise CorruptEntry(path, "its checksum does not match its content", batch)
            handle.seek(0)
            return pickle.load(handle)
    except CorruptEntry:
        raise
    except FileNotFoundError:
        raise CorruptEntry(path, "missing", batch) from None
    except Exception as err:  # checked, yet unreadable (a library that no longer loads it): not trusted
        raise CorruptEntry(path, f"{type(err).__name__}: {err}", batch) from None


class Store:
    """Per-document results under ``root`` for one fingerprint (see the module's description)."""

    def __init__(self, root: str | Path, fingerprint_: str):
        self.root = Path(root)
        self.fingerprint = fingerprint_
        self.folder = self.root / fingerprint_[:16]
        self.batches = self.folder / "batches"
        self.notes: list[str] = []   # one line per damaged entry removed

    def note(self, message: str) -> None:
        import warnings
        self.notes.append(message)
        warnings.warn(message, CacheWarning, stacklevel=3)

    def _parts(self, name: str) -> list[Path]:
        return [p for p in self.batches.glob(f"{name}.*") if not p.name.endswith(".keys.json")]

    def drop_batch(self, name: str, why: str) -> None:
        """Forget a batch (its key list first: from then on no run trusts its parts), with a note."""
        (self.batches / f"{name}.keys.json").unlink(missing_ok=True)
        for part in self._parts(name):
            part.unlink(missing_ok=True)
        self.note(f"cache: {why}; removed batch {name}, its documents are computed again")

    def forget(self, err: CorruptEntry) -> None:
        """Remove the damaged entry ``err`` names (its whole batch, for a batch part), with a note."""
        if err.batch is not None:
            self.drop_batch(err.batch, str(err))
        else:
            err.path.unlink(missing_ok=True)
            self.note(f"cache: {err}; removed, it is computed again")

    def _clean_temporary(self) -> None:
        """Temporary files of runs that died (a live run's are younger than :data:`STALE_TMP_SECONDS`)."""
        import time
        now = time.time()
        for folder in (self.batches, self.folder / "results", self.folder / "pairs"):
            for tmp in folder.glob(".tmp-*") if folder.is_dir() else ():
                try:
                    if now - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                        tmp.unlink()
                except OSError:
                    pass

    def index(self) -> dict[str, str]:
        """key -> batch name, for every document this store holds whose batch is complete.

        A key list that is not what :meth:`write_batch` writes, or whose parts are missing or of
        another size (truncated), drops its batch with a note: those documents are computed again."""
        found: dict[str, str] = {}
        if not self.batches.is_dir():
            return found
        self._clean_temporary()
        for side in sorted(self.batches.glob("*.keys.json")):
            name = side.name[: -len(".keys.json")]
            try:
                listing = json.loads(side.read_bytes())
                keys, sizes = listing["keys"], listing["parts"]
                if not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)
                        and isinstance(sizes, dict)):
                    raise ValueError("not a key list")
            except FileNotFoundError:
                continue
            except (ValueError, TypeError, KeyError, UnicodeDecodeError) as err:
                self.drop_batch(name, f"'{side}' is not a valid key list ({type(err).__name__}: {err})")
                continue
            damaged = []
            for part, size in sizes.items():
                path = self.batches / f"{name}.{part}"
                actual = path.stat().st_size if path.is_file() else None
                if actual != size:
                    damaged.append(f"{path.name}: {'missing' if actual is None else f'{actual} bytes, not {size}'}")
            if damaged:
                self.drop_batch(name, f"batch {name} is incomplete ({'; '.join(damaged)})")
                continue
            for key in keys:
                found.setdefault(key, name)
        return found

    def write_batch(self, keys: list[str], parts: dict) -> str:
        """Store one batch: ``parts`` maps a part name ("evidence", "partials", "words") to picklable data
        (DataFrames with a ``doc_key`` column, or dicts of them). Returns the batch name."""
        name = hashlib.sha256("\0".join(sorted(keys)).encode()).hexdigest()[:24]
        sizes = {}
        for part, data in parts.items():
            if isinstance(data, np.ndarray):  # a plain array is saved as .npy, to be read in slices (mmap)
                buffer = io.BytesIO()
                np.save(buffer, data, allow_pickle=False)
                sizes[f"{part}.npy"] = _atomic_write(self.batches / f"{name}.{part}.npy", buffer.getvalue())
            else:
                sizes[f"{part}.pkl"] = _atomic_write(self.batches / f"{name}.{part}.pkl", _pickle_to(data))
        # the key list goes last: a batch is visible only once all its parts are complete
        _atomic_write(self.batches / f"{name}.keys.json",
                      json.dumps({"keys": sorted(keys), "parts": sizes}).encode())
        return name

    def read_batch(self, name: str, part: str):
        """A stored part; an array part is memory-mapped (read from disk only where it is sliced).
        A damaged part raises :class:`CorruptEntry` (see :meth:`forget`)."""
        array = self.batches / f"{name}.{part}.npy"
        if array.is_file():
            try:
                return np.load(array, mmap_mode="r")
            except Exception as err:
                raise CorruptEntry(array, f"{type(err).__name__}: {err}", name) from None
        return _load_pickle(self.batches / f"{name}.{part}.pkl", name)

    def get(self, kind: str, key: str):
        """A stored whole-corpus result or pair alignment (``kind``: "results" or "pairs"), or None.
        A damaged entry is removed with a note, and None returned: it is computed again."""
        path = self.folder / kind / f"{key}.pkl"
        if not path.is_file():
            return None
        try:
            return _load_pickle(path)
        except CorruptEntry as err:
            self.forget(err)
            return None

    def put(self, kind: str, key: str, value) -> None:
        # pickled straight into the file: a whole-corpus result as one bytes object would double its memory
        _atomic_write(self.folder / kind / f"{key}.pkl", _pickle_to(value))
