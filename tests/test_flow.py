"""Issue 18, the flow of a run: no import circle, stages import only earlier stages, duplicates and
per-host boilerplate decided in the clean stage before extraction, in an order-free way.

The stories here are made up from a word list (no real article text)."""
from __future__ import annotations

import ast
import json
import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT, read_table
from pipeline.clean import MemorySupport, decide
from pipeline.clean.dedup import DuplicateIndex
from pipeline.core import run
from pipeline.records import Article
from pipeline.settings import Settings
from pipeline.store import Store

PACKAGE = ROOT / "pipeline"
# the stages in the order data flows; a stage may import only stages before it
STAGES = ("collect", "clean", "extract", "resolve", "store", "publish")
PUBLISH = {"monitor", "report", "explain"}

_WORDS = ("pemerintah kabupaten kota dinas layanan warga desa puskesmas sekolah pasar aplikasi data kepala "
          "bupati camat petugas relawan kader posyandu antrean dokumen izin usaha petani nelayan anak ibu "
          "gizi air sampah jalan jembatan kantor program kegiatan bantuan kesehatan pendidikan").split()
_GLUE = "yang dan di untuk dengan dari ini itu pada akan juga dalam agar bagi oleh secara".split()


def story(seed: int, n_sentences: int = 6) -> str:
    """A made-up Indonesian-looking story: paragraphs of sentences of list words and function words."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(n_sentences):
        words = [rng.choice(_WORDS if i % 2 else _GLUE) for i in range(18)]
        sentences.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(" ".join(sentences[i:i + 2]) for i in range(0, n_sentences, 2))


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# -- the house --------------------------------------------------------------------------------
def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the pipeline modules it imports anywhere in its body (function-level imports too)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - max(node.level - 1, 0)] if node.level else []
                target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module
                out.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules)
                names_package = any(f"{target}.{a.name}" not in modules for a in node.names)
                if target in modules and target != "pipeline" and names_package:
                    out.add(target)  # "from . import x" of a submodule x names x, not the package
            elif isinstance(node, ast.Import):
                out.update(a.name for a in node.names if a.name in modules)
        out.discard(name)
        graph[name] = out
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_real_imports():
    graph = import_graph()
    assert "pipeline.work" in graph["pipeline.core"] and "pipeline.work" in graph["pipeline.distributed"]
    assert "pipeline.clean.edges" in graph["pipeline.clean.text"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle_in_pipeline():
    assert cycles(import_graph()) == []


def test_core_and_distributed_share_the_worker_module_and_not_each_other():
    graph = import_graph()
    assert "pipeline.core" not in graph["pipeline.distributed"]
    assert not graph["pipeline.work"] & {"pipeline.core", "pipeline.distributed"}
    tree = ast.parse((PACKAGE / "core.py").read_text(encoding="utf-8"))
    top = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert "distributed" not in top  # Dask is optional: imported only when a client is given


def _stage(module: str) -> str:
    part = module.split(".")[1] if "." in module else ""
    return "publish" if part in PUBLISH else part


def test_no_stage_imports_a_stage_after_it():
    later = []
    for module, targets in import_graph().items():
        src = _stage(module)
        for target in targets:
            dst = _stage(target)
            if src in STAGES and dst in STAGES and STAGES.index(dst) > STAGES.index(src):
                later.append(f"{module} -> {target}")
    assert later == []


# -- the decide phase alone ------------------------------------------------------------------------
class MemoryState:
    """A ``CleanState`` in memory (what the store gives ``decide`` in a run)."""

    def __init__(self, stored: dict[str, str] | None = None):
        self.line_support = MemorySupport()
        self.stored = stored or {}  # article_id -> text of a stored ok story, oldest first

    def has_article(self, article_id):
        return article_id in self.stored

    def iter_dedup_entries(self, params):
        for aid, text in self.stored.items():
            yield aid, "", None, text


def _article(aid: str, text: str, published: str = "", url: str = "", source: str = "") -> Article:
    import hashlib

    return Article(aid, source or f"{aid}.txt", "ok", url=url, published=published, text=text,
                   content_hash=hashlib.sha1(text.encode()).hexdigest())


def _outcome(decided) -> dict[str, tuple[str, str]]:
    return {a.source: (a.article_id, a.status, a.duplicate_of) for a, _ in decided}


def test_decide_gives_the_same_result_in_every_arrival_order():
    s = Settings()
    base, other = story(1), story(2)
    arts = [_article("a9", base, "2024-03-05"), _article("a5", base + "\n\nSalinan.", "2024-03-01"),
            _article("a1", base.replace("warga", "penduduk", 1), "2024-03-01"), _article("a7", other, ""),
            _article("a3", other, "2024-02-01"), _article("a3", other, "2024-02-01", source="again.txt")]
    signer = DuplicateIndex(s)
    items = [(a, signer.sign(a.text)) for a in arts]
    want = _outcome(decide(items, MemoryState(), s)[0])
    rng = random.Random(5)
    for _ in range(6):
        shuffled = items[:]
        rng.shuffle(shuffled)
        assert _outcome(decide(shuffled, MemoryState(), s)[0]) == want
    # the earliest published copy is kept, then the smallest id among the same date
    assert want["a1.txt"][1] == "ok" and want["a5.txt"][1:] == ("skipped", "a1")
    assert want["a9.txt"][1:] == ("skipped", "a1")
    assert want["a3.txt"] == ("a3", "ok", "") and want["a7.txt"][1:] == ("skipped", "a3")
    assert want["again.txt"][0] != "a3" and want["again.txt"][1:] == ("skipped", "a3")  # same id: its own row


def test_decide_keeps_a_stored_story_and_returns_signatures_of_kept_stories_only():
    s = Settings()
    old = story(3)
    decided, params = decide([(_article("b1", old, "2020-01-01"), None), (_article("b2", story(4)), None)],
                             MemoryState({"a0": old}), s)
    (first, sig1), (second, sig2) = decided
    assert first.duplicate_of == "a0" and sig1 is None  # stored first: an earlier date does not take over
    assert second.ok and sig2 is not None and len(sig2) == 4 * s.clean.near_dup_num_perm
    assert params == DuplicateIndex(s).params


# -- a run: duplicates never reach spaCy -----------------------------------------------------------
class Calls:
    def __init__(self, monkeypatch):
        from pipeline.extract import Extractor

        self.sources: list[str] = []
        real = Extractor.extract_many
        calls = self

        def counting(self, articles):
            articles = list(articles)
            calls.sources.extend(a.source for a in articles)
            return real(self, articles)

        monkeypatch.setattr(Extractor, "extract_many", counting)


def _dup_corpus(folder: Path) -> Path:
    """Four distinct stories, two copies (an exact repost, a near copy) and the fourth story's URL
    again with another title: a later version of that record, which replaces it (issue 19)."""
    recs = [{"url": f"https://kabar-{i}.example/berita/{i}", "date": f"2024-05-0{i + 1}", "title": f"Kabar {i}",
             "text": story(10 + i)} for i in range(4)]
    recs.append({"url": "https://ulang.example/salin", "date": "2024-05-09", "title": "Salinan",
                 "text": recs[1]["text"]})
    recs.append({"url": "https://ulang.example/mirip", "date": "2024-05-08", "title": "Mirip",
                 "text": recs[2]["text"] + "\n\nDisalin dari kantor berita."})
    recs.append({**recs[3], "title": "Lagi"})
    return write_jsonl(folder / "kabar.jsonl", recs)


def test_a_duplicate_never_reaches_the_extractor(tmp_path, monkeypatch):
    calls = Calls(monkeypatch)
    summary = run([_dup_corpus(tmp_path / "in")], tmp_path / "out", report=False)
    rows = {r["source"].rsplit("#", 1)[1]: r for r in read_table(tmp_path / "out" / "articles.csv")}
    dup = {s for s, r in rows.items() if r["reason"].startswith("duplicate of")}
    assert dup == {"L5", "L6"} and summary.n_skipped == 2 and set(rows) == {"L1", "L2", "L3", "L5", "L6", "L7"}
    assert rows["L7"]["status"] == "ok"  # the later version of the fourth story's URL replaced L4
    extracted = sorted(s.rsplit("#", 1)[1] for s in calls.sources)
    assert extracted == ["L1", "L2", "L3", "L7"]  # each kept article once, no duplicate


@pytest.mark.slow
def test_on_dask_too_a_duplicate_never_reaches_the_extractor(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    calls = Calls(monkeypatch)  # threads of this process: the patched extractor is the workers' too
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        summary = run([_dup_corpus(tmp_path / "in")], tmp_path / "out", client=client, report=False)
    finally:
        client.close()
        cluster.close()
    assert summary.n_skipped == 2
    assert sorted(s.rsplit("#", 1)[1] for s in calls.sources) == ["L1", "L2", "L3", "L7"]


def _kept(out: Path) -> dict[str, str]:
    return {r["title"]: r["status"] for r in read_table(out / "articles.csv")}


def test_the_kept_copy_is_the_earliest_published_whatever_the_arrival_order_or_batches(tmp_path):
    text = story(21)
    recs = [{"url": f"https://media-{k}.example/a", "date": d, "title": k, "text": text}
            for k, d in (("tiga", "2024-01-03"), ("satu", "2024-01-01"), ("dua", "2024-01-02"))]
    small = replace(Settings().with_section("extract", batch_size=1), batch_size=1)  # one per batch
    results = []
    for k, order in enumerate((recs, recs[::-1], recs[1:] + recs[:1])):
        for settings in (Settings(), small):
            out = tmp_path / f"out{k}{settings.batch_size}"
            run([write_jsonl(tmp_path / f"in{k}" / "x.jsonl", order)], out, settings, report=False)
            results.append(_kept(out))
    assert results[0] == {"satu": "ok", "dua": "skipped", "tiga": "skipped"}
    assert all(r == results[0] for r in results)


def test_a_stored_story_stays_kept_when_an_earlier_copy_arrives_in_a_later_run(tmp_path):
    text = story(31)
    out = tmp_path / "out"
    run([write_jsonl(tmp_path / "a" / "a.jsonl", [{"url": "https://b.example/1", "date": "2024-02-02",
                                                   "title": "nanti", "text": text}])], out, report=False)
    run([write_jsonl(tmp_path / "b" / "b.jsonl", [{"url": "https://a.example/1", "date": "2024-01-01",
                                                   "title": "dulu", "text": text}])], out, report=False)
    rows = {r["title"]: r for r in read_table(out / "articles.csv")}
    assert rows["nanti"]["status"] == "ok"  # its id and mentions were already published: they stay
    assert rows["dulu"]["status"] == "skipped" and rows["dulu"]["duplicate_of"] == rows["nanti"]["article_id"]


# -- per-host boilerplate learnt in a run ---------------------------------------------------------
TAGLINE = "Kabar Lembah Hijau, teman pagi warga lembah"
SYNDICATED = ("Balai besar wilayah sungai menyampaikan bahwa perbaikan tanggul di hilir akan selesai sebelum "
              "musim hujan tiba, sehingga warga di bantaran tidak perlu lagi mengungsi setiap kali air naik.")


def _page(host: str, i: int, extra: list[str]) -> dict:
    return {"url": f"https://{host}/berita/{i}", "date": "2024-06-01", "title": f"{host} {i}",
            "text": "\n\n".join([story(100 + i + 50 * len(host))] + extra)}


def test_a_short_line_on_many_pages_of_one_host_is_removed_from_all_and_persisted(tmp_path):
    s = Settings()
    n = s.clean.repetition_min_support + 2
    pages = [_page("lembah.example", i, [TAGLINE]) for i in range(n)]
    pages += [_page("bukit.example", i, [TAGLINE]) for i in range(2)]  # the same line, only two pages
    pages += [_page(f"media{i}.example", 99, [SYNDICATED, "Sumber: rilis balai."]) for i in range(n)]
    out = tmp_path / "out"
    run([write_jsonl(tmp_path / "in" / "p.jsonl", pages)], out, s, report=False)
    rows = read_table(out / "articles.csv")
    lembah = [r for r in rows if r["url"].startswith("https://lembah.example")]
    bukit = [r for r in rows if r["url"].startswith("https://bukit.example")]
    media = [r for r in rows if r["url"].startswith("https://media")]
    assert len(lembah) == n and all(r["status"] == "ok" and TAGLINE not in r["text"] for r in lembah)
    assert len(bukit) == 2 and all(TAGLINE in r["text"] for r in bukit)  # 2 pages teach nothing
    assert all(SYNDICATED in r["text"] for r in media if r["status"] == "ok")  # across hosts: a story
    log = [json.loads(line) for line in (out / "inovasi.log").read_text().splitlines()]
    stripped = [e for e in log if e["event"] == "article" and e.get("removed", {}).get("host_repeated")]
    assert len(stripped) == n
    db = sqlite3.connect(out / "state.sqlite")
    try:
        assert db.execute("SELECT COUNT(DISTINCT article_id) FROM host_lines WHERE host='lembah.example'"
                          ).fetchone()[0] == n
    finally:
        db.close()
    # the next night one more page of the host: the stored counts remove the line at once
    run([write_jsonl(tmp_path / "later" / "q.jsonl", [_page("lembah.example", 77, [TAGLINE])])], out, s,
        report=False)
    late = [r for r in read_table(out / "articles.csv") if r["url"].endswith("/berita/77")]
    assert late and TAGLINE not in late[0]["text"]


def test_one_page_with_a_line_teaches_nothing_even_with_a_min_support_of_one(tmp_path):
    s = Settings().with_section("clean", repetition_min_support=1)
    run([write_jsonl(tmp_path / "in" / "p.jsonl", [_page("sepi.example", 1, [TAGLINE])])], tmp_path / "out", s,
        report=False)
    assert TAGLINE in read_table(tmp_path / "out" / "articles.csv")[0]["text"]


def test_the_store_counts_distinct_articles_per_host_and_adding_again_changes_nothing(tmp_path):
    with Store(tmp_path) as store:
        support = store.line_support
        support.add("a.example", "a1", ["x", "y"])
        support.add("a.example", "a1", ["x"])
        support.add("a.example", "a2", ["x"])
        support.add("b.example", "b1", ["x"])
        assert support.support("a.example", ["x", "y", "z"]) == {"x": 2, "y": 1, "z": 0}
        assert support.support("b.example", ["x"]) == {"x": 1}
    with Store(tmp_path) as store:  # persisted
        assert store.line_support.support("a.example", ["x"]) == {"x": 2}
