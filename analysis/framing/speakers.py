"""Who speaks: the reporting clause of a quotation, its speaker's noun phrase, and what "he" or "the ministry" is.

News English attributes a quotation with a reporting clause around it: a speaker noun phrase and a speech
verb before the quote (`Lavrov said: “…”`, `Samantha Power called on Azerbaijan “to …”`, `Pashinyan also
accused Baku of “…”`), or after it (`“…,” Zakharova told reporters`, `“…,” said the ministry`). This module
finds the clause in the quotation's sentence and returns the speaker as the noun phrase it is written as,
with its character offsets, so the phrase can be linked to the actor mentions it covers.

A speaker is only accepted when it is a noun phrase naming someone: it contains a capitalised name, or its
head is a noun for a person or body ("the ministry", "an elderly woman", "officials"), or it is a pronoun
(resolved later to the previous speaker). "despite the agreement was" or "it because I included the" are
rejected, leaving the quotation unattributed rather than wrongly attributed.

The rules are lexical (English), written from real news in many outlets; check the ``attribution`` column
of :func:`analysis.framing.quotes.quoted_spans` to see which rule spoke for a quotation.
"""
from __future__ import annotations

import re
from typing import NamedTuple

# finite speech verbs: a quotation after one of them in the same sentence is the subject's (whole or partial)
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|declared|declares|announced|announces|noted|notes|"
    "emphasized|emphasised|emphasizes|emphasises|stressed|stresses|insisted|insists|argued|argues|claimed|claims|"
    "warned|warns|promised|promises|vowed|vows|concluded|concludes|wrote|writes|asked|asks|replied|replies|"
    "explained|explains|acknowledged|acknowledges|admitted|admits|accused|accuses|urged|urges|reported|reports|"
    "recalled|recalls|remarked|remarks|continued|continues|suggested|suggests|condemned|condemns|denounced|"
    "denounces|tweeted|tweets|posted|posts|demanded|demands|appealed|appeals|reiterated|reiterates|assured|"
    "assures|confirmed|confirms|denied|denies|alleged|alleges|commented|comments|responded|responds|"
    "described|describes|called|calls|labelled|labeled|labels|dubbed|dubs|termed|terms|branded|brands|"
    "spoke|speaks|referred|refers|blamed|blames|criticised|criticized|criticises|criticizes|slammed|slams|"
    "welcomed|welcomes|pledged|pledges|expressed|expresses|highlighted|highlights|underlined|underlines|"
    "underscored|underscores|informed|informs|announced|proclaimed|thanked|thanks|protested|objected|"
    "complained|complains|predicted|predicts|believes|believed|thinks|thought|estimated|wondered|"
    "mentioned|mentions|specified|specifies|clarified|clarifies|elaborated|answered|answers|retorted|"
    "quipped|joked|read|reads|went on|pointed out|points out|made clear|makes clear|threatened|threatens|"
    "announced|insisted|recounted|recounts|testified|shouted|chanted|whispered|cautioned|cautions|charged|"
    "contended|observed|opined|boasted|lamented|conceded|concedes|signalled|signaled|indicated|indicates|"
    "told reporters|tells|reassured|reassures|presented|portrayed|characterized|characterised|depicted|deem|deems|"
    "deemed|dismissed|dismisses|rejected|rejects|voiced|summoned|countered|counters|rebutted|rebuts|objected|"
    "objects|retorted|retorts|conveyed|conveys|briefed|briefs|shared|shares|addressed|addresses|drew attention|"
    "draw attention|draws attention"
)
# participles: the speaker is the subject of the clause they hang from ("Pashinyan wrote, saying “…”")
PARTICIPLES = (
    "saying|adding|noting|stressing|emphasizing|emphasising|calling|describing|accusing|urging|warning|"
    "claiming|insisting|declaring|arguing|asking|explaining|stating|writing|referring|labelling|labeling|"
    "branding|denouncing|condemning|demanding|promising|vowing|recalling|underlining|highlighting|"
    "pointing out|telling|dismissing|rejecting|deeming|terming|dubbing|voicing|reiterating|repeating|citing"
)
# nouns that carry someone's words: "Baku's statement: “…”", "the statement reads"
STATEMENT_NOUNS = ("statement|statements|words|remarks|message|letter|post|tweet|comment|comments|address|"
                   "speech|interview|appeal|communique|communiqué|declaration|note|report|document|release|"
                   "briefing|op-ed|article|column|decree|resolution|readout|read-out|tweets|posts")
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
_PERSON_PRONOUNS = {"he", "she"}

# lower-case nouns that can head a speaker's noun phrase (a person, a group of people, a body)
PERSON_NOUNS = set("""
minister ministry ministries president presidency premier spokesman spokeswoman spokesperson spokespeople
spokesmen spokeswomen secretary office department official officials representative representatives
ambassador ambassadors envoy envoys embassy leader leaders leadership head chief chairman chairwoman chair
speaker commander commanders deputy deputies adviser advisers advisor advisors aide aides assistant government
governments authorities army forces military troops command contingent agency council committee parliament
lawmaker lawmakers legislator legislators mp mps member members mission delegation analyst analysts expert
experts observer observers journalist journalists correspondent correspondents reporter reporters resident
residents woman women man men refugee refugees source sources diplomat diplomats party parties movement
foundation organization organisation organizations organisations group groups monitors media service services
administration cabinet kremlin ombudsman defender prosecutor prosecutors court judge judges witness witnesses
villager villagers soldier soldiers officer officers activist activists lawyer lawyers doctor doctors mother
father son daughter wife husband brother sister priest archbishop bishop patriarch people citizen citizens
student students teacher teachers farmer farmers worker workers volunteer volunteers survivor survivors
victim victims family families man woman boy girl child children elder elders mayor governor general colonel
colonel-general lieutenant major captain sergeant marshal admiral director directorate manager founder
co-founder editor writer author historian scholar researcher researchers professor economist politician
politicians candidate opposition bloc faction union alliance coalition institute centre center think-tank
network channel newspaper outlet agency's bureau desk staff team panel board commission commissioner
commissioners mediator mediators negotiator negotiators co-chair co-chairs co-chairmen monitor delegate
delegates counterpart counterparts host hosts anchor presenter blogger bloggers user users pm fm mfa mod
state states country countries side sides nation nations republic community communities population
""".split())
# heads of a phrase for one person ("the Russian president"), and words that end the name of a body, not a person
PERSON_ROLES = set("""
minister president premier spokesman spokeswoman spokesperson secretary ambassador envoy leader head chief
chairman chairwoman chair speaker commander deputy adviser advisor aide assistant official representative
diplomat analyst expert observer journalist correspondent reporter resident woman man refugee source
lawmaker legislator mp member ombudsman defender prosecutor judge witness villager soldier officer activist
lawyer doctor mother father son daughter wife husband brother sister priest archbishop bishop patriarch citizen
student teacher farmer worker volunteer survivor victim boy girl child elder mayor governor general colonel
director manager founder editor writer author historian scholar researcher professor economist politician
candidate commissioner mediator negotiator co-chair monitor delegate counterpart host anchor presenter blogger
""".split())
BODY_WORDS = set("""
ministry ministries office department government authorities army forces military troops command contingent
agency council committee parliament mission delegation embassy party movement foundation organization
organisation group media service services administration cabinet kremlin court directorate bloc faction union
alliance coalition institute centre center network channel newspaper bureau staff team panel board
commission assembly republic state states country community people nations nation
""".split())
# lower-case words allowed inside a speaker phrase before its head ("the de facto foreign minister")
_PHRASE_WORDS = PERSON_NOUNS | set("""
the a an its his her their this that these those our same statement document report message letter communique release readout read-out tweet post by from
of for and at to on in de la le du des von van bin al el ibn
foreign defence defense interior internal affairs justice economy economic emergency emergencies health
prime vice deputy acting former ex- then current chief top senior junior high-ranking ranking local regional
national international presidential parliamentary ruling de facto separatist self-proclaimed so-called
press information public political military armed human rights security state permanent special general
elderly young old displaced ethnic armenian azerbaijani russian turkish iranian american european
border guard guards customs police investigative intelligence one
""".split())
# capitalised words that open a sentence but are not part of a name ("Meanwhile Lavrov said")
_NOT_NAME_WORDS = set("""
meanwhile however moreover furthermore also but and or so then thus still yet earlier later today yesterday
tomorrow separately additionally besides again instead indeed now here there when while after before since
as if though although because in on at by from with without for to of during under over into amid amidst
according speaking asked responding commenting writing addressing nevertheless nonetheless finally first
second third lastly last next this that these those it its he she they we i you one such other another
some many most all both each every no not only even just
""".split())
_AUXILIARIES = {"has", "have", "had", "is", "was", "were", "are", "will", "would", "could", "may", "might", "did",
                "does", "do", "should", "can", "must", "also", "further", "later", "earlier", "again", "then",
                "previously", "once", "recently", "reportedly", "separately", "repeatedly", "even", "too",
                "never", "often", "always", "already", "still", "not", "first", "last", "yesterday", "today",
                "publicly", "subsequently", "meanwhile", "officially", "directly", "openly", "similarly"}
_PASSIVE_AUX = {"is", "was", "were", "are", "been", "be", "being"}
_NOT_ADVERBS = {"family", "assembly", "ally", "italy", "july", "rally", "supply", "reply", "fly", "belly", "anomaly"}
_MAX_PHRASE = 14  # words in a speaker phrase, at most


def _alternation(words: str) -> str:
    parts = sorted(set(words.split("|")), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


def _trie(words: str) -> str:
    """The words as a trie-shaped regex (re tries a handful of branches at a position, not hundreds)."""
    from ..text.actors import _trie_regex
    forms = {w for w in words.split("|")} | {w[:1].upper() + w[1:] for w in words.split("|")}
    return _trie_regex(sorted(forms))


# speech verbs as written or capitalised ("Said" opening a headline); all capitals is rare enough to leave
_VERB_RE = re.compile(rf"(?<![\w’'-])(?:{_trie(SPEECH_VERBS)})(?![\w’'-])")
_PARTICIPLE_RE = re.compile(rf"(?<![\w’'-])(?:{_trie(PARTICIPLES)})(?![\w’'-])")
_STATEMENT_RE = re.compile(rf"(?<![\w’'-])(?:{_alternation(STATEMENT_NOUNS)})(?![\w’'-])", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_][\w’'.&-]*(?<![.’'-])(?:[’']s\b)?|\d[\w.-]*|[^\w\s]", re.UNICODE)
_ABBREVIATION = re.compile(r"(?:[A-Z]\.){1,4}|(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Maj|Capt|Sgt|Prof|Rev|St|Jr|Sr)\.?")


class Phrase(NamedTuple):
    """A speaker noun phrase: its text as written and its offsets in the document's text."""
    text: str
    start: int
    end: int


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, token) of the words and punctuation marks of ``text[start:end]``; initials and titles
    ("U.S.", "Mr.") stay one token."""
    found = []
    for m in _TOKEN.finditer(text, start, end):
        token = m.group()
        # "U.S." / "Mr." keep their full stops: extend the token when an abbreviation continues with one
        if found and token == "." and found[-1][1] == m.start() and _ABBREVIATION.fullmatch(found[-1][2] + "."):
            s, _, previous = found.pop()
            found.append((s, m.end(), previous + "."))
            continue
        found.append((m.start(), m.end(), token))
    return found


def _bare(token: str) -> str:
    """The word without a possessive ending, lower case."""
    return re.sub(r"[’']s$", "", token).lower()


def _phrase_word(token: str) -> bool:
    if not token[:1].isalpha():
        return False
    if token[:1].isupper():
        return True
    bare = _bare(token)
    return bare in _PHRASE_WORDS or (bare.endswith("s") and bare[:-1] in PERSON_NOUNS)


def is_speaker_phrase(words: list[str]) -> bool:
    """Whether a phrase names someone: a pronoun, a capitalised name, or a head noun for a person or body."""
    if not words:
        return False
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return True
    head = _bare(words[-1])
    if head in _STATEMENT_HEADS and (words[0].lower() in _ANAPHOR_OPEN  # "the same statement": resolved later
                                     or any(w.endswith(("’s", "'s")) for w in words[:-1])):  # "Aliyev’s tweet"
        return True
    if words[-1][:1].isupper():
        return any(w[:1].isupper() and _bare(w) not in _NOT_NAME_WORDS for w in words)
    # "the ministry of defence", "the spokeswoman for the ministry": the head comes before the of-phrase
    for i, w in enumerate(words[1:], 1):
        if w.lower() in {"of", "for"}:
            return _person_noun(_bare(words[i - 1]))
    return _person_noun(head)


def _person_noun(word: str) -> bool:
    """A noun for a person or body, singular or plural ("ministers", "officials")."""
    return word in PERSON_NOUNS or (word.endswith("s") and word[:-1] in PERSON_NOUNS)


def _trim(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop what cannot open or close a speaker phrase: leading connectors and sentence adverbs, trailing
    connectors and determiners."""
    lead = {"of", "for", "and", "at", "to", "on", "in", "that", "this", "these", "those"}
    while tokens and (tokens[0][2].lower() in lead or
                      (tokens[0][2][:1].isupper() and tokens[0][2].lower() in _NOT_NAME_WORDS
                       and tokens[0][2].lower() not in {"the", "a", "an", "this"})):
        tokens = tokens[1:]
    while tokens and tokens[-1][2].lower() in {"of", "for", "and", "at", "to", "on", "in", "the", "a", "an",
                                               "its", "his", "her", "their", "de", "la"}:
        tokens = tokens[:-1]
    return tokens


def _as_phrase(text: str, tokens: list[tuple[int, int, str]], *, possessive: bool = False) -> Phrase | None:
    tokens = _trim(tokens)
    if not tokens or not is_speaker_phrase([t[2] for t in tokens]):
        return None
    if not possessive and tokens[-1][2].endswith(("’s", "'s")):  # "Nagorno-Karabakh’s" names no speaker
        return None
    return Phrase(text[tokens[0][0]:tokens[-1][1]], tokens[0][0], tokens[-1][1])


def phrase_before(text: str, start: int, at: int, *, possessive: bool = False) -> Phrase | None:
    """The speaker phrase that ends just before ``at`` (a speech verb), looking no further back than
    ``start`` (the sentence's start). Auxiliaries and adverbs between phrase and verb are skipped ("Pashinyan
    has also said"); an appositive between commas gives way to the name before it ("Anna Naghdalyan,
    spokeswoman for the ministry, said" -> "Anna Naghdalyan")."""
    tokens = _tokens(text, max(start, at - 250), at)
    i = _skip_back(tokens, len(tokens) - 1)
    if i >= 0 and tokens[i][2].lower() in PRONOUNS:  # "he said", "what it called"
        return Phrase(tokens[i][2], tokens[i][0], tokens[i][1])
    if i >= 0 and tokens[i][2] == ",":  # "NAME, APPOSITIVE, said" (an appositive may hold commas itself)
        j = i - 1
        for _ in range(3):
            while j >= 0 and tokens[j][2] not in {",", ";", ":", "(", ")", "“", "”", '"', "—", "–", "."} \
                    and i - j <= 30:
                j -= 1
            if j < 0 or tokens[j][2] != ",":
                return None
            inner = _as_phrase(text, tokens[j + 1:i])
            if inner is not None and sum(t[2][:1].isupper() for t in tokens[j + 1:i]) >= 2 and \
                    tokens[j + 1][2][:1].isupper() and len(tokens[j + 1:i]) <= 4:
                return inner  # the appositive is the name: "A separatist official, Grigory Martyrosyan, told"
            name = _collect_back(tokens, j - 1)
            phrase = _as_phrase(text, name)
            if phrase is not None and any(t[2][:1].isupper() and t[2].lower() not in _NOT_NAME_WORDS for t in name):
                return phrase
            j -= 1
        return None
    collected = _collect_back(tokens, i)
    phrase = _as_phrase(text, collected, possessive=possessive)
    before = tokens[i - len(collected)][2].lower() if phrase is not None and i - len(collected) >= 0 else ""
    if before in _OBJECT_PREPOSITIONS and not _PARTICIPLE_RE.match(text, at):
        # "Blinken in a telephone conversation with Azerbaijani President Ilham Aliyev emphasized": the phrase
        # before the verb is the object of "with"; the speaker is the clause's subject. (Before a participle the
        # object of "with" is its subject: "with Kremlin spokesperson Dmitry Peskov dismissing ...")
        subject = clause_subject(text, start, tokens[i - len(collected)][0])
        return subject if subject is not None and not is_pronoun(subject.text) else None
    return phrase


# prepositions whose object, standing just before a speech verb, is not its subject
_OBJECT_PREPOSITIONS = {"with", "against", "between", "among", "amongst", "toward", "towards", "alongside", "versus",
                        "than", "unlike", "like", "besides"}
_PREPOSITIONS = {"in", "on", "at", "to", "for", "of", "by", "from", "during", "after", "before", "with", "that",
                 "as", "about", "over", "into", "through"}
_TIME_WORDS = set("""
monday tuesday wednesday thursday friday saturday sunday week weekend month year morning afternoon evening night
january february march april may june july august september october november december
""".split())
_TIME_OPENERS = {"on", "last", "this", "earlier", "late", "early", "next", "in", "at", "during", "the"}


def _skip_back(tokens, i):
    """Step back over auxiliaries, adverbs and time expressions between a subject and its verb ("Azerbaijan’s
    ministry last week accused", "Pashinyan on Tuesday said", "Lavrov has repeatedly said")."""
    while i >= 0:
        word = tokens[i][2].lower()
        if word in _AUXILIARIES or (word.endswith("ly") and len(word) > 4 and tokens[i][2][:1].islower()
                                    and word not in _NOT_ADVERBS):
            i -= 1  # "Lavrov has said", "Hajiyev strongly reiterated"
            continue
        if word in _TIME_WORDS or word.isdigit():
            j = i - 1
            while j >= 0 and (tokens[j][2].lower() in _TIME_WORDS | _TIME_OPENERS or tokens[j][2].isdigit()
                              or tokens[j][2] == ","):
                j -= 1
            opener = tokens[j + 1][2].lower() if j + 1 <= i else ""
            if opener in _TIME_OPENERS or word in {"week", "month", "year", "weekend"}:
                i = j
                continue
        break
    return i


_ADJECTIVE_ENDINGS = ("ic", "al", "an", "ese", "ish", "ary", "ive", "ous", "ent", "ant", "ior", "ern", "ial")


def _collect_back(tokens, i):
    collected = []
    while i >= 0 and len(collected) < _MAX_PHRASE:
        word = tokens[i][2]
        # an adjective the word lists do not know, inside a phrase that goes on before it ("the Russian
        # diplomatic mission"): kept when a phrase word precedes it
        adjective = collected and word[:1].islower() and word.endswith(_ADJECTIVE_ENDINGS) and i > 0 \
            and _phrase_word(tokens[i - 1][2])
        if not (_phrase_word(word) or adjective):
            break
        collected.append(tokens[i])
        i -= 1
    collected.reverse()
    # a name run that starts the sentence with a capitalised function word ("In Baku officials") is trimmed
    return collected


def phrase_after(text: str, at: int, end: int) -> Phrase | None:
    """The speaker phrase that starts at ``at`` (after a speech verb: "said Aren Khachatryan, a winemaker" ->
    "Aren Khachatryan"; "said the spokeswoman of the ministry, Maria Zakharova" -> "Maria Zakharova")."""
    tokens = _tokens(text, at, min(end, at + 250))
    if tokens and tokens[0][2].lower() in PRONOUNS:  # "“…,” he said"
        return Phrase(tokens[0][2], tokens[0][0], tokens[0][1])
    if tokens and tokens[0][2].lower() in _PREPOSITIONS:  # "said in a Twitter post": no speaker here
        return None
    first = _collect_forward(tokens, 0)
    phrase = _as_phrase(text, first)
    k = len(first)
    # "the spokeswoman for the ministry, Maria Zakharova": a description, then the name in apposition
    described = phrase is not None and (phrase.text[:1].islower() or phrase.text.split()[0] in {"The", "A", "An"})
    if described and k < len(tokens) and tokens[k][2] == ",":
        appositive = _as_phrase(text, _collect_forward(tokens, k + 1))
        if appositive is not None and appositive.text[:1].isupper() and \
                appositive.text.split()[0] not in {"The", "A", "An"}:
            return appositive
    return phrase


def _collect_forward(tokens, k):
    collected = []
    while k < len(tokens) and len(collected) < _MAX_PHRASE and _phrase_word(tokens[k][2]):
        collected.append(tokens[k])
        k += 1
    return collected


def participle_before(text: str, start: int, at: int) -> re.Match | None:
    last = None
    for m in _PARTICIPLE_RE.finditer(text, start, at):
        last = m
    return last


def verb_at(text: str, at: int, end: int) -> re.Match | None:
    """A speech verb at ``at`` (after auxiliaries and adverbs): "“…,” he later told reporters"."""
    tokens = _tokens(text, at, min(end, at + 80))
    for s, e, token in tokens:
        if token.lower() in _AUXILIARIES:
            continue
        m = _VERB_RE.match(text, s)
        return m
    return None


def passive_before(text: str, start: int, verb_start: int) -> bool:
    """Whether the verb at ``verb_start`` is passive ("was described as"): its subject is not the speaker."""
    tokens = _tokens(text, max(start, verb_start - 40), verb_start)
    words = [t[2].lower() for t in tokens if t[2].lower() not in _AUXILIARIES - _PASSIVE_AUX]
    return bool(words) and words[-1] in _PASSIVE_AUX


def statement_noun_at_end(text: str, start: int, at: int) -> re.Match | None:
    """A statement noun that ends ``text[start:at]`` (before a colon or comma): "Baku's statement: “…”"."""
    tail = text[max(start, at - 40):at].rstrip(" ,:\n")
    if tail.endswith(" that"):  # "Aliyev’s statement that “Karabakh is ...”"
        tail = tail[:-5].rstrip(" ,")
    m = None
    for m in _STATEMENT_RE.finditer(tail):
        pass
    if m is None or m.end() != len(tail):
        return None
    return m, max(start, at - 40)


def clause_subject(text: str, start: int, at: int) -> Phrase | None:
    """The subject of a clause that opens at ``start``: the first speaker phrase in ``text[start:at]`` followed
    by a verb-like word (for participles: "The ministry released a video, saying “…”")."""
    tokens = _tokens(text, start, min(at, start + 300))
    collected = _collect_forward(tokens, 0)
    while collected and collected[0][2][:1].isupper() and collected[0][2].lower() in _NOT_NAME_WORDS \
            and collected[0][2].lower() not in {"the", "a", "an"}:
        collected = collected[1:]
    # the subject ends where the verb starts: the last word of a run is often the verb itself when capitalised
    # words run on, which _collect_forward cannot know; keep it when it is a name
    return _as_phrase(text, collected)


def is_pronoun(phrase: str) -> bool:
    return phrase.lower() in PRONOUNS


def is_person_pronoun(phrase: str) -> bool:
    return phrase.lower() in _PERSON_PRONOUNS


# anaphoric phrases ("the ministry", "the Prime Minister", "the statement", "the same source"): heads that point
# back to an earlier speaker or mention
ANAPHORIC_HEADS = {"minister", "ministry", "president", "premier", "spokesman", "spokeswoman", "spokesperson",
                   "statement", "document", "report", "agency", "embassy", "official", "department", "office",
                   "service", "source", "leader", "chief", "head", "diplomat", "envoy", "ambassador", "mission",
                   "army", "command", "government", "kremlin", "message", "letter", "communique", "release",
                   "tweet", "post", "readout", "read-out"}
_STATEMENT_HEADS = {"statement", "document", "report", "message", "letter", "communique", "release", "source",
                    "readout", "read-out", "tweet", "post"}
_ANAPHOR_OPEN = {"the", "this", "that"}


def anaphoric_head(phrase: str) -> str | None:
    """The head of a definite description with no name ("the ministry", "the Prime Minister", "the same
    statement"), or None when the phrase names someone by name."""
    words = phrase.split()
    if len(words) < 2 or words[0].lower() not in _ANAPHOR_OPEN:
        return None
    if " ".join(w.lower() for w in words[1:]) in {"head of state", "head of the state", "country's leader",
                                                   "country’s leader"}:
        return "president"
    # "the Russian president" is not an anaphor but a role (the gazetteer's dated role phrases resolve it)
    rest = [w for w in words[1:] if w.lower() not in {"same", "foreign", "prime", "defence", "defense", "press",
                                                     "affairs", "de", "facto"}]
    if len(rest) != 1:
        return None
    head = _bare(rest[0])
    return head if head in ANAPHORIC_HEADS or head in PERSON_ROLES else None


_DEMONYMS = {"armenian", "azerbaijani", "russian", "turkish", "iranian", "american", "french", "georgian", "us",
             "u.s.", "eu", "european", "armenia's", "azerbaijan's", "russia's", "turkey's", "iran's", "armenia’s",
             "azerbaijan’s", "russia’s", "turkey’s", "iran’s"}
_ROLE_WORDS = {"president", "prime minister", "foreign minister", "defence minister", "defense minister", "minister",
               "pm", "fm", "leader", "spokesman", "spokeswoman", "spokesperson", "ombudsman", "ambassador"}


def qualified_role(phrase: str) -> tuple[str, ...] | None:
    """("armenian", "prime minister") for "the Armenian prime minister" / "Armenia's PM": a role qualified by a
    country, which points back to the holder named earlier in the text. None otherwise."""
    words = phrase.lower().split()
    if words and words[0] in {"the", "a"}:
        words = words[1:]
    if len(words) < 2 or words[0] not in _DEMONYMS:
        return None
    role = " ".join(words[1:])
    if role not in _ROLE_WORDS:
        return None
    country = words[0].replace("’s", "").replace("'s", "")
    country = {"armenia": "armenian", "azerbaijan": "azerbaijani", "russia": "russian", "turkey": "turkish",
               "iran": "iranian"}.get(country, country)
    role = {"pm": "prime minister", "fm": "foreign minister"}.get(role, role)
    return country[:6], role


def is_statement_head(head: str) -> bool:
    return head in _STATEMENT_HEADS


# a person named only by role ("the Kremlin spokesman", "the Turkish leader", "Armenia's premier", "the High
# Representative", "the representative of the Ministry of Foreign Affairs"): the role, and the words an
# introduction of its holder uses ("Kremlin spokesperson Dmitry Peskov", "Turkish President Recep Tayyip Erdogan")
ROLE_SYNONYMS = {
    "prime minister": ("prime minister", "premier", "pm "),
    "foreign minister": ("foreign minister", "minister of foreign affairs", "foreign affairs minister", "fm "),
    "defence minister": ("defence minister", "defense minister", "minister of defence", "minister of defense"),
    "minister": ("minister",),
    "president": ("president",),
    "leader": ("president", "prime minister", "premier", "leader", "head of state", "head of government"),
    "spokesperson": ("spokes", "press secretary", "representative"),
    "representative": ("representative", "spokes", "envoy"),
    "high representative": ("high representative",),
    "ambassador": ("ambassador", "envoy"),
    "envoy": ("envoy", "representative", "ambassador"),
    "ombudsman": ("ombudsman", "human rights defender"),
    "chairman": ("chairman", "chairwoman", "chair ", "speaker"),
    "speaker": ("speaker", "chairman"),
    "commander": ("commander",),
    "secretary": ("secretary",),
    "head": ("head", "president", "chief", "leader", "chairman", "prime minister"),
    # any office holder: "the top official" after "Prime Minister Irakli Garibashvili"
    "official": ("official", "minister", "president", "chairman", "spokes", "ambassador", "secretary", "head",
                 "envoy", "representative", "commissioner", "governor", "mayor", "ombudsman"),
    "analyst": ("analyst", "expert", "political scientist", "commentator", "researcher"),
    "expert": ("expert", "analyst", "political scientist", "researcher"),
    "diplomat": ("diplomat", "ambassador", "envoy", "minister", "representative"),
}
_ROLE_HEAD = {"premier": "prime minister", "pm": "prime minister", "fm": "foreign minister",
              "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
              "minister": "minister", "president": "president", "leader": "leader", "representative": "representative",
              "ambassador": "ambassador", "envoy": "envoy", "ombudsman": "ombudsman", "chairman": "chairman",
              "chairwoman": "chairman", "speaker": "speaker", "commander": "commander", "secretary": "secretary",
              "head": "head", "official": "official", "analyst": "analyst", "expert": "expert", "diplomat": "diplomat"}
COUNTRY_STEMS = {"armenia": "armenia", "armenian": "armenia", "azerbaijan": "azerbaijan", "azerbaijani": "azerbaijan",
                 "russia": "russia", "russian": "russia", "kremlin": "russia", "turkey": "turkey", "turkish": "turkey",
                 "türkiye": "turkey", "iran": "iran", "iranian": "iran", "georgia": "georgia", "georgian": "georgia",
                 "france": "france", "french": "france", "us": "united states", "u.s.": "united states",
                 "american": "united states", "eu": "european union", "european": "european union"}
_DESCRIPTION_WORDS = set("""
the a an this that its his her their same of for and
foreign defence defense affairs prime vice deputy first acting press high special chief top senior state
ministry ministry's ministry’s office office's office’s government government's government’s department
republic country country's country’s top senior leading well-known political military white house
""".split())


def role_description(phrase: str) -> tuple[str | None, str] | None:
    """(country or None, role) when the phrase names a person only by role, with no name; None otherwise.

    "the Kremlin Spokesman" -> ("russia", "spokesperson"); "Armenia’s premier" -> ("armenia", "prime minister");
    "the foreign minister" -> (None, "foreign minister"); "Nikol Pashinyan" -> None."""
    words = [re.sub(r"[’']s$", "", w) for w in phrase.lower().replace("’", "'").split()]
    if words and words[0] in ("a", "an"):
        return None  # "a senior EU diplomat" introduces someone new; it points back to nobody
    if not words or any(w not in _DESCRIPTION_WORDS and w not in COUNTRY_STEMS and w not in _ROLE_HEAD
                        for w in words):
        return None
    # the head: the role word before an of-phrase ("the representative of the Ministry"), else the last word
    head_at = next((i - 1 for i, w in enumerate(words) if w in {"of", "for"} and i > 0), len(words) - 1)
    head = words[head_at]
    if head not in _ROLE_HEAD:
        return None
    role = _ROLE_HEAD[head]
    before = " ".join(words[:head_at])
    if role == "minister" and ("foreign" in words or "affairs" in words):
        role = "foreign minister"
    elif role == "minister" and ("defence" in words or "defense" in words):
        role = "defence minister"
    elif role == "minister" and "prime" in before.split():
        role = "prime minister"
    elif role == "representative" and before.endswith("high"):
        role = "high representative"
    elif role == "secretary" and before.endswith("press"):
        role = "spokesperson"  # "the press secretary of the President of Russia"
    countries = [COUNTRY_STEMS[w] for w in words if w in COUNTRY_STEMS]
    if "white house" in " ".join(words):
        countries.insert(0, "united states")
    return (countries[0] if countries else None), role
