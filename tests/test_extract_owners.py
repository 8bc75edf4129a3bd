"""Owners: agency spans, canonical agencies, regions (agency, national, article default)."""

from pipeline.extract.owners import agency_spans
from pipeline.records import Article


def spans(ex, s):
    return [s[a:b] for a, b in agency_spans(s, ex.rules.agencies, ex.rules.region_test)]


def test_agency_with_inner_enumeration_and_region(ex):
    s = "Dinas Kesehatan, Kependudukan, dan Pencatatan Sipil Provinsi NTT berupa layanan baru"
    assert spans(ex, s) == ["Dinas Kesehatan, Kependudukan, dan Pencatatan Sipil Provinsi NTT"]


def test_agency_stops_before_a_person(ex):
    s = "Kepala Puskesmas Oesao, Maria Goreti, yang juga inovator"
    assert spans(ex, s) == ["Puskesmas Oesao"]


def test_agency_keeps_abbreviation_and_address(ex):
    s = "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil) Kabupaten Malaka mengadopsi"
    assert spans(ex, s) == ["Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil) Kabupaten Malaka"]
    s = "Pemerintah Desa Tanjung, Kecamatan Sape, Kabupaten Bima menjadi juara"
    assert spans(ex, s) == ["Pemerintah Desa Tanjung, Kecamatan Sape, Kabupaten Bima"]


def one(ex, text, title="", dateline=""):
    x = ex.extract(Article("a", "t", "ok", title=title, dateline=dateline, published="2023-05-01", text=text))
    assert len(x.mentions) == 1, x.mentions
    return x.mentions[0]


def test_region_from_agency_prefers_regency_over_province(ex):
    m = one(ex, "Inovasi Perahu Sehat milik Dinas Kesehatan Kabupaten Kapuas Hulu, Kalimantan Barat, masuk Top 45.")
    assert m.region == "Kabupaten Kapuas Hulu" and m.province == "Provinsi Kalimantan Barat"


def test_national_agency(ex):
    m = one(ex, "Kementerian Keuangan dengan inovasi Bea Cukai Sahabat meraih penghargaan.")
    assert m.region == "Nasional" and m.province == ""
    assert m.agency_canonical


def test_default_region_from_government_not_competition_scope(ex):
    text = ("Pemerintah Kabupaten Aceh Barat mengirim inovasi ke KIPP Provinsi Aceh Tahun 2022. "
            "Inovasi itu adalah Meunasah Digital (Dinas Sosial) dan Gampong Sehat (Dinas Kesehatan).")
    x = ex.extract(Article("a", "t", "ok", published="2022-09-01", text=text))
    assert {m.region for m in x.mentions} == {"Kabupaten Aceh Barat"}


def test_default_region_from_headline(ex):
    m = one(ex, "Warga kini bisa mengurus akta lewat inovasi Akta Kilat (Disdukcapil).",
            title="Disdukcapil Lombok Tengah Perkenalkan Akta Kilat")
    assert m.region == "Kabupaten Lombok Tengah"


def test_hyphenated_place_is_not_a_regency(ex):
    m = one(ex, "Inovasi tersebut adalah Dapur Sehat (Puskesmas Bone-Bone) dan Kelas Ibu (Dinas Kesehatan).".replace(
        " dan Kelas Ibu (Dinas Kesehatan)", ""), title="Pemkab Luwu Utara Dorong Inovasi Puskesmas")
    assert m.region == "Kabupaten Luwu Utara"


def test_owner_statement_elsewhere_in_article(ex):
    text = ("Pemerintah memperluas Sistem Informasi Nelayan Terpadu (SINTA) ke enam provinsi. "
            "SINTA dikembangkan Kementerian Kelautan dan Perikanan sejak 2021. Inovasi itu masuk Top 45 KIPP.")
    m = one(ex, text)
    assert m.name == "SINTA" and m.agency.startswith("Kementerian Kelautan") and m.region == "Nasional"


def test_a_bare_head_word_names_an_office_only_when_listed_as_standalone(ex):
    # 'Inspektorat' is one office on its own; a bare 'Dinas' names no one (corpora/patterns/agencies.json)
    assert spans(ex, "Inovasi itu dinilai oleh Inspektorat sebelum diusulkan.") == ["Inspektorat"]
    assert spans(ex, "Inovasi itu dinilai oleh Dinas sebelum diusulkan.") == []


def test_an_unowned_name_is_owned_by_the_government_the_article_names(ex):
    text = ("Pemkot Sukabumi terus menambah layanan digital. Inovasi Kartu Warga Pintar kini dipakai "
            "di semua kelurahan.")
    m = one(ex, text)
    assert m.name == "Kartu Warga Pintar" and m.region == "Kota Sukabumi"
    assert m.agency == "Pemkot Sukabumi"


def test_no_government_is_invented_when_the_article_names_none(ex):
    m = one(ex, "Warga Kota Sukabumi kini memakai inovasi Kartu Warga Pintar di semua kelurahan.")
    assert m.region == "Kota Sukabumi" and m.agency == ""


def test_the_competition_organiser_is_never_an_inferred_owner(ex):
    text = "Kemenpan RB menetapkan inovasi Kartu Warga Pintar sebagai salah satu Top 99 KIPP tahun ini."
    m = one(ex, text)
    assert m.name == "Kartu Warga Pintar" and m.agency == ""


def test_the_region_a_list_item_names_beats_the_dateline(ex):
    text = ("Daftar inovasi terbaik provinsi tahun ini:\n\n"
            "1. Jawa Tengah - Dinas Perikanan dengan inovasi Jaring Nelayan Cerdas")
    x = ex.extract(Article("a", "t", "ok", dateline="Jakarta", published="2023-05-01", text=text))
    got = {m.name: m.region for m in x.mentions}
    assert got.get("Jaring Nelayan Cerdas") == "Provinsi Jawa Tengah", got


def test_a_sentence_naming_two_governments_leaves_the_article_default(ex):
    text = "Inovasi Lumbung Benih Desa dikenal warga Kabupaten Ende dan Kabupaten Ngada."
    m = one(ex, text, title="Pemkab Sikka Raih Penghargaan")
    assert m.name == "Lumbung Benih Desa" and m.region == "Kabupaten Sikka"
