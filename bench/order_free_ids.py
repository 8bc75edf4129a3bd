"""Do innovation ids depend on how the articles arrived?  (issue 17)

usage: python bench/order_free_ids.py [--dev 57] [--no-seeds] [FOLDER ...]

Takes the seed articles (``../shared/seeds``) plus the first ``--dev`` articles of
``../shared/dev/articles`` (sorted by name), or the files under the FOLDERs given, and runs
them three ways into fresh output folders: (1) all in one run, (2) in two runs, first half then
second half, (3) in two runs, second half first.  Prints the share of mentions (article_id and
name) that get the same ``innovation_id`` in all three, and whether the registry tables are
identical apart from the history columns (run ids, ids retired by earlier runs).
"""
from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
from pathlib import Path

from common import SHARED

HISTORY = {"registry": {"merged_ids", "split_from"}, "articles": {"run_id", "source"}}


def corpus(args) -> list[Path]:
    if args.folders:
        return sorted(p for f in args.folders for p in Path(f).rglob("*") if p.suffix in (".txt", ".html", ".jsonl"))
    files = [] if args.no_seeds else sorted((SHARED / "seeds").glob("*.txt"))
    return files + sorted((SHARED / "dev" / "articles").glob("*"))[: args.dev]


def stage(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for f in files:
        shutil.copy2(f, folder / f.name)
    return folder


def table(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def ids(out: Path) -> dict[tuple[str, str], str]:
    return {(r["article_id"], r["name"]): r["innovation_id"] for r in table(out, "mentions")}


def content(out: Path, name: str) -> list[tuple]:
    drop = HISTORY.get(name, set())
    return sorted(tuple(sorted((k, v) for k, v in r.items() if k not in drop)) for r in table(out, name))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=int, default=57)
    ap.add_argument("--no-seeds", action="store_true")
    ap.add_argument("folders", nargs="*")
    args = ap.parse_args()

    from pipeline.core import run
    from pipeline.settings import Settings

    settings = Settings()
    files = corpus(args)
    h = len(files) // 2
    work = Path(tempfile.mkdtemp(prefix="bench_order_free_"))
    first, second = stage(files[:h], work / "first"), stage(files[h:], work / "second")
    ways = {"one run": [[first, second]], "halves": [[first], [second]], "reversed": [[second], [first]]}
    outs = {}
    for way, runs in ways.items():
        outs[way] = work / way.replace(" ", "_")
        for inputs in runs:
            run(inputs, outs[way], settings, report=False)
    by_way = {way: ids(out) for way, out in outs.items()}
    keys = set().union(*by_way.values())
    same = sum(len({by_way[w].get(k) for w in by_way}) == 1 for k in keys)
    print(f"{len(files)} articles, {len(keys)} mentions: {same}/{len(keys)} = {same / max(len(keys), 1):.3f} "
          "get the same innovation_id in one run, in halves and in reversed halves")
    for name in ("articles", "mentions", "registry", "replications"):
        equal = len({repr(content(out, name)) for out in outs.values()}) == 1
        print(f"  {name}: {'identical' if equal else 'DIFFERENT'} apart from {sorted(HISTORY.get(name, ())) or '-'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
