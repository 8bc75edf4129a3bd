"""What is new since a run: new innovations, new events of known ones, new replications.

``what_is_new`` compares a run's resolution with the one the store holds (rows the store
gives) before the run saves it; the store records the changes in the same transaction as
the resolution (``Store.save_resolution``), so ``monitor`` reads an exact answer even
when a run added nothing (then the list is empty).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from .records import RegistryEntry
from .store import Store

KINDS = ("innovation", "event", "replication")  # counted in the runs table (n_new_*)
# every kind of change: also a source replaced by a new version, an entry or article withdrawn
ALL_KINDS = (*KINDS, "changed", "withdrawn")


class MonitorError(RuntimeError):
    pass


@dataclass(frozen=True)
class Change:
    run_id: int
    kind: str  # one of ALL_KINDS
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
        urls = store.article_links()
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
            elif c.get("text"):  # a source replaced by a new version, or an article withdrawn
                name, detail = c.get("name", ""), c["text"]
                evidence, url = "", urls.get(c.get("article_id"), "") or c.get("source", "")
            else:
                name = c.get("name", "")
                detail = ", ".join(x for x in (c.get("agency"), c.get("region")) if x)
                evidence, url = "", ""
            changes.append(Change(c["run_id"], c["kind"], c["innovation_id"] or "", name, detail, evidence, url,
                                  c["started"] or ""))
        runs = tuple(r["run_id"] for r in store.runs() if r["run_id"] >= first)
    return MonitorResult(first, runs, tuple(changes))


def what_is_new(store: Store, resolution) -> list[tuple[str, str, dict]]:
    """(kind, innovation_id, detail) of what ``resolution`` adds to the one ``store`` holds:
    innovations no earlier id leads to, events not seen on an entry, replications resolved
    for the first time."""
    out = [("replication", r.source_innovation_id,
            {"article_id": r.article_id, "idx": idx, "source_name": r.source_name, "target_name": r.target_name,
             "target_region": r.target_region, "evidence": r.evidence})
           for idx, r, resolved_before in store.replication_slots(resolution.replications) if not resolved_before]
    return out + _entry_changes(store.load_registry(), store.id_aliases(), resolution.entries)


def _entry_changes(old_entries: Sequence[RegistryEntry], old_aliases: dict[str, str],
                   entries: Sequence[RegistryEntry]) -> list[tuple[str, str, dict]]:
    old = {e.innovation_id: e for e in old_entries}
    out = []
    for e in entries:
        prev = old.get(e.innovation_id)
        if e.status == "withdrawn":  # a tombstone: say so in the run that made it
            if prev is None or prev.status != "withdrawn":
                out.append(("withdrawn", e.innovation_id, {"name": e.canonical_name, "region": e.region,
                                                           "agency": e.agency}))
            continue
        if prev is not None and prev.status == "withdrawn":
            prev = None  # an id that comes back is new again
        if prev is None and not any(old_aliases.get(i) or i in old for i in e.merged_ids):
            out.append(("innovation", e.innovation_id, {"name": e.canonical_name, "region": e.region,
                                                        "agency": e.agency}))
            continue
        seen = {(v.competition, v.scope, v.stage, v.year) for v in (prev.events if prev else ())}
        for v in e.events:
            if (v.competition, v.scope, v.stage, v.year) not in seen:
                seen.add((v.competition, v.scope, v.stage, v.year))
                out.append(("event", e.innovation_id, {"name": e.canonical_name, **asdict(v)}))
    return out


def counts(changes: Sequence[tuple[str, str, dict]]) -> dict[str, int]:
    """The run's counters of new things (``n_new_innovations``, ``n_new_events``, ``n_new_replications``)."""
    plural = {"innovation": "innovations", "event": "events", "replication": "replications"}
    return {f"n_new_{plural[k]}": sum(c[0] == k for c in changes) for k in KINDS}


FIELDS = ["run_id", "kind", "innovation_id", "name", "detail", "evidence", "url", "run_started"]


def to_json(result: MonitorResult) -> str:
    return json.dumps({"since_run": result.since_run, "runs": list(result.runs),
                       "counts": {k: result.count(k) for k in ALL_KINDS},
                       "changes": [{f: getattr(c, f) for f in FIELDS} for c in result.changes]},
                      indent=2, ensure_ascii=False)


def to_csv(result: MonitorResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(FIELDS)
    for c in result.changes:
        w.writerow([getattr(c, f) for f in FIELDS])
    return buf.getvalue()
