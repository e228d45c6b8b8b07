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


_CTRL_C_AT_LAUNCH = r'''
import os, signal, sys
import multiprocessing.util as mu
from sitrep.model import Article
from sitrep.parallel import extract

launch = mu.spawnv_passfds


def launch_then_ctrl_c(path, args, passfds):
    # Ctrl-C right after the first worker is launched (not the resource tracker: its command runs no spawn_main),
    # before the parent has sent the worker what it needs to start
    pid = launch(path, args, passfds)
    if any("spawn_main" in str(a) for a in args):
        mu.spawnv_passfds = launch
        os.kill(os.getpid(), signal.SIGINT)
    return pid


mu.spawnv_passfds = launch_then_ctrl_c
articles = [Article(article_id=f"a{i}", text="Des frappes ont touché Raqqa mardi, selon l'OSDH.") for i in range(8)]
try:
    for _ in extract(articles, 2, langs=("fr",), min_parallel=4):
        pass
    print("finished")
except KeyboardInterrupt:
    print("interrupted")
'''


def test_ctrl_c_while_the_workers_start_leaves_no_worker_traceback(tmp_path):
    """A Ctrl-C that lands between a worker's launch and the parent's sending it its start-up data (a loaded
    machine widens that moment) ends the run as an interruption, and no worker dies on a traceback of its own
    ("EOFError: Ran out of input" after the run's one line: the flaky end of a CI run at stop 47)."""
    import signal
    import subprocess
    import sys
    script = tmp_path / "ctrl_c.py"
    script.write_text(_CTRL_C_AT_LAUNCH, encoding="utf-8")
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                       preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert p.stdout.strip() == "interrupted", (p.stdout, p.stderr)
    assert "Traceback" not in p.stderr and "EOFError" not in p.stderr, p.stderr


def test_a_held_ctrl_c_comes_at_release_and_the_handler_is_given_back():
    import os
    import signal

    import pytest

    from sitrep.parallel import _HeldInterrupt
    before = signal.getsignal(signal.SIGINT)
    held = _HeldInterrupt()
    os.kill(os.getpid(), signal.SIGINT)       # held: no KeyboardInterrupt here
    assert sum(range(1000)) == 499500         # (bytecode runs on: a pending signal would be raised by now)
    with pytest.raises(KeyboardInterrupt):
        held.release()
    assert signal.getsignal(signal.SIGINT) is before
    quiet = _HeldInterrupt()
    quiet.release()                           # nothing came: nothing raised
    assert signal.getsignal(signal.SIGINT) is before
