"""`inovasi monitor`: what the latest run added, and an exit code cron can alert on."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core import run
from pipeline.monitor import monitor

FIX = Path(__file__).parent / "fixtures" / "monitor"


def test_monitor_lists_new_innovations_then_a_new_replication_with_evidence(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy2(FIX / "night1_sikka.txt", inp)
    out = tmp_path / "out"
    run([inp], out)
    night1 = monitor(out)
    assert night1.count("innovation") >= 1 and night1.new_replications == 0
    assert any(c.name == "LAOK" for c in night1.changes)

    shutil.copy2(FIX / "night2_ende.txt", inp)
    run([inp], out)
    night2 = monitor(out)
    [rep] = [c for c in night2.changes if c.kind == "replication"]
    assert "LAOK" in rep.detail and "OSARU" in rep.detail
    assert "mereplikasi" in rep.evidence
    assert rep.url.endswith("night2_ende.txt")
    assert all(c.run_id == night2.since_run for c in night2.changes)

    runner = CliRunner()
    res = runner.invoke(app, ["monitor", "--out", str(out), "--format", "json", "--alert"])
    assert res.exit_code == 10, res.output
    data = json.loads(res.output)
    assert data["counts"]["replication"] == 1
    res = runner.invoke(app, ["monitor", "--out", str(out), "--since", "1", "--format", "csv"])
    assert res.exit_code == 0 and res.output.splitlines()[0].startswith("run_id,kind,innovation_id")
    assert sum(line.split(",")[1] == "replication" for line in res.output.splitlines()[1:]) == 1

    run([inp], out)  # nothing new: the latest run added nothing, no alert
    res = runner.invoke(app, ["monitor", "--out", str(out), "--alert"])
    assert res.exit_code == 0 and "0 new replications" in res.output


def test_monitor_on_a_folder_without_runs_says_what_to_do(tmp_path):
    res = CliRunner().invoke(app, ["monitor", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "inovasi run" in res.output
