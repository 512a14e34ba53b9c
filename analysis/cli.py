"""Command line: ``python -m analysis summary --corpus seeds`` (also ``conflict-framing summary``)."""
from __future__ import annotations

import argparse
import sys
import warnings

import pandas as pd

from .corpus import read_corpus
from .errors import CorpusError, CorpusWarning
from .summary import removal_summary, source_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conflict-framing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="print what is in a corpus and what cleaning removed")
    summary.add_argument("--corpus", default="seeds", help="folder of .txt/.html articles (default: seeds)")
    summary.add_argument("--no-manifest", action="store_true", help="ignore the folder's manifest")
    args = parser.parse_args(argv)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CorpusWarning)  # printed below, once, as a table
            corpus = read_corpus(args.corpus, manifest=False if args.no_manifest else None)
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.max_colwidth", 90):
        print(f"Corpus '{args.corpus}': {len(corpus.docs)} documents\n")
        print("Documents per source")
        print(source_summary(corpus).to_string(index=False), end="\n\n")
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


if __name__ == "__main__":
    sys.exit(main())
