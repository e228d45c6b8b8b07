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

from .incident_summary import DATE_SLACK, PLACE_RADIUS, Report

__all__ = ["Blocks", "CANDIDATE_DAYS", "REACH_DAYS", "LONG_SPAN_DAYS", "indexable"]

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
