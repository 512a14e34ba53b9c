"""Generate a synthetic raw news corpus of a given size, with its ground truth, for scale benchmarks.

Run: .venv/bin/python benchmarks/synthetic.py OUT_DIR --mb 10 [--seed 0]

Every article is a raw scraped page in the layout of one of the five seed files
(``seeds/000`` PanARMENIAN.Net, ``001`` and ``002`` Jamestown's Eurasia Daily
Monitor, ``003`` Caliber.az, ``004`` OpsLens): that page's web boilerplate
(menus, language switch, copyright notice, share buttons, view counter,
related headlines, image credit, "Source link"...), a title, byline and date
lines in the outlet's own format, then body paragraphs of 1-4 sentences. Ten
outlets: the four seed outlets (Jamestown twice, one per EDM layout) and six
invented ones, each on a seed layout, with a clearly fictional name or domain
("SynthARARAT.Net", "SynthCaspian.az", ...) where the layout names its outlet.
The intended ``source`` is what ``read_corpus(folder, manifest=False)`` reads
from such a page, resolved through the outlet table (``analysis/data/outlets.csv``):
"PanARMENIAN.Net" (dateline credit), "Jamestown Foundation" (publication line
"Eurasia Daily Monitor", the foundation's), "Caliber.az" (copyright notice). The
OpsLens seed page names no outlet (the loader leaves its source unknown), so its
pages here end with "Copyright © <year> OpsLens.com. All rights reserved."
(source "OpsLens"). The invented outlets are not in the table: their names are
kept as the pages write them. Seeds 000-002 carry
no date; their pages get a date line in a plausible format for the outlet
(000 "Friday, January 15, 2021, 17:22", EDM "January 14, 2021 03:29 PM"); 003
and 004 keep the seed's format. Title lines stay under 23 words (see _title_ok).

The body is 8-40 sentences made from the seed articles' body sentences
(``read_corpus("seeds").sentences``), shuffled and perturbed so that sentences
and word 5-grams do not repeat across a large corpus:

* most sentences (SPLICE_SHARE) join two or three pieces of different seed
  sentences, cut at a comma or before a conjunction or preposition, outside
  quotes and brackets, and about as long as a seed sentence;
* actor names (gazetteer ``analysis/data/actors.csv``) become another spelling
  of the same actor or another actor of the same kind (Pashinian/Pashinyan,
  Stepanakert/Khankendi/Xankəndi, Putin, Aliyev...); numbers, years and months
  change;
* 40% of the content words are replaced by seed words of the same shape
  (case, suffix -s/-ed/-ing/-ly, possessive, hyphen), some of them turned into
  hyphenated derivatives as the seeds write them ("anti-terror",
  "Russia-led"); 30% of prepositions, modals, determiners... are swapped within
  their class; adjectives and adverbs of the seeds are inserted after
  determiners and before participles; some parentheses are left out;
* punctuation, quotation marks (curly and straight, as in the seeds; always
  balanced within a sentence), negations and the capitalisation pattern stay.

The shares are higher than the 15-25% one might expect because the seeds are
only ~130 sentences: with a quarter of the content words replaced, two
documents share variants of several seed sentences whose similarity (~75-85)
passes ``analysis.measures.reuse`` alignment (70), and most document pairs came out as
text reuse. With these settings (seed 0): distinct sentences 99.3% at 1, 10 and
100 MB; word 5-gram occurrences (body) found in no other document 86% (1 MB),
75% (10 MB), 60% (100 MB): the seeds are finite; 2.5-3.6% of document pairs
share five "rare" 5-grams (``candidate_pairs``) and ~0.3% are aligned as re-use
besides the planted pairs (1-10 MB).

About 3% of the documents copy a passage of 3-8 consecutive sentences from an
earlier document of another outlet, verbatim or with one or two words changed
(an actor re-spelled or a word replaced), and are dated on or after it.
Noise: about 3% of files have CRLF line ends, 2% a UTF-8 byte-order mark.

Size: ``--mb`` is megabytes (10^6 characters) of CLEAN body text, i.e. of
``read_corpus(OUT_DIR).docs["text"]`` summed, as ``benchmarks/reuse.py`` counts
it; the generator knows each document's clean text exactly (within one document
of the target).

Ground truth: ``OUT_DIR/.synthetic_truth.csv`` (hidden, so the loader ignores
it), one row per file: file, doc_id (= the loader's doc_id, the file stem),
layout (seed file the page copies), source (the outlet name the loader reads
from the page: dateline credit, copyright domain or publication line), date
(YYYY-MM-DD), title, author, n_sentences, n_paragraphs, n_chars (clean text),
reuses (doc_id of the document a passage was copied from, empty if none),
n_sentences_copied, n_words_changed, crlf, bom. ``generate_corpus`` also
returns it as a DataFrame.

Deterministic: one seeded ``random.Random``; pools are sorted, so the same
arguments give byte-identical files whatever PYTHONHASHSEED is. Files are
written one by one; only the last few hundred documents' sentences are kept
(as candidate sources of text reuse).
"""
from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import functools
import random
import re
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TRUTH_NAME = ".synthetic_truth.csv"
TRUTH_COLUMNS = ["file", "doc_id", "layout", "source", "date", "title", "author", "n_sentences", "n_paragraphs",
                 "n_chars", "reuses", "n_sentences_copied", "n_words_changed", "crlf", "bom"]

# How sentences vary (see the module docstring)
SPLICE_SHARE = 0.9        # share of sentences made of pieces of two or three seed sentences (cut at commas...)
MID_SHARE = 0.8           # share of those with a middle piece (if the first piece leaves room)
WORD_SHARE = 0.4          # share of a sentence's content words replaced by same-shape seed words
DERIVE_SHARE = 0.2        # share of replaced lower-case words made hyphenated derivatives ("anti-X", "X-led")
FUNCTION_SHARE = 0.3      # share of replaceable function words (prepositions, modals...) swapped within their class
INSERT_SHARE = 0.25       # an adjective (adverb) is inserted where one fits: "the [regional] war", "has [openly] sided"
PAREN_DROP_SHARE = 0.3    # a parenthesis " (...)" of a sentence is left out
ACTOR_KEEP = 0.25         # an actor mention stays as in the seed, ...
ACTOR_RESPELL = 0.2       # ... becomes another spelling of the same actor, or else another actor of the same kind
# Documents
REUSE_SHARE = 0.03        # share of documents that copy a passage from an earlier one
CRLF_SHARE = 0.03
BOM_SHARE = 0.02
RECENT = 300              # documents kept in memory as candidate sources of reuse
FIRST_DAY, LAST_DAY = dt.date(2020, 1, 1), dt.date(2024, 12, 31)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PARTS = ["Two", "Three", "Four"]
PART_LINKS = ["one", "two", "three"]
AUTHORS = ["Mara Lindqvist", "Tigran Avetisov", "Elnur Gasimli", "Dana K. Whitfield", "Levan Beridze",
           "Olga Sorokina", "Jonah Reyes", "Ruben Hakobyan-Synth", "Leyla Mammadli", "Peter van Oss"]
IMAGE_CREDITS = ["DonkeyHotey", "Flickr user caucasus_pix", "Synth Wire Images", "A. Karapetyan", "Kremlin pool",
                 "Wikimedia Commons", "the Synthetic Photo Desk"]
CAPTION_SOURCES = ["Eurasianet", "News.am", "Armenpress", "Azertag", "TASS", "Sputnik", "Artsakhpress"]
SECTIONS = ["ANALYTICS", "POLITICS", "REGION", "OPINION"]
TOP_STORIES = [
    "Six total incidents have burned 19 old-growth trees. Friday night 8 trees were torched along the beautiful "
    "main entrance.",
    "The EU does not intend to conduct military exercises with Armenia, Lead Spokesperson for EU Foreign Affairs "
    "and Security Policy Peter Stano says.",
    "Hikmet Hajiyev has said that there is no place for USAID operation in Azerbaijan any longer.",
    "A telephone conversation between Putin and Pashinyan before the CSTO summit is not planned, Peskov says.",
]
TITLE_SEEDS = [
    "Jamestown Foundation: Vitaly Balasanyan, Karabakh’s strongman-in-waiting",
    "Vitaly Balasanian, Karabakh’s Strongman-in-Waiting",
    "Russia’s Karabakh Protectorate Taking Clearer Shape",
    "Russia-Armenia standoff and balance of power in South Caucasus Seeking a new scapegoat",
    "Moscow fuels tensions in region with new Smerch MRLS missiles for Armenia",
    "The Winner In Nagorno-Karabakh Is Russia",
    "Kremlin cements gains on the ground in ‘frozen conflict’ of the Soviet Union",
    "The EU does not intend to conduct military exercises with Armenia, Peter Stano says",
    "Hikmet Hajiyev says there is no place for USAID operation in Azerbaijan any longer",
    "A telephone conversation between Putin and Pashinyan before the CSTO summit is not planned",
    "Balasanian is a declared adversary of Pashinian and an aspiring strongman in Karabakh",
    "Russia is unlikely to endorse a revanche-seeking local leader in Karabakh",
    "Azerbaijan declared military victory over the de-facto separatist regime in Khankendi",
    "Putin denied any animosity towards the Armenian leadership",
    "Armenian Parliament adopted the draft law on ratifying the Rome Statute",
]


@dataclass(frozen=True)
class Outlet:
    source: str             # what the loader reads as ``source`` from a page of this outlet
    layouts: tuple[str, ...]
    domain: str = ""        # in the dateline credit (000), copyright notice (003, 004)
    signature: str = ""     # the outlet's name alone below the article (003)
    publication: str = ""   # publication line (001, 002)


OUTLETS = (
    Outlet("PanARMENIAN.Net", ("000",), domain="PanARMENIAN.Net"),
    Outlet("Jamestown Foundation", ("001", "002"), publication="Eurasia Daily Monitor"),
    Outlet("Caliber.az", ("003",), domain="Caliber.az", signature="Caliber.Az"),
    Outlet("OpsLens", ("004",), domain="OpsLens.com"),
    # invented outlets on the seed layouts
    Outlet("SynthARARAT.Net", ("000",), domain="SynthARARAT.Net"),
    Outlet("KavkazSynth.news", ("000",), domain="KavkazSynth.news"),
    Outlet("Caucasus Synthetic Monitor", ("001", "002"), publication="Caucasus Synthetic Monitor"),
    Outlet("SynthCaspian.az", ("003",), domain="SynthCaspian.az", signature="SynthCaspian.Az"),
    Outlet("FauxTbilisi.ge", ("003",), domain="FauxTbilisi.ge", signature="FauxTbilisi.Ge"),
    Outlet("SynthLens.com", ("004",), domain="SynthLens.com"),
)

# --------------------------------------------------------------------------- templates

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_TOKEN = re.compile(r"(?P<w>[^\W\d_]+(?:[-'’][^\W\d_]+)*)|(?P<n>\d+(?:[.,]\d+)*)")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_TITLE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_N_WORDS = re.compile(r"\w+")
# an outlet or place credit opening a paragraph, as analysis.corpus.cleaning reads it (kept out of other layouts' bodies)
_DATELINE_LIKE = re.compile(r"^(?:[A-Z][\w.&'’]*|\d{1,2}|\([^()]{1,30}\))(?:,?\s+(?:[A-Z][\w.&'’]*|\d{1,2}|"
                            r"\([^()]{1,30}\))){0,5}\s+[-–—]\s+")
_SPLIT_DOMAIN = re.compile(r"[a-z]\.[A-Z]")
_SUFFIXES = ("ing", "ed", "ly", "s", "")
# function words swapped within their class (negations, "but", "to", "of" and articles stay: sentiment and grammar)
FUNCTION_CLASSES = (
    ("in", "on", "at", "for", "with", "from", "by", "into", "over", "under", "against", "toward", "across", "within",
     "during", "after", "before", "through", "about", "around", "among", "despite", "without", "beyond", "between"),
    ("will", "would", "could", "may", "might", "should", "can", "must"),
    ("is", "was"), ("are", "were"), ("has", "had"), ("does", "did"),
    ("the", "this", "that", "its", "their", "his", "her", "our"), ("these", "those"),
    ("also", "now", "still", "already", "even", "again", "then", "soon", "later"),
    ("he", "she"), ("they", "we"), ("and", "or"), ("most", "more", "less"), ("former", "latter"),
)
# seed-vocabulary adjectives and adverbs inserted after a determiner / before a past participle
ADJECTIVES = ("accountable", "additional", "bilateral", "civilian", "collective", "considerable", "constructive",
              "covert", "criminal", "current", "deadly", "diplomatic", "domestic", "enormous", "ethnic", "fresh",
              "governmental", "historical", "important", "independent", "intensive", "internal", "international",
              "local", "lost", "military", "national", "negative", "new", "notorious", "obvious", "official", "old",
              "opaque", "opportunistic", "permanent", "political", "powerful", "presidential", "programmatic",
              "recent", "regional", "religious", "secondary", "senior", "separatist", "sovereign", "special",
              "strategic", "strong", "territorial", "unacceptable", "uneasy", "volatile", "weak")
ADVERBS = ("actually", "apparently", "closely", "confusingly", "generally", "heavily", "internationally", "largely",
           "officially", "openly", "particularly", "politically", "recently", "slowly", "starkly", "surely",
           "unsuccessfully")
_DETERMINERS = {"the", "this", "that", "its", "their", "his", "her", "our"}
_AUXILIARIES = {"has", "had", "have", "was", "were", "is", "are", "been", "be"}
# hyphenated derivatives, the seeds' own word formation ("anti-terror", "non-military", "re-appointment",
# "Russia-led", "trust-based"): the vocabulary keeps growing with the corpus, as a real one does
PREFIXES = ("anti", "pro", "post", "pre", "non", "counter", "quasi", "semi", "neo", "pseudo", "ex", "co", "self",
            "inter", "trans", "re", "over", "under", "extra", "ultra", "mid", "cross", "multi", "sub", "super", "proto")
COMPOUND_ENDS = ("based", "led", "backed", "related", "driven", "controlled", "linked", "style", "oriented", "era",
                 "seeking", "minded", "wide", "level", "scale")
_PAREN = re.compile(r" \([^()]*\)")
_FUNCTION = {w: i for i, cls in enumerate(FUNCTION_CLASSES) for w in cls}
# a sentence may be cut before one of these words (the tail starts with it) or after a comma
_CUT_WORDS = {"and", "which", "while", "who", "as", "after", "that", "because", "since", "although", "when", "but",
              "with", "including", "following", "before", "despite", "where", "whose", "for", "against", "toward"}
_OPEN, _CLOSE = set("([“"), set(")]”")
_NO_REPLACE_ACTORS = {"DonkeyHotey", "Vladimir Socor"}


@dataclass(frozen=True, eq=False)
class Template:
    parts: tuple            # literals and slots: ("w", key, initial, word) ("a", same, other, variant) ("n", text)
    #                         ("m", month) ("f", function class, word)
    words: tuple[int, ...]  # indices of replaceable word slots
    variety: int            # number of slots that vary
    cuts: tuple = ()        # (index, joiner): the sentence may be cut at parts[index], see _with_cuts
    sites: tuple = ()       # per part: "j" (an adjective may go before it), "v" (an adverb), or ""

    @functools.cached_property
    def n_words(self) -> int:
        return sum(1 for p in self.parts if not isinstance(p, str) or _WORD.fullmatch(p))


@dataclass(frozen=True)
class Model:
    sentences: tuple[Template, ...]
    cumulative: tuple[float, ...]    # cumulative sampling weights of sentences
    heads: tuple[Template, ...]      # first pieces of cut sentences ...
    mids: tuple[tuple[str, Template], ...]   # ... (joiner, a piece between two cuts) ...
    tails: tuple[tuple[str, Template], ...]  # ... and (joiner, last piece)
    titles: tuple[Template, ...]
    pools: dict                      # shape key -> tuple of words
    actor_pools: dict                # ("same", actor, kind, case) / ("type", type, kind, plural, case) -> variants
    respell: dict                    # variant -> other spellings of the same actor (same kind)
    actor_re: re.Pattern
    rules: tuple


def _shape(word: str) -> tuple | None:
    """Shape key of a content word: case, hyphen, suffix, possessive (None: never replaced)."""
    poss = ""
    if word.endswith(("’s", "'s")):
        word, poss = word[:-2], word[-2:]
    if "'" in word or "’" in word or len(word) < 3:
        return None
    case = "U" if word.isupper() else "C" if word[0].isupper() else "L"
    lower = word.lower()
    suffix = next(s for s in _SUFFIXES if lower.endswith(s) and len(lower) > len(s) + 2)
    return case, "-" in word, suffix, poss


def _read_actors() -> list[dict]:
    table = pd.read_csv(ROOT / "analysis" / "data" / "actors.csv", dtype=str, keep_default_na=False)
    # role phrases name whoever holds the office at a date, and Cyrillic forms are case-inflected: neither is a
    # spelling that can stand in for another in an English sentence
    keep = (table["variant_kind"] != "role") & table["variant"].str.fullmatch(r"[^\u0400-\u04FF]+")
    return table[keep].to_dict("records")


def _case(text: str) -> str:
    return "U" if text[:1].isupper() else "L"


@functools.lru_cache(maxsize=1)
def model() -> Model:
    """Sentence and title templates, word pools and actor pools, from the seed corpus (built once)."""
    import analysis
    from analysis.corpus.cleaning import load_rules
    from analysis.text.segment import STOP_WORDS

    corpus = analysis.read_corpus(ROOT / "seeds", manifest=False, errors="ignore")
    texts = sorted(set(t.strip() for t in corpus.sentences["text"]))
    texts = [t for t in texts if _usable(t)]

    actors = [a for a in _read_actors() if a["actor"] not in _NO_REPLACE_ACTORS]
    variants = sorted({a["variant"] for a in actors}, key=lambda v: (-len(v), v))
    actor_re = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(v) for v in variants) + r")(?![\w-])")
    info: dict[str, dict] = {}
    for a in actors:   # a variant listed for two actors keeps its first row
        info.setdefault(a["variant"], a)
    same: dict[tuple, list] = {}
    by_type: dict[tuple, list] = {}
    for a in actors:
        # "Caliber.Az", "PanArmenian.Net": the tokenizer splits "r.A" and the sentence rule ends a sentence there
        if a["variant_kind"] == "given_name" or _SPLIT_DOMAIN.search(a["variant"]):
            continue
        v = a["variant"]
        plural = a["variant_kind"] == "demonym" and v.endswith("s")
        same.setdefault(("same", a["actor"], a["variant_kind"], _case(v)), []).append(v)
        by_type.setdefault(("type", a["actor_type"], a["variant_kind"], plural, _case(v)), []).append(v)
    actor_pools = {k: tuple(sorted(set(v))) for k, v in {**same, **by_type}.items()}
    respell = {}
    for group in same.values():
        for v in group:
            others = tuple(sorted(set(group) - {v}))
            if others:
                respell[v] = others

    months = set(MONTHS)
    # words of the seed sentences outside actor mentions, by shape
    pools: dict[tuple, set] = {}
    lower_words = set()
    for t in texts:
        for m in _TOKEN.finditer(actor_re.sub(" ", t)):
            w = m.group("w")
            if not w or w.lower() in STOP_WORDS or w in months:
                continue
            key = _shape(w)
            if key is not None:
                pools.setdefault(key, set()).add(w)
                if key[0] == "L":
                    lower_words.add(w)
    pools = {k: tuple(sorted(v)) for k, v in pools.items() if len(v) >= 8}

    def template(text: str) -> Template:
        parts: list = []
        words: list[int] = []
        pos = 0
        first_word = True
        for am in actor_re.finditer(text):
            _tokenise(text[pos:am.start()], parts, words, pools, lower_words, STOP_WORDS, first_word)
            first_word = first_word and not _WORD.search(text[pos:am.start()])
            v = am.group(0)
            a = info[v]
            kind = a["variant_kind"]
            plural = kind == "demonym" and v.endswith("s")
            parts.append(("a", ("same", a["actor"], kind, _case(v)), ("type", a["actor_type"], kind, plural, _case(v)),
                          v))
            first_word = False
            pos = am.end()
        _tokenise(text[pos:], parts, words, pools, lower_words, STOP_WORDS, first_word)
        variety = len(words) + sum(1 for p in parts if isinstance(p, tuple) and p[0] in "anm")
        return Template(tuple(parts), tuple(words), variety)

    sentences = tuple(_with_cuts(_with_sites(template(t))) for t in texts)
    # sentences with few varying slots are drawn less often: they cannot vary enough to stay distinct
    weights = [min(1.0, (s.variety / 8) ** 2) for s in sentences]
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    heads, mids, tails = [], [], []
    for tpl in sentences:
        for k, (index, joiner) in enumerate(tpl.cuts):
            heads.append(_sub_template(tpl, 0, index))
            tails.append((joiner, _sub_template(tpl, index + 1, len(tpl.parts))))
            for end, _ in tpl.cuts[k + 1:]:
                mids.append((joiner, _sub_template(tpl, index + 1, end)))
    titles = tuple(_with_sites(template(t)) for t in TITLE_SEEDS)
    return Model(sentences, tuple(cumulative), tuple(heads), tuple(mids), tuple(tails), titles, pools, actor_pools,
                 respell, actor_re, load_rules())


def _sub_template(tpl: Template, start: int, end: int) -> Template:
    parts = tpl.parts[start:end]
    words = tuple(i - start for i in tpl.words if start <= i < end)
    return Template(parts, words, tpl.variety, (), tpl.sites[start:end])


def _with_sites(tpl: Template) -> Template:
    """Mark where a modifier fits: a lower-case noun-like word after "the " (adjective), a past participle
    after "has " (adverb)."""
    sites = [""] * len(tpl.parts)
    for i in range(2, len(tpl.parts)):
        part = tpl.parts[i]
        if isinstance(part, str) or part[0] != "w" or part[1][0] != "L" or tpl.parts[i - 1] != " ":
            continue
        before = _part_text(tpl.parts[i - 2]).lower()
        if before in _DETERMINERS and part[1][2] in ("", "s"):
            sites[i] = "j"
        elif before in _AUXILIARIES and part[1][2] == "ed":
            sites[i] = "v"
    return Template(tpl.parts, tpl.words, tpl.variety, tpl.cuts, tuple(sites))


def _part_text(part) -> str:
    return part if isinstance(part, str) else part[-1]


def _with_cuts(tpl: Template) -> Template:
    """The template with the places where it may be cut, outside brackets and quotes, leaving 3+ words on
    each side: at a comma (joiner ", ": the comma and its space are dropped) or before a conjunction, relative
    pronoun or preposition (joiner " ": the space before it is dropped, the next piece starts with the word)."""
    if "‘" in "".join(p for p in tpl.parts if isinstance(p, str)):
        return tpl
    is_word = [not isinstance(p, str) or bool(_WORD.fullmatch(p)) for p in tpl.parts]
    n_words = sum(is_word)
    depth, straight, seen, cuts = 0, False, 0, []
    for i, part in enumerate(tpl.parts):
        if is_word[i]:
            seen += 1
            continue
        if depth == 0 and not straight and 3 <= seen <= n_words - 3 and i < len(tpl.parts) - 1:
            if part == ", ":
                cuts.append((i, ", "))
            elif part == " " and _part_text(tpl.parts[i + 1]) in _CUT_WORDS:
                cuts.append((i, " "))
        for ch in part:
            depth += ch in _OPEN
            depth -= ch in _CLOSE
            straight ^= ch == '"'
    return Template(tpl.parts, tpl.words, tpl.variety, tuple(cuts), tpl.sites)


def _usable(text: str) -> bool:
    """A seed sentence that can stand anywhere: starts upper case, ends a sentence, balanced double quotes."""
    first = next((c for c in text if c.isalnum()), "")
    return (bool(first) and not first.islower() and bool(_TERMINAL.search(text))
            and text.count("“") == text.count("”") and text.count('"') % 2 == 0
            and text.count("(") == text.count(")") and text.count("[") == text.count("]")
            and len(_N_WORDS.findall(text)) >= 4)


def _tokenise(chunk: str, parts: list, words: list, pools: dict, lower_words: set, stop_words, first: bool) -> None:
    pos = 0
    for m in _TOKEN.finditer(chunk):
        if m.start() > pos:
            parts.append(chunk[pos:m.start()])
        w, n = m.group("w"), m.group("n")
        if n:
            parts.append(("n", n))
        elif w in MONTHS and not (first and w == "May"):
            parts.append(("m", w))
        else:
            initial = first and w[0].isupper() and w.lower() in lower_words
            key = _shape(w.lower() if initial else w)
            if w in _FUNCTION and not first:
                parts.append(("f", _FUNCTION[w], w))
            elif w.lower() in stop_words or key not in pools:
                parts.append(w)
            else:
                words.append(len(parts))
                parts.append(("w", key, initial, w))
        first = False
        pos = m.end()
    if pos < len(chunk):
        parts.append(chunk[pos:])


def _derive(word: str, suffix: str, rng: random.Random) -> str:
    """A hyphenated derivative, as the seeds write them ("anti-terror", "quasi-autonomist", "Karabakh-based")."""
    if suffix in ("", "s") and rng.random() < 0.3:
        return f"{word}-{rng.choice(COMPOUND_ENDS)}"
    return f"{rng.choice(PREFIXES)}-{word}"


def _number(text: str, rng: random.Random) -> str:
    if text.isdigit():
        value = int(text)
        if len(text) == 4 and 1900 <= value <= 2039:
            return str(rng.randint(1995, 2024))
        if len(text) <= 2 and value <= 31:
            return str(rng.randint(1, 28))
    out, lead = [], True
    for ch in text:
        if ch.isdigit():
            out.append(str(rng.randint(1, 9) if lead else rng.randint(0, 9)))
            lead = False
        else:
            out.append(ch)
    return "".join(out)


def render(tpl: Template, rng: random.Random, m: Model, word_share: float | None = None,
           min_words: int = 2) -> str:
    """One perturbed copy of a template."""
    word_share = WORD_SHARE if word_share is None else word_share
    n = len(tpl.words)
    k = min(n, max(min_words, int(n * word_share + rng.random())))
    chosen = set(rng.sample(tpl.words, k)) if k else set()
    out = []
    sites = tpl.sites
    for i, part in enumerate(tpl.parts):
        if isinstance(part, str):
            out.append(part)
            continue
        if sites[i] and rng.random() < INSERT_SHARE:
            out.append(rng.choice(ADJECTIVES if sites[i] == "j" else ADVERBS) + " ")
        kind = part[0]
        if kind == "w":
            if i in chosen:
                word = rng.choice(m.pools[part[1]])
                if part[1][:2] == ("L", False) and rng.random() < DERIVE_SHARE:
                    word = _derive(word, part[1][2], rng)
                out.append(word[0].upper() + word[1:] if part[2] else word)
            else:
                out.append(part[3])
        elif kind == "a":
            r = rng.random()
            if r < ACTOR_KEEP:
                out.append(part[3])
            else:
                pool = m.actor_pools.get(part[1] if r < ACTOR_KEEP + ACTOR_RESPELL else part[2]) or (part[3],)
                out.append(rng.choice(pool))
        elif kind == "f":
            out.append(rng.choice(FUNCTION_CLASSES[part[1]]) if rng.random() < FUNCTION_SHARE else part[2])
        elif kind == "n":
            out.append(_number(part[1], rng) if rng.random() < 0.8 else part[1])
        else:
            out.append(rng.choice(MONTHS) if rng.random() < 0.7 else part[1])
    return "".join(out)


def pick_sentence(rng: random.Random, m: Model) -> Template:
    return m.sentences[bisect.bisect_right(m.cumulative, rng.random() * m.cumulative[-1])]


def make_sentence(rng: random.Random, m: Model) -> str:
    """A whole perturbed seed sentence, or (SPLICE_SHARE) the head of one joined to the tail of another."""
    if rng.random() >= SPLICE_SHARE:
        text = render(pick_sentence(rng, m), rng, m)
    else:
        # pieces of different seed sentences, about as long as a seed sentence (the length of one drawn at random)
        target = pick_sentence(rng, m).n_words
        pieces = [("", min((rng.choice(m.heads) for _ in range(4)), key=lambda h: abs(h.n_words - 0.45 * target)))]
        if rng.random() < MID_SHARE and pieces[0][1].n_words < 0.6 * target:
            pieces.append(min((rng.choice(m.mids) for _ in range(4)), key=lambda p: abs(p[1].n_words - 0.3 * target)))
        length = sum(piece.n_words for _, piece in pieces)
        tails = [rng.choice(m.tails) for _ in range(6)]
        pieces.append(min(tails, key=lambda tail: abs(length + tail[1].n_words - target)))
        text = "".join(joiner + render(piece, rng, m, min_words=1) for joiner, piece in pieces)
    if "(" in text:
        text = _PAREN.sub(lambda p: "" if rng.random() < PAREN_DROP_SHARE and _balanced(p.group(0)) else p.group(0),
                          text)
    return text


def _balanced(text: str) -> bool:
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0

# --------------------------------------------------------------------------- checks against the loader's rules

_BYLINE_START = re.compile(r"^(?:by|written by|author|authors|posted by|reporting by|publication|published in|"
                           r"periodical|journal|volume)\b", re.IGNORECASE)


def _n_words(text: str) -> int:
    return len(_N_WORDS.findall(text))


def _is_boilerplate(text: str, m: Model) -> bool:
    """Would a boilerplate rule of analysis/data/boilerplate.yaml remove this line?"""
    n = _n_words(text)
    return any(rule.matches(text, n) for rule in m.rules)


def _title_ok(text: str, m: Model, more_words: int = 0) -> bool:
    """A header line the loader takes for a title, never for body, byline, date or boilerplate.

    At most 22 words: from 25 words on a line counts as body text, and the header above it is lost.
    """
    from analysis.corpus.dates import DateError, find_date
    n = _n_words(text) + more_words
    if not 3 <= n <= 22 or _TITLE_END.search(text) or _BYLINE_START.match(text) or text.isupper():
        return False
    if any(c in text for c in ";|©") or _is_boilerplate(text, m):
        return False
    try:
        return find_date(text) is None
    except DateError:
        return False


def make_title(rng: random.Random, m: Model, suffix: str = "") -> str:
    """A title; ``suffix`` is what follows it on its line (the EDM publication), checked with it."""
    for _ in range(50):
        text = render(rng.choice(m.titles), rng, m, word_share=0.35, min_words=1).strip()
        text = re.sub(r"[\s.!?…:;,]+$", "", text)
        if _title_ok(text, m, _n_words(suffix)):
            return text
    raise RuntimeError("no valid title in 50 attempts")  # never seen; a bug in the title seeds if it happens


# --------------------------------------------------------------------------- pages

def _clock(rng: random.Random) -> tuple[int, int]:
    return rng.randint(7, 22), rng.randint(0, 59)


def _date_line(layout: str, day: dt.date, rng: random.Random) -> str:
    hour, minute = _clock(rng)
    month = MONTHS[day.month - 1]
    if layout == "000":
        return f"{WEEKDAYS[day.weekday()]}, {month} {day.day}, {day.year}, {hour:02d}:{minute:02d}"
    if layout in ("001", "002"):
        return f"{month} {day.day}, {day.year} {(hour - 1) % 12 + 1:02d}:{minute:02d} {'PM' if hour >= 12 else 'AM'}"
    if layout == "003":
        return f"{day.day} {month} {day.year} {hour:02d}:{minute:02d}"
    return f"{month} {day.day}, {day.year}"


def _blank_separated(paragraphs: list[str]) -> list[str]:
    lines = []
    for p in paragraphs:
        lines += [p, ""]
    return lines


def page(layout: str, outlet: Outlet, day: dt.date, paragraphs: list[str], rng: random.Random,
         m: Model) -> tuple[list[str], str, str]:
    """The raw lines of one article page, its title and author as the loader should read them."""
    author, suffix = "", ""
    if layout == "001":
        volume, issue = day.year - 2003, rng.randint(1, 190)
        suffix = f"; {outlet.publication} Volume: {volume} Issue: {issue}"
    title = make_title(rng, m, suffix)
    date_line = _date_line(layout, day, rng)
    if layout == "000":
        stories = rng.sample(TOP_STORIES, rng.randint(1, 3)) + [make_title(rng, m) for _ in range(rng.randint(1, 2))]
        lines = [title, "", title, "", date_line, "", f"{outlet.domain} - {paragraphs[0]}", ""]
        lines += _blank_separated(paragraphs[1:])
        lines += ["\u00a0Top stories", *stories, "Partner news", "---"]
    elif layout == "001":
        author = rng.choice(AUTHORS)
        lines = [title + suffix, "", f"By: {author}", "",
                 date_line, ""] + _blank_separated(paragraphs)
    elif layout == "002":
        volume, issue = day.year - 2003, rng.randint(1, 190)
        part = rng.randrange(len(PARTS) + 4)
        if part < len(PARTS):
            title = f"{title} (Part {PARTS[part]})"
        people = rng.sample(m.actor_pools[("type", "person", "name", False, "U")], 2)
        caption = (f"{people[0]} and {people[1]} in {rng.choice(['early', 'mid', 'late'])} {day.year - 1} "
                   f"(Source: {rng.choice(CAPTION_SOURCES)})")
        lines = [title, "", f"Publication: {outlet.publication} Volume: {volume} Issue: {issue}", "", date_line, "",
                 caption, ""]
        for link in PART_LINKS[:part + 1] if part < len(PARTS) else []:
            lines += [f"*To read part {link}, please click here", ""]
        lines += _blank_separated(paragraphs)
    elif layout == "003":
        section = rng.choice(SECTIONS)
        lines = ["twitter", "youtube", "instagram", "facebook", "telegram", "apple store", "play market", "ru", "arm",
                 "search", "WHAT ARE YOU LOOKING FOR ?", "", "", "", "", "", "",
                 f"Any use of materials is allowed only if there is a hyperlink to {outlet.domain}",
                 f"{outlet.domain} © {day.year}. .", "", make_title(rng, m), "", section, "A+", "A-", "", title, "",
                 date_line, ""] + _blank_separated(paragraphs)
        lines += [outlet.signature, f"Views: {rng.randint(40, 25000)}", "",
                  "share-lineLiked the story? Share it on social media!", "print", "copy link", "Ссылка скопирована",
                  section, f"Analytical materials of te authors of {outlet.domain}", "loading"]
    elif layout == "004":
        if rng.random() < 0.5:
            author = rng.choice(AUTHORS)
        subtitle = make_title(rng, m)
        lines = [title, "", f"By: {author} - {date_line}" if author else f"By: - {date_line}", "", subtitle, "",
                 f"Image by {rng.choice(IMAGE_CREDITS)}", ""] + _blank_separated(paragraphs)
        # the seed page names no outlet; OpsLens pages end with this notice (the loader reads the domain from it)
        lines += ["Source link", "", f"Copyright © {day.year} {outlet.domain}. All rights reserved."]
    else:
        raise ValueError(f"unknown layout {layout!r}")
    return lines, title, author


# --------------------------------------------------------------------------- documents

@dataclass
class _Doc:
    doc_id: str
    outlet: int
    day: dt.date
    sentences: list[str]


def _group(sentences: list[str], rng: random.Random) -> list[list[str]]:
    """Paragraphs of 1-4 sentences; the first has at least two (so the loader sees it as body)."""
    groups, i = [], 0
    while i < len(sentences):
        size = rng.choice((2, 3, 4)) if not groups else rng.choice((1, 2, 2, 3, 3, 4))
        groups.append(sentences[i:i + size])
        i += size
    return groups


def _fresh_sentences(n: int, rng: random.Random, m: Model) -> list[str]:
    return [make_sentence(rng, m) for _ in range(n)]


def _fix_paragraphs(groups: list[list[str]], rng: random.Random, m: Model, fixed: set[int]) -> list[str]:
    """Paragraph texts; a paragraph a loader rule would misread gets new sentences (never a copied one)."""
    texts = []
    for gi, group in enumerate(groups):
        for _ in range(100):
            text = " ".join(group)
            bad = _is_boilerplate(text, m) or (gi == 0 and (_DATELINE_LIKE.match(text) or _n_words(text) < 12
                                                            or not _TERMINAL.search(text)))
            if not bad or gi in fixed:
                break
            group[:] = _fresh_sentences(len(group) if gi else max(2, len(group)), rng, m)
        texts.append(text)
    return texts


def _change_words(passage: list[str], n: int, rng: random.Random, m: Model) -> int:
    """Change ``n`` words of a copied passage in place (an actor re-spelled, or a word replaced)."""
    from analysis.text.segment import STOP_WORDS
    changed = 0
    for _ in range(n):
        for _attempt in range(20):
            i = rng.randrange(len(passage))
            s = passage[i]
            names = [x for x in m.actor_re.finditer(s) if x.group(0) in m.respell]
            if names and rng.random() < 0.5:
                hit = rng.choice(names)
                new = rng.choice(m.respell[hit.group(0)])
            else:
                words = [x for x in _WORD.finditer(s) if x.group(0).islower() and x.group(0) not in STOP_WORDS
                         and _shape(x.group(0)) in m.pools]
                if not words:
                    continue
                hit = rng.choice(words)
                new = rng.choice(m.pools[_shape(hit.group(0))])
            if new != hit.group(0):
                passage[i] = s[:hit.start()] + new + s[hit.end():]
                changed += 1
                break
    return changed


def _random_day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))


def generate_corpus(out_dir: str | Path, mb: float, *, seed: int = 0) -> pd.DataFrame:
    """Write raw .txt articles totalling about ``mb`` million characters of clean body text into ``out_dir``.

    Returns the ground truth, one row per file (columns ``TRUTH_COLUMNS``, ``date`` as datetime64),
    also written to ``out_dir/.synthetic_truth.csv``. ``out_dir`` must be empty or hold an earlier
    output of this generator (whose files are replaced).
    """
    out = Path(out_dir)
    _prepare(out)
    m = model()
    rng = random.Random(seed)
    target = mb * 1e6
    recent: deque[_Doc] = deque(maxlen=RECENT)
    rows = []
    total = 0
    seen: set[int] = set()
    n_sentences_total = 0
    i = 0
    while total < target:
        outlet_index = rng.randrange(len(OUTLETS))
        outlet = OUTLETS[outlet_index]
        layout = rng.choice(outlet.layouts)
        doc_id = f"{i:06d}_{rng.getrandbits(64):016x}"
        reuse = rng.random() < REUSE_SHARE
        sources = [d for d in recent if d.outlet != outlet_index and len(d.sentences) >= 8] if reuse else []
        if sources:
            source = rng.choice(sources)
            k = rng.randint(3, 8)
            start = rng.randint(0, len(source.sentences) - k)
            passage = source.sentences[start:start + k]
            n_changed = _change_words(passage, rng.choice((0, 0, 1, 2)), rng, m)
            day = min(LAST_DAY, source.day + dt.timedelta(days=rng.randint(1, 45)))
            own = _fresh_sentences(rng.randint(max(3, 8 - k), 40 - k), rng, m)
            groups = _group(own, rng)
            at = rng.randint(1, len(groups))
            passage_groups = _group(passage, rng) if k > 4 else [passage]
            groups[at:at] = passage_groups
            fixed = set(range(at, at + len(passage_groups)))
        else:
            source, k, n_changed, fixed = None, 0, 0, set()
            day = _random_day(rng)
            groups = _group(_fresh_sentences(rng.randint(8, 40), rng, m), rng)
        paragraphs = _fix_paragraphs(groups, rng, m, fixed)
        sentences = [s for g in groups for s in g]
        lines, title, author = page(layout, outlet, day, paragraphs, rng, m)
        crlf, bom = rng.random() < CRLF_SHARE, rng.random() < BOM_SHARE
        raw = "\n".join(lines).rstrip("\n") + "\n"
        data = (raw.replace("\n", "\r\n") if crlf else raw).encode("utf-8")
        file = f"{doc_id}.txt"
        (out / file).write_bytes(b"\xef\xbb\xbf" + data if bom else data)

        n_chars = sum(len(p) for p in paragraphs) + 2 * (len(paragraphs) - 1)
        total += n_chars
        n_sentences_total += len(sentences)
        seen.update(hash(s) for s in sentences)
        rows.append({"file": file, "doc_id": doc_id, "layout": layout, "source": outlet.source,
                     "date": day.isoformat(), "title": title, "author": author, "n_sentences": len(sentences),
                     "n_paragraphs": len(paragraphs), "n_chars": n_chars, "reuses": source.doc_id if source else "",
                     "n_sentences_copied": k, "n_words_changed": n_changed, "crlf": crlf, "bom": bom})
        if source is None:
            recent.append(_Doc(doc_id, outlet_index, day, sentences))
        i += 1
    truth = pd.DataFrame(rows, columns=TRUTH_COLUMNS)
    truth.to_csv(out / TRUTH_NAME, index=False, lineterminator="\n")
    truth["date"] = pd.to_datetime(truth["date"])
    truth.attrs["distinct_sentence_share"] = len(seen) / max(1, n_sentences_total)
    truth.attrs["n_sentences"] = n_sentences_total
    return truth


def _prepare(out: Path) -> None:
    """Create ``out``, or clear an earlier output of this generator from it; refuse any other content."""
    out.mkdir(parents=True, exist_ok=True)
    truth = out / TRUTH_NAME
    if truth.is_file():
        with truth.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                (out / row["file"]).unlink(missing_ok=True)
        truth.unlink()
    others = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    if others:
        raise FileExistsError(f"{out} holds files this generator did not write ({', '.join(others[:3])}...); "
                              "give an empty or new folder")


def read_truth(out_dir: str | Path) -> pd.DataFrame:
    """The ground truth written by :func:`generate_corpus` into ``out_dir``."""
    truth = pd.read_csv(Path(out_dir) / TRUTH_NAME, dtype={"doc_id": str, "layout": str, "reuses": str},
                        keep_default_na=False)
    truth["date"] = pd.to_datetime(truth["date"])
    return truth


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes (10^6 characters) of clean body text")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    model()
    loaded = time.perf_counter()
    truth = generate_corpus(args.out_dir, args.mb, seed=args.seed)
    seconds = time.perf_counter() - start
    raw_mb = sum(p.stat().st_size for p in args.out_dir.glob("*.txt")) / 1e6
    n_reuse = int((truth["reuses"] != "").sum())
    print(f"wrote {len(truth)} files to {args.out_dir} ({raw_mb:.1f} MB raw), truth in {args.out_dir / TRUTH_NAME}")
    print(f"clean text: {truth['n_chars'].sum() / 1e6:.2f} MB (10^6 characters), "
          f"{truth.attrs['n_sentences']} sentences, "
          f"distinct-sentence share {truth.attrs['distinct_sentence_share']:.4f}")
    print(f"outlets: {truth['source'].nunique()}, dates {truth['date'].min():%Y-%m-%d} to "
          f"{truth['date'].max():%Y-%m-%d}, planted reuse: {n_reuse} documents, "
          f"CRLF: {int(truth['crlf'].sum())}, BOM: {int(truth['bom'].sum())}")
    print(f"seconds: {seconds:.1f} ({loaded - start:.1f} reading the seeds, {seconds - (loaded - start):.1f} writing)")


if __name__ == "__main__":
    main()
