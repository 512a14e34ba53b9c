"""Authors from bylines: who wrote an article, and what a byline says that is not a person.

* :func:`read_byline` reads what follows "By", "Author –", "Story by", "Автор:",
  "Müəllif:" ...: the author (one person or several), an outlet credit riding
  along ("By Ali Mustafayev – Trend:" credits Trend), and a note when the byline
  names no person: placeholders ("AGENCY", "Staff", "Admin", "Editorial",
  "Newsroom", "Reuters Staff", "Staff Reporter", "Our correspondent") and outlet
  names ("By REUTERS") are not authors.
* :func:`name_line` tells a line that is only a person's name ("Aisha Jabbarova",
  two names joined by "|"), as sites print a byline under the headline without
  "By". It is conservative: two to four capitalised words, a first name it knows
  (``GIVEN_NAMES``), none of them a place, an outlet, a month, a menu word or a
  politician of the actor gazetteer.
* :func:`job_title_line`: "International Editor", "Staff Reporter" alone on a line:
  a byline whose name is missing.
* :func:`end_credit` reads a wire story's closing credit, "(Reporting by Dmitry
  Antonov; Writing by Felix Light; Editing by ...)": the reporters are the
  authors; writers and editors are kept in the note.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .._package import DATA_DIR

# What a byline may say instead of a person's name (compared case-insensitively, whole byline)
PLACEHOLDERS = {
    "agency", "agencies", "staff", "staff reporter", "staff writer", "staff writers", "staff reporters", "admin",
    "administrator", "editor", "editors", "editorial", "editorial board", "editorial staff", "editorial team",
    "editorial office", "newsroom", "news desk", "web desk", "desk", "online desk", "news service", "newswire",
    "wire services", "wire service", "reuters staff", "ap staff", "afp staff", "correspondent",
    "our correspondent", "our correspondents", "special correspondent", "own correspondent", "guest",
    "guest author", "anonymous", "unknown", "press release", "press service", "press office", "team",
    "combined sources", "source", "sources", "contributor", "contributors", "редакция", "корреспондент",
    "наш корреспондент", "собкор", "администратор", "redaksiya", "müxbir", "admin admin", "webmaster",
    "international editor", "foreign editor", "political editor", "news editor", "editor-in-chief",
    "desk report", "staff report", "report desk", "online report", "news report",
}
_JOB_WORDS = {"editor", "correspondent", "reporter", "writer", "journalist", "contributor", "columnist",
              "analyst", "producer", "staff", "desk", "newsroom", "team", "bureau", "chief", "senior", "deputy",
              "international", "foreign", "political", "diplomatic", "security", "defence", "defense",
              "economics", "business", "world", "europe", "russia", "caucasus", "special", "our", "own",
              "news", "online", "digital", "associate", "contributing", "freelance", "guest", "managing"}

# First names seen in bylines of the region's and international outlets (Latin and Cyrillic spellings).
GIVEN_NAMES = frozenset("""
aisha aysel aynur aygun aytan aziz elchin elmir elnur emil emin farid fuad gunay ilaha javid kamran leyla
mahammad murad nigar orkhan rashad rauf ruslan samir sevinj shahin tural ulviyya vusal zaur ziya ali nurlan
ramil rovshan ilgar elshan anar arzu konul lala sabina narmin nargiz seymur vugar rufat rasim togrul teymur
anahit ani anna armine arpi arshaluys artak artur ashot astghik aram armen arman davit gayane gohar grigor
hayk hovhannes karen lilit lusine marut mariam narek nelli siranush sona suren tatevik tigran vahe vahagn
varuzhan zara gegham haykaz hasmik naira nane shushan ruben samvel sargis levon edgar eduard emma
alexander alexandra alexei alexey anastasia andrei andrey anton boris daria dmitry dmitri egor elena
evgeny fyodor galina igor ilya irina ivan kirill konstantin ksenia lilia lyudmila maksim maxim margarita
marina mikhail natalia nikita nikolai oleg olga pavel polina roman sergei sergey svetlana tatiana vadim
valentina vasily viktor vladimir yekaterina yulia yuri zhanna ekaterina andrew
aaron adam alan albert alex alice alison amanda amy andrea angela anne anthony ben benjamin brian carl
caroline catherine charles charlotte chris christian christopher claire daniel david dominic douglas edward
eleanor elizabeth emily eric felix frank gabriel george hannah harry helen henry ian jack jacob james jane
jason jennifer jessica joe john jonathan joseph joshua julia julian kate katherine kevin laura laurence
lucy luke mark martin mary matthew michael michelle nathan neil nicholas nick oliver patrick paul peter
philip rachel rebecca richard robert ryan sam samuel sarah scott sebastian simon sophie stephen steven
susan thomas tim timothy tom victoria william joshua nadia lara giorgi nino tamar levan irakli mehmet
ahmet mustafa fatma ayse emre murat burak can hasan huseyin ibrahim yusuf omer zeynep
агния александр александра алексей анастасия андрей антон борис дарья дмитрий егор елена евгений иван
игорь илья ирина кирилл константин ксения лилия максим мария марина михаил наталья никита николай олег
ольга павел полина роман сергей светлана татьяна юлия юрий владимир анна екатерина
""".split())

# Typical surname endings (Armenian, Azerbaijani, Russian, Georgian, Turkish, Slavic)
_SURNAME_END = re.compile(r"(?:yan|ian|jan|yants|ov|ova|ev|eva|yev|yeva|in|ina|iy|aya|li|lu|zade|zadeh|oglu|oğlu|"
                          r"enko|sky|ski|skaya|dze|shvili|ян|янц|ов|ова|ев|ева|ин|ина|ский|ская|енко)$",
                          re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſƏİŞĞÇÖÜ][a-zß-öø-ÿā-ſəışğçöü'’]+(?:-[A-ZÀ-ÖØ-ÞƏİ][a-zß-öø-ÿəışğçöü'’]+)?|"
                        r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?|[A-Z]\.)$")
_PARTICLES = {"de", "van", "von", "der", "al", "el", "bin", "ibn", "da", "di", "du", "la", "le", "ter"}
_READING_TIME = re.compile(r"\b\d+\s*(?:min(?:ute)?s?|мин(?:ут[аы]?)?)\.?\s*(?:read|чтения)\b", re.IGNORECASE)
_DESK = re.compile(r"\s+(?:news\s+)?(?:desk|staff|team|newsroom|reporters?)$", re.IGNORECASE)
_PEOPLE_SEPARATOR = re.compile(r"\s*(?:\||,|&|\band\b|\bи\b|\bvə\b|\bve\b)\s*")
_CREDIT_SEPARATOR = re.compile(r"\s*(?:[|/–—]|\s-\s|,)\s*")
_STOP_WORDS = {
    # menu, section and page words that may stand capitalised on a short line
    "home", "news", "world", "politics", "economy", "business", "society", "sport", "sports", "culture",
    "opinion", "analysis", "video", "photo", "photos", "latest", "top", "more", "read", "share", "follow",
    "subscribe", "login", "search", "menu", "contact", "about", "region", "regions", "live", "breaking",
    "main", "feature", "features", "interview", "interviews", "podcast", "podcasts", "comment", "comments",
    "editorial", "blog", "blogs", "press", "release", "releases", "archive", "tags", "tag", "all", "show",
    "back", "next", "previous", "prev", "story", "stories", "related", "articles", "article", "media",
    "international", "local", "national", "official", "day", "week", "today", "yesterday", "tomorrow",
    "new", "old", "republic", "ministry", "government", "president", "minister", "prime", "foreign", "affairs",
    "defense", "defence", "security", "council", "army", "forces", "union", "united", "states", "nations",
    "north", "south", "east", "west", "central", "caucasus", "karabakh", "nagorno", "artsakh", "armenia",
    "azerbaijan", "russia", "turkey", "iran", "georgia", "ukraine", "europe", "european", "america", "baku",
    "yerevan", "moscow", "stepanakert", "khankendi", "shusha", "shushi", "lachin", "tbilisi", "ankara",
    "tehran", "washington", "london", "paris", "brussels", "berlin", "kremlin", "armenian", "azerbaijani",
    "russian", "turkish", "iranian", "georgian", "british", "american", "french", "german",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "the", "of", "in", "on", "for", "with", "from", "to", "at", "by", "a", "an", "is", "are", "was",
    "новости", "главная", "политика", "экономика", "общество", "мир", "видео", "фото", "регион", "россия",
    "армения", "азербайджан", "карабах", "москва", "баку", "ереван", "сейчас", "подробнее",
}


@dataclass(frozen=True)
class Byline:
    author: str | None        # the person or people, as written
    credit: str | None        # an outlet the byline credits ("Trend" in "By Ali Mustafayev – Trend:")
    note: str | None          # why there is no author, or what else the byline said


def read_byline(rest: str) -> Byline:
    """What follows "By" (dates already taken out): the author, an outlet credit, a note."""
    from .outlets import outlet_index

    index = outlet_index()
    text = _trim(_READING_TIME.sub(" ", rest))
    if not text:
        return Byline(None, None, "byline present but names no author")
    whole = index.by_name(text)
    if whole is not None:
        return Byline(None, whole.name, f"the byline names the outlet {text!r}, not a person")
    if _is_placeholder(text):
        return Byline(None, None, f"the byline reads {text!r}: a placeholder, not a person")
    credit = None
    note = None
    parts = _CREDIT_SEPARATOR.split(text)
    # "Ali Mustafayev – Trend", "John Smith, Reuters", "Jane Roe | AFP": an outlet after the name
    if len(parts) > 1:
        last = _trim(parts[-1])
        outlet = index.by_name(last)
        if outlet is not None:
            credit = outlet.name
            text = _trim(text[:text.rfind(parts[-1])])
        elif _is_placeholder(last) or _is_job_title(last):
            note = f"the byline also reads {last!r}"
            text = _trim(text[:text.rfind(parts[-1])])
    # "Kateryna Denisova and The Kyiv Independent news desk": people, and an outlet or desk that is not a person
    people = [p for p in _PEOPLE_SEPARATOR.split(text) if p]
    if len(people) > 1:
        persons = []
        for person in people:
            outlet = index.by_name(person) or index.by_name(_DESK.sub("", person))
            if outlet is not None:
                credit = credit or outlet.name
                note = f"the byline also names {person!r}, not a person"
            elif _is_placeholder(person) or _is_job_title(person):
                note = f"the byline also reads {person!r}, not a person"
            else:
                persons.append(person)
        if persons and len(persons) < len(people):
            text = " and ".join(persons)
    if not text or _is_placeholder(text):
        return Byline(None, credit, f"the byline reads {rest.strip()!r}: no person named")
    if not text[0].isupper() or len(text.split()) > 12:
        return Byline(None, credit, "byline present but names no author")
    return Byline(text, credit, note)


def name_line(text: str) -> tuple[str, str | None] | None:
    """(the name, an outlet credited with it) if ``text`` is only the name of one to three people, as a byline
    without "By" ("Aisha Jabbarova", "Егор Кириллов|Никита Сологуб", "Huseyn Safarov Caliber.Az |"); else None."""
    if not 2 <= text.count(" ") + 1 <= 14 or not text[:1].isupper():
        return None
    words = text.split()
    # quick test first (most header lines are titles or menus): a known first name, or a surname ending
    if words[0].casefold() not in GIVEN_NAMES and not any(_SURNAME_END.search(w) for w in words[1:4]) \
            and "|" not in text and "," not in text:
        return None
    from .outlets import outlet_index

    index = outlet_index()
    text = _trim(_UI_TAIL.sub("", text))
    credit = None
    words = text.split()
    for k in (2, 1):  # a trailing outlet: "Huseyn Safarov Caliber.Az"
        if len(words) > k + 1:
            outlet = index.by_name(" ".join(words[-k:]))
            if outlet is not None:
                credit, text = outlet.name, _trim(" ".join(words[:-k]))
                break
    if not text or len(text) > 80 or any(c.isdigit() for c in text) or text[-1:] in ".!?:;»\"”)":
        return None
    people = [p for p in _PEOPLE_SEPARATOR.split(text) if p]
    if not 1 <= len(people) <= 3:
        return None
    for person in people:
        words = person.split()
        if not 2 <= len(words) <= 4:
            return None
        names = [w for w in words if w.casefold() not in _PARTICLES]
        if not all(_NAME_WORD.match(w) for w in names):
            return None
        if any(w.casefold() in _STOP_WORDS for w in names):
            return None
        # a first name it knows, or (Latin script) two words the second of which ends as surnames do
        if names[0].casefold() not in GIVEN_NAMES and not (len(names) == 2 and names[-1].isascii()
                                                           and _SURNAME_END.search(names[-1])):
            return None
        if _is_actor(person, names):
            return None
    if index.by_name(text) is not None:
        return None
    return text, credit


_UI_TAIL = re.compile(r"\s+(?:read more|more|подробнее|ətraflı)\s*$", re.IGNORECASE)


def job_title_line(text: str) -> bool:
    """"International Editor", "Staff Reporter", "Our correspondent" alone on a line."""
    return len(text) <= 40 and (_is_placeholder(text) or _is_job_title(text))


_END_CREDIT = re.compile(r"^\(?\s*(?P<credit>(?:additional\s+)?reporting\s+by\b.+?)\s*\)?\.?$", re.IGNORECASE)
_ROLE = re.compile(r"(?:^|;|\s)(?P<role>(?:additional\s+)?reporting|writing|editing|compiled|"
                   r"translated|translation|production|graphics?)\s+(?:and\s+\w+\s+)?by\s+", re.IGNORECASE)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?(?:\s+and\s+[A-Z][\w'-]+)?$")


def end_credit(text: str) -> tuple[str, str] | None:
    """A wire story's closing credit: (reporters, the roles as read) or None.

    "(Reporting by Dmitry Antonov; Writing by Felix Light; Editing by Jane Doe)" -> ("Dmitry Antonov",
    "reporting: Dmitry Antonov; writing: Felix Light; editing: Jane Doe"). "Additional reporting" names are
    not authors.
    """
    if len(text) > 300:
        return None
    m = _END_CREDIT.match(text.strip())
    if not m:
        return None
    credit = m.group("credit")
    roles: list[tuple[str, str]] = []
    marks = list(_ROLE.finditer(credit))
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(credit)
        names = credit[mark.end():end].strip(" ;,.)")
        names = _IN_PLACE.sub("", names)
        names = re.sub(r"\s+in\s+[A-Z][\w'-]+(?=\s*(?:,|and\b|$))", "", names)  # "X in Moscow and Y in Kyiv"
        if names:
            roles.append((mark.group("role").lower(), names))
    from .outlets import outlet_index

    index = outlet_index()

    def people(role_names: list[str]) -> list[str]:
        return [n for names in role_names for n in _PEOPLE_SEPARATOR.split(names)
                if n and index.by_name(n) is None and not _is_placeholder(n)]

    described = "; ".join(f"{role}: {names}" for role, names in roles)
    # the reporters; when the credit names none ("Reporting by Reuters"), the writer
    authors = people([n for role, n in roles if role == "reporting"]) or people([n for role, n in roles
                                                                               if role == "writing"])
    if not authors:
        return None
    return " and ".join(authors), described


def _trim(text: str) -> str:
    return re.sub(r"^[\s|:·•,\-–—]+|[\s|:·•,\-–—]+$", "", text)


def _is_placeholder(text: str) -> bool:
    key = " ".join(re.sub(r"[^\w\s-]", " ", text.casefold()).split())
    return key in PLACEHOLDERS or key.removeprefix("by ") in PLACEHOLDERS


def _is_job_title(text: str) -> bool:
    words = re.sub(r"[^\w\s-]", " ", text.casefold()).split()
    return bool(words) and len(words) <= 4 and all(w in _JOB_WORDS for w in words) \
        and any(w in {"editor", "correspondent", "reporter", "writer", "journalist", "columnist", "staff",
                      "desk", "newsroom", "contributor", "producer", "analyst", "bureau"} for w in words)


@functools.cache
def _actor_names() -> tuple[frozenset[str], dict]:
    """Full names of the people in the actor gazetteer, and per surname the given names of its actors
    (politicians are not bylines; a reporter who shares a politician's surname is)."""
    import csv

    full, given = set(), {}
    path = DATA_DIR / "actors.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    first_names = {}
    for row in rows:
        if row.get("actor_type") == "person" and row.get("variant_kind") == "given_name":
            first_names.setdefault(row["actor"], set()).add(row["variant"].casefold())
    for row in rows:
        if row.get("actor_type") != "person" or row.get("variant_kind") == "role":
            continue
        variant = row.get("variant", "").casefold()
        if " " in variant:
            full.add(variant)
        else:
            names = first_names.get(row["actor"], set()) | {row["actor"].split()[0].casefold()}
            given.setdefault(variant, set()).update(names)
        full.add(row.get("actor", "").casefold())
    return frozenset(full), {k: frozenset(v) for k, v in given.items()}


def _is_actor(person: str, names: list[str]) -> bool:
    """A gazetteer person: the full name, or the surname with one of that person's given names ("By Ani
    Grigoryan" is a reporter, not Armen Grigoryan)."""
    full, given = _actor_names()
    return person.casefold() in full or names[0].casefold() in given.get(names[-1].casefold(), ())


def infer_author(lines: list[dict]) -> tuple[str | None, str]:
    """The reporters of a wire story's closing credit among the last kept lines (cleaning audit rows)."""
    kept = [i for i, row in enumerate(lines) if row["action"] == "kept"]
    if not kept:
        return None, "no byline, and no closing credit names the reporters"
    # the last kept lines, and the lines just after them (a credit the main-text search left out)
    for row in reversed(lines[max(kept[-3], 0) if len(kept) >= 3 else kept[0]:kept[-1] + 4]):
        found = end_credit(row["text"])
        if found:
            reporters, roles = found
            return reporters, (f"the story's closing credit, line {row['line_no']}: {row['text'][:160]!r} "
                               f"({roles}); the reporters are the authors")
    return None, "no byline, and no closing credit names the reporters"
