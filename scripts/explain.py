#!/usr/bin/env python3
"""Show why sitrep extracted (or did not extract) the events of some articles.

For each article: the context the event stage works with (main country, reference date, outlet,
places with their precision and role, dates, actors), then every sentence holding a trigger with
the reason each trigger was dropped (None = kept), then the events. A tool for tuning the rules.

usage: scripts/explain.py PATH [ARTICLE_ID ...]
"""
from __future__ import annotations

import sys

from sitrep import events as ev
from sitrep.ingest import InputError, read_inputs
from sitrep.pipeline import Extractor


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    wanted = set(sys.argv[2:])
    ex = Extractor("fr")
    for art in read_inputs([sys.argv[1]]):
        if isinstance(art, InputError) or (wanted and art.article_id not in wanted):
            continue
        ex.prepare(art)
        doc = ex.nlp(art.clean)
        ctx = ex.context(art, doc)
        print(f"===== {art.article_id}  main={ctx.main_country}  ref={ctx.reference}  outlet={ctx.outlet}")
        print("places:", [(p.text, p.place.name if p.place else None, p.place.country if p.place else None,
                           p.precision, p.role) for p in ctx.places])
        print("dates:", [(d.text, d.date, d.date_end, d.time_precision) for d in ctx.dates])
        print("actors:", [(a.text, a.name) for a in ctx.actors])
        for sent in doc.sents:
            cands = ev._sentence_candidates(sent, ctx)
            if cands:
                print("  S:", " ".join(sent.text.split())[:160])
                print("     ", [(c.cls, art.clean[c.start:c.end], ev._not_an_event(c, sent, ctx)) for c in cands])
        for e in ev.extract_events(doc, ctx, ex.gazetteer):
            loc = e.location
            print("  EVENT", e.sub_event_type, "@", loc.name if loc else None, loc.geo_precision if loc else None,
                  e.date, e.date_end, "|", e.actor1, "->", e.actor2, "| killed", e.fatalities, "|",
                  [(c.claimant, "hedged" if c.hedged else "", c.role) for c in e.claims])


if __name__ == "__main__":
    main()
