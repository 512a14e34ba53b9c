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

PACKAGE = Path(__file__).resolve().parent
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


def _atomic_write(path: Path, data) -> None:
    """Write ``data`` (bytes, or a function that writes to an open binary file) to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Store:
    """Per-document results under ``root`` for one fingerprint (see the module's description)."""

    def __init__(self, root: str | Path, fingerprint_: str):
        self.root = Path(root)
        self.fingerprint = fingerprint_
        self.folder = self.root / fingerprint_[:16]
        self.batches = self.folder / "batches"

    def index(self) -> dict[str, str]:
        """key -> batch name, for every document this store holds."""
        found: dict[str, str] = {}
        if not self.batches.is_dir():
            return found
        for side in sorted(self.batches.glob("*.keys.json")):
            name = side.name[: -len(".keys.json")]
            for key in json.loads(side.read_text()):
                found.setdefault(key, name)
        return found

    def write_batch(self, keys: list[str], parts: dict) -> str:
        """Store one batch: ``parts`` maps a part name ("evidence", "partials", "words") to picklable data
        (DataFrames with a ``doc_key`` column, or dicts of them). Returns the batch name."""
        name = hashlib.sha256("\0".join(sorted(keys)).encode()).hexdigest()[:24]
        for part, data in parts.items():
            if isinstance(data, np.ndarray):  # a plain array is saved as .npy, to be read in slices (mmap)
                buffer = io.BytesIO()
                np.save(buffer, data, allow_pickle=False)
                _atomic_write(self.batches / f"{name}.{part}.npy", buffer.getvalue())
            else:
                _atomic_write(self.batches / f"{name}.{part}.pkl",
                              lambda handle, data=data: pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL))
        # the key list goes last: a batch is visible only once all its parts are complete
        _atomic_write(self.batches / f"{name}.keys.json", json.dumps(sorted(keys)).encode())
        return name

    def read_batch(self, name: str, part: str):
        """A stored part; an array part is memory-mapped (read from disk only where it is sliced)."""
        array = self.batches / f"{name}.{part}.npy"
        if array.is_file():
            return np.load(array, mmap_mode="r")
        with open(self.batches / f"{name}.{part}.pkl", "rb") as handle:
            return pickle.load(handle)

    def get(self, kind: str, key: str):
        """A stored whole-corpus result or pair alignment (``kind``: "results" or "pairs"), or None."""
        path = self.folder / kind / f"{key}.pkl"
        if not path.is_file():
            return None
        with open(path, "rb") as handle:
            return pickle.load(handle)

    def put(self, kind: str, key: str, value) -> None:
        # pickled straight into the file: a whole-corpus result as one bytes object would double its memory
        _atomic_write(self.folder / kind / f"{key}.pkl",
                      lambda handle: pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL))
