"""Gazetteer: region data and counts, region/agency look-ups, finding regions in text."""
from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.gazetteer import Gazetteer, Region
from pipeline.settings import ExtractSettings

ROOT = Path(__file__).resolve().parents[1]
GAZ_DIR = ROOT / "corpora" / "gazetteers"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(GAZ_DIR)


def _rows(name: str) -> list[dict]:
    with (GAZ_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- data -----------------------------------------------------------------------------
def test_region_counts_match_kemendagri(gaz):
    counts = Counter(r.kind for r in gaz.regions)
    assert counts == {"provinsi": 38, "kabupaten": 416, "kota": 98}
    assert len({r.name for r in gaz.regions}) == 552
    assert len({r.code for r in gaz.regions}) == 552


def test_new_papua_provinces_and_their_regencies(gaz):
    for prov in ("Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya"):
        assert gaz.region(f"Provinsi {prov}").kind == "provinsi"
    assert gaz.resolve_region("Merauke").province == "Provinsi Papua Selatan"
    assert gaz.resolve_region("Kabupaten Mimika").province == "Provinsi Papua Tengah"
    assert gaz.resolve_region("Jayawijaya").province == "Provinsi Papua Pegunungan"
    assert gaz.resolve_region("Kota Sorong").province == "Provinsi Papua Barat Daya"


def test_names_are_title_case_with_type_word(gaz):
    for r in gaz.regions:
        assert r.name == f"{r.kind.capitalize()} {r.core}"
        assert r.core[0].isupper(), r.name
        assert r.province.startswith("Provinsi ")
        if r.kind == "provinsi":
            assert r.province == r.name
        else:
            assert gaz.region(r.province).kind == "provinsi"
            assert r.code.split(".")[0] == gaz.region(r.province).code


def test_every_alias_and_rule_names_a_real_region(gaz):
    names = {r.name for r in gaz.regions}
    for row in _rows("region_aliases.csv"):
        assert row["region"] in names, row
        assert row["bare"] in ("yes", "no"), row
        assert gaz.resolve_region(row["alias"]).name == row["region"] or len(gaz._entries[gaz._key(row["alias"])]) > 1
    rules = json.loads((GAZ_DIR / "region_rules.json").read_text(encoding="utf-8"))
    for blocked in rules["bare_blocked"]["names"]:
        assert gaz.resolve_region(blocked) is not None, f"blocked name {blocked!r} is no region"


def test_agency_data_has_no_conflicts():
    seen: dict[str, str] = {}
    for row in _rows("agencies.csv"):
        assert row["scope"] in ("daerah", "nasional"), row
        for form in [row["canonical"], *row["aliases"].split("|")]:
            key = "".join(ch for ch in form.casefold() if ch.isalnum())
            assert seen.setdefault(key, row["canonical"]) == row["canonical"], form


def test_default_directory_is_the_settings_one():
    assert Path(ExtractSettings().gazetteer_dir).resolve() == GAZ_DIR.resolve()
    assert Gazetteer.load() is Gazetteer.load(GAZ_DIR)  # cached per directory


def test_load_is_cached_per_directory(tmp_path):
    first = Gazetteer.load(GAZ_DIR)
    assert Gazetteer.load(str(GAZ_DIR)) is first
    assert Gazetteer.load(GAZ_DIR / ".." / "gazetteers") is first  # same directory, other spelling
    with pytest.raises(FileNotFoundError):
        Gazetteer.load(tmp_path)  # an empty directory is an error, not an empty gazetteer


def test_build_script_checks_counts_and_applies_fixes(tmp_path):
    sys.path.insert(0, str(GAZ_DIR))
    try:
        import build_regions
    finally:
        sys.path.remove(str(GAZ_DIR))
    source = {"74": "Sulawesi Tenggara", "74.72": "Kota Bau Bau", "74.01": "Kabupaten Kolaka",
              "74.01.01": "Wundulako", "31": "Daerah Khusus Ibukota Jakarta",
              "31.71": "Kota Administrasi Jakarta Pusat"}
    rows = build_regions.build_rows(source, {"core": {"74.72": "Baubau"}, "strip_words": ["Administrasi"]})
    by_code = {r["code"]: r for r in rows}
    assert "74.01.01" not in by_code  # kecamatan are not regions
    assert by_code["74.72"]["name"] == "Kota Baubau" and by_code["74.72"]["official_core"] == "Bau Bau"
    assert by_code["74.72"]["province"] == "Provinsi Sulawesi Tenggara"
    assert by_code["31.71"]["name"] == "Kota Jakarta Pusat"
    with pytest.raises(ValueError, match="counts"):
        build_regions.check(rows)


# -- resolve_region ---------------------------------------------------------------------
@pytest.mark.parametrize("surface,expected", [
    ("Kabupaten Belu", "Kabupaten Belu"),
    ("Kab. Belu", "Kabupaten Belu"),
    ("Kab Belu", "Kabupaten Belu"),
    ("Pemkab Belu", "Kabupaten Belu"),
    ("Pemerintah Kabupaten Belu", "Kabupaten Belu"),
    ("Belu", "Kabupaten Belu"),
    ("NTT", "Provinsi Nusa Tenggara Timur"),
    ("Provinsi NTT", "Provinsi Nusa Tenggara Timur"),
    ("Pemprov NTT", "Provinsi Nusa Tenggara Timur"),
    ("Nusa Tenggara Timur", "Provinsi Nusa Tenggara Timur"),
    ("Sulsel", "Provinsi Sulawesi Selatan"),
    ("Lutra", "Kabupaten Luwu Utara"),
    ("Luwu Utara", "Kabupaten Luwu Utara"),
    ("Lutim", "Kabupaten Luwu Timur"),
    ("TTS", "Kabupaten Timor Tengah Selatan"),
    ("Kab. TTU", "Kabupaten Timor Tengah Utara"),
    ("Pangkep", "Kabupaten Pangkajene dan Kepulauan"),
    ("Selayar", "Kabupaten Kepulauan Selayar"),
    ("Kep. Selayar", "Kabupaten Kepulauan Selayar"),
    ("Sidrap", "Kabupaten Sidenreng Rappang"),
    ("Jeneponto", "Kabupaten Jeneponto"),
    ("Kota Kupang", "Kota Kupang"),
    ("Kabupaten Kupang", "Kabupaten Kupang"),
    ("Bupati Kupang", "Kabupaten Kupang"),
    ("Wali Kota Kupang", "Kota Kupang"),
    ("Kupang", "Kota Kupang"),  # bare: the city (bare_preference: provinsi, kota, kabupaten)
    ("Bandung", "Kota Bandung"),
    ("Kabupaten Bandung", "Kabupaten Bandung"),
    ("Bandung Barat", "Kabupaten Bandung Barat"),
    ("Gorontalo", "Provinsi Gorontalo"),
    ("Nasional", "Nasional"),
    ("Pusat", "Nasional"),
    ("Sumatra Utara", "Provinsi Sumatera Utara"),
    ("Sumut", "Provinsi Sumatera Utara"),
    ("Jogja", "Provinsi Daerah Istimewa Yogyakarta"),
    ("DIY", "Provinsi Daerah Istimewa Yogyakarta"),
    ("Kota Yogyakarta", "Kota Yogyakarta"),
    ("DKI", "Provinsi DKI Jakarta"),
    ("Jakarta", "Provinsi DKI Jakarta"),
    ("Kota Administrasi Jakarta Selatan", "Kota Jakarta Selatan"),
    ("Jaksel", "Kota Jakarta Selatan"),
    ("Bau-Bau", "Kota Baubau"),
    ("Baubau", "Kota Baubau"),
    ("Gunung Kidul", "Kabupaten Gunungkidul"),
    ("Solo", "Kota Surakarta"),
    ("Papua Barat Daya", "Provinsi Papua Barat Daya"),
    ("Kaltara", "Provinsi Kalimantan Utara"),
    ("Batu", "Kota Batu"),  # blocked as a bare word in text, still resolvable when asked
])
def test_resolve_region(gaz, surface, expected):
    region = gaz.resolve_region(surface)
    assert region is not None, surface
    assert region.name == expected


@pytest.mark.parametrize("surface", ["", "   ", "Kota Belu", "Provinsi Kupang", "Kabupaten",  # seats (Atambua): test_gazetteer_seats.py
                                     "Dinas Kesehatan"])
def test_resolve_region_unknown(gaz, surface):
    assert gaz.resolve_region(surface) is None


def test_province_of_and_suffixes(gaz):
    lutra = gaz.resolve_region("Luwu Utara")
    assert gaz.province_of(lutra) == "Provinsi Sulawesi Selatan"
    assert gaz.province_of("Kab. Belu") == "Provinsi Nusa Tenggara Timur"
    assert gaz.province_of("NTT") == "Provinsi Nusa Tenggara Timur"
    assert gaz.province_of("Nasional") == ""
    assert gaz.province_of("Atlantis") == ""
    assert {"Luwu Utara", "Lutra"} <= gaz.region_suffixes(lutra)
    assert "Selayar" in gaz.region_suffixes(gaz.resolve_region("Kepulauan Selayar"))
    assert "Lutra" not in gaz.region_suffixes(gaz.resolve_region("Luwu Timur"))
    assert "Lutra" in lutra.short_forms


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_resolve_region_ignores_case_and_spacing(gaz, data):
    region = data.draw(st.sampled_from(gaz.regions))
    surface = data.draw(st.sampled_from([region.name, region.core, *region.short_forms]))
    flips = data.draw(st.lists(st.booleans(), min_size=len(surface), max_size=len(surface)))
    spaced = "".join(c.swapcase() if f else c for c, f in zip(surface, flips))
    spaced = data.draw(st.sampled_from(["", " ", "  "])) + spaced.replace(" ", data.draw(
        st.sampled_from([" ", "  ", "\t", " \u00a0"]))) + data.draw(st.sampled_from(["", " ", "\n"]))
    assert gaz.resolve_region(spaced) == gaz.resolve_region(surface)
    assert gaz.resolve_region(region.name) == region


# -- find_regions -----------------------------------------------------------------------
def _found(gaz, text, **kw):
    return [(m.surface, m.region.name) for m in gaz.find_regions(text, **kw)]


def test_find_regions_offsets_and_prefixes(gaz):
    text = ("Pemerintah Kabupaten Luwu Utara (Pemkab Lutra) bersama Pemprov Sulsel. "
            "Di Kota Kupang, NTT, Bupati Belu dan Kab. Timor Tengah Selatan hadir.")
    matches = gaz.find_regions(text)
    assert [(m.surface, m.region.name, m.prefix) for m in matches] == [
        ("Pemerintah Kabupaten Luwu Utara", "Kabupaten Luwu Utara", "Pemerintah Kabupaten"),
        ("Pemkab Lutra", "Kabupaten Luwu Utara", "Pemkab"),
        ("Pemprov Sulsel", "Provinsi Sulawesi Selatan", "Pemprov"),
        ("Kota Kupang", "Kota Kupang", "Kota"),
        ("NTT", "Provinsi Nusa Tenggara Timur", ""),
        ("Bupati Belu", "Kabupaten Belu", "Bupati"),
        ("Kab. Timor Tengah Selatan", "Kabupaten Timor Tengah Selatan", "Kab"),
    ]
    for m in matches:
        assert text[m.start:m.end] == m.surface
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:]))


def test_every_region_is_found_by_its_name_and_government(gaz):
    government = {"provinsi": "Pemprov", "kabupaten": "Pemkab", "kota": "Pemkot"}
    for region in gaz.regions:
        for surface in (region.name, f"{government[region.kind]} {region.core}"):
            text = f"inovasi dari {surface}, tahun ini"
            matches = gaz.find_regions(text)
            assert [(m.surface, m.region) for m in matches] == [(surface, region)], surface


FILLER = ["inovasi", "pelayanan", "publik", "yang", "dan", "untuk", "masyarakat", "tahun", "ini", "oleh", "dari"]


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_find_regions_locates_names_in_filler(gaz, data):
    region = data.draw(st.sampled_from(gaz.regions))
    before = data.draw(st.lists(st.sampled_from(FILLER), max_size=6))
    after = data.draw(st.lists(st.sampled_from(FILLER), max_size=6))
    sep = data.draw(st.sampled_from([" ", ", ", " (", "; "]))
    head = " ".join(before) + (sep if before else "")
    text = head + region.name + (" " + " ".join(after) if after else ".")
    matches = gaz.find_regions(text)
    assert len(matches) == 1
    m = matches[0]
    assert (m.start, m.end, m.region) == (len(head), len(head) + len(region.name), region)


def test_find_regions_longest_match(gaz):
    assert _found(gaz, "Warga Bandung Barat dan Luwu Timur.") == [
        ("Bandung Barat", "Kabupaten Bandung Barat"), ("Luwu Timur", "Kabupaten Luwu Timur")]
    assert _found(gaz, "Provinsi Papua Barat Daya dan Papua Barat")[0][1] == "Provinsi Papua Barat Daya"
    assert _found(gaz, "Kepulauan Riau") == [("Kepulauan Riau", "Provinsi Kepulauan Riau")]


def test_find_regions_never_inside_words(gaz):
    assert _found(gaz, "Belukar, Kupangan, NTTBangkit, Sikkaku, xBelu, Belu_x, Lutrax") == []
    assert _found(gaz, "kabupatenBelu Kotakupang") == []


def test_find_regions_bare_rules(gaz):
    # common words and lowercase text are not regions without a type prefix
    assert _found(gaz, "Batu itu berat; harga batu bara naik; nasib malang; di padang rumput") == []
    assert _found(gaz, "Ibu Kota Baru dan Nasi Padang") == []
    assert _found(gaz, "wisata ke kota batu") == [("kota batu", "Kota Batu")]
    assert _found(gaz, "Kabupaten Puncak dan Kota Padang") == [
        ("Kabupaten Puncak", "Kabupaten Puncak"), ("Kota Padang", "Kota Padang")]
    # a bare name that two regions share needs a prefix, unless asked for
    assert _found(gaz, "Kupang, 13 Februari") == []
    matches = gaz.find_regions("Kupang, 13 Februari", include_ambiguous=True)
    assert [(m.region.name, m.ambiguous) for m in matches] == [("Kota Kupang", True)]
    # aliases marked bare=no need a prefix
    assert _found(gaz, "Benteng itu tua") == []
    assert _found(gaz, "Kabupaten Benteng") == [("Kabupaten Benteng", "Kabupaten Bengkulu Tengah")]


def test_find_regions_spelling_variants(gaz):
    text = "Bau-Bau, Pangkal Pinang, Sumatra Barat, Gunung Kidul, Kab. Kep. Siau Tagulandang Biaro"
    assert [name for _, name in _found(gaz, text)] == [
        "Kota Baubau", "Kota Pangkalpinang", "Provinsi Sumatera Barat", "Kabupaten Gunungkidul",
        "Kabupaten Kepulauan Siau Tagulandang Biaro"]


def test_find_regions_does_not_join_across_sentences(gaz):
    # "Luwu. Utara" is two sentences: the name must not run across the full stop
    assert _found(gaz, "Di Luwu. Utara adalah arah.") == [("Luwu", "Kabupaten Luwu")]
    assert _found(gaz, "Luwu\n\nUtara") == [("Luwu", "Kabupaten Luwu")]


def test_find_regions_on_a_long_article(gaz):
    words = ("Inovasi pelayanan publik dari Dinas Kesehatan Kabupaten Belu masuk Top 45 KIPP "
             "tingkat nasional bersama Pemkab Lutra dan Kota Kupang di Provinsi NTT .").split()
    text = " ".join((words * (5000 // len(words) + 1))[:5000])
    matches = gaz.find_regions(text)
    reps = 5000 // len(words)
    assert Counter(m.region.name for m in matches)["Kabupaten Luwu Utara"] >= reps
    assert len(matches) >= 4 * reps
    assert all(text[m.start:m.end] == m.surface for m in matches)


# -- agencies -----------------------------------------------------------------------------
@pytest.mark.parametrize("surface,expected", [
    ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("Dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("Dispendukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("Dinkes", "Dinas Kesehatan"),
    ("  dinkes. ", "Dinas Kesehatan"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("Disdikbud", "Dinas Pendidikan dan Kebudayaan"),
    ("Disdik", "Dinas Pendidikan"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    ("Bappelitbangda", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("Diskominfo SP", "Dinas Komunikasi, Informatika, Statistik dan Persandian"),
    ("Dinas Kominfo-SP", "Dinas Komunikasi, Informatika, Statistik dan Persandian"),
    ("Diskominfo", "Dinas Komunikasi dan Informatika"),
    ("Disporapar", "Dinas Pemuda, Olahraga dan Pariwisata"),
    ("DP2KUKM", "Dinas Perdagangan, Perindustrian, Koperasi dan Usaha Kecil Menengah"),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("Satpol PP", "Satuan Polisi Pamong Praja"),
    ("Kemenkeu", "Kementerian Keuangan"),
    ("Kementerian Keuangan RI", "Kementerian Keuangan"),
    ("KemenPAN-RB", "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"),
    ("Kementan", "Kementerian Pertanian"),
    ("Kementerian BUMN", "Kementerian Badan Usaha Milik Negara"),
    ("BPKP", "Badan Pengawasan Keuangan dan Pembangunan"),
    ("DPMPTSP Kabupaten Timor Tengah Selatan",
     "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Timor Tengah Selatan"),
    ("Dinkes Kab. Sikka", "Dinas Kesehatan Kabupaten Sikka"),
    ("Dinas Kearsipan dan Perpustakaan Provinsi NTT", "Dinas Perpustakaan dan Kearsipan Provinsi Nusa Tenggara Timur"),
    ("RSUD Umbu Rara Meha Waingapu", "Rumah Sakit Umum Daerah Umbu Rara Meha Waingapu"),
    ("RSUD Kota Kupang", "Rumah Sakit Umum Daerah Kota Kupang"),
    ("Pemkab Belu", "Pemerintah Kabupaten Belu"),
    ("Dinas Sejarah Lisan  Kabupaten Belu", "Dinas Sejarah Lisan Kabupaten Belu"),  # unknown: kept, cleaned
    ("Unit Pengelola Sampah Terpadu ", "Unit Pengelola Sampah Terpadu"),
])
def test_canonical_agency(gaz, surface, expected):
    assert gaz.canonical_agency(surface) == expected


@pytest.mark.parametrize("surface,national", [
    ("Kementerian Keuangan", True), ("Kemenkeu", True), ("Kementerian BUMN", True), ("BPKP", True),
    ("BRIN", True), ("BPS", True), ("Polri", True), ("Kementerian Urusan Baru", True),
    ("Kemenparekraf/Baparekraf", True), ("Badan Gizi Nasional", True),
    ("Disdukcapil", False), ("Dinas Kesehatan Kabupaten Sikka", False), ("BPS Kabupaten Belu", False),
    ("RSUD Umbu Rara Meha Waingapu", False), ("Inspektorat Daerah NTT", False), ("Puskesmas", False),
])
def test_is_national_agency(gaz, surface, national):
    assert gaz.is_national_agency(surface) is national


def test_region_of_agency(gaz):
    assert gaz.region_of_agency("Kemenkeu").name == "Nasional"
    assert gaz.region_of_agency("Dinas Kesehatan Kabupaten Sikka").name == "Kabupaten Sikka"
    assert gaz.region_of_agency("Inspektorat Daerah NTT").name == "Provinsi Nusa Tenggara Timur"
    assert gaz.region_of_agency("Dinas Kesehatan") is None


def test_agency_tables_for_the_extractor(gaz):
    assert gaz.agency_abbreviations["DPMPTSP"] == "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    assert gaz.agency_abbreviations["Bapenda"] == "Badan Pendapatan Daerah"
    heads = gaz.agency_heads
    for head in ("Dinas", "Badan", "Kantor", "Kementerian", "Rumah Sakit", "RSUD", "Puskesmas", "Inspektorat",
                 "Sekretariat", "Bagian", "Kecamatan", "Kelurahan", "Desa", "Lembaga", "Biro", "UPT", "UPTD", "Satuan"):
        assert head in heads
    assert list(heads) == sorted(heads, key=len, reverse=True)  # longest first, for pattern building


# -- against the shared gold ----------------------------------------------------------------
@pytest.mark.skipif(not (SHARED / "seeds" / "gold.json").exists(), reason="../shared is not present")
def test_gold_regions_and_agencies_resolve(gaz):
    gold = json.loads((SHARED / "seeds" / "gold.json").read_text(encoding="utf-8"))
    for article in gold["articles"]:
        for inn in article["innovations"]:
            region = gaz.resolve_region(inn["region"])
            assert isinstance(region, Region), inn["region"]
            for event in inn.get("events", []):
                assert gaz.resolve_region(event["scope"]) is not None, event["scope"]
            if inn.get("agency"):
                canonical = gaz.canonical_agency(inn["agency"])
                assert canonical
                agency_region = gaz.region_of_agency(inn["agency"])
                if agency_region is not None:  # an agency that names its government agrees with the gold
                    assert agency_region.name == region.name, (inn["agency"], inn["region"])
