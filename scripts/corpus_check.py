#!/usr/bin/env python3
"""Check a folder of the project's own annotated articles (corpus/<lang>/<batch>/).

usage: corpus_check.py DIR [--originals DIR]

DIR holds ``articles.jsonl`` ({id, url, outlet, published, language, text}) and ``gold/<id>.json``
in the format of ../shared/corpus. Checks: every article has gold and a url; every evidence is an
exact substring of the text; the trigger lies inside the first evidence; types are the codebook's;
locations have coordinates; claimants and claimant_text line up. With ``--originals`` (a folder of
``<id>.txt``, the real reports read, kept outside the repository) it also checks that no run of 8
words is shared with the original. Prints one line per problem; exit status 1 when any.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from sitrep.model import SUB_TO_TYPE  # noqa: E402

WORD = re.compile(r"\w+", re.UNICODE)


def ngrams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def check(folder: Path, originals: Path | None) -> list[str]:
    problems: list[str] = []
    arts = {}
    for n, line in enumerate((folder / "articles.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            a = json.loads(line)
        except ValueError as exc:
            problems.append(f"articles.jsonl:{n}: not JSON ({exc})")
            continue
        for k in ("id", "text", "language"):
            if not a.get(k):
                problems.append(f"articles.jsonl:{n}: missing {k}")
        if not a.get("url"):
            problems.append(f"{a.get('id')}: no url of the report it rewrites")
        if a.get("id") in arts:
            problems.append(f"{a.get('id')}: duplicate id")
        arts[a.get("id")] = a
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    for split in ("train", "dev"):
        f = shared / split / "articles.jsonl"
        if f.exists():
            theirs = {json.loads(line).get("url") for line in f.read_text(encoding="utf-8").splitlines() if line.strip()}
            for aid, a in arts.items():
                if a.get("url") in theirs:
                    problems.append(f"{aid}: rewrites a report already in ../shared/corpus/{split} ({a['url']})")
    for aid, a in arts.items():
        gpath = folder / "gold" / f"{aid}.json"
        if not gpath.exists():
            problems.append(f"{aid}: no gold file")
            continue
        try:
            g = json.loads(gpath.read_text(encoding="utf-8"))
        except ValueError as exc:
            problems.append(f"{gpath.name}: not JSON ({exc})")
            continue
        text = a["text"]
        for snip in g.get("furniture", []):
            if snip not in text:
                problems.append(f"{aid}: furniture not in text: {snip[:50]!r}")
        for ev in g.get("events", []):
            eid = ev.get("id", "?")
            subs = ev.get("sub_event_type")
            subs = subs if isinstance(subs, list) else [subs]
            for s in subs:
                if s not in SUB_TO_TYPE:
                    problems.append(f"{eid}: unknown sub_event_type {s!r}")
                elif SUB_TO_TYPE[s] != ev.get("event_type"):
                    problems.append(f"{eid}: {s!r} is not a {ev.get('event_type')!r}")
            evid = ev.get("evidence") or []
            if not evid:
                problems.append(f"{eid}: no evidence")
            for s in evid:
                if text.find(s) < 0:
                    problems.append(f"{eid}: evidence not in text: {s[:60]!r}")
            trig = ev.get("trigger")
            if not trig or (evid and trig not in evid[0]):
                problems.append(f"{eid}: trigger {trig!r} not inside the first evidence")
            loc = ev.get("location") or {}
            if not isinstance(loc.get("lat"), (int, float)) or not isinstance(loc.get("lon"), (int, float)):
                problems.append(f"{eid}: location without lat/lon")
            if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(ev.get("date") or "")):
                problems.append(f"{eid}: date {ev.get('date')!r} is not ISO")
            if len(ev.get("claimants") or []) != len(ev.get("claimant_text") or []):
                problems.append(f"{eid}: claimants and claimant_text differ in length")
        if originals is not None:
            orig = originals / f"{aid}.txt"
            if orig.exists():
                shared = ngrams(text) & ngrams(orig.read_text(encoding="utf-8"))
                if shared:
                    problems.append(f"{aid}: {len(shared)} runs of 8 words copied, e.g. {' '.join(next(iter(shared)))!r}")
            else:
                problems.append(f"{aid}: no original kept in {originals}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--originals", type=Path)
    args = ap.parse_args()
    problems = check(args.folder, args.originals)
    for p in problems:
        print(p)
    n = sum(1 for line in (args.folder / "articles.jsonl").open(encoding="utf-8") if line.strip())
    print(f"{n} articles, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
