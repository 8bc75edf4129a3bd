import json

from pipeline.collect import iter_documents, plan_units, read_unit
from pipeline.settings import Settings

S = Settings()


def test_folders_are_walked_recursively_in_stable_order_and_only_known_types(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.html").write_text("<p>x</p>")
    (tmp_path / "one.txt").write_text("teks")
    (tmp_path / "gold.json").write_text("{}")
    (tmp_path / "README.md").write_text("# not an article")
    (tmp_path / ".hidden.txt").write_text("no")
    units = plan_units([tmp_path], S)
    assert [u.path.split("/")[-1] for u in units] == ["two.html", "one.txt"]
    assert [u.fmt for u in units] == ["html", "text"]
    assert plan_units([tmp_path, tmp_path / "one.txt"], S) == units  # no duplicates


def test_an_explicit_unsupported_file_becomes_a_skipped_row(tmp_path):
    f = tmp_path / "notes.docx"
    f.write_bytes(b"PK\x03\x04")
    [doc] = list(iter_documents([f], S))
    assert doc.status == "skipped" and "unsupported file type (.docx)" in doc.reason


def test_a_missing_file_becomes_a_failed_row(tmp_path):
    [doc] = list(iter_documents([tmp_path / "gone.txt"], S))
    assert doc.status == "failed" and doc.reason == "file not found"


def test_a_file_over_the_size_limit_is_skipped_without_reading_it(tmp_path):
    f = tmp_path / "big.html"
    f.write_bytes(b"<p>" + b"a" * 5000 + b"</p>")
    small = S.with_section("read", max_input_bytes=1000)
    [doc] = list(read_unit(plan_units([f], small)[0], small))
    assert doc.status == "skipped" and "file too large" in doc.reason and doc.content == b""


def test_jsonl_records_are_named_by_line_and_bad_lines_become_rows(tmp_path):
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"url": "https://a.example/1", "title": "Satu", "date": "2023-05-01", "text": "isi satu"}),
        "",
        "{not json",
        json.dumps({"url": "https://a.example/2", "html": "<html><p>dua</p></html>"}),
        json.dumps({"url": "https://a.example/3"}),
        json.dumps(["a", "list"]),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(iter_documents([f], S))
    assert [d.source.rsplit("#", 1)[1] for d in docs] == ["L1", "L3", "L4", "L5", "L6"]
    ok1, bad, ok2, empty, notobj = docs
    assert (ok1.kind, ok1.content, ok1.title, ok1.published, ok1.url) == (
        "text", "isi satu", "Satu", "2023-05-01", "https://a.example/1")
    assert bad.status == "failed" and "invalid JSON" in bad.reason
    assert ok2.kind == "html" and ok2.status == "ok"
    assert empty.status == "skipped" and "neither html nor text" in empty.reason
    assert notobj.status == "failed"


def test_unit_signature_changes_when_the_file_changes(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("satu")
    before = plan_units([f], S)[0].signature
    f.write_text("satu dua tiga")
    assert plan_units([f], S)[0].signature != before
