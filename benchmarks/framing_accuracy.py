"""Accuracy of the framing layer on real news against hand codings: quotations and speakers, naming labels
(convention and voice), actor mentions.

    .venv/bin/python benchmarks/framing_accuracy.py FOLDER [FOLDER ...] [--show quotations|naming|actors]
                                                    [--rev REV]

FOLDER holds the development texts (real news page beginnings, not ours to commit; see
benchmarks/data/FRAMING_CODEBOOK.md). The committed codings (benchmarks/data/framing_*.csv) name each file
and its SHA-256; a file that is missing or whose bytes differ is reported and left out. The framing layer runs
on each file's text as it is (no cleaning), so the offsets of the codings hold and cleaning errors do not
count here (benchmarks/extraction.py measures those).

Figures, per split (``dev``: pages the rules were written on; ``test`` and ``test2``: pages gathered
afterwards, each first scored held out, then read for errors too; ``test3`` to ``test6``: gathered and coded
blind by coders who read only the codebook, each scored held out before anyone read it; ``test6`` was not read;
``dev7``: coded blind, then read while the rules were developed; ``test7``: coded blind, held out, not read),
on all pages and on English pages alone. ``framing_pages.csv`` gives each
page's address in the search tool's pages corpus, to rebuild the folders (see the codebook):
- quotation recall: coded quotations that the system finds as a quotation (a span overlapping the coded one);
- speaker accuracy: of the coded quotations with a speaker that the system finds, the share whose speaker
  (phrase as resolved, or linked actor) contains the coded speaker key; "end to end" counts misses as wrong;
- scare quotes: precision and recall of kind scare_quote against the coded kind;
- naming: coded labels whose convention and voice the system gives (a label it misses counts as wrong),
  and the precision of the labels it finds inside the coded regions;
- actors: precision (a system mention in a coded region is right when a coded mention it overlaps names the
  same actor) and recall (of coded in-scope mentions).

``--rev REV`` scores the ``analysis`` package as committed at a git revision (e.g. the commit before the
rules were written) against the same codings, for before/after figures.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import analysis  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
TARGETS = {"speaker accuracy": 0.85, "quotation recall": 0.85, "naming convention+voice accuracy": 0.90,
           "actor precision": 0.95, "actor recall": 0.90}


def read_codings(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"framing_{name}.csv", dtype=str, keep_default_na=False)


def load_texts(folders: list[Path], codings: list[pd.DataFrame]) -> tuple[dict, list[str]]:
    """The coded files' texts, found in the folders and checked against their SHA-256; and the problems."""
    wanted = pd.concat([c[["file", "sha256"]] for c in codings]).drop_duplicates()
    texts, problems = {}, []
    for file, sha in wanted.itertuples(index=False):
        path = next((folder / file for folder in folders if (folder / file).exists()), None)
        if path is None:
            problems.append(f"{file}: not found in {', '.join(map(str, folders))}")
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            problems.append(f"{path}: SHA-256 differs from the coded file; left out")
            continue
        texts[file] = path.read_text(encoding="utf-8")
    return texts, problems


_CRAWL_DATE = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\b")
_ENGLISH = re.compile(r"\b(?:the|and|of|to|in|is|that|said|with|for)\b", re.IGNORECASE)


def page_facts(files: list[str], texts: dict) -> pd.DataFrame:
    """Per file: its date (the hand-coded one from metadata_codings.csv, else the crawler's ISO date line; the
    dated role phrases of the gazetteer need it) and whether it is in English (coded language, else the share of
    English function words). The framing layer is measured here, not metadata extraction."""
    coded = pd.read_csv(DATA / "metadata_codings.csv", dtype=str, keep_default_na=False).set_index("file")
    rows = []
    for f in files:
        date, language = "", ""
        if f in coded.index:
            date, language = coded.at[f, "date"][:10], coded.at[f, "language"]
        if not date and (m := _CRAWL_DATE.match(texts[f])):
            date = m.group(1)
        if not language:
            words = len(texts[f].split()) or 1
            language = "en" if len(_ENGLISH.findall(texts[f])) / words > 0.08 else "other"
        rows.append((f, date, language.startswith("en")))
    return pd.DataFrame(rows, columns=["file", "date", "english"])


def fold(text: str) -> str:
    """Lower case without diacritics, for comparing names ("Erdoğan" = "erdogan")."""
    return "".join(c for c in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(c)).lower()


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def best_overlap(row_start: int, row_end: int, table: pd.DataFrame) -> pd.Series | None:
    hit = table[(table["start"] < row_end) & (row_start < table["end"])]
    if hit.empty:
        return None
    size = hit[["end"]].clip(upper=row_end)["end"] - hit[["start"]].clip(lower=row_start)["start"]
    return hit.loc[size.idxmax()]


def in_regions(table: pd.DataFrame, regions: pd.DataFrame, task: str) -> pd.DataFrame:
    keep = []
    for row in table.itertuples():
        r = regions[(regions["file"] == row.doc_id) & (regions["task"] == task)]
        keep.append(bool(((r["start"] <= row.start) & (row.end <= r["end"])).any()))
    return table[keep] if len(table) else table


def share(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f} ({numerator}/{denominator})" if denominator else "n/a (0)"


def quotation_figures(coded: pd.DataFrame, spans: pd.DataFrame, regions: pd.DataFrame, show: bool) -> dict:
    figures, lines = {}, []
    quotes = coded[coded["kind"] == "quotation"]
    found = right = with_speaker = found_with_speaker = 0
    for row in quotes.itertuples():
        mine = best_overlap(row.start, row.end, spans[spans["doc_id"] == row.file])
        is_found = mine is not None and mine["kind"] == "quotation"
        found += is_found
        if not row.speaker_key:
            continue
        with_speaker += 1
        if not is_found:
            lines.append(f"  MISSED  {row.file} {row.start}: speaker {row.speaker!r}"
                         + ("" if mine is None else f" (system: {mine['kind']})"))
            continue
        found_with_speaker += 1
        said = " ".join(fold(v) for v in (mine["speaker"], mine["speaker_actor"]) if isinstance(v, str))
        ok = any(fold(key).strip() and fold(key).strip() in said for key in row.speaker_key.split("|"))
        right += ok
        if not ok:
            lines.append(f"  SPEAKER {row.file} {row.start}: coded {row.speaker_key!r}, system "
                         f"{mine['speaker']!r} / {mine['speaker_actor']!r} ({mine['attribution']})")
    figures["quotation recall"] = (found, len(quotes))
    figures["speaker accuracy"] = (right, found_with_speaker)
    figures["speaker accuracy, end to end"] = (right, with_speaker)
    # scare quotes: the system's kind against the coded kind, over every coded span
    inside = in_regions(spans, regions, "quotations")
    tp = fp = 0
    for row in inside[inside["kind"] == "scare_quote"].itertuples():
        c = best_overlap(row.start, row.end, coded[coded["file"] == row.doc_id])
        ok = c is not None and c["kind"] == "scare_quote"
        tp, fp = tp + ok, fp + (not ok)
        if not ok and show:
            lines.append(f"  SCARE?  {row.doc_id} {row.start}: system scare_quote, coded "
                         f"{'nothing' if c is None else c['kind']} {row.text[:0]}")
    coded_scare = coded[coded["kind"] == "scare_quote"]
    recalled = sum(1 for row in coded_scare.itertuples()
                   if (m := best_overlap(row.start, row.end, spans[spans["doc_id"] == row.file])) is not None
                   and m["kind"] == "scare_quote")
    figures["scare-quote precision"] = (tp, tp + fp)
    figures["scare-quote recall"] = (recalled, len(coded_scare))
    return figures, lines


def naming_figures(coded: pd.DataFrame, choices: pd.DataFrame, regions: pd.DataFrame) -> dict:
    lines = []
    right = found = 0
    for row in coded.itertuples():
        mine = best_overlap(row.start, row.end, choices[choices["doc_id"] == row.file])
        if mine is None:
            lines.append(f"  MISSED  {row.file} {row.start}: {row.surface!r} ({row.referent}, {row.convention}, "
                         f"{row.voice})")
            continue
        found += 1
        voice = "speaker" if mine["voice"] != "outlet" else "outlet"
        ok = mine["convention"] == row.convention and voice == row.voice
        right += ok
        if not ok:
            lines.append(f"  WRONG   {row.file} {row.start}: {row.surface!r} coded {row.convention}/{row.voice}, "
                         f"system {mine['convention']}/{voice} ({mine['label']})")
    inside = in_regions(choices, regions, "naming")
    correct = sum(1 for row in inside.itertuples()
                  if best_overlap(row.start, row.end, coded[coded["file"] == row.doc_id]) is not None)
    for row in inside.itertuples():
        if best_overlap(row.start, row.end, coded[coded["file"] == row.doc_id]) is None:
            lines.append(f"  EXTRA   {row.doc_id} {row.start}: {row.surface!r} ({row.label}, {row.convention})")
    return {"naming convention+voice accuracy": (right, len(coded)), "naming recall": (found, len(coded)),
            "naming convention+voice accuracy on found labels": (right, found),
            "naming precision (labels found in coded regions)": (correct, len(inside))}, lines


def actor_figures(coded: pd.DataFrame, ments: pd.DataFrame, regions: pd.DataFrame, pkg) -> dict:
    variants = pkg.read_gazetteer()
    as_actor = dict(zip(variants["variant"].map(fold), variants["actor"]))  # a coded name the gazetteer knows
    crosswalk = pd.read_csv(DATA / "framing_actor_names.csv", dtype=str, keep_default_na=False) \
        if (DATA / "framing_actor_names.csv").exists() else pd.DataFrame(columns=["coded", "actor"])
    as_actor.update(dict(zip(crosswalk["coded"].map(fold), crosswalk["actor"])))

    def same(coded_actor: str, mine: pd.Series) -> bool:
        wanted = {fold(coded_actor), fold(as_actor.get(fold(coded_actor), coded_actor))}
        return fold(mine["actor"]) in wanted or fold(mine["variant"]) in wanted

    lines = []
    scope = coded[coded["in_scope"] == "yes"]
    recalled = 0
    for row in scope.itertuples():
        mine = best_overlap(row.start, row.end, ments[ments["doc_id"] == row.file])
        ok = mine is not None and same(row.actor, mine)
        recalled += ok
        if not ok:
            lines.append(f"  MISSED  {row.file} {row.start}: {row.surface!r} = {row.actor}"
                         + ("" if mine is None else f" (system: {mine['actor']})"))
    inside = in_regions(ments, regions, "actors")
    right = 0
    for row in inside.itertuples():
        c = best_overlap(row.start, row.end, coded[coded["file"] == row.doc_id])
        ok = c is not None and same(c["actor"], pd.Series({"actor": row.actor, "variant": row.variant}))
        right += ok
        if not ok:
            lines.append(f"  WRONG   {row.doc_id} {row.start}: {row.surface!r} -> {row.actor}, coded "
                         f"{'nothing' if c is None else c['actor']}")
    return {"actor precision": (right, len(inside)), "actor recall": (recalled, len(scope))}, lines


def intercoder_naming(coded: pd.DataFrame, choices_by_file: dict) -> None:
    """Agreement of a second, independent coder with the first on the naming labels of the files both coded
    (benchmarks/data/framing_naming_coder2.csv), next to the system's agreement with each: how far 0.90 is
    reachable when two careful coders following the same codebook already differ."""
    from sklearn.metrics import cohen_kappa_score
    path = DATA / "framing_naming_coder2.csv"
    if not path.exists():
        return
    second = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("start", "end"):
        second[column] = second[column].astype(int)
    files = sorted(set(second["file"]) & set(coded["file"]) & set(choices_by_file))
    if not files:
        return
    first = coded[coded["file"].isin(files)]
    second = second[second["file"].isin(files)]
    pairs, unmatched = [], 0
    for row in first.itertuples():
        other = best_overlap(row.start, row.end, second[second["file"] == row.file])
        if other is None:
            unmatched += 1
            continue
        mine = best_overlap(row.start, row.end, choices_by_file[row.file])
        system = None if mine is None else \
            f"{mine['convention']}/{'outlet' if mine['voice'] == 'outlet' else 'speaker'}"
        pairs.append((f"{row.convention}/{row.voice}", f"{other['convention']}/{other['voice']}", system))
    a, b, system = zip(*pairs) if pairs else ((), (), ())
    agree = sum(x == y for x, y in zip(a, b))
    print(f"\n## inter-coder agreement, naming (test2, {len(files)} files coded by two coders)")
    print(f"{'labels coded by both (first coder: ' + str(len(first)) + ', second: ' + str(len(second)) + ')':52s} "
          f"{len(pairs)}")
    print(f"{'convention+voice agreement, coder 1 vs coder 2':52s} {share(agree, len(pairs))}")
    print(f"{'Cohen kappa, coder 1 vs coder 2':52s} {cohen_kappa_score(a, b):.3f}" if pairs else "")
    for name, coder in (("coder 1", a), ("coder 2", b)):
        found = [(c, s) for c, s in zip(coder, system) if s is not None]
        print(f"{'system vs ' + name + ' on these labels':52s} {share(sum(c == s for c, s in found), len(pairs))}")


def speaker_matches(key: str, said: str) -> bool:
    """Whether a speaker description contains one of the |-separated alternatives of a speaker key."""
    said = fold(said)
    return any(fold(k).strip() and fold(k).strip() in said for k in str(key).split("|"))


def intercoder_speakers(coded: pd.DataFrame, spans: pd.DataFrame, split: str) -> None:
    """Agreement of a second, independent coder with the first on who speaks the same quoted spans
    (benchmarks/data/framing_quotations_coder2.csv: the first coder's spans, the second coder's speakers), next to
    the system's speaker accuracy against each: the ceiling for speaker accuracy on these pages. Two speakers
    agree when each one's description contains the other's key (or both say the text names nobody)."""
    path = DATA / "framing_quotations_coder2.csv"
    if not path.exists():
        return
    second = pd.read_csv(path, dtype=str, keep_default_na=False)
    second = second[second["split"] == split]
    if second.empty:
        return
    first = coded[coded["kind"] == "quotation"].astype({"start": str, "end": str})
    both = first.merge(second, on=["file", "start", "end"], suffixes=("", "_2"))
    if both.empty:
        return
    agree = system_1 = system_2 = found_1 = found_2 = 0
    for row in both.itertuples():
        if not row.speaker_key and not row.speaker_key_2:
            agree += 1
        elif row.speaker_key and row.speaker_key_2:
            agree += speaker_matches(row.speaker_key, f"{row.speaker_2} {row.speaker_key_2}") or \
                speaker_matches(row.speaker_key_2, f"{row.speaker} {row.speaker_key}")
        mine = best_overlap(int(row.start), int(row.end), spans[spans["doc_id"] == row.file])
        if mine is None or mine["kind"] != "quotation":
            continue
        said = " ".join(str(v) for v in (mine["speaker"], mine["speaker_actor"]) if isinstance(v, str))
        if row.speaker_key:  # as speaker accuracy: of the quotations with a speaker that the system finds
            found_1 += 1
            system_1 += speaker_matches(row.speaker_key, said)
        if row.speaker_key_2:
            found_2 += 1
            system_2 += speaker_matches(row.speaker_key_2, said)
    print(f"\n## inter-coder agreement, speakers ({split}, {both['file'].nunique()} files, the same spans coded "
          "by two coders)")
    print(f"{'speaker agreement, coder 1 vs coder 2':52s} {share(agree, len(both))}")
    print(f"{'system speaker accuracy against coder 1':52s} {share(system_1, found_1)}")
    print(f"{'system speaker accuracy against coder 2':52s} {share(system_2, found_2)}")


def run(folders: list[Path], show: str | None = None, pkg=analysis) -> dict:
    coded = {name: read_codings(name) for name in ("quotations", "naming", "actors", "regions")}
    for name, table in coded.items():
        for column in ("start", "end"):
            table[column] = table[column].astype(int)
    texts, problems = load_texts(folders, list(coded.values()))
    for problem in problems:
        print("skipped:", problem)
    results = {}
    facts = page_facts(sorted(texts), texts).set_index("file")
    splits = sorted(set(coded["regions"]["split"]), key=lambda x: (x != "dev", x))
    for split, english_only in [(split, english) for split in splits for english in (False, True)]:
        files = sorted(f for f in texts if (coded["regions"]["file"] == f).any()
                       and (coded["regions"].loc[coded["regions"]["file"] == f, "split"] == split).all()
                       and (facts.at[f, "english"] or not english_only))
        if not files:
            continue
        docs = pd.DataFrame({"doc_id": files, "source": [f.split("_", 1)[-1] for f in files],
                             "text": [texts[f] for f in files],
                             "date": pd.to_datetime(facts.loc[files, "date"].to_numpy(), errors="coerce")})
        sents = pkg.sentences(docs)
        ments = pkg.mentions(docs, sents=sents)
        spans = pkg.quoted_spans(docs, sents=sents, ments=ments)
        choices = pkg.naming_choices(docs, sents=sents, spans=spans)
        regions = coded["regions"][coded["regions"]["split"] == split]
        pick = {name: coded[name][coded[name]["file"].isin(files)] for name in ("quotations", "naming", "actors")}
        q, q_lines = quotation_figures(pick["quotations"], spans, regions, show == "quotations")
        n, n_lines = naming_figures(pick["naming"], choices, regions)
        a, a_lines = actor_figures(pick["actors"], ments, regions, pkg)
        figures = {**q, **n, **a}
        if split == "test2" and not english_only:
            intercoder_naming(pick["naming"], {f: choices[choices["doc_id"] == f] for f in files})
        if not english_only:
            intercoder_speakers(pick["quotations"], spans, split)
        label = f"{split}, English pages" if english_only else f"{split}, all pages"
        results[label] = figures
        print(f"\n## {label}: {len(files)} files")
        for name, (num, den) in figures.items():
            target = TARGETS.get(name)
            mark = "" if target is None or not den else ("  (target %.2f: %s)" % (
                target, "met" if num / den >= target else "NOT met"))
            print(f"{name:52s} {share(num, den)}{mark}")
        for kind, lines in (("quotations", q_lines), ("naming", n_lines), ("actors", a_lines)):
            if show == kind:
                print(f"\n### {split}: {kind} errors")
                print("\n".join(lines))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--show", choices=["quotations", "naming", "actors"], help="list the errors of one task")
    parser.add_argument("--rev", help="score the analysis package as committed at this git revision")
    args = parser.parse_args(argv)
    if args.rev:
        import tempfile

        import _before  # benchmarks/: the package at an earlier commit
        with tempfile.TemporaryDirectory() as into:
            print(f"scoring the analysis package at {args.rev}")
            run(args.folders, args.show, _before.package_at(args.rev, Path(into), "analysis_at_rev"))
        return 0
    run(args.folders, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
