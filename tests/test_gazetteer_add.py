"""Users extend the gazetteer: `sitrep gazetteer add` with a TSV or a GeoNames country dump, into a
real SQLite file of their own that every lookup consults. Idempotent; bad lines skipped and named."""
import json

from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.gazetteer import Gazetteer
from sitrep.geocode import GeoContext, choose, find_places
from sitrep.userplaces import add_places, read_places

SYRIA = GeoContext("SY", {"SY"})
# Villages and sites of the kind cities500 lacks; coordinates are those of the real places.
TSV = ("name\tlat\tlon\tcountry\tadmin1\taliases\n"
       "Kirkuk\t34.60\t38.33\tSY\tHoms\tKirkouk|Kerkuk\n"
       "Al-Omar oil field\t35.05\t40.53\tSY\tDeir ez-Zor\tal-Omar|champ pétrolier d'al-Omar\n"
       "Broken\tnorth\t38\tSY\t\t\n"
       "Nowhere\t34\t38\tSYR\t\t\n")
# Two lines in the 19-column layout of download.geonames.org dumps (fields: id, name, ascii,
# alternates, lat, lon, class, code, cc, cc2, admin1, admin2, admin3, admin4, population,
# elevation, dem, timezone, modified); an ADM1 line names the admin1 code of the village.
DUMP = ("900000001\tKhirbat al-Ma'a\tKhirbat al-Ma'a\tKherbet al-Maa,Khirbet el Maa\t35.10\t40.30\tP\tPPL\tSY\t\t07\t\t\t\t0\t\t230\tAsia/Damascus\t2020-01-01\n"
        "900000002\tDeir ez-Zor Governorate\tDeir ez-Zor Governorate\t\t35.0\t40.5\tA\tADM1\tSY\t\t07\t\t\t\t1000000\t\t200\tAsia/Damascus\t2020-01-01\n"
        "900000003\tWadi Something\tWadi Something\t\t35.0\t40.0\tH\tWAD\tSY\t\t07\t\t\t\t0\t\t200\tAsia/Damascus\t2020-01-01\n"
        "900000004\tShort line\n")


def _gazetteer(tmp_path, gazetteer):
    return Gazetteer(gazetteer.path, build=False, user=tmp_path / "user.sqlite")


def test_tsv_add_is_idempotent_and_reports_bad_lines(tmp_path, gazetteer):
    f = tmp_path / "villages.tsv"
    f.write_text(TSV, encoding="utf-8")
    rows = list(read_places(f))
    errors = [e for _, p, e in rows if e]
    assert errors == [f"{f}:4: latitude 'north' is not a number",
                      f"{f}:5: country 'SYR' is not an ISO 3166 alpha-2 code"]
    places = [p for _, p, e in rows if p]
    first = add_places(tmp_path / "user.sqlite", places)
    again = add_places(tmp_path / "user.sqlite", places)
    assert (first.added, first.updated) == (2, 0)
    assert (again.added, again.updated) == (0, 2)          # nothing duplicated
    g = _gazetteer(tmp_path, gazetteer)
    kirkouk = choose(g.lookup("Kirkouk"), SYRIA)
    assert kirkouk is not None and kirkouk.country == "SY" and abs(kirkouk.lon - 38.33) < 0.01
    # with Iraq in context the Iraqi city still wins: the user's village does not hijack it
    assert choose(g.lookup("Kirkouk"), GeoContext("IQ", {"IQ"})).country == "IQ"
    # in an article, a sentence names the village: resolved to the user's point
    text = "Des combats ont eu lieu à Kirkouk, près de Palmyre, selon une source militaire."
    found = {m.text: m for m in find_places(text, g, SYRIA)}
    assert found["Kirkouk"].place.lat == 34.60


def test_geonames_dump_keeps_places_and_sites_not_streams(tmp_path, gazetteer):
    f = tmp_path / "SY.txt"
    f.write_text(DUMP, encoding="utf-8")
    rows = list(read_places(f))
    assert [e for _, _, e in rows if e] == [f"{f}:4: 2 columns, a GeoNames dump line has 19"]
    places = [p for _, p, _ in rows if p]
    assert [p.name for p in places] == ["Khirbat al-Ma'a", "Deir ez-Zor Governorate"]
    assert places[0].admin1 == "Deir ez-Zor Governorate" and places[0].geonames_id == 900000001
    add_places(tmp_path / "user.sqlite", places)
    add_places(tmp_path / "user.sqlite", places)
    g = _gazetteer(tmp_path, gazetteer)
    hits = [p for p in g.lookup("Kherbet al-Maa") if p.country == "SY"]
    assert len(hits) == 1 and hits[0].geonames_id == 900000001


def test_cli_add_then_geocode(tmp_path, gazetteer, monkeypatch):
    monkeypatch.setenv("SITREP_DATA_DIR", str(tmp_path / "data"))
    f = tmp_path / "villages.tsv"
    f.write_text(TSV, encoding="utf-8")
    r = CliRunner().invoke(cli, ["gazetteer", "add", str(f)])
    assert r.exit_code == 0
    assert "2 added, 0 updated, 2 bad lines skipped" in r.output
    assert f"{f}:4: latitude 'north' is not a number" in r.stderr
    r = CliRunner().invoke(cli, ["geocode", "-", "--country", "SY"], input="Kirkouk\nal-Omar\n")
    answers = [json.loads(line) for line in r.output.splitlines()]
    assert [a["place"]["name"] for a in answers] == ["Kirkuk", "Al-Omar oil field"]
    assert answers[0]["place"]["country"] == "SY"
    r = CliRunner().invoke(cli, ["gazetteer", "add", str(tmp_path / "missing.tsv")])
    assert r.exit_code == 1 and "missing.tsv: cannot read" in r.stderr


def test_damaged_user_gazetteer_is_reported_not_fatal(tmp_path, gazetteer):
    import pytest
    bad = tmp_path / "user.sqlite"
    bad.write_bytes(b"this is not a database" * 10)
    with pytest.warns(UserWarning, match="your own places are not used"):
        g = Gazetteer(gazetteer.path, build=False, user=bad)
    assert choose(g.lookup("Palmyre"), SYRIA).country == "SY"


def test_corrected_point_updates_and_bom_and_scripts(tmp_path, gazetteer):
    user = tmp_path / "user.sqlite"
    first = tmp_path / "a.tsv"
    first.write_text("\ufeffTell Hamis Jadid\t36.60\t41.20\tSY\t\tTall Hamis al-Jadida\n", encoding="utf-8")
    fixed = tmp_path / "b.tsv"      # the same village, its point corrected by 2 km; and a name in Arabic only
    fixed.write_text("Tell Hamis Jadid\t36.62\t41.21\tSY\t\t\nتل حميس\t36.6\t41.2\tSY\t\t\n", encoding="utf-8")
    add_places(user, [p for _, p, _ in read_places(first) if p])
    rows = list(read_places(fixed))
    assert [e for _, _, e in rows if e] == [f"{fixed}:2: no name in Latin script to look up ('تل حميس'): "
                                             "add a transliteration as alias"]
    report = add_places(user, [p for _, p, _ in rows if p])
    assert (report.added, report.updated) == (0, 1)
    g = _gazetteer(tmp_path, gazetteer)
    hits = [p for p in g.lookup("Tell Hamis Jadid") if p.country == "SY" and p.feature == "user"]
    assert len(hits) == 1 and abs(hits[0].lat - 36.62) < 1e-6      # the BOM did not eat the name


def test_cli_reports_a_damaged_user_gazetteer_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_DATA_DIR", str(tmp_path))
    (tmp_path / "user-places.sqlite").write_bytes(b"not a database at all" * 20)
    f = tmp_path / "v.tsv"
    f.write_text("Kirkuk\t34.60\t38.33\tSY\tHoms\tKirkouk\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["gazetteer", "add", str(f)])
    assert r.exit_code != 0 and "not a usable gazetteer of your own places" in r.output + r.stderr
    assert "Traceback" not in r.output + r.stderr


def test_adding_to_an_old_user_gazetteer_rekeys_it_first(tmp_path, gazetteer):
    import sqlite3
    from sitrep.userplaces import UserPlace
    user = tmp_path / "user.sqlite"
    add_places(user, [UserPlace("Kafr Zeyta Nouvelle", 35.37, 36.60, "SY")])
    con = sqlite3.connect(user)          # as if written by older key functions
    con.execute("UPDATE names SET key = 'stale', skel = 'stl'")
    con.execute("UPDATE meta SET v = '0' WHERE k = 'version'")
    con.commit()
    con.close()
    add_places(user, [UserPlace("Tell Hamis Jadid", 36.60, 41.20, "SY")])
    g = _gazetteer(tmp_path, gazetteer)
    assert [p.name for p in g.lookup("Kafr Zeyta Nouvelle") if p.feature == "user"] == ["Kafr Zeyta Nouvelle"]


def test_a_users_geonames_row_keeps_the_packaged_district(tmp_path, gazetteer):
    """A GeoNames dump line for a town the package has (Djibo, 2361177) replaces its row, but the user's
    places carry no district: the packaged admin2 (Soum) stays, for the ranker and the exports."""
    line = ("2361177\tDjibo\tDjibo\t\t14.20\t-1.60\tP\tPPL\tBF\t\t78\t\t\t\t22000\t\t300\t"
            "Africa/Ouagadougou\t2020-01-01\n")
    f = tmp_path / "BF.txt"
    f.write_text(line, encoding="utf-8")
    add_places(tmp_path / "user.sqlite", [p for _, p, _ in read_places(f) if p])
    djibo = [p for p in _gazetteer(tmp_path, gazetteer).lookup("Djibo") if p.geonames_id == 2361177]
    assert djibo and abs(djibo[0].lat - 14.20) < 0.001 and djibo[0].admin2 == "Soum"
