"""Seat towns (ibu kota kabupaten) name their kabupaten; hyphenated reduplicated places do not."""
import csv
from pathlib import Path

import pytest

from pipeline.gazetteer import Gazetteer

GAZ = Path(__file__).resolve().parents[1] / "corpora" / "gazetteers"


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load(GAZ)


@pytest.mark.parametrize("seat,regency", [
    ("Waingapu", "Kabupaten Sumba Timur"),
    ("Ruteng", "Kabupaten Manggarai"),
    ("Atambua", "Kabupaten Belu"),
    ("Soe", "Kabupaten Timor Tengah Selatan"),
    ("Maumere", "Kabupaten Sikka"),
    ("Masamba", "Kabupaten Luwu Utara"),
    ("Purwokerto", "Kabupaten Banyumas"),
    ("Wamena", "Kabupaten Jayawijaya"),
])
def test_seat_resolves_to_its_kabupaten(gaz, seat, regency):
    assert gaz.resolve_region(seat).name == regency


def test_seat_in_an_agency_name(gaz):
    agency = "RSUD Umbu Rara Meha Waingapu"
    assert gaz.region_of_agency(agency).name == "Kabupaten Sumba Timur"
    assert gaz.canonical_agency(agency).endswith("Umbu Rara Meha Waingapu")  # the seat stays in the name
    assert [m.region.name for m in gaz.find_regions("WAINGAPU, Sumbanews.id - Dinas ...")] == ["Kabupaten Sumba Timur"]


def test_seat_never_overrides_a_region_form(gaz):
    # an old seat that is now a kota, or a seat with its regency's name, keeps the region's meaning
    assert gaz.resolve_region("Kupang").name == "Kota Kupang"
    assert gaz.resolve_region("Palopo").name == "Kota Palopo"
    rows = list(csv.DictReader((GAZ / "regency_seats.csv").open(encoding="utf-8")))
    assert len(rows) > 200 and all(r["region"].startswith("Kabupaten ") for r in rows)


def test_common_words_are_not_seats(gaz):
    for word in ("Negara", "Sumber", "Tanjung", "Rantau", "Mulia"):
        hit = gaz.resolve_region(word)
        assert hit is None or hit.name != "Kabupaten Jembrana"
    assert gaz.find_regions("Aparatur Sipil Negara dan Sumber Daya Manusia") == []


@pytest.mark.parametrize("agency", ["Puskesmas Bone-Bone", "Puskesmas Bone-bone", "UPTD Puskesmas Bone-Bone"])
def test_reduplicated_place_is_not_the_regency(gaz, agency):
    assert gaz.find_regions(agency) == []
    assert "Kabupaten Bone" not in gaz.canonical_agency(agency)
    assert gaz.region_of_agency(agency) is None


def test_regions_with_a_hyphen_inside_still_match(gaz):
    assert [m.region.name for m in gaz.find_regions("Pemkot Bau-Bau dan Kabupaten Tojo Una-Una")] == [
        "Kota Baubau", "Kabupaten Tojo Una-Una"]
    assert gaz.canonical_agency("Dinas Kesehatan Kabupaten Bone") == "Dinas Kesehatan Kabupaten Bone"
