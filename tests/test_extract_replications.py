"""Replications: renamed copies, adoption with a later name, anaphora; both ends are mentions."""
import pytest

from pipeline.records import Article


def run(ex, text, title=""):
    return ex.extract(Article("a", "t", "ok", title=title, published="2023-01-01", text=text))


def test_renamed(ex):
    x = run(ex, "Syukur ada yang bisa direplikasi, seperti Kelas Ibu Ceria yang direplikasi menjadi Bunda Ceria.")
    assert [(r.source_name, r.target_name) for r in x.replications] == [("Kelas Ibu Ceria", "Bunda Ceria")]
    assert {m.name for m in x.mentions} == {"Kelas Ibu Ceria", "Bunda Ceria"}
    assert x.replications[0].evidence.startswith("Syukur")


@pytest.mark.parametrize("later", [
    " dengan nama Ayo Timbang Sinjai.",  # the new name in the same sentence
    ". Di Sinjai, layanan itu diberi nama Ayo Timbang Sinjai.",  # ... or in the next one
])
def test_adopt_with_source_owner_and_target_region(ex, later):
    text = ("Dinas Kesehatan Kabupaten Sinjai mengadopsi inovasi Gerakan Ayo Timbang (GERAKTIM) milik Dinas Kesehatan "
            "Kabupaten Bulukumba" + later)
    x = run(ex, text)
    (r,) = x.replications
    assert (r.source_name, r.target_name) == ("GERAKTIM", "Ayo Timbang Sinjai")
    assert r.target_region == "Kabupaten Sinjai" and r.source_region == "Kabupaten Bulukumba"
    by = {m.name: m for m in x.mentions}
    assert by["GERAKTIM"].region == "Kabupaten Bulukumba"
    assert by["Ayo Timbang Sinjai"].region == "Kabupaten Sinjai"


def test_region_suffixed_target_stays_a_separate_innovation(ex):
    text = ("Kota Bitung mereplikasi inovasi Si Lancar dari Kabupaten Minahasa Utara. "
            "Versi Bitung diberi nama Si Lancar Bitung.")
    x = run(ex, text)
    assert [(r.source_name, r.target_name) for r in x.replications] == [("Si Lancar", "Si Lancar Bitung")]
    assert {m.name for m in x.mentions} == {"Si Lancar", "Si Lancar Bitung"}


def test_anaphoric_source_without_new_name(ex):
    text = ("Inovasi Rumah Gizi yang dikembangkan Dinas Kesehatan Kota Gorontalo menjadi juara. "
            "Kini Pemerintah Kabupaten Boalemo akan mereplikasi inovasi tersebut di semua puskesmas.")
    (r,) = run(ex, text).replications
    assert (r.source_name, r.target_name, r.target_region) == ("Rumah Gizi", "", "Kabupaten Boalemo")


def test_repeated_paragraph_gives_one_replication(ex):
    p = "Kota Batu mereplikasi inovasi Lapak Tani dari Kabupaten Malang."
    assert len(run(ex, p + "\n\n" + p).replications) == 1


def test_replication_forum_is_not_a_replication(ex):
    x = run(ex, "Inovasi itu akan dikembangkan melalui forum Replikasi Scaling Up dan jaringan inovasi.")
    assert x.replications == () and x.mentions == ()
