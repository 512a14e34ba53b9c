"""Sentences and tokens, offline, with spaCy's rule-based English tokenizer.

No model or corpus is downloaded: ``spacy.blank("en")`` carries only rules.
Three changes to its defaults, each for news text:

* hyphenated words stay whole ("Nagorno-Karabakh", "vis-à-vis", "post-Soviet"), as in
  quanteda's default ``split_hyphens = FALSE``; en and em dashes still split, also in
  number ranges ("1998–2008");
* editorial brackets stay inside the word ("[W]e");
* more abbreviations (``data/abbreviations.txt``: Lt., Col., U.N., ...).

Sentence boundaries come from :func:`_sentence_start_flags`, a quote-aware rule:
a sentence ends at . ! ? … together with any closing quotes or brackets
attached to it, unless the next word starts in lower case (a missed abbreviation).
Paragraph breaks always end a sentence.

Speed: each paragraph is tokenized on its own, the rule runs as array operations
over all tokens of a batch of documents, and what it needs to know about a token
(its text, normal form, punctuation, ...) is worked out once per distinct token.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pandas as pd
import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, ORTH, SPACY
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex
from spacy.vocab import Vocab

from .._package import DATA_DIR

ABBREVIATIONS = DATA_DIR / "abbreviations.txt"

_SENTENCE_END = {".", "!", "?", "…", "...", "?!", "!?", "!!", "??", "?..", "!.."}
_CLOSING = set("”’»›)]}")
_STRAIGHT_QUOTES = {'"', "'"}
_NO_START = {",", ";", ":"}
_PARAGRAPH = re.compile(r"\S(?:[^\n]|\n(?![ \t]*\n))*")  # a paragraph (see paragraph_spans)
_NONSPACE = re.compile(r"\S")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# One token: an editorial insertion ("[T]he"), or a news site named by its domain ("Caliber.Az",
# "PanArmenian.Net", "Day.Az", "Armenpress.am"): spaCy splits a period between a lower-case and an
# upper-case letter (a missing space after a full stop), and the sentence rule would then end a sentence
# in the middle of the outlet's name. Top-level domains of the region's outlets and the generic ones.
_DOMAINS = "az|am|ge|ru|ua|by|kz|uz|tr|ir|net|com|org|info|news|tv"
_TOKEN_MATCH = re.compile(rf"^(?:\[[^\W\d_]{{1,3}}\][^\W\d_][\w’']*|[^\W\d_][\w-]*(?:\.[\w-]+)*\.(?i:{_DOMAINS}))$")

SENTENCE_COLUMNS = ["doc_id", "source", "sentence_id", "paragraph_id", "text", "start", "end"]
TOKEN_COLUMNS = ["doc_id", "source", "sentence_id", "position", "token", "norm",
                 "is_stop", "is_punct", "start", "end"]


_ATTRS = [ORTH, SPACY]  # all else comes from the token's type (text, lexeme flags) and the spaces
_TOKENIZER_CACHE = 250_000
_BATCH_CHARS = 2_000_000  # documents are parsed in batches of about this much text (bounds the arrays' memory)


@functools.lru_cache(maxsize=1)
def english_tokenizer() -> Language:
    """The spaCy pipeline used for every document (built once, read-only afterwards)."""
    nlp = spacy.blank("en")
    infixes = [p.replace("(?:-|–|—|--|---|——|~)", "(?:–|—|--|---|——|~)") for p in nlp.Defaults.infixes]
    infixes.append(r"(?<=[0-9])[–—](?=[0-9])")
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.token_match = _TOKEN_MATCH.match
    # spaCy caches the tokens of up to max_cache_size distinct space-separated chunks and never evicts:
    # its default 10,000 fills with a corpus's first articles; more keeps the tokenizer fast on a large
    # vocabulary (a few MB per 100,000 chunks; tokens are the same either way)
    nlp.tokenizer.max_cache_size = _TOKENIZER_CACHE
    for line in ABBREVIATIONS.read_text(encoding="utf-8").splitlines():
        abbr = line.strip()
        if abbr and not abbr.startswith("#"):
            nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    return nlp


@functools.lru_cache(maxsize=1)
def _segmenter():
    """The tokenizer :func:`parse` uses: :func:`english_tokenizer`'s, with the same rules, over a vocabulary
    whose new lexemes get no attributes.

    spaCy computes some twenty attributes (shape, like_num, like_url, ...) for every word it has not met
    before; the tables need three, which :class:`_TokenTypes` computes with the same functions once per
    distinct token. That saves a quarter of the tokenizer's time on new text. ``english_tokenizer()``
    itself is left as it is: its tokens keep all their attributes.
    """
    base = english_tokenizer().tokenizer
    tokenizer = Tokenizer(Vocab(lex_attr_getters={}), rules=base.rules, prefix_search=base.prefix_search,
                          suffix_search=base.suffix_search, infix_finditer=base.infix_finditer,
                          token_match=base.token_match, url_match=base.url_match,
                          faster_heuristics=base.faster_heuristics)
    tokenizer.max_cache_size = base.max_cache_size
    return tokenizer


def _cannot_start(text: str) -> bool:
    """A token that cannot start a sentence: lower-case word (its first letter), or closing punctuation."""
    for ch in text:
        if ch.isalpha():
            return ch.islower() or text in _CLOSING or text in _NO_START
    return text in _CLOSING or text in _NO_START


_TYPE_FIELDS = ("text", "norm", "length", "is_punct", "is_space", "is_stop", "sentence_end", "dotted", "opener",
                "closing", "straight_quote", "cannot_start")


class _TokenTypes:
    """What the sentence rule and the tokens table need to know about each token type (spaCy orth).

    Filled while one :func:`parse` call runs, so each distinct token is looked at once.
    """

    def __init__(self, vocab, lexeme_attributes: dict):
        self.vocab = vocab
        # the functions spaCy fills a lexeme's lower_, is_punct and is_space with (see _segmenter)
        self.lower, self.is_punct, self.is_space = (lexeme_attributes[a] for a in (LOWER, IS_PUNCT, IS_SPACE))
        self.ids: dict[int, int] = {}
        self.rows: list[tuple] = []
        self._arrays: dict[str, np.ndarray] = {}
        self._in_arrays = 0  # how many rows the arrays hold

    def lookup(self, orth: np.ndarray) -> np.ndarray:
        """The type number of every token of ``orth`` (spaCy ORTH hashes)."""
        inverse, unique = pd.factorize(orth)  # hashing, not sorting
        unique = unique.tolist()
        new = [h for h in unique if h not in self.ids]
        if new:
            texts = [self.vocab.strings[h] for h in new]
            norms = _normalise_types(pd.Series(texts, dtype=object)).to_numpy()
            for h, text, norm in zip(new, texts, norms):
                self.ids[h] = len(self.rows)
                self.rows.append((
                    text, norm, len(text), bool(self.is_punct(text)), bool(self.is_space(text)), norm in STOP_WORDS,
                    text in _SENTENCE_END,
                    text.endswith(".") and len(text) > 1,                   # "U.S.", "Inc."
                    text[:1].isupper() and self.lower(text) in STOP_WORDS,  # "The", "He": opens a sentence
                    text in _CLOSING, text in _STRAIGHT_QUOTES, _cannot_start(text)))
        return np.array([self.ids[h] for h in unique], dtype=np.int64)[inverse]

    def arrays(self) -> dict[str, np.ndarray]:
        """Each field of :data:`_TYPE_FIELDS` as an array indexed by type number."""
        if self._in_arrays < len(self.rows):  # append the types met since the last call
            dtypes = {"text": object, "norm": object, "length": np.int64}
            new = {name: np.array(values, dtype=dtypes.get(name, bool))
                   for name, values in zip(_TYPE_FIELDS, zip(*self.rows[self._in_arrays:]))}
            self._arrays = {name: np.concatenate([self._arrays[name], values]) if self._arrays else values
                            for name, values in new.items()}
            self._in_arrays = len(self.rows)
        return self._arrays


def _sentence_start_flags(t: dict[str, np.ndarray], spacy_: np.ndarray, first: np.ndarray,
                          counts: np.ndarray) -> np.ndarray:
    """True for the tokens that start a sentence, for paragraphs laid end to end.

    ``t`` holds each token's type properties (see :class:`_TokenTypes`), ``spacy_``
    whether a space follows it; ``first`` and ``counts`` are the paragraphs' first
    token and length. The rule, read token by token: a sentence ends at a token in
    ``_SENTENCE_END``, or at a dotted abbreviation ("U.S.", "Inc.") followed by a
    space and a capitalised stop word. The closing quotes and brackets glued to it
    (a straight quote only if glued) and a glued "?!" belong to that sentence, and
    so do the spaces after them; the next token starts a sentence unless it cannot
    (:func:`_cannot_start`). Tokens taken in that way are not looked at again as
    sentence ends. Every paragraph's first token starts a sentence.
    """
    n = len(spacy_)
    pos = np.arange(n)
    par_first = np.zeros(n, dtype=bool)
    par_first[first] = True
    glued = np.r_[False, ~spacy_[:-1]]  # no white space between token i-1 and token i
    # tokens that belong to the sentence the previous token closes
    absorbed = t["closing"] | ((t["straight_quote"] | t["sentence_end"]) & glued)
    absorbed[first] = False
    next_in_paragraph = ~np.r_[par_first[1:], True]
    ends = t["sentence_end"] | (t["dotted"] & spacy_ & next_in_paragraph & np.r_[t["opener"][1:], False])
    # an end inside the run of absorbed tokens after an earlier end belongs to that run
    last_end = np.maximum.accumulate(np.where(ends, pos, -1))
    before_run = np.maximum.accumulate(np.where(absorbed, -1, pos))  # last token at or before i not absorbed
    taken = absorbed.copy()
    taken[1:] &= last_end[:-1] >= before_run[1:]
    enders = np.flatnonzero(ends & ~taken)
    # the first token after the absorbed run, then the first after any spaces
    next_free = np.r_[np.minimum.accumulate(np.where(absorbed, n, pos)[::-1])[::-1], n]
    next_word = np.r_[np.minimum.accumulate(np.where(t["is_space"], n, pos)[::-1])[::-1], n]
    j = next_word[next_free[enders + 1]]
    j = j[j < np.repeat(first + counts, counts)[enders]]  # none past the paragraph's end
    starts = par_first
    starts[j[~t["cannot_start"][j]]] = True
    return starts


def parse(docs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences and tokens of every document in one pass (see :func:`sentences`, :func:`tokens`).

    Each paragraph is tokenized on its own: a paragraph break always ends a
    sentence and no token spans one, and spaCy's tokenizer caches far more of a
    short text (it stops caching a text's words after its first special case).
    The sentence rule and the tables are array work over batches of documents,
    and each distinct token type is examined once.
    """
    tokenizer = _segmenter()
    types = _TokenTypes(tokenizer.vocab, english_tokenizer().vocab.lex_attr_getters)
    doc_ids, sources, texts = list(docs["doc_id"]), list(docs["source"]), list(docs["text"])
    sentence_parts: list[dict[str, np.ndarray]] = []
    token_parts: list[dict[str, np.ndarray]] = []
    batch: list[int] = []
    size = 0
    for row, text in enumerate(texts):
        batch.append(row)
        size += len(text) if isinstance(text, str) else 0
        if size >= _BATCH_CHARS or row == len(texts) - 1:
            parts = _parse_batch(batch, texts, tokenizer, types)
            if parts is not None:
                sentence_parts.append(parts[0])
                token_parts.append(parts[1])
            batch, size = [], 0
    if not token_parts:
        sents = pd.DataFrame({c: [] for c in SENTENCE_COLUMNS})
        toks = pd.DataFrame({c: [] for c in TOKEN_COLUMNS if c not in ("norm", "is_stop")})
        toks["norm"] = normalise(toks["token"])
        toks["is_stop"] = toks["norm"].isin(STOP_WORDS)
        toks = toks[TOKEN_COLUMNS]
    else:
        def joined(parts, column):
            return np.concatenate([part[column] for part in parts])

        s_row, t_row = joined(sentence_parts, "row"), joined(token_parts, "row")
        t_type = joined(token_parts, "type")
        props = types.arrays()
        sents = pd.DataFrame({
            "doc_id": _strings(doc_ids, s_row), "source": _strings(sources, s_row),
            **{c: joined(sentence_parts, c) for c in ("sentence_id", "paragraph_id")},
            "text": _strings([s for part in sentence_parts for s in part["text"]]),
            **{c: joined(sentence_parts, c) for c in ("start", "end")}}, copy=False)
        toks = pd.DataFrame({
            "doc_id": _strings(doc_ids, t_row), "source": _strings(sources, t_row),
            **{c: joined(token_parts, c) for c in ("sentence_id", "position")},
            "token": _strings(props["text"], t_type),
            "norm": pd.Series(props["norm"][t_type], dtype=object), "is_stop": props["is_stop"][t_type],
            **{c: joined(token_parts, c) for c in ("is_punct", "start", "end")}}, copy=False)
        # (copy=False: the columns are new arrays, used as they are; pandas would otherwise stack the
        # columns of one dtype into one block, a copy of the whole table)
    return _typed(sents, {"sentence_id": "int64", "paragraph_id": "int64", "start": "int64", "end": "int64"}), \
        _typed(toks, {"sentence_id": "int64", "position": "int64", "start": "int64", "end": "int64",
                      "is_stop": "bool", "is_punct": "bool"})


def _parse_batch(rows: list[int], texts: list, tokenizer, types: _TokenTypes) -> tuple[dict, dict] | None:
    """Sentence and token columns for the documents ``rows`` (``row`` and ``type`` stand for the
    document and the token type: :func:`parse` turns them into strings once)."""
    blocks, par_row, par_start, par_length, par_number = [], [], [], [], []
    for row in rows:
        text = texts[row]
        if not isinstance(text, str):
            tokenizer(text)  # the tokenizer's own error for a missing or non-text value
        for number, (a, b) in enumerate(paragraph_spans(text), start=1):
            blocks.append(tokenizer(text[a:b]).to_array(_ATTRS))
            par_row.append(row)
            par_start.append(a)
            par_length.append(b - a)
            par_number.append(number)
    if not blocks:
        return None
    counts = np.fromiter(map(len, blocks), dtype=np.int64, count=len(blocks))
    first = np.cumsum(counts) - counts
    attrs = np.concatenate(blocks)
    type_of = types.lookup(attrs[:, 0])
    props = types.arrays()
    t = {name: values[type_of] for name, values in props.items() if name not in ("text", "norm", "is_stop")}
    spacy_ = attrs[:, 1] != 0
    # character offsets: each token starts where the previous one and its trailing space end
    step = t["length"] + spacy_
    if not np.array_equal(np.add.reduceat(step, first), np.array(par_length, dtype=np.int64)):
        raise RuntimeError("spaCy tokens do not cover their paragraph's text")
    offset = np.cumsum(step) - step
    idx = offset - np.repeat(offset[first] - np.array(par_start, dtype=np.int64), counts)
    starts = _sentence_start_flags(t, spacy_, first, counts)

    words = np.flatnonzero(~t["is_space"])
    row_of = np.repeat(np.array(par_row, dtype=np.int64), counts)[words]
    t_start = idx[words]
    t_end = t_start + t["length"][words]
    m = len(words)
    doc_first = np.flatnonzero(np.r_[True, row_of[1:] != row_of[:-1]])  # each document's first word
    doc_of = np.repeat(np.arange(len(doc_first)), np.diff(np.r_[doc_first, m]))
    is_start = starts[words]
    running = np.cumsum(is_start)
    sentence_id = running - running[doc_first][doc_of] + 1
    s_first = np.flatnonzero(is_start)
    s_last = np.r_[s_first[1:], m] - 1
    s_row, s_start, s_end = row_of[s_first], t_start[s_first], t_end[s_last]
    sentence_part = {
        "row": s_row, "sentence_id": sentence_id[s_first],
        "paragraph_id": np.repeat(np.array(par_number, dtype=np.int64), counts)[words][s_first],
        "text": [texts[r][a:b] for r, a, b in zip(s_row.tolist(), s_start.tolist(), s_end.tolist())],
        "start": s_start, "end": s_end}
    token_part = {
        "row": row_of, "sentence_id": sentence_id, "position": np.arange(m) - doc_first[doc_of] + 1,
        "type": type_of[words], "is_punct": t["is_punct"][words], "start": t_start, "end": t_end}
    return sentence_part, token_part


def _strings(values, take: np.ndarray | None = None):
    """``values[take]`` as a column typed as pandas types a column of these Python objects.

    Text (with None or NaN for missing values) becomes pandas' default string
    dtype, built in Arrow (much faster than converting a million Python strings);
    anything else stays a 1-d object array, for pandas to infer as it always has.
    """
    values = list(values)
    used = values if take is None else [values[i] for i in pd.unique(take)]  # the values the column holds
    kinds = {_kind(v) for v in used}
    if "text" in kinds and "other" not in kinds:
        sample = np.array(["x"] + [None] * ("none" in kinds) + [np.nan] * ("nan" in kinds), dtype=object)
        dtype = pd.DataFrame({"x": sample})["x"].dtype  # what pandas infers for such a column
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            import pyarrow as pa

            # (values the column does not hold may be anything: they become nulls that are never taken)
            column = pa.array([v if _kind(v) != "other" else None for v in values], type=pa.large_string(),
                              from_pandas=True)
            return pd.array(column if take is None else column.take(pa.array(take)), dtype=dtype)
    column = np.fromiter(values, dtype=object, count=len(values))  # never unpacked into more dimensions
    return column if take is None else column[take]


def _kind(value) -> str:
    if type(value) is str:
        return "text"
    if value is None:
        return "none"
    return "nan" if type(value) is float and value != value else "other"


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text separated by blank lines.

    A paragraph starts at a non-space character and ends before the first line
    break followed by a blank line (the matches of ``_PARAGRAPH``, found with
    two plain searches per paragraph instead of a per-character alternation).
    """
    spans = []
    nonspace, blank = _NONSPACE.search, _BLANK_LINE.search
    m = nonspace(text)
    while m is not None:
        start = m.start()
        gap = blank(text, start)
        end = gap.start() if gap is not None else len(text)
        spans.append((start, end))
        m = nonspace(text, end)
    return spans


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
