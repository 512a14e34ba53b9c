"""Faults and hostile input (issue 16): paths, names, links, doc_ids, dates and manifests.

Each case builds a corpus in ``tmp_path`` from copies of seed articles plus the hostile input, and checks
that the problem is reported naming the file (or manifest row), that the other documents still load
(nothing lost), and that nothing crashes with a library exception.
"""
from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import CorpusError, CorpusWarning

from conftest import SEEDS

SEED_A = "001_51913676188bf265.txt"
SEED_B = "004_c8d29e6189c14854.txt"
ID_A, ID_B = SEED_A[:-4], SEED_B[:-4]
# an article of its own (no date in it), distinct from every seed
OWN_TEXT = "\n\n".join(
    [f"A headline about the talks on the future of the region, part {{k}}"]
    + [f"Diplomats met in Vienna on the future of the region and spoke about the talks at length, "
       f"paragraph {k}. " * 3 for k in range(6)])


def corpus_dir(tmp_path: Path, *seeds: str) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in seeds:
        shutil.copy(SEEDS / seed, folder / seed)
    return folder


def own_article(k: int, first_line: str | None = None) -> str:
    text = OWN_TEXT.replace("{k}", str(k)).replace("paragraph", f"paragraph ({k})")
    return text if first_line is None else text.replace("\n\n", f"\n\n{first_line}\n\n", 1)


def load(folder: Path, **options) -> tuple[analysis.Corpus, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = analysis.read_corpus(folder, **options)
    return corpus, [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]


def problem(corpus: analysis.Corpus, file: str, kind: str) -> pd.Series:
    rows = corpus.problems[(corpus.problems["file"] == file) & (corpus.problems["problem"] == kind)]
    assert len(rows) == 1, f"expected one {kind} problem for {file!r}, got:\n{corpus.problems.to_string()}"
    return rows.iloc[0]


def assert_loaded(corpus: analysis.Corpus, *files: str) -> None:
    loaded = set(corpus.docs["file"])
    for file in files:
        assert file in loaded, f"{file!r} not loaded; loaded: {sorted(loaded)}"
    assert corpus.docs["doc_id"].is_unique


# --------------------------------------------------------------------------- links

def test_symlink_out_of_the_corpus_is_refused(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    secret = tmp_path / "secret.txt"
    secret.write_text(own_article(1), encoding="utf-8")
    os.symlink(secret, folder / "passwd.txt")
    if Path("/etc/passwd").exists():
        os.symlink("/etc/passwd", folder / "etc_passwd.txt")
    corpus, warned = load(folder)
    row = problem(corpus, "passwd.txt", "link_outside")
    assert row["severity"] == "skipped" and "outside the corpus folder" in row["message"]
    assert any(w.startswith("passwd.txt: a symbolic link to") for w in warned)
    assert "passwd.txt" not in set(corpus.docs["file"]) and "etc_passwd.txt" not in set(corpus.docs["file"])
    assert not corpus.docs["raw"].str.contains("Vienna").any()
    assert_loaded(corpus, SEED_A, SEED_B)


def test_symlink_loops_and_dangling_links_are_reported(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    os.symlink("loop2.txt", folder / "loop1.txt")
    os.symlink("loop1.txt", folder / "loop2.txt")
    os.symlink("gone.txt", folder / "dangling.txt")
    os.symlink(".", folder / "again")               # a folder link back to the corpus: not followed
    corpus, _ = load(folder)
    for name in ("loop1.txt", "loop2.txt"):
        assert "link loop" in problem(corpus, name, "link_loop")["message"]
    assert "'gone.txt', which does not exist" in problem(corpus, "dangling.txt", "dangling_link")["message"]
    assert problem(corpus, "again", "link_to_folder")["severity"] == "note"
    assert_loaded(corpus, SEED_A, SEED_B)
    assert len(corpus.docs) == 2


def test_symlink_inside_the_corpus_is_read(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "sub").mkdir()
    (folder / "sub" / "own.txt").write_text(own_article(1), encoding="utf-8")
    os.symlink("sub/own.txt", folder / "link.txt")
    corpus, _ = load(folder, keep_duplicates=True)
    assert_loaded(corpus, SEED_A, "sub/own.txt", "link.txt")


# --------------------------------------------------------------------------- doc_ids

def test_manifest_doc_id_equal_to_another_files_name_is_renamed_and_said(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "manifest.yaml").write_text(f"documents:\n  - file: {SEED_A}\n    doc_id: '{ID_B}'\n"
                                          f"  - file: {SEED_B}\n", encoding="utf-8")
    corpus, warned = load(folder)
    row = problem(corpus, SEED_B, "doc_id_clash")
    assert SEED_A in row["message"] and "document 1" in row["message"] and row["severity"] == "warning"
    ids = dict(zip(corpus.docs["file"], corpus.docs["doc_id"]))
    assert ids == {SEED_A: ID_B, SEED_B: SEED_B}
    # every table keeps the two apart
    assert set(corpus.sentences["doc_id"]) == {ID_B, SEED_B}
    assert set(corpus.lines.groupby("doc_id")["file"].nunique()) == {1}
    assert any(SEED_A in w and SEED_B in w for w in warned)


def test_two_files_of_one_stem_get_distinct_doc_ids(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "a.txt").write_text(own_article(1), encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in own_article(2).split("\n\n")[1:])
    (folder / "a.html").write_text(f"<html><head><title>Another headline</title></head><body><article>"
                                   f"<h1>Another headline</h1>{paragraphs}</article></body></html>", encoding="utf-8")
    corpus, _ = load(folder)
    ids = dict(zip(corpus.docs["file"], corpus.docs["doc_id"]))
    assert ids["a.html"] == "a" and ids["a.txt"] == "a.txt"
    assert "a.html" in problem(corpus, "a.txt", "same_stem")["message"]
    assert_loaded(corpus, SEED_A, "a.txt", "a.html")


# --------------------------------------------------------------------------- dates

def test_out_of_range_date_in_the_text(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "typo.txt").write_text(own_article(1, "20211-01-05"), encoding="utf-8")
    corpus, _ = load(folder)
    row = problem(corpus, "typo.txt", "unparseable_date")
    assert "'20211-01-05' is outside the plausible range" in row["message"] and "line 3" in row["message"]
    assert pd.isna(corpus.docs.set_index("file").loc["typo.txt", "date"])
    assert_loaded(corpus, SEED_A, "typo.txt")


@pytest.mark.parametrize("manifest", ["manifest.yaml", "manifest.csv"])
@pytest.mark.parametrize("value, expected", [("9999-12-31", "outside the plausible range"),
                                             ("1066-10-14", "outside the plausible range"),
                                             ("2021-02-31", "not a valid date"),
                                             ("20211-01-05", "outside the plausible range")])
def test_bad_manifest_date_is_reported_per_row_and_field(tmp_path, manifest, value, expected):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    if manifest.endswith(".yaml"):
        text = f"documents:\n  - file: {SEED_A}\n    date: {value}\n  - file: {SEED_B}\n"
        where = "document 1"
    else:
        text = f"file,date\n{SEED_A},{value}\n{SEED_B},\n"
        where = "row 2"
    (folder / manifest).write_text(text, encoding="utf-8")
    corpus, _ = load(folder)
    row = problem(corpus, SEED_A, "unparseable_date")
    assert f"manifest {where} date: '{value}'" in row["message"] and expected in row["message"]
    assert pd.isna(corpus.docs.set_index("file").loc[SEED_A, "date"])
    assert corpus.provenance.set_index(["doc_id", "field"]).loc[(ID_A, "date"), "provenance"] == "unknown"
    assert_loaded(corpus, SEED_A, SEED_B)


def test_yaml_dates_keep_working(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "manifest.yaml").write_text(f"documents:\n  - file: {SEED_A}\n    date: 2021-01-14\n", encoding="utf-8")
    corpus, _ = load(folder)
    assert corpus.docs.loc[0, "date"] == pd.Timestamp("2021-01-14")


# --------------------------------------------------------------------------- unreadable files

@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_a_reported_skip(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    locked = folder / "locked.txt"
    locked.write_text(own_article(1), encoding="utf-8")
    locked.chmod(0)
    try:
        corpus, warned = load(folder)
    finally:
        locked.chmod(0o644)
    assert "permission denied" in problem(corpus, "locked.txt", "unreadable")["message"]
    assert_loaded(corpus, SEED_A, SEED_B)


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "locked.txt").write_text(own_article(1), encoding="utf-8")
    read_bytes = Path.read_bytes

    def refuse(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    corpus, warned = load(folder)
    row = problem(corpus, "locked.txt", "unreadable")
    assert row["severity"] == "skipped" and "permission denied" in row["message"]
    assert any(w.startswith("locked.txt: cannot be read (permission denied)") for w in warned)
    assert_loaded(corpus, SEED_A, SEED_B)
    with pytest.raises(CorpusError, match=r"^locked\.txt: cannot be read"):
        analysis.read_corpus(folder, errors="raise")


# --------------------------------------------------------------------------- names

def test_odd_names_load(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    names = ["my article.txt", "-rf.txt", "line\nbreak.txt", "Ağustos ünï статья.txt", "--help.html"]
    for k, name in enumerate(names[:-1]):
        (folder / name).write_text(own_article(k), encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in own_article(9).split("\n\n")[1:])
    (folder / names[-1]).write_text(f"<html><head><title>T</title></head><body><article><h1>T</h1>{paragraphs}"
                                    "</article></body></html>", encoding="utf-8")
    corpus, _ = load(folder)
    assert_loaded(corpus, SEED_A, *names)
    assert set(corpus.docs["doc_id"]) >= {n.rsplit(".", 1)[0] for n in names}


def test_hidden_files_and_backups_are_skipped_with_a_note(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    notes = {".hidden.txt": "hidden", ".x.txt.swp": "editor_backup", "x.txt~": "editor_backup",
             "#x.txt#": "editor_backup", "y.txt.swp": "editor_backup", ".git": "hidden"}
    for name in notes:
        if name == ".git":
            (folder / name).mkdir()
            (folder / name / "HEAD.txt").write_text(own_article(7), encoding="utf-8")
        else:
            (folder / name).write_text(own_article(len(name)), encoding="utf-8")
    (folder / ".truth.csv").write_text("file\n", encoding="utf-8")   # hidden, and not an article anyway: silent
    corpus = analysis.read_corpus(folder, errors="raise")   # notes never raise
    assert ".truth.csv" not in set(corpus.problems["file"])
    for name, kind in notes.items():
        assert problem(corpus, name, kind)["severity"] == "note"
    assert list(corpus.docs["file"]) == [SEED_A]


def test_compressed_files_are_reported(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "page.html.gz").write_bytes(b"\x1f\x8b\x08\x00")
    (folder / "pages.zip").write_bytes(b"PK\x03\x04")
    corpus, warned = load(folder)
    assert "not read; unpack it" in problem(corpus, "page.html.gz", "compressed")["message"]
    assert problem(corpus, "pages.zip", "compressed")["severity"] == "skipped"
    assert any(w.startswith("page.html.gz: a compressed file ('.gz') is not read") for w in warned)
    assert_loaded(corpus, SEED_A)


@pytest.mark.parametrize("case, expected", [("missing", "does not exist"), ("file", "is a file, which is not a folder"),
                                            ("empty", "the folder is empty"),
                                            ("dangling", "is a link to 'nowhere', which does not exist")])
def test_bad_corpus_path_is_a_clear_error(tmp_path, case, expected):
    path = tmp_path / "corpus"
    if case == "file":
        shutil.copy(SEEDS / SEED_A, path)
    elif case == "empty":
        path.mkdir()
    elif case == "dangling":
        os.symlink("nowhere", path)
    with pytest.raises(CorpusError, match=expected) as info:
        analysis.read_corpus(path)
    assert info.value.__cause__ is None and info.value.__suppress_context__ or info.value.__context__ is None


# --------------------------------------------------------------------------- manifests

@pytest.mark.parametrize("row, expected", [("/etc/passwd", "is an absolute path"),
                                           (f"../corpus/{SEED_B}", "climbs out of the corpus folder"),
                                           (f"sub/../../{SEED_B}", "climbs out of the corpus folder")])
def test_manifest_row_leaving_the_folder_is_refused(tmp_path, row, expected):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "manifest.csv").write_text(f"file,source\n{SEED_A},Jamestown\n{row},Hostile\n{SEED_B},OpsLens\n",
                                         encoding="utf-8")
    corpus, warned = load(folder)
    found = problem(corpus, row, "manifest_row_refused")
    assert "manifest row 3" in found["message"] and expected in found["message"]
    assert_loaded(corpus, SEED_A, SEED_B)
    assert "Hostile" not in set(corpus.docs["source"])
    assert dict(zip(corpus.docs["file"], corpus.docs["source"]))[SEED_B] == "OpsLens"


def test_manifest_rows_with_dot_slash_still_match(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "manifest.csv").write_text(f"file,source\n./{SEED_A},Jamestown Foundation\n", encoding="utf-8")
    corpus, _ = load(folder)
    assert corpus.docs.loc[0, "source"] == "Jamestown Foundation"
    assert corpus.problems.empty or "manifest_file_missing" not in set(corpus.problems["problem"])


def test_yaml_billion_laughs_is_refused_at_once(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        name, prev = chr(97 + i), chr(96 + i)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    (folder / "manifest.yaml").write_text("\n".join(levels) + f"\ndocuments:\n  - file: {SEED_A}\n    title: *j\n",
                                          encoding="utf-8")
    with pytest.raises(CorpusError, match=r"manifest\.yaml: its YAML aliases .* expand to more than") as info:
        analysis.read_corpus(folder)
    assert "billion laughs" in str(info.value)


def test_yaml_recursive_alias_is_refused(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A)
    (folder / "manifest.yaml").write_text(f"documents: &d\n  - file: {SEED_A}\n    title: *d\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="an alias that contains itself"):
        analysis.read_corpus(folder)


def test_yaml_small_aliases_still_work(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "manifest.yaml").write_text(
        "edm: &edm {value: Jamestown Foundation, provenance: manifest, evidence: brief}\n"
        f"documents:\n  - file: {SEED_A}\n    source: *edm\n  - file: {SEED_B}\n    source: *edm\n", encoding="utf-8")
    corpus, _ = load(folder, keep_duplicates=True)
    assert set(corpus.docs["source"]) == {"Jamestown Foundation"}


def test_semicolon_manifest_gets_a_delimiter_hint(tmp_path):
    folder = corpus_dir(tmp_path, SEED_A, SEED_B)
    (folder / "manifest.csv").write_text(f"file;source\n{SEED_A};Jamestown\n{SEED_B};OpsLens\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="separated by semicolons, not commas") as info:
        analysis.read_corpus(folder)
    assert "manifest.csv" in str(info.value)
