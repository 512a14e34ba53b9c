"""Turn a file's bytes into text, or say clearly why it cannot be read.

Decoding order: a byte-order mark if present, then strict UTF-8, then a guess
by charset-normalizer restricted to the code pages news sites actually use.
Everything unusual is reported as a :class:`~analysis.errors.Problem`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import NOTE, SKIPPED, WARNING, Problem, SkipFile

# Western, Cyrillic and Turkish/Azerbaijani single-byte code pages, most likely first.
FALLBACK_ENCODINGS = ("cp1252", "cp1251", "iso8859_9", "koi8_r", "latin_1")

_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.xlsx/.epub file)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"{\\rtf": "an RTF document",
    b"\xd0\xcf\x11\xe0": "a legacy Microsoft Office file",
}
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8 byte-order mark"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 (little-endian) byte-order mark"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 (big-endian) byte-order mark"),
)
# Control bytes that never occur in text (tab, LF, VT, FF, CR and ESC excluded).
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_MIXED_SCRIPT_WORD = re.compile(r"(?=\w*[A-Za-z])(?=\w*[\u0400-\u04FF])\w+")


@dataclass
class Decoded:
    """The text of one file and what was noticed while decoding it."""

    text: str
    encoding: str
    problems: list[Problem] = field(default_factory=list)


def decode_file(path: Path, *, max_bytes: int, encoding: str | None = None, name: str | None = None,
                binary_threshold: float = 0.05) -> Decoded:
    """Read ``path`` and decode it to text.

    ``name`` is how messages call the file (its path inside the corpus folder;
    by default its file name). Raises :class:`SkipFile` (with a message naming
    the file and the problem) for empty, oversized, binary and undecodable files.
    """
    name = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise SkipFile(Problem(name, SKIPPED, "empty", "empty file (0 bytes); skipped"))
    if size > max_bytes:
        raise SkipFile(Problem(
            name, SKIPPED, "too_large",
            f"file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit for one document; "
            "skipped (split it into articles, or raise max_file_mb)"))
    data = path.read_bytes()
    return decode_bytes(data, name, encoding=encoding, binary_threshold=binary_threshold)


def decode_bytes(data: bytes, name: str, *, encoding: str | None = None,
                 binary_threshold: float = 0.05) -> Decoded:
    """Decode ``data`` (the bytes of the file called ``name``); see :func:`decode_file`."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise SkipFile(Problem(name, SKIPPED, "binary",
                                   f"binary file ({kind}), not text; skipped (convert it to .txt first)"))
    problems: list[Problem] = []
    for bom, bom_encoding, label in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], bom_encoding, name)
            problems.append(Problem(name, NOTE, "bom", f"{label} removed before reading"))
            return Decoded(text, bom_encoding, problems + _nul_report(text, name))

    head = data[:65536]
    n_control = len(_CONTROL.findall(head))
    if n_control > binary_threshold * len(head):
        raise SkipFile(Problem(
            name, SKIPPED, "binary",
            f"binary file: {n_control} of its first {len(head)} bytes are control bytes; skipped"))

    if encoding:
        return Decoded(_strict(data, encoding, name), encoding, _nul_report_bytes(data, name))
    try:
        text = data.decode("utf-8")
        return Decoded(text, "utf-8", _nul_report(text, name))
    except UnicodeDecodeError as err:
        first_bad = err.start
    guess = _guess_encoding(data)
    if guess is None:
        raise SkipFile(Problem(
            name, SKIPPED, "undecodable",
            f"not valid UTF-8 (first invalid byte at offset {first_bad}) and no likely encoding "
            f"among {', '.join(FALLBACK_ENCODINGS)} decodes it cleanly; skipped "
            "(re-save it as UTF-8, or give its encoding in the manifest's 'encoding' column)"))
    text, used = guess
    problems.append(Problem(
        name, WARNING, "not_utf8",
        f"not valid UTF-8 (first invalid byte at offset {first_bad}); decoded as {used}, "
        "detected by charset-normalizer: check the text, or give the encoding in the manifest"))
    return Decoded(text, used, problems + _nul_report(text, name))


def _megabytes(n: int) -> str:
    """Bytes as megabytes with enough digits to tell a size from a limit (0.02 MB, 20.3 MB)."""
    return f"{n / 1e6:.3g} MB" if n < 1e8 else f"{n / 1e6:.0f} MB"


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise SkipFile(Problem(name, SKIPPED, "undecodable",
                               f"cannot be decoded as {encoding}: {err}; skipped")) from None


def _guess_encoding(data: bytes) -> tuple[str, str] | None:
    """The first charset-normalizer candidate whose text has no mixed Latin/Cyrillic words."""
    matches = from_bytes(data, cp_isolation=list(FALLBACK_ENCODINGS))
    ranked = sorted(matches, key=lambda m: (m.chaos, -m.coherence, FALLBACK_ENCODINGS.index(m.encoding)
                                            if m.encoding in FALLBACK_ENCODINGS else 99))
    for match in ranked:
        text = str(match)
        if not _MIXED_SCRIPT_WORD.search(text):
            return text, match.encoding
    return None


def _nul_report(text: str, name: str) -> list[Problem]:
    count = text.count("\x00")
    if not count:
        return []
    first = text.index("\x00")
    return [Problem(name, WARNING, "nul_bytes",
                    f"{count} NUL character(s), the first at character {first}; removed from the "
                    "cleaned text (the raw text keeps them)")]


def _nul_report_bytes(data: bytes, name: str) -> list[Problem]:
    return _nul_report(data.decode("latin-1"), name) if b"\x00" in data else []
