"""HTML story quality: the pipeline's cleaner vs ``trafilatura.extract`` alone, same pages, one run.

usage: python bench/html_quality.py [DIR] [--verbose]

DIR (default ``tests/fixtures/html_real_templates``) holds ``NAME.html`` pages with their true story
text in ``NAME.txt``.  For each page: (a) ``trafilatura.extract(html)``; (b) the text of
``pipeline.clean.clean_document`` (what ``inovasi run`` stores).  Each is scored against the truth by
bag-of-words precision, recall and F1 (lower-cased word tokens, counted with multiplicity); the
report gives the per-page F1 and the micro-averaged figures of both.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from common import ROOT

_TOKEN = re.compile(r"\w+", re.UNICODE)


def bag(text: str) -> Counter:
    return Counter(t.casefold() for t in _TOKEN.findall(text or ""))


def overlap(pred: Counter, gold: Counter) -> tuple[int, int, int]:
    """(common tokens, predicted tokens, true tokens)."""
    return sum((pred & gold).values()), sum(pred.values()), sum(gold.values())


def prf(common: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = common / n_pred if n_pred else 0.0
    r = common / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default=str(ROOT / "tests" / "fixtures" / "html_real_templates"))
    ap.add_argument("--verbose", action="store_true", help="print the words each side got wrong")
    args = ap.parse_args()

    import trafilatura

    from pipeline.clean import clean_document
    from pipeline.records import RawDocument
    from pipeline.settings import Settings

    settings = Settings()
    pages = sorted(p for p in Path(args.dir).glob("*.html") if p.with_suffix(".txt").exists())
    if not pages:
        raise SystemExit(f"no NAME.html + NAME.txt pairs in {args.dir}")
    totals = {"trafilatura": [0, 0, 0], "inovasi": [0, 0, 0]}
    print(f"{'page':32s} {'trafilatura F1':>15s} {'inovasi F1':>11s}")
    for page in pages:
        html = page.read_bytes()
        gold = bag(page.with_suffix(".txt").read_text(encoding="utf-8"))
        texts = {"trafilatura": trafilatura.extract(html) or "",
                 "inovasi": clean_document(RawDocument(page.name, "html", html), settings).text}
        f1s = []
        for name, text in texts.items():
            pred = bag(text)
            counts = overlap(pred, gold)
            totals[name] = [a + b for a, b in zip(totals[name], counts)]
            f1s.append(prf(*counts)[2])
            if args.verbose:
                extra, missing = pred - gold, gold - pred
                print(f"    {name}: extra {sorted(extra.elements())[:40]} missing {sorted(missing.elements())[:40]}")
        print(f"{page.stem:32s} {f1s[0]:15.3f} {f1s[1]:11.3f}")
    for name, counts in totals.items():
        p, r, f = prf(*counts)
        print(f"{name:12s} micro P={p:.3f} R={r:.3f} F1={f:.3f}")


if __name__ == "__main__":
    main()
