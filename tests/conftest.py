"""Shared fixtures: paths, and one pipeline run over the sample corpus reused by the e2e tests."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLE = ROOT / "corpora" / "sample"

requires_shared = pytest.mark.skipif(not (SEEDS / "gold.json").exists(),
                                     reason="../shared/seeds is not present beside the repo")

csv.field_size_limit(sys.maxsize)


def read_table(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory) -> Path:
    """The sample corpus run once (in-process) for every test that only reads its output."""
    from pipeline.core import run

    out = tmp_path_factory.mktemp("sample_run")
    run([SAMPLE], out)
    return out


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory) -> Path:
    if not (SEEDS / "gold.json").exists():
        pytest.skip("../shared/seeds is not present beside the repo")
    from pipeline.core import run

    out = tmp_path_factory.mktemp("seeds_run")
    run([SEEDS], out)
    return out


@pytest.fixture(scope="session")
def ex(tmp_path_factory):
    """One extractor for all extract tests: built from corpora/ into a temporary folder once
    per session (building and loading it per test file took most of their time)."""
    from pipeline.extract import Extractor
    from pipeline.settings import Settings

    model = tmp_path_factory.mktemp("model") / "inovasi_id"
    # the rules alone: these tests are about the rule families (the learned part: test_extract_learn.py)
    return Extractor.load(Settings().with_section("extract", model_dir=str(model), learned_dir=""))
