"""Blocking for the cross-article merge: the reports one report may be related to are found
without looking at all pairs, in two ways.

``Table`` (what the merge uses): reports as numpy columns, sorted by country and first day; the
reports within a date reach of a batch of reports are ``searchsorted`` ranges (the few reports
spanning more than LONG_SPAN_DAYS are compared with every query), cut down by latitude, and the
exact relations are then computed over all the pairs at once (``incidents._Pairs``).

``Blocks``: a per-report lookup index by country, week and map cell. A report is filed under every
week its date interval touches and, unless its place is only known to the country (geo_precision
4, a radius of 1,500 km), under the map cell of its point. ``near`` returns every indexed report
that can be ``incidents.related`` to a given one (a superset: the caller applies the exact
relation): same country, date intervals within ``REACH_DAYS``, points within the sum of the two
radii. The merge looked up its pairs this way, one report at a time, before ``Table``; the tests
keep it as the reference the arrays are checked against.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator

import numpy as np

from .incident_summary import DATE_SLACK, PLACE_RADIUS, Report

__all__ = ["Blocks", "Table", "CANDIDATE_DAYS", "REACH_DAYS", "LONG_SPAN_DAYS", "indexable"]

# the widest date gap two candidate reports can have: the widest slack
CANDIDATE_DAYS = max(DATE_SLACK.values())
# the widest date gap the relation looks across: twice the widest slack (a loss between two captures)
REACH_DAYS = 2 * CANDIDATE_DAYS
# a map cell, in degrees: about 111 km of latitude, wider than the town and "near" radii (12, 35 km)
CELL_DEG = 1.0
# the radius up to which a report is filed by map cell; wider ones (country-wide) are looked at always
CELL_RADIUS_KM = PLACE_RADIUS[3]
# reports whose interval spans more days than this are rare (a « depuis janvier » range): the store
# keeps a partial index on them so an incremental merge finds them without a scan
LONG_SPAN_DAYS = 62
_KM_PER_DEG = 111.2


def indexable(r: Report) -> bool:
    """Only dated, placed, country-known, non-aggregate reports can be related to another."""
    return (r.country is not None and not r.aggregate and r.interval() is not None
            and r.lat is not None and r.lon is not None)


def _week(day: dt.date) -> int:
    return day.toordinal() // 7


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


class Blocks:
    """An in-memory index of reports by (country, week, cell)."""

    def __init__(self, reports: Iterable[Report] = ()) -> None:
        self.cells: dict[tuple, list[Report]] = defaultdict(list)     # (cc, week, cy, cx) -> reports
        self.wide: dict[tuple, list[Report]] = defaultdict(list)      # (cc, week) -> country-wide reports
        self.weeks: dict[tuple, list[Report]] = defaultdict(list)     # (cc, week) -> all reports
        self.ids: set[str] = set()
        for r in reports:
            self.add(r)

    def __contains__(self, event_id: str) -> bool:
        return event_id in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, r: Report) -> None:
        if r.event_id in self.ids or not indexable(r):
            return
        self.ids.add(r.event_id)
        start, end = r.interval()
        cy, cx = _cell(r.lat, r.lon)
        entry = (r, start, end, r.lat, r.radius())       # what ``near`` filters on, computed once
        for w in range(_week(start), _week(end) + 1):
            self.weeks[(r.country, w)].append(entry)
            if r.radius() > CELL_RADIUS_KM:
                self.wide[(r.country, w)].append(entry)
            else:
                self.cells[(r.country, w, cy, cx)].append(entry)

    def near(self, r: Report, days: int = REACH_DAYS, after: str | None = None) -> Iterator[Report]:
        """Every indexed report other than ``r`` that may be related to it (each once): within
        ``days`` of its dates (``CANDIDATE_DAYS`` finds the candidate pairs, ``REACH_DAYS`` the
        wider relation); with ``after``, only reports whose event id sorts after it (each pair
        seen from one side)."""
        if not indexable(r):
            return
        start, end = r.interval()
        weeks = range(_week(start - dt.timedelta(days=days)), _week(end + dt.timedelta(days=days)) + 1)
        seen = {r.event_id}
        if r.radius() > CELL_RADIUS_KM:
            buckets = [self.weeks.get((r.country, w), ()) for w in weeks]
        else:
            reach = r.radius() + CELL_RADIUS_KM
            dlat = math.ceil(reach / (_KM_PER_DEG * CELL_DEG))
            top = min(89.0, abs(r.lat) + dlat * CELL_DEG)
            dlon = math.ceil(reach / (_KM_PER_DEG * CELL_DEG * max(math.cos(math.radians(top)), 0.05)))
            cy, cx = _cell(r.lat, r.lon)
            buckets = []
            for w in weeks:
                buckets.append(self.wide.get((r.country, w), ()))
                for y in range(cy - dlat, cy + dlat + 1):
                    for x in range(cx - dlon, cx + dlon + 1):
                        got = self.cells.get((r.country, w, y, x))
                        if got:
                            buckets.append(got)
        lo, hi = start - dt.timedelta(days=days), end + dt.timedelta(days=days)
        lat, radius = r.lat, r.radius()
        for bucket in buckets:
            for other, o_start, o_end, o_lat, o_radius in bucket:
                # within the date reach, and not farther apart in latitude alone than the two radii
                if o_start <= hi and o_end >= lo and abs(o_lat - lat) * _KM_PER_DEG <= radius + o_radius + 1.0:
                    eid = other.event_id
                    if eid not in seen and (after is None or eid > after):
                        seen.add(eid)
                        yield other


# -- the same reach with array operations ----------------------------------------------------------
_DAY_BITS = 23          # day ordinals (< 2**22 up to the year 9999) sit under the country code in one key
_SPAN_CLASSES = (0, 7, LONG_SPAN_DAYS)   # days a report spans: one day, a week, up to a long range


class Table:
    """Indexable reports as numpy columns, for finding pairs with array operations instead of one
    bucket lookup per report: rows sorted by (country, first day), so the reports within a date reach
    of one are ``searchsorted`` ranges — one per span class (a day, a week, up to LONG_SPAN_DAYS),
    each reaching back by its widest span — plus the few longer ones, compared with every query.
    Reports are added one by one (``add``); the arrays are rebuilt when asked for after an addition.

    Columns: ``cc`` country, ``start``/``end`` day ordinals, ``slack`` (days), ``lat``/``lon``/
    ``radius`` (km), ``art`` article, ``kind`` (event type, sub-event type), ``loc`` place name
    (-1: none), ``actors`` actor set, ``tp1`` (dated to the day), ``fat`` fatalities (nan: none):
    the codes are this table's own."""

    _NUMERIC = ("start", "end", "slack", "lat", "lon", "radius", "tp1", "fat")
    _CODED = ("cc", "art", "kind", "loc", "actors")

    def __init__(self, reports: Iterable[Report] = ()) -> None:
        self.reports: list[Report] = []
        self.row: dict[str, int] = {}
        self.values: dict[str, list] = {c: [] for c in self._NUMERIC + self._CODED}
        self.codes: dict[str, dict] = {c: {} for c in self._CODED}
        self.kinds: list[tuple[str, str]] = []          # kind code -> (event_type, sub_event_type)
        self.actor_sets: list[frozenset[str]] = []      # actors code -> the set
        self._actors_by_text: dict[str | None, int] = {}  # actor1 as stored -> actors code (split once)
        self.lat_list, self.lon_list = self.values["lat"], self.values["lon"]     # as given, for exact math
        self._built = -1
        for r in reports:
            self.add(r)

    def __len__(self) -> int:
        return len(self.reports)

    def _code(self, column: str, value) -> int:
        codes = self.codes[column]
        code = codes.get(value)
        if code is None:
            code = codes[value] = len(codes)
            if column == "kind":
                self.kinds.append(value)
            elif column == "actors":
                self.actor_sets.append(value)
        return code

    def add(self, r: Report) -> bool:
        if r.event_id in self.row or not indexable(r):
            return False
        self.row[r.event_id] = len(self.reports)
        self.reports.append(r)
        start, end = r.interval()
        v = self.values
        v["start"].append(start.toordinal())
        v["end"].append(end.toordinal())
        v["slack"].append(r.slack())
        v["lat"].append(r.lat)
        v["lon"].append(r.lon)
        v["radius"].append(r.radius())
        v["tp1"].append(r.time_precision == 1)
        v["fat"].append(math.nan if r.fatalities is None else r.fatalities)
        v["cc"].append(self._code("cc", r.country))
        v["art"].append(self._code("art", r.article_id))
        v["kind"].append(self._code("kind", (r.event_type, r.sub_event_type)))
        v["loc"].append(self._code("loc", r.location_name) if r.location_name else -1)
        code = self._actors_by_text.get(r.actor1)
        if code is None:        # the actor set only depends on actor1: split each text once
            code = self._actors_by_text[r.actor1] = self._code("actors", frozenset(r.actors()))
        v["actors"].append(code)
        return True

    def _build(self) -> None:
        if self._built == len(self.reports):
            return
        v = self.values
        for c in ("start", "end", "slack", "cc", "art", "kind", "loc", "actors"):
            setattr(self, c, np.array(v[c], dtype=np.int64))
        for c in ("lat", "lon", "radius", "fat"):
            setattr(self, c, np.array(v[c], dtype=np.float64))
        self.tp1 = np.array(v["tp1"], dtype=bool)
        span = self.end - self.start
        long_ = span > LONG_SPAN_DAYS
        self.long_rows = np.flatnonzero(long_)
        # the others by span class, each sorted on its own: a class's reach back is its widest span
        self.classes = []
        low = -1
        for top in _SPAN_CLASSES:
            rows = np.flatnonzero((span > low) & (span <= top))
            low = top
            if not len(rows):
                continue
            keys = (self.cc[rows] << _DAY_BITS) + self.start[rows]
            order = np.argsort(keys, kind="stable")
            self.classes.append((rows[order], keys[order], int(span[rows].max())))
        self._built = len(self.reports)

    def pairs(self, rows, days: int, chunk: int = 4096) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Every (query, other) pair of rows, ``query`` in ``rows`` and ``other`` another row of the
        same country whose date interval comes within ``days`` of the query's, and whose latitude
        alone does not put it farther than the two radii; in chunks of about ``chunk`` queries."""
        self._build()
        rows = np.asarray(rows, dtype=np.int64)
        for k in range(0, len(rows), chunk):
            q = rows[k:k + chunk]
            base = self.cc[q] << _DAY_BITS
            qs, ts = [], []
            for rows_c, keys_c, reach in self.classes:
                lo = np.searchsorted(keys_c, base + self.start[q] - days - reach, "left")
                hi = np.searchsorted(keys_c, base + self.end[q] + days, "right")
                counts = hi - lo
                offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
                qs.append(np.repeat(q, counts))
                ts.append(rows_c[np.repeat(lo, counts) + offsets])
            qi = np.concatenate(qs) if qs else np.zeros(0, dtype=np.int64)
            ti = np.concatenate(ts) if ts else np.zeros(0, dtype=np.int64)
            if len(self.long_rows):
                lq, lt = np.nonzero((self.cc[q][:, None] == self.cc[self.long_rows][None, :])
                                    & (self.start[self.long_rows][None, :] <= self.end[q][:, None] + days)
                                    & (self.end[self.long_rows][None, :] >= self.start[q][:, None] - days))
                qi, ti = np.concatenate([qi, q[lq]]), np.concatenate([ti, self.long_rows[lt]])
            keep = ((ti != qi) & (self.end[ti] >= self.start[qi] - days)
                    & (np.abs(self.lat[ti] - self.lat[qi]) * _KM_PER_DEG <= self.radius[qi] + self.radius[ti] + 1.0))
            yield qi[keep], ti[keep]
