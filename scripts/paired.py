#!/usr/bin/env python3
"""Is a change real? Paired bootstrap of event F1 over articles, between two runs of the extractor.

usage: .venv/bin/python scripts/paired.py count [--lang fr] [--sets corpus-dev,devset,own-heldout]
                                                [--models DIR] [--rules] --out COUNTS.json
       .venv/bin/python scripts/paired.py compare A.json B.json [--resamples 2000] [--seed 13]
       .venv/bin/python scripts/paired.py table A.json B.json [C.json ...]

``count`` runs the extractor over the named sets of ``scripts/evaluate.py`` (the shipped weights, or
``--models DIR``, or the rules alone with ``--rules``) and writes, per article, the events right (tp),
the events that match no gold event (fp) and the required gold events no event matches (fn), with the
dev-set scorer's matching (an event matching an optional gold event counts neither way). To compare
two versions of the code rather than two sets of weights, run ``count`` once under each (e.g.
``PYTHONPATH=/path/to/other/src``).

``compare`` gives, per set and pooled over the sets both files hold, F1 of A and of B, the difference
B - A, its 90 % interval over resamples of the articles (the same articles drawn for A and B), and
the share of resamples where B is better. The held-out sets hold a few dozen to a hundred articles:
a difference of 0.01 is usually inside the interval, and then it is not a finding.

``table`` puts several runs side by side (variants of the code, each counted under its own switch or
``PYTHONPATH``): F1 per set, pooled over all the sets, and pooled over the held-out ones (every set but the
training sets ``corpus-train`` and ``own-train``) — a variant worth pairing is one never lower on any set.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def counts(preds: list[dict], golds: list[dict], sc) -> dict[str, int]:
    matched = dict(sc.candidates(preds, golds))
    tp = sum(1 for j in matched.values() if not golds[j].get("optional"))
    fp = sum(1 for i in range(len(preds)) if i not in matched)
    fn = sum(1 for j, g in enumerate(golds) if not g.get("optional") and j not in matched.values())
    return {"tp": tp, "fp": fp, "fn": fn}


def f1(rows) -> float:
    tp = sum(r["tp"] for r in rows)
    fp = sum(r["fp"] for r in rows)
    fn = sum(r["fn"] for r in rows)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def count_main(args) -> int:
    if args.models:
        os.environ["SITREP_MODEL_DIR"] = str(Path(args.models).resolve())
    from error_breakdown import scorer
    from scored_sets import predictions
    from sitrep.pipeline import Extractor

    sc = scorer()
    ex = Extractor(args.lang, learned=not args.rules)
    out: dict[str, dict] = {}
    for name, golds, preds in predictions(args.sets.split(","), args.lang, ex):
        out[name] = {aid: counts(preds.get(aid, []), doc.get("events", []), sc) for aid, doc in golds.items()}
        print(f"{name}: {len(out[name])} articles, F1 {f1(out[name].values()):.3f}", file=sys.stderr)
    Path(args.out).write_text(json.dumps({"lang": args.lang, "models": args.models, "rules": args.rules,
                                          "sets": out}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


def compare(a: dict, b: dict, resamples: int, seed: int) -> list[dict]:
    """Per set (and pooled): F1 of both, the difference and its bootstrap interval."""
    names = [n for n in a["sets"] if n in b["sets"]]
    groups = {n: [aid for aid in a["sets"][n] if aid in b["sets"][n]] for n in names}
    if len(names) > 1:
        groups["pooled"] = [(n, aid) for n in names for aid in groups[n]]
    rng = random.Random(seed)
    out = []
    for name, ids in groups.items():
        def rows(src, chosen):
            return [src["sets"][i[0]][i[1]] if isinstance(i, tuple) else src["sets"][name][i] for i in chosen]
        fa, fb = f1(rows(a, ids)), f1(rows(b, ids))
        diffs = []
        for _ in range(resamples):
            draw = [ids[rng.randrange(len(ids))] for _ in ids]
            diffs.append(f1(rows(b, draw)) - f1(rows(a, draw)))
        diffs.sort()
        lo, hi = diffs[int(0.05 * resamples)], diffs[int(0.95 * resamples) - 1]
        out.append({"set": name, "articles": len(ids), "f1_a": round(fa, 3), "f1_b": round(fb, 3),
                    "diff": round(fb - fa, 3), "interval90": [round(lo, 3), round(hi, 3)],
                    "b_better": round(sum(1 for d in diffs if d > 0) / resamples, 3)})
    return out


TRAINING_SETS = ("corpus-train", "own-train")


def table(runs: dict[str, dict]) -> list[dict]:
    """For each run (name -> counts file): F1 per set of the first run's sets, pooled over them all, and
    pooled over the held-out ones."""
    names = list(next(iter(runs.values()))["sets"])
    out = []
    for label, run in runs.items():
        sets = run["sets"]
        row = {"run": label, "sets": {n: round(f1(sets[n].values()), 3) for n in names if n in sets}}
        row["pooled"] = round(f1([r for n in names if n in sets for r in sets[n].values()]), 4)
        row["held_out"] = round(f1([r for n in names if n in sets and n not in TRAINING_SETS
                                    for r in sets[n].values()]), 4)
        out.append(row)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("count")
    c.add_argument("--lang", default="fr")
    c.add_argument("--sets", default="corpus-dev,devset,own-heldout")
    c.add_argument("--models")
    c.add_argument("--rules", action="store_true")
    c.add_argument("--out", required=True)
    m = sub.add_parser("compare")
    m.add_argument("a")
    m.add_argument("b")
    m.add_argument("--resamples", type=int, default=2000)
    m.add_argument("--seed", type=int, default=13)
    t = sub.add_parser("table")
    t.add_argument("runs", nargs="+")
    args = ap.parse_args()
    if args.cmd == "count":
        return count_main(args)
    if args.cmd == "table":
        rows = table({Path(p).stem: json.loads(Path(p).read_text(encoding="utf-8")) for p in args.runs})
        names = list(rows[0]["sets"])
        width = max(len(r["run"]) for r in rows)
        print(" " * width + "".join(f"{n[:12]:>13s}" for n in names) + "       pooled     held out")
        for r in rows:
            print(f"{r['run']:>{width}s}" + "".join(f"{r['sets'].get(n, float('nan')):13.3f}" for n in names)
                  + f"  {r['pooled']:11.4f}  {r['held_out']:11.4f}")
        return 0
    a, b = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (args.a, args.b))
    for r in compare(a, b, args.resamples, args.seed):
        print(f"{r['set']:14s} n={r['articles']:4d}  A {r['f1_a']:.3f}  B {r['f1_b']:.3f}  B-A {r['diff']:+.3f}  "
              f"90% [{r['interval90'][0]:+.3f}, {r['interval90'][1]:+.3f}]  B better in {r['b_better']:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
