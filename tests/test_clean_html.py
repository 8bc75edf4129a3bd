"""HTML pages: one trafilatura call for text + metadata, the text rules after it, the lxml fallback."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.clean import clean_document
from pipeline.clean.html import extract_html, fallback_text
from pipeline.records import RawDocument
from pipeline.settings import Settings

GOLDEN = Path(__file__).parent / "golden" / "clean"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
S = Settings()

PARAS = [
    "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Alor memperkenalkan inovasi Akta Kilat Desa bagi warga pulau.",
    "Lewat inovasi itu petugas datang ke kantor desa setiap Kamis sehingga warga tidak perlu menyeberang ke Kalabahi.",
    "Kepala dinas mengatakan sudah lebih dari seribu akta kelahiran diterbitkan sejak program dimulai tahun lalu.",
]


def page(body: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">{head}</head>"
            f"<body>{body}</body></html>").encode("utf-8")


@pytest.mark.parametrize("case", sorted(p.name.removesuffix(".input.html") for p in GOLDEN.glob("*.input.html")))
def test_golden_html(case):
    data = (GOLDEN / f"{case}.input.html").read_bytes()
    expected = (GOLDEN / f"{case}.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    meta = json.loads((GOLDEN / f"{case}.meta.json").read_text(encoding="utf-8"))
    art = clean_document(RawDocument(f"{case}.html", "html", data), S)
    assert art.status == "ok", art.reason
    assert art.text == expected
    assert {k: getattr(art, k) for k in meta} == meta


def test_baca_juga_inside_the_article_is_removed_after_trafilatura():
    body = (f"<article><h1>Akta Kilat Desa</h1><p>{PARAS[0]}</p>"
            "<p><strong>Baca Juga:</strong> <a href='/x'>Kapal Feri ke Alor Kembali Berlayar Normal</a></p>"
            f"<p>{PARAS[1]}</p><p>Foto: Humas Disdukcapil Alor</p><p>{PARAS[2]}</p></article>")
    art = clean_document(RawDocument("a.html", "html", page(body, "<title>Akta Kilat Desa</title>")), S)
    assert art.status == "ok", art.reason
    assert art.text == "\n\n".join(PARAS)
    assert art.title == "Akta Kilat Desa"


def test_paragraphs_printed_twice_by_the_page_come_out_once():
    body = "<article>" + "".join(f"<p>{p}</p>" for p in PARAS + PARAS[1:]) + "</article>"
    art = clean_document(RawDocument("a.html", "html", page(body)), S)
    assert art.text == "\n\n".join(PARAS)


def test_metadata_from_the_page_wins_over_the_text():
    head = ("<title>Akta Kilat Desa | Alorpos</title><meta property='og:site_name' content='Alorpos.id'>"
            "<meta property='article:published_time' content='2024-02-05T09:00:00+08:00'>"
            "<link rel='canonical' href='https://alorpos.id/berita/akta-kilat'>")
    body = f"<article><p>Kalabahi, Alorpos.id - {PARAS[0]} Rabu (1/2/2023).</p><p>{PARAS[1]}</p></article>"
    art = clean_document(RawDocument("a.html", "html", page(body, head)), S)
    assert (art.published, art.outlet, art.url, art.dateline) == (
        "2024-02-05", "Alorpos.id", "https://alorpos.id/berita/akta-kilat", "Kalabahi")
    assert art.text.startswith(PARAS[0])


def test_producer_metadata_wins_over_the_page():
    body = f"<article><p>{PARAS[0]}</p><p>{PARAS[1]}</p></article>"
    raw = RawDocument("b.jsonl#L1", "html", page(body, "<title>Judul Halaman</title>").decode(),
                      url="https://contoh.id/a", title="Judul Dari Produsen", published="2023-09-01", outlet="Contoh")
    art = clean_document(raw, S)
    assert (art.title, art.published, art.outlet, art.url) == ("Judul Dari Produsen", "2023-09-01", "Contoh",
                                                               "https://contoh.id/a")


def test_fallback_when_trafilatura_finds_nothing(monkeypatch, caplog):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    body = ("<nav><a href='/'>Beranda</a></nav><div class='isi'>" + "".join(f"<p>{p}</p>" for p in PARAS)
            + "</div><script>var x = 1;</script><footer>Hak cipta</footer>")
    res = extract_html(page(body).decode(), "", S.clean)
    assert res.notes == ("fallback: trafilatura found no main text",)
    assert res.text.split("\n") == PARAS
    with caplog.at_level("INFO", logger="pipeline.clean"):
        art = clean_document(RawDocument("a.html", "html", page(body)), S)
    assert art.status == "ok" and art.text == "\n\n".join(PARAS)
    assert "fallback: trafilatura found no main text" in caplog.text


def test_fallback_text_walks_blocks_and_drops_scripts():
    text, title = fallback_text("<html><head><title> T </title></head><body><div>satu<br>dua<script>x()</script>"
                                "<span> tiga</span></div><ul><li>empat</li></ul></body></html>")
    assert title == "T" and text.split("\n") == ["satu", "dua tiga", "empat"]


def test_trafilatura_is_called_once_per_page(monkeypatch):
    calls = []
    import trafilatura

    orig = trafilatura.bare_extraction

    def counting(*a, **k):
        calls.append(1)
        return orig(*a, **k)
    monkeypatch.setattr(trafilatura, "bare_extraction", counting)
    body = "<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>"
    clean_document(RawDocument("a.html", "html", page(body)), S)
    assert len(calls) == 1


@pytest.mark.skipif(not SHARED.exists(), reason="shared bench pages not available")
def test_bench_pages_never_raise():
    pages = sorted((SHARED / "bench" / "html").glob("*.html"))[:25]
    for p in pages:
        art = clean_document(RawDocument(str(p), "html", p.read_bytes()), S)
        assert art.status in ("ok", "skipped"), (p.name, art.reason)
        assert art.status == "ok" or art.reason


# -- pages written after real outlet templates (tests/fixtures/html_real_templates) -----------------
TEMPLATES = Path(__file__).parent / "fixtures" / "html_real_templates"


def _bag_f1(pred: str, gold: str) -> float:
    import re
    from collections import Counter

    def bag(t):
        return Counter(w.casefold() for w in re.findall(r"\w+", t or ""))

    p, g = bag(pred), bag(gold)
    common = sum((p & g).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return 2 * prec * rec / (prec + rec)


@pytest.mark.parametrize("name", sorted(p.stem for p in TEMPLATES.glob("*.html")))
def test_outlet_template_page_story_at_least_as_good_as_trafilatura_alone(name):
    import trafilatura

    html = (TEMPLATES / f"{name}.html").read_bytes()
    truth = (TEMPLATES / f"{name}.txt").read_text(encoding="utf-8")
    art = clean_document(RawDocument(f"{name}.html", "html", html), S)
    assert art.status == "ok", art.reason
    ours, theirs = _bag_f1(art.text, truth), _bag_f1(trafilatura.extract(html) or "", truth)
    assert ours >= theirs and ours >= 0.95, (ours, theirs)
    for line in truth.splitlines():  # every story paragraph once (a dateline may go to metadata)
        assert art.text.count(line.split(" - ", 1)[-1].split(" – ", 1)[-1][-60:]) == 1, line
