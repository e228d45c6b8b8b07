"""Output formats for events (dicts shaped like ``Event.to_dict``).

- ``jsonl``: one event per line, the scorer's format;
- ``csv``: flat columns, claims joined;
- ``table``: aligned text for a terminal;
- ``acled-csv``: ACLED's column names wherever ACLED has the column, then sitrep's claim columns;
- ``geojson``: an RFC 7946 FeatureCollection (events without coordinates get a null geometry).
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

__all__ = ["write_events", "write_incidents", "INCIDENT_FORMATS", "INCIDENT_COLUMNS", "FORMATS", "ACLED_COLUMNS", "CSV_COLUMNS", "geojson_collection", "neutralise", "FORMULA_STARTS"]

FORMATS = ("jsonl", "csv", "table", "acled-csv", "geojson")
CSV_COLUMNS = ["event_id", "article_id", "event_type", "sub_event_type", "date", "date_end",
               "time_precision", "location", "country", "admin1", "admin2", "lat", "lon", "geonames_id",
               "geo_precision", "actor1", "actor2", "fatalities", "fatalities_low", "fatalities_high",
               "fatalities_text", "claimants", "outlets", "hedged", "aggregate", "evidence",
               "evidence_start", "evidence_end", "incident_id"]
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
                 "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
                 "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
                 "source_scale", "notes", "fatalities", "tags", "timestamp",
                 # sitrep's own columns
                 "sitrep_event_id", "article_id", "event_date_end", "fatalities_low", "fatalities_high",
                 "fatalities_text", "claimants", "claimant_texts", "claim_outlets", "claims_hedged",
                 "hedged", "relayed_by", "evidence_start", "evidence_end", "incident_id"]
_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence", "Protests": "Demonstrations",
             "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}


# OWASP's CSV-injection rule: a cell starting with one of these is run as a formula by
# spreadsheets (=cmd|' /C calc'!A0, @SUM(…), +1+1, -2+3, a tab or CR before one of them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` so it is shown as
    text; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _one_line(value: Any) -> Any:
    """ACLED's columns hold no line breaks: runs of them become one space."""
    return _NEWLINES.sub(" ", value).strip() if isinstance(value, str) else value


def _csv_rows(rows: Iterable[dict[str, Any]], cols: list[str], out: TextIO, escape_formulas: bool) -> int:
    w = csv.DictWriter(out, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    n = 0
    for row in rows:
        w.writerow({k: neutralise(v) for k, v in row.items()} if escape_formulas else row)
        n += 1
    return n


def _loc(e: dict[str, Any]) -> dict[str, Any]:
    return e.get("location") or {}


def _claimants(e: dict[str, Any]) -> list[dict[str, Any]]:
    return e.get("claims") or []


def flat_row(e: dict[str, Any]) -> dict[str, Any]:
    loc = _loc(e)
    claims = _claimants(e)
    return {
        "event_id": e["event_id"], "article_id": e["article_id"], "event_type": e["event_type"],
        "sub_event_type": e["sub_event_type"], "date": e.get("date"), "date_end": e.get("date_end"),
        "time_precision": e.get("time_precision"), "location": loc.get("name"),
        "country": loc.get("country"), "admin1": loc.get("admin1"), "admin2": loc.get("admin2"), "lat": loc.get("lat"),
        "lon": loc.get("lon"), "geonames_id": loc.get("geonames_id"),
        "geo_precision": loc.get("geo_precision"), "actor1": e.get("actor1"), "actor2": e.get("actor2"),
        "fatalities": e.get("fatalities"), "fatalities_low": e.get("fatalities_low"),
        "fatalities_high": e.get("fatalities_high"), "fatalities_text": e.get("fatalities_text"),
        "claimants": "; ".join(c["claimant"] for c in claims if c.get("role") != "relay"),
        "outlets": "; ".join(sorted({c["outlet"] for c in claims if c.get("outlet")})),
        "hedged": any(c.get("hedged") for c in claims), "aggregate": e.get("aggregate", False),
        "evidence": (e.get("evidence") or {}).get("text"),
        "evidence_start": (e.get("evidence") or {}).get("start"),
        "evidence_end": (e.get("evidence") or {}).get("end"),
    }


def acled_row(e: dict[str, Any]) -> dict[str, Any]:
    loc = _loc(e)
    claims = _claimants(e)
    sources = [c for c in claims if c.get("role") != "relay"]
    date = e.get("date") or ""
    country = loc.get("country") or "XX"
    return {
        "event_id_cnty": f"{country}{e['event_id'][:10].upper()}",
        "event_date": date, "year": date[:4], "time_precision": e.get("time_precision"),
        "disorder_type": _DISORDER.get(e["event_type"], ""), "event_type": e["event_type"],
        "sub_event_type": e["sub_event_type"], "actor1": e.get("actor1") or "", "assoc_actor_1": "",
        "inter1": "", "actor2": e.get("actor2") or "", "assoc_actor_2": "", "inter2": "",
        "interaction": "",
        "civilian_targeting": "Civilian targeting" if (e.get("actor2") or "").startswith("Civilians") else "",
        "iso": "", "region": "", "country": country, "admin1": loc.get("admin1") or "", "admin2": loc.get("admin2") or "",
        "admin3": "", "location": loc.get("name") or "", "latitude": loc.get("lat"),
        "longitude": loc.get("lon"), "geo_precision": loc.get("geo_precision"),
        "source": "; ".join(sorted({c["outlet"] for c in claims if c.get("outlet")})),
        "source_scale": "", "notes": (e.get("evidence") or {}).get("text", ""),
        "fatalities": e.get("fatalities") if e.get("fatalities") is not None else 0,
        "tags": "aggregate" if e.get("aggregate") else "", "timestamp": "",
        "sitrep_event_id": e["event_id"], "article_id": e["article_id"],
        "event_date_end": e.get("date_end") or "", "fatalities_low": e.get("fatalities_low"),
        "fatalities_high": e.get("fatalities_high"), "fatalities_text": e.get("fatalities_text") or "",
        "claimants": "; ".join(c["claimant"] for c in sources),
        "claimant_texts": " | ".join(c.get("claimant_text") or "" for c in sources),
        "claim_outlets": "; ".join(c.get("outlet") or "" for c in sources),
        "claims_hedged": "; ".join("yes" if c.get("hedged") else "no" for c in sources),
        "hedged": any(c.get("hedged") for c in claims),
        "relayed_by": "; ".join(sorted({v for c in sources for v in c.get("via") or []})),
        "evidence_start": (e.get("evidence") or {}).get("start"),
        "evidence_end": (e.get("evidence") or {}).get("end"),
        "incident_id": e.get("incident_id") or "",
    }


def acled_csv_row(e: dict[str, Any]) -> dict[str, Any]:
    """``acled_row`` with every text on one line, as in ACLED's own files."""
    return {k: _one_line(v) for k, v in acled_row(e).items()}


def geojson_collection(events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for e in events:
        loc = _loc(e)
        geometry = None
        if loc.get("lat") is not None and loc.get("lon") is not None:
            geometry = {"type": "Point", "coordinates": [round(float(loc["lon"]), 6), round(float(loc["lat"]), 6)]}
        props = flat_row(e)
        props["claims"] = _claimants(e)
        features.append({"type": "Feature", "id": e["event_id"], "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _table(events: Iterable[dict[str, Any]], out: TextIO) -> None:
    cols = [("article", 14), ("date", 10), ("type", 34), ("place", 18), ("prec", 4), ("actor1", 26),
            ("killed", 6), ("claimants", 40), ("incident", 16)]
    out.write("  ".join(name.ljust(w) for name, w in cols).rstrip() + "\n")
    for e in events:
        loc = _loc(e)
        cells = [e["article_id"], e.get("date") or "", e["sub_event_type"], loc.get("name") or "",
                 str(loc.get("geo_precision") or ""), e.get("actor1") or "",
                 "" if e.get("fatalities") is None else str(e["fatalities"]),
                 "; ".join(c["claimant"] + ("?" if c.get("hedged") else "") for c in _claimants(e)
                           if c.get("role") != "relay"), e.get("incident_id") or ""]
        out.write("  ".join(_fit(c, w).ljust(w) for c, (_, w) in zip(cells, cols)).rstrip() + "\n")


def _fit(s: str, width: int) -> str:
    s = _CONTROLS.sub("\ufffd", s)     # no terminal escape sequences from article text
    return s if len(s) <= width else s[: width - 1] + "…"


def write_events(events: Iterable[dict[str, Any]], fmt: str, out: TextIO, escape_formulas: bool = True) -> int:
    """Write ``events`` to ``out`` in ``fmt``; returns how many were written. CSV cells a
    spreadsheet would run as formulas are escaped unless ``escape_formulas`` is False; JSON
    formats keep every text as it is (escape it where you display it)."""
    n = 0
    if fmt == "jsonl":
        for e in events:
            out.write(json.dumps(e, ensure_ascii=False) + "\n")
            n += 1
    elif fmt in ("csv", "acled-csv"):
        cols, row = (CSV_COLUMNS, flat_row) if fmt == "csv" else (ACLED_COLUMNS, acled_csv_row)
        n = _csv_rows((row(e) for e in events), cols, out, escape_formulas)
    elif fmt == "geojson":
        coll = geojson_collection(events)
        json.dump(coll, out, ensure_ascii=False, indent=1)
        out.write("\n")
        n = len(coll["features"])
    elif fmt == "table":
        evs = list(events)
        _table(evs, out)
        n = len(evs)
    else:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return n



# -- incidents (dicts shaped like ``incidents.summarise`` plus ``incident_id``) -------------------
INCIDENT_FORMATS = ("table", "jsonl", "csv", "geojson")
INCIDENT_COLUMNS = ["incident_id", "status", "event_type", "sub_event_type", "date", "date_end",
                    "time_precision", "location", "country", "lat", "lon", "geo_precision", "actor1", "actor2",
                    "fatalities_low", "fatalities_best", "fatalities_high", "n_reports", "n_articles",
                    "n_outlets", "n_independent_sources", "outlets", "claimants", "independent_sources", "disagreements",
                    "events"]


def incident_row(i: dict[str, Any]) -> dict[str, Any]:
    loc = i.get("location") or {}
    fat = i.get("fatalities") or {}
    return {
        "incident_id": i["incident_id"], "status": i["status"], "event_type": i["event_type"],
        "sub_event_type": i["sub_event_type"], "date": i.get("date"), "date_end": i.get("date_end"),
        "time_precision": i.get("time_precision"), "location": loc.get("name"), "country": loc.get("country"),
        "lat": loc.get("lat"), "lon": loc.get("lon"), "geo_precision": loc.get("geo_precision"),
        "actor1": "; ".join(i.get("actor1") or []), "actor2": "; ".join(i.get("actor2") or []),
        "fatalities_low": fat.get("low"), "fatalities_best": fat.get("best"), "fatalities_high": fat.get("high"),
        "n_reports": i.get("n_reports"), "n_articles": i.get("n_articles"), "n_outlets": len(i.get("outlets") or []),
        "n_independent_sources": len(i.get("independent_sources") or []),
        "outlets": "; ".join(i.get("outlets") or []),
        "independent_sources": "; ".join(i.get("independent_sources") or []),
        "claimants": "; ".join(i.get("claimants") or []), "disagreements": " | ".join(i.get("disagreements") or []),
        "events": " ".join(i.get("events") or []),
    }


def write_incidents(incidents: Iterable[dict[str, Any]], fmt: str, out: TextIO, escape_formulas: bool = True) -> int:
    """Write incidents to ``out`` in ``fmt`` (table, jsonl, csv, geojson); returns how many.
    CSV cells are escaped as in ``write_events``."""
    items = list(incidents)
    if fmt == "jsonl":
        for i in items:
            out.write(json.dumps(i, ensure_ascii=False, sort_keys=True) + "\n")
    elif fmt == "csv":
        _csv_rows((incident_row(i) for i in items), INCIDENT_COLUMNS, out, escape_formulas)
    elif fmt == "geojson":
        features = []
        for i in items:
            row = incident_row(i)
            geometry = None
            if row["lat"] is not None and row["lon"] is not None:
                geometry = {"type": "Point", "coordinates": [round(float(row["lon"]), 6), round(float(row["lat"]), 6)]}
            features.append({"type": "Feature", "id": i["incident_id"], "geometry": geometry,
                             "properties": {**row, "disagreements": i.get("disagreements") or []}})
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "table":
        cols = [("incident", 16), ("status", 13), ("date", 10), ("type", 30), ("place", 18), ("killed", 11),
                ("rep", 3), ("outlets", 7), ("claimants", 44)]
        out.write("  ".join(n.ljust(w) for n, w in cols).rstrip() + "\n")
        for i in items:
            r = incident_row(i)
            killed = "" if r["fatalities_best"] is None else (
                str(r["fatalities_best"]) if r["fatalities_low"] == r["fatalities_high"]
                else f"{r['fatalities_best']} ({r['fatalities_low']}-{r['fatalities_high']})")
            cells = [r["incident_id"], r["status"], r["date"] or "", r["sub_event_type"], r["location"] or "",
                     killed, str(r["n_reports"]), str(r["n_outlets"]), r["claimants"]]
            out.write("  ".join(_fit(c, w).ljust(w) for c, (_, w) in zip(cells, cols)).rstrip() + "\n")
            for d in i.get("disagreements") or []:
                out.write(" " * 18 + "! " + _CONTROLS.sub("\ufffd", d) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(INCIDENT_FORMATS)})")
    return len(items)
