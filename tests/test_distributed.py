"""The per-document stages on Dask (a LocalCluster of worker processes) give the single-machine numbers."""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.run import distributed, pipeline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster
    with LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as dask_client:
        yield dask_client


def _corpus(tmp_path: Path) -> Path:
    """The seeds three times, each copy's sentences made distinct, as separate files (15 documents)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(3):
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            text = path.read_text(encoding="utf-8").replace(" the ", f" the {['new', 'old', 'other'][i]} ", 2 + i)
            (folder / f"{path.stem}_{i}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("corpus", ["seeds", "copies"])
def test_dask_equals_the_single_machine_pipeline(client, tmp_path, corpus):
    folder = ROOT / "seeds" if corpus == "seeds" else _corpus(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = pipeline.analyse(folder, cache=tmp_path / "cache", n_jobs=1)
    parquet = distributed.write_parquet_corpus(local.evidence("docs"), tmp_path / "corpus.parquet",
                                               docs_per_partition=2)
    assert len(list(parquet.glob("*.parquet"))) == -(-len(local.docs) // 2)  # several partitions
    tables = distributed.analyse_parquet(parquet, client=client)
    assert set(client.scheduler_info()["workers"]) and len(client.scheduler_info()["workers"]) == 3
    for name, table in local.tables.items():
        pd.testing.assert_frame_equal(tables[name].reset_index(drop=True), table.reset_index(drop=True),
                                      check_dtype=False, obj=name)
    assert tables["docs"]["doc_id"].tolist() == local.docs["doc_id"].tolist()
    if corpus == "copies":  # re-use across copies is found across partitions
        assert len(tables["reuse_pairs"]) > 3
