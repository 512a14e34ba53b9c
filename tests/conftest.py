import os
import shutil
from pathlib import Path

import pytest

import analysis

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def require_chromium() -> str:
    """Debian's chromium for the browser tests; called at a test module's import, it skips the module when
    chromium is missing (an error under CI, where `make test` installs it)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        if os.environ.get("CI"):
            raise RuntimeError("chromium is not installed: .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (make browser installs Debian's package)", allow_module_level=True)
    return chromium


def pytest_configure(config):
    # `make test` runs plain pytest, so slow tests run too; `-m "not slow"` skips them while developing
    config.addinivalue_line("markers", "slow: builds whole report sites (a minute or more); deselect with -m 'not slow'")


@pytest.fixture(scope="session")
def seed_corpus() -> analysis.Corpus:
    return analysis.read_corpus(SEEDS)


@pytest.fixture(scope="session")
def seed_docs(seed_corpus) -> "analysis.pd.DataFrame":
    return seed_corpus.docs


@pytest.fixture(scope="session")
def seed_sentences(seed_docs):
    return analysis.sentences(seed_docs)


@pytest.fixture(scope="session")
def seed_tokens(seed_docs):
    return analysis.tokens(seed_docs)


@pytest.fixture(scope="session")
def seed_mentions(seed_docs, seed_sentences):
    return analysis.mentions(seed_docs, sents=seed_sentences)
