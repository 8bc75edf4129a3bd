"""Dask execution gives the same tables as the in-process run."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLE, read_table
from pipeline.core import run

TABLES = ("articles", "mentions", "registry", "replications")
distributed = pytest.importorskip("distributed")


def _tables(out: Path) -> dict:
    tables = {t: read_table(out / f"{t}.csv") for t in TABLES}
    for row in tables["articles"]:
        row.pop("run_id")
    return tables


@pytest.fixture(scope="module")
def reference(tmp_path_factory, sample_out):
    return _tables(sample_out)


@pytest.mark.slow
def test_local_cluster_of_two_processes_gives_identical_tables(tmp_path, reference):
    from pipeline.distributed import connect

    handle = connect(workers=2)
    try:
        assert len(handle.client.scheduler_info()["workers"]) == 2
        run([SAMPLE], tmp_path / "out", client=handle.client, report=False)
    finally:
        handle.close()
    assert _tables(tmp_path / "out") == reference


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_subprocess_scheduler_and_worker_survive_a_worker_killed_mid_task(tmp_path, reference):
    from distributed import Client

    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "INOVASI_KILL_AT": "unit:2", "INOVASI_KILL_ONCE": str(tmp_path / "killed-once")}
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                              "--port", str(port), "--no-dashboard"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", addr, "--nworkers", "1",
                               "--nthreads", "1", "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        client = Client(addr, timeout=30)
        deadline = time.monotonic() + 60
        while not client.scheduler_info()["workers"] and time.monotonic() < deadline:
            time.sleep(0.2)
        run([SAMPLE], tmp_path / "out", client=client, report=False)
        client.close()
    finally:
        worker.terminate()
        sched.terminate()
        worker.wait(30)
        sched.wait(30)
    assert (tmp_path / "killed-once").exists(), "the worker was really killed once"
    assert _tables(tmp_path / "out") == reference
