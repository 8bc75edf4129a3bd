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

from . import describe, schema
from .schema import EXTRA_TABLES, SPEC, TABLES, main_event
from .state import Store
from .tx import transaction

CHUNK = 2000

__all__ = ["export", "export_runs", "main_event", "write_atomic"]


def _rows(db: sqlite3.Connection, table: str) -> Iterator[list[dict]]:
    spec = SPEC[table]
    cur = db.execute(schema.export_sql(spec))
    names = [d[0] for d in cur.description]
    while True:
        chunk = cur.fetchmany(CHUNK)
        if not chunk:
            return
        yield [schema.complete_row(spec, dict(zip(names, r))) for r in chunk]


def _is_int(table: str, column: str) -> bool:
    return SPEC[table].column(column).type == "integer"


def _arrow_schema(table: str, columns: list[str]) -> pa.Schema:
    return pa.schema([(c, pa.int64() if _is_int(table, c) else pa.string()) for c in columns])


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
            sdb.execute(f'CREATE TABLE "{table}" ({", ".join(_sqlite_col(table, c) for c in columns)})')
            csv_tmp, pq_tmp = out / f".{table}.csv.tmp", out / f".{table}.parquet.tmp"
            arrow = _arrow_schema(table, columns)
            with open(csv_tmp, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                pq_writer = pq.ParquetWriter(pq_tmp, arrow) if public else None
                try:
                    for rows in _rows(store.db, table):
                        values = [[r.get(c) for c in columns] for r in rows]
                        if public:
                            writer.writerows(values)  # csv writes None as an empty cell
                            pq_writer.write_table(_arrow_chunk(values, table, columns, arrow))
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
    written.update(describe_folder(out))
    return written


def describe_folder(out_dir: str | Path) -> dict[str, Path]:
    """Write ``datapackage.json`` (the CSV tables) and ``metadata.json`` (datasette) beside them."""
    out = Path(out_dir)
    return {"datapackage": write_atomic(out / "datapackage.json", _json(describe.datapackage())),
            "metadata": write_atomic(out / "metadata.json", _json(describe.datasette_metadata()))}


def _json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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
        with transaction(sdb):
            sdb.execute('DELETE FROM "runs"')
            for rows in _rows(store.db, "runs"):
                sdb.executemany(f'INSERT INTO "runs" VALUES ({",".join("?" * len(columns))})',
                                [[r.get(c) for c in columns] for r in rows])
    except sqlite3.DatabaseError:  # an older or damaged file: the caller exports everything
        return False
    finally:
        sdb.close()
    if not (Path(out_dir) / "datapackage.json").exists():  # a folder exported before the dataset described itself
        describe_folder(out_dir)
    return True


def _sqlite_col(table: str, c: str) -> str:
    return f'"{c}" {schema.sqlite_type(SPEC[table].column(c))}'


def _int_or_none(v) -> int | None:
    try:
        return None if v in (None, "") else int(v)
    except (TypeError, ValueError):
        return None


def _arrow_chunk(values: list[list], table: str, columns: list[str], arrow: pa.Schema) -> pa.Table:
    """Rows as an Arrow table, built column by column (a dict per row costs twice as much)."""
    cols = list(zip(*values)) if values else [()] * len(columns)
    arrays = []
    for c, col in zip(columns, cols):
        if _is_int(table, c):
            arrays.append(pa.array([_int_or_none(v) for v in col], type=pa.int64()))
        else:
            arrays.append(pa.array([v if v is None or isinstance(v, str) else str(v) for v in col],
                                   type=pa.string()))
    return pa.Table.from_arrays(arrays, schema=arrow)


def write_atomic(path: str | Path, text: str) -> Path:
    """Write a small text file atomically (settings.json, report.html)."""
    p = Path(path)
    tmp = p.with_name(f".{p.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    _fsync_replace(tmp, p)
    return p
