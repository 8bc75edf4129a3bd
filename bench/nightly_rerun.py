"""A nightly run over a large archive: the cost of re-indexing stored stories for near-duplicates.

usage: python bench/nightly_rerun.py [--n 20000] [--new 20] [--repeat 3]

Builds an output folder with N stored synthetic articles, then times, alternately in this one
process, a later run that adds ``--new`` articles (a) with the stored MinHash signatures (what
``inovasi run`` does) and (b) with the signatures table emptied, so every stored story is hashed
again from its text (what it did before signatures were kept).  Prints both and the ratio b/a.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import tempfile
from pathlib import Path

from common import median, synthetic_article, timed, write_synthetic_corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--new", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from pipeline.core import run
    from pipeline.work import load_extractor
    from pipeline.settings import Settings

    settings = Settings()
    load_extractor(settings)
    work = Path(tempfile.mkdtemp(prefix="bench_nightly_"))
    base = work / "base"
    t_build, _ = timed(run, [write_synthetic_corpus(work / "in", args.n)], base, settings, report=False)
    rng = random.Random(5)
    with_sigs, rehash = [], []
    for k in range(args.repeat):
        new = work / f"new{k}"
        new.mkdir()
        for i in range(args.new):
            (new / f"n{k}_{i}.txt").write_text(synthetic_article(10_000_000 + k * 1000 + i, rng), encoding="utf-8")
        for label, times in (("sigs", with_sigs), ("rehash", rehash)):
            out = work / f"{label}{k}"
            shutil.copytree(base, out)
            if label == "rehash":
                db = sqlite3.connect(out / "state.sqlite")
                db.execute("DELETE FROM signatures")
                db.commit()
                db.close()
            times.append(timed(run, [new], out, settings, report=False)[0])
            shutil.rmtree(out)
    a, b = median(with_sigs), median(rehash)
    print(f"stored articles: {args.n} (built in {t_build:.1f}s); new per run: {args.new}; median of {args.repeat}")
    print(f"(a) later run, stored signatures      {a:7.2f}s")
    print(f"(b) later run, re-hashing stored texts {b:7.2f}s")
    print(f"ratio b/a: {b / a:.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
