"""Faults and hostile input, the text side (issue 16): encodings, blank files, one input's scale, deep HTML.

Each case is built in ``tmp_path`` beside a copy of a seed article and checks that the message names the
file and says what happened, that the seed still loads, and that a loaded document's ``raw`` column is the
file's whole decoded text.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import analysis

from conftest import SEEDS
from test_bad_input import load, only_problem, problems_for  # the bad-input suite's readers of problems

SEED = "001_51913676188bf265.txt"
SEED_ID = SEED[:-4]

TITLE = "Talks resume between Baku and Yerevan"
TEXT = (f"{TITLE}\n\n"
        "Armenia and Azerbaijan resumed talks on Monday about the peace treaty in Washington, officials said.\n\n"
        "The ministers met for five hours and agreed to meet again next month to discuss the border.\n")
RU_TITLE = "Переговоры Баку и Еревана возобновились"
RU_UTF8 = (f"{RU_TITLE}\n\n"
           "Министры встретились на пять часов и договорились снова встретиться в следующем месяце.\n\n"
           "Они обсудят границы, транспорт и возвращение пленных до конца года в Вашингтоне.\n\n")
RU_CP1251 = ("Нагорный Карабах остаётся одной из самых сложных проблем Южного Кавказа после войны.\n\n"
             "Армения и Азербайджан продолжают переговоры о мирном договоре при посредничестве Москвы.\n")


def corpus_dir(tmp_path: Path, files: dict[str, bytes], manifest: str | None = None) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEEDS / SEED, folder / SEED)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    if manifest is not None:
        (folder / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return folder


def doc(corpus: analysis.Corpus, file: str) -> pd.Series:
    rows = corpus.docs[corpus.docs["file"] == file]
    assert len(rows) == 1, f"{file} not loaded; docs: {corpus.docs['file'].tolist()}"
    return rows.iloc[0]


def seed_loaded(corpus: analysis.Corpus) -> bool:
    return SEED_ID in set(corpus.docs["doc_id"])


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding, label", [
    ("utf-16-le", "UTF-16 (little-endian)"), ("utf-16-be", "UTF-16 (big-endian)"),
    ("utf-32-le", "UTF-32 (little-endian)"), ("utf-32-be", "UTF-32 (big-endian)"),
])
def test_utf16_and_utf32_without_bom_are_read_by_their_nul_pattern(tmp_path, encoding, label):
    for text in (TEXT, RU_UTF8):  # Latin text (NUL in every high byte) and Cyrillic (NULs only at spaces)
        folder = tmp_path / encoding / str(len(text))
        folder.mkdir(parents=True)
        folder = corpus_dir(folder, {"wide.txt": text.encode(encoding)})
        corpus, _ = load(folder)
        problem = only_problem(corpus, "wide.txt")
        assert problem["severity"] == "note" and problem["problem"] == "no_bom"
        assert f"read as {label} without a byte-order mark" in problem["message"]
        assert doc(corpus, "wide.txt")["raw"] == text
        assert doc(corpus, "wide.txt")["encoding"] == encoding
        assert seed_loaded(corpus)


@pytest.mark.parametrize("encoding, label", [("utf-32", "UTF-32 (little-endian) byte-order mark"),
                                             ("utf-16", "UTF-16 (little-endian) byte-order mark")])
def test_utf32_and_utf16_with_bom(tmp_path, encoding, label):
    folder = corpus_dir(tmp_path, {"bom.txt": TEXT.encode(encoding)})
    corpus, _ = load(folder)
    problem = only_problem(corpus, "bom.txt")  # (no NUL warning: UTF-32 is not read as UTF-16)
    assert problem["message"] == f"{label} removed before reading"
    assert doc(corpus, "bom.txt")["raw"] == TEXT
    assert doc(corpus, "bom.txt")["title"] == TITLE
    assert seed_loaded(corpus)


def test_manifest_encoding_is_honoured_before_the_binary_test(tmp_path):
    data = TEXT.encode("utf-16-le")
    manifest = (f"documents:\n  - file: wide.txt\n    encoding: utf-16-le\n"
                f"  - file: {SEED}\n  - file: latin.txt\n    encoding: cp1252\n")
    latin = ("Café talks in Stepanakert\n\nThe café in Stepanakert was full of naïve optimism after the ceasefire "
             "was announced on the radio, residents said.\n")
    folder = corpus_dir(tmp_path, {"wide.txt": data, "latin.txt": latin.encode("cp1252")}, manifest)
    corpus, _ = load(folder)
    assert problems_for(corpus, "wide.txt").empty  # the manifest's word: no guess to report
    assert doc(corpus, "wide.txt")["raw"] == TEXT and doc(corpus, "wide.txt")["encoding"] == "utf-16-le"
    assert doc(corpus, "latin.txt")["raw"] == latin
    assert seed_loaded(corpus)


def test_manifest_encoding_that_does_not_fit_names_the_file_and_the_manifest(tmp_path):
    manifest = f"documents:\n  - file: wide.txt\n    encoding: utf-8\n  - file: {SEED}\n"
    folder = corpus_dir(tmp_path, {"wide.txt": TEXT.encode("utf-16")}, manifest)
    corpus, warned = load(folder)
    problem = only_problem(corpus, "wide.txt")
    assert problem["severity"] == "skipped"
    assert "cannot be decoded as utf-8 (the encoding the manifest gives)" in problem["message"]
    assert any(w.startswith("wide.txt: cannot be decoded as utf-8") for w in warned)
    assert seed_loaded(corpus)


def test_binary_message_hints_at_utf16(tmp_path):
    folder = corpus_dir(tmp_path, {"noise.txt": bytes(range(32)) * 50})
    corpus, _ = load(folder)
    message = only_problem(corpus, "noise.txt")["message"]
    assert message.startswith("binary file: ") and "UTF-16 or UTF-32, give its encoding in the manifest" in message
    assert seed_loaded(corpus)


def test_utf8_file_with_cp1251_paragraphs_is_decoded_line_by_line(tmp_path):
    data = RU_UTF8.encode("utf-8") + RU_CP1251.encode("cp1251")
    folder = corpus_dir(tmp_path, {"mixed.txt": data})
    corpus, warned = load(folder)
    problem = only_problem(corpus, "mixed.txt")
    assert problem["severity"] == "warning" and problem["problem"] == "mixed_encoding"
    assert "only part of the file is in another encoding" in problem["message"]
    assert "2 of its 10 lines (lines 7, 9) are not valid UTF-8 and were decoded as cp1251" in problem["message"]
    assert any(w.startswith("mixed.txt: mixed encodings") for w in warned)
    row = doc(corpus, "mixed.txt")
    assert row["raw"] == RU_UTF8 + RU_CP1251  # both parts as written, no mojibake
    assert row["title"] == RU_TITLE
    assert "Министры встретились" in row["text"] and "Нагорный Карабах" in row["text"]
    assert seed_loaded(corpus)


def test_a_file_in_one_other_encoding_is_still_read_as_a_whole(tmp_path):
    folder = corpus_dir(tmp_path, {"ru.txt": (RU_UTF8 + RU_CP1251).encode("cp1251")})
    corpus, _ = load(folder)
    problem = only_problem(corpus, "ru.txt")
    assert problem["problem"] == "not_utf8" and "decoded as cp1251" in problem["message"]
    assert doc(corpus, "ru.txt")["raw"] == RU_UTF8 + RU_CP1251


@pytest.mark.parametrize("data", [b"   \n\n  \t \n\r\n   \n", "\u00a0 \u3000\n".encode(), b"\xef\xbb\xbf \n\n"])
def test_blank_file_is_reported_as_blank(tmp_path, data):
    folder = corpus_dir(tmp_path, {"blank.txt": data})
    corpus, warned = load(folder)
    rows = problems_for(corpus, "blank.txt")
    skipped = rows[rows["severity"] == "skipped"].iloc[0]
    assert skipped["problem"] == "blank"
    assert skipped["message"].startswith("the file is blank")
    assert not rows["message"].str.contains("boilerplate").any()
    assert any(w.startswith("blank.txt: the file is blank") for w in warned)
    assert seed_loaded(corpus)


# --------------------------------------------------------------------------- scale of one input

@pytest.mark.slow  # (10-25 s: 100,000 lines through the whole reader)
def test_100000_short_lines_are_read_in_linear_time_and_kept(tmp_path):
    # distinct headline-like lines of uneven length (not a hard-wrapped text): before, each was removed as
    # another article's headline and the file was dropped as boilerplate
    words = ["Peace", "Talks", "Resume", "Between", "Baku", "Yerevan", "Ministers", "Border", "Corridor", "Army"]
    lines = ["News: " + " ".join(words[int(d)] for d in str(i)) for i in range(100_000)]
    raw = "\n".join(lines) + "\n"
    folder = corpus_dir(tmp_path, {"lines.txt": raw.encode()})
    corpus, _ = load(folder)
    row = doc(corpus, "lines.txt")
    assert row["raw"] == raw
    assert row["title"] == lines[0]
    assert row["text"].split() == raw.split()[len(lines[0].split()):]  # every other line is in the body
    problem = only_problem(corpus, "lines.txt")
    assert problem["problem"] == "short_lines_only" and "line 1 as the title" in problem["message"]
    assert seed_loaded(corpus)


def test_50_mb_single_line_is_refused_naming_the_limit(tmp_path):
    folder = corpus_dir(tmp_path, {})
    with open(folder / "one_line.txt", "wb") as out:
        chunk = b"word " * 200_000  # 1 MB
        for _ in range(50):
            out.write(chunk)
    corpus, warned = load(folder)
    problem = only_problem(corpus, "one_line.txt")
    assert problem["problem"] == "too_large"
    assert problem["message"] == ("file is 50 MB, over the 20 MB limit for one document; skipped "
                                  "(split it into articles, or raise max_file_mb)")
    assert any(w.startswith("one_line.txt: file is 50 MB") for w in warned)
    assert seed_loaded(corpus)


def test_100000_word_sentence_and_1_mb_token_are_kept(tmp_path):
    sentence = f"{TITLE}\n\n" + " ".join(["word"] * 100_000) + ".\n"
    token = TEXT + "\n" + "x" * 1_000_000 + "\n"
    folder = corpus_dir(tmp_path, {"sentence.txt": sentence.encode(), "token.txt": token.encode()})
    corpus, _ = load(folder)
    assert doc(corpus, "sentence.txt")["raw"] == sentence
    assert doc(corpus, "sentence.txt")["text"].count("word") == 100_000
    assert doc(corpus, "token.txt")["raw"] == token
    # the token is no prose: left out of the body as the page's other text, said in the audit, kept in raw
    audit = corpus.lines[(corpus.lines["file"] == "token.txt") & (corpus.lines["line_no"] == 7)].iloc[0]
    assert audit["reason"] == "outside_main_text" and audit["raw_end"] - audit["raw_start"] == 1_000_000
    assert doc(corpus, "token.txt")["text"].startswith("Armenia and Azerbaijan resumed talks")
    assert seed_loaded(corpus)


# --------------------------------------------------------------------------- HTML nesting

def _nested_page(depth: int) -> bytes:
    body = "<p>" + " ".join(["Armenia and Azerbaijan resumed talks on Monday about the peace treaty."] * 5) + "</p>"
    return ("<html><head><title>Deep</title></head><body>" + "<div>" * depth + body + "</div>" * depth
            + "</body></html>").encode()


def test_html_nested_deeper_than_libxml2_reads_names_the_limit(tmp_path):
    folder = corpus_dir(tmp_path, {"deep.html": _nested_page(300), "shallow.html": _nested_page(200)})
    corpus, warned = load(folder)
    problem = only_problem(corpus, "deep.html")
    assert problem["severity"] == "skipped" and problem["problem"] == "too_deep"
    assert "nested deeper than 256 elements, libxml2's limit" in problem["message"]
    assert "no main text" not in problem["message"]
    assert any(w.startswith("deep.html: HTML page nested deeper than 256") for w in warned)
    assert "Armenia and Azerbaijan resumed talks" in doc(corpus, "shallow.html")["text"]
    assert seed_loaded(corpus)
