"""Names with digits inside or at the end ('Lapor 5 Menit', 'Lapak 4.0 X', 'Sehati 2020')."""
import pytest

from pipeline.records import Article


def names(ex, text):
    x = ex.extract(Article("a1", "t", "ok", published="2024-05-01", text=text))
    return [m.name for m in x.mentions]


@pytest.mark.parametrize("text,want", [
    ("Inovasi Sumba Lapor 5 Menit dari Diskominfo Sumba Timur masuk Top 45.", ["Sumba Lapor 5 Menit"]),
    ("Dinas Kominfo meluncurkan inovasi Lapak 4.0 Waingapu untuk pelaku UMKM.", ["Lapak 4.0 Waingapu"]),
    ("Diskominfo meluncurkan inovasi Sikka Lapor 24 Jam di Aula Setda Sikka, Kamis (7/3/2024).", ["Sikka Lapor 24 Jam"]),
    ("Inovasi Sekolah Tenun 2.0 (Dinas Pendidikan) lolos seleksi administrasi.", ["Sekolah Tenun 2.0"]),
    ("Lomba inovasi diikuti 3 inovasi: Ternak Sehat 24 Jam (Dinas Peternakan) dan Hati Ibu (RSUD Waingapu).",
     ["Ternak Sehat 24 Jam", "Hati Ibu"]),
])
def test_digits_stay_in_the_name(ex, text, want):
    assert names(ex, text) == want


def test_a_number_is_never_a_name(ex):
    assert names(ex, "Sebanyak 24 inovasi 2024 diusulkan ke tingkat provinsi.") == []
