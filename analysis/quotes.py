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

import re

import numpy as np
import pandas as pd

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|declared|declares|announced|announces|noted|notes|"
    "emphasized|emphasised|emphasizes|stressed|stresses|insisted|insists|argued|argues|claimed|claims|"
    "warned|warns|promised|promises|vowed|vows|pointed out|points out|concluded|concludes|wrote|writes|"
    "asked|asks|replied|replies|explained|explains|acknowledged|acknowledges|admitted|admits|accused|"
    "accuses|urged|urges|reported|reports|recalled|recalls|remarked|continued|suggested|suggests|"
    "condemned|condemns|denounced|tweeted|posted"
)
_VERB = rf"(?:{SPEECH_VERBS})"
# a determiner between the verb and a quoted object: "condemned the “defeatist attitude ...”"
_OBJECT = r"(?:\s+(?:that|the|a|an|its|his|her|their|this))?"
# a speaker: a pronoun, or up to five words ("the Russian president", "Russia’s Defense Ministry")
_SPEAKER = r"(?:he|she|they|it|[\w’'.-]+(?:\s+[\w’'.-]+){0,4}?)"
_PRONOUNS = {"he", "she", "they", "it"}
_ANAPHOR = re.compile(r"^(?:according\s+to\s+)?the\s+same(?:\s+\w+)?$", re.IGNORECASE)  # "the same statement"
_NOT_SPEAKERS = {"which", "that", "who", "this", "as", "and", "but", "so", "also", "then", "and then"}

# text just before the opening quote
_BEFORE_VERB = re.compile(rf"(?P<speaker>{_SPEAKER})\s+(?:has\s+|had\s+|have\s+)?{_VERB}{_OBJECT}\s*[,:]?\s*$",
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
_EARLIER_SPEAKER_VERB = re.compile(rf"(?P<speaker>{_SPEAKER})\s+{_VERB}\b", re.IGNORECASE)
# text just after the closing quote
_AFTER_SPEAKER_VERB = re.compile(rf"^\s*[,.]?\s*(?P<speaker>{_SPEAKER})\s+{_VERB}\b", re.IGNORECASE)
_AFTER_VERB_SPEAKER = re.compile(rf"^\s*[,.]?\s*{_VERB}\s+(?P<speaker>(?:the\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){{0,4}}?)"
                                 r"\s*(?:[.,;:]|$)", re.IGNORECASE)
_AFTER_BY = re.compile(r"^\s*by\s+(?P<speaker>[\w’'.-]+(?:\s+[\w’'.-]+){0,3}?)\s*(?:[.,;:]|$)", re.IGNORECASE)
_TITLE_CUE = re.compile(r"(?:titled|entitled|headlined|the\s+(?:book|novel|film|documentary|article|report|"
                        r"song|series|op-ed|column|study|paper|newspaper|programme|program))\s*[,:]?\s*$",
                        re.IGNORECASE)
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")

# quote pairs: curly double, curly single (a ’ inside a word is an apostrophe), straight double and single
_QUOTES = [
    ("curly double", re.compile(r"“(?P<inner>[^“”\n]+)”")),
    ("curly single", re.compile(r"(?<!\w)‘(?P<inner>(?:[^‘’\n]|’(?=\w))+)’(?!\w)")),
    ("straight double", re.compile(r'"(?P<inner>[^"\n]+)"')),
    ("straight single", re.compile(r"(?<!\w)'(?P<inner>(?:[^'\n]|'(?=\w))+)'(?!\w)")),
]
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
    sents_by_doc = {d: g for d, g in sents.groupby("doc_id", sort=False)}
    ments_by_doc = {d: g for d, g in ments.groupby("doc_id", sort=False)}
    for doc_id, source, text in zip(docs["doc_id"], docs["source"], docs["text"]):
        doc_sents = sents_by_doc.get(doc_id)
        if doc_sents is None:
            continue
        rows.extend(_doc_spans(doc_id, source, text, doc_sents, ments_by_doc.get(doc_id)))
    return pd.DataFrame(rows, columns=SPAN_COLUMNS)


def _doc_spans(doc_id, source, text, doc_sents, doc_ments) -> list[dict]:
    starts = doc_sents["start"].to_numpy()
    ends = doc_sents["end"].to_numpy()
    spans = []
    taken: list[tuple[int, int]] = []
    for style, pattern in _QUOTES:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):  # nested quotes belong to the outer quotation
                continue
            taken.append((m.start(), m.end()))
            spans.append((m.start(), m.end(), style, m.group("inner")))
    spans.sort()
    records = []
    for start, end, style, inner in spans:
        k = max(int(np.searchsorted(starts, start, side="right")) - 1, 0)
        s_start, s_end = int(starts[k]), int(ends[k])
        k_end = max(int(np.searchsorted(starts, end - 1, side="right")) - 1, 0)
        before = text[max(s_start, start - 200):start]  # attribution sits next to the quote; bounds regex work
        after = text[end:max(int(ends[k_end]), end)]  # the rest of the sentence the quotation ends in
        records.append({
            "doc_id": doc_id, "source": source, "sentence_id": int(doc_sents["sentence_id"].iloc[k]),
            "text": inner.strip(), "n_words": len(_WORD.findall(inner)), "style": style,
            "start": start, "end": end, "sentence": text[s_start:s_end], "before": before, "after": after,
        })
    _attribute(records)
    _classify(records)
    _resolve_speakers(records, text, doc_ments)
    for r in records:
        del r["before"], r["after"]
    return records


def _attribute(records: list[dict]) -> None:
    for r in records:
        before, after = r["before"], r["after"]
        speaker, how = None, ""
        for rule, pattern, text in (("speaker + verb before", _BEFORE_VERB, before),
                                    ("statement of", _BEFORE_STATEMENT, before),
                                    ("speaker + verb after", _AFTER_SPEAKER_VERB, after),
                                    ("verb + speaker after", _AFTER_VERB_SPEAKER, after)):
            m = pattern.search(text)
            if m and _plausible_speaker(m.group("speaker")):
                speaker, how = _trim_speaker(m.group("speaker")), rule
                break
        if speaker is None and _BEFORE_LABEL.search(before):
            by = _AFTER_BY.search(after)
            subject = _BEFORE_LABEL_SUBJECT.search(before)
            earlier = list(_EARLIER_SPEAKER_VERB.finditer(before))
            if by:
                speaker, how = _trim_speaker(by.group("speaker")), "labelled ... by"
            elif subject and _plausible_speaker(_trim_speaker(subject.group("speaker"))):
                speaker, how = _trim_speaker(subject.group("speaker")), "labelled by the subject"
            elif earlier and _plausible_speaker(_trim_speaker(earlier[-1].group("speaker"))):
                speaker, how = _trim_speaker(earlier[-1].group("speaker")), "labelled by the sentence's speaker"
        if speaker is None:
            m = _BEFORE_ACCORDING.search(before)
            if m:
                speaker, how = _trim_speaker(m.group("speaker")), "according to"
        r["speaker"], r["attribution"] = speaker, how


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
    for i, r in enumerate(records):
        # a short fragment after a spoken quotation in the same sentence continues that statement
        earlier = next((q for q in reversed(records[:i]) if q["sentence_id"] == r["sentence_id"]
                        and q["attribution"] in _SPOKEN), None)
        if _TITLE_CUE.search(r["before"]):
            r["kind"] = "title"
        elif r["speaker"]:
            r["kind"] = "quotation"
        elif r["n_words"] <= 5 and earlier is not None and r["style"].endswith("double") \
                and not re.search(r"so-called\s*$", r["before"], re.IGNORECASE):
            r["kind"], r["speaker"], r["attribution"] = "quotation", earlier["speaker"], "fragment of the same statement"
        elif r["n_words"] >= 8:
            r["kind"] = "quotation"
        elif r["n_words"] <= 5:
            r["kind"] = "scare_quote"
        else:
            r["kind"] = "unattributed"


def _resolve_speakers(records: list[dict], text: str, doc_ments: pd.DataFrame | None) -> None:
    """Map a speaker phrase to a canonical actor; "he"/"she" to the previous speaker of the document."""
    previous_actor, previous_speaker = None, None
    if doc_ments is not None and not doc_ments.empty:
        doc_ments = doc_ments.sort_values("end", kind="stable")
        doc_ments = (doc_ments["start"].to_numpy(), doc_ments["end"].to_numpy(), doc_ments["actor"].to_numpy())
    else:
        doc_ments = None
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
    table["share_of_words"] = table["n_words"] / table.groupby(by)["n_words"].transform("sum")
    return table.sort_values([by, "n_words", "speaker"], ascending=[True, False, True], kind="stable"
                             ).reset_index(drop=True)


def scare_quote_terms(spans: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """How often each term is held in distancing quotes, per group: ``by``, term (trailing punctuation
    dropped), times; most frequent first. ``spans`` is :func:`quoted_spans` (or :func:`scare_quotes`) output."""
    scare = spans[spans["kind"] == "scare_quote"] if "kind" in spans.columns else spans
    terms = scare.assign(term=scare["text"].str.strip(" ,.;:")).groupby([by, "term"]).size().rename("times")
    return terms.reset_index().sort_values([by, "times", "term"], ascending=[True, False, True]).reset_index(drop=True)
