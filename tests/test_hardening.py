"""Issue 11: nothing a user feeds sitrep loses data or runs code. Hostile and broken inputs,
faults and exports, through the real CLI (CliRunner in-process, or a subprocess where a signal or
a real exit status is the point), real SQLite files and the real models."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import (EXIT_DATABASE, EXIT_GAZETTEER, EXIT_INPUT_ERRORS, EXIT_INTERRUPTED, EXIT_OUTPUT,
                        EXIT_USAGE, cli)
from sitrep.dates import find_dates
from sitrep.ingest import InputError, read_inputs
from sitrep.pipeline import WINDOW_CHARS, windows

from conftest import EXAMPLES

SITREP = [sys.executable, "-m", "sitrep"]
PALMYRE = (EXAMPLES / "02_reprise_palmyre.txt").read_text(encoding="utf-8")
FORMULA = "=cmd|' /C calc'!A0"


def invoke(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def one_line_error(r) -> str:
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert "Traceback" not in r.stderr and len(lines) == 1, r.stderr
    return lines[0]


def record(aid: str, text: str, **meta) -> str:
    return json.dumps({"id": aid, "text": text, **meta}, ensure_ascii=False)


def body(text: str) -> str:
    """An example's text without its ` date` line."""
    return text.split("\n", 1)[1] if text.lstrip().startswith("date ") else text


@pytest.fixture(scope="module")
def db(tmp_path_factory, extractor):
    """The examples in a database (built once; tests that change it copy it)."""
    path = tmp_path_factory.mktemp("db") / "events.db"
    r = invoke("run", EXAMPLES, "--db", path, "--no-progress")
    assert r.exit_code == 0, r.output
    return path


def copy_db(db: Path, tmp_path: Path, name: str = "copy.db") -> Path:
    con = sqlite3.connect(db)
    target = tmp_path / name
    dst = sqlite3.connect(target)
    con.backup(dst)
    con.close()
    dst.close()
    return target


# -- 1. one input never stops a batch ---------------------------------------------------------------
@pytest.mark.parametrize("text", ["il y a 3000 ans", "il y a 1000000000 jours", "il y a 99999999999 semaines",
                                  "il y a 50000 mois", "il y a 1000000000 mois"])
def test_impossible_dates_are_left_out_not_raised(text):
    found = find_dates(f"hier, puis {text}.", "2015-03-06")
    assert [d.text for d in found] == ["hier"]
    r = invoke("dates", "--published", "2015-03-06", text)
    assert r.exit_code == 0 and r.stdout == ""


def test_published_dates_outside_reason_are_refused_by_the_dates_command():
    for value in ("0001-01-01", "20180201", "garbage", "2017-13-45"):
        r = invoke("dates", "--published", value, "hier")
        assert r.exit_code == EXIT_USAGE and "--published" in r.stderr and "Traceback" not in r.stderr


def test_batch_goes_on_past_impossible_dates(tmp_path, extractor):
    recs = [record("a", "Il y a 3000 ans déjà, la ville était assiégée. " + body(PALMYRE), published="2015-03-06"),
            record("b", "Il y a 1000000000 jours, rien. " + body(PALMYRE), published="2015-03-06"),
            record("c", body(PALMYRE), published="0001-01-01"),
            record("d", body(PALMYRE), published="2017-03-03")]
    (tmp_path / "recs.jsonl").write_text("\n".join(recs) + "\n", encoding="utf-8")
    out = tmp_path / "e.db"
    r = invoke("run", tmp_path / "recs.jsonl", "--db", out, "--no-progress")
    assert "Traceback" not in r.stderr
    with sqlite3.connect(out) as con:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 4
        assert con.execute("SELECT published FROM articles WHERE article_id = 'c'").fetchone()[0] is None
    assert "recs.jsonl:3: published '0001-01-01' is not a date" in r.stderr


def test_an_article_that_fails_is_named_and_the_rest_are_stored(tmp_path, extractor):
    """A failure inside extraction (here: text spaCy refuses, over its max_length in one window)
    is reported as one line and counted; the other articles of the batch are stored."""
    from sitrep.model import Article
    arts = [Article("ok1", body(PALMYRE), published="2017-03-03"),
            Article("bad", body(PALMYRE) * 2, published="2017-03-03"),
            Article("ok2", body(PALMYRE).replace("Palmyre", "Tadmor"), published="2017-03-03")]
    nlp = extractor.nlp
    old = nlp.max_length
    nlp.max_length = len(body(PALMYRE)) + 10          # the doubled article is too long for spaCy
    try:
        results = list(extractor.run(arts))
    finally:
        nlp.max_length = old
    assert [r.article.article_id for r in results] == ["ok1", "bad", "ok2"]
    assert results[1].failed and "parsing failed" in results[1].failed and "E088" in results[1].failed
    assert results[0].failed is None and results[2].failed is None
    assert results[0].events and results[2].events


# -- 2. long articles ---------------------------------------------------------------------------
def long_text(size: int) -> str:
    paras = []
    for p in sorted(EXAMPLES.glob("*.txt")):
        paras += [q.strip() for q in body(p.read_text(encoding="utf-8")).split("\n\n") if q.strip()]
    out, i = [], 0
    while sum(len(x) + 2 for x in out) < size:
        out.append(paras[i % len(paras)])
        i += 1
    return "\n\n".join(out)


def test_windows_cover_the_text_in_bounded_pieces():
    text = long_text(70_000)
    spans = windows(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(0 < e - s <= WINDOW_CHARS for s, e in spans)
    assert all(text[s - 2:s] == "\n\n" for s, _ in spans[1:])     # cut at paragraph ends
    assert windows("x" * 50_000, 20_000) == [(0, 20_000), (20_000, 40_000), (40_000, 50_000)]


def test_long_article_offsets_point_into_the_whole_text(extractor):
    from sitrep.model import Article
    art = Article("long", long_text(3 * WINDOW_CHARS), published="2017-03-03")
    [res] = list(extractor.run([art]))
    assert res.failed is None
    assert len(art.clean) > 2 * WINDOW_CHARS
    assert max(e.evidence.start for e in res.events) > 2 * WINDOW_CHARS   # events from the last window
    for e in res.events:
        assert art.clean[e.evidence.start:e.evidence.end] == e.evidence.text
        if e.location is not None and e.location.start >= 0:
            assert art.clean[e.location.start:e.location.end] == e.location.text
    ids = [e.event_id for e in res.events]
    assert len(ids) == len(set(ids))


def test_text_over_spacy_max_length_is_read_not_refused(extractor):
    """spaCy refuses a text over nlp.max_length (E088, 1,000,000 by default); a long article is
    parsed in windows, so it never gets there. (max_length lowered to keep the test fast.)"""
    from sitrep.model import Article
    nlp = extractor.nlp
    old = nlp.max_length
    nlp.max_length = WINDOW_CHARS + 1000
    try:
        [res] = list(extractor.run([Article("huge", long_text(3 * nlp.max_length), published="2017-03-03")]))
    finally:
        nlp.max_length = old
    assert res.failed is None and res.events


# -- 3. article identity ------------------------------------------------------------------------------
def test_same_file_name_in_three_folders_is_three_articles(tmp_path, extractor):
    site = tmp_path / "site"
    for i, town in enumerate(["Palmyre", "Raqqa", "Alep"]):
        (site / "abc"[i]).mkdir(parents=True)
        (site / "abc"[i] / "index.txt").write_text(PALMYRE.replace("Palmyre", town), encoding="utf-8")
    out = tmp_path / "e.db"
    r = invoke("run", site, "--db", out, "--no-progress")
    assert r.exit_code == 0, r.stderr
    with sqlite3.connect(out) as con:
        ids = sorted(x for (x,) in con.execute("SELECT article_id FROM articles"))
    assert ids == ["a/index", "b/index", "c/index"]
    r2 = invoke("run", site, "--db", out, "--no-progress")
    assert "unchanged 3" in r2.stdout and "replaced 0" in r2.stdout


def test_duplicate_ids_are_reported_never_overwritten(tmp_path, extractor):
    (tmp_path / "recs.jsonl").write_text("\n".join([
        record("x", body(PALMYRE), published="2017-03-03"),
        record("x", body(PALMYRE).replace("Palmyre", "Raqqa"), published="2017-03-03"),
        record("x", body(PALMYRE), published="2017-03-03")]) + "\n", encoding="utf-8")
    items = list(read_inputs([tmp_path / "recs.jsonl"]))
    assert items[0].article_id == "x" and items[1].article_id.startswith("x~")
    assert any("already used by" in w for w in items[1].warnings)
    assert isinstance(items[2], InputError) and items[2].notice and "duplicate of" in items[2].reason
    out = tmp_path / "e.db"
    r = invoke("run", tmp_path, "--db", out, "--no-progress")
    assert "already used by" in r.stderr and "duplicate of" in r.stderr
    with sqlite3.connect(out) as con:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2


# -- 4. exports ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, extractor):
    """Articles whose outlet, text and notes would run as spreadsheet formulas or markup."""
    d = tmp_path_factory.mktemp("hostile")
    text = body(PALMYRE).replace("La cité antique", "=HYPERLINK(\"http://x\")  La cité antique")
    (d / "recs.jsonl").write_text("\n".join([
        record("f1", text, published="2017-03-03", outlet=FORMULA),
        record("f2", body(PALMYRE), published="2017-03-03", outlet="@SUM(1+1)<img src=x onerror=alert(1)>"),
    ]) + "\n", encoding="utf-8")
    out = d / "e.db"
    r = invoke("run", d / "recs.jsonl", "--db", out, "--no-progress")
    assert r.exit_code == 0, r.stderr
    return out


def _cells(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


@pytest.mark.parametrize("fmt", ["acled-csv", "csv"])
def test_csv_exports_neutralise_formulas(hostile_db, tmp_path, fmt):
    out = tmp_path / f"e.{fmt}"
    r = invoke("export", hostile_db, "--format", fmt, "-o", out)
    assert r.exit_code == 0, r.stderr
    rows = _cells(out.read_text(encoding="utf-8"))
    assert rows
    cells = [c for row in rows for c in row.values() if c]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and not _number(c)]
    assert any(c.startswith("'" + FORMULA) for c in cells)
    raw = _cells(invoke("export", hostile_db, "--format", fmt, "--no-escape-formulas").stdout)
    assert any(c.startswith(FORMULA) for row in raw for c in row.values() if c)


def test_acled_notes_have_no_line_breaks(hostile_db):
    rows = _cells(invoke("export", hostile_db, "--format", "acled-csv").stdout)
    assert rows and all("\n" not in r["notes"] and "\r" not in r["notes"] for r in rows)
    jsonl = [json.loads(l) for l in invoke("export", hostile_db, "--format", "jsonl").stdout.splitlines()]
    assert any("\n" in e["evidence"]["text"] for e in jsonl)        # the data files keep the text as it is


def test_incident_and_event_csv_neutralise_formulas(hostile_db):
    for args in (["incidents", hostile_db, "--format", "csv"], ["events", hostile_db, "--format", "csv"]):
        r = invoke(*args)
        assert r.exit_code == 0, r.stderr
        cells = [c for row in _cells(r.stdout) for c in row.values() if c]
        assert cells and not [c for c in cells if c.startswith(("=", "+", "-", "@")) and not _number(c)]


def test_json_keeps_markup_as_data(hostile_db):
    feats = json.loads(invoke("export", hostile_db, "--format", "geojson").stdout)["features"]
    outlets = {c["outlet"] for f in feats for c in f["properties"]["claims"]}
    assert "@SUM(1+1)<img src=x onerror=alert(1)>" in outlets


# -- 5. faults ----------------------------------------------------------------------------------------
def _damage(path: Path, every: int = 3) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        for off in range(4096 * 2, size, 4096 * every):
            fh.seek(off)
            fh.write(bytes(range(256)) * 16)


def test_damaged_database_is_one_line(db, tmp_path, extractor):
    bad = copy_db(db, tmp_path)
    _damage(bad)
    for args in (["events", bad], ["export", bad, "--format", "jsonl"], ["incidents", bad],
                 ["run", EXAMPLES / "01_frappe_raqqa.txt", "--db", bad, "--no-progress"]):
        r = invoke(*args)
        assert r.exit_code == EXIT_DATABASE, (args, r.stderr)
        assert one_line_error(r).startswith(f"sitrep: {bad}: damaged database")


def test_foreign_files_are_refused_and_left_alone(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    text = tmp_path / "notes.db"
    text.write_text("my notes\n", encoding="utf-8")
    for path, why in ((other, "another application"), (text, "not a SQLite database")):
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        for args in (["run", EXAMPLES / "01_frappe_raqqa.txt", "--db", path, "--no-progress"], ["events", path],
                     ["merge", path]):
            r = invoke(*args)
            assert r.exit_code == EXIT_DATABASE and why in one_line_error(r), r.stderr
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    r = invoke("events", empty)
    assert r.exit_code == EXIT_DATABASE and "empty file" in one_line_error(r)
    assert empty.stat().st_size == 0


def _freeze(*paths: Path, on: bool) -> None:
    """Make files and folders unwritable, even for root (chattr +i), as on read-only media."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)], check=True)
    else:
        for p in paths:
            os.chmod(p, (0o555 if p.is_dir() else 0o444) if on else (0o755 if p.is_dir() else 0o644))


def test_database_on_read_only_media_can_be_read(db, tmp_path):
    """events, incidents and export open the database read-only: a database in a folder nothing
    can be written to (no -wal/-shm can be made) is read, and not a byte of it changes."""
    ro = tmp_path / "ro"
    ro.mkdir()
    path = copy_db(db, ro, "events.db")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    assert sorted(p.name for p in ro.iterdir()) == ["events.db"]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    _freeze(path, ro, on=True)
    try:
        with pytest.raises(OSError):
            (ro / "probe").write_text("x")          # the folder really is read-only
        for args in (["events", path, "--format", "jsonl"], ["incidents", path], ["export", path, "--format", "csv"]):
            r = invoke(*args)
            assert r.exit_code == 0, r.stderr
            assert r.stdout
        r = invoke("merge", path, "--full")           # a writing command: one line
        assert r.exit_code == EXIT_DATABASE and "read-only" in one_line_error(r)
    finally:
        _freeze(path, ro, on=False)
    assert sorted(p.name for p in ro.iterdir()) == ["events.db"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_read_only_immutable_open_reads(db, tmp_path):
    from sitrep.store import Store
    path = copy_db(db, tmp_path)
    with Store(path, readonly=True) as st:
        n = st.counts()["events"]
        with pytest.raises(sqlite3.OperationalError):
            st.con.execute("DELETE FROM events")
    assert n > 0


def test_export_into_missing_folder_or_full_disk(db, tmp_path):
    r = invoke("export", db, "--format", "csv", "-o", tmp_path / "missing" / "e.csv")
    assert r.exit_code == EXIT_OUTPUT and "no such folder" in one_line_error(r)
    if Path("/dev/full").exists():
        r = invoke("export", db, "--format", "csv", "-o", "/dev/full")
        assert r.exit_code == EXIT_OUTPUT and "disk full" in one_line_error(r)
    target = tmp_path / "e.csv"
    target.write_text("old\n")
    r = invoke("export", db, "--format", "csv", "-o", target)
    assert r.exit_code == 0 and target.read_text().startswith("event_id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.csv"]        # no temp file left


def test_stdout_on_a_full_disk_is_one_line(db):
    if not Path("/dev/full").exists():
        pytest.fail("needs /dev/full (Linux)")
    with open("/dev/full", "w") as full:
        p = subprocess.run([*SITREP, "events", str(db), "--format", "jsonl"], stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=120)
    assert p.returncode == EXIT_OUTPUT and p.stderr.strip() == "sitrep: stdout: disk full (No space left on device)"


def _gazetteer_copy(tmp_path: Path) -> Path:
    from sitrep.gazetteer import default_path
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy(default_path(), cache / default_path().name)
    return cache / default_path().name


def test_truncated_gazetteer_cache_says_rebuild(tmp_path, gazetteer):
    gz = _gazetteer_copy(tmp_path)
    with open(gz, "r+b") as fh:
        fh.truncate(gz.stat().st_size // 2)
    stale = gz.with_suffix(".tmp999999999")
    stale.write_bytes(b"half a build")
    env = {**os.environ, "SITREP_CACHE_DIR": str(gz.parent)}
    p = subprocess.run([*SITREP, "geocode", "Homs"], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == EXIT_GAZETTEER, p.stderr
    assert "Traceback" not in p.stderr and p.stderr.count("\n") == 1
    assert "truncated gazetteer cache" in p.stderr and "sitrep gazetteer build" in p.stderr
    assert not stale.exists()          # a killed build's temp file is cleared


def test_damaged_gazetteer_pages_say_rebuild(tmp_path, gazetteer):
    gz = _gazetteer_copy(tmp_path)
    _damage(gz, every=50)
    env = {**os.environ, "SITREP_CACHE_DIR": str(gz.parent)}
    p = subprocess.run([*SITREP, "geocode", "Homs", "Raqqa", "Palmyre", "Alep"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert p.returncode == EXIT_GAZETTEER and "Traceback" not in p.stderr, p.stderr
    assert "sitrep gazetteer build" in p.stderr


# -- 6. silently wrong, now said ---------------------------------------------------------------------
def test_numeric_or_garbage_published_is_ignored_with_a_warning(tmp_path):
    text = " date 2017-03-03\n" + body(PALMYRE)
    (tmp_path / "r.jsonl").write_text("\n".join([record("n", text, published=20180201),
                                                 record("g", text, published="garbage"),
                                                 record("ok", text, published="2017-03-02T10:00:00Z")]) + "\n",
                                      encoding="utf-8")
    arts = {a.article_id: a for a in read_inputs([tmp_path / "r.jsonl"])}
    assert arts["n"].published == "2017-03-03" and "published '20180201' is not a date" in arts["n"].warnings[0]
    assert arts["g"].published == "2017-03-03" and "r.jsonl:2: published 'garbage'" in arts["g"].warnings[0]
    assert arts["ok"].published == "2017-03-02" and not arts["ok"].warnings


def test_one_stray_byte_keeps_the_file_utf8(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(body(PALMYRE).encode("utf-8") + b" \xff fin.")
    [art] = read_inputs([p])
    assert "armée syrienne" in art.text or "é" in art.text
    assert "Ã" not in art.text and "\ufffd" in art.text
    assert "1 byte not valid UTF-8" in art.warnings[0]


@pytest.mark.parametrize("args,option", [
    (["--since", "garbage"], "--since"), (["--since", "2017-13-45"], "--since"), (["--until", "2017-02-30"], "--until"),
    (["--type", "Nonsense"], "--type"), (["--country", "ZZZ"], "--country"), (["--country", "QQ"], "--country")])
def test_bad_options_are_refused(db, args, option):
    r = invoke("events", db, *args)
    assert r.exit_code == EXIT_USAGE and f"Invalid value for '{option}'" in r.stderr


def test_options_are_read_as_meant(db):
    battles = invoke("events", db, "--type", "battles", "--format", "jsonl").stdout.splitlines()
    assert battles and all(json.loads(l)["event_type"] == "Battles" for l in battles)
    march = [json.loads(l) for l in invoke("events", db, "--since", "2017-03", "--until", "2017-03",
                                           "--format", "jsonl").stdout.splitlines()]
    assert march and all(e["date"][:7] == "2017-03" or (e["date_end"] or "")[:7] >= "2017-03" for e in march)
    r = invoke("geocode", "Homs", "--country", "ZZZ")
    assert r.exit_code == EXIT_USAGE and "--country" in r.stderr
    assert invoke("geocode", "Homs", "--country", "sy").exit_code == 0


def test_folder_without_articles_and_unsupported_languages_set_the_exit_status(tmp_path, extractor):
    other = tmp_path / "notes"
    other.mkdir()
    (other / "a.json").write_text("{}")
    (other / "b.md").write_text("# notes")
    r = invoke("run", other, "--db", tmp_path / "e.db", "--no-progress")
    assert r.exit_code == EXIT_INPUT_ERRORS
    assert "no .txt, .jsonl or .html files in this folder (found 1 .json, 1 .md)" in r.stderr
    (tmp_path / "en.txt").write_text("The Syrian army retook the ancient city of Palmyra on Thursday from Islamic "
                                     "State fighters, state television reported, citing the army command.")
    r = invoke("run", tmp_path / "en.txt", "--db", tmp_path / "e.db", "--no-progress")
    assert r.exit_code == 0 and "skipped 0" in r.stdout      # English is read now
    (tmp_path / "es.txt").write_text("El ejército sirio recuperó el jueves la antigua ciudad de Palmira de manos de "
                                     "los combatientes del Estado Islámico, informó la televisión estatal.")
    r = invoke("run", tmp_path / "en.txt", tmp_path / "es.txt", "--db", tmp_path / "e.db", "--no-progress")
    assert r.exit_code == EXIT_INPUT_ERRORS and "es.txt: not processed: language 'es' not supported" in r.stderr
    assert "skipped 1" in r.stdout


# -- 7. interrupts --------------------------------------------------------------------------------------
def test_ctrl_c_is_exit_130_and_leaves_a_sound_database(tmp_path, db):
    path = copy_db(db, tmp_path)
    # articles the database does not hold yet (the examples themselves are skipped by their hash in
    # well under a second): the run has several seconds of work when Ctrl-C comes
    new = tmp_path / "new"
    new.mkdir()
    texts = sorted(p for p in EXAMPLES.glob("*.txt"))
    for k in range(4):
        for f in texts:
            (new / f"{k}_{f.name}").write_text(f.read_text(encoding="utf-8") + f"\n\n(copie {k})\n", encoding="utf-8")
    # (a test runner started in the background inherits SIGINT ignored, and so would sitrep: Ctrl-C as
    # a terminal sends it needs the default disposition)
    p = subprocess.Popen([*SITREP, "run", str(new), "--db", str(path), "--no-progress"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.5)
    assert p.poll() is None, "the run ended before it could be interrupted"
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == EXIT_INTERRUPTED and err.strip().splitlines()[-1] == "sitrep: interrupted", err
    assert "Aborted" not in err and "Traceback" not in err
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


KILL_IN_MERGE = """
import os, signal, sys
import sitrep.incidents as inc
from sitrep.store import Store
def killed(*args, **kwargs):          # the process dies while the new incidents are being written
    os.kill(os.getpid(), signal.SIGKILL)
inc.summarise = killed
with Store(sys.argv[1]) as st:
    inc.merge(st, full=True)
"""


def test_kill_9_during_full_merge_keeps_the_old_incidents(db, tmp_path):
    path = copy_db(db, tmp_path)
    with sqlite3.connect(path) as con:
        before = sorted(con.execute("SELECT incident_id, data FROM incidents"))
        links = sorted(con.execute("SELECT event_id, incident_id FROM events"))
    assert before
    p = subprocess.run([sys.executable, "-c", KILL_IN_MERGE, str(path)], capture_output=True, timeout=300)
    assert p.returncode == -signal.SIGKILL, p.stderr
    with sqlite3.connect(path) as con:
        assert sorted(con.execute("SELECT incident_id, data FROM incidents")) == before
        assert sorted(con.execute("SELECT event_id, incident_id FROM events")) == links
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    r = invoke("merge", path, "--full")
    assert r.exit_code == 0
    with sqlite3.connect(path) as con:
        assert sorted(con.execute("SELECT incident_id FROM incidents")) == sorted((i,) for i, _ in before)


def test_deeply_nested_json_is_one_bad_record(tmp_path):
    (tmp_path / "r.jsonl").write_text("[" * 100_000 + "\n" + record("ok", "Un texte.") + "\n", encoding="utf-8")
    items = list(read_inputs([tmp_path / "r.jsonl"]))
    assert isinstance(items[0], InputError) and "nested too deeply" in items[0].reason
    assert items[1].article_id == "ok"


def test_stdin_with_a_stray_byte_is_read():
    r = CliRunner().invoke(cli, ["dates", "--published", "2017-03-03", "-"], input=b"hier \xff et avant-hier")
    assert r.exit_code == 0 and [json.loads(l)["text"] for l in r.stdout.splitlines()] == ["hier", "avant-hier"]


def test_database_in_a_missing_folder_is_one_line(tmp_path):
    r = invoke("run", EXAMPLES / "01_frappe_raqqa.txt", "--db", tmp_path / "nope" / "e.db", "--no-progress")
    assert r.exit_code == EXIT_DATABASE and "no such folder" in one_line_error(r)


def test_a_toll_of_more_than_anyone_is_no_number(tmp_path, extractor):
    """« 100000000000000000000000 civils » is not a count (and would not fit SQLite's integer):
    the article is stored, the figure not read."""
    (tmp_path / "r.jsonl").write_text("\n".join([
        record("big", "Au moins 100000000000000000000000 civils ont été tués jeudi dans une frappe aérienne russe"
                      " sur Raqqa, selon l'OSDH.", published="2017-03-03"),
        record("ok", body(PALMYRE), published="2017-03-03")]) + "\n", encoding="utf-8")
    out = tmp_path / "e.db"
    r = invoke("run", tmp_path / "r.jsonl", "--db", out, "--no-progress")
    assert r.exit_code == 0, r.stderr
    with sqlite3.connect(out) as con:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2
        assert (con.execute("SELECT MAX(fatalities) FROM events").fetchone()[0] or 0) < 10**10


def test_empty_file_as_db_is_said_and_another_file_under_a_stored_id_is_said(tmp_path, extractor):
    empty = tmp_path / "e.db"
    empty.write_bytes(b"")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "p.txt").write_text(PALMYRE, encoding="utf-8")
    (tmp_path / "two" / "p.txt").write_text(PALMYRE.replace("Palmyre", "Raqqa"), encoding="utf-8")
    r = invoke("run", tmp_path / "one" / "p.txt", "--db", empty, "--no-progress")
    assert r.exit_code == 0 and "empty file, made into a new sitrep database" in r.stderr
    r = invoke("run", tmp_path / "two" / "p.txt", "--db", empty, "--no-progress")
    assert r.exit_code == 0 and "replaced 1" in r.stdout
    assert f"replaces article 'p' stored from {tmp_path / 'one' / 'p.txt'}" in r.stderr


_INTERRUPTED_WHILE = {
    # Ctrl-C while Python imports the command line itself (here: when it comes to click)
    "loading": '''
import builtins
real = builtins.__import__
def interrupted(name, *args, **kw):
    if name == "click":
        raise KeyboardInterrupt
    return real(name, *args, **kw)
builtins.__import__ = interrupted
''',
    # Ctrl-C while the command's own modules load, before it runs (it had been click's "Aborted!", status 1)
    "starting": '''
import types
class Interrupted(types.ModuleType):
    def __getattr__(self, name):
        raise KeyboardInterrupt
sys.modules["sitrep.store"] = Interrupted("sitrep.store")
''',
}


@pytest.mark.parametrize("moment", sorted(_INTERRUPTED_WHILE))
def test_ctrl_c_before_the_command_runs_is_the_same_one_line(moment, tmp_path):
    script = tmp_path / "run.py"
    script.write_text("import sys\n" + _INTERRUPTED_WHILE[moment]
                      + f"\nsys.argv = ['sitrep', 'events', {str(tmp_path / 'e.db')!r}]\n"
                        "from sitrep import console\nconsole()\n", encoding="utf-8")
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert (p.returncode, p.stderr.strip()) == (EXIT_INTERRUPTED, "sitrep: interrupted"), p.stderr
