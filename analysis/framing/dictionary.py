"""User dictionaries: read them in quanteda's formats, look them up in texts, count the matches.

The counterpart of quanteda's ``dictionary()``, ``tokens_lookup()`` and
``dfm_lookup()``, on the package's tidy tables::

    d = read_dictionary("my_dictionary.yml")          # or .dic (LIWC), .csv, a dict, a DataFrame
    found = dictionary_matches(docs, d, levels=1)      # one row per match (the evidence)
    dictionary_counts(found, docs, by="source")        # matches per key and outlet, per 1,000 words

A dictionary is a tree of keys ("economy" > "positive") whose leaves are
patterns ("growth", "recover*", "cease fire"). :func:`read_dictionary` returns
it as a table, one row per (key, pattern): key (the path joined with "."),
level1, level2, ... (one column per nesting level, "" below a key's depth),
pattern and exclude (false friends, "" if none).

Formats, and how they follow quanteda's readers (R/dictionaries.R):

* YAML (``.yml``/``.yaml``, quanteda's ``dictionary(file = "x.yml")``): a mapping of
  keys to lists of patterns, nested to any depth. Also as quanteda reads it: a key
  may hold a single pattern instead of a list, a list may hold sub-keys (mappings)
  among its patterns, a key repeated at one level is merged, and the ``__`` key
  that quanteda's ``as.yaml()`` writes for the patterns of a key that also has
  sub-keys holds that key's own patterns; a key with no patterns is ignored (with a
  warning). Not as quanteda: patterns are read as written (``yes`` and ``12`` in a
  list are the patterns "yes" and "12"), where quanteda's YAML loader turns them
  into a logical or a number and then refuses them.
* LIWC ``.dic``: the category block between the first two lines that are ``%``
  (``number<white space>name``), then one line per word (``word<TAB>1<TAB>3``).
  As quanteda: blank lines are ignored, a word may belong to several categories,
  ``*`` marks any word ending, phrases ("kind of") are allowed, category lines
  indented with tabs nest under the last less indented category above them (the
  LIWC 2015 hierarchy), lines with ``<of>`` are skipped and parenthesised
  expressions in word lines (LIWC 2007's context rules such as
  ``like<TAB>(02 134)125/464``) are removed, both with a warning, and the word is
  kept with whatever category numbers remain. Not as quanteda: a word that refers
  to a category number the header does not define is an error (quanteda drops it
  with a note); a word line with no category number is an error; a category line
  ``number<TAB>name<TAB>(description)`` is keyed by the name, the parenthesised
  description dropped (quanteda keys it by the last field); a word line without a
  tab is split before its trailing numbers, so a phrase with a digit survives.
* CSV (this package's own): columns ``category`` (or ``key``), ``term`` (or
  ``pattern``), optional ``exclude``; a category "economy.positive" nests.
  ``exclude`` is :mod:`analysis.framing.frames`' false friends: ``|``-separated longer
  phrases or words, each containing the term; a match inside one is dropped.
* A Python dict (quanteda's ``dictionary(list(...))``): {key: [patterns] or
  pattern or {subkey: ...}}. Or a DataFrame with the columns of the CSV or of
  :func:`read_dictionary`'s output.

Matching (quanteda's ``tokens_lookup``) is on the document text, at word
boundaries, with :func:`analysis.text.lexicon.lexicon_matches`. ``valuetype``:
"glob" (quanteda's default: ``*`` any word characters, ``?`` one), "fixed"
(literal) or "regex" (a regular expression that must match whole words: unlike
quanteda, where a regex matches any token *containing* a match, write
``\\w*tax\\w*`` for that). Case-insensitive unless ``case_sensitive``; quanteda
lower-cases patterns when it reads a file (``tolower = TRUE``) and we keep them
as written, which only matters with ``case_sensitive=True``. ``levels`` is
quanteda's: the levels of the key path that name a match ("economy.positive"
with ``levels=1`` counts as "economy", with ``levels=2`` as "positive", with
``levels=[1, 2]`` as "economy.positive"); a pattern with no key at the kept
levels (a top-level key's own patterns with ``levels=2``) is not looked up, as
in quanteda. Within one (possibly truncated) key overlapping matches count once,
the longest pattern winning; the same words may count for two keys (a LIWC word
in two categories counts in both), as in quanteda.

Differences from quanteda's token matching: quanteda matches whole tokens,
so with its default tokenizer "tax*" matches the token "tax-free" once; here
``*`` stops at a hyphen or apostrophe ("tax*" matches "tax" in "tax-free", and
"free*" matches "free" in it). Exclusions are always glob and case-insensitive.
quanteda's ``exclusive = FALSE``, ``nomatch`` and ``capkeys`` are not provided
(the matches table keeps the matched text, and unmatched text is simply not in it).
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CorpusError, CorpusWarning
from .frames import _drop_excluded, exclusion_problem
from ..text.lexicon import attach_sentences, glob_to_regex, lexicon_matches

FORMATS = {".yml": "yaml", ".yaml": "yaml", ".dic": "liwc", ".csv": "csv"}
FORMAT_NAMES = {"yaml": "yaml", "yml": "yaml", "liwc": "liwc", "dic": "liwc", "csv": "csv"}
VALUETYPES = ("glob", "regex", "fixed")
PARENT_VALUES = "__"  # quanteda's as.yaml: the patterns of a key that also has sub-keys

# one entry: (key path, pattern, exclude, where: "file, line N" for messages)
_Entry = tuple[tuple[str, ...], str, str, str]


def read_dictionary(source, *, format: str | None = None) -> pd.DataFrame:
    """A dictionary as a tidy table: one row per (key, pattern).

    ``source``: a path (``.yml``/``.yaml``: quanteda's YAML; ``.dic``: LIWC;
    ``.csv``: category, term[, exclude]), a dict ({key: [patterns] | pattern |
    {subkey: ...}}) or a DataFrame (the CSV's columns, or this function's output).
    ``format`` ("yaml", "liwc", "csv") overrides the file extension.

    Columns: key (the key path joined with "."), level1 ... levelN (one column
    per nesting level of the deepest key; "" below a shallower key), pattern (as
    written, white space trimmed), exclude (``|``-separated false friends, "" if
    none). Rows keep the dictionary's order; a pattern repeated under one key is
    kept once (the first). Raises :class:`CorpusError` naming the file and line
    of malformed input, and for a dictionary without patterns.
    """
    if isinstance(source, pd.DataFrame):
        entries, where = _table_entries(source, "dictionary table"), "dictionary table"
    elif isinstance(source, Mapping):
        where = "dictionary"
        entries = []
        _object_entries(source, (), where, entries)
    elif isinstance(source, (str, Path)):
        path = Path(source)
        where = str(path)
        kind = _format_of(path, format)
        if not path.is_file():
            raise CorpusError(f"{path}: no such dictionary file")
        reader = {"yaml": _read_yaml, "liwc": _read_liwc, "csv": _read_csv}[kind]
        entries = reader(path)
    else:
        raise TypeError(f"a dictionary is a path, a dict or a DataFrame, not {type(source).__name__}")
    return _tidy(entries, where)


def dictionary_matches(docs: pd.DataFrame, dictionary, *, sents: pd.DataFrame | None = None,
                       levels: int | Iterable[int] | None = None, case_sensitive: bool = False,
                       valuetype: str = "glob") -> pd.DataFrame:
    """Every match of a dictionary in the documents (quanteda's ``tokens_lookup``, kept as evidence).

    ``dictionary``: anything :func:`read_dictionary` reads, or its output.
    ``levels``: the key levels (1 = top) that name a match, as quanteda's
    ``levels`` (an int or a list; None: all, the full key). ``valuetype``: "glob",
    "regex" or "fixed" (see the module notes). ``sents``: :func:`analysis.sentences`
    of ``docs`` (computed when None).

    Columns: doc_id, source, sentence_id, key (the key path at ``levels``, joined
    with "."), pattern (the dictionary entry), match (the text as written), start,
    end (character offsets into the document's text), sentence (its text). Within
    one key overlapping matches count once (the longest pattern); the same words
    may count for two keys. A match inside one of its pattern's exclusions is
    dropped. ``.attrs["dictionary_keys"]`` lists every key looked up, matched or
    not, in dictionary order (what :func:`dictionary_counts` reports).
    """
    from ..text.segment import sentences
    if valuetype not in VALUETYPES:
        raise ValueError(f"valuetype must be one of {', '.join(VALUETYPES)}, not {valuetype!r}")
    table = read_dictionary(dictionary)
    keys = _keys_at(table, levels)
    table = table.assign(key=keys)[keys != ""].reset_index(drop=True)
    patterns = [_pattern_regex(p, valuetype) for p in table["pattern"]]
    try:
        found = lexicon_matches(docs["text"], patterns, groups=list(table["key"]),
                                ignore_case=not case_sensitive)
    except ValueError as err:
        raise ValueError(f"dictionary {err}") from None
    found = _drop_excluded(docs["text"], found, table)
    sents = sentences(docs) if sents is None else sents
    rows = found["row"].to_numpy()
    found = found.assign(doc_id=docs["doc_id"].to_numpy()[rows], source=docs["source"].to_numpy()[rows])
    found = found.join(table[["key", "pattern"]], on="pattern_id")
    found = attach_sentences(found, sents)
    found = found.merge(sents[["doc_id", "sentence_id", "text"]].rename(columns={"text": "sentence"}),
                        on=["doc_id", "sentence_id"], how="left")
    columns = ["doc_id", "source", "sentence_id", "key", "pattern", "match", "start", "end", "sentence"]
    result = found[columns].sort_values(["doc_id", "start", "key"], kind="stable").reset_index(drop=True)
    result.attrs["dictionary_keys"] = list(dict.fromkeys(table["key"]))
    return result


def dictionary_counts(matches: pd.DataFrame, docs: pd.DataFrame, by: str = "source", *,
                      toks: pd.DataFrame | None = None, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Matches per key and group (quanteda's ``dfm_lookup`` counts, grouped; ``by`` is any docs column).

    ``matches``: :func:`dictionary_matches` output. ``toks``: :func:`analysis.tokens`
    of ``docs`` (computed when None). ``keys``: the keys to report (default: those
    :func:`dictionary_matches` looked up, else those in ``matches``).

    Columns: ``by``, key, count (matches), n_sentences (sentences with at least
    one match of the key), n_words (word tokens, punctuation excluded, in the
    group), per_1000_words (count per 1,000 words; NaN for a group without words).
    Every key appears for every group of ``docs``, with zeros where it never matched.
    """
    from ..text.segment import tokens
    toks = tokens(docs) if toks is None else toks
    if keys is None:
        keys = matches.attrs.get("dictionary_keys") or sorted(matches["key"].unique())
    keys = list(dict.fromkeys(list(keys) + sorted(set(matches["key"]) - set(keys))))
    group_of = pd.Series(docs[by].to_numpy(), index=docs["doc_id"].to_numpy())
    per_doc = toks["doc_id"][~toks["is_punct"].to_numpy(dtype=bool)].value_counts(sort=False)
    words = per_doc.groupby(per_doc.index.map(group_of).rename("group")).sum()
    groups = sorted(pd.unique(docs[by].dropna()))
    matched = matches.assign(group=matches["doc_id"].map(group_of))
    count = matched.groupby(["group", "key"]).size().rename("count")
    n_sentences = (matched.drop_duplicates(["group", "key", "doc_id", "sentence_id"])
                   .groupby(["group", "key"]).size().rename("n_sentences"))
    grid = pd.MultiIndex.from_product([groups, keys], names=["group", "key"])
    table = pd.concat([count, n_sentences], axis=1).reindex(grid).fillna(0).astype("int64").reset_index()
    table["n_words"] = table["group"].map(words).fillna(0).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["per_1000_words"] = np.where(table["n_words"] > 0,
                                           table["count"] / table["n_words"].where(table["n_words"] > 0) * 1000,
                                           np.nan)
    return table.rename(columns={"group": by})[[by, "key", "count", "n_sentences", "n_words", "per_1000_words"]]


# --- matching -----------------------------------------------------------------------------------------------------

def _pattern_regex(pattern: str, valuetype: str) -> str:
    """A dictionary pattern as the regex :func:`lexicon_matches` looks for (white space between words: any)."""
    if valuetype == "regex":
        return pattern
    if valuetype == "fixed":
        return r"\s+".join(re.escape(word) for word in pattern.split())
    return glob_to_regex(pattern).replace(r"\?", r"\w")  # glob: * any word ending (lexicon's), ? one character


def _level_columns(table: pd.DataFrame) -> list[str]:
    found = [c for c in table.columns if re.fullmatch(r"level\d+", str(c))]
    return sorted(found, key=lambda c: int(c[5:]))


def _keys_at(table: pd.DataFrame, levels) -> pd.Series:
    """Each row's key at ``levels`` (quanteda's flatten_dictionary): the names at those levels, joined by "."."""
    if levels is None:
        return table["key"]
    wanted = [levels] if isinstance(levels, (int, np.integer)) else list(levels)
    if not wanted or any(not isinstance(lv, (int, np.integer)) or isinstance(lv, bool) or lv < 1 for lv in wanted):
        raise ValueError(f"levels must be positive integers (1 = the top level), not {levels!r}")
    columns = _level_columns(table)
    kept = [f"level{lv}" for lv in sorted(set(int(lv) for lv in wanted)) if f"level{lv}" in columns]
    if not kept:
        return pd.Series([""] * len(table), index=table.index)
    return pd.Series([".".join(name for name in names if name) for names in table[kept].itertuples(index=False)],
                     index=table.index, dtype=object)


# --- reading -------------------------------------------------------------------------------------------------------

def _format_of(path: Path, format: str | None) -> str:
    if format is not None:
        kind = FORMAT_NAMES.get(str(format).lower())
        if kind is None:
            raise ValueError(f"unknown dictionary format {format!r} (use yaml, liwc or csv)")
        return kind
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise CorpusError(f"{path}: unknown dictionary file extension {path.suffix!r} "
                          f"(use {', '.join(FORMATS)}, or give format=)")
    return kind


def _read_text(path: Path) -> str:
    """A dictionary file's text: UTF-8 (a BOM dropped), else Windows-1252 (older LIWC files)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _tidy(entries: list[_Entry], where: str) -> pd.DataFrame:
    if not entries:
        raise CorpusError(f"{where}: the dictionary is empty (no key has a pattern)")
    depth = max(len(path) for path, *_ in entries)
    seen: set[tuple[tuple[str, ...], str]] = set()
    rows = []
    for path, pattern, exclude, _ in entries:
        if (path, pattern) in seen:
            continue
        seen.add((path, pattern))
        rows.append([".".join(path), *path, *[""] * (depth - len(path)), pattern, exclude])
    columns = ["key", *[f"level{i}" for i in range(1, depth + 1)], "pattern", "exclude"]
    return pd.DataFrame(rows, columns=columns)


def _check_pattern(pattern: str, path: tuple[str, ...], where: str) -> str:
    pattern = pattern.strip()
    if not pattern:
        raise CorpusError(f"{where}: empty pattern under key {'.'.join(path)!r}")
    return pattern


def _check_key(key: str, where: str) -> str:
    key = key.strip()
    if not key:
        raise CorpusError(f"{where}: empty key name")
    return key


def _empty_key(path: tuple[str, ...], where: str) -> None:
    warnings.warn(f"{where}: key {'.'.join(path)!r} has no patterns; it is ignored", CorpusWarning, stacklevel=4)


def _object_entries(value, path: tuple[str, ...], where: str, out: list[_Entry]) -> None:
    """Entries of a Python dictionary {key: [patterns] | pattern | {subkey: ...}} (quanteda's list2dictionary)."""
    if isinstance(value, Mapping):
        if not value and path:
            _empty_key(path, where)
        for key, child in value.items():
            if not isinstance(key, str):
                raise CorpusError(f"{where}: key {key!r} under {'.'.join(path) or 'the top level'!r} is not text")
            if key.strip() == PARENT_VALUES and path:
                _object_entries(child, path, where, out)
            else:
                _object_entries(child, path + (_check_key(key, where),), where, out)
    elif not path:
        raise CorpusError(f"{where}: a dictionary is a mapping of keys to patterns, not {type(value).__name__}")
    elif isinstance(value, str):
        out.append((path, _check_pattern(value, path, where), "", where))
    elif value is None:
        _empty_key(path, where)
    elif isinstance(value, (list, tuple)):
        if not value:
            _empty_key(path, where)
        for item in value:
            if isinstance(item, (Mapping, list, tuple)):
                _object_entries(item, path, where, out)
            elif isinstance(item, str):
                out.append((path, _check_pattern(item, path, where), "", where))
            else:
                raise CorpusError(f"{where}: pattern {item!r} under key {'.'.join(path)!r} is not text")
    else:
        raise CorpusError(f"{where}: pattern {value!r} under key {'.'.join(path)!r} is not text")


def _read_yaml(path: Path) -> list[_Entry]:
    import yaml
    text = _read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = " ".join(str(p) for p in (getattr(err, "context", None), getattr(err, "problem", None)) if p)
        raise CorpusError(f"{path}{line}: not valid YAML: {problem or err}") from None
    entries: list[_Entry] = []
    if root is not None:
        _node_entries(root, (), path, entries)
    return entries


def _node_entries(node, keys: tuple[str, ...], path: Path, out: list[_Entry]) -> None:
    """Entries of a composed YAML node; scalars are read as written, so every message can name its line."""
    import yaml
    where = f"{path}, line {node.start_mark.line + 1}"
    if isinstance(node, yaml.MappingNode):
        if not node.value and keys:
            _empty_key(keys, where)
        for key_node, value_node in node.value:
            key_where = f"{path}, line {key_node.start_mark.line + 1}"
            if not isinstance(key_node, yaml.ScalarNode):
                raise CorpusError(f"{key_where}: a key must be a name, not a list or mapping")
            if key_node.value.strip() == PARENT_VALUES and keys:
                _node_entries(value_node, keys, path, out)  # as.yaml's "__": the parent key's own patterns
            else:
                _node_entries(value_node, keys + (_check_key(key_node.value, key_where),), path, out)
    elif not keys:
        raise CorpusError(f"{where}: a dictionary is a mapping of keys to patterns (key: [pattern, ...]), "
                          f"not a {'list' if isinstance(node, yaml.SequenceNode) else 'single value'}")
    elif isinstance(node, yaml.SequenceNode):
        if not node.value:
            _empty_key(keys, where)
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                out.append((keys, _check_pattern(item.value, keys, f"{path}, line {item.start_mark.line + 1}"),
                            "", f"{path}, line {item.start_mark.line + 1}"))
            else:  # sub-keys (or a nested list) among the patterns, as R's yaml reader gives them to quanteda
                _node_entries(item, keys, path, out)
    elif node.tag == "tag:yaml.org,2002:null":
        _empty_key(keys, where)
    else:
        out.append((keys, _check_pattern(node.value, keys, where), "", where))


_CATEGORY_LINE = re.compile(r"(\d+)\s+(.+)")
_TRAILING_NUMBERS = re.compile(r"(.+?)\s+(\d+(?:\s+\d+)*)")


def _read_liwc(path: Path) -> list[_Entry]:
    lines = _read_text(path).split("\n")
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise CorpusError(f"{path}, line {marks[0] + 1 if marks else 1}: a LIWC dictionary starts with its "
                          f"categories between two lines '%' ('%', '1<TAB>name', ..., '%'); "
                          f"{'only one' if marks else 'none'} found")
    first, second = marks[0], marks[1]
    for n in range(first):
        if lines[n].strip():
            raise CorpusError(f"{path}, line {n + 1}: text before the category block's opening '%'")
    categories: dict[int, tuple[str, ...]] = {}
    stack: list[tuple[int, tuple[str, ...]]] = []  # (indent, path) of the categories above, for LIWC 2015 nesting
    for n in range(first + 1, second):
        raw = lines[n]
        line = raw.strip()
        if not line:
            continue
        match = _CATEGORY_LINE.fullmatch(line)
        if not match:
            raise CorpusError(f"{path}, line {n + 1}: a category line is 'number<TAB>name', not {line!r}")
        number = int(match.group(1))
        fields = [f.strip() for f in re.split(r"\t+", match.group(2)) if f.strip()]
        named = [f for f in fields if not re.fullmatch(r"\(.*\)", f)] or [f.strip("()") for f in fields]
        name = named[-1]
        if number in categories:
            raise CorpusError(f"{path}, line {n + 1}: category number {number} is defined twice")
        indent = len(raw) - len(raw.lstrip("\t"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        category_path = (stack[-1][1] if stack else ()) + (name,)
        stack.append((indent, category_path))
        categories[number] = category_path
    if not categories:
        raise CorpusError(f"{path}, line {second + 1}: no categories between the two '%' lines")
    entries: list[_Entry] = []
    skipped_of, parenthesised = [], []
    for n in range(second + 1, len(lines)):
        line = lines[n].strip()
        if not line:
            continue
        where = f"{path}, line {n + 1}"
        if "<of>" in line:
            skipped_of.append(n + 1)
            continue
        if re.search(r"\(.+\)", line):  # as quanteda: the parenthesised expression is removed
            parenthesised.append(n + 1)
            line = re.sub(r"\(.+\)", " ", line).strip()
        if "\t" in line:
            word, rest = line.split("\t", 1)
        else:
            match = _TRAILING_NUMBERS.fullmatch(line)
            word, rest = (match.group(1), match.group(2)) if match else (line, "")
        word = word.strip()
        numbers = [int(x) for x in re.findall(r"\d+", rest)]
        if not word:
            raise CorpusError(f"{where}: a word line is 'word<TAB>category number(s)', not {lines[n].strip()!r}")
        if not numbers:
            raise CorpusError(f"{where}: word {word!r} has no category number")
        for number in dict.fromkeys(numbers):
            if number not in categories:
                raise CorpusError(f"{where}: word {word!r} refers to category {number}, which the header "
                                  f"(lines {first + 1}-{second + 1}) does not define")
            entries.append((categories[number], word, "", where))
    if skipped_of:
        warnings.warn(f"{path}: {len(skipped_of)} line(s) with the unsupported <of> tag ignored "
                      f"(line {', '.join(map(str, skipped_of[:10]))})", CorpusWarning, stacklevel=3)
    if parenthesised:
        warnings.warn(f"{path}: parenthesised expressions ignored in line {', '.join(map(str, parenthesised[:10]))}",
                      CorpusWarning, stacklevel=3)
    # keys in the header's order (quanteda's), each key's patterns in file order
    order = {category_path: i for i, category_path in enumerate(categories.values())}
    return sorted(entries, key=lambda e: order[e[0]])


def _read_csv(path: Path) -> list[_Entry]:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        line = re.search(r"line (\d+)", str(err))
        raise CorpusError(f"{path}{', line ' + line.group(1) if line else ''}: cannot read the dictionary: "
                          f"{err}") from None
    return _table_entries(table, str(path), first_line=2)


def _table_entries(table: pd.DataFrame, where: str, first_line: int | None = None) -> list[_Entry]:
    """Entries of a dictionary table: read_dictionary's output (level columns) or category/key, term/pattern[, exclude]."""
    levels = _level_columns(table)
    key_column = next((c for c in ("category", "key") if c in table.columns), None)
    term_column = next((c for c in ("term", "pattern") if c in table.columns), None)
    if term_column is None or (key_column is None and not levels):
        raise CorpusError(f"{where}: a dictionary table needs columns category (or key) and term (or pattern)"
                          f"{', and may have exclude' if 'exclude' not in table.columns else ''}; "
                          f"it has {', '.join(map(str, table.columns)) or 'none'}")
    entries: list[_Entry] = []
    for i, row in enumerate(table.itertuples(index=False)):
        values = dict(zip(table.columns, row))
        here = f"{where}, line {i + first_line}" if first_line is not None else f"{where}, row {i + 1}"
        if levels:
            path = tuple(str(values[c]).strip() for c in levels
                         if isinstance(values[c], str) and values[c].strip())
        else:
            key = "" if pd.isna(values[key_column]) else str(values[key_column])
            path = tuple(part.strip() for part in key.split("."))
            if any(not part for part in path):
                raise CorpusError(f"{here}: empty {key_column} {key!r}")
        if not path:
            raise CorpusError(f"{here}: empty key")
        term = "" if pd.isna(values[term_column]) else str(values[term_column])
        if not term.strip():
            raise CorpusError(f"{here}: empty {term_column} under key {'.'.join(path)!r}")
        exclude = values.get("exclude", "")
        exclude = "" if exclude is None or (not isinstance(exclude, str) and pd.isna(exclude)) else str(exclude).strip()
        problem = exclusion_problem(term.strip(), exclude) if exclude else None
        if problem:
            raise CorpusError(f"{here}: {problem}")
        entries.append((path, term.strip(), exclude, here))
    return entries
