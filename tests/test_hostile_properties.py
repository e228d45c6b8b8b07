"""Property tests (hypothesis) for issue 11: random text, dates, numbers and JSON records through
``dates``, ingest, ``extract``/``run`` and ``geocode``. No exception escapes; every input line is
accounted for (an article or a one-line error); nothing processed is lost from the database; every
offset still points at the words it claims."""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.cli import cli
from sitrep.dates import find_dates, valid_published
from sitrep.ingest import InputError, article_from_text, read_inputs

# Words of war reporting, dates, numbers and the characters that break naive code, mixed freely.
WORDS = ["L'armée", "syrienne", "a", "repris", "jeudi", "la", "ville", "de", "Palmyre", "aux", "jihadistes",
         "Daech", "selon", "l'OSDH", "au", "moins", "12", "civils", "ont", "été", "tués", "dans", "une", "frappe",
         "aérienne", "russe", "sur", "Raqqa", "hier", "soir", "il y a", "3000", "ans", "1000000000", "jours",
         "mois", "semaines", "le", "8", "novembre", "2017", "du 3 au 5 mars", "dans la nuit de lundi à mardi",
         "aurait", "affirme", "l'agence Sana", "«", "»", ",", ".", "\n", "\n\n", "Homs", "province", "près",
         "km", "-", "=cmd|' /C calc'!A0", "<img src=x onerror=alert(1)>", "\u202e", "\x00", "\ufeff", "🙂",
         "Abou Kamal", "Deir ez-Zor", "date 2017-10", "31/02/2017", "mercredi 31 février", "99/99/9999",
         "quinze", "un millier", "des dizaines", "0", "-5", "1e309", "NaN"]
french = st.lists(st.one_of(st.sampled_from(WORDS), st.integers(-10**12, 10**12).map(str),
                            st.integers(10**12, 10**40).map(str)), max_size=120).map(" ".join)
texts = st.one_of(french, st.text(max_size=300), st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
published = st.one_of(st.none(), st.text(max_size=25), st.integers(-10**9, 10**9).map(str),
                      st.dates().map(dt.date.isoformat), st.dates().map(lambda d: d.isoformat()[:7]),
                      st.sampled_from(["0001-01-01", "9999-12-31", "2017-13-45", "20180201", "garbage", "1800-01-01",
                                       "2200-12-31", "2017-10-14T08:00:00Z"]))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                        max_size=4), max_leaves=10)
records = st.one_of(
    json_values,
    st.fixed_dictionaries({"text": st.one_of(texts, json_values)},
                          optional={"id": st.one_of(st.text(max_size=20), st.integers(), json_values),
                                    "published": st.one_of(published, json_values),
                                    "outlet": st.one_of(st.text(max_size=30), json_values),
                                    "language": st.sampled_from(["fr", "en", "xx", ""])}))


def _offsets_hold(art, events) -> None:
    for e in events:
        assert art.clean[e.evidence.start:e.evidence.end] == e.evidence.text
        assert e.event_id


@given(text=texts, pub=published)
@settings(max_examples=400, deadline=None)
def test_dates_never_raise_and_spans_hold(text, pub):
    for d in find_dates(text, pub):
        assert text[d.start:d.end] == d.text
        start = dt.date.fromisoformat(d.date)
        if d.date_end:
            assert dt.date.fromisoformat(d.date_end) >= start


@given(n=st.integers(0, 10**15), unit=st.sampled_from(["jours", "semaines", "mois", "ans", "années"]),
       day=st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
@settings(max_examples=300, deadline=2000)   # « il y a N mois » must not take N steps
def test_any_number_of_units_ago(n, unit, day):
    for d in find_dates(f"il y a {n} {unit}", day.isoformat()):
        assert d.date <= day.isoformat()


@given(value=st.one_of(published, json_values))
def test_published_is_a_day_a_month_or_nothing(value):
    iso = valid_published(value)
    if iso is not None:
        assert len(iso) in (7, 10)
        dt.date.fromisoformat(iso if len(iso) == 10 else iso + "-01")


@given(recs=st.lists(records, max_size=8), junk=st.lists(st.binary(max_size=40), max_size=2))
@settings(max_examples=150, deadline=None)
def test_every_jsonl_line_is_an_article_or_one_line_error(recs, junk):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "recs.jsonl"
        lines = [json.dumps(r, ensure_ascii=False) for r in recs]
        p.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b"\n".join(junk))
        items = list(read_inputs([p]))
    ids = [i.article_id for i in items if not isinstance(i, InputError)]
    assert len(ids) == len(set(ids))                      # never two articles under one id
    for i in items:
        if isinstance(i, InputError):
            assert "\n" not in str(i)
    if not junk:
        assert len(items) <= len(lines) or not lines     # one item per record line at most
        assert len(items) == sum(1 for l in lines if l.strip()) or any(isinstance(i, InputError) and i.where == str(p)
                                                                       for i in items)


@given(text=texts, pub=published)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_extract_never_raises(extractor, text, pub):
    art = article_from_text(text, "h", published=pub)
    [res] = list(extractor.run([art]))
    assert res.failed is None, res.failed
    _offsets_hold(art, res.events)
    assert extractor.extract(article_from_text(text, "h2", published=pub)) is not None


@given(batch=st.lists(st.tuples(texts, published), min_size=1, max_size=6))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_run_stores_everything_it_processed(extractor, batch):
    from sitrep.events import EXTRACTOR
    from sitrep.incidents import merge
    from sitrep.store import Store
    arts = [article_from_text(t, f"a{i}", published=p) for i, (t, p) in enumerate(batch)]
    with tempfile.TemporaryDirectory() as d, Store(Path(d) / "e.db") as store:
        outcome = Counter()
        events = 0
        for res in extractor.run(arts):
            assert res.failed is None, res.failed
            if res.skipped:
                outcome["skipped"] += 1
                continue
            store.save(res.article, res.events, EXTRACTOR)
            outcome["stored"] += 1
            events += len(res.events)
        merge(store)
        counts = store.counts()
        assert counts["articles"] == outcome["stored"]
        assert counts["events"] == events
        assert outcome["stored"] + outcome["skipped"] == len(arts)


@given(recs=st.lists(records, min_size=1, max_size=5))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cli_run_on_random_records(extractor, recs):
    """Through the real command: no traceback, a summary always, exit 0 or 1 (some not processed)."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "recs.jsonl"
        p.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
        r = CliRunner().invoke(cli, ["run", str(p), "--db", str(Path(d) / "e.db"), "--no-progress"])
    assert r.exit_code in (0, 1), (r.exit_code, r.stderr, r.exception)
    assert "Traceback" not in r.stderr and "now holds" in r.stdout


@given(name=texts, context=texts, countries=st.lists(st.sampled_from(["SY", "IQ", "ML", "FR", "UA"]), max_size=3))
@settings(max_examples=150, deadline=None)
def test_geocode_never_raises(gazetteer, name, context, countries):
    from sitrep.geocode import context_from_text, resolve_name
    res = resolve_name(name, gazetteer, context_from_text(context, gazetteer, countries))
    if res.place is not None:
        assert res.place.lat is None or -90 <= res.place.lat <= 90


@given(names=st.lists(st.text(min_size=1, max_size=30).filter(lambda s: not s.startswith("-")), min_size=1,
                      max_size=3))
@settings(max_examples=25, deadline=None)
def test_geocode_and_dates_commands_never_trace(gazetteer, names):
    r = CliRunner().invoke(cli, ["geocode", *names])
    assert r.exit_code in (0, 2) and "Traceback" not in r.stderr, r.stderr
    r = CliRunner().invoke(cli, ["dates", "--published", "2017-03-03", "--", names[0]])
    assert r.exit_code == 0 and "Traceback" not in r.stderr
