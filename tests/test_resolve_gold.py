"""Dedup quality on the gold files: gold names -> resolve -> pairwise F1 against gold ids."""
from __future__ import annotations

import pytest

from pipeline.resolve import Prior, resolve
from pipeline.settings import Settings

from test_resolve_helpers import SAMPLE_GOLD, SEEDS_GOLD, gold_mentions, gold_replications, pairwise

SET = Settings()
needs_seeds = pytest.mark.skipif(not SEEDS_GOLD.exists(), reason="../shared/seeds is not present beside the repo")
needs_sample = pytest.mark.skipif(not SAMPLE_GOLD.exists(), reason="corpora/sample/gold.json not written yet")


def _score(paths):
    ms, gold, repls = [], [], []
    for k, p in enumerate(paths):
        m, g = gold_mentions(p, prefix=f"{k}:")
        ms += m
        gold += g
        repls += gold_replications(p, prefix=f"{k}:")
    res = resolve(ms, repls, Prior(), SET)
    by_key = {(m.article_id, m.name): m.innovation_id for m in res.mentions}
    pred = [by_key[(m.article_id, m.name)] for m in ms]
    return pairwise(gold, pred), res, ms, pred


@needs_seeds
def test_seeds_dedup_f1():
    (p, r, f), res, ms, pred = _score([SEEDS_GOLD])
    assert f >= 0.95, (p, r)
    ids = {(m.article_id, m.name): i for m, i in zip(ms, pred)}
    # the annotation guide's example: "Si Modis" (003) and "Si Modis Lutra" (004) are one innovation
    si = {i for (a, n), i in ids.items() if n in ("Si Modis", "Si Modis Lutra")}
    assert len(si) == 1
    # a replication's source and target stay two innovations
    (rep,) = res.replications
    assert rep.source_innovation_id and rep.target_innovation_id
    assert rep.source_innovation_id != rep.target_innovation_id


@needs_sample
def test_sample_dedup_f1():
    (p, r, f), *_ = _score([SAMPLE_GOLD])
    assert f >= 0.95, (p, r)


@needs_seeds
@needs_sample
def test_seeds_and_sample_together():
    (p, r, f), res, ms, pred = _score([SEEDS_GOLD, SAMPLE_GOLD])
    assert f >= 0.95, (p, r)
    # the same name in two regions stays two entries (Si Cantik: Pesisir Selatan and Sumedang)
    cantik = {i for m, i in zip(ms, pred) if m.name == "Si Cantik"}
    assert len(cantik) == 2
    # replications in the sample are linked to the right entries, never to themselves
    for rep in res.replications:
        assert rep.source_innovation_id, rep
        if rep.target_name:
            assert rep.target_innovation_id and rep.target_innovation_id != rep.source_innovation_id


@needs_seeds
def test_gold_aliases_and_long_forms_written_elsewhere_resolve_to_their_innovation():
    """Each gold alias, and each expansion written as the name, in an article of its own."""
    import json

    from pipeline.records import Mention

    paths = [p for p in (SEEDS_GOLD, SAMPLE_GOLD) if p.exists()]
    ms, gold = [], []
    for k, p in enumerate(paths):
        m, g = gold_mentions(p, prefix=f"{k}:")
        ms += m
        gold += g
        for art in json.loads(p.read_text(encoding="utf-8"))["articles"]:
            for inn in art["innovations"]:
                for j, alias in enumerate(inn.get("aliases") or []):
                    ms.append(Mention(f"alias{k}:{art['file']}:{j}", alias, region=inn.get("region", "")))
                    gold.append(inn["id"])
                if inn.get("expansion"):
                    ms.append(Mention(f"long{k}:{art['file']}", inn["expansion"], region=inn.get("region", ""),
                                      agency=inn.get("agency", "")))
                    gold.append(inn["id"])
    res = resolve(ms, [], Prior(), SET)
    by_key = {(m.article_id, m.name): m.innovation_id for m in res.mentions}
    p, r, f = pairwise(gold, [by_key[(m.article_id, m.name)] for m in ms])
    assert f >= 0.95, (p, r)
    assert any(x.decision == "merge: one name extends the other" for x in res.merges)  # Pripong Abong


@needs_seeds
def test_gold_entries_carry_owner_dates_and_events():
    (_, _, _), res, ms, pred = _score([SEEDS_GOLD])
    entry = {e.innovation_id: e for e in res.entries}
    si = entry[next(i for m, i in zip(ms, pred) if m.name == "Si Modis")]
    assert si.canonical_name == "Si Modis" and si.aliases == ("Si Modis Lutra",)  # the short form
    assert si.agency == "Diskominfo SP" and si.region == "Kabupaten Luwu Utara"
    assert si.province == "Provinsi Sulawesi Selatan"  # from the gazetteer: no mention gave it
    assert (si.first_seen, si.last_seen, si.n_articles) == ("2021-10-25", "2023-01-19", 2)
    assert [(e.year, e.stage) for e in si.events] == [(2021, "pengajuan proposal"), (2023, "pengajuan")]
    cakes = entry[next(i for m, i in zip(ms, pred) if m.name == "CAKES")]
    assert [e.stage for e in cakes.events] == ["lolos administrasi", "Top 20"]  # one year: by stage
