"""Export the state as the contract tables: CSV, Parquet and one SQLite file.

Rows are streamed from ``state.sqlite`` in chunks (never every article's text in
memory at once).  Every file is written under a temporary name, fsynced and
renamed over the old one, so a reader (or a killed run) never sees half a table.
"""
from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import EXTRA_TABLES, INTEGER_COLUMNS, TABLES
from .state import Store

CHUNK = 2000

_QUERIES = {
    "articles": "SELECT article_id, source, url, outlet, title, published, status, reason, text, author, "
                "language, dateline, content_hash, duplicate_of, run_id FROM articles ORDER BY seq",
    "mentions": "SELECT m.article_id, a.innovation_id, m.name, m.expansion, m.agency, m.region, m.events, "
                "m.evidence, m.agency_canonical, m.province, m.people, m.published FROM mentions m "
                "LEFT JOIN assignments a USING (mention_key) ORDER BY m.seq",
    "registry": "SELECT innovation_id, canonical_name, aliases, expansion, agency, region, province, "
                "first_seen, last_seen, n_articles, events, merged_ids FROM registry "
                "ORDER BY first_seen, innovation_id",
    "replications": "SELECT r.article_id, r.source_name, r.source_innovation_id, r.target_name, "
                    "r.target_innovation_id, r.target_region, r.evidence, r.source_region, a.url "
                    "FROM replications r LEFT JOIN articles a USING (article_id) ORDER BY a.seq, r.idx",
    "runs": "SELECT * FROM runs ORDER BY run_id",
    "merges": 'SELECT innovation_id, "left", "right", scores, decision FROM merges',
    "id_aliases": "SELECT old_id, new_id FROM id_aliases ORDER BY old_id",
}


def main_event(events_json: str | None) -> dict:
    """The event a mention row reports: the latest year, first listed among equals."""
    events = json.loads(events_json or "[]")
    if not events:
        return {}
    return max(events, key=lambda e: (e.get("year") or 0, -events.index(e)))


def _rows(db: sqlite3.Connection, table: str) -> Iterator[list[dict]]:
    cur = db.execute(_QUERIES[table])
    names = [d[0] for d in cur.description]
    while True:
        chunk = cur.fetchmany(CHUNK)
        if not chunk:
            return
        rows = [dict(zip(names, r)) for r in chunk]
        if table == "mentions":
            for row in rows:
                ev = main_event(row["events"])
                row.update(competition=ev.get("competition", ""), scope=ev.get("scope", ""),
                           stage=ev.get("stage", ""), year=ev.get("year"))
        yield rows


def _arrow_schema(columns: list[str]) -> pa.Schema:
    return pa.schema([(c, pa.int64() if c in INTEGER_COLUMNS or c == "run_id" else pa.string())
                      for c in columns])


def _fsync_replace(tmp: Path, final: Path) -> None:
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def export(out_dir: str | Path, store: Store, on_table=None) -> dict[str, Path]:
    """Write every table as CSV and Parquet, and all of them into ``inovasi.sqlite``.

    ``on_table(name)`` is called after each table is in place (progress, tests)."""
    out = Path(out_dir)
    written: dict[str, Path] = {}
    sqlite_tmp = out / ".inovasi.sqlite.tmp"
    sqlite_tmp.unlink(missing_ok=True)
    sdb = sqlite3.connect(sqlite_tmp)
    try:
        for table, columns in {**TABLES, **EXTRA_TABLES}.items():
            public = table in TABLES
            sdb.execute(f'CREATE TABLE "{table}" ({", ".join(_sqlite_col(c) for c in columns)})')
            csv_tmp, pq_tmp = out / f".{table}.csv.tmp", out / f".{table}.parquet.tmp"
            schema = _arrow_schema(columns)
            with open(csv_tmp, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                pq_writer = pq.ParquetWriter(pq_tmp, schema) if public else None
                try:
                    for rows in _rows(store.db, table):
                        values = [[r.get(c) for c in columns] for r in rows]
                        if public:
                            writer.writerows(values)  # csv writes None as an empty cell
                            pq_writer.write_table(_arrow_chunk(values, columns, schema))
                        sdb.executemany(f'INSERT INTO "{table}" VALUES ({",".join("?" * len(columns))})', values)
                    if public and pq_writer is not None:
                        pq_writer.close()
                        pq_writer = None
                finally:
                    if pq_writer is not None:
                        pq_writer.close()
            if public:
                _fsync_replace(csv_tmp, out / f"{table}.csv")
                _fsync_replace(pq_tmp, out / f"{table}.parquet")
                written[table] = out / f"{table}.csv"
                if on_table:
                    on_table(table)
            else:
                csv_tmp.unlink(missing_ok=True)
        sdb.commit()
    finally:
        sdb.close()
    _fsync_replace(sqlite_tmp, out / "inovasi.sqlite")
    written["sqlite"] = out / "inovasi.sqlite"
    return written


def export_runs(out_dir: str | Path, store: Store) -> bool:
    """Refresh only the ``runs`` table of an existing ``inovasi.sqlite`` (one transaction).

    A run that changed nothing else needs no full export; the report still lists it.
    Returns False when there is no exported file to update (then call ``export``)."""
    path = Path(out_dir) / "inovasi.sqlite"
    if not path.exists():
        return False
    columns = EXTRA_TABLES["runs"]
    sdb = sqlite3.connect(path, isolation_level=None)
    try:
        sdb.execute("BEGIN IMMEDIATE")
        try:
            sdb.execute('DELETE FROM "runs"')
            for rows in _rows(store.db, "runs"):
                sdb.executemany(f'INSERT INTO "runs" VALUES ({",".join("?" * len(columns))})',
                                [[r.get(c) for c in columns] for r in rows])
            sdb.execute("COMMIT")
        except BaseException:
            sdb.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError:  # an older or damaged file: the caller exports everything
        return False
    finally:
        sdb.close()
    return True


def _sqlite_col(c: str) -> str:
    return f'"{c}" INTEGER' if c in INTEGER_COLUMNS or c == "run_id" else f'"{c}" TEXT'


def _int_or_none(v) -> int | None:
    try:
        return None if v in (None, "") else int(v)
    except (TypeError, ValueError):
        return None


def _arrow_chunk(values: list[list], columns: list[str], schema: pa.Schema) -> pa.Table:
    """Rows as an Arrow table, built column by column (a dict per row costs twice as much)."""
    cols = list(zip(*values)) if values else [()] * len(columns)
    arrays = []
    for c, col in zip(columns, cols):
        if c in INTEGER_COLUMNS or c == "run_id":
            arrays.append(pa.array([_int_or_none(v) for v in col], type=pa.int64()))
        else:
            arrays.append(pa.array([v if v is None or isinstance(v, str) else str(v) for v in col],
                                   type=pa.string()))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_atomic(path: str | Path, text: str) -> Path:
    """Write a small text file atomically (settings.json, report.html)."""
    p = Path(path)
    tmp = p.with_name(f".{p.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    _fsync_replace(tmp, p)
    return p
