"""Blocking for the cross-article merge: reports indexed by country, week and map cell, so that the
reports one report may be related to are found by looking at a few buckets, never at all pairs.

A report is filed under every week its date interval touches and, unless its place is only known
to the country (geo_precision 4, a radius of 1,500 km), under the map cell of its point. ``near``
returns every indexed report that can be ``incidents.related`` to a given one (a superset: the
caller applies the exact relation): same country, date intervals within ``REACH_DAYS``, points
within the sum of the two radii.
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


class Table:
    """Indexable reports as numpy columns, for finding pairs with array operations instead of one
    bucket lookup per report: rows sorted by (country, first day), so the reports within a date reach
    of one are a ``searchsorted`` range of the short ones (spanning at most LONG_SPAN_DAYS) plus the
    few long ones, compared with every query. Reports are added one by one (``add``); the arrays
    are rebuilt when asked for after an addition.

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
        v["actors"].append(self._code("actors", frozenset(r.actors())))
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
        self.lat_list, self.lon_list = v["lat"], v["lon"]
        long_ = (self.end - self.start) > LONG_SPAN_DAYS
        self.long_rows = np.flatnonzero(long_)
        short = np.flatnonzero(~long_)
        keys = (self.cc[short] << _DAY_BITS) + self.start[short]
        order = np.argsort(keys, kind="stable")
        self.short_rows, self.short_keys = short[order], keys[order]
        self.short_span = int((self.end - self.start)[short].max()) if len(short) else 0
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
            lo = np.searchsorted(self.short_keys, base + self.start[q] - days - self.short_span, "left")
            hi = np.searchsorted(self.short_keys, base + self.end[q] + days, "right")
            counts = hi - lo
            qi = np.repeat(q, counts)
            offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            ti = self.short_rows[np.repeat(lo, counts) + offsets]
            if len(self.long_rows):
                lq, lt = np.nonzero((self.cc[q][:, None] == self.cc[self.long_rows][None, :])
                                    & (self.start[self.long_rows][None, :] <= self.end[q][:, None] + days)
                                    & (self.end[self.long_rows][None, :] >= self.start[q][:, None] - days))
                qi, ti = np.concatenate([qi, q[lq]]), np.concatenate([ti, self.long_rows[lt]])
            keep = ((ti != qi) & (self.end[ti] >= self.start[qi] - days)
                    & (np.abs(self.lat[ti] - self.lat[qi]) * _KM_PER_DEG <= self.radius[qi] + self.radius[ti] + 1.0))
            yield qi[keep], ti[keep]
