"""Owners stated around a name: after its long form, through its innovator, in labelled lines
under it, in the next sentence, and for a whole list after one agency.

The sentences are composed for these tests in the style of Indonesian regional news.
Agencies are compared by their words, as the evaluator does.
"""
import pytest

from pipeline.evaluate import agency_matches
from pipeline.records import Article


def owners(ex, text, title=""):
    x = ex.extract(Article("a", "t", "ok", title=title, published="2024-05-01", text=text))
    return {m.name: m for m in x.mentions}


CASES = [
    # the owner word after the name's parenthesised long form
    ("Di hadapan Kepala Bappeda, inovasi SEHATI (Sehat Hati Ibu) milik Puskesmas Waipare dipaparkan dalam "
     "lomba inovasi daerah.",
     [("SEHATI", "Puskesmas Waipare")]),
    # 'dengan inovator <Person> dari <Agency>': the agency after the innovator owns the name
    ("Untuk kategori pelayanan publik, juara I adalah inovasi Rumah Baca (Ruang Membaca Anak) dengan "
     "inovator Maria Kewa dari Puskesmas Lewoleba, dan juara II inovasi Lapor Lurah (Layanan Pengaduan Orang Lurah) dengan "
     "inovator Yosef Bere dan Anton Suri dari Kelurahan Oebobo.",
     [("Rumah Baca", "Puskesmas Lewoleba"), ("Lapor Lurah", "Kelurahan Oebobo")]),
    # a double copula and 'terobosan baru yang diciptakan'
    ("Di hadapan Kepala Bappeda, inovasi Kartu Tani Sehat adalah merupakan salah satu inovasi dari Dinas "
     "Pertanian Kabupaten Ende.",
     [("Kartu Tani Sehat", "Dinas Pertanian Kabupaten Ende")]),
    ("Dua terobosan itu, yang pertama inovasi Sapa Bumil Pintar. Program Sapa Bumil Pintar, merupakan "
     "terobosan baru yang diciptakan UPTD Puskesmas Nangapanda.",
     [("Sapa Bumil Pintar", "UPTD Puskesmas Nangapanda")]),
    # the next sentence refers back to the name and states its owner
    ("Inovasi pertama yang dipaparkan bupati adalah inovasi Jemput Pajak Desa. Inovasi ini merupakan gagasan "
     "Badan Pendapatan Daerah Kabupaten Sikka, melalui kantor pelayanan di kecamatan.",
     [("Jemput Pajak Desa", "Badan Pendapatan Daerah Kabupaten Sikka")]),
    # '<Agency> melalui inovasi A (..), B (..) dan C': the agency owns the whole list
    ("Perangkat daerah yang masuk sepuluh besar inovasi yaitu Dinas Perhubungan melalui inovasi “Tiket Bus "
     "Digital”, “Halte Pintar” dan “Ojek Desa”, lalu Biro Umum melalui “E-Surat”.",
     [("Tiket Bus Digital", "Dinas Perhubungan"), ("Halte Pintar", "Dinas Perhubungan")]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[1][0][0] for c in CASES])
def test_owner_stated_around_the_name(ex, text, expected):
    got = owners(ex, text)
    for name, agency in expected:
        assert name in got, (name, list(got))
        assert agency_matches(got[name].agency, agency), (name, got[name].agency, agency)


def test_the_person_after_dengan_inovator_is_no_innovation(ex):
    from pipeline.extract.people import is_named_innovator
    s = "Juara I adalah inovasi Rumah Baca (Ruang Membaca Anak) dengan inovator Maria Kewa dari Puskesmas Lewoleba."
    people = ex.rules.people
    assert is_named_innovator(s, s.index("Maria"), people)
    assert not is_named_innovator(s, s.index("Rumah Baca"), people)
    assert "Maria Kewa" not in owners(ex, s)


def test_labelled_lines_the_implementing_office_wins(ex):
    text = ("Empat inovasi dari Kabupaten Ende lolos seleksi KIPP 2025.\n"
            "1. Inovasi Sahabat Remaja\n"
            "Instansi Pengusul: Pemerintah Kabupaten Ende\n"
            "Pelaksana: Dinas Kesehatan\n"
            "Fokus: Pendidikan kesehatan bagi remaja")
    got = owners(ex, text)
    assert agency_matches(got["Sahabat Remaja"].agency, "Dinas Kesehatan"), got["Sahabat Remaja"].agency


def test_a_long_form_opening_like_an_agency_is_no_owner(ex):
    text = ("Juara III lomba inovasi daerah adalah Satgas Duka (Satuan Tugas Urusan Kematian Anggota) "
            "dengan inovator Yosef Bere dari Disdukcapil Kabupaten Ende.")
    got = owners(ex, text)
    assert agency_matches(got["Satgas Duka"].agency, "Disdukcapil Kabupaten Ende"), got["Satgas Duka"].agency


def test_lead_agency_after_an_opening_place(ex):
    text = ("KUPANG - Di Kabupaten Kupang, Kecamatan Amarasi meluncurkan sebuah inovasi layanan bagi warga.\n"
            "Inovasi Sapa Warga Desa mendekatkan layanan kepada warga di desa terpencil.")
    got = owners(ex, text, title="Layanan Keliling untuk Warga Desa")
    assert agency_matches(got["Sapa Warga Desa"].agency, "Kecamatan Amarasi"), got["Sapa Warga Desa"].agency


@pytest.mark.parametrize("speaker,unit", [("Camat Nangapanda", "Kecamatan Nangapanda"),
                                          ("Lurah Oebobo", "Kelurahan Oebobo")])
def test_an_official_whose_title_names_the_unit(ex, speaker, unit):
    text = (f"Inovasi Sapa Warga Desa menjadi andalan pelayanan. \"Kami datang ke rumah warga setiap pekan,\" "
            f"kata {speaker}, Yosef Bere.")
    assert agency_matches(owners(ex, text)["Sapa Warga Desa"].agency, unit)


def test_an_official_of_a_section_names_the_agency_after_the_section(ex):
    text = ("Kabupaten Ende mengawali tahap wawancara dengan inovasi Dapur Gizi Keluarga. Tim penilai mencatat "
            "paparan itu. \"Angka gizi buruk turun tajam,\" ujar Kepala Seksi Gizi Dinkes Kabupaten Ende Maria "
            "Kewa yang juga inovator Dapur Gizi Keluarga.")
    got = owners(ex, text)
    assert agency_matches(got["Dapur Gizi Keluarga"].agency, "Dinkes Kabupaten Ende"), got["Dapur Gizi Keluarga"].agency


def test_an_office_of_the_government_before_the_government(ex):
    from pipeline.extract.assemble import _mention
    from pipeline.extract.context import ArticleContext, Found
    from pipeline.extract.names import Candidate

    art = Article("a", "t", "ok", title="", published="2024-05-01", text="x")
    ctx = ArticleContext(art, [], ex.rules)
    f = type("F", (), {"sentence": type("S", (), {"text": "x", "kind": "text"})(), "candidates": []})()

    def member(agency, region, order, via):
        x = Found(Candidate("Posyandu Pintar", 0, 15, via), order, f)
        x.agency, x.region = agency, region
        return x
    gov = member("Pemkab Sikka", "Kabupaten Sikka", 0, "named")
    office = member("Dinas Kesehatan", "Kabupaten Sikka", 1, "cue")
    other = member("Kementerian Kesehatan", "Nasional", 2, "cue")
    assert _mention(ctx, [gov, office]).agency == "Dinas Kesehatan"
    assert _mention(ctx, [gov, other]).agency == "Pemkab Sikka"  # an office of another government: not it
