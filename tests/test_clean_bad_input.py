"""Bad input never raises: every case becomes an Article with a status and a reason."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings as hsettings, strategies as st

import pipeline.clean.document as document
from pipeline.clean import article_id_for, clean_document
from pipeline.records import RawDocument
from pipeline.settings import Settings

S = Settings()
ID_TEXT = ("Pemerintah Kabupaten Sikka meluncurkan inovasi Posyandu Remaja untuk mencegah pernikahan dini. "
           "Menurut kepala dinas kesehatan, kegiatan itu digelar setiap bulan di balai desa dan diikuti "
           "puluhan remaja. “Kami ingin remaja datang tanpa rasa malu,” ujarnya di Maumere, Jumat (3/5/2024).")
EN_TEXT = ("The provincial government launched a new public service app on Monday. Officials said the tool "
           "lets residents request documents online and track their applications without visiting an office. "
           "The governor said the service would be extended to every district by the end of the year.")


def doc(content, kind="text", source="x.txt", **kw):
    return clean_document(RawDocument(source, kind, content, **kw), S)


@pytest.mark.parametrize("content,reason", [
    (b"", "empty input"),
    (b"   \n\t \r\n ", "empty input (whitespace only)"),
    ("", "empty input"),
])
def test_empty(content, reason):
    art = doc(content)
    assert (art.status, art.reason) == ("skipped", reason)


@pytest.mark.parametrize("kind,source", [("html", "a.html"), ("text", "a.txt")])
@pytest.mark.parametrize("payload,name", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "pdf"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "jpeg"),
    (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "gif"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "zip"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "gzip"),
])
def test_binary_content_whatever_the_extension(kind, source, payload, name):
    art = doc(payload + bytes(range(256)) * 4, kind, source)
    assert (art.status, art.reason) == ("skipped", f"binary content ({name})")
    assert art.content_hash  # the raw bytes' hash, for the record


def test_nul_bytes_are_binary():
    art = doc(b"teks biasa\x00\x00\x01\x02" * 50)
    assert (art.status, art.reason) == ("skipped", "binary content (NUL bytes)")


def test_one_stray_nul_in_a_long_text_is_dropped_not_fatal():
    art = doc((ID_TEXT[:100] + "\x00" + ID_TEXT[100:]).encode())
    assert art.status == "ok" and art.text == ID_TEXT


def test_truncated_html_cut_mid_tag():
    page = ("<html><head><title>Posyandu Remaja Sikka</title></head><body><article><p>"
            + ID_TEXT + "</p><p>Kegiatan berikutnya dijadwalkan bulan depan di desa lain.</p><p class=\"ca")
    art = doc(page.encode("utf-8"), "html", "cut.html")
    assert art.status == "ok", art.reason
    assert "Posyandu Remaja untuk mencegah pernikahan dini" in art.text
    assert "class=" not in art.text


def test_html_with_no_body_text():
    page = b"<html><head><title>Kosong</title><script>var a=1;</script></head><body><div></div></body></html>"
    art = doc(page, "html", "empty.html")
    assert art.status == "skipped"
    assert art.reason in ("no text found in HTML",) or art.reason.startswith("too short")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
@pytest.mark.parametrize("extra", [" Kafé Inovasi dibuka – gratis.", " Kafé Inovasi dan naïve dibuka – gratis."])
def test_legacy_single_byte_encodings(encoding, extra):
    text = ID_TEXT.replace("“", '"').replace("”", '"') + extra
    if encoding == "latin-1":
        text = text.replace("–", "-")
    art = doc(text.encode(encoding))
    assert art.status == "ok", art.reason
    assert extra.strip().replace("–", "-" if encoding == "latin-1" else "–") in art.text
    assert "Posyandu Remaja" in art.text


def test_meta_charset_is_honoured():
    page = ("<html><head><meta charset=\"windows-1252\"><title>Kafé</title></head><body><p>"
            + ID_TEXT + " Kafé Inovasi dibuka.</p></body></html>")
    art = doc(page.encode("cp1252"), "html", "a.html")
    assert art.status == "ok" and "Kafé Inovasi dibuka." in art.text and "“Kami ingin" in art.text


def test_utf8_mojibake_is_repaired():
    # UTF-8 bytes read as Windows-1252 (bytes cp1252 leaves undefined become U+0081..): “ -> â€œ
    broken = "".join(chr(b) if b in (0x81, 0x8d, 0x8f, 0x90, 0x9d) else bytes([b]).decode("cp1252")
                     for b in ID_TEXT.encode("utf-8"))
    art = doc(broken.encode("utf-8"))
    assert art.status == "ok" and "“Kami ingin remaja" in art.text and "â€" not in art.text


@pytest.mark.parametrize("enc", ["utf-16", "utf-16-be-bom", "utf-8-sig", "utf-16-le-nobom"])
def test_unicode_with_bom_or_utf16(enc):
    if enc == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + ID_TEXT.encode("utf-16-be")
    elif enc == "utf-16-le-nobom":
        data = ID_TEXT.encode("utf-16-le")
    else:
        data = ID_TEXT.encode(enc)
    art = doc(data)
    assert art.status == "ok", art.reason
    assert art.text == ID_TEXT


def test_english_article_is_skipped_with_the_language():
    art = doc(EN_TEXT.encode())
    assert (art.status, art.reason) == ("skipped", "not Indonesian (en)")
    assert art.language == "en"


def test_too_short():
    art = doc(b"Inovasi baru diluncurkan.")
    assert (art.status, art.reason) == ("skipped", "too short (25 chars)")


def test_very_long_lines_are_handled():
    long_para = " ".join([ID_TEXT] * 400)  # one ~100 KB line
    junk = "a=" + "b" * 50_000 + "!"  # attribute-like monster: must not backtrack
    art = doc((long_para + "\n" + junk + "\n" + "<div " + "x" * 30_000).encode())
    assert art.status == "ok"
    assert art.text.startswith(ID_TEXT)


def test_html_in_a_txt_file_is_read_as_html():
    page = f"<!DOCTYPE html><html><body><article><p>{ID_TEXT}</p></article></body></html>"
    art = doc(page.encode(), "text", "page.txt")
    assert art.status == "ok" and art.text == ID_TEXT


def test_ad_snippet_in_a_txt_file_does_not_make_it_html():
    text = f"{ID_TEXT}\n<iframe data-type=\"ads\">\n</iframe>\nParagraf kedua tentang jadwal posyandu remaja."
    art = doc(text.encode(), "text", "a.txt")
    assert art.text == f"{ID_TEXT}\n\nParagraf kedua tentang jadwal posyandu remaja."


def test_plain_text_in_an_html_file_is_read_as_text():
    art = doc((ID_TEXT + "\n\nParagraf kedua tentang jadwal.").encode(), "html", "a.html")
    assert art.status == "ok" and art.text == ID_TEXT + "\n\nParagraf kedua tentang jadwal."


def test_reader_status_passes_through():
    raw = RawDocument("big.html", "html", b"", status="skipped", reason="file too large (30.0 MB > 20.0 MB limit)")
    art = clean_document(raw, S)
    assert (art.status, art.reason) == ("skipped", "file too large (30.0 MB > 20.0 MB limit)")
    raw = RawDocument("x.jsonl#L2", "unknown", b"{", status="failed", reason="invalid JSON line: ...")
    assert clean_document(raw, S).status == "failed"


def test_internal_error_becomes_failed_with_the_exception(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("lxml exploded")
    monkeypatch.setattr(document, "extract_html", boom)
    art = doc(f"<html><body><p>{ID_TEXT}</p></body></html>".encode(), "html", "a.html")
    assert (art.status, art.reason) == ("failed", "RuntimeError: lxml exploded")


def test_content_of_a_wrong_type_fails_cleanly():
    art = clean_document(RawDocument("odd", "text", 12345), S)  # type: ignore[arg-type]
    assert art.status == "failed"
    assert art.reason.split(":")[0] in ("TypeError", "AttributeError")


def test_article_ids():
    a = RawDocument("a.html", "html", b"x", url="https://Example.com/berita/1?b=2&a=1#atas")
    b = RawDocument("b.html", "html", b"y", url="https://example.com/berita/1?a=1&b=2")
    assert article_id_for(a) == article_id_for(b)  # canonical URL, not content
    c = RawDocument("c.txt", "text", "teks")
    d = RawDocument("d.txt", "text", b"teks")
    assert article_id_for(c) == article_id_for(d) and article_id_for(c).startswith("a") and len(article_id_for(c)) == 17
    assert article_id_for(c) != article_id_for(RawDocument("e.txt", "text", b"teks lain"))


@hsettings(max_examples=60, deadline=None)
@given(data=st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda a, b: (a + b).encode("utf-8", "surrogatepass"),
              st.sampled_from(["<html><body><p>", "<!DOCTYPE html><div>", "<p class='", "%PDF", "\ufeff"]),
              st.text(max_size=800)),
), kind=st.sampled_from(["html", "text", "unknown"]))
def test_any_bytes_give_an_article_with_a_reason(data, kind):
    art = doc(data, kind, "fuzz.bin")
    assert art.status in ("ok", "skipped", "failed")
    assert art.status == "ok" or art.reason
    assert art.article_id.startswith("a") and len(art.article_id) == 17


def test_other_encodings_go_through_charset_detection():
    # Shift-JIS punctuation uses byte 0x81, which cp1252 leaves undefined: charset-normalizer decides
    text = "東京都は新しい行政サービスを始めました。住民は書類をオンラインで申請できます。" * 4
    art = doc(text.encode("shift_jis"))
    assert art.status == "skipped" and art.reason == "not Indonesian (ja)"
