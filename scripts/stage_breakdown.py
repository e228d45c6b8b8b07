#!/usr/bin/env python3
"""Which stage of the chain lost each missed gold event: a table per set.

usage: .venv/bin/python scripts/stage_breakdown.py [--lang en] [--sets own-train,corpus-train] [--list STAGE]

Every gold event that is not optional and that no prediction matches (the dev-set scorer's
matching) is given to the first stage of the chain that lost it:

  clean      — its evidence is not in the clean text (page furniture removed it, or it never was);
  candidate  — no trigger row (``triggers.tsv``, ``candidates.tsv``) matches inside its evidence;
  veto       — candidates there, every one stopped by the grammar (negation, future, plan…);
  detector   — candidates there, none accepted by the detector;
  sentence   — a candidate accepted, but the sentence gave no event (a toll update, history, a sum…);
  merged     — the sentence gave an event that would match, merged into one told elsewhere in the
               article (events it gave that would not match are judged below as they were made);
  type       — an event from its evidence, of another event type;
  place      — an event of its type from its evidence, elsewhere, though the gold place was among
               the sentence's resolved places (``elsewhere``: only another sentence of the article
               resolves it; ``unknown``: no resolved place of the article is within reach of it —
               ``not-named``: its name is not in the text, ``not-a-place``: the place stage took no
               place where it is named, ``unresolved``: it took one and found it in no gazetteer,
               ``wrong-place``: it resolved it to another place);
  date       — an event of its type and place from its evidence, on another day;
  taken      — an event that would match was matched to another gold event (two told as one).

Spurious predictions are counted by the gold of their sentence as in ``error_breakdown.py``.
Sets are those of ``scripts/evaluate.py``; ``own-train`` is every batch of ``corpus/<lang>``
(``--batches th,ti`` keeps some of them only).
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

STAGES = ("clean", "candidate", "veto", "detector", "sentence", "merged", "type", "place", "elsewhere", "unknown:not-named",
          "unknown:not-a-place", "unknown:unresolved", "unknown:wrong-place", "date",
          "taken")
TOLERANCE_KM = {1: 25.0, 2: 50.0, 3: 150.0}


def _record_detections(events_mod, log: list):
    """Wrap the detector call of the event stage so that every sentence's candidates, the reason the
    grammar gave and whether they were kept are recorded (the decisions themselves are untouched)."""
    real_detect = events_mod._detect
    real_events_of = events_mod._events_of_sentence

    def detect(cands, reasons, sent, index, sent_claims, sent_dates, ctx, model):
        kept = real_detect(cands, reasons, sent, index, sent_claims, sent_dates, ctx, model)
        log.append({"article_id": ctx.article.article_id, "sent": (sent.start_char, sent.end_char),
                    "cands": [(c.start, c.end, c.cls, r, c in kept) for c, r in zip(cands, reasons)]})
        return kept

    def events_of(sent, kept, ctx, *a, **k):
        places = [(p.start, p.end, p.place.lat if p.place else None, p.place.lon if p.place else None)
                  for p in ctx.places if sent.start_char <= p.start < sent.end_char]
        n = len(ctx.events)
        out = real_events_of(sent, kept, ctx, *a, **k)
        log.append({"article_id": ctx.article.article_id, "sent": (sent.start_char, sent.end_char),
                    "places": places, "kept": True, "made": [e.to_dict() for e in ctx.events[n:]],
                    "article_places": [(p.start, p.end, p.place.lat if p.place else None,
                                        p.place.lon if p.place else None) for p in ctx.places]})
        return out

    events_mod._detect = detect
    events_mod._events_of_sentence = events_of


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _place_stage(sc, g: dict, sents: list[dict], article_places: list, clean: str) -> str:
    """place: the gold place was among the sentence's resolved places; elsewhere: only another
    sentence of the article names it; unknown: no resolved place of the article is there."""
    gl = g.get("location") or {}
    if gl.get("lat") is None:
        return "place"
    tol = TOLERANCE_KM.get(int(gl.get("geo_precision") or 1), 25.0)

    def near(places):
        return any(lat is not None and sc.km(float(lat), float(lon), float(gl["lat"]), float(gl["lon"])) <= tol
                   for (_, _, lat, lon) in places)
    if near([p for r in sents for p in r.get("places", [])]):
        return "place"
    if near(article_places):
        return "elsewhere"
    # where the gold place's name stands in the text, what the place stage made of it
    names = [n for n in [gl.get("name")] + list(gl.get("aliases") or []) if n]
    at = [m.start() for n in names for m in re.finditer(r"\b" + re.escape(n) + r"\b", clean, re.I)]
    if not at:
        return "unknown:not-named"
    found = [p for p in article_places if any(p[0] <= a < p[1] or a <= p[0] < a + 3 for a in at)]
    if not found:
        return "unknown:not-a-place"
    return "unknown:unresolved" if all(p[2] is None for p in found) else "unknown:wrong-place"


def classify(sc, gold: dict, preds: list[dict], clean: str, log: list[dict], find, article_places=()) -> list:
    """(stage, gold event) for every missed gold event of one article."""
    golds = gold.get("events", [])
    matches = sc.candidates(preds, golds)
    mg = {j for _, j in matches}
    out = []
    for j, g in enumerate(golds):
        if g.get("optional") or j in mg:
            continue
        ev = [s for s in (find(clean, e) for e in g.get("evidence") or []) if s]
        if not ev:
            out.append(("clean", g))
            continue
        sents = [r for r in log if any(_overlaps(r["sent"], e) for e in ev)]
        cands = [c for r in sents for c in r.get("cands", []) if any(_overlaps((c[0], c[1]), e) for e in ev)]
        produced = [p for p in preds if any(_overlaps((p["evidence"]["start"], p["evidence"]["end"]), e) for e in ev)]
        if not produced:
            if not cands and not [r for r in sents if r.get("kept")]:
                out.append(("candidate", g))
            elif cands and all(c[3] is not None and c[3] in VETO for c in cands):
                out.append(("veto", g))
            elif cands and not any(c[4] for c in cands) and not [r for r in sents if r.get("kept")]:
                out.append(("detector", g))
            elif not [e for r in sents for e in r.get("made", [])]:
                out.append(("sentence", g))
                continue
            else:
                # events were made there, then merged into an event told elsewhere in the article:
                # judged as they were made
                produced = [e for r in sents for e in r.get("made", [])]
                if any(sc.candidates([e], [g]) for e in produced):
                    out.append(("merged", g))
                    continue
        if not produced:
            continue
        same_t = [p for p in produced if sc.norm(p.get("event_type")) == sc.norm(g.get("event_type"))]
        if not same_t:
            out.append(("type", g))
            continue
        placed = [p for p in same_t if sc.place_ok(p, g)[0]]
        if not placed:
            out.append((_place_stage(sc, g, sents, article_places, clean), g))
            continue
        if not any(sc.date_ok(p, g) for p in placed):
            out.append(("date", g))
            continue
        out.append(("taken", g))
    return out


VETO: set[str] = set()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en")
    ap.add_argument("--sets", default="own-train,corpus-train")
    ap.add_argument("--batches", help="own-train: only these batch folders (comma-separated)")
    ap.add_argument("--list", help="print the missed events of this stage")
    ap.add_argument("--json", type=Path, help="write the per-event stages here")
    args = ap.parse_args()
    from error_breakdown import scorer
    from evaluate import sets
    from sitrep import events as events_mod
    from sitrep.pipeline import Extractor
    from scored_sets import golds_of
    from sitrep.training import _find

    VETO.update(events_mod.GRAMMATICAL_VETO)
    sc = scorer()
    log: list[dict] = []
    _record_detections(events_mod, log)
    ex = Extractor(args.lang)
    dump = []
    for name, entry in sets(args.lang).items():
        if name not in args.sets.split(","):
            continue
        arts, golds = golds_of(entry, args.batches.split(",") if args.batches else None)
        stages = collections.Counter()
        n_gold = tp = fp = 0
        for res in ex.run(arts):
            aid = res.article.article_id
            preds = [e.to_dict() for e in res.events]
            mine = [r for r in log if r["article_id"] == aid]
            log[:] = [r for r in log if r["article_id"] != aid]
            g = golds[aid]
            n_gold += sum(1 for e in g.get("events", []) if not e.get("optional"))
            m = sc.candidates(preds, g.get("events", []))
            tp += sum(1 for _, j in m if not g["events"][j].get("optional"))
            fp += len(preds) - len(m)
            for stage, ge in classify(sc, g, preds, res.article.clean, mine, _find,
                                     next((r["article_places"] for r in mine if "article_places" in r), [])):
                stages[stage] += 1
                dump.append({"set": name, "article_id": aid, "gold": ge.get("id"), "stage": stage})
                if args.list == stage:
                    loc = ge.get("location") or {}
                    print(f"{stage} {aid} {ge.get('id')} {ge.get('sub_event_type')} @ {loc.get('name')} "
                          f"p{loc.get('geo_precision')} {ge.get('date')} | {((ge.get('evidence') or [''])[0])[:200]}")
        missed = sum(stages.values())
        print(f"{name}: gold {n_gold}, matched {tp}, missed {missed}, spurious {fp} | " +
              ", ".join(f"{s} {stages[s]}" for s in STAGES if stages[s]))
    if args.json:
        args.json.write_text(json.dumps(dump, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
