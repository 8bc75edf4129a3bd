"""Frozen golden outputs: the four tables of ``inovasi run`` on the sample corpus and the seeds.

Every later change shows here what it changed in the tables.  The files under
``tests/golden/run/<set>/`` are the tables as CSV, rows sorted, with

- ``source`` made relative to the input folder (how a path is spelled is not an output),
- run bookkeeping left out (``run_id``: which run wrote a row depends on the run history),
- for the seeds (third-party text, never copied into the project) every free-text column
  (``text``, ``title``, ``evidence``) replaced by the first 16 hex digits of its SHA-1.

When a change is meant to change outputs, regenerate with
``INOVASI_UPDATE_GOLDEN=1 pytest tests/test_golden_run.py`` and name the change (and the
issue behind it) in the commit message.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import pytest

from conftest import SAMPLE, SEEDS, read_table, requires_shared

GOLDEN = Path(__file__).parent / "golden" / "run"
TABLES = ("articles", "mentions", "registry", "replications")
RUN_COLUMNS = {"run_id"}  # bookkeeping of the run history, not an output of the articles
FREE_TEXT = {"text", "title", "evidence"}
UPDATE = bool(os.environ.get("INOVASI_UPDATE_GOLDEN"))


def _digest(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16] if value else ""


def normalised(out: Path, root: Path, hash_text: bool) -> dict[str, str]:
    """The four tables as sorted CSV strings, ready to compare with the golden files."""
    prefixes = sorted({str(root), str(root.resolve()), os.path.relpath(root)}, key=len, reverse=True)
    tables = {}
    for name in TABLES:
        rows = read_table(out / f"{name}.csv")
        header = [c for c in (rows[0].keys() if rows else _header(out / f"{name}.csv")) if c not in RUN_COLUMNS]
        norm_rows = []
        for row in rows:
            r = {c: row[c] for c in header}
            if "source" in r:
                r["source"] = _relative(r["source"], prefixes)
            if hash_text:
                r.update({c: _digest(r[c]) for c in FREE_TEXT if c in r})
            norm_rows.append(r)
        norm_rows.sort(key=lambda r: [r[c] for c in header])
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(norm_rows)
        tables[name] = buf.getvalue()
    return tables


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _relative(source: str, prefixes: list[str]) -> str:
    for p in prefixes:
        if source.startswith(p + os.sep):
            return source[len(p) + 1:]
    return source


def _compare(set_name: str, tables: dict[str, str], update: bool = False) -> None:
    folder = GOLDEN / set_name
    if update:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in tables.items():
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
        pytest.skip(f"golden files of {set_name} rewritten")
    for name, text in tables.items():
        expected = (folder / f"{name}.csv").read_text(encoding="utf-8")
        if text != expected:
            got, want = text.splitlines(), expected.splitlines()
            diff = [f"- {w}" for w in want if w not in set(got)][:5] + [f"+ {g}" for g in got if g not in set(want)][:5]
            pytest.fail(f"{set_name}/{name}.csv differs from the golden file "
                        f"({len(want)} -> {len(got)} lines):\n" + "\n".join(diff))


def test_sample_corpus_tables_match_the_golden_files(sample_out):
    _compare("sample", normalised(sample_out, SAMPLE, hash_text=False), UPDATE)


@requires_shared
def test_seed_tables_match_the_golden_files(seeds_out):
    _compare("seeds", normalised(seeds_out, SEEDS, hash_text=True), UPDATE)


def test_the_comparison_notices_a_changed_cell(sample_out):
    tables = normalised(sample_out, SAMPLE, hash_text=False)
    lines = tables["mentions"].splitlines()
    lines[1] = lines[1].replace(",", ",X", 1)
    with pytest.raises(pytest.fail.Exception):
        _compare("sample", {**tables, "mentions": "\n".join(lines) + "\n"})
