"""Quoted spans: direct quotations (who gets a voice), distancing "scare" quotes, and titles of works.

Every span between quotation marks (curly “…” and ‘…’, straight "…" and '…')
is found and classified:

* ``quotation``: attributed speech (X said, said X, X promised, according to X,
  X's statement; a fragment in the same sentence as an attributed quotation),
  or a long quoted passage (8 or more words) even when unattributed;
* ``title``: the name of a work, after a cue such as "titled", "entitled", "book";
* ``scare_quote``: a short (at most 5 words) quoted term that nobody is said to
  have spoken: the writer marks the word as someone else's ("self-declared
  “republic”", "‘peacekeepers’");
* ``unattributed``: 6-7 quoted words with no attribution (kept apart: too long
  to be a term, too short to call speech).

The rules are lexical and transparent; check the ``sentence`` column before
citing a count.
"""
from __future__ import annotations

import bisect
import itertools
import re

import numpy as np
import pandas as pd

from .actors import _trie_regex

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|declared|declares|announced|announces|noted|notes|"
    "emphasized|emphasised|emphasizes|stressed|stresses|insisted|insists|argued|argues|claimed|claims|"
    "warned|warns|promised|promises|vowed|vows|pointed out|points out|concluded|concludes|wrote|writes|"
    "asked|asks|replied|replies|explained|explains|acknowledged|acknowledges|admitted|admits|accused|"
    "accuses|urged|urges|reported|reports|recalled|recalls|remarked|continued|suggested|suggests|"
    "condemned|condemns|denounced|tweeted|posted"
)
_VERB = rf"(?:{SPEECH_VERBS})"
# The same verbs as a trie ("s(?:a(?:id|ys?)|...)"): the engine tries a handful of branches, not a hundred. In every
# rule a verb is followed by a non-word character (\b, white space, a comma or colon, the end), and no verb is
# another verb plus a non-word character and more, so at most one verb can match at a place: trie and
# alternation give the same matches (tests/test_quotes.py checks both).
_VERB_TRIE = "(?:" + _trie_regex(SPEECH_VERBS.split("|")) + ")"
# a determiner between the verb and a quoted object: "condemned the “defeatist attitude ...”"
_OBJECT = r"(?:\s+(?:that|the|a|an|its|his|her|their|this))?"
# a speaker: a pronoun, or up to five words ("the Russian president", "Russia’s Defense Ministry")
_SPEAKER = r"(?:he|she|they|it|[\w’'.-]+(?:\s+[\w’'.-]+){0,4}?)"
_PRONOUNS = {"he", "she", "they", "it"}
_ANAPHOR = re.compile(r"^(?:according\s+to\s+)?the\s+same(?:\s+\w+)?$", re.IGNORECASE)  # "the same statement"
_NOT_SPEAKERS = {"which", "that", "who", "this", "as", "and", "but", "so", "also", "then", "and then"}

# text just before the opening quote
_BEFORE_VERB = re.compile(rf"(?P<speaker>{_SPEAKER})\s+(?:has\s+|had\s+|have\s+)?{_VERB_TRIE}{_OBJECT}\s*[,:]?\s*$",
                          re.IGNORECASE)
_BEFORE_ACCORDING = re.compile(r"according\s+to\s+(?P<speaker>[^,;:“”\"]{2,60}?)\s*,", re.IGNORECASE)
_BEFORE_STATEMENT = re.compile(rf"(?P<speaker>{_SPEAKER})(?:['’]s)?\s+(?:statement|words|remarks|message|letter|"
                               rf"post|tweet)\s*[,:]?\s*$", re.IGNORECASE)
_LABEL_VERBS = (r"describ(?:e|es|ed|ing)|label(?:s|ed|led|ing|ling)?|dub(?:s|bed|bing)?|term(?:s|ed|ing)?|"
                r"call(?:s|ed|ing)?|defin(?:e|es|ed|ing)|brand(?:s|ed|ing)?")
# "Russia defines this territory as “...”": the quoted label is the subject's
_BEFORE_LABEL_SUBJECT = re.compile(rf"(?P<speaker>{_SPEAKER})\s+(?:{_LABEL_VERBS})\s+(?:[\w’'-]+\s+){{0,3}}?(?:as\s+)?(?:the\s+)?$",
                                   re.IGNORECASE)
# "..., defining it as “...”" / "was described as “...” by X": the subject is elsewhere
_BEFORE_LABEL = re.compile(rf"(?:{_LABEL_VERBS})\s+(?:[\w’'-]+\s+){{0,3}}?(?:as\s+)?(?:the\s+)?$", re.IGNORECASE)
_EARLIER_SPEAKER_VERB = re.compile(rf"(?P<speaker>{_SPEAKER})\s+{_VERB_TRIE}\b", re.IGNORECASE)
# text just after the closing quote
_AFTER_SPEAKER_VERB = re.compile(rf"^\s*[,.]?\s*(?P<speaker>{_SPEAKER})\s+{_VERB_TRIE}\b", re.IGNORECASE)
_AFTER_VERB_SPEAKER = re.compile(rf"^\s*[,.]?\s*{_VERB_TRIE}\s+(?P<speaker>(?:the\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){{0,4}}?)"
                                 r"\s*(?:[.,;:]|$)", re.IGNORECASE)
_AFTER_BY = re.compile(r"^\s*by\s+(?P<speaker>[\w’'.-]+(?:\s+[\w’'.-]+){0,3}?)\s*(?:[.,;:]|$)", re.IGNORECASE)
_TITLE_CUE = re.compile(r"(?:titled|entitled|headlined|the\s+(?:book|novel|film|documentary|article|report|"
                        r"song|series|op-ed|column|study|paper|newspaper|programme|program))\s*[,:]?\s*$",
                        re.IGNORECASE)
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_SO_CALLED = re.compile(r"so-called\s*$", re.IGNORECASE)
# what the last word must end with where _TITLE_CUE matches
_TITLE_LAST_WORD = re.compile(r"(?:titled|entitled|headlined|book|novel|film|documentary|article|report|song|series|"
                              r"op-ed|column|study|paper|newspaper|programme|program)\Z", re.IGNORECASE)
# _BEFORE_VERB and _BEFORE_STATEMENT end the text: a speech verb (or the determiner after it) or a statement noun,
# then white space and at most one comma or colon. The last word is checked first, so the costly search (every
# start, a lazy speaker phrase) runs only where it can match.
_VERB_LAST_WORDS = re.compile("(?:" + "|".join(sorted({v.split()[-1] for v in SPEECH_VERBS.split("|")})) + ")",
                              re.IGNORECASE)
_OBJECT_WORDS = re.compile(r"(?:that|the|a|an|its|his|her|their|this)", re.IGNORECASE)
_STATEMENT_LAST_WORDS = re.compile(r"(?:statement|words|remarks|message|letter|post|tweet)", re.IGNORECASE)

# quote pairs: curly double, curly single (a ’ inside a word is an apostrophe), straight double and single
_QUOTES = [
    ("curly double", re.compile(r"“(?P<inner>[^“”\n]+)”")),
    ("curly single", re.compile(r"‘(?<!\w‘)(?P<inner>(?:[^‘’\n]|’(?=\w))+)’(?!\w)")),
    ("straight double", re.compile(r'"(?P<inner>[^"\n]+)"')),
    ("straight single", re.compile(r"'(?<!\w')(?P<inner>(?:[^'\n]|'(?=\w))+)'(?!\w)")),
]
# (an opening single quote not preceded by a word character: written "‘(?<!\w‘)" rather than "(?<!\w)‘" so
# that the pattern opens with a literal, which re finds with a fast scan instead of trying every position)
SPAN_COLUMNS = ["doc_id", "source", "sentence_id", "kind", "text", "n_words", "style", "speaker", "speaker_actor",
                "attribution", "start", "end", "sentence"]


def quoted_spans(docs: pd.DataFrame, *, sents: pd.DataFrame | None = None,
                 ments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every quoted span, classified (see the module's description).

    Columns: doc_id, source, sentence_id, kind, text (inside the quotation
    marks), n_words, style, speaker (as written, or empty), speaker_actor (the
    canonical actor when the speaker phrase names one in the gazetteer, or the
    previous speaker for "he"/"she"), attribution (which rule attributed it),
    start and end (offsets of the span with its quotation marks in the
    document's text), sentence (the sentence it starts in).
    """
    from .actors import mentions
    from .segment import sentences
    sents = sentences(docs) if sents is None else sents
    ments = mentions(docs, sents=sents) if ments is None else ments
    rows = []
    # each document's sentences (in table order) and mentions (by end), as slices of arrays built once
    sent_doc, sent_slices = _slices(sents["doc_id"])
    sent_starts, sent_ends = sents["start"].to_numpy()[sent_doc], sents["end"].to_numpy()[sent_doc]
    sent_ids = sents["sentence_id"].to_numpy()[sent_doc]
    ment_order, ment_slices = _slices(ments["doc_id"], by=ments["end"].to_numpy())
    ment_starts, ment_ends = ments["start"].to_numpy()[ment_order], ments["end"].to_numpy()[ment_order]
    ment_actors = ments["actor"].to_numpy()[ment_order]
    for doc_id, source, text in zip(docs["doc_id"], docs["source"], docs["text"]):
        where = sent_slices.get(doc_id)
        if where is None:
            continue
        found = ment_slices.get(doc_id)
        doc_ments = None if found is None else (ment_starts[found], ment_ends[found], ment_actors[found])
        rows.extend(_doc_spans(doc_id, source, text, sent_starts[where], sent_ends[where], sent_ids[where],
                               doc_ments))
    return pd.DataFrame(rows, columns=SPAN_COLUMNS)


def _slices(doc_ids: pd.Series, by: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
    """Rows grouped by document (in table order, or ordered by ``by`` within a document, ties in table order):
    the row order, and per doc_id the slice of it that holds the document's rows (documents with rows only)."""
    codes, documents = pd.factorize(doc_ids)
    keys = (np.arange(len(codes)), codes) if by is None else (np.arange(len(codes)), by, codes)
    order = np.lexsort(keys)
    order = order[codes[order] >= 0]  # no document (NaN doc_id): never looked up
    bounds = np.searchsorted(codes[order], np.arange(len(documents) + 1))
    return order, {doc: slice(int(bounds[i]), int(bounds[i + 1])) for i, doc in enumerate(documents)}


def _doc_spans(doc_id, source, text, starts, ends, sentence_ids, doc_ments) -> list[dict]:
    """The document's quoted spans; ``starts``, ``ends``, ``sentence_ids``: its sentences (in table order);
    ``doc_ments``: (starts, ends, actors) of its mentions ordered by end, or None."""
    spans = []
    for style, pattern in _QUOTES:
        # nested quotes belong to the outer quotation: skip a span that starts inside one already taken. Only the
        # earlier styles' spans can hold it (a style's own matches never overlap), so they are searched by start,
        # with the furthest end reached so far
        taken = sorted(span[:2] for span in spans)
        taken_starts = [a for a, _ in taken]
        reach = list(itertools.accumulate((b for _, b in taken), max))
        for m in pattern.finditer(text):
            i = bisect.bisect_right(taken_starts, m.start()) - 1
            if i >= 0 and reach[i] > m.start():
                continue
            spans.append((m.start(), m.end(), style, m.group("inner")))
    if not spans:
        return []
    spans.sort()
    span_starts = np.array([span[0] for span in spans])
    span_ends = np.array([span[1] for span in spans])
    first = np.maximum(np.searchsorted(starts, span_starts, side="right") - 1, 0).tolist()
    last = np.maximum(np.searchsorted(starts, span_ends - 1, side="right") - 1, 0).tolist()
    starts, ends, sentence_ids = starts.tolist(), ends.tolist(), sentence_ids.tolist()
    records = []
    for (start, end, style, inner), k, k_end in zip(spans, first, last):
        s_start, s_end = int(starts[k]), int(ends[k])
        before = text[max(s_start, start - 200):start]  # attribution sits next to the quote; bounds regex work
        after = text[end:max(int(ends[k_end]), end)]  # the rest of the sentence the quotation ends in
        records.append({
            "doc_id": doc_id, "source": source, "sentence_id": int(sentence_ids[k]),
            "text": inner.strip(), "n_words": len(_WORD.findall(inner)), "style": style,
            "start": start, "end": end, "sentence": text[s_start:s_end], "before": before, "after": after,
            "last_words": _last_words(before),
        })
    _attribute(records)
    _classify(records)
    _resolve_speakers(records, text, doc_ments)
    for r in records:
        del r["before"], r["after"], r["last_words"]
    return records


def _attribute(records: list[dict]) -> None:
    for r in records:
        before, after, last_words = r["before"], r["after"], r["last_words"]
        speaker, how = None, ""
        # a rule is only searched where the text can end (or start) as it requires; the rules anchored at the end
        # of ``before`` ($) search only its last words (see _tail); those anchored at the start of ``after`` (^)
        # are matched there rather than searched for
        for rule in _RULES:
            if rule == "speaker + verb before":
                m = _BEFORE_VERB.search(_tail(before, 12)) if _ends_with_verb(last_words) else None
            elif rule == "statement of":
                m = _BEFORE_STATEMENT.search(_tail(before, 12)) \
                    if _STATEMENT_LAST_WORDS.fullmatch(last_words[-1]) else None
            elif rule == "speaker + verb after":
                m = _AFTER_SPEAKER_VERB.match(after)
            else:
                m = _AFTER_VERB_SPEAKER.match(after)
            if m and _plausible_speaker(m.group("speaker")):
                speaker, how = _trim_speaker(m.group("speaker")), rule
                break
        if speaker is None and _BEFORE_LABEL.search(_tail(before, 8)):
            by = _AFTER_BY.match(after)
            subject = _BEFORE_LABEL_SUBJECT.search(_tail(before, 12))
            if by:
                speaker, how = _trim_speaker(by.group("speaker")), "labelled ... by"
            elif subject and _plausible_speaker(_trim_speaker(subject.group("speaker"))):
                speaker, how = _trim_speaker(subject.group("speaker")), "labelled by the subject"
            else:
                earlier = _last_speaker_with_verb(before)
                if earlier is not None and _plausible_speaker(_trim_speaker(earlier)):
                    speaker, how = _trim_speaker(earlier), "labelled by the sentence's speaker"
        if speaker is None:
            m = _BEFORE_ACCORDING.search(before)
            if m:
                speaker, how = _trim_speaker(m.group("speaker")), "according to"
        r["speaker"], r["attribution"] = speaker, how


_RULES = ("speaker + verb before", "statement of", "speaker + verb after", "verb + speaker after")


def _tail(before: str, words: int) -> str:
    """The end of ``before`` from the start of its last ``words`` white-space-delimited words.

    A rule anchored at the end ($) that spans at most n white-space-delimited words (counting one it starts
    inside of) has every match inside the last n words, so searching them finds the same leftmost match as
    searching all of ``before``, without trying every earlier position. Words spanned at most: _BEFORE_VERB 10
    (speaker 5, "has", a two-word verb, a determiner, a detached comma), _BEFORE_STATEMENT 7,
    _BEFORE_LABEL_SUBJECT 11, _BEFORE_LABEL 6, _TITLE_CUE 3, _SO_CALLED 1.
    """
    split = before.rsplit(None, words)
    return before[len(split[0]):] if len(split) > words else before


def _last_words(before: str) -> list[str]:
    """The last two white-space-delimited words (fewer if there are not), after trailing white space and one
    comma or colon are dropped; [""] when there are none. The rules anchored at the end (_BEFORE_VERB,
    _BEFORE_STATEMENT, _TITLE_CUE) end with a word, white space, at most one comma or colon, white space."""
    before = before.rstrip()
    if before[-1:] in (",", ":"):
        before = before[:-1].rstrip()
    return before.rsplit(None, 2)[-2:] or [""]


_SPEAKER_WORDS = 5  # at most, in _SPEAKER
_VERB_FIRST_WORDS = tuple(sorted({v.split()[0] for v in SPEECH_VERBS.split("|")}))
_VERB_FIRST = re.compile("(?:" + "|".join(_VERB_FIRST_WORDS) + ")", re.IGNORECASE)
_NON_SPACE = re.compile(r"\S+")


def _last_speaker_with_verb(before: str) -> str | None:
    """The speaker of the last match of _EARLIER_SPEAKER_VERB in ``before`` (None if there is none).

    A match's speech verb follows white space, so it opens a white-space-delimited word, and its speaker
    starts at most _SPEAKER_WORDS words earlier: the scan starts there, not at every earlier position.
    """
    words = [(m.start(), m.group()) for m in _NON_SPACE.finditer(before)]
    first = next((i for i, (_, word) in enumerate(words) if _may_open_verb(word)), None)
    if first is None:
        return None
    start = words[max(first - _SPEAKER_WORDS, 0)][0]
    last = None
    for match in _EARLIER_SPEAKER_VERB.finditer(before, start):
        last = match
    return None if last is None else last.group("speaker")


def _may_open_verb(word: str) -> bool:
    """Whether a speech verb of SPEECH_VERBS can start at the start of ``word`` (compared as re.IGNORECASE)."""
    if word.isascii():  # for ASCII text, re.IGNORECASE against lower-case ASCII letters is str.lower()
        return word.lower().startswith(_VERB_FIRST_WORDS)
    return _VERB_FIRST.match(word) is not None


def _ends_with_verb(last_words: list[str]) -> bool:
    """Whether the text can end as _BEFORE_VERB requires: a speech verb, or a speech verb and a determiner
    (each preceded by white space in the rule, so each is a whole white-space-delimited word)."""
    if _VERB_LAST_WORDS.fullmatch(last_words[-1]):
        return True
    return len(last_words) == 2 and bool(_OBJECT_WORDS.fullmatch(last_words[-1])) \
        and bool(_VERB_LAST_WORDS.fullmatch(last_words[0]))


def _plausible_speaker(phrase: str) -> bool:
    words = phrase.strip().split()
    return bool(words) and phrase.strip().lower() not in _NOT_SPEAKERS and words[-1].lower() not in _NOT_SPEAKERS


def _trim_speaker(phrase: str) -> str:
    """Keep the speaker's noun phrase: drop leading clauses ("In a New Year’s statement, Harutiunian")."""
    phrase = re.split(r"[,;:()]", phrase)[-1].strip().rstrip(".")
    phrase = re.sub(r"^.*\bthat\s+", "", phrase, flags=re.IGNORECASE)  # "given the fact that Russia" -> "Russia"
    return re.sub(r"^(?:and|but|while|as|then|so)\s+", "", phrase, flags=re.IGNORECASE)


_SPOKEN = ("speaker + verb before", "statement of", "speaker + verb after", "verb + speaker after", "according to",
           "labelled by the sentence's speaker")


def _classify(records: list[dict]) -> None:
    spoken: dict[int, dict] = {}  # per sentence: its latest record so far attributed to a speaker
    for r in records:
        # a short fragment after a spoken quotation in the same sentence continues that statement
        earlier = spoken.get(r["sentence_id"])
        if r["attribution"] in _SPOKEN:  # (a fragment's attribution, set below, is not in _SPOKEN)
            spoken[r["sentence_id"]] = r
        if _TITLE_LAST_WORD.search(r["last_words"][-1]) and _TITLE_CUE.search(_tail(r["before"], 4)):
            r["kind"] = "title"
        elif r["speaker"]:
            r["kind"] = "quotation"
        elif r["n_words"] <= 5 and earlier is not None and r["style"].endswith("double") \
                and not _SO_CALLED.search(_tail(r["before"], 2)):
            r["kind"], r["speaker"] = "quotation", earlier["speaker"]
            r["attribution"] = "fragment of the same statement"
        elif r["n_words"] >= 8:
            r["kind"] = "quotation"
        elif r["n_words"] <= 5:
            r["kind"] = "scare_quote"
        else:
            r["kind"] = "unattributed"


def _resolve_speakers(records: list[dict], text: str, doc_ments: tuple | None) -> None:
    """Map a speaker phrase to a canonical actor; "he"/"she" to the previous speaker of the document.

    ``doc_ments``: (starts, ends, actors) of the document's mentions, ordered by end (None when it has none).
    """
    previous_actor, previous_speaker = None, None
    for r in records:
        r["speaker_actor"] = None
        speaker = r["speaker"]
        if not speaker:
            continue
        if speaker.lower() in _PRONOUNS or _ANAPHOR.match(speaker):
            r["speaker_actor"] = previous_actor
            if previous_speaker:
                r["attribution"] += f"; '{speaker}' read as the previous speaker"
                r["speaker"] = previous_speaker
            continue
        actor = _actor_in(speaker, r, text, doc_ments)
        r["speaker_actor"] = actor
        previous_actor, previous_speaker = actor, speaker


def _actor_in(speaker: str, r: dict, text: str, doc_ments: tuple | None) -> str | None:
    """The actor the speaker phrase names: (starts, ends, actors) of the document's mentions, sorted by end."""
    if doc_ments is None:
        return None
    window_start = text.rfind(speaker, max(r["start"] - 200, 0), r["start"])
    if window_start < 0:
        window_start = text.find(speaker, r["end"], r["end"] + 200)
    if window_start < 0:
        return None
    starts, ends, actors = doc_ments
    inside = np.flatnonzero((starts >= window_start) & (ends <= window_start + len(speaker)))
    # the head of an English noun phrase comes last: "Balasanian’s Karabakh-based Justice Party" is the party
    return actors[inside[-1]] if len(inside) else None


def scare_quotes(docs: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Distancing quotes: short quoted terms nobody is said to have spoken (kind == "scare_quote").

    Columns as :func:`quoted_spans` (speaker columns are empty). Options as
    :func:`quoted_spans` (``sents=``, ``ments=``).
    """
    spans = quoted_spans(docs, **kwargs)
    return spans[spans["kind"] == "scare_quote"].drop(
        columns=["speaker", "speaker_actor", "attribution"]).reset_index(drop=True)


def quotations(docs: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Direct quotations and who is quoted (kind == "quotation"); see :func:`quoted_spans`."""
    spans = quoted_spans(docs, **kwargs)
    return spans[spans["kind"] == "quotation"].reset_index(drop=True)


def voices(quotes: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """Who gets a voice: per group and speaker, the number of quotations and quoted words.

    The speaker is the canonical actor when known, else the phrase as written
    ("the foundation"), else "(unattributed)". Columns: ``by``, speaker,
    n_quotations, n_words, share_of_words (of all quoted words in the group, 0..1).
    """
    speaker = quotes["speaker_actor"].fillna(quotes["speaker"]).fillna("(unattributed)")
    table = (quotes.assign(voice=speaker).groupby([by, "voice"], sort=True)
             .agg(n_quotations=("text", "size"), n_words=("n_words", "sum")).reset_index()
             .rename(columns={"voice": "speaker"}))
    return voice_table(table, by)


def voice_table(counts: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """:func:`voices` from counts: ``counts`` (``by``, speaker, n_quotations, n_words, summable over documents)."""
    if counts.empty:
        return pd.DataFrame(columns=[by, "speaker", "n_quotations", "n_words", "share_of_words"])
    table = counts.groupby([by, "speaker"], sort=True)[["n_quotations", "n_words"]].sum().reset_index()
    table["share_of_words"] = table["n_words"] / table.groupby(by)["n_words"].transform("sum")
    return table.sort_values([by, "n_words", "speaker"], ascending=[True, False, True], kind="stable"
                             ).reset_index(drop=True)


def scare_quote_terms(spans: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """How often each term is held in distancing quotes, per group: ``by``, term (trailing punctuation
    dropped), times; most frequent first. ``spans`` is :func:`quoted_spans` (or :func:`scare_quotes`) output."""
    scare = spans[spans["kind"] == "scare_quote"] if "kind" in spans.columns else spans
    terms = scare.assign(term=scare["text"].str.strip(" ,.;:")).groupby([by, "term"]).size().rename("times")
    return terms.reset_index().sort_values([by, "times", "term"], ascending=[True, False, True]).reset_index(drop=True)
