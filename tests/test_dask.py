"""The Dask runner (issue 14): a real LocalCluster (worker processes) extracts the bundled examples
partition by partition; the shards, loaded and merged, give the events and incidents of the
one-process ``sitrep run``, by id and content; loading twice stores nothing twice; a bad input is
reported and the rest stored."""
import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from sitrep.cli import cli
from sitrep.daskrun import LOCAL_WORKER_CONFIG, local_cluster
from sitrep.shards import event_from_dict

from conftest import EXAMPLES

ARTICLE_COLUMNS = ("article_id, content_hash, source, url, title, published, outlet, language, clean_text,"
                   " furniture, extractor, raw_hash")


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(2, dashboard_address=":0") as c:           # as `sitrep run --dask` starts one
        yield c


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The examples, an unreadable file and a JSONL file with one good record and one malformed line."""
    folder = tmp_path_factory.mktemp("in")
    shutil.copytree(EXAMPLES, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("gold"))
    (folder / "00_binary.txt").write_bytes(b"\x00\x01\x02 not an article \x00" * 20)
    text = (EXAMPLES / "12_truck_bomb_mogadishu.txt").read_text(encoding="utf-8")
    (folder / "feed.jsonl").write_text(json.dumps({"id": "feed-1", "text": text, "outlet": "Wire"}) + "\n"
                                       + '{"id": "feed-2", "text": \n', encoding="utf-8")
    return folder


def test_local_cluster_workers_run_as_set(cluster):
    """The workers of ``local_cluster`` run without Dask's stack-sampling profiler and without the
    64 KB malloc trim threshold of Dask's nannies (LOCAL_WORKER_CONFIG), one BLAS thread each."""
    import os

    import dask
    from distributed import Client
    with Client(cluster) as client:
        seen = client.run(lambda: (dask.config.get("distributed.worker.profile.enabled"),
                                   os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")))
    assert len(seen) == 2
    assert set(seen.values()) == {(False, None, "1")}, seen
    assert LOCAL_WORKER_CONFIG["distributed.worker.profile.enabled"] is False


def _dump(db):
    con = sqlite3.connect(db)
    try:
        return ([r for r in con.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY article_id")],
                [r for r in con.execute("SELECT * FROM events ORDER BY event_id")],
                [r for r in con.execute("SELECT * FROM claims ORDER BY event_id, claimant, role")],
                [r[:-1] for r in con.execute("SELECT * FROM incidents ORDER BY incident_id")])   # less merged_at
    finally:
        con.close()


def _invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_dask_run_load_and_merge_equal_one_process(cluster, inputs, tmp_path):
    single = _invoke("run", inputs, "--db", tmp_path / "single.db", "--workers", "1")
    assert single.exit_code == 1, single.output            # the two bad inputs
    out = tmp_path / "out"
    # a quoted glob, cut into partitions of 3 so that both workers extract
    dask = _invoke("run", f"{inputs}/*", "--dask", cluster.scheduler_address, "--out", out,
                   "--partition-size", "3", "--no-progress")
    assert dask.exit_code == 1, dask.output
    assert "Dask dashboard: http" in dask.stderr
    assert "skipped" in dask.stderr and "00_binary.txt: binary file" in dask.stderr
    assert "feed.jsonl:2: malformed JSON" in dask.stderr
    assert dask.stdout.splitlines()[-1].startswith("articles read 14, extracted 14, skipped 0, failed 0, unreadable 2;")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["partitions"]) == 5 and manifest["articles"] == 14 and len(manifest["unreadable"]) == 2
    # the shards hold the events as `sitrep extract` prints them, and rebuild them exactly
    events = [json.loads(line) for p in sorted((out / "events").glob("*.jsonl"))
              for line in p.read_text(encoding="utf-8").splitlines()]
    # (the examples' gold holds 20 events; what the shipped weights find of them moves with each retrain)
    assert len(events) >= 15 and all(event_from_dict(e).to_dict() == e for e in events)

    db = tmp_path / "dask.db"
    first = _invoke("load", out, "--db", db)
    assert first.exit_code == 1 and "2 inputs of its run could not be read" in first.stderr, first.output
    assert "added 14, replaced 0, unchanged 0" in first.stdout
    assert _invoke("merge", db).exit_code == 0
    assert _dump(db) == _dump(tmp_path / "single.db")
    # the same listing of events (by id, content and incident) and incidents as the one-process run
    for cmd in (["events"], ["incidents"]):
        a, b = _invoke(*cmd, db, "--format", "jsonl"), _invoke(*cmd, tmp_path / "single.db", "--format", "jsonl")
        assert a.exit_code == b.exit_code == 0 and a.stdout == b.stdout and a.stdout.strip()
    # loading twice stores nothing twice
    again = _invoke("load", out, "--db", db)
    assert "added 0, replaced 0, unchanged 14" in again.stdout, again.output
    assert _dump(db) == _dump(tmp_path / "single.db")

    # a run started again finds its partitions written and extracts nothing; with --db it loads
    # and merges in one go, printing what the one-process run prints
    stamps = {p: p.stat().st_mtime_ns for p in (out / "articles").glob("*.jsonl")}
    both = _invoke("run", f"{inputs}/*", "--dask", cluster.scheduler_address, "--out", out,
                   "--partition-size", "3", "--db", tmp_path / "both.db", "--no-progress")
    assert both.exit_code == 1, both.output
    assert {p: p.stat().st_mtime_ns for p in (out / "articles").glob("*.jsonl")} == stamps
    assert both.stdout.replace("both.db", "single.db") == single.stdout
    assert _dump(tmp_path / "both.db") == _dump(tmp_path / "single.db")


def test_dask_options_and_folders(tmp_path):
    r = _invoke("run", EXAMPLES, "--dask")
    assert r.exit_code == 2 and "--dask needs --out" in r.output
    r = _invoke("run", EXAMPLES, "--out", tmp_path / "o")
    assert r.exit_code == 2 and "--out goes with --dask" in r.output
    r = _invoke("run", "--dask", EXAMPLES, "--out", tmp_path / "o")
    assert r.exit_code == 2 and "not a scheduler address" in r.output
    r = _invoke("run", EXAMPLES)
    assert r.exit_code == 2 and "--db" in r.output
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    r = _invoke("run", EXAMPLES, "--dask", "--out", other, "--db", tmp_path / "never.db")
    assert r.exit_code == 4 and "not a sitrep results folder" in r.output
    assert not (tmp_path / "never.db").exists()
    r = _invoke("load", tmp_path / "none", "--db", tmp_path / "x.db")
    assert r.exit_code == 1 and "no manifest.json" in r.output


def test_workers_read_the_inputs_the_client_lists(cluster, inputs, tmp_path):
    """The client lists paths; the workers read them and send back ids, sources, hashes and the
    unreadable inputs, never the texts: what the client would have read, in its order, and the
    same partitions (names) as when the client read the articles itself."""
    from distributed import Client

    from sitrep.daskrun import Listed, extract_partition, scan_inputs
    from sitrep.events import extractor_name
    from sitrep.ingest import InputError, list_files, read_inputs
    from sitrep.nlp import MODELS
    from sitrep.shards import partition_name, read_partition
    from sitrep.store import raw_hash

    read = list(read_inputs([str(inputs)]))
    with Client(cluster) as client:
        listed = list(scan_inputs(client, list_files([str(inputs)])))
        assert [str(x) for x in listed if isinstance(x, InputError)] == [str(x) for x in read if isinstance(x, InputError)]
        arts = [a for a in read if not isinstance(a, InputError)]
        items = [x for x in listed if isinstance(x, Listed)]
        assert len(items) == len(arts) == 14 and not any(hasattr(x, "text") for x in items)
        assert [(x.article_id, x.source, x.input_hash) for x in items] == [(a.article_id, a.source, raw_hash(a))
                                                                           for a in arts]
        extractors = tuple(extractor_name(lang) for lang in MODELS)
        for a in arts:
            a.input_hash = raw_hash(a)
        assert ([partition_name(i, items[i * 3:i * 3 + 3], extractors) for i in range(5)]
                == [partition_name(i, arts[i * 3:i * 3 + 3], extractors) for i in range(5)])

        # an input that changed between its listing and its extraction fails, named; nothing else is read
        changed = tmp_path / "in" / "x.txt"
        changed.parent.mkdir()
        changed.write_text((inputs / "01_frappe_raqqa.txt").read_text(encoding="utf-8"), encoding="utf-8")
        item = next(x for x in scan_inputs(client, list_files([str(changed)])))
        changed.write_text("Rien ne s'est passé.", encoding="utf-8")
        out = tmp_path / "out"
        assert client.submit(extract_partition, str(out), "part-00000-x", [item], tuple(MODELS)).result() == "part-00000-x"
        [(res, _)] = list(read_partition(out, "part-00000-x"))
        assert res.article.article_id == "x" and res.failed and "changed after it was listed" in res.failed


def _copies(folder, n):
    """The examples ``n`` times (``c0/…``, ``c1/…``: other ids, the same texts) and a JSONL file
    holding a duplicate of one (same id, same text: skipped) and an id taken with another text
    (stored as ID~HASH8)."""
    for k in range(n):
        shutil.copytree(EXAMPLES, folder / f"c{k}", ignore=shutil.ignore_patterns("gold"))
    text = (EXAMPLES / "12_truck_bomb_mogadishu.txt").read_text(encoding="utf-8")
    other = (EXAMPLES / "02_reprise_palmyre.txt").read_text(encoding="utf-8")
    (folder / "z.jsonl").write_text("".join(json.dumps(r) + "\n" for r in (
        {"id": "wire-1", "text": text}, {"id": "wire-1", "text": text}, {"id": "wire-1", "text": other})),
        encoding="utf-8")


def test_one_worker_n_workers_and_dask_give_the_same_events_and_incidents(cluster, tmp_path):
    folder = tmp_path / "in"
    _copies(folder, 4)          # 54 articles: enough for --workers 2 to start its pool
    one = _invoke("run", folder, "--db", tmp_path / "one.db", "--workers", "1")
    assert one.exit_code == 0, one.output
    assert "duplicate of" in one.stderr and "stored as 'wire-1~" in one.stderr
    two = _invoke("run", folder, "--db", tmp_path / "two.db", "--workers", "2")
    out = tmp_path / "out"
    dask = _invoke("run", folder, "--dask", cluster.scheduler_address, "--out", out, "--db", tmp_path / "dask.db",
                   "--partition-size", "16", "--no-progress")
    assert two.exit_code == dask.exit_code == 0, (two.output, dask.output)
    assert one.stderr == dask.stderr.split("\n", 1)[1]        # less the dashboard's link: the same warnings
    assert "articles read 54, added 54" in one.stdout
    for db in ("two.db", "dask.db"):
        assert _dump(tmp_path / db) == _dump(tmp_path / "one.db"), db
        for cmd in (["events"], ["incidents"]):
            a, b = _invoke(*cmd, tmp_path / db, "--format", "jsonl"), _invoke(*cmd, tmp_path / "one.db", "--format", "jsonl")
            assert a.stdout == b.stdout and a.stdout.strip()
    assert len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["partitions"]) == 4

    # started again with the database: an edited input only goes to the cluster (hashed there)
    edited = folder / "c1" / "03_siege_deir_ezzor.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    again = _invoke("run", folder, "--dask", cluster.scheduler_address, "--out", out, "--db", tmp_path / "dask.db",
                    "--partition-size", "16", "--no-progress")
    assert again.exit_code == 0 and "added 0, replaced 1, unchanged 53" in again.stdout, again.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["articles"] == 1 and len(list((out / "articles").glob("*.jsonl"))) == 1


def test_extract_dask_prints_what_extract_prints(cluster, tmp_path):
    local = _invoke("extract", EXAMPLES, "--workers", "1")
    out = tmp_path / "out"
    dask = _invoke("extract", EXAMPLES, "--dask", cluster.scheduler_address, "--out", out, "--partition-size", "4",
                   "--no-progress")
    assert local.exit_code == dask.exit_code == 0, dask.output
    assert dask.stdout == local.stdout and len(local.stdout.splitlines()) >= 15
    shards = [line for p in sorted((out / "events").glob("*.jsonl")) for line in p.read_text(encoding="utf-8").splitlines()]
    assert shards == local.stdout.splitlines()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["articles"] == 13 and len(manifest["partitions"]) == 4
    assert _invoke("load", out, "--db", tmp_path / "x.db").exit_code == 0
    csv = _invoke("extract", EXAMPLES, "--dask", cluster.scheduler_address, "--out", out, "--format", "csv",
                  "--partition-size", "4")
    assert csv.stdout == _invoke("extract", EXAMPLES, "--format", "csv").stdout
    r = _invoke("extract", EXAMPLES, "--dask")
    assert r.exit_code == 2 and "--dask needs --out" in r.output
