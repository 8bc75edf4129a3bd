"""The command line: every command documents itself and turns known errors into advice."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import SAMPLE
from pipeline.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["run", "crawl", "monitor", "evaluate", "explain", "report", "build-model"])
def test_every_command_has_help(command):
    res = runner.invoke(app, [command, "--help"])
    assert res.exit_code == 0 and "Usage" in res.output


def test_run_quiet_prints_nothing_and_writes_the_tables(tmp_path):
    res = runner.invoke(app, ["run", str(SAMPLE / "batch.jsonl"), "--out", str(tmp_path), "--quiet"])
    assert res.exit_code == 0, res.output
    assert res.output == ""
    assert (tmp_path / "mentions.csv").exists()


def test_run_prints_a_one_line_summary(tmp_path):
    res = runner.invoke(app, ["run", str(SAMPLE / "batch.jsonl"), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "articles read" in res.output and "innovations" in res.output


def test_missing_input_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "input not found" in res.output


def test_evaluate_prints_figures_and_fails_below_a_floor(sample_out):
    res = runner.invoke(app, ["evaluate", str(SAMPLE / "gold.json"), "--out", str(sample_out)])
    assert res.exit_code == 0 and "names" in res.output
    res = runner.invoke(app, ["evaluate", str(SAMPLE / "gold.json"), "--out", str(sample_out), "--min", "names=1.01"])
    assert res.exit_code == 1 and "below floor" in res.output


def test_explain_shows_an_entry_with_evidence(sample_out):
    import csv

    with open(sample_out / "registry.csv", newline="", encoding="utf-8") as fh:
        entry = next(csv.DictReader(fh))
    for query in (entry["innovation_id"], entry["canonical_name"]):
        res = runner.invoke(app, ["explain", query, "--out", str(sample_out)])
        assert res.exit_code == 0, res.output
        assert entry["innovation_id"] in res.output and entry["canonical_name"] in res.output


def test_report_rebuilds(sample_out):
    res = runner.invoke(app, ["report", "--out", str(sample_out)])
    assert res.exit_code == 0 and "report.html" in res.output
