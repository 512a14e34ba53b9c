"""Sentence-level lexicon sentiment, aggregated with honest uncertainty.

Two general-purpose English lexicons score every sentence, offline:

* TextBlob's ``PatternAnalyzer`` (the Pattern lexicon, mostly adjectives):
  ``tb_polarity`` in [-1, 1] and ``tb_subjectivity`` in [0, 1];
* VADER (Hutto & Gilbert 2014, built for social media): ``vader_compound`` in
  [-1, 1] (the normalised sum of word valences, rounded to 4 decimals by VADER)
  and ``vader_pos``/``vader_neu``/``vader_neg``, the shares in [0, 1] of the
  sentence's valence mass that is positive, neutral, negative (rounded to 3
  decimals; they sum to about 1).

Neither lexicon was built for war reporting: "security", "peacekeepers" or
"Justice Party" score positive, "war" and "conflict" negative whatever the
stance, and "victory", "liberation" or "occupation" score nothing.
:func:`sentiment_pitfalls` and :func:`lexicon_entries` show this for every
sentence and word, and ``data/sentiment_domain_words.csv`` lists the words
whose score misleads in this domain. Read a difference between outlets as a
difference in vocabulary first and in stance only after reading the sentences
(:func:`extreme_sentences`, :func:`actor_sentences`).

Every table here is tidy and keyed by ``doc_id`` and ``sentence_id``, so each
mean can be traced back to the sentences it averages.
"""
from __future__ import annotations

import functools
import math
import re
from itertools import chain, compress
from operator import itemgetter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .resampling import mean_ci
from .._package import DATA_DIR

DOMAIN_WORDS = DATA_DIR / "sentiment_domain_words.csv"

MEASURES = ("tb_polarity", "tb_subjectivity", "vader_compound")
SCORE_COLUMNS = ["doc_id", "source", "sentence_id", "text", "tb_polarity", "tb_subjectivity",
                 "vader_compound", "vader_pos", "vader_neu", "vader_neg"]
SUMMARY_COLUMNS = ["measure", "n_sentences", "n_documents", "mean", "ci_low", "ci_high", "resampled"]
AGREEMENT_COLUMNS = ["n_sentences", "n_both_nonzero", "pearson_r", "spearman_rho", "sign_agreement",
                     "both_neutral"]
ACTOR_SENTENCE_COLUMNS = ["doc_id", "source", "sentence_id", "actor", "actor_type", "tb_polarity",
                          "vader_compound", "text"]
PITFALL_COLUMNS = ["doc_id", "source", "sentence_id", "text", "tb_polarity", "vader_compound",
                   "has_negation", "lexicons_disagree", "domain_words", "flagged"]
LEXICON_COLUMNS = ["word", "tb_polarity", "tb_subjectivity", "vader_valence", "vader_compound"]

_STR = pd.Series(["x"]).dtype  # the dtype pandas infers for text ("str" in pandas 3, object before)

# Typographic quotes and apostrophes -> ASCII. VADER strips only ASCII punctuation from a word and
# spots negation as "n't": with ’ it misses both ("‘peacekeepers’" scores 0, "haven’t" negates nothing).
_ASCII_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "‹": "'", "›": "'",
                               "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'})
_QUOTE_PAIRS = [(chr(k), v) for k, v in _ASCII_QUOTES.items()]


def _ascii_quotes(text: str) -> str:
    """text.translate(_ASCII_QUOTES), ten times faster on news: str.translate looks every character up."""
    if text.isascii():
        return text
    for quote, ascii_quote in _QUOTE_PAIRS:  # the replacements are ASCII, so no later quote can appear in them
        if quote in text:
            text = text.replace(quote, ascii_quote)
    return text


_NEGATION = re.compile(r"\b(?:not|no|never|without|nor|neither|none|cannot)\b|n['’]t\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


# The library versions whose sentiment code the fast scorers below follow step by step, and against which
# tests/test_sentiment.py checks them; with any other version the libraries' own functions are used.
_VERIFIED_VERSIONS = {"textblob": "0.20.1", "vaderSentiment": "3.3.2"}
# Distinct tokens a fast scorer remembers: at most ~25 MB (TextBlob, ~500 bytes a token) and ~13 MB (VADER);
# the memo restarts when full. The 10 MB synthetic corpus has ~35,000 distinct tokens.
_MEMO_LIMIT = 50_000


def _verified(package: str) -> bool:
    from importlib import metadata
    try:
        return metadata.version(package) == _VERIFIED_VERSIONS[package]
    except metadata.PackageNotFoundError:
        return False


def _fast_pattern(sentiment):
    """TextBlob's pattern sentiment of a string (textblob 0.20.1) without its fixed costs; the same two floats.

    ``sentiment`` is ``textblob.en.sentiment``, the function that
    ``PatternAnalyzer.analyze`` calls. For a string it tokenizes with
    ``find_tokens``, lower-cases the words and averages the ``assessments``.
    Three things there cost more than the scoring itself on news sentences: the
    lexicon is a ``lazydict`` whose ``in`` and ``[]`` are Python methods;
    every token that is not purely alphabetic (numbers, "'s", quotes) is looked
    up by comparing it with all ~90 emoticons; and ``find_tokens`` splits the
    punctuation off the same words again and again. The returned callable
    remembers, for each whitespace-separated token, how ``find_tokens`` splits
    it and what ``assessments`` looks up about each lower-case piece (lexicon
    entry read with plain dict methods once loaded; negation, "!", emoticon),
    and then follows ``assessments`` statement by statement (keeping only the
    polarity, subjectivity, intensity and negation of each assessment: the
    rest never enters the scores, which are summed in the same order). Words
    that can change nothing while no negation or modifier is pending are
    skipped.

    ``find_tokens`` also groups its tokens into sentences and, per group,
    merges "( ! )" into "(!)" and emoticons written with spaces (": )" after
    splitting, "8 )" from "(2018)") into one token. Those regular expressions
    change a text only where a match spans a space. A text where that can
    happen (about 1 sentence in 170 of synthetic news, mostly "(..., 2018)"),
    that has a line break (paragraph breaks end a group) or the literal marker
    "END-OF-SENTENCE", or that is not a ``str``, is scored by ``sentiment``
    itself. Returns a (polarity, subjectivity) tuple; with another textblob
    version, ``sentiment`` itself is returned.
    """
    from textblob import _text as tx

    if not _verified("textblob"):
        return sentiment
    len(sentiment)  # loads the lexicon: afterwards dict.get sees the words without lazydict's Python methods
    lexicon = sentiment
    negations, modifiers, modifier = sentiment.negations, sentiment.modifiers, sentiment.modifier
    pos_is_modifier = None in modifiers  # the part of speech of a word given as a string is None
    punctuation = tuple(tx.PUNCTUATION.replace(".", ""))  # find_tokens' defaults, as parser.find_tokens passes them
    punctuation_dot = punctuation + (".",)
    replace, abbreviations = tx.replacements, tx.ABBREVIATIONS
    abbr1, abbr2, abbr3 = tx.RE_ABBR1.match, tx.RE_ABBR2.match, tx.RE_ABBR3.match
    # find_tokens substitutes each contraction in turn; their matches never overlap nor touch, so one pass is the same
    contraction = re.compile("|".join(map(re.escape, replace)))
    emoticon_value = {}
    for (_, value), faces in tx.EMOTICONS.items():  # assessments takes the first group that lists the token
        for face in faces:
            emoticon_value.setdefault(face.lower(), value)
    # find_tokens joins the pieces of each group of tokens with spaces and applies RE_SARCASM ("( ! )" -> "(!)")
    # and RE_EMOTICONS (": )" -> ":)") to the group. They change the text only where a match spans a space (a
    # match without one is replaced by itself), and such a match has two consecutive characters of "(!)" or of
    # an emoticon on either side of that space
    joins = {(a, b) for face in ["(!)", *(f for faces in tx.EMOTICONS.values() for f in faces)]
             for a, b in zip(face, face[1:])}
    spaced = re.compile("|".join(sorted(re.escape(a + " " + b) for a, b in joins)))
    adjacent = re.compile("|".join(sorted(re.escape(a + b) for a, b in joins)))
    memo: dict[str, tuple[str, tuple[tuple, ...], tuple[str, ...]]] = {}

    def facts(w):
        # what assessments looks up about the lower-case word w: (w, (polarity, subjectivity, intensity) if
        # the lexicon has w, whether w modifies the next word, whether w can change anything when no negation
        # or modifier is pending). The lexicon does not change once loaded.
        entry = dict.get(lexicon, w)
        if entry is not None and None in entry:
            return w, entry[None], pos_is_modifier or any(map(entry.__contains__, modifiers)), False
        inert = not (w in negations or w == "!" or w == "(!)" or
                     (w.isalpha() is False and len(w) <= 5 and w not in tx.PUNCTUATION and w in emoticon_value))
        return w, None, False, inert

    def split(token):
        # find_tokens' loop body for one token, unchanged, then remembered
        t = token
        tokens, tail = [], []
        while t.startswith(punctuation) and t not in replace:
            if t.startswith(punctuation):
                tokens.append(t[0])
                t = t[1:]
        while t.endswith(punctuation_dot) and t not in replace:
            if t.endswith(punctuation):
                tail.append(t[-1])
                t = t[:-1]
            if t.endswith("..."):
                tail.append("...")
                t = t[:-3].rstrip(".")
            if t.endswith("."):
                if t in abbreviations or abbr1(t) is not None or abbr2(t) is not None or abbr3(t) is not None:
                    break
                else:
                    tail.append(t[-1])
                    t = t[:-1]
        if t != "":
            tokens.append(t)
        tokens.extend(reversed(tail))
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        # (its pieces' first character, "\0", their last character; the facts of the lower-case pieces; the
        # pieces); a token whose own pieces have such a pair of characters across a space gets "(!" instead
        ends = tokens[0][0] + "\0" + tokens[-1][-1] if tokens else ""
        found = memo[token] = ("(!" if spaced.search(" ".join(tokens)) else ends,
                               tuple(facts(w.lower()) for w in tokens), tuple(tokens))
        return found

    def regexes_act(pieces):
        # Whether find_tokens' regexes change the joined pieces of some group. If no match in the whole joined
        # text spans a space, none spans a group boundary, so per group they find the same matches (a match
        # that ends a group is followed by the end instead of a space: both allowed), none with a space
        joined = " ".join(pieces)
        return any(" " in m.group(0) for m in tx.RE_SARCASM.finditer(joined)) or \
            any(" " in m.group(1) for m in tx.RE_EMOTICONS.finditer(joined))

    def words(text):
        """The facts of the words Sentiment.__call__ scores, or None where find_tokens' regexes could act."""
        if "\n" in text or tx.EOS in text:
            return None
        if "'" in text:
            text = contraction.sub(r" \g<0>", text)
        text = (text.replace("“", " “ ").replace("”", " ” ").replace("‘", " ‘ ").replace("’", " ’ ")
                .replace("'", " ' ").replace('"', ' " '))
        tokens = text.split()  # re.sub(r"\s+", " ") then TOKEN.findall: the same runs (\s is str.isspace)
        known = list(map(memo.get, tokens))
        if None in known:
            known = [k if k is not None else split(t) for k, t in zip(known, tokens)]
        # the characters on either side of each space that find_tokens' join puts between two tokens' pieces
        # follow each other in this string (the "\0" keeps a token's own first and last character apart)
        if adjacent.search("".join(map(itemgetter(0), known))) is not None and \
                regexes_act(list(chain.from_iterable(map(itemgetter(2), known)))):
            return None
        return list(chain.from_iterable(map(itemgetter(1), known)))

    def score(text):
        found = words(text) if type(text) is str else None
        if found is None:
            return tuple(sentiment(text))
        a = []  # [polarity, subjectivity, intensity, negated] per assessment
        m = None  # preceding modifier
        n = None  # preceding negation
        for w, psi, modifies, inert in found:
            if psi is not None:
                p, s, i = psi
                if m is None:
                    a.append([p, s, i, 1])
                if m is not None:
                    last = a[-1]
                    last[0] = max(-1.0, min(p * last[2], +1.0))
                    last[1] = max(-1.0, min(s * last[2], +1.0))
                    last[2] = i
                if n is not None:
                    last = a[-1]
                    last[2] = 1.0 / last[2]
                    last[3] = -1
                m = None
                n = None
                if modifies:
                    m = w
                if w in negations:
                    n = w
            elif inert and n is None and m is None:
                continue  # assessments' tests below all fail
            else:
                if w in negations:
                    n = w
                elif n and len(w.strip("'")) > 1:
                    n = None
                if n is not None and m is not None and (pos_is_modifier or modifier(m)):
                    a[-1][3] = -1
                    n = None
                elif m is not None and len(w) > 2:
                    m = None
                if w == "!" and len(a) > 0:
                    a[-1][0] = max(-1.0, min(a[-1][0] * 1.25, +1.0))
                if w == "(!)":
                    a.append([0.0, 1.0, 1.0, 1])
                if w.isalpha() is False and len(w) <= 5 and w not in tx.PUNCTUATION:
                    value = emoticon_value.get(w)
                    if value is not None:
                        a.append([value, 1.0, 1.0, 1])
        polarity, subjectivity = 0, 0  # Sentiment.__call__'s avg(): weight 1 each, summed in order
        for p, s, _, negated in a:
            polarity += 1 * (p * -0.5 if negated < 0 else p)
            subjectivity += 1 * s
        k = len(a)
        return polarity / float(k or 1), subjectivity / float(k or 1)

    return score


def _fast_vader_class():
    """VADER (vaderSentiment 3.3.2) without its quadratic and repeated work; the scores are the library's own.

    ``polarity_scores`` copies the text character by character to swap emojis
    for their descriptions, lower-cases the whole sentence three times in
    ``_negation_check`` and once in ``_special_idioms_check`` for every
    lexicon word, and strips and lower-cases every word of every sentence
    again. Here a text without emojis skips the copy (the copy would be the
    text itself); each whitespace-separated token's stripped and lower-case
    forms are remembered; the words that are not in the lexicon (and boosters,
    and "kind" before "of") get their 0 without further tests; and
    ``sentiment_valence`` with its helpers and ``score_valence`` are followed
    statement by statement, reading the lower-case words from one list (the
    zeros only count as neutral words there). The "but" rule is the library's.
    A text with an emoji goes through the library's ``polarity_scores`` (with
    a ``_negation_check`` that lower-cases only the words it reads).
    ``tests/test_sentiment.py`` checks that every score equals the unmodified
    analyzer's on the seed and synthetic corpora and on crafted cases (emojis,
    negations at the start of a sentence, "never so", "without doubt",
    capitals, boosters, "kind of", "but", "least", idioms, punctuation).
    """
    from vaderSentiment import vaderSentiment as vs

    if not _verified("vaderSentiment"):
        return vs.SentimentIntensityAnalyzer
    negations = frozenset(vs.NEGATE)
    booster, special_cases = vs.BOOSTER_DICT, vs.SPECIAL_CASES
    n_scalar, c_incr = vs.N_SCALAR, vs.C_INCR
    strip_punc, normalize = vs.SentiText._strip_punc_if_word, vs.normalize

    def negated(word):  # vs.negated([word]) for one lower-case word
        return word in negations or "n't" in word

    class FastVader(vs.SentimentIntensityAnalyzer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._emoji = frozenset(k for k in self.emojis if len(k) == 1)  # the loop looks at single characters
            self._memo = {}

        def _token(self, token):
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            word = strip_punc(token)
            low = word.lower()
            found = self._memo[token] = (word, low, word.isupper(), low in self.lexicon and low not in booster)
            return found

        def polarity_scores(self, text):
            if not (text.isascii() or self._emoji.isdisjoint(text)):  # the emojis are all non-ASCII
                return super().polarity_scores(text)
            # as vaderSentiment's polarity_scores after its emoji loop, which returns a text without emojis unchanged
            text = text.strip()
            tokens = text.split()
            found = list(map(self._memo.get, tokens))
            if None in found:
                found = [f if f is not None else self._token(t) for f, t in zip(found, tokens)]
            if not found:
                return self.score_valence([], text)
            words, lows, caps, scored = zip(*found)
            n = len(words)
            allcaps = sum(caps)  # allcap_differential
            is_cap_diff = 0 < n - allcaps < n
            # a word in neither the lexicon nor the booster list, a booster, and "kind" before "of" score 0
            sentiments = [0] * n
            for i in compress(range(n), scored):
                if i < n - 1 and lows[i] == "kind" and lows[i + 1] == "of":
                    continue
                sentiments[i] = self._valence(lows, caps, i, is_cap_diff)
            if "but" in lows:
                sentiments = self._but_check(list(words), sentiments)
            return self._score(sentiments, text)

        @staticmethod
        def _score(sentiments, text):
            # score_valence with _punctuation_emphasis and _sift_sentiment_scores for a non-empty sentiments
            # list, reading only its non-zero values (in order): the zeros only count as neutral
            sum_s = float(sum(sentiments))
            ep_count = text.count("!")
            if ep_count > 4:
                ep_count = 4
            ep_amplifier = ep_count * 0.292
            qm_count = text.count("?")
            qm_amplifier = 0
            if qm_count > 1:
                if qm_count <= 3:
                    qm_amplifier = qm_count * 0.18
                else:
                    qm_amplifier = 0.96
            punct_emph_amplifier = ep_amplifier + qm_amplifier
            if sum_s > 0:
                sum_s += punct_emph_amplifier
            elif sum_s < 0:
                sum_s -= punct_emph_amplifier
            compound = normalize(sum_s)
            pos_sum = 0.0
            neg_sum = 0.0
            nonzero = list(filter(None, sentiments))
            for sentiment_score in nonzero:
                if sentiment_score > 0:
                    pos_sum += (float(sentiment_score) + 1)
                if sentiment_score < 0:
                    neg_sum += (float(sentiment_score) - 1)
            neu_count = len(sentiments) - len(nonzero)
            if pos_sum > math.fabs(neg_sum):
                pos_sum += punct_emph_amplifier
            elif pos_sum < math.fabs(neg_sum):
                neg_sum -= punct_emph_amplifier
            total = pos_sum + math.fabs(neg_sum) + neu_count
            pos = math.fabs(pos_sum / total)
            neg = math.fabs(neg_sum / total)
            neu = math.fabs(neu_count / total)
            return {"neg": round(neg, 3), "neu": round(neu, 3), "pos": round(pos, 3), "compound": round(compound, 4)}

        def _valence(self, lows, caps, i, is_cap_diff):
            # sentiment_valence for a lexicon word, reading lower-case words from lows
            lexicon = self.lexicon
            item_lowercase = lows[i]
            valence = lexicon[item_lowercase]
            if item_lowercase == "no" and i != len(lows) - 1 and lows[i + 1] in lexicon:
                valence = 0.0
            if (i > 0 and lows[i - 1] == "no") \
               or (i > 1 and lows[i - 2] == "no") \
               or (i > 2 and lows[i - 3] == "no" and lows[i - 1] in ["or", "nor"]):
                valence = lexicon[item_lowercase] * n_scalar
            if caps[i] and is_cap_diff:
                if valence > 0:
                    valence += c_incr
                else:
                    valence -= c_incr
            for start_i in range(0, 3):
                if i > start_i and lows[i - (start_i + 1)] not in lexicon:
                    # scalar_inc_dec(words[k], valence, is_cap_diff)
                    k = i - (start_i + 1)
                    s = 0.0
                    if lows[k] in booster:
                        s = booster[lows[k]]
                        if valence < 0:
                            s *= -1
                        if caps[k] and is_cap_diff:
                            if valence > 0:
                                s += c_incr
                            else:
                                s -= c_incr
                    if start_i == 1 and s != 0:
                        s = s * 0.95
                    if start_i == 2 and s != 0:
                        s = s * 0.9
                    valence = valence + s
                    valence = self._negation(valence, lows, start_i, i)
                    if start_i == 2:
                        valence = self._idioms(valence, lows, i)
            # _least_check
            if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
                if lows[i - 2] != "at" and lows[i - 2] != "very":
                    valence = valence * n_scalar
            elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
                valence = valence * n_scalar
            return valence

        @staticmethod
        def _idioms(valence, lows, i):
            # _special_idioms_check on the lower-case words; called for i >= 3 only, as in the library
            onezero = f"{lows[i - 1]} {lows[i]}"
            twoonezero = f"{lows[i - 2]} {lows[i - 1]} {lows[i]}"
            twoone = f"{lows[i - 2]} {lows[i - 1]}"
            threetwoone = f"{lows[i - 3]} {lows[i - 2]} {lows[i - 1]}"
            threetwo = f"{lows[i - 3]} {lows[i - 2]}"
            for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
                if seq in special_cases:
                    valence = special_cases[seq]
                    break
            if len(lows) - 1 > i:
                zeroone = f"{lows[i]} {lows[i + 1]}"
                if zeroone in special_cases:
                    valence = special_cases[zeroone]
            if len(lows) - 1 > i + 1:
                zeroonetwo = f"{lows[i]} {lows[i + 1]} {lows[i + 2]}"
                if zeroonetwo in special_cases:
                    valence = special_cases[zeroonetwo]
            for n_gram in (threetwoone, threetwo, twoone):
                if n_gram in booster:
                    valence = valence + booster[n_gram]
            return valence

        @staticmethod
        def _negation(valence, lows, start_i, i):
            # _negation_check on the lower-case words (called for i > start_i, as in the library). Its negated()
            # lower-cases the lower-case word again: str.lower is idempotent (every code point; tested)
            if start_i == 0:
                if negated(lows[i - 1]):
                    valence = valence * n_scalar
            if start_i == 1:
                if lows[i - 2] == "never" and (lows[i - 1] == "so" or lows[i - 1] == "this"):
                    valence = valence * 1.25
                elif lows[i - 2] == "without" and lows[i - 1] == "doubt":
                    valence = valence
                elif negated(lows[i - 2]):
                    valence = valence * n_scalar
            if start_i == 2:
                if lows[i - 3] == "never" and (lows[i - 2] == "so" or lows[i - 2] == "this") or \
                        (lows[i - 1] == "so" or lows[i - 1] == "this"):
                    valence = valence * 1.25
                elif lows[i - 3] == "without" and (lows[i - 2] == "doubt" or lows[i - 1] == "doubt"):
                    valence = valence
                elif negated(lows[i - 3]):
                    valence = valence * n_scalar
            return valence

        @staticmethod
        def _negation_check(valence, words_and_emoticons, start_i, i):
            # for the library's polarity_scores (texts with emojis): the same tests on the same indices as the
            # library's, lower-casing only the words it reads instead of the whole sentence
            def low(k):
                return str(words_and_emoticons[k]).lower()

            if start_i == 0:
                if negated(low(i - 1)):
                    valence = valence * n_scalar
            if start_i == 1:
                if low(i - 2) == "never" and (low(i - 1) == "so" or low(i - 1) == "this"):
                    valence = valence * 1.25
                elif low(i - 2) == "without" and low(i - 1) == "doubt":
                    valence = valence
                elif negated(low(i - 2)):
                    valence = valence * n_scalar
            if start_i == 2:
                if low(i - 3) == "never" and (low(i - 2) == "so" or low(i - 2) == "this") or \
                        (low(i - 1) == "so" or low(i - 1) == "this"):
                    valence = valence * 1.25
                elif low(i - 3) == "without" and (low(i - 2) == "doubt" or low(i - 1) == "doubt"):
                    valence = valence
                elif negated(low(i - 3)):
                    valence = valence * n_scalar
            return valence

    return FastVader


@functools.lru_cache(maxsize=1)
def _analyzers():
    """(TextBlob's pattern sentiment as a function of a string, VADER analyzer), built once; both offline.

    The first returns ``PatternAnalyzer().analyze(text)``'s (polarity,
    subjectivity) as a tuple (:func:`_fast_pattern`), without the namedtuple
    class that ``analyze`` builds on every call; the second is a
    ``SentimentIntensityAnalyzer`` whose ``polarity_scores`` gives the
    library's scores faster (:func:`_fast_vader_class`).
    """
    from textblob.en import sentiment as pattern_sentiment
    return _fast_pattern(pattern_sentiment), _fast_vader_class()()


def _keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"{what} lacks column(s) {', '.join(missing)}")


def _groups(frame: pd.DataFrame, keys: list[str]):
    """(key tuple, rows) per group, sorted; missing key values form their own group."""
    if not len(frame):
        return
    if not keys:
        yield (), frame
        return
    for key, rows in frame.groupby(keys, sort=True, dropna=False, observed=True):
        yield (key if isinstance(key, tuple) else (key,)), rows


def _frame(rows: list[tuple], keys: list[str], columns: list[str], dtypes: dict[str, object],
           source: pd.DataFrame) -> pd.DataFrame:
    """A result table with the same column types whether or not it has rows."""
    out = pd.DataFrame.from_records(rows, columns=keys + columns) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in keys + columns})
    types = {k: source[k].dtype for k in keys}
    types.update(dtypes)
    return out.astype(types)


# --------------------------------------------------------------------------- scoring

def sentence_sentiment(docs: pd.DataFrame | None, sents: pd.DataFrame | None = None, *,
                       ascii_quotes: bool = True) -> pd.DataFrame:
    """One row per sentence with both lexicons' scores.

    Columns: doc_id, source, sentence_id, text (the sentence as in the corpus),
    tb_polarity (TextBlob PatternAnalyzer, -1 negative .. 1 positive),
    tb_subjectivity (0 objective .. 1 subjective), vader_compound (VADER's
    normalised sum of valences, -1 .. 1, rounded to 4 decimals), vader_pos,
    vader_neu, vader_neg (VADER's shares of positive, neutral and negative
    valence mass, each 0 .. 1, rounded to 3 decimals). A sentence without any
    lexicon word scores 0 (and vader_neu 1).

    Sentences, not articles, are scored: VADER's compound saturates on long
    texts (sum of valences / sqrt(sum^2 + 15) tends to +-1 as words accumulate,
    so nearly every article scores close to +-1), and TextBlob averages away the
    contrast between passages. Aggregate the sentence scores afterwards with
    :func:`sentiment_summary`.

    ``sents`` (from :func:`analysis.sentences`) saves re-segmenting ``docs``.
    ``ascii_quotes`` (default True) replaces typographic quotes and apostrophes
    with ASCII ones in the text that is scored (the ``text`` column keeps the
    original): VADER recognises neither "‘peacekeepers’" as a lexicon word nor
    "haven’t" as a negation, so otherwise outlets would score differently only
    because of their typography. Identical sentences are scored once.
    """
    if sents is None:
        from ..text.segment import sentences
        sents = sentences(docs)
    _require(sents, ["doc_id", "source", "sentence_id", "text"], "sents")
    texts = sents["text"].astype(str)
    scored = texts.map(_ascii_quotes) if ascii_quotes else texts
    codes, unique = pd.factorize(scored)
    pattern, vader = _analyzers()
    unique = unique.tolist()
    textblob = [pattern(text) for text in unique]  # one scorer after the other: each keeps its memo in cache
    vd = [vader.polarity_scores(text) for text in unique]
    rows = [(tb[0], tb[1], v["compound"], v["pos"], v["neu"], v["neg"]) for tb, v in zip(textblob, vd)]
    values = np.array(rows, dtype=np.float64).reshape(-1, 6)[codes] if len(codes) else np.empty((0, 6))
    out = sents[["doc_id", "source", "sentence_id"]].reset_index(drop=True).copy()
    out["text"] = texts.reset_index(drop=True)
    for j, column in enumerate(SCORE_COLUMNS[4:]):
        out[column] = values[:, j]
    return out.astype({"sentence_id": "int64"})


# --------------------------------------------------------------------------- aggregation

def sentiment_summary(scores: pd.DataFrame, by: str | Sequence[str] | None = "source",
                      measures: Sequence[str] = MEASURES, n_boot: int = 2000, ci: float = 0.95,
                      seed: int = 0, unit: str = "auto", *, min_documents: int = 5) -> pd.DataFrame:
    """Mean sentence score per group and measure, with a percentile bootstrap interval.

    One row per group x measure: the ``by`` column(s) (none when ``by`` is None:
    the whole table is one group), measure, n_sentences, n_documents, mean (the
    plain mean over the group's sentences, in the measure's own units: -1..1
    for polarity and compound, 0..1 for subjectivity), ci_low and ci_high (the
    ``ci`` percentile interval of ``n_boot`` bootstrap means) and resampled:

    * "documents": a cluster bootstrap: the group's documents are drawn with
      replacement and the mean is taken over all their sentences. Sentences of
      one article are not independent (same author, topic, stance), so this is
      the interval to cite when comparing outlets. Used by ``unit="auto"`` when
      the group has at least ``min_documents`` (5) documents;
    * "sentences": the sentences are drawn as if independent. Used by
      ``unit="auto"`` for groups with fewer documents, where a cluster bootstrap
      has too few clusters to work; the interval then describes these few
      articles only and is too narrow as a statement about the outlet.
      ``by="doc_id"`` always resamples sentences.

    ``unit="documents"`` or ``"sentences"`` forces one scheme. The same ``seed``
    is used for every group, so a group's interval does not change when other
    groups are added or dropped; within a group all measures share the same
    resamples. A group with one sentence (or one document, resampled as such)
    gets ci_low == ci_high == mean: nothing to resample, not a precise estimate.
    Empty ``scores`` give an empty table with the same columns and types.
    """
    keys = _keys(by)
    measures = list(measures)
    if unit not in ("auto", "documents", "sentences"):
        raise ValueError(f"unit must be 'auto', 'documents' or 'sentences', not {unit!r}")
    if not measures:
        raise ValueError("measures is empty")
    _require(scores, ["doc_id", *keys, *measures], "scores")
    rows = []
    for key, group in _groups(scores, keys):
        n_docs = int(group["doc_id"].nunique(dropna=False))
        if "doc_id" in keys or unit == "sentences":
            resampled = "sentences"
        elif unit == "documents":
            resampled = "documents"
        else:
            resampled = "documents" if n_docs >= min_documents else "sentences"
        clusters = group["doc_id"].to_numpy() if resampled == "documents" else None
        est = mean_ci(group[measures].to_numpy(dtype=np.float64), clusters, n_boot=n_boot, ci=ci, seed=seed)
        for j, measure in enumerate(measures):
            rows.append((*key, measure, len(group), n_docs, float(est.mean[j]), float(est.ci_low[j]),
                         float(est.ci_high[j]), resampled))
    out = _frame(rows, keys, SUMMARY_COLUMNS,
                 {"measure": _STR, "n_sentences": "int64", "n_documents": "int64", "mean": "float64",
                  "ci_low": "float64", "ci_high": "float64", "resampled": _STR}, scores)
    out.attrs.update(n_boot=n_boot, ci=ci, seed=seed, unit=unit, min_documents=min_documents)
    return out


def lexicon_agreement(scores: pd.DataFrame, by: str | Sequence[str] | None = None, *,
                      x: str = "tb_polarity", y: str = "vader_compound") -> pd.DataFrame:
    """How far TextBlob polarity and VADER compound agree, per group of sentences.

    Columns: the ``by`` column(s) (none for the whole table), n_sentences,
    n_both_nonzero (sentences where both scores are non-zero: the denominator
    of sign_agreement), pearson_r and spearman_rho (correlation of the two
    scores across sentences, -1..1; scipy.stats), sign_agreement (share 0..1 of
    the both-non-zero sentences where the signs agree), both_neutral (share
    0..1 of all sentences where both scores are exactly 0).

    The correlations are NaN (no exception) for fewer than 3 sentences or when
    either score is constant; sign_agreement is NaN without both-non-zero
    sentences. Low agreement means the "sentiment" of a sentence depends on
    which lexicon one happens to use.
    """
    from scipy import stats  # loaded here: scipy.stats takes half a second to import
    keys = _keys(by)
    _require(scores, [*keys, x, y], "scores")
    rows = []
    for key, group in _groups(scores, keys):
        a = group[x].to_numpy(dtype=np.float64)
        b = group[y].to_numpy(dtype=np.float64)
        n = len(a)
        usable = n >= 3 and np.ptp(a) > 0 and np.ptp(b) > 0
        pearson = float(stats.pearsonr(a, b).statistic) if usable else np.nan
        spearman = float(stats.spearmanr(a, b).statistic) if usable else np.nan
        nonzero = (a != 0) & (b != 0)
        n_nonzero = int(nonzero.sum())
        sign = float(np.mean(np.sign(a[nonzero]) == np.sign(b[nonzero]))) if n_nonzero else np.nan
        neutral = float(np.mean((a == 0) & (b == 0)))
        rows.append((*key, n, n_nonzero, pearson, spearman, sign, neutral))
    return _frame(rows, keys, AGREEMENT_COLUMNS,
                  {"n_sentences": "int64", "n_both_nonzero": "int64", "pearson_r": "float64",
                   "spearman_rho": "float64", "sign_agreement": "float64", "both_neutral": "float64"}, scores)


def extreme_sentences(scores: pd.DataFrame, by: str | Sequence[str] | None = "source",
                      measure: str = "vader_compound", n: int = 3, *, other: str | None = None) -> pd.DataFrame:
    """The ``n`` most positive and ``n`` most negative sentences per group: the evidence to read.

    Columns: the ``by`` column(s), direction ("most positive" / "most negative"),
    rank (1 = most extreme), doc_id, sentence_id, text, ``measure`` (its value,
    in its own units) and ``other`` (the other lexicon's value for the same
    sentence: tb_polarity for a VADER measure, vader_compound for a TextBlob
    one), so that sentences on which the lexicons disagree stand out.

    Only sentences scoring above 0 count as positive and below 0 as negative,
    so a group may have fewer than ``n`` rows in a direction (none if nothing
    scores below 0). Ties are broken by doc_id, then sentence_id.
    """
    keys = _keys(by)
    if other is None:
        other = "tb_polarity" if measure.startswith("vader") else "vader_compound"
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n!r}")
    _require(scores, [*keys, "doc_id", "sentence_id", "text", measure, other], "scores")
    columns = [*keys, "doc_id", "sentence_id", "text", measure, other]
    parts = []
    for direction, chosen, ascending in (("most positive", scores[measure] > 0, False),
                                         ("most negative", scores[measure] < 0, True)):
        part = scores.loc[chosen, columns].sort_values(
            [*keys, measure, "doc_id", "sentence_id"], ascending=[True] * len(keys) + [ascending, True, True],
            kind="mergesort", na_position="last")
        if keys:
            part = part.groupby(keys, sort=False, dropna=False, observed=True).head(n)
            rank = part.groupby(keys, sort=False, dropna=False, observed=True).cumcount() + 1
        else:
            part = part.head(n)
            rank = pd.Series(np.arange(1, len(part) + 1), index=part.index)
        part = part.assign(direction=direction, rank=rank.astype("int64"), _order=int(ascending))
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values([*keys, "_order", "rank"], kind="mergesort", na_position="last")
    out = out[[*keys, "direction", "rank", "doc_id", "sentence_id", "text", measure, other]]
    return out.astype({"direction": _STR, "rank": "int64"}).reset_index(drop=True)


# --------------------------------------------------------------------------- actors

def actor_sentences(scores: pd.DataFrame, ments: pd.DataFrame) -> pd.DataFrame:
    """The evidence table: one row per (actor, sentence) where the actor is mentioned.

    Columns: doc_id, source, sentence_id, actor, actor_type, tb_polarity (-1..1),
    vader_compound (-1..1), text. A sentence that mentions an actor twice is one
    row; a sentence that mentions two actors is a row for each. Mentions of
    sentences missing from ``scores`` are dropped. The score is the sentence's,
    not a score *towards* the actor: "Russia blamed Armenia" counts for both.
    """
    _require(ments, ["doc_id", "sentence_id", "actor", "actor_type"], "ments")
    _require(scores, ["doc_id", "source", "sentence_id", "tb_polarity", "vader_compound", "text"], "scores")
    evidence = ments[["doc_id", "sentence_id", "actor", "actor_type"]].drop_duplicates(
        ["doc_id", "sentence_id", "actor"])
    out = evidence.merge(scores[["doc_id", "source", "sentence_id", "tb_polarity", "vader_compound", "text"]],
                         on=["doc_id", "sentence_id"], how="inner", validate="many_to_one")
    out = out.sort_values(["doc_id", "sentence_id", "actor"], kind="mergesort")
    return out[ACTOR_SENTENCE_COLUMNS].astype({"sentence_id": "int64"}).reset_index(drop=True)


def actor_sentiment(scores: pd.DataFrame, ments: pd.DataFrame, by: str | Sequence[str] | None = "source",
                    min_sentences: int = 1, n_boot: int = 2000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Mean sentiment of the sentences that mention each actor, per group.

    The evidence is ``actor_sentences(scores, ments)``: every number here is a
    mean over its rows for one group and actor. Columns: the ``by`` column(s),
    actor, actor_type, n_sentences (distinct sentences mentioning the actor),
    n_documents, tb_polarity_mean, tb_polarity_ci_low, tb_polarity_ci_high
    (-1..1), vader_compound_mean, vader_compound_ci_low, vader_compound_ci_high
    (-1..1). Intervals are percentile bootstrap intervals (level ``ci``,
    ``n_boot`` resamples, ``seed``) over the sentences, treated as independent:
    with few documents per actor they are too narrow as a statement about the
    outlet (see n_documents). Rows with fewer than ``min_sentences`` sentences
    are dropped; sorted by group, then n_sentences (descending), then actor.

    The score is the sentence's, not a stance towards the actor.
    """
    keys = _keys(by)
    if "actor" in keys:
        raise ValueError("by must not include 'actor' (rows are already per actor)")
    evidence = actor_sentences(scores, ments)
    extra = [k for k in keys if k not in evidence.columns]  # grouping columns of scores, e.g. a date
    if extra:
        _require(scores, extra, "scores")
        evidence = evidence.merge(scores[["doc_id", "sentence_id", *extra]], on=["doc_id", "sentence_id"],
                                  how="left", validate="many_to_one")
    measures = ["tb_polarity", "vader_compound"]
    rows = []
    for key, group in _groups(evidence, [*keys, "actor"]):
        if len(group) < min_sentences:
            continue
        est = mean_ci(group[measures].to_numpy(dtype=np.float64), n_boot=n_boot, ci=ci, seed=seed)
        rows.append((*key, group["actor_type"].iloc[0], len(group), int(group["doc_id"].nunique()),
                     *(float(v) for j in range(2) for v in (est.mean[j], est.ci_low[j], est.ci_high[j]))))
    stat_columns = [f"{m}_{s}" for m in measures for s in ("mean", "ci_low", "ci_high")]
    out = _frame(rows, [*keys, "actor"], ["actor_type", "n_sentences", "n_documents", *stat_columns],
                 {"actor_type": _STR, "n_sentences": "int64", "n_documents": "int64",
                  **{c: "float64" for c in stat_columns}}, evidence)
    out = out.sort_values([*keys, "n_sentences", "actor"], ascending=[True] * len(keys) + [False, True],
                          kind="mergesort", na_position="last")
    out.attrs.update(n_boot=n_boot, ci=ci, seed=seed, resampled="sentences")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- pitfalls

def read_domain_words(path: str | Path = DOMAIN_WORDS) -> pd.DataFrame:
    """The curated conflict-news words whose lexicon score misleads: columns word (lower case), why."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    _require(table, ["word", "why"], str(path))
    table["word"] = table["word"].str.strip().str.lower()
    dupes = table["word"][table["word"].duplicated()]
    if len(dupes):
        raise ValueError(f"{path}: word {dupes.iloc[0]!r} is listed twice")
    return table[["word", "why"]]


def sentiment_pitfalls(scores: pd.DataFrame, *, threshold: float = 0.3,
                       domain_words: Iterable[str] | None = None) -> pd.DataFrame:
    """Known failure modes of lexicon sentiment on news, flagged per sentence.

    One row per sentence: doc_id, source, sentence_id, text, tb_polarity,
    vader_compound, and the flags

    * has_negation: the sentence contains not, no, never, n't, without, nor,
      neither, none or cannot. TextBlob only flips a word right after "not",
      "never" etc. ("isn't good" stays positive), VADER looks three words back:
      negated sentences are where the lexicons misread most often;
    * lexicons_disagree: both scores non-zero with opposite signs, or one has
      abs(score) >= ``threshold`` while the other is exactly 0;
    * domain_words: the words of ``domain_words`` (default:
      :func:`read_domain_words`) that occur in the sentence, "; "-joined in order
      of appearance, "" if none. Matched as whole lower-case words (hyphenated
      compounds are one word, as for the lexicons; a possessive 's is dropped);
    * flagged: any of the three.
    """
    _require(scores, ["doc_id", "source", "sentence_id", "text", "tb_polarity", "vader_compound"], "scores")
    words = set(read_domain_words()["word"] if domain_words is None else (w.lower() for w in domain_words))
    out = scores[["doc_id", "source", "sentence_id", "text", "tb_polarity", "vader_compound"]].reset_index(drop=True)
    texts = out["text"].astype(str)
    out["has_negation"] = texts.map(lambda t: _NEGATION.search(t) is not None).astype(bool)
    tb, vd = out["tb_polarity"].to_numpy(dtype=np.float64), out["vader_compound"].to_numpy(dtype=np.float64)
    opposite = (tb * vd) < 0
    one_silent = ((np.abs(tb) >= threshold) & (vd == 0)) | ((np.abs(vd) >= threshold) & (tb == 0))
    out["lexicons_disagree"] = opposite | one_silent
    out["domain_words"] = texts.map(lambda t: _domain_words_in(t, words)).astype(_STR)
    out["flagged"] = out["has_negation"] | out["lexicons_disagree"] | (out["domain_words"] != "")
    return out[PITFALL_COLUMNS].astype({"has_negation": bool, "lexicons_disagree": bool, "flagged": bool})


def _domain_words_in(text: str, words: set[str]) -> str:
    found = (_POSSESSIVE.sub("", w) for w in _WORD.findall(text.lower()))
    return "; ".join(dict.fromkeys(w for w in found if w in words))


def lexicon_entries(words: str | Iterable[str]) -> pd.DataFrame:
    """What each lexicon makes of a word on its own: one row per given word (lower-cased).

    Columns: word, tb_polarity (-1..1) and tb_subjectivity (0..1) of
    PatternAnalyzer on the word alone, vader_valence (the VADER lexicon entry:
    mean human rating on -4..+4, NaN when the word is not in the lexicon) and
    vader_compound (-1..1, VADER on the word alone). Shows, e.g., that VADER
    rates "peacekeepers" and "security" positive and that neither lexicon
    scores "victory" or "liberation".
    """
    words = [words] if isinstance(words, str) else list(words)
    pattern, vader = _analyzers()
    rows = []
    for word in words:
        word = str(word).strip().lower()
        polarity, subjectivity = pattern(word)
        valence = vader.lexicon.get(word)
        rows.append((word, float(polarity), float(subjectivity),
                     np.nan if valence is None else float(valence), float(vader.polarity_scores(word)["compound"])))
    return _frame(rows, [], LEXICON_COLUMNS, {"word": _STR, "tb_polarity": "float64", "tb_subjectivity": "float64",
                                              "vader_valence": "float64", "vader_compound": "float64"},
                  pd.DataFrame())


__all__ = ["actor_sentences", "actor_sentiment", "extreme_sentences", "lexicon_agreement", "lexicon_entries",
           "read_domain_words", "sentence_sentiment", "sentiment_pitfalls", "sentiment_summary"]
