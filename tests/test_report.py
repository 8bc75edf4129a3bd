"""report.html: built from a small inovasi.sqlite written here (own rows, hostile strings)."""
from __future__ import annotations

import json
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from pipeline.report import build_report
from pipeline.report import charts, data, render
from pipeline.settings import Settings

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_CLOSE = "</script><script>alert(2)</script>"
XSS_ATTR = '"><b onmouseover=alert(3)>Prov</b>'
LS = "\u2028"


def _events(*evs) -> str:
    return json.dumps([dict(zip(("competition", "scope", "stage", "year", "article_id"), e)) for e in evs])


def fixture_tables() -> dict[str, pd.DataFrame]:
    articles = pd.DataFrame([
        dict(article_id="a01", source="in/belu.html", url="https://berita.example.id/belu-kipp", outlet="Berita NTT",
             title="Dua inovasi Belu melaju di KIPP provinsi", published="2023-05-29", status="ok", reason="",
             text="(article text is not embedded)", run_id=1),
        dict(article_id="a02", source="in/evil.html", url="javascript:alert(1)", outlet=XSS_IMG,
             title=XSS_SCRIPT + " judul", published="2023-06-01", status="ok", reason="", text="x", run_id=1),
        dict(article_id="a03", source="in/kemenkeu.txt", url="", outlet="", title="SIMBARA di tingkat nasional",
             published="2022-08-10", status="ok", reason="", text="x", run_id=1),
        dict(article_id="a04", source="in/short1.html", url="", outlet="", title="", published="",
             status="skipped", reason="too short (42 chars)", text="", run_id=1),
        dict(article_id="a05", source="in/short2.html", url="", outlet="", title="", published="",
             status="skipped", reason="too short (17 chars)", text="", run_id=2),
        dict(article_id="a06", source="in/bad.bin", url="", outlet="", title="", published="",
             status="failed", reason=XSS_SCRIPT, text="", run_id=2),
        dict(article_id="a07", source="in/en.html", url="", outlet="", title="", published="",
             status="skipped", reason="not Indonesian (en)", text="", run_id=2),
    ])
    registry = pd.DataFrame([
        dict(innovation_id="i000000000001", sector="adminduk", digital="false", canonical_name="JEMPOL PINK", aliases=json.dumps(["Jempol Pink"]),
             expansion="Jemput bola pelayanan administrasi kependudukan", agency="Disdukcapil",
             region="Kabupaten Belu", province="Nusa Tenggara Timur", first_seen="2023-05-29",
             last_seen="2023-05-29", n_articles=1,
             events=_events(("KIPP", "Provinsi NTT", "Top 20", 2023, "a01")), merged_ids="[]"),
        dict(innovation_id="i000000000002", sector="keuangan", digital="true", canonical_name="SIMBARA", aliases="[]", expansion="",
             agency="Kementerian Keuangan", region="Nasional", province="", first_seen="2022-08-10",
             last_seen="2022-08-10", n_articles=1,
             events=_events(("KIPP", "Nasional", "Top 45", 2022, "a03")), merged_ids="[]"),
        dict(innovation_id="i000000000003", sector="kesehatan", digital="", canonical_name=XSS_IMG, aliases=json.dumps([XSS_CLOSE]),
             expansion=XSS_SCRIPT, agency="RSUD Kefamenanu", region="Kabupaten Timor Tengah Utara",
             province=XSS_ATTR, first_seen="2023-06-01", last_seen="2023-06-01", n_articles=1,
             events="not json at all", merged_ids="[]"),
        dict(innovation_id="i000000000004", sector="kesehatan", digital="false", canonical_name="ANC Hipnoterapi", aliases="[]", expansion="",
             agency="Dinas Kesehatan", region="Kota Kupang", province="Nusa Tenggara Timur",
             first_seen="2023-05-29", last_seen="2023-05-29", n_articles=1,
             events=_events(("KIPP", "Nasional", "Top 99", 2021, "a01"), ("KIPP", "Nasional", "Top 45", 2022, "a01")),
             merged_ids="[]"),
        dict(innovation_id="i000000000005", sector="kesehatan", digital="", canonical_name="Hypnogreen", aliases="[]", expansion="",
             agency="Puskesmas Oesapa", region="Kota Kupang", province="Nusa Tenggara Timur",
             first_seen="2023-05-29", last_seen="2023-05-29", n_articles=1, events="[]", merged_ids="[]"),
        dict(innovation_id="i000000000006", sector="", digital="true", canonical_name="Layanan Élan “Cepat” ✓", aliases=json.dumps(["Élan"]),
             expansion="", agency="", region="Kabupaten Pesisir Selatan", province="Sumatera Barat",
             first_seen="2021-01-02", last_seen="2021-01-02", n_articles=2, events=None, merged_ids="[]"),
    ])
    mentions = pd.DataFrame([
        dict(article_id="a01", innovation_id="i000000000001", name="JEMPOL PINK", expansion="", agency="Disdukcapil",
             region="Kabupaten Belu", competition="KIPP", scope="Provinsi NTT", stage="Top 20", year=2023,
             evidence="Dinas Dukcapil Belu membawa JEMPOL PINK ke jajaran Top 20.", agency_canonical="",
             province="Nusa Tenggara Timur", people="[]", events="[]", published="2023-05-29"),
        dict(article_id="a02", innovation_id="i000000000003", name=XSS_IMG, expansion="", agency=XSS_SCRIPT,
             region="", competition="", scope="", stage="", year=None,
             evidence=f"Kalimat bukti {XSS_CLOSE} dengan pemisah{LS}baris & simbol > <.", agency_canonical="",
             province="", people="[]", events="[]", published="2023-06-01"),
        dict(article_id="a03", innovation_id="i000000000002", name="SIMBARA", expansion="", agency="Kemenkeu",
             region="Nasional", competition="KIPP", scope="Nasional", stage="Top 45", year=2022,
             evidence="SIMBARA dari Kemenkeu disebut sebagai contoh.", agency_canonical="", province="",
             people="[]", events="[]", published="2022-08-10"),
        dict(article_id="a01", innovation_id="", name="Tanpa registri", expansion="", agency="", region="",
             competition="", scope="", stage="", year=None, evidence="unresolved", agency_canonical="",
             province="", people="[]", events="[]", published=""),
    ])
    replications = pd.DataFrame([
        dict(article_id="a01", source_name="ANC Hipnoterapi", source_innovation_id="i000000000004",
             target_name="Hypnogreen", target_innovation_id="i000000000005", target_region="Kota Kupang",
             evidence="Puskesmas Oesapa mereplikasi ANC Hipnoterapi menjadi Hypnogreen.", source_region="Kota Kupang"),
        dict(article_id="a02", source_name=XSS_IMG, source_innovation_id="i000000000003", target_name="",
             target_innovation_id="", target_region=XSS_SCRIPT, evidence=XSS_CLOSE, source_region=""),
    ])
    runs = pd.DataFrame([
        dict(run_id=1, started="2024-03-01T10:00:00+00:00", finished="2024-03-01T10:00:42+00:00", status="ok",
             inputs="[]", n_read=4, n_ok=3, n_skipped=1, n_failed=0, n_mentions=4, n_innovations=6,
             n_replications=2, n_new_innovations=6, n_new_replications=2),
        dict(run_id=2, started="2024-03-02T09:00:00+00:00", finished="2024-03-02T09:03:30+00:00", status="ok",
             inputs="[]", n_read=3, n_ok=0, n_skipped=2, n_failed=1, n_mentions=0, n_innovations=6,
             n_replications=2, n_new_innovations=0, n_new_replications=0),
    ])
    return {"articles": articles, "registry": registry, "mentions": mentions,
            "replications": replications, "runs": runs}


def write_db(out: Path, tables: dict[str, pd.DataFrame]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(out / "inovasi.sqlite")
    try:
        for name, df in tables.items():
            df.to_sql(name, db, index=False)
    finally:
        db.close()
    return out


def make_output(out: Path) -> Path:
    return write_db(out, fixture_tables())


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the page's visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, d):
        if not (self._in and self._in[-1] in ("script", "style")):
            self.text.append(d)


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def data_island(html: str) -> tuple[str, dict]:
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert m, "no data island"
    return m.group(1), json.loads(m.group(1))


@pytest.fixture()
def report(tmp_path) -> tuple[Path, str]:
    path = build_report(make_output(tmp_path / "out"))
    return path, path.read_text(encoding="utf-8")


def test_writes_report_atomically(tmp_path):
    out = make_output(tmp_path / "out")
    (out / "report.html").write_text("old", encoding="utf-8")
    path = build_report(out)
    assert path == out / "report.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in out.iterdir()) == ["inovasi.sqlite", "report.html"]  # no temp file left


def test_missing_database_says_why(tmp_path):
    with pytest.raises(FileNotFoundError, match="inovasi.sqlite"):
        build_report(tmp_path)


def test_summary_counts_and_reasons(report):
    _, html = report
    text = " ".join(" ".join(parse(html).text).split())
    stats = dict(re.findall(r'<div class="stat"><b>([^<]*)</b><span>([^<]*)</span>', html)[i][::-1]
                 for i in range(7))
    assert stats == {"innovations": "6", "mentions": "4", "replications": "2", "provinces": "3",
                     "articles ok": "3", "articles read": "7", "runs": "2"}
    assert "ok 3" in text and "skipped 3" in text and "failed 1" in text
    # the two "too short" reasons differ only by a number: counted together
    assert re.search(r"too short \(N chars\).{0,200}?<td class=\"num\">2</td>", html, re.S)
    assert "not Indonesian (en)" in text
    # latest run first, with its duration
    assert "latest: run 2" in text and "3.5 min" in text and "42.0 s" in text


def test_registry_payload(report):
    _, html = report
    _, d = data_island(html)
    rows = {r[0]: dict(zip(d["cols"], r)) for r in d["rows"]}
    assert len(rows) == 6
    anc = rows["i000000000004"]
    assert anc["stages"] == ["KIPP · Top 99", "KIPP · Top 45"] and anc["years"] == [2021, 2022]
    assert anc["type"] == "Dinas" and rows["i000000000005"]["type"] == "Puskesmas"
    assert rows["i000000000002"]["type"] == "Kementerian" and rows["i000000000006"]["type"] == "(not stated)"
    assert rows["i000000000003"]["stages"] == []  # bad events JSON reads as none
    # mentions grouped by innovation, unresolved mention left out, article refs resolve
    assert set(d["mentions"]) == {"i000000000001", "i000000000002", "i000000000003"}
    ref = d["mentions"]["i000000000001"][0][0]
    assert d["articles"][ref][:3] == ["a01", "Dua inovasi Belu melaju di KIPP provinsi",
                                      "https://berita.example.id/belu-kipp"]
    # a javascript: URL is never passed on as a link; the source path is shown instead
    evil = d["articles"][d["mentions"]["i000000000003"][0][0]]
    assert evil[2] == "" and evil[3] == "in/evil.html"
    assert "text" not in html or "(article text is not embedded)" not in html


def test_malicious_strings_are_inert(report):
    _, html = report
    tags = parse(html)
    scripts = [a for t, a in tags.tags if t == "script"]
    assert scripts == [{"type": "application/json", "id": "data"}, {}]
    assert not [t for t, a in tags.tags if t in ("img", "iframe", "object", "embed")]
    assert not [(t, k) for t, a in tags.tags for k in a if k.startswith("on")]
    raw, d = data_island(html)
    assert "<" not in raw and ">" not in raw and "&" not in raw and LS not in raw
    # ...and the strings survive the round trip unchanged, to be shown as text
    names = [r[1] for r in d["rows"]]
    assert XSS_IMG in names
    assert any(XSS_CLOSE in m[6] for m in d["mentions"]["i000000000003"])
    text = "".join(tags.text)
    assert XSS_SCRIPT in text  # the failed article's reason, server-rendered as text
    assert XSS_IMG in text  # replication graph label
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_self_contained(report):
    _, html = report
    tags = parse(html)
    assert not [a for t, a in tags.tags if "src" in a]
    assert not [t for t, a in tags.tags if t == "link"]
    hrefs = [a["href"] for t, a in tags.tags if "href" in a]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert not re.search(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html, re.I)
    assert "@import" not in html and "@font-face" not in html
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    js = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    assert render.csp_hash(js) in csp  # the inline script is allowed by its hash, nothing else is


def test_charts_show_the_data(report):
    _, html = report
    prov = re.search(r'aria-label="Innovations by province".*?</svg>', html, re.S).group(0)
    assert "<title>Nusa Tenggara Timur: 3</title>" in prov
    assert 'data-q="Nusa Tenggara Timur"' in prov and "(none / national)" in prov
    assert 'data-q="(none / national)"' not in prov
    years = re.search(r'aria-label="Innovations by year".*?</svg>', html, re.S).group(0)
    assert re.findall(r"<title>(\d{4}): (\d+)</title>", years) == [("2021", "2"), ("2022", "2"), ("2023", "3")]
    stage = re.search(r'aria-label="Innovations by competition stage".*?</svg>', html, re.S).group(0)
    assert "<title>KIPP · Top 45: 2</title>" in stage
    graph = re.search(r'class="chart graph".*?</svg>', html, re.S).group(0)
    assert graph.count('class="edge"') == 2
    assert "<title>ANC Hipnoterapi · Kota Kupang → Hypnogreen · Kota Kupang (1)</title>" in graph


def test_sector_and_digital_charts(report):
    _, html = report
    sector = re.search(r'aria-label="Innovations by sector".*?</svg>', html, re.S).group(0)
    assert re.findall(r"<title>([^<:]+): (\d+)</title>", sector) == [
        ("kesehatan", "3"), ("(not stated)", "1"), ("adminduk", "1"), ("keuangan", "1")]
    assert 'data-q="sektor:kesehatan"' in sector and 'data-q="sektor:(not stated)"' not in sector
    digital = re.search(r'aria-label="Digital share of innovations".*?</svg>', html, re.S).group(0)
    assert re.findall(r"<title>([^<:]+): (\d+)</title>", digital) == [
        ("digital", "2"), ("not digital", "2"), ("not stated", "2")]
    assert ">2 (33%)<" in digital
    assert 'data-q="digital:ya"' in digital and 'data-q="digital:tidak"' in digital
    assert digital.count("data-q=") == 2  # 'not stated' is no search
    _, payload = data_island(html)
    col = {c: i for i, c in enumerate(payload["cols"])}
    rows = {r[col["id"]]: r for r in payload["rows"]}
    assert rows["i000000000002"][col["digital"]] == "digital:ya" and rows["i000000000002"][col["sector"]] == "keuangan"
    assert rows["i000000000006"][col["sector_q"]] == "" and rows["i000000000004"][col["digital"]] == "digital:tidak"


def test_empty_tables_and_missing_columns(tmp_path):
    empty = {name: df.iloc[0:0] for name, df in fixture_tables().items()}
    html = build_report(write_db(tmp_path / "empty", empty)).read_text(encoding="utf-8")
    assert "No articles in this output yet." in html and "No run recorded" in html
    assert "No replications found yet." in html
    assert data_island(html)[1]["rows"] == []
    # an old/minimal database: no runs table, registry without optional columns
    t = fixture_tables()
    minimal = {"registry": t["registry"][["innovation_id", "canonical_name"]], "articles": t["articles"][["article_id", "status"]]}
    html = build_report(write_db(tmp_path / "minimal", minimal)).read_text(encoding="utf-8")
    rows = data_island(html)[1]["rows"]
    assert len(rows) == 6 and rows[0][2] == [] and rows[0][7] == []


def test_settings_shape_the_payload(tmp_path):
    s = Settings.from_dict({"report": {"page_size": 7, "max_evidence_chars": 20, "max_mentions_per_innovation": 1}})
    t = fixture_tables()
    t["mentions"] = pd.concat([t["mentions"]] * 3, ignore_index=True)
    html = build_report(write_db(tmp_path / "o", t), s).read_text(encoding="utf-8")
    d = data_island(html)[1]
    assert d["pageSize"] == 7
    assert d["more"]["i000000000001"] == 2 and len(d["mentions"]["i000000000001"]) == 1
    assert all(len(m[6]) <= 20 for ms in d["mentions"].values() for m in ms)


def test_twenty_thousand_innovations(tmp_path):
    n = 20_000
    provinces = ["Nusa Tenggara Timur", "Sulawesi Selatan", "Jawa Timur", "Sumatera Barat", "Papua"]
    reg = pd.DataFrame({
        "innovation_id": [f"i{k:012x}" for k in range(n)],
        "canonical_name": [f"Inovasi Layanan {k}" for k in range(n)],
        "aliases": [json.dumps([f"IL{k}", f"Layanan-{k}"]) for k in range(n)],
        "expansion": ["Inovasi layanan publik yang diuji dalam tabel besar"] * n,
        "agency": [("Dinas Kesehatan", "Badan Pendapatan Daerah", "RSUD Daerah", "Puskesmas Kota")[k % 4] for k in range(n)],
        "region": [f"Kabupaten Uji {k % 400}" for k in range(n)],
        "province": [provinces[k % 5] for k in range(n)],
        "first_seen": ["2023-01-01"] * n, "last_seen": ["2023-02-01"] * n, "n_articles": [1 + k % 3 for k in range(n)],
        "events": [_events(("KIPP", "Nasional", "Top 99", 2020 + k % 4, f"a{k % 500:016x}")) for k in range(n)],
    })
    ment = pd.DataFrame({
        "article_id": [f"a{k % 500:016x}" for k in range(n)], "innovation_id": reg["innovation_id"],
        "name": reg["canonical_name"], "evidence": ["Kalimat bukti yang panjang sekali. " * 30] * n,
    })
    arts = pd.DataFrame({"article_id": [f"a{k:016x}" for k in range(500)], "status": "ok",
                         "url": [f"https://berita.example.id/{k}" for k in range(500)], "title": "Judul"})
    out = write_db(tmp_path / "big", {"registry": reg, "mentions": ment, "articles": arts})
    path = build_report(out)
    size = path.stat().st_size
    assert size < 15 * 1024 * 1024, size  # evidence is capped, article text is not embedded
    html = path.read_text(encoding="utf-8")
    d = data_island(html)[1]
    assert len(d["rows"]) == n and len(d["articles"]) == 500
    assert "<title>Papua: 4,000</title>" in html
    assert html.count("<tr") < 100  # the table is rendered client-side, a page at a time


# -- units ---------------------------------------------------------------------------------

def test_agency_types_and_reason_groups():
    rules = data.load_rules(Settings().report.rules_file)
    cases = {"Bagian Organisasi Setda": "Sekretariat / Bagian", "BKPSDM Kabupaten Belu": "Badan",
             "Disdukcapil": "Dinas", "RSUD Kefamenanu": "RSUD / Rumah Sakit", "Kementerian Keuangan": "Kementerian",
             "Polres Belu": "Kepolisian", "": "(not stated)", "Kelompok Tani Maju": "Other",
             "DPMPTSP Kota Gorontalo": "Dinas", "DPRD Kota Kupang": "Kantor / Lembaga lain"}
    assert {a: data.agency_type(a, rules) for a in cases} == cases
    assert data.group_reason("duplicate of a0123456789abcdef", rules) == "duplicate of <article>"
    assert data.group_reason("cannot read /tmp/in/x.html: 3 bytes", rules) == "cannot read <path>: N bytes"
    assert data.group_reason("HTTP 404 for https://x.id/a?b=1", rules) == "HTTP N for <url>"
    assert data.group_reason("  ", rules) == "(no reason given)"


def test_json_island_and_urls():
    s = render.json_island({"k": f"</script>{LS}\u2029&<!--"})
    assert "<" not in s and ">" not in s and "&" not in s and LS not in s and "\u2029" not in s
    assert json.loads(s) == {"k": f"</script>{LS}\u2029&<!--"}
    assert data.safe_url("https://x.id/a?b=1") == "https://x.id/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//x.id", "https://x.id/\"onclick=", "ftp://x"):
        assert data.safe_url(bad) == ""


def test_template_fill_is_single_pass():
    assert render.fill("{{A}}|{{B}}", {"A": "{{B}}", "B": "b"}) == "{{B}}|b"
    with pytest.raises(KeyError, match="C"):
        render.fill("{{C}}", {})


def test_replication_graph_is_deterministic_and_capped():
    reps = [{"source_name": f"S{k % 3}", "source_id": "", "source_region": "", "target_name": f"T{k}",
             "target_id": "", "target_region": "", "article_id": "", "evidence": ""} for k in range(10)]
    a = charts.replication_graph(reps, max_edges=4)
    assert a == charts.replication_graph(list(reversed(reps)), max_edges=4)
    assert a.count('class="edge"') == 4 and "Showing the 4 most frequent links of 10" in a
    assert charts.replication_graph([], max_edges=4).startswith('<p class="empty">')


def test_timeline_merges_repeated_events():
    from pipeline.report import _timeline
    evs = [{"competition": "KIPP", "scope": "Nasional", "stage": "Top 99", "year": 2021, "article_id": a}
           for a in ("a1", "a2", "a1", "zz")] + [
          {"competition": "KIPP", "scope": "Nasional", "stage": "Top 45", "year": 2022, "article_id": "a2"}]
    assert _timeline(evs, {"a1": 0, "a2": 1}) == [["KIPP", "Nasional", "Top 99", 2021, [0, 1]],
                                                  ["KIPP", "Nasional", "Top 45", 2022, [1]]]


def test_province_labels_are_shortened_on_the_chart():
    reg = fixture_tables()["registry"].assign(province=["Provinsi Bali", "Bali", "", "Prov. Papua", "Papua", "Papua"])
    view = data.registry_view(reg, Settings().report, data.load_rules(Settings().report.rules_file))
    assert dict(view.by_province) == {"Bali": 2, "Papua": 3, data.NO_PROVINCE: 1}
    assert view.rows[0][5] == "Provinsi Bali"  # the table keeps the name as resolved
