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

import pandas as pd
import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.util import compile_infix_regex

ABBREVIATIONS = Path(__file__).parent / "data" / "abbreviations.txt"

_SENTENCE_END = {".", "!", "?", "…", "...", "?!", "!?", "!!", "??", "?..", "!.."}
_OPENING = set("“‘«‹„‚([{")
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


def _sentence_starts(doc) -> list[int]:
    """Indices of the tokens that start a sentence in one paragraph."""
    starts = [0] if len(doc) else []
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if not _ends_sentence(doc, i):
            i += 1
            continue
        j = i + 1
        # closing quotes and brackets belong to the sentence they close
        while j < n and (_is_closing(doc, j) or (doc[j].text in _SENTENCE_END and doc[j - 1].whitespace_ == "")):
            j += 1
        while j < n and doc[j].is_space:
            j += 1
        if j < n and not _continues(doc[j]):
            starts.append(j)
        i = max(j, i + 1)
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
    """Sentences and tokens of every document in one pass (see :func:`sentences`, :func:`tokens`)."""
    nlp = english_tokenizer()
    sentence_rows: list[tuple] = []
    token_cols: dict[str, list] = {c: [] for c in ("doc_id", "source", "sentence_id", "position",
                                                   "token", "is_punct", "start", "end")}
    for doc_id, source, text in zip(docs["doc_id"], docs["source"], docs["text"]):
        sentence_id = 0
        position = 0
        spans = paragraph_spans(text)
        for paragraph_id, ((p_start, _), sdoc) in enumerate(
                zip(spans, nlp.tokenizer.pipe(text[s:e] for s, e in spans)), start=1):
            starts = _sentence_starts(sdoc) + [len(sdoc)]
            for a, b in zip(starts, starts[1:]):
                words = [t for t in sdoc[a:b] if not t.is_space]
                if not words:
                    continue
                sentence_id += 1
                s_start = p_start + words[0].idx
                s_end = p_start + words[-1].idx + len(words[-1].text)
                sentence_rows.append((doc_id, source, sentence_id, paragraph_id, text[s_start:s_end],
                                      s_start, s_end))
                for t in words:
                    position += 1
                    token_cols["doc_id"].append(doc_id)
                    token_cols["source"].append(source)
                    token_cols["sentence_id"].append(sentence_id)
                    token_cols["position"].append(position)
                    token_cols["token"].append(t.text)
                    token_cols["is_punct"].append(t.is_punct)
                    token_cols["start"].append(p_start + t.idx)
                    token_cols["end"].append(p_start + t.idx + len(t.text))
    sents = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    toks = pd.DataFrame(token_cols)
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
    norm = tokens.astype("str").map(lambda t: unicodedata.normalize("NFKC", t), na_action="ignore").str.lower()
    norm = norm.str.replace(r"[’‘`´]", "'", regex=True).str.replace(r"[“”„«»]", '"', regex=True)
    return norm.str.replace(r"(?<=\w)[\[\]]|[\[\]](?=\w)", "", regex=True)


def _typed(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    return frame.astype(dtypes) if len(frame) else frame.astype(dtypes, errors="ignore")


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
