"""Innovators named for an innovation."""

from pipeline.extract.people import initiated_by, person_at
from pipeline.records import Article


def test_innovator_list_with_titles(ex):
    text = ("Turut hadir inovator Sehat Jiwa, dr. Putu Ayu Lestari; inovator Kebun Gizi, Made Sudarma yang diwakili "
            "stafnya; dan inovator Pasar Ikan Daring, Hj. Siti Aminah.")
    x = ex.extract(Article("a", "t", "ok", published="2023-01-01", text=text))
    people = {m.name: m.people for m in x.mentions}
    assert people == {"Sehat Jiwa": ("dr. Putu Ayu Lestari",), "Kebun Gizi": ("Made Sudarma",),
                      "Pasar Ikan Daring": ("Hj. Siti Aminah",)}


def test_initiated_by(ex):
    s = "Inovasi Bank Sampah Pintar digagas oleh Ni Luh Sari untuk warga."
    assert initiated_by(s, ex.rules.people) == [(len("Inovasi Bank Sampah Pintar "), "Ni Luh Sari")]
    x = ex.extract(Article("a", "t", "ok", published="2023-01-01", text=s))
    assert x.mentions[0].people == ("Ni Luh Sari",)


def test_person_must_look_like_a_name(ex):
    assert person_at("  mengatakan bahwa inovasi itu bagus", 0, ex.rules.people) == ""
    assert person_at(" Yosef Laka; dan", 0, ex.rules.people) == "Yosef Laka"
