#!/usr/bin/env python3
"""Measure cross-article merging on tests/corpus/incidents (articles about the same real incidents
told by different outlets, with the gold grouping and statuses).

Two measurements:
- end to end: the articles go through extraction into a real SQLite store, then `merge`; each
  predicted event is matched to a gold event of its article (same ACLED event type, within 25 km
  or the same place name, dates overlapping with a day's slack); pairwise same-incident precision
  and recall are counted over the matched events of different articles, and an incident's status
  is that of the predicted incident holding most of its matched reports;
- merge alone: the gold events themselves are clustered and summarised, which isolates the
  merger from extraction errors.

    python scripts/incident_eval.py [--verbose] [--one-by-one]

``--one-by-one`` also measures end to end with the articles arriving one at a time (by publication
day), each merged incrementally into the incidents already stored: the incidents of an incremental
merge depend on what came before (stored incidents are kept), this measures what that costs.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from sitrep.gazetteer import distance_km
from sitrep.incidents import Report, cluster, merge, summarise
from sitrep.ingest import read_inputs

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "incidents"


def load_gold(corpus: Path = CORPUS) -> tuple[dict[str, dict], dict[str, dict]]:
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((corpus / "gold").glob("*.json"))}
    statuses: dict[str, dict] = {}
    for p in sorted(corpus.glob("incidents*.json")):
        statuses.update(json.loads(p.read_text(encoding="utf-8")))
    return golds, statuses


def _days(e: dict) -> tuple[dt.date, dt.date] | None:
    if not e.get("date"):
        return None
    a = dt.date.fromisoformat(e["date"][:10])
    b = dt.date.fromisoformat(e["date_end"][:10]) if e.get("date_end") else a
    return a, b


def _matches(pred: dict, gold: dict) -> bool:
    if pred["event_type"] != gold["event_type"]:
        return False
    pl, gl = pred.get("location") or {}, gold.get("location") or {}
    near = (pl.get("name") and pl.get("name") == gl.get("name")) or (
        None not in (pl.get("lat"), gl.get("lat")) and distance_km(pl["lat"], pl["lon"], gl["lat"], gl["lon"]) <= 25)
    pd, gd = _days(pred), _days(gold)
    if not near or pd is None or gd is None:
        return False
    return pd[0] <= gd[1] + dt.timedelta(days=1) and gd[0] - dt.timedelta(days=1) <= pd[1]


def _closeness(pred: dict, gold: dict) -> tuple:
    pl, gl = pred.get("location") or {}, gold.get("location") or {}
    same = pl.get("name") is not None and pl.get("name") == gl.get("name") or \
        pl.get("text") in (gl.get("aliases") or [])
    dist = distance_km(pl["lat"], pl["lon"], gl["lat"], gl["lon"]) if None not in (pl.get("lat"), gl.get("lat")) else 99.0
    pd, gd = _days(pred), _days(gold)
    return (not same, round(dist, 1), abs((pd[0] - gd[0]).days))


def _pairwise(groups: dict[str, str], truth: dict[str, str], article: dict[str, str]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for a, b in combinations(sorted(truth), 2):
        if article[a] == article[b]:
            continue
        same_pred = groups[a] == groups[b]
        same_gold = truth[a] == truth[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return tp, fp, fn


def _status_accuracy(groups: dict[str, str], truth: dict[str, str], summaries: dict[str, dict],
                     statuses: dict[str, dict]) -> tuple[int, int, list[str]]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for eid, key in truth.items():
        by_key[key].append(eid)
    right, total, wrong = 0, 0, []
    for key, eids in sorted(by_key.items()):
        if key not in statuses:
            continue
        inc = Counter(groups[e] for e in eids).most_common(1)[0][0]
        got = summaries[inc]["status"]
        total += 1
        if got == statuses[key]["status"]:
            right += 1
        else:
            wrong.append(f"{key}: gold {statuses[key]['status']}, got {got} "
                         f"({'; '.join(summaries[inc]['disagreements']) or 'claimants: ' + ', '.join(summaries[inc]['claimants'])})")
    return right, total, wrong


def _ratio(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def merge_only(golds: dict[str, dict], statuses: dict[str, dict]) -> dict:
    reports, truth, article = [], {}, {}
    for aid, g in golds.items():
        for e in g["events"]:
            loc = e.get("location") or {}
            subs = e["sub_event_type"] if isinstance(e["sub_event_type"], list) else [e["sub_event_type"]]
            actors = e.get("actor1") or []
            ev = {"event_id": e["id"], "article_id": aid, "outlet": g.get("outlet"), "published": g.get("published"),
                  "event_type": e["event_type"], "sub_event_type": subs[0], "date": e.get("date"),
                  "date_end": e.get("date_end"), "time_precision": e.get("time_precision"),
                  "location": loc, "actor1": actors[0] if actors else None,
                  "actor2": (e.get("actor2") or [None])[0], "fatalities": e.get("fatalities"),
                  "aggregate": loc.get("geo_precision") == 4 and e.get("optional", False),
                  "evidence": {"text": e.get("note") or ""},
                  "claims": [{"claimant": c, "role": "source", "outlet": g.get("outlet"), "hedged": e.get("hedged")}
                             for c in (e.get("claimants") or [])]}
            reports.append(Report.from_event(ev))
            truth[e["id"]] = e["incident"]
            article[e["id"]] = aid
    clusters = cluster(reports)
    by_id = {r.event_id: r for r in reports}
    groups, summaries = {}, {}
    for ids in clusters:
        summaries[ids[0]] = summarise([by_id[i] for i in ids])
        for i in ids:
            groups[i] = ids[0]
    tp, fp, fn = _pairwise(groups, truth, article)
    right, total, wrong = _status_accuracy(groups, truth, summaries, statuses)
    p, r = _ratio(tp, fp, fn)
    return {"pairs_tp": tp, "pairs_fp": fp, "pairs_fn": fn, "precision": p, "recall": r,
            "status_right": right, "status_total": total, "status_wrong": wrong}


def end_to_end(golds: dict[str, dict], statuses: dict[str, dict], extractor=None, corpus: Path = CORPUS,
               one_by_one: bool = False) -> dict:
    """With ``one_by_one`` the articles arrive one at a time, by publication day (then id), each
    merged into the incidents stored before it (an incremental merge per article)."""
    from sitrep.events import EXTRACTOR
    from sitrep.pipeline import Extractor
    from sitrep.store import Store

    extractor = extractor or Extractor("fr")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "incidents.db")
        results = list(extractor.run(list(read_inputs(sorted(corpus.glob("articles*.jsonl"))))))
        if one_by_one:
            results.sort(key=lambda res: (res.article.published or "", res.article.article_id))
        for res in results:
            store.save(res.article, res.events, EXTRACTOR)
            if one_by_one:
                merge(store)
        merge(store)
        events = list(store.events())
        summaries = {i["incident_id"]: i for i in store.incidents()}
        store.close()
    truth, article, groups, unmatched = {}, {}, {}, 0
    by_article: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        if e["article_id"] in golds:
            by_article[e["article_id"]].append(e)
    for aid, preds in by_article.items():
        # one-to-one, closest first: the same place name, then distance, then days apart
        pairs = sorted(((_closeness(e, g), e["event_id"], g["id"], e, g) for e in preds
                        for g in golds[aid]["events"] if _matches(e, g)), key=lambda t: t[:3])
        used_p, used_g = set(), set()
        for _, pid, gid, e, g in pairs:
            if pid in used_p or gid in used_g:
                continue
            used_p.add(pid)
            used_g.add(gid)
            truth[pid], article[pid], groups[pid] = g["incident"], aid, e["incident_id"]
        unmatched += len(preds) - len(used_p)
    tp, fp, fn = _pairwise(groups, truth, article)
    right, total, wrong = _status_accuracy(groups, truth, summaries, statuses)
    p, r = _ratio(tp, fp, fn)
    return {"events": len(events), "matched": len(truth), "unmatched": unmatched, "incidents": len(summaries),
            "pairs_tp": tp, "pairs_fp": fp, "pairs_fn": fn, "precision": p, "recall": r,
            "status_right": right, "status_total": total, "status_wrong": wrong}


def _print(name: str, rep: dict, verbose: bool) -> None:
    extra = f" events {rep['events']} matched {rep['matched']} incidents {rep['incidents']};" if "events" in rep else ""
    print(f"{name}:{extra} pairs tp {rep['pairs_tp']} fp {rep['pairs_fp']} fn {rep['pairs_fn']}; "
          f"pairwise precision {rep['precision']:.3f} recall {rep['recall']:.3f}; "
          f"status {rep['status_right']}/{rep['status_total']} = "
          f"{rep['status_right'] / max(1, rep['status_total']):.3f}")
    if verbose:
        for w in rep["status_wrong"]:
            print("   ", w)


def main(argv: list[str]) -> int:
    golds, statuses = load_gold()
    verbose = "--verbose" in argv
    _print("merge alone (gold events)", merge_only(golds, statuses), verbose)
    _print("end to end", end_to_end(golds, statuses), verbose)
    if "--one-by-one" in argv:
        _print("end to end, articles merged one at a time by publication", end_to_end(golds, statuses, one_by_one=True),
               verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
