"""The merge's pair relations over arrays (issue 14: ``blocking.Table``, ``incidents._Pairs``) against
the per-pair functions they stand for: the same candidate pairs with the same scores to the last
bit, the same sequence vetoes, every related pair found. On generated reports: the bundled
articles copied with their places spread (neighbouring copies meet) and duplicated (exact ties)."""
import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

from sitrep.blocking import CANDIDATE_DAYS, REACH_DAYS, Blocks, Table
from sitrep.gazetteer import distance_km
from sitrep.incidents import (MERGE_THRESHOLD, TERRITORY, Report, _edges, _exact_km, _Pairs, _sequence_conflict,
                              candidates, pair_score, related)
from sitrep.ingest import InputError, read_inputs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import merge_scale  # noqa: E402

from conftest import EXAMPLES  # noqa: E402

INCIDENTS = ROOT / "tests" / "corpus" / "incidents"


@pytest.fixture(scope="module")
def reports(extractor):
    paths = [str(EXAMPLES), *map(str, sorted(INCIDENTS.glob("articles*.jsonl")))]
    arts = [a for a in read_inputs(paths) if not isinstance(a, InputError)]
    src = [(r.article, r.events) for r in extractor.run(arts) if not r.failed and not r.skipped and r.events]
    out = []
    for mode, copies in (("spread", 6), ("dup", 3)):
        for k in range(copies):
            for art, evs in src:
                out += [Report.from_event({**ev.to_dict(), "outlet": art.outlet})
                        for ev in merge_scale.copy(art, evs, k, mode, tag=mode[0])[1]]
    return out


def _reference_edges(reports):
    """The candidate pairs and scores as the merge found them one report at a time (before arrays)."""
    index = Blocks(reports)
    out = {}
    for a in sorted(reports, key=lambda r: r.event_id):
        for b in index.near(a, CANDIDATE_DAYS, after=a.event_id):
            if not candidates(a, b):
                continue
            if TERRITORY.get(a.sub_event_type) and TERRITORY.get(b.sub_event_type) and \
                    _sequence_conflict(a, b, list(index.near(a))):
                continue
            out[(a.event_id, b.event_id)] = pair_score(a, b)
    return out


def test_edges_are_the_per_pair_relations(reports):
    reference = _reference_edges(reports)
    edges = _edges(reports)
    found = {(a, b): s for a, row in edges.items() for b, s in row.items() if a < b}
    assert len(reference) > 1000 and sum(s >= MERGE_THRESHOLD for s in reference.values()) > 100
    assert found.keys() == reference.keys()
    assert all(found[k] == reference[k] for k in reference)          # to the last bit
    assert all(edges[b][a] == s for (a, b), s in found.items())


def test_table_finds_every_related_pair_and_relates_them_alike(reports):
    tab = Table(reports)
    q, t = map(np.concatenate, zip(*tab.pairs(np.arange(len(tab)), REACH_DAYS, chunk=97)))
    found = set(zip(q.tolist(), t.tolist()))
    row = tab.row
    pairs = [(a, b) for a, b in itertools.combinations(reports, 2) if related(a, b)]
    assert len(pairs) > 1000
    assert all((row[a.event_id], row[b.event_id]) in found and (row[b.event_id], row[a.event_id]) in found
               for a, b in pairs)
    assert len(found) < len(tab) ** 2 / 4                               # a real filter
    for exact in (True, False):
        rel = _Pairs(tab, q, t, wide=True, exact=exact)
        got = {(tab.reports[i].event_id, tab.reports[j].event_id): c
               for i, j, c in zip(rel.q.tolist(), rel.t.tolist(), rel.candidate.tolist())}
        want = {(tab.reports[i].event_id, tab.reports[j].event_id): candidates(tab.reports[i], tab.reports[j])
                for i, j in found if related(tab.reports[i], tab.reports[j])}
        assert got == want


def test_exact_distances_are_distance_km(reports):
    tab = Table(reports)
    rng = np.random.default_rng(14)
    q, t = rng.integers(0, len(tab), 5000), rng.integers(0, len(tab), 5000)
    km = _exact_km(tab, q, t).tolist()
    assert km == [distance_km(tab.reports[i].lat, tab.reports[i].lon, tab.reports[j].lat, tab.reports[j].lon)
                  for i, j in zip(q.tolist(), t.tolist())]
