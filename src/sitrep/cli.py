"""Command line: thin wrappers over the library. Data goes to stdout; logs, warnings and
progress bars to stderr; user errors are one line and a non-zero exit, never a traceback."""
from __future__ import annotations

import json
import sqlite3
import sys
import warnings
from collections import Counter
from pathlib import Path

import click

from . import __version__

EXIT_INPUT_ERRORS = 1     # some inputs could not be read; the others were processed
EXIT_USAGE = 2


class SitrepError(click.ClickException):
    """A user error: printed as one line on stderr."""

    def show(self, file=None) -> None:  # noqa: D401 - click API
        click.echo(f"sitrep: error: {self.format_message()}", err=True)


def _warn(msg: str) -> None:
    click.echo(f"sitrep: {msg}", err=True)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    _warn(f"warning: {message}")     # library warnings on the command line: one line, no source



def _progress(enabled: bool | None, total: int | None, desc: str):
    from tqdm import tqdm
    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, desc=desc, unit="art", file=sys.stderr, disable=not enabled, leave=False)


def _read(paths: tuple[str, ...]):
    """Articles from ``paths``; input errors are reported on stderr and counted."""
    from .ingest import InputError, read_inputs

    state = {"errors": 0, "read": 0}

    def gen():
        for item in read_inputs(paths):
            if isinstance(item, InputError):
                state["errors"] += 1
                _warn(f"skipped {item}")
                continue
            for w in item.warnings:
                _warn(f"warning: {w}")
            state["read"] += 1
            yield item
    return gen(), state


def _extractor():
    from .nlp import UnsupportedLanguage
    from .pipeline import Extractor
    try:
        return Extractor("fr")
    except UnsupportedLanguage as exc:
        raise SitrepError(str(exc)) from exc


def _results(paths, progress):
    articles, state = _read(paths)
    ex = _extractor()
    bar = _progress(progress, None, "articles")
    for res in ex.run(articles):
        bar.update(1)
        if res.skipped:
            _warn(f"{res.article.source or res.article.article_id}: not processed: {res.skipped}")
        yield res
    bar.close()
    _results.state = state  # type: ignore[attr-defined]


format_option = click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]),
                             default="jsonl", show_default=True, help="Output format.")
progress_option = click.option("--progress/--no-progress", default=None,
                               help="Progress bar on stderr (default: when stderr is a terminal).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
def cli() -> None:
    """sitrep: sourced, geocoded conflict events from news articles.

    Example: sitrep run examples/ --db events.db
    """


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path())
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite file to write.")
@progress_option
def run(articles: tuple[str, ...], db_path: str, progress: bool | None) -> None:
    """Extract events from ARTICLES (files or folders) into a SQLite database and print a
    summary: events per article and per type.

    Example: sitrep run examples/ ../shared/devset/articles/real.jsonl --db events.db
    """
    from .events import extractor_name
    from .incidents import merge as merge_incidents
    from .store import Store, StoreError

    try:
        store = Store(db_path)
    except StoreError as exc:
        raise SitrepError(str(exc)) from exc
    per_article: dict[str, int] = {}
    per_type: Counter = Counter()
    outcome: Counter = Counter()
    with store:
        for res in _results(articles, progress):
            if res.skipped:
                outcome["skipped"] += 1
                continue
            outcome[store.save(res.article, res.events, extractor_name(res.article.language or "fr"))] += 1
            per_article[res.article.article_id] = len(res.events)
            per_type.update(f"{e.event_type} / {e.sub_event_type}" for e in res.events)
        merged = merge_incidents(store)
        counts = store.counts()
    state = _results.state  # type: ignore[attr-defined]
    click.echo(f"{'article':<40} events")
    for aid, n in per_article.items():
        click.echo(f"{aid:<40} {n:>6}")
    click.echo("")
    click.echo(f"{'event type / sub-event type':<70} events")
    for t, n in sorted(per_type.items()):
        click.echo(f"{t:<70} {n:>6}")
    click.echo("")
    click.echo(f"articles read {state['read']}, added {outcome['added']}, replaced {outcome['replaced']}, "
               f"unchanged {outcome['unchanged']}, skipped {outcome['skipped']}, unreadable {state['errors']}; "
               f"{db_path} now holds {counts['articles']} articles, {counts['events']} events, "
               f"{counts['claims']} claims, {counts['incidents']} incidents"
               f" ({merged['reports']} reports merged again)")
    if state["errors"]:
        sys.exit(EXIT_INPUT_ERRORS)


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path())
@format_option
@progress_option
def extract(articles: tuple[str, ...], fmt: str, progress: bool | None) -> None:
    """Extract events from ARTICLES and write them to stdout (no database).

    Example: sitrep extract ../shared/devset/articles --format jsonl > pred.jsonl
    """
    from .export import write_events

    def events():
        for res in _results(articles, progress):
            for e in res.events:
                yield e.to_dict()
    write_events(events(), fmt, sys.stdout)
    if _results.state["errors"]:  # type: ignore[attr-defined]
        sys.exit(EXIT_INPUT_ERRORS)


def _open_store(db: str):
    from .store import Store, StoreError
    if not Path(db).exists():
        raise SitrepError(f"{db}: no such database (create it with 'sitrep run ... --db {db}')")
    try:
        return Store(db)
    except StoreError as exc:
        raise SitrepError(str(exc)) from exc


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--type", "event_type", help="Event type or sub-event type, e.g. 'Battles'.")
@click.option("--since", help="Events ending on or after this ISO date.")
@click.option("--until", help="Events starting on or before this ISO date.")
@click.option("--country", help="ISO 3166 alpha-2 country code, e.g. SY.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
def events(db: str, event_type, since, until, country, fmt) -> None:
    """List the events stored in DB.

    Example: sitrep events events.db --type Battles --since 2017-10-01 --country SY
    """
    from .export import write_events
    with _open_store(db) as store:
        write_events(store.events(event_type, since, until, country), fmt, sys.stdout)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--full", is_flag=True, help="Forget the stored incidents and merge every event again.")
def merge(db: str, full: bool) -> None:
    """Group DB's events from different articles into incidents (run does it too). Only new or
    changed reports and what they touch are merged again; a second merge changes nothing.

    Example: sitrep merge events.db
    """
    from .incidents import merge as merge_incidents
    with _open_store(db) as store:
        res = merge_incidents(store, full=full)
        n = store.counts()["incidents"]
    click.echo(f"{res['reports']} reports merged into {res['incidents']} incidents"
               f" ({res['changed']} events changed incident); {db} holds {n} incidents")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--status", type=click.Choice(["single-source", "corroborated", "contested"]),
              help="Only incidents with this status.")
@click.option("--country", help="ISO 3166 alpha-2 country code, e.g. SY.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "geojson"]), default="table",
              show_default=True)
def incidents(db: str, status: str | None, country: str | None, fmt: str) -> None:
    """List the incidents of DB: best date, place and toll (low/best/high), outlets, independent
    claimants, status and, for contested ones, the disagreements in words.

    Example: sitrep incidents events.db --status contested
    """
    from .export import write_incidents
    with _open_store(db) as store:
        write_incidents(store.incidents(status, country), fmt, sys.stdout)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["acled-csv", "geojson", "jsonl", "csv"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              help="File to write ('-' for stdout).")
def export(db: str, fmt: str, output: str) -> None:
    """Export the events of DB as ACLED-style CSV, GeoJSON (RFC 7946) or JSONL.

    Example: sitrep export events.db --format geojson -o events.geojson
    """
    from .export import write_events
    with _open_store(db) as store:
        if output == "-":
            n = write_events(store.events(), fmt, sys.stdout)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                n = write_events(store.events(), fmt, fh)
            _warn(f"wrote {n} events to {output}")


@cli.command()
@click.argument("text")
@click.option("--published", help="Publication date (YYYY-MM-DD or YYYY-MM) to resolve against.")
def dates(text: str, published: str | None) -> None:
    """Print every date expression of TEXT ('-' reads stdin), resolved, one JSON line each.

    Example: sitrep dates --published 2017-11-08 "mercredi 8 novembre, puis hier soir"
    """
    from .dates import find_dates
    if text == "-":
        text = sys.stdin.read()
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
@click.option("--country", multiple=True, help="ISO alpha-2 code of a country in context (repeatable).")
@click.option("--context", "context_text", default="",
              help="Text around the name (e.g. the article): its countries, provinces and places help choose.")
def geocode(names: tuple[str, ...], country: tuple[str, ...], context_text: str) -> None:
    """Resolve place NAMES ('-' reads one name a line from stdin); one JSON line each: the
    chosen place with its score and precision, and the runners-up. A name it cannot place in
    context gets "place": null.

    Example: sitrep geocode "Abou Kamal" "province de Homs" --country SY
    """
    from .gazetteer import Gazetteer
    from .geocode import context_from_text, resolve_name
    gz = Gazetteer()
    ctx = context_from_text(context_text, gz, [c.upper() for c in country])
    todo = [line.strip() for line in sys.stdin if line.strip()] if names == ("-",) else list(names)
    for name in todo:
        res = resolve_name(name, gz, ctx)
        out = {"query": name, "name": res.name,
               "place": None if res.place is None else {**_place(res.place), "score": round(res.score, 3),
                                                        "geo_precision": res.precision},
               "candidates": [{**_place(p), "score": round(sc, 3)} for sc, p in res.runners_up]}
        click.echo(json.dumps(out, ensure_ascii=False))



_MODELS = Path(__file__).resolve().parent / "data"


@cli.command()
@click.option("--train", "train_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Training folder (articles.jsonl + gold/); repeat for more; folders are searched for them. "
                   "Default: ../shared/corpus/train and the project's corpus/<lang>.")
@click.option("--dev", "dev_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Development folder, to choose regularisation and thresholds. Default: ../shared/corpus/dev.")
@click.option("--out", type=click.Path(file_okay=False), help="Where to write detector.json and placer.json "
              "(default: the package's data/<lang>/models, the weights that ship).")
@click.option("--lang", default="fr", show_default=True)
@click.option("--seed", default=13, show_default=True, type=int)
@click.option("--no-vectors", is_flag=True, help="Do not try the sentence vectors as detector features.")
def train(train_dirs, dev_dirs, out, lang, seed, no_vectors) -> None:
    """Fit the event detector and the placer on annotated articles; print the dev figures.

    Example: sitrep train --train ../shared/corpus/train --train corpus/fr --dev ../shared/corpus/dev
    """
    from .training import train as fit

    # relative defaults (from the repository root), so that the report names no machine's paths
    train_dirs = [Path(p) for p in train_dirs] or [p for p in (Path("../shared/corpus/train"), Path("corpus") / lang)
                                                   if p.exists()]
    dev_dirs = [Path(p) for p in dev_dirs] or [p for p in (Path("../shared/corpus/dev"),) if p.exists()]
    if not train_dirs or not dev_dirs:
        raise SitrepError("no training or development folder: give --train and --dev "
                          "(folders with articles.jsonl and gold/)")
    fit(train_dirs, dev_dirs, Path(out) if out else _MODELS / lang / "models", lang=lang, seed=seed,
        vectors=(False,) if no_vectors else (False, True), log=lambda m: click.echo(m, err=True))


def _place(p) -> dict:
    return {"name": p.name, "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
            "geonames_id": p.geonames_id, "feature": p.feature, "population": p.population,
            "match": round(p.score, 3)}


def main() -> None:
    warnings.showwarning = _one_line_warning
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("sitrep: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
