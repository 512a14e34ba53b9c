"""Exact fast copies of TextBlob's and VADER's sentence scorers: the libraries' numbers, several times faster.

:mod:`analysis.measures.sentiment` scores every sentence of a corpus with two lexicons. Called as the
libraries ship them, the scorers spend most of their time on fixed costs that do not depend on the sentence
(TextBlob's lazy lexicon and emoticon look-ups, VADER's repeated lower-casing of the whole sentence for each
word), which made sentiment the slowest stage of the pipeline. This module holds copies of the two scoring
functions that skip that work and give the same floats, bit for bit.

Provenance (what is copied, statement by statement, from which release):

* TextBlob 0.20.1 (MIT licence, Steven Loria), ``textblob.en.sentiment``, the ``Sentiment`` object that
  ``PatternAnalyzer.analyze`` calls: ``Sentiment.__call__``, ``Sentiment.assessments`` and ``find_tokens``
  in ``textblob/_text.py``, which TextBlob adapted from the Pattern library (BSD licence, CLiPS, University
  of Antwerp). The lexicon itself is read from the installed package, never copied.
* vaderSentiment 3.3.2 (MIT licence, C.J. Hutto), ``vaderSentiment/vaderSentiment.py``:
  ``SentimentIntensityAnalyzer.polarity_scores``, ``sentiment_valence`` (with ``_least_check``),
  ``_special_idioms_check``, ``_negation_check`` and ``score_valence`` (with ``_punctuation_emphasis`` and
  ``_sift_sentiment_scores``), over ``SentiText``'s word list; ``_but_check`` is the library's own. The
  lexicon and constants (``NEGATE``, ``BOOSTER_DICT``, ``SPECIAL_CASES``, ``N_SCALAR``, ``C_INCR``) are read
  from the installed package.

Version guard: the copies are used only when the installed versions are exactly those in
:data:`VERIFIED_VERSIONS` (the versions the lock file pins); with any other version :func:`fast_pattern`
returns TextBlob's own function and :func:`fast_vader_class` VADER's own class, so an upgrade can make the
scoring slower, never different. ``tests/test_exact_scorers.py`` checks that every score equals the
unmodified libraries' on the seed and synthetic corpora and on crafted cases aimed at each shortcut, and
that the guard falls back.
"""
from __future__ import annotations

import functools
import math
import re
from itertools import chain, compress
from operator import itemgetter

# The library versions whose sentiment code the fast scorers below follow step by step, and against which
# tests/test_exact_scorers.py checks them; with any other version the libraries' own functions are used.
VERIFIED_VERSIONS = {"textblob": "0.20.1", "vaderSentiment": "3.3.2"}
# Distinct tokens a fast scorer remembers: at most ~25 MB (TextBlob, ~500 bytes a token) and ~13 MB (VADER);
# the memo restarts when full. The 10 MB synthetic corpus has ~35,000 distinct tokens.
MEMO_LIMIT = 50_000


def verified(package: str) -> bool:
    from importlib import metadata
    try:
        return metadata.version(package) == VERIFIED_VERSIONS[package]
    except metadata.PackageNotFoundError:
        return False


def fast_pattern(sentiment):
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

    if not verified("textblob"):
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
        if len(memo) >= MEMO_LIMIT:
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


def fast_vader_class():
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
    ``tests/test_exact_scorers.py`` checks that every score equals the unmodified
    analyzer's on the seed and synthetic corpora and on crafted cases (emojis,
    negations at the start of a sentence, "never so", "without doubt",
    capitals, boosters, "kind of", "but", "least", idioms, punctuation).
    """
    from vaderSentiment import vaderSentiment as vs

    if not verified("vaderSentiment"):
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
            if len(self._memo) >= MEMO_LIMIT:
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
def analyzers():
    """(TextBlob's pattern sentiment as a function of a string, VADER analyzer), built once; both offline.

    The first returns ``PatternAnalyzer().analyze(text)``'s (polarity,
    subjectivity) as a tuple (:func:`fast_pattern`), without the namedtuple
    class that ``analyze`` builds on every call; the second is a
    ``SentimentIntensityAnalyzer`` whose ``polarity_scores`` gives the
    library's scores faster (:func:`fast_vader_class`).
    """
    from textblob.en import sentiment as pattern_sentiment
    return fast_pattern(pattern_sentiment), fast_vader_class()()
