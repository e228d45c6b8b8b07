"""The merge at scale (issue 14): candidate pairs through blocks, groups of pairs above the
threshold clustered on their own, incremental merges reading only a neighbourhood. Checked
against the all-pairs merge it replaced (tests/merge_reference.py) on the bundled articles, and
incremental against full on generated stores (scripts/merge_scale.py's generator)."""
import itertools
import sys
from pathlib import Path

import pytest

from sitrep.blocking import Blocks
from sitrep.events import EXTRACTOR
from sitrep.incidents import Report, cluster, merge, related
from sitrep.ingest import InputError, read_inputs
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))
import merge_reference  # noqa: E402
import merge_scale  # noqa: E402

from conftest import DEVSET, EXAMPLES  # noqa: E402

INCIDENTS = ROOT / "tests" / "corpus" / "incidents"


@pytest.fixture(scope="module")
def extracted(extractor, devset):
    paths = [str(EXAMPLES), str(DEVSET / "articles"), *map(str, sorted(INCIDENTS.glob("articles*.jsonl")))]
    arts = [a for a in read_inputs(paths) if not isinstance(a, InputError)]
    return [(r.article, r.events) for r in extractor.run(arts) if not r.failed and not r.skipped]


def _reports(store):
    return [Report.from_event(e) for e in store.events()]


def _groups(store):
    by_inc = {}
    for e in store.events():
        by_inc.setdefault(e["incident_id"], []).append(e["event_id"])
    return sorted(sorted(g) for g in by_inc.values())


def test_same_incidents_as_the_all_pairs_merge(extracted, tmp_path):
    store = Store(tmp_path / "bundled.db")
    for art, events in extracted:
        store.save(art, events, EXTRACTOR)
    reports = _reports(store)
    assert len(reports) > 80
    reference = merge_reference.cluster(reports)
    assert any(len(g) > 2 for g in reference)          # the bundled incidents do merge
    assert cluster(reports) == reference
    merge(store)
    assert _groups(store) == reference
    merge(store, full=True)
    assert _groups(store) == reference
    store.close()


def test_blocks_find_every_related_pair(extracted):
    src = [(a, e) for a, e in extracted if e]
    reports = [Report.from_event({**ev.to_dict(), "outlet": art.outlet})
               for k in range(6) for art, evs in src for ev in merge_scale.copy(art, evs, k, "spread")[1]]
    blocks = Blocks(reports)
    found = {r.event_id: {o.event_id for o in blocks.near(r)} for r in reports}
    pairs = [(a, b) for a, b in itertools.combinations(reports, 2) if related(a, b)]
    assert len(pairs) > 100
    assert all(b.event_id in found[a.event_id] and a.event_id in found[b.event_id] for a, b in pairs)
    # and the blocks are a real filter: far fewer lookups than all pairs
    assert sum(map(len, found.values())) < len(reports) ** 2 / 4


def test_incremental_equals_full_on_a_generated_store(extracted, tmp_path):
    src = [(a, e) for a, e in extracted if e]
    n = 3 * len(src)
    store = merge_scale.build(tmp_path / "gen.db", src, n, "dup")      # copies tell the same incidents
    merge(store)
    merge_scale.add_new(store, src, n, 40, "dup")
    merge(store)
    incremental = _groups(store)
    assert max(map(len, incremental)) >= 4                              # duplicated incidents joined
    merge(store, full=True)
    full = _groups(store)
    # The incremental merge keeps stored incidents whole, the full one clusters every report again: on
    # this generator's near-identical copies a near-tie can go the other way (a report of a new article
    # joining one of two stored incidents of one place and day, the full merge giving it the other, or
    # regrouping the copies of two new reports; README "At scale"). How many such ties a store holds
    # depends on the extraction it was generated from: stop 22's shared 0.98 of the pairs both ways,
    # stop 25's 0.976 and 0.983 (one report swapped between two incidents of ten copies moves 18 pairs;
    # 9 of 123 incidents differ, in two places of the store). The incidents must agree pair for pair but
    # for such ties, and most of them exactly.
    def pairs(groups):
        return {(a, b) for g in groups for a, b in itertools.combinations(sorted(g), 2)}
    pi, pf = pairs(incremental), pairs(full)
    shared = len(pi & pf)
    assert shared / len(pi) >= 0.97 and shared / len(pf) >= 0.97, (shared, len(pi), len(pf))
    assert len(set(map(tuple, incremental)) ^ set(map(tuple, full))) <= 0.1 * len(full), len(full)
    assert merge(store)["changed"] == 0
    store.close()


def test_incremental_keeps_stored_incidents_where_strong_groups_are_large(extracted, tmp_path):
    # 25 spread copies of every article: the province-level reports of the 5x5 grid of copies are one
    # strong group, as in the 20,000-article benchmark store (groups of 25 copies). New reports join
    # the stored incidents or form their own; the stored ones keep their ids and reports, so the
    # result may differ from one merge of everything (``merge --full``), but not by much.
    src = [(a, e) for a, e in extracted if e]
    n = merge_scale.GRID * merge_scale.GRID * len(src)
    store = merge_scale.build(tmp_path / "large.db", src, n, "spread")
    merge(store)
    assert store.con.execute("SELECT MAX(n_reports) FROM incidents").fetchone()[0] >= 20
    before = {e["event_id"]: e["incident_id"] for e in store.events()}
    merge_scale.add_new(store, src, n, 60, "spread")
    merge(store)
    after = {e["event_id"]: e["incident_id"] for e in store.events()}
    assert all(after[e] == i for e, i in before.items())
    assert merge(store)["changed"] == 0
    incremental = _groups(store)
    merge(store, full=True)
    full = _groups(store)

    def pairs(groups):
        return {(a, b) for g in groups for a in g for b in g if a < b}
    inc_pairs, full_pairs = pairs(incremental), pairs(full)
    agree = len(inc_pairs & full_pairs) / max(1, len(inc_pairs | full_pairs))
    assert agree >= 0.9, agree
    store.close()


def test_incremental_cost_follows_the_new_article_not_the_store(extracted, tmp_path):
    src = [(a, e) for a, e in extracted if e]
    recomputed = []
    for copies in (2, 8):
        store = merge_scale.build(tmp_path / f"s{copies}.db", src, copies * len(src), "spread")
        merge(store)
        art, evs = src[0]
        store.save(*merge_scale.copy(art, evs, 0, "spread", tag="late"), EXTRACTOR)
        recomputed.append(merge(store)["reports"])
        store.close()
    assert recomputed[0] == recomputed[1] > 0
