#!/usr/bin/env python3
"""Why events are missed or spurious: each error of the learned extractor sorted into one kind.

usage: .venv/bin/python scripts/error_breakdown.py [--lang fr] [--sets corpus-dev,devset] [--list KIND]

Missed gold events (not optional, unmatched), by the closest prediction of the same article:
  place  — a prediction of the same type and day, elsewhere;
  date   — same type and place, another day;
  type   — same place and day, another event type;
  taken  — a prediction that would match, but it matched another gold event (one told as two);
  none   — nothing of the kind: the detector missed it.
Spurious predictions (unmatched), by the gold of the article:
  furniture — its evidence is page furniture;
  argument  — its evidence sentence holds a gold event (wrong place, day or type, or a duplicate);
  optional  — it matches an optional gold event's sentence only;
  no-event  — no gold event in its sentence.
"""
from __future__ import annotations

import argparse
import collections
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "scripts"))


def scorer():
    loader = importlib.machinery.SourceFileLoader("devset_score", str(SHARED / "devset" / "score"))
    spec = importlib.util.spec_from_loader("devset_score", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def _evidence(ev: dict) -> list[str]:
    out = []
    for e in ev.get("evidence") or []:
        out.append(e if isinstance(e, str) else (e or {}).get("text", ""))
    return [x for x in out if x]


def breakdown(sc, golds_by_article: dict, preds_by_article: dict, listing: str | None):
    missed, spurious = collections.Counter(), collections.Counter()
    for aid, doc in golds_by_article.items():
        golds = doc.get("events", [])
        ps = preds_by_article.get(aid, [])
        matches = sc.candidates(ps, golds)
        mp, mg = {i for i, _ in matches}, {j for _, j in matches}
        for j, g in enumerate(golds):
            if g.get("optional") or j in mg:
                continue
            kind = "none"
            for i, p in enumerate(ps):
                same_t = sc.norm(p.get("event_type")) == sc.norm(g.get("event_type"))
                pl, _ = sc.place_ok(p, g)
                dt = sc.date_ok(p, g)
                if same_t and pl and dt:
                    kind = "taken"
                    break
            if kind == "none":
                for i, p in enumerate(ps):
                    same_t = sc.norm(p.get("event_type")) == sc.norm(g.get("event_type"))
                    pl, _ = sc.place_ok(p, g)
                    dt = sc.date_ok(p, g)
                    k = "place" if same_t and dt else "date" if same_t and pl else "type" if pl and dt else None
                    if k:
                        kind = k
                        break
            missed[kind] += 1
            if listing == kind:
                loc = g.get("location") or {}
                print(f"MISSED/{kind} {aid} {g.get('id')} {g.get('sub_event_type')} @ {loc.get('name')} "
                      f"p{loc.get('geo_precision')} {g.get('date')} | {(_evidence(g) or [''])[0][:160]}")
                for p in ps:
                    pl = p.get("location") or {}
                    print(f"      pred {p.get('sub_event_type')} @ {pl.get('name')} p{pl.get('geo_precision')} {p.get('date')}")
        gold_ev = [(g, e) for g in golds for e in _evidence(g)]
        for i, p in enumerate(ps):
            if i in mp:
                continue
            ptext = sc.norm((p.get("evidence") or {}).get("text"))
            if sc.in_furniture(p, doc.get("furniture", [])):
                kind = "furniture"
            else:
                hits = [g for g, e in gold_ev if ptext and (sc.norm(e)[:60] in ptext or ptext[:60] in sc.norm(e))]
                kind = ("argument" if any(not g.get("optional") for g in hits) else
                        "optional" if hits else "no-event")
            spurious[kind] += 1
            if listing == kind:
                pl = p.get("location") or {}
                print(f"SPURIOUS/{kind} {aid} {p.get('sub_event_type')} @ {pl.get('name')} p{pl.get('geo_precision')} "
                      f"{p.get('date')} | {(p.get('evidence') or {}).get('text', '')[:160]}")
    return missed, spurious


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="fr")
    ap.add_argument("--sets", default="corpus-dev,devset")
    ap.add_argument("--list", help="print the errors of this kind")
    ap.add_argument("--rules", action="store_true", help="the rule-only extractor instead of the learned one")
    args = ap.parse_args()
    from scored_sets import predictions
    from sitrep.pipeline import Extractor

    sc = scorer()
    ex = Extractor(args.lang, learned=not args.rules)
    for name, golds, preds in predictions(args.sets.split(","), args.lang, ex):
        missed, spurious = breakdown(sc, golds, preds, args.list)
        print(f"{name}: missed {sum(missed.values())} {dict(missed.most_common())} | "
              f"spurious {sum(spurious.values())} {dict(spurious.most_common())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
