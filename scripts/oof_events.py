#!/usr/bin/env python3
"""Out-of-fold events of the training articles: where the learned extractor goes wrong on text its
models never saw, without looking at a development split.

usage: .venv/bin/python scripts/oof_events.py [--lang fr] [--models DIR] [--list KIND]

Per fold of training articles the detector, placer and type model are refitted on the other folds
with the settings of ``DIR/training.json`` (default: the shipped weights' report), and the learned
pipeline runs over the fold (``sitrep.training._keeper_rows``, the keep/drop model's training rows).
Printed: event precision by place rule and precision, and the kinds of the wrong events —
  place   — a gold event of the same type and day elsewhere;
  date    — same type and place, another day;
  type    — same place and day, another type;
  taken   — it would match a gold event another prediction matched (one event told twice);
  none    — no gold event of the kind.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "scripts"))


def kind_of(sc, p: dict, golds: list[dict]) -> str:
    def rel(g):
        return (sc.norm(p.get("event_type")) == sc.norm(g.get("event_type")), sc.place_ok(p, g)[0], sc.date_ok(p, g))
    rels = [rel(g) for g in golds]
    if any(all(r) for r in rels):
        return "taken"
    for kind, want in (("place", lambda t, pl, d: t and d), ("date", lambda t, pl, d: t and pl),
                       ("type", lambda t, pl, d: pl and d)):
        if any(want(*r) for r in rels):
            return kind
    return "none"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="fr")
    ap.add_argument("--models", type=Path, help="folder of training.json (default: the shipped weights')")
    ap.add_argument("--list", help="print the wrong events of this kind")
    ap.add_argument("--dump", type=Path, help="write the out-of-fold events (prediction, right, gold events) as JSONL")
    args = ap.parse_args()
    from error_breakdown import scorer
    from sitrep import training as T
    from sitrep.pipeline import Extractor

    models = args.models or ROOT / "src" / "sitrep" / "data" / args.lang / "models"
    rep = json.loads((models / "training.json").read_text(encoding="utf-8"))
    params = {k: rep[k] for k in ("detector", "placer", "typer")}
    ex = Extractor(args.lang, learned=False)
    def where(f: str) -> Path:      # "../shared/…" is $SITREP_SHARED's (a worktree has no ../shared beside it)
        parts = Path(f).parts
        return Path(f) if Path(f).is_absolute() else SHARED.joinpath(*parts[2:]) if parts[:2] == ("..", "shared") else ROOT / f
    folders = [where(f) for f in rep.get("train", [])] or [SHARED / "corpus" / "train", ROOT / "corpus" / args.lang]
    missing = [str(f) for f in folders if not f.exists()]
    if missing:
        raise SystemExit(f"oof_events: training folder(s) not found: {', '.join(missing)} (set SITREP_SHARED)")
    sets = T.load_corpus(folders, args.lang)     # the folders the weights were trained on
    tr = T.collect(ex, sets)
    events: list = []
    rows, needed = T._keeper_rows(ex, sets, tr, params, rep.get("seed", 13), print, events)
    sc = scorer()
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for (feats, _), (p, y, gold) in zip(rows, events):     # (the same events, in the same order)
                out.write(json.dumps({"pred": p, "right": y, "gold": gold.get("events", []),
                                      "keep_features": feats["features"]}, ensure_ascii=False) + "\n")
    by_rule: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    kinds: collections.Counter = collections.Counter()
    for p, y, gold in events:
        rule = (p.get("provenance") or {}).get("geo_rule") or "none"
        by_rule[f"{':'.join(rule.split(':')[:2])} p{(p.get('location') or {}).get('geo_precision')}"][y] += 1
        if not y:
            k = kind_of(sc, p, gold.get("events", []))
            kinds[k] += 1
            if args.list == k:
                loc = p.get("location") or {}
                print(f"{k.upper()} {p['article_id']} {p['sub_event_type']} @ {loc.get('name')} p{loc.get('geo_precision')} "
                      f"{p.get('date')} | {(p.get('evidence') or {}).get('text', '')[:160]}")
    right, gold_n = sum(y for _, y in rows), sum(needed.values())
    print(f"out-of-fold events {len(rows)}, right {right} (precision {right / max(1, len(rows)):.3f}), "
          f"gold {gold_n} (recall {right / max(1, gold_n):.3f}), F1 {T._event_f1([(1.0, y) for _, y in rows], gold_n, 0.0):.3f}")
    for k, (n0, n1) in sorted(by_rule.items(), key=lambda x: -sum(x[1])):
        print(f"  {k:40s} n={n0 + n1:4d} precision {n1 / (n0 + n1):.2f}")
    print("wrong events by kind:", dict(kinds.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
