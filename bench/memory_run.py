"""Peak memory of ``inovasi run`` over N synthetic articles (default 10,000), in a subprocess.

usage: python bench/memory_run.py [--n 10000]
Target: peak RSS under 1.5 GB.  Since issue 18 the client holds one run's cleaned articles between
the prepare and extract phases (the decide phase needs them all); stored articles are never loaded.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, peak_rss_mb, write_synthetic_corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_mem_"))
    corpus = write_synthetic_corpus(work / "in", args.n)
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(corpus), "--out", str(work / "out"),
                          "--quiet"], cwd=ROOT, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(res.stderr)
    rss = peak_rss_mb(children=True)
    n_mentions = sum(1 for _ in open(work / "out" / "mentions.csv", encoding="utf-8")) - 1
    print(f"articles: {args.n}  mentions: {n_mentions}  time: {secs:.1f}s ({args.n / secs:.1f} articles/s)")
    print(f"peak RSS of `inovasi run`: {rss:.0f} MB  (target < 1536 MB)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
