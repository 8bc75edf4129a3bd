"""The learned name classifier: `inovasi train` on a tiny gold file, `inovasi run --model`,
the model's decisions, and features that never hold a candidate's own words.

Every article here is invented (invented outlets, places of the gazetteer, invented names)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.extract import Extractor
from pipeline.extract.features import ArticleView, span_features
from pipeline.extract.learn import NameModel, article_features, article_probs, decide
from pipeline.records import Article
from pipeline.settings import Settings

ARTICLES = {
    "t1.txt": ("KUPANG - Dinas Kesehatan Kota Kupang meluncurkan inovasi Sapa Bunda untuk ibu hamil. "
               "Kepala dinas mengatakan Sapa Bunda kini hadir di semua puskesmas.\n\n"
               "Warga menyambut baik layanan itu."),
    "t2.txt": ("ENDE - Pemkab Ende memperkenalkan aplikasi Lontar Desa milik Dinas Pemberdayaan Masyarakat dan Desa. "
               "Aplikasi Lontar Desa memuat data desa secara daring.\n\nBupati Ende hadir dalam acara itu."),
    "t3.txt": ("BELU - Inovasi Jaga Kali dari Dinas Lingkungan Hidup Kabupaten Belu masuk Top 45 KIPP 2023. "
               "Tim penilai memuji Jaga Kali karena melibatkan warga.\n\nCamat Atambua ikut mendampingi."),
    "t4.txt": ("SIKKA - Rumah Sakit Umum Daerah Sikka menghadirkan inovasi Antar Obat Cepat bagi pasien lansia. "
               "Direktur rumah sakit itu menyebut Antar Obat Cepat mengurangi antrean.\n\nPasien merasa terbantu."),
}
GOLD = {"articles": [
    {"file": "t1.txt", "date": "2023-03-01", "innovations": [{"id": "kupang-sapa-bunda", "name": "Sapa Bunda",
                                                              "agency": "Dinas Kesehatan", "region": "Kota Kupang"}]},
    {"file": "t2.txt", "date": "2023-04-01", "innovations": [{"id": "ende-lontar-desa", "name": "Lontar Desa",
                                                              "region": "Kabupaten Ende"}]},
    {"file": "t3.txt", "date": "2023-05-01", "innovations": [{"id": "belu-jaga-kali", "name": "Jaga Kali",
                                                              "region": "Kabupaten Belu"}]},
    {"file": "t4.txt", "date": "2023-06-01", "innovations": [{"id": "sikka-antar-obat", "name": "Antar Obat Cepat",
                                                              "region": "Kabupaten Sikka"}]},
]}


@pytest.fixture(scope="module")
def tiny_gold(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    (root / "articles").mkdir()
    for name, text in ARTICLES.items():
        (root / "articles" / name).write_text(text, encoding="utf-8")
    (root / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    return root / "gold.json"


@pytest.fixture(scope="module")
def trained(tiny_gold, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model") / "learned"
    res = CliRunner().invoke(app, ["train", str(tiny_gold), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_train_writes_the_model_and_its_record(trained, tiny_gold):
    model = NameModel.load(trained)
    assert model.weights and "bias" in model.weights
    record = json.loads((trained / "training.json").read_text())
    assert record["articles"] == 4 and 4 <= record["positives"] < record["proposals"]
    assert record["gold_files"][0]["path"] == str(tiny_gold) and len(record["gold_files"][0]["sha256"]) == 64
    assert record["seed"] == 0 and record["settings"]["learned_threshold"] == Settings().extract.learned_threshold


def test_training_is_deterministic(trained, tiny_gold, tmp_path):
    again = tmp_path / "again"
    assert CliRunner().invoke(app, ["train", str(tiny_gold), "--out", str(again)]).exit_code == 0
    assert (again / "names.json").read_text() == (trained / "names.json").read_text()


def test_run_with_the_trained_model(trained, tiny_gold, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", str(tiny_gold.parent / "articles"), "--out", str(out), "--quiet",
                                   "--no-report", "--model", str(trained)])
    assert res.exit_code == 0, res.output
    names = {row.split(",")[0] for row in (out / "mentions.csv").read_text().splitlines()[1:]}
    assert names  # the model trained on these articles finds names in them
    assert json.loads((out / "settings.json").read_text())["extract"]["learned_dir"] == str(trained)


def test_run_refuses_a_missing_model(tmp_path, tiny_gold):
    res = CliRunner().invoke(app, ["run", str(tiny_gold.parent / "articles"), "--out", str(tmp_path / "o"),
                                   "--model", str(tmp_path / "nowhere")])
    assert res.exit_code != 0 and "no learned model" in res.output


def _article(text: str) -> Article:
    return Article("a1", "s1", "ok", published="2023-01-01", text=text)


def test_the_model_decides(ex):
    text = "Dinas Sosial Kabupaten Alor meluncurkan inovasi Rumah Singgah Lansia untuk warga."
    [findings] = list(ex.findings_many([_article(text)]))
    assert [c.name for c in findings[0].candidates if not c.reason] == ["Rumah Singgah Lansia"]
    decide(findings, ex.rules, "", NameModel({"bias": -10.0}))  # rejects everything
    assert all(c.reason for c in findings[0].candidates)
    [findings] = list(ex.findings_many([_article(text)]))
    # a model that only likes spans the rules never read takes one of them, never two overlapping
    decide(findings, ex.rules, "", NameModel({"bias": -10.0, "via=gen": 20.0, "gaz_agency_head": -30.0}))
    added = [c for c in findings[0].candidates if c.via == "model"]
    assert added and all(not c.reason for c in added)
    spans = sorted((c.start, c.start + len(c.name)) for c in added)
    assert all(b <= a2 for (_, b), (a2, _) in zip(spans, spans[1:]))


def test_extractor_uses_its_model(ex):
    reject_all = Extractor(ex.nlp, ex.rules, ex.settings, NameModel({"bias": -10.0}))
    text = "Dinas Sosial Kabupaten Alor meluncurkan inovasi Rumah Singgah Lansia untuk warga."
    assert [m.name for m in ex.extract(_article(text)).mentions] == ["Rumah Singgah Lansia"]
    assert reject_all.extract(_article(text)).mentions == ()


def test_features_never_hold_the_candidates_own_words(ex):
    text = ("Pemkot Kupang meluncurkan inovasi Zorblatix Wendu untuk layanan air. "
            "Inovasi Zorblatix Wendu milik Dinas Perumahan itu dipuji warga.")
    [findings] = list(ex.findings_many([_article(text)]))
    props, feats = article_features(findings, ex.rules, "")
    assert any("Zorblatix" in p.name for p in props)
    for fs in feats:  # neither as the span's words nor as a neighbour of a shorter span
        assert not any("zorblatix" in k.lower() or "wendu" in k.lower() for k in fs)


def test_model_only_variant_drops_the_rule_features(ex):
    text = "Dinas Sosial Kabupaten Alor meluncurkan inovasi Rumah Singgah Lansia untuk warga."
    [findings] = list(ex.findings_many([_article(text)]))
    _, feats = article_features(findings, ex.rules, "", with_rules=False)
    assert feats and not any(k.startswith(("via=", "reason=", "rule_")) for fs in feats for k in fs)


def _sample_findings(ex, n=40):
    """The rule findings of the first ``n`` articles of corpora/sample (team-written)."""
    from pipeline.clean import clean_document
    from pipeline.records import RawDocument
    from pipeline.settings import CORPORA_DIR

    paths = sorted((CORPORA_DIR / "sample").glob("*.txt"))[:n]
    arts = [clean_document(RawDocument(p.name, "text", p.read_bytes()), ex.settings) for p in paths]
    return [(f, a.title) for f, a in zip(ex.findings_many(arts), arts) if a.ok]


@pytest.mark.parametrize("with_rules", [True, False])
def test_the_parts_score_equals_the_model_on_the_whole_features(ex, with_rules):
    # running weighs each part of the features once and shares it among the spans with the same
    # sentence, start, end or text (features.span_score); the oracle makes every span's features
    # in a view of its own (nothing shared): for every proposal both give the same probability
    model = NameModel.load(Settings().extract.learned_dir)
    model = NameModel(model.weights, model.threshold, with_rules, model.rule_threshold)
    checked = 0
    for findings, title in _sample_findings(ex):
        props, probs = article_probs(findings, ex.rules, title, model)
        for p, prob in zip(props, probs):
            alone = span_features(p, ArticleView(findings, ex.rules, title, props), with_rules)
            assert prob == pytest.approx(model.prob(alone), abs=1e-12)
        checked += len(props)
    assert checked > 1000


def test_features_are_indicators(ex):
    # a logistic regression over 0/1 features: no value but 1 (the parts' sums rely on it)
    for findings, title in _sample_findings(ex, 10):
        _, feats = article_features(findings, ex.rules, title)
        assert {v for fs in feats for v in fs.values()} == {1}
