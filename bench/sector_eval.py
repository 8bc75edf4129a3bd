"""Sector and digital accuracy on ../shared/dev and ../shared/seeds, mention by mention.

usage: python bench/sector_eval.py [--corpus dev,seeds] [--out /tmp/inovasi-sector] [--reuse] [--errors]

Runs ``inovasi run`` on each corpus (``--reuse`` keeps an existing output folder), then
matches gold mentions to system mentions exactly as ``../shared/tools/score.py`` does and
reports, on the matched mentions whose gold has a value:

- ``mention``: the mention's own ``sector`` / ``digital`` (what score.py reads first);
- ``registry``: the value of its registry entry (the majority over the innovation's mentions);
- on dev, the same figures per fold of ``dev/folds.json`` (the cue words are hand-written
  vocabulary, not learned: the folds show the spread, not a train/test split);
- the first place that voted for the chosen sector (name, text, context, agency, article: the
  first one written in ``sector_evidence``) with its accuracy, and how often ``digital`` is empty.

The score.py figures themselves are printed too (``score.py sector=... digital=...``).
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "tools" / "score.py"
CORPORA = {"dev": (SHARED / "dev" / "articles", SHARED / "dev" / "gold.json"),
           "seeds": (SHARED / "seeds", SHARED / "seeds" / "gold.json")}
csv.field_size_limit(sys.maxsize)


def _score_module():
    spec = importlib.util.spec_from_file_location("inovasi_score", SCORE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(inputs: Path, out: Path, reuse: bool) -> None:
    if reuse and (out / "mentions.csv").exists():
        return
    subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(inputs), "--out", str(out), "--quiet"],
                   cwd=ROOT, check=True)


def matched(out: Path, gold: Path, sc) -> list[tuple[dict, dict, dict, dict]]:
    """(gold article, gold innovation, mention row, registry row) of every matched gold mention."""
    articles = sc.read_csv(os.path.join(out, "articles.csv"))
    mentions = sc.read_csv(os.path.join(out, "mentions.csv"))
    registry = {r["innovation_id"]: r for r in sc.read_csv(os.path.join(out, "registry.csv"))}
    by_file = {os.path.basename(a["source"]): a for a in articles}
    by_article: dict[str, list[dict]] = defaultdict(list)
    for m in mentions:
        by_article[m["article_id"]].append(m)
    pairs = []
    for ga in json.loads(gold.read_text(encoding="utf-8"))["articles"]:
        art = by_file.get(ga["file"])
        if not art:
            continue
        seen, preds = set(), []
        for m in by_article.get(art["article_id"], []):  # one per name and id, as score.py
            key = (sc.norm(m["name"]), m["innovation_id"])
            if key not in seen:
                seen.add(key)
                preds.append(m)
        used: set[int] = set()
        for g in ga["innovations"]:
            forms = sc.name_forms(g)
            hit = next((i for i, m in enumerate(preds) if i not in used and sc.name_matches(m["name"], forms)), None)
            if hit is not None:
                used.add(hit)
                pairs.append((ga, g, preds[hit], registry.get(preds[hit]["innovation_id"], {})))
    return pairs


def accuracy(pairs, field: str, source: str, sc) -> tuple[int, int]:
    """(right, scored) of ``field`` read from the mention (falling back to its entry, as score.py)
    or from the registry entry only."""
    ok = n = 0
    for _, g, m, e in pairs:
        if g.get(field) is None or g.get(field) == "":
            continue
        n += 1
        value = (m.get(field) or e.get(field)) if source == "mention" else e.get(field)
        if field == "sector":
            ok += sc.norm(value) == sc.norm(g["sector"])
        else:
            ok += sc.as_bool(value) == g["digital"]
    return ok, n


def fmt(ok: int, n: int) -> str:
    return f"{ok / n:.3f} ({ok}/{n})" if n else "-"


def report(name: str, out: Path, gold: Path, sc, errors: bool) -> None:
    pairs = matched(out, gold, sc)
    res = subprocess.run([sys.executable, str(SCORE), "--out", str(out), str(gold), "--quiet"],
                         capture_output=True, text=True, check=True)
    figs = dict(kv.split("=") for kv in res.stdout.split() if "=" in kv)
    print(f"== {name}: {len(pairs)} matched gold mentions; score.py sector={figs['sector']} digital={figs['digital']}")
    for field in ("sector", "digital"):
        print(f"  {field:8s} mention {fmt(*accuracy(pairs, field, 'mention', sc)):18s} "
              f"registry {fmt(*accuracy(pairs, field, 'registry', sc))}")
    if name == "dev":
        folds = json.loads((SHARED / "dev" / "folds.json").read_text(encoding="utf-8"))["folds"]
        for i, files in enumerate(folds):
            part = [p for p in pairs if p[0]["file"] in set(files)]
            print(f"  fold {i}: sector {fmt(*accuracy(part, 'sector', 'mention', sc)):18s} "
                  f"digital {fmt(*accuracy(part, 'digital', 'mention', sc))}")
    by_place: dict[str, Counter] = defaultdict(Counter)
    for _, g, m, _ in pairs:
        place = (m.get("sector_evidence") or "none:").split(":")[0]
        by_place[place]["n"] += 1
        by_place[place]["ok"] += sc.norm(m.get("sector")) == sc.norm(g.get("sector"))
    print("  sector first voted by: " + ", ".join(
        f"{p} {c['ok']}/{c['n']}" for p, c in sorted(by_place.items(), key=lambda kv: -kv[1]["n"])))
    said = [p for p in pairs if p[1].get("digital") is not None]
    print(f"  digital empty where gold says: {sum(1 for p in said if not p[2].get('digital'))}/{len(said)}; "
          f"said where gold is null: {sum(1 for p in pairs if p[1].get('digital') is None and p[2].get('digital'))}"
          f"/{sum(1 for p in pairs if p[1].get('digital') is None)}")
    if errors:
        for ga, g, m, _ in pairs:
            if sc.norm(m.get("sector")) != sc.norm(g.get("sector")):
                print(f"    sector {g['sector']} <- {m.get('sector') or '-'}: {m['name']} [{m.get('sector_evidence')}]"
                      f" {ga['file']}")
            if g.get("digital") is not None and sc.as_bool(m.get("digital")) != g["digital"]:
                print(f"    digital {g['digital']} <- {m.get('digital') or '-'}: {m['name']} "
                      f"[{m.get('digital_evidence')}] {ga['file']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="dev,seeds")
    ap.add_argument("--out", default="/tmp/inovasi-sector")
    ap.add_argument("--reuse", action="store_true", help="score an existing output folder instead of running")
    ap.add_argument("--errors", action="store_true", help="list every wrong mention")
    args = ap.parse_args()
    if not SCORE.exists():
        print(f"no {SCORE}: nothing to measure", file=sys.stderr)
        return 1
    sc = _score_module()
    for name in args.corpus.split(","):
        inputs, gold = CORPORA[name]
        out = Path(args.out) / name
        run(inputs, out, args.reuse)
        report(name, out, gold, sc, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
