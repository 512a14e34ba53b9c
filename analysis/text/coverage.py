"""Gazetteer coverage: the frequent proper names that no gazetteer entry resolves.

:func:`unresolved_names` lists, per source (or any document column), the
capitalised word sequences of the clean text that no actor mention covers,
with how often they occur and one example sentence each, so that extending
``data/actors.csv`` (or a copy of it) for a new corpus takes minutes: read the
table from the top, add a row for each name that is an actor, run again.

How candidate names are found, sentence by sentence (:func:`analysis.sentences`):

1. **Runs of capitalised words.** A word is letters (any script, diacritics
   included) with inner hyphens or apostrophes ("Nagorno-Karabakh", "O'Brien"),
   or dotted initials ("U.S."); it is capitalised when its first letter is upper
   case. Words separated only by white space form a run; a lower-case connector
   ("of", "of the", "de", "di", "van", "von", "al", "bin", ...) joins two
   capitalised words ("Ministry of Foreign Affairs"). Punctuation, digits, any
   other lower-case word, a possessive ("Armenia's Foreign Ministry": "Armenia",
   then "Foreign Ministry") and a lower-case hyphen part ("Karabakh-based":
   "Karabakh") end a run.
2. **Never part of a name:** capitalised stop words (spaCy's English list: "The",
   "In", "But", "He", ...; "The Hague" gives "Hague"), months, weekdays and time
   zones ("September", "Sept", "Tuesday", "GMT"), abbreviated honorifics ("Mr",
   "Gen", "PM", :data:`HONORIFICS`) and lone letters ("[W]e").
3. **Common words.** A word is *common* when the corpus (``docs``) also writes it
   in lower case, or it is a stop word: a capitalised common word opens a sentence
   ("Yesterday"), is a title ("President") or headline case. A single common word
   is no name, nor is a run of common words that the corpus also writes in lower
   case ("Prime Minister" where "prime minister" occurs). One word that the corpus
   only ever shows opening a sentence (or a quotation, or after a colon) is no
   name either ("Ultimately"): there a capital says nothing.
4. **Titles.** Common words and demonyms in front of a name of two words or more
   are its title and dropped ("Foreign Minister Jeyhun Bayramov" gives "Jeyhun
   Bayramov"); in front of one word they are dropped when the corpus also has
   that word as a name on its own ("President Michel" counts as "Michel"). A name
   of two words or more that ends a run after a common word is that name alone
   ("U.S. Senator Alex Padilla" gives "Alex Padilla").
5. **Known names.** Words that overlap an actor mention (:func:`analysis.mentions`,
   ``start``/``end``) are known. A run that ends with a known person, all its
   other words common, demonyms or known, is a title and a known name ("U.S.
   President Joe Biden", "President of the Republic of Azerbaijan Ilham Aliyev"):
   no candidate; so are common words and demonyms right in front of a known name
   ("Armenian Prime Minister Nikol Pashinyan"). A run *partly* known otherwise is
   reported whole, as written, with its known words in ``known``: "Yerevan State
   University" (known: Yerevan), "Ministry of Defense of Artsakh" (known:
   Artsakh): the gazetteer knows a part, not the name. Demonyms are no mentions
   here (as in ``mentions()``'s default), so "Russian Foreign Ministry" is a
   candidate, not "Foreign Ministry".
6. **Demonyms.** A candidate whose unknown words are all demonyms ("Armenian",
   "Azerbaijanis", "Armenian-Azerbaijani", "Karabakh Armenians") is dropped: the
   gazetteer's ``demonym`` variants and a built-in list (:data:`DEMONYMS`), with
   their plurals.

Limits: a name that is also a common word ("Trend", the news agency, in a corpus
that writes "trend") is dropped by rule 3; the rules read English capitalisation
(in German every noun is capitalised), and the default gazetteer is English, so
pages in other languages list their own spellings and inflections ("Азербайджана");
a headline in title case gives runs that are not names ("Biden Says Turkey").
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from spacy.lang.en.stop_words import STOP_WORDS

UNRESOLVED_COLUMNS = ["name", "known", "n", "n_docs", "n_corpus", "example", "example_doc_id", "sentence_id"]

# one word: dotted initials ("U.S.", "F."), or letters with inner hyphens and apostrophes
_WORD = re.compile(r"(?:[^\W\d_]\.)+(?![^\W\d_])|[^\W\d_]+(?:['’‐-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’][sS]$")
_HYPHEN = re.compile(r"[‐-]")
_SPACE = re.compile(r"\s+")
# what comes before a word that opens a sentence: nothing, or an end of sentence, clause or dash, then quotes
_OPENING = re.compile(r"(?:^|[.!?…․։:;—–])[\s\"“”„«»'‘’(\[]*$")
CONNECTORS = frozenset({"of", "de", "du", "des", "del", "della", "di", "da", "do", "dos", "das", "van", "von",
                        "der", "den", "al", "el", "bin", "ibn", "ul", "la", "le"})
# months, weekdays and time zones (calendar words, never an actor)
MONTHS_AND_DAYS = frozenset(
    "GMT UTC January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun".split())
# abbreviated honorifics and ranks ("Mr", "Gen."): titles, never part of a name
HONORIFICS = frozenset("Mr Mrs Ms Mx Dr Prof Gen Lt Col Maj Capt Cpt Sgt Adm Sen Rep Gov Amb Jr Sr PM".split())
# demonyms and nationality adjectives a news corpus on the region meets (the gazetteer's own are added)
DEMONYMS = frozenset("""
    Abkhaz Abkhazian Afghan African Albanian Algerian American Arab Arabic Argentine Armenian Asian Assyrian
    Australian Austrian Azerbaijani Azeri Balkan Baltic Belarusian Belgian Brazilian British Bulgarian Canadian
    Caucasian Chechen Chinese Circassian Croatian Cypriot Czech Danish Dutch Egyptian Emirati English Estonian
    Eurasian European Finnish French Georgian German Greek Hungarian Indian Iranian Iraqi Irish Israeli Italian
    Japanese Jewish Jordanian Kazakh Kazakhstani Kurdish Kyrgyz Latvian Lebanese Lezgin Libyan Lithuanian
    Moldovan Mongolian Muslim Christian Nakhchivani Norwegian Ossetian Pakistani Palestinian Persian Polish
    Portuguese Qatari Romanian Russian Saudi Scottish Serbian Shia Shiite Slovak Slovenian Soviet Spanish Sunni
    Swedish Swiss Syrian Tajik Talysh Tatar Turkic Turkish Turkmen Ukrainian Uzbek Western Eastern Yazidi
""".split())


def unresolved_names(docs: pd.DataFrame, ments: pd.DataFrame | None = None, sents: pd.DataFrame | None = None,
                     *, gazetteer: pd.DataFrame | str | Path | None = None, by: str | None = "source",
                     min_count: int = 2) -> pd.DataFrame:
    """The capitalised word sequences no gazetteer entry resolves, per ``by`` group, most frequent first.

    ``docs``: one row per document (``doc_id``, ``text`` and the ``by`` column).
    ``ments``: actor mentions of these documents (:func:`analysis.mentions`);
    computed with ``gazetteer`` (a table from :func:`analysis.read_gazetteer`, or
    the path of a gazetteer CSV; default ``data/actors.csv``) when not given (its
    ``demonym`` rows are used either way).
    ``sents``: :func:`analysis.sentences` of ``docs``, computed when not given.
    ``by``: a column of ``docs`` ("source", "side", ...), or None for the whole corpus.
    The rules that make a candidate name are in the module's documentation.

    One row per group and name. Columns: the ``by`` column (unless None), name
    (as written, possessive removed), known (the words of the name that the
    gazetteer does resolve, one mention's words each, separated by "; "; empty for
    a wholly unknown name), n (occurrences of the name in the group's
    documents), n_docs (documents of the group it occurs in), n_corpus
    (occurrences in all of ``docs``), example (the text of one sentence it occurs
    in: the first in the group by doc_id, then position), example_doc_id and
    sentence_id (that sentence's document and its sentence number). Only names
    with n >= ``min_count`` are kept. Rows are sorted by group, then n
    (descending), then name.
    """
    from .actors import _default_gazetteer, mentions, read_gazetteer
    from .segment import sentences

    if by is not None and by not in docs.columns:
        raise ValueError(f"unresolved_names: docs has no column {by!r} (its columns: {', '.join(docs.columns)})")
    if gazetteer is None:
        table = _default_gazetteer()
    elif isinstance(gazetteer, (str, Path)):
        table = read_gazetteer(gazetteer)
    else:
        table = gazetteer
    if sents is None:
        sents = sentences(docs)
    if ments is None:
        ments = mentions(docs, table, sents=sents)
    texts = [t for t in docs["text"] if isinstance(t, str)]
    lower_words = {w for text in texts for w in _WORD.findall(text) if w[:1].islower()}
    lower_words = {_POSSESSIVE.sub("", w) for w in lower_words}
    demonyms = DEMONYMS | set(table.loc[table["variant_kind"] == "demonym", "variant"])

    def common(word: str) -> bool:
        low = word.lower()
        return low in STOP_WORDS or low in lower_words

    def demonym(word: str) -> bool:
        return _is_demonym(word, demonyms)

    covered = _coverage(ments)
    rows = []  # one per candidate occurrence (order: the sentence's row in sents)
    doc_ids, sentence_ids = sents["doc_id"].tolist(), sents["sentence_id"].tolist()
    sentence_texts, starts = sents["text"].tolist(), sents["start"].tolist()
    for order, (doc_id, sentence_id, text, start) in enumerate(zip(doc_ids, sentence_ids, sentence_texts, starts)):
        spans = covered.get(doc_id)
        for run in _runs(text):
            candidate = _candidate(run, _covered(run, start, spans), spans[2] if spans else None, common, demonym)
            if candidate is not None:
                rows.append((doc_id, sentence_id, order, text, *candidate))
    group = [] if by is None else [by]
    columns = group + UNRESOLVED_COLUMNS
    empty = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("n", "n_docs", "n_corpus", "sentence_id") else object)
                          for c in columns})
    if not rows:
        return empty
    found = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "order", "text", "name", "known", "alternative",
                                        "all_common", "at", "alternative_at"])
    # "President Michel" is "Michel" where "Michel" is also a name on its own
    alone = set(found.loc[found["alternative"].isna(), "name"])
    shorter = found["alternative"].isin(alone)
    found["name"] = found["alternative"].where(shorter, found["name"])
    found["at"] = found["alternative_at"].where(shorter, found["at"])
    found["opening"] = [_OPENING.search(text, 0, int(at)) is not None
                        for text, at in zip(found["text"], found["at"])]
    # no name: one word only ever seen opening a sentence (a sentence adverb, "Ultimately", as likely as a name),
    # demonyms alone, common words the corpus also writes in lower case
    names = found["name"].tolist()
    only_opening = found.groupby("name")["opening"].all()
    lower_case = _written_in_lower_case(sorted(set(found.loc[found["all_common"].astype(bool), "name"])), texts)
    keep = [not ((" " not in name and only_opening[name]) or all(map(demonym, name.split(" ")))
                 or name in lower_case) for name in names]
    found = found.loc[np.array(keep, dtype=bool)]
    if found.empty:
        return empty
    if by is not None:
        labels = docs.drop_duplicates("doc_id").set_index("doc_id")[by]
        found[by] = found["doc_id"].map(labels)
    found = found.sort_values(["doc_id", "order"], kind="stable")
    n_corpus = found.groupby("name").size().rename("n_corpus")
    keys = group + ["name"]
    summary = found.groupby(keys, sort=False, dropna=False).agg(
        n=("name", "size"), n_docs=("doc_id", "nunique"), known=("known", "first"), example_doc_id=("doc_id", "first"),
        sentence_id=("sentence_id", "first"), order=("order", "first")).reset_index()
    summary = summary[summary["n"] >= min_count]
    summary["n_corpus"] = summary["name"].map(n_corpus)
    summary["example"] = [sentence_texts[i] for i in summary["order"]]
    summary = summary.sort_values(group + ["n", "name"], ascending=[True] * len(group) + [False, True],
                                  kind="stable")
    return summary[columns].astype({"n": "int64", "n_docs": "int64", "n_corpus": "int64",
                                    "sentence_id": "int64"}).reset_index(drop=True)


def _coverage(ments: pd.DataFrame) -> dict:
    """Per doc_id, its mentions' starts (sorted), ends and whether each names a person."""
    out = {}
    if ments is None or ments.empty:
        return out
    frame = ments.assign(person=ments["actor_type"] == "person" if "actor_type" in ments.columns else False)
    frame = frame[["doc_id", "start", "end", "person"]].sort_values(["doc_id", "start"], kind="stable")
    for doc_id, part in frame.groupby("doc_id", sort=False):
        out[doc_id] = (part["start"].to_numpy(), part["end"].to_numpy(), part["person"].to_numpy(dtype=bool))
    return out


def _runs(text: str) -> list[list[tuple[int, int, str, bool]]]:
    """The runs of capitalised words of one sentence: lists of (start, end, word, is_connector), offsets into
    ``text``; connectors only between capitalised words."""
    runs, run, pending = [], [], []  # pending: connectors after the run's last word, joined if a name follows
    last_end, open_ = 0, False       # open_: the run can take the next word (nothing but space since its end)

    def close():
        nonlocal run, pending, open_
        if run:
            runs.append(run)
        run, pending, open_ = [], [], False

    for m in _WORD.finditer(text):
        word, a, b = m.group(), m.start(), m.end()
        joined = open_ and _SPACE.fullmatch(text, last_end, a) is not None
        if not joined:
            close()
        possessive = _POSSESSIVE.search(word) is not None and len(word) > 2
        if possessive:
            word, b = word[:-2], b - 2
        cut = False
        if word[:1].isupper() and not word.endswith("."):
            for h in _HYPHEN.finditer(word):  # "Karabakh-based": the name is "Karabakh", and the run ends there
                if not word[h.end():h.end() + 1].isupper():
                    word, b, cut = word[:h.start()], a + h.start(), True
                    break
        if len(word) == 1 and word.isalpha():  # a lone letter ("[W]e", "Plan B") is no part of a name
            close()
            continue
        if not word[:1].isupper():
            if run and (word in CONNECTORS or (word == "the" and pending and pending[-1][2] == "of")) \
                    and not possessive:
                pending.append((a, b, word, True))
                last_end, open_ = b, True
            else:
                close()
            continue
        if word.lower() in STOP_WORDS or word.rstrip(".") in MONTHS_AND_DAYS or word.rstrip(".") in HONORIFICS:
            close()
            continue
        run.extend(pending)
        pending = []
        run.append((a, b, word, False))
        last_end, open_ = b, not (possessive or cut)
        if not open_:
            close()
    close()
    return runs


def _covered(run, offset: int, spans) -> list[int]:
    """For each item of a run, the mention that overlaps it, or -1 (the run's offsets are ``offset`` + its own).
    Mentions do not overlap each other, so the last one to start before a word ends is the only one that can."""
    if spans is None:
        return [-1] * len(run)
    starts, ends = spans[0], spans[1]
    out = []
    for a, b, _, _ in run:
        j = int(np.searchsorted(starts, b + offset, side="left")) - 1  # the last mention starting before the end
        out.append(j if j >= 0 and ends[j] > a + offset else -1)
    return out


def _candidate(run, covered: list[int], person, common, demonym) -> tuple | None:
    """(name, known, alternative, whether every word is common, start, alternative's start) of one run, or None
    when it holds no unknown name (offsets into the sentence; ``covered``: each item's mention or -1;
    ``person``: whether each mention names a person).

    In order: a name of two words or more, none of them known, common or a demonym, that ends the run after a
    common word or a demonym is that name alone ("U.S. Senator Alex Padilla"). A known person
    that ends the run takes the words before it as title and affiliation ("U.S. President" Joe Biden, "President
    of the Republic of Azerbaijan" Ilham Aliyev): no name, unless one of those words is neither known, common
    nor a demonym (then the run without the person is the candidate). The common words and demonyms right in
    front of the first known word, with no connector, are its title ("Armenian Prime Minister" Nikol Pashinyan)
    and dropped. What remains with a known word is a candidate when it has a word that is neither known nor a
    demonym, reported whole ("Azerbaijan State News Agency", "Ministry of Defense of Artsakh") with ``known``
    the known words. Without a known word: the common words (and demonyms) in front of the first word that is
    neither are a title, dropped in front of two such words or more ("Foreign Minister Jeyhun Bayramov"); in
    front of one ("President Michel", but also "Defense Ministry" in a corpus that never writes "ministry") the
    rest is the alternative, taken when the corpus has it as a name on its own.
    """
    def plain(item, c):  # a word that carries no name: a connector, a common word, a demonym (or known: c >= 0)
        return c >= 0 or item[3] or common(item[2]) or demonym(item[2])

    first = len(run)
    while first and not plain(run[first - 1], covered[first - 1]):
        first -= 1
    if 0 < first <= len(run) - 2 and covered[first - 1] < 0 and not run[first - 1][3]:
        run, covered = run[first:], covered[first:]
    if covered and covered[-1] >= 0 and person[covered[-1]]:
        if all(plain(item, c) for item, c in zip(run, covered)):
            return None
        while covered and covered[-1] >= 0:
            run, covered = run[:-1], covered[:-1]
    if any(c >= 0 for c in covered):
        first = next(i for i, c in enumerate(covered) if c >= 0)
        title = run[:first]
        if title and not any(item[3] for item in title) and \
                all(common(item[2]) or demonym(item[2]) for item in title):
            run, covered = run[first:], covered[first:]
        while run and run[-1][3] and covered[-1] < 0:
            run, covered = run[:-1], covered[:-1]
        if all(demonym(item[2]) for item, c in zip(run, covered) if c < 0 and not item[3]):
            return None
        known = {}
        for item, c in zip(run, covered):
            if c >= 0:
                known.setdefault(c, []).append(item[2])
        return (" ".join(item[2] for item in run), "; ".join(" ".join(words) for words in known.values()), None,
                False, run[0][0], None)
    while run and run[0][3]:
        run = run[1:]
    while run and run[-1][3]:
        run = run[:-1]
    words = [item for item in run if not item[3]]
    if not words:
        return None
    # a capitalised connector ("Al Jazeera", "De Waal") is part of the name, never a title
    flags = [common(item[2]) and item[2].lower() not in CONNECTORS for item in words]
    if len(words) == 1 and flags[0]:
        return None
    name, alternative, start, alternative_start = " ".join(item[2] for item in run), None, run[0][0], None
    title = [f or demonym(item[2]) for f, item in zip(flags, words)]
    if title[0] and not all(title):
        rest = run[run.index(words[title.index(False)]):]
        rest_name = " ".join(item[2] for item in rest)
        if sum(not item[3] for item in rest) >= 2:
            name, start = rest_name, rest[0][0]
        else:
            alternative, alternative_start = rest_name, rest[0][0]
    return name, "", alternative, all(flags), start, alternative_start


def _is_demonym(word: str, demonyms: set[str]) -> bool:
    """A demonym, its plural, or demonyms joined by hyphens ("Armenian-Azerbaijani")."""
    return all(part in demonyms or (part.endswith("s") and part[:-1] in demonyms) for part in _HYPHEN.split(word))


def _written_in_lower_case(names: list[str], texts: list[str]) -> set[str]:
    """The names whose lower-case form occurs in ``texts`` (as whole words, words separated by any space)."""
    if not names:
        return set()
    phrases = {}
    for name in names:
        phrases.setdefault(name.lower(), []).append(name)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(
        r"\s+".join(map(re.escape, phrase.split(" "))) for phrase in sorted(phrases, key=len, reverse=True))
        + r")(?!\w)")
    seen = set()
    for text in texts:
        for m in pattern.finditer(text):
            seen.add(_SPACE.sub(" ", m.group()))
    return {name for phrase in seen for name in phrases.get(phrase, [])}
