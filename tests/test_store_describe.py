"""The self-describing dataset (issue 17): datapackage.json, metadata.json and the codebook,
all derived from the one column specification (pipeline/store/schema.py)."""
from __future__ import annotations

import asyncio
import csv
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.core import run
from pipeline.settings import Settings
from pipeline.store import schema
from pipeline.store.describe import codebook, datapackage, datasette_metadata

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
SPEC_MD = ROOT.parent / "shared" / "spec" / "outputs.md"
CSV_TABLES = ("articles", "mentions", "registry", "replications")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("described")
    run([str(SAMPLE)], folder, Settings())
    return folder


def _validate(folder: Path):
    from frictionless import validate

    return validate(str(folder / "datapackage.json"))


def test_contract_columns_come_first_in_the_spec_order():
    for name in CSV_TABLES:
        cols = schema.SPEC[name].columns
        flags = [c.contract for c in cols]
        assert flags == sorted(flags, reverse=True), f"{name}: an extra column stands before a contract one"
        assert schema.TABLES[name] == [c.name for c in cols]


@pytest.mark.skipif(not SPEC_MD.exists(), reason="../shared/spec/outputs.md not present")
def test_every_column_of_the_written_contract_is_a_contract_column_of_the_spec():
    text = SPEC_MD.read_text(encoding="utf-8")
    for name in CSV_TABLES:
        section = text.split(f"`{name}.csv`", 1)[1].split("\n\n", 1)[0]
        written = [c for line in section.splitlines()[3:] for c in re.findall(r"`([a-z_]+)`", line.split("|")[1])]
        spec = [c.name for c in schema.SPEC[name].columns if c.contract]
        assert written == spec, name


def test_every_column_is_described_and_typed():
    for t in schema.ALL:
        assert t.description
        for c in t.columns:
            assert c.description, f"{t.name}.{c.name}"
            assert c.type in {"string", "integer", "date", "array"}, f"{t.name}.{c.name}"
        for key in t.primary_key:
            assert key in t.names()
        for fk in t.foreign_keys:
            assert set(fk.fields) <= set(t.names())
            assert set(fk.reference) <= set(schema.SPEC[fk.table].names())


def test_output_folder_has_a_package_that_frictionless_validates(out):
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package == datapackage()
    assert [r["name"] for r in package["resources"]] == list(CSV_TABLES)
    by_name = {r["name"]: r for r in package["resources"]}
    assert by_name["mentions"]["schema"]["primaryKey"] == ["article_id", "innovation_id", "name"]
    assert by_name["replications"]["schema"]["primaryKey"][:3] == ["article_id", "source_name", "target_name"]
    assert {fk["reference"]["resource"] for fk in by_name["mentions"]["schema"]["foreignKeys"]} == \
        {"articles", "registry"}
    for resource in package["resources"]:  # the CSV header is the package's field list
        with open(out / resource["path"], encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == [f["name"] for f in resource["schema"]["fields"]]
    # an empty foreign key (a replication whose copy has no registry entry) refers to nothing
    with open(out / "replications.csv", encoding="utf-8", newline="") as fh:
        assert any(not r["target_innovation_id"] for r in csv.DictReader(fh))
    report = _validate(out)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_validation_catches_a_dangling_foreign_key_and_a_repeated_key(out, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(out, bad, ignore=shutil.ignore_patterns("*.sqlite*", "*.parquet"))
    path = bad / "mentions.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("innovation_id")] = "i000000000000"  # no such registry entry
    rows.append(rows[2])  # the same article, innovation and name twice
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    report = _validate(bad)
    assert not report.valid
    kinds = {e[0] for e in report.flatten(["type"])}
    assert {"foreign-key", "primary-key"} <= kinds


def test_datasette_serves_the_database_with_its_descriptions(out):
    from datasette.app import Datasette

    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert metadata == datasette_metadata()
    ds = Datasette(files=[str(out / "inovasi.sqlite")], metadata=metadata)

    async def fetch(path: str):
        response = await ds.client.get(path)
        assert response.status_code == 200, path
        return response

    async def check():
        for table in schema.ALL:
            page = html.unescape((await fetch(f"/inovasi/{table.name}")).text)
            assert table.description in page
            for c in table.columns:
                assert metadata["databases"]["inovasi"]["tables"][table.name]["columns"][c.name] in page
        served = (await fetch("/-/metadata.json")).json()
        assert served["databases"]["inovasi"]["tables"]["mentions"]["columns"]["innovation_id"] == \
            metadata["databases"]["inovasi"]["tables"]["mentions"]["columns"]["innovation_id"]
        rows = (await fetch("/inovasi/registry.json?_shape=array&_size=max")).json()
        with open(out / "registry.csv", encoding="utf-8", newline="") as fh:
            assert len(rows) == sum(1 for _ in csv.DictReader(fh))

    asyncio.run(check())


def test_report_has_the_codebook_escaped(out):
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'href="#codebook"' in page
    for t in codebook():
        assert f'id="codebook-{t["table"]}"' in page
        for c in t["columns"]:
            assert html.escape(c["meaning"], quote=True) in page
    # text with markup is escaped, never inserted as markup
    from pipeline.report.render import codebook_section

    hostile = [{"table": "t", "description": "<script>x()</script>", "public": True, "primary_key": ["a"],
                "foreign_keys": [], "columns": [{"name": "a", "type": "string", "contract": True,
                                                 "meaning": "<img src=x onerror=y()>", "derived": "&"}]}]
    section = codebook_section(hostile)
    assert "<script>" not in section and "<img" not in section
    assert "&lt;img src=x onerror=y()&gt;" in section and "&amp;" in section


def test_a_run_that_changes_nothing_still_leaves_the_descriptions(tmp_path):
    out = tmp_path / "out"
    run([str(SAMPLE / "batch.jsonl")], out, Settings())
    (out / "datapackage.json").unlink()
    (out / "metadata.json").unlink()
    again = run([str(SAMPLE / "batch.jsonl")], out, Settings())
    assert again.n_unchanged >= 1 and again.n_new_innovations == 0
    assert json.loads((out / "datapackage.json").read_text(encoding="utf-8")) == datapackage()
    assert json.loads((out / "metadata.json").read_text(encoding="utf-8")) == datasette_metadata()
