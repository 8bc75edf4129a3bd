"""Evaluate an output folder against gold annotations (``inovasi evaluate``).

Gold files follow the schema of ``../shared/seeds/gold.json`` and the rules of
``../shared/spec/annotation.md``; the matching rules are those of the project's
scorer, so figures are comparable: a predicted name matches a gold name, alias or
expansion when their normalised forms are equal or similar (ratio >= 0.88);
agency and region are scored on matched mentions; dedup is pairwise P/R/F1 of
registry ids over matched gold mentions; cleaning is the share of gold
boilerplate lines gone and keep lines present exactly once.
"""
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

from .settings import CORPORA_DIR

csv.field_size_limit(sys.maxsize)

MATCH_RATIO = 0.88
REGION_RATIO = 0.9
AGENCY_OVERLAP = 0.8


def _load_json(name: str) -> dict:
    return json.loads((CORPORA_DIR / "eval" / name).read_text(encoding="utf-8"))


_TABLES = _load_json("matching.json")
ABBREV: dict[str, str] = _TABLES["agency_abbreviations"]
AGENCY_STOP = set(_TABLES["agency_stop_words"])
REGION_ALIAS: dict[str, str] = _TABLES["region_aliases"]
REGION_TYPE: dict[str, str] = _TABLES["region_types"]


def norm(s) -> str:
    s = unicodedata.normalize("NFKC", str(s or "")).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def name_forms(g: dict) -> set[str]:
    forms = [g["name"], *g.get("aliases", [])]
    if g.get("expansion"):
        forms.append(g["expansion"])
    return {norm(f) for f in forms if norm(f)}


def name_matches(pred: str, forms: set[str]) -> bool:
    p = norm(pred)
    return bool(p) and (p in forms or any(similar(p, f) >= MATCH_RATIO for f in forms))


def agency_words(s: str) -> set[str]:
    words: list[str] = []
    for w in norm(s).split():
        words.extend(ABBREV.get(w, w).split())
    return {w for w in words if w not in AGENCY_STOP}


def agency_matches(pred: str, gold: str) -> bool:
    a, b = agency_words(pred), agency_words(gold)
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= AGENCY_OVERLAP


def region_key(s: str) -> tuple[str | None, str]:
    words = norm(s).split()
    kind = None
    while words and words[0] in REGION_TYPE:
        kind = REGION_TYPE[words.pop(0)]
    core = " ".join(words)
    core = REGION_ALIAS.get(core, core)
    if core in ("nasional", "pusat", "national"):
        return "nasional", "nasional"
    return kind, core


def region_matches(pred: str, gold: str) -> bool:
    (pk, pc), (gk, gc) = region_key(pred), region_key(gold)
    if not pc or not gc:
        return False
    same_core = pc == gc or similar(pc, gc) >= REGION_RATIO
    return same_core and (pk == gk or pk is None or gk is None)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class ArticleResult:
    file: str
    found: bool
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    wrong_agency: list = field(default_factory=list)
    wrong_region: list = field(default_factory=list)
    wrong_year: list = field(default_factory=list)
    missed_replications: list = field(default_factory=list)
    boilerplate_left: list = field(default_factory=list)
    keep_lost: list = field(default_factory=list)


@dataclass
class Scores:
    figures: dict
    articles: list[ArticleResult]
    counts: dict

    def to_json(self) -> str:
        return json.dumps({"figures": self.figures, "counts": self.counts,
                           "articles": [asdict(a) for a in self.articles]}, indent=2, ensure_ascii=False)

    def failures(self, floors: dict[str, float]) -> list[str]:
        return [f"{k}={self.figures[k]:.3f}<{v}" for k, v in floors.items() if self.figures[k] < v]


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _ws(s) -> str:
    return " ".join(str(s or "").split())


# a leading dateline ("MAKASSAR –", "KOMPAS.com –") is metadata: the story may drop it
DATELINE = re.compile(r"^[A-Za-z][\w .,'()/]{0,60}?\s[\u2013\u2014-]+\s")
COUNTERS = ["tp", "fp", "fn", "agency_ok", "agency_n", "region_ok", "region_n", "year_ok", "year_n",
            "date_ok", "date_n", "sector_ok", "sector_n", "digital_ok", "digital_n",
            "rtp", "rfp", "rfn", "b_removed", "b_n", "k_kept", "k_n"]


def as_bool(v) -> bool | None:
    """'true'/'1'/'yes'/'ya' -> True, 'false'/'0'/'no'/'tidak' -> False, else None."""
    v = str(v if v is not None else "").strip().lower()
    return True if v in ("true", "1", "yes", "ya") else False if v in ("false", "0", "no", "tidak") else None


@dataclass
class _Output:
    """An output folder's tables, indexed the way the scorer looks them up."""

    by_file: dict
    mentions: dict
    replications: dict
    registry: dict

    @classmethod
    def read(cls, out: Path) -> "_Output":
        by_file: dict[str, dict] = {}
        for a in _read_csv(out / "articles.csv"):
            by_file.setdefault(Path(a.get("source", "")).name, a)
        ment: dict[str, list] = {}
        repl: dict[str, list] = {}
        for m in _read_csv(out / "mentions.csv"):
            ment.setdefault(m.get("article_id"), []).append(m)
        for r in _read_csv(out / "replications.csv"):
            repl.setdefault(r.get("article_id"), []).append(r)
        registry = {r.get("innovation_id"): r for r in _read_csv(out / "registry.csv")}
        return cls(by_file, ment, repl, registry)


def load_gold(gold_paths: list[str | Path]) -> list[dict]:
    """The articles of every gold file; a file that is not gold JSON raises ``ValueError``."""
    articles = []
    for g in gold_paths:
        try:
            data = json.loads(Path(g).read_text(encoding="utf-8"))
            articles.extend(data["articles"])
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{g}: not a gold file ({type(exc).__name__}: {exc})") from None
    return articles


def evaluate(out_dir: str | Path, gold_paths: list[str | Path]) -> Scores:
    output = _Output.read(Path(out_dir))
    c = dict.fromkeys(COUNTERS, 0)
    pairs: list[tuple[str, str]] = []
    results = []
    for ga in load_gold(gold_paths):
        art = output.by_file.get(ga["file"])
        aid = art.get("article_id") if art else None
        res = ArticleResult(ga["file"], art is not None)
        if len(str(ga.get("date") or "")) >= 10:  # publication date, where the gold knows the day
            c["date_n"] += 1
            c["date_ok"] += bool(art) and str(art.get("published", ""))[:10] == str(ga["date"])[:10]
        _score_mentions(ga, _unique_mentions(output.mentions.get(aid, []) if aid else []), output.registry,
                        aid, res, c, pairs)
        _score_replications(ga, output.replications.get(aid, []) if aid else [], res, c)
        _score_cleaning(ga, _ws(art.get("text", "")) if art else "", res, c)
        results.append(res)
    return Scores(_figures(c, pairs), results, _counts(c, pairs))


def _unique_mentions(mentions: list[dict]) -> list[dict]:
    preds, seen = [], set()
    for m in mentions:
        key = (norm(m.get("name")), m.get("innovation_id"))
        if key not in seen:  # one mention per innovation per article
            seen.add(key)
            preds.append(m)
    return preds


def _score_mentions(ga: dict, preds: list[dict], registry: dict, aid, res: ArticleResult, c: dict,
                    pairs: list) -> None:
    used: set[int] = set()
    for g in ga["innovations"]:
        forms = name_forms(g)
        hit = next((i for i, m in enumerate(preds) if i not in used and name_matches(m.get("name"), forms)), None)
        if hit is None:
            res.missed.append(g["name"])
            continue
        used.add(hit)
        res.tp += 1
        pairs.append((g["id"], preds[hit].get("innovation_id") or f"_{aid}_{hit}"))
        _score_fields(ga, g, preds[hit], registry.get(preds[hit].get("innovation_id"), {}), res, c)
    optional = {norm(o) for o in ga.get("optional", [])}
    for i, m in enumerate(preds):
        if i in used:
            continue
        n = norm(m.get("name"))
        if n in optional or any(similar(n, o) >= MATCH_RATIO for o in optional):
            continue
        res.fp += 1
        res.extra.append(m.get("name"))
    res.fn = len(res.missed)
    c["tp"], c["fp"], c["fn"] = c["tp"] + res.tp, c["fp"] + res.fp, c["fn"] + res.fn


def _score_fields(ga: dict, g: dict, m: dict, entry: dict, res: ArticleResult, c: dict) -> None:
    """Agency, region, sector, digital and year of one matched mention."""
    if g.get("agency"):
        c["agency_n"] += 1
        ok = agency_matches(m.get("agency", ""), g["agency"]) or agency_matches(
            m.get("agency_canonical", ""), g["agency"])
        c["agency_ok"] += ok
        if not ok:
            res.wrong_agency.append(f"{g['name']}: {m.get('agency')!r} != {g['agency']!r}")
    if g.get("region"):
        c["region_n"] += 1
        ok = region_matches(m.get("region", ""), g["region"])
        c["region_ok"] += ok
        if not ok:
            res.wrong_region.append(f"{g['name']}: {m.get('region')!r} != {g['region']!r}")
    # sector and digital: the mention's own column, else its registry entry's
    if g.get("sector"):
        c["sector_n"] += 1
        c["sector_ok"] += norm(m.get("sector") or entry.get("sector")) == norm(g["sector"])
    if g.get("digital") is not None:
        c["digital_n"] += 1
        c["digital_ok"] += as_bool(m.get("digital") or entry.get("digital")) == g["digital"]
    gyears = {e.get("year") for e in g.get("events", []) + ga.get("events_for_all", []) if e.get("year")}
    if gyears:
        c["year_n"] += 1
        try:
            ok = int(float(m.get("year") or 0)) in gyears
        except ValueError:
            ok = False
        c["year_ok"] += ok
        if not ok:
            res.wrong_year.append(f"{g['name']}: {m.get('year')!r} not in {sorted(gyears)}")


def _score_replications(ga: dict, preds_r: list[dict], res: ArticleResult, c: dict) -> None:
    used_r: set[int] = set()
    for gr in ga.get("replications", []):
        sforms = {norm(gr["source"])}
        tforms = {norm(gr["target"])} if gr.get("target") else None
        hit = next((i for i, r in enumerate(preds_r) if i not in used_r
                    and name_matches(r.get("source_name"), sforms)
                    and (not tforms or name_matches(r.get("target_name"), tforms))), None)
        if hit is None:
            c["rfn"] += 1
            res.missed_replications.append(f"{gr['source']} -> {gr.get('target')}")
        else:
            used_r.add(hit)
            c["rtp"] += 1
    c["rfp"] += len(preds_r) - len(used_r)


def _score_cleaning(ga: dict, text: str, res: ArticleResult, c: dict) -> None:
    for line in ga.get("boilerplate", []):
        c["b_n"] += 1
        gone = _ws(line) not in text
        c["b_removed"] += gone
        if not gone:
            res.boilerplate_left.append(line)
    for line in ga.get("keep", []):
        c["k_n"] += 1
        body = DATELINE.sub("", _ws(line), count=1)
        kept = text.count(_ws(line)) == 1 or (body != _ws(line) and text.count(body) == 1)
        c["k_kept"] += kept
        if not kept:
            res.keep_lost.append(line)


def _dedup_counts(pairs: list[tuple[str, str]]) -> tuple[int, int, int]:
    ptp = pfp = pfn = 0
    for (g1, p1), (g2, p2) in combinations(pairs, 2):
        ptp += g1 == g2 and p1 == p2
        pfp += p1 == p2 and g1 != g2
        pfn += g1 == g2 and p1 != p2
    return ptp, pfp, pfn


def _share(c: dict, key: str) -> float:
    return c[f"{key}_ok"] / c[f"{key}_n"] if c[f"{key}_n"] else 0.0


def _figures(c: dict, pairs: list) -> dict:
    p, r, f = prf(c["tp"], c["fp"], c["fn"])
    rp, rr, rf = prf(c["rtp"], c["rfp"], c["rfn"])
    ptp, pfp, pfn = _dedup_counts(pairs)
    dp, dr, df = prf(ptp, pfp, pfn)
    return {
        "names_p": p, "names_r": r, "names": f,
        **{k: _share(c, k) for k in ("agency", "region", "year", "date", "sector", "digital")},
        "repl_p": rp, "repl_r": rr, "repl": rf,
        "dedup_p": dp, "dedup_r": dr, "dedup": df if ptp + pfn else 1.0,
        "boilerplate_removed": c["b_removed"] / c["b_n"] if c["b_n"] else 1.0,
        "content_kept": c["k_kept"] / c["k_n"] if c["k_n"] else 1.0,
    }


def _counts(c: dict, pairs: list) -> dict:
    ptp, _, pfn = _dedup_counts(pairs)
    return {"gold_mentions": c["tp"] + c["fn"], "predicted": c["tp"] + c["fp"], "tp": c["tp"],
            "dedup_pairs_same_gold": ptp + pfn, "gold_replications": c["rtp"] + c["rfn"],
            "predicted_replications": c["rtp"] + c["rfp"]}
