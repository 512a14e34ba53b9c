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
  to be a term, too short to call speech);
* ``name``: a short quoted name that is not one of the conflict's competing labels
  (“Musavat”, “Hraparak”, “Great Return”): a party, medium or programme, not distancing;
* ``term``: a word mentioned as a word ("under the terms “blockade”, “ethnic cleansing”").

An attributed fragment ("Yerevan accused Moscow of not “doing enough”") is a partial
quotation of its speaker, not the writer's distancing.

The rules are lexical and transparent; check the ``sentence`` column before
citing a count.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re

import numpy as np
import pandas as pd


from . import speakers as sp
from .speakers import SPEECH_VERBS  # noqa: F401  (re-exported: the verbs a reporting clause uses)

_TITLE_CUE = re.compile(r"(?:titled|entitled|headlined|the\s+(?:book|novel|film|documentary|article|report|"
                        r"song|series|op-ed|column|study|paper|newspaper|programme|program))\s*[,:]?\s*$",
                        re.IGNORECASE)
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_SO_CALLED = re.compile(r"so[-‐‑–\s]?called\s*$", re.IGNORECASE)
_ACCORDING = re.compile(r"(?<!\w)according\s+to\s+", re.IGNORECASE)
_BY = re.compile(r"\s*[,.]?\s*by\s+", re.IGNORECASE)
_LEAD = re.compile(r"[\s,.!?;:—–-]*")

# quote pairs: curly double, curly single (a ’ inside a word is an apostrophe), straight double and single
_QUOTES = [
    # a single line break may sit inside a quotation (hard-wrapped text); a blank line ends it
    ("curly double", re.compile(r"“(?P<inner>[^“”\n]+(?:\n(?![ \t]*\n)[^“”\n]+)*)”")),
    ("curly single", re.compile(r"‘(?<!\w‘)(?P<inner>(?:[^‘’\n]|’(?=\w))+)’(?!\w)")),
    ("straight double", re.compile(r'"(?P<inner>[^"\n]+(?:\n(?![ \t]*\n)[^"\n]+)*)"')),
    # mixed marks, common in copied agency text: "…” and “…"
    ("mixed double", re.compile(r'["“](?P<inner>[^“”"\n]+)["”]')),
    # a closing mark typed where the opening one belongs, after white space: ”Azerbaijan's forces … have”
    ("reversed double", re.compile(r'(?<!\S)”(?P<inner>[^“”"\n]+)["”]')),
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
    from ..text.actors import mentions
    from ..text.segment import sentences
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
    ment_types = ments["actor_type"].to_numpy()[ment_order]
    ment_surfaces = ments["surface"].to_numpy()[ment_order]
    for doc_id, source, text in zip(docs["doc_id"], docs["source"], docs["text"]):
        where = sent_slices.get(doc_id)
        if where is None:
            continue
        found = ment_slices.get(doc_id)
        doc_ments = None if found is None else (ment_starts[found], ment_ends[found], ment_actors[found],
                                                ment_types[found], ment_surfaces[found])
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
    ``doc_ments``: (starts, ends, actors, types) of its mentions ordered by end, or None."""
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
    spans.extend(_open_paragraphs(text, spans))
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
        records.append({
            "doc_id": doc_id, "source": source, "sentence_id": int(sentence_ids[k]),
            "text": inner.strip(), "n_words": len(_WORD.findall(inner)), "style": style,
            "start": start, "end": end, "sentence": text[s_start:s_end],
            # the sentence the quote opens in starts at s_start; the one it closes in ends at e_end
            "s_start": min(s_start, start), "e_end": max(int(ends[k_end]), end),
            # a quote that opens its sentence after "X said:" is introduced by the sentence before
            "p_start": int(starts[k - 1]) if k > 0 else None,
        })
    _attribute(records, text)
    _classify(records, text)
    _resolve_speakers(records, text, doc_ments)
    for r in records:
        del r["s_start"], r["e_end"], r["p_start"], r["phrase"]
        r.pop("speaker_type", None)
    return records


_OPEN_PARAGRAPH = re.compile(r"[“\"](?P<inner>[^“”\"\n]{12,})(?=\n|\Z)")
_NEXT_OPENS = re.compile(r"\n[ \t]*(?:\n[ \t]*)*“")


def _open_paragraphs(text: str, spans: list) -> list:
    """Quotations left open: a quote that opens in a paragraph and is not closed before the paragraph ends (the
    news convention for a statement over several paragraphs, when the next paragraph opens a quote again), or
    before the page's text ends (a page cut off mid-quote). The span runs to the paragraph's end."""
    found = []
    covered = sorted(span[:2] for span in spans)
    covered_starts = [a for a, _ in covered]
    for m in _OPEN_PARAGRAPH.finditer(text):
        i = bisect.bisect_right(covered_starts, m.start()) - 1
        if i >= 0 and covered[i][1] > m.start():
            continue
        j = bisect.bisect_left(covered_starts, m.start())
        if j < len(covered) and covered[j][0] < m.end():
            continue  # a closed quote later in the paragraph: the mark opened nothing here
        if len(_WORD.findall(m.group("inner"))) < 3:
            continue
        if text[m.start()] == '"' and m.start() > 0 and not (text[m.start() - 1].isspace() or text[m.start() - 1] in "([{—–-:"):
            continue  # a straight mark right after a word or a comma closes a quote ('restored," Eyvazov said')
        style = "paragraph continues" if _NEXT_OPENS.match(text, m.end()) else "unclosed"
        found.append((m.start(), m.end(), f"{'curly' if text[m.start()] == '“' else 'straight'} double, {style}",
                      m.group("inner")))
    # a closing mark with no opening one ("…was fully restored,” Anar Eyvazov said): the statement runs back
    # to the start of its paragraph
    taken = sorted([span[:2] for span in spans] + [f[:2] for f in found])
    taken_starts = [a for a, _ in taken]
    for m in _CLOSE_ONLY.finditer(text):
        close = m.start("close") if m.group("close") else m.start("straight")
        line = text[text.rfind("\n", 0, close) + 1:close]
        if m.group("straight") and '"' in line:
            continue  # a straight mark earlier in the paragraph opened this quote
        i = bisect.bisect_right(taken_starts, close) - 1
        if i >= 0 and taken[i][1] > close:
            continue
        start = text.rfind("\n", 0, close) + 1
        j = bisect.bisect_left(taken_starts, start)
        if j < len(taken) and taken[j][0] < close:
            continue  # another quote in the paragraph: the mark may close it
        inner = text[start:close]
        if len(_WORD.findall(inner)) >= 6 and not any(q in inner for q in "“\""):
            found.append((start, close + 1, "closing mark only", inner))
    return found + _paragraphs_between(text, found)


_MARKS = re.compile(r"[“”\"«»]")
_MAX_INNER_PARAGRAPHS = 4


def _paragraphs_between(text: str, found: list) -> list:
    """The paragraphs of one statement that carry no mark at all: between a quote left open at a paragraph's end
    and a paragraph that only closes one ("“We have restored order.⏎⏎The units were disarmed.⏎⏎Civilians are
    safe,” the ministry said"), when nothing else is quoted in between. Each becomes a span of its own."""
    opened = sorted(f for f in found if f[2].endswith("unclosed"))
    closing = sorted(f for f in found if f[2] == "closing mark only")
    spans = []
    for o in opened:
        c = next((c for c in closing if c[0] > o[1]), None)
        if c is None:
            continue
        between = text[o[1]:c[0]]
        if _MARKS.search(between):
            continue
        paragraphs = [(m.start() + o[1], m.end() + o[1], m.group()) for m in re.finditer(r"[^\n]*\S[^\n]*", between)]
        if 0 < len(paragraphs) <= _MAX_INNER_PARAGRAPHS:
            spans.extend((a, b, "paragraph inside an open statement", t) for a, b, t in paragraphs)
    return spans


_CLOSE_ONLY = re.compile(r"[\w.!?,…)](?P<close>”)(?=\s*[,.]?\s*[\w(–—-])"
                         r"|[.!?,…](?P<straight>\")(?=[ \t]+[A-Z][\w’'.-]*(?:[ \t]+[\w’'.-]+){0,6}?[ \t]+"
                         r"(?:said|says|stated|noted|added|stressed|told|declared|emphasized|emphasised)\b)")


def _inside_spans(records: list[dict], at: int) -> bool:
    return any(r["start"] < at < r["end"] for r in records)


def _attribute(records: list[dict], text: str) -> None:
    """Find each quotation's reporting clause and its speaker phrase (``phrase``: a :class:`speakers.Phrase`)."""
    for r in records:
        start, end, s_start, e_end = r["start"], r["end"], r["s_start"], r["e_end"]
        phrase, how = None, ""
        if not _SO_CALLED.search(text[max(s_start, start - 14):start]) and not _title_cue(text, s_start, start):
            phrase, how = _speaker_before(records, text, s_start, start)
            if phrase is None and r["p_start"] is not None and not text[s_start:start].strip() \
                    and text[:s_start].rstrip().endswith(":"):
                phrase, how = _speaker_before(records, text, r["p_start"], start)
            if phrase is None or how not in ("speaker + verb before", "statement of"):
                # a reporting clause right after the quote beats a verb further back in the sentence
                after, how_after = _speaker_after(text, end, e_end)
                if after is not None:
                    phrase, how = after, how_after
            if phrase is None:
                phrase, how = _speaker_according(text, s_start, start, end, e_end)
            if phrase is None:
                phrase, how = _speaker_of_headline(text, end)
            if phrase is None and (m := _NAME_COLON.search(text, max(0, start - 60), start)):
                phrase, how = sp.Phrase(m.group("name"), m.start("name"), m.end("name")), "headline speaker before a colon"
            if phrase is None and r["p_start"] is not None and not text[s_start:start].strip() and \
                    r["n_words"] >= 5 and "\n" in text[r["p_start"]:s_start]:
                # a paragraph that introduces a person, then their words: "Alpine Mosvyan is still shaken by what
                # she left behind.\n\n“We ran into a hangar ...”"
                subject = sp.clause_subject(text, r["p_start"], s_start)
                if subject is not None and _looks_like_person(subject.text) and \
                        text.rfind("\n", 0, r["p_start"]) <= text.rfind("\n", 0, s_start) and \
                        "\n" not in text[r["p_start"]:s_start].rstrip():
                    phrase, how = subject, "the person the paragraph before introduces"
            if phrase is None and r["p_start"] is not None and not text[s_start:start].strip() and r["n_words"] >= 4:
                # a quote that opens its sentence, after a sentence that reports someone's words: "Shakaryan told
                # Reuters that the children were hungry. “We left not to live, but to stay alive.”"
                phrase, how = _speaker_before(records, text, r["p_start"], s_start, following=True)
                if phrase is not None and _OUTLET_CREDIT.match(text, phrase.start, s_start):
                    phrase = None  # ", Trend reports." credits the outlet that carries the story
                how = "speaker of the sentence before" if phrase is not None else ""
        r["phrase"], r["attribution"] = phrase, how
        r["speaker"] = phrase.text if phrase is not None else None
    _continue_statements(records, text)


def _title_cue(text: str, s_start: int, start: int) -> bool:
    before = text[max(s_start, start - 40):start]
    return bool(_TITLE_CUE.search(before))


def _speaker_before(records, text, s_start, start, *, following: bool = False):
    """Speaker from a reporting clause before the quote, in its sentence: "X said (that) “…”", "X called on Y
    “to …”", "X accused Y of “…”", "X described it as “…”" and "X wrote, saying “…”"."""
    statement = sp.statement_noun_at_end(text, s_start, start)
    if statement is not None:  # "Baku’s statement: “…”", "In his statement, Aliyev ..."
        m, offset = statement
        owner = sp.phrase_before(text, s_start, offset + m.start(), possessive=True)
        if owner is not None and owner.text.endswith(("’s", "'s")):
            # the span keeps the possessive, so the mention of the owner ("Aliyev’s") lies inside it
            owner = sp.Phrase(owner.text[:-2], owner.start, owner.end)
            return owner, "statement of"
    verb = None
    for m in sp._VERB_RE.finditer(text, s_start, start):
        if not _inside_spans(records, m.start()):
            verb = m
    participle = sp.participle_before(text, verb.end() if verb is not None else s_start, start)
    if participle is not None and not _inside_spans(records, participle.start()):
        # the participle hangs from a noun phrase ("with Kremlin spokesperson Dmitry Peskov dismissing it as “…”")
        # or from a clause whose subject speaks: the last finite speech verb's, or the sentence's
        if not text[s_start:participle.start()].rstrip().endswith(","):
            phrase = sp.phrase_before(text, s_start, participle.start())
            if phrase is not None and not sp.is_pronoun(phrase.text) or phrase is not None and verb is None:
                return phrase, "subject of the clause (participle)"
        if verb is not None:
            phrase = sp.phrase_before(text, s_start, verb.start())
            if phrase is not None:
                return phrase, "subject of the clause (participle)"
        phrase = sp.clause_subject(text, s_start, participle.start())
        if phrase is None:  # "At the same time, he defended the deal, saying “…”"
            pronoun = None
            for pronoun in _CLAUSE_PRONOUN.finditer(text, s_start, participle.start()):
                pass
            if pronoun is not None:
                phrase = sp.Phrase(pronoun.group("p"), pronoun.start("p"), pronoun.end("p"))
        return (phrase, "subject of the clause (participle)") if phrase is not None else (None, "")
    # the last speech verb's clause first; when it names nobody ("X reported that fighting continued with
    # ‘…’": "continued" has no speaker), the quote may sit in an earlier verb's reported clause
    verbs = [m for m in sp._VERB_RE.finditer(text, s_start, start) if not _inside_spans(records, m.start())]
    for verb in reversed(verbs):
        phrase, rule = _speaker_of_verb(records, text, s_start, start, verb, following)
        if phrase is not None or rule == "another clause":
            return (phrase, rule) if phrase is not None else (None, "")
    return None, ""


def _speaker_of_verb(records, text, s_start, start, verb, following):
    """(speaker phrase, rule) of the speech verb ``verb`` for a quote at ``start``; rule "another clause" when
    the quote lies outside the verb's reported clause, so no earlier verb can have it either."""
    gap = text[verb.end():start]
    adjacent = len(_WORD.findall(gap)) <= 3
    if not adjacent and not following and (len(_WORD.findall(gap)) > _REPORTED_GAP or _new_clause(gap)):
        return None, "another clause"  # the verb belongs to another clause ("X appealed to Y, but the bloc sent a “...” mission")
    rule = "speaker + verb before" if adjacent else "verb earlier in the sentence"
    if sp.passive_before(text, s_start, verb.start()):  # "was described as “…” by Pashinian"
        by = _BY.match(text, _after_quote(text, start, records))
        if by is not None:
            phrase = sp.phrase_after(text, by.end(), by.end() + 200)
            return (phrase, "labelled ... by") if phrase is not None else (None, "")
        return None, ""
    outer = _outer_reporting(text, s_start, verb.start())
    if outer is not None:  # "The ministry said both ministers confirmed a “…”": the ministry's statement
        return outer, rule
    phrase = sp.phrase_before(text, s_start, verb.start())
    if phrase is None and _COORDINATED.search(text, max(s_start, verb.start() - 8), verb.start()):
        # "X accused Armenia of “…” and threatened to “…”": the subject of the verb it is coordinated with
        for earlier in reversed(list(sp._VERB_RE.finditer(text, s_start, verb.start() - 4))):
            phrase = sp.phrase_before(text, s_start, earlier.start())
            if phrase is not None:
                break
    if phrase is not None:
        phrase = _statement_owner(text, phrase)
    if phrase is None and adjacent:  # inverted: "said Lavrov, “…”"
        phrase = sp.phrase_after(text, verb.end(), start)
    return (phrase, rule) if phrase is not None else (None, "")


_OUTLET_CREDIT = re.compile(r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}\s+(?:reports|reported|informs|writes)\s*[.:]?\s*$")
_COORDINATED = re.compile(r"(?:,\s*|\s)and\s+(?:also\s+|then\s+)?$", re.IGNORECASE)
_REPORTED_GAP = 25  # words between a speech verb and a partial quotation in its reported clause, at most
_NEW_CLAUSE = re.compile(r"[;(]|,\s*(?:but|while|whereas|although|though|yet)\b|"
                         r"\b(?:but|while|whereas|although)\s", re.IGNORECASE)


def _new_clause(gap: str) -> bool:
    """Whether the words between a speech verb and a quote open another clause ("..., but the bloc sent"); a
    conjunction that opens the reported clause itself ("said that although ... “…”") does not."""
    m = _NEW_CLAUSE.search(gap)
    if m is not None and gap[:m.start()].strip().lower() in ("", "that"):
        m = _NEW_CLAUSE.search(gap, m.end())
    return m is not None


_OUTER_VERBS = re.compile(r"(?<![\w’'-])(?:said|says|told|stated|noted|added|announced|reported|claimed|wrote)"
                          r"(?:\s+(?:on|in)\s+[\w ]{1,20}?)?\s+(?:that\s+)?(?:(?:both|all|the|two|its|their)\s+)?$",
                          re.IGNORECASE)
_CLAUSE_PRONOUN = re.compile(r"(?:^|[,;]\s*|\.\s+)(?P<p>[Hh]e|[Ss]he|[Tt]hey)\s+\w+")


def _outer_reporting(text, s_start, verb_start):
    """The speaker of a reporting verb that governs the clause the quote's own verb is in: "The Russian Foreign
    Ministry said both ministers confirmed a “…”" is the ministry's wording of what the ministers said."""
    inner = sp.phrase_before(text, s_start, verb_start)
    if inner is None or sp.is_pronoun(inner.text):
        return None
    m = _OUTER_VERBS.search(text, max(s_start, inner.start - 40), inner.start)
    if m is None:
        return None
    # a pronoun reports too ("He noted that Azerbaijan explains ...": his words, resolved later)
    outer = sp.phrase_before(text, s_start, m.start())
    return outer if outer is not None and (not sp.is_pronoun(outer.text) or sp.is_person_pronoun(outer.text)) else None


def _after_quote(text, start, records):
    for r in records:
        if r["start"] == start:
            return r["end"]
    return start


def _speaker_after(text, end, e_end):
    """Speaker from a reporting clause after the quote: "“…,” Zakharova told reporters", "“…,” said the
    ministry", "“…,” the statement reads"."""
    at = _LEAD.match(text, end, e_end).end()
    if at >= e_end:
        return None, ""
    verb = sp.verb_at(text, at, e_end)
    if verb is not None:
        phrase = sp.phrase_after(text, verb.end(), e_end + 200)
        return (phrase, "verb + speaker after") if phrase is not None else (None, "")
    quoted_as = _QUOTED_AS.match(text, at, e_end + 200)
    if quoted_as is not None:  # "“…,” Turkish media quoted him as saying": the one quoted speaks
        obj = quoted_as.group("obj")
        word = {"him": "he", "her": "she", "them": "they"}.get(obj.lower())
        return sp.Phrase(word or obj, quoted_as.start("obj"), quoted_as.end("obj")), "quoted ... as saying"
    partitive = _PARTITIVE.match(text, at, e_end)
    if partitive is not None:  # "“…?” one of them, Artur Hovannisian, wrote on Facebook"
        named = sp.phrase_after(text, partitive.end(), e_end)
        if named is not None and named.text[:1].isupper() and text.startswith(",", named.end) and \
                sp.verb_at(text, named.end + 1, e_end + 200) is not None:
            return named, "speaker + verb after"
    phrase = sp.phrase_after(text, at, e_end)
    if phrase is None:
        return None, ""
    first = phrase.text.split()[0]
    if first[:1].islower() and first.lower() not in sp.PRONOUNS | {"the", "a", "an", "this", "its", "his", "her"}:
        return None, ""  # the quote sits inside a noun phrase ("the Russian “peacekeeping” contingent from ...")
    phrase = _statement_owner(text, phrase)
    after = phrase.end
    for _ in range(3):  # "“…,” David Babayan, an adviser to X, president of Y, told Reuters"
        verb = sp.verb_at(text, after, e_end)
        if verb is not None and verb.group() in ("reports", "informs") and \
                re.match(r"\s*(?:[.:]|\n|\Z)", text[verb.end():verb.end() + 3]):
            return None, ""  # "“…”, Trend reports.": the outlet that carries the story credits itself
        if verb is not None or _VERB_SOON.match(text, after, e_end):
            return phrase, "speaker + verb after"
        if not text.startswith(",", after):
            break
        close = text.find(",", after + 1, min(e_end, after + 160))
        if close < 0:
            break
        after = close + 1
    return None, ""


_QUOTED_AS = re.compile(r"(?:[\w’'.-]+\s+){0,5}?quoted\s+(?P<obj>him|her|them|[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3})"
                        r"\s+as\s+(?:saying|stating|telling)")
_PARTITIVE = re.compile(r"(?:one|another|two|three|several|some)\s+of\s+(?:them|those|these|the\s+[\w’'-]+(?:\s+[\w’'-]+)?)"
                        r"\s*,\s*")
# a speech verb a few words after the speaker phrase, with no punctuation between ("a senior EU diplomat close to
# Michel told Politico")
_VERB_SOON = re.compile(rf"[^.,;:!?“”\"\n]{{0,40}}?(?<![\w’'-])(?:{sp._alternation(sp.SPEECH_VERBS)})(?![\w’'-])",
                        re.IGNORECASE)
_STATEMENT_BY = re.compile(rf"^(?:(?:a|an|the|this|that|its|his|her|their)\s+)?(?:\w+\s+)?"
                           rf"(?:{sp.STATEMENT_NOUNS})\s+(?:by|of|from)\s+", re.IGNORECASE)


def _statement_owner(text: str, phrase):
    """"a statement by the Azerbaijani Foreign Ministry" -> "the Azerbaijani Foreign Ministry"."""
    m = _STATEMENT_BY.match(phrase.text)
    if m is None:
        owner = _OWNER_OF_STATEMENT.match(phrase.text)  # "Aliyev’s tweet", "Armenia’s read-out"
        if owner is None:
            return phrase
        # the span keeps the possessive, so the mention of the owner ("Aliyev’s") lies inside it
        return sp.Phrase(owner.group("owner"), phrase.start, phrase.start + len(owner.group("owner")) + 2)
    start = phrase.start + m.end()
    return sp.Phrase(text[start:phrase.end], start, phrase.end)


_OWNER_OF_STATEMENT = re.compile(rf"(?P<owner>.+?)['’]s\s+(?:[\w-]+\s+)?(?:{sp.STATEMENT_NOUNS})$", re.IGNORECASE)


_NAME_COLON = re.compile(r"(?:^|\n)[ \t]*(?P<name>[A-Z][\w’'.-]+(?:[ \t]+[A-Z][\w’'.-]+){0,3}):[ \t]*$")
_QUOTE_THEN_NAME = re.compile(r"[ \t]*(?::|[–—-])[ \t]+(?P<name>[A-Z][\w’'.-]+(?:[ \t]+[A-Z][\w’'.-]+){0,3})"
                              r"(?=[ \t]+[a-z]|[ \t]*(?:\n|\Z))")
_HEADLINE_SPEAKER = re.compile(r"[^\n]{0,120}?:\s*(?P<name>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3})[ \t]*(?=\n|\Z)")


def _speaker_of_headline(text, end):
    """A headline that names its speaker after a colon at its end: "Armenia intensifies its ‘provocations’
    against Baku: Azerbaijan", "‘Karabakh is Azerbaijan’: Erdoğan marks ...", "“…” – Aliyev"."""
    m = _QUOTE_THEN_NAME.match(text, end)
    if m is not None:
        return sp.Phrase(m.group("name"), m.start("name"), m.end("name")), "headline speaker after a colon"
    m = _HEADLINE_SPEAKER.match(text, end)
    if m is None:
        return None, ""
    return sp.Phrase(m.group("name"), m.start("name"), m.end("name")), "headline speaker after a colon"


def _speaker_according(text, s_start, start, end, e_end):
    for m in _ACCORDING.finditer(text, s_start, e_end):
        if start <= m.start() < end:
            continue
        phrase = sp.phrase_after(text, m.end(), m.end() + 200)
        if phrase is not None:
            return phrase, "according to"
    return None, ""


def _continue_statements(records: list[dict], text: str) -> None:
    """A statement over several quotes: a paragraph left open takes the speaker of the quote that continues it;
    an unattributed quote that follows an attributed one, with nothing between them but that quote's reporting
    clause, is the same speaker's."""
    for i in range(len(records) - 2, -1, -1):
        r, nxt = records[i], records[i + 1]
        if r["phrase"] is None and nxt["phrase"] is not None and (
                r["style"].endswith("paragraph continues") or _one_open_statement(r, nxt, text)):
            r["phrase"], r["speaker"] = nxt["phrase"], nxt["speaker"]
            r["attribution"] = "paragraph continued by the next quote"
    for previous, r in zip(records, records[1:]):
        if r["phrase"] is not None or previous["phrase"] is None or r["n_words"] < 4:
            continue
        gap = text[previous["end"]:r["start"]]
        p = previous["phrase"]
        clause = previous["end"] <= p.start and p.end <= r["start"]
        rest = gap.replace(text[p.start:p.end], "", 1) if clause else gap
        if not rest.strip() or (clause and len(_WORD.findall(rest)) <= 16 and "\n\n" not in gap
                                and not sp._VERB_RE.search(rest.replace(text[p.start:p.end], ""), 0) is None
                                and len(sp._VERB_RE.findall(rest)) <= 2):
            r["phrase"], r["speaker"] = p, previous["speaker"]
            r["attribution"] = "continues the previous quotation"


def _one_open_statement(r: dict, nxt: dict, text: str) -> bool:
    """Whether two spans are paragraphs of one statement whose marks open in the first and close in the last."""
    inside = "paragraph inside an open statement"
    if not (r["style"].endswith("unclosed") or r["style"] == inside):
        return False
    if nxt["style"] == inside:
        return True
    return nxt["style"] == "closing mark only" and not _MARKS.search(text[r["end"]:nxt["start"]])


_SPOKEN = ("speaker + verb before", "statement of", "speaker + verb after", "verb + speaker after", "according to",
           "verb earlier in the sentence", "subject of the clause (participle)", "labelled ... by",
           "paragraph continued by the next quote", "continues the previous quotation", "speaker of the sentence before",
           "headline speaker after a colon", "headline speaker before a colon",
           "the person the paragraph before introduces", "quoted ... as saying")


_TERM_CUE = re.compile(r"(?<!\w)(?:terms?|words?|phrases?|expressions?|labels?|slogans?|notions?|concepts?|"
                       r"narratives?|rhetoric|hashtags?)\s*(?:of\s+|like\s+|such\s+as\s+|as\s+)?[,:]?\s*$",
                       re.IGNORECASE)
_LIST_GAP = re.compile(r"[\s,]*(?:and|or)?\s*")
_NAME_CONNECTORS = {"of", "the", "and", "de", "for", "on", "in", "al", "el", "-"}


def _is_name(quoted: str) -> bool:
    """Whether a short quoted span is a name: each word capitalised (or in a script without case), connectors
    aside ("Council of State Support", "Российский Диалог", "Al-Jazeera")."""
    words = [w for w in _WORD.findall(quoted) if w.lower() not in _NAME_CONNECTORS]
    return bool(words) and all(w[:1].isupper() or not w[:1].islower() and not w[:1].isdigit() for w in words) \
        and any(w[:1].isupper() or w[:1].isalpha() for w in words)


def _names_a_referent(quoted: str) -> bool:
    """Whether the quoted name is one of the conflict's competing labels (naming lexicon): “Artsakh” or
    “Karabakh Defense Army” in quotes is the writer's distancing, unlike a quoted party or newspaper name."""
    return _referent_labels().search(quoted) is not None


@functools.lru_cache(maxsize=1)
def _referent_labels() -> re.Pattern:
    from .naming import read_naming_lexicon
    patterns = read_naming_lexicon()["pattern"]
    return re.compile("|".join(rf"(?<!\w)(?:{p})(?!\w)" for p in patterns), re.IGNORECASE)


def _classify(records: list[dict], text: str) -> None:
    previous_term = None
    spoken: dict[int, dict] = {}  # per sentence: its latest record so far attributed to a speaker
    for r in records:
        # a short fragment after a spoken quotation in the same sentence continues that statement
        earlier = spoken.get(r["sentence_id"])
        if r["attribution"] in _SPOKEN:  # (a fragment's attribution, set below, is not in _SPOKEN)
            spoken[r["sentence_id"]] = r
        before = text[max(r["s_start"], r["start"] - 40):r["start"]]
        if _TITLE_CUE.search(before):
            r["kind"] = "title"
        elif _TERM_CUE.search(before) or (r["n_words"] <= 5 and previous_term is not None
                                          and previous_term["sentence_id"] == r["sentence_id"]
                                          and _LIST_GAP.fullmatch(text[previous_term["end"]:r["start"]])):
            r["kind"] = "term"  # a word mentioned as a word: "under the terms “blockade”, “ethnic cleansing”"
            r["speaker"], r["phrase"], r["attribution"] = None, None, ""
        elif r["speaker"]:
            r["kind"] = "quotation"
        elif r["n_words"] <= 5 and earlier is not None and r["style"].endswith("double") \
                and not _SO_CALLED.search(before):
            r["kind"], r["speaker"], r["phrase"] = "quotation", earlier["speaker"], earlier["phrase"]
            r["attribution"] = "fragment of the same statement"
        elif r["n_words"] >= 8:
            r["kind"] = "quotation"
        elif r["n_words"] <= 5 and _is_name(r["text"]) and not _names_a_referent(r["text"]):
            r["kind"] = "name"  # “Musavat”, “Hraparak”, “Great Return”: a name in quotes distances nothing
        elif r["n_words"] <= 5:
            r["kind"] = "scare_quote"
        else:
            r["kind"] = "unattributed"
        previous_term = r if r["kind"] == "term" else previous_term


def _resolve_speakers(records: list[dict], text: str, doc_ments: tuple | None) -> None:
    """Link each speaker phrase to a gazetteer actor (the mentions it covers), and read pronouns and definite
    descriptions ("he", "the ministry", "the statement") as the speaker or mention they point back to.

    ``doc_ments``: (starts, ends, actors, types) of the document's mentions, ordered by end (None when none).
    """
    previous: list[dict] = []  # resolved speakers so far, in order
    # "he" or "the minister" points back to someone named in the running text, never to a person named inside a
    # quotation ("“… agreed by President Putin …,” he said" is not Putin)
    free_ments = _outside_quotations(doc_ments, records)
    for r in records:
        r["speaker_actor"] = None
        phrase = r["phrase"]
        if phrase is None or not r["speaker"]:
            continue
        if r["attribution"] in ("fragment of the same statement", "continues the previous quotation",
                                "paragraph continued by the next quote"):
            source = next((p for p in reversed(previous) if p["phrase"] == phrase), None)
            if source is not None:
                r["speaker"], r["speaker_actor"] = source["speaker"], source["speaker_actor"]
                r["speaker_type"] = source.get("speaker_type")
                previous.append(r)
                continue
        actor, r["speaker_type"] = _actor_in(phrase, doc_ments)
        described = sp.role_description(phrase.text) if r["speaker_type"] != "person" else None
        if described is not None:
            holder = _holder_of(described, r, previous, text, free_ments)
            if holder is not None:
                r["attribution"] += f"; '{phrase.text}' read as {holder[0]}, named with that role before"
                r["speaker"], actor, r["speaker_type"] = holder
                r["speaker_actor"] = actor
                previous.append(r)
                continue
        if actor is None:
            actor = _role_holder_mentioned(phrase.text, r["start"], free_ments)
            if actor is not None:
                r["speaker_type"] = "person"
                r["attribution"] += f"; '{phrase.text}' read as {actor}, the holder of the role the text names"
        if actor is None:
            antecedent = _antecedent(phrase, r, previous, text, free_ments)
            if antecedent is not None:
                speaker, actor, r["speaker_type"] = antecedent
                r["attribution"] += f"; '{r['speaker']}' read as {speaker}"
                r["speaker"] = speaker
            elif (head := sp.anaphoric_head(phrase.text)) is not None and sp.is_statement_head(head):
                # "the same statement" with no issuer in sight names nobody: a quotation without a speaker
                r["attribution"] += f"; '{r['speaker']}' names no one"
                r["speaker"] = None
                continue
        r["speaker_actor"] = actor
        previous.append(r)


def _linked(phrase, doc_ments, kind=None):
    """(speaker, actor, actor type) for an antecedent phrase: linked to the actor a mention inside it names."""
    actor, found = _actor_in(phrase, doc_ments)
    return phrase.text, actor, found or kind


def _outside_quotations(doc_ments, records):
    """The mentions (same tuple shape) that lie outside every quotation of the document."""
    if doc_ments is None:
        return None
    spans = [(r["start"], r["end"]) for r in records if r.get("kind") == "quotation"]
    if not spans:
        return doc_ments
    starts, ends = doc_ments[0], doc_ments[1]
    inside = np.zeros(len(starts), dtype=bool)
    for a, b in spans:
        inside |= (starts >= a) & (ends <= b)
    if not inside.any():
        return doc_ments
    keep = ~inside
    return tuple(np.asarray(column)[keep] for column in doc_ments)


def _antecedent(phrase, r, previous, text, doc_ments):
    """(speaker, actor, actor type) that a pronoun or definite description points back to, or None."""
    words = phrase.text
    if sp.is_person_pronoun(words):
        # the later of: the previous speaker who is a person, the last person mentioned before the quote
        person = next((p for p in reversed(previous) if _is_person(p)), None)
        mention = _subject_person(doc_ments, phrase.start, text)
        # a speaker quoted just before (within a sentence or two) keeps the floor over a person merely mentioned
        recent = person is not None and r["start"] - person["end"] <= _RECENT
        # someone whose words are reported after that speaker's quotation takes the floor ("Deputy Prime Minister
        # Tigran Khachatryan said that ... “…,” he said"; "Kurtulmuş also declared ... “…,” he said")
        reporter = _reporting_person(text, phrase.start, person["end"] if person is not None else 0, doc_ments)
        if reporter is not None and (mention is None or reporter[0] >= _sentence_start(text, mention[0])):
            return reporter[1], reporter[2], "person"
        if mention is not None and not recent and (person is None or mention[0] > person["phrase"].end):
            return text[mention[0]:mention[1]], mention[2], "person"
        if person is not None:
            return _speaker_of(person)
        named = _earlier_subject(text, phrase.start, lambda p: _looks_like_person(p.text))
        return _linked(named, doc_ments, "person") if named is not None else None
    if words.lower() in ("they", "it"):  # "The senior diplomats also voiced ... what they deem a “…”": a group
        # reported; "The court pointed out ... It said": a body reported
        group = _reporting_group(text, phrase.start, previous[-1]["end"] if previous else 0,
                                 plural=words.lower() == "they")
        if group is not None:
            return _linked(group, doc_ments)
    if sp.is_pronoun(words):  # "it", "they": the previous speaker, else the last state or body mentioned
        # before the pronoun itself ("It said that Azerbaijan must ...: “…”" is not Azerbaijan), and not a
        # possessive, which qualifies another noun ("Armenia’s request")
        mention = _last_mention(doc_ments, min(phrase.start, r["start"]),
                                lambda a, t, s: t in ("state", "organisation") and not s.endswith(("’s", "'s")))
        if previous and (mention is None or mention[0] < previous[-1]["phrase"].end):
            return _speaker_of(previous[-1])
        return (text[mention[0]:mention[1]], mention[2], mention[3]) if mention is not None else None
    head = sp.anaphoric_head(words)
    if head is None:
        qualified = sp.qualified_role(words)  # "the Armenian prime minister": a named holder with both words
        if qualified is None:
            return None
        for p in reversed(previous):
            said = p["speaker"].lower()
            if all(w in said for w in qualified) and p["speaker"].lower() != words.lower():
                return _speaker_of(p)
        named = _earlier_subject(text, phrase.start, lambda p: all(w in p.text.lower() for w in qualified)
                                 and _looks_like_person(p.text))
        return _linked(named, doc_ments, "person") if named is not None else None
    if sp.is_statement_head(head):  # "the statement said": whoever issued it, last
        by = _statement_by_before(text, phrase.start)
        last = previous[-1] if previous and previous[-1]["speaker"].lower() != words.lower() else None
        if last is not None and (by is None or by.start < last["phrase"].start):
            return _speaker_of(last)
        named = by or \
            _earlier_subject(text, phrase.start, lambda p: sp.anaphoric_head(p.text) is None, issuing=True)
        return _linked(named, doc_ments) if named is not None else None
    heads = _BODY_SYNONYMS if head in _BODY_SYNONYMS else {head}
    for p in reversed(previous):
        if any(h in p["speaker"].lower() for h in heads) and p["speaker"].lower() != words.lower():
            return _speaker_of(p)
    mention = _last_mention(doc_ments, r["start"], lambda a, t, s: any(h in s.lower() for h in heads))
    named = _named_before(text, head, phrase.start)
    if mention is not None and (named is None or named.start <= mention[0] or head in sp.PERSON_ROLES):
        return text[mention[0]:mention[1]], mention[2], mention[3]
    # else the body named in the text after the last one the gazetteer knows ("The country’s Ministry of Defense
    # emphasized ... According to the department")
    if named is None and head in sp.PERSON_ROLES:
        named = _earlier_subject(text, phrase.start, lambda p: _looks_like_person(p.text))
    return _linked(named, doc_ments) if named is not None else None


_HOLDER_LOOK_BACK = 1500  # characters searched back for the person a role description names


def _holder_of(described, r, previous, text, doc_ments):
    """(speaker, actor, "person") for a speaker named only by role ("the Kremlin spokesman", "the Turkish
    leader"): the last person before the quote (a mention, or an earlier speaker) whose introduction has that
    role and country; in a headline with nobody before it, the first such person after it. None when none fits."""
    country, role = described
    lo, hi = r["start"] - _HOLDER_LOOK_BACK, r["end"] + 600
    candidates = []  # (position, speaker text, actor, introduction)
    if doc_ments is not None:
        starts, ends, actors, types, _ = doc_ments
        for i in np.flatnonzero((types == "person") & (starts >= lo) & (starts <= hi)):
            a, b = int(starts[i]), int(ends[i])
            candidates.append((a, text[a:b], actors[i], _introduction(text, a, b, doc_ments)))
    for p in previous:
        if _is_person(p) and p["phrase"] is not None:
            # an earlier speaker's phrase as written is evidence of their role too ("the High Representative")
            introduction = f"{p['phrase'].text} {p['speaker']}".lower().replace("’", "'")
            candidates.append((p["phrase"].start, p["speaker"], p["speaker_actor"], introduction))
    before = sorted((c for c in candidates if lo <= c[0] < r["start"]), reverse=True)
    after = sorted(c for c in candidates if r["end"] < c[0] <= hi)
    for position, speaker, actor, introduction in before or after:
        if _fits_role(introduction, actor, country, role):
            return speaker, actor, "person"
    return None


def _introduction(text: str, start: int, end: int, doc_ments) -> str:
    """The words that introduce a person's mention: what comes before it since the last mention or sentence end
    ("Kremlin spokesperson " Dmitry Peskov), and an appositive after it (Jeyhun Bayramov", the Foreign Minister of
    Azerbaijan,"), lower case."""
    starts, ends = doc_ments[0], doc_ments[1]
    i = int(np.searchsorted(ends, start, side="right")) - 1
    lo = max(start - 100, int(ends[i]) if i >= 0 else 0)
    left = text[lo:start]
    cut = max(left.rfind(". "), left.rfind("\n"), left.rfind("“"), left.rfind("”"))
    left = left[cut + 1:]
    right = ""
    if text.startswith(",", end):
        j = int(np.searchsorted(starts, end, side="left"))
        hi = min(end + 100, int(starts[j]) if j < len(starts) else len(text))
        right = re.split(r"[.;\n“”]", text[end:hi], maxsplit=1)[0]
    return f"{left} {right} ".lower().replace("’", "'")


def _fits_role(introduction: str, actor, country, role) -> bool:
    known = _actor_roles().get(actor, ("", ""))
    words = f"{introduction} {known[1]}"
    if not any(synonym in words for synonym in sp.ROLE_SYNONYMS.get(role, (role,))):
        return False
    if country is None:
        return True
    if known[0]:
        return known[0] == country
    return any(stem in words for stem, c in sp.COUNTRY_STEMS.items() if c == country and len(stem) > 3)


@functools.lru_cache(maxsize=1)
def _actor_roles() -> dict:
    """Actor -> (country its affiliation names, its role phrases in lower case) from the default gazetteer."""
    from ..text.actors import read_gazetteer
    table = read_gazetteer()
    found = {}
    for actor, rows in table.groupby("actor"):
        affiliation = str(rows["affiliation"].iloc[0]).lower()
        country = next((c for stem, c in sp.COUNTRY_STEMS.items() if affiliation.startswith(stem)), "")
        roles = " ".join(rows.loc[rows["variant_kind"] == "role", "variant"]).lower().replace("’", "'")
        found[actor] = (country, roles)
    return found


def _reporting_subjects(text: str, lo: int, before: int):
    """(speech verb match, subject phrase) of the reporting clauses in ``text[lo:before]``, last first: those
    outside quotation marks whose subject is a noun phrase, not a pronoun."""
    for m in reversed(list(sp._VERB_RE.finditer(text, lo, before))):
        if _quoted_at(text, m.start(), lo):
            continue
        phrase = sp.phrase_before(text, max(lo, m.start() - 200), m.start())
        if phrase is not None and not sp.is_pronoun(phrase.text):
            yield m, phrase


def _reporting_person(text: str, before: int, after: int, doc_ments):
    """(start, phrase text, actor) of the last person who is the subject of a reporting clause between ``after``
    and ``before`` outside quotation marks ("Kurtulmuş also declared", "Tigran Khachatryan said that"), or None."""
    lo = max(after, before - _LOOK_BACK)
    for m, phrase in _reporting_subjects(text, lo, before):
        if sp.passive_before(text, lo, m.start()):
            continue
        if _OUTLET_CREDIT.match(text, phrase.start, m.end() + 2):
            continue  # ", Trend reports": the outlet that carries the story, not a speaker
        actor, kind = _actor_in(phrase, doc_ments)
        tail = _unlinked_tail(text, phrase, doc_ments)
        if kind is not None and kind != "person" and _looks_like_person(tail.text):
            # "Red Cross representative Hicham Diab said": a person the gazetteer does not know, after a body
            return tail.start, tail.text, None
        if kind == "person" or (kind is None and _looks_like_person(phrase.text)):
            return phrase.start, _named_part(text, phrase, doc_ments), actor
        if kind is None and sp._bare(phrase.text.split()[-1]) in sp.PERSON_ROLES:
            if sp.role_description(phrase.text) is not None:
                return None  # "The Turkish minister stressed": someone already named keeps the floor
            return phrase.start, phrase.text, None  # "a diplomatic source told RIA Novosti"
        if kind is None and len(phrase.text.split()) == 1 and phrase.text[:1].isupper() \
                and sp._bare(phrase.text) not in sp.BODY_WORDS | sp._NOT_NAME_WORDS \
                and not phrase.text.lower().endswith(("ian", "ean", "ese", "ish", "ani", "asian")):  # no demonym
            return phrase.start, phrase.text, None  # a surname the gazetteer does not know: "Kurtulmuş"
        return None  # the last reporting clause names a body or a group: nobody new has the floor
    return None


def _reporting_group(text: str, before: int, after: int, *, plural: bool = True):
    """The plural subject ("The senior diplomats", "Armenian officials") of the last reporting clause in the
    sentence of ``before`` or the one before it, after ``after``; or, for ``plural=False``, its singular body
    ("The court", "The ministry"). None when that subject is not of that kind."""
    # within the pronoun's paragraph (sentence ends are unreliable here: "by 5 p.m. local time")
    lo = max(after, text.rfind("\n", 0, before) + 1, before - 500)
    for _, phrase in _reporting_subjects(text, lo, before):
        head = phrase.text.split()[-1]
        bare = sp._bare(head)
        if plural:
            group = head[:1].islower() and head.endswith("s") and (bare in sp.PERSON_NOUNS or bare[:-1] in sp.PERSON_NOUNS)
            return phrase if group else None
        body = head[:1].islower() and (bare in sp.BODY_WORDS or bare in _BODY_HEADS)
        return phrase if body and phrase.text.split()[0].lower() in ("the", "this") else None
    return None


_BODY_HEADS = {"court", "tribunal", "bureau", "commission", "ministry", "council", "parliament", "government"}


def _unlinked_tail(text, phrase, doc_ments):
    """The words of a speaker phrase after the last mention inside it ("... Red Crescent Societies representative
    Hicham Diab" -> "representative Hicham Diab" trimmed to its capitalised run "Hicham Diab")."""
    after = phrase.start
    if doc_ments is not None:
        starts, ends = doc_ments[0], doc_ments[1]
        inside = np.flatnonzero((starts >= phrase.start) & (ends <= phrase.end))
        if len(inside):
            after = int(ends[inside].max())
    words = list(re.finditer(r"\S+", text[after:phrase.end]))
    k = len(words)
    while k > 0 and words[k - 1].group()[:1].isupper():
        k -= 1
    if k == len(words):
        return sp.Phrase("", phrase.end, phrase.end)
    start = after + words[k].start()
    return sp.Phrase(text[start:phrase.end], start, phrase.end)


def _named_part(text, phrase, doc_ments):
    """The person's mention inside a speaker phrase ("Deputy Prime Minister Tigran Khachatryan" -> the name as
    the mention covers it), else the phrase."""
    if doc_ments is None:
        return phrase.text
    starts, ends, _, types, _ = doc_ments
    inside = np.flatnonzero((starts >= phrase.start) & (ends <= phrase.end) & (types == "person"))
    return text[int(starts[inside[-1]]):int(ends[inside[-1]])] if len(inside) else phrase.text


def _quoted_at(text: str, at: int, lo: int) -> bool:
    """Whether ``at`` lies inside an open double quotation in ``text[lo:at]`` (an odd number of marks)."""
    before = text[lo:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _sentence_start(text: str, at: int) -> int:
    m = None
    for m in _SENTENCE_END.finditer(text, max(0, at - 400), at):
        pass
    return m.end() if m is not None else max(0, at - 400)


# "the department" or "the agency" after "the Defence Ministry said": one body under several nouns
_BODY_SYNONYMS = {"ministry", "department", "agency", "office", "service"}
_LOOK_BACK = 800  # characters searched for the named body or person a pronoun or description points back to
_ISSUING = re.compile(r"(?<![\w’'-])(?:issued|published|released|circulated|distributed|reported|said|stated|"
                      r"announced|noted|added|told|wrote|informed)(?![\w’'-])", re.IGNORECASE)


def _earlier_subject(text: str, before: int, wanted, *, issuing: bool = False):
    """The last subject of a reporting clause (or, for ``issuing``, of "X issued a statement") in the text before
    ``before`` that is ``wanted(phrase)``; for a person, also the last sentence subject that names one."""
    lo = max(0, before - _LOOK_BACK)
    verbs = list(_ISSUING.finditer(text, lo, before)) if issuing else list(sp._VERB_RE.finditer(text, lo, before))
    for m in reversed(verbs):
        phrase = sp.phrase_before(text, max(lo, m.start() - 200), m.start())
        if phrase is not None and not sp.is_pronoun(phrase.text) and wanted(phrase):
            return _statement_owner(text, phrase)
    if issuing:
        return None
    for m in reversed(list(_SENTENCE_START.finditer(text, lo, before))):
        phrase = sp.clause_subject(text, m.end(), before)
        if phrase is not None and wanted(phrase):
            return phrase
    return None


_STATEMENT_BY_TEXT = re.compile(rf"(?<![\w’'-])(?:{sp.STATEMENT_NOUNS})\s+(?:issued\s+|released\s+)?(?:by|of|from)\s+",
                                re.IGNORECASE)


def _statement_by_before(text: str, before: int):
    """The body named in the last "a statement by X" before ``before``."""
    for m in reversed(list(_STATEMENT_BY_TEXT.finditer(text, max(0, before - _LOOK_BACK), before))):
        phrase = sp.phrase_after(text, m.end(), min(before, m.end() + 200))
        if phrase is not None and not sp.is_pronoun(phrase.text):
            return phrase
    return None


_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?”\"])\s+|\n+)(?=[A-Z])")


def _looks_like_person(phrase: str) -> bool:
    """A phrase that names a person by name: two or more capitalised words, not ending in a body's word."""
    words = [w for w in phrase.split() if w[:1].isupper() and w not in {"The", "A", "An"}]
    return len(words) >= 2 and sp._bare(phrase.split()[-1]) not in sp.BODY_WORDS and \
        phrase.split()[-1][:1].isupper() and not phrase.endswith(("’s", "'s"))


def _named_before(text: str, head: str, before: int):
    """The last phrase before ``before`` that names a body or person with this head by name ("Russia’s Foreign
    Ministry issued a statement. ... the ministry said" -> "Russia’s Foreign Ministry"; "Prime Minister Nikol
    Pashinyan announced ... the Prime Minister said" -> "Prime Minister Nikol Pashinyan")."""
    pattern = re.compile(rf"(?<!\w){re.escape(head)}(?!\w)", re.IGNORECASE)
    found = [m for m in pattern.finditer(text, max(0, before - _LOOK_BACK), before)]
    for m in reversed(found):
        phrase = sp.phrase_before(text, max(0, m.start() - 200), m.end())
        if phrase is None:
            continue
        name = _NAME_AFTER.match(text, m.end())
        if name is not None:  # the name after the title: "Prime Minister Nikol Pashinyan"
            phrase = sp.Phrase(text[phrase.start:name.end()], phrase.start, name.end())
        if any(w[:1].isupper() and sp._bare(w) not in sp.ANAPHORIC_HEADS
               for w in phrase.text.split() if w not in {"The", "A", "An", "This"}):
            return phrase
    return None


_NAME_AFTER = re.compile(r"[ \t]+(?:[A-Z][\w’'.-]+)(?:[ \t]+[A-Z][\w’'.-]+){0,3}")


def _speaker_of(record: dict) -> tuple:
    return record["speaker"], record["speaker_actor"], record.get("speaker_type")


_RECENT = 300  # characters between a speaker's quotation and a "he said" that still refers back to it
_SENTENCE_END = re.compile(r"[.!?][”’\"']?\s")


def _subject_person(doc_ments, before: int, text: str):
    """(start, end, actor) of the person "he"/"she" most likely points to: in the last sentence before the quote
    that mentions a person, the first person it mentions (the subject, in news English: "Lavrov met Bayramov.
    “…,” he said" is Lavrov)."""
    last = _last_mention(doc_ments, before, lambda a, t, s: t == "person" and not s.endswith(("’s", "'s")))
    if last is None:
        return None
    starts, ends, actors, types, surfaces = doc_ments
    chosen, sentence = last, [last]
    i = int(np.searchsorted(ends, last[0], side="right")) - 1
    while i >= 0:
        if types[i] == "person" and ends[i] <= chosen[0] and not surfaces[i].endswith(("’s", "'s")):
            if _SENTENCE_END.search(text, int(ends[i]), chosen[0]):
                break
            chosen = (int(starts[i]), int(ends[i]), actors[i], types[i])
            sentence.insert(0, chosen)
        i -= 1
    # the object of a preposition ("a meeting with Ambassador Khazar Ibrahim") is not the sentence's subject
    return next((m for m in sentence if not _OBJECT_BEFORE.search(text, max(0, m[0] - 40), m[0])), None)


_OBJECT_BEFORE = re.compile(r"(?<![\w’'-])(?:with|to|by|from|against|between|among|for|at|about|of|met|meets|"
                            r"received|receives|hosted|hosts|thanked|congratulated|invited|counterpart)"
                            r"(?:\s+(?:the|a|an|[A-Z][\w’'.-]*))*\s+$")


_ROLE_ABBREVIATIONS = {"pm": "prime minister", "fm": "foreign minister", "premier": "prime minister",
                       "mfa": "foreign ministry", "mod": "defence ministry"}


@functools.lru_cache(maxsize=1)
def _role_holders() -> dict:
    """Role phrase (lower case, "the" dropped) -> the actors that have held it (the default gazetteer)."""
    from ..text.actors import read_gazetteer
    roles = read_gazetteer()
    roles = roles[roles["variant_kind"] == "role"]
    holders: dict = {}
    for variant, actor in zip(roles["variant"], roles["actor"]):
        holders.setdefault(variant.lower().replace("’", "'"), set()).add(actor)
    return holders


def _role_holder_mentioned(phrase: str, before: int, doc_ments) -> str | None:
    """The actor a role phrase with no date to resolve it names ("the Russian FM", "Armenia's premier",
    "the Kremlin spokesman"): among the role's holders, the one the document mentions last before the quote."""
    words = phrase.lower().replace("’", "'").split()
    if words and words[0] in {"the", "a"}:
        words = words[1:]
    words = " ".join(_ROLE_ABBREVIATIONS.get(w, w) for w in words).split()
    holders = _role_holders().get(" ".join(words))
    if not holders or doc_ments is None:
        return None
    mention = _last_mention(doc_ments, before, lambda a, t, s: a in holders)
    return mention[2] if mention is not None else None


def _is_person(record: dict) -> bool:
    """Whether a resolved speaker is a person ("he"/"she" can point to it): a person actor, or a phrase whose
    head is a person's role or a name that is not a body's ("the Russian president", "Aren Khachatryan")."""
    if record.get("speaker_type") is not None:
        return record["speaker_type"] == "person"
    if any(w[:1].islower() and w.endswith("s") and sp._bare(w) in sp.PERSON_NOUNS for w in record["speaker"].split()):
        return False  # "Prosecutors in Azerbaijan", "the ministry officials": a group, not "he" or "she"
    head = record["speaker"].split()[-1]
    bare = sp._bare(head)
    if head[:1].islower() or sp.anaphoric_head(record["speaker"]) is not None:
        return bare in sp.PERSON_ROLES
    return bare not in sp.BODY_WORDS and bare not in sp.PERSON_NOUNS


def _last_mention(doc_ments, before: int, wanted):
    """(start, end, actor) of the last mention that ends before ``before`` and is ``wanted(actor, type, surface)``."""
    if doc_ments is None:
        return None
    starts, ends, actors, types, surfaces = doc_ments
    i = int(np.searchsorted(ends, before, side="right")) - 1
    while i >= 0:
        if wanted(actors[i], types[i], surfaces[i]):
            return int(starts[i]), int(ends[i]), actors[i], types[i]
        i -= 1
    return None


def _actor_in(phrase, doc_ments: tuple | None) -> str | None:
    """The actor the speaker phrase names: the person it names if any ("Maria Zakharova of the Russian Foreign
    Ministry"), else the head of the phrase, which in English comes last ("Balasanian’s Karabakh-based Justice
    Party" is the party)."""
    if doc_ments is None:
        return None, None
    starts, ends, actors, types, surfaces = doc_ments
    inside = np.flatnonzero((starts >= phrase.start) & (ends <= phrase.end))
    if not len(inside):
        return None, None
    heads = [i for i in inside if not surfaces[i].endswith(("’s", "'s"))] or list(inside)
    persons = [i for i in heads if types[i] == "person"]
    chosen = (persons or heads)[-1]
    return actors[chosen], types[chosen]


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
