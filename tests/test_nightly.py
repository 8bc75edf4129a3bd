"""Nightly operation: idempotent re-runs, growth with stable ids, crash safety, exclusivity."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from conftest import SAMPLE, read_table
from pipeline.core import RunLocked, run
from pipeline.settings import Settings

TABLES = ("articles", "mentions", "registry", "replications")


def _inputs(tmp_path: Path, n: int) -> Path:
    """A copy of the first ``n`` sample .txt articles (stable names, own folder)."""
    src = sorted(p for p in SAMPLE.glob("*.txt"))[:n]
    dst = tmp_path / "in"
    dst.mkdir()
    for p in src:
        shutil.copy2(p, dst / p.name)
    return dst


def _tables(out: Path) -> dict[str, list[dict]]:
    tables = {t: read_table(out / f"{t}.csv") for t in TABLES}
    for row in tables["articles"]:
        row.pop("run_id")  # which run stored a row is the only thing allowed to differ
    return tables


def _bytes(out: Path) -> dict[str, bytes]:
    return {t: (out / f"{t}.csv").read_bytes() for t in TABLES}


def test_rerun_over_the_same_inputs_changes_no_table(tmp_path):
    inp = _inputs(tmp_path, 6)
    first = run([inp], tmp_path / "out")
    before = _bytes(tmp_path / "out")
    second = run([inp], tmp_path / "out")
    assert first.n_read == 6 and second.n_read == 0 and second.n_unchanged == 6
    assert _bytes(tmp_path / "out") == before
    assert second.n_new_innovations == 0


def test_new_inputs_are_added_and_innovation_ids_stay_stable(tmp_path):
    inp = _inputs(tmp_path, 10)
    half, rest = tmp_path / "half", tmp_path / "rest"
    half.mkdir()
    rest.mkdir()
    for i, p in enumerate(sorted(inp.iterdir())):
        shutil.copy2(p, (half if i < 5 else rest) / p.name)
    out = tmp_path / "out"
    run([half], out)
    ids_before = {r["innovation_id"]: r["canonical_name"] for r in read_table(out / "registry.csv")}
    mention_ids = {(r["article_id"], r["name"]): r["innovation_id"] for r in read_table(out / "mentions.csv")}
    assert ids_before, "the first half of the sample names innovations"
    summary = run([half, rest], out)
    assert summary.n_read == 5 and summary.n_unchanged == 5
    after_mentions = {(r["article_id"], r["name"]): r["innovation_id"] for r in read_table(out / "mentions.csv")}
    aliases = {r["old_id"]: r["new_id"] for r in _sqlite_rows(out, "id_aliases")}
    for key, iid in mention_ids.items():
        assert after_mentions[key] in (iid, aliases.get(iid)), key
    registry_ids = {r["innovation_id"] for r in read_table(out / "registry.csv")}
    for iid in ids_before:
        assert iid in registry_ids or aliases.get(iid) in registry_ids


def _sqlite_rows(out: Path, table: str) -> list[dict]:
    import sqlite3

    db = sqlite3.connect(out / "inovasi.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute(f"SELECT * FROM {table}")]
    finally:
        db.close()


def _cli(args: list[str], env_extra: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=Path(__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def crash_case(tmp_path_factory):
    base = tmp_path_factory.mktemp("crash")
    inp = _inputs(base, 8)
    config = base / "small.toml"
    config.write_text("batch_size = 2\n", encoding="utf-8")
    ref = base / "reference"
    res = _cli(["run", str(inp), "--out", str(ref), "--quiet", "--config", str(config), "--no-report"])
    assert res.returncode == 0, res.stderr
    return inp, config, ref


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", ["before_batch:2", "batch:3", "saved:1", "export:2"])
def test_a_run_killed_anywhere_then_rerun_equals_an_uninterrupted_run(crash_case, tmp_path, kill_at):
    inp, config, ref = crash_case
    out = tmp_path / "out"
    args = ["run", str(inp), "--out", str(out), "--quiet", "--config", str(config), "--no-report"]
    killed = _cli(args, {"INOVASI_KILL_AT": kill_at})
    assert killed.returncode == -9, (kill_at, killed.returncode, killed.stderr[-2000:])
    again = _cli(args)
    assert again.returncode == 0, again.stderr
    assert _tables(out) == _tables(ref)


def test_a_second_concurrent_run_stops_at_once_with_a_clear_message(tmp_path):
    inp = _inputs(tmp_path, 1)
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(str(out / ".inovasi.lock")):
        with pytest.raises(RunLocked, match="another inovasi run is using"):
            run([inp], out)
        res = _cli(["run", str(inp), "--out", str(out), "--quiet"], timeout=120)
        assert res.returncode == 3 and "another inovasi run" in res.stderr


def test_every_run_is_recorded_with_its_counts(tmp_path):
    inp = _inputs(tmp_path, 3)
    run([inp], tmp_path / "out", Settings())
    run([inp], tmp_path / "out", Settings())
    runs = _sqlite_rows(tmp_path / "out", "runs")
    assert [r["status"] for r in runs] == ["ok", "ok"]
    assert runs[0]["n_read"] == 3 and runs[1]["n_read"] == 0 and runs[1]["n_unchanged"] == 3
    assert (tmp_path / "out" / "settings.json").exists()
    log_lines = (tmp_path / "out" / "inovasi.log").read_text().splitlines()
    assert sum('"event": "article"' in line for line in log_lines) == 3


def test_a_later_run_reindexes_stored_stories_from_their_signatures(tmp_path, monkeypatch):
    import sqlite3

    from pipeline.clean import DuplicateIndex

    inp = _inputs(tmp_path, 6)
    out = tmp_path / "out"
    first = run([inp], out, report=False)
    db = sqlite3.connect(out / "state.sqlite")
    n_sigs = db.execute("SELECT COUNT(*) FROM signatures").fetchone()[0]
    db.close()
    assert n_sigs == first.n_ok > 0

    # a reposted copy of a stored story comes the next night: caught without re-hashing old texts
    story = sorted(inp.glob("*.txt"))[2]
    later = tmp_path / "later"
    later.mkdir()
    (later / "repost.txt").write_text(story.read_text(encoding="utf-8") + "\n\nSumber: situs lain.\n",
                                      encoding="utf-8")

    def no_rehash(self, article_id, text):
        raise AssertionError(f"stored story {article_id} was hashed again")

    monkeypatch.setattr(DuplicateIndex, "add", no_rehash)
    second = run([later], out, report=False)
    assert second.n_read == 1 and second.n_skipped == 1
    row = read_table(out / "articles.csv")[-1]
    assert row["source"].endswith("repost.txt") and row["reason"].startswith("duplicate of ")


def test_a_run_with_nothing_new_refreshes_only_the_runs_table(tmp_path):
    import sqlite3

    inp = _inputs(tmp_path, 3)
    out = tmp_path / "out"
    run([inp], out)
    stamps = {t: os.stat(out / f"{t}.csv").st_mtime_ns for t in TABLES}
    run([inp], out)
    assert {t: os.stat(out / f"{t}.csv").st_mtime_ns for t in TABLES} == stamps  # not rewritten
    db = sqlite3.connect(out / "inovasi.sqlite")
    runs = db.execute("SELECT run_id, status, n_read, n_unchanged FROM runs ORDER BY run_id").fetchall()
    db.close()
    assert runs == [(1, "ok", 3, 0), (2, "ok", 0, 3)]
    assert '<b>2</b><span>runs</span>' in (out / "report.html").read_text(encoding="utf-8")
