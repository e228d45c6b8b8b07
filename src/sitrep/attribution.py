"""Attribution stage: who asserts what a sentence reports, through whom, and how firmly.

For each sentence, ``sentence_claims`` finds the sources: the subject (or inverted subject) of a
reporting verb (« a annoncé le porte-parole… », « a rapporté Sana »), « selon X », « d'après X »,
« X a fait savoir », and relays inside the source's words (« cité par l'agence Sana », « citant
une source militaire », « contacté par Sputnik »). Names are normalised with the claimant table;
pronouns and anaphoric nouns (« il », « la source », « l'interlocuteur ») refer to the latest
claimant of the article. Hedging of the *wording* (conditional, distancing verbs, « probablement »)
is decided per event by ``hedge_markers``; attribution alone never hedges.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from .actors import Lexicon, _fold
from .context import doc_text, span_text
from .model import Claim
from .resources import NEVER, grammar, read_table

__all__ = ["AttributionState", "sentence_claims", "hedge_markers", "is_conditional", "RULE"]

RULE = "sitrep.attribution.fr.v1"   # the same rule id in every language (the data differ)
# conditionals that say what may come or what one would like, not the reporter doubting


@functools.cache
def _reporting(lang: str = "fr") -> dict[str, bool]:
    return {row[0]: row[1] == "1" for row in read_table(f"{lang}/reporting.tsv")}


@functools.cache
def _hedges(lang: str = "fr") -> tuple[re.Pattern[str], ...]:
    """The hedging markers as one alternation (one scan of a sentence instead of one a marker)."""
    from .resources import data_text
    rows = [line.strip() for line in data_text(f"{lang}/hedges.txt").splitlines()
            if line.strip() and not line.startswith("#")]
    return (re.compile("|".join(f"(?:{r})" for r in rows), re.IGNORECASE),)


@dataclass(slots=True)
class AttributionState:
    """Per-article memory: the latest claimant (for pronouns) and the outlet."""
    outlet: str | None
    default_country: str | None
    last: Claim | None = None
    history: list[Claim] = field(default_factory=list)
    military_country: str | None = None     # the army the article's officers last spoke for
    people: dict[str, str] = field(default_factory=dict)   # surname -> the institution it spoke for
    towns: list[tuple[int, str]] = field(default_factory=list)   # (offset, name) of the towns the text names
    groups: list[tuple[int, str]] = field(default_factory=list)  # (offset, name) of the armed groups it names
    sent_start: int = 0                     # where the sentence being read starts
    region: str | None = None               # the article's province (« le gouverneur de la région »)
    army: str | None = None                 # the country whose army the article names, when it names one alone
    text: str = ""                          # the article's text (where a person was first introduced)


def _r_imperfect(form: str, lemma: str) -> bool:
    """« montrait », « tirait », « déclaraient », « ouvraient », « couvrait », « mourait »: the imperfect of
    a -rer or -rir verb also ends in -rait (their conditionals are « montrerait », « ouvrirait »)."""
    return lemma.endswith(("rer", "rir")) and form in (lemma[:-2] + "ait", lemma[:-2] + "aient")


def is_conditional(tok: Token) -> bool:
    """Reportative conditional on this verb or its auxiliaries: « aurait été reprise »,
    « auraient tué », and simple conditionals that the tagger reads as indicative
    (« contrôlerait »: -rait suffix on a finite verb whose lemma does not end so)."""
    G = grammar(tok.doc.lang_, "attribution")
    suffix = G.rx("COND_SUFFIX")
    for t in [tok, *[c for c in tok.children if c.dep_.startswith("aux")]]:
        if t.lemma_ in G.words("NON_HEDGE_COND"):
            continue
        low = t.lower_
        if "Cnd" in t.morph.get("Mood") and (suffix is NEVER or suffix.search(low)) \
                and not _r_imperfect(low, t.lemma_.lower()):
            # (every French conditional ends in -rait…: the tagger's « un véhicule qui transportait » is none)
            return True
        if suffix.search(low) and t.pos_ in ("VERB", "AUX") and not t.lemma_.endswith(low[-4:]) \
                and "Inf" not in t.morph.get("VerbForm") and not _r_imperfect(low, t.lemma_.lower()):
            return True
    return False


def hedge_markers(sent: Span, verb: Token | None) -> str | None:
    """The words that hedge a claim made in ``sent`` about the event whose verb is ``verb``."""
    if verb is not None and is_conditional(verb):
        aux = [c.text for c in verb.children if c.dep_.startswith("aux")]
        return " ".join([*aux, verb.text])
    text = span_text(sent)
    # ("the insurgents, who are believed to draw their inspiration from…": the doubt is the clause's;
    # which clauses describe a noun, per language: data/<lang>/attribution.tsv NOUN_CLAUSE)
    clauses = tuple(grammar(sent.doc.lang_, "attribution").words("NOUN_CLAUSE"))
    for rx in _hedges(sent.doc.lang_):
        for m in rx.finditer(text):
            tok = next((t for t in sent if t.idx - sent.start_char >= m.start()), None)
            if tok is None or not _describes_a_noun(tok, verb, clauses):
                return m.group(0)
    for tok in sent:
        # « une cinquantaine de ces engins auraient été détruits »: a reportative conditional on another
        # verb of the report (not « pourrait », « devrait »: those say what may come; nor one in a clause
        # that describes a noun: « théâtre d'atrocités qu'auraient commises les forces du régime »)
        if tok.pos_ in ("VERB", "AUX") and not tok.dep_.startswith("aux") \
                and is_conditional(tok) and not _in_quote(tok) \
                and not _future_in_past(tok) and not _describes_a_noun(tok, verb, clauses):
            aux = [c.text for c in tok.children if c.dep_.startswith("aux")]
            return " ".join([*aux, tok.text])
    return None


def _describes_a_noun(tok: Token, verb: Token | None, deps: tuple[str, ...]) -> bool:
    """``tok`` stands in a clause of a noun (``deps``: the language's NOUN_CLAUSE dependencies) that does not
    hold the event's verb, and the noun is no report of it (« des chiffres qui ne peuvent être vérifiés »
    doubts the toll)."""
    if verb is None:
        return False
    for t in [tok, *tok.ancestors]:
        if t.dep_ in deps:
            if grammar(tok.doc.lang_, "attribution").rx("DOCUMENT").match(t.head.lower_):
                return False
            return verb not in t.subtree
        if t.i == t.head.i:
            break
    return False


def _in_quote(tok: Token) -> bool:
    """Inside quotation marks (from the paragraph's start, « » “ ” or straight quotes): a speaker's
    own conditional (« nous frapperions »), not the reporter's."""
    text = doc_text(tok.doc)
    start = text.rfind("\n", 0, tok.idx) + 1
    before = text[start:tok.idx]
    return before.count("«") > before.count("»") or before.count("“") > before.count("”") \
        or before.count('"') % 2 == 1


def _future_in_past(tok: Token) -> bool:
    """« a annoncé que l'offensive se poursuivrait », « si l'armée avançait, elle frapperait »: what was
    said would come, or a condition — not the reporter doubting."""
    G = grammar(tok.doc.lang_, "attribution")
    marks = {c.lower_ for c in tok.children if c.dep_ == "mark"}
    if marks & G.words("IF") or any(c.lower_ in G.words("IF") for c in tok.head.children if c.dep_ == "mark"):
        return True
    head = tok.head
    return bool(marks & G.words("THAT")) and head.i != tok.i and head.pos_ == "VERB" and head.lemma_ in _reporting(tok.doc.lang_) \
        and any("Past" in a.morph.get("Tense") or "Imp" in a.morph.get("Tense") or "Part" in head.morph.get("VerbForm")
                for a in [head, *[c for c in head.children if c.dep_.startswith("aux")]])


# a title, then the person's name in apposition: the title says which institution speaks
# a bare title (with at most the person's name): « l'officier », « le général Iouri Stavitski »
def _group_reach(lang: str) -> int:
    """How far back (characters) "the group" may stand for the armed group last named when the sentence names
    none: ``GROUP_REACH`` of the language's attribution.tsv (0, the sentence alone, where it gives none)."""
    return int(next(iter(grammar(lang, "attribution").words("GROUP_REACH")), "0"))


_MILITARY_CLAIMANTS = ("Military Forces of", "Ministry of Defence of", "General Staff of")


def _subtree_span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)


def _selon_scope(sent: Span, char: int) -> tuple[int, int]:
    """« selon X » modifies the clause of the verb it hangs off."""
    for t in sent:
        if t.idx >= char:
            head = t.head
            while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
                head = head.head
            return _subtree_span(head)
    return -1, -1


def _phrase(tok: Token, sent: Span) -> str:
    """The words of a noun phrase headed by ``tok`` within the sentence, up to a comma that
    does not introduce an apposition's title."""
    G = grammar(sent.doc.lang_, "attribution")
    left = max(tok.left_edge.i, sent.start)
    right = min(tok.right_edge.i, sent.end - 1)
    words = tok.doc[left:right + 1].text
    return G.rx("CUT").sub("", words)


def _normalise(words: str, lex: Lexicon, state: AttributionState) -> tuple[str | None, str]:
    G = grammar(lex.lang, "attribution")
    w = G.rx("ORDINAL_AFTER_DET").sub(lambda m: m.group(1) or "", words.strip(), count=1)
    if G.rx("POSSESSIVE").match(w) and state.last is not None:
        return state.last.claimant, "possessive"     # « leur porte-parole, X »: the group just named
    named = lex.country_mentions(w)
    if w.lower() in G.words("PRONOUNS") or (G.rx("ANAPHOR").match(w) and not named and not G.rx("PROPER_NOUN_AFTER_DET").match(w)
                                  and "(unnamed" in (lex.claimant(w, state.default_country) or "(unnamed")):
        # (« le général X, du Commandement conjoint des opérations » names its institution: no anaphor)
        # « le ministère russe de la Défense », « L'Agence nationale d'information » name their own
        if G.rx("MILITARY_WORD").search(w):      # « le responsable militaire »: the military source last named
            mil = [c for c in state.history if c.claimant.startswith(_MILITARY_CLAIMANTS)]
            if mil:
                return mil[-1].claimant, "anaphor"
        if w.lower() in G.words("PERSONAL_PRONOUNS"):
            # "he said": the person last quoted, not the agency that reported him
            persons = [c for c in state.history if _people(c.claimant_text) or G.rx("PERSON_TITLE").search(c.claimant_text)]
            if persons:
                return persons[-1].claimant, "anaphor"
        head = G.rx("ANAPHOR").match(w)
        if head is not None and state.history:
            # « selon le ministère » after « l'ONU »: the last source the same noun named (« Le ministère
            # palestinien de la Santé »), not whichever source came last
            noun = re.sub(r"^[ld]['’]", "", _fold(head.group(0).split()[-1]))
            word = re.compile(rf"(?<![\w-]){re.escape(noun)}s?(?![\w-])")
            same = [c for c in state.history if word.search(_fold(c.claimant_text))]
            if same:
                return same[-1].claimant, "anaphor"
        if state.last is not None:
            return state.last.claimant, "anaphor"
    default = state.default_country
    if not named and state.military_country and G.rx("MILITARY_TITLE").search(w):
        default = state.military_country     # « le général » after « le commandant des troupes russes »
    name = lex.claimant(w, default, state.region)
    if name and name in G.words("GENERIC_CLAIMANTS"):
        # "the director of the Jenin Governmental Hospital": the institution's own name, not a kind of source
        own = _institution(w, lex.lang)
        if own:
            return own, "institution"
    if name and not named and state.army and name == f"Military Forces of {lex.country_name(default)}" \
            and default != state.army:
        # "the army said" in an article whose only army is another country's (the West Bank: Israel's)
        name = f"Military Forces of {lex.country_name(state.army)}"
    if name is None and named and len(named) == 1:
        # "Mali said on Friday": a country alone speaks through its government
        iso = next(iter(named))
        alone = G.rx("COUNTRY_ALONE").match(w)
        if alone and lex.iso_of(alone.group("name")) == iso:
            return f"Government of {lex.country_name(iso)}", "country"
    if name:
        if named and name.startswith(_MILITARY_CLAIMANTS):
            state.military_country = next(iter(named))
        for person in _people(w):             # « le porte-parole …, Igor Konachenkov »: remember who he speaks for
            state.people[person.split()[-1].lower()] = name
        return name, "table"
    for person in _people(w):                 # « Konachenkov a ajouté »: the institution named with him before
        known = state.people.get(person.split()[-1].lower())
        if known:
            return known, "person"
    capitalised = re.findall(r"[A-ZÀ-Ý][\w'’-]+", w)
    if capitalised and len(w.split()) <= 3 and capitalised[-1].lower() in state.people:
        return state.people[capitalised[-1].lower()], "person"     # « M. Haddad a ajouté »
    surname = G.rx("SURNAME").fullmatch(w.strip(" ,.")) if state.text else None
    if surname and surname.group(0).lower() not in G.words("PRONOUNS"):
        # "Syniehubov said", where no claim named him yet: the title he was first introduced with
        # ("The head of the Kharkiv regional military administration, Oleh Syniehubov, made the announcement")
        at = state.text.find(" " + surname.group(0), 0, max(0, state.sent_start))
        if at > 0:
            opening = max(state.text.rfind(". ", 0, at), state.text.rfind("\n", 0, at), at - 90) + 1
            around = state.text[opening:state.text.find(",", at + 1) if "," in state.text[at + 1:at + 120] else at + 1 + len(surname.group(0))]
            name = lex.claimant(around, default, state.region)
            if name:
                state.people[surname.group(0).lower()] = name
                return name, "person"
    return None, "none"


_PROPER = re.compile(r"\b(?:(?:al|el|ad|ar|as|at|az|an|ash)-(?=[A-ZÀ-Ý]))?(?:[A-ZÀ-Ý][\w'’&.-]*[\wÀ-ÿ])(?:\s+(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d'|al-|el-)?[A-ZÀ-Ý][\w'’&.-]*[\wÀ-ÿ])*")


def introduce_people(lex: Lexicon, state: AttributionState) -> None:
    """Every person the article introduces with the institution they speak for (« Rami Abdel Rahmane, qui
    dirige l'OSDH », APPOSED_INSTITUTION), remembered before any sentence is read: « a ajouté M. Abdel
    Rahmane » is the OSDH even when the sentence that introduced him told no claim the parser found."""
    G = grammar(lex.lang, "attribution")
    if not state.text or G.rx("APPOSED_INSTITUTION") is NEVER:
        return
    not_people = G.words("PRONOUNS") | {"le", "la", "les", "the"}
    for m in _PROPER.finditer(state.text):
        person = m.group(0)
        if not _people(person) or person.split()[0].lower() in not_people:
            continue
        if not G.rx("APPOSED_INSTITUTION").match(state.text, m.end()):
            continue
        own = _apposed_institution(person, m.start(), lex, state)
        if own:
            state.people.setdefault(person.split()[-1].lower(), own)


def _apposed_institution(person: str, start: int, lex: Lexicon, state: AttributionState) -> str | None:
    """The institution named in the apposition or relative clause right after a person's name in the
    text (``APPOSED_INSTITUTION`` of the language's attribution.tsv; none where it gives no such row)."""
    G = grammar(lex.lang, "attribution")
    if not state.text or G.rx("APPOSED_INSTITUTION") is NEVER:
        return None
    at = state.text.find(person, max(0, start - 5))
    if at < 0 or at > start + 200:
        return None
    m = G.rx("APPOSED_INSTITUTION").match(state.text, at + len(person))
    if not m:
        return None
    words = m.group("inst").strip()
    for phrase in [words] + [f"{d} {words}" for d in sorted(G.words("APPOSED_DETERMINER"))]:
        name = lex.claimant(phrase, state.default_country, state.region)
        if name:
            return name
    own = _proper_name(words, lex.lang)     # « X, un responsable de la KNU »: an acronym, or one in brackets
    return own if own and (own.isupper() or re.search(r"\(([A-ZÀ-Ý][\w&.-]{1,30})\)", words)) else None


def _institution(words: str, lang: str) -> str | None:
    """An institution's own name in the words (« the Central Committee of Sudanese Doctors »), if any."""
    G = grammar(lang, "attribution")
    found = [m.group(0).strip() for m in G.rx("NAMED_INSTITUTION").finditer(words)]
    found = [G.rx("LEADING_DETERMINER").sub("", f) for f in found]
    found = [f for f in found if len(f.split()) > 1 and f.split()[0] not in G.words("NOT_A_NAME_START")]
    return max(found, key=len) if found else None


def _people(words: str) -> list[str]:
    """Persons' names: capitalised runs of two words or more (« Igor Konachenkov »)."""
    return [m.group(0) for m in _PROPER.finditer(words) if len(m.group(0).split()) > 1]


def _proper_name(words: str, lang: str = "fr") -> str | None:
    """Last resort for a source no table knows: its longest capitalised name (« l'ORTM » ->
    "ORTM", « la radio Shabelle » -> "Shabelle"), never a lone common word."""
    G = grammar(lang, "attribution")
    bracketed = re.findall(r"\(([A-ZÀ-Ý][\w&.-]{2,30})\)", words)    # « le commandement … (Africom) »
    if bracketed:
        return bracketed[-1]
    names = [G.rx("ELIDED").sub("", m.group(0)) for m in _PROPER.finditer(words)]     # « L'ELN »: the name after the article
    names = [G.rx("LEADING_DETERMINER").sub("", n) if len(n.split()) > 1 else n for n in names]   # "The SNA": SNA
    names = [n for n in names if len(n) > 2 and n.lower() not in G.words("PRONOUNS") and not n.istitle() or len(n.split()) > 1 or n.isupper()]
    names = [re.sub(r"['’]s$", "", n) for n in names]          # "Wednesday's edition": the possessive goes

    def a_name(n: str) -> bool:
        return n not in G.words("NOT_A_NAME") and n.split()[0] not in G.words("NOT_A_NAME_START")

    names = [n for n in names if a_name(n) and not G.rx("ELIDED").match(n)]
    if not names:
        # « le quotidien Al-Watan », « le média Interlignes », "the Kurdish outlet Rudaw": a lone name is a
        # name after a word that says it is a newspaper, agency, channel or site
        titled = G.rx("MEDIA_NAME").search(words)
        return titled.group("name") if titled and a_name(titled.group("name")) else None
    own = _institution(words, lang)     # "Alhaji Lawal Isa, who chairs Kaura-Namoda Local Government Area"
    return own if own else max(names, key=len)








def _speaker_after_venue(verb: Token, sent: Span, last: Token | None = None, venue: bool = True) -> Token | None:
    """The inverted speaker after where or how it spoke: « a indiqué dans un communiqué le général X »,
    « a annoncé sur Telegram le gouverneur ». ``last``: the verb's last word when it has two (« a fait
    savoir par communiqué l'organisation »). ``venue=False``: right after the verb, a subject the parser hung on
    another verb (« …", a fait savoir le ministère syrien de la Défense »)."""
    G = grammar(sent.doc.lang_, "attribution")
    doc = verb.doc
    last = last or verb
    finite = "Fin" in verb.morph.get("VerbForm") or any(c.dep_.startswith("aux") for v in (verb, last) for c in v.children)
    if not finite:
        return None      # « après avoir confirmé dans un communiqué la mort d'un colonel »: no speaker to invert
    at = last.idx + len(last.text)
    rest = doc_text(doc)[at:sent.end_char]
    moved = False
    while True:
        m = G.rx("VENUE").match(rest)
        if not m or not m.group(0).strip():
            break
        at += m.end()
        rest = doc_text(doc)[at:sent.end_char]
        moved = True
    if not moved and venue:
        return None
    m = G.rx("DETERMINER").match(rest)
    tok = next((t for t in sent if t.idx >= at + (m.end() if m else 0) and not t.is_space), None)
    if tok is None or (not m and tok.pos_ != "PROPN"):
        return None      # (a name needs no determiner: « a affirmé sur Telegram Kyrylo Timochenko »)
    if tok.dep_.startswith("nsubj"):
        return tok
    if not moved:
        return None
    # not the verb's object (« a confirmé dans un communiqué la mort … »), nor beside a reported clause
    is_object = tok.dep_ == "obj" and tok.head.i in (verb.i, last.i)
    reports_clause = any(c.dep_ == "ccomp" for c in list(verb.children) + list(last.children))
    return tok if tok.pos_ in ("NOUN", "PROPN") and not is_object and not reports_clause else None


def _claims_a_deed(verb: Token, G, speaker: Token) -> bool:
    """A distancing verb whose object is a thing, with no reported clause: "the Taliban claimed the attack",
    "claimed the lives of 22", "attacks claimed by IS" — the author named, or no report at all; "claimed that …", "claimed to have
    killed" report. (The accusing verbs take the accused as object: they keep their doubt.)"""
    if verb.lemma_.lower() in G.words("TARGETING"):
        return False
    kids = [c for c in verb.children if c.i != speaker.i]     # (« a affirmé un policier »: the speaker, inverted)
    objs = [c for c in kids if c.dep_ in ("obj", "dobj", "nsubj:pass", "nsubjpass")]
    # "clashes claim 3": a toll; "an attack, which the group has claimed": the deed itself, through the relative
    # word of a clause on the deed's noun (``DEED_RELATIVE``; a language without it reads no such clause)
    deed = any(c.pos_ in ("NOUN", "PROPN", "NUM") for c in objs) or (
        verb.dep_ in ("relcl", "acl:relcl") and verb.head.pos_ == "NOUN"
        and any(c.lower_ in G.words("DEED_RELATIVE") for c in objs))
    return deed and not any(c.dep_ in ("ccomp", "xcomp") for c in kids)


def _head_words(noun: Token) -> str:
    """A noun with its determiner and adjectives, without its complements: what names a source (« une source
    militaire »), not what the complement adds (« la mort de deux soldats »)."""
    return " ".join(t.text for t in sorted([noun] + [c for c in noun.children if c.dep_ in (
        "amod", "det", "flat", "flat:name", "fixed", "compound", "nummod")], key=lambda t: t.i))


def _incise(verb: Token) -> bool:
    """The reporting verb opens an incise after a comma (« …, a annoncé X »): what stands before
    the comma is the report, not its speaker."""
    if verb.dep_ == "ROOT":
        return False    # « La reprise, le 26 novembre, du quartier, signalait … »: the main clause itself
    return _after_comma(verb)


def _incise_verb(verb: Token, lemma: str, G) -> bool:
    """A verb that reports only as an incise with its speaker after it and no subject before it (« », a poursuivi le
    gouverneur »; not « l'armée poursuit son offensive », nor « …, où les jihadistes, mardi, ont poursuivi les
    habitants »): ``INCISE_VERBS`` of data/<lang>/attribution.tsv."""
    return lemma in G.words("INCISE_VERBS") and _incise(verb) \
        and not any(c.i < verb.i and c.dep_.startswith("nsubj") for c in verb.children) and any(
            c.i > verb.i and c.dep_ in ("obj", "nsubj") and c.pos_ in ("NOUN", "PROPN") for c in verb.children)


def _verb_read_as_noun(tok: Token) -> bool:
    """"…, Garowe Online reports.": the tagger read the verb as a plural noun, yet gave it a subject; after a comma
    with a subject of its own it is the incise's verb."""
    return tok.pos_ == "NOUN" and _after_comma_phrase(tok) and any(c.dep_ == "nsubj" for c in tok.children)


def _after_comma_phrase(tok: Token) -> bool:
    """A comma stands at most six words before ``tok``, with no verb between."""
    for i in range(tok.i - 1, max(tok.sent.start, tok.i - 7) - 1, -1):
        t = tok.doc[i]
        if t.text == ",":
            return True
        if t.pos_ in ("VERB", "AUX"):
            return False
    return False


def _after_comma(verb: Token) -> bool:
    """The verb (with its auxiliaries) comes right after a comma or a closing quote, as an incise does,
    whatever the parser made of the clause."""
    first = min([verb] + [c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i], key=lambda t: t.i)
    return first.i > 0 and first.nbor(-1).text in (",", "»", '"')


def _in_reported_clause(tok: Token, verb: Token) -> bool:
    """``tok`` belongs to the clause ``verb`` reports ("X, a member of the council, said 12 soldiers were
    killed": the soldiers are what was said, not who said it)."""
    for t in tok.ancestors:
        if t.i == verb.i:
            return False
        if t.dep_ in ("ccomp", "parataxis") and t.head.i == verb.i:
            return True
    return False


def _speaker_after_date(verb: Token, sent: Span) -> Token | None:
    """The inverted speaker the parser hung on a date: skip the date words after the verb and
    take the noun phrase that follows (« a annoncé ce 21 avril le commandant des troupes »)."""
    G = grammar(sent.doc.lang_, "attribution")
    skipped = 0
    for t in sent.doc[verb.i + 1:min(sent.end, verb.i + 9)]:
        low = t.lower_
        if low in G.words("DATE_WORDS") or t.like_num:
            skipped += low not in G.words("DATE_FILLERS")
            continue
        if t.pos_ == "DET":
            continue
        if skipped and t.pos_ in ("NOUN", "PROPN"):
            return t
        return None
    return None




def _dateline_end(text: str, lang: str) -> int:
    """Where the dateline that opens ``text`` ends (« Sharjah 24 – Reuters: »), 0 when none does."""
    G = grammar(lang, "attribution")
    at = 0
    while True:
        m = G.rx("DATELINE").match(text[at:])
        if not m or not m.end():
            return at
        at += m.end()


DOCUMENT_REACH = 80     # chars after a source's words where the statement it issued is named ("said in a statement")


def _claim_from_words(words: str, lex: Lexicon, state: AttributionState, start: int, end: int,
                      rule: str, distancing: str | None, scope: tuple[int, int] = (-1, -1),
                      denies: bool = False, relayed_by: tuple[str, ...] = ()) -> list[Claim]:
    """A claim for the source named by ``words``; its relays become ``via`` and relay claims."""
    G = grammar(lex.lang, "attribution")
    cut = _dateline_end(words, lex.lang)     # "KHARTOUM, Nov 23 (KUNA) -- Sudan's army": no part of the speaker
    words, start = words[cut:], start + cut
    if not words.strip():
        return []
    if G.rx("THE_DOCUMENT").match(words.strip()):
        # « d'après le communiqué », "the statement said": the document last named with its issuer (« d'après un
        # communiqué du Commandement opérationnel conjoint irakien »), which speaks for that issuer
        nouns = G.words("STATEMENT_NOUNS")

        def issued(c: Claim) -> bool:
            # its words, or the words right after them in its sentence (« a indiqué l'armée dans un communiqué »)
            around = c.claimant_text + " " + re.split(r"[.!?\n]", state.text[c.end:c.end + DOCUMENT_REACH], maxsplit=1)[0]
            return any(w in nouns for w in re.findall(r"\w+", around.lower()))
        issuer = next((c for c in reversed(state.history) if c.claimant != state.outlet and issued(c)), None)
        if issuer is not None:
            return [Claim(claimant=issuer.claimant, claimant_text=words.strip(), outlet=state.outlet,
                          hedged=bool(distancing), hedge_text=distancing, via=list(issuer.via), role="source",
                          denies=denies, start=start, end=end, scope_start=scope[0], scope_end=scope[1],
                          rule=f"{RULE}:{rule}:document")]
    if G.rx("PLURAL_ANAPHOR").match(words.strip()) and state.last is not None:
        # « ont précisé ces sources », « selon les mêmes sources »: every source the last one was named with
        group = [c for c in state.history if abs(c.start - state.last.start) < 250 and c.denies == state.last.denies]
        names = list(dict.fromkeys(c.claimant for c in group)) or [state.last.claimant]
        return [Claim(claimant=n, claimant_text=words.strip(), outlet=state.outlet, hedged=bool(distancing),
                      hedge_text=distancing, via=[], role="source", denies=denies, start=start, end=end,
                      scope_start=scope[0], scope_end=scope[1], rule=f"{RULE}:{rule}:anaphor") for n in names]
    both = G.rx("SOURCES_AND").search(words)
    if both:     # « selon des sources médicales et sécuritaires »: two kinds of source
        rest = words[both.end():]         # « … libanaises »: the nationality qualifies both
        return [c for kind in both.group(1, 2) for c in _claim_from_words(
            f"des sources {kind}{rest}", lex, state, start, end, rule, distancing, scope, denies)]
    parts = [p for p in G.rx("AND").split(words) if p.strip()]
    if len(parts) > 1 and not G.rx("RELAY").search(words):
        # "according to medics and witnesses": two sources, when each part names one the table knows
        names = [lex.claimant(p, state.default_country, state.region) for p in parts]
        if all(names) and len(set(names)) == len(names):
            return [c for p in parts for c in _claim_from_words(p, lex, state, start, end, rule, distancing,
                                                                  scope, denies, relayed_by)]
    relays: list[str] = list(relayed_by)
    core = words
    m = G.rx("RELAY").search(words)
    if m:
        if m.group("via"):
            relays.append(m.group("via"))
            core = words[:m.start()]
        elif m.group("to"):
            relays.append(m.group("to"))
            core = words[:m.start()] + words[m.end():]
        elif m.group("src"):                 # "Sana, citant une source militaire"
            relays.append(words[:m.start()])
            core = m.group("src")
    if G.rx("THE_GROUP").match(core.strip()) and state.groups:
        # « Saleh el-Arouri, du Hamas, a été tué …, a confirmé le mouvement palestinien »: the armed group the
        # sentence itself named before
        group = [n for at, n in state.groups if state.sent_start <= at < start] or \
            [n for at, n in state.groups if start - _group_reach(lex.lang) <= at < start]
        # ("Its fighters also hit …, the Lebanese group said": else the armed group named just before)
        if group:
            return [replace(c, claimant_text=words.strip()) for c in
                    _claim_from_words(group[-1], lex, state, start, end, rule + ":group", distancing, scope, denies)]
    if G.rx("OF_THE_TOWN").search(core) and state.towns:
        # « l'administration militaire de la ville », « le maire de la ville »: the town last named
        town = [n for at, n in state.towns if at < start]
        if town:
            # (« Le maire Vitali Klitschko »: the town, then a comma, so that the name after is not the town's)
            core = G.rx("OF_THE_TOWN").sub(lambda m: m.group("office") + " de " + town[-1] if m.group("office")
                                           else m.group("office2") + " de " + town[-1] + ",", core, count=1)
    name, how = _normalise(core, lex, state)
    if name is None:
        name, how = _normalise(words, lex, state)
    if name is None and relays and G.rx("DOCUMENT").match(core.strip()):
        # « les images diffusées par l'ORTM »: a document speaks for whoever issued it
        name, relays, how = _normalise(relays[0], lex, state)[0] or _proper_name(relays[0], lex.lang), [], "document"
    if name is None:
        # (who runs it is not its name: "the Houthi-run Al-Masirah TV")
        name = _proper_name(grammar(lex.lang, "actor_words").rx("RUN_BY").sub("", core), lex.lang) \
            or _proper_name(core, lex.lang)
        how = "proper-name"
    if how == "proper-name" and name and (name.lower() in {t.lower() for _, t in state.towns} or lex.iso_of(name)):
        # "Videos filmed … in the Tal al-Sultan area", "DTEK, Ukraine's biggest private energy company": the only
        # name in the words is a place the text names or a country — no source of that name
        name = None
    if how == "proper-name" and name and _people(name):
        # « Rami Abdel Rahmane, qui dirige l'OSDH », « le général X, du Commandement des opérations
        # interarmées »: a person speaks for the institution named right after him
        person = name
        own = _apposed_institution(person, start, lex, state)
        if own:
            name, how = own, "apposed"
            state.people[person.split()[-1].lower()] = own     # « M. Abdel Rahmane » later: the same institution
    if how == "proper-name" and name:
        # « L'ANI a aussi signalé … » after « l'ANI, l'agence de presse officielle libanaise »: the source that
        # name was read as where the article first gave it with its institution
        # (with the bracketed acronym after its words: « l'Agence nationale d'information (ANI) »)
        before = next((c for c in reversed(state.history) if c.claimant != name and c.start >= 0
                       and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])",
                                     state.text[c.start:c.end + len(name) + 4] if state.text else c.claimant_text)), None)
        if before is not None:
            name, how = before.claimant, "named-before"
    via_names = [n for n in (_normalise(r, lex, state)[0] or _proper_name(r, lex.lang) for r in relays) if n and n != name]
    if name is None:
        if not via_names:
            return []
        name, via_names = via_names[0], via_names[1:]
    claims = [Claim(claimant=name, claimant_text=words.strip(), outlet=state.outlet,
                    hedged=bool(distancing), hedge_text=distancing, via=via_names, role="source",
                    denies=denies, start=start, end=end, scope_start=scope[0], scope_end=scope[1],
                    rule=f"{RULE}:{rule}:{how}")]
    for v in via_names:
        claims.append(Claim(claimant=v, claimant_text=words.strip(), outlet=state.outlet,
                            hedged=bool(distancing), hedge_text=distancing, via=[], role="relay",
                            denies=denies, start=start, end=end, scope_start=scope[0], scope_end=scope[1],
                            rule=f"{RULE}:{rule}:relay"))
    return claims


def _names_document(words: list[str], G) -> bool:
    """Whether the words cited (« des chiffres du ministère », "hospital records") name a document (DOCUMENT), which
    speaks for whoever cites it, not a source: from their start or after up to three words before the noun."""
    return any(G.rx("DOCUMENT").match(" ".join(words[i:])) for i in range(min(len(words), 4)))


def _gives_toll(tok: Token, lemma: str, G) -> bool:
    """A verb that reports only with a toll for object (« la société civile a dressé un bilan », « ce bilan a
    été établi par les services de sécurité », "the toll was given by the health ministry"): TOLL_VERBS,
    their toll word TOLL_NOUNS (data/<lang>/attribution.tsv), as the passive's subject with an agent or
    as the object."""
    if lemma not in G.words("TOLL_VERBS"):
        return False
    kids = list(tok.children)
    toll = [c for c in kids if c.lemma_.lower() in G.words("TOLL_NOUNS")]
    if any(c.dep_ in ("obj", "dobj") for c in toll):
        return True
    agent = any(c.dep_ in ("obl:agent", "agent") for c in kids)
    return agent and any(c.dep_ in ("nsubj:pass", "nsubjpass") for c in toll)


def _verb_lemma(tok: Token, reporting: dict[str, bool]) -> str:
    """The token's lemma, or the reporting verb it is a present-tense form of when the lemmatiser left it as
    written (« Le communiqué indique que … »: lemma « indique »; ``UNLEMMATISED`` of data/<lang>/attribution.tsv,
    endings and the infinitive's ending that replaces them)."""
    lemma = tok.lemma_.lower()
    if lemma in reporting or lemma != tok.lower_:
        return lemma
    for ending, infinitive in _unlemmatised(tok.lang_):
        if lemma.endswith(ending) and lemma[:-len(ending)] + infinitive in reporting:
            return lemma[:-len(ending)] + infinitive
    return lemma


@functools.cache
def _unlemmatised(lang: str) -> tuple[tuple[str, str], ...]:
    """``UNLEMMATISED`` as (ending, infinitive ending) pairs, the longest ending first."""
    pairs = [p.partition(">") for p in grammar(lang, "attribution").words("UNLEMMATISED")]
    return tuple(sorted(((e, i) for e, _, i in pairs), key=lambda p: -len(p[0])))


def sentence_claims(sent: Span, lex: Lexicon, state: AttributionState) -> list[Claim]:
    """Every source this sentence names as asserting what it reports."""
    G = grammar(lex.lang, "attribution")
    claims: list[Claim] = []
    reporting = _reporting(lex.lang)
    off = sent.start_char
    state.sent_start = off
    text = span_text(sent)
    selon = list(G.rx("SELON").finditer(text))
    selon_spans = [m.span() for m in selon]
    for m in G.rx("OTHER_SOURCES").finditer(text):
        # « d'autres sources avançant des bilans compris entre 12 et 17 morts »: other, unnamed sources
        if any(a <= m.start() < b for a, b in selon_spans):
            continue
        claims += _claim_from_words(m.group("who"), lex, state, off + m.start("who"), off + m.end("who"),
                                    "participle", None, (off + m.end(), sent.end_char))
    for m in selon:
        who = G.rx("CUT").sub("", m.group("who"))
        title = G.rx("APPOSED_TITLE").match(text[m.end("who"):])
        if title and who == m.group("who"):    # « selon Birusk Hasakeh, porte-parole des YPG, … »
            who = who + title.group(0)
        if G.rx("SELON_RELAY").match(m.group(0)):
            continue                       # handled as a relay of the speaker
        claims += _claim_from_words(who, lex, state, off + m.start("who"), off + m.end("who"), "selon", None,
                                    _selon_scope(sent, off + m.start()))
    deny, toll_verbs, incise_verbs = G.words("DENY"), G.words("TOLL_VERBS"), G.words("INCISE_VERBS")
    for tok in sent:
        pos = tok.pos_
        if pos not in ("VERB", "AUX", "NOUN"):
            continue
        lemma = _verb_lemma(tok, reporting)
        # (the word lists first: a toll or incise verb reports only when its lemma is in their list)
        if lemma not in reporting and lemma not in deny and lemma not in toll_verbs and lemma not in incise_verbs:
            continue
        if (pos == "NOUN" and not _verb_read_as_noun(tok)) or (lemma not in reporting and lemma not in deny
                                                              and not _gives_toll(tok, lemma, G)
                                                              and not _incise_verb(tok, lemma, G)):
            continue
        light = None
        if lemma in G.words("LIGHT_VERB"):    # « faire savoir », « faire état », « font pourtant état »
            at = tok.i + 1
            while at < len(tok.doc) and at <= tok.i + 2 and tok.doc[at].pos_ == "ADV":
                at += 1
            nxt = tok.doc[at] if at < len(tok.doc) else None
            if not (nxt is not None and nxt.lower_ in G.words("LIGHT_VERB_OBJECT")):
                continue
            light = nxt
        if lemma not in G.words("DENY") and any(c.lower_ in G.words("NEGATION") for c in tok.children):
            continue                       # « les shebab, qui ne l'ont pas revendiquée »: no claim
        if lemma in G.words("REJECT_VERB") and not any(c.dep_ == "ccomp" or (c.dep_ in ("obj", "dobj") and c.lemma_.lower() in G.words("REJECTED"))
                                          for c in tok.children):
            continue                       # « a rejeté la proposition de trêve »: no denial of any event
        if lemma in G.words("SHOW_VERB") and not any(c.dep_ == "ccomp" for c in tok.children) and not any(
                (c.dep_.startswith("nsubj") or (c.dep_ == "obj" and c.i > tok.i)) and c.lemma_.lower() in G.words("SHOWING")
                for c in tok.children):
            continue                       # « a montré sa détermination »: not a report
        rel_qui = tok.dep_ in ("acl:relcl", "relcl") and (
            any(c.lower_ in G.words("RELATIVE_SUBJECT") for c in tok.children)
            # "an operation the health ministry said had killed seven": a relative clause with no relative
            # word, whose verb has a speaker of its own
            or (G.words("ZERO_RELATIVE") and any(c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") and c.i < tok.i
                                                  for c in tok.children)
                and not any("Rel" in c.morph.get("PronType") for c in tok.children)))
        if (tok.dep_ in ("acl", "acl:relcl", "relcl", "amod") and not rel_qui) or "Inf" in tok.morph.get("VerbForm"):
            continue                       # "cité par", "citant": relays inside a phrase
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass", "expl:subj")]
        if not subj and light is not None:
            # « X, ministre libyen de la Santé, a fait savoir que … »: the parser hangs the subject on « savoir »
            subj = [c for c in light.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass") and c.i < tok.i]
        if not subj:   # « La télévision d'État a, à son tour, déclaré »: the parser hung the subject on the auxiliary
            subj = [g for c in tok.children if c.dep_.startswith("aux") for g in c.children
                    if g.dep_ in ("nsubj", "nsubj:pass", "nsubjpass") and g.i < c.i]
        # (« a fait savoir le ministère »: the parser hangs the inverted speaker on « savoir »)
        inverted = [c for c in list(tok.children) + (list(light.children) if light is not None else [])
                    if c.dep_ in ("obj", "nsubj", "obl:mod", "obl:arg", "dep")
                    # (« a affirmé à Anadolu, dimanche, le gouverneur »: a loose noun after an incise's verb)
                    and (c.dep_ != "dep" or (light is not None and c.head.i == light.i) or _incise(tok))
                    and not (c.dep_ == "obj" and lemma in G.words("TARGETING"))    # « accuse le Hamas »: the accused
                    and c.i > (light or tok).i and c.pos_ in ("NOUN", "PROPN")
                    and c.lower_ not in G.words("DATE_WORDS") and c.lower_ not in G.words("TIME_NOUNS")   # « a annoncé mercredi à l'AFP un responsable »
                    and not any(g.dep_ == "case" for g in c.children)]   # not "sur Facebook"
        agent = [c for c in tok.children if c.dep_ == "obl:agent"] or [
            g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]   # English "by X"
        if subj and subj[0].dep_ in ("nsubj:pass", "nsubjpass") and agent:     # "confirmée par le ministère"
            subj = agent
        if "Part" in tok.morph.get("VerbForm") and "Past" in tok.morph.get("Tense") and not subj and not agent and light is None \
                and not any(c.dep_.startswith("aux") for c in tok.children):
            continue        # « récemment confiés à des unités »: a past participle alone, with no subject nor auxiliary, reports
                            # nothing but through its agent
        if subj and inverted and subj[0].i < tok.i and _incise(tok) and (
                inverted[0].dep_ != "obj"    # an object after the verb is the speaker only if the subject names no source
                or (subj[0].pos_ == "NOUN" and lex.claimant(_phrase(subj[0], sent), state.default_country) is None)):
            subj = []    # « …, une région disputée, a annoncé mercredi à l'AFP un responsable »: inverted speaker
        if subj and subj[0].i < tok.i and _after_comma(tok) and lemma not in G.words("TARGETING") \
                and lex.claimant(_phrase(subj[0], sent), state.default_country) is None:
            # « … à Sanaa, la capitale, tenue par les Houthis, ont rapporté mardi à Reuters des habitants »: the
            # parser took the apposition before the verb for its subject; the speaker follows the verb
            after_verb = _speaker_after_date(light or tok, sent) or _speaker_after_venue(tok, sent, light)
            if after_verb is None and light is None and not any(c.dep_ == "ccomp" for c in tok.children):
                # « …, a expliqué à RFI une source militaire »: the parser made the speaker the verb's object; an
                # object that names a source, after an incise's verb reporting no clause of its own, speaks
                obj = next((c for c in tok.children if c.dep_ in ("obj", "dobj") and c.i > tok.i
                            and c.pos_ in ("NOUN", "PROPN")), None)
                if obj is not None:
                    # only after where it spoke (« à RFI »): the object right after the verb is whom it told
                    # (« a informé les habitants »)
                    first = min([obj] + [c for c in obj.children if c.i < obj.i], key=lambda t: t.i)
                    gap = doc_text(tok.doc)[tok.idx + len(tok.text):first.idx]
                    venue = G.rx("VENUE").match(gap)
                    if not (venue and venue.group(0).strip() and not gap[venue.end():].strip()):
                        obj = None
                # (its noun and adjectives name a source, not a complement: « …, signalait une importante avancée
                # de l'armée » is no speaker)
                if obj is not None and lex.claimant(_head_words(obj), state.default_country) is not None:
                    after_verb = obj
            if after_verb is not None and not _in_reported_clause(after_verb, tok):
                subj, inverted = [], [after_verb]
        who_tok = subj[0] if subj else (inverted[0] if inverted else None)
        if who_tok is None:
            for c in tok.children:            # "a-t-il déclaré": the pronoun is a child
                if c.lower_ in G.words("PRONOUNS"):
                    who_tok = c
        if who_tok is None and not subj and lemma not in G.words("TARGETING"):
            who_tok = _speaker_after_date(light or tok, sent)   # « a annoncé ce 21 avril le commandant … »
        if who_tok is None and not subj and lemma not in G.words("TARGETING"):
            who_tok = _speaker_after_venue(tok, sent, light)   # « a indiqué dans un communiqué le général X »
        if who_tok is None and not subj and lemma not in G.words("TARGETING") and _after_comma(tok):
            who_tok = _speaker_after_venue(tok, sent, light, venue=False)   # « …", a fait savoir le ministère »
        if who_tok is None and not subj and lemma not in G.words("TARGETING") and "Pass" not in tok.morph.get("Voice"):
            # « Dans un communiqué, le Cadre stratégique permanent (CSP), qui …, reconnaît »: the parser hung the
            # speaker on the phrase before it as an apposition
            appos = [t for t in sent if t.dep_ == "appos" and t.i < tok.i and t.head.head.i == tok.i
                     and t.pos_ in ("NOUN", "PROPN") and t.head.dep_.startswith("obl")
                     and t.head.lemma_.lower() in G.words("STATEMENT_NOUNS")]
            who_tok = appos[-1] if appos else None
        if who_tok is None and not subj and tok.i > sent.start and lemma not in G.words("TARGETING"):
            prev = tok.doc[tok.i - 1]
            if prev.pos_ in ("PROPN", "NOUN") and prev.dep_ in ("appos", "conj", "dobj", "obj", "pobj", "npadvmod", "compound"):
                who_tok = prev    # "…with drones, Odesa Oblast Governor Oleh Kiper said": the parser hung the speaker elsewhere
                # "…, the Syrian Observatory for Human Rights said": the name the last words end, not its last phrase
                while who_tok.dep_ == "pobj" and who_tok.head.dep_ == "prep" and who_tok.head.head.pos_ in ("PROPN", "NOUN") \
                        and who_tok.head.head.i < who_tok.i \
                        and not any(t.text == "," for t in sent.doc[who_tok.head.head.i:who_tok.i]):
                    who_tok = who_tok.head.head
        if who_tok is None:
            continue
        if lemma in G.words("CITE_VERBS") and who_tok.i > tok.i and any(
                c.dep_ == "nummod" or c.like_num for c in who_tok.children):
            continue    # "…, citing eight soldiers and six tribesmen": the figures cited, no speaker
        if who_tok.pos_ == "PRON" and who_tok.lower_ not in G.words("PRONOUNS") and who_tok.lower_ not in G.words("RELATIVE_SUBJECT"):
            continue
        if who_tok.lower_ in G.words("RELATIVE_SUBJECT") and tok.head.i != tok.i:
            antecedent = tok.head if tok.dep_ in ("acl:relcl", "relcl") else None
            if antecedent is None:
                continue
            who_tok = antecedent
        if who_tok.pos_ == "PRON":
            words = who_tok.text
        elif not subj and who_tok.i > tok.i:
            # an inverted speaker closes the sentence with its titles: « a dit X, le gouverneur de … »
            words = G.rx("CUT").sub("", tok.doc[who_tok.left_edge.i:sent.end].text).rstrip(" ,.;!?»\"”\n")
        else:
            words = _phrase(who_tok, sent)
            title = G.rx("APPOSED_TITLE").match(doc_text(sent.doc)[who_tok.idx + len(words):]) if \
                doc_text(sent.doc)[who_tok.idx:who_tok.idx + len(words)] == words else None
            if title:    # « Rami Abdel Rahmane, directeur de l'OSDH, a déclaré »
                words += title.group(0)
        w_start = who_tok.idx
        if who_tok.pos_ != "PRON":
            # the claim spans its words from their start (« the Gaza health ministry »: from "the", not "ministry")
            at = doc_text(sent.doc).find(words, max(sent.start_char, who_tok.left_edge.idx), who_tok.idx + len(words))
            if 0 <= at <= who_tok.idx:
                w_start = at
        dateline = _dateline_end(text, lex.lang)
        first = min([tok.i] + [c.i for c in tok.children if c.dep_.startswith("aux") and c.i < tok.i])
        if dateline and who_tok.idx < off + dateline <= sent.doc[first].idx:
            # "KHARTOUM, Nov 23 (KUNA) -- Sudan's army said": the parser took the dateline for the speaker
            w_start = off + dateline
            words = doc_text(sent.doc)[w_start:sent.doc[first].idx].strip(" ,")
        lead = G.rx("TITLE_BEFORE_NAME").search(doc_text(sent.doc)[max(sent.start_char, who_tok.idx - 60):who_tok.idx])
        if lead and who_tok.pos_ == "PROPN":
            words = lead.group("title") + " " + words    # « Son directeur, Rami Abdel Rahmane, a souligné »
        distancing = tok.text if reporting.get(lemma) and not any(
            c.dep_ in ("obj", "dobj", "nsubj:pass", "nsubjpass") and c.lemma_.lower() in G.words("UNDOUBTED_OBJECT")
            for c in tok.children) and not _claims_a_deed(tok, G, who_tok) else None
        # ("claimed responsibility", "claimed the attack" name the author, they do not doubt the event: CODEBOOK)
        content = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "obj") and c.i != who_tok.i]
        scope = _subtree_span(content[0]) if content else (-1, -1)
        conjs = [c for c in who_tok.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and c.i > who_tok.i]
        if conjs and who_tok.pos_ != "PRON":
            cut = min(c.left_edge.i for c in conjs)
            while cut > who_tok.i and sent.doc[cut - 1].dep_ in ("cc", "punct"):
                cut -= 1
            words = sent.doc[who_tok.left_edge.i:cut].text
        # "the army said in a statement carried by SANA", "an official told AFP": the relay after the verb
        rest = doc_text(sent.doc)[tok.idx + len(tok.text):sent.end_char]
        after = G.rx("VENUE_RELAY").match(rest)
        relayed_by = tuple(r for r in (after.group("via"), after.group("to")) if r) if after else ()
        citing = G.rx("CITING_AFTER").match(rest)
        w_end = w_start + len(words)
        if citing and not relayed_by and not _names_document(citing.group("cite").split()[1:], G):
            # "SANA said on Saturday, citing a military source": the one cited is the source, the speaker relays it
            # (not "citing hospital records": a document speaks for whoever issued it)
            words = f"{words}, {citing.group('cite')}"
        claims += _claim_from_words(words, lex, state, w_start, w_end,
                                    f"verb:{lemma}", distancing, scope, denies=lemma in G.words("DENY"),
                                    relayed_by=relayed_by)
        # « Des habitants et des responsables locaux … avaient évoqué »: each of the coordinated speakers
        for conj in conjs:
            # (« … ainsi que par des activistes »: the coordinator, not part of the name, would be cut to « ainsi »)
            lead = [t.i for t in conj.subtree if t.i < conj.i and (
                t.dep_ in ("cc", "punct") or (t.dep_ == "fixed" and t.head.dep_ == "cc"))]
            start = max(max(lead, default=conj.left_edge.i - 1) + 1, sent.start)
            more = G.rx("CONJUNCTION").sub("", G.rx("CUT").sub("", sent.doc[start:min(conj.right_edge.i, sent.end - 1) + 1].text))
            claims += _claim_from_words(more, lex, state, conj.idx, conj.idx + len(more), f"verb:{lemma}:conj",
                                        distancing, scope, denies=lemma in G.words("DENY"))
    if not claims:
        m = G.rx("FAIT_ETAT").match(text)
        if m:      # « L'Agence nationale d'information (ANI) a d'abord fait état de six morts »: the parser lost it
            claims += _claim_from_words(m.group("who"), lex, state, off + m.start("who"), off + m.end("who"),
                                        "verb:faire-état", None)
    if not claims:
        m = G.rx("QUOTE_INCISE").search(text)
        verb = next((t for t in sent if t.idx == off + m.start("verb")), None) if m else None
        if verb is not None and verb.lemma_.lower() in reporting:
            # « “…”, a détaillé, dans un communiqué dont la lecture a été faite sur la télévision publique, le ministère
            # de la Défense »: the parser hung the incise on the quotation; its speaker is the phrase that closes it
            who = m.group("who").strip()
            if lex.claimant(who, state.default_country, state.region) is not None:
                claims += _claim_from_words(who, lex, state, off + m.start("who"), off + m.start("who") + len(who),
                                            f"verb:{verb.lemma_.lower()}:incise", reporting.get(verb.lemma_.lower()) and verb.text or None)
    # one claim per claimant and role; the hedged reading wins within one sentence
    uniq: dict[tuple[str, str], Claim] = {}
    for c in claims:
        k = c.key()
        if k not in uniq or (c.hedged and not uniq[k].hedged):
            uniq[k] = c
    out = list(uniq.values())
    sources = [c for c in out if c.role == "source"]
    if sources:
        state.last = sources[-1]
        state.history.extend(sources)
    return out
