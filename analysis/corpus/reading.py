"""Turn a file's bytes into text, or say clearly why it cannot be read.

Decoding order: the manifest's ``encoding`` if given (before any other test), a
byte-order mark if present, UTF-16/UTF-32 without one (recognised by their
pattern of NUL bytes, before the control-byte test for binary files), strict
UTF-8, then a guess by charset-normalizer restricted to the code pages news
sites actually use. A file whose lines are partly UTF-8 and partly in another
encoding is decoded line by line (and said so, with the line numbers). A file of
white space only is skipped as blank. Everything unusual is reported as a
:class:`~analysis.errors.Problem`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import NOTE, SKIPPED, WARNING, Problem, SkipFile
from .htmlpages import is_html, nesting_problem

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
_BOMS = (  # (UTF-32 before UTF-16: the UTF-32-LE mark begins with the UTF-16-LE one)
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 (little-endian) byte-order mark"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 (big-endian) byte-order mark"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8 byte-order mark"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 (little-endian) byte-order mark"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 (big-endian) byte-order mark"),
)
# Control bytes that never occur in text (tab, LF, VT, FF, CR and ESC excluded).
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_MIXED_SCRIPT_WORD = re.compile(r"(?=\w*[A-Za-z])(?=\w*[\u0400-\u04FF])\w+")
# Characters that never occur in text, in decoded form (for checking a UTF-16/32 reading).
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffe\uffff]")
_WIDE_NAMES = {"utf-16-le": "UTF-16 (little-endian)", "utf-16-be": "UTF-16 (big-endian)",
               "utf-32-le": "UTF-32 (little-endian)", "utf-32-be": "UTF-32 (big-endian)"}


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
    the file and the problem) for empty, oversized, binary, undecodable and blank files, and for HTML
    pages nested deeper than libxml2 reads (see :func:`analysis.corpus.htmlpages.nesting_problem`).
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
    decoded = decode_bytes(data, name, encoding=encoding, binary_threshold=binary_threshold)
    if is_html(name):  # (here, where the file's name is known: the HTML reader is given only the text)
        too_deep = nesting_problem(decoded.text)
        if too_deep is not None:
            raise SkipFile(Problem(name, SKIPPED, "too_deep", too_deep))
    return decoded


def decode_bytes(data: bytes, name: str, *, encoding: str | None = None,
                 binary_threshold: float = 0.05) -> Decoded:
    """Decode ``data`` (the bytes of the file called ``name``); see :func:`decode_file`."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise SkipFile(Problem(name, SKIPPED, "binary",
                                   f"binary file ({kind}), not text; skipped (convert it to .txt first)"))
    # the manifest's encoding next: no control-byte or other test overrides the researcher's word
    if encoding:
        text = _strict(data, encoding, name, " (the encoding the manifest gives)")
        problems = []
        if text.startswith("\ufeff"):
            text = text[1:]
            problems.append(Problem(name, NOTE, "bom", f"byte-order mark removed before reading (as {encoding})"))
        return Decoded(_not_blank(text, name, data), encoding, problems + _nul_report(text, name))
    problems: list[Problem] = []
    for bom, bom_encoding, label in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], bom_encoding, name)
            problems.append(Problem(name, NOTE, "bom", f"{label} removed before reading"))
            return Decoded(_not_blank(text, name, data), bom_encoding, problems + _nul_report(text, name))

    wide = _wide_encoding(data, name)  # UTF-16/32 without a byte-order mark: its NULs are not binary
    if wide is not None:
        text, used = wide
        problems.append(Problem(
            name, NOTE, "no_bom",
            f"read as {_WIDE_NAMES[used]} without a byte-order mark, recognised by its pattern of NUL bytes "
            f"(give 'encoding' in the manifest if that is wrong)"))
        return Decoded(_not_blank(text, name, data), used, problems + _nul_report(text, name))

    head = data[:65536]
    n_control = len(_CONTROL.findall(head))
    if n_control > binary_threshold * len(head):
        raise SkipFile(Problem(
            name, SKIPPED, "binary",
            f"binary file: {n_control} of its first {len(head)} bytes are control bytes; skipped "
            "(if it is text, e.g. UTF-16 or UTF-32, give its encoding in the manifest's 'encoding' column)"))

    try:
        text = data.decode("utf-8")
        return Decoded(_not_blank(text, name, data), "utf-8", _nul_report(text, name))
    except UnicodeDecodeError as err:
        first_bad = err.start
    mixed = _mixed_lines(data, name)
    if mixed is not None:
        return mixed
    guess = _guess_encoding(data)
    if guess is None:
        raise SkipFile(Problem(
            name, SKIPPED, "undecodable",
            f"not valid UTF-8 (first invalid byte at offset {first_bad}, line {_line_of(data, first_bad)}) "
            f"and no likely encoding among {', '.join(FALLBACK_ENCODINGS)} decodes it cleanly; skipped "
            "(re-save it as UTF-8, or give its encoding in the manifest's 'encoding' column)"))
    text, used = guess
    problems.append(Problem(
        name, WARNING, "not_utf8",
        f"not valid UTF-8 (first invalid byte at offset {first_bad}); decoded as {used}, "
        "detected by charset-normalizer: check the text, or give the encoding in the manifest"))
    return Decoded(_not_blank(text, name, data), used, problems + _nul_report(text, name))


def _not_blank(text: str, name: str, data: bytes) -> str:
    """``text``, unless it holds nothing but white space (then the file is skipped as blank)."""
    if text.strip():
        return text
    raise SkipFile(Problem(
        name, SKIPPED, "blank",
        f"the file is blank: its {len(data)} byte(s) are only spaces and line breaks; skipped"))


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _wide_encoding(data: bytes, name: str) -> tuple[str, str] | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where its NUL bytes stand (the high bytes of
    ASCII characters, spaces and line breaks): ``(text, encoding)``, or None if the bytes do not look so.
    The reading must decode strictly and hold almost no control characters."""
    head = data[:65536]
    n = len(head) - len(head) % 4
    if n < 8 or head.count(0) < n // 32:
        return None
    h = head[:n]
    quarter = [h[k::4].count(0) / (n // 4) for k in range(4)]
    even, odd = (quarter[0] + quarter[2]) / 2, (quarter[1] + quarter[3]) / 2
    if quarter[2] > 0.95 and quarter[3] > 0.95 and quarter[0] < 0.5:
        candidate = "utf-32-le"  # (the two high bytes of every character below U+10000 are NUL)
    elif quarter[0] > 0.95 and quarter[1] > 0.95 and quarter[3] < 0.5:
        candidate = "utf-32-be"
    elif odd >= 0.1 and even < 0.02:
        candidate = "utf-16-le"
    elif even >= 0.1 and odd < 0.02:
        candidate = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(candidate)
    except UnicodeDecodeError as err:
        raise SkipFile(Problem(
            name, SKIPPED, "undecodable",
            f"looks like {_WIDE_NAMES[candidate]} without a byte-order mark (its NUL bytes stand where that "
            f"encoding puts them) but is not valid {candidate} ({err.reason} at byte {err.start}); skipped "
            "(give its encoding in the manifest's 'encoding' column, or re-save it as UTF-8)")) from None
    if len(_CONTROL_TEXT.findall(text, 0, 32768)) > 0.01 * min(len(text), 32768):
        return None
    return text, candidate


def _mixed_lines(data: bytes, name: str) -> Decoded | None:
    """A file whose lines are partly UTF-8 (with non-ASCII characters) and partly not valid UTF-8: each line
    decoded on its own, the UTF-8 ones as UTF-8, the others in the encoding guessed for them together.
    None when no line holds UTF-8 beyond ASCII (then the file is in one encoding, read as a whole)."""
    lines = data.split(b"\n")
    bad: list[int] = []
    utf8_non_ascii = 0
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
        else:
            utf8_non_ascii += 1
    if not bad or not utf8_non_ascii:
        return None
    odd = b"\n".join(lines[i] for i in bad)
    where = _line_ranges([i + 1 for i in bad])
    guess = _guess_encoding(odd)
    if guess is None:
        raise SkipFile(Problem(
            name, SKIPPED, "undecodable",
            f"mixed encodings: the file is UTF-8 except {len(bad)} line(s) ({where}), which are not valid UTF-8 "
            f"and which no likely encoding among {', '.join(FALLBACK_ENCODINGS)} decodes cleanly; skipped "
            "(re-save those lines as UTF-8)"))
    used = guess[1]
    bad_set = set(bad)
    text = "\n".join(line.decode(used) if i in bad_set else line.decode("utf-8") for i, line in enumerate(lines))
    problem = Problem(
        name, WARNING, "mixed_encoding",
        f"mixed encodings: only part of the file is in another encoding: {len(bad)} of its {len(lines)} lines "
        f"({where}) are not valid UTF-8 and were decoded as {used} (detected by charset-normalizer), the rest "
        "as UTF-8; check those lines, or re-save the file in one encoding")
    return Decoded(_not_blank(text, name, data), f"utf-8+{used}", [problem] + _nul_report(text, name))


def _line_ranges(numbers: list[int], most: int = 8) -> str:
    """``[3, 4, 5, 9]`` as "lines 3-5, 9" (the first ``most`` ranges, then how many more)."""
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    shown = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges[:most])
    more = f" and {len(ranges) - most} more range(s)" if len(ranges) > most else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _megabytes(n: int) -> str:
    """Bytes as megabytes with enough digits to tell a size from a limit (0.02 MB, 20.3 MB)."""
    return f"{n / 1e6:.3g} MB" if n < 1e8 else f"{n / 1e6:.0f} MB"


def _strict(data: bytes, encoding: str, name: str, how: str = "") -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise SkipFile(Problem(name, SKIPPED, "undecodable",
                               f"cannot be decoded as {encoding}{how}: {err}; skipped")) from None


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
