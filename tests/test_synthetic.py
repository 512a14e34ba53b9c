"""The synthetic corpus generator (benchmarks/synthetic.py): deterministic, and read back as intended."""
import importlib.util
import os
import re
import subprocess
import sys

import pandas as pd
import pytest

import analysis
from conftest import ROOT

MB = 0.3


def _load_generator():
    """benchmarks/ is not a package: load the script by path (registered, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location("benchmarks_synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synthetic = _load_generator()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    truth = synthetic.generate_corpus(folder, MB, seed=7)
    corpus = analysis.read_corpus(folder, manifest=False, errors="ignore")
    return folder, truth, corpus


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_arguments_give_identical_bytes(generated, tmp_path):
    folder, truth, _ = generated
    again = synthetic.generate_corpus(tmp_path / "again", MB, seed=7)
    assert _files(tmp_path / "again") == _files(folder)
    pd.testing.assert_frame_equal(again, truth)
    other = synthetic.generate_corpus(tmp_path / "other", MB, seed=8)
    assert set(other["title"]) != set(truth["title"])


def test_truth_file_is_hidden_and_complete(generated):
    folder, truth, _ = generated
    assert (folder / synthetic.TRUTH_NAME).is_file() and synthetic.TRUTH_NAME.startswith(".")
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == sorted(truth["file"])
    pd.testing.assert_frame_equal(synthetic.read_truth(folder), truth, check_dtype=False)
    assert list(truth.columns) == synthetic.TRUTH_COLUMNS
    assert truth["source"].nunique() >= 8
    assert truth["date"].dt.year.between(2020, 2024).all() and truth["date"].dt.year.nunique() >= 4
    assert truth["layout"].nunique() == 5
    assert truth["n_sentences"].between(8, 40).all()


def test_every_file_is_loaded_with_its_metadata(generated):
    _, truth, corpus = generated
    assert not (corpus.problems["severity"] == "skipped").any()
    assert set(corpus.problems["problem"]) <= {"bom", "line_ends"}   # the planted noise, as notes
    docs = corpus.docs.merge(truth, on="doc_id", suffixes=("", "_truth"), validate="one_to_one")
    assert len(docs) == len(truth)
    assert (docs["source"] == docs["source_truth"]).mean() >= 0.99
    assert (docs["date"] == docs["date_truth"]).mean() >= 0.99
    assert (docs["title"] == docs["title_truth"]).mean() >= 0.99
    assert (docs["text"].str.len() == docs["n_chars"]).mean() >= 0.99
    assert (docs["n_sentences"] == docs["n_sentences_truth"]).mean() >= 0.95


def test_clean_text_size(generated):
    _, truth, corpus = generated
    chars = corpus.docs["text"].str.len().sum()
    assert abs(chars - MB * 1e6) <= 0.05 * MB * 1e6
    assert truth["n_chars"].sum() == chars


def test_no_template_boilerplate_in_the_text(generated):
    folder, _, corpus = generated
    text = "\n".join(corpus.docs["text"])
    for line in ["Any use of materials is allowed only if there is a hyperlink to", "©", "All rights reserved",
                 "share-lineLiked the story?", "Analytical materials of te authors", "WHAT ARE YOU LOOKING FOR",
                 "Top stories", "Partner news", "Source link", "please click here", "Image by", "(Source:",
                 "Publication:", "Volume:", "By: ", "Views:", "Ссылка скопирована"]:
        assert line not in text, line
    names = [o.domain for o in synthetic.OUTLETS if o.domain] + [o.signature for o in synthetic.OUTLETS if o.signature]
    for name in names:
        assert not re.search(rf"(?m)^{re.escape(name)}\b", text), name
    for name in ("twitter", "youtube", "apple store", "play market", "loading", "print", "copy link", "A+", "A-",
                 "---"):
        assert not re.search(rf"(?m)^{re.escape(name)}$", text), name


def test_sentences_are_distinct(generated):
    _, truth, corpus = generated
    sentences = corpus.sentences["text"]
    assert sentences.nunique() / len(sentences) >= 0.9
    assert truth.attrs["distinct_sentence_share"] >= 0.9


def test_planted_reuse_is_listed(tmp_path, monkeypatch):
    # reuse is planted at random (3% of documents); a small corpus needs a higher share to hold some whatever
    # the gazetteer-drawn wording does to the random stream
    monkeypatch.setattr(synthetic, "REUSE_SHARE", 0.3)
    folder = tmp_path / "corpus"
    truth = synthetic.generate_corpus(folder, 0.15, seed=7)
    corpus = analysis.read_corpus(folder, manifest=False, errors="ignore")
    derived = truth[truth["reuses"] != ""]
    assert len(derived) >= 5
    by_id = truth.set_index("doc_id")
    sentences = corpus.sentences.groupby("doc_id")["text"].apply(set)
    for row in derived.itertuples():
        source = by_id.loc[row.reuses]
        assert source["source"] != row.source and source["date"] <= row.date
        assert 3 <= row.n_sentences_copied <= 8 and 0 <= row.n_words_changed <= 2
        shared = len(sentences[row.doc_id] & sentences[row.reuses])
        assert shared >= row.n_sentences_copied - row.n_words_changed


def test_refuses_a_folder_with_other_files(tmp_path):
    (tmp_path / "mine.txt").write_text("not generated", encoding="utf-8")
    with pytest.raises(FileExistsError):
        synthetic.generate_corpus(tmp_path, 0.01)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "not generated"


def test_independent_of_hash_randomisation(tmp_path):
    for hash_seed in ("1", "2"):
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synthetic.py"), str(tmp_path / hash_seed),
                        "--mb", "0.05"], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": hash_seed})
    assert _files(tmp_path / "1") == _files(tmp_path / "2")
