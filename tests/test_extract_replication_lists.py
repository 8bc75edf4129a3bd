"""Replication at scale (extract/repl_lists.py): a government replicates a list of innovations.

Every text is written for this file: invented innovations in real regions, none taken from
the sample corpus, the seeds, ../shared/dev or any held-out set.
"""
from pipeline.records import Article


def run(ex, text, title=""):
    return ex.extract(Article("a", "t", "ok", title=title, published="2024-03-01", text=text))


def triples(x):
    return sorted((r.source_name, r.target_name, r.target_region, r.source_region) for r in x.replications)


def test_counted_statement_then_list_sentence_with_origins(ex):
    text = ("Sebanyak empat inovasi pelayanan publik akan direplikasi oleh Pemerintah Kabupaten Sumba Barat. "
            "Kegiatan itu dibuka oleh sekretaris daerah. "
            "Empat inovasi tersebut yakni Kartu Tani Cerdas dari Kabupaten Gowa, Si Rajin (Sistem Rapor Jaringan "
            "Internet) dari Kota Kupang, Pos Gizi Keliling dari Dinas Kesehatan Kabupaten Sikka, dan Lumbung Data "
            "dari Provinsi Bali.")
    x = run(ex, text)
    assert triples(x) == [
        ("Kartu Tani Cerdas", "", "Kabupaten Sumba Barat", "Kabupaten Gowa"),
        ("Lumbung Data", "", "Kabupaten Sumba Barat", "Provinsi Bali"),
        ("Pos Gizi Keliling", "", "Kabupaten Sumba Barat", "Kabupaten Sikka"),
        ("Si Rajin", "", "Kabupaten Sumba Barat", "Kota Kupang"),
    ]
    by = {m.name: m for m in x.mentions}
    # each source is owned by its origin, never by the government that replicates it
    assert by["Si Rajin"].region == "Kota Kupang" and by["Si Rajin"].expansion == "Sistem Rapor Jaringan Internet"
    assert by["Pos Gizi Keliling"].agency == "Dinas Kesehatan Kabupaten Sikka"
    assert all(m.region != "Kabupaten Sumba Barat" for m in x.mentions)
    assert "Sistem Rapor Jaringan Internet" not in by  # the long form is no second innovation


def test_passive_list_runs_on_after_semicolons_into_the_next_sentence(ex):
    text = ("Pemerintah Kabupaten Alor bersiap mereplikasi lima aplikasi dari daerah lain. "
            "Lima inovasi yang akan direplikasi yaitu Sidik Jari, aplikasi pendataan koperasi dari Kota Malang; "
            "aplikasi Tenun Digital atau layanan pemasaran kain dari Kabupaten Sikka; Lapak Ikan dari Kota Ambon. "
            "Selanjutnya, Inovasi Pintu Desa atau portal surat desa dari Kabupaten Banyumas; dan Kursi Roda "
            "Keliling berupa layanan antar jemput difabel dari Kota Surakarta.")
    got = triples(run(ex, text))
    assert [g[0] for g in got] == ["Kursi Roda Keliling", "Lapak Ikan", "Pintu Desa", "Sidik Jari", "Tenun Digital"]
    assert {g[2] for g in got} == {"Kabupaten Alor"}
    assert dict((g[0], g[3]) for g in got)["Tenun Digital"] == "Kabupaten Sikka"


def test_list_in_the_statement_sentence_with_a_lower_case_name_its_long_form_spells(ex):
    text = ("Dinas Kesehatan Provinsi Nusa Tenggara Barat mendorong puskesmas di NTB mereplikasi inovasi gizi. "
            "Dua inovasi yang direplikasi yaitu inovasi yang berjudul Dapur Sehat dari Puskesmas Ampenan Kota "
            "Mataram dan inovasi ka siga (kader siaga gizi anak) dari Puskesmas Praya Kabupaten Lombok Tengah.")
    got = triples(run(ex, text))
    assert [g[0] for g in got] == ["Dapur Sehat", "ka siga"]
    assert [g[3] for g in got] == ["Kota Mataram", "Kabupaten Lombok Tengah"]


def test_grant_of_applications_to_another_government(ex):
    text = ("Pemerintah Kabupaten Badung menghibahkan aplikasi Si Pajak, Lapor Cepat, dan e-Kios serta pendampingan "
            "teknis kepada Pemerintah Kabupaten Karangasem.")
    x = run(ex, text)
    assert triples(x) == [(n, "", "Kabupaten Karangasem", "Kabupaten Badung")
                          for n in ("Lapor Cepat", "Si Pajak", "e-Kios")]
    assert {m.region for m in x.mentions} == {"Kabupaten Badung"}


def test_uncounted_list_after_a_statement_is_not_read(ex):
    text = ("Pemkab Karawang juga ikut mengadopsi sistem aplikasi Pemkot Tangerang. "
            "Aplikasi yang dimiliki ada dua kelompok, yakni layanan publik dan Kantor Maya (Kantor Digital).")
    assert run(ex, text).replications == ()


def test_hoped_list_is_not_a_replication(ex):
    text = ("Bupati berharap tiga inovasi dapat direplikasi oleh daerah lain, yaitu Sapa Tani, Rumah Baca Desa dan "
            "Kios Obat.")
    assert run(ex, text).replications == ()


def test_anaphoric_source_of_a_renamed_copy(ex):
    text = ("Gubernur Gorontalo memaparkan inovasi Sistem Antar Dokumen Desa (SIANDES). "
            "Perubahan dalam inovasi ini adalah Siandes Keliling, Siandes Daring, dan Loket Siandes. "
            "Inovasi tersebut kemudian direplikasi Pemkab Boalemo dengan nama Jemput Dokumen Boalemo.")
    got = triples(run(ex, text))
    assert [(g[0], g[1], g[2]) for g in got] == [("SIANDES", "Jemput Dokumen Boalemo", "Kabupaten Boalemo")]


def test_anaphor_without_a_replicating_government_is_none(ex):
    text = ("Kota Bandung mengembangkan aplikasi Si Kinerja. "
            "Kalau daerah lain mungkin sudah lama mengadopsi itu dari Kota Bandung.")
    assert run(ex, text).replications == ()


def test_first_person_adopter_outside_the_names_gate(ex):
    """'Kami ... akan meniru sistem X-nya': no name cue in the sentence, the speaker's
    government named in the sentence before."""
    text = ("Bupati Karawang menyebut Kabupaten Karawang akan fokus di bidang pendidikan. "
            "Kami melalui Dinas Pendidikan akan meniru sistem Rapor Kilat-nya.")
    got = triples(run(ex, text))
    assert [(g[0], g[2]) for g in got] == [("Rapor Kilat", "Kabupaten Karawang")]


def test_own_sentence_stage_and_year_win_over_the_articles_event(ex):
    text = ("Kabupaten Sleman meraih penghargaan IGA 2024 sebagai kabupaten sangat inovatif. "
            "Penilaian IGA 2024 digelar Kementerian Dalam Negeri. "
            "Inovasi Pojok Baca Pasar milik Dinas Perpustakaan Kabupaten Sleman pernah masuk Top 99 KIPP Tahun 2020.")
    x = run(ex, text)
    m = next(m for m in x.mentions if m.name == "Pojok Baca Pasar")
    assert m.year == 2020
    assert [(e.competition, e.stage, e.year) for e in m.events] == [("KIPP", "Top 99", 2020)]
