"""The text cleaner: golden files, each boilerplate family, metadata, normalisation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pipeline.clean import clean_document, clean_text, normalize_text
from pipeline.clean.dates import find_date, to_iso
from pipeline.clean.normalize import has_invisible
from pipeline.records import RawDocument
from pipeline.settings import Settings

GOLDEN = Path(__file__).parent / "golden" / "clean"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
S = Settings()
CS = S.clean
RULES = CS.rules_file


def ws(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("case", sorted(p.name.removesuffix(".input.txt") for p in GOLDEN.glob("*.input.txt")))
def test_golden_text(case):
    raw = (GOLDEN / f"{case}.input.txt").read_text(encoding="utf-8")
    expected = (GOLDEN / f"{case}.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    meta = json.loads((GOLDEN / f"{case}.meta.json").read_text(encoding="utf-8"))
    art = clean_document(RawDocument(f"{case}.txt", "text", raw.encode("utf-8")), S)
    assert art.status == "ok", art.reason
    assert art.text == expected
    got = {k: getattr(art, k) for k in meta}
    assert got == meta


def test_golden_text_is_stable_when_cleaned_again():
    # cleaning the cleaned text changes nothing: no rule eats story sentences
    for p in GOLDEN.glob("*.expected.txt"):
        text = p.read_text(encoding="utf-8").rstrip("\n")
        assert clean_text(text, CS).text == text, p.name


def _clean(text: str, **kw):
    return clean_text(text, CS, **kw)


STORY = ("Pemerintah Kabupaten Ende memperkenalkan inovasi Kartu Sehat Nelayan untuk warga pesisir.\n"
         "Kartu itu dapat dipakai di semua puskesmas tanpa biaya tambahan, kata kepala dinas.")


@pytest.mark.parametrize("junk", [
    "Baca Juga: Jembatan Gantung di Wolowaru Rampung Dikerjakan",
    "Baca juga: Jembatan Gantung di Wolowaru Rampung Dikerjakan",
    "Baca Juga :   Jembatan Gantung di Wolowaru Rampung Dikerjakan",
    "BACA JUGA - Jembatan Gantung di Wolowaru Rampung Dikerjakan",
    "Lihat Juga: Jembatan Gantung di Wolowaru Rampung Dikerjakan",
    "Simak Juga: Jembatan Gantung di Wolowaru Rampung Dikerjakan",
    "Berita Terkait: Jembatan Gantung di Wolowaru Rampung Dikerjakan",
    "Bacaan Lainnya",
    "Pos terkait",
    "Tags", "Terkini", "Terpopuler", "Artikel Pilihan", "Kabar Daerah", "Previous Post Next Post", "Bagikan",
    "Share this",
    "Tags: inovasi, kesehatan, Ende",
    "Foto : Bupati Ende menyerahkan kartu kepada nelayan",
    "Foto: Bupati Ende menyerahkan kartu kepada nelayan",
    "(Foto: Humas Pemkab Ende)",
    "Bagikan: Facebook Twitter WhatsApp",
    "Facebook Twitter WhatsApp Telegram",
    "<iframe src=\"https://ads.example.com/slot\" width=\"300\"></iframe>",
    "</iframe>", "<!--", "-->",
    "style=\"display:inline-block;width:320px;height:100px\"",
    "data-ad-client=\"ca-pub-1111222233334444\"",
    "crossorigin=\"anonymous\"></script>",
    "<ins class=\"adsbygoogle\"",
    "(adsbygoogle = window.adsbygoogle || []).push({});",
    "https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js",
    "Editor: Maria Ratu",
    "Penulis: Kornelis Dhae | Editor: Maria Ratu",
    "- 3 April 2024, 07:10 WIB",
    "ADVERTISEMENT",
    "[ADVERTISEMENT]",
    "Iklan - Gulir untuk melanjutkan",
    "Scroll ke bawah untuk lanjut membaca",
    "x",
])
def test_each_junk_line_is_removed_and_story_kept(junk):
    text = f"{STORY.splitlines()[0]}\n\n{junk}\n\n{STORY.splitlines()[1]}"
    out = _clean(text)
    assert out.text == STORY.replace("\n", "\n\n")
    assert out.dropped, "the removal is recorded with its rule name"


def test_a_line_that_starts_like_an_ad_label_but_says_more_stays():
    line = "Iklan layanan masyarakat itu memperkenalkan inovasi baru kepada warga desa."
    out = _clean(f"{STORY.splitlines()[0]}\n\n{line}\n\n{STORY.splitlines()[1]}")
    assert line in out.text


def test_script_fragment_across_lines_is_removed():
    text = (STORY.splitlines()[0] + "\n<script type=\"text/javascript\">\nvar slot = 1;\n"
            "googletag.cmd.push(function() { googletag.display('div-gpt'); });\n</script>\n" + STORY.splitlines()[1])
    assert _clean(text).text == STORY.replace("\n", "\n\n")


def test_bare_baca_juga_takes_the_headline_on_the_next_line_but_never_a_sentence():
    text = ("Baca Juga\nPasar Murah Digelar di Lapangan Pancasila\n" + STORY)
    assert _clean(text).text == STORY.replace("\n", "\n\n")
    # the line after a bare heading ends with a full stop: it is story, it stays
    text = "Baca Juga\n" + STORY
    assert _clean(text).text == STORY.replace("\n", "\n\n")


def test_related_block_takes_every_headline_until_story_resumes():
    text = (STORY.splitlines()[0] + "\nBerita Terkait\nSatu Judul Berita Lain\nDua Judul Berita Lain\n"
            + STORY.splitlines()[1])
    assert _clean(text).text == STORY.replace("\n", "\n\n")


def test_sentence_starting_like_a_menu_word_is_kept():
    text = ("Baca juga buku panduan inovasi yang dibagikan panitia kepada setiap peserta.\n"
            "Terkini, tim penilai sudah mengunjungi tiga puskesmas di Kecamatan Ende Selatan.\n"
            "Foto bersama dilakukan setelah penyerahan piagam kepada para inovator.")
    assert _clean(text).text == text.replace("\n", "\n\n")


def test_repeated_paragraphs_are_kept_once_first_time():
    a, b = STORY.splitlines()
    out = _clean(f"{a}\n{b}\n{a}\n\n{b}\n{a}")
    assert out.text == f"{a}\n\n{b}"
    assert [r for r, _ in out.dropped].count("repeated_paragraph") == 3


def test_repeat_of_first_paragraph_without_its_dateline_is_dropped():
    a, b = STORY.splitlines()
    out = _clean(f"Ende (ANTARA) - {a}\n{b}\n{a}\n{b}")
    assert out.text == f"{a}\n\n{b}" and out.dateline == "Ende" and out.outlet == "ANTARA"


@pytest.mark.parametrize("line,place,outlet,rest", [
    ("Kupang (ANTARA) - Ombudsman membuka posko pengaduan baru di kantor perwakilan.", "Kupang", "ANTARA",
     "Ombudsman membuka posko pengaduan baru di kantor perwakilan."),
    ("MAKASSAR, Kabartimur.com – Wali kota meninjau layanan perizinan di mal pelayanan publik.", "MAKASSAR",
     "Kabartimur.com", "Wali kota meninjau layanan perizinan di mal pelayanan publik."),
    ("Realitasttu.com - Pemerintah Kabupaten Timor Tengah Utara menyiapkan dua inovasi baru.", "",
     "Realitasttu.com", "Pemerintah Kabupaten Timor Tengah Utara menyiapkan dua inovasi baru."),
    ("TRIBUNNEWS.COM, JAKARTA - Kementerian mengumumkan daftar inovasi terbaik tahun ini.", "JAKARTA",
     "TRIBUNNEWS.COM", "Kementerian mengumumkan daftar inovasi terbaik tahun ini."),
    ("JAKARTA, KOMPAS.com -- Deputi pelayanan publik membuka acara penganugerahan.", "JAKARTA", "KOMPAS.com",
     "Deputi pelayanan publik membuka acara penganugerahan."),
    ("MAUMERE-Pemerintah kabupaten menyiapkan tiga inovasi untuk dinilai tim provinsi.", "MAUMERE", "",
     "Pemerintah kabupaten menyiapkan tiga inovasi untuk dinilai tim provinsi."),
])
def test_dateline_goes_to_metadata_and_the_sentence_stays(line, place, outlet, rest):
    out = _clean(line + "\n" + STORY)
    assert (out.dateline, out.outlet) == (place, outlet)
    assert out.text.split("\n\n")[0] == rest


def test_a_hyphenated_place_name_in_a_heading_is_not_a_dateline():
    # "Bone-Bone" (a village name) is a word with a hyphen, not "Puskesmas Bone" + a dash
    out = _clean("Puskesmas Bone-Bone Perkenalkan Layanan Jemput Pasien untuk Warga Pegunungan\n" + STORY)
    assert out.dateline == ""


def test_dash_inside_a_sentence_is_not_a_dateline():
    text = ("Tahapan pertama - pengajuan proposal - berlangsung sampai akhir bulan depan bagi semua perangkat daerah.\n"
            + STORY)
    out = _clean(text)
    assert out.dateline == "" and out.text.startswith("Tahapan pertama - pengajuan")


def test_caps_place_line_then_dash_line_is_one_dateline_even_at_the_very_end():
    out = _clean("LUWU UTARA\n- Sebanyak sembilan belas inovasi siap dinilai oleh tim penilai kabupaten.",
                 take_title=True)
    assert out.title == "" and (out.dateline, out.text) == ("LUWU UTARA", "Sebanyak sembilan belas inovasi siap dinilai oleh tim "
                                                      "penilai kabupaten.")


def test_known_title_repeated_as_first_paragraph_is_removed():
    out = _clean("Ende Luncurkan Kartu Sehat Nelayan\n" + STORY, known_title="Ende Luncurkan Kartu Sehat Nelayan | Flores")
    assert out.text == STORY.replace("\n", "\n\n") and out.title == "Ende Luncurkan Kartu Sehat Nelayan"
    out = _clean(STORY, known_title="Judul Lain Sama Sekali Berbeda")
    assert out.text == STORY.replace("\n", "\n\n")


@pytest.mark.parametrize("line,iso,outlet,place", [
    ("- 3 April 2024, 07:10 WIB", "2024-04-03", "", ""),
    ("Floresku.id | Rabu, 3 April 2024 | 07:10 WIB", "2024-04-03", "Floresku.id", ""),
    ("Kabar Ende - Rabu, 3 April 2024", "2024-04-03", "Kabar Ende", ""),
    ("Floresku.com, Ende - Rabu (3/4/2024)", "2024-04-03", "Floresku.com", "Ende"),
    ("Suara Flores, Ende - Rabu, 3/4/2024", "2024-04-03", "Suara Flores", "Ende"),
])
def test_outlet_and_date_header_lines_become_metadata(line, iso, outlet, place):
    out = _clean(f"{line}\n{STORY}")
    assert out.text == STORY.replace("\n", "\n\n")
    assert (out.published, out.outlet, out.dateline) == (iso, outlet, place)


@pytest.mark.parametrize("line", [
    "Inovasi Kartu Sehat Diumumkan 3 April 2024",
    "Rapat Paripurna Digelar Rabu (3/4/2024)",
    "Peluncuran dilakukan pada 3 April 2024 di Ende.",
])
def test_headlines_and_sentences_with_a_date_are_not_headers(line):
    out = _clean(f"{STORY}\n{line}")
    assert out.text.endswith(line)


def test_bylines_become_author_and_leave_the_text():
    out = _clean(STORY + "\nPewarta: Kornelis Dhae\nEditor: Maria Ratu")
    assert out.author == "Kornelis Dhae" and "Editor" not in out.text and "Pewarta" not in out.text
    out = _clean(STORY + " (Red/Yustus)")
    assert out.author == "Yustus" and out.text.endswith("kata kepala dinas.")


def test_title_taken_from_a_headline_first_line_only():
    out = _clean("Ende Luncurkan Kartu Sehat Nelayan\n\n" + STORY, take_title=True)
    assert out.title == "Ende Luncurkan Kartu Sehat Nelayan" and out.text == STORY.replace("\n", "\n\n")
    out = _clean(STORY, take_title=True)  # first line ends with a full stop: not a title
    assert out.title == "" and out.text == STORY.replace("\n", "\n\n")


def test_paragraph_whitespace_is_collapsed_and_paragraphs_joined_by_blank_line():
    out = _clean("  Kalimat   pertama\tdi sini.  \n\n\n\n Kalimat kedua\u00a0di sini. ")
    assert out.text == "Kalimat pertama di sini.\n\nKalimat kedua di sini."


@pytest.mark.parametrize("text,iso", [
    ("diumumkan pada 29 Mei 2023 di Jakarta", "2023-05-29"),
    ("kata dia di Kupang, Senin (13/2/2023).", "2023-02-13"),
    ("ujarnya, Senin, (13/2/2023).", "2023-02-13"),
    ("Kamis (25/05/2023) di aula", "2023-05-25"),
    ("dilaksanakan pada Senin 25 Oktober 2021 di ruang rapat", "2021-10-25"),
    ("rasio 3/4/5 bukan tanggal, tetapi 1 Agustus 2020 ya", "2020-08-01"),
    ("tanggal 31 Februari 2023 tidak ada", ""),
    ("tanpa tanggal", ""),
])
def test_indonesian_dates(text, iso):
    assert find_date(text, RULES) == iso


def test_to_iso_of_producer_dates():
    assert to_iso("2023-05-29T10:00:00+07:00", RULES) == "2023-05-29"
    assert to_iso("29/05/2023", RULES) == "2023-05-29"
    assert to_iso("29 Mei 2023", RULES) == "2023-05-29"
    assert to_iso("kemarin", RULES) == ""


def test_max_text_chars_cuts_at_a_paragraph():
    cs = S.with_section("clean", max_text_chars=150).clean
    out = clean_text(STORY + "\nParagraf ketiga yang panjang sekali untuk memastikan potongan.", cs)
    assert out.truncated and len(out.text) <= 150 and out.text == STORY.splitlines()[0]


# -- normalisation -----------------------------------------------------------------------------

def test_normalize_examples():
    assert normalize_text("a\u200bb\u00a0c\r\nd\u2028e\ufeff") == "ab c\nd\ne"
    assert normalize_text("ﬁle　ＫＩＰＰ") == "file KIPP"  # ligature, ideographic space, full-width
    assert normalize_text("„kutip‟") == "“kutip“"
    assert normalize_text("“tetap”") == "“tetap”"  # the usual curly quotes are kept as written


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
       | st.text(alphabet="ab \n\t\r\u200b\u200c\u200d\ufeff\u00a0\u2028\u00ad\u0301\u0065\u1100\u1161\u11a8ﬁ„‟",
                 max_size=60))
def test_normalize_is_idempotent_and_leaves_no_invisible(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert not has_invisible(once)
    assert "\r" not in once and "\u00a0" not in once


@hsettings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_clean_text_never_raises(text):
    out = clean_text(text, CS)
    assert "\n\n\n" not in out.text


# -- the shared seeds (skipped when ../shared is absent) ---------------------------------------

@pytest.mark.skipif(not SHARED.exists(), reason="shared seeds not available")
def test_seed_gold_boilerplate_removed_and_keep_lines_once():
    gold = json.loads((SHARED / "seeds" / "gold.json").read_text(encoding="utf-8"))
    for entry in gold["articles"]:
        path = SHARED / "seeds" / entry["file"]
        art = clean_document(RawDocument(str(path), "text", path.read_bytes()), S)
        assert art.status == "ok", (entry["file"], art.reason)
        text = ws(art.text)
        for line in entry.get("boilerplate", []):
            assert ws(line) not in text, (entry["file"], line)
        for line in entry.get("keep", []):
            assert text.count(ws(line)) == 1, (entry["file"], line)
        if entry.get("date"):
            assert art.published == entry["date"], entry["file"]
