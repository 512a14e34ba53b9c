"""Deterministic synthetic corpora for the report tests: many outlets, no manifest, messy metadata.

``write_corpus30(folder)`` writes 62 short English news items about the conflict
from 30 invented-but-realistic outlet layouts (wire datelines such as
``YEREVAN, AUGUST 7, ARMENPRESS.``, ``MOSCOW, Sept 20 (Reuters) -``,
``Baku, August 13, AZERTAC``, bylines, copyright lines, domain credits) and
four items that name no outlet at all. Some items have no title, no date or no
author; ten outlets have a single item (one of them a two-sentence note);
some items quote nobody, some use none of the naming lexicon's labels, and one
wire item is re-published by another outlet with small changes (text reuse).

No manifest is written unless asked: ``manifest="subset"`` gives source, side
and source_country for every third item (the others are left to the loader:
unknown side for them), ``manifest="full"`` for all of them. How many outlets
the loader finds without a manifest depends on its dateline inference, so tests
compare with :func:`analysis.report.reporting.known_sources`, never with 30.

``write_single_outlet(folder, n_docs)`` writes ``n_docs`` items of one outlet.
Everything is a pure function of the arguments: the same files every run.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

# (outlet, side, country, layout); layout picks the page header (see _header)
OUTLETS = [
    ("Armenpress", "armenian", "Armenia", "armenpress"),
    ("news.am", "armenian", "Armenia", "domain_credit"),
    ("Asbarez", "armenian", "United States", "byline_date"),
    ("Hetq", "armenian", "Armenia", "title_date_iso"),
    ("The Armenian Weekly", "armenian", "United States", "byline_date"),
    ("Azatutyun", "armenian", "Czech Republic", "title_only"),
    ("AZERTAC", "azerbaijani", "Azerbaijan", "azertac"),
    ("Trend", "azerbaijani", "Azerbaijan", "trend"),
    ("Report.az", "azerbaijani", "Azerbaijan", "copyright"),
    ("APA.az", "azerbaijani", "Azerbaijan", "domain_credit"),
    ("Day.Az", "azerbaijani", "Azerbaijan", "copyright"),
    ("AzerNews", "azerbaijani", "Azerbaijan", "title_date_long"),
    ("TASS", "russian", "Russia", "tass"),
    ("RIA Novosti", "russian", "Russia", "ria"),
    ("Interfax", "russian", "Russia", "interfax"),
    ("Sputnik Armenia", "russian", "Armenia", "title_only"),
    ("Kommersant", "russian", "Russia", "byline_date"),
    ("Reuters", "international", "United Kingdom", "reuters"),
    ("Associated Press", "international", "United States", "ap"),
    ("AFP", "international", "France", "afp"),
    ("BBC News", "international", "United Kingdom", "title_date_long"),
    ("Al Jazeera", "international", "Qatar", "reuters_copy"),
    ("Eurasianet", "international", "United States", "byline_date"),
    ("OC Media", "international", "Georgia", "copyright"),
    ("JAMnews", "international", "Georgia", "title_only"),
    ("Civil.ge", "georgian", "Georgia", "domain_credit"),
    ("Anadolu Agency", "turkish", "Turkey", "anadolu"),
    ("Daily Sabah", "turkish", "Turkey", "copyright"),
    ("Deutsche Welle", "international", "Germany", "byline_date"),
    ("France 24", "international", "France", "title_date_iso"),
]
# items per outlet, in OUTLETS order: 4 + 4 + 3 x 4 + 2 x 14 + 1 x 10 = 58, plus 4 without an outlet
ITEMS = [4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
N_UNKNOWN = 4

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
REUTERS_MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]
AUTHORS = ["Anna Petrosyan", "Rashad Mammadov", "Elena Ivanova", "Jane Roe", "Tom Miller", "Lusine Hakobyan",
           "Murad Aliyev", "Sophie Martin"]
PLACES = {"armenian": "YEREVAN", "azerbaijani": "BAKU", "russian": "MOSCOW", "international": "YEREVAN",
          "georgian": "TBILISI", "turkish": "ANKARA"}

# body sentences by side; {labels} come from the naming lexicon's conventions, "q" marks a quotation
SENTENCES = {
    "armenian": [
        "Prime Minister Nikol Pashinyan said Armenia remains committed to the peace agenda in the region.",
        "The blockade of the Lachin corridor has left the people of Artsakh without food and medicine.",
        "Residents of Stepanakert queued for bread as the humanitarian situation worsened.",
        "The Artsakh Republic authorities reported shelling near the village of Martuni.",
        "“We will not accept any solution that endangers the security of our people,” Pashinyan said.",
        "Foreign Minister Ararat Mirzoyan met European Union officials in Brussels on Tuesday.",
        "Armenian refugees from Nagorno-Karabakh arrived in Goris overnight.",
        "The ombudsman said the aggression against Artsakh violated international humanitarian law.",
    ],
    "azerbaijani": [
        "President Ilham Aliyev said the Karabakh region of Azerbaijan will be reintegrated peacefully.",
        "The Ministry of Defense said local anti-terror measures were completed within a day.",
        "Residents of Khankendi were offered Azerbaijani passports and public services.",
        "The separatist regime laid down its weapons under the agreement, the ministry said.",
        "“The sovereignty of Azerbaijan has been fully restored,” Aliyev said in an address to the nation.",
        "Foreign Minister Jeyhun Bayramov discussed the peace treaty with his counterparts in Washington.",
        "Illegal Armenian armed formations were disarmed in Garabagh, according to the ministry.",
        "Mine clearance continues across the liberated territories, officials said.",
    ],
    "russian": [
        "Russian peacekeepers evacuated civilians from the conflict zone, the Defense Ministry said.",
        "Kremlin spokesman Dmitry Peskov said Moscow was in contact with both Baku and Yerevan.",
        "“The peacekeeping contingent is fulfilling its tasks,” Peskov told reporters on Wednesday.",
        "Foreign Minister Sergei Lavrov called on the parties to return to the trilateral agreements.",
        "The situation in Nagorno-Karabakh remained tense but under control, the ministry said.",
        "Vladimir Putin discussed the situation by telephone with Nikol Pashinyan and Ilham Aliyev.",
    ],
    "international": [
        "Azerbaijan launched a military offensive in Nagorno-Karabakh, a breakaway region populated by ethnic Armenians.",
        "More than 100,000 people fled to Armenia within a week, according to the United Nations.",
        "The de facto authorities agreed to disarm after a lightning offensive.",
        "“This is a humanitarian emergency,” a spokesperson for the Red Cross said.",
        "Secretary of State Antony Blinken urged Aliyev to protect the rights of ethnic Armenian civilians.",
        "The disputed region had been run by ethnic Armenian separatist authorities since the 1990s.",
        "Analysts said Russia's influence in the South Caucasus was waning.",
        "Talks between Armenia and Azerbaijan on a peace treaty resumed in Washington.",
    ],
    "georgian": [
        "Tbilisi offered to host talks between Armenia and Azerbaijan on the border delimitation.",
        "Georgian officials said trade through the country had increased since the war.",
        "“Georgia is ready to be a platform for dialogue,” the prime minister said.",
    ],
    "turkish": [
        "President Recep Tayyip Erdogan said Türkiye stands with Azerbaijan in the Karabakh region of Azerbaijan.",
        "Ankara welcomed the end of the local anti-terror measures, the foreign ministry said.",
        "“Azerbaijan has taken back its own lands,” Erdogan told reporters in New York.",
        "Turkish companies are taking part in the reconstruction of Garabagh.",
    ],
}
# sentences with none of the naming lexicon's labels and no quotation
PLAIN = [
    "Foreign ministers of Armenia and Azerbaijan met in Washington on Monday.",
    "The talks lasted several hours and will continue next month.",
    "Officials did not give details of the draft treaty.",
    "Both delegations described the meeting as constructive.",
    "The European Union offered to send more monitors to the border.",
]
TITLES = {
    "armenian": ["Humanitarian crisis deepens in Artsakh", "Pashinyan calls for international guarantees",
                 "Refugees arrive in Goris"],
    "azerbaijani": ["Reintegration of Karabakh begins", "Aliyev addresses the nation",
                    "Peace treaty talks continue in Washington"],
    "russian": ["Peacekeepers evacuate civilians", "Kremlin in contact with Baku and Yerevan"],
    "international": ["Thousands flee Nagorno-Karabakh", "What next for the South Caucasus?",
                      "Armenia and Azerbaijan resume talks"],
    "georgian": ["Tbilisi offers to host talks"],
    "turkish": ["Erdogan welcomes end of operation", "Turkish firms eye reconstruction"],
}


def _date(rng: random.Random) -> tuple[int, int, int]:
    return 2023, rng.choice([7, 8, 9, 10]), rng.randint(1, 28)


def _header(layout: str, outlet: str, side: str, rng: random.Random, k: int) -> tuple[list[str], str]:
    """Lines above the body and a prefix for its first paragraph; some items leave title, date or author out."""
    y, m, d = _date(rng)
    month = MONTHS[m - 1]
    title = rng.choice(TITLES[side])
    with_title, with_date, with_author = k % 3 != 2, k % 4 != 3, k % 2 == 0
    head: list[str] = []
    prefix = ""
    if layout == "armenpress":
        head = [title] if with_title else []
        prefix = f"{PLACES[side]}, {month.upper()} {d}, ARMENPRESS. "
    elif layout == "azertac":
        head = [title] if with_title else []
        prefix = f"Baku, {month} {d}, AZERTAC. "
    elif layout == "trend":
        head = [title] if with_title else []
        prefix = f"BAKU, Azerbaijan, {month[:3]}. {d}. Trend: "
    elif layout == "tass":
        prefix = f"MOSCOW, {month} {d}. /TASS/. "
    elif layout == "ria":
        prefix = f"MOSCOW, {d} {month[:3]} - RIA Novosti. "
    elif layout == "interfax":
        head = [title] if with_title else []
        prefix = f"Moscow. {month} {d}. INTERFAX - "
    elif layout in ("reuters", "reuters_copy"):
        head = [title] if with_title else []
        prefix = f"MOSCOW, {REUTERS_MONTHS[m - 1]} {d} (Reuters) - "
    elif layout == "ap":
        prefix = "YEREVAN, Armenia (AP) — "
    elif layout == "afp":
        head = [title]
        prefix = "Baku (AFP) - "
    elif layout == "anadolu":
        head = [title]
        prefix = "ANKARA (AA) - "
    elif layout == "domain_credit":
        head = [title] if with_title else []
        prefix = f"{outlet} - "
    elif layout == "byline_date":
        head = [title]
        if with_author:
            head.append(f"By {rng.choice(AUTHORS)}")
        if with_date:
            head.append(f"{month} {d}, {y}")
    elif layout == "title_date_iso":
        head = [title] + ([f"{y}-{m:02d}-{d:02d}"] if with_date else [])
    elif layout == "title_date_long":
        head = [title] + ([f"{d} {month} {y} 15:{10 + k:02d}"] if with_date else [])
    elif layout == "copyright":
        head = [title] if with_title else []
    elif layout == "title_only":
        head = [title] if with_title else []
    return head, prefix


def _body(side: str, rng: random.Random, k: int, n: int) -> list[str]:
    pool = SENTENCES[side] + (SENTENCES["international"] if side != "international" else [])
    if k % 5 == 4:                       # no naming label, no quotation
        chosen = rng.sample(PLAIN, min(n, len(PLAIN)))
    else:
        chosen = rng.sample(pool, min(n, len(pool)))
        if k % 3 == 1:                   # nobody quoted
            chosen = [s for s in chosen if "“" not in s] or [PLAIN[0]]
    # paragraphs of one or two sentences
    paragraphs, i = [], 0
    while i < len(chosen):
        step = 1 + (i + k) % 2
        paragraphs.append(" ".join(chosen[i:i + step]))
        i += step
    return paragraphs


def corpus30_documents(seed: int = 0) -> list[dict]:
    """The items of the 30-outlet corpus: file name, text, and the truth (outlet, side, country; None if none)."""
    rng = random.Random(seed)
    items = []
    n = 0
    reuters_text = None
    for (outlet, side, country, layout), count in zip(OUTLETS, ITEMS):
        for k in range(count):
            n += 1
            head, prefix = _header(layout, outlet, side, rng, n)
            if outlet == "Interfax":     # the outlet with one short note (two sentences) besides a normal item
                paragraphs = _body(side, rng, 0, 2) if k == 0 else _body(side, rng, n, rng.randint(4, 7))
            else:
                paragraphs = _body(side, rng, k + n, rng.randint(4, 7))
            if layout == "reuters" and reuters_text is None:
                paragraphs = [SENTENCES["international"][0], SENTENCES["international"][1] + " "
                              + SENTENCES["international"][5], SENTENCES["international"][4],
                              SENTENCES["international"][6] + " " + SENTENCES["international"][7]]
                reuters_text = list(paragraphs)
            if layout == "reuters_copy":  # the wire item re-published with small changes
                paragraphs = [p.replace("Nagorno-Karabakh", "Karabakh").replace("Monday", "Tuesday")
                              for p in reuters_text] + ["Al Jazeera could not independently verify the reports."]
            paragraphs[0] = prefix + paragraphs[0]
            lines = head + paragraphs
            if layout == "copyright":
                domain = outlet.lower().replace(" ", "") + ("" if "." in outlet else ".com")
                lines.append(f"© 2023 {domain}. All rights reserved.")
            items.append({"file": f"{n:03d}_{_file_slug(outlet)}.txt", "text": "\n\n".join(lines) + "\n",
                          "source": outlet, "side": side, "source_country": country})
    for k in range(N_UNKNOWN):           # nothing in the text says who published these
        n += 1
        paragraphs = _body(["international", "armenian", "azerbaijani", "russian"][k], rng, k, rng.randint(3, 5))
        lines = ([rng.choice(TITLES["international"])] if k % 2 else []) + paragraphs
        items.append({"file": f"{n:03d}_unattributed.txt", "text": "\n\n".join(lines) + "\n",
                      "source": None, "side": None, "source_country": None})
    return items


def _file_slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.lower())


def write_corpus30(folder: str | Path, *, manifest: str | None = None, seed: int = 0) -> list[dict]:
    """Write the 30-outlet corpus into ``folder``; ``manifest`` None (none), "subset" or "full"."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    items = corpus30_documents(seed)
    for item in items:
        (folder / item["file"]).write_text(item["text"], encoding="utf-8")
    if manifest:
        rows = [item for i, item in enumerate(items) if item["source"] and (manifest == "full" or i % 3 == 0)]
        _write_manifest(folder, rows)
    return items


def write_single_outlet(folder: str | Path, n_docs: int = 1, *, outlet: str = "Armenpress", seed: int = 0,
                        manifest: bool = True, plain: bool = False) -> list[dict]:
    """``n_docs`` items of one outlet (with a manifest naming it, unless ``manifest`` is False); ``plain``:
    sentences with no naming label and no quotation."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    spec = next(o for o in OUTLETS if o[0] == outlet)
    items = []
    for k in range(n_docs):
        head, prefix = _header(spec[3], outlet, spec[1], rng, k)
        paragraphs = _body(spec[1], rng, 4 if plain else k, rng.randint(4, 6))
        paragraphs[0] = prefix + paragraphs[0]
        item = {"file": f"{k:03d}_{_file_slug(outlet)}.txt", "text": "\n\n".join(head + paragraphs) + "\n",
                "source": outlet, "side": spec[1], "source_country": spec[2]}
        (folder / item["file"]).write_text(item["text"], encoding="utf-8")
        items.append(item)
    if manifest:
        _write_manifest(folder, items)
    return items


def _write_manifest(folder: Path, rows: list[dict]) -> None:
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "source", "side", "source_country"], lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row[k] for k in ("file", "source", "side", "source_country")})


if __name__ == "__main__":   # python tests/corpora.py /tmp/corpus30 [subset|full]
    import sys
    write_corpus30(sys.argv[1], manifest=sys.argv[2] if len(sys.argv) > 2 else None)
