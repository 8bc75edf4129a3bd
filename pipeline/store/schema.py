"""The one column specification of every table an output folder holds.

For each table: its columns in order (the contract of ``../shared/spec/outputs.md`` first,
extras after), each with its type, what it means and how it is derived; its primary and
foreign keys; and where its rows come from in ``state.sqlite``.  Everything that names
columns is derived from here:

- the tables of ``state.sqlite`` that back the exports (``create_sql``, ``insert_sql``,
  ``state_values``; ``add_missing_columns`` brings an older state file up to date);
- the export queries and the CSV / Parquet / ``inovasi.sqlite`` columns and types
  (``export_sql``, ``complete_row``, ``arrow_type``, ``sqlite_type``);
- ``datapackage.json``, ``metadata.json`` and the report's codebook (``describe.py``);
- the columns the report reads (``columns``).

Renaming or dropping a contract column is a breaking change; extra columns are welcome.
Types are Frictionless Table Schema types: ``string``, ``integer``, ``date`` and ``array``
(a JSON list in CSV, Parquet and SQLite alike); only ``integer`` is stored as a number.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, is_dataclass

DERIVED = None  # Column.sql for a value computed after the query (``complete_row``)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "string" | "integer" | "date" | "array"
    description: str  # what the value means
    derived: str = ""  # how the pipeline derives it
    contract: bool = False  # part of ../shared/spec/outputs.md (renaming or dropping it breaks users)
    stored: bool = True  # also a column of the state table of the same name
    sql: str | None = ""  # the export expression; "" = the stored column of the table's alias


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str  # the referenced table
    reference: tuple[str, ...]  # its columns; an empty value refers to nothing (allowed)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    public: bool = True  # CSV + Parquet + datapackage; False: in inovasi.sqlite only
    source: str = ""  # FROM ... [JOIN ...] ORDER BY ... of the export query (the table aliased as its initial)
    state_columns: tuple[tuple[str, str], ...] = ()  # (name, SQL type) of state.sqlite only, before the rest
    state_key: str = ""  # the state table's PRIMARY KEY clause
    counter: bool = False  # the first column numbers the rows by itself (INTEGER PRIMARY KEY AUTOINCREMENT)

    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def stored(self) -> list[Column]:
        return [c for c in self.columns if c.stored]


def _c(name, type_, description, derived="", contract=False, stored=True, sql=""):
    return Column(name, type_, description, derived, contract, stored, sql)


def _contract(name, type_, description, derived="", stored=True, sql=""):
    return Column(name, type_, description, derived, True, stored, sql)


_RUN_ID = _c("run_id", "integer", "The run that stored the row (see the runs table).",
             "The run's number in state.sqlite, counted from 1.")

ARTICLES_TABLE = Table(
    "articles", "One row per input document, read or not.",
    (
        _contract("article_id", "string", "Stable id of the article.",
                  "'a' + 16 hex of SHA-1 of the canonical URL where there is one, else of the raw content."),
        _contract("source", "string", "Where it was read from: a file path, path#Lline of a JSONL line, "
                  "path#offset of a WARC record.", "The resolved path of the input (collect)."),
        _contract("url", "string", "The article's web address, where known.",
                  "From the JSONL record, the WARC target URI or the page's canonical link."),
        _contract("outlet", "string", "The news outlet, where known.", "From the record or the page's metadata."),
        _contract("title", "string", "The headline.", "From the record or the page's metadata."),
        _contract("published", "date", "Publication date (YYYY-MM-DD), where known.",
                  "From the record, the page's header or byline, the URL, else the story's own dates (clean)."),
        _contract("status", "string", "ok, skipped or failed.",
                  "skipped: unusable input (empty, not Indonesian, a duplicate, ...); failed: could not be read."),
        _contract("reason", "string", "Why the status is not ok (empty when it is).",
                  "Written by the stage that stopped the document."),
        _contract("text", "string", "The cleaned story text (paragraphs separated by a blank line).",
                  "Markup, boilerplate, captions and related-article lists removed (clean)."),
        _c("author", "string", "The author or byline, where known.", "From the page's metadata."),
        _c("language", "string", "Language code of the text (id, ms, ...).", "py3langid on the cleaned text."),
        _c("dateline", "string", "The place of the dateline ('Kupang (ANTARA) -').", "Read from the lead (clean)."),
        _c("content_hash", "string", "SHA-1 of the cleaned text (of the raw bytes when not ok).",
           "Exact duplicates share it."),
        _c("duplicate_of", "string", "article_id of the article this one repeats, for a near-duplicate.",
           "MinHash of word 5-shingles, estimated Jaccard >= clean.near_dup_threshold."),
        _RUN_ID,
    ),
    primary_key=("article_id",),
    source="FROM articles a ORDER BY a.seq",
    state_columns=(("seq", "INTEGER"),), state_key="PRIMARY KEY (article_id)",
)

MENTIONS_TABLE = Table(
    "mentions", "One row per innovation named in an article.",
    (
        _contract("article_id", "string", "The article it is named in.", "articles.article_id."),
        _contract("innovation_id", "string", "The registry entry it was resolved to.",
                  "resolve: the id of the mention's cluster.", stored=False, sql="s.innovation_id"),
        _contract("name", "string", "The innovation's name as written (the acronym when both forms are given).",
                  "extract: a name span after an innovation cue, or the learned name classifier."),
        _contract("expansion", "string", "The long form the article gives, where it gives one.",
                  "extract: the words an acronym abbreviates."),
        _contract("agency", "string", "The owning agency as written.", "extract: the agency named with it."),
        _contract("region", "string", "The owner's government: Kabupaten X, Kota X, Provinsi X or Nasional.",
                  "extract: the region named with the agency or in the sentence, resolved in the gazetteer."),
        _contract("competition", "string", "The competition of the event the article reports, where it "
                  "reports one.", "The main event: the latest year, first listed among equals.",
                  stored=False, sql=DERIVED),
        _contract("scope", "string", "The level of that competition (Nasional, Provinsi X, ...).",
                  "The main event's scope.", stored=False, sql=DERIVED),
        _contract("stage", "string", "The stage reached (seleksi administrasi, Top 45, juara, ...).",
                  "The main event's stage (the highest stage a sentence names).", stored=False, sql=DERIVED),
        _contract("year", "integer", "The year of that event.", "The main event's year.",
                  stored=False, sql=DERIVED),
        _contract("evidence", "string", "The sentence it was taken from.", "extract."),
        _c("agency_canonical", "string", "The owning agency in canonical nomenclature.",
           "The gazetteer's agency names (corpora/gazetteers/agencies.csv)."),
        _c("province", "string", "The province of the region (empty for Nasional).", "The gazetteer."),
        _c("people", "array", "Innovators named for it (JSON list).", "extract: names beside the innovation."),
        _c("events", "array", "Every event the article reports for it (JSON list of {competition, scope, stage, "
           "year}).", "extract: competition, scope, stage and year words of its sentences."),
        _c("published", "date", "The article's publication date.", "articles.published."),
        _c("sector", "string", "The government affair it serves: one of the 16 sectors of the annotation "
           "spec (kesehatan, pendidikan, adminduk, ..., ketenagakerjaan); empty when nothing says.",
           "extract/sectors.py: cue words (corpora/gazetteers/sectors.json) in its name and expansion, the "
           "stretch of its sentences beside it, the other sentences about it and, weakest, the whole article; "
           "the owning agency's nomenclature (corpora/gazetteers/agency_sectors.csv) as the fallback."),
        _c("sector_evidence", "string", "The cue words that decided the sector, by place "
           "('name: stunting; text: puskesmas; agency: puskesmas').", "extract/sectors.py."),
        _c("digital", "string", "true when it is delivered through an application, website, online system, "
           "SMS/WhatsApp or another digital channel; false when it is not; empty when the article does not say.",
           "extract/sectors.py: digital and non-digital delivery words of the same places (non-digital ones "
           "weigh half)."),
        _c("digital_evidence", "string", "The words that decided digital, by place.", "extract/sectors.py."),
        _c("level", "string", "The owner's level of government: pusat, provinsi, kabupaten, kota or desa "
           "(empty when unknown).", "The kind of the owner's region in the gazetteer; desa for a village "
           "owner (sectors.json village_agencies)."),
    ),
    primary_key=("article_id", "innovation_id", "name"),
    foreign_keys=(ForeignKey(("article_id",), "articles", ("article_id",)),
                  ForeignKey(("innovation_id",), "registry", ("innovation_id",))),
    source="FROM mentions m LEFT JOIN assignments s USING (mention_key) ORDER BY m.seq",
    state_columns=(("mention_key", "TEXT"), ("seq", "INTEGER")), state_key="PRIMARY KEY (mention_key)",
)

REGISTRY_TABLE = Table(
    "registry", "One row per canonical innovation.",
    (
        _contract("innovation_id", "string", "Stable id of the innovation.",
                  "'i' + 12 hex of SHA-1 of its founding mention's key (earliest published, then smallest "
                  "article_id|name): the same however the articles arrived; an id that loses stays valid as "
                  "an alias (id_aliases)."),
        _contract("canonical_name", "string", "The chosen name.",
                  "The most frequent spelling; ties: the shortest, then the most upper-case."),
        _contract("aliases", "array", "Every other spelling seen (JSON list).", "Names of its mentions."),
        _contract("expansion", "string", "The long form.", "The most frequent expansion of its mentions."),
        _contract("agency", "string", "The owning agency.", "The most frequent agency of its mentions."),
        _contract("region", "string", "The owner's government.", "The most frequent region of its mentions."),
        _contract("province", "string", "The province of the region.",
                  "Of its mentions, else the gazetteer's province of the region."),
        _contract("first_seen", "date", "Publication date of the earliest article naming it.",
                  "Earliest mentions.published."),
        _contract("last_seen", "date", "Publication date of the latest article naming it.",
                  "Latest mentions.published."),
        _contract("n_articles", "integer", "Number of articles naming it.", "Distinct article_id of its mentions."),
        _contract("events", "array", "Its events (JSON list of {competition, scope, stage, year, article_id}).",
                  "Every event of its mentions, ordered by year and stage."),
        _c("merged_ids", "array", "Ids published by earlier runs that resolve to this entry now (JSON list).",
           "resolve/ids.py: an earlier id no longer live is an alias of the entry holding most of its mentions."),
        _c("split_from", "array", "Earlier ids some of this entry's mentions carried before a split (JSON list).",
           "resolve/ids.py: the part holding an id's founding mention keeps it; other parts name it here."),
        _c("status", "string", "active, or withdrawn: no article names it any more (a tombstone kept so that "
           "a published id still resolves).", "resolve/ids.py rule 4: its articles were corrected or pruned."),
        _c("withdrawn_run", "integer", "The run that withdrew it (tombstones only).", "runs.run_id."),
        _c("sector", "string", "The government affair it serves (one of the 16 sectors).",
           "The sector most of its mentions give (empty ones abstain); ties: alphabetical."),
        _c("digital", "string", "true / false / empty (no article says), as mentions.digital.",
           "Its mentions' majority; a tie is true (one article describing the application is enough)."),
        _c("level", "string", "The owner's level: pusat, provinsi, kabupaten, kota or desa.",
           "The level most of its mentions give."),
    ),
    primary_key=("innovation_id",),
    source="FROM registry r ORDER BY r.first_seen, r.innovation_id",
    state_key="PRIMARY KEY (innovation_id)",
)

REPLICATIONS_TABLE = Table(
    "replications", "One row per statement that an innovation is, or will be, copied.",
    (
        _contract("article_id", "string", "The article that says it.", "articles.article_id."),
        _contract("source_name", "string", "The innovation being replicated, as written.", "extract."),
        _contract("source_innovation_id", "string", "The registry entry of the source, where resolved.",
                  "resolve: the source name matched to the registry."),
        _contract("target_name", "string", "The name of the copy, where the article gives one.", "extract."),
        _contract("target_innovation_id", "string", "The registry entry of the copy, where it has one.",
                  "resolve: the target name matched to the registry."),
        _contract("target_region", "string", "Who replicates it: the adopting government, where known.",
                  "extract: the government the sentence names, resolved in the gazetteer."),
        _contract("evidence", "string", "The sentence.", "extract."),
        _c("source_region", "string", "The region of the source innovation, where known.", "extract."),
        _c("url", "string", "The article's web address.", "articles.url.", stored=False, sql="a.url"),
    ),
    primary_key=("article_id", "source_name", "target_name", "target_region"),
    foreign_keys=(ForeignKey(("article_id",), "articles", ("article_id",)),
                  ForeignKey(("source_innovation_id",), "registry", ("innovation_id",)),
                  ForeignKey(("target_innovation_id",), "registry", ("innovation_id",))),
    source="FROM replications r LEFT JOIN articles a USING (article_id) ORDER BY a.seq, r.idx",
    state_columns=(("idx", "INTEGER"),), state_key="PRIMARY KEY (article_id, idx)",
)


def _n(name: str, what: str) -> Column:
    return _c(name, "integer", what, "Counted by the run.")


RUNS_TABLE = Table(
    "runs", "One row per run of `inovasi run` on this folder.",
    (
        _c("run_id", "integer", "The run's number.", "Counted from 1 in state.sqlite."),
        _c("started", "string", "When it started (ISO 8601, UTC).", "The clock."),
        _c("finished", "string", "When it finished (empty when it did not).", "The clock."),
        _c("status", "string", "running, ok or interrupted.", "A run left running was killed: the next marks it."),
        _c("inputs", "array", "The inputs it was given (JSON list).", "The command line."),
        _n("n_units", "Input units (files, archives) planned."),
        _n("n_read", "Documents read."), _n("n_ok", "Articles cleaned ok."),
        _n("n_skipped", "Documents skipped."), _n("n_failed", "Documents that failed."),
        _n("n_unchanged", "Inputs already stored and unchanged."),
        _n("n_mentions", "Mentions in the registry after the run."),
        _n("n_innovations", "Registry entries after the run."),
        _n("n_replications", "Replications after the run."),
        _n("n_new_innovations", "Innovations the run added."),
        _n("n_new_events", "Events of known innovations the run added."),
        _n("n_new_replications", "Replications the run added."),
        _c("settings", "string", "The settings of the run (JSON).", "pipeline.settings.Settings."),
        _n("n_reextracted", "Stored articles extracted again because what extracts changed (or --reextract)."),
        _c("extractor", "string", "Fingerprint of what extracted: the rule pipeline, its rule data, the "
           "learned model and the extract settings (SHA-1).", "pipeline/extract/fingerprint.py."),
    ),
    primary_key=("run_id",), public=False, source="FROM runs r ORDER BY r.run_id", counter=True,
)

MERGES_TABLE = Table(
    "merges", "Why mentions were put in one entry, or kept apart (inovasi explain).",
    (
        _c("innovation_id", "string", "The entry the link concerns.", "resolve."),
        _c("left", "string", "One side: a mention key or a name.", "resolve."),
        _c("right", "string", "The other side.", "resolve."),
        _c("scores", "string", "Scorer name -> value (JSON).", "resolve/compare.py."),
        _c("decision", "string", "merge, or why the two were kept apart.", "resolve/cluster.py."),
    ),
    public=False, source="FROM merges r",
)

ID_ALIASES_TABLE = Table(
    "id_aliases", "Retired innovation ids and the id each resolves to now.",
    (
        _c("old_id", "string", "An id published earlier that no longer leads an entry.", "resolve."),
        _c("new_id", "string", "The id it resolves to.", "resolve: follows chained aliases."),
    ),
    primary_key=("old_id",), public=False, source="FROM id_aliases r ORDER BY r.old_id",
    state_key="PRIMARY KEY (old_id)",
)

ALL = (ARTICLES_TABLE, MENTIONS_TABLE, REGISTRY_TABLE, REPLICATIONS_TABLE, RUNS_TABLE, MERGES_TABLE,
       ID_ALIASES_TABLE)
SPEC = {t.name: t for t in ALL}

# column names per table (what users' scripts and the tests read)
TABLES = {t.name: t.names() for t in ALL if t.public}
EXTRA_TABLES = {t.name: t.names() for t in ALL if not t.public}  # in inovasi.sqlite only


def columns(table: str) -> list[str]:
    return SPEC[table].names()


# -- SQL of state.sqlite ------------------------------------------------------------------

def sqlite_type(col: Column) -> str:
    return "INTEGER" if col.type == "integer" else "TEXT"


def _q(name: str) -> str:
    return f'"{name}"'


def state_column_defs(table: Table) -> list[tuple[str, str]]:
    """(name, SQL type) of the state table, in order."""
    return list(_state_column_defs(table))


_DEFS: dict[int, tuple[Table, tuple[tuple[str, str], ...]]] = {}


def _state_column_defs(table: Table) -> tuple[tuple[str, str], ...]:
    """Once per table object (the spec is fixed; read for every row stored)."""
    held = _DEFS.get(id(table))
    if held is None or held[0] is not table:
        held = _DEFS[id(table)] = (table, (*table.state_columns, *((c.name, sqlite_type(c)) for c in table.stored())))
    return held[1]


def create_sql(table: Table) -> str:
    """CREATE TABLE IF NOT EXISTS of the state table (runs: its id counts by itself)."""
    defs = [f"{_q(n)} {t}" for n, t in state_column_defs(table)]
    if table.counter:
        defs[0] += " PRIMARY KEY AUTOINCREMENT"
    elif table.state_key:
        defs.append(table.state_key)
    return f'CREATE TABLE IF NOT EXISTS {_q(table.name)} ({", ".join(defs)});'


def insert_sql(table: Table, replace: bool = True) -> str:
    names = [n for n, _ in state_column_defs(table)]
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    return f'{verb} INTO {_q(table.name)} ({", ".join(map(_q, names))}) VALUES ({",".join("?" * len(names))})'


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def encode(value):
    """A record's field as stored: tuples (of records) as JSON lists, dicts as JSON, a yes/no
    field as 'true' / 'false' (None stays empty: not said)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return to_json([asdict(v) if is_dataclass(v) else v for v in value])
    if isinstance(value, dict):
        return to_json(value)
    return value


def state_values(table: Table, record, **extra) -> tuple:
    """The state row of ``record`` (a dataclass with the table's stored columns as fields);
    ``extra`` gives the state-only columns (and overrides)."""
    return tuple(extra[n] if n in extra else encode(getattr(record, n)) for n, _ in _state_column_defs(table))


def add_missing_columns(db, table: Table) -> list[str]:
    """Columns the spec has and an older state file's table lacks, added (empty); their names."""
    have = {r[1] for r in db.execute(f"PRAGMA table_info({_q(table.name)})")}
    missing = [(n, t) for n, t in state_column_defs(table) if n not in have]
    for n, t in missing:
        db.execute(f"ALTER TABLE {_q(table.name)} ADD COLUMN {_q(n)} {t}")
    return [n for n, _ in missing]


# -- the export query -----------------------------------------------------------------------

def export_sql(table: Table) -> str:
    alias = table.source.split()[2] if table.source.startswith("FROM ") else table.name
    exprs = [f"{c.sql} AS {_q(c.name)}" if c.sql else f"{alias}.{_q(c.name)}"
             for c in table.columns if c.sql is not DERIVED]
    exprs.append(f"{alias}.events AS _events" if table is MENTIONS_TABLE else "NULL AS _events")
    return f"SELECT {', '.join(exprs)} {table.source}"


def main_event(events_json: str | None) -> dict:
    """The event a mention row reports: the latest year, first listed among equals."""
    events = json.loads(events_json or "[]")
    if not events:
        return {}
    return max(events, key=lambda e: (e.get("year") or 0, -events.index(e)))


def complete_row(table: Table, row: dict) -> dict:
    """Fill the DERIVED columns of an exported row (a mention's main event)."""
    events = row.pop("_events", None)
    if table is MENTIONS_TABLE:
        ev = main_event(events)
        row.update(competition=ev.get("competition", ""), scope=ev.get("scope", ""),
                   stage=ev.get("stage", ""), year=ev.get("year"))
    return row
