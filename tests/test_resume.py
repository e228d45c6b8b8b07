"""Re-runs and resumed runs (issue 14): inputs stored as read (raw hash of text and metadata, same
extractor) are not extracted again; a run stopped half way is finished by running it again."""
import shutil
from collections import Counter

from click.testing import CliRunner

from sitrep.cli import _fresh, cli
from sitrep.ingest import read_inputs
from sitrep.store import Store

from conftest import EXAMPLES


def _line(output):
    return next(line for line in output.splitlines() if line.startswith("articles read"))


def test_rerun_skips_stored_inputs_before_extraction(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("gold"))
    files = sorted(folder.glob("*.txt"))
    db = tmp_path / "e.db"
    # a run stopped after the first four files, then the whole folder again: the rest is added
    first = CliRunner().invoke(cli, ["run", *map(str, files[:4]), "--db", str(db)])
    assert first.exit_code == 0, first.output
    whole = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db)])
    assert whole.exit_code == 0, whole.output
    assert f"added {len(files) - 4}, replaced 0, unchanged 4" in _line(whole.output)
    again = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db)])
    assert f"added 0, replaced 0, unchanged {len(files)}" in _line(again.output)
    # the listing of a re-run is that of the run that extracted (per article and per type)
    assert sorted(again.output.splitlines()[:-1]) == sorted(whole.output.splitlines()[:-1])
    # what reaches the extractor: nothing stored as read; an edited file does
    files[2].write_text(files[2].read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    with Store(db) as store:
        unchanged = []
        fresh = list(_fresh(iter(a for a in read_inputs([str(folder)]) if hasattr(a, "text")), store, Counter(), unchanged))
        assert [a.article_id for a in fresh] == [files[2].stem]
        assert len(unchanged) == len(files) - 1
    edited = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db)])
    assert f"added 0, replaced 1, unchanged {len(files) - 1}" in _line(edited.output)
