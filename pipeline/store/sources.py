"""Which version of each source the state holds: what a correction replaces (issue 19).

Every stored input record has a row in ``versions``: its source (``path``, ``path#L3``,
``path#1234``), its unit, its *identity* and the *fingerprint* of its raw content
(``pipeline.collect.sources``).  The identity is the file path for a plain file and the
URL for a JSONL or WARC record that has one (line numbers and offsets shift).  With it a run
can tell, for a record it reads:

- unchanged (same identity, same fingerprint, not failed): not processed again;
- a new version of a stored source (same identity, other fingerprint, or the stored one
  failed): the stored article is withdrawn -- row, mentions, replications, signature -- in the
  same transaction that stores the new one;
- new.

``unit_progress`` keeps, per JSONL file, the byte offset read up to and the SHA-1 of that
prefix, so an appended file is read from where it was left.  All functions take the store's
connection and run inside the caller's transaction.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .tx import transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    source TEXT PRIMARY KEY, unit TEXT, ident TEXT, fp TEXT, article_id TEXT, status TEXT, original INTEGER);
CREATE INDEX IF NOT EXISTS versions_ident ON versions(ident);
CREATE INDEX IF NOT EXISTS versions_unit ON versions(unit);
CREATE TABLE IF NOT EXISTS unit_progress (unit TEXT PRIMARY KEY, "offset" INTEGER, prefix_sha1 TEXT, lines INTEGER);
"""


@dataclass(frozen=True)
class Version:
    source: str
    unit: str
    ident: str
    fp: str
    article_id: str
    status: str


def ensure(db: sqlite3.Connection) -> None:
    db.executescript(SCHEMA)


def current(db: sqlite3.Connection, ident: str) -> Version | None:
    """The stored version of ``ident`` (not a row that only says "duplicate of" it)."""
    row = db.execute("SELECT source, unit, ident, fp, article_id, status FROM versions WHERE ident = ? "
                     "ORDER BY original DESC, source LIMIT 1", (ident,)).fetchone()
    return Version(*row) if row else None


def known_in(db: sqlite3.Connection, unit: str) -> dict[str, str]:
    """identity -> fingerprint of the records of ``unit`` that need no new reading (not failed)."""
    return dict(db.execute("SELECT ident, fp FROM versions WHERE unit = ? AND status != 'failed'", (unit,)))


_FAILED = ("SELECT i.source, i.unit, i.article_id, i.run_id FROM inputs i JOIN articles a USING (article_id) "
           "WHERE a.status = 'failed'")


def failed_sources(db: sqlite3.Connection) -> dict[str, str]:
    """source -> unit of every stored record whose last outcome was ``failed`` (retried every run)."""
    return {s: u for s, u, _, _ in db.execute(_FAILED)}


def failed_in(db: sqlite3.Connection, unit: str, before_run: int) -> list[tuple[str, str]]:
    """(source, article_id) of the failed records of ``unit`` stored before ``before_run``."""
    return [(s, a) for s, _, a, r in db.execute(_FAILED + " AND i.unit = ?", (unit,)) if (r or 0) < before_run]


def stored_units(db: sqlite3.Connection) -> list[str]:
    return [u for (u,) in db.execute("SELECT DISTINCT unit FROM inputs WHERE unit != '' ORDER BY unit")]


def articles_of_units(db: sqlite3.Connection, units: Sequence[str]) -> list[tuple[str, str]]:
    """(source, article_id) of every stored record of ``units`` (markers excluded)."""
    out = []
    for u in units:
        out += db.execute("SELECT source, article_id FROM inputs WHERE unit = ? AND article_id != ''",
                          (u,)).fetchall()
    return out


def record(db: sqlite3.Connection, rows: Iterable[tuple[str, str, str, str, str, str, bool]]) -> None:
    """Store (source, unit, ident, fp, article_id, status, original) rows."""
    db.executemany("INSERT OR REPLACE INTO versions VALUES (?,?,?,?,?,?,?)",
                   [(s, u, i, f, a, st, int(o)) for s, u, i, f, a, st, o in rows])


def names_of(db: sqlite3.Connection, article_id: str) -> list[str]:
    return [n for (n,) in db.execute("SELECT name FROM mentions WHERE article_id = ? ORDER BY seq", (article_id,))]


def withdraw(db: sqlite3.Connection, article_ids: Iterable[str], sources: Iterable[str] = ()) -> None:
    """Remove articles with their mentions, replications and signatures, and the input rows of
    ``sources`` (inside the caller's transaction)."""
    ids = [(a,) for a in dict.fromkeys(article_ids) if a]
    for table in ("mentions", "replications", "signatures", "articles"):
        db.executemany(f"DELETE FROM {table} WHERE article_id = ?", ids)
    srcs = [(s,) for s in dict.fromkeys(sources) if s]
    db.executemany("DELETE FROM inputs WHERE source = ?", srcs)
    db.executemany("DELETE FROM versions WHERE source = ?", srcs)


def add_events(db: sqlite3.Connection, run_id: int, events: Iterable[tuple[str, str, dict]]) -> None:
    """Monitor events (kind, innovation_id, detail) recorded with the batch that made them."""
    db.executemany("INSERT INTO changes VALUES (?, ?, ?, ?)",
                   [(run_id, k, i, json.dumps(d, ensure_ascii=False, sort_keys=True)) for k, i, d in events])


# -- appended JSONL files ---------------------------------------------------------------------
def progress_of(db: sqlite3.Connection, unit: str) -> tuple[int, str, int] | None:
    row = db.execute('SELECT "offset", prefix_sha1, lines FROM unit_progress WHERE unit = ?', (unit,)).fetchone()
    return (int(row[0]), row[1], int(row[2])) if row else None


def save_progress(db: sqlite3.Connection, rows: Iterable[tuple[str, int, str, int]]) -> None:
    db.executemany("INSERT OR REPLACE INTO unit_progress VALUES (?,?,?,?)", list(rows))


def measure_prefix(path: Path, limit: int, chunk: int = 1 << 20) -> tuple[int, str, int]:
    """(offset just after the last complete line within the first ``limit`` bytes, SHA-1 of the
    bytes before it, number of lines before it)."""
    h, lines, offset, pos, tail = hashlib.sha1(), 0, 0, 0, b""
    with open(path, "rb") as fh:
        while pos < limit:
            data = fh.read(min(chunk, limit - pos))
            if not data:
                break
            pos += len(data)
            cut = data.rfind(b"\n")
            if cut < 0:
                tail += data
                continue
            h.update(tail + data[:cut + 1])
            lines += (tail + data[:cut + 1]).count(b"\n")
            offset = pos - len(data) + cut + 1
            tail = data[cut + 1:]
    return offset, h.hexdigest(), lines


def prefix_unchanged(path: Path, offset: int, sha1: str) -> bool:
    h, left = hashlib.sha1(), offset
    try:
        with open(path, "rb") as fh:
            while left > 0:
                data = fh.read(min(1 << 20, left))
                if not data:
                    return False
                h.update(data)
                left -= len(data)
    except OSError:
        return False
    return h.hexdigest() == sha1


class SourceBook:
    """The versions of the store's sources as the corrections of a run read and change them:
    the functions above bound to the store's connection (``Store.sources``), so that no module
    outside the store runs SQL on it."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def current(self, ident: str) -> Version | None:
        return current(self._db, ident)

    def known_in(self, unit: str) -> dict[str, str]:
        return known_in(self._db, unit)

    def failed_sources(self) -> dict[str, str]:
        return failed_sources(self._db)

    def failed_in(self, unit: str, before_run: int) -> list[tuple[str, str]]:
        return failed_in(self._db, unit, before_run)

    def stored_units(self) -> list[str]:
        return stored_units(self._db)

    def articles_of_units(self, units: Sequence[str]) -> list[tuple[str, str]]:
        return articles_of_units(self._db, units)

    def names_of(self, article_id: str) -> list[str]:
        return names_of(self._db, article_id)

    def progress_of(self, unit: str) -> tuple[int, str, int] | None:
        return progress_of(self._db, unit)

    def forget_units(self, units: Sequence[str], rows: Sequence[tuple[str, str]], run_id: int,
                     events: Iterable[tuple[str, str, dict]]) -> None:
        """Withdraw the (source, article_id) ``rows`` of input files that are gone, forget the
        files, record the monitor's events and mark the state for a new resolution: one
        transaction."""
        db = self._db
        with transaction(db):
            withdraw(db, [a for _, a in rows], [s for s, _ in rows])
            db.executemany("DELETE FROM inputs WHERE unit = ?", [(u,) for u in units])
            db.executemany("DELETE FROM unit_progress WHERE unit = ?", [(u,) for u in units])
            add_events(db, run_id, events)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('dirty', '1')")
