"""What deciding duplicates before extraction saves on a corpus with syndicated copies.

usage: python bench/syndicated_copies.py [--n 1000] [--share 0.2] [--repeat 3]

Writes ``n`` synthetic articles of which ``share`` are syndicated copies of another one
(another outlet's URL in the file name, a credit line of its own, a dateline changed: a
near-duplicate, not a byte copy), then times ``core.run`` (report off, spaCy loaded beforehand)
in two ways, alternately, median of ``repeat``:

(a) this flow: duplicates decided in the clean stage, only kept articles go to spaCy;
(b) extract-then-dedup, the flow before issue 18: every ok article of the run goes through the
    extractor once, a duplicate's result dropped (as ``core._dedup`` did); emulated by sending the
    articles that the decide phase marked duplicates to the extractor as well.

Prints both, the ratio b/a and how many articles each sent to the extractor; checks that both
produce the same tables.
"""
from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from pathlib import Path

from common import median, synthetic_article, timed

_OUTLETS = ["kabarlembah", "suaratimur", "warta-pesisir", "lintasdaerah", "corongdesa", "berita-kita"]


def write_corpus(folder: Path, n: int, share: float, seed: int = 11) -> tuple[Path, int]:
    """``n`` articles, ``round(n * share)`` of them copies of earlier originals; returns (folder, copies)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    n_copies = round(n * share)
    originals = [synthetic_article(i, rng) for i in range(n - n_copies)]
    for i, text in enumerate(originals):
        (folder / f"asli_{i:06d}.txt").write_text(text, encoding="utf-8")
    for j in range(n_copies):
        src = originals[rng.randrange(len(originals))]
        outlet = rng.choice(_OUTLETS)
        title, _, body = src.partition("\n\n")
        copy = f"{title}\n\n{outlet.upper()} - {body}\nArtikel ini telah tayang di {outlet}.id\n"
        (folder / f"salin_{outlet}_{j:06d}.txt").write_text(copy, encoding="utf-8")
    return folder, n_copies


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--share", type=float, default=0.2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import pipeline.core as core
    import pipeline.work as work
    from pipeline.settings import Settings

    settings = Settings()
    extractor = work.load_extractor(settings)
    sent = {"n": 0}
    real_many = type(extractor).extract_many

    def counting(self, articles):
        articles = list(articles)
        sent["n"] += len(articles)
        return real_many(self, articles)

    type(extractor).extract_many = counting
    real_decide = core.decide

    def extract_then_decide(items, state, s):
        # main's flow sent every ok article to spaCy once: the kept ones go in the extract phase,
        # so the duplicates are sent here (their results dropped, as core._dedup dropped them)
        decided, params = real_decide(items, state, s)
        work.extract_articles([a for (a, _), (d, _) in zip(items, decided) if a.ok and not d.ok], s)
        return decided, params

    tmp = Path(tempfile.mkdtemp(prefix="bench_syndicated_"))
    corpus, n_copies = write_corpus(tmp / "in", args.n, args.share)
    core.run([corpus], tmp / "warm", settings, report=False)  # first-use costs (imports, gazetteer) untimed
    times: dict[str, list[float]] = {"a": [], "b": []}
    sent_by: dict[str, int] = {}
    summaries = {}
    for k in range(args.repeat):
        for variant in ("a", "b"):
            core.decide = real_decide if variant == "a" else extract_then_decide
            sent["n"] = 0
            secs, summary = timed(core.run, [corpus], tmp / f"out_{variant}{k}", settings, report=False)
            times[variant].append(secs)
            sent_by[variant], summaries[variant] = sent["n"], summary
    core.decide = real_decide
    a, b = median(times["a"]), median(times["b"])
    same = all((tmp / f"out_a0/{t}.csv").read_bytes().replace(b"out_a0", b"") ==
               (tmp / f"out_b0/{t}.csv").read_bytes().replace(b"out_b0", b"")
               for t in ("mentions", "registry", "replications"))
    sa = summaries["a"]
    print(f"articles: {args.n}, syndicated copies written: {n_copies} ({args.share:.0%}); "
          f"run: {sa.n_ok} ok, {sa.n_skipped} skipped ({sa.skipped_reasons.get('duplicate', 0)} duplicates); "
          f"median of {args.repeat}")
    print(f"(a) dedup before extraction   {args.n / a:8.1f} articles/s ({a:.2f}s), {sent_by['a']} sent to spaCy")
    print(f"(b) extract then dedup        {args.n / b:8.1f} articles/s ({b:.2f}s), {sent_by['b']} sent to spaCy")
    print(f"ratio b/a: {b / a:.2f}   same tables: {same}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
