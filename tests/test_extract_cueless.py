"""Names without a cue word right before them, in a sentence about innovation: the subject of
an owner clause, the object of a creation verb, an apposition of 'inovasi', or after 'inovasi ... adalah'."""
import pytest

from pipeline.records import Article


def mentions(ex, text):
    return ex.extract(Article("a1", "t", "ok", published="2024-05-01", text=text)).mentions


@pytest.mark.parametrize("text,want,agency", [
    ("Kendari Smart Parking yang dikembangkan Dinas Perhubungan menjadi inovasi yang paling banyak dikunjungi.",
     "Kendari Smart Parking", "Dinas Perhubungan"),
    ("Kios Sehat Desa yang digagas Puskesmas Bone-Bone menjadi salah satu inovasi yang dinilai tim.",
     "Kios Sehat Desa", "Puskesmas Bone-Bone"),
    ("Salah satu inovasi unggulan adalah Mama Pintar Noken yang digagas Dinas Kesehatan.",
     "Mama Pintar Noken", "Dinas Kesehatan"),
    ("Dinas Kominfo mengembangkan Kendari Lapor 24 Jam, sebuah inovasi pengaduan warga.",
     "Kendari Lapor 24 Jam", "Dinas Kominfo"),
    ("Dinas Sosial menampilkan Mama Pintar Kendari, inovasi kelas pengasuhan bagi ibu muda.",
     "Mama Pintar Kendari", "Dinas Sosial"),
    ("Disdukcapil juga memperkenalkan SI-DATANG (Sistem Informasi Data Pendatang), sebuah inovasi pendataan warga.",
     "SI-DATANG", "Disdukcapil"),
    ("Gedesia yang digagas DPMD menjadi inovasi desa terbaik tahun ini.", "Gedesia", "DPMD"),
    # possessive: 'inovasi <Agency> adalah/yaitu <Name>' -- the agency in between owns the name
    ("Salah satu inovasi Dinas Kesehatan Kabupaten Alor adalah Posyandu Terapung bagi warga pulau kecil.",
     "Posyandu Terapung", "Dinas Kesehatan Kabupaten Alor"),
    ("Inovasi Disdukcapil Kota Kupang, yaitu Akta Kilat, memangkas waktu pengurusan akta kelahiran.",
     "Akta Kilat", "Disdukcapil Kota Kupang"),
])
def test_cueless_names(ex, text, want, agency):
    got = mentions(ex, text)
    assert [m.name for m in got] == [want]
    assert got[0].agency == agency


def test_apposition_after_inovasi(ex):
    got = mentions(ex, "Inovasi lain, Kampung KB Digital, memudahkan warga memantau data keluarga.")
    assert [m.name for m in got] == ["Kampung KB Digital"]


@pytest.mark.parametrize("text", [
    # the possessive needs a name after the link: a description is not one
    "Salah satu inovasi Dinas Kesehatan Kabupaten Alor adalah layanan posyandu di atas perahu.",
    # no innovation in the sentence: the verb alone is no evidence
    "Dinas Perhubungan meluncurkan Kendari Smart Parking pada Senin pagi.",
    # events, programs, people and agencies after a creation verb or an apposition
    "Dalam rangka mendorong inovasi, Pemkab Sumba Timur meluncurkan Festival Tenun Ikat Sumba sebagai agenda tahunan.",
    "Kepala DPMPTSP, Akmal Khairi, menjelaskan inovator inovasi ini, Desi Marlina, merancang layanan itu sendiri.",
    "Inovasi tersebut dikembangkan bersama Rumah Sakit Pratama milik Pemkab Belu.",
    "Bupati meminta setiap OPD melahirkan inovasi, termasuk Dinas Kesehatan yang digagas Bupati.",
    "Pemkab meluncurkan Program Keluarga Harapan, sebuah inovasi bantuan sosial dari pusat.",
])
def test_cueless_negatives(ex, text):
    assert [m.name for m in mentions(ex, text)] == []
