"""Text throughput: inovasi on pre-extracted text vs bare ``spacy.blank("id")`` tokenisation.

usage: python bench/text_throughput.py [--n 2000] [--repeat 3] [--source synthetic|seeds] [--clock wall|cpu]

Measures, on the same texts in one process: (t) ``nlp.pipe`` of a bare blank Indonesian
pipeline; (c) clean + extract (``clean_document`` then ``Extractor.extract_many``); (f) the
full pipeline (``core.run``: read, clean, extract, resolve, store; report off).  Prints
articles/s and words/s and the ratios c/t and f/t (budget: 3x tokenisation).  All three run in
this one process, so ``--clock cpu`` (the process's CPU seconds) gives steadier ratios on a
machine other jobs share.

The seed-like corpus repeats the seeds with a line of their own, which the near-duplicate check
folds (Jaccard ~0.99); since issue 18 a duplicate is never extracted, so (f) would measure
mostly skipped rows.  (f) therefore runs with ``clean.near_dup_threshold`` above 1: every
signature is still made, indexed and its candidates verified, but no copy is folded, and every
article goes through extraction as in (c).
"""
from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from pathlib import Path

from common import SHARED, median, synthetic_article, timed


def texts_for(source: str, n: int) -> list[str]:
    if source == "seeds":
        seeds = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
        # vary each copy a little so near-duplicate detection does not skip the repeats
        return [seeds[i % len(seeds)] + f"\n\nCatatan redaksi nomor {i}.\n" for i in range(n)]
    rng = random.Random(11)
    return [synthetic_article(i, rng) for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--source", choices=["synthetic", "seeds"], default="synthetic")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = ap.parse_args()

    import spacy

    from pipeline.clean import clean_document
    from pipeline.core import run
    from pipeline.work import load_extractor
    from pipeline.records import RawDocument
    from pipeline.settings import Settings

    settings = Settings()
    texts = texts_for(args.source, args.n)
    words = sum(len(t.split()) for t in texts)
    blank = spacy.blank("id")
    extractor = load_extractor(settings)
    work = Path(tempfile.mkdtemp(prefix="bench_text_"))
    inputs = work / "in"
    inputs.mkdir()
    for i, t in enumerate(texts):
        (inputs / f"t{i:06d}.txt").write_text(t, encoding="utf-8")

    def tokenise():
        for _ in blank.pipe(texts, batch_size=settings.extract.batch_size):
            pass

    def clean_extract():
        arts = (clean_document(RawDocument(f"t{i}.txt", "text", t.encode()), settings) for i, t in enumerate(texts))
        for _ in extractor.extract_many(arts):
            pass

    every_article = settings.with_section("clean", near_dup_threshold=1.01)  # see the docstring
    load_extractor(every_article)  # its own cached pipeline: loaded before timing too

    def full(k):
        summary = run([inputs], work / f"out{k}", every_article, report=False)
        assert summary.n_ok == len(texts), f"{summary.n_ok} of {len(texts)} articles extracted"
        return summary

    t_times, c_times, f_times = [], [], []
    for k in range(args.repeat):
        t_times.append(timed(tokenise, clock=args.clock)[0])
        c_times.append(timed(clean_extract, clock=args.clock)[0])
        f_times.append(timed(full, k, clock=args.clock)[0])
    t, c, f = median(t_times), median(c_times), median(f_times)
    n = len(texts)
    print(f"texts: {n} ({args.source}), {words} words; median of {args.repeat} runs ({args.clock} clock)")
    for label, secs in (("(t) spacy.blank('id') tokenise", t), ("(c) clean + extract", c),
                        ("(f) full pipeline (core.run)", f)):
        print(f"{label:34s} {n / secs:9.1f} articles/s {words / secs:11.0f} words/s  ({secs:.2f}s)")
    print(f"ratio c/t: {c / t:.2f}   ratio f/t: {f / t:.2f}   (budget <= 3.0)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
