"""Find the article's main text among the lines of a scraped page.

A page copied or scraped as text holds the article among menus, link lists,
teasers of other articles, comment threads and footers. Line rules
(:mod:`analysis.corpus.cleaning`) recognise much of that furniture by its wording, but
not all of it, in every language. What they cannot recognise is told by shape:
the article is one stretch of prose paragraphs, and furniture is runs of short
lines, or text with few function words.

The method is that of body-text extraction (Finn, Kushmerick and Smyth 2001)
on lines instead of HTML tags, with jusText's notion of prose (Pomikálek 2011:
a block is prose when it is long and rich in stop words, by the stop-word list
of the page's language, from jusText's 100 bundled lists). Each line scores its
word count if it is prose, and a penalty if it is not; the main text is the
stretch of lines with the highest total (a maximum-sum segment). Inside it, a
run of several non-prose lines is a widget ("Trending now" and its headlines)
and is not body text; a single short line between paragraphs (a subheading)
is.

Everything here is a pure function of the lines; the decision for each line is
returned with its reason so the cleaning audit can show it.
"""
from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_TERMINAL = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")
# scripts written without spaces between words: their length is counted in characters
_NO_SPACES = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")

# A line is prose with at least this many words and this share of stop words (jusText's
# stopwords_low is 0.30 for its blocks; a line of a copied page is a shorter block, so a little lower),
# or with fewer words when it is a full sentence.
PROSE_WORDS = 12
SENTENCE_WORDS = 7
STOPWORD_SHARE = 0.25
SENTENCE_STOPWORD_SHARE = 0.30
# Below this share of stop words over the whole page, the page's language has no list here
# (or it is not running text): prose is then told by length alone.
MIN_LANGUAGE_SHARE = 0.08
LANGUAGE_WORDS = 2000  # the page's first words that tell its language
SAMPLE_CHARS = 400  # the part of a line whose words tell its share of stop words
ENGLISH_AT_ONCE = 0.35  # a page this rich in English stop words is English without weighing other lists
# What a line that is not prose costs the stretch that contains it: a fixed cost plus its words.
LINE_PENALTY = 10.0
WORD_PENALTY = 1.0
# A line a rule removed as an end-of-article marker (share bar, "Related") costs more: a stretch crosses
# it only when much prose follows (a share bar above the first paragraph), not for a teaser or two.
MARKER_PENALTY = 100.0
# A line a rule removed for its wording (a caption, a "Read more" link) stands inside articles too.
REMOVED_PENALTY = 6.0
# The page's first byline or date line heads the article: a stretch starting there is worth this many words
# more (enough to prefer a short article below its byline to a longer footer or teaser; see find_main_text).
ANCHOR_BONUS = 60.0
# A comment section's heading below this many words of prose ends the article (above them: a "3 comments"
# link beside the byline).
COMMENTS_AFTER_WORDS = 50
# Inside the main text, this many non-prose lines in a row are a widget, not subheadings.
WIDGET_RUN = 3


@dataclass(frozen=True)
class LineShape:
    """What the main-text search needs to know of one line."""

    n_words: int           # words (for scripts without spaces: characters / 2)
    stopword_share: float  # share of the words that are stop words of the page's language (0..1)
    prose: bool
    removed: bool          # a line rule already removed it
    marker: bool           # ... as an end-of-article marker


@dataclass(frozen=True)
class MainText:
    """The main text's stretch of lines and what was left out.

    ``start``/``end``: indices of its first and last line (``end`` inclusive; -1 and -2 when the page has
    no prose); ``widgets``: indices of lines inside the stretch that belong to a widget run;
    ``language``: the stop-word list used (None: none fitted); ``prose_words_kept`` and
    ``prose_words_outside``: words of prose lines inside and outside the stretch.
    """

    start: int
    end: int
    widgets: frozenset[int]
    language: str | None
    prose_words_kept: int
    prose_words_outside: int
    shapes: tuple[LineShape, ...]


@functools.lru_cache(maxsize=1)
def _stopword_languages() -> dict[str, tuple[str, ...]]:
    """Every stop word of jusText's bundled lists -> the languages whose list has it."""
    import justext

    languages: dict[str, list[str]] = {}
    for language in sorted(justext.get_stoplists()):
        for word in justext.get_stoplist(language):
            languages.setdefault(word.lower(), []).append(language)
    return {word: tuple(langs) for word, langs in languages.items()}


@functools.lru_cache(maxsize=128)
def _stoplist(language: str) -> frozenset[str]:
    import justext

    return frozenset(w.lower() for w in justext.get_stoplist(language))


def page_language(texts: list[str]) -> tuple[str | None, float]:
    """The language whose stop-word list covers most words of ``texts``, and the share it covers.

    (None, share) when even the best list covers under MIN_LANGUAGE_SHARE of the words.
    """
    return _language_of_words([_WORD.findall(text.lower()) for text in texts])


def _language_of_words(word_lists: list[list[str]]) -> tuple[str | None, float]:
    """:func:`page_language` of texts already split into (lower-case) words; the first LANGUAGE_WORDS
    words decide (a page does not change language midway, and a long one costs no more to tell)."""
    taken, total = [], 0
    for words in word_lists:
        taken.append(words)
        total += len(words)
        if total >= LANGUAGE_WORDS:
            break
    if not total:
        return None, 0.0
    # most pages are English, and English prose is 40-55% stop words (no other list covers as many of its
    # words): tell it at C speed before weighing all 100 lists
    english = sum(map(_stoplist("English").__contains__, itertools.chain.from_iterable(taken))) / total
    if english >= ENGLISH_AT_ONCE:
        return "English", english
    counts = Counter(itertools.chain.from_iterable(taken))
    by_language: Counter = Counter()
    languages = _stopword_languages()
    for word, n in counts.items():
        for language in languages.get(word, ()):
            by_language[language] += n
    if not by_language:
        return None, 0.0
    # English first among equals (Simple_English is a subset of it), then by name: a stable choice
    best = max(sorted(by_language), key=lambda lang: (by_language[lang], lang == "English"))
    share = by_language[best] / total
    return (best, share) if share >= MIN_LANGUAGE_SHARE else (None, share)


def word_count(text: str) -> int:
    """Words of ``text``; in a script written without spaces (Chinese, Japanese, Thai), characters / 2."""
    n = len(_WORD.findall(text))
    no_spaces = len(_NO_SPACES.findall(text))
    return max(n, no_spaces // 2) if no_spaces * 3 > len(text) else n


def line_shapes(texts: list[str], removed: list[bool], markers: list[bool]) -> tuple[tuple[LineShape, ...], str | None]:
    """Each line's shape, judged with the stop words of the page's language (told from the lines kept).

    A line's share of stop words is read from its first SAMPLE_CHARS characters (a paragraph does not change
    its kind halfway, and the sample keeps a long page cheap); its length is its whole text's.
    """
    samples = [_WORD.findall(text[:SAMPLE_CHARS].lower()) for text in texts]
    language, _ = _language_of_words([w for w, r in zip(samples, removed) if not r])
    stopwords = _stoplist(language) if language else frozenset()
    shapes = []
    for text, words, was_removed, marker in zip(texts, samples, removed, markers):
        n = len(words) if len(text) <= SAMPLE_CHARS else len(_WORD.findall(text))
        no_spaces = len(_NO_SPACES.findall(text, 0, SAMPLE_CHARS))
        if no_spaces * 3 > min(len(text), SAMPLE_CHARS):
            n = max(n, word_count(text))
            share = 1.0 if n >= PROSE_WORDS else 0.0  # no word list: a long run of such text is prose
        elif language is None:
            share = 1.0  # no list fits: length and punctuation decide
        else:
            share = sum(map(stopwords.__contains__, words)) / len(words) if words else 0.0
        prose = not was_removed and (
            (n >= PROSE_WORDS and share >= STOPWORD_SHARE)
            or (n >= SENTENCE_WORDS and share >= SENTENCE_STOPWORD_SHARE and _TERMINAL.search(text) is not None))
        shapes.append(LineShape(n, share, prose, was_removed, marker))
    return tuple(shapes), language


def find_main_text(texts: list[str], removed: list[bool], markers: list[bool],
                   anchor: int | None = None, comments: list[bool] | None = None) -> MainText:
    """The stretch of lines that holds the article (see the module's description).

    ``texts``: the page's non-blank lines (or paragraphs), in order; ``removed``: whether a line rule
    already removed each one; ``markers``: whether that rule marks an end of article; ``anchor``: the
    index of the page's first byline or date line, if any: the article most likely starts below it, so
    a stretch that starts there gains ANCHOR_BONUS words; ``comments``: whether each line opens a
    reader-comment section. Comments follow the article: the first such line with COMMENTS_AFTER_WORDS
    words of prose above it ends the search (comments are prose too, and often longer than the article).
    """
    shapes, language = line_shapes(texts, removed, markers)
    limit, prose_above = len(shapes), 0
    for i, shape in enumerate(shapes):
        if comments is not None and comments[i] and prose_above >= COMMENTS_AFTER_WORDS:
            limit = i
            break
        prose_above += shape.n_words if shape.prose else 0
    best, best_start, best_end = 0.0, 0, -1
    total, start = 0.0, 0
    for i, shape in enumerate(shapes[:limit]):
        if total <= 0:
            total, start = 0.0, i
        if i == anchor:
            total += ANCHOR_BONUS
        elif shape.prose:
            total += shape.n_words
        elif shape.marker:
            # a heading over a list of headlines ("Most popular" and its links) is a widget the article may
            # resume after; a heading over teaser paragraphs ("Top stories") is where the article ended
            listed = shapes[i + 1:i + 1 + WIDGET_RUN]
            over_list = len(listed) == WIDGET_RUN and not any(s.prose for s in listed)
            total -= LINE_PENALTY if over_list else MARKER_PENALTY
        elif shape.removed:  # furniture a rule knows (a caption, "Read more: ..."): it stands inside articles too
            total -= REMOVED_PENALTY
        else:
            total -= LINE_PENALTY + WORD_PENALTY * shape.n_words
        if total > best:
            best, best_start, best_end = total, start, i
    if best_end < 0:
        return MainText(-1, -2, frozenset(), language, 0, sum(s.n_words for s in shapes if s.prose), shapes)
    widgets = set()
    i = best_start
    while i <= best_end:
        if shapes[i].prose:
            i += 1
            continue
        j = i
        while j <= best_end and not shapes[j].prose:
            j += 1
        if j - i >= WIDGET_RUN:
            widgets.update(range(i, j))
        i = j
    kept = sum(s.n_words for s in shapes[best_start:best_end + 1] if s.prose)
    outside = sum(s.n_words for k, s in enumerate(shapes) if s.prose and not best_start <= k <= best_end)
    return MainText(best_start, best_end, frozenset(widgets), language, kept, outside, shapes)
