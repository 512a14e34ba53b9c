"""The shared report site in a real headless browser (Debian's chromium, driven by Playwright).

Checks every page: it loads with no console errors, every figure is displayed,
every link in the index resolves, reader versions show no code, and a corpus
document full of markup is shown as text and never executes. Screenshots of the
index and one report are saved with the site. Outside CI the test is skipped
when chromium is missing (`make browser` installs it); in CI it must run.
"""
import functools
import http.server
import re
import shutil
import threading

import pytest

from analysis.run.runner import run_reports
from conftest import ROOT, SEEDS, require_chromium

CHROMIUM = require_chromium()
playwright = pytest.importorskip("playwright.sync_api")

HOSTILE = """The Hostile Times Reports On Karabakh

By: Mallory Example

Officials said <script>window.pwned = true; alert('pwned')</script> that the talks on Karabakh would continue next week in a neutral venue.

An image <img src="x" onerror="window.pwned = true; document.title = 'pwned'"> caption and a <b>bold</b> claim appeared in the text about Nikol Pashinyan and the peacekeepers.

A third paragraph mentions <a href="javascript:window.pwned=true">a link</a> and ends the article with a full stop here.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    corpus = tmp / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    with open(corpus / "manifest.yaml", "a", encoding="utf-8") as manifest:
        manifest.write('\n  - doc_id: "666"\n    file: hostile.txt\n    source: Hostile Times\n')
    outcomes = run_reports(corpus, notebooks_dir=ROOT / "notebooks", reports_dir=tmp / "site" / "reports",
                           figures_dir=tmp / "site" / "figures", sources=["Hostile Times"], jobs=2,
                           progress=lambda line: None)
    assert all(o.ok for o in outcomes), [(o.run, o.error) for o in outcomes if not o.ok]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp / "site"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp / "site", f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield instance
        instance.close()


def visit(browser, url):
    """Open ``url``; return the page and what went wrong on it (console errors, page errors, dialogs)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    return page, problems


def index_links(site):
    folder, _ = site
    return re.findall(r'href="([^"]+)"', (folder / "reports" / "index.html").read_text(encoding="utf-8"))


def test_index_and_every_link(site, browser):
    folder, base = site
    page, problems = visit(browser, f"{base}/reports/index.html")
    assert not problems
    links = index_links(site)
    assert len(links) == 3 * 14                            # reader, full and notebook for each of the 14 runs
    for href in links:
        assert page.request.get(f"{base}/reports/{href}").ok, href
    page.screenshot(path=str(folder / "reports" / "screenshot-index.png"), full_page=True)
    page.close()
    assert (folder / "reports" / "screenshot-index.png").stat().st_size > 10_000


def test_every_page_loads_cleanly_with_its_figures(site, browser):
    folder, base = site
    for href in [h for h in index_links(site) if h.endswith(".html")]:
        page, problems = visit(browser, f"{base}/reports/{href}")
        assert not problems, (href, problems)
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])")
        assert all(done and w > 0 and h > 0 for done, w, h in images), href
        if href.endswith(".reader.html"):
            assert page.locator(".jp-InputArea-editor").count() == 0, href      # the reader version shows no code
            if "04_framing__all" in href:
                assert len(images) >= 4
                page.screenshot(path=str(folder / "reports" / "screenshot-report.png"), full_page=False)
        else:
            assert page.locator(".jp-InputArea-editor").count() > 0, href
        page.close()
    assert (folder / "reports" / "screenshot-report.png").stat().st_size > 10_000


def test_markup_in_a_document_is_shown_as_text_and_never_runs(site, browser):
    _, base = site
    checked = 0
    for href in [h for h in index_links(site) if h.endswith(".html") and ("Hostile" in h or "__all" in h)]:
        page, problems = visit(browser, f"{base}/reports/{href}")
        assert not problems, (href, problems)
        assert page.evaluate("window.pwned === undefined"), href
        assert page.title() != "pwned"
        assert page.locator("img[onerror]").count() == 0 and page.locator('a[href^="javascript"]').count() == 0
        text = page.inner_text("body")
        if "<script>" in text or "onerror" in text:
            checked += 1
        page.close()
    assert checked >= 2   # the hostile text really is on some pages, as visible text
