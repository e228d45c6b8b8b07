import sqlite3

import pytest

from sitrep.events import EXTRACTOR
from sitrep.ingest import article_from_text
from sitrep.store import MIGRATIONS, Store, StoreError

TEXT = (" date 2017-11-08 Mercredi 8 novembre, l'armée syrienne a repris le contrôle de la ville "
        "d'Abou Kamal, dernier bastion de Daech en Syrie, a annoncé l'agence Sana.")


def _extract(extractor, text=TEXT, aid="a1"):
    art = article_from_text(text, aid)
    return art, extractor.extract(art)


def test_migrations_recorded(tmp_path):
    with Store(tmp_path / "e.db") as st:
        assert st.schema_version() == max(v for v, _, _ in MIGRATIONS)
        rows = st.con.execute("SELECT version, name FROM schema_migrations").fetchall()
        assert rows and rows[0][0] == 1


def test_round_trip_and_idempotent(tmp_path, extractor):
    art, events = _extract(extractor)
    assert events, "the sample sentence reports a town retaken"
    db = tmp_path / "e.db"
    with Store(db) as st:
        assert st.save(art, events, EXTRACTOR) == "added"
        first = list(st.events())
        counts = st.counts()
    with Store(db) as st:
        art2, events2 = _extract(extractor)
        assert st.save(art2, events2, EXTRACTOR) == "unchanged"
        assert st.counts() == counts
        again = list(st.events())
    assert again == first
    stored = first[0]
    ev = events[0].to_dict()
    for key in ("event_id", "event_type", "sub_event_type", "date", "actor1", "fatalities"):
        assert stored[key] == ev[key]
    assert stored["location"]["name"] == ev["location"]["name"]
    assert {c["claimant"] for c in stored["claims"]} == {c["claimant"] for c in ev["claims"]}


def test_changed_article_replaces_its_events_only(tmp_path, extractor):
    db = tmp_path / "e.db"
    with Store(db) as st:
        a, ev = _extract(extractor)
        b, evb = _extract(extractor, TEXT.replace("Abou Kamal", "Mayadine"), "b1")
        st.save(a, ev, EXTRACTOR)
        st.save(b, evb, EXTRACTOR)
        before_b = [e for e in st.events() if e["article_id"] == "b1"]
        a2, ev2 = _extract(extractor, TEXT.replace("8 novembre", "7 novembre").replace("2017-11-08", "2017-11-08"), "a1")
        assert st.save(a2, ev2, EXTRACTOR) == "replaced"
        assert [e for e in st.events() if e["article_id"] == "b1"] == before_b
        dates = {e["date"] for e in st.events() if e["article_id"] == "a1"}
        assert dates == {"2017-11-07"}


def test_not_a_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="bad.db"):
        Store(bad)


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "e.db"
    Store(db).close()
    con = sqlite3.connect(db)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x', '9')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_a_first_schema_database_is_migrated_and_kept(tmp_path, extractor, monkeypatch):
    # a database written before incidents existed (schema 1) opens, gains the incident tables and
    # keeps its events, which the next merge groups
    import sitrep.store as store_mod
    from sitrep.incidents import merge
    db = tmp_path / "old.db"
    monkeypatch.setattr(store_mod, "MIGRATIONS", MIGRATIONS[:1])
    art, events = _extract(extractor)
    with store_mod.Store(db) as st:
        assert st.schema_version() == 1
        st.con.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                       (art.article_id, "h", None, None, None, art.published, None, "fr", art.clean, "[]", "x", "t"))
        for e in events:
            st.con.execute("INSERT INTO events (event_id, article_id, event_type, sub_event_type, date, country,"
                           " lat, lon, geo_precision, location_name) VALUES (?,?,?,?,?,?,?,?,?,?)",
                           (e.event_id, art.article_id, e.event_type, e.sub_event_type, e.date,
                            e.location.country, e.location.lat, e.location.lon, e.location.geo_precision,
                            e.location.name))
        st.con.commit()
    monkeypatch.undo()
    with Store(db) as st:
        assert st.schema_version() == max(v for v, _, _ in MIGRATIONS)
        assert st.counts()["events"] == len(events)
        assert merge(st)["incidents"] == len(events)
        assert all(e["incident_id"] for e in st.events())
        # (events stored before schema 5 have no district)
        assert all(e["location"]["admin2"] is None for e in st.events())


def test_the_district_of_an_events_place_is_stored_and_exported(tmp_path, extractor):
    """A village's second-level unit (gazetteer admin2: Nassoumbou lies in the Soum province of
    Burkina Faso's Sahel region) is the event location's ``admin2``, kept by the store (schema 5)
    and written into the ACLED export's admin2 column and the flat CSV."""
    import csv
    import io

    from sitrep.export import write_events
    text = (" date 2016-12-18 Des hommes armés ont attaqué vendredi le village de Nassoumbou, dans la province "
            "du Soum, au Burkina Faso, tuant douze soldats, selon une source sécuritaire.")
    art, events = _extract(extractor, text, "bf1")
    located = [e for e in events if e.location is not None and e.location.name == "Nassoumbou"]
    assert located and located[0].location.admin1 == "Sahel" and located[0].location.admin2 == "Soum"
    with Store(tmp_path / "e.db") as st:
        st.save(art, events, EXTRACTOR)
        stored = [e for e in st.events() if e["location"]["name"] == "Nassoumbou"]
    assert stored and stored[0]["location"] == located[0].to_dict()["location"]
    for fmt, column in (("acled-csv", "admin2"), ("csv", "admin2")):
        buf = io.StringIO()
        write_events(stored, fmt, buf)
        rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
        assert rows[0][column] == "Soum"
