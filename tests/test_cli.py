"""The CLI in-process with click's CliRunner, on real files and a real SQLite database."""
import json

from click.testing import CliRunner

from sitrep.cli import cli

from conftest import EXAMPLES


def invoke(*args, input=None):
    return CliRunner().invoke(cli, list(map(str, args)), input=input, catch_exceptions=False)


def test_run_then_events_and_export(tmp_path, extractor):
    db = tmp_path / "events.db"
    r = invoke("run", EXAMPLES, "--db", db, "--no-progress")
    assert r.exit_code == 0, r.output
    assert "event type / sub-event type" in r.output
    assert "now holds" in r.output
    r2 = invoke("run", EXAMPLES, "--db", db, "--no-progress")
    assert "unchanged 11" in r2.output or "unchanged" in r2.output
    before = invoke("events", db, "--format", "jsonl").output
    assert before.count("\n") >= 8
    assert invoke("events", db, "--format", "jsonl").output == before   # a re-run changed nothing
    battles = invoke("events", db, "--type", "Battles", "--format", "jsonl").output.splitlines()
    assert battles and all(json.loads(l)["event_type"] == "Battles" for l in battles)
    out = tmp_path / "e.geojson"
    r3 = invoke("export", db, "--format", "geojson", "-o", out)
    assert r3.exit_code == 0
    assert json.loads(out.read_text())["type"] == "FeatureCollection"


def test_extract_jsonl_has_codebook_fields(extractor):
    r = invoke("extract", EXAMPLES / "01_frappe_raqqa.txt", "--format", "jsonl")
    assert r.exit_code == 0
    ev = json.loads(r.output.splitlines()[0])
    for key in ("event_id", "article_id", "event_type", "sub_event_type", "date", "date_end",
                "time_precision", "location", "actor1", "actor2", "fatalities", "fatalities_text",
                "claims", "evidence"):
        assert key in ev
    for key in ("name", "country", "admin1", "lat", "lon", "geonames_id", "geo_precision"):
        assert key in ev["location"]
    for key in ("claimant", "claimant_text", "outlet", "hedged"):
        assert key in ev["claims"][0]
    assert ev["article_id"] == "01_frappe_raqqa"


def test_bad_inputs_one_line_each_and_exit_status(tmp_path, extractor):
    (tmp_path / "good.txt").write_text(" date 2017-11-08 L'armée syrienne a repris mercredi la ville d'Abou Kamal.",
                                       encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "recs.jsonl").write_text('{"id": "x", "text": "ok"}\nnot json\n', encoding="utf-8")
    db = tmp_path / "e.db"
    runner = CliRunner()
    r = runner.invoke(cli, ["run", str(tmp_path), "--db", str(db), "--no-progress"])
    assert r.exit_code == 1
    err_lines = [l for l in r.stderr.splitlines() if l.startswith("sitrep: skipped")]
    assert len(err_lines) == 3, r.stderr
    assert "Traceback" not in r.stderr
    assert "good" in r.stdout


def test_missing_database_is_one_line(tmp_path):
    r = CliRunner().invoke(cli, ["events", str(tmp_path / "nope.db")])
    assert r.exit_code != 0
    assert r.stderr.strip().count("\n") == 0 and "no such database" in r.stderr


def test_dates_command():
    r = invoke("dates", "--published", "2017-11-08", "mercredi 8 novembre et la semaine dernière")
    lines = [json.loads(l) for l in r.output.splitlines()]
    assert lines[0]["date"] == "2017-11-08" and lines[0]["time_precision"] == 1
    assert lines[1]["date"] == "2017-10-30" and lines[1]["date_end"] == "2017-11-05"
    r2 = invoke("dates", "--published", "2017-11-08", "-", input="hier")
    assert json.loads(r2.output)["date"] == "2017-11-07"


def test_geocode_command(gazetteer):
    r = invoke("geocode", "Abou Kamal", "Al-Boukamal", "--country", "SY")
    places = [json.loads(l)["place"] for l in r.output.splitlines()]
    assert places[0]["geonames_id"] == places[1]["geonames_id"]
    assert places[0]["country"] == "SY"
    r2 = invoke("geocode", "Zzyzxqwv")
    assert json.loads(r2.output)["place"] is None
    # the context's language: its words tell the province that chooses among namesakes
    ctx = ["--country", "ML", "--context", "Gunmen attacked an army post in the Gao region at Bamba."]
    def admin1(*args):
        return (json.loads(invoke("geocode", "Bamba", *ctx, *args).output)["place"] or {}).get("admin1")
    assert admin1() == "Gao" and admin1("--lang", "en") == "Gao" and admin1("--lang", "en-GB") == "Gao"
    assert admin1("--lang", "fr") != "Gao"


def test_train_pool_option_is_checked_before_anything_runs(tmp_path):
    for bad, why in (("nonsense", "give LANG=DIR"), (f"en={tmp_path / 'nope'}", "is not a folder")):
        r = CliRunner().invoke(cli, ["train", "--train", str(tmp_path), "--dev", str(tmp_path), "--pool", bad])
        assert r.exit_code != 0
        assert r.stderr.strip().count("\n") == 0 and why in r.stderr, r.stderr
