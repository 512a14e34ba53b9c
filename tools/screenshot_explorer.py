"""Take the README's screenshot of the explorer running in JupyterLab (maintainers; needs chromium).

Run: .venv/bin/python tools/screenshot_explorer.py [docs/explorer.png]

Starts JupyterLab on 127.0.0.1 with a random token, opens notebooks/07_explorer.ipynb
in headless chromium, runs all cells from the Run menu, types a term into the
explorer, and saves a screenshot. The server is stopped afterwards.
"""
from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "explorer.png"
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
                               f"--port={port}", f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False", "--allow-root",
                               f"--notebook-dir={ROOT / 'notebooks'}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(60):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            page = browser.new_page(viewport={"width": 1500, "height": 1300})
            page.goto(f"http://127.0.0.1:{port}/lab/tree/07_explorer.ipynb?token={token}")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.wait_for_timeout(4000)
            if page.get_by_text("No", exact=True).count():      # "get notified about Jupyter news?"
                page.get_by_text("No", exact=True).first.click()
            page.get_by_text("Run", exact=True).first.click()
            page.get_by_text("Run All Cells", exact=True).first.click()
            page.wait_for_selector(".widget-select-multiple", timeout=120_000)
            page.wait_for_timeout(3000)
            term = page.locator(".widget-text input").first
            term.fill("Lachin corridor")
            term.press("Enter")
            page.wait_for_timeout(3000)
            page.locator(".widget-select-multiple").first.scroll_into_view_if_needed()
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"saved {out}")


if __name__ == "__main__":
    main()
