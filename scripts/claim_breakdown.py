#!/usr/bin/env python3
"""Claimant and hedging errors on matched events, sorted by kind, for developing the attribution rules.

usage: .venv/bin/python scripts/claim_breakdown.py [--lang en] [--sets corpus-train,own-train] [--list KIND] [--rules]

For every predicted event matched to a gold event (the scorer's matching), each gold claimant that no
claim of the prediction names (the scorer's loose name equality) is one miss, sorted by what the
prediction holds instead:
  outlet    — only the outlet (no attribution found for the event's sentence);
  other     — other claimants, and the gold claimant's words are not among their words;
  normalise — a claim whose words hold the gold claimant's words, normalised to another name;
Also counted: of the sources the predictions name (their words in the text, not the outlet), how
many are among the gold claimants (a rule that attaches more sources must not buy recall with these).
Hedging errors: ``hedge-missed`` (gold hedged, no claim hedged) and ``hedge-spurious`` (the reverse,
with the words read as a hedge). Develop on training sets; the dev split is for checking only.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en")
    ap.add_argument("--sets", default="corpus-train,own-train")
    ap.add_argument("--list", help="print the errors of this kind (or 'all')")
    ap.add_argument("--rules", action="store_true", help="the rule-only extractor instead of the learned one")
    args = ap.parse_args()
    from error_breakdown import scorer
    from scored_sets import predictions
    from sitrep.pipeline import Extractor

    sc = scorer()
    ex = Extractor(args.lang, learned=not args.rules)
    kinds: collections.Counter = collections.Counter()
    n_claimants = n_found = n_hedge = n_hedge_ok = n_claims = n_claims_ok = 0
    for name, golds, preds in predictions(args.sets.split(","), args.lang, ex):
        for aid, gold in golds.items():
            gevs, ps = gold.get("events", []), preds.get(aid, [])
            for i, j in sc.candidates(ps, gevs):
                p, g = ps[i], gevs[j]
                claims = p.get("claims") or []
                ev_text = (p.get("evidence") or {}).get("text", "").strip().replace("\n", " ")
                texts = g.get("claimant_text") or []
                for c in claims:     # the sources the prediction names (not its outlet), and how many are the gold's
                    if c.get("claimant_text") and c.get("role") == "source":
                        n_claims += 1
                        n_claims_ok += any(sc.same_name(w, c.get("claimant")) for w in g.get("claimants") or [])
                for k, want in enumerate(g.get("claimants") or []):
                    n_claimants += 1
                    if any(sc.same_name(want, c.get("claimant")) for c in claims):
                        n_found += 1
                        continue
                    wtext = texts[k] if k < len(texts) else ""
                    non_outlet = [c for c in claims if c.get("claimant_text")]
                    if not non_outlet:
                        kind = "outlet"
                    elif wtext and any(sc.norm(wtext) and (sc.norm(wtext) in sc.norm(c["claimant_text"])
                                                          or sc.norm(c["claimant_text"]) in sc.norm(wtext))
                                       for c in non_outlet):
                        kind = "normalise"
                    else:
                        kind = "other"
                    kinds[kind] += 1
                    if args.list in (kind, "all"):
                        got = "; ".join(f"{c.get('claimant')} <{c.get('claimant_text')}> [{c.get('role')}]" for c in claims)
                        print(f"{kind.upper()} {aid} {g.get('id')} want {want!r} <{wtext}>\n"
                              f"    got {got}\n    sent {ev_text[:300]}")
                if "hedged" in g:
                    n_hedge += 1
                    ph = any(c.get("hedged") for c in claims)
                    if ph == bool(g["hedged"]):
                        n_hedge_ok += 1
                        continue
                    kind = "hedge-missed" if g["hedged"] else "hedge-spurious"
                    kinds[kind] += 1
                    if args.list in (kind, "all"):
                        words = "; ".join(str(c.get("hedge_text")) for c in claims if c.get("hedged"))
                        print(f"{kind.upper()} {aid} {g.get('id')} hedge <{words}> note {g.get('note', '')[:100]}\n"
                              f"    sent {ev_text[:300]}")
    print(f"claimants found {n_found}/{n_claimants} ({n_found / max(1, n_claimants):.3f}); "
          f"hedged right {n_hedge_ok}/{n_hedge} ({n_hedge_ok / max(1, n_hedge):.3f}); "
          f"named sources that are the gold's {n_claims_ok}/{n_claims} ({n_claims_ok / max(1, n_claims):.3f})")
    print(dict(kinds.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
