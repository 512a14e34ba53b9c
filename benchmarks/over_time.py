"""What the issue-14 measures cost on the synthetic corpus: periods, every measure over time, the term map,
coding sheets, agreement and validation.

Run: .venv/bin/python benchmarks/over_time.py [--mb 10] [--root /tmp/synth]

The corpus is benchmarks/synthetic.py's (generated once under --root, reused when there; dated documents
over several years). Reading and parsing it, and the inputs each step needs (frame matches, naming choices,
sentence sentiment, mentions, quotations), are timed once and printed separately: the reports compute them
anyway. Printed per step: seconds, and the ratio to the time of reading the corpus (what the step adds to a
report run). One core, as the notebooks run. Topic models have their own benchmark (benchmarks/topics.py).
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analysis  # noqa: E402
from analysis.corpus import periods
from analysis.framing import over_time, validation
from analysis.report import reporting, termmap  # noqa: E402


def _corpus(root: Path, mb: float) -> Path:
    spec = importlib.util.spec_from_file_location("bench_topics", ROOT / "benchmarks" / "topics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.corpus(root, mb)


def timed(label: str, fn, rows: list):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    rows.append((label, seconds))
    print(f"  {label:<48} {seconds:8.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--root", type=Path, default=Path("/tmp/synth"))
    parser.add_argument("--n-boot", type=int, default=2000)
    args = parser.parse_args()
    folder = _corpus(args.root, args.mb)
    inputs, steps = [], []
    print("inputs (computed by the reports anyway):")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = timed("read_corpus (reading, cleaning, parsing)", lambda: analysis.read_corpus(folder), inputs)
    docs, sents, toks = corpus.docs, corpus.sentences, corpus.tokens
    matches = timed("frame_matches", lambda: analysis.frame_matches(docs, sents=sents), inputs)
    choices = timed("naming_choices", lambda: analysis.naming_choices(docs, sents=sents), inputs)
    scores = timed("sentence_sentiment", lambda: analysis.sentence_sentiment(docs, sents), inputs)
    ments = timed("mentions", lambda: analysis.mentions(docs, sents=sents), inputs)
    spans = timed("quoted_spans", lambda: analysis.quoted_spans(docs, sents=sents, ments=ments), inputs)
    read = inputs[0][1]
    n_dated = int(docs["date"].notna().sum())
    print(f"corpus: {len(docs):,} documents ({n_dated:,} dated), {len(sents):,} sentences, {len(toks):,} tokens")
    print(f"issue-14 steps (bootstrap {args.n_boot} replicates):")
    boot = {"n_boot": args.n_boot}
    dated = timed("by_period (quarters)", lambda: periods.by_period(docs, "Q"), steps)
    events = periods.read_events()
    timed("by_event + splitting_event", lambda: periods.by_event(docs, events, event=periods.splitting_event(
        events, docs)), steps)
    timed("naming_shares_over_time", lambda: over_time.naming_shares_over_time(choices, dated, **boot), steps)
    timed("frame_shares_over_time", lambda: over_time.frame_shares_over_time(matches, sents, dated, **boot), steps)
    timed("sentiment_over_time", lambda: over_time.sentiment_over_time(scores, dated, **boot), steps)
    timed("salience_over_time (6 actors)", lambda: over_time.salience_over_time(ments, sents, dated, top_n=6,
                                                                                 **boot), steps)
    timed("voices_over_time", lambda: over_time.voices_over_time(spans[spans["kind"] == "quotation"], dated,
                                                                  **boot), steps)
    timed("term_rates_over_time (5 terms)", lambda: over_time.term_rates_over_time(
        toks, ["karabakh", "ceasefire", "russia", "peacekeepers", "corridor"], dated, **boot), steps)
    event = periods.splitting_event(events, docs)
    phased = periods.by_event(docs, events, event=event)
    timed("changed_terms (every outlet, after vs before)", lambda: over_time.changed_terms(toks, phased, top_n=15),
          steps)
    groups = reporting.top_groups(docs, 1)
    table = timed("term_map (largest outlet vs the rest)", lambda: termmap.term_map(
        toks, groups[0], [g for g in docs["source"].unique() if g != groups[0]]), steps)
    timed("term_map_figure", lambda: termmap.term_map_figure(table, a_name="a", b_name="b"), steps)
    timed("term_map_html", lambda: termmap.term_map_html(table, sents, toks, a_name="a", b_name="b"), steps)
    sample = timed("coding_sample (100 sentences)", lambda: validation.coding_sample(sents, n=100), steps)
    coded = sample.copy()
    for i, frame in enumerate(validation.generic_frames()):
        coded[frame] = [str((j + i) % 2) for j in range(len(coded))]
    codings = validation.read_codings([_write(coded.assign(coder="A"), "A"), _write(coded.assign(coder="B"), "B")])
    timed("agreement (2 coders x 100 sentences x 5 frames)", lambda: validation.agreement(codings), steps)
    timed("validate (against frame_matches)", lambda: validation.validate(codings, matches), steps)
    total = sum(s for _, s in steps)
    print(f"total of the issue-14 steps: {total:.1f} s = {total / read:.2f} x the time to read the corpus ({read:.1f} s)")


def _write(table, name: str) -> Path:
    import tempfile
    path = Path(tempfile.mkdtemp()) / f"{name}.csv"
    validation.write_coding_sheet(table, path)
    return path


if __name__ == "__main__":
    main()
