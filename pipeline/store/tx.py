"""One write transaction on a state or output database (the store's only way to write many rows)."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def transaction(db):
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; any exception (a kill signal too) rolls it back."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
