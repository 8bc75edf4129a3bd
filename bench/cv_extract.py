"""Cross-validated extraction figures on ../shared/dev: rules only, model only, combined.

usage: python bench/cv_extract.py [--variants rules,model,combined] [--out /tmp/inovasi-cv] [--seed 0]

For each of the five fixed folds of ``../shared/dev/folds.json`` (every innovation's
articles in one fold): train the name classifier on the other four folds plus the team's
``corpora/sample`` (never ``corpora/holdout``), run ``inovasi run`` on the held-out fold,
score it with ``../shared/tools/score.py``.  The five held-out outputs are then pooled
(their tables concatenated) and all 138 articles scored at once; the spread is the lowest
and highest fold.  ``rules``: the rule pipeline alone; ``model``: the classifier without
the rule families' features; ``combined``: the classifier with them.  Owners, regions,
events and replications come from the rules in every variant.
"""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
DEV = SHARED / "dev"
SCORE = SHARED / "tools" / "score.py"
FIELDS = ("names_p", "names_r", "names", "agency", "region", "year", "repl", "dedup")
TABLES = ("articles", "mentions", "replications", "registry")

csv.field_size_limit(sys.maxsize)


def score(out: Path, gold: Path) -> dict[str, float]:
    res = subprocess.run([sys.executable, str(SCORE), "--out", str(out), str(gold), "--quiet"],
                         capture_output=True, text=True, check=True)
    return {k: float(v) for k, v in (kv.split("=") for kv in res.stdout.split() if "=" in kv)}


def fold_gold(files: list[str], dest: Path) -> Path:
    gold = json.loads((DEV / "gold.json").read_text(encoding="utf-8"))
    gold["articles"] = [a for a in gold["articles"] if a["file"] in set(files)]
    dest.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return dest


def pool(outs: list[Path], dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        rows, header = [], None
        for o in outs:
            with open(o / f"{t}.csv", newline="", encoding="utf-8") as fh:
                r = csv.DictReader(fh)
                header = header or r.fieldnames
                rows.extend(r)
        with open(dest / f"{t}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=header)
            w.writeheader()
            w.writerows(rows)
    return dest


def run_variant(variant: str, folds: list[list[str]], work: Path, seed: int) -> dict:
    from pipeline.core import run
    from pipeline.extract.train import train
    from pipeline.settings import Settings

    outs, per_fold = [], []
    for k, files in enumerate(folds):
        held = work / f"fold{k}" / "articles"
        if not held.exists():
            held.mkdir(parents=True)
            for f in files:
                shutil.copy(DEV / "articles" / f, held / f)
        model_dir = ""
        if variant != "rules":
            train_files = {f for j, fs in enumerate(folds) if j != k for f in fs}
            model_dir = str(work / variant / f"model{k}")
            t = time.perf_counter()
            _train_fold(train, model_dir, train_files, seed, variant == "combined")
            print(f"  fold {k}: trained in {time.perf_counter() - t:.1f}s", flush=True)
        out = work / variant / f"out{k}"
        shutil.rmtree(out, ignore_errors=True)
        run([held], out, Settings().with_section("extract", learned_dir=model_dir), report=False)
        per_fold.append(score(out, fold_gold(files, work / f"fold{k}" / "gold.json")))
        outs.append(out)
    pooled = score(pool(outs, work / variant / "pooled"), DEV / "gold.json")
    return {"pooled": pooled, "folds": per_fold}


def _train_fold(train, model_dir: str, files: set[str], seed: int, with_rules: bool) -> None:
    """Train on the dev files of four folds plus corpora/sample (all of it)."""
    from pipeline.extract.train import train_parts

    train_parts([(DEV / "gold.json", files), (ROOT / "corpora" / "sample" / "gold.json", None)], model_dir,
                seed=seed, with_rules=with_rules)


def table(results: dict) -> str:
    lines = ["| variant | " + " | ".join(FIELDS) + " |", "|---" * (len(FIELDS) + 1) + "|"]
    for variant, r in results.items():
        cells = []
        for f in FIELDS:
            vals = [fold[f] for fold in r["folds"]]
            cells.append(f"{r['pooled'][f]:.3f} ({min(vals):.2f}–{max(vals):.2f})")
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="rules,model,combined")
    ap.add_argument("--out", default="/tmp/inovasi-cv")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if not (DEV / "folds.json").exists():
        sys.exit(f"{DEV} is not present beside the repo")
    folds = json.loads((DEV / "folds.json").read_text(encoding="utf-8"))["folds"]
    work = Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for variant in args.variants.split(","):
        print(f"{variant}:", flush=True)
        results[variant] = run_variant(variant, folds, work, args.seed)
    (work / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("pooled over the five held-out folds (lowest–highest fold):")
    print(table(results))


if __name__ == "__main__":
    main()
