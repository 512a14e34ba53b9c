"""Term maps (analysis.report.termmap): hand-computed numbers, non-overlapping labels, literal `$`, escaping in a real
browser, and byte-identical files on the seed corpus."""
import json
import math
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.report.termmap import (LABEL_GID, save_term_map, term_map, term_map_figure,  # noqa: E402
                              term_map_html)

HOSTILE_TERM = "<script>window.pwned=1</script>"
HOSTILE_SOURCE = '<b>Evil</b> <img src=x onerror="window.pwned=1">'
HOSTILE_SENTENCE = ('He wrote <script>window.pwned=1</script> and <img src=x onerror="window.pwned=1"> '
                    'then </script><script>window.pwned=1</script> in the text.')


def make_tokens(docs):
    """A tokens table from (doc_id, source, [sentence, ...]) with each sentence a list of (norm, is_stop, is_punct)."""
    rows = []
    for doc_id, source, sentences in docs:
        position = 0
        for sentence_id, words in enumerate(sentences, start=1):
            for norm, is_stop, is_punct in words:
                rows.append({"doc_id": doc_id, "source": source, "sentence_id": sentence_id, "position": position,
                             "token": norm, "norm": norm, "is_stop": is_stop, "is_punct": is_punct})
                position += 1
    return pd.DataFrame(rows)


def w(norm, stop=False):
    return (norm, stop, False)


PUNCT = (",", False, True)


@pytest.fixture
def tiny():
    return make_tokens([
        ("1", "A", [[w("war"), w("war"), PUNCT, w("peace"), w("the", True)]]),
        ("2", "B", [[w("peace"), w("peace"), w("talks"), PUNCT, w("the", True)]]),
        ("3", "C", [[w("war"), w("war"), w("war")]]),          # neither group: ignored
    ])


def test_hand_computed_counts_rates_z_and_ranks(tiny):
    table = term_map(tiny, "A", ["B"], min_count=1)
    assert list(table.columns) == ["term", "count_a", "count_b", "total_a", "total_b", "rate_a", "rate_b", "x", "y",
                                   "z", "delta", "label_candidate", "label"]
    rows = table.set_index("term")
    assert set(rows.index) == {"war", "peace", "talks"}                 # stop word and punctuation dropped
    assert rows.loc["war", ["count_a", "count_b"]].tolist() == [2, 0]   # group C's "war" does not count
    assert rows.loc["peace", ["count_a", "count_b"]].tolist() == [1, 2]
    assert (table["total_a"] == 4).all() and (table["total_b"] == 4).all()  # words incl. stop words, no punct
    assert rows.loc["war", "rate_a"] == pytest.approx(2 / 4 * 1000, abs=1e-12)
    assert rows.loc["peace", "rate_b"] == pytest.approx(2 / 4 * 1000, abs=1e-12)
    # Monroe et al. with the corpus prior of the two groups: a_w = count in A and B, a0 = 6, n_a = n_b = 3
    # (non-stop words); war: y_a = 2, y_b = 0, a_w = 2
    delta = math.log((2 + 2) / (3 + 6 - 2 - 2)) - math.log((0 + 2) / (3 + 6 - 0 - 2))
    z = delta / math.sqrt(1 / (2 + 2) + 1 / (0 + 2))
    assert rows.loc["war", "delta"] == pytest.approx(delta, abs=1e-12)
    assert rows.loc["war", "z"] == pytest.approx(z, abs=1e-12)
    # talks: y_a = 0, y_b = 1, a_w = 1
    z_talks = ((math.log(1 / (3 + 6 - 1)) - math.log(2 / (3 + 6 - 1 - 1))) / math.sqrt(1 / 1 + 1 / 2))
    assert rows.loc["talks", "z"] == pytest.approx(z_talks, abs=1e-12)
    # percentile ranks: by count then term; A counts talks 0 < peace 1 < war 2; B: war 0 < talks 1 < peace 2
    assert rows["x"].to_dict() == {"talks": 0.0, "peace": 0.5, "war": 1.0}
    assert rows["y"].to_dict() == {"war": 0.0, "talks": 0.5, "peace": 1.0}
    assert table["term"].tolist() == ["war", "peace", "talks"]          # z descending
    assert table["z"].is_monotonic_decreasing
    # ties broken alphabetically, the same every time
    tied = make_tokens([("1", "A", [[w("b"), w("a"), w("c")]]), ("2", "B", [[w("a"), w("b"), w("c")]])])
    ranks = term_map(tied, "A", "B", min_count=1).set_index("term")
    assert ranks["x"].to_dict() == {"a": 0.0, "b": 0.5, "c": 1.0}
    pd.testing.assert_frame_equal(term_map(tiny, "A", "B", min_count=1), table)


def test_min_count_stop_words_and_bad_groups(tiny):
    assert set(term_map(tiny, "A", "B", min_count=3)["term"]) == {"peace"}
    assert "the" in set(term_map(tiny, "A", "B", min_count=1, drop_stop=False)["term"])
    with pytest.raises(ValueError, match="share"):
        term_map(tiny, "A", ["A", "B"])
    with pytest.raises(ValueError, match="no word tokens"):
        term_map(tiny, "A", "Z")
    with pytest.raises(ValueError, match="no column"):
        term_map(tiny, "A", "B", by="side")


def label_boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in ax.texts if t.get_gid() == LABEL_GID]
    return {t.get_text(): t.get_window_extent(renderer) for t in texts}


def assert_disjoint(boxes):
    items = list(boxes.items())
    for i, (term, box) in enumerate(items):
        for other, other_box in items[i + 1:]:
            assert not box.overlaps(other_box), (term, other)


def test_labels_do_not_overlap_and_show_each_sides_most_distinctive_terms(seed_tokens):
    table = term_map(seed_tokens, "Caliber.az", ["Jamestown Foundation", "OpsLens", "PanARMENIAN.Net"])
    assert table["label"].sum() > 10 and (table["label"] <= table["label_candidate"]).all()
    fig = term_map_figure(table, a_name="Caliber.az", b_name="the other outlets")
    boxes = label_boxes(fig)
    assert set(boxes) == set(table.loc[table["label"], "term"])      # the table's choice fits the figure
    assert_disjoint(boxes)
    top_a = table.loc[table["z"].idxmax(), "term"]
    top_b = table.loc[table["z"].idxmin(), "term"]
    assert top_a in boxes and top_b in boxes
    for side in (table[table["z"] > 0], table[table["z"] < 0]):    # the three most distinctive of each side
        assert set(side.reindex(side["z"].abs().sort_values(ascending=False).index)["term"].head(3)) <= set(boxes)
    assert fig.axes[1].get_ylabel() == "log-odds z (Caliber.az vs the other outlets)"
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_crowded_labels_are_dropped_and_recorded():
    # forty terms only in A crowd one corner (top ranks in A, bottom in B) among 160 shared ones: labels collide
    shared = [w(f"shared{i:03d}") for i in range(160) for _ in range(3)]
    docs = [("1", "A", [shared + [w(f"distinctive{i:02d}") for i in range(40) for _ in range(5)]]),
            ("2", "B", [shared])]
    table = term_map(make_tokens(docs), "A", "B", n_labels=40)
    assert table["label_candidate"].sum() == 40 and 0 < table["label"].sum() < 40   # 20 from each side
    import matplotlib.pyplot as plt
    fig = term_map_figure(table.assign(label=table["label_candidate"]), a_name="A", b_name="B")
    records = fig.term_map_labels
    assert len(records) == 40 and (~records["placed"]).sum() > 0
    boxes = label_boxes(fig)
    assert set(boxes) == set(records.loc[records["placed"], "term"])
    assert_disjoint(boxes)
    assert set(boxes) == set(table.loc[table["label"], "term"])      # same greedy placement as the table's
    assert any("dropped to avoid overlap" in t.get_text() for t in fig.texts)
    plt.close(fig)


def test_dollar_signs_render_literally(tmp_path):
    import matplotlib.pyplot as plt
    docs = [("1", "A", [[w("$5"), w("$5"), w("a$b$c"), w("a$b$c"), w("x")]]),
            ("2", "B", [[w("y"), w("y"), w("$x^2$"), w("$x^2$"), w("x")]])]
    table = term_map(make_tokens(docs), "A", "B", min_count=1)
    assert table.set_index("term").loc[["$5", "a$b$c", "$x^2$"], "label"].all()
    fig = term_map_figure(table, a_name="US$ outlets $", b_name="B$", title="cost in $ and $x$")
    boxes = label_boxes(fig)                          # drawing raises on bad mathtext ("a$b$c" is unbalanced)
    assert {"$5", "a$b$c", "$x^2$"} <= set(boxes)
    fig.savefig(tmp_path / "dollar.png")
    fig.savefig(tmp_path / "dollar.svg", metadata={"Date": None})
    plt.close(fig)
    svg = (tmp_path / "dollar.svg").read_text(encoding="utf-8")
    for literal in ("$5", "a$b$c", "$x^2$", "frequency rank in US$ outlets $ (percentile)"):
        assert literal in svg


def hostile_inputs():
    toks = make_tokens([
        ("d1", HOSTILE_SOURCE, [[w(HOSTILE_TERM), w("</script>"), w(HOSTILE_TERM), w("calm")],
                                [w(HOSTILE_TERM), w("calm"), w("</script>")]]),
        ("d2", "Plain", [[w("calm"), w("quiet"), w("quiet"), w("quiet"), w("calm")]]),
    ])
    sents = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "source": [HOSTILE_SOURCE, HOSTILE_SOURCE, "Plain"],
                          "sentence_id": [1, 2, 1], "text": [HOSTILE_SENTENCE, "second \u2028 line \u2029 </script>",
                                                             "calm and quiet"]})
    table = term_map(toks, HOSTILE_SOURCE, "Plain", min_count=1)
    return table, sents, toks


def embedded_data(page):
    match = re.search(r'<script type="application/json" id="termmap-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_html_escapes_every_corpus_string():
    table, sents, toks = hostile_inputs()
    page = term_map_html(table, sents, toks, a_name=HOSTILE_SOURCE, b_name="Plain <i>b</i>",
                         title="Map </script><script>window.pwned=1</script>")
    assert "<script>window" not in page
    assert page.count("</script>") == 2 and page.count("<script") == 2   # only the page's own two elements
    assert "<img" not in page and "<i>b</i>" not in page and "\u2028" not in page and "\u2029" not in page
    assert "&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;" in page     # names in the markup, escaped
    data = embedded_data(page)                                                # the data survive intact
    assert data["a"] == HOSTILE_SOURCE
    assert HOSTILE_TERM in [t[0] for t in data["terms"]]
    assert data["sentences"][HOSTILE_TERM][1][0][3] == HOSTILE_SENTENCE
    assert data["sentences"][HOSTILE_TERM][1][0][1] == HOSTILE_SOURCE
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)   # nothing external
    assert "innerHTML" not in page
    # the same input gives the same bytes
    assert page == term_map_html(table, sents, toks, a_name=HOSTILE_SOURCE, b_name="Plain <i>b</i>",
                                 title="Map </script><script>window.pwned=1</script>")


def test_sentences_come_from_the_two_groups_and_are_capped(seed_tokens, seed_sentences):
    table = term_map(seed_tokens, "Caliber.az", "OpsLens")
    data = embedded_data(term_map_html(table, seed_sentences, seed_tokens, a_name="Caliber.az", b_name="OpsLens",
                                       max_sentences=3))
    sources = {s[1] for entry in data["sentences"].values() for s in entry[1]}
    assert sources <= {"Caliber.az", "OpsLens"}
    assert all(len(entry[1]) <= 3 and entry[0] >= len(entry[1]) for entry in data["sentences"].values())
    term = table.loc[(table["count_a"] > 0) & (table["count_b"] > 0), "term"].iloc[0]
    shown = data["sentences"][term][1]
    assert {s[0] for s in shown} == {"a", "b"}                                 # both sides, alternating
    texts = seed_sentences.set_index(["doc_id", "sentence_id"])["text"]
    assert all(s[3] in set(texts) for s in shown)


def test_seed_term_map_files_are_byte_identical(seed_tokens, seed_sentences, tmp_path):
    others = ["Jamestown Foundation", "OpsLens", "PanARMENIAN.Net"]
    outputs = []
    for run in ("one", "two"):
        table = term_map(seed_tokens, "Caliber.az", others)
        paths = save_term_map(table, seed_sentences, seed_tokens, "termmap_caliber", tmp_path / run,
                              a_name="Caliber.az", b_name="the other outlets")
        assert set(paths) == {"png", "svg", "html"}
        assert all(p.exists() and p.stat().st_size > 1000 for p in paths.values())
        outputs.append({ext: p.read_bytes() for ext, p in paths.items()})
    for ext in ("png", "svg", "html"):
        assert outputs[0][ext] == outputs[1][ext], ext
    assert outputs[0]["png"][:8] == b"\x89PNG\r\n\x1a\n"
    svg = outputs[0]["svg"].decode("utf-8")
    assert "<dc:date>" not in svg and "frequency rank in Caliber.az (percentile)" in svg
    assert len(embedded_data(outputs[0]["html"].decode("utf-8"))["terms"]) == len(table)


# ---- in a real browser -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    from conftest import require_chromium
    chromium = require_chromium()
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield instance
        instance.close()


def open_page(browser, page_html, tmp_path):
    path = tmp_path / "termmap.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    requests = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri(), wait_until="load")
    return page, problems, requests


def test_markup_in_the_corpus_is_shown_as_text_in_a_browser(browser, tmp_path):
    table, sents, toks = hostile_inputs()
    page_html = term_map_html(table, sents, toks, a_name=HOSTILE_SOURCE, b_name="Plain",
                              title="Map </script><script>window.pwned=1</script>")
    page, problems, requests = open_page(browser, page_html, tmp_path)
    assert page.title() == "Map </script><script>window.pwned=1</script>"
    assert page.locator("#map circle").count() == len(table)
    index = int(table.index[table["term"] == HOSTILE_TERM][0])
    point = page.locator(f'#map circle[data-i="{index}"]')
    point.hover()
    tooltip = page.locator("#tooltip")
    assert tooltip.is_visible()
    text = tooltip.text_content()
    assert HOSTILE_TERM in text and HOSTILE_SOURCE in text and "log-odds z" in text
    row = table.iloc[index]
    assert f"{HOSTILE_SOURCE}: {row['count_a']} (" in text
    point.click()
    assert page.locator("#panel-title").text_content() == HOSTILE_TERM
    items = page.locator("#sentences li")
    assert items.count() == 2
    assert HOSTILE_SENTENCE in items.nth(0).text_content()
    assert HOSTILE_SOURCE in items.nth(0).text_content() and "d1" in items.nth(0).text_content()
    assert page.locator("#panel-count").text_content() == "Showing 2 of 2 sentences."
    labels = page.eval_on_selector_all("#labels text", "els => els.map(e => e.textContent)")
    assert HOSTILE_TERM in labels
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("img").count() == 0 and page.locator("script").count() == 2
    assert page.locator("b").count() == 2              # the page's own two <b> in the legend, none from the data
    assert not problems, problems
    assert not requests, requests
    page.close()


def test_seed_term_map_in_a_browser(browser, seed_tokens, seed_sentences, tmp_path):
    table = term_map(seed_tokens, "Caliber.az", ["Jamestown Foundation", "OpsLens", "PanARMENIAN.Net"])
    page, problems, requests = open_page(browser, term_map_html(table, seed_sentences, seed_tokens,
                                                                a_name="Caliber.az", b_name="others"), tmp_path)
    assert page.locator("#map circle").count() == len(table)
    boxes = page.eval_on_selector_all("#labels text", "els => els.map(e => { const b = e.getBBox();"
                                                      " return [e.textContent, b.x, b.y, b.width, b.height]; })")
    assert len(boxes) >= 10
    for i, (t1, x1, y1, w1, h1) in enumerate(boxes):                  # browser labels do not overlap either
        for t2, x2, y2, w2, h2 in boxes[i + 1:]:
            assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1, (t1, t2)
    top = int(np.argmax(table["z"].to_numpy()))
    page.locator(f'#map circle[data-i="{top}"]').click()
    assert page.locator("#panel-title").text_content() == table["term"].iloc[top]
    assert 0 < page.locator("#sentences li").count() <= 20
    page.screenshot(path=str(tmp_path / "termmap.png"))
    assert not problems, problems
    assert not requests, requests
    page.close()
