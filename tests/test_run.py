"""End to end: `inovasi run` over the sample corpus and the seeds, scored against gold."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import SAMPLE, SEEDS, SHARED, read_table, requires_shared
from pipeline.evaluate import evaluate
from pipeline.store.schema import TABLES

# The quality floors the issues set; CI fails when quality drops below them.
FLOORS = {"names": 0.95, "agency": 0.90, "region": 0.90, "year": 0.90, "repl": 1.0, "dedup": 0.95,
          "boilerplate_removed": 1.0, "content_kept": 1.0}
CONTRACT = {  # ../shared/spec/outputs.md
    "articles": ["article_id", "source", "url", "outlet", "title", "published", "status", "reason", "text"],
    "mentions": ["article_id", "innovation_id", "name", "expansion", "agency", "region", "competition", "scope",
                 "stage", "year", "evidence"],
    "registry": ["innovation_id", "canonical_name", "aliases", "expansion", "agency", "region", "province",
                 "first_seen", "last_seen", "n_articles", "events"],
    "replications": ["article_id", "source_name", "source_innovation_id", "target_name", "target_innovation_id",
                     "target_region", "evidence"],
}


def test_every_table_has_the_contract_columns_in_csv_parquet_and_sqlite(sample_out):
    db = sqlite3.connect(sample_out / "inovasi.sqlite")
    for table, columns in CONTRACT.items():
        header = (sample_out / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header[: len(columns)] == columns, table
        assert header == TABLES[table]
        rows = read_table(sample_out / f"{table}.csv")
        assert pq.read_table(sample_out / f"{table}.parquet").num_rows == len(rows)
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == len(rows)
        sql_cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        assert sql_cols[: len(columns)] == columns
    assert (sample_out / "report.html").exists() and (sample_out / "settings.json").exists()


def test_sample_corpus_rows_are_complete_and_consistent(sample_out):
    articles = read_table(sample_out / "articles.csv")
    mentions = read_table(sample_out / "mentions.csv")
    registry = read_table(sample_out / "registry.csv")
    n_files = sum(1 for p in SAMPLE.iterdir() if p.suffix in (".txt", ".html"))
    n_jsonl = sum(1 for line in (SAMPLE / "batch.jsonl").read_text().splitlines() if line.strip())
    assert len(articles) == n_files + n_jsonl  # one row per input document
    assert len({a["article_id"] for a in articles}) == len(articles)
    for a in articles:
        assert a["status"] in ("ok", "skipped", "failed")
        assert (a["status"] == "ok") == (a["reason"] == ""), a
    reasons = " ".join(a["reason"] for a in articles)
    assert "duplicate of" in reasons and "not Indonesian" in reasons
    ids = {r["innovation_id"] for r in registry}
    ok_articles = {a["article_id"] for a in articles if a["status"] == "ok"}
    for m in mentions:
        assert m["innovation_id"] in ids and m["article_id"] in ok_articles
        assert m["evidence"] and m["name"]
    for r in registry:
        assert isinstance(json.loads(r["aliases"]), list) and isinstance(json.loads(r["events"]), list)
        assert int(r["n_articles"]) >= 1


def _gold_figures(out: Path, gold: Path) -> dict:
    return evaluate(out, [gold]).figures


def test_sample_corpus_meets_the_quality_floors(sample_out):
    scores = evaluate(sample_out, [SAMPLE / "gold.json"])
    misses = {a.file: (a.missed, a.extra) for a in scores.articles if a.missed or a.extra}
    assert not scores.failures(FLOORS), (scores.figures, misses)


@requires_shared
def test_seeds_meet_the_quality_floors(seeds_out):
    scores = evaluate(seeds_out, [SEEDS / "gold.json"])
    misses = {a.file: (a.missed, a.extra) for a in scores.articles if a.missed or a.extra}
    assert not scores.failures(FLOORS), (scores.figures, misses)


@requires_shared
def test_our_evaluate_agrees_with_the_projects_scorer(seeds_out):
    res = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "--out", str(seeds_out),
                          str(SEEDS / "gold.json"), "--quiet"], capture_output=True, text=True, check=True)
    theirs = dict(kv.split("=") for kv in res.stdout.split("|")[-1].split())
    ours = _gold_figures(seeds_out, SEEDS / "gold.json")
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(float(value), abs=1e-3), key


def test_bad_inputs_never_crash_a_run_and_each_becomes_a_row(tmp_path):
    from pipeline.core import run

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "blank.html").write_text("   \n\t  ")
    (bad / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (bad / "doc.txt").write_bytes(b"%PDF-1.7\n" + b"\x00\x01binary" * 100)
    (bad / "truncated.html").write_text("<html><head><title>Inovasi</title></head><body><article><p>Dinas "
                                        "Kesehatan Kabupaten Belu meluncurkan inovasi Sistem Antrean Daring (SANDI) "
                                        "untuk mempercepat layanan di puskesmas dan rumah sakit daerah se", encoding="utf-8")
    (bad / "latin1.txt").write_bytes("Inovasi pelayanan publik di Kabupaten Belu semakin banyak. Dinas Kesehatan "
                                     "meluncurkan layanan baru untuk warga desa agar tidak perlu antre lama di "
                                     "puskesmas. Café dan naïve tidak penting.".encode("latin-1"))
    (bad / "english.txt").write_text("The city council approved the new budget on Monday after a long debate about "
                                     "road repairs, school funding and the future of public transport in the region.")
    (bad / "jsonl.jsonl").write_text('{"text": "teks"}\n{broken\n', encoding="utf-8")
    out = tmp_path / "out"
    summary = run([bad], out)
    rows = {Path(r["source"]).name: r for r in read_table(out / "articles.csv")}
    assert summary.n_read == len(rows) == 9
    for name, row in rows.items():
        if row["status"] != "ok":
            assert row["reason"], name
    assert rows["empty.txt"]["status"] == "skipped"
    assert rows["image.html"]["status"] in ("skipped", "failed") and "binary" in rows["image.html"]["reason"]
    assert rows["doc.txt"]["status"] in ("skipped", "failed")
    assert rows["english.txt"]["status"] == "skipped" and "not Indonesian" in rows["english.txt"]["reason"]
    assert rows["jsonl.jsonl#L2"]["status"] == "failed"
    assert rows["latin1.txt"]["status"] == "ok" and "Café" in rows["latin1.txt"]["text"]


# Held-out articles written independently of the rules (corpora/holdout): never tuned on. The floors
# sit just under the latest measured figures (names 0.868, agency 0.727, region 0.939, replication 0.727,
# boilerplate 0.986 in the second session), so generalisation cannot silently regress.
HOLDOUT_FLOORS = {"names": 0.84, "agency": 0.70, "region": 0.90, "year": 0.93, "repl": 0.70,
                  "boilerplate_removed": 0.97, "content_kept": 1.0}


def test_held_out_articles_do_not_regress(tmp_path):
    from pipeline.core import run

    holdout = SAMPLE.parent / "holdout"
    run([holdout], tmp_path, report=False)
    scores = evaluate(tmp_path, [holdout / "gold.json"])
    assert not scores.failures(HOLDOUT_FLOORS), scores.figures
