"""Sentences and tokens, offline, with spaCy's rule-based English tokenizer.

No model or corpus is downloaded: ``spacy.blank("en")`` carries only rules.
Three changes to its defaults, each for news text:

* hyphenated words stay whole ("Nagorno-Karabakh", "vis-à-vis", "post-Soviet"), as in
  quanteda's default ``split_hyphens = FALSE``; en and em dashes still split, also in
  number ranges ("1998–2008");
* editorial brackets stay inside the word ("[W]e");
* more abbreviations (``data/abbreviations.txt``: Lt., Col., U.N., ...).

Sentence boundaries come from :func:`_sentence_starts`, a quote-aware rule:
a sentence ends at . ! ? … together with any closing quotes or brackets
attached to it, unless the next word starts in lower case (a missed abbreviation).
Paragraph breaks always end a sentence.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.util import compile_infix_regex

ABBREVIATIONS = Path(__file__).parent / "data" / "abbreviations.txt"

_SENTENCE_END = {".", "!", "?", "…", "...", "?!", "!?", "!!", "??", "?..", "!.."}
_TERMINAL_CHARS = np.array([ord(c) for c in ".!?…"], dtype=np.uint32)
_CLOSING = set("”’»›)]}")
_STRAIGHT_QUOTES = {'"', "'"}
_PARAGRAPH = re.compile(r"\S(?:[^\n]|\n(?![ \t]*\n))*")
_EDITORIAL = re.compile(r"^\[[^\W\d_]{1,3}\][^\W\d_][\w’']*$")

SENTENCE_COLUMNS = ["doc_id", "source", "sentence_id", "paragraph_id", "text", "start", "end"]
TOKEN_COLUMNS = ["doc_id", "source", "sentence_id", "position", "token", "norm",
                 "is_stop", "is_punct", "start", "end"]


@functools.lru_cache(maxsize=1)
def english_tokenizer() -> Language:
    """The spaCy pipeline used for every document (built once, read-only afterwards)."""
    nlp = spacy.blank("en")
    infixes = [p.replace("(?:-|–|—|--|---|——|~)", "(?:–|—|--|---|——|~)") for p in nlp.Defaults.infixes]
    infixes.append(r"(?<=[0-9])[–—](?=[0-9])")
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.token_match = _EDITORIAL.match
    for line in ABBREVIATIONS.read_text(encoding="utf-8").splitlines():
        abbr = line.strip()
        if abbr and not abbr.startswith("#"):
            nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    return nlp


def _sentence_starts(doc, ends: np.ndarray) -> list[int]:
    """Indices of the tokens that start a sentence in one paragraph.

    ``ends[i]`` is True where token i ends in . ! ? or … (found with NumPy, so the
    rule below runs once per candidate boundary, not once per token).
    """
    starts = [0] if len(doc) else []
    n = len(doc)
    last = -1
    for i in np.flatnonzero(ends):
        if i <= last or not _ends_sentence(doc, i):
            continue
        j = i + 1
        # closing quotes and brackets, and glued "?!", belong to the sentence they close
        while j < n and (_is_closing(doc, j) or (doc[j].text in _SENTENCE_END and doc[j - 1].whitespace_ == "")):
            j += 1
        while j < n and doc[j].is_space:
            j += 1
        if j < n and not _continues(doc[j]):
            starts.append(j)
        last = j - 1
    return starts


def _ends_sentence(doc, i: int) -> bool:
    text = doc[i].text
    if text in _SENTENCE_END:
        return True
    # "U.S." or "Inc." at the end of a sentence: only when a sentence-opening word follows
    if text.endswith(".") and len(text) > 1 and i + 1 < len(doc):
        nxt = doc[i + 1]
        return nxt.text[:1].isupper() and nxt.lower_ in STOP_WORDS and doc[i].whitespace_ != ""
    return False


def _is_closing(doc, j: int) -> bool:
    text = doc[j].text
    if text in _CLOSING:
        return True
    # a straight quote glued to the previous token closes; one after a space opens
    return text in _STRAIGHT_QUOTES and doc[j - 1].whitespace_ == ""


def _continues(tok) -> bool:
    """A token that cannot start a sentence: lower-case word, or closing punctuation."""
    first = next((ch for ch in tok.text if ch.isalpha()), "")
    return first.islower() or tok.text in _CLOSING or tok.text in {",", ";", ":"}


def parse(docs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences and tokens of every document in one pass (see :func:`sentences`, :func:`tokens`).

    Each document is tokenized whole; array work runs once per document, and the
    boundary rule once per candidate sentence end.
    """
    nlp = english_tokenizer()
    sentence_parts: list[dict[str, np.ndarray]] = []
    token_parts: list[dict[str, np.ndarray]] = []
    texts = list(docs["text"])
    for doc_id, source, text, sdoc in zip(docs["doc_id"], docs["source"], texts, nlp.tokenizer.pipe(texts)):
        if not len(sdoc):
            continue
        attrs = sdoc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE]).astype(np.int64)
        idx, length, words = attrs[:, 0], attrs[:, 1], attrs[:, 3] == 0
        if not words.any():
            continue
        # code points of the text, to test every token's last character at once
        chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        ends = np.isin(chars[idx + length - 1], _TERMINAL_CHARS)
        paragraph_starts = np.array([a for a, _ in paragraph_spans(text)], dtype=np.int64)
        forced = np.searchsorted(idx, paragraph_starts)  # first token of each paragraph
        starts = np.union1d(np.array(_sentence_starts(sdoc, ends), dtype=np.int64), forced)
        sentence_of = np.searchsorted(starts, np.arange(len(sdoc)), side="right")
        word_rows = np.flatnonzero(words)
        # sentences are spans of their non-space tokens; number those that hold any 1..n
        used, first = np.unique(sentence_of[word_rows], return_index=True)
        last = np.r_[first[1:], len(word_rows)] - 1
        s_start = idx[word_rows[first]]
        s_end = idx[word_rows[last]] + length[word_rows[last]]
        ids = np.arange(1, len(used) + 1)
        n = len(ids)
        sentence_parts.append({
            "doc_id": np.full(n, doc_id, dtype=object), "source": np.full(n, source, dtype=object),
            "sentence_id": ids, "paragraph_id": np.searchsorted(paragraph_starts, s_start, side="right"),
            "text": np.array([text[a:b] for a, b in zip(s_start, s_end)], dtype=object),
            "start": s_start, "end": s_end})
        t_start, t_end = idx[word_rows], idx[word_rows] + length[word_rows]
        m = len(word_rows)
        token_parts.append({
            "doc_id": np.full(m, doc_id, dtype=object), "source": np.full(m, source, dtype=object),
            "sentence_id": ids[np.searchsorted(used, sentence_of[word_rows])],
            "position": np.arange(1, m + 1),
            "token": np.array([text[a:b] for a, b in zip(t_start, t_end)], dtype=object),
            "is_punct": attrs[word_rows, 2].astype(bool), "start": t_start, "end": t_end})
    sents = pd.DataFrame({c: np.concatenate([part[c] for part in sentence_parts]) if sentence_parts else []
                          for c in SENTENCE_COLUMNS})
    toks = pd.DataFrame({c: np.concatenate([part[c] for part in token_parts]) if token_parts else []
                         for c in TOKEN_COLUMNS if c not in ("norm", "is_stop")})
    toks["norm"] = normalise(toks["token"])
    toks["is_stop"] = toks["norm"].isin(STOP_WORDS)
    toks = toks[TOKEN_COLUMNS]
    return _typed(sents, {"sentence_id": "int64", "paragraph_id": "int64", "start": "int64", "end": "int64"}), \
        _typed(toks, {"sentence_id": "int64", "position": "int64", "start": "int64", "end": "int64",
                      "is_stop": "bool", "is_punct": "bool"})


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text separated by blank lines."""
    return [m.span() for m in _PARAGRAPH.finditer(text)]


def normalise(tokens: pd.Series) -> pd.Series:
    """Lower case, Unicode NFKC, straight apostrophes and quotes, editorial brackets dropped."""
    codes, types = pd.factorize(tokens)  # each distinct token type is normalised once
    return pd.Series(_normalise_types(pd.Series(types, dtype=object)).to_numpy()[codes] if len(types) else
                     np.array([], dtype=object), index=tokens.index, dtype=object)


def _normalise_types(tokens: pd.Series) -> pd.Series:
    norm = tokens.astype("str").map(lambda t: unicodedata.normalize("NFKC", t), na_action="ignore").str.lower()
    norm = norm.str.replace(r"[’‘`´]", "'", regex=True).str.replace(r"[“”„«»]", '"', regex=True)
    return norm.str.replace(r"(?<=\w)[\[\]]|[\[\]](?=\w)", "", regex=True)


def _typed(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    return frame.astype(dtypes)


def sentences(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence.

    Columns: doc_id, source, sentence_id (1-based within the document),
    paragraph_id (1-based), text, start and end (character offsets into the
    document's clean ``text``; ``text[start:end]`` is the sentence).
    """
    return parse(docs)[0]


def tokens(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per token (white space excluded).

    Columns: doc_id, source, sentence_id, position (1-based index of the token
    in its document), token (as written), norm (lower case, NFKC, straight
    quotes), is_stop (norm is in spaCy's English stop-word list), is_punct,
    start and end (character offsets into the document's ``text``).
    """
    return parse(docs)[1]
