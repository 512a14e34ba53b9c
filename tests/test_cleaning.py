"""What cleaning removes and keeps, per seed document, and that the rules are general."""

from analysis.corpus.cleaning import clean_text


def removed(corpus, doc_id):
    lines = corpus.lines[(corpus.lines["doc_id"] == doc_id) & (corpus.lines["action"] != "kept")]
    return dict(zip(lines["text"], lines["reason"]))


def body(docs, doc_id):
    return docs.set_index("doc_id").loc[doc_id, "text"]


def test_000_panarmenian(seed_corpus, seed_docs):
    gone = removed(seed_corpus, "000")
    text = body(seed_docs, "000")
    assert gone["PanARMENIAN.Net -"] == "dateline_prefix"
    assert gone["Top stories"] == "related_list"
    assert gone["Partner news"] == "related_list"
    assert gone["---"] == "separator"
    # the four "Top stories" headlines are other articles
    for headline in ("Six total incidents", "The EU does not intend", "Hikmet Hajiyev has said",
                     "A telephone conversation between Putin"):
        reason = next(r for t, r in gone.items() if t.startswith(headline))
        assert reason == "after_article_end"
        assert headline not in text
    lines = seed_corpus.lines[seed_corpus.lines["doc_id"] == "000"]
    assert sorted(lines.loc[lines["action"] == "metadata", "reason"]) == ["duplicated_title", "title"]
    assert text.startswith("The Jamestown Foundation has published an article about Vitaly Balasanyan")
    assert text.endswith("the foundation concludes.")
    assert "strongman-in-waiting" not in text  # the title is metadata, not body


def test_001_jamestown(seed_corpus, seed_docs):
    gone = removed(seed_corpus, "001")
    assert gone == {
        "Vitaly Balasanian, Karabakh’s Strongman-in-Waiting; Eurasia Daily Monitor Volume: 18 Issue: 8": "title",
        "By: Vladimir Socor": "byline"}
    text = body(seed_docs, "001")
    assert text.startswith("The unrecognized Karabakh republic (“Artsakh” to Armenians)")
    assert text.endswith("with Moscow’s interests generally.")
    assert text.count("\n\n") == 10  # eleven paragraphs, all kept


def test_002_jamestown(seed_corpus, seed_docs):
    gone = removed(seed_corpus, "002")
    assert gone["Russia’s Karabakh Protectorate Taking Clearer Shape (Part Three)"] == "title"
    assert gone["Publication: Eurasia Daily Monitor Volume: 18 Issue: 47"] == "publication"
    assert gone["*To read part one, please click here"] == "click_here_link"
    assert gone["*To read part two, please click here"] == "click_here_link"
    caption = next(t for t in gone if t.startswith("Head of Karabakh's security council"))
    assert gone[caption] == "image_credit_caption"
    text = body(seed_docs, "002")
    assert text.startswith("Relations between the authorities in Stepanakert")
    assert "(Source: Eurasianet)" not in text and "click here" not in text
    assert text.endswith("in the run-up to the recent war.")


def test_003_caliber(seed_corpus, seed_docs):
    gone = removed(seed_corpus, "003")
    expected = {
        "twitter": "social_menu", "telegram": "social_menu", "apple store": "app_store_link",
        "play market": "app_store_link", "ru": "language_switch", "arm": "language_switch",
        "search": "search_prompt", "WHAT ARE YOU LOOKING FOR ?": "search_prompt",
        "Any use of materials is allowed only if there is a hyperlink to Caliber.az": "copyright_notice",
        "Caliber.az © 2024. .": "copyright_notice",
        "Moscow fuels tensions in region with new Smerch MRLS missiles for Armenia": "other_headline",
        "ANALYTICS": "section_label", "A+": "font_size_control", "A-": "font_size_control",
        "29 September 2023 15:10": "date", "Caliber.Az": "outlet_signature", "Views: 476": "view_counter",
        "share-lineLiked the story? Share it on social media!": "share_widget", "print": "share_widget",
        "copy link": "share_widget", "Ссылка скопирована": "share_widget",
        "Analytical materials of te authors of Caliber.az": "after_article_end", "loading": "ui_string",
    }
    for line, reason in expected.items():
        assert gone[line] == reason, line
    text = body(seed_docs, "003")
    assert text.startswith("September was marked with important events for the South Caucasus region")
    assert text.endswith("may provoke enormous political unrest in the foreseen future.")
    assert "Smerch" not in text and "Views" not in text and "Caliber" not in text


def test_004_opslens(seed_corpus, seed_docs):
    gone = removed(seed_corpus, "004")
    assert gone == {
        "The Winner In Nagorno-Karabakh Is Russia": "title",
        "By: - November 19, 2020": "byline",
        "Kremlin cements gains on the ground in ‘frozen conflict’ of the Soviet Union": "subtitle",
        "Image by DonkeyHotey": "image_credit_caption",
        "Source link": "source_link_footer",
    }
    text = body(seed_docs, "004")
    assert text.startswith("It is obvious that Azerbaijan")
    # an author's own sentence that refers to a lost link is body text, not a "click here" widget
    assert "You can get a good understanding of the situation on the ground going forward here." in text
    assert text.endswith("his decades in the Kremlin.")
    assert "\u00a0" not in text


def test_every_line_accounted_for(seed_corpus, seed_docs):
    """Every non-blank raw line is in the audit table, and kept lines are found verbatim in the body."""
    for doc in seed_docs.itertuples():
        lines = seed_corpus.lines[seed_corpus.lines["doc_id"] == doc.doc_id]
        non_blank = {i for i, ln in enumerate(doc.raw.split("\n"), start=1) if ln.strip()}
        assert set(lines["line_no"]) == non_blank
        for row in lines[lines["action"] == "kept"].itertuples():
            assert doc.text[row.text_start:row.text_end] == row.text
        for row in lines.itertuples():  # raw offsets point at the line as scraped
            assert doc.raw[row.raw_start:row.raw_end].replace("\u00a0", " ").strip() == row.text.strip()


def test_removed_property_is_the_audit_of_what_left_the_body(seed_corpus):
    assert set(seed_corpus.removed["action"]) == {"removed", "metadata"}
    assert seed_corpus.removed["reason"].notna().all()
    assert seed_corpus.removed["detail"].notna().all()


OTHER_OUTLET = """Главная
EN | RU | AZ
Search...
Menu
POLITICS
Ceasefire violations reported near Shusha, ministry says
Armenia and Azerbaijan trade accusations over border shooting
Published: 12 May 2022, 09:41
By Jane Roe
Photo: Reuters
The defence ministry said on Thursday that positions near the border came under fire overnight, and that its units returned fire.
Officials in Yerevan denied the claim and accused the other side of provoking an escalation before talks in Brussels.
Read more: EU mediators plan new round of talks
The talks are expected to resume next month, diplomats said.
Поделиться
Share on Facebook
Tweet
12 345 views
Read also:
Moscow says its peacekeepers will stay
Iran holds drills near the border
Copyright © 2022 Example Media. All rights reserved.
We use cookies to improve your experience.
"""


def test_rules_generalise_to_another_outlets_page():
    cleaned = clean_text(OTHER_OUTLET)
    reasons = {row["text"]: row["reason"] for row in cleaned.lines}
    assert reasons["EN | RU | AZ"] == "language_switch"
    assert reasons["Search..."] == "search_prompt"
    assert reasons["POLITICS"] == "section_label"
    assert reasons["Ceasefire violations reported near Shusha, ministry says"] == "other_headline"
    assert reasons["Armenia and Azerbaijan trade accusations over border shooting"] == "title"
    assert reasons["Published: 12 May 2022, 09:41"] == "date"
    assert reasons["By Jane Roe"] == "byline"
    assert reasons["Photo: Reuters"] == "image_credit_caption"
    assert reasons["Read more: EU mediators plan new round of talks"] == "click_here_link"
    assert reasons["Поделиться"] == "share_widget"
    assert reasons["12 345 views"] == "view_counter"
    assert reasons["Moscow says its peacekeepers will stay"] == "after_article_end"
    assert cleaned.metadata["author"][0] == "Jane Roe"
    assert cleaned.metadata["date"][0].isoformat() == "2022-05-12T09:41:00"
    assert cleaned.body.split("\n\n") == [
        "The defence ministry said on Thursday that positions near the border came under fire overnight, "
        "and that its units returned fire.",
        "Officials in Yerevan denied the claim and accused the other side of provoking an escalation before "
        "talks in Brussels.",
        "The talks are expected to resume next month, diplomats said.",
    ]


def test_a_headline_that_reads_like_a_sentence_is_the_title_when_a_byline_follows():
    """A question, or a headline ending in a full stop, has 8+ words and terminal punctuation like a body
    sentence; with a byline or date right below it, it is the title and they are the header."""
    for headline in ["Will Russia's peacekeepers really leave Karabakh before the end of 2025?",
                     "Moscow has lost its grip on the South Caucasus, and everyone can see it."]:
        raw = (f"POLITICS\n\n{headline}\n\nBy Jane Roe\n\nPublished: 12 May 2022, 09:41\n\n"
               "The defence ministry said on Thursday that positions near the border came under fire overnight, "
               "and that its units returned fire.\n\nOfficials in Yerevan denied the claim.\n")
        cleaned = clean_text(raw)
        reasons = {row["text"]: row["reason"] for row in cleaned.lines}
        assert reasons[headline] == "title" and cleaned.metadata["title"][0] == headline
        assert reasons["By Jane Roe"] == "byline" and cleaned.metadata["author"][0] == "Jane Roe"
        assert cleaned.metadata["date"][0].isoformat() == "2022-05-12T09:41:00"
        assert cleaned.body.startswith("The defence ministry said")
    # a first paragraph that reads like a sentence and is followed by prose stays body
    raw = ("Armenia and Azerbaijan agreed on Thursday to resume talks in Brussels next month.\n\n"
           "Officials in Yerevan denied the claim and accused the other side of provoking an escalation.\n")
    assert clean_text(raw).body.startswith("Armenia and Azerbaijan agreed")


def test_body_lines_that_merely_mention_ui_words_are_kept():
    page = ("Title of the piece\n\nBy: Someone Real\n\n"
            "Share prices fell in Baku as copyright disputes over the print edition dragged on for months.\n\n"
            "Readers were asked to search their memory of the views expressed in 2008, said the editor.\n")
    cleaned = clean_text(page)
    assert "Share prices fell in Baku" in cleaned.body
    assert "Readers were asked to search" in cleaned.body


def test_hard_wrapped_paragraphs_are_rejoined():
    page = ("A headline\n\nThe first paragraph is wrapped at a fixed width by the\n"
            "scraper, so it continues on this line and ends here.\nA second paragraph starts here and "
            "runs to its own full stop at the end.\n")
    cleaned = clean_text(page)
    assert cleaned.body.split("\n\n") == [
        "The first paragraph is wrapped at a fixed width by the scraper, so it continues on this line and ends here.",
        "A second paragraph starts here and runs to its own full stop at the end."]


def test_overrides_win_over_rules():
    raw = "Title here\n\nA body paragraph that is long enough to count as the article's body text.\n\nShare\n"
    default = clean_text(raw)
    assert "Share" not in default.body
    kept = clean_text(raw, overrides={5: ("keep", "really part of the text"),
                                      3: ("remove", "")})
    assert kept.body == "Share"
    reasons = {row["line_no"]: (row["action"], row["reason"], row["detail"]) for row in kept.lines}
    assert reasons[5][:2] == ("kept", "override")
    assert "was removed (share_widget)" in reasons[5][2] and "really part of the text" in reasons[5][2]
    assert reasons[3][:2] == ("removed", "override")


# --- the fast paths find what the rules, read one by one, find ---------------------------------------------------

_UI_LINES = ["©", "(c) 2020 News.am", "Copyright 2021 Foo", "All rights reserved.", "Share", "Print this article",
             "Views: 1 234", "12 comments", "Top stories", "Related", "Click here to read more", "Read more",
             "Photo: AP", "AFP/Getty Images", "A caption on the square (Source: Eurasianet)", "EN | RU | AZ", "Search",
             "A+", "Loading...", "Follow us on Twitter", "Все права защищены", "Источник", "We use cookies on this site",
             "Image by John Smith", "Any use of materials is allowed only with a hyperlink to news.am"]


def _mixed_lines(seed, count):
    import random
    rng = random.Random(seed)
    words = " ".join(_UI_LINES).split() + ("The foundation says Balasanyan has now adopted a quasi-autonomist stance "
                                           "vis-à-vis Yerevan, emphasizing Karabakh’s own interests — 2021").split()
    lines = []
    for _ in range(count):
        filler = " ".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
        lines.append(rng.choice([filler, rng.choice(_UI_LINES), rng.choice(_UI_LINES) + " " + filler]))
    return lines + _UI_LINES


def test_rule_screen_finds_the_first_matching_rule():
    import re
    from analysis.corpus.cleaning import Line, _rule_screen, load_rules
    rules = load_rules()
    screen = _rule_screen(rules)
    assert screen is not None
    for text in _mixed_lines(5, 3000):
        n_words = len(re.findall(r"\w+", text))
        expected = next((rule for rule in rules if rule.matches(text, n_words)), None)
        assert screen.first_match(Line(1, 0, len(text), text)) is expected, text


def test_rules_that_cannot_be_combined_are_tried_one_by_one():
    import re
    from analysis.corpus.cleaning import Rule, _rule_screen
    echo = Rule("echo", "a word said twice", re.compile(r"(\w+) \1", re.IGNORECASE), None, None, False)
    plain = Rule("plain", "a plain rule", re.compile("menu", re.IGNORECASE), None, None, False)
    assert _rule_screen((plain, echo)) is None  # a back-reference would point at another rule's group
    cleaned = clean_text("Menu\n\nhey hey\n\nThe body of the article is a full sentence of many words here.",
                         rules=(plain, echo))
    assert [(row["text"], row["reason"]) for row in cleaned.lines][:2] == [("Menu", "plain"), ("hey hey", "echo")]


def test_word_counts():
    import random
    import re
    from analysis.corpus.cleaning import Line
    rng = random.Random(2)
    for _ in range(3000):
        text = "".join(rng.choice("ab é1_ -.—\u00a0Ж’") for _ in range(rng.randint(0, 40)))
        line = Line(1, 0, len(text), text)
        n = len(re.findall(r"\w+", text))
        assert [line.at_most_words(k) for k in range(8)] == [n <= k for k in range(8)], text
        assert line.n_words == n and line.at_most_words(3) == (n <= 3)
    line = Line(1, 0, 11, "one two six")
    assert line.n_words == 3
    line.text = "one"  # the dateline split shortens a line: its count follows
    assert line.n_words == 1 and line.at_most_words(1)


def test_cleaning_matches_rule_by_rule_reading(monkeypatch):
    """clean_text gives the same audit with the rule screen as with every rule tried on every line."""
    from analysis.corpus import cleaning
    pages = ["\n".join(_mixed_lines(seed, 40)) for seed in range(30)]
    fast = [clean_text(page, outlet_names=("News.am",)) for page in pages]
    monkeypatch.setattr(cleaning, "_rule_screen", lambda rules: None)
    slow = [clean_text(page, outlet_names=("News.am",)) for page in pages]
    for a, b in zip(fast, slow):
        assert (a.body, a.paragraphs, a.lines, a.metadata, a.date_problems) == \
            (b.body, b.paragraphs, b.lines, b.metadata, b.date_problems)


def test_rule_screen_names_the_first_rule_whose_pattern_matched():
    """The combined whole-line pattern tells which rule matched by its group: rules whose patterns hold
    groups of their own, match the same lines, or come after a contains rule still give the first rule."""
    import random
    import re
    from analysis.corpus.cleaning import Line, Rule, _rule_screen

    def rule(name, lines=None, contains=None, max_words=None):
        return Rule(name, name, re.compile(lines, re.IGNORECASE) if lines else None,
                    re.compile(contains, re.IGNORECASE) if contains else None, max_words, False)

    rules = (
        rule("groups", r"(a+)(b)?c|(?:x(y|z))+"),
        rule("contains_short", contains=r"\bbb\b", max_words=2),
        rule("overlap_a", r"a+b?c|ab+"),           # overlaps the first rule: "ac" is the first rule's
        rule("named", r"(?P<w>b+)a(?:(q)|(r))"),
        rule("contains_any", contains=r"zz|(c)(?=a)"),
        rule("overlap_b", r"(?:a|b)+|x(y)"),       # "xy" is the first rule's, "ab" overlap_a's
        rule("both", r"q+", contains=r"qq"),
    )
    screen = _rule_screen(rules)
    assert screen is not None
    rng = random.Random(7)
    texts = ["ac", "aabc", "xyxz", "ab", "abb", "bbar", "bbaq", "xy", "aa", "q", "qq", "bb", "bb a", "bb a c",
             "zz", "ca", "aac", "b b", ""]
    texts += ["".join(rng.choice("abcqrxyz ") for _ in range(rng.randint(1, 8))).strip() or "a" for _ in range(5000)]
    for text in texts:
        line = Line(1, 0, len(text), text)
        n_words = len(re.findall(r"\w+", text))
        expected = next((r for r in rules if r.matches(text, n_words)), None)
        assert screen.first_match(line) is expected, text
        m = screen.whole_lines.fullmatch(text)
        assert m is None or m.lastindex in screen.rule_of_group, text  # never the rule-by-rule fallback


def test_word_limit_of_short_lines_needs_no_count():
    from analysis.corpus.cleaning import Line
    for text in ["a b c d", "a b c", "ab cd", "a-b-c-d", "a  b", "abcdefg", "a,b,c,d,e", "é ж ’ 1 _"]:
        n = len(__import__("re").findall(r"\w+", text))
        for limit in range(0, 8):
            assert Line(1, 0, len(text), text).at_most_words(limit) == (n <= limit), (text, limit)


def _language_word_by_word(body):
    """Language inference as first written: each word found, then lowered on its own."""
    import re

    from analysis.text.segment import STOP_WORDS
    words = [w.lower().replace("’", "'") for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", body)]
    if len(words) < 20:
        return None, f"too few words ({len(words)}) to tell the language"
    share = sum(w in STOP_WORDS for w in words) / len(words)
    if share >= 0.25:
        return "en", f"{share:.0%} of {len(words)} words are English stop words (running English text: 35-55%)"
    return None, f"only {share:.0%} of {len(words)} words are English stop words: probably not English"


def test_language_inference_on_short_foreign_and_mixed_texts():
    """The body is lowered in one pass: same words as lowering each, also where lowering changes length
    (İ) or depends on the next character (final sigma), for short, non-English and mixed texts."""
    import random

    from analysis.corpus.loading import _infer_language
    english = "The minister said that he would not sign the deal, and it’s not clear why they didn’t. "
    texts = ["", "Too short to tell.", english, english * 3, "Das ist kein englischer Text, aber er ist lang. " * 5,
             "Это не английский текст, но он длинный и в нём много слов. " * 3,
             "ΟΔΟΣ.Α the of and to a in ΣΟΦΙΑΣ' is it that " * 3, "İSTANBUL’DA the of and to is it that was " * 3,
             english + "Bu metin Türkçe yazılmıştır ve İngilizce değildir. " * 4, "Ⅰ the Ǆ of ǅ ﬁ and ß " * 6,
             "word " * 19, "word " * 20, "the " * 5 + "word " * 15, "DON’T YOU’RE IT’S THE " * 6]
    rng = random.Random(3)
    alphabet = list("abcXYZ ’'İıΣσςΑΒ.-_5 \n") + ["ß", "ﬁ", "Ǆ", "ǅ", "the ", "of ", "and "]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(3000)]
    for text in texts:
        assert _infer_language(text) == _language_word_by_word(text), repr(text)
    assert _infer_language(english * 3)[0] == "en" and _infer_language(texts[5])[0] is None
