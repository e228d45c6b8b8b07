"""Actor and claimant names, normalised from the words of an article with packaged tables.

``Lexicon`` compiles ``data/<lang>/actors.tsv``, ``claimants.tsv`` and ``countries.tsv`` once.
Rows may use ``{DEM}`` (any demonym of a country, e.g. "syrienne"), which fills ``{COUNTRY}``
("Syria") and ``{ADJ}`` ("Syrian"), and ``{DEFAULT}``, the article's main country.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from unidecode import unidecode

from .resources import alternation_spans, grammar, lowered, may_match, read_table, scanner

__all__ = ["Lexicon", "ActorMention", "Country"]


@dataclass(slots=True, frozen=True)
class Country:
    iso2: str
    name: str           # English short name
    adjective: str      # English adjective ("Syrian")
    names: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(slots=True)
class ActorMention:
    start: int
    end: int
    text: str
    name: str
    kind: str           # state | nonstate | civilian | external
    country: str | None = None


_UNNAMED_ROLE = {"officier": "officer", "général": "officer", "colonel": "officer",
                 "commandant": "officer", "gradé": "officer", "militaire": "officer",
                 "haut gradé": "officer", "responsable": "official", "source": "source",
                 "sources": "source", "responsables": "official",
                 # English
                 "officer": "officer", "commander": "officer", "general": "officer", "official": "official",
                 "officials": "official", "spokesman": "official", "spokesperson": "official"}


def trie_regex(words: list[str]) -> str:
    """A regex alternation of ``words`` factored into a prefix tree, case-folded: matching it
    costs a walk down the tree instead of one try per word (the country and demonym tables
    hold about a thousand forms)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return "(?:" + build(trie) + ")"


# country initials that are also words of the languages read ("car", « car », « eau »)
_WORD_INITIALS = frozenset({"car", "eau"})


# "22.5 million U.S. dollars", « dollars américains », « la livre libanaise »: a currency's country is no country
# the text speaks of. The currency after the country only after an amount ("Israel pounds Gaza", « la Turquie livre
# des drones » are verbs); before it, only a country's adjective or initials (not "jets pound Lebanon").
_CURRENCY = r"(?:dollars?|roubles?|rubles?|yuans?|dinars?|riy?als?|shekels?|hryvnias?|nairas?|shillings?|livres?|pounds?|francs?|roupies?|rupees?|lires?|liras?)"
_CURRENCY_AFTER = re.compile(r"\s*" + _CURRENCY + r"\b", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"\b" + _CURRENCY + r"\s*$", re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"(?:\d|\b(?:millions?|milliards?|billions?|thousands?|milliers|mille|de|d['’]|in|of))\s*$",
                            re.IGNORECASE)


def _currency(text: str, m: re.Match[str]) -> bool:
    start, end = m.start(), m.end()
    if _CURRENCY_AFTER.match(text, end) and _AMOUNT_BEFORE.search(text, max(0, start - 15), start):
        return True
    word = m.group(0)
    return bool((m.group("name") is None or word.replace(".", "").isupper())
                and _CURRENCY_BEFORE.search(text, max(0, start - 12), start))


def _shouted(text: str, start: int, end: int) -> bool:
    """Initials in a line written in capitals (« CANON À EAU POUR DISPERSER »): a word, not the
    country's initials, when the nearest words of three letters or more on both sides are capitals
    too (a headline that opens with them, « RCA : L'ARMÉE … », keeps them)."""
    word = text[start:end]
    if not (len(word) > 2 and word.replace(".", "").isupper()):
        return False
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    before = re.findall(r"[^\W\d_]{3,}", text[line_start:start])[-1:]
    after = re.findall(r"[^\W\d_]{3,}", text[end:line_end if line_end >= 0 else len(text)])[:1]
    return bool(before and after and before[0].isupper() and after[0].isupper())


_ANY_WORD = r"\w[\w' -]*"     # matches every demonym (a cheap stand-in to read a row's shape from)
# a country named by its name where a row writes its demonym: English "Sudan's army", French « l'armée du Mali »
_BY_NAME = {"en": ("", r"['’]s"), "fr": (r"(?:du|des|de\s+la|de\s+l['’]|d['’]|de)\s*", r"\b")}


@dataclass(slots=True)
class _AgencyRow:
    pattern: str                            # the claimant row, demonyms written out
    shape: str                              # the same with _ANY_WORD for them (``scanner``)
    words: tuple[str, ...] | None           # one of which its every match holds
    rx: re.Pattern[str] | None = None       # compiled on first use


def _fold(s: str) -> str:
    return unidecode(s).lower()


class Lexicon:
    """Compiled actor, claimant and country tables for one language."""

    def __init__(self, lang: str = "fr") -> None:
        self.lang = lang
        self.countries: dict[str, Country] = {}
        demonym_to_iso: dict[str, str] = {}
        name_to_iso: dict[str, str] = {}
        for row in read_table("countries.tsv")[1:]:
            iso, en, fr, dems, aliases = (list(row) + [""] * 5)[:5]
            dem_list = tuple(d for d in dems.split("|") if d)
            english_adj = next((d for d in dem_list if d[:1].isupper() and not d.endswith("s")), en)
            names = tuple(n for n in (en, fr, *aliases.split("|")) if n)
            self.countries[iso] = Country(iso, en, english_adj, names, dem_list)
            for d in dem_list:
                demonym_to_iso.setdefault(d.lower(), iso)
            for n in names:
                name_to_iso.setdefault(n.lower(), iso)
        self._dem_to_iso = demonym_to_iso
        self._name_to_iso = name_to_iso
        dem_alt = trie_regex(list(demonym_to_iso))
        self._dem_alt = dem_alt
        self._dem_rx = f"(?P<dem>{dem_alt})"
        # initials only in capitals (CAR, EAU, UAE): "a car", « car » (because) and « l'eau » name no country
        acronyms = sorted({n for c in self.countries.values() for n in c.names
                           if len(n) > 2 and n.replace(".", "").isupper()}, key=lambda n: (-len(n), n))
        folded = {a.lower() for a in acronyms}
        name_alt = trie_regex([n for n in name_to_iso if len(n) > 2 and n not in folded])
        # (« la Rdc », « la Rca »: some outlets write them so; not "Car" and « Eau », which open sentences)
        cased = acronyms + [a.capitalize() for a in acronyms if a.isalpha() and a.lower() not in _WORD_INITIALS]
        if acronyms:
            name_alt = f"(?:{name_alt}|(?-i:{'|'.join(re.escape(a) for a in cased)}))"
        # (the end is no word character, not a word boundary: "U.S." ends with its dot)
        self._country_re = re.compile(rf"\b(?:(?P<name>{name_alt})|{self._dem_rx})(?!\w)", re.IGNORECASE)
        actor_rows = read_table(f"{lang}/actors.tsv")
        # {DEM} also takes the country's name as the language writes it there (``_BY_NAME``)
        before, after = _BY_NAME.get(lang, (None, None))
        named = f"{dem_alt}|{before}(?:{name_alt}){after}" if before is not None else None
        scans = [scanner(self._with_demonyms(r[0], named), shape=self._with_demonyms(r[0], _ANY_WORD)) for r in actor_rows]
        self._actors = [(rx, r[1], r[2] if len(r) > 2 else "nonstate") for r, (rx, _) in zip(actor_rows, scans)]
        # an optional fourth column limits a row to the theatres it names (« FDS » is the SDF in Syria and
        # the national defence and security forces in the Sahel)
        self._actor_where = [_theatres(r[3]) if len(r) > 3 and r[3] else None for r in actor_rows]
        self._actor_words = [words for _, words in scans]
        # an optional third column limits a row to the theatres it names (« GNA » is Libya's)
        claimant_rows = read_table(f"{lang}/claimants.tsv")
        self._claimant_where = [_theatres(r[2]) if len(r) > 2 and r[2] else None for r in claimant_rows]
        self._claimants = [(self._compile(r[0], named), r[1]) for r in claimant_rows]
        self._agency_rows: list[_AgencyRow] | None = None
        self._claimant_cache: dict[tuple[str, str | None, str | None], str | None] = {}
        self._mentions_cache: dict[tuple[str, bool], Counter] = {}   # the last articles' country mentions
        self._scans: dict[tuple[str, str], list] = {}   # the last texts' matches (_country_matches, _actor_matches)

    def _with_demonyms(self, rx: str, alt: str | None = None) -> str:
        """A row's pattern, ``{DEM}`` written as the demonyms' alternation (or as ``alt``)."""
        parts = rx.split("{DEM}")
        out = parts[0]
        for i, part in enumerate(parts[1:]):
            out += f"(?P<dem{i}>{alt or self._dem_alt})" + part
        return out

    def _compile(self, rx: str, alt: str | None = None) -> re.Pattern[str]:
        return re.compile(self._with_demonyms(rx, alt), re.IGNORECASE)

    def _country_matches(self, text: str) -> list[re.Match[str]]:
        """The country names and demonyms of ``text``; the last texts' are kept (the context reads an
        article's four times: mentions, places only, first named, countries as actors)."""
        return self._kept("countries", text, lambda: [m for m in self._country_re.finditer(text)
                                                      if not (m.group("name") and _shouted(text, m.start(), m.end()))
                                                      and not _currency(text, m)])

    def _actor_matches(self, text: str) -> list[list[re.Match[str]]]:
        """The matches of each actor row in ``text`` (a row none of whose words the text holds is
        not run); the last texts' are kept (the context reads an article's actors once or twice)."""
        def scan():
            low = lowered(text)
            return [list(rx.finditer(text)) if may_match(words, low) else []
                    for (rx, _, _), words in zip(self._actors, self._actor_words)]
        return self._kept("actors", text, scan)

    def _kept(self, kind: str, text: str, scan):
        key = (kind, text)
        if key not in self._scans:
            if len(self._scans) >= 8:
                self._scans.clear()
            self._scans[key] = scan()
        return self._scans[key]

    def _dem_of(self, m: re.Match[str]) -> str | None:
        """ISO code of the demonym a match captured, if any."""
        for name, value in m.groupdict().items():
            if name.startswith("dem") and value:
                return self.iso_of(value)
        return None

    # -- countries -----------------------------------------------------------------------
    def iso_of(self, word: str) -> str | None:
        w = word.lower()
        hit = self._dem_to_iso.get(w) or self._name_to_iso.get(w)
        if hit is None and self.lang in _BY_NAME:
            before, after = _BY_NAME[self.lang]      # "Sudan's", « du Mali »
            w = re.sub(f"{after}$", "", re.sub(f"^{before}", "", w))
            hit = self._name_to_iso.get(w)
        return hit

    def country_mentions(self, text: str, places_only: bool = False) -> Counter:
        """ISO codes of the countries a text names (by name or demonym), with counts.
        Compound adjectives count both parts ("siro-irakienne" -> SY, IQ). With ``places_only``
        a demonym counts only where it qualifies a place ("la ville irakienne d'al-Qaïm", "le
        territoire syrien"), not an actor ("des frappes américaines"). (The last article's
        answers are kept: the context asks about the whole text several times.)"""
        if len(text) < 400:
            return self._country_mentions(text, places_only)
        key = (text, places_only)
        cache = self._mentions_cache
        if key not in cache:
            if len(cache) >= 8:
                cache.clear()
            cache[key] = self._country_mentions(text, places_only)
        return Counter(cache[key])

    def first_named(self, text: str) -> dict[str, int]:
        """Where the text first names each country (by name or demonym)."""
        first: dict[str, int] = {}
        for m in self._country_matches(text):
            iso = self.iso_of(m.group(0))
            if iso:
                first.setdefault(iso, m.start())
        return first

    def _country_mentions(self, text: str, places_only: bool) -> Counter:
        G = grammar(self.lang, "actor_words")
        counts: Counter = Counter()
        for m in self._country_matches(text):
            iso = self.iso_of(m.group(0))
            if not iso:
                continue
            if places_only and m.group("name") is None and not G.rx("PLACE_NOUN_BEFORE").search(text[max(0, m.start() - 40):m.start()]):
                continue
            counts[iso] += 1
        prefixes = self._prefixes()
        if prefixes:
            for m in prefixes[0].finditer(text):
                counts[prefixes[1][m.group(1).lower()]] += 1
        return counts

    def _prefixes(self) -> tuple[re.Pattern[str], dict[str, str]] | None:
        """The first halves of compound adjectives (« siro-irakienne », "Russo-Ukrainian") and their
        countries: ``data/<lang>/country_prefixes.tsv``."""
        if not hasattr(self, "_prefix_table"):
            try:
                rows = read_table(f"{self.lang}/country_prefixes.tsv")
            except FileNotFoundError:
                rows = ()
            table = {r[0].lower(): r[1] for r in rows}
            self._prefix_table = (re.compile(r"\b(" + "|".join(map(re.escape, table)) + r")-", re.I), table) if table else None
        return self._prefix_table

    def country_name(self, iso: str | None) -> str:
        if iso and iso in self.countries:
            return self.countries[iso].name
        return "Unknown"

    def _fill(self, template: str, m: re.Match[str] | None, default: str | None) -> str | None:
        iso = self._dem_of(m) if m is not None else None
        if "{COUNTRY}" in template or "{ADJ}" in template:
            iso = iso or default
            if not iso:
                return None
            c = self.countries.get(iso)
            template = template.replace("{COUNTRY}", c.name if c else iso)
            template = template.replace("{ADJ}", c.adjective if c else iso)
        if "{DEFAULT}" in template:
            if not default:
                return None
            template = template.replace("{DEFAULT}", self.country_name(default))
        return template

    # -- actors ----------------------------------------------------------------------------
    def find_actors(self, text: str, default_country: str | None) -> list[ActorMention]:
        """Actor mentions in ``text``, non-overlapping; earlier table rows win."""
        G = grammar(self.lang, "actor_words")
        found: list[ActorMention] = []
        taken: list[tuple[int, int]] = []
        for (_, template, kind), where, matches in zip(self._actors, self._actor_where, self._actor_matches(text)):
            if where is not None and not _in_theatre(where, default_country):
                continue
            for m in matches:
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                name = self._fill(template, m, default_country)
                if name is None:
                    continue
                country = self._dem_of(m)
                if country is None and "{DEFAULT}" in template:
                    country = default_country
                taken.append((s, e))
                found.append(ActorMention(s, e, m.group(0), name, kind, country))
        # a country named as the doer (« la Russie a lancé », « Israël a frappé »): its armed forces
        for m in self._country_matches(text):
            if m.group("name") is None or any(m.start() < te and ts < m.end() for ts, te in taken):
                continue
            if G.rx("LOCATIVE_BEFORE").search(text[max(0, m.start() - 14):m.start()]):
                continue      # « en Syrie », « vers l'Irak »: a place
            if not G.rx("ACTS_AFTER").match(text[m.end():m.end() + 40]):
                continue
            iso = self.iso_of(m.group(0))
            if iso:
                taken.append(m.span())
                found.append(ActorMention(m.start(), m.end(), m.group(0), f"Military Forces of {self.country_name(iso)}",
                                          "state", iso))
        found.sort(key=lambda a: a.start)
        # "les miliciens des FSR", "les combattants de l'EI": the generic word takes the name
        for a, b in zip(found, found[1:]):
            if (a.name.startswith(("@", "Unidentified", "Rebels")) and b.kind in ("nonstate", "state", "external")
                    and not b.name.startswith(("@", "Unidentified", "Civilians"))
                    and G.rx("OF_GROUP").match(text[a.end:b.start])):
                a.name, a.kind = b.name, b.kind
        return found

    # -- claimants -------------------------------------------------------------------------
    def agency_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans naming a news agency, NGO or institution (never places): "Sana", "l'OSDH". The rows
        as one alternation (a name another row's longer match covers is left to it), read row by
        row: a row none of whose words the text holds is not run (nor compiled)."""
        if self._agency_rows is None:
            self._agency_rows = []
            for r in read_table(f"{self.lang}/claimants.tsv"):
                if r[1].startswith(("Government of", "Military Forces", "Local", "Witness", "Medical", "Hospital (unnamed)", "{NAME}")):
                    continue
                # (no named groups: the rows are joined)
                pattern, shape = (re.sub(r"\(\?P<dem\d+>", "(?:", self._with_demonyms(r[0], alt))
                                  for alt in (None, _ANY_WORD))
                self._agency_rows.append(_AgencyRow(f"(?:{pattern})", f"(?:{shape})", scanner(shape)[1]))
        low = lowered(text)
        present = []
        for row in self._agency_rows:
            if may_match(row.words, low):
                if row.rx is None:
                    row.rx = scanner(row.pattern, shape=row.shape)[0]
                present.append(row.rx)
        spans = alternation_spans(present, text)
        if spans is None:
            whole = re.compile("|".join(row.pattern for row in self._agency_rows), re.IGNORECASE)
            spans = [m.span() for m in whole.finditer(text)]
        return spans

    def claimant(self, words: str, default_country: str | None, region: str | None = None) -> str | None:
        """Normalised claimant for the words naming a source, or None when no row applies.
        ``region``: the article's province, for the rows that name an office by its title alone
        (« le gouverneur de la région », "the regional governor"). A typographic apostrophe reads as the
        straight one the table writes (« l’Agence nationale d’information »)."""
        words = words.replace("’", "'")
        # "the US military", "U.S. officials": the country's initials written as its adjective (US_INITIALS)
        words = grammar(self.lang, "actor_words").rx("US_INITIALS").sub(self.countries["US"].adjective, words)
        key = (words, default_country, region)
        if key not in self._claimant_cache:
            if len(self._claimant_cache) > 50_000:
                self._claimant_cache.clear()
            # "the Houthi-run Al-Masirah TV", "the Hamas-run health ministry": who runs it is not who speaks
            # (unless nothing else is known: "the RSF-controlled ministry")
            bare = grammar(self.lang, "actor_words").rx("RUN_BY").sub("", words)
            found = self._claimant(bare, default_country, region)
            if found is None and bare != words and not re.search(r"(?<!^)\b[A-Z]|^(?!(?:The|A|An)\b)[A-Z]", bare.strip()):
                found = self._claimant(words, default_country, region)   # no name of its own left: who runs it
            self._claimant_cache[key] = found
        return self._claimant_cache[key]

    def _claimant(self, words: str, default_country: str | None, region: str | None = None) -> str | None:
        for (rx, template), where in zip(self._claimants, self._claimant_where):
            if where is not None and not _in_theatre(where, default_country):
                continue
            if "{REGION}" in template and not region:
                continue
            m = rx.search(words)
            if not m:
                continue
            template = template.replace("{REGION}", region or "")
            if "{ROLE}" in template:
                low = m.group(0).lower()
                hits = [(low.find(k), v) for k, v in _UNNAMED_ROLE.items() if k in low]
                role = min(hits)[1] if hits else "source"
                template = template.replace("{ROLE}", role)
            # (a row's second way of writing the name is group name2: one pattern cannot name two groups alike)
            named = m.groupdict().get("name") or m.groupdict().get("name2")
            if "{NAME}" in template and named:
                template = template.replace("{NAME}", named.strip())
            name = self._fill(template, m, default_country)
            if name:
                return _regional_authority(name, default_country)
        # a named armed group or army speaking ("le porte-parole des YPG")
        for a in self.find_actors(words, default_country):
            if a.kind in ("state", "nonstate", "external") and not a.name.startswith(("@", "Unidentified")):
                return a.name
        return None


def _theatres(cell: str) -> tuple[bool, frozenset[str]]:
    """A table row's theatre column: "SY,IQ" (only there) or "!SD,SS" (anywhere but there)."""
    cell = cell.strip()
    negated = cell.startswith("!")
    return negated, frozenset(c.strip() for c in cell.lstrip("!").split(",") if c.strip())


def _in_theatre(where: tuple[bool, frozenset[str]], country: str | None) -> bool:
    negated, codes = where
    return (country not in codes) if negated else (country in codes)


_REGIONAL = " Regional Administration"


def _regional_authority(name: str, country: str | None) -> str:
    """"<province> Regional Administration" as the country calls its provinces' governments
    (data/regional_authorities.tsv), the province under the packaged table's name, its unit words aside
    (« Extrême-Nord »: Far North; "Belgorod Oblast": Belgorod) — when the province is one of the article's country."""
    if not name.endswith(_REGIONAL) or not country:
        return name
    from .gazetteer import admin_words, packaged_provinces
    province = name[:-len(_REGIONAL)]
    canonical = packaged_provinces()(country, province)
    if canonical is None:
        return name        # a province of another country than the article's (or none the table knows): as written
    # its unit words aside: "Belgorod Oblast" is Belgorod
    return f"{' '.join(admin_words(canonical)) or canonical} {_units().get(country, _REGIONAL.strip())}"


@functools.cache
def _units() -> dict[str, str]:
    """country -> what it calls a province's government (data/regional_authorities.tsv)."""
    return {row[0]: row[1] for row in read_table("regional_authorities.tsv")[1:]}
