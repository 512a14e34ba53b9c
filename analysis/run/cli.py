"""Command line: ``python -m analysis summary --corpus seeds`` (also ``conflict-framing summary``)."""
from __future__ import annotations

import argparse
import sys
import warnings

import pandas as pd

from ..corpus.loading import read_corpus
from ..errors import CorpusError, CorpusWarning
from ..report.summary import removal_summary, source_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conflict-framing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="print what is in a corpus and what cleaning removed")
    summary.add_argument("--corpus", default="seeds", help="folder of .txt/.html articles (default: seeds)")
    summary.add_argument("--no-manifest", action="store_true", help="ignore the folder's manifest")
    summary.add_argument("--group", default="source",
                         help="count documents per value of this column (default: source, i.e. per outlet)")
    reports = commands.add_parser("reports", help="execute every report notebook (papermill) and render the site")
    reports.add_argument("--corpus", default="seeds", help="folder of .txt/.html articles (default: seeds)")
    reports.add_argument("--notebooks", default="notebooks", help="folder of the report notebooks")
    reports.add_argument("--reports", default="reports", help="output folder for notebooks, HTML, tables, index")
    reports.add_argument("--figures", default="figures", help="output folder for PNG and SVG figures")
    reports.add_argument("--sources", nargs="*",
                         help="per-source reports for these sources (several, or one argument 'A;B'); default: "
                              "every source when there are at most 8, none beyond (the 'all' reports always run)")
    reports.add_argument("--per-source", choices=("auto", "all", "none"), default="auto",
                         help="per-source reports when --sources is not given: auto (up to 8 sources), all, none")
    reports.add_argument("--group", default="source",
                         help="group documents by this column (e.g. side, source_country); the groups play the "
                              "role of outlets in every report (default: source)")
    reports.add_argument("--jobs", type=int, default=None, help="parallel notebook runs (default: CPU cores)")
    reports.add_argument("--top-n", type=int, default=15, help="rows in ranked tables and charts")
    reports.add_argument("--only", nargs="+", metavar="NOTEBOOK",
                         help="run only these notebooks (stems such as 01_corpus_overview); default: all of them")
    run = commands.add_parser("analyse", help="every measure on all cores, cached by content; per-source CSV tables")
    run.add_argument("corpus", help="folder of .txt/.html articles, or (with --dask) a Parquet corpus")
    run.add_argument("--out", default="tables", help="folder for the per-source CSV tables (default: tables)")
    run.add_argument("--cache", default=".cache/conflict-framing", help="cache folder (default: %(default)s)")
    run.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU cores)")
    run.add_argument("--dask", metavar="SCHEDULER", default=None,
                     help="run on a Dask cluster: the scheduler's address (tcp://host:8786) or 'local'")
    parquet = commands.add_parser("to-parquet", help="load and clean a corpus folder into a Parquet corpus for Dask")
    parquet.add_argument("corpus", help="folder of .txt/.html articles")
    parquet.add_argument("out", help="the Parquet dataset to write (a folder)")
    parquet.add_argument("--docs-per-partition", type=int, default=500)
    parquet.add_argument("--cache", default=".cache/conflict-framing", help="cache folder (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.command == "reports":
        return _reports(args)
    if args.command == "analyse":
        return _analyse(args)
    if args.command == "to-parquet":
        return _to_parquet(args)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CorpusWarning)  # printed below, once, as a table
            corpus = read_corpus(args.corpus, manifest=False if args.no_manifest else None)
        per_group = source_summary(corpus, by=args.group)
    except (CorpusError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.max_colwidth", 90,
                           "display.max_rows", None):
        print(f"Corpus '{args.corpus}': {len(corpus.docs)} documents\n")
        print(f"Documents per {args.group}")
        print(per_group.to_string(index=False), end="\n\n")
        print("Documents")
        cols = ["doc_id", "source", "date", "author", "title", "n_sentences", "n_words"]
        print(corpus.docs[cols].to_string(index=False), end="\n\n")
        print("What cleaning removed (lines and characters, by reason and source)")
        print(removal_summary(corpus).to_string(index=False), end="\n\n")
        problems = corpus.problems
        print(f"Problems: {len(problems)}")
        if len(problems):
            print(problems[["file", "severity", "message"]].to_string(index=False))
    return 0


def _analyse(args) -> int:
    from pathlib import Path

    from ..report.reporting import save_table
    try:
        if args.dask:
            from dask.distributed import Client, LocalCluster

            from .distributed import analyse_parquet
            cluster = LocalCluster(n_workers=args.jobs, threads_per_worker=1) if args.dask == "local" else None
            with Client(cluster if cluster is not None else args.dask) as client:
                tables = analyse_parquet(args.corpus, client=client)
            problems = None
        else:
            from .pipeline import analyse
            from .store import CacheWarning
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CorpusWarning)  # printed below, once
                warnings.simplefilter("ignore", CacheWarning)   # printed here, as notes
                result = analyse(args.corpus, cache=args.cache, n_jobs=args.jobs)
            for note in result.stats.get("cache_notes", []):
                print(f"note: {note}")
            tables, problems = {**result.tables, "docs": result.docs}, result.problems
            print(f"{len(result.docs)} documents, {result.stats['text_mb']:.1f} MB of text: "
                  f"{result.stats['documents_computed']} computed, {result.stats['documents_cached']} from the cache")
    except (CorpusError, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        save_table(table, name, out)
    print(f"wrote {len(tables)} tables to {out}/")
    if problems is not None and len(problems):
        print(f"Problems: {len(problems)}")
        print(problems[["file", "severity", "message"]].to_string(index=False))
    return 0


def _to_parquet(args) -> int:
    from .distributed import write_parquet_corpus
    from .pipeline import analyse
    from .store import CacheWarning
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CorpusWarning)
            warnings.simplefilter("ignore", CacheWarning)
            result = analyse(args.corpus, cache=args.cache)
        for note in result.stats.get("cache_notes", []):
            print(f"note: {note}")
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    path = write_parquet_corpus(result.evidence("docs"), args.out, docs_per_partition=args.docs_per_partition)
    print(f"wrote {len(result.docs)} documents to {path}/")
    return 0


def _reports(args) -> int:
    from .runner import NOTEBOOKS, Interrupted, RunError, run_reports
    sources = None
    if args.sources is not None:   # "TASS;Reuters" (make SOURCES=...) or several arguments
        sources = [s.strip() for arg in args.sources for s in arg.split(";") if s.strip()]
    notebooks = NOTEBOOKS
    if args.only:
        stems = [s.strip().removesuffix(".ipynb") for arg in args.only for s in arg.split(";") if s.strip()]
        unknown = [s for s in stems if s not in NOTEBOOKS]
        if unknown:
            print(f"error: unknown notebook(s) {', '.join(map(repr, unknown))} for --only; the notebooks are: "
                  f"{', '.join(NOTEBOOKS)}", file=sys.stderr)
            return 2
        notebooks = {stem: NOTEBOOKS[stem] for stem in NOTEBOOKS if stem in stems}
    try:
        outcomes = run_reports(args.corpus, notebooks_dir=args.notebooks, reports_dir=args.reports,
                               figures_dir=args.figures, sources=sources, jobs=args.jobs, top_n=args.top_n,
                               per_source=args.per_source, group_by=args.group, notebooks=notebooks,
                               progress=lambda line: print(line, flush=True))
    except Interrupted as err:
        print(f"\n{err}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:   # before any notebook started: nothing was written
        print("\ninterrupted before any report was written; the reports on disk are as they were", file=sys.stderr)
        return 130
    except (CorpusError, ValueError, RunError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {err}; the reports already on disk were kept", file=sys.stderr)
        return 2
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
