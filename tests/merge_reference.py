"""The all-pairs merge as it was before blocking (issue 14): related components, then average-link
agglomeration over every pair of a component. Kept only as the reference the scalable merge is
compared with (tests/test_merge_scale.py); quadratic-to-cubic in the size of a component."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sitrep.incident_summary import DATE_SLACK, Report
from sitrep.incidents import MERGE_THRESHOLD, TIE_MARGIN, _Similarity, _sequence_conflict, candidates, pair_score, related


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
