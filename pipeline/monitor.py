"""What is new since a run: new innovations, new events of known ones, new replications.

Reads the ``changes`` that each run recorded in ``state.sqlite`` when it saved
its resolution (see ``Store.save_resolution``), so the answer is exact even when
a run added nothing (then the list is empty).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .store import Store


class MonitorError(RuntimeError):
    pass


@dataclass(frozen=True)
class Change:
    run_id: int
    kind: str  # "innovation" | "event" | "replication"
    innovation_id: str
    name: str
    detail: str
    evidence: str
    url: str
    run_started: str


@dataclass(frozen=True)
class MonitorResult:
    since_run: int
    runs: tuple[int, ...]
    changes: tuple[Change, ...]

    @property
    def new_replications(self) -> int:
        return sum(c.kind == "replication" for c in self.changes)

    def count(self, kind: str) -> int:
        return sum(c.kind == kind for c in self.changes)


def _since_run(store: Store, since: str | None) -> int:
    runs = [r for r in store.runs() if r["status"] == "ok"]
    if not runs:
        raise MonitorError("no finished run in this folder yet: run `inovasi run ... --out DIR` first")
    if since is None or since == "":
        return runs[-1]["run_id"]
    if since.isdigit():
        return int(since)
    later = [r["run_id"] for r in runs if (r["started"] or "") >= since]
    if not later:
        return runs[-1]["run_id"] + 1  # nothing since that date
    return later[0]


def monitor(out_dir: str | Path, since: str | None = None) -> MonitorResult:
    out = Path(out_dir)
    if not (out / Store.FILENAME).exists():
        raise MonitorError(f"{out} holds no inovasi state ({Store.FILENAME}); run `inovasi run --out {out}` first")
    with Store(out) as store:
        first = _since_run(store, since)
        urls = {a: (u or s) for a, u, s in store.db.execute("SELECT article_id, url, source FROM articles")}
        changes = []
        for c in store.changes(first):
            if c["kind"] == "replication":
                name = c.get("source_name", "")
                target = c.get("target_name") or "(no new name)"
                detail = f"{name} -> {target}" + (f" in {c['target_region']}" if c.get("target_region") else "")
                evidence, url = c.get("evidence", ""), urls.get(c.get("article_id"), "")
            elif c["kind"] == "event":
                name = c.get("name", "")
                detail = " ".join(str(c.get(k) or "") for k in ("competition", "scope", "stage", "year")).strip()
                evidence, url = "", urls.get(c.get("article_id"), "")
            else:
                name = c.get("name", "")
                detail = ", ".join(x for x in (c.get("agency"), c.get("region")) if x)
                evidence, url = "", ""
            changes.append(Change(c["run_id"], c["kind"], c["innovation_id"] or "", name, detail, evidence, url,
                                  c["started"] or ""))
        runs = tuple(r["run_id"] for r in store.runs() if r["run_id"] >= first)
    return MonitorResult(first, runs, tuple(changes))


FIELDS = ["run_id", "kind", "innovation_id", "name", "detail", "evidence", "url", "run_started"]


def to_json(result: MonitorResult) -> str:
    return json.dumps({"since_run": result.since_run, "runs": list(result.runs),
                       "counts": {k: result.count(k) for k in ("innovation", "event", "replication")},
                       "changes": [{f: getattr(c, f) for f in FIELDS} for c in result.changes]},
                      indent=2, ensure_ascii=False)


def to_csv(result: MonitorResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(FIELDS)
    for c in result.changes:
        w.writerow([getattr(c, f) for f in FIELDS])
    return buf.getvalue()
