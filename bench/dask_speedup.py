"""Articles per second in-process and on a local Dask cluster of 1 and 2 worker processes.

usage: python bench/dask_speedup.py [--n 2000]
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from common import timed, write_synthetic_corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args()

    from pipeline.core import run
    from pipeline.work import load_extractor
    from pipeline.distributed import connect
    from pipeline.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="bench_dask_"))
    corpus = write_synthetic_corpus(work / "in", args.n)
    settings = Settings()
    load_extractor(settings)
    secs_inproc, _ = timed(run, [corpus], work / "inproc", settings, report=False)
    results = {"in-process": secs_inproc}
    for workers in (1, 2):
        handle = connect(workers=workers)
        try:
            # warm the workers (spaCy load) outside the timing, like the in-process run
            handle.client.run(lambda: __import__("pipeline.work").work.load_extractor(Settings()) and None)
            secs, _ = timed(run, [corpus], work / f"dask{workers}", settings, client=handle.client, report=False)
        finally:
            handle.close()
        results[f"dask {workers} worker{'s' if workers > 1 else ''}"] = secs
    for label, secs in results.items():
        print(f"{label:16s} {args.n / secs:8.1f} articles/s  ({secs:.1f}s)")
    print(f"speed-up 2 workers vs 1: {results['dask 1 worker'] / results['dask 2 workers']:.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
