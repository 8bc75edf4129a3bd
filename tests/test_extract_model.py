"""The spaCy pipeline: build, save, load, rebuild on changed sources, one nlp.pipe; seed figures."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.extract import Extractor, build_model
from pipeline.extract.model import HASH_KEY, source_hash
from pipeline.records import Article
from pipeline.settings import CORPORA_DIR, Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture()
def settings(tmp_path):
    patterns = tmp_path / "patterns"
    shutil.copytree(CORPORA_DIR / "patterns", patterns)
    return Settings().with_section("extract", model_dir=str(tmp_path / "model"), patterns_dir=str(patterns),
                                   learned_dir="")


def test_build_saves_pipeline_with_source_hash(settings):
    path = build_model(settings)
    meta = json.loads((path / "meta.json").read_text())
    assert meta[HASH_KEY] == source_hash(settings)
    assert meta["pipeline"] == ["inovasi_sentences", "inovasi_rules"]
    assert (path / "inovasi_rules" / "rules.json").exists()


def test_load_rebuilds_when_patterns_change(settings, caplog):
    Extractor.load(settings)
    first = json.loads((Path(settings.extract.model_dir) / "meta.json").read_text())[HASH_KEY]
    names = Path(settings.extract.patterns_dir) / "names.json"
    data = json.loads(names.read_text())
    data["generic_words"].append("sampel")
    names.write_text(json.dumps(data))
    with caplog.at_level("WARNING"):
        Extractor.load(settings)
    second = json.loads((Path(settings.extract.model_dir) / "meta.json").read_text())[HASH_KEY]
    assert first != second and "rebuilding" in caplog.text


def test_saved_model_is_self_contained(settings):
    build_model(settings)
    import spacy

    import pipeline.extract.model  # noqa: F401  registers the factories

    nlp = spacy.load(settings.extract.model_dir)
    doc = nlp("Pemkab Alor mendorong inovasi Sekolah Laut (Dinas Pendidikan) dan Desa Air Bersih (Dinas PUPR).\n"
              "Baca juga: Inovasi Lain")
    assert len(list(doc.sents)) == 2
    found = [c.name for f in doc.user_data["inovasi"] for c in f.candidates if not c.reason]
    assert found == ["Sekolah Laut", "Desa Air Bersih"]


def test_the_text_path_finds_what_the_spacy_pipeline_finds(settings):
    # Extractor hands the text to the two components directly (they never read a token, so the
    # text is not tokenised); nlp(text) runs them on a tokenised doc: the same findings
    ex = Extractor.load(settings)
    paths = sorted((CORPORA_DIR / "sample").glob("*.txt"))[:30]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    arts = [Article(f"a{i}", p.name, "ok", text=t) for i, (p, t) in enumerate(zip(paths, texts))]
    direct = list(ex.findings_many(arts))
    assert sum(len(f.candidates) for fs in direct for f in fs) > 30
    assert direct == [ex.nlp(t).user_data["inovasi"] for t in texts]


def test_extract_many_keeps_order_and_status(settings):
    ex = Extractor.load(settings)
    arts = [Article("a1", "s1", "ok", text="Inovasi Pos Sehat milik Dinas Kesehatan Kota Kupang meraih juara.",
                    published="2022-01-01"),
            Article("a2", "s2", "skipped", reason="not Indonesian (en)", text="Inovasi Pos Sehat"),
            Article("a3", "s3", "ok", text="Tidak ada inovasi yang disebut di sini.", published="2022-01-01")]
    out = list(ex.extract_many(arts))
    assert [e.article_id for e in out] == ["a1", "a2", "a3"]
    assert [len(e.mentions) for e in out] == [1, 0, 0]
    m = out[0].mentions[0]
    assert (m.name, m.region, m.published) == ("Pos Sehat", "Kota Kupang", "2022-01-01")
    assert "Pos Sehat" in m.evidence


@pytest.mark.skipif(not (SHARED / "seeds" / "gold.json").exists(), reason="shared seeds absent")
def test_seed_articles_meet_the_floors(tmp_path):
    """Score the five seed articles with the shared scorer (cleaning done with pipeline.clean)."""
    from pipeline.clean import clean_document
    from pipeline.records import RawDocument

    ex = Extractor.load(Settings().with_section("extract", model_dir=str(tmp_path / "model")))
    import csv

    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    arts = [clean_document(RawDocument(str(p), "text", p.read_bytes()), Settings()) for p in seeds]
    gold = json.loads((SHARED / "seeds" / "gold.json").read_text())
    dates = {a["file"]: a["date"] for a in gold["articles"]}
    arts = [a.__class__(**{**a.__dict__, "published": a.published or dates[Path(a.source).name]}) for a in arts]
    with open(tmp_path / "articles.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["article_id", "source", "text"])
        for a in arts:
            w.writerow([a.article_id, a.source, a.text])
    with open(tmp_path / "mentions.csv", "w", newline="") as f, open(tmp_path / "replications.csv", "w", newline="") as g:
        w, r = csv.writer(f), csv.writer(g)
        w.writerow(["article_id", "innovation_id", "name", "agency", "agency_canonical", "region", "year"])
        r.writerow(["article_id", "source_name", "target_name", "target_region"])
        for e in ex.extract_many(arts):
            for m in e.mentions:
                w.writerow([m.article_id, m.name.lower() + m.region, m.name, m.agency, m.agency_canonical, m.region,
                            m.year or ""])
            for x in e.replications:
                r.writerow([x.article_id, x.source_name, x.target_name, x.target_region])
    res = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "--out", str(tmp_path),
                          str(SHARED / "seeds" / "gold.json"), "--min", "names=0.95", "--min", "agency=0.9",
                          "--min", "region=0.9", "--min", "year=0.9", "--min", "repl=1.0", "--quiet"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
