#!/usr/bin/env python3
"""Event-extraction figures on every set, rule-only and learned side by side.

usage: .venv/bin/python scripts/evaluate.py [--lang fr|en] [--models DIR] [--sets NAME,...] [--verbose]

Sets (split named): corpus-dev (../shared/corpus/dev, French, never trained on), devset
(../shared/devset, French), own-test (tests/corpus/fr), own-heldout (tests/corpus/fr_heldout: own
articles written like corpus/fr and kept out of training), own-blind (tests/corpus/<lang>_blind, where it exists:
written for sitrep and never looked at one by one, aggregate figures only), examples, and, as training figures,
corpus-train (../shared/corpus/train, French) and own-train (corpus/fr, the project's own articles).
``--models`` points at trained weights to try instead of the shipped ones. ``--lang en`` scores the
English articles of the same sets (own-train: corpus/en; own-test and examples: their English articles).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
KEYS = ("f1", "precision", "recall")
ATTRS = ("claimant", "hedged", "geocode_25km", "date_exact", "fatalities", "sub_event_type", "actor1")


def sets(lang: str = "fr"):
    from sitrep.ingest import read_inputs
    from sitrep.model import Article
    from sitrep.training import load_corpus

    def corpus(folder, lang=lang):
        cs = load_corpus([folder], lang)
        return [a for c in cs for a in c.articles], (cs[0].folder / "gold" if len(cs) == 1 else None), cs

    out = {}
    arts, gold, _ = corpus(SHARED / "corpus" / "dev")
    out["corpus-dev"] = (arts, gold, lang)
    out["devset"] = ([a for a in read_inputs([SHARED / "devset" / "articles"]) if isinstance(a, Article)],
                     SHARED / "devset" / "gold", lang)
    if (ROOT / "tests/corpus" / lang).exists():
        out["own-test"] = ([a for a in read_inputs(sorted((ROOT / "tests/corpus" / lang).glob("*.jsonl")))
                            if isinstance(a, Article)], ROOT / "tests/corpus" / lang / "gold", None)
    heldout = ROOT / "tests/corpus" / f"{lang}_heldout"
    if heldout.exists():
        out["own-heldout"] = ([a for a in read_inputs(sorted(heldout.glob("*.jsonl"))) if isinstance(a, Article)],
                              heldout / "gold", lang)
    blind = ROOT / "tests/corpus" / f"{lang}_blind"
    if blind.exists():     # written for sitrep and never looked at one by one: aggregate figures only
        out["own-blind"] = ([a for a in read_inputs(sorted(blind.glob("*.jsonl"))) if isinstance(a, Article)],
                            blind / "gold", lang)
    out["examples"] = ([a for a in read_inputs([ROOT / "examples"]) if isinstance(a, Article)], ROOT / "examples/gold",
                       None if lang == "fr" else lang)
    arts, gold, _ = corpus(SHARED / "corpus" / "train")
    out["corpus-train"] = (arts, gold, lang)
    if (ROOT / "corpus" / lang).exists():
        out["own-train"] = ("own", ROOT / "corpus" / lang, lang)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=Path)
    ap.add_argument("--sets", default="corpus-dev,devset,own-test,own-heldout,own-blind,examples,corpus-train,own-train")
    ap.add_argument("--only", choices=["rules", "learned"])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--lang", default="fr")
    args = ap.parse_args()
    if args.models:
        os.environ["SITREP_MODEL_DIR"] = str(args.models.resolve())
    from sitrep.gazetteer import Gazetteer
    from sitrep.pipeline import Extractor
    from sitrep.training import evaluate, load_corpus

    gz = Gazetteer()
    learned = Extractor(args.lang, gazetteer=gz)
    rules = Extractor(args.lang, gazetteer=gz, nlp=learned.nlp, learned=False)
    wanted = args.sets.split(",")
    table = {}
    for name, (arts, gold, lang) in sets(args.lang).items():
        if name not in wanted:
            continue
        if arts == "own":      # several batches: score each and sum
            batches = load_corpus([gold], lang)
        else:
            batches = [(arts, gold)]
        for label, ex in (("rules", rules), ("learned", learned)):
            if args.only and label != args.only:
                continue
            tp = fp = fn = 0
            attrs: dict[str, list[float]] = {}
            n = 0
            for b in batches:
                a, g = (b.articles, b.folder / "gold") if not isinstance(b, tuple) else b
                with tempfile.TemporaryDirectory() as tmp:
                    r = evaluate(ex, [x for x in a], g, SHARED, Path(tmp), lang)
                tp, fp, fn, n = tp + r["tp"], fp + r["fp"], fn + r["fn"], n + r["articles"]
                for k, v in r["attributes"].items():
                    attrs.setdefault(k, []).append(v)
                if args.verbose:
                    for pa in r["per_article"]:
                        if pa["fp"] or pa["fn"]:
                            print(f"  [{name}/{label}] {pa['article_id']}: missed {pa['missed']} spurious {pa['spurious']}",
                                  file=sys.stderr)
            p = tp / (tp + fp) if tp + fp else 0.0
            rc = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
            table[(name, label)] = {"articles": n, "f1": round(f1, 3), "precision": round(p, 3), "recall": round(rc, 3),
                                    **{k: round(sum(v) / len(v), 3) for k, v in attrs.items()}}
            row = table[(name, label)]
            print(f"{name:13s} {label:8s} n={n:3d} F1 {row['f1']:.3f} P {row['precision']:.3f} R {row['recall']:.3f}  "
                  + " ".join(f"{k} {row[k]:.2f}" for k in ATTRS if k in row), flush=True)
    print(json.dumps({f"{k[0]}/{k[1]}": v for k, v in table.items()}), file=sys.stderr if not args.verbose else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
