"""Wall time of the whole report build against its floor.

Run: .venv/bin/python benchmarks/reports.py [--jobs N]

Floor = (number of notebook runs) x (time to execute, under papermill, a notebook
that only imports the libraries the reports use) / (worker processes). It is
what the build would cost if the analyses themselves were free. Prints both
times and their ratio (the issue's target: within 1.5x).
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

from analysis.report.reporting import known_sources
from analysis.run.runner import plan, run_reports

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = """import pandas as pd

import analysis
from analysis.report import plotting
from analysis.report.plotting import save_figure, source_colors, use_style
from analysis.report.reporting import known_sources, save_table, select_source, slug"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--repeat", type=int, default=7, help="runs of the import-only notebook (median taken)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell('source = "all"')
        params.metadata["tags"] = ["parameters"]
        nb.cells = [params, nbformat.v4.new_code_cell(IMPORTS)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, tmp / "imports_only.ipynb")
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            pm.execute_notebook(str(tmp / "imports_only.ipynb"), str(tmp / "out.ipynb"), kernel_name="python3",
                                progress_bar=False, cwd=str(ROOT / "notebooks"))
            times.append(time.perf_counter() - start)
        per_run = statistics.median(times)

        import analysis
        sources = known_sources(analysis.load_corpus(ROOT / "seeds"))
        runs = len(plan(sources))
        floor = runs * per_run / args.jobs
        start = time.perf_counter()
        outcomes = run_reports(ROOT / "seeds", notebooks_dir=ROOT / "notebooks", reports_dir=tmp / "reports",
                               figures_dir=tmp / "figures", jobs=args.jobs, progress=lambda line: None)
        actual = time.perf_counter() - start
    failed = sum(not o.ok for o in outcomes)
    print(f"notebook runs: {runs} ({failed} failed), workers: {args.jobs}")
    print(f"import-only notebook under papermill: {per_run:.2f} s (median of {args.repeat}; min {min(times):.2f}, max {max(times):.2f})")
    print(f"floor = {runs} x {per_run:.2f} s / {args.jobs} = {floor:.1f} s")
    print(f"make reports (run_reports): {actual:.1f} s")
    print(f"ratio to floor: {actual / floor:.2f}x")


if __name__ == "__main__":
    main()
