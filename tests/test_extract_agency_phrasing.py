"""How regional news states who owns an innovation: golden sentences -> (name, agency) pairs.

Each case is a few sentences in the style of Indonesian regional news (composed for these
tests). Agencies are compared by their words, as the evaluator does (an abbreviation or a
trailing region may differ); an empty expected agency means "no owner is stated".
"""
import pytest

from pipeline.evaluate import agency_matches
from pipeline.extract.owners import agency_spans
from pipeline.records import Article


def owners(ex, text, title=""):
    x = ex.extract(Article("a", "t", "ok", title=title, published="2024-05-01", text=text))
    return {m.name: m for m in x.mentions}


CASES = [
    # owner word after the name
    ("Inovasi Sapa Lansia racikan Puskesmas Oesao dinilai berhasil menekan angka kematian lansia.",
     [("Sapa Lansia", "Puskesmas Oesao")]),
    ("Aplikasi Arsip Kita kreasi Dinas Kearsipan Kabupaten Belu kini dipakai semua perangkat daerah.",
     [("Arsip Kita", "Dinas Kearsipan Kabupaten Belu")]),
    ("Inovasi Kartu Sehat garapan RSUD Umbu Rara Meha Waingapu masuk Top 99.",
     [("Kartu Sehat", "RSUD Umbu Rara Meha Waingapu")]),
    ("Inovasi Layanan Jemput Bola yang dikelola oleh Bagian Organisasi Setda Kabupaten Ende diapresiasi.",
     [("Layanan Jemput Bola", "Bagian Organisasi Setda Kabupaten Ende")]),
    ("Urutan kedua ditempati inovasi Sehat Bersama, yang merupakan inovasi RSUD dr. Hendrikus Fernandez "
     "Larantuka.", [("Sehat Bersama", "RSUD dr. Hendrikus Fernandez Larantuka")]),
    ("Inovasi Sapa Warga hasil kolaborasi Dinas Sosial dan Puskesmas Oesapa menjadi juara.",
     [("Sapa Warga", "Dinas Sosial")]),
    # unit-level owners
    ("Salah satunya inovasi Rapor Digital kreasi SMP Negeri 1 Atambua yang memudahkan orang tua.",
     [("Rapor Digital", "SMP Negeri 1 Atambua")]),
    ("Inovasi Si Penting milik UPTD Puskesmas Haliwen menjadi juara lomba inovasi daerah.",
     [("Si Penting", "UPTD Puskesmas Haliwen")]),
    ("Kelurahan Oebobo punya inovasi baru bernama Lurah Sahabat.", [("Lurah Sahabat", "Kelurahan Oebobo")]),
    # the agency as subject, referred back to
    ("Dinas Kesehatan Kota Kupang terus memperbaiki layanan ibu hamil. Melalui Bidang Kesehatan "
     "Masyarakat, dinas tersebut meluncurkan inovasi Sapa Bumil pekan lalu.",
     [("Sapa Bumil", "Dinas Kesehatan Kota Kupang")]),
    ("RSUD Umbu Rara Meha Waingapu kembali membuat terobosan. Rumah sakit tersebut kini menjalankan "
     "inovasi Obat Antar Rumah bagi pasien kronis.", [("Obat Antar Rumah", "RSUD Umbu Rara Meha Waingapu")]),
    ("Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil) Kota Kupang terus berbenah. Salah satunya "
     "lewat inovasi Akta Kilat yang menjadi andalan instansi tersebut.", [("Akta Kilat", "Disdukcapil Kota Kupang")]),
    # the owner named through its official
    ("Inovasi Dukcapil Sakti menjadi andalan pelayanan di Ende. Warga cukup mengirim berkas lewat pesan. "
     "\"Sekarang cukup dari desa,\" kata Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Ende, "
     "Yosef Wangge.", [("Dukcapil Sakti", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Ende")]),
    ("Kepala Badan Pendapatan Daerah Kabupaten Ende, Martinus Ndoa, mengatakan pembayaran pajak terus "
     "dipermudah. Menurut dia, inovasi Pajak Keliling membawa petugas ke pasar mingguan.",
     [("Pajak Keliling", "Badan Pendapatan Daerah Kabupaten Ende")]),
    ("Inovasi Kelas Gizi Keliling mulai dijalankan di 22 kecamatan. \"Kami menargetkan semua desa "
     "terlayani,\" ujar Kepala Bidang Kesehatan Masyarakat pada Dinas Kesehatan Kabupaten Sumba Timur, "
     "Maria Ratu.", [("Kelas Gizi Keliling", "Dinas Kesehatan Kabupaten Sumba Timur")]),
    ("Kepala Dinas Kesehatan Kabupaten Ngada, dr. Maria Lodowika, mengatakan inovasi Posyandu Pintar "
     "sudah berjalan di 20 desa.", [("Posyandu Pintar", "Dinas Kesehatan Kabupaten Ngada")]),
    # owners listed in order before the names
    ("Dua inovasi Pemerintah Kabupaten Kutai Timur diverifikasi tim penilai IGA 2024. Kedua inovasi itu "
     "masing-masing milik Dinas Sosial dan Dinas Perhubungan. Inovasi pertama, Lansia Terlayani, memberi "
     "makanan bergizi kepada lansia. Inovasi kedua, Angkot Pintar, memantau posisi angkutan umum.",
     [("Lansia Terlayani", "Dinas Sosial"), ("Angkot Pintar", "Dinas Perhubungan")]),
    # an umbrella list: each item its own agency
    ("Pemerintah Kabupaten Lembata mengirim tiga inovasi ke KIPP 2024, yakni Sapa Desa dari Dinas "
     "Pemberdayaan Masyarakat dan Desa, Rumah Gizi dari Dinas Kesehatan, dan Lapor Cepat dari Diskominfo.",
     [("Sapa Desa", "Dinas Pemberdayaan Masyarakat dan Desa"), ("Rumah Gizi", "Dinas Kesehatan"),
      ("Lapor Cepat", "Diskominfo")]),
    # negatives: no owner stated
    ("Bagian Organisasi Sekretariat Daerah Kabupaten Flores Timur mengumumkan hasil seleksi KIPP 2024. "
     "Inovasi Bank Sampah Lewo yang dikembangkan Dinas Lingkungan Hidup berada di urutan pertama. "
     "Dua inovasi lain yang juga masuk daftar adalah inovasi Lamaholot Menulis dan inovasi Kampung Tenun Digital.",
     [("Bank Sampah Lewo", "Dinas Lingkungan Hidup"), ("Lamaholot Menulis", ""), ("Kampung Tenun Digital", "")]),
    ("Sejumlah warga Desa Nita, Kecamatan Nita, Kabupaten Sikka, mengaku terbantu oleh inovasi Lampu Jalan "
     "Surya yang dipasang sejak tahun lalu. Di tempat terpisah, Dinas Pekerjaan Umum dan Penataan Ruang "
     "Kabupaten Sikka memperbaiki ruas jalan yang rusak.", [("Lampu Jalan Surya", "")]),
    ("Inovasi Warung Literasi mendapat apresiasi warga karena mudah diakses anak-anak.",
     [("Warung Literasi", "")]),
    ("Puskesmas Kambaniru meluncurkan inovasi Kelas Gizi Keliling. Peluncuran dihadiri Kepala Dinas "
     "Kesehatan Kabupaten Sumba Timur, Maria Ratu.", [("Kelas Gizi Keliling", "Puskesmas Kambaniru")]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[1][0][0] for c in CASES])
def test_owner_as_stated(ex, text, expected):
    got = owners(ex, text)
    for name, agency in expected:
        assert name in got, (name, list(got))
        if agency:
            assert agency_matches(got[name].agency, agency), (name, got[name].agency, agency)
        else:
            assert got[name].agency == "", (name, got[name].agency)


def test_organiser_quoted_about_another_unit_is_not_the_owner(ex):
    text = ("Kepala Bagian Organisasi Setda Flores Timur, Maria Kewa, mengatakan enam inovasi dinyatakan lolos. "
            "Inovasi Lamaholot Menulis dinilai bermanfaat bagi warga desa.")
    assert owners(ex, text)["Lamaholot Menulis"].agency == ""


def test_official_about_another_innovation_is_not_the_owner(ex):
    text = ("Inovasi Warung Literasi mendapat apresiasi warga. Kepala Dinas Sosial, Yosef Bere, mengatakan "
            "inovasi Dapur Umum Keliling sudah menjangkau 30 desa.")
    got = owners(ex, text)
    assert got["Warung Literasi"].agency == ""
    assert agency_matches(got["Dapur Umum Keliling"].agency, "Dinas Sosial")


def test_abbreviation_alone_takes_the_region_where_it_was_defined(ex):
    text = ("Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil) Kabupaten Lombok Timur turut memamerkan "
            "layanannya. Inovasi Akta Ceria dari Disdukcapil itu memungkinkan akta terbit di hari bayi lahir.")
    m = owners(ex, text, title="Inovasi Daerah Dipamerkan di Jakarta")["Akta Ceria"]
    assert agency_matches(m.agency, "Disdukcapil") and m.region == "Kabupaten Lombok Timur"


def test_village_address_is_no_agency(ex):
    s = "Warga Desa Nita, Kecamatan Nita, Kabupaten Sikka, memakai inovasi itu"
    assert agency_spans(s, ex.rules.agencies, ex.rules.region_test) == []
    s = "Pemerintah Desa Tanjung, Kecamatan Sape, Kabupaten Bima menjadi juara"
    assert [s[a:b] for a, b in agency_spans(s, ex.rules.agencies, ex.rules.region_test)] == [
        "Pemerintah Desa Tanjung, Kecamatan Sape, Kabupaten Bima"]


def test_hospital_named_after_a_doctor_but_not_a_person_after_a_unit(ex):
    def sp(s):
        return [s[a:b] for a, b in agency_spans(s, ex.rules.agencies, ex.rules.region_test)]
    assert sp("inovasi RSUD dr. Ben Mboi Ruteng untuk pasien") == ["RSUD dr. Ben Mboi Ruteng"]
    assert sp("Kepala Puskesmas Oesao dr. Maria Goreti mengatakan") == ["Puskesmas Oesao"]
