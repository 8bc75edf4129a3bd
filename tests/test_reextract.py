"""A re-run after what extracts changed extracts the stored articles again (stale extractions).

An output folder remembers the fingerprint of the extractor behind its mentions; a run with
another one (another learned model, a rebuilt rule pipeline after editing corpora/) extracts
every stored article again, and the folder then equals a fresh run with the new extractor.
The inputs are sample articles of corpora/sample (the project's own examples).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SAMPLE, read_table
from pipeline.cli import app
from pipeline.core import run
from pipeline.extract.fingerprint import extractor_fingerprint
from pipeline.monitor import monitor
from pipeline.settings import MODELS_DIR, Settings
from pipeline.store import Store

LEARNED = Settings()  # the rules and the shipped learned model (models/learned)
RULES = Settings().with_section("extract", learned_dir="")  # the rules alone
N_INPUTS = 8

pytestmark = pytest.mark.skipif(not (MODELS_DIR / "learned" / "names.json").exists(),
                                reason="no learned model in models/learned")


def _inputs(base: Path) -> Path:
    dst = base / "in"
    dst.mkdir()
    for p in sorted(SAMPLE.glob("*.txt"))[:N_INPUTS]:
        shutil.copy2(p, dst / p.name)
    return dst


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """The inputs, and a fresh run of them with each extractor (the references)."""
    base = tmp_path_factory.mktemp("reextract")
    inp = _inputs(base)
    refs = {}
    for name, settings in (("rules", RULES), ("learned", LEARNED)):
        refs[name] = base / f"fresh-{name}"
        run([inp], refs[name], settings, report=False)
    assert _extractions(refs["rules"]) != _extractions(refs["learned"]), "the two extractors must differ here"
    return inp, refs


def _tables(out: Path) -> dict:
    """The tables apart from which run stored a row and which ids earlier runs published."""
    articles = [{k: v for k, v in r.items() if k != "run_id"} for r in read_table(out / "articles.csv")]
    registry = [{k: v for k, v in r.items() if k not in ("merged_ids", "split_from")}
                for r in read_table(out / "registry.csv") if r["status"] != "withdrawn"]
    return {"articles": articles, "mentions": read_table(out / "mentions.csv"), "registry": registry,
            "replications": read_table(out / "replications.csv")}


def _extractions(out: Path) -> dict[str, tuple]:
    """Per article: its mention and replication rows without the resolved ids."""
    per: dict[str, tuple[list, list]] = {}
    for table, slot, ids in (("mentions", 0, ("innovation_id",)),
                             ("replications", 1, ("source_innovation_id", "target_innovation_id"))):
        for r in read_table(out / f"{table}.csv"):
            per.setdefault(r["article_id"], ([], []))[slot].append(tuple(v for k, v in r.items() if k not in ids))
    return {a: (tuple(sorted(m)), tuple(sorted(r))) for a, (m, r) in per.items()}


def _log(out: Path, run_id: int) -> list[dict]:
    lines = [json.loads(x) for x in (out / "inovasi.log").read_text(encoding="utf-8").splitlines()]
    return [x for x in lines if x["run_id"] == run_id]


def _state_runs(out: Path) -> list[dict]:
    db = sqlite3.connect(out / "state.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT run_id, n_ok, n_reextracted, extractor FROM runs")]
    finally:
        db.close()


def test_a_new_learned_model_reextracts_the_stored_articles_as_a_fresh_run_would(case, tmp_path):
    inp, refs = case
    out = tmp_path / "out"
    first = run([inp], out, RULES, report=False)
    before = _extractions(out)
    again = run([inp], out, LEARNED, report=False)  # the nightly after `inovasi train` / `--model`
    assert again.n_read == 0 and again.n_unchanged == N_INPUTS  # no source is read again
    assert again.n_reextracted == first.n_ok
    assert f"extractor changed since the last run: {first.n_ok} articles re-extracted" in again.line()
    assert _tables(out) == _tables(refs["learned"])  # the mentions of a fresh run with the new model
    # the monitor names the articles whose extraction changed, and nothing else
    after = _extractions(out)
    differ = {a for a in set(before) | set(after) if before.get(a) != after.get(a)}
    result = monitor(out)
    with Store(out) as store:
        changed = {c["article_id"] for c in store.changes(again.run_id) if c["kind"] == "changed"}
    assert differ and changed == differ and result.count("changed") == len(differ)
    assert result.count("innovation") < len(read_table(out / "registry.csv"))  # not everything new
    assert result.count("replication") == 0
    # nothing changed since: a no-op, nothing extracted again
    bytes_before = {t: (out / f"{t}.csv").read_bytes() for t in ("mentions", "registry", "replications")}
    third = run([inp], out, LEARNED, report=False)
    assert third.n_reextracted == 0 and "re-extracted" not in third.line()
    assert not [e for e in _log(out, third.run_id) if e["event"].startswith("reextract")]
    assert bytes_before == {t: (out / f"{t}.csv").read_bytes() for t in bytes_before}
    runs = _state_runs(out)
    assert [r["n_reextracted"] for r in runs] == [0, first.n_ok, 0]
    assert runs[0]["extractor"] == extractor_fingerprint(RULES) != runs[1]["extractor"] == runs[2]["extractor"]


def test_reextract_on_the_command_line_changes_nothing_when_the_extractor_is_the_same(case, tmp_path):
    inp, refs = case
    out = tmp_path / "out"
    shutil.copytree(refs["learned"], out)
    tables = _tables(out)
    res = CliRunner().invoke(app, ["run", str(inp), "--out", str(out), "--no-report", "--reextract"])
    assert res.exit_code == 0, res.output
    n_ok = sum(r["status"] == "ok" for r in read_table(out / "articles.csv"))
    assert f"--reextract: {n_ok} articles re-extracted" in res.output
    assert _tables(out) == tables
    result = monitor(out)
    assert result.changes == ()  # the same extractions: nothing changed, nothing new
    assert _state_runs(out)[-1]["n_reextracted"] == n_ok


def test_editing_a_cue_word_of_the_gazetteer_reextracts_with_the_rebuilt_rules(case, tmp_path):
    inp, _ = case
    data = tmp_path / "corpora"
    shutil.copytree(ROOT / "corpora" / "gazetteers", data / "gazetteers")
    shutil.copytree(ROOT / "corpora" / "patterns", data / "patterns")
    settings = RULES.with_section("extract", gazetteer_dir=str(data / "gazetteers"),
                                  patterns_dir=str(data / "patterns"), model_dir=str(tmp_path / "model"))
    out = tmp_path / "out"
    run([inp], out, settings, report=False)
    sectors_before = [r["sector"] for r in read_table(out / "mentions.csv")]
    cues = data / "gazetteers" / "sectors.json"
    rules = json.loads(cues.read_text(encoding="utf-8"))
    sectors = rules["sectors"]  # the cue words of health and of education swapped
    sectors["kesehatan"], sectors["pendidikan"] = sectors["pendidikan"], sectors["kesehatan"]
    cues.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    again = run([inp], out, settings, report=False)
    assert again.n_reextracted > 0
    fresh = tmp_path / "fresh"
    run([inp], fresh, settings, report=False)
    assert [r["sector"] for r in read_table(fresh / "mentions.csv")] != sectors_before  # the edit matters
    assert _tables(out) == _tables(fresh)


def _cli(args: list[str], env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300, cwd=ROOT)


def test_a_run_killed_mid_reextraction_is_finished_by_the_next_run(case, tmp_path):
    inp, refs = case
    out = tmp_path / "out"
    rules_cfg, learned_cfg = tmp_path / "rules.toml", tmp_path / "learned.toml"
    rules_cfg.write_text('batch_size = 3\n[extract]\nlearned_dir = ""\n', encoding="utf-8")
    learned_cfg.write_text("batch_size = 3\n", encoding="utf-8")
    base = ["run", str(inp), "--out", str(out), "--quiet", "--no-report", "--config"]
    assert _cli(base + [str(rules_cfg)]).returncode == 0
    killed = _cli(base + [str(learned_cfg)], {"INOVASI_KILL_AT": "reextract:1"})
    assert killed.returncode == -9, killed.stderr[-2000:]
    again = _cli(base + [str(learned_cfg)])
    assert again.returncode == 0, again.stderr
    resumed = [e for e in _log(out, 3) if e["event"] == "reextract"]
    assert resumed and resumed[0]["reason"] == "an interrupted re-extraction" and resumed[0]["after_seq"] > 0
    n_ok = sum(r["status"] == "ok" for r in read_table(out / "articles.csv"))
    assert 0 < _state_runs(out)[-1]["n_reextracted"] < n_ok  # the batch done before the kill is not redone
    assert _tables(out) == _tables(refs["learned"])


def test_the_fingerprint_follows_contents_not_speed_settings(tmp_path):
    fp = extractor_fingerprint(LEARNED)
    assert fp == extractor_fingerprint(LEARNED)
    assert fp == extractor_fingerprint(LEARNED.with_section("extract", batch_size=7))  # how fast, not what
    assert fp != extractor_fingerprint(RULES)
    learned = tmp_path / "learned"
    shutil.copytree(MODELS_DIR / "learned", learned)
    moved = LEARNED.with_section("extract", learned_dir=str(learned))
    assert extractor_fingerprint(moved) == fp  # the same model elsewhere
    names = learned / "names.json"
    names.write_text(names.read_text(encoding="utf-8").replace("0", "1", 1), encoding="utf-8")
    assert extractor_fingerprint(moved) != fp  # retrained


def test_changed_cleaning_settings_are_said_once_in_the_summary(case, tmp_path):
    inp, _ = case
    out = tmp_path / "out"
    run([inp], out, RULES, report=False)
    stricter = RULES.with_section("clean", min_text_chars=120)
    summary = run([inp], out, stricter, report=False)
    assert "cleaning settings changed since the last run: they apply to new and changed inputs only" in summary.line()
    assert summary.n_reextracted == 0  # cleaning does not change what extracts
    assert [e for e in _log(out, summary.run_id) if e["event"] == "cleaning_changed"]
    assert "cleaning settings changed" not in run([inp], out, stricter, report=False).line()


def test_changed_resolve_settings_resolve_the_registry_again_with_nothing_new_to_read(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    for i, spelling in enumerate(("Sapa Bunda Sehat", "Sapa Warga Sehat")):  # two names of one owner
        (inp / f"a{i}.txt").write_text(
            f"KUPANG - Dinas Kesehatan Kota Kupang meluncurkan inovasi {spelling} untuk ibu hamil pada 2023. "
            f"Kepala dinas mengatakan {spelling} kini hadir di semua puskesmas kota itu.\n\n"
            "Warga menyambut baik layanan kesehatan itu dan berharap layanan terus berjalan.", encoding="utf-8")
    out = tmp_path / "out"
    run([inp], out, RULES, report=False)
    loose = RULES.with_section("resolve", name_threshold=60.0)  # the two names now read as one
    fresh = tmp_path / "fresh-loose"
    run([inp], fresh, loose, report=False)
    assert len(_tables(out)["registry"]) == 2 and len(_tables(fresh)["registry"]) == 1
    again = run([inp], out, loose, report=False)  # no input changed: only what resolves did
    assert again.n_unchanged == 2
    names = lambda o: sorted(r["canonical_name"] for r in _tables(o)["registry"])  # noqa: E731
    assert names(out) == names(fresh)
    before = (out / "registry.csv").read_bytes()
    run([inp], out, loose, report=False)  # the same again: nothing to resolve
    assert (out / "registry.csv").read_bytes() == before
