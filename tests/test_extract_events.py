"""Events: competition, scope, stage, year (stated, relative, or the article's)."""

from pipeline.extract.events import article_event, sentence_events
from pipeline.records import Article, Event


def evs(ex, s):
    return sentence_events(s, ex.rules.events, ex.gaz)


def test_competition_scope_stage_year(ex):
    (e,) = evs(ex, "Inovasi itu masuk Top 20 KIPP Tingkat Provinsi NTT Tahun 2023.")
    assert e == Event("KIPP", "Provinsi Nusa Tenggara Timur", "Top 20", 2023)


def test_national_scope_and_admin_stage(ex):
    (e,) = evs(ex, "Inovasi Cermat sudah lolos administrasi Kompetisi Inovasi Pelayanan Publik tingkat nasional.")
    assert (e.competition, e.scope, e.stage, e.year) == ("KIPP", "Nasional", "lolos administrasi", None)


def test_iga_and_other_competitions(ex):
    assert [e.competition for e in evs(ex, "Kabupaten itu meraih predikat sangat inovatif pada IGA 2021.")] == ["IGA"]
    assert [e.competition for e in evs(ex, "Desa itu juara Lomba Inovasi Desa tingkat Kabupaten Bantul.")] == [
        "Lomba Inovasi Desa"]
    assert evs(ex, "Bupati meresmikan jembatan gantung di desa itu.") == []


def test_article_event_takes_most_frequent_and_falls_back_to_date():
    groups = [[Event("KIPP", "", "pengajuan", None)], [Event("IGA", "", "", 2022)], [Event("KIPP", "Nasional", "", None)]]
    assert article_event(groups, "2024-03-01") == Event("KIPP", "Nasional", "pengajuan", 2024)
    assert article_event([[]], "2024-03-01") is None


def test_article_event_applies_to_every_listed_innovation(ex):
    text = ("Sebanyak tiga inovasi Pemerintah Kota Parepare berebut Top 5 KIPP Tingkat Kota Parepare.\n"
            "Berikut inovasinya:\n1. Pasar Rakyat Online (Dinas Perdagangan)\n2. Sekolah Ramah Anak (Dinas Pendidikan)\n")
    x = ex.extract(Article("a", "t", "ok", published="2021-10-25", text=text))
    assert len(x.mentions) == 2
    for m in x.mentions:
        assert m.year == 2021 and m.events and m.events[0].competition == "KIPP"


def test_relative_year(ex):
    text = "Aplikasi PANTAU PAK milik Diskominfo Kota Metro pernah masuk Top 99 KIPP tahun lalu."
    x = ex.extract(Article("a", "t", "ok", published="2020-06-30", text=text))
    assert x.mentions[0].year == 2019
