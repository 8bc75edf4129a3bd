"""Corrections during a run (issue 19): retry what failed, replace what changed, prune what is gone.

One ``Corrections`` object per run (per-run state, never cached) sits between the reader and
the store.  ``plan`` picks the units to read (changed ones, and any unit holding a record
whose last outcome was ``failed``) and what in them is already stored; ``check`` tells, for a
record read, whether it is a new version of a stored source (then the stored article is
withdrawn in the batch that stores the new one); ``batch_extras`` hands the store what goes
into that batch's transaction; ``prune`` withdraws the articles of inputs that no longer exist.
The withdrawn articles' ids follow the rule of ``pipeline/resolve/ids.py``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Sequence

from .collect import WorkUnit
from .collect.sources import RESUME
from .store import sources

UNIT_DONE = "#done"  # marker source: every record of a unit is stored


@dataclass
class Extras:
    """What a batch's transaction carries besides its articles."""

    versions: list = field(default_factory=list)  # (source, unit, ident, fp, article_id, status, original)
    withdraw_ids: list = field(default_factory=list)
    withdraw_sources: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (kind, innovation_id, detail)
    progress: list = field(default_factory=list)  # (unit, offset, prefix sha1, lines)


class Corrections:
    def __init__(self, book: sources.SourceBook, run_id: int, runlog=None):
        self.book, self.run_id, self.runlog = book, run_id, runlog
        self.latest: dict[str, tuple[sources.Version, object]] = {}  # ident -> (version, Processed) this run
        self.replacing: set[str] = set()  # article ids withdrawn this run (not duplicates of anything)
        self.written: dict[str, set[str]] = {}  # unit -> sources stored this run
        self.written_ids: set[str] = set()  # article ids stored this run
        self.failed_before: dict[str, list[tuple[str, str]]] = {}  # unit -> (source, article_id) failed
        self.sizes: dict[str, int] = {}
        self.extras = Extras()
        self.pending: dict[str, sources.Version] = {}  # ident -> the stored version a record read replaces

    # -- before reading ---------------------------------------------------------------------
    def plan(self, units: Sequence[WorkUnit], seen: dict) -> tuple[list[WorkUnit], dict[str, dict[str, str]]]:
        failed = self.book.failed_sources()
        failed_units = set(failed.values())
        for u in failed_units:
            self.failed_before[u] = self.book.failed_in(u, self.run_id)
        todo = []
        for u in units:
            same = seen.get(u.path + UNIT_DONE, ("", ""))[1] == u.signature or seen.get(u.path, ("", ""))[1] == u.signature
            if same and u.path not in failed_units:
                continue
            if u.fmt == "jsonl" and u.path not in failed_units:
                u = self._resume_point(u)
            self.sizes[u.path] = u.size
            todo.append(u)
        skip: dict[str, dict[str, str]] = {}
        sig_of = {u.path: u.signature for u in todo}
        for source, (unit, sig) in seen.items():  # records a killed run stored (same unit signature)
            if sig_of.get(unit) == sig and source not in failed:
                skip.setdefault(unit, {})[source] = RESUME
        for u in todo:
            known = self.book.known_in(u.path)
            if known:
                skip.setdefault(u.path, {}).update((i, f) for i, f in known.items() if i not in skip.get(u.path, {}))
        return todo, skip

    def _resume_point(self, u: WorkUnit) -> WorkUnit:
        prog = self.book.progress_of(u.path)
        if not prog or prog[0] <= 0 or u.size < prog[0] or not sources.prefix_unchanged(u.disk_path, prog[0], prog[1]):
            return u
        if self.runlog:
            self.runlog.write("resume_unit", unit=u.path, offset=prog[0], line=prog[2] + 1)
        return replace(u, start=prog[0], first_line=prog[2] + 1)

    # -- per record ---------------------------------------------------------------------------
    def versions_read(self, prepared: list) -> list:
        """``prepared`` (the run's records, in input order) without the versions a later record
        of the same identity replaces; the stored versions they replace are noted (``check``)."""
        dropped: set[int] = set()
        for p in prepared:
            replaced, earlier = self.check(p)
            if replaced is not None:
                self.pending[p.ident or p.source] = replaced
            if earlier is not None:
                dropped.add(id(earlier))
        return [p for p in prepared if id(p) not in dropped]

    def check(self, p) -> tuple[sources.Version | None, object]:
        """(the stored version ``p`` replaces or None, the Processed of this run it replaces or None)."""
        ident = p.ident or p.source
        held = self.latest.get(ident)
        prev, prev_p = held if held else (self.book.current(ident), None)
        mine = sources.Version(p.source, p.unit, ident, p.fp, p.article.article_id, p.article.status)
        if prev is None:
            self.latest[ident] = (mine, p)
            return None, None
        if prev.fp == p.fp and prev.status != "failed":
            return None, None  # the same version (a copy elsewhere: the duplicate rules decide)
        if prev.status != "failed" and prev.unit != p.unit and p.unit < prev.unit:
            return None, None  # an older archive file's copy of a page stored from a newer one
        self.latest[ident] = (mine, p)
        if prev_p is not None:  # a version read earlier in this run: it is dropped, not withdrawn
            replaced = self.pending.get(ident)
            return replaced, prev_p
        self.replacing.add(prev.article_id)  # withdrawn in the batch that stores ``p`` (``stored``)
        return prev, prev_p

    def stored(self, p) -> None:
        """Note ``p`` (after the duplicate rules and extraction) as a version this run stores."""
        art = p.article
        ident = p.ident or p.source
        replaced = self.pending.pop(ident, None)
        if replaced is not None:
            self.extras.withdraw_ids.append(replaced.article_id)
            if replaced.source != p.source:
                self.extras.withdraw_sources.append(replaced.source)
        original = not art.duplicate_of and not art.reason.startswith("duplicate of")
        self.extras.versions.append((p.source, p.unit, ident, p.fp, art.article_id, art.status, original))
        self.written.setdefault(p.unit, set()).add(p.source)
        self.written_ids.add(art.article_id)
        if replaced is not None:
            before = self.book.names_of(replaced.article_id)
            after = [m.name for m in p.extraction.mentions]
            what = "was failed: retried" if replaced.status == "failed" else "new version"
            self.extras.events.append(("changed", "", {
                "name": ", ".join(after), "source": p.source, "article_id": art.article_id,
                "previous_article_id": replaced.article_id, "names_before": before, "names_after": after,
                "text": f"{what} of {p.source} ({art.status}): {', '.join(before) or '-'} -> {', '.join(after) or '-'}"}))

    def unit_done(self, u: WorkUnit) -> None:
        """A unit was read to its end: failed rows of it that no record replaced go (the file
        reads now); a JSONL file's progress is kept for the next run."""
        for source, article_id in self.failed_before.pop(u.path, ()):
            if article_id not in self.replacing and article_id not in self.written_ids:
                self.replacing.add(article_id)
                self.extras.withdraw_ids.append(article_id)
                self.extras.events.append(("changed", "", {
                    "name": "", "source": source, "previous_article_id": article_id,
                    "text": f"was failed: retried, {source} reads now"}))
            if source not in self.written.get(u.path, ()):
                self.extras.withdraw_sources.append(source)
        if u.fmt == "jsonl":
            try:
                offset, sha, lines = sources.measure_prefix(u.disk_path, self.sizes.get(u.path, u.size))
            except OSError:
                return
            self.extras.progress.append((u.path, offset, sha, lines))

    def batch_extras(self) -> Extras:
        out, self.extras = self.extras, Extras()
        return out

    # -- after reading ----------------------------------------------------------------------
    def prune(self, planned: Sequence[WorkUnit]) -> int:
        """Withdraw every stored article whose input file no longer exists (one transaction)."""
        listed = {u.path for u in planned}
        gone = [u for u in self.book.stored_units() if u not in listed and not os.path.exists(u)]
        if not gone:
            return 0
        rows = self.book.articles_of_units(gone)
        events = [("withdrawn", "", {"name": ", ".join(self.book.names_of(a)), "source": s, "article_id": a,
                                     "text": f"input removed: {s}"}) for s, a in rows]
        self.book.forget_units(gone, rows, self.run_id, events)
        if self.runlog:
            for s, a in rows:
                self.runlog.write("withdrawn", source=s, article_id=a, reason="input removed")
        return len(rows)


class _Without:
    """A ``clean.CleanState`` of the store that no longer holds the articles being replaced."""

    def __init__(self, store, excluded: set[str]):
        self.store, self.excluded = store, excluded

    @property
    def line_support(self):
        return self.store.line_support

    def has_article(self, article_id: str) -> bool:
        return article_id not in self.excluded and self.store.has_article(article_id)

    def iter_dedup_entries(self, params: str):
        return (e for e in self.store.iter_dedup_entries(params) if e[0] not in self.excluded)


def without(store, excluded: set[str]):
    return _Without(store, excluded) if excluded else store
