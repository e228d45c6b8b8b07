import csv
import io
import json

import jsonschema

from sitrep.export import ACLED_COLUMNS, CSV_COLUMNS, geojson_collection, write_events
from sitrep.ingest import read_inputs

from conftest import EXAMPLES

# RFC 7946 constraints checked here: FeatureCollection of Features; Point geometry with
# [lon, lat] in range (or null geometry); properties an object; no "crs" member.
GEOJSON_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": {
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "not": {"required": ["crs"]},
            "properties": {
                "type": {"const": "Feature"},
                "id": {"type": ["string", "number"]},
                "properties": {"type": ["object", "null"]},
                "geometry": {"oneOf": [
                    {"type": "null"},
                    {"type": "object", "required": ["type", "coordinates"], "properties": {
                        "type": {"const": "Point"},
                        "coordinates": {"type": "array", "minItems": 2, "maxItems": 3, "prefixItems": [
                            {"type": "number", "minimum": -180, "maximum": 180},
                            {"type": "number", "minimum": -90, "maximum": 90}]}}}]},
            }}},
    },
    "not": {"required": ["crs"]},
}


def _example_events(extractor):
    arts = list(read_inputs([EXAMPLES]))
    return [e.to_dict() for res in extractor.run(arts) for e in res.events]


def test_geojson_valid(extractor):
    events = _example_events(extractor)
    assert len(events) >= 8
    buf = io.StringIO()
    write_events(events, "geojson", buf)
    doc = json.loads(buf.getvalue())
    jsonschema.Draft202012Validator(GEOJSON_SCHEMA).validate(doc)
    located = [f for f in doc["features"] if f["geometry"]]
    assert located, "example events are geocoded"
    for f in located:
        lon, lat = f["geometry"]["coordinates"]
        ev = next(e for e in events if e["event_id"] == f["id"])
        assert (lat, lon) == (round(ev["location"]["lat"], 6), round(ev["location"]["lon"], 6))


def test_geojson_rejects_swapped_coordinates():
    bad = geojson_collection([{"event_id": "x", "article_id": "a", "event_type": "Battles",
                               "sub_event_type": "Armed clash", "location": {"lat": 35.0, "lon": 40.0}}])
    bad["features"][0]["geometry"]["coordinates"] = [40.0, 135.0]
    try:
        jsonschema.Draft202012Validator(GEOJSON_SCHEMA).validate(bad)
    except jsonschema.ValidationError:
        return
    raise AssertionError("schema accepted a latitude of 135")


def test_csv_columns(extractor):
    events = _example_events(extractor)
    for fmt, cols in (("csv", CSV_COLUMNS), ("acled-csv", ACLED_COLUMNS)):
        buf = io.StringIO()
        write_events(events, fmt, buf)
        rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
        assert list(rows[0].keys()) == cols
        assert len(rows) == len(events)
    acled = list(csv.DictReader(io.StringIO(_as(events, "acled-csv"))))
    for col in ("event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1",
                "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
                "notes", "fatalities", "claimants", "claims_hedged"):
        assert col in acled[0]
    assert all(r["event_date"][:4] == r["year"] for r in acled)


def _as(events, fmt):
    buf = io.StringIO()
    write_events(events, fmt, buf)
    return buf.getvalue()
