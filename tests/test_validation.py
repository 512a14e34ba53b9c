"""Manual-coding validation: sampling, sheets, reading codings, Krippendorff's alpha, precision/recall/F1."""
import csv
import re
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import analysis
from analysis import CorpusError
from analysis.framing import validation
from analysis.framing import validation as v

DATA = Path(__file__).resolve().parents[1] / "analysis" / "data"
GENERIC = ["responsibility", "human_interest", "conflict", "morality", "economic"]

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability, section C: 4 observers x 12 units
N = np.nan
FOUR_OBSERVERS = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
])
# the same paper's two observers, binary data
TWO_OBSERVERS = np.array([
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
])


def as_codings(matrix, variable="v", labels=None):
    """A reliability matrix (rows = coders, columns = units, NaN = missing) as a read_codings-shaped table."""
    rows = []
    for i, coder in enumerate("ABCD"[:matrix.shape[0]]):
        for j, value in enumerate(matrix[i]):
            value = None if np.isnan(value) else (labels[int(value)] if labels else str(int(value)))
            rows.append({"coder": coder, "unit_id": f"u{j + 1}", "doc_id": "d", "source": "s", "sentence_id": j + 1,
                         "text": "", "variable": variable, "value": value})
    table = pd.DataFrame(rows)
    table["value"] = table["value"].astype("string")
    return table


def hand_alpha(matrix):
    """Nominal alpha from the coincidence matrix (Krippendorff 2011, section C), written out independently."""
    values = sorted({x for x in matrix.ravel() if not np.isnan(x)})
    index = {x: i for i, x in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in matrix.T:
        present = [x for x in unit if not np.isnan(x)]
        m = len(present)
        if m < 2:
            continue
        for a in range(m):
            for b in range(m):
                if a != b:
                    o[index[present[a]], index[present[b]]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    off = ~np.eye(len(values), dtype=bool)
    return 1 - (n - 1) * o[off].sum() / np.outer(n_c, n_c)[off].sum()


@pytest.mark.parametrize("matrix, published, n_units, n_pairable", [
    (FOUR_OBSERVERS, 0.743, 11, 40),
    (TWO_OBSERVERS, 0.095, 10, 20),
])
def test_alpha_reproduces_krippendorffs_worked_examples(matrix, published, n_units, n_pairable):
    result = v.agreement(as_codings(matrix), n_boot=300, seed=1).iloc[0]
    package = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert round(result["alpha"], 3) == published
    assert abs(result["alpha"] - package) < 1e-12
    assert abs(result["alpha"] - hand_alpha(matrix)) < 1e-12
    assert (result["n_units"], result["n_pairable"], result["n_coders"]) == (n_units, n_pairable, len(matrix))
    assert result["ci_low"] <= result["alpha"] <= result["ci_high"] and result["ci_low"] < result["ci_high"]
    assert result["reason"] == ""
    # seeded: the same seed gives the same interval, another seed another
    again = v.agreement(as_codings(matrix), n_boot=300, seed=1).iloc[0]
    other = v.agreement(as_codings(matrix), n_boot=300, seed=2).iloc[0]
    assert (again["ci_low"], again["ci_high"]) == (result["ci_low"], result["ci_high"])
    assert (other["ci_low"], other["ci_high"]) != (result["ci_low"], result["ci_high"])


def test_alpha_details_labels_and_undefined_cases():
    exact = v.agreement(as_codings(FOUR_OBSERVERS), n_boot=0).iloc[0]
    assert abs(exact["alpha"] - 0.7434210526315789) < 1e-12 and np.isnan(exact["ci_low"])
    binary = v.agreement(as_codings(TWO_OBSERVERS), n_boot=0).iloc[0]
    assert binary["observed_agreement"] == pytest.approx(6 / 10)  # units 2, 4, 5, 7, 8, 10 agree
    # text labels are nominal values like any other
    labels = v.agreement(as_codings(FOUR_OBSERVERS, labels=["", "armenian", "common", "x", "y", "z"]), n_boot=0)
    assert labels["alpha"].iloc[0] == pytest.approx(exact["alpha"], abs=1e-12)

    one_coder = as_codings(FOUR_OBSERVERS[:1], variable="solo")
    same = as_codings(np.array([[1, 1, 1], [1, 1, N]]), variable="flat")
    result = v.agreement(pd.concat([one_coder, same]), n_boot=50).set_index("variable")
    assert np.isnan(result.loc["solo", "alpha"]) and result.loc["solo", "reason"] == "fewer than 2 coders"
    assert np.isnan(result.loc["flat", "alpha"]) and result.loc["flat", "reason"].startswith("no variation")
    assert result.loc["flat", "observed_agreement"] == 1.0 and result.loc["flat", "n_units"] == 2


# -------------------------------------------------------------------------------------------------------------


def codings_table(rows):
    table = pd.DataFrame(rows, columns=["coder", "unit_id", "variable", "value"])
    split = table["unit_id"].str.split(":", expand=True)
    table["doc_id"], table["sentence_id"] = split[0], split[1].astype(int)
    table["source"], table["text"] = "S", "sentence " + table["unit_id"]
    table["value"] = table["value"].astype("string")
    return table[v.CODING_COLUMNS]


CONFLICT = {  # unit: (coder a, b, c); None = blank
    "d:1": ("1", "1", "0"),   # majority 1, matched     -> tp
    "d:2": ("1", "1", "1"),   # 1, no match             -> fn
    "d:3": ("0", "0", "1"),   # 0, matched              -> fp
    "d:4": ("0", "0", "0"),   # 0, no match             -> tn
    "d:5": ("1", "0", None),  # tie                     -> dropped, n_ties
    "d:6": ("1", None, None),  # one coder: 1, matched  -> tp
    "d:7": ("0", "0", None),  # 0, no match             -> tn
    "d:8": ("1", "yes", "1"),  # 1, no match            -> fn
}
NAMING = {  # unit: (coders' values, measure's value; None = unit absent from the measure)
    "d:1": (("armenian", "Armenian ", "common"), "armenian"),
    "d:2": (("azerbaijani", "azerbaijani"), "international"),
    "d:3": (("international",), "international"),
    "d:4": (("armenian; common", "common;armenian"), "Common; Armenian"),
    "d:5": (("azerbaijani", "azerbaijani"), None),
}


def crafted():
    rows = []
    for unit, values in CONFLICT.items():
        rows += [(c, unit, "conflict", x) for c, x in zip("abc", values)]
    for unit, (values, _) in NAMING.items():
        rows += [(c, unit, "naming_convention", x) for c, x in zip("abc", values)]
    codings = codings_table(rows)
    matches = pd.DataFrame([  # frame_matches rows
        ("d", "S", 1, "conflict", "generic", "clash*", "clashes"),
        ("d", "S", 1, "conflict", "generic", "dispute*", "dispute"),
        ("d", "S", 3, "conflict", "generic", "rival*", "rival"),
        ("d", "S", 5, "conflict", "generic", "clash*", "clash"),
        ("d", "S", 6, "conflict", "generic", "tension*", "Tensions"),
        ("d", "S", 2, "economic", "generic", "econom*", "economy"),
    ], columns=["doc_id", "source", "sentence_id", "frame", "frame_type", "term", "match"])
    naming = pd.DataFrame([{"unit_id": u, "variable": "naming_convention", "value": m}
                           for u, (_, m) in NAMING.items() if m is not None])
    return codings, matches, naming


def test_validate_against_hand_computed_precision_recall_f1():
    codings, matches, naming = crafted()
    scores = v.validate(codings, matches)
    assert list(scores.columns) == v.SCORE_COLUMNS
    assert scores["variable"].tolist() == ["conflict"]  # the matches say nothing about naming
    row = scores.iloc[0]
    tp, fp, fn, tn = 2, 1, 2, 2  # tp: d:1 d:6; fp: d:3; fn: d:2 d:8; tn: d:4 d:7; d:5 a tie
    assert (row["tp"], row["fp"], row["fn"], row["tn"]) == (tp, fp, fn, tn)
    assert (row["n_units"], row["n_ties"], row["n_positive_coders"], row["n_positive_measure"]) == (7, 1, 4, 3)
    assert row["precision"] == pytest.approx(2 / 3)
    assert row["recall"] == pytest.approx(2 / 4)
    assert row["f1"] == pytest.approx(4 / 7)  # 2 * (2/3 * 1/2) / (2/3 + 1/2)

    # another name for the coded variable, mapped onto the dictionary's frame
    renamed = codings.assign(variable=codings["variable"].replace("conflict", "conflict_frame"))
    mapped = v.validate(renamed, matches, variable_map={"conflict_frame": "conflict"}).iloc[0]
    assert (mapped["variable"], mapped["tp"], mapped["fp"], mapped["fn"]) == ("conflict_frame", 2, 1, 2)

    # a label variable from a generic tidy measure: per class, one-vs-rest
    labels = v.validate(codings, naming).set_index("value")
    assert set(labels["variable"]) == {"naming_convention"}
    expected = {  # class: tp, fp, fn, precision, recall, f1
        "armenian": (1, 0, 0, 1.0, 1.0, 1.0),               # d:1
        "azerbaijani": (0, 0, 2, np.nan, 0.0, np.nan),      # d:2 said international, d:5 no prediction
        "international": (1, 1, 0, 0.5, 1.0, 2 / 3),        # d:3 right, d:2 wrong
        "armenian;common": (1, 0, 0, 1.0, 1.0, 1.0),        # d:4, compared as a set of labels
    }
    assert set(labels.index) == set(expected)
    for cls, (tp, fp, fn, precision, recall, f1) in expected.items():
        got = labels.loc[cls]
        assert (got["tp"], got["fp"], got["fn"], got["n_units"]) == (tp, fp, fn, 5), cls
        np.testing.assert_allclose([got["precision"], got["recall"], got["f1"]], [precision, recall, f1])


def test_disagreements_list_the_units_to_read():
    codings, matches, naming = crafted()
    wrong = v.validation_disagreements(codings, matches)
    assert list(wrong.columns) == v.DISAGREEMENT_COLUMNS
    assert wrong[["unit_id", "kind"]].values.tolist() == [
        ["d:2", "false negative"], ["d:3", "false positive"], ["d:8", "false negative"]]
    d3 = wrong.set_index("unit_id").loc["d:3"]
    assert (d3["majority"], d3["measure"], d3["terms"], d3["coders"]) == ("0", "1", "rival [rival*]", "a=0; b=0; c=1")
    assert wrong.set_index("unit_id").loc["d:2", "terms"] == ""  # an economic match is not conflict evidence
    assert d3["text"] == "sentence d:3"
    labels = v.validation_disagreements(codings, naming)
    assert labels[["unit_id", "majority", "measure"]].values.tolist() == [
        ["d:2", "azerbaijani", "international"], ["d:5", "azerbaijani", ""]]
    assert set(labels["kind"]) == {"different label"}


def test_label_measure_from_quotations(seed_docs, seed_sentences):
    import analysis
    spans = analysis.quoted_spans(seed_docs, sents=seed_sentences)
    quotes = spans[spans["kind"] == "quotation"]
    measure = v.label_measure(quotes, "speaker_actor", "speaker", sents=seed_sentences, evidence="speaker")
    assert measure["unit_id"].is_unique and len(measure) == len(seed_sentences)
    quoted = quotes.dropna(subset=["speaker_actor"])
    first = quoted.iloc[0]
    row = measure.set_index("unit_id").loc[f"{first['doc_id']}:{first['sentence_id']}"]
    assert first["speaker_actor"] in row["value"].split(";") and first["speaker"] in row["terms"]
    unquoted = set(v.unit_ids(seed_sentences)) - set(v.unit_ids(quoted))
    assert set(measure.set_index("unit_id").loc[sorted(unquoted), "value"]) == {"none"}


# -------------------------------------------------------------------------------------------------------------


def test_allocation_rule():
    sizes = {"a": 27, "b": 71, "c": 25, "d": 13}
    alloc = v.allocate(sizes, 20)
    assert alloc == {"a": 4, "b": 10, "c": 4, "d": 2}
    assert v.allocate({"big": 1000, "tiny": 1}, 10) == {"big": 9, "tiny": 1}  # at least one per group
    assert v.allocate(sizes, 500) == sizes
    few = v.allocate(sizes, 3, np.random.default_rng(0))
    assert sum(few.values()) == 3 and set(few.values()) <= {0, 1}


def test_sample_is_stratified_seeded_and_excludes_coded_units(seed_sentences):
    sample = v.coding_sample(seed_sentences, n=30, seed=7)
    assert list(sample.columns) == ["unit_id", "doc_id", "source", "sentence_id", "text", *GENERIC, "coder", "note"]
    assert len(sample) == 30 and sample["unit_id"].is_unique
    assert set(sample["source"]) == set(seed_sentences["source"])  # every outlet present
    assert (sample[GENERIC + ["coder", "note"]] == "").all().all()  # empty, to be filled
    sizes = seed_sentences["source"].value_counts()
    drawn = sample["source"].value_counts()
    for source, size in sizes.items():  # proportional, to within one sentence
        assert abs(drawn[source] - 30 * size / sizes.sum()) < 1 + 1e-9, source
    row = sample.iloc[0]
    original = seed_sentences[(seed_sentences["doc_id"] == row["doc_id"])
                              & (seed_sentences["sentence_id"] == row["sentence_id"])]
    assert row["unit_id"] == f"{row['doc_id']}:{row['sentence_id']}" and original["text"].iloc[0] == row["text"]

    pd.testing.assert_frame_equal(sample, v.coding_sample(seed_sentences, n=30, seed=7))
    assert set(v.coding_sample(seed_sentences, n=30, seed=8)["unit_id"]) != set(sample["unit_id"])
    second = v.coding_sample(seed_sentences, n=30, seed=7, exclude=sample)
    assert not set(second["unit_id"]) & set(sample["unit_id"])
    assert set(v.coding_sample(seed_sentences, n=5, exclude=sample["unit_id"])["unit_id"]).isdisjoint(
        sample["unit_id"])

    more = v.coding_sample(seed_sentences, n=4, frames=["conflict"], variables=("frames", "naming_convention",
                                                                               "speaker"))
    assert list(more.columns)[5:] == ["conflict", "naming_convention", "speaker", "coder", "note"]
    assert len(v.coding_sample(seed_sentences, n=10_000)) == len(seed_sentences)
    with pytest.raises(ValueError, match="not in the frame dictionary"):
        v.coding_sample(seed_sentences, frames=["conflcit"])


def frame_items_from_dictionary():
    """Each generic frame's S&V question item, read from frames.csv here, independently of the package."""
    table = pd.read_csv(DATA / "frames.csv", dtype=str, keep_default_na=False)
    items = {}
    for frame in GENERIC:
        note = next(n for n in table.loc[table["frame"] == frame, "note"] if " item:" in n)
        item = re.split(r" \(|\. ", note.split("item:", 1)[1].strip())[0]
        items[frame] = [part.strip() for part in item.split(";")]
    return items


def lexicons_definitions():
    """Each generic frame's definition text in LEXICONS.md, found here independently of the package: its own
    bullet ("* `conflict`: ...", continuation lines joined) if the file has one, else the generic-frames bullet."""
    bullets, current = [], None
    for line in (DATA / "LEXICONS.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("* "):
            current = [line[2:].strip()]
            bullets.append(current)
        elif current is not None and line.startswith("  ") and line.strip():
            current.append(line.strip())
        else:
            current = None
    bullets = [" ".join(b) for b in bullets]
    generic = next(b for b in bullets if b.startswith("`generic` frames follow Semetko"))
    return {frame: next((b for b in bullets if b.startswith(f"`{frame}`:")), generic) for frame in GENERIC}


def test_round_trip_csv_and_xlsx(seed_sentences, tmp_path):
    sample = v.coding_sample(seed_sentences, n=12, seed=3, variables=("frames", "naming_convention"))
    # sentences can start with "-" (a list item), "=", "+" or "@": they must not become formulas
    tricky = ["- 5 soldiers were wounded, the ministry said.", "=HYPERLINK(\"http://x\")", "+374 is the code.",
              "@Armenpress reported it.", "'=already quoted"]
    sample.loc[:len(tricky) - 1, "text"] = tricky
    csv_path = v.write_coding_sheet(sample, tmp_path / "ann.csv")
    xlsx_path = v.write_coding_sheet(sample, tmp_path / "sheets" / "bob.xlsx")

    raw = csv_path.read_bytes()
    assert b"\r\n" not in raw and raw.decode("utf-8")
    with open(csv_path, newline="", encoding="utf-8") as f:
        cells = list(csv.DictReader(f))
    assert [c["text"] for c in cells[:5]] == ["'" + t for t in tricky]
    book = load_workbook(xlsx_path)
    assert book.sheetnames == ["coding", "instructions"]
    texts = [c.value for c in book["coding"]["E"][1:6]]
    assert texts == ["'" + t for t in tricky] and all(c.data_type == "s" for c in book["coding"]["E"])

    # instructions: each frame's definition from LEXICONS.md and its coding questions, and the coding rule
    instructions_csv = (tmp_path / "ann_instructions.md").read_text(encoding="utf-8")
    instructions_xlsx = "\n".join(str(r[0].value or "") for r in book["instructions"].iter_rows())
    definitions = lexicons_definitions()
    for text in (instructions_csv, instructions_xlsx):
        assert "**1** if the sentence carries the frame" in text and "**blank** if you are unsure" in text
        for frame, definition in definitions.items():
            assert definition.replace("\n- ", "\n• ") in text.replace("\n- ", "\n• "), frame
        for frame, item in frame_items_from_dictionary().items():
            assert f"### `{frame}` (generic frame)" in text and all(part in text for part in item), frame
        assert "## `naming_convention`" in text
        assert "clash*" not in text  # the dictionary's terms are not shown to coders

    # fill the sheets as coders would: CSV by a script, XLSX with numbers in Excel cells
    rng = np.random.default_rng(0)
    filled = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    spellings = {"1": ["1", "yes", "TRUE", "Y"], "0": ["0", "no", "False", "n"], None: [""]}
    expected = {}
    for i in range(len(filled)):
        for frame in GENERIC:
            value = rng.choice(["1", "0", None])
            filled.loc[i, frame] = rng.choice(spellings[value])
            expected[("ann", filled.loc[i, "unit_id"], frame)] = value
        filled.loc[i, "naming_convention"] = ["armenian", "common;armenian", ""][i % 3]
        expected[("ann", filled.loc[i, "unit_id"], "naming_convention")] = ["armenian", "common;armenian", None][i % 3]
    filled.to_csv(csv_path, index=False, lineterminator="\n")
    sheet = book["coding"]
    header = [c.value for c in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        unit = sheet.cell(r, header.index("unit_id") + 1).value
        sheet.cell(r, header.index("coder") + 1).value = "Bob"
        for frame in GENERIC:
            value = int(rng.integers(0, 2))
            sheet.cell(r, header.index(frame) + 1).value = value
            expected[("Bob", unit, frame)] = str(value)
        expected[("Bob", unit, "naming_convention")] = None
    book.save(xlsx_path)

    codings = v.read_codings([csv_path, tmp_path / "sheets"])
    assert list(codings.columns) == v.CODING_COLUMNS
    got = {(c, u, var): (None if pd.isna(x) else x)
           for c, u, var, x in codings[["coder", "unit_id", "variable", "value"]].itertuples(index=False)}
    assert got == expected
    by_unit = codings.drop_duplicates(["coder", "unit_id"]).set_index(["coder", "unit_id"])
    for coder in ("ann", "Bob"):
        back = by_unit.loc[coder].loc[sample["unit_id"]]
        assert back["text"].tolist() == sample["text"].tolist()  # the apostrophes are gone again
        assert back["sentence_id"].tolist() == sample["sentence_id"].tolist()
        assert back["source"].tolist() == sample["source"].tolist()
    # folders of sheets read the same (not recursively); the instructions file beside the CSV is ignored
    assert len(v.read_codings(tmp_path)) == len(codings) / 2
    pd.testing.assert_frame_equal(v.read_codings([tmp_path, tmp_path / "sheets"]), codings)
    assert set(v.agreement(codings, n_boot=20)["variable"]) == set(GENERIC) | {"naming_convention"}


def test_instructions_use_a_frames_own_section(seed_sentences, tmp_path):
    doc = tmp_path / "defs.md"
    doc.write_text("# Frames\n\n## Conflict\n\nThe story shows two sides at odds; count reproach too.\n\n"
                   "## morality\n\nA moral prescription.\n", encoding="utf-8")
    sample = v.coding_sample(seed_sentences, n=3, frames=["conflict", "morality", "economic"])
    v.write_coding_sheet(sample, tmp_path / "s.csv", frames_doc=doc)
    text = (tmp_path / "s_instructions.md").read_text(encoding="utf-8")
    assert "The story shows two sides at odds; count reproach too." in text and "A moral prescription." in text
    definitions = v.frame_definitions(["conflict", "economic"], frames_doc=doc).set_index("frame")
    assert definitions.loc["economic", "definition"] == ""  # no section and no bullet names it
    assert "one party reproaches another" in definitions.loc["conflict", "items"]
    with pytest.raises(CorpusError, match="missing.md"):
        v.frame_definitions(frames_doc=tmp_path / "missing.md")


# -------------------------------------------------------------------------------------------------------------


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_sheets_name_the_file_and_row(tmp_path):
    no_id = write(tmp_path / "noid.csv", "id,text,conflict\n001:1,A sentence.,1\n")
    with pytest.raises(CorpusError, match=r"noid\.csv: no unit_id column"):
        v.read_codings(no_id)

    bad = write(tmp_path / "carol.csv", "unit_id,text,conflict,coder\n001:1,A.,1,\n001:2,B.,maybe,\n")
    with pytest.raises(CorpusError, match=r"carol\.csv, row 3: conflict 'maybe' is not 1, 0 or blank"):
        v.read_codings(bad)

    twice = write(tmp_path / "dan.csv", "unit_id,text,conflict\n001:1,A.,1\n001:2,B.,0\n001:1,A.,0\n")
    with pytest.raises(CorpusError) as err:
        v.read_codings(twice)
    message = str(err.value)
    assert "'dan'" in message and "001:1" in message and "conflict" in message
    assert "dan.csv, row 2: '1'" in message and "dan.csv, row 4: '0'" in message

    # the same coder in two files, with different values
    (tmp_path / "more").mkdir()
    other = write(tmp_path / "more" / "dan2.csv", "unit_id,coder,economic\n001:5,dan,1\n")
    first = write(tmp_path / "dan3.csv", "unit_id,coder,economic\n001:5,dan,no\n")
    with pytest.raises(CorpusError, match=r"dan3\.csv, row 2.*dan2\.csv, row 2|dan2\.csv, row 2.*dan3\.csv, row 2"):
        v.read_codings([first, other])

    no_unit = write(tmp_path / "erin.csv", "unit_id,text,conflict\n001:1,A.,1\n,B.,0\n")
    with pytest.raises(CorpusError, match=r"erin\.csv, row 3: empty unit_id"):
        v.read_codings(no_unit)

    sheet = v.coding_sample(pd.DataFrame({"doc_id": ["001", "001"], "source": "S", "sentence_id": [1, 2],
                                          "text": ["A.", "B."]}), n=2, frames=["conflict"])
    xlsx = v.write_coding_sheet(sheet, tmp_path / "frank.xlsx")
    book = load_workbook(xlsx)
    book["coding"]["F3"] = "2"
    book.save(xlsx)
    with pytest.raises(CorpusError, match=r"frank\.xlsx, row 3: conflict '2'"):
        v.read_codings(xlsx)

    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no coding sheets"):
        v.read_codings(tmp_path / "empty")


def test_repeated_identical_rows_and_free_labels_are_fine(tmp_path):
    sheet = write(tmp_path / "gus.csv", "unit_id,conflict,speaker,note\n001:1,1,Nikol Pashinyan,\n"
                                        "001:1,1,Nikol Pashinyan,again\n001:2,,,\n\n")
    codings = v.read_codings(sheet)
    assert len(codings) == 4 and set(codings["coder"]) == {"gus"}
    assert codings["doc_id"].eq("001").all() and sorted(codings["sentence_id"]) == [1, 1, 2, 2]
    values = dict(zip(zip(codings["unit_id"], codings["variable"]), codings["value"]))
    assert values[("001:1", "speaker")] == "Nikol Pashinyan" and values[("001:1", "conflict")] == "1"
    assert pd.isna(values[("001:2", "conflict")])


# ---------------------------------------------------------------- the worked example, and what reports say

def test_worked_example_covers_the_seeds_and_is_two_coders(seed_sentences):
    codings, origin = validation.find_codings(None, seed_sentences)
    assert "worked example" in origin and "not ground truth" in origin
    who = validation.coders(codings).set_index("coder")
    assert who.loc["A", "n_units"] == len(seed_sentences) == 136 and who.loc["B", "n_units"] == 40
    a = set(codings.loc[codings["coder"] == "A", "unit_id"])
    assert set(codings.loc[codings["coder"] == "B", "unit_id"]) <= a
    alpha = validation.agreement(codings, n_boot=200).set_index("variable")
    assert alpha.loc["conflict", "n_units"] == 40 and alpha.loc["conflict", "n_coders"] == 2
    assert set(alpha.index) == {"conflict", "economic", "human_interest", "morality", "responsibility"}
    # the alpha the report shows is the package's on the same 2 x 40 matrix
    wide = codings[codings["variable"] == "conflict"].pivot(index="coder", columns="unit_id", values="value")
    wide = wide[sorted(set(codings.loc[codings["coder"] == "B", "unit_id"]))].astype(float)
    assert alpha.loc["conflict", "alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=wide.to_numpy(), level_of_measurement="nominal"), abs=1e-12)


def test_codings_of_another_corpus_are_not_scored_against_these_sentences(seed_sentences, tmp_path):
    codings, _ = validation.find_codings(None, seed_sentences)
    moved = codings.copy()
    moved.loc[moved["unit_id"] == "003:2", "text"] = "A different sentence that happens to have the same id."
    kept = validation.codings_for(moved, seed_sentences)
    assert "003:2" not in set(kept["unit_id"]) and len(kept) == len(codings) - (codings["unit_id"] == "003:2").sum()
    other = seed_sentences.assign(text="Nothing like the seeds.")
    empty, origin = validation.find_codings(tmp_path / "absent", other)
    assert empty.empty and origin == ""


def test_own_sheets_come_first_and_a_broken_one_is_an_error(seed_sentences, tmp_path):
    sample = validation.coding_sample(seed_sentences, n=10, seed=3)
    sample[validation.generic_frames()] = "1"
    validation.write_coding_sheet(sample.assign(coder="me"), tmp_path / "me.csv")
    codings, origin = validation.find_codings(tmp_path, seed_sentences)
    assert set(codings["coder"]) == {"me"} and str(tmp_path) in origin
    (tmp_path / "broken.csv").write_text("no,unit,column\n1,2,3\n", encoding="utf-8")
    with pytest.raises(Exception, match="broken.csv"):
        validation.find_codings(tmp_path, seed_sentences)


def test_validation_note_says_validated_or_not_with_the_f1(seed_docs, seed_sentences):
    codings, origin = validation.find_codings(None, seed_sentences)
    scores = validation.validate(codings, analysis.frame_matches(seed_docs, sents=seed_sentences))
    note = validation.validation_note(scores, origin)
    assert "has been validated on this corpus" in note
    for row in scores.itertuples():
        assert f"{row.variable} {row.f1:.2f}" in note
    assert "not been validated" in validation.validation_note(scores.iloc[0:0], "")
    assert "not been validated" in validation.validation_note(scores, "")


def test_an_xlsx_sheet_is_byte_identical_when_written_again(seed_sentences, tmp_path):
    import time
    sample = validation.coding_sample(seed_sentences, n=12, seed=1)
    first = validation.write_coding_sheet(sample, tmp_path / "a.xlsx").read_bytes()
    time.sleep(1.1)   # openpyxl stamps the time of saving (seconds) into the file unless fixed
    assert validation.write_coding_sheet(sample, tmp_path / "b.xlsx").read_bytes() == first


def test_nothing_coded_and_nothing_matched_gives_empty_scores():
    docs = pd.DataFrame({"doc_id": ["a"], "source": ["X"], "text": ["Nothing here names anyone."]})
    sents, _ = analysis.parse(docs)
    matches = analysis.frame_matches(docs, sents=sents)
    codings, origin = validation.find_codings(None, sents)
    assert codings.empty and origin == "" and matches.empty
    assert validation.validate(codings, matches).empty
    assert validation.validation_disagreements(codings, matches).empty
    assert "not been validated" in validation.validation_note(validation.validate(codings, matches), origin)
