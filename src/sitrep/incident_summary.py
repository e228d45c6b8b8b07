"""The incident made of its reports: ``Report`` (one stored event as the merger sees it) and
``summarise`` — best date, place and type, tolls low/best/high, outlets, independent sources,
status and the disagreements in words."""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .model import UNKNOWN_OUTLET
from .resources import read_table

__all__ = ["Report", "summarise", "independence_key", "independent_claimant", "TOLL_RATIO", "TOLL_MIN_GAP"]

# days a report's date may be off, by time_precision (1 day, 2 week, 3 month)
DATE_SLACK = {1: 1, 2: 4, 3: 16}
# km of uncertainty a report's point carries, by geo_precision (1 town, 2 near, 3 province, 4 country)
PLACE_RADIUS = {1: 12.0, 2: 35.0, 3: 150.0, 4: 1500.0}


# tolls disagree when the highest exceeds the lowest by more than half of it and by at least 5
TOLL_RATIO = 1.5


TOLL_MIN_GAP = 5


_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}


_GENERIC = re.compile(r"^(?:Unidentified|Unknown|Civilians\b|Protesters\b|Rioters\b)")


_WIRE = re.compile(r"\b(AFP|Reuters|AP|Associated Press|ANSA|DPA|Xinhua|Anadolu|EFE)\b")


@dataclass(slots=True)
class Report:
    """One stored event as the merger sees it."""
    event_id: str
    article_id: str
    outlet: str | None
    published: str | None
    event_type: str
    sub_event_type: str
    date: str | None
    date_end: str | None
    time_precision: int | None
    country: str | None
    location_name: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None
    actor1: str | None
    actor2: str | None
    fatalities: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    aggregate: bool
    evidence: str
    claims: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_event(cls, e: dict[str, Any]) -> "Report":
        loc = e.get("location") or {}
        return cls(e["event_id"], e["article_id"], e.get("outlet"), e.get("published"), e["event_type"],
                   e["sub_event_type"], e.get("date"), e.get("date_end"), e.get("time_precision"),
                   loc.get("country"), loc.get("name"), loc.get("lat"), loc.get("lon"), loc.get("geo_precision"),
                   e.get("actor1"), e.get("actor2"), e.get("fatalities"), e.get("fatalities_low"),
                   e.get("fatalities_high"), bool(e.get("aggregate")), (e.get("evidence") or {}).get("text") or "",
                   list(e.get("claims") or []))

    # -- derived -------------------------------------------------------------------------------
    def interval(self) -> tuple[dt.date, dt.date] | None:
        """The report's days; None when undated (an undated report stays an incident of its own)."""
        start = _day(self.date)
        if start is None:
            return None
        end = _day(self.date_end) if self.date_end else start
        return start, max(start, end or start)

    def slack(self) -> int:
        return DATE_SLACK.get(self.time_precision or 3, 16)

    def radius(self) -> float:
        return PLACE_RADIUS.get(self.geo_precision or 4, 1500.0)

    def sides(self) -> set[str]:
        return {a.strip() for a in re.split(r";|\|", self.actor2 or "") if a.strip()}

    def actors(self) -> set[str]:
        return {a.strip() for a in re.split(r";|\|", self.actor1 or "") if a.strip()}


@functools.lru_cache(maxsize=1 << 16)     # the merge asks for the same few thousand days millions of times
def _day(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        if len(iso) == 7:
            return dt.date.fromisoformat(iso + "-01")
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


# -- the incident --------------------------------------------------------------------------------
def independent_claimant(claim: dict[str, Any]) -> str | None:
    """The claimant a claim counts as for corroboration: relays do not count; an outlet carrying a
    wire (« Romandie News (AFP) ») counts as that wire."""
    if claim.get("role") == "relay":
        return None
    name = claim.get("claimant") or ""
    if name and name == claim.get("outlet"):
        m = _WIRE.search(name)
        if m and m.start() > 0:
            return m.group(1)
    return name or None


_STATE_ORGAN = re.compile(r"^(?:Government|Ministry of [\w ]+?|Military Forces|General Staff|Presidency|President|Police Forces|"
                          r"Department of [\w ]+?) of (?:the )?(?P<country>[A-Z][\w ]*?)(?: \(.*\))?$")


_STATE_MEDIA = re.compile(r"^(?P<adj>[A-Z][\w-]+) state (?:television|media|news agency)$")


@functools.lru_cache(maxsize=1)
def _country_of_adjective() -> dict[str, str]:
    out = {}
    for row in read_table("countries.tsv")[1:]:
        iso, en, _fr, demonyms = (list(row) + [""] * 4)[:4]
        for d in demonyms.split("|"):
            if d[:1].isupper():
                out[d] = en
    return out


def independence_key(claimant: str) -> str:
    """Organs of one state are one source: the Kremlin, the Russian MoD and Russian state
    television do not corroborate each other."""
    m = _STATE_ORGAN.match(claimant)
    if m:
        return f"state of {m.group('country')}"
    m = _STATE_MEDIA.match(claimant)
    if m and m.group("adj") in _country_of_adjective():
        return f"state of {_country_of_adjective()[m.group('adj')]}"
    return claimant


def summarise(reports: list[Report]) -> dict[str, Any]:
    """The incident from its reports.

    - type: the sub-event type most reports give (ties: the most precise report's);
    - date and place: those of the most precise reports (time_precision, then geo_precision), the
      most frequent among them;
    - fatalities: low = the lowest figure any report gives (its low bound when a range), high = the
      highest; best = the median of each independent claimant's most recent figure (by publication
      date), lower median on an even count — one outlier cannot move it and revised tolls are
      followed;
    - outlets: distinct publications; claimants: distinct independent claimants (relays excluded);
    - status: contested when claimants disagree on what happened, who did it, the date (day-precise
      reports more than a day apart) or the toll beyond the tolerance, or one denies it;
      corroborated when two or more independent claimants (organs of one state — its government,
      ministries, armed forces, police — count as one source); else single-source.
    """
    reports = sorted(reports, key=lambda r: r.event_id)
    by_precision = sorted(reports, key=lambda r: (r.time_precision or 9, r.geo_precision or 9, r.event_id))
    types = Counter(r.sub_event_type for r in reports)
    top = max(types.values())
    sub = next(r.sub_event_type for r in by_precision if types[r.sub_event_type] == top)
    etype = next(r.event_type for r in reports if r.sub_event_type == sub)
    best_t = min(r.time_precision or 9 for r in reports)
    dates = Counter((r.date, r.date_end) for r in reports if (r.time_precision or 9) == best_t and r.date)
    date, date_end = (sorted(dates.items(), key=lambda kv: (-kv[1], kv[0][0] or ""))[0][0]
                      if dates else (None, None))
    best_g = min(r.geo_precision or 9 for r in reports)
    places = Counter(r.location_name for r in reports if (r.geo_precision or 9) == best_g)
    place_name = sorted(places.items(), key=lambda kv: (-kv[1], kv[0] or ""))[0][0] if places else None
    place = next((r for r in by_precision if r.location_name == place_name and (r.geo_precision or 9) == best_g),
                 reports[0])
    actor1 = Counter(a for r in reports for a in r.actors())
    actor2 = Counter(r.actor2 for r in reports if r.actor2)

    claim_rows = []      # (claimant, report, claim)
    for r in reports:
        # an outlet that also names a source for the event is relaying it, not a witness of its own
        def own_voice(c: dict) -> bool:
            return c.get("claimant") in (r.outlet, UNKNOWN_OUTLET)

        named = any(c.get("role") != "relay" and c.get("claimant") and not own_voice(c) for c in r.claims)
        for c in r.claims:
            if own_voice(c) and (named or c.get("claimant") == UNKNOWN_OUTLET):
                continue      # relaying a named source; or an outlet nobody can name: no corroboration
            who = independent_claimant(c)
            if who:
                claim_rows.append((who, r, c))
    claimants = sorted({w for w, _, _ in claim_rows})
    outlets = sorted({r.outlet for r in reports if r.outlet})

    # tolls: each claimant's latest figure
    latest: dict[str, tuple[tuple[str, str], int]] = {}     # claimant -> ((published, event id), figure)
    for who, r, _c in claim_rows:
        key = (r.published or "", r.event_id)
        if r.fatalities is not None and (who not in latest or key > latest[who][0]):
            latest[who] = (key, r.fatalities)
    figures = sorted(v for _, v in latest.values())
    lows = [r.fatalities_low if r.fatalities_low is not None else r.fatalities for r in reports
            if r.fatalities is not None]
    highs = [r.fatalities_high if r.fatalities_high is not None else r.fatalities for r in reports
             if r.fatalities is not None]
    if not figures:      # no claimant gives a figure of its own: the reports' figures
        figures = sorted(r.fatalities for r in reports if r.fatalities is not None)
    fat = {"low": min(lows) if lows else None, "best": figures[(len(figures) - 1) // 2] if figures else None,
           "high": max(highs) if highs else None}

    disagreements = _disagreements(claim_rows)
    independent = sorted({independence_key(c) for c in claimants})
    status = ("contested" if disagreements else "corroborated" if len(independent) >= 2 else "single-source")
    return {
        "status": status, "event_type": etype, "sub_event_type": sub, "date": date, "date_end": date_end,
        "time_precision": best_t if best_t != 9 else None,
        "location": {"name": place.location_name, "country": place.country, "lat": place.lat, "lon": place.lon,
                     "geo_precision": place.geo_precision},
        "actor1": [a for a, _ in actor1.most_common()], "actor2": [a for a, _ in actor2.most_common()],
        "fatalities": fat, "n_reports": len(reports), "n_articles": len({r.article_id for r in reports}),
        "outlets": outlets, "claimants": claimants, "independent_sources": independent,
        "disagreements": disagreements,
        "events": [r.event_id for r in reports],
    }


def _fmt_day(iso: str | None) -> str:
    return iso or "undated"


def _disagreements(claim_rows: list[tuple[str, Report, dict]]) -> list[str]:
    out: list[str] = []
    # a denial
    for who, r, c in claim_rows:
        if c.get("denies"):
            out.append(f"{who} denies it ({r.outlet or r.article_id})")
    # what happened
    versions: dict[str, set[str]] = defaultdict(set)
    for who, r, _ in claim_rows:
        versions[r.event_type].add(who)
    if len(versions) > 1:
        out.append("what happened: " + " vs ".join(f"{t} ({', '.join(sorted(w))})" for t, w in sorted(versions.items())))
    # who did it: claimants naming disjoint perpetrators (in a battle, disjoint sides); an
    # unidentified group is not a disagreement with a named one
    named: dict[str, set[str]] = defaultdict(set)
    for who, r, _ in claim_rows:
        if r.event_type not in _VIOLENT:
            continue          # who demined or who drew back is no disputed attribution
        sides = r.actors() | (r.sides() if r.event_type == "Battles" else set())
        named[who] |= {a for a in sides if not _GENERIC.match(a)}
    sets = [s for s in named.values() if s]
    if len(sets) > 1 and not set.intersection(*sets):
        by_actor: dict[str, set[str]] = defaultdict(set)
        for who, acts in named.items():
            for a in acts:
                by_actor[a].add(who)
        out.append("who did it: " + " vs ".join(f"{a} ({', '.join(sorted(w))})" for a, w in sorted(by_actor.items())))
    # when: day-precise reports more than a day apart
    days: dict[str, set[str]] = defaultdict(set)
    for who, r, _ in claim_rows:
        if r.time_precision == 1 and r.date:
            days[r.date].add(who)
    if days:
        ds = sorted(days)
        if (_day(ds[-1]) - _day(ds[0])).days > 1:
            out.append("date: " + " vs ".join(f"{_fmt_day(d)} ({', '.join(sorted(days[d]))})" for d in ds))
    # the toll: every figure given, with who gave it (a toll revised upwards past the tolerance
    # is reported as a disagreement too: the user sees both figures and their sources)
    figures: dict[int, set[str]] = defaultdict(set)
    for who, r, _ in claim_rows:
        if r.fatalities is not None:
            figures[r.fatalities].add(who)
    if len(figures) > 1:
        lo, hi = min(figures), max(figures)
        if hi > lo * TOLL_RATIO and hi - lo >= TOLL_MIN_GAP:
            out.append("toll: " + " vs ".join(f"{v} killed ({', '.join(sorted(w))})"
                                              for v, w in sorted(figures.items())))
    return out

