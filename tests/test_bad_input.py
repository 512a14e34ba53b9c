"""Bad input: every kind of broken file or manifest a researcher may feed the loader.

Each test builds its corpus in ``tmp_path`` from one or two real seed articles
plus the crafted bad input, and checks that

(a) the problem is reported naming the file and the problem in plain words,
(b) the good documents still load,
(c) fatal problems are a :class:`analysis.CorpusError` with a clear message
    (no library exception, no chained internal traceback),
(d) the ``raw`` column is the file's decoded text, never altered.
"""
from __future__ import annotations

import random
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import CorpusError, CorpusWarning

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_A = "001_51913676188bf265.txt"   # EDM article: title, byline, publication line
SEED_B = "004_c8d29e6189c14854.txt"   # OpsLens article: byline with date
SEED_C = "003_5a655cea7172c313.txt"   # Caliber.az page: menus, copyright, share widgets
SEED_D = "002_65b3e366a728d215.txt"   # EDM article, part three of a series
ID_A, ID_B = SEED_A[:-4], SEED_B[:-4]

RUSSIAN = (
    "Карабах: новая реальность на Южном Кавказе\n\n"
    "Нагорный Карабах остаётся одной из самых сложных проблем Южного Кавказа. "
    "После войны 2020 года российские миротворцы были размещены в регионе. "
    "Армения и Азербайджан продолжают переговоры о мирном договоре при посредничестве Москвы. "
    "Многие жители Степанакерта покинули свои дома в сентябре 2023 года.\n"
)
LATIN1 = (
    "Naïve hopes for peace in the café of Stepanakert\n\n"
    "The café in Stepanakert was full of naïve optimism after the ceasefire was announced on the radio. "
    "Diplomats spoke of Russia's role vis-à-vis Armenia and Azerbaijan with studied caution. "
    "Few residents believed that the talks would change anything on the ground this winter. "
    "The protégé of the former president was seen at the café again on Monday morning.\n"
)


# --------------------------------------------------------------------------- helpers

def corpus_dir(tmp_path: Path, *seeds: str, name: str = "corpus") -> Path:
    """A fresh corpus folder holding copies of the given seed articles."""
    folder = tmp_path / name
    folder.mkdir()
    for seed in seeds:
        shutil.copy(SEEDS / seed, folder / seed)
    return folder


def load(folder: Path, **options) -> tuple[analysis.Corpus, list[str]]:
    """read_corpus, returning the corpus and the texts of the CorpusWarnings it emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = analysis.read_corpus(folder, **options)
    return corpus, [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]


def problems_for(corpus: analysis.Corpus, file: str) -> pd.DataFrame:
    return corpus.problems[corpus.problems["file"] == file]


def only_problem(corpus: analysis.Corpus, file: str) -> pd.Series:
    rows = problems_for(corpus, file)
    assert len(rows) == 1, f"expected one problem for {file}, got:\n{rows.to_string()}"
    return rows.iloc[0]


def doc(corpus: analysis.Corpus, doc_id: str) -> pd.Series:
    rows = corpus.docs[corpus.docs["doc_id"] == doc_id]
    assert len(rows) == 1, f"{doc_id} not loaded; docs: {corpus.docs['doc_id'].tolist()}"
    return rows.iloc[0]


def assert_raw_intact(corpus: analysis.Corpus, folder: Path) -> None:
    """(d) ``raw`` is exactly the file's bytes decoded with the reported encoding (minus a BOM)."""
    for row in corpus.docs.itertuples():
        data = (folder / row.file).read_bytes()
        if row.encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        assert row.raw == data.decode(row.encoding), f"raw text of {row.file} was altered"


def assert_seeds_loaded(corpus: analysis.Corpus, *seeds: str) -> None:
    """(b) the good seed documents are in docs, with a body."""
    loaded = dict(zip(corpus.docs["file"], corpus.docs["text"]))
    for seed in seeds:
        assert seed in loaded, f"good document {seed} did not load"
        assert len(loaded[seed]) > 1000


def assert_clean_error(err: BaseException) -> None:
    """(c) a CorpusError that does not drag a library/internal traceback along."""
    assert isinstance(err, CorpusError)
    assert err.__cause__ is None
    assert err.__context__ is None or err.__suppress_context__, \
        f"CorpusError chained to internal {type(err.__context__).__name__}"
    assert str(err).strip()


# --------------------------------------------------------------------------- 1. empty file

def test_empty_file_is_skipped_and_the_rest_loads(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "empty.txt").write_bytes(b"")
    with pytest.warns(CorpusWarning, match=r"empty\.txt: empty file \(0 bytes\); skipped"):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, "empty.txt")
    assert problem["severity"] == "skipped"
    assert problem["problem"] == "empty"
    assert "empty" in problem["message"]
    assert "empty" not in set(corpus.docs["doc_id"])
    assert_seeds_loaded(corpus, SEED_A, SEED_B)
    assert_raw_intact(corpus, folder)


# --------------------------------------------------------------------------- 2. binary files

@pytest.mark.parametrize("name, data, phrase", [
    ("noise.txt", random.Random(7).randbytes(4000), r"control bytes"),
    ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", r"a PDF document"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)), r"a PNG image"),
], ids=["random-bytes", "pdf-magic", "png-magic"])
def test_binary_file_is_skipped(tmp_path, name, data, phrase):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / name).write_bytes(data)
    with pytest.warns(CorpusWarning, match=re.escape(name) + r": binary file.*" + phrase):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, name)
    assert problem["severity"] == "skipped"
    assert problem["problem"] == "binary"
    assert problem["message"].startswith("binary file")
    assert "skipped" in problem["message"]
    assert name not in set(corpus.docs["file"])
    assert_seeds_loaded(corpus, SEED_A)
    assert_raw_intact(corpus, folder)


# --------------------------------------------------------------------------- 3. encodings

def test_cp1251_text_is_decoded_with_a_warning(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "karabakh_ru.txt").write_bytes(RUSSIAN.encode("cp1251"))
    with pytest.warns(CorpusWarning, match=r"karabakh_ru\.txt: not valid UTF-8.*decoded as cp1251"):
        corpus = analysis.read_corpus(folder)
    row = doc(corpus, "karabakh_ru")
    assert row["encoding"] == "cp1251"
    for word in ("Нагорный", "Карабах", "миротворцы", "Степанакерта", "Азербайджан"):
        assert word in row["text"]
    assert row["title"] == "Карабах: новая реальность на Южном Кавказе"
    assert row["raw"] == RUSSIAN
    problem = only_problem(corpus, "karabakh_ru.txt")
    assert problem["severity"] == "warning" and problem["problem"] == "not_utf8"
    assert "cp1251" in problem["message"]
    assert_seeds_loaded(corpus, SEED_A)
    assert_raw_intact(corpus, folder)


def test_latin1_text_is_decoded_with_a_not_utf8_warning(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "cafe.txt").write_bytes(LATIN1.encode("latin-1"))
    with pytest.warns(CorpusWarning, match=r"cafe\.txt: not valid UTF-8"):
        corpus = analysis.read_corpus(folder)
    row = doc(corpus, "cafe")
    for word in ("vis-à-vis", "café", "naïve", "protégé"):
        assert word in row["text"]
    assert {"à", "é", "ï"} <= set(row["text"])
    assert row["raw"] == LATIN1
    assert row["encoding"] in ("latin_1", "cp1252", "iso8859_9")
    problem = only_problem(corpus, "cafe.txt")
    assert problem["problem"] == "not_utf8"
    assert "not valid UTF-8" in problem["message"] and row["encoding"] in problem["message"]
    assert_seeds_loaded(corpus, SEED_A)
    assert_raw_intact(corpus, folder)


def test_undecodable_bytes_are_skipped_with_advice(tmp_path):
    # C1 bytes that are undefined in cp1252 and split words in cp1251: no candidate reads cleanly.
    data = (b"The war in Kara\x81bakh ended in Nov\x8dember and the peace\x90keepers arrived "
            b"in Stepa\x8fnakert. ") * 6
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "garbled.txt").write_bytes(data)
    with pytest.warns(CorpusWarning, match=r"garbled\.txt: not valid UTF-8 .*no likely encoding"):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, "garbled.txt")
    assert problem["severity"] == "skipped" and problem["problem"] == "undecodable"
    assert "offset 15" in problem["message"]          # where the first bad byte is
    assert "encoding" in problem["message"] and "manifest" in problem["message"]   # what to do about it
    assert "garbled" not in set(corpus.docs["doc_id"])
    assert_seeds_loaded(corpus, SEED_A)


def test_manifest_encoding_column_is_used_directly(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "karabakh_ru.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (folder / "manifest.csv").write_text(
        f"file,encoding,source\n{SEED_A},,Jamestown Foundation\nkarabakh_ru.txt,cp1251,RIA Novosti\n",
        encoding="utf-8")
    corpus, warned = load(folder)
    assert warned == []                     # the curator said cp1251: nothing to warn about
    assert corpus.problems.empty
    row = doc(corpus, "karabakh_ru")
    assert row["encoding"] == "cp1251"
    assert row["source"] == "RIA Novosti"
    assert "Нагорный Карабах" in row["text"]
    assert row["raw"] == RUSSIAN
    assert_seeds_loaded(corpus, SEED_A)
    assert_raw_intact(corpus, folder)


def test_wrong_manifest_encoding_skips_the_file_naming_the_encoding(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "karabakh_ru.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (folder / "manifest.csv").write_text(
        f"file,encoding\n{SEED_A},\nkarabakh_ru.txt,utf-8\n", encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"karabakh_ru\.txt: cannot be decoded as utf-8"):
        corpus = analysis.read_corpus(folder)
    assert only_problem(corpus, "karabakh_ru.txt")["severity"] == "skipped"
    assert_seeds_loaded(corpus, SEED_A)


def test_numeric_encoding_in_yaml_manifest_means_that_code_page(tmp_path):
    """YAML reads 'encoding: 1251' as a number; it is taken as code page cp1251, not a crash."""
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "karabakh_ru.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (folder / "manifest.yaml").write_text(
        f"documents:\n  - file: {SEED_A}\n  - file: karabakh_ru.txt\n    encoding: 1251\n", encoding="utf-8")
    corpus, _ = load(folder)
    docs = corpus.docs.set_index("file")
    assert "Карабах" in docs.loc["karabakh_ru.txt", "text"]
    assert docs.loc["karabakh_ru.txt", "encoding"] == "cp1251"
    assert_seeds_loaded(corpus, SEED_A)


def test_unknown_encoding_in_manifest_is_rejected(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "manifest.yaml").write_text(
        f"documents:\n  - file: {SEED_A}\n    encoding: klingon\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"manifest\.yaml, document 1: encoding 'klingon' is not a known"):
        analysis.read_corpus(folder)


# --------------------------------------------------------------------------- 4. byte-order mark

def test_utf8_bom_is_removed_and_noted(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    body = (SEEDS / SEED_B).read_bytes()
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + body)
    corpus, warned = load(folder)
    assert warned == []                      # a harmless repair: a note, not a warning
    row = doc(corpus, "bom")
    assert "\ufeff" not in row["text"]
    assert not row["raw"].startswith("\ufeff")
    assert row["raw"] == body.decode("utf-8")
    assert row["title"] == "The Winner In Nagorno-Karabakh Is Russia"   # the BOM did not spoil line 1
    problem = only_problem(corpus, "bom.txt")
    assert problem["severity"] == "note"
    assert "byte-order mark" in problem["message"]
    assert_seeds_loaded(corpus, SEED_A)
    assert_raw_intact(corpus, folder)


# --------------------------------------------------------------------------- 5. CRLF line ends

def test_crlf_file_cleans_exactly_like_the_lf_original(tmp_path):
    lf_bytes = (SEEDS / SEED_D).read_bytes()
    assert b"\r" not in lf_bytes
    crlf_bytes = lf_bytes.replace(b"\n", b"\r\n")
    lf_dir, crlf_dir = tmp_path / "lf", tmp_path / "crlf"
    lf_dir.mkdir(), crlf_dir.mkdir()
    (lf_dir / "article.txt").write_bytes(lf_bytes)
    (crlf_dir / "article.txt").write_bytes(crlf_bytes)
    shutil.copy(SEEDS / SEED_A, crlf_dir / SEED_A)

    lf, _ = load(lf_dir)
    crlf, warned = load(crlf_dir)
    assert warned == []
    a, b = doc(lf, "article"), doc(crlf, "article")
    assert "\r" not in b["text"]
    assert b["raw"] == crlf_bytes.decode("utf-8")
    assert b["raw"].count("\r\n") == lf_bytes.count(b"\n")
    for field in ("title", "n_paragraphs", "text", "part", "publication", "volume", "issue",
                  "n_sentences", "n_tokens", "n_lines_removed"):
        assert b[field] == a[field], field
    assert b["title"] == "Russia’s Karabakh Protectorate Taking Clearer Shape (Part Three)"
    # same fate for every line
    cols = ["line_no", "text", "action", "reason"]
    pd.testing.assert_frame_equal(crlf.lines[crlf.lines["doc_id"] == "article"][cols].reset_index(drop=True),
                                  lf.lines[cols].reset_index(drop=True))
    note = only_problem(crlf, "article.txt")
    assert note["severity"] == "note" and "CRLF" in note["message"]
    assert_seeds_loaded(crlf, SEED_A)
    assert_raw_intact(crlf, crlf_dir)


# --------------------------------------------------------------------------- 6. NUL byte

def test_nul_byte_is_dropped_from_text_but_kept_in_raw(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    text = (SEEDS / SEED_B).read_text(encoding="utf-8")
    assert "Many will not return." in text
    text = text.replace("Many will not return.", "Many will\x00 not return.")
    (folder / "nul.txt").write_text(text, encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"nul\.txt: 1 NUL character"):
        corpus = analysis.read_corpus(folder)
    row = doc(corpus, "nul")
    assert "\x00" not in row["text"]
    assert "Many will not return." in row["text"]
    assert row["raw"] == text and "\x00" in row["raw"]
    problem = only_problem(corpus, "nul.txt")
    assert problem["severity"] == "warning" and "NUL" in problem["message"]
    assert_seeds_loaded(corpus, SEED_A)
    assert_raw_intact(corpus, folder)


# --------------------------------------------------------------------------- 7. oversized file

def _big_file(folder: Path) -> None:
    text = (SEEDS / SEED_B).read_text(encoding="utf-8") * 6
    (folder / "big.txt").write_text(text[:20000], encoding="utf-8")


def test_oversized_file_is_skipped(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    _big_file(folder)
    with pytest.warns(CorpusWarning, match=r"big\.txt: file is .* MB, over the .* MB limit"):
        corpus = analysis.read_corpus(folder, max_file_mb=0.01)
    problem = only_problem(corpus, "big.txt")
    assert problem["severity"] == "skipped" and problem["problem"] == "too_large"
    assert "max_file_mb" in problem["message"]
    assert "big" not in set(corpus.docs["doc_id"])
    assert_seeds_loaded(corpus, SEED_A)         # 6.6 kB, under the limit


def test_oversized_file_message_names_the_limit(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    _big_file(folder)
    corpus, _ = load(folder, max_file_mb=0.01)
    message = only_problem(corpus, "big.txt")["message"]
    assert "over the 0.01 MB limit" in message


# --------------------------------------------------------------------------- 8. boilerplate only

def test_boilerplate_only_document_is_skipped_but_audited(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    junk = ["twitter", "facebook", "search", "Top stories", "Share", "Views: 12", "© 2024 Example"]
    (folder / "junk.txt").write_text("\n".join(junk) + "\n", encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"junk\.txt: nothing is left after removing boilerplate"):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, "junk.txt")
    assert problem["severity"] == "skipped" and problem["problem"] == "only_boilerplate"
    assert "junk" not in set(corpus.docs["doc_id"])
    assert "junk" not in set(corpus.provenance["doc_id"])
    audit = corpus.lines[corpus.lines["file"] == "junk.txt"]
    assert audit["text"].tolist() == junk
    assert (audit["action"] == "removed").all()
    assert audit["reason"].notna().all()
    assert_seeds_loaded(corpus, SEED_A)


# --------------------------------------------------------------------------- 9. duplicates

def test_duplicate_document_is_skipped_naming_the_first(tmp_path):
    folder = corpus_dir(tmp_path, SEED_B)
    shutil.copy(SEEDS / SEED_A, folder / "a_original.txt")
    shutil.copy(SEEDS / SEED_A, folder / "b_copy.txt")
    with pytest.warns(CorpusWarning, match=r"b_copy\.txt: same text as a_original\.txt"):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, "b_copy.txt")
    assert problem["severity"] == "skipped" and problem["problem"] == "duplicate"
    assert "a_original" in problem["message"] and "keep_duplicates" in problem["message"]
    assert set(corpus.docs["doc_id"]) == {"a_original", ID_B}
    assert corpus.docs["duplicate_of"].isna().all()
    assert_raw_intact(corpus, folder)


def test_keep_duplicates_keeps_both_and_marks_the_copy(tmp_path):
    folder = corpus_dir(tmp_path, SEED_B)
    shutil.copy(SEEDS / SEED_A, folder / "a_original.txt")
    shutil.copy(SEEDS / SEED_A, folder / "b_copy.txt")
    with pytest.warns(CorpusWarning, match=r"b_copy\.txt: same text as a_original\.txt .*kept"):
        corpus = analysis.read_corpus(folder, keep_duplicates=True)
    assert set(corpus.docs["doc_id"]) == {"a_original", "b_copy", ID_B}
    assert doc(corpus, "b_copy")["duplicate_of"] == "a_original"
    assert pd.isna(doc(corpus, "a_original")["duplicate_of"])
    assert pd.isna(doc(corpus, ID_B)["duplicate_of"])
    assert doc(corpus, "b_copy")["text"] == doc(corpus, "a_original")["text"]
    assert_raw_intact(corpus, folder)


# --------------------------------------------------------------------------- 10./11. manifest vs folder

def test_manifest_row_for_missing_file_is_reported(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "manifest.csv").write_text(
        f"file,source\n{SEED_A},Jamestown Foundation\n{SEED_B},OpsLens\ngone_article.txt,Reuters\n",
        encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"gone_article\.txt: named in the manifest \(row 4\) but no such file"):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, "gone_article.txt")
    assert problem["severity"] == "warning"
    assert len(corpus.problems) == 1
    assert_seeds_loaded(corpus, SEED_A, SEED_B)
    assert doc(corpus, ID_B)["source"] == "OpsLens"       # the manifest is still used
    assert_raw_intact(corpus, folder)


def test_file_without_manifest_row_loads_with_metadata_from_text(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "manifest.csv").write_text(f"file,source\n{SEED_A},Jamestown Foundation\n", encoding="utf-8")
    with pytest.warns(CorpusWarning, match=rf"{SEED_B}: has no manifest row"):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, SEED_B)
    assert problem["severity"] == "warning" and "no manifest row" in problem["message"]
    row = doc(corpus, ID_B)
    assert row["title"] == "The Winner In Nagorno-Karabakh Is Russia"
    assert row["date"] == pd.Timestamp("2020-11-19")
    prov = corpus.provenance.set_index(["doc_id", "field"])
    assert prov.loc[(ID_B, "title"), "provenance"] == "text"
    assert prov.loc[(ID_B, "date"), "provenance"] == "text"
    assert prov.loc[(ID_B, "source"), "provenance"] == "unknown"
    assert doc(corpus, ID_A)["source"] == "Jamestown Foundation"
    assert_raw_intact(corpus, folder)


# --------------------------------------------------------------------------- 12. malformed manifests

def _manifest_error(tmp_path, name: str, content: str) -> str:
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / name).write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        analysis.read_corpus(folder)
    assert_clean_error(info.value)
    message = str(info.value)
    assert name in message
    return message


@pytest.mark.parametrize("name, content, expected", [
    ("manifest.csv", "file,source\n{a},Jamestown\n{b},\"OpsLens\n",
     ["malformed CSV near line 3", "unclosed quote"]),
    ("manifest.csv", "file,source\n{a},Jamestown\n{b},OpsLens,United States\n",
     ["row 3: 3 fields, but the header has 2"]),
    ("manifest.csv", "file,source\n{a},Jamestown,extra\n{b},OpsLens\n",
     ["row 2: 3 fields, but the header has 2"]),
    ("manifest.yaml", "documents:\n  - file: {a}\n    source: [Jamestown\n  - file: {b}\n",
     ["malformed YAML", "line 4"]),
    ("manifest.yaml", "documents:\n  - file: {a}\n  - source: OpsLens\n    author: Someone\n",
     ["document 2", "no 'file' given"]),
    ("manifest.csv", "file,source\n{a},Jamestown\n{b},OpsLens\n{a},Eurasia Daily Monitor\n",
     ["'{a}' appears twice", "row 2", "row 4"]),
    ("manifest.yaml", "documents:\n  - file: {a}\n  - file: {b}\n  - file: {a}\n",
     ["'{a}' appears twice", "document 1", "document 3"]),
], ids=["csv-unclosed-quote", "csv-extra-field", "csv-extra-field-first-row", "yaml-syntax",
        "yaml-no-file", "csv-duplicate-file", "yaml-duplicate-file"])
def test_malformed_manifest_is_a_clear_error(tmp_path, name, content, expected):
    message = _manifest_error(tmp_path, name, content.format(a=SEED_A, b=SEED_B))
    for phrase in expected:
        assert phrase.format(a=SEED_A) in message


def test_explicit_manifest_path_that_does_not_exist(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    with pytest.raises(CorpusError, match=r"meta\.yaml: manifest file not found") as info:
        analysis.read_corpus(folder, manifest=folder / "meta.yaml")
    assert_clean_error(info.value)


# --------------------------------------------------------------------------- 13. unparseable dates

def test_unparseable_manifest_date(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "manifest.csv").write_text(
        f"file,date\n{SEED_A},Blursday\n{SEED_B},2020-11-19\n", encoding="utf-8")
    with pytest.warns(CorpusWarning, match=rf"{SEED_A}: manifest row 2 date: 'Blursday' is not a date"):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, SEED_A)
    assert problem["severity"] == "warning" and "Blursday" in problem["message"]
    assert pd.isna(doc(corpus, ID_A)["date"])
    assert doc(corpus, ID_B)["date"] == pd.Timestamp("2020-11-19")
    prov = corpus.provenance.set_index(["doc_id", "field"])
    assert prov.loc[(ID_A, "date"), "provenance"] == "unknown"
    assert pd.isna(prov.loc[(ID_A, "date"), "value"])
    assert "Blursday" in prov.loc[(ID_A, "date"), "evidence"]
    assert prov.loc[(ID_B, "date"), "provenance"] == "manifest"
    assert_raw_intact(corpus, folder)


def test_ambiguous_numeric_date_in_header_is_left_unknown(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    text = (SEEDS / SEED_B).read_text(encoding="utf-8").replace("By: - November 19, 2020", "03/04/2021")
    (folder / "ambiguous.txt").write_text(text, encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"ambiguous\.txt: line 3: '03/04/2021' is ambiguous"):
        corpus = analysis.read_corpus(folder)
    problem = only_problem(corpus, "ambiguous.txt")
    assert problem["severity"] == "warning" and "day/month or month/day" in problem["message"]
    row = doc(corpus, "ambiguous")
    assert pd.isna(row["date"])
    assert "03/04/2021" not in row["text"]
    assert row["title"] == "The Winner In Nagorno-Karabakh Is Russia"
    prov = corpus.provenance.set_index(["doc_id", "field"])
    assert prov.loc[("ambiguous", "date"), "provenance"] == "unknown"
    line = corpus.lines[(corpus.lines["doc_id"] == "ambiguous") & (corpus.lines["line_no"] == 3)].iloc[0]
    assert line["action"] == "metadata" and "ambiguous" in line["detail"]
    assert_seeds_loaded(corpus, SEED_A)
    assert_raw_intact(corpus, folder)


def test_ambiguous_date_in_byline_does_not_end_up_in_author(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    text = (SEEDS / SEED_B).read_text(encoding="utf-8").replace("By: - November 19, 2020",
                                                                 "By John Smith | 03/04/2021")
    (folder / "byline.txt").write_text(text, encoding="utf-8")
    corpus, warned = load(folder)
    assert any("ambiguous" in w for w in warned)
    row = doc(corpus, "byline")
    assert pd.isna(row["date"])
    assert row["author"] == "John Smith"


# --------------------------------------------------------------------------- 14. folder-level problems

def test_pdf_in_folder_is_reported_not_ignored(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "interview.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04rest-of-zip")
    corpus, warned = load(folder)
    assert "interview.pdf: '.pdf' files are not read; convert it to .txt (or save the page as .html)" in warned
    assert "notes.docx: '.docx' files are not read; convert it to .txt (or save the page as .html)" in warned
    for name in ("interview.pdf", "notes.docx"):
        problem = only_problem(corpus, name)
        assert problem["severity"] == "skipped" and problem["problem"] == "unsupported_format"
    assert_seeds_loaded(corpus, SEED_A)


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(CorpusError, match=r"corpus folder '.*no_such_folder' does not exist") as info:
        analysis.read_corpus(tmp_path / "no_such_folder")
    assert_clean_error(info.value)


def test_corpus_path_that_is_a_file(tmp_path):
    path = tmp_path / SEED_A
    shutil.copy(SEEDS / SEED_A, path)
    with pytest.raises(CorpusError, match="is not a folder"):
        analysis.read_corpus(path)


def test_folder_without_articles(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "README.md").write_text("notes", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"no document could be loaded .*holds no \.txt or \.html files"):
        analysis.read_corpus(folder)


def test_folder_where_every_file_is_bad(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\n")
    (folder / "menu.txt").write_text("twitter\nfacebook\nShare\n", encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.warns(CorpusWarning):
        with pytest.raises(CorpusError) as info:
            analysis.read_corpus(folder)
    assert_clean_error(info.value)
    message = str(info.value)
    assert "no document could be loaded" in message
    for expected in ("empty.txt: empty file", "scan.txt: binary file (a PDF document)",
                     "menu.txt: nothing is left after removing boilerplate", "report.pdf: '.pdf' files are not read"):
        assert expected in message


def test_errors_raise_turns_first_problem_into_corpus_error(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "zz_cafe.txt").write_bytes(LATIN1.encode("latin-1"))
    with pytest.raises(CorpusError, match=r"^empty\.txt: empty file \(0 bytes\); skipped$"):
        analysis.read_corpus(folder, errors="raise")
    # a warning (not only a skip) also raises
    (folder / "empty.txt").unlink()
    with pytest.raises(CorpusError, match=r"zz_cafe\.txt: not valid UTF-8"):
        analysis.read_corpus(folder, errors="raise")


def test_errors_raise_does_not_raise_on_notes(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + (SEEDS / SEED_B).read_bytes())
    corpus = analysis.read_corpus(folder, errors="raise")
    assert set(corpus.problems["severity"]) == {"note"}
    assert_seeds_loaded(corpus, SEED_A)


def test_errors_raise_has_no_internal_traceback(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "empty.txt").write_bytes(b"")
    with pytest.raises(CorpusError) as info:
        analysis.read_corpus(folder, errors="raise")
    assert_clean_error(info.value)


def test_errors_ignore_records_problems_without_warning(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "empty.txt").write_bytes(b"")
    corpus, warned = load(folder, errors="ignore")
    assert warned == []
    assert only_problem(corpus, "empty.txt")["severity"] == "skipped"
    assert_seeds_loaded(corpus, SEED_A)


def test_errors_option_is_validated(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    with pytest.raises(ValueError, match="errors must be"):
        analysis.read_corpus(folder, errors="strict")


def test_problem_in_subfolder_names_the_relative_path(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "2020").mkdir()
    (folder / "2021").mkdir()
    shutil.copy(SEEDS / SEED_B, folder / "2020" / "article.txt")
    (folder / "2021" / "article.txt").write_bytes(b"")
    corpus, warned = load(folder)
    assert "2020/article.txt" in set(corpus.docs["file"])
    problem = only_problem(corpus, "2021/article.txt")
    assert problem["problem"] == "empty"
    assert any(w.startswith("2021/article.txt: empty file") for w in warned)


# --------------------------------------------------------------------------- cleaning overrides

def _caliber_folder(tmp_path) -> Path:
    folder = corpus_dir(tmp_path, SEED_A)
    shutil.copy(SEEDS / SEED_C, folder / "caliber.txt")
    return folder


def test_cleaning_overrides_keep_and_remove_lines(tmp_path):
    folder = _caliber_folder(tmp_path)
    before, _ = load(folder)
    lines = before.lines[before.lines["doc_id"] == "caliber"].set_index("line_no")
    headline = "Moscow fuels tensions in region with new Smerch MRLS missiles for Armenia"
    assert lines.loc[21, "text"] == headline and lines.loc[21, "action"] == "removed"
    assert lines.loc[41, "text"].startswith("CSTO was established in 2002") and lines.loc[41, "action"] == "kept"
    old_body = doc(before, "caliber")["text"]
    assert headline not in old_body and "CSTO was established" in old_body

    (folder / "cleaning_overrides.csv").write_text(
        "doc_id,line_no,action,note\n"
        "caliber,21,keep,the headline belongs to this story\n"
        "caliber,41,remove,background paragraph copied from a wiki\n", encoding="utf-8")
    after, warned = load(folder)
    assert warned == []
    row = doc(after, "caliber")
    assert row["text"].startswith(headline + "\n\n")
    assert "CSTO was established" not in row["text"]
    assert row["n_paragraphs"] == doc(before, "caliber")["n_paragraphs"]        # one in, one out
    audit = after.lines[after.lines["doc_id"] == "caliber"].set_index("line_no")
    assert audit.loc[21, "action"] == "kept" and audit.loc[21, "reason"] == "override"
    assert "the headline belongs to this story" in audit.loc[21, "detail"]
    assert "other_headline" in audit.loc[21, "detail"]                          # what it was before
    assert audit.loc[41, "action"] == "removed" and audit.loc[41, "reason"] == "override"
    assert "background paragraph" in audit.loc[41, "detail"]
    # nothing else changed
    others = before.lines[before.lines["doc_id"] == "caliber"].set_index("line_no").drop(index=[21, 41])
    assert (audit.drop(index=[21, 41])["action"] == others["action"]).all()
    assert doc(after, ID_A)["text"] == doc(before, ID_A)["text"]
    assert row["raw"] == doc(before, "caliber")["raw"]


def test_cleaning_overrides_as_dataframe(tmp_path):
    folder = _caliber_folder(tmp_path)
    table = pd.DataFrame({"doc_id": ["caliber"], "line_no": [41], "action": ["remove"], "note": [""]})
    corpus, _ = load(folder, overrides=table)
    assert "CSTO was established" not in doc(corpus, "caliber")["text"]


def test_cleaning_overrides_with_bad_action(tmp_path):
    folder = _caliber_folder(tmp_path)
    (folder / "cleaning_overrides.csv").write_text(
        "doc_id,line_no,action,note\ncaliber,21,keep,\ncaliber,41,delete,typo for remove\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        analysis.read_corpus(folder)
    assert_clean_error(info.value)
    message = str(info.value)
    assert "cleaning_overrides.csv, row 3" in message
    assert "'delete'" in message and "'keep' or 'remove'" in message


def test_cleaning_overrides_missing_columns(tmp_path):
    folder = _caliber_folder(tmp_path)
    (folder / "cleaning_overrides.csv").write_text("doc,line,what\ncaliber,21,keep\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"cleaning_overrides\.csv: cleaning overrides need columns"):
        analysis.read_corpus(folder)


def test_cleaning_overrides_for_unknown_document(tmp_path):
    folder = _caliber_folder(tmp_path)
    (folder / "cleaning_overrides.csv").write_text(
        "doc_id,line_no,action,note\ncalibre,21,keep,\n", encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"overrides name doc_id 'calibre', which is not in the corpus"):
        corpus = analysis.read_corpus(folder)
    assert_seeds_loaded(corpus, SEED_A)


def test_cleaning_overrides_not_utf8(tmp_path):
    folder = _caliber_folder(tmp_path)
    (folder / "cleaning_overrides.csv").write_bytes(
        "doc_id,line_no,action,note\ncaliber,21,keep,headline of the café story\n".encode("cp1252"))
    with pytest.raises(CorpusError, match=r"cleaning_overrides\.csv") as info:
        analysis.read_corpus(folder)
    assert_clean_error(info.value)


def test_relations_of_a_skipped_duplicate_are_dropped(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    shutil.copy(folder / SEED_A, folder / "copy.txt")
    (folder / "manifest.csv").write_text(
        f"file,doc_id,relations\n{SEED_A},a,\ncopy.txt,b,reuses:a\n", encoding="utf-8")
    corpus, _ = load(folder)
    assert list(corpus.docs["doc_id"]) == ["a"]
    assert corpus.relations.empty
