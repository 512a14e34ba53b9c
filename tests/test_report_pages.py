"""Report pages in a real browser (Debian's chromium, as test_site_browser): the CSS pruning
(analysis.report.css_pruning; what it keeps: test_css_pruning) changes nothing that can be seen.
Skipped without chromium, except in CI."""

import pytest

from analysis.report.css_pruning import prune_css
from analysis.run.runner import NOTEBOOKS, render_html, run_reports
from conftest import ROOT, SEEDS, require_chromium

CHROMIUM = require_chromium()
playwright = pytest.importorskip("playwright.sync_api")


def test_pruned_css_leaves_pages_looking_the_same(tmp_path):
    from PIL import Image, ImageChops
    notebooks = {stem: NOTEBOOKS[stem] for stem in ("04_framing", "06_text_reuse")}
    outcomes = run_reports(SEEDS, notebooks_dir=ROOT / "notebooks", reports_dir=tmp_path / "r",
                           figures_dir=tmp_path / "f", sources=[], notebooks=notebooks, jobs=2,
                           progress=lambda line: None)
    assert all(o.ok for o in outcomes)
    unpruned = tmp_path / "unpruned"
    unpruned.mkdir()
    pages = []
    for o in outcomes:
        executed = tmp_path / "r" / "notebooks" / f"{o.run.name}.ipynb"
        for path in render_html(executed, unpruned, prune=False):
            pruned = tmp_path / "r" / "html" / path.name
            assert len(pruned.read_bytes()) < 0.75 * len(path.read_bytes())
            assert prune_css(path.read_text(encoding="utf-8")) == pruned.read_text(encoding="utf-8")
            pages.append((path, pruned))
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for width in (1280, 600):
            for before, after in pages:
                shots = []
                for page_file in (before, after):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(page_file.as_uri(), wait_until="load")
                    shot = tmp_path / f"{page_file.parent.name}-{page_file.name}-{width}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    page.close()
                    shots.append(Image.open(shot).convert("RGB"))
                assert shots[0].size == shots[1].size, (after.name, width)
                assert ImageChops.difference(*shots).getbbox() is None, (after.name, width)
        browser.close()
