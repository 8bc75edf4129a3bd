"""Innovations given as numbered or bulleted lists: 'N. Name (Agency)', '- Name: what it does'."""
import pytest

from pipeline.extract.name_families import find_names
from pipeline.extract.owners import agency_spans
from pipeline.records import Article


def names(ex, text):
    x = ex.extract(Article("a1", "t", "ok", published="2024-05-01", text=text))
    return [m.name for m in x.mentions]


def item_names(ex, line, header_cue=True):
    r = ex.rules
    spans = agency_spans(line, r.agencies, r.region_test)
    found = find_names(line, "item", header_cue, r, spans, True)
    return [c.name for c in found if not c.reason]


def test_numbered_items_with_digits_keep_the_whole_name(ex):
    text = ("Berikut inovasi yang diusulkan Pemkot Kendari ke lomba inovasi daerah:\n"
            "1. Kartu Sehat Prima (Dinas Kesehatan)\n2. Lapak 4.0 Kendari (Dinas Koperasi dan UKM)\n"
            "3. Lapor 5 Menit (Diskominfo)\n4. Sekolah Tenun 2.0 (Dinas Pendidikan)\n")
    assert names(ex, text) == ["Kartu Sehat Prima", "Lapak 4.0 Kendari", "Lapor 5 Menit", "Sekolah Tenun 2.0"]


@pytest.mark.parametrize("line,want", [
    ("- Sahabat Lansia Perbatasan: pemeriksaan kesehatan lansia dari rumah ke rumah", ["Sahabat Lansia Perbatasan"]),
    ("- Rumah Tunggu Kelahiran – rumah singgah bagi ibu hamil", ["Rumah Tunggu Kelahiran"]),
    ("• SIGAP Gizi: pencatatan balita gizi kurang", ["SIGAP Gizi"]),
    ("2) Dokter Keliling Desa: kunjungan dokter ke dusun", ["Dokter Keliling Desa"]),
])
def test_bulleted_item_name_then_description(ex, line, want):
    assert item_names(ex, line) == want


def test_bulleted_items_need_an_innovation_list(ex):
    assert item_names(ex, "- Sahabat Lansia: pemeriksaan kesehatan lansia", header_cue=False) == []


def test_agency_items_are_not_innovations(ex):
    assert item_names(ex, "- Dinas Kesehatan: penghargaan kategori terbaik") == []
    text = ("Berikut daftar perangkat daerah penerima penghargaan inovasi:\n"
            "1. Dinas Kependudukan dan Pencatatan Sipil\n2. Badan Pendapatan Daerah (Bapenda)\n3. RSUD Kota Kendari\n")
    assert names(ex, text) == []
