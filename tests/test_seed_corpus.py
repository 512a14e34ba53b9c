"""The seed corpus as shipped: byte-for-byte copies, a manifest row each, tidy documents table."""
import hashlib

import pandas as pd
import pytest

from conftest import ROOT, SEEDS

SHARED = ROOT.parent / "shared" / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def test_five_seed_files():
    assert len(SEED_FILES) == 5
    assert [f[:3] for f in SEED_FILES] == ["000", "001", "002", "003", "004"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/seeds is not beside this checkout")
@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_is_byte_identical_to_shared(name):
    assert (SEEDS / name).read_bytes() == (SHARED / name).read_bytes()


def test_raw_is_the_file_exactly(seed_docs):
    for row in seed_docs.itertuples():
        assert row.raw == (SEEDS / row.file).read_text(encoding="utf-8")


def test_documents_table_columns_and_ids(seed_docs):
    required = ["doc_id", "source", "title", "author", "date", "url", "text", "raw", "n_sentences", "n_tokens"]
    assert all(c in seed_docs.columns for c in required)
    assert list(seed_docs["doc_id"]) == ["000", "001", "002", "003", "004"]
    assert seed_docs["doc_id"].is_unique
    assert dict(zip(seed_docs["doc_id"], seed_docs["source"])) == {
        "000": "PanARMENIAN.Net", "001": "Jamestown Foundation", "002": "Jamestown Foundation",
        "003": "Caliber.az", "004": "OpsLens"}
    assert str(seed_docs["date"].dtype) == "datetime64[ns]"


def test_counts_agree_with_tables(seed_docs, seed_sentences, seed_tokens):
    per_doc = seed_sentences.groupby("doc_id").size()
    assert (seed_docs.set_index("doc_id")["n_sentences"] == per_doc).all()
    assert (seed_docs.set_index("doc_id")["n_tokens"] == seed_tokens.groupby("doc_id").size()).all()
    words = seed_tokens[~seed_tokens["is_punct"]].groupby("doc_id").size()
    assert (seed_docs.set_index("doc_id")["n_words"] == words).all()
    # plausible article lengths: hundreds of words, tens of sentences
    assert seed_docs["n_words"].between(300, 1100).all()
    assert seed_docs["n_sentences"].between(10, 45).all()


def test_no_problems_on_the_seeds(seed_corpus):
    assert seed_corpus.problems.empty, seed_corpus.problems.to_string()


def test_loading_is_deterministic(seed_corpus):
    import analysis
    again = analysis.read_corpus(SEEDS)
    pd.testing.assert_frame_equal(again.docs, seed_corpus.docs)
    pd.testing.assert_frame_equal(again.lines, seed_corpus.lines)
    digest = hashlib.sha256(again.docs.drop(columns="date").to_csv(index=False).encode()).hexdigest()
    assert digest == hashlib.sha256(seed_corpus.docs.drop(columns="date").to_csv(index=False).encode()).hexdigest()
