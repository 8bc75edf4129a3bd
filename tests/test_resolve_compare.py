"""Pair scores and decisions: spelling, suffixes, acronyms, extensions, owners."""
from __future__ import annotations

from pipeline.resolve.blocking import Unit
from pipeline.resolve.compare import compare
from pipeline.resolve.normalise import agency_key, spaced
from pipeline.settings import ResolveSettings

S = ResolveSettings()


def unit(name, region="", agency="", expansion="", idx=0):
    sp = spaced(name)
    forms = (sp, spaced(expansion)) if expansion else (sp,)
    return Unit(idx, sp.replace(" ", ""), sp, region, forms,
                frozenset({agency_key(agency)}) if agency else frozenset(), [idx])


LUTRA = "kabupaten luwu utara"


def test_typo_merges_with_scores():
    c = compare(unit("Sambal Trasy Pete", LUTRA), unit("Sambal Trasi Pete", LUTRA), S)
    assert c.accept and c.decision == "merge: similar names"
    assert c.scores["ratio"] >= 88 and c.scores["region"] == "same"


def test_different_region_forbids_even_the_same_name():
    c = compare(unit("JEMPOL PINK", "kabupaten belu"), unit("Jempol Pink", "kabupaten malaka"), S)
    assert not c.accept
    assert c.decision == "forbidden: different region"
    assert c.scores["same_key"] == 100.0


def test_missing_region_is_neutral():
    c = compare(unit("Si Modis", ""), unit("SiModis", LUTRA), S)
    assert c.accept and c.scores["region"] == "missing"


def test_acronym_against_long_form():
    c = compare(unit("SIMBARA", "nasional", "Kementerian Keuangan"),
                unit("Sistem Informasi Mineral dan Batubara", "nasional", "Kementerian Keuangan"), S)
    assert c.accept and c.decision == "merge: acronym of the long form"
    assert c.scores["acronym"] >= 90
    # the same acronym test fails for an unrelated long form
    c2 = compare(unit("SIMBARA", "nasional"), unit("Sistem Informasi Manajemen Rumah Sakit", "nasional"), S)
    assert not c2.accept


def test_expansion_forms_are_compared_too():
    a = unit("PaDi UMKM", "nasional", expansion="Pasar Digital Usaha Mikro Kecil dan Menengah")
    b = unit("Pasar Digital Usaha Mikro Kecil dan Menengah", "nasional")
    c = compare(a, b, S)
    assert c.accept and c.scores["token_sort"] == 100.0


def test_extension_needs_the_same_known_region():
    a, b = unit("Pildacil", LUTRA), unit("Pildacil Desa/Kelurahan", LUTRA)
    c = compare(a, b, S)
    assert c.accept and c.decision == "merge: one name extends the other"
    assert not compare(unit("Pildacil", ""), b, S).accept  # no owner evidence: not enough
    assert not compare(unit("Sim B", LUTRA), unit("Sim Bara Kita", LUTRA), S).accept  # too short


def test_unrelated_names_in_one_region_stay_apart():
    for x, y in [("Sikamase", "Si Mas Daring"), ("Gersipah", "Go Pasar Indah"), ("Kelas Buby", "Kejar Bayi Ta"),
                 ("Si Sahra", "Si Mira Bersantai"), ("Sister Rina", "Sidora Emang")]:
        c = compare(unit(x, LUTRA, "Dinas Kesehatan"), unit(y, LUTRA, "Dinas Kesehatan"), S)
        assert not c.accept, (x, y, c)


def test_same_agency_lowers_the_bar():
    a, b = unit("Lapbukita", LUTRA), unit("Lapbukt", LUTRA)  # ratio 87.5
    plain = compare(a, b, ResolveSettings(same_owner_bonus=0.0))
    assert not plain.accept
    assert compare(a, b, S).accept and compare(a, b, S).scores["bonus"] == S.same_owner_bonus
