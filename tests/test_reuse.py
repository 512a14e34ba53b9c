"""Text reuse: the seed pair, a synthetic derivative with known edits, and no reuse among unrelated articles."""
import pandas as pd
import pytest

from analysis.measures.reuse import candidate_pairs, sentence_words, side_by_side_html, text_reuse


@pytest.fixture(scope="module")
def seed_reuse(seed_corpus):
    return text_reuse(seed_corpus.docs, sents=seed_corpus.sentences, toks=seed_corpus.tokens)


def test_the_seed_pair_and_only_it(seed_reuse):
    pairs, _ = seed_reuse
    assert len(pairs) == 1                         # 001/002: same author and topic, but no re-use
    pair = pairs.iloc[0]
    assert (pair["source_doc"], pair["derivative_doc"]) == ("001", "000")
    assert pair["direction_basis"] == "shares"      # 000 has no date
    assert pair["derivative_share_reused"] > 0.85 and pair["source_share_reused"] < 0.5


def test_what_panarmenian_kept_changed_dropped_and_added(seed_reuse):
    _, passages = seed_reuse
    kinds = passages["kind"].value_counts()
    assert kinds["verbatim"] >= 4 and kinds["changed"] >= 5 and kinds["dropped"] >= 20 and kinds["added"] == 1
    renamed = "; ".join(passages["renamed"])
    for change in ("Balasanian → Balasanyan", "Pashinian → Pashinyan", "Serge Sarkisian → Serzh Sargsyan"):
        assert change in renamed
    added = passages.loc[passages["kind"] == "added", "derivative_text"].iloc[0]
    assert added.startswith("The Jamestown Foundation has published an article about Vitaly Balasanyan")
    dropped = " ".join(passages.loc[passages["kind"] == "dropped", "source_text"])
    assert "born in 1959 in the Upper Karabakh town of Askeran" in dropped   # the biography was left out
    assert "religious sects" in dropped
    last = passages[(passages["kind"] == "changed") & passages["derivative_text"].str.startswith("The Kremlin")]
    assert "{+the foundation concludes+}" in last["diff"].iloc[0]


def make_docs(texts: dict[str, str], dates: dict[str, str] | None = None) -> pd.DataFrame:
    dates = dates or {}
    return pd.DataFrame({"doc_id": list(texts), "source": [f"outlet-{k}" for k in texts], "text": list(texts.values()),
                         "date": [pd.Timestamp(dates[k]) if k in dates else pd.NaT for k in texts]})


def test_synthetic_derivative_with_known_edits(seed_docs):
    original = seed_docs.set_index("doc_id").loc["003", "text"]
    paragraphs = original.split("\n\n")
    removed = [paragraphs[4], paragraphs[9]]                      # two whole paragraphs dropped
    kept = [p for p in paragraphs if p not in removed]
    kept[2], kept[3] = kept[3], kept[2]                           # two paragraphs swapped
    derivative = "\n\n".join(kept).replace("Nikol Pashinyan", "Nikol Pashinian").replace("Yerevan accused", "Yerevan; accused")
    added = "Analysts in Tbilisi followed the events with growing concern about the entire region."
    derivative = added + "\n\n" + derivative
    docs = make_docs({"orig": original, "copy": derivative, "other": seed_docs.set_index("doc_id").loc["004", "text"]},
                     {"orig": "2023-09-29", "copy": "2023-10-02"})
    pairs, passages = text_reuse(docs)
    assert list(zip(pairs["source_doc"], pairs["derivative_doc"], pairs["direction_basis"])) == [("orig", "copy", "dates")]
    dropped = passages.loc[passages["kind"] == "dropped", "source_text"].tolist()
    assert " ".join(dropped) == " ".join(removed)
    assert passages.loc[passages["kind"] == "added", "derivative_text"].tolist() == [added]
    changed = passages[passages["kind"] == "changed"]
    assert changed["renamed"].tolist() == ["Pashinyan → Pashinian"]        # only the re-transliterated sentence
    repunctuated = passages[passages["derivative_text"].fillna("").str.contains("Yerevan; accused")]
    assert repunctuated["kind"].tolist() == ["verbatim"]                    # same words, other punctuation
    # the swapped paragraphs were matched wherever they stand: the exact dropped/added lists above prove it


def test_unrelated_articles_on_the_same_topic_are_not_reuse():
    a = ("Prime Minister Nikol Pashinyan said on Tuesday that talks with Azerbaijan would continue. The Lachin "
         "corridor remains the only road linking Armenia and Karabakh. Russian peacekeepers patrol the road. "
         "Officials in Baku dismissed the statement as propaganda aimed at voters at home.")
    b = ("Azerbaijan's foreign ministry said on Tuesday that Prime Minister Nikol Pashinyan misled his voters. "
         "Trucks waited for days near the Lachin corridor. Russian peacekeepers patrol the road. Analysts expect "
         "a new round of negotiations in Brussels next month, with the European Union as mediator.")
    pairs, passages = text_reuse(make_docs({"a": a, "b": b}))
    assert pairs.empty and passages.empty


def test_shingle_candidates_ignore_common_phrases():
    common = "according to the statement released on Monday by the ministry of foreign affairs"
    texts = {f"d{i}": f"Unrelated story number {i} about topic {i * 7}. {common}. Ending {i} here with words {i}."
             for i in range(30)}
    docs = make_docs(texts)
    words = sentence_words(docs)
    assert candidate_pairs(words).empty        # a phrase in every document is not evidence of re-use


def test_side_by_side_view_escapes_markup(seed_reuse):
    _, passages = seed_reuse
    page = side_by_side_html(passages)
    assert page.count("<tr") == len(passages) + 1
    assert "<del>Pashinian</del> <ins>Pashinyan</ins>" in page
    hostile = passages.head(1).assign(kind="added", derivative_text="<script>alert(1)</script>")
    assert "<script>" not in side_by_side_html(hostile) and "&lt;script&gt;" in side_by_side_html(hostile)


def test_candidate_counting_in_passes_gives_the_same_pairs(monkeypatch):
    """Pairs counted in several passes over blocks of documents (a big corpus) equal one pass."""
    import numpy as np

    from analysis.measures import reuse
    rng = np.random.default_rng(1)
    # 300 documents drawing shingles from a shared pool: many pairs share a few, some share many
    docs = np.repeat([f"doc{i:03d}" for i in range(300)], 60)
    hashes = rng.integers(0, 4000, size=docs.size).astype(np.uint64)
    hashes[:600] = np.arange(600, dtype=np.uint64) % 60  # ten documents sharing sixty shingles
    table = pd.DataFrame({"doc": docs, "h": hashes}).drop_duplicates().reset_index(drop=True)
    one_pass = reuse.pairs_sharing_shingles(table, min_shared=3, min_share=0)
    monkeypatch.setattr(reuse, "PAIR_PASS_BYTES", 20_000)
    several = reuse.pairs_sharing_shingles(table, min_shared=3, min_share=0)
    assert len(one_pass) > 45
    pd.testing.assert_frame_equal(several, one_pass)


def test_candidates_from_hash_range_parts_equal_the_whole_table():
    """Shingles split by hash range and read one part at a time give the same pairs and counts."""
    import numpy as np

    from analysis.measures import reuse
    rng = np.random.default_rng(2)
    docs = np.repeat(np.arange(200), 50)
    hashes = (rng.integers(0, 3000, size=docs.size).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    table = pd.DataFrame({"doc": [f"d{d:03d}" for d in docs], "h": hashes}).drop_duplicates()
    whole = reuse.pairs_sharing_shingles(table, min_shared=3, min_share=0)
    codes, ids = pd.factorize(table["doc"], sort=True)
    h = table["h"].to_numpy()
    bounds = [np.uint64(p * 2**64 // 7) for p in range(7)]
    part_of = np.searchsorted(np.array(bounds), h, side="right") - 1
    parts = [(h[part_of == p], codes[part_of == p]) for p in range(7)]
    assert all(len(p[0]) for p in parts)
    split = reuse.pairs_from_partitions(iter(parts), np.bincount(codes), np.asarray(ids, dtype=object),
                                        min_shared=3, min_share=0)
    assert len(whole) > 20
    pd.testing.assert_frame_equal(split, whole)


def test_sentences_by_doc_equals_grouping_each_document(seed_corpus):
    """The one-pass grouping gives each document's sentences exactly as a groupby per document would."""
    from analysis.measures.reuse import sentence_words, sentences_by_doc
    words = sentence_words(seed_corpus.docs, sents=seed_corpus.sentences, toks=seed_corpus.tokens)
    # documents in another order (each one's words still in reading order): sorted by document and sentence
    shuffled = pd.concat([part for _, part in words.groupby("doc_id", sort=False)][::-1])

    def one_document(part):
        part = part.sort_values("sentence_id", kind="stable")
        groups = [g for _, g in part.groupby("sentence_id", sort=True)]
        return ([int(g["sentence_id"].iat[0]) for g in groups], [list(g["word"]) for g in groups],
                [list(g["key"]) for g in groups], [list(g.loc[g["first"], "key"]) for g in groups])

    found = sentences_by_doc(shuffled)
    assert sorted(found) == sorted(words["doc_id"].unique())
    for doc, part in words.groupby("doc_id"):
        assert tuple(found[doc]) == one_document(part)
    assert any(len(m) < len(k) for doc in found for m, k in zip(found[doc][3], found[doc][2]))  # mentions skipped
    assert sentences_by_doc(words.head(0)) == {}
