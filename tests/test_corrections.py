"""Issue 19: retry what failed, apply what changed, withdraw what is gone -- on real files.

Every test builds its inputs in a temporary folder (stories written for these tests), runs
the pipeline, changes the inputs the way an operator's nightly would see them change, runs
again and checks the tables, the log and the monitor.
"""
from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core import run
from pipeline.monitor import monitor
from pipeline.settings import Settings

SET = Settings()

STORY_A = """Dinkes Belu Kenalkan Inovasi Layanan Kesehatan Keliling

Atambua - Dinas Kesehatan Kabupaten Belu memperkenalkan inovasi {name} ({exp}) untuk mengikuti \
Kompetisi Inovasi Pelayanan Publik (KIPP) tahun 2024. Inovasi {name} membawa petugas kesehatan \
mendatangi desa-desa di perbatasan setiap pekan.

Kepala Dinas Kesehatan Belu mengatakan inovasi itu sudah melayani ribuan warga sejak diluncurkan.
"""
STORY_B = """Bapenda Sikka Luncurkan Aplikasi Pajak Daring

Maumere - Badan Pendapatan Daerah Kabupaten Sikka meluncurkan inovasi PAJAKU (Pajak Aku Mudah) pada \
3 Maret 2024. Melalui inovasi PAJAKU, wajib pajak dapat membayar pajak daerah dari rumah tanpa antre.

Inovasi tersebut diusulkan ke ajang Innovative Government Award (IGA) tahun ini.
"""


def story(name="SEHATI", exp="Sehat di Tepi Batas") -> str:
    return STORY_A.format(name=name, exp=exp)


def table(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def active_names(out: Path) -> set[str]:
    return {n for r in table(out, "registry") if r["status"] != "withdrawn"
            for n in (r["canonical_name"], *json.loads(r["aliases"]), r["expansion"]) if n}


def last_run_log(out: Path) -> list[dict]:
    lines = [json.loads(x) for x in (out / "inovasi.log").read_text(encoding="utf-8").splitlines()]
    last = lines[-1]["run_id"]
    return [x for x in lines if x["run_id"] == last]


def kinds(out: Path) -> list[str]:
    return [c.kind for c in monitor(out).changes]


def jsonl_line(url: str, title: str, text: str) -> str:
    return json.dumps({"url": url, "title": title, "text": text}, ensure_ascii=False) + "\n"


# -- failed, then fixed ---------------------------------------------------------------------
def test_a_failed_jsonl_record_is_retried_and_its_success_replaces_the_failed_row(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    batch = src / "feed.jsonl"
    good = jsonl_line("https://berita.example/sikka-pajak", "Pajak daring", STORY_B)
    batch.write_text('{"url": "https://berita.example/belu", "text": "cut off\n' + good, encoding="utf-8")
    run([src], out, SET, report=False)
    rows = table(out, "articles")
    assert sorted(r["status"] for r in rows) == ["failed", "ok"]
    # the producer repairs the line (same size is not needed: the unit is re-read because it failed)
    batch.write_text(jsonl_line("https://berita.example/belu", "Sehat", story()) + good, encoding="utf-8")
    run([src], out, SET, report=False)
    rows = table(out, "articles")
    assert sorted((r["source"].rsplit("#", 1)[1], r["status"]) for r in rows) == [("L1", "ok"), ("L2", "ok")]
    assert "SEHATI" in active_names(out)
    log = last_run_log(out)
    assert [x["source"].rsplit("#", 1)[1] for x in log if x["event"] == "article"] == ["L1"]  # not L2 again
    assert "changed" in kinds(out) and "innovation" in kinds(out)


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod 000 does not stop root from reading")
def test_an_unreadable_file_fixed_later_ends_ok_with_one_row(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    f = src / "a.txt"
    f.write_text(story(), encoding="utf-8")
    f.chmod(0)
    try:
        run([src], out, SET, report=False)
        assert [r["status"] for r in table(out, "articles")] == ["failed"]
        run([src], out, SET, report=False)  # still broken: retried, still one row
        assert [r["status"] for r in table(out, "articles")] == ["failed"]
    finally:
        f.chmod(0o644)  # the fix changes neither size nor mtime
    run([src], out, SET, report=False)
    assert [r["status"] for r in table(out, "articles")] == ["ok"]
    assert "SEHATI" in active_names(out)
    assert "changed" in kinds(out)


def two_stories_run(tmp_path):
    """A folder of two stories (a.txt: SEHATI, b.txt: PAJAKU) run once: (input folder, output folder)."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text(story(), encoding="utf-8")
    (src / "b.txt").write_text(STORY_B, encoding="utf-8")
    run([src], out, SET, report=False)
    return src, out


# -- changed, touched ----------------------------------------------------------------------
def test_an_edited_article_replaces_its_old_version(tmp_path):
    src, out = two_stories_run(tmp_path)
    old_id = next(r["innovation_id"] for r in table(out, "registry") if r["canonical_name"] == "SEHATI")
    (src / "a.txt").write_text(story("LINTAS SEHAT", "Layanan Terpadu Sehat"), encoding="utf-8")
    summary = run([src], out, SET, report=False)
    assert summary.n_read == 1
    names = active_names(out)
    assert "LINTAS SEHAT" in names and "SEHATI" not in names and "PAJAKU" in names | {"Pajak Aku Mudah"}
    rows = table(out, "articles")
    assert len(rows) == 2 and all(r["status"] == "ok" for r in rows)
    assert "SEHATI" not in {m["name"] for m in table(out, "mentions")}
    # the old id is not lost: a tombstone of this run
    tomb = next(r for r in table(out, "registry") if r["innovation_id"] == old_id)
    assert tomb["status"] == "withdrawn" and int(tomb["withdrawn_run"]) == summary.run_id
    changes = monitor(out).changes
    assert {c.kind for c in changes} >= {"changed", "withdrawn", "innovation"}
    changed = next(c for c in changes if c.kind == "changed")
    assert "SEHATI" in changed.detail and "LINTAS SEHAT" in changed.detail


def test_a_touched_file_adds_nothing(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text(story(), encoding="utf-8")
    run([src], out, SET, report=False)
    before = {n: (out / f"{n}.csv").read_bytes() for n in ("articles", "mentions", "registry")}
    st = (src / "a.txt").stat()
    os.utime(src / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    summary = run([src], out, SET, report=False)
    assert summary.n_read == 0 and not [x for x in last_run_log(out) if x["event"] == "article"]
    assert {n: (out / f"{n}.csv").read_bytes() for n in before} == before
    assert kinds(out) == []


# -- JSONL: identity by URL, appended files ------------------------------------------------------
def test_an_appended_jsonl_file_is_read_from_where_it_was_left(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    feed = src / "feed.jsonl"
    feed.write_text(jsonl_line("https://berita.example/b", "Pajak", STORY_B)
                    + jsonl_line("https://berita.example/a", "Sehat", story()), encoding="utf-8")
    run([src], out, SET, report=False)
    size = feed.stat().st_size
    with open(feed, "a", encoding="utf-8") as fh:
        fh.write(jsonl_line("https://berita.example/c", "Lintas", story("LINTAS SEHAT", "Layanan Terpadu Sehat")))
    summary = run([src], out, SET, report=False)
    log = last_run_log(out)
    assert [x for x in log if x["event"] == "resume_unit"][0]["offset"] == size
    assert [x["source"].rsplit("#", 1)[1] for x in log if x["event"] == "article"] == ["L3"]
    assert summary.n_read == 1 and len(table(out, "articles")) == 3
    assert "LINTAS SEHAT" in active_names(out)


def test_a_jsonl_record_is_known_by_its_url_when_lines_shift(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    feed = src / "feed.jsonl"
    b = jsonl_line("https://berita.example/b", "Pajak", STORY_B)
    feed.write_text(b, encoding="utf-8")
    run([src], out, SET, report=False)
    # a new line inserted above, and the old record corrected at its new line number
    feed.write_text(jsonl_line("https://berita.example/a", "Sehat", story())
                    + b.replace("tanpa antre", "tanpa harus antre"), encoding="utf-8")
    summary = run([src], out, SET, report=False)
    rows = table(out, "articles")
    assert len(rows) == 2 and all(r["status"] == "ok" for r in rows)  # no "duplicate of" row
    assert summary.n_read == 2 and kinds(out).count("changed") == 1
    # unchanged record moved to another line: not read again
    feed.write_text(jsonl_line("https://berita.example/z", "Lintas", story("LINTAS SEHAT", "Layanan Terpadu Sehat"))
                    + feed.read_text(encoding="utf-8"), encoding="utf-8")
    summary = run([src], out, SET, report=False)
    assert summary.n_read == 1 and len(table(out, "articles")) == 3


# -- deleted inputs ------------------------------------------------------------------------------
def test_prune_withdraws_a_deleted_input_and_leaves_a_tombstone(tmp_path):
    src, out = two_stories_run(tmp_path)
    gone = {r["innovation_id"] for r in table(out, "mentions") if r["name"] == "SEHATI"}
    (src / "a.txt").unlink()
    run([src], out, SET, report=False)  # without --prune nothing is withdrawn
    assert len(table(out, "articles")) == 2 and "SEHATI" in active_names(out)
    summary = run([src], out, SET, report=False, prune=True)
    assert [r["source"] for r in table(out, "articles")] == [str((src / "b.txt").resolve())]
    assert "SEHATI" not in {m["name"] for m in table(out, "mentions")}
    (tomb,) = [r for r in table(out, "registry") if r["innovation_id"] in gone]
    assert tomb["status"] == "withdrawn" and int(tomb["withdrawn_run"]) == summary.run_id
    assert tomb["n_articles"] == "0"
    assert summary.n_innovations == 1
    assert kinds(out).count("withdrawn") == 2  # the article and the innovation
    from pipeline.explain import explain_from_store

    assert "withdrawn in run" in explain_from_store(tomb["innovation_id"], out)


# -- kill -9 while replacing and withdrawing -------------------------------------------------------
def _base(folder: Path) -> None:
    folder.mkdir()
    for i, (name, exp) in enumerate([("SEHATI", "Sehat di Tepi Batas"), ("LINTAS SEHAT", "Layanan Terpadu Sehat"),
                                     ("DESA SIAGA", "Desa Siap Siaga"), ("JAGA WARGA", "Jaringan Warga")]):
        (folder / f"s{i}.txt").write_text(story(name, exp).replace("Atambua", f"Atambua {i}"), encoding="utf-8")
    (folder / "b.txt").write_text(STORY_B, encoding="utf-8")


def _correct(folder: Path) -> None:
    (folder / "s1.txt").write_text(story("SAHABAT SEHAT", "Sahabat Sehat").replace("Atambua", "Atambua 1"),
                                   encoding="utf-8")
    (folder / "s2.txt").write_text(story("DESA TANGGUH", "Desa Tangguh").replace("Atambua", "Atambua 2"),
                                   encoding="utf-8")
    (folder / "s3.txt").unlink()


def _cli(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def _content(out: Path) -> dict:
    drop = {"run_id", "withdrawn_run"}  # when, not what
    folder = str(out.parent.resolve())  # the two runs read copies in two folders

    def row(r: dict) -> tuple:
        return tuple(sorted((k, v.replace(folder, "")) for k, v in r.items() if k not in drop))

    return {n: sorted(row(r) for r in table(out, n)) for n in ("articles", "mentions", "registry", "replications")}


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", ["batch:1", "resolve:1"])
def test_kill_9_during_a_correcting_run_then_a_rerun_gives_the_uninterrupted_result(tmp_path, kill_at):
    cfg = tmp_path / "small.toml"
    cfg.write_text("batch_size = 1\n", encoding="utf-8")
    results = {}
    for way in ("killed", "straight"):
        src, out = tmp_path / way / "in", tmp_path / way / "out"
        src.parent.mkdir()
        _base(src)
        assert _cli(["run", str(src), "--out", str(out), "--config", str(cfg), "--quiet", "--no-report"]).returncode == 0
        _correct(src)
        args = ["run", str(src), "--out", str(out), "--config", str(cfg), "--quiet", "--no-report", "--prune"]
        if way == "killed":
            died = _cli(args, {"INOVASI_KILL_AT": kill_at})
            assert died.returncode == -9, died.stderr
            runs = sqlite3.connect(out / "state.sqlite").execute("SELECT status FROM runs").fetchall()
            assert runs[-1] == ("running",)
        done = _cli(args)
        assert done.returncode == 0, done.stderr
        results[way] = out
    assert _content(results["killed"]) == _content(results["straight"])
    names = {n.casefold() for n in active_names(results["killed"])}
    assert {"sahabat sehat", "desa tangguh"} <= names and not names & {"lintas sehat", "desa siaga", "jaga warga"}
    # the monitor of the completing run shows every change, the killed run's ones too
    assert sorted(kinds(results["killed"])) == sorted(kinds(results["straight"]))
    assert kinds(results["killed"]).count("changed") == 2
