#!/usr/bin/env python3
"""Write ``src/sitrep/data/<lang>/common_words.txt``: the words the training articles write in lower case
(at least ``--min`` times), one a line. The geocoder reads a capitalised word of this list ("Area",
"News", "Western", "Command", "Air" at a sentence's start or in an institution's name) as a place only
when a place of a country the article names bears that very name ("Hit" in Iraq): the gazetteer's
alternate names and loose spellings make such words foreign towns (Mundelein, Neuss, Cuba City, Kamand, Ayr).

usage: .venv/bin/python scripts/common_words.py [--lang en] [--min 3] [--train FOLDER ...]
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en")
    ap.add_argument("--min", type=int, default=3)
    ap.add_argument("--train", nargs="*", type=Path)
    args = ap.parse_args()
    from sitrep.training import load_corpus
    folders = args.train or [SHARED / "corpus" / "train", ROOT / "corpus" / args.lang]
    counts: collections.Counter = collections.Counter()
    for batch in load_corpus(folders, args.lang):
        for a in batch.articles:
            # (lower-case letters with their accents: « côté », « frappé »)
            counts.update(re.findall(r"(?<![\w'’-])[a-zà-öø-ÿœæ][a-zà-öø-ÿœæ]+(?![\w'’-])", a.text))
    words = sorted(w for w, n in counts.items() if n >= args.min and len(w) >= 3)
    out = ROOT / "src" / "sitrep" / "data" / args.lang / "common_words.txt"
    out.write_text(f"# written by scripts/common_words.py --lang {args.lang} --min {args.min}: words the training "
                   f"articles write in lower case\n" + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: {len(words)} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
