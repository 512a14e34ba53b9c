"""The committed hand codings of benchmarks/framing_accuracy.py hold together: every coded file is on the page list
with one address and one SHA-256, every coding sits in a coded region of its file, and the splits are known."""
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
SPLITS = {"dev", "test", "test2", "test3", "test4", "test5", "test6", "dev7", "test7"}


def read(name):
    return pd.read_csv(DATA / f"framing_{name}.csv", dtype=str, keep_default_na=False)


def test_every_coded_file_is_on_the_page_list_with_its_sha256():
    pages = read("pages")
    assert pages["file"].is_unique and set(pages["split"]) <= SPLITS
    known = dict(zip(pages["file"], pages["sha256"]))
    for name in ("regions", "quotations", "naming", "actors", "naming_coder2", "quotations_coder2"):
        coded = read(name)
        assert set(coded["split"]) <= SPLITS, name
        pairs = coded[["file", "sha256"]].drop_duplicates()
        assert pairs["file"].is_unique, f"{name}: a file coded under two SHA-256s"
        assert all(known.get(f) == sha for f, sha in pairs.itertuples(index=False)), name
    # a page with an address can be rebuilt from the search tool's pages corpus
    assert (pages["url"].str.startswith("http") | (pages["url"] == "")).all()
    assert (pages.loc[pages["split"].isin({"dev", "test3", "test4", "test5", "test6", "dev7", "test7"}), "url"] != "").all()


def test_codings_lie_inside_their_regions():
    regions = read("regions")
    regions[["start", "end"]] = regions[["start", "end"]].astype(int)
    for name, task in (("quotations", "quotations"), ("naming", "naming"), ("actors", "actors")):
        coded = read(name)
        coded[["start", "end"]] = coded[["start", "end"]].astype(int)
        merged = coded.merge(regions[regions["task"] == task], on="file", suffixes=("", "_region"))
        inside = (merged["start_region"] <= merged["start"]) & (merged["end"] <= merged["end_region"])
        per_row = inside.groupby([merged["file"], merged["start"], merged["end"]]).any()
        assert per_row.all(), f"{name}: {per_row[~per_row].index[:3].tolist()} outside every region"
        assert (coded["start"] < coded["end"]).all(), name
