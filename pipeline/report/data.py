"""Load the exported tables of a run and shape them for the report.

Everything read here came from the web (titles, names, evidence), so nothing in
this module formats HTML: it returns plain Python values, and the renderers
escape them (``html.escape`` server-side, ``textContent`` in the browser).
Article text is never loaded: the report links to articles, it does not copy them.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..settings import ReportSettings
from ..store import schema

# The report reads every column of the column spec but these (article text is never loaded);
# a column that the file lacks is filled with None.
_NOT_READ = {"articles": {"text"}, "runs": {"settings", "inputs"}}
COLUMNS = {t: [c for c in schema.columns(t) if c not in _NOT_READ.get(t, ())]
           for t in ("articles", "mentions", "registry", "replications", "runs")}
_HTTP = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    agency_types: tuple[tuple[str, re.Pattern], ...]
    agency_unknown: str
    agency_other: str
    province_label: tuple[re.Pattern, str]
    reason_patterns: tuple[tuple[re.Pattern, str], ...]
    sector_unknown: str = "(not stated)"
    sector_word: str = "{}"  # what a sector bar click searches
    digital_labels: tuple[tuple[str, str, str], ...] = ()  # (column value, chart label, search word)


@lru_cache(maxsize=8)
def load_rules(path: str) -> Rules:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Rules(
        agency_types=tuple((label, re.compile(rx, re.IGNORECASE)) for label, rx in data["agency_types"]),
        agency_unknown=data.get("agency_unknown", "(not stated)"),
        agency_other=data.get("agency_other", "Other"),
        province_label=(re.compile(data.get("province_label", ["^$", ""])[0]), data.get("province_label", ["", ""])[1]),
        reason_patterns=tuple((re.compile(rx), repl) for rx, repl in data.get("reason_patterns", [])),
        sector_unknown=data.get("sector_unknown", "(not stated)"),
        sector_word=data.get("sector_word", "{}"),
        digital_labels=tuple(tuple(x) for x in data.get("digital_labels", [])),
    )


def digital_label(value, rules: Rules) -> tuple[str, str]:
    """(chart label, search word) of a ``digital`` cell ('true' / 'false' / empty)."""
    v = text(value).strip().lower()
    for key, label, word in rules.digital_labels:
        if key == v:
            return label, word
    return (rules.digital_labels[-1][1], "") if rules.digital_labels else ("", "")


def load_tables(db_path: Path) -> dict[str, pd.DataFrame]:
    """The tables the report needs; a missing table or column becomes empty, never an error."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        out = {}
        for table, wanted in COLUMNS.items():
            have = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')] if table in present else []
            cols = [c for c in wanted if c in have]
            if cols:
                sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"'
                df = pd.read_sql_query(sql, db)
            else:
                df = pd.DataFrame(columns=cols)
            for c in wanted:
                if c not in df.columns:
                    df[c] = None
            out[table] = df[wanted]
        return out
    finally:
        db.close()


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts; column-wise ``tolist`` is many times faster than ``to_dict("records")``."""
    cols = list(df.columns)
    return [dict(zip(cols, vals)) for vals in zip(*(df[c].tolist() for c in cols))] if len(df) else []


# -- small value helpers -------------------------------------------------------------------

def text(v) -> str:
    """A cell as text: None/NaN -> ""."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def as_int(v) -> int | None:
    try:
        if v is None or (isinstance(v, float) and v != v) or v == "":
            return None
        return int(float(v))
    except (TypeError, ValueError):
        return None


def json_list(v) -> list:
    """A JSON list column; bad or empty JSON reads as an empty list."""
    s = text(v).strip()
    if not s:
        return []
    try:
        data = json.loads(s)
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: max(n - 1, 0)].rstrip() + "…"


def safe_url(url: str) -> str:
    """The URL if it is plain http(s), else "" (shown as text instead of a link)."""
    url = url.strip()
    return url if _HTTP.match(url) else ""


def agency_type(agency: str, rules: Rules) -> str:
    if not agency.strip():
        return rules.agency_unknown
    for label, rx in rules.agency_types:
        if rx.search(agency):
            return label
    return rules.agency_other


def group_reason(reason: str, rules: Rules) -> str:
    r = " ".join(reason.split()) or "(no reason given)"
    for rx, repl in rules.reason_patterns:
        r = rx.sub(repl, r)
    return r


def stage_label(ev: dict) -> str:
    comp, stage = text(ev.get("competition")).strip(), text(ev.get("stage")).strip()
    return " · ".join(p for p in (comp, stage) if p)


# -- aggregations ------------------------------------------------------------------------

def article_summary(articles: pd.DataFrame, rs: ReportSettings, rules: Rules) -> dict:
    status = articles["status"].map(text).str.lower()
    counts = {s: int((status == s).sum()) for s in ("ok", "skipped", "failed")}
    counts["other"] = int(len(articles) - sum(counts.values()))
    bad = articles[status != "ok"]
    groups: Counter = Counter()
    example: dict = {}
    for st, reason, src in zip(bad["status"].map(text), bad["reason"].map(text), bad["source"].map(text)):
        key = (st or "(none)", group_reason(reason, rules))
        groups[key] += 1
        example.setdefault(key, (reason, src))
    reasons = [{"status": st, "reason": r, "count": n, "example": clip(example[(st, r)][0], 200),
                "source": clip(example[(st, r)][1], 200)}
               for (st, r), n in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"read": int(len(articles)), **counts, "reasons": reasons[: rs.max_reasons],
            "more_reasons": max(len(reasons) - rs.max_reasons, 0)}


def run_summary(runs: pd.DataFrame, rs: ReportSettings) -> list[dict]:
    """Recent runs, newest first, with a duration where both times parse."""
    rows = []
    for r in records(runs):
        row = {k: (as_int(v) if k.startswith("n_") else text(v)) for k, v in r.items()}
        row["duration"] = _duration(row["started"], row["finished"])
        rows.append(row)
    rows.sort(key=lambda r: (as_int(r["run_id"]) is None, as_int(r["run_id"]) or 0, r["started"]), reverse=True)
    return rows[: rs.max_runs]


def _duration(start: str, end: str) -> str:
    try:
        secs = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except (TypeError, ValueError):
        return ""
    if secs < 0:
        return ""
    if secs < 120:
        return f"{secs:.1f} s"
    return f"{secs / 60:.1f} min" if secs < 7200 else f"{secs / 3600:.1f} h"


def top(counter: Counter, n: int, other: str = "other") -> list[tuple[str, int]]:
    """The n largest counts, ties by label; the rest summed as one bar."""
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(items) <= n:
        return items
    return items[: n - 1] + [(f"{other} ({len(items) - n + 1})", sum(v for _, v in items[n - 1:]))]


@dataclass(frozen=True)
class Registry:
    rows: list[list]  # one row per innovation, columns as ROW_COLUMNS
    events: dict[str, list[dict]]  # innovation_id -> its events
    by_province: Counter
    by_year: Counter
    by_stage: Counter
    by_agency_type: Counter
    by_sector: Counter = field(default_factory=Counter)
    by_digital: Counter = field(default_factory=Counter)


NO_PROVINCE = "(none / national)"
ROW_COLUMNS = ["id", "name", "aliases", "agency", "region", "province", "stages", "years", "n",
               "expansion", "first", "last", "type", "sector", "digital", "sector_q"]


def registry_view(reg: pd.DataFrame, rs: ReportSettings, rules: Rules) -> Registry:
    rows, events = [], {}
    by_prov, by_year, by_stage, by_type = Counter(), Counter(), Counter(), Counter()
    by_sector, by_digital = Counter(), Counter()
    for r in records(reg):
        if text(r.get("status")) == "withdrawn":  # a tombstone: its id resolves, it is no innovation any more
            continue
        iid = text(r["innovation_id"])
        evs = [e for e in json_list(r["events"]) if isinstance(e, dict)]
        years = sorted({y for y in (as_int(e.get("year")) for e in evs) if y})
        stages = list(dict.fromkeys(s for s in (stage_label(e) for e in evs) if s))
        name = clip(text(r["canonical_name"]), 200)
        aliases = [clip(text(a), 120) for a in json_list(r["aliases"]) if text(a).strip() and text(a).strip() != name]
        agency = text(r["agency"])
        atype = agency_type(agency, rules)
        province = text(r["province"]).strip()
        rows.append([iid, name, aliases[: rs.max_aliases], clip(agency, 200),
                     clip(text(r["region"]), 120), province, stages, years, as_int(r["n_articles"]) or 0,
                     clip(text(r["expansion"]), 300), text(r["first_seen"]), text(r["last_seen"]), atype,
                     clip(text(r["sector"]), 40), digital_label(r["digital"], rules)[1],
                     rules.sector_word.format(text(r["sector"]).strip()) if text(r["sector"]).strip() else ""])
        by_sector[text(r["sector"]).strip() or rules.sector_unknown] += 1
        by_digital[digital_label(r["digital"], rules)[0]] += 1
        events[iid] = [{"competition": text(e.get("competition")), "scope": text(e.get("scope")),
                        "stage": text(e.get("stage")), "year": as_int(e.get("year")),
                        "article_id": text(e.get("article_id"))} for e in evs]
        rx, repl = rules.province_label
        by_prov[rx.sub(repl, province).strip() or NO_PROVINCE] += 1
        seen_year = years or [y for y in [as_int(text(r["first_seen"])[:4])] if y]
        for y in seen_year:
            by_year[str(y)] += 1
        for s in {s.casefold(): s for s in stages}.values():
            by_stage[s] += 1
        by_type[atype] += 1
    return Registry(rows, events, by_prov, by_year, by_stage, by_type, by_sector, by_digital)


def mention_view(mentions: pd.DataFrame, known: set[str], rs: ReportSettings) -> tuple[dict, dict]:
    """Mentions grouped per innovation (capped), and how many were left out per innovation."""
    m = mentions[mentions["innovation_id"].map(text).isin(known)].copy()
    if m.empty:
        return {}, {}
    m["_pub"] = m["published"].map(text)
    m = m.sort_values(["innovation_id", "_pub", "article_id"], kind="stable")
    grouped: dict[str, list[dict]] = {}
    more: dict[str, int] = {}
    cap = rs.max_mentions_per_innovation
    for r in records(m):  # one pass: per-group DataFrames are far too slow at 100k rows
        iid = r["innovation_id"]
        got = grouped.setdefault(iid, [])
        if len(got) >= cap:
            more[iid] = more.get(iid, 0) + 1
            continue
        got.append({"article_id": text(r["article_id"]), "name": clip(text(r["name"]), 200),
                    "agency": clip(text(r["agency"]), 200), "region": clip(text(r["region"]), 120),
                    "stage": stage_label({"competition": r["competition"], "stage": r["stage"]}),
                    "year": as_int(r["year"]), "evidence": clip(text(r["evidence"]), rs.max_evidence_chars)})
    return grouped, more


def replication_view(reps: pd.DataFrame, names: dict[str, str], rs: ReportSettings) -> list[dict]:
    out = []
    for r in records(reps):
        sid, tid = text(r["source_innovation_id"]), text(r["target_innovation_id"])
        out.append({"article_id": text(r["article_id"]),
                    "source_name": clip(text(r["source_name"]) or names.get(sid, ""), 200), "source_id": sid,
                    "source_region": clip(text(r["source_region"]), 120),
                    "target_name": clip(text(r["target_name"]) or names.get(tid, ""), 200), "target_id": tid,
                    "target_region": clip(text(r["target_region"]), 120),
                    "evidence": clip(text(r["evidence"]), rs.max_evidence_chars)})
    return out


def article_index(articles: pd.DataFrame, wanted: set[str]) -> dict[str, dict]:
    """Title, link and source of the articles the report refers to (no text)."""
    a = articles[articles["article_id"].map(text).isin(wanted)]
    out = {}
    for r in records(a):
        out[text(r["article_id"])] = {"title": clip(text(r["title"]), 300), "url": safe_url(text(r["url"])),
                                      "source": clip(text(r["source"]) or text(r["url"]), 300),
                                      "outlet": clip(text(r["outlet"]), 100), "published": text(r["published"])}
    return out
