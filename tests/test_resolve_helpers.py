"""Shared helpers of the resolve tests (imported by the other test_resolve_* files)."""
from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

from pipeline.records import Event, Mention

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS_GOLD = SHARED / "seeds" / "gold.json"
SAMPLE_GOLD = ROOT / "corpora" / "sample" / "gold.json"


def bench_module():
    spec = importlib.util.spec_from_file_location("resolve_scale", ROOT / "bench" / "resolve_scale.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def pairwise(truth, pred) -> tuple[float, float, float]:
    """Pairwise P/R/F1 of two labelings: the benchmark's own scorer, so both measure alike."""
    return bench_module().pairwise(truth, pred)


def gold_mentions(path: Path, prefix: str = "") -> tuple[list[Mention], list[str]]:
    """One mention per gold innovation per article, written as the gold names it; and gold ids."""
    data = json.loads(path.read_text(encoding="utf-8"))
    ms, ids = [], []
    for art in data["articles"]:
        aid = prefix + art["file"]
        for g in art["innovations"]:
            events = tuple(Event(e.get("competition", ""), e.get("scope", ""), e.get("stage", ""), e.get("year"))
                           for e in g.get("events", []) + art.get("events_for_all", []))
            ms.append(Mention(article_id=aid, name=g["name"], expansion=g.get("expansion", "") or "",
                              agency=g.get("agency", "") or "", region=g.get("region", "") or "",
                              events=events, published=art.get("date") or ""))
            ids.append(g["id"])
    return ms, ids


def gold_replications(path: Path, prefix: str = ""):
    from pipeline.records import Replication

    data = json.loads(path.read_text(encoding="utf-8"))
    return [Replication(prefix + a["file"], r["source"], r.get("target") or "", r.get("target_region") or "")
            for a in data["articles"] for r in a.get("replications", [])]


def test_pairwise_counts_pairs():
    # truth {0,1,2},{3}; prediction {0,1},{2,3}: 1 true pair found of 3, 1 of 2 predicted pairs right
    p, r, f = pairwise([0, 0, 0, 1], ["a", "a", "b", "b"])
    assert (p, round(r, 3)) == (0.5, 0.333)
    assert pairwise([1, 2], ["x", "y"]) == (1.0, 1.0, 1.0)
