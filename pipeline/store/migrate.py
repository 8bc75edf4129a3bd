"""One-time migrations of a ``state.sqlite`` written by an older version.

``migrate_input_identity``: until issue 16 an input was known by its path as typed
(``corpus/a.txt``), so the same folder given as ``corpus`` and as ``/home/x/corpus`` was
read twice.  Inputs are now known by their resolved path (`pipeline.collect.identity`, which the
caller hands in).
A state file whose keys predate that has its ``inputs.source``/``inputs.unit`` keys and
``articles.source`` rewritten once, on the first run that opens it: relative keys are
resolved against the folder that run starts in (nightly runs start in the same folder),
so an unchanged input is still unchanged and nothing is read or stored twice.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

from .tx import transaction

IDENTITY_META = "input_identity"
IDENTITY_VERSION = "resolved"


def migrate_input_identity(db: sqlite3.Connection, identity: Callable[[str], str]) -> int:
    """Rewrite path-as-typed keys as resolved ones (``identity``: collect's rule for a path's
    key, handed in by the caller so the store imports no stage); returns the number of keys changed."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (IDENTITY_META,)).fetchone()
    if row and row[0] == IDENTITY_VERSION:
        return 0
    moves = []
    for source, unit in db.execute("SELECT source, unit FROM inputs").fetchall():
        if not unit:
            continue
        new_unit = identity(unit)
        new_source = new_unit + source[len(unit):] if source.startswith(unit) else source
        if (new_source, new_unit) != (source, unit):
            moves.append((source, new_source, new_unit))
    with transaction(db):
        # a unit typed two ways was stored twice: the later key replaces the earlier one
        db.executemany("UPDATE OR REPLACE inputs SET source = ?, unit = ? WHERE source = ?",
                       [(new, unit, old) for old, new, unit in moves])
        db.executemany("UPDATE articles SET source = ? WHERE source = ?", [(new, old) for old, new, _ in moves])
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (IDENTITY_META, IDENTITY_VERSION))
        if moves:  # the exported tables show the new sources
            db.execute("INSERT OR REPLACE INTO meta VALUES ('export_pending', '1')")
    return len(moves)
