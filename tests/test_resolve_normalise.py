"""Name normalisation: properties (hypothesis) and the cases the annotation guide names."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.resolve.normalise import (StaticOwners, default_owners, acronym_score, agency_key, compact, name_key,
                                        norm_text, region_key, spaced, strip_suffixes)

# Latin letters with accents, digits, punctuation and spaces: what news names are made of
names = st.text(alphabet=st.characters(codec="latin-1", categories=("L", "N", "P", "Zs", "Pd")), max_size=40)
words = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                         min_size=1, max_size=8), min_size=1, max_size=5)


@given(names)
def test_idempotent(s):
    assert norm_text(norm_text(s)) == norm_text(s)
    assert spaced(spaced(s)) == spaced(s)
    assert name_key(name_key(s)) == name_key(s)


@given(names)
def test_case_insensitive(s):
    assert name_key(s.upper()) == name_key(s.lower()) == name_key(s)
    assert spaced(s.upper()) == spaced(s)


@given(words, st.lists(st.sampled_from([" ", "  ", "-", " - ", "\t", "_", ".", "/"]), min_size=5, max_size=5))
def test_separator_insensitive(ws, seps):
    joined = "".join(w + seps[i % len(seps)] for i, w in enumerate(ws))
    assert name_key(joined) == name_key(" ".join(ws)) == name_key("".join(ws))
    assert spaced("  " + joined + " ") == spaced(" ".join(ws))


@given(words, st.sets(st.sampled_from(["lutra", "luwu utara", "belu", "ntt"]), max_size=3))
@settings(max_examples=200)
def test_suffix_strip_is_idempotent_and_keeps_a_name(ws, sufs):
    s = " ".join(ws).lower()
    once = strip_suffixes(spaced(s), sufs)
    assert strip_suffixes(once, sufs) == once
    assert once  # never strips the whole name


def test_si_prefix_spellings_share_a_key():
    forms = ["Si Modis", "SiModis", "SI-MODIS", "Sí Modis", "si  modis", "SI MODIS"]
    assert {name_key(f) for f in forms} == {"simodis"}
    assert spaced("Si Modis") == spaced("SiModis") == "simodis"
    assert spaced("e-Kinerja") == "ekinerja"


def test_region_suffix_from_injected_source():
    regions = StaticOwners({"Kabupaten Luwu Utara": ["Lutra", "Luwu Utara"]})
    sufs = regions.suffixes("Kabupaten Luwu Utara")
    assert name_key("Si Modis Lutra", sufs) == name_key("Si Modis") == "simodis"
    assert name_key("Si Modis Luwu Utara", sufs) == "simodis"
    assert name_key("SiModisLutra", sufs) == "simodis"  # glued suffix
    assert name_key("Lutra", sufs) == "lutra"  # a name is never stripped to nothing
    assert name_key("Si Modis Lutra", regions.suffixes("Kabupaten Belu")) == "simodislutra"


def test_acronyms_and_long_forms():
    assert acronym_score("simbara", spaced("Sistem Informasi Mineral dan Batubara antar Kementerian/Lembaga")) >= 90
    assert acronym_score("padiumkm", spaced("Pasar Digital Usaha Mikro Kecil dan Menengah")) >= 90
    assert acronym_score("biotron", spaced("Biochar Three in One")) >= 90
    # an unrelated word is no acronym of it
    assert acronym_score("gersipah", spaced("Pasar Digital Usaha Mikro Kecil dan Menengah")) == 0
    assert acronym_score("simbara", spaced("Sistem Informasi")) == 0  # letters left over
    # a long tail of unused words is not a match
    assert acronym_score("si", spaced("sistem informasi kependudukan pelayanan terpadu desa")) == 0


def test_region_keys():
    assert region_key("Kab. Luwu Utara") == region_key("Kabupaten  Luwu Utara") == "kabupaten luwu utara"
    assert region_key("Pusat") == region_key("Nasional") == "nasional"
    assert region_key("") == ""
    owners = default_owners()  # the one gazetteer (the CSV copy of it is gone)
    assert owners.canonical("Provinsi NTT") == owners.canonical("Provinsi Nusa Tenggara Timur")
    assert "lutra" in owners.suffixes("Kabupaten Luwu Utara")
    assert compact("Kota Makassar") == "kotamakassar"


def test_agency_keys_drop_region_and_abbreviation():
    assert agency_key("Dinas Kesehatan Kabupaten Sikka") == agency_key("Dinas Kesehatan") == "dinas kesehatan"
    assert agency_key("Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil) Kota Ternate") == \
        "dinas kependudukan dan pencatatan sipil"
    assert StaticOwners().agency("Dinas  Sosial") == "dinas sosial"
