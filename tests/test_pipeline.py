"""The parallel, cached pipeline: the same numbers as the single-table functions, and a cache that is
keyed by content (reused when nothing changed, invalidated by changed text, lexicons or code)."""
from __future__ import annotations

import functools
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.run import partials, pipeline, reduction, store
from analysis.corpus import LINE_COLUMNS
from analysis.errors import CorpusError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _quiet(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pipeline.analyse(**kwargs)


def _reference(folder: Path) -> dict[str, pd.DataFrame]:
    """Every per-source table computed directly from the full tables of read_corpus."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = analysis.read_corpus(folder)
    docs, sents, toks = corpus.docs, corpus.sentences, corpus.tokens
    ments = analysis.mentions(docs, sents=sents)
    scores = analysis.sentence_sentiment(docs, sents)
    spans = analysis.quoted_spans(docs, sents=sents, ments=ments)
    pairs, passages = analysis.text_reuse(docs, sents=sents, toks=toks, ments=ments)
    sources = sorted(docs["source"].dropna().unique())
    return {
        "term_counts": analysis.term_counts(toks),
        "keyness": pd.concat([analysis.keyness(toks, s) for s in sources], ignore_index=True),
        "log_odds": analysis.log_odds(toks),
        "sentiment": analysis.sentiment_summary(scores),
        "frame_scores": analysis.frame_scores(docs, sents=sents, toks=toks),
        "naming_shares": analysis.naming_shares(analysis.naming_choices(docs, sents=sents, spans=spans)),
        "voices": analysis.voices(spans[spans["kind"] == "quotation"]),
        "actor_salience": analysis.actor_salience(ments, sents),
        "reuse_pairs": pairs,
        "reuse_passages": passages,
    }


def _assert_tables_equal(left: dict, right: dict, names=None) -> None:
    for name in names or right:
        pd.testing.assert_frame_equal(left[name].reset_index(drop=True), right[name].reset_index(drop=True),
                                      check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return _quiet(path=SEEDS, cache=cache, n_jobs=1), cache


def test_seed_tables_equal_the_single_table_functions(seed_run):
    result, _ = seed_run
    _assert_tables_equal(result.tables, _reference(SEEDS))
    # and the findings the reports rest on survive the reduction
    naming = result["naming_shares"]
    caliber = naming[(naming["source"] == "Caliber.az") & (naming["referent"] == "territory")]
    assert caliber["convention"].tolist() == ["azerbaijani"] and caliber["share"].tolist() == [1.0]
    assert len(result["reuse_pairs"]) == 1


def test_every_number_traces_to_evidence(seed_run):
    result, _ = seed_run
    sentences = result.evidence("sentences")
    assert len(sentences) == result.stats["sentences"] == result.docs["n_sentences"].sum()
    assert {"tb_polarity", "vader_compound", "text"} <= set(sentences.columns)
    # mean polarity per source is the mean of the evidence sentences
    summary = result["sentiment"].set_index(["source", "measure"])["mean"]
    for source, rows in sentences.groupby("source"):
        assert summary[(source, "tb_polarity")] == pytest.approx(rows["tb_polarity"].mean())
    matches = result.evidence("frame_matches")
    per_source = matches.groupby("source").size()
    assert result["frame_scores"].groupby("source")["n_matches"].sum().to_dict() == per_source.to_dict()
    ops = result.evidence("quoted_spans", source="OpsLens")
    assert set(ops["source"]) == {"OpsLens"} and len(ops) > 0
    with pytest.raises(ValueError, match="no evidence table"):
        result.evidence("tokens")


def test_second_run_reuses_the_result(seed_run):
    first, cache = seed_run
    second = _quiet(path=SEEDS, cache=cache, n_jobs=1)
    assert second.stats["result_cached"] and second.stats["documents_computed"] == 0
    _assert_tables_equal(second.tables, first.tables)


def _copy_corpus(tmp_path: Path, copies: int = 3) -> Path:
    """The seeds several times over, each copy's sentences made distinct, as separate files."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(copies):
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            text = text.replace(" the ", f" the {['new', 'old', 'same', 'other'][i % 4]} ", 3 + i)
            (folder / f"{path.stem}_{i}.txt").write_text(text, encoding="utf-8")
    return folder


def test_parallel_equals_serial_and_batches_do_not_matter(tmp_path):
    folder = _copy_corpus(tmp_path)
    serial = _quiet(path=folder, cache=tmp_path / "a", n_jobs=1)
    parallel = _quiet(path=folder, cache=tmp_path / "b", n_jobs=2, batch_bytes=20_000)
    assert parallel.stats["documents_computed"] == 15
    _assert_tables_equal(parallel.tables, serial.tables)
    pd.testing.assert_frame_equal(parallel.docs, serial.docs)


def test_reuse_pairs_aligned_on_all_cores_equal_the_serial_alignment(tmp_path, monkeypatch):
    folder = _copy_corpus(tmp_path)
    serial = _quiet(path=folder, cache=tmp_path / "a", n_jobs=1)
    monkeypatch.setattr(reduction, "ALIGN_CHUNK", 2)  # several alignment tasks even for a small corpus
    parallel = _quiet(path=folder, cache=tmp_path / "b", n_jobs=2)
    assert parallel.stats["reuse_pairs_aligned"] >= len(serial["reuse_pairs"]) > 4
    _assert_tables_equal(parallel.tables, serial.tables, ["reuse_pairs", "reuse_passages"])


def test_alignment_in_waves_of_few_documents_equals_one_wave(tmp_path, monkeypatch):
    folder = _copy_corpus(tmp_path)
    whole = _quiet(path=folder, cache=tmp_path / "a", n_jobs=1)
    monkeypatch.setattr(reduction, "ALIGN_WAVE_DOCS", 3)  # a pair or so per wave, each wave's words read afresh
    monkeypatch.setattr(reduction, "ALIGN_CHUNK", 1)
    waves = _quiet(path=folder, cache=tmp_path / "b", n_jobs=2)
    assert waves.stats["reuse_pairs_aligned"] > 4
    _assert_tables_equal(waves.tables, whole.tables)
    assert reduction._waves([("a", "b", 1), ("a", "c", 1), ("b", "c", 1), ("d", "e", 1), ("d", "f", 1)], 3) == [
        [("a", "b", 1), ("a", "c", 1), ("b", "c", 1)], [("d", "e", 1), ("d", "f", 1)]]
    assert reduction._waves([("a", "b", 1), ("c", "d", 1)], 1) == [[("a", "b", 1)], [("c", "d", 1)]]


def test_reuse_candidates_read_in_many_hash_ranges_equal_one_range(tmp_path, monkeypatch):
    folder = _copy_corpus(tmp_path)
    whole = _quiet(path=folder, cache=tmp_path / "a", n_jobs=1)
    monkeypatch.setattr(reduction, "SHINGLES_PER_PART", 500)  # dozens of hash ranges for this small corpus
    parts = _quiet(path=folder, cache=tmp_path / "b", n_jobs=1, batch_bytes=20_000)
    assert len(whole["reuse_pairs"]) > 4
    _assert_tables_equal(parts.tables, whole.tables, ["reuse_pairs", "reuse_passages"])


def test_changed_added_and_removed_documents_recompute_only_themselves(tmp_path):
    """(Site-template lines off: with them, a document added can make the short lines it shares with others
    templates, and those others are recomputed too; see the next test.)"""
    folder = _copy_corpus(tmp_path, copies=2)
    cache = tmp_path / "cache"
    quiet = functools.partial(_quiet, template_min_docs=0)
    first = quiet(path=folder, cache=cache, n_jobs=1)
    assert first.stats["documents_computed"] == 10

    target = sorted(folder.glob("003_*_1.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8").replace("Khankendi", "Stepanakert"), encoding="utf-8")
    changed = quiet(path=folder, cache=cache, n_jobs=1)
    assert changed.stats["documents_computed"] == 1 and not changed.stats["result_cached"]
    assert not changed["naming_shares"].equals(first["naming_shares"])

    shutil.copy(sorted(SEEDS.glob("004_*.txt"))[0], folder / "zz_new.txt")
    grown = quiet(path=folder, cache=cache, n_jobs=1)
    assert grown.stats["documents_computed"] == 1 and len(grown.docs) == 11

    (folder / "zz_new.txt").unlink()
    shrunk = quiet(path=folder, cache=cache, n_jobs=1)
    assert shrunk.stats["documents_computed"] == 0 and len(shrunk.docs) == 10
    _assert_tables_equal(shrunk.tables, changed.tables)

    # and the pieces put together from the cache equal a fresh run on the same files
    _assert_tables_equal(shrunk.tables, quiet(path=folder, cache=tmp_path / "fresh", n_jobs=1).tables)


def test_a_document_that_makes_lines_site_templates_recomputes_the_documents_holding_them(tmp_path):
    folder = _copy_corpus(tmp_path, copies=2)
    cache = tmp_path / "cache"
    first = _quiet(path=folder, cache=cache, n_jobs=1)
    assert first.stats["documents_computed"] == 10
    assert not (first.evidence("lines")["reason"] == "site_template").any()  # two copies: below 3 documents
    shutil.copy(sorted(SEEDS.glob("004_*.txt"))[0], folder / "zz_new.txt")  # a third copy of 004
    grown = _quiet(path=folder, cache=cache, n_jobs=1)
    assert grown.stats["documents_computed"] == 3  # the new file and the two copies of 004 it shares lines with
    lines = grown.evidence("lines")
    templated = lines[lines["reason"] == "site_template"]
    assert set(templated["file"]) == {"zz_new.txt"} | {p.name for p in folder.glob("004_*.txt")}
    expected = analysis.read_corpus(folder)
    _assert_tables_equal({"lines": lines[LINE_COLUMNS].sort_values(["doc_id", "line_no"]).reset_index(drop=True)},
                         {"lines": expected.lines[LINE_COLUMNS].sort_values(["doc_id", "line_no"])
                          .reset_index(drop=True)})


def test_fingerprint_follows_code_lexicons_libraries_and_options(tmp_path, monkeypatch):
    copy = tmp_path / "analysis"
    shutil.copytree(store.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(store, "PACKAGE", copy)
    base = store.fingerprint()
    assert store.fingerprint() == base
    assert store.fingerprint({"max_file_mb": 5}) != base
    frames = copy / "data" / "frames.csv"
    frames.write_text(frames.read_text(encoding="utf-8") + "conflict,issue,ceasefire violation\n", encoding="utf-8")
    lexicon_changed = store.fingerprint()
    assert lexicon_changed != base
    segment = copy / "text" / "segment.py"  # a module in a layer's folder counts too
    segment.write_text(segment.read_text() + "\n# a code change\n")
    assert store.fingerprint() not in (base, lexicon_changed)


def test_a_new_fingerprint_recomputes_everything(tmp_path, monkeypatch):
    folder = _copy_corpus(tmp_path, copies=1)
    cache = tmp_path / "cache"
    _quiet(path=folder, cache=cache, n_jobs=1)
    monkeypatch.setattr(store, "fingerprint", lambda options=None: "f" * 64)
    again = _quiet(path=folder, cache=cache, n_jobs=1)
    assert again.stats["documents_computed"] == 5


def test_an_incomplete_batch_is_not_trusted(tmp_path):
    folder = _copy_corpus(tmp_path, copies=1)
    cache = tmp_path / "cache"
    first = _quiet(path=folder, cache=cache, n_jobs=1)
    for side in cache.rglob("*.keys.json"):  # as if the run died before its key lists were written
        side.unlink()
    for result in cache.rglob("results/*.pkl"):
        result.unlink()
    again = _quiet(path=folder, cache=cache, n_jobs=1)
    assert again.stats["documents_computed"] == 5
    _assert_tables_equal(again.tables, first.tables)


def test_bad_files_are_reported_like_read_corpus(tmp_path):
    folder = _copy_corpus(tmp_path, copies=1)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    shutil.copy(sorted(folder.glob("004_*_0.txt"))[0], folder / "zz_copy.txt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = analysis.read_corpus(folder).problems
    result = _quiet(path=folder, cache=tmp_path / "cache", n_jobs=2, batch_bytes=10_000)
    key = ["file", "severity", "problem"]
    assert (sorted(map(tuple, result.problems[key].to_numpy().tolist()))
            == sorted(map(tuple, reference[key].to_numpy().tolist())))
    assert len(result.docs) == 5  # the copy is skipped as a duplicate, the bad files are skipped
    with pytest.raises(CorpusError, match="empty.txt|image.txt|notes.pdf|zz_copy.txt"):
        pipeline.analyse(folder, cache=tmp_path / "cache", n_jobs=1, errors="raise")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipeline.analyse(folder, cache=tmp_path / "cache", n_jobs=1)
    messages = [str(w.message) for w in caught if issubclass(w.category, analysis.CorpusWarning)]
    assert any(m.startswith("empty.txt: ") for m in messages) and any(m.startswith("zz_copy.txt: same text as")
                                                                      for m in messages)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        pipeline.analyse(tmp_path / "nowhere", cache=tmp_path / "cache")


def test_without_a_cache_the_tables_come_but_the_evidence_is_gone():
    result = _quiet(path=SEEDS, cache=None, n_jobs=1)
    assert len(result["term_counts"]) > 0
    with pytest.raises(CorpusError, match="no longer in"):
        result.evidence("sentences")


def test_command_line_writes_every_table_and_reuses_the_cache(tmp_path, capsys):
    from analysis.run.cli import main
    args = ["analyse", str(SEEDS), "--out", str(tmp_path / "tables"), "--cache", str(tmp_path / "cache"),
            "--jobs", "1"]
    assert main(args) == 0
    assert "5 computed, 0 from the cache" in capsys.readouterr().out
    first = {p.name: p.read_bytes() for p in (tmp_path / "tables").glob("*.csv")}
    assert {"term_counts.csv", "keyness.csv", "sentiment.csv", "naming_shares.csv", "reuse_pairs.csv"} <= set(first)
    assert main(args) == 0
    assert "0 computed, 5 from the cache" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in (tmp_path / "tables").glob("*.csv")} == first
    assert main(["analyse", str(tmp_path / "nowhere"), "--cache", str(tmp_path / "cache")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_term_totals_compact_and_subtract_exactly():
    rng = np.random.default_rng(0)
    tables = [pd.DataFrame({"source": rng.choice(["A", "B"], 50), "term": rng.choice(list("abcdefgh"), 50),
                            "n": 1, "count": rng.integers(1, 5, 50), "has_stop": False}) for _ in range(4)]
    totals = partials.TermTotals(compact_rows=60)  # compacts after the second table
    for table in tables:
        totals.add(table)
    assert len(totals.parts) < 4
    everything = partials.sum_terms(pd.concat(tables, ignore_index=True))
    pd.testing.assert_frame_equal(totals.total(), everything)
    minus = partials.sum_terms(tables[0])
    expected = everything.set_index(["source", "term"])
    expected["count"] = expected["count"].sub(minus.set_index(["source", "term"])["count"], fill_value=0)
    expected = expected[expected["count"] > 0].astype({"count": "int64"}).reset_index()
    pd.testing.assert_frame_equal(totals.total(minus=tables[0]), expected)


def test_compact_partials_join_back_to_the_plain_tables():
    """Text columns kept as categories per batch come back as the plain concatenation: values, missing values
    and dtypes (categories differ between batches; one batch has only missing values)."""
    a = pd.DataFrame({"x": ["a", "b", None, "a"], "n": [1, 2, 3, 4]})
    b = pd.DataFrame({"x": ["c", "a", None], "n": [5, 6, 7]})
    c = pd.DataFrame({"x": pd.Series([None, None], dtype="str"), "n": [8, 9]})
    compact = [partials.compact(t) for t in (a, b, c)]
    assert all(isinstance(t["x"].dtype, pd.CategoricalDtype) for t in compact)
    pd.testing.assert_frame_equal(partials.concat(compact), pd.concat([a, b, c], ignore_index=True))


def test_a_page_of_several_news_items_gives_the_same_documents_and_tables_as_read_corpus(tmp_path):
    from test_page_shapes import LISTING

    folder = _copy_corpus(tmp_path)
    (folder / "listing.txt").write_text(LISTING, encoding="utf-8")
    result = _quiet(path=folder, cache=tmp_path / "cache", n_jobs=2, batch_bytes=3_000)
    assert [d for d in result.docs["doc_id"] if d.startswith("listing")] == ["listing#1", "listing#2", "listing#3"]
    _assert_tables_equal(result.tables, _reference(folder))
