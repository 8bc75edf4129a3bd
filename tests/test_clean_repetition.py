"""Per-host boilerplate learnt from repetition (pipeline/clean/repetition.py), on an invented outlet."""
from __future__ import annotations

import random

from pipeline.clean.repetition import (MemorySupport, RULE, host_of, learn_and_strip, line_key, line_keys,
                                       strip_repeated)
from pipeline.records import Article
from pipeline.settings import Settings

CS = Settings().clean

# the template of the invented outlet "Warta Lembah Hijau": above and below every story
TOP = ["Warta Lembah Hijau - Kabar Warga Setiap Hari", "Kanal Desa dan Kota", "Dibaca 0 kali"]
BOTTOM = ["Kirim tulisan Anda ke meja redaksi Warta Lembah", "Simak siaran Radio Lembah tiap pagi pukul 06.00"]
# a press release that two outlets print word for word
SYNDICATED = ("Dinas Pertanian Kabupaten Lembah Hijau menyatakan bahwa program Kebun Sekolah Lestari akan diperluas "
              "ke dua puluh kecamatan pada tahun depan, dengan bibit yang disediakan oleh balai benih setempat.")
PLACES = ["Sungai Teduh", "Bukit Damar", "Rawa Indah", "Padang Sari", "Tanjung Wangi"]
THEMES = ["layanan akta kelahiran keliling", "posyandu remaja", "bank sampah sekolah", "ronda kesehatan lansia",
          "perpustakaan pasar"]


def story(i: int) -> list[str]:
    place, theme = PLACES[i % 5], THEMES[(i // 5) % 5]
    return [
        f"Pemerintah Kecamatan {place} memperkenalkan {theme} nomor {i} yang dirancang bersama kader warga, "
        f"sehingga pelayanan tidak lagi menanti kedatangan warga di kantor kecamatan setiap pekan.",
        f"Camat {place} mengatakan program ke-{i} itu menyasar {10 + i} desa dan dibiayai dari dana kelurahan, "
        f"dengan laporan bulanan yang diumumkan di balai desa masing-masing.",
        f"“Kami ingin warga {place} merasakan manfaatnya sendiri,” ujarnya.",
    ]


def outlet_article(i: int, syndicated: bool = False) -> Article:
    pars = TOP[:1] + TOP[1:2] + [TOP[2].replace("0", str(100 + 7 * i))] + story(i) \
        + ([SYNDICATED] if syndicated else []) + BOTTOM
    return Article(f"a{i:016x}", f"lembah.jsonl#L{i}", "ok", url=f"https://www.wartalembah.id/berita/{i}/kabar",
                   text="\n\n".join(pars), removed=(("baca_juga", 1),))


def other_outlet_article() -> Article:
    pars = ["Pos Timur Raya", story(99)[0], SYNDICATED, story(99)[1]]
    return Article("a" + "f" * 16, "timur.jsonl#L1", "ok", url="https://postimur.example/kabar/99",
                   text="\n\n".join(pars))


def run(articles, min_support=5):
    settings = Settings().with_section("clean", repetition_min_support=min_support).clean
    return learn_and_strip(articles, MemorySupport(), settings)


def corpus():
    return [outlet_article(i, syndicated=(i == 3)) for i in range(20)] + [other_outlet_article()]


def test_template_lines_go_once_support_is_reached_and_story_and_syndicated_text_stay():
    out = {a.article_id: a for a in run(corpus())}
    for i in range(20):
        art = out[f"a{i:016x}"]
        pars = art.text.split("\n\n")
        assert pars == story(i) + ([SYNDICATED] if i == 3 else []), art.text  # template gone, no story line lost
        assert dict(art.removed) == {"baca_juga": 1, RULE: len(TOP) + len(BOTTOM)}
    other = out["a" + "f" * 16]
    assert SYNDICATED in other.text and other.text.startswith("Pos Timur Raya")  # one article teaches nothing
    assert other.removed == ()


def test_below_the_support_nothing_is_removed():
    few = [outlet_article(i) for i in range(4)]
    assert [a.text for a in run(few, min_support=5)] == [a.text for a in few]


def test_a_minimum_of_one_still_needs_two_articles():
    one = [outlet_article(0)]
    assert run(one, min_support=1)[0].text == one[0].text


def test_same_result_in_any_arrival_order():
    base = {a.article_id: a for a in run(corpus())}
    rng = random.Random(7)
    for _ in range(5):
        shuffled = corpus()
        rng.shuffle(shuffled)
        assert {a.article_id: a for a in run(shuffled)} == base


def test_support_is_per_host_a_short_line_shared_across_outlets_is_not_learnt():
    shared = "Siaran pers bersama kabupaten se-lembah"
    arts = []
    for i in range(6):
        host = "satu.example" if i % 2 else "dua.example"
        pars = [shared, story(i)[0], story(i)[1]]
        arts.append(Article(f"a{i:016x}", f"x#L{i}", "ok", url=f"https://{host}/{i}", text="\n\n".join(pars)))
    out = run(arts, min_support=4)  # three articles per host: below the support on each host
    assert all(a.text.startswith(shared) for a in out)


def test_inside_the_story_only_non_sentences_go():
    arts = []
    for i in range(6):
        s = story(i)
        pars = [s[0], "Ini kalimat pendek yang sama di setiap berita.", "Rubrik Warga Lembah", s[1]]
        arts.append(Article(f"a{i:016x}", f"x#L{i}", "ok", url=f"https://lembah.example/{i}", text="\n\n".join(pars)))
    for art in run(arts, min_support=3):
        assert "Ini kalimat pendek yang sama di setiap berita." in art.text  # a sentence inside the story stays
        assert "Rubrik Warga Lembah" not in art.text


def test_keys_are_short_lines_only_and_fold_numbers():
    text = "\n\n".join(["Dibaca 123 kali", "x" * (CS.repetition_max_chars + 1), "Kanal Desa"])
    assert line_keys(text, CS) == {"dibaca 0 kali", "kanal desa"}
    assert line_key("Dibaca 9 kali", CS) == line_key("DIBACA  77 kali", CS)
    assert host_of("https://www.WartaLembah.id/a/b?c=1") == "wartalembah.id" and host_of("") == ""


def test_articles_without_a_host_or_not_ok_are_left_alone():
    arts = [Article(f"a{i:016x}", f"f{i}.txt", "ok", text="\n\n".join(TOP + story(i))) for i in range(6)]
    arts.append(Article("a" + "e" * 16, "bad", "skipped", reason="too short", url="https://x.example/1", text=""))
    assert run(arts, min_support=2) == arts
    assert strip_repeated(arts[0], {}, CS) is arts[0]
