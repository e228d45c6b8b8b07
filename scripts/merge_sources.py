#!/usr/bin/env python3
"""Extract the bundled sources of the merge benchmarks and tests once, into a pickle cache:
examples/, ../shared/devset/articles, tests/corpus/incidents and ../shared/corpus/{dev,train}.

    python scripts/merge_sources.py OUT.pickle [--rules]

The pickle holds the extraction results (Article, events); scripts/merge_scale.py replicates them
into large stores without extracting again.
"""
from __future__ import annotations

import pickle
import sys
from pathlib import Path

from sitrep.ingest import InputError, read_inputs
from sitrep.pipeline import Extractor

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = [ROOT / "examples", SHARED / "devset" / "articles", *sorted((ROOT / "tests/corpus/incidents").glob("articles*.jsonl")),
           SHARED / "corpus" / "dev" / "articles.jsonl", SHARED / "corpus" / "train" / "articles.jsonl"]


def extract(sources=SOURCES, learned: bool = True) -> list[tuple[str, object, list]]:
    ex = Extractor("fr", learned=learned)
    out = []
    for src in sources:
        arts = [a for a in read_inputs([str(src)]) if not isinstance(a, InputError)]
        for res in ex.run(arts):
            if not res.failed and not res.skipped:
                out.append((src.name, res.article, res.events))
    return out


def main() -> None:
    out = Path(sys.argv[1])
    data = extract(learned="--rules" not in sys.argv)
    out.write_bytes(pickle.dumps(data))
    print(f"{len(data)} articles, {sum(len(e) for _, _, e in data)} events -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
