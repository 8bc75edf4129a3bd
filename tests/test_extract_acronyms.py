"""Schwartz-Hearst style acronym <-> long form, with Indonesian syllabic acronyms."""
import pytest

from pipeline.extract.acronyms import coverage, find_long_form, is_acronym_like


@pytest.mark.parametrize("short,long", [
    ("Biotron", "Biochar Three in One"),
    ("Lapbukit", "layanan pinjam buku antar di tempat"),
    ("Akar Cendana", "aksi edukasi masyarakat dan calon pengantin dalam ketahanan keluarga"),
    ("PaDi UMKM", "Pasar Digital Usaha Mikro Kecil dan Menengah"),
    ("Sambal Trasy Pete", "sambung daya layanan via tracking sistem perizinan terpadu"),
    ("E-Peken", "Pemberdayaan dan Ketahanan Ekonomi Nang Suroboyo"),
])
def test_real_long_forms_cover(short, long):
    assert coverage(short, long) >= 0.6


@pytest.mark.parametrize("short,long", [
    ("Consignment Note", "Ceisa Barang Kiriman"),
    ("KIPP", "rapat koordinasi"),
    ("Bomlab", "sistem mobile service laboratorium"),  # the first letter must open a word
])
def test_unrelated_forms_do_not(short, long):
    assert coverage(short, long) < 0.6


def test_find_long_form_picks_the_start(ex):
    words = ex.rules.names.acronym_words
    before = "Kementerian Pertanian dengan inovasi Biochar Three in One "
    start = find_long_form("Biotron", before, 0.6, words)
    assert before[start:].strip() == "Biochar Three in One"
    before = "berhasil lewat program yang tidak berhubungan "
    assert find_long_form("SIMBARA", before, 0.6, words) is None


def test_long_form_never_opens_with_a_conjunction(ex):
    before = "Dinas Koperasi Usaha Kecil dan Menengah dan Perdagangan "
    start = find_long_form("Dinkopdag", before, 0.6, ex.rules.names.acronym_words)
    assert before[start:].startswith("Dinas")


@pytest.mark.parametrize("text,ok", [
    ("SIMBARA", True), ("Sambal Trasy Pete", True), ("PaDi UMKM", True),
    ("13/2/2023", False), ("1", False), ("yang sudah berjalan lama di desa", False),
])
def test_is_acronym_like(ex, text, ok):
    assert is_acronym_like(text, ex.rules.names.acronym_words) is ok
