"""Innovation names: surface forms, boundaries, hard negatives (fixtures in tests/golden/extract)."""
import json
from pathlib import Path

import pytest

from pipeline.extract.names import norm, take_name
from pipeline.records import Article

GOLDEN = Path(__file__).parent / "golden" / "extract" / "articles.json"
ARTICLES = json.loads(GOLDEN.read_text(encoding="utf-8"))["articles"]


def run(ex, text, title="", published="2024-01-15"):
    return ex.extract(Article("a1", "t", "ok", title=title, published=published, text=text))


def names(ex, text, **kw):
    return [m.name for m in run(ex, text, **kw).mentions]


@pytest.mark.parametrize("art", ARTICLES, ids=[a["id"] for a in ARTICLES])
def test_golden_articles(ex, art):
    x = run(ex, art["text"], title=art["title"], published=art["published"])
    got = {norm(m.name): m for m in x.mentions}
    for want in art["expect"]:
        m = got.get(norm(want["name"]))
        assert m is not None, f"missing {want['name']!r}; got {sorted(got)}"
        for field in ("agency", "region"):
            if field in want:
                assert getattr(m, field) == want[field], (want["name"], field, getattr(m, field))
        if "year" in want:
            assert m.year == want["year"]
        for person in want.get("people", []):
            assert person in m.people
    for bad in art.get("absent", []):
        assert norm(bad) not in got, f"{bad!r} is not an innovation"
    assert len(x.mentions) == len(art["expect"]), sorted(got)


def test_one_mention_per_innovation_case_and_region_suffix(ex):
    text = ("Inovasi Si Cermat Lutra milik Dinas Sosial masuk Top 99. Inovasi SI CERMAT kini dipakai di semua desa.\n"
            "Inovator Si Cermat, Rini Andriani, mengaku senang.")
    x = run(ex, text, title="Pemkab Luwu Utara Raih Top 99")
    assert len(x.mentions) == 1
    m = x.mentions[0]
    assert m.name == "Si Cermat Lutra" and m.agency == "Dinas Sosial" and m.people == ("Rini Andriani",)


def test_boundaries_never_swallow_owner_or_date(ex):
    text = "Kabupaten Ende meluncurkan inovasi Jaga Mama dari Dinas Kesehatan pada Senin (4/3/2024) untuk ibu hamil."
    x = run(ex, text)
    assert [m.name for m in x.mentions] == ["Jaga Mama"]
    assert x.mentions[0].agency == "Dinas Kesehatan"


def test_mixed_case_and_digits(ex):
    text = "Ketiga inovasi tersebut yakni PaSTi Aman (Dinas Perhubungan), Sehat 2025 (Dinas Kesehatan) dan eLapor Desa (DPMD)."
    assert names(ex, text) == ["PaSTi Aman", "Sehat 2025", "eLapor Desa"]


def test_named_and_bernama(ex):
    text = ("Dinas Sosial Kota Bima meluncurkan inovasi bernama Rumah Singgah Ceria. "
            "Sementara Disdukcapil memperkenalkan layanan jemput bola yang diberi nama Dukcapil Menyapa.")
    assert names(ex, text) == ["Rumah Singgah Ceria", "Dukcapil Menyapa"]


def test_baca_juga_and_headline_lines_produce_nothing(ex):
    text = ("Baca Juga: Inovasi Sumur Bor Pintar Resmi Diluncurkan\n"
            "Bupati Ngada Luncurkan Inovasi Kopi Bajawa Go Digital\n"
            "Bupati meresmikan gedung baru kantor camat.")
    assert names(ex, text) == []


@pytest.mark.parametrize("text", [
    "Pemkab Belu mendorong inovasi daerah agar ikut Kompetisi Inovasi Pelayanan Publik (KIPP).",
    "Semua OPD wajib mengikuti Gerakan Satu OPD Satu Inovasi tahun ini.",
    "Program USAID ERAT mendampingi inovasi terbaik di lima kabupaten.",
    "Tim Pelaksana Warkop Indah membantu inovator menyusun proposal.",
    "Dalam pengumuman itu ada pula inovasi dari BPKP dan inovasi dari BRIN.",
    "Inovasi ini diharapkan menjadi inovasi unggulan di Innovative Government Award (IGA).",
])
def test_hard_negatives(ex, text):
    assert names(ex, text) == []


def test_take_name_stops_at_stop_words(ex):
    rules = ex.rules.names
    s = "inovasi Warung Sehat Desa milik Puskesmas Waipare"
    a, b = take_name(s, len("inovasi"), rules)
    assert s[a:b] == "Warung Sehat Desa"
    assert take_name("inovasi tersebut", len("inovasi"), rules) is None
    q = 'aplikasi "Lapor Cepat Pak" milik'
    a, b = take_name(q, len("aplikasi "), rules)
    assert q[a:b] == "Lapor Cepat Pak"


def test_rejected_candidates_keep_a_reason(ex):
    doc = ex.nlp("Forum Jaringan Inovasi Pelayanan Publik (JIPP) digelar untuk inovasi daerah.")
    cands = [c for f in doc.user_data["inovasi"] for c in f.candidates]
    assert cands and all(c.reason for c in cands)
