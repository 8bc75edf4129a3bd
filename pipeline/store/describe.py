"""The dataset describes itself, from the one column specification (``schema.py``):

- ``datapackage.json``: a Frictionless Data Package of the CSV tables (each column's
  type and description, primary keys, foreign keys; an empty foreign key refers to nothing);
- ``metadata.json``: table and column descriptions for ``datasette inovasi.sqlite -m metadata.json``;
- ``codebook()``: the rows of the report's codebook (what each column means, how it is derived).
"""
from __future__ import annotations

from .schema import ALL, Column, Table

TITLE = "Inovasi: a registry of Indonesian public-service innovations"
DESCRIPTION = ("Innovations of Indonesian regional governments as reported in the news: the articles read, "
               "each innovation named in them, the canonical registry, and the replications reported.")
DATABASE = "inovasi"  # inovasi.sqlite, as datasette names it


def _text(col: Column) -> str:
    kind = "contract column" if col.contract else "extra column"
    how = f" Derived: {col.derived}" if col.derived else ""
    return f"{col.description}{how} ({kind})"


def _field(col: Column) -> dict:
    field = {"name": col.name, "type": col.type, "description": _text(col)}
    if col.type == "date":
        field["format"] = "%Y-%m-%d"
    return field


def _resource(table: Table) -> dict:
    schema: dict = {"fields": [_field(c) for c in table.columns], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(fk.fields),
                                  "reference": {"resource": fk.table, "fields": list(fk.reference)}}
                                 for fk in table.foreign_keys]
    return {"name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": table.description, "schema": schema}


def datapackage() -> dict:
    """The Data Package of an output folder's CSV tables."""
    return {"profile": "tabular-data-package", "name": "inovasi-registry", "title": TITLE,
            "description": DESCRIPTION, "resources": [_resource(t) for t in ALL if t.public]}


def datasette_metadata() -> dict:
    """Descriptions of every table of ``inovasi.sqlite`` (the CSV ones and the run history)."""
    tables = {t.name: {"description": t.description + ("" if t.public else " (in inovasi.sqlite only)"),
                       "columns": {c.name: _text(c) for c in t.columns}} for t in ALL}
    return {"title": TITLE, "description": DESCRIPTION, "databases": {DATABASE: {"tables": tables}}}


def codebook() -> list[dict]:
    """One entry per table: its description, keys and columns (name, type, contract, meaning, derivation)."""
    return [{"table": t.name, "description": t.description, "public": t.public,
             "primary_key": list(t.primary_key),
             "foreign_keys": [f"{', '.join(fk.fields)} -> {fk.table}.{', '.join(fk.reference)}"
                              for fk in t.foreign_keys],
             "columns": [{"name": c.name, "type": c.type, "contract": c.contract, "meaning": c.description,
                          "derived": c.derived} for c in t.columns]} for t in ALL]
