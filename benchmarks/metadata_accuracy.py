"""Metadata accuracy: outlet, date, author and title as the loader reads them from real news pages.

Run (from the repository root):

    .venv/bin/python benchmarks/metadata_accuracy.py                      # /work/devset/pages
    .venv/bin/python benchmarks/metadata_accuracy.py /path/to/pages --show
    .venv/bin/python benchmarks/metadata_accuracy.py --show --fields outlet,date

Data: a folder of development texts (``<NNN>_<domain>.txt``, the beginnings of real news pages on
the Karabakh conflict, not in the repository) and their hand codings,
``benchmarks/data/metadata_codings.csv`` (one row per file: sha256 of the file's bytes, url, outlet
and the exact string naming it, date and its string, author and its string, title, language, the
first words of the body, the number of news items, notes). A coded file that is missing from the
folder, or whose bytes no longer match the coded sha256, is reported and left out of the scores.

The folder is loaded once, as a researcher would, with
``analysis.read_corpus(folder, manifest=False, errors="ignore")``; files the loader skips count as
giving no value for any field (they lower recall) and are listed.

Per field (the docs column in brackets): outlet [source], date [date], author [author], title [title]:

* precision: of the values the loader gives for coded documents, the share that are right (a value
  where the coder found none is wrong);
* recall: of the coded values, the share the loader gives right;
* F1, and the counts behind them: coded (documents with a coded value), given (documents where the
  loader gives a value), right, wrong (given and different), missed (coded, not given) and
  spurious (given where the coder found nothing).

The outlet is also scored on the subset whose outlet the text itself names (``outlet_source`` =
text): for the others only the page's URL tells the outlet, which the loader does not see.

Comparison:

* outlet: case-insensitive after mapping names, aliases and domains to one canonical name, from the
  toolkit's ``analysis/data/outlets.csv`` (columns domain, name, aliases; several domains or aliases
  separated by ';') when it exists, else from a small alias map in this script; a domain matches
  with or without ``www.`` and with subdomains (``en.trend.az`` is ``trend.az``);
* date: the same day;
* author: the same set of names (order-insensitive), case-insensitive, after dropping ``By`` and
  punctuation; several names are separated by ';', ',', '|', '&' or ' and ';
* title: equal after unifying quotes and apostrophes, dropping them, collapsing white space, and case.

``--show`` lists each wrong, missed and spurious value: file, coded, got, and the loader's evidence
(the provenance table's evidence for that field). ``--rev REV`` scores the ``analysis`` package as
committed at REV (extracted with ``git archive`` into a temporary folder) instead of the working
tree, e.g. ``--rev HEAD`` while rules are being edited; outlet names are still normalised with the
working tree's outlets.csv.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analysis  # noqa: E402
import _before  # noqa: E402  (benchmarks/: the package at an earlier commit)

DEFAULT_PAGES = Path("/work/devset/pages")
DEFAULT_CODINGS = ROOT / "benchmarks" / "data" / "metadata_codings.csv"
OUTLETS_CSV = ROOT / "analysis" / "data" / "outlets.csv"
FIELDS = {"outlet": "source", "date": "date", "author": "author", "title": "title", "body_start": "text"}

# Used only when analysis/data/outlets.csv does not exist: canonical name -> aliases and domains.
FALLBACK_ALIASES = {
    "Armenpress": ["ARMENPRESS", "armenpress.am", "Armenpress News Agency"],
    "TASS": ["ТАСС", "tass.com", "tass.ru", "ITAR-TASS"],
    "RIA Novosti": ["РИА Новости", "ria.ru", "RIA"],
    "AZERTAC": ["Azertac", "AzerTag", "azertag.az", "Azerbaijan State News Agency"],
    "Trend": ["Trend News Agency", "trend.az", "en.trend.az"],
    "News.Az": ["news.az"],
    "Caliber.az": ["Caliber.Az", "caliber.az", "Caliber"],
    "Report.az": ["Report", "report.az"],
    "Azernews": ["AzerNews", "azernews.az"],
    "Azvision": ["AzVision.az", "azvision.az", "en.azvision.az"],
    "APA": ["АПА", "apa.az"],
    "Reuters": ["REUTERS", "reuters.com"],
    "Associated Press": ["AP", "apnews.com"],
    "AFP": ["Agence France-Presse", "AFPTV", "AFP Video"],
    "Anadolu Agency": ["AA", "aa.com.tr"],
    "Azatutyun": ["RFE/RL Armenian Service", "RFE/RL Armenian Report", "azatutyun.am"],
    "PanARMENIAN.Net": ["PanARMENIAN", "panarmenian.net"],
    "ArmInfo": ["Arminfo", "arminfo.info", "Arminfo.info"],
    "Public Radio of Armenia": ["armradio.am", "en.armradio.am", "Armradio"],
    "OC Media": ["oc-media.org"],
    "Meduza": ["meduza.io", "Медуза"],
    "Kommersant": ["Коммерсантъ", "kommersant.ru"],
    "Sputnik": ["Sputnik Armenia", "sputniknews.com", "Спутник"],
    "RT": ["russian.rt.com", "rt.com"],
    "The Kyiv Independent": ["Kyiv Independent", "kyivindependent.com"],
    "The New York Times": ["New York Times", "nytimes.com"],
    "The Guardian": ["Guardian", "theguardian.com"],
}

_QUOTES = dict.fromkeys(map(ord, "\"'`´‘’‚‛“”„‟«»‹›「」"), None)
_PUNCT = re.compile(r"[^\w\s]")
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\||&|\band\b|\bи\b)\s*", re.IGNORECASE)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"^the ", "", text)


class OutletNames:
    """Maps outlet names, aliases and domains to one canonical (case-folded) name."""

    def __init__(self, path: Path = OUTLETS_CSV):
        self.names: dict[str, str] = {}
        self.domains: dict[str, str] = {}
        if path.is_file():
            self.origin = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    name = (row.get("name") or "").strip()
                    if not name:
                        continue
                    aliases = [a for a in (row.get("aliases") or "").split(";") if a.strip()]
                    self._add(name, aliases, [d for d in (row.get("domain") or "").split(";") if d.strip()])
        else:
            self.origin = "the alias map in benchmarks/metadata_accuracy.py (no analysis/data/outlets.csv)"
            for name, aliases in FALLBACK_ALIASES.items():
                self._add(name, [a for a in aliases if "." not in a or " " in a],
                          [a for a in aliases if "." in a and " " not in a])

    def _add(self, name: str, aliases: list[str], domains: list[str]) -> None:
        canonical = _key(name)
        for alias in [name, *aliases]:
            self.names.setdefault(_key(alias), canonical)
        for domain in domains:
            self.domains.setdefault(_key(domain).removeprefix("www."), canonical)

    def canonical(self, value) -> str | None:
        if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
            return None
        key = _key(value)
        if key in self.names:
            return self.names[key]
        host = re.sub(r"^https?://", "", key).split("/")[0].removeprefix("www.")
        parts = host.split(".")
        for i in range(len(parts) - 1):  # en.trend.az -> trend.az
            if ".".join(parts[i:]) in self.domains:
                return self.domains[".".join(parts[i:])]
        return key


def _title_key(value) -> str | None:
    if _missing(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold() or None


def _start_key(value) -> tuple[str, ...] | None:
    """The first eight words of a body (case folded, punctuation dropped): does cleaning find where the
    article starts, below its header?"""
    if _missing(value):
        return None
    words = tuple(re.findall(r"\w+", unicodedata.normalize("NFKC", str(value)).casefold()))[:8]
    return words or None


def _author_key(value) -> frozenset[str] | None:
    if _missing(value):
        return None
    names = set()
    for part in _AUTHOR_SPLIT.split(unicodedata.normalize("NFKC", str(value))):
        part = re.sub(r"^by\s+", "", part.strip(), flags=re.IGNORECASE)
        part = re.sub(r"\s+", " ", _PUNCT.sub(" ", part)).strip().casefold()
        if part:
            names.add(part)
    return frozenset(names) or None


def _date_key(value) -> str | None:
    if _missing(value):
        return None
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        return None


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return not str(value).strip()


def package_at(rev: str, into: Path):
    """The ``analysis`` package as committed at ``rev``, imported as ``analysis_at_rev``."""
    return _before.package_at(rev, into, "analysis_at_rev")


def read_codings(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check_files(folder: Path, codings: list[dict]) -> tuple[list[dict], list[str]]:
    """The coded rows whose file is present with the coded bytes, and a message per left-out file."""
    usable, problems = [], []
    for row in codings:
        path = folder / row["file"]
        if not path.is_file():
            problems.append(f"{row['file']}: missing from {folder}; left out")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != row["sha256"]:
            problems.append(f"{row['file']}: sha256 {digest[:12]}… differs from the coded {row['sha256'][:12]}…; "
                            "left out (the file changed since it was coded)")
            continue
        usable.append(row)
    return usable, problems


def score(rows: list[dict], docs: pd.DataFrame, provenance: pd.DataFrame, outlets: OutletNames) -> dict:
    """Per field: counts and the mismatches."""
    by_file: dict[str, dict] = {}
    for record in docs.to_dict("records"):  # a page of several items: its first is the one coded
        by_file.setdefault(record["file"], record)
    evidence = {(r["doc_id"], r["field"]): r["evidence"] for r in provenance.to_dict("records")}
    keys = {"outlet": outlets.canonical, "date": _date_key, "author": _author_key, "title": _title_key,
            "body_start": _start_key}
    results = {}
    for field, column in FIELDS.items():
        counts = dict(coded=0, given=0, right=0, wrong=0, missed=0, spurious=0)
        text_counts = dict(counts)
        mismatches = []
        for row in rows:
            doc = by_file.get(row["file"])
            got = None if doc is None else doc.get(column)
            coded_key, got_key = keys[field](row[field]), keys[field](got)
            if field == "body_start" and coded_key is not None and got_key is not None:
                got_key = got_key[:len(coded_key)]  # the body starts with the coded words
            if coded_key is not None and got_key is not None:
                verdict = "right" if coded_key == got_key else "wrong"
            elif coded_key is not None:
                verdict = "missed"
            else:
                verdict = "spurious" if got_key is not None else None
            for c in ([counts, text_counts] if field == "outlet" and row.get("outlet_source") == "text" else [counts]):
                c["coded"] += coded_key is not None
                c["given"] += got_key is not None
                if verdict:
                    c[verdict] += 1
            if verdict in ("wrong", "missed", "spurious"):
                ev = "" if doc is None else evidence.get((doc["doc_id"], column), "")
                mismatches.append(dict(file=row["file"], verdict=verdict, coded=row[field],
                                       got="(skipped by the loader)" if doc is None else _show(got),
                                       evidence=_show(ev)))
        results[field] = dict(counts=counts, mismatches=mismatches)
        if field == "outlet":
            results["outlet (named in the text)"] = dict(counts=text_counts, mismatches=[])
    return results


def _show(value) -> str:
    if _missing(value):
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _prf(c: dict) -> tuple[float, float, float]:
    p = c["right"] / c["given"] if c["given"] else 0.0
    r = c["right"] / c["coded"] if c["coded"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def table(results: dict) -> str:
    head = f"{'field':<28}{'precision':>10}{'recall':>8}{'F1':>7}{'coded':>7}{'given':>7}{'right':>7}" \
           f"{'wrong':>7}{'missed':>8}{'spurious':>9}"
    lines = [head, "-" * len(head)]
    for field, res in results.items():
        c = res["counts"]
        p, r, f = _prf(c)
        lines.append(f"{field:<28}{p:>10.3f}{r:>8.3f}{f:>7.3f}{c['coded']:>7}{c['given']:>7}{c['right']:>7}"
                     f"{c['wrong']:>7}{c['missed']:>8}{c['spurious']:>9}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_PAGES, help="folder of development texts")
    parser.add_argument("--codings", type=Path, default=DEFAULT_CODINGS, help="hand codings CSV")
    parser.add_argument("--show", action="store_true", help="list the mismatches")
    parser.add_argument("--fields", default=",".join(FIELDS), help="fields to list with --show (comma-separated)")
    parser.add_argument("--rev", help="score the analysis package as committed at this git revision")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    if args.rev:
        with tempfile.TemporaryDirectory() as tmp:
            return run(args, package_at(args.rev, Path(tmp)), f"analysis at {args.rev}")
    return run(args, analysis, "analysis (working tree)")


def run(args, package, label: str) -> int:

    codings = read_codings(args.codings)
    rows, problems = check_files(args.folder, codings)
    for message in problems:
        print("left out:", message)
    if not rows:
        print("no coded file can be scored")
        return 1

    corpus = package.read_corpus(args.folder, manifest=False, errors="ignore")
    coded_files = {r["file"] for r in rows}
    skipped = corpus.problems[(corpus.problems["severity"] == "skipped") & corpus.problems["file"].isin(coded_files)]
    loaded = set(corpus.docs["file"])
    outlets = OutletNames()
    results = score(rows, corpus.docs, corpus.provenance, outlets)

    n_outlets = len({outlets.canonical(r["outlet"]) for r in rows})
    print(f"{len(rows)} coded documents scored ({n_outlets} outlets; {len(problems)} left out); "
          f"loader skipped {len(coded_files - loaded)} of them")
    print(f"scoring {label}; outlet names normalised with {outlets.origin}\n")
    print(table(results))
    for row in skipped.itertuples():
        print(f"\nskipped by the loader: {row.file}: {row.problem}: {row.message}", end="")
    print()

    if args.show:
        wanted = [f.strip() for f in args.fields.split(",") if f.strip()]
        for field in wanted:
            mismatches = results.get(field, {}).get("mismatches", [])
            print(f"\n== {field}: {len(mismatches)} mismatches (file | verdict | coded | got | loader's evidence)")
            for m in mismatches:
                print(f"{m['file']} | {m['verdict']} | {m['coded']!r} | {m['got']!r} | {m['evidence'][:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
