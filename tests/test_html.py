"""Saved HTML news pages: main text and metadata through trafilatura, page furniture dropped.

Two realistic pages (a newspaper layout and a WordPress layout) are written to
``tmp_path`` next to a plain-text seed article; both must load with their own
title, author, date, url and site name (provenance "text", evidence naming
trafilatura), a body free of menus, share buttons, related links, footers and
script code, and the HTML itself kept untouched in ``raw``.
"""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import CorpusWarning, sentences, tokens

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_TXT = "001_51913676188bf265.txt"
SEED_ID = SEED_TXT[:-4]

HERALD_PARAGRAPHS = [
    "The ceasefire that ended six weeks of fighting over Nagorno-Karabakh has largely held through the winter, "
    "according to residents of Stepanakert and officials in Baku and Yerevan who spoke to this newspaper this week.",
    "Nearly two thousand Russian peacekeepers now patrol the Lachin corridor, the only road linking the enclave to "
    "Armenia, and man observation posts along the new line of contact that divides the region.",
    "Diplomats in Moscow describe the deployment as a stabilising presence, while critics in Armenia argue that it "
    "has turned the territory into a de facto Russian protectorate with an uncertain future.",
    "One local blogger, writing about the fragile security of online news sites in the region, showed how a "
    "careless comment form could be abused with a snippet such as <script>alert(1)</script> and urged editors to "
    "fix their websites.",
    "Azerbaijani officials insist that the displaced families who fled the districts around the enclave in the "
    "early 1990s will be able to return home once the mines have been cleared and the roads rebuilt.",
    "For now, the mood on both sides of the line remains tense, and many families say they are waiting to see "
    "whether the agreement signed in November will survive its first full year.",
]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


HERALD_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ceasefire holds in Nagorno-Karabakh as Russian peacekeepers deploy | Caucasus Herald</title>
<meta property="og:site_name" content="Caucasus Herald">
<meta property="og:title" content="Ceasefire holds in Nagorno-Karabakh as Russian peacekeepers deploy">
<meta name="author" content="Anna Petrosyan">
<meta property="article:published_time" content="2021-03-05T10:00:00+00:00">
<link rel="canonical" href="https://www.caucasusherald.example/news/2021/03/ceasefire-holds-karabakh">
<script>var trackingPixelSecret = "TRACKME-12345"; function showPopupNow(){ document.title = "popup"; }</script>
</head>
<body>
<header>
  <div class="logo">Caucasus Herald</div>
  <nav class="main-menu">
    <ul>
      <li><a href="/">Home</a></li>
      <li><a href="/politics">Politics Desk</a></li>
      <li><a href="/economy">Economy Desk</a></li>
      <li><a href="/subscribe">Subscribe to our newsletter today</a></li>
    </ul>
  </nav>
</header>
<main>
<article>
  <h1>Ceasefire holds in Nagorno-Karabakh as Russian peacekeepers deploy</h1>
  <p class="byline">By Anna Petrosyan, 5 March 2021</p>
  <div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
""" + "".join(f"  <p>{_escape(p)}</p>\n" for p in HERALD_PARAGRAPHS) + """</article>
<aside class="related">
  <h3>Related articles</h3>
  <ul>
    <li><a href="/a1">Opinion: Why the Minsk Group failed to deliver anything</a></li>
    <li><a href="/a2">Gallery: Winter markets return to the old city of Shusha</a></li>
  </ul>
</aside>
</main>
<footer>
  <p>&copy; 2021 Caucasus Herald Media Group. All rights reserved.</p>
  <a href="/privacy">Privacy policy and cookie settings</a>
</footer>
<script>console.log("analyticsBeaconLoaded"); window.dataLayer = window.dataLayer || [];</script>
</body>
</html>
"""

MONITOR_PARAGRAPHS = [
    "Negotiations over the future of the Lachin corridor stalled on Friday after Russian and Azerbaijani officials "
    "accused each other of violating the terms of the November armistice that ended the war over Nagorno-Karabakh.",
    "According to diplomats familiar with the talks, Baku wants customs checkpoints on the road that links "
    "Stepanakert with Armenia, while Moscow insists that its peacekeepers alone must control the traffic.",
    "Armenian officials in Yerevan said that any checkpoint would cut the ethnic Armenian population of Karabakh "
    "off from food, fuel and medicine, and appealed to the co-chairs of the Minsk Group to intervene.",
    "Analysts in Tbilisi note that the dispute shows how much of the region's security now depends on Russia, "
    "which has deployed troops to the area for the first time since the collapse of the Soviet Union.",
    "The next round of talks is expected in Moscow later this month, but neither side has confirmed that its "
    "delegation will attend.",
]

MONITOR_HTML = """<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lachin corridor talks stall - South Caucasus Monitor</title>
<meta property="og:site_name" content="South Caucasus Monitor">
<meta property="og:type" content="article">
<meta name="author" content="David Mirzoyan">
<meta property="article:published_time" content="2021-03-05T10:00:00+00:00">
<link rel="canonical" href="https://southcaucasusmonitor.example/2021/03/05/lachin-corridor-talks-stall/">
<script type="text/javascript">window.adsQueue = []; var adSlotSecret = "AD-SLOT-998877";</script>
</head>
<body class="single-post">
<div id="topbar"><nav><a href="/">Front page</a> | <a href="/world">World news</a> | <a href="/login">Log in to your account</a></nav></div>
<header class="site-header"><nav class="primary"><ul><li><a href="/region">Regional coverage</a></li><li><a href="/video">Video reports</a></li></ul></nav></header>
<div id="content">
 <div class="post">
  <h1 class="entry-title">Lachin corridor talks stall as Moscow and Baku trade accusations</h1>
  <div class="entry-meta">Posted by David Mirzoyan</div>
  <ul class="social-share"><li>Share</li><li>Tweet</li><li>Email this article</li></ul>
  <div class="entry-content">
   <p>""" + MONITOR_PARAGRAPHS[0] + """</p>
   <p>""" + MONITOR_PARAGRAPHS[1] + """</p>
   <script>document.write("inlineWidgetCode42");</script>
""" + "".join(f"   <p>{p}</p>\n" for p in MONITOR_PARAGRAPHS[2:]) + """  </div>
  <div class="related-posts"><h4>Related articles</h4>
   <ul><li><a href="/r1">Satellite images show new trenches near Shusha road</a></li><li><a href="/r2">Podcast: the winter after the war in the Caucasus</a></li></ul></div>
 </div>
</div>
<footer id="colophon"><div class="site-info">Copyright &copy; 2021 South Caucasus Monitor. All rights reserved. Powered by WordPress.</div></footer>
</body>
</html>
"""

NAV_ONLY_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Caucasus Herald - Home</title>
<meta property="og:site_name" content="Caucasus Herald"></head>
<body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/economy">Economy</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<footer><p>&copy; 2021 Caucasus Herald</p></footer>
</body></html>
"""

SCRIPT_ONLY_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Loading...</title>
<script src="/static/app.js"></script></head>
<body><div id="root"></div><script>window.renderApp("root");</script></body></html>
"""

PAGES = {
    "herald_ceasefire": dict(
        file="herald_ceasefire.html", html=HERALD_HTML, paragraphs=HERALD_PARAGRAPHS,
        title="Ceasefire holds in Nagorno-Karabakh as Russian peacekeepers deploy",
        author="Anna Petrosyan", source="Caucasus Herald",
        url="https://www.caucasusherald.example/news/2021/03/ceasefire-holds-karabakh"),
    "monitor_lachin": dict(
        file="monitor_lachin.htm", html=MONITOR_HTML, paragraphs=MONITOR_PARAGRAPHS,
        title="Lachin corridor talks stall as Moscow and Baku trade accusations",
        author="David Mirzoyan", source="South Caucasus Monitor",
        url="https://southcaucasusmonitor.example/2021/03/05/lachin-corridor-talks-stall/"),
}

# Page furniture that must not reach the body text.
FURNITURE = [
    "Home", "Politics Desk", "Economy Desk", "Subscribe to our newsletter", "Share on Facebook", "Share on Twitter",
    "Related articles", "Minsk Group failed to deliver", "Winter markets return", "All rights reserved",
    "Media Group", "Privacy policy", "Front page", "World news", "Log in to your account", "Regional coverage",
    "Video reports", "Tweet", "Email this article", "Satellite images show new trenches",
    "Podcast: the winter after the war", "Powered by WordPress", "©", "Posted by",
]
# Code of the page's real <script> elements.
SCRIPT_CODE = ["trackingPixelSecret", "TRACKME", "showPopupNow", "analyticsBeaconLoaded", "dataLayer",
               "console.log", "adsQueue", "adSlotSecret", "inlineWidgetCode42", "document.write", "window."]


def _read(folder: Path, **options) -> tuple[analysis.Corpus, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = analysis.read_corpus(folder, **options)
    return corpus, [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]


@pytest.fixture(scope="module")
def html_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html_corpus")
    for page in PAGES.values():
        (folder / page["file"]).write_text(page["html"], encoding="utf-8")
    shutil.copy(SEEDS / SEED_TXT, folder / SEED_TXT)
    corpus, warned = _read(folder)
    return folder, corpus, warned


def _doc(corpus, doc_id):
    rows = corpus.docs[corpus.docs["doc_id"] == doc_id]
    assert len(rows) == 1, f"{doc_id} not loaded: {corpus.docs['doc_id'].tolist()}"
    return rows.iloc[0]


def test_pages_load_alongside_a_text_seed(html_corpus):
    _, corpus, warned = html_corpus
    assert warned == []
    assert corpus.problems.empty, corpus.problems.to_string()
    assert set(corpus.docs["doc_id"]) == {SEED_ID, *PAGES}
    assert dict(zip(corpus.docs["doc_id"], corpus.docs["file"])) == {
        SEED_ID: SEED_TXT, **{k: v["file"] for k, v in PAGES.items()}}
    seed = _doc(corpus, SEED_ID)
    assert seed["title"] == "Vitaly Balasanian, Karabakh’s Strongman-in-Waiting"
    assert seed["author"] == "Vladimir Socor"


@pytest.mark.parametrize("doc_id", list(PAGES))
def test_metadata_comes_from_the_page(html_corpus, doc_id):
    _, corpus, _ = html_corpus
    page, row = PAGES[doc_id], _doc(corpus, doc_id)
    assert row["title"] == page["title"]
    assert row["author"] == page["author"]
    assert row["date"] == pd.Timestamp("2021-03-05")
    assert row["url"] == page["url"]
    assert row["source"] == page["source"]
    assert row["language"] == "en"
    prov = corpus.provenance[corpus.provenance["doc_id"] == doc_id].set_index("field")
    for field in ("title", "author", "date", "url", "source"):
        assert prov.loc[field, "provenance"] == "text", field
        assert "trafilatura" in prov.loc[field, "evidence"], field
    assert prov.loc["date", "value"] == "2021-03-05"
    assert "2021-03-05" in prov.loc["date", "evidence"]
    assert prov.loc["source", "value"] == page["source"]


@pytest.mark.parametrize("doc_id", list(PAGES))
def test_body_is_the_article_without_page_furniture(html_corpus, doc_id):
    _, corpus, _ = html_corpus
    page, row = PAGES[doc_id], _doc(corpus, doc_id)
    text = row["text"]
    assert text.split("\n\n") == page["paragraphs"]
    assert row["n_paragraphs"] == len(page["paragraphs"])
    assert page["title"] not in text                       # the <h1> went to the title, not the body
    for furniture in FURNITURE:
        assert furniture not in text, furniture
    title_line = corpus.lines[(corpus.lines["doc_id"] == doc_id) & (corpus.lines["text"] == page["title"])]
    assert title_line["action"].tolist() == ["metadata"]


@pytest.mark.parametrize("doc_id", list(PAGES))
def test_script_code_is_not_in_the_text(html_corpus, doc_id):
    _, corpus, _ = html_corpus
    text = _doc(corpus, doc_id)["text"]
    for code in SCRIPT_CODE:
        assert code not in text, code


def test_escaped_markup_in_article_prose_is_kept_as_words(html_corpus):
    _, corpus, _ = html_corpus
    row = _doc(corpus, "herald_ceasefire")
    # the page shows the characters <script>alert(1)</script> as text: they are the article's words
    assert "a snippet such as <script>alert(1)</script> and urged editors" in row["text"]
    assert "&lt;" not in row["text"] and "&amp;" not in row["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in row["raw"]


@pytest.mark.parametrize("doc_id", list(PAGES))
def test_raw_is_the_html_as_read(html_corpus, doc_id):
    folder, corpus, _ = html_corpus
    page, row = PAGES[doc_id], _doc(corpus, doc_id)
    assert row["raw"] == page["html"]
    assert row["raw"] == (folder / page["file"]).read_text(encoding="utf-8")
    assert row["encoding"] == "utf-8"


def test_sentences_and_tokens_work_on_html_documents(html_corpus):
    _, corpus, _ = html_corpus
    sents, toks = sentences(corpus.docs), tokens(corpus.docs)
    for doc_id, page in PAGES.items():
        text = _doc(corpus, doc_id)["text"]
        mine = sents[sents["doc_id"] == doc_id]
        # every paragraph here is one sentence
        assert mine["text"].tolist() == page["paragraphs"]
        assert mine["paragraph_id"].tolist() == list(range(1, len(page["paragraphs"]) + 1))
        assert all(text[s:e] == t for s, e, t in zip(mine["start"], mine["end"], mine["text"]))
        assert (mine["source"] == page["source"]).all()
        assert _doc(corpus, doc_id)["n_sentences"] == len(mine)

        words = toks[toks["doc_id"] == doc_id]
        assert all(text[s:e] == t for s, e, t in zip(words["start"], words["end"], words["token"]))
        assert "Nagorno-Karabakh" in set(words["token"])
        assert "Lachin" in set(words["token"])
        assert _doc(corpus, doc_id)["n_tokens"] == len(words)
        assert not set(SCRIPT_CODE) & set(words["token"])


def test_manifest_values_win_over_page_metadata_with_evidence(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    page = PAGES["herald_ceasefire"]
    (folder / page["file"]).write_text(page["html"], encoding="utf-8")
    shutil.copy(SEEDS / SEED_TXT, folder / SEED_TXT)
    (folder / "manifest.csv").write_text(
        f"file,source,source_country\n{page['file']},Caucasus Herald (print edition),Armenia\n"
        f"{SEED_TXT},Jamestown Foundation,United States\n", encoding="utf-8")
    corpus, warned = _read(folder)
    assert warned == []
    row = _doc(corpus, "herald_ceasefire")
    assert row["source"] == "Caucasus Herald (print edition)"
    assert row["title"] == page["title"]
    prov = corpus.provenance[corpus.provenance["doc_id"] == "herald_ceasefire"].set_index("field")
    assert prov.loc["source", "provenance"] == "manifest"
    assert "the text reads 'Caucasus Herald'" in prov.loc["source", "evidence"]
    assert "trafilatura" in prov.loc["source", "evidence"]
    assert prov.loc["title", "provenance"] == "text"


@pytest.mark.parametrize("name, html", [
    ("front_page.html", NAV_ONLY_HTML),
    ("app_shell.html", SCRIPT_ONLY_HTML),
], ids=["nav-only", "script-only"])
def test_page_without_article_is_skipped_with_a_clear_message(tmp_path, name, html):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_text(html, encoding="utf-8")
    (folder / PAGES["monitor_lachin"]["file"]).write_text(MONITOR_HTML, encoding="utf-8")
    shutil.copy(SEEDS / SEED_TXT, folder / SEED_TXT)
    with pytest.warns(CorpusWarning, match=rf"{name.replace('.', '[.]')}: "
                                           r"(HTML page in which no main text was found|"
                                           r"nothing is left after removing boilerplate)"):
        corpus = analysis.read_corpus(folder)
    problems = corpus.problems[corpus.problems["file"] == name]
    assert len(problems) == 1
    assert problems.iloc[0]["severity"] == "skipped"
    assert problems.iloc[0]["problem"] in ("no_main_text", "only_boilerplate")
    assert "skipped" in problems.iloc[0]["message"]
    assert set(corpus.docs["doc_id"]) == {SEED_ID, "monitor_lachin"}
    assert name not in set(corpus.docs["file"])
    assert name[:-5] not in set(corpus.provenance["doc_id"])


def test_folder_of_only_empty_pages_is_a_corpus_error(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "front_page.html").write_text(NAV_ONLY_HTML, encoding="utf-8")
    (folder / "app_shell.html").write_text(SCRIPT_ONLY_HTML, encoding="utf-8")
    with pytest.warns(CorpusWarning):
        with pytest.raises(analysis.CorpusError, match="no document could be loaded") as info:
            analysis.read_corpus(folder)
    assert "front_page.html" in str(info.value) and "app_shell.html" in str(info.value)
