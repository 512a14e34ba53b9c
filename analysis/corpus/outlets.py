"""News outlets: the outlet table, and which outlet a page comes from.

The table (``data/outlets.csv``, one row per outlet) gives each outlet's
registrable ``domain`` (several separated by ``;``: other domains and sub-domains
that are the same outlet), canonical ``name``, ``aliases`` (``;``-separated: how
the outlet writes itself in credits, ``ARMENPRESS``, ``ТАСС``, ``AA``...),
``country``, ``type`` (news agency, newspaper, broadcaster, news site, magazine,
think tank, opinion site), ``ownership`` (state, public, private) and ``notes``.

Using your own table: write a CSV with at least the columns ``domain`` and
``name`` (the others may be left empty or out), then either

    import analysis.corpus.outlets
    analysis.corpus.outlets.use_outlet_table("my_outlets.csv")            # your rows first, then the shipped ones
    analysis.corpus.outlets.use_outlet_table("my_outlets.csv", replace=True)  # only yours
    corpus = analysis.read_corpus("my_corpus", manifest=False)

or set the environment variable ``ANALYSIS_OUTLETS`` to the file's path (it also
reaches worker processes). A row of yours wins over a shipped row for the same
domain or alias. ``outlet_table()`` shows the table in use as a DataFrame.

:func:`infer_outlet` names a page's outlet when the manifest does not, in this
order of trust: the page's own metadata (its URL's domain, the site name of an
HTML page), then what the page says about itself (a copyright line, the
outlet's name or domain alone on a line, a URL on a line of its own, the
publication line), then the credit of the story (a dateline such as
``YEREVAN, AUGUST 7, ARMENPRESS.`` or ``MOSCOW (Reuters) -``, a byline credit
``By ... – Trend:``, an agency named alone under the headline, ``Trend reports``
in the first sentence). Every name is resolved through the table to the
outlet's canonical name; a domain that is not in the table is kept as written.
When the story is credited to another outlet than the site's (a Caliber.az page
re-running a TASS story), ``source`` is the site and the evidence names the
credited agency ("the story is credited to TASS ..."); with no sign of the site,
the credited agency is the source, and its evidence says so.
"""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError
from .._package import DATA_DIR

DEFAULT_TABLE = DATA_DIR / "outlets.csv"
COLUMNS = ["domain", "name", "aliases", "country", "type", "ownership", "notes"]
ENVIRONMENT_VARIABLE = "ANALYSIS_OUTLETS"

_user_table: tuple[str, bool] | None = None  # (path, replace) set by use_outlet_table


@dataclass(frozen=True)
class Outlet:
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    country: str | None
    type: str | None
    ownership: str | None
    notes: str | None
    where: str  # "outlets.csv, row 12": for evidence


class OutletIndex:
    """Look-ups in one outlet table: by domain (a host or URL) and by name (a credit as written)."""

    def __init__(self, outlets: list[Outlet]):
        self.outlets = outlets
        self._domains: dict[str, Outlet] = {}
        self._names: dict[str, Outlet] = {}
        for outlet in outlets:  # the first row to claim a domain or name keeps it
            for domain in outlet.domains:
                self._domains.setdefault(domain, outlet)
            for name in (outlet.name, *outlet.aliases, *outlet.domains):
                key = name_key(name)
                if key:
                    self._names.setdefault(key, outlet)
        # exact names and aliases as written, for bare lines that must match exactly (see is_outlet_line)
        self._exact = {name: outlet for outlet in outlets for name in (outlet.name, *outlet.aliases)}

    def by_domain(self, url_or_host: str) -> Outlet | None:
        """The outlet of a URL or host: the host itself, then its parent domains (en.azvision.az, azvision.az)."""
        host = host_of(url_or_host)
        if not host:
            return None
        parts = host.split(".")
        for i in range(len(parts) - 1):
            outlet = self._domains.get(".".join(parts[i:]))
            if outlet is not None:
                return outlet
        return None

    def by_name(self, name: str) -> Outlet | None:
        """The outlet a credit names (ARMENPRESS, /TASS/, The Associated Press, Caliber.Az), or None."""
        key = name_key(name)
        outlet = self._names.get(key) if key else None
        if outlet is None and looks_like_domain(name):
            outlet = self.by_domain(name)
        return outlet

    def exact(self, text: str) -> Outlet | None:
        """The outlet whose name or alias is exactly ``text`` (same case): an agency named alone on a line."""
        return self._exact.get(text)


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A credit as a look-up key: case, accents, quotes, slashes and a leading "The" do not count."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\"'«»“”„/()\[\]]", " ", text)
    text = re.sub(r"^\s*the\s+|^\s*www\.", "", text)
    text = re.sub(r"[\s.,:;–—-]+$", "", text)
    return " ".join(text.split())


_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\d?\.)?([^/:?#\s]+)", re.IGNORECASE)
_DOMAIN_SHAPE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,12}(?:[/:?#]\S*)?$")


def host_of(url_or_host: str) -> str | None:
    m = _HOST.match(str(url_or_host).strip())
    return m.group(1).lower().rstrip(".") if m else None


def looks_like_domain(text: str) -> bool:
    """``caliber.az``, ``PanARMENIAN.Net``, ``https://en.trend.az/...``: a name with a real top-level domain."""
    text = str(text).strip()
    if not _DOMAIN_SHAPE.match(text):
        return False
    return registrable_domain(text) is not None


@functools.lru_cache(maxsize=4096)
def registrable_domain(url_or_host: str) -> str | None:
    """``en.azvision.az`` -> ``azvision.az``, ``www.aa.com.tr`` -> ``aa.com.tr`` (the public suffix list, via tld)."""
    from tld import get_fld

    host = host_of(url_or_host)
    if not host or "." not in host:
        return None
    try:
        return get_fld(host, fix_protocol=True, fail_silently=True)
    except Exception:  # (tld raises on some malformed hosts)
        return None


# ----------------------------------------------------------------------------- the table

def use_outlet_table(path: str | Path | None, *, replace: bool = False) -> None:
    """Use the researcher's outlet table from now on (``None``: back to the shipped one).

    Its rows come before the shipped ones (they win for a domain or alias both
    list), or, with ``replace=True``, the shipped table is not used at all.
    The file is checked now: a malformed table raises :class:`CorpusError`.
    """
    global _user_table
    if path is None:
        _user_table = None
        return
    _read_rows(str(path))  # fail early, naming the file
    _user_table = (str(path), replace)


def outlet_table(path: str | Path | None = None) -> "pd.DataFrame":
    """The outlet table in use (or the one in ``path``) as a DataFrame, one row per outlet.

    Columns: domain, name, aliases, country, type, ownership, notes (``;`` separates
    several domains or aliases).
    """
    import pandas as pd

    outlets = _outlets(*_table_spec(path))
    rows = [{"domain": ";".join(o.domains), "name": o.name, "aliases": ";".join(o.aliases),
             "country": o.country, "type": o.type, "ownership": o.ownership, "notes": o.notes} for o in outlets]
    return pd.DataFrame(rows, columns=COLUMNS)


def outlet_index(path: str | Path | None = None) -> OutletIndex:
    """The look-ups for the table in use (cached; a changed file is read again)."""
    global _last_index
    now = time.monotonic()
    last = _last_index
    if last is not None and now - last[1] < _RECHECK_SECONDS and last[0] == (path, _user_table,
                                                                             os.environ.get(ENVIRONMENT_VARIABLE)):
        return last[2]  # (the files' modification times are looked at once a second, not per page)
    key = (path, _user_table, os.environ.get(ENVIRONMENT_VARIABLE))
    index = _index(*_table_spec(path))
    _last_index = (key, now, index)
    return index


_RECHECK_SECONDS = 1.0
_last_index: tuple | None = None


def _table_spec(path) -> tuple[tuple[tuple[str, float], ...], bool]:
    """The files to read, each with its modification time (so an edited table is read again)."""
    if path is not None:
        files, replace = [str(path)], True
    elif _user_table is not None:
        files, replace = [_user_table[0]], _user_table[1]
    elif os.environ.get(ENVIRONMENT_VARIABLE):
        files, replace = [os.environ[ENVIRONMENT_VARIABLE]], False
    else:
        files, replace = [], False
    if not replace:
        files.append(str(DEFAULT_TABLE))
    return tuple((f, _mtime(f)) for f in files), replace


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return -1.0


@functools.lru_cache(maxsize=8)
def _index(files: tuple[tuple[str, float], ...], replace: bool) -> OutletIndex:
    return OutletIndex(_outlets(files, replace))


@functools.lru_cache(maxsize=8)
def _outlets(files: tuple[tuple[str, float], ...], replace: bool) -> list[Outlet]:
    outlets = []
    for path, _ in files:
        outlets.extend(_read_rows(path))
    return outlets


def _read_rows(path: str) -> list[Outlet]:
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise CorpusError(f"{path}: cannot read the outlet table: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise CorpusError(f"{path}: the outlet table is not UTF-8 ({err.reason} at byte {err.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if "name" not in header or "domain" not in header:
        raise CorpusError(f"{path}: an outlet table needs the columns domain and name "
                          f"(and may have {', '.join(COLUMNS[2:])}); it has {', '.join(header) or 'none'}")
    outlets = []
    for row in reader:
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        where = f"{name}, row {reader.line_num}"
        if not row.get("name"):
            raise CorpusError(f"{path}, row {reader.line_num}: an outlet needs a name")
        domains = tuple(d for d in (host_of(x) for x in _split(row.get("domain", ""))) if d)
        outlets.append(Outlet(row["name"], domains, tuple(_split(row.get("aliases", ""))),
                              row.get("country") or None, row.get("type") or None, row.get("ownership") or None,
                              row.get("notes") or None, where))
    return outlets


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


# ----------------------------------------------------------------------------- credits in a page

SITE, STORY, SIGNATURE = 0, 1, 2  # kinds of credit, in order of trust (see infer_outlet)


@dataclass(frozen=True)
class Credit:
    """An outlet named by a page: as written, resolved (or not) through the table, and where."""

    written: str
    outlet: Outlet | None
    how: str        # "URL domain", "copyright line", "dateline credit", ...
    evidence: str   # line number and text, or the metadata it came from
    kind: int       # SITE (the page naming its site), STORY (the story's credit) or SIGNATURE (a bare name line)

    @property
    def name(self) -> str:
        return self.outlet.name if self.outlet is not None else self.written

    @property
    def site(self) -> bool:
        return self.kind != STORY

    def describe(self) -> str:
        known = (f"-> {self.outlet.name} ({self.outlet.where})" if self.outlet is not None and
                 self.outlet.name != self.written else
                 f"({self.outlet.where})" if self.outlet is not None else "(not in the outlet table)")
        return f"{self.how} {self.written!r} {known}; {self.evidence}"


# A copyright line: "© 2023 Reuters", "Copyright © Caliber.Az", "Caliber.az © 2024. .", "(c) 2021 News.am"
_COPYRIGHT_WORDS = re.compile(r"©|\(c\)|copyright|all rights reserved|все права защищены|\b(19|20)\d\d\b|[|.,:;–—-]",
                              re.IGNORECASE)
_SITE_COPYRIGHT = re.compile(r"\b(?:19|20)\d\d\b|copyright|\(c\)|all rights reserved|все права защищены",
                             re.IGNORECASE)
_NOT_SITE_COPYRIGHT = re.compile(r"\b(?:photo|image|picture|video|credit|illustration|фото|видео|şəkil|foto)\w*|"
                                 r"\bvia\b|/", re.IGNORECASE)
_HYPERLINK_TO = re.compile(r"hyperlink to\s+(?:the\s+)?(?P<name>[\w.-]+\.\w{2,})", re.IGNORECASE)
_URL_LINE = re.compile(r"^(?:(?:source|url|original|link|read more|источник|mənbə)\s*:?\s*)?"
                       r"(?P<url>(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S*)$", re.IGNORECASE)
# "Source: Meduza", "Источник: Meduza", "Mənbə: APA"; "(MENAFN- Trend News Agency)"; "— Reuters" below the story
_SOURCE_LINE = re.compile(r"^(?:source|источник|mənbə|kaynak|джерело|წყარო)\s*:\s*(?P<name>[^:]{2,40}?)[.\s]*$",
                          re.IGNORECASE)
_SYNDICATION = re.compile(r"^\(MENAFN\s*[-–—]\s*(?P<name>[^()]{2,40})\)")
_DASH_CREDIT = re.compile(r"^[-–—]\s*(?P<name>[^-–—]{2,40}?)\s*$")
# "Become an OC Media Member", "Support The Guardian", "Subscribe to Meduza": the site asking for support
_NOT_OUTLETS = {"facebook.com", "twitter.com", "x.com", "t.me", "telegram.org", "instagram.com", "youtube.com",
                "youtu.be", "vk.com", "ok.ru", "linkedin.com", "whatsapp.com", "google.com", "tiktok.com",
                "wikipedia.org", "archive.org", "bit.ly"}
_PROMO_STARTS = {"bec", "sup", "sub", "don", "joi"}
_PROMO_LINE = re.compile(r"^(?:become an?|support|subscribe to|donate to|join)\s+(?P<name>.{2,40}?)"
                         r"(?:\s+(?:member|membership|today|now))?[.!]?$", re.IGNORECASE)
# Story credits in a dateline: "(Reuters)", "/TASS/", "(AA)"; or "…, ARMENPRESS." / "— РИА Новости." at its end
_CREDIT_IN_BRACKETS = re.compile(r"[(/]\s*(?P<name>[^()/]{2,40}?)\s*[)/]")
_TRAILING_CREDIT = re.compile(r"(?:^|[,.:;–—-]\s*|\s)(?P<name>[^\s,.:;–—-][^,:;–—]{1,38}?)[\s.:]*$")
# "…, Trend reports." / "…, Report informs, citing …" / "…, News.Az reports citing …" (an outlet crediting its own
# story: "reports Sputnik" or "according to Reuters" cite another outlet and are not read); Azerbaijani
# "NUHÇIXAN xəbər verir ki" / "\"Report\" xəbər verir"; Russian "Как сообщает Paralel.az" (a domain: the site itself)
_NAME = r"(?P<name>(?:[A-Z][\w.&'’-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w.&'’-]*|[A-Z]{2,})){0,3})"
_REPORTS = re.compile(r",\s+" + _NAME + r"\s+(?:reports|reported|informs|informed)"
                      r"(?=\s*(?:[.,;:…]|citing\b|that\b|with reference\b|$))")
_REPORTS_AZ = re.compile(r"(?:^|[.!?]\s+)[\"«“]?(?P<name>[^\W\d_][\w.-]*(?:\s+[^\W\d_][\w.-]*)?)[\"»”]?\s+"
                         r"(?:xəbər|məlumat)\s+verir\b")
_REPORTS_RU = re.compile(r"(?:^|[.,]\s+)(?:как\s+)?(?:сообщает|передает|передаёт)\s+(?P<name>[\w-]+(?:\.[\w-]+)+)",
                         re.IGNORECASE)


def infer_outlet(found: dict, lines: list[dict], url: str | None = None) -> dict[str, tuple[object, str]]:
    """``source``, ``source_country`` and ``source_type`` (value, evidence), from what the page shows.

    ``found``: the metadata read from the page (cleaning and HTML metadata: url,
    source, dateline, credit, publication); ``lines``: the cleaning audit rows;
    ``url``: the document's address when the manifest gives it.

    The site (the page's URL or site name, a copyright line, the site's own
    promotion line, the publication line) comes first; then the story's credit
    (dateline, byline credit, an agency named alone under the headline,
    "Trend reports"); then a name or domain alone on a line (a signature, which on
    aggregator pages may belong to another item).
    """
    index = outlet_index()
    credits = page_credits(found, lines, url, index)
    site = next((c for c in credits if c.kind == SITE), None)
    story = next((c for c in credits if c.kind == STORY), None)
    signature = next((c for c in credits if c.kind == SIGNATURE), None)
    chosen = site or story or signature
    if chosen is None:
        note = "the text names no outlet; give 'source' in the manifest"
        return {"source": (None, note), "source_country": (None, note), "source_type": (None, note)}
    evidence = chosen.describe()
    if chosen is story:
        evidence = (f"credited in the text: {evidence}; nothing on the page names the site itself "
                    "(a page re-running another outlet's story credits it the same way: give 'source' "
                    "in the manifest if the site is another)")
    elif chosen is site and story is not None and story.name != site.name:
        evidence += f"; the story is credited to {story.name} ({story.describe()}): a re-run of its report"
    others = [c for c in credits if c is not chosen and c is not story and c.name != chosen.name]
    if others:
        evidence += "; also named: " + "; ".join(c.describe() for c in others[:3])
    result = {"source": (chosen.name, evidence)}
    outlet = chosen.outlet
    for field, attr in (("source_country", "country"), ("source_type", "type")):
        value = getattr(outlet, attr) if outlet is not None else None
        if value:
            result[field] = (value, f"outlet table ({outlet.where}) for {outlet.name}, the source inferred from "
                                    f"{chosen.how} ({chosen.evidence})")
        else:
            result[field] = (None, f"{chosen.name} is not in the outlet table (analysis/data/outlets.csv)"
                             if outlet is None else f"the outlet table gives no {attr} for {outlet.name}")
    return result


def page_credits(found: dict, lines: list[dict], url: str | None = None,
                 index: OutletIndex | None = None) -> list[Credit]:
    """Every outlet the page names, each with its kind (SITE, STORY, SIGNATURE), in page order within a kind."""
    index = index or outlet_index()
    credits: list[Credit] = []

    def add(written: str, outlet: Outlet | None, how: str, evidence: str, kind: int) -> None:
        credits.append(Credit(written.strip(), outlet, how, evidence, kind))

    kept = [i for i, row in enumerate(lines) if row["action"] == "kept"]
    first_kept, last_kept = (kept[0], kept[-1]) if kept else (len(lines), len(lines))

    # the site: page metadata (URL domain, HTML site name), then the lines (copyright, URL, promotion), publication
    for value, how in ((url, "the manifest's URL"), (found.get("url", (None,))[0], "the page's URL")):
        if value and looks_like_domain(host_of(value) or ""):
            host = host_of(value)
            outlet = index.by_domain(host)
            add(outlet.name if outlet else (registrable_domain(host) or host), outlet, f"{how} domain",
                f"{value!r}", SITE)
    if found.get("source"):
        name, evidence = found["source"]
        add(str(name), index.by_name(str(name)), "the page's site name", evidence, SITE)
    story: list[tuple] = []       # (written, outlet, how, row) credits of the story found in the lines
    signatures: list[tuple] = []
    for i, row in enumerate(lines):  # one pass over the lines, cheap tests first
        text, reason = row["text"], row["reason"]
        if len(text) > 200:
            if i < first_kept + 12 and text.startswith("(MENAFN"):
                m = _SYNDICATION.match(text)
                if m and index.by_name(m.group("name")) is not None:
                    story.append((m.group("name"), index.by_name(m.group("name")), "syndication line", row))
            continue
        if reason == "copyright_notice":
            written = _copyright_name(text)
            outlet = index.by_name(written) if written else None
            if written and (outlet is not None or looks_like_domain(written)):
                add(written, outlet, "copyright line", _row_evidence(row), SITE)
        elif reason == "outlet_signature":
            signatures.append((text, index.by_name(text), "outlet's name alone on a line", row))
        if "." in text and (" " not in text or text[:1] in "SsUuOoLlRrИиM") and reason != "url":
            m = _URL_LINE.match(text)
            if m and looks_like_domain(m.group("url")):
                outlet = index.by_domain(m.group("url"))
                host = host_of(m.group("url"))
                # a known outlet's address anywhere; another only in the text kept (not a share or menu link)
                if outlet is not None or (row["action"] == "kept" and registrable_domain(host) not in _NOT_OUTLETS):
                    add(outlet.name if outlet else (registrable_domain(host) or host), outlet,
                        "URL on a line of its own", _row_evidence(row), SITE)
        if text[:3].lower() in _PROMO_STARTS:
            m = _PROMO_LINE.match(text)
            if m and index.by_name(m.group("name")) is not None:
                add(m.group("name"), index.by_name(m.group("name")), "the site's own promotion line",
                    _row_evidence(row), SITE)
        if i < first_kept + 12 and ((len(text) <= 60 and ":" in text) or text.startswith("(MENAFN")):
            m = _SYNDICATION.match(text) or _SOURCE_LINE.match(text)
            if m and index.by_name(m.group("name")) is not None:
                story.append((m.group("name"), index.by_name(m.group("name")), "syndication or source line", row))
        if i < first_kept:
            plain = text.strip("•·-–— ")
            outlet = is_outlet_line(plain, index)
            if outlet is not None:
                story.append((plain, outlet, "an outlet named alone in the header", row))
        elif last_kept < i <= last_kept + 4 and len(text) <= 42:
            m = _DASH_CREDIT.match(text)
            name = m.group("name") if m else text
            outlet = index.exact(name)
            if outlet is not None:
                signatures.append((name, outlet, "an outlet named alone below the story", row))
    if found.get("publication"):
        name, evidence = found["publication"]
        add(str(name), index.by_name(str(name)), "publication line", evidence, SITE)

    # the story's credit: dateline, byline credit, the lines above, an agency dateline, "X reports"
    if found.get("dateline"):
        value, evidence = found["dateline"]
        written, outlet = dateline_credit(str(value), index)
        if written:
            add(written, outlet, "dateline credit", evidence, STORY)
    if found.get("credit"):
        value, evidence = found["credit"]
        add(str(value), index.by_name(str(value)), "credit", evidence, STORY)
    for written, outlet, how, row in story:
        add(written, outlet, how, _row_evidence(row), STORY)
    for i in kept[:3]:
        row = lines[i]
        found_dateline = agency_dateline(row["text"], index)
        if found_dateline is not None:
            add(found_dateline[1], found_dateline[2], "agency dateline", _row_evidence(row), STORY)
        elif len(row["text"]) <= 60:
            whole = dateline_line(row["text"], index)  # "Baku, May 21, AZERTAC" on a line of its own
            if whole is not None and whole[1] is not None:
                add(whole[0], whole[1], "agency dateline", _row_evidence(row), STORY)
    for i in kept[:2]:
        row = lines[i]
        written, outlet = reports_credit(row["text"], index)
        if written:
            add(written, outlet, "credit in the first paragraph", _row_evidence(row), STORY)

    # a name or domain alone on a line (a signature), "— Reuters" below the story
    for written, outlet, how, row in signatures:
        add(written, outlet, how, _row_evidence(row), SIGNATURE)
    return credits


def dateline_credit(dateline: str, index: OutletIndex | None = None) -> tuple[str | None, Outlet | None]:
    """The outlet a dateline credits: "MOSCOW (Reuters)" -> Reuters, "YEREVAN, AUGUST 7, ARMENPRESS" ->
    Armenpress, "PanARMENIAN.Net" -> PanARMENIAN.Net; (None, None) when it names a place only."""
    index = index or outlet_index()
    text = dateline.strip(" -–—:.")
    if looks_like_domain(text):
        return text, index.by_name(text)
    for m in _CREDIT_IN_BRACKETS.finditer(text):
        outlet = index.by_name(m.group("name"))
        if outlet is not None or looks_like_domain(m.group("name")):
            return m.group("name"), outlet
    m = _TRAILING_CREDIT.search(text)
    if m:
        outlet = index.by_name(m.group("name"))
        if outlet is not None:
            return m.group("name").strip(), outlet
    if "/" in text:  # "Baku/04.08.22/Turan"
        last = text.rsplit("/", 1)[1].strip()
        outlet = index.by_name(last)
        if outlet is not None:
            return last, outlet
    return None, None


def reports_credit(paragraph: str, index: OutletIndex | None = None) -> tuple[str | None, Outlet | None]:
    """"…, Trend reports." / "…, Report informs, citing …" / "NUHÇIXAN xəbər verir ki" / "Как сообщает
    Paralel.az" near the start of a paragraph: the outlet crediting its own story. Names must be in the outlet
    table (the Russian form: a domain, the site itself; "сообщает ТАСС" cites another outlet)."""
    index = index or outlet_index()
    head = paragraph[:500]
    if "report" not in head and "inform" not in head and "verir" not in head and "ообща" not in head \
            and "ереда" not in head:  # (the verbs below: most paragraphs have none)
        return None, None
    for m in _REPORTS.finditer(head):
        words = m.group("name").split()
        for k in range(len(words), 0, -1):  # the longest known name at the end: "the agency News.Az" -> News.Az
            candidate = " ".join(words[-k:])
            outlet = index.by_name(candidate)
            if outlet is not None:
                return candidate, outlet
    m = _REPORTS_AZ.search(head) if "verir" in head else None
    if m and index.by_name(m.group("name")) is not None:
        return m.group("name"), index.by_name(m.group("name"))
    m = _REPORTS_RU.search(head)
    if m and looks_like_domain(m.group("name")):
        return m.group("name"), index.by_name(m.group("name"))
    return None, None


def is_outlet_line(text: str, index: OutletIndex | None = None) -> Outlet | None:
    """Is ``text`` an outlet's name alone on a line ("Reuters" under a headline)? Exact name or alias, as
    the outlet writes it, of four characters or more and not an everyday word ("Report", "Trend", "Day")."""
    if len(text) < 4 or len(text) > 40 or text.casefold() in _EVERYDAY_NAMES:
        return None
    return (index or outlet_index()).exact(text)


_EVERYDAY_NAMES = {"report", "trend", "day", "nova", "independent", "guardian", "economist", "sky", "times", "radar",
                   "panorama", "telegraph", "jamestown", "turan", "minval", "lenta", "fontanka", "hurriyet",
                   "hürriyet", "caliber", "anadolu", "oxu", "arka", "civil.ge", "sputnik", "interfax"}


def _copyright_name(text: str) -> str | None:
    """The owner a copyright line names ("© 2023 Reuters" -> "Reuters"), or None for a photo credit."""
    m = _HYPERLINK_TO.search(text)
    if m:
        return m.group("name").rstrip(".")
    if _NOT_SITE_COPYRIGHT.search(text):
        return None
    if "©" not in text and not re.search(r"\(c\)|copyright", text, re.IGNORECASE):
        return None
    rest = _COPYRIGHT_WORDS.sub(" ", text.replace("©", " © "))
    rest = re.sub(r"\b(?:the|inc|ltd|llc|cjsc|ojsc|by)\b", " ", rest, flags=re.IGNORECASE)
    words = rest.split()
    if not words or len(words) > 5:
        return None
    # "Caliber.az © 2024. ." loses its dots with the punctuation: look for the domain in the line itself
    for token in text.split():
        token = token.strip("©.,;:()")
        if looks_like_domain(token):
            return token
    # "© Reuters" alone, with no year or "All rights reserved", is a photo credit
    return " ".join(words) if _SITE_COPYRIGHT.search(text) else None


def _row_evidence(row: dict) -> str:
    text = row["text"] if len(row["text"]) <= 120 else row["text"][:117] + "..."
    return f"line {row['line_no']}: {text!r}"


# ----------------------------------------------------------------------------- datelines

_PLACE = r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2}"
_WHEN = r"(?:\d{1,2}\s+(?P<m1>[^\W\d_]+)\.?|(?P<m2>[^\W\d_]+)\.?\s+\d{1,2})"
_DATELINE_HEAD = re.compile(rf"^(?P<place>{_PLACE})(?:,\s*{_PLACE})?,\s+{_WHEN}(?:,?\s+\d{{4}})?\s*[,.]?\s*(?:[—–-]\s*)?")
_DATELINE_ONLY = re.compile(rf"^(?P<place>{_PLACE})(?:,\s*{_PLACE})?,\s+{_WHEN}(?![\d,]*\s*\d{{4}})\.?"
                            r"(?:\s*[,.]?\s*(?:[—–-]\s*)?(?P<agency>[^\d,.:;]{2,40}?)[.:]?)?$")
# Turan: "Baku/04.08.22/Turan: "; a bare bracketed agency: "(Reuters) - "
_SLASH_DATELINE = re.compile(r"^(?P<place>[^\W\d_][\w'’.-]*)/(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2}|\d{4})/"
                             r"\s*(?P<agency>[^/:]{2,30}?)\s*:\s+(?=\S)")
_BRACKET_CREDIT = re.compile(r"^\((?P<agency>[^()]{2,30})\)\s*[-–—]\s*(?=\S)")
_SLASHED = re.compile(r"/\s*(?P<name>[^/\s][^/]{1,20}?)\s*/\s*[.:]?\s+(?=\S)")


def _month_ok(m: re.Match) -> bool:
    from .dates import month_words

    word = (m.group("m1") or m.group("m2") or "").lower()
    return m.group("place")[:1].isupper() and word in month_words()


def agency_dateline(text: str, index: OutletIndex | None = None) -> tuple[int, str, Outlet] | None:
    """An agency's dateline opening a paragraph, "YEREVAN, AUGUST 7, ARMENPRESS. ", "MOSCOW, September 20.
    /TASS/. ", "МОСКВА, 11 янв — РИА Новости. ", "Baku, August 13, AZERTAC ", "Baku/04.08.22/Turan: ",
    "(Reuters) - ": (its length, the credit as written, the outlet), or None. The agency must be in the
    outlet table."""
    index = index or outlet_index()
    for pattern in (_SLASH_DATELINE, _BRACKET_CREDIT):
        m = pattern.match(text)
        if m:
            outlet = index.by_name(m.group("agency"))
            return (m.end(), text[:m.end()].strip(), outlet) if outlet is not None else None
    m = _DATELINE_HEAD.match(text)
    if not m or not m.group("place")[:1].isupper():
        return None
    start = m.end()
    rest = text[start:]
    slashed = _SLASHED.match(rest)
    if slashed:
        outlet = index.by_name(slashed.group("name"))
        if outlet is not None:
            end = start + slashed.end()
            return end, text[:end].strip(), outlet
        return None
    tokens = list(re.finditer(r"\S+", rest[:80]))
    for k in range(min(4, len(tokens)), 0, -1):
        last = tokens[k - 1]
        written = rest[:last.end()]
        name = written.rstrip(".:,")
        outlet = index.by_name(name)
        if outlet is None:
            continue
        closed = written != name  # "ARMENPRESS." / "РИА Новости."
        if not (closed or name.isupper()) or last.end() >= len(rest.rstrip()):
            return None
        end = start + last.end() + (len(rest[last.end():]) - len(rest[last.end():].lstrip()))
        return end, text[:start + last.end()].strip(), outlet
    return None


def dateline_date(text: str):
    """The date of a Turan-style dateline, "Baku/04.08.22/Turan:" -> 2022-08-04 (a two-digit year is this
    century's), or None."""
    from datetime import datetime

    m = _SLASH_DATELINE.match(text if text.endswith(" ") else text + " x")
    if not m:
        return None
    year = int(m.group("y"))
    year = year + 2000 if year < 100 else year
    try:
        value = datetime(year, int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return value if 2000 <= year <= datetime.now().year else None


def dateline_line(text: str, index: OutletIndex | None = None) -> tuple[str, Outlet | None] | None:
    """A line that is only a dateline, "Baku, Azerbaijan, Jan. 24", "YEREVAN, SEPTEMBER 26", "Baku, February 26,
    AZERTAC": (the dateline, the agency it credits or None), or None. Without an agency the month must be a
    month name (English, Russian, Azerbaijani, Armenian, Turkish); with one, the agency must be in the table."""
    m = _DATELINE_ONLY.match(text)
    if m is None or not m.group("place")[:1].isupper():
        return None
    agency = m.group("agency")
    if agency:
        outlet = (index or outlet_index()).by_name(agency)
        return (text, outlet) if outlet is not None else None
    return (text, None) if _month_ok(m) else None


def dateline_only(text: str) -> bool:
    """A line that is only a dateline without a year or agency: "Baku, Azerbaijan, Jan. 24"."""
    found = dateline_line(text)
    return found is not None and found[1] is None


def outlet_fields(source: str, how: str) -> dict[str, tuple[object, str]]:
    """source_country and source_type of a given source (the manifest's), from the outlet table."""
    outlet = outlet_index().by_name(source)
    result: dict[str, tuple[object, str]] = {}
    for field, attr in (("source_country", "country"), ("source_type", "type")):
        value = getattr(outlet, attr) if outlet is not None else None
        if value:
            result[field] = (value, f"outlet table ({outlet.where}) for {outlet.name}, {how} {source!r}")
        else:
            result[field] = (None, f"{how} {source!r} is not in the outlet table (analysis/data/outlets.csv)"
                             if outlet is None else f"the outlet table gives no {attr} for {outlet.name}")
    return result


def leftover_outlet(leftover: str, index: OutletIndex | None = None) -> Outlet | None:
    """The outlet that the rest of a date line names ("RFE/RL Armenian Service – 10/26/2023", "information
    fournie par France 24 • 28/09/2021"): the whole rest, or its last or first one to four words."""
    index = index or outlet_index()
    words = leftover.split()
    if not words or len(words) > 8:
        return None
    candidates = [" ".join(words)] + [" ".join(words[-k:]) for k in range(min(4, len(words)), 0, -1)] \
        + [" ".join(words[:k]) for k in range(min(4, len(words)), 0, -1)]
    for candidate in candidates:
        if len(candidate) >= 2 and candidate.casefold() not in _EVERYDAY_NAMES:
            outlet = index.by_name(candidate)
            if outlet is not None and (len(candidate) >= 4 or candidate.isupper()):
                return outlet
    return None


def canonical_site_name(name: str, evidence: str) -> tuple[str, str]:
    """A page's own site name (HTML metadata) as the outlet table names the outlet, with the evidence."""
    outlet = outlet_index().by_name(str(name))
    if outlet is None or outlet.name == str(name).strip():
        return name, evidence
    return outlet.name, f"{evidence}; the page's site name {str(name)!r} is {outlet.name} ({outlet.where})"
