"""How regional news phrases replication: text -> expected (source, target, target_region).

Every case is written for this file (invented innovations in real regions); none is taken
from the sample corpus, the seeds or any held-out set.  The rules must read them from verbs
and cue words, never from the names.
"""
import pytest

from pipeline.records import Article


def triples(ex, text):
    x = ex.extract(Article("a", "t", "ok", title="", published="2024-01-01", text=text))
    return sorted((r.source_name, r.target_name, r.target_region) for r in x.replications)


POSITIVE = {
    # active verbs, source region after the name
    "mereplikasi-dari": (
        "Pemerintah Kabupaten Sumbawa mereplikasi inovasi Sapa Warga dari Kota Mataram.",
        [("Sapa Warga", "", "Kabupaten Sumbawa")]),
    "meniru": (
        "Pemerintah Kota Bitung meniru inovasi Mall Pelayanan Rakyat dari Kabupaten Minahasa.",
        [("Mall Pelayanan Rakyat", "", "Kota Bitung")]),
    "atm-terhadap": (
        "Pemkab Luwu Timur melakukan ATM (Amati Tiru Modifikasi) terhadap inovasi Si Cepat milik Kabupaten Luwu Utara.",
        [("Si Cepat", "", "Kabupaten Luwu Timur")]),
    "planned-akan": (
        "Pemkab Lembata akan mengadopsi inovasi Kios Data Warga dari Kabupaten Flores Timur tahun depan.",
        [("Kios Data Warga", "", "Kabupaten Lembata")]),
    "bare-subject": (
        "Gunungkidul menjadi daerah pertama yang mereplikasi inovasi Kartu Sehat Desa milik Kabupaten Kulon Progo.",
        [("Kartu Sehat Desa", "", "Kabupaten Gunungkidul")]),
    "menamainya": (
        "Kabupaten Bone Bolango mengadopsi inovasi Posyandu Prima dari Kota Gorontalo dan menamainya Posyandu Bonebol Prima.",
        [("Posyandu Prima", "Posyandu Bonebol Prima", "Kabupaten Bone Bolango")]),
    # a decision is not a hedge: 'dipilih untuk direplikasi oleh <government>' (but 'layak untuk' is)
    "dipilih-untuk": (
        "Inovasi Sapa Lansia milik Dinas Sosial Kabupaten Sikka dipilih untuk direplikasi oleh Pemerintah "
        "Kabupaten Ende tahun ini.",
        [("Sapa Lansia", "", "Kabupaten Ende")]),
    # passive: the replicating government after the verb, with or without 'oleh'
    "passive-oleh": (
        "Inovasi Kartu Sehat Desa (KSD) milik Kabupaten Kulon Progo kini diadopsi oleh Pemkab Gunungkidul.",
        [("KSD", "", "Kabupaten Gunungkidul")]),
    "passive-renamed": (
        "Inovasi Posyandu Prima dari Kota Gorontalo direplikasi Pemerintah Kabupaten Bone Bolango menjadi Posyandu "
        "Bonebol Prima.",
        [("Posyandu Prima", "Posyandu Bonebol Prima", "Kabupaten Bone Bolango")]),
    "passive-agency": (
        "Inovasi Si Jempol milik Disdukcapil Kabupaten Belu telah diadopsi Disdukcapil Kabupaten Malaka.",
        [("Si Jempol", "", "Kabupaten Malaka")]),
    "passive-two-governments": (
        "Inovasi Pelayanan Cepat Akta (PECAK) milik Disdukcapil Kota Kupang direplikasi oleh Disdukcapil Kabupaten "
        "Kupang dan Kabupaten Timor Tengah Selatan.",
        [("PECAK", "", "Kabupaten Kupang"), ("PECAK", "", "Kabupaten Timor Tengah Selatan")]),
    "diadopsi-dari": (
        "Pemkab Sinjai kini punya inovasi Sinjai Antar Obat yang diadopsi dari inovasi Antar Obat Pasien milik "
        "Kabupaten Bone.",
        [("Antar Obat Pasien", "Sinjai Antar Obat", "Kabupaten Sinjai")]),
    # the new name given a sentence later
    "name-next-sentence": (
        "Dinas Kesehatan Kabupaten Sigi mengadopsi inovasi Puskesmas Keliling Malam (Pusling Malam) milik Kota Palu. "
        "Di Sigi, layanan itu diberi nama Sigi Sehat Malam.",
        [("Pusling Malam", "Sigi Sehat Malam", "Kabupaten Sigi")]),
    # nominal, version, inspired
    "merupakan-replikasi": (
        "Sidoarjo Lapor merupakan replikasi dari inovasi Lapor Cepat milik Kota Surabaya.",
        [("Lapor Cepat", "Sidoarjo Lapor", "Kabupaten Sidoarjo")]),
    "hasil-atm": (
        "Bupati Pacitan mengatakan Pacitan Peduli Lansia merupakan hasil ATM (Amati, Tiru, Modifikasi) dari inovasi "
        "Sahabat Lansia milik Kabupaten Ponorogo.",
        [("Sahabat Lansia", "Pacitan Peduli Lansia", "Kabupaten Pacitan")]),
    "versi-lokal": (
        "Pemkab Gresik mengenal inovasi Lapor Cepat dari Kota Surabaya. Versi lokal dari inovasi Lapor Cepat itu "
        "bernama Gresik Lapor.",
        [("Lapor Cepat", "Gresik Lapor", "Kabupaten Gresik")]),
    "terinspirasi": (
        "Terinspirasi dari inovasi Lapor Cepat milik Kota Surabaya, Pemerintah Kabupaten Sidoarjo meluncurkan "
        "Sidoarjo Lapor.",
        [("Lapor Cepat", "Sidoarjo Lapor", "Kabupaten Sidoarjo")]),
    "noun-replikasi-menjadi": (
        "Melalui replikasi inovasi Akta Lahir Kilat (ALKI) milik Kota Kupang menjadi Akta Kilat Malaka, Disdukcapil "
        "Kabupaten Malaka kini menerbitkan akta di hari yang sama.",
        [("ALKI", "Akta Kilat Malaka", "Kabupaten Malaka")]),
    # replication in a list
    "active-list": (
        "Pemkab Gowa mereplikasi tiga inovasi, yakni Si Pintar dari Kota Makassar, Lapak Desa milik Kabupaten "
        "Bantaeng dan Gerbang Sehat dari Kabupaten Sinjai.",
        [("Gerbang Sehat", "", "Kabupaten Gowa"), ("Lapak Desa", "", "Kabupaten Gowa"),
         ("Si Pintar", "", "Kabupaten Gowa")]),
    "passive-list": (
        "Sejumlah inovasi yang direplikasi Pemkab Gowa yakni Si Pintar dari Kota Makassar, Lapak Desa dari "
        "Kabupaten Bantaeng, dan Gerbang Sehat dari Kabupaten Sinjai.",
        [("Gerbang Sehat", "", "Kabupaten Gowa"), ("Lapak Desa", "", "Kabupaten Gowa"),
         ("Si Pintar", "", "Kabupaten Gowa")]),
    # a study visit that ends in adoption under a new name
    "studi-tiru-then-adoption": (
        "Rombongan Pemkot Tidore melakukan studi tiru ke Kota Ternate. Mereka mempelajari inovasi Dugong Pulau. "
        "Sepulang dari sana, Disdukcapil Kota Tidore Kepulauan meluncurkan inovasi serupa dengan nama Dukcapil Sapa "
        "Pulau.",
        [("Dugong Pulau", "Dukcapil Sapa Pulau", "Kota Tidore Kepulauan")]),
    # the same statement twice (with and without the new name) is one replication
    "terinspirasi-and-atm": (
        "Terinspirasi dari inovasi Sambang Warga milik Kota Surabaya, Pemerintah Kabupaten Sidoarjo meluncurkan "
        "Sidoarjo Menyapa. Sidoarjo Menyapa merupakan hasil ATM dari inovasi Sambang Warga.",
        [("Sambang Warga", "Sidoarjo Menyapa", "Kabupaten Sidoarjo")]),
}

NEGATIVE = {
    "hope-passive": "Bupati Ende berharap inovasi Gerai Sehat bisa direplikasi daerah lain.",
    "eligible": "Menurutnya, inovasi Gerai Sehat layak direplikasi oleh kabupaten lain di NTT.",
    "ready": "Inovasi Gerai Sehat dinilai siap direplikasi oleh daerah lain.",
    "hope-active": "Kami berharap Pemkab Sikka bisa mereplikasi inovasi Gerai Sehat ini.",
    "wish-quote": '"Kami ingin mencontoh inovasi Lapor Pak Camat dari Kabupaten Lamongan," kata Bupati.',
    "expected": "Ke depan, inovasi Jempol Pink diharapkan dapat direplikasi di kecamatan lain.",
    "negated": "Pemkab Sikka belum mereplikasi inovasi Gerai Sehat dari Kabupaten Ende.",
    "generic-target": "Inovasi Gerai Sehat sudah direplikasi oleh 12 daerah lain di Indonesia.",
    "mock-up": "Pengunjung juga dapat melihat replika inovasi Rumah Apung Sehat di stan Dinas Kesehatan.",
    "visit-only": ("Tim dari Pemkab Bima melakukan studi tiru ke Kabupaten Banyuwangi untuk mempelajari inovasi "
                   "Smart Kampung. Bupati belum memutuskan apakah akan menerapkannya."),
    "benchmark-learning": ("Rombongan Pemkab Lembata berkunjung ke Kabupaten Flores Timur untuk belajar tentang "
                           "inovasi Lamaholot Sehat."),
    "exploring": "Pemkab Lebak sedang menjajaki replikasi inovasi Saba Desa milik Kabupaten Pandeglang.",
    "own-villages-anaphor": ("Dinas Kesehatan Kabupaten Alor mengembangkan inovasi Kelas Ibu Hamil Pintar. "
                             "Dinas Kesehatan Kabupaten Alor akan mereplikasi inovasi tersebut ke 25 desa lainnya."),
    "own-villages-passive": ("Inovasi Kelas Ibu Hamil Pintar milik Dinas Kesehatan Kabupaten Alor akan direplikasi "
                             "ke 20 desa lainnya."),
    "own-puskesmas": ("Inovasi Ambulans Siaga Bersalin milik Dinas Kesehatan Kabupaten Gowa akan direplikasi di "
                      "seluruh puskesmas."),
    "forum": "Inovasi itu akan dikembangkan melalui forum Replikasi Scaling Up dan jaringan inovasi.",
}


@pytest.mark.parametrize("key", sorted(POSITIVE))
def test_replication_phrasing(ex, key):
    text, expected = POSITIVE[key]
    assert triples(ex, text) == sorted(expected)


@pytest.mark.parametrize("key", sorted(NEGATIVE))
def test_not_a_replication(ex, key):
    assert triples(ex, NEGATIVE[key]) == []


def test_other_government_spreading_to_villages_is_a_replication(ex):
    """'ke N desa' does not hide a replication between two governments."""
    text = ("Inovasi Rumah Gizi dikembangkan Dinas Kesehatan Kota Gorontalo. "
            "Kini Pemerintah Kabupaten Boalemo akan mereplikasi inovasi tersebut ke 30 desa.")
    assert triples(ex, text) == [("Rumah Gizi", "", "Kabupaten Boalemo")]


def test_both_ends_are_mentions_with_their_governments(ex):
    x = ex.extract(Article("a", "t", "ok", title="", published="2024-01-01", text=(
        "Dinas Kesehatan Kabupaten Sinjai mengadopsi inovasi Layanan Obat Terantar Rumah (LONTARA) yang lebih dulu "
        "diterapkan Dinas Kesehatan Kabupaten Bone. Versi lokal dari inovasi LONTARA itu bernama Lontara Sehat "
        "Sinjai.")))
    by = {m.name: m for m in x.mentions}
    assert by["LONTARA"].region == "Kabupaten Bone" and by["LONTARA"].agency == "Dinas Kesehatan Kabupaten Bone"
    assert by["Lontara Sehat Sinjai"].region == "Kabupaten Sinjai"
    (r,) = x.replications
    assert (r.source_name, r.target_name, r.target_region, r.source_region) == (
        "LONTARA", "Lontara Sehat Sinjai", "Kabupaten Sinjai", "Kabupaten Bone")


def test_description_after_the_source_is_not_a_list(ex):
    text = ("Pemkab Sumbawa mereplikasi inovasi Sapa Warga dari Kota Mataram, yakni Layanan Aduan Keliling yang "
            "mendatangi warga setiap pekan.")
    assert [t[0] for t in triples(ex, text)] == ["Sapa Warga"]
