"""Typed records passed between the pipeline stages.

Every extracted value keeps its provenance: the article it came from, a character span into
the article's stored *clean* text, the raw words, and the name of the rule or model (with its
version) that produced it. Records serialise to plain JSON-able dicts with ``to_dict``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

UNKNOWN_OUTLET = "Unidentified outlet"   # claimant of an unattributed report whose outlet is unknown

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
        "Suicide bomb", "Grenade", "Chemical weapon"),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other"),
}
SUB_TO_TYPE: dict[str, str] = {sub: typ for typ, subs in EVENT_TYPES.items() for sub in subs}


def content_id(*parts: str, size: int = 16) -> str:
    """A stable id: the hex SHA-1 of the parts joined with a unit separator."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:size]


@dataclass(slots=True)
class Article:
    """One input article. ``text`` is the raw text; ``clean`` is set by the clean stage and is the
    text every reported span refers to."""
    article_id: str
    text: str
    source: str = ""                 # file path (and line) it was read from
    url: str | None = None
    title: str | None = None
    published: str | None = None     # ISO date or month ("2017-10"), as given
    outlet: str | None = None
    language: str | None = None
    clean: str = ""
    furniture: list[tuple[int, int]] = field(default_factory=list)  # spans removed from ``text``
    warnings: list[str] = field(default_factory=list)
    input_hash: str = ""             # hash of the article as read (store.raw_hash), set before cleaning

    @property
    def content_hash(self) -> str:
        return content_id(self.clean or self.text, size=40)


@dataclass(slots=True)
class Span:
    """A character span into an article's clean text, with the words it covers."""
    start: int
    end: int
    text: str


@dataclass(slots=True)
class DateExpr:
    """A resolved date expression."""
    start: int
    end: int
    text: str
    date: str                  # ISO first day
    date_end: str | None       # ISO last day when a range
    time_precision: int        # 1 day, 2 week / few days, 3 month or vaguer
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "date": self.date,
                "date_end": self.date_end, "time_precision": self.time_precision}


@dataclass(slots=True)
class Quantity:
    """A number read from text: ``value`` is the best reading, ``low``/``high`` its bounds."""
    value: int | None
    low: int | None
    high: int | None
    text: str
    start: int = 0
    end: int = 0
    approximate: bool = False


@dataclass(slots=True)
class Place:
    """A gazetteer entry (or a name the gazetteer lacks, with lat/lon None)."""
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    feature: str = "city"        # city | village | district | admin2 | admin1 | country | user
    population: int = 0
    score: float = 0.0
    admin2: str | None = None    # the second-level unit (district, cercle, LGA…), when the gazetteer knows it
    derived: bool = False        # a province the packaged table lacks, placed by its towns (gazetteer._derived_provinces)


# Gazetteer features that are settlements (a point, precision 1): cities500 towns, the villages and
# city districts of the packaged Who's On First table.
SETTLEMENTS = frozenset({"city", "village", "district"})


@dataclass(slots=True)
class Location:
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    geo_precision: int
    text: str = ""               # the words of the article
    start: int = -1
    end: int = -1
    rule: str = ""
    admin2: str | None = None    # the second-level unit (district, cercle, LGA…) of a town or village, when known
    # a point reckoned from a town's by the text's distance and bearing (« à 15 km à l'est de Zalingei »):
    # that town's point (not output; within an article, an event told at the town is the same place)
    reckoned_from: tuple[float, float] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "admin1": self.admin1, "admin2": self.admin2,
                "lat": self.lat, "lon": self.lon, "geonames_id": self.geonames_id,
                "geo_precision": self.geo_precision, "text": self.text}


@dataclass(slots=True)
class Claim:
    """Who asserts an event, through which outlet, and how firmly.

    ``via`` lists the intermediaries between the claimant and the outlet, nearest the claimant
    first (a military source cited by SANA, carried by RT: claimant = the source, via = [SANA]).
    ``role`` is "source" for the originator and "relay" for an intermediary that repeats it.
    """
    claimant: str
    claimant_text: str
    outlet: str | None
    hedged: bool
    hedge_text: str | None = None
    via: list[str] = field(default_factory=list)
    role: str = "source"
    denies: bool = False          # the source denies the event (« dément toute frappe »)
    start: int = -1
    end: int = -1
    scope_start: int = -1         # the words the claim is about (the reported clause)
    scope_end: int = -1
    rule: str = ""

    def key(self) -> tuple[str, str]:
        return (self.claimant, self.role)

    def to_dict(self) -> dict[str, Any]:
        return {"claimant": self.claimant, "claimant_text": self.claimant_text,
                "outlet": self.outlet, "hedged": self.hedged, "hedge_text": self.hedge_text,
                "via": list(self.via), "role": self.role, "denies": self.denies}


@dataclass(slots=True)
class Event:
    article_id: str
    event_type: str
    sub_event_type: str
    date: str | None
    date_end: str | None
    time_precision: int
    location: Location | None
    actor1: str | None
    actor2: str | None
    fatalities: int | None
    fatalities_text: str | None
    claims: list[Claim]
    evidence: Span
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    trigger: str = ""
    language: str = "fr"
    date_rule: str = ""
    date_text: str = ""           # the words the date was read from
    trigger_class: str = ""       # the trigger's class in the lexicon (kill, remote, territory…)
    optional: bool = False        # aggregate (country-wide) events
    extractor: str = ""
    event_id: str = ""
    scores: dict = field(default_factory=dict, compare=False, repr=False)   # the trained models' scores (not output)
    keep_features: dict | None = field(default=None, compare=False, repr=False)   # the keep/drop model's reading (training)

    def assign_id(self) -> str:
        """Content-derived id: same article, type, place, date and evidence -> same id."""
        loc = self.location.name if self.location else ""
        self.event_id = content_id(self.article_id, self.sub_event_type, loc, self.date or "",
                                   str(self.evidence.start), str(self.evidence.end))
        return self.event_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "date": self.date,
            "date_end": self.date_end,
            "time_precision": self.time_precision,
            "location": self.location.to_dict() if self.location else None,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "fatalities": self.fatalities,
            "fatalities_text": self.fatalities_text,
            "fatalities_low": self.fatalities_low,
            "fatalities_high": self.fatalities_high,
            "claims": [c.to_dict() for c in self.claims],
            "evidence": {"text": self.evidence.text, "start": self.evidence.start,
                         "end": self.evidence.end},
            "aggregate": self.optional,
            "language": self.language,
            "provenance": {"extractor": self.extractor, "trigger": self.trigger,
                           "date_rule": self.date_rule, "date_text": self.date_text,
                           "geo_rule": self.location.rule if self.location else ""},
        }

