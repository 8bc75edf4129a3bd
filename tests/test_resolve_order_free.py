"""Issue 17: the same articles give the same innovation ids however they arrive.

One corpus (corpora/sample, plus the seed articles when ../shared is beside the repo) is run
in one run, in two runs (first half, then second half) and in two runs in reverse order
(second half first).  Every mention gets the same ``innovation_id`` in all three and the four
tables are identical apart from the columns named below.
"""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.core import run
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

# columns that record *when* something happened, not what the articles say
RUN_COLUMNS = {"articles": {"run_id"}}
# columns that record ids published by an earlier run of the same folder (aliases of the live id)
HISTORY_COLUMNS = {"registry": {"merged_ids", "split_from"}}
TABLES = ("articles", "mentions", "registry", "replications")


def _inputs() -> list[Path]:
    sample = ROOT / "corpora" / "sample"
    files = sorted(p for p in sample.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    return files


def _table(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _content(out: Path, name: str) -> list[tuple]:
    drop = RUN_COLUMNS.get(name, set()) | HISTORY_COLUMNS.get(name, set())
    return sorted(tuple(sorted((k, v) for k, v in r.items() if k not in drop)) for r in _table(out, name))


def _ids(out: Path) -> dict[tuple[str, str], str]:
    return {(r["article_id"], r["name"]): r["innovation_id"] for r in _table(out, "mentions")}


@pytest.fixture(scope="module")
def three_ways(tmp_path_factory):
    files = _inputs()
    h = len(files) // 2
    first, second = files[:h], files[h:]
    settings = Settings()
    outs = {}
    for way, runs in {"one": [first + second], "halves": [first, second], "reversed": [second, first]}.items():
        outs[way] = tmp_path_factory.mktemp(way)
        for inputs in runs:
            run(inputs, outs[way], settings, report=False)
    outs["first_half_alone"] = tmp_path_factory.mktemp("first")
    run(first, outs["first_half_alone"], settings, report=False)
    return outs


@pytest.mark.slow
def test_every_mention_gets_the_same_id_in_one_run_in_halves_and_reversed(three_ways):
    one, halves, rev = (_ids(three_ways[w]) for w in ("one", "halves", "reversed"))
    assert len(one) > 100
    assert one == halves == rev


@pytest.mark.slow
@pytest.mark.parametrize("name", TABLES)
def test_the_tables_are_identical_apart_from_run_and_history_columns(three_ways, name):
    one = _content(three_ways["one"], name)
    assert one == _content(three_ways["halves"], name) == _content(three_ways["reversed"], name)


@pytest.mark.slow
def test_the_history_columns_hold_only_ids_an_earlier_run_published(three_ways):
    published = {r["innovation_id"] for r in _table(three_ways["first_half_alone"], "registry")}
    live = {r["innovation_id"] for r in _table(three_ways["halves"], "registry")}
    retired = {i for r in _table(three_ways["halves"], "registry") for i in json.loads(r["merged_ids"])}
    assert retired <= published - live
    # and every id the first run published still has a row or resolves (never dangles)
    with_aliases = three_ways["halves"] / "inovasi.sqlite"
    aliases = dict(sqlite3.connect(with_aliases).execute("SELECT old_id, new_id FROM id_aliases"))
    assert all(i in live or aliases.get(i) in live for i in published)
    assert set(aliases) == retired
    # in one run nothing was published before: no history at all
    assert all(r["merged_ids"] == "[]" and r["split_from"] == "[]" for r in _table(three_ways["one"], "registry"))
