"""HTML throughput: trafilatura's extract alone vs the full inovasi pipeline, same pages, one process.

usage: python bench/html_throughput.py [DIR] [--limit N] [--repeat K] [--all-languages]

(a) ``trafilatura.extract`` on every page; (b) ``inovasi`` clean + extract + resolve + store
(``core.run`` into a fresh folder, report off, spaCy pipeline loaded beforehand).  Each is run
K times alternately and the median is reported, with the ratio b/a (target <= 1.3).
``--all-languages`` turns the language check off so that every page also goes through
extraction (the bench pages are mostly not Indonesian).
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from common import SHARED, median, peak_rss_mb, timed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default=str(SHARED / "bench" / "html"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--all-languages", action="store_true")
    args = ap.parse_args()

    import trafilatura

    from pipeline.core import run
    from pipeline.work import load_extractor
    from pipeline.settings import Settings

    pages = sorted(Path(args.dir).glob("*.htm*"))
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        raise SystemExit(f"no .html pages in {args.dir}")
    settings = Settings()
    if args.all_languages:
        settings = settings.with_section("clean", language_check=False)
    load_extractor(settings)  # model load is start-up cost, not per page
    work = Path(tempfile.mkdtemp(prefix="bench_html_"))
    inputs = work / "in"
    inputs.mkdir()
    for p in pages:
        shutil.copy2(p, inputs / p.name)
    blobs = [p.read_bytes() for p in pages]

    def trafilatura_alone():
        for b in blobs:
            trafilatura.extract(b)

    def full_pipeline(k: int):
        out = work / f"out{k}"
        return run([inputs], out, settings, report=False)

    a_times, b_times, summary = [], [], None
    for k in range(args.repeat):
        a_times.append(timed(trafilatura_alone)[0])
        t, summary = timed(full_pipeline, k)
        b_times.append(t)
    a, b = median(a_times), median(b_times)
    n = len(pages)
    print(f"pages: {n} from {args.dir} (language check {'off' if args.all_languages else 'on'}; "
          f"{summary.n_ok} ok, {summary.n_skipped} skipped, {summary.n_failed} failed)")
    print(f"(a) trafilatura.extract alone: {n / a:8.1f} pages/s  (median of {args.repeat}: {a:.2f}s)")
    print(f"(b) inovasi full pipeline:     {n / b:8.1f} pages/s  (median of {args.repeat}: {b:.2f}s)")
    print(f"ratio b/a: {b / a:.2f}  (target <= 1.3)   peak RSS {peak_rss_mb():.0f} MB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
