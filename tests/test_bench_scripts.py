"""Benchmarks are not tests: CI runs each script once on a tiny input only to check that it works."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _bench(*args: str) -> str:
    res = subprocess.run([sys.executable, *args], cwd=BENCH, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    return res.stdout


@pytest.mark.slow
def test_html_throughput_runs_on_a_few_pages(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for p in sorted(SAMPLE.glob("*.html"))[:3]:
        (pages / p.name).write_bytes(p.read_bytes())
    out = _bench("html_throughput.py", str(pages), "--repeat", "1")
    assert "ratio b/a" in out and "pages/s" in out


@pytest.mark.slow
def test_text_throughput_runs_on_a_few_texts():
    out = _bench("text_throughput.py", "--n", "20", "--repeat", "1")
    assert "ratio c/t" in out and "words/s" in out


@pytest.mark.slow
def test_memory_run_runs_on_a_few_articles():
    out = _bench("memory_run.py", "--n", "20")
    assert "peak RSS" in out


@pytest.mark.slow
def test_nightly_rerun_runs_on_a_few_articles():
    out = _bench("nightly_rerun.py", "--n", "30", "--new", "2", "--repeat", "1")
    assert "ratio b/a" in out and "stored signatures" in out


@pytest.mark.slow
def test_syndicated_copies_runs_on_a_few_articles():
    out = _bench("syndicated_copies.py", "--n", "25", "--repeat", "1")
    assert "ratio b/a" in out and "same tables: True" in out
    assert "5 duplicates" in out  # 20% of 25 copies written, each one found
