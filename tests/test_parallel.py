"""Extraction on several processes (issue 14): the same events, in the same order, as one process."""
from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.ingest import InputError, read_inputs
from sitrep.parallel import extract

from conftest import EXAMPLES


def _articles(devset):
    return [a for a in read_inputs([str(EXAMPLES), str(devset / "articles")]) if not isinstance(a, InputError)]


def test_two_workers_give_one_worker_output(extractor, devset):
    one = [(r.article.article_id, r.skipped, r.failed, [e.to_dict() for e in r.events])
           for r in extractor.run(_articles(devset))]
    two = [(r.article.article_id, r.skipped, r.failed, [e.to_dict() for e in r.events])
           for r in extract(_articles(devset), 2, min_parallel=0)]
    assert len(one) > 30 and sum(len(x[3]) for x in one) > 40
    assert two == one


def test_cli_workers_option(tmp_path):
    r = CliRunner().invoke(cli, ["extract", str(EXAMPLES / "02_reprise_palmyre.txt"), "--workers", "0"])
    assert r.exit_code == 2 and "must be 1 or more" in r.output
    r = CliRunner().invoke(cli, ["run", str(EXAMPLES), "--db", str(tmp_path / "w.db"), "--workers", "2"])
    assert r.exit_code == 0, r.output
