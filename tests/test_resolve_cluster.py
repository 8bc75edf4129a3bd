"""Clustering: against a networkx oracle of the true same-innovation graph, and no chaining."""
from __future__ import annotations

import networkx as nx

from pipeline.records import Mention, Replication
from pipeline.resolve import Prior, resolve
from pipeline.resolve.normalise import StaticOwners
from pipeline.settings import Settings

from test_resolve_helpers import bench_module, pairwise

SET = Settings()


def oracle_components(truth: list) -> list[int]:
    """Connected components of the TRUE graph (an edge between mentions of one innovation)."""
    g = nx.Graph()
    g.add_nodes_from(range(len(truth)))
    first: dict = {}
    for i, t in enumerate(truth):
        if t in first:
            g.add_edge(first[t], i)
        else:
            first[t] = i
    label = {}
    for ci, comp in enumerate(nx.connected_components(g)):
        for i in comp:
            label[i] = ci
    return [label[i] for i in range(len(truth))]


def test_clusters_match_the_oracle_on_a_labelled_synthetic_set():
    bench = bench_module()
    mentions, truth = bench.generate(4000, seed=11, n_regions=40)
    res = resolve(mentions, [], Prior(), SET)
    by_key = {(m.article_id, m.name, m.region, m.agency, m.expansion): m.innovation_id for m in res.mentions}
    pred = [by_key[(m.article_id, m.name, m.region, m.agency, m.expansion)] for m in mentions]
    p, r, f = pairwise(oracle_components(truth), pred)
    assert p >= 0.97, (p, r)
    assert r >= 0.93, (p, r)
    assert f >= 0.95


def _chain(base: str, steps: int) -> list[str]:
    # each name differs from the previous one by one letter, at a new position
    out, cur = [base], list(base)
    for k in range(steps):
        pos = 2 + 3 * k
        cur[pos] = "x" if cur[pos] != "x" else "y"
        out.append("".join(cur))
    return out


def test_no_chaining_of_unrelated_names():
    names = _chain("kampungberdayadigital", 6)
    ms = [Mention(f"a{i}", n, region="Kabupaten Luwu Utara") for i, n in enumerate(names)]
    res = resolve(ms, [], Prior(), SET, owners=StaticOwners())
    ids = {m.name: m.innovation_id for m in res.mentions}
    # plain connected components of accepted pairwise links would join the whole chain
    assert ids[names[0]] != ids[names[-1]]
    assert len(set(ids.values())) >= 2
    # each entry is supported against its canonical name
    from rapidfuzz import fuzz

    for e in res.entries:
        for alias in e.aliases:
            assert fuzz.ratio(alias, e.canonical_name) >= SET.resolve.name_threshold - 2 * SET.resolve.same_owner_bonus


def test_same_name_in_two_regions_is_two_entries_and_a_regionless_mention_joins_one():
    ms = [Mention("a1", "JEMPOL PINK", region="Kabupaten Belu", agency="Disdukcapil"),
          Mention("a2", "Jempol Pink", region="Kabupaten Malaka", agency="Disdukcapil"),
          Mention("a3", "Jempol-Pink", region="")]
    res = resolve(ms, [Replication("a2", "Jempol Pink", "", "Kabupaten Malaka", source_region="Kabupaten Belu")],
                  Prior(), SET, owners=StaticOwners())
    assert len(res.entries) == 2
    ids = {m.article_id: m.innovation_id for m in res.mentions}
    assert ids["a1"] != ids["a2"]
    assert ids["a3"] in (ids["a1"], ids["a2"])
    assert any(x.decision.startswith("forbidden") for x in res.merges)
    # the replication points at the source in Belu (its region), not at the article's own mention
    (rep,) = res.replications
    assert rep.source_innovation_id in (ids["a1"], ids["a2"])


def test_replication_source_and_target_are_never_merged():
    lutra = "Kabupaten Luwu Utara"
    ms = [Mention("a1", "ANC Hipnoterapi", region=lutra), Mention("a1", "ANC Hipnoterapi Hijau", region=lutra),
          Mention("a2", "ANC Hipnoterapi", region=lutra)]
    without = resolve(ms, [], Prior(), SET, owners=StaticOwners())
    assert len(without.entries) == 1  # an extension of the name in the same region
    rep = Replication("a1", "ANC Hipnoterapi", "ANC Hipnoterapi Hijau")
    res = resolve(ms, [rep], Prior(), SET, owners=StaticOwners())
    assert len(res.entries) == 2
    (r,) = res.replications
    assert r.source_innovation_id and r.target_innovation_id
    assert r.source_innovation_id != r.target_innovation_id
    src = {m.innovation_id for m in res.mentions if m.name == "ANC Hipnoterapi"}
    assert src == {r.source_innovation_id}
