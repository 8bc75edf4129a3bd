"""Innovation ids (resolve/ids.py): content-derived and order-free, published ids never dangle.

The rule: a cluster's id comes from its founding mention (earliest published, then smallest
mention key); an earlier id that is no longer live is an alias of the entry holding most of its
mentions, or a tombstone when none is left.
"""
from __future__ import annotations

import random
import re

from pipeline.records import Mention
from pipeline.resolve import Prior, mention_key, resolve
from pipeline.resolve.ids import content_id
from pipeline.resolve.normalise import StaticOwners
from pipeline.settings import Settings

from test_resolve_helpers import bench_module

SET = Settings()
LUTRA, BELU = "Kabupaten Luwu Utara", "Kabupaten Belu"
REG = StaticOwners({LUTRA: ["Lutra", "Luwu Utara"]})


def prior_of(res, withdrawn: dict | None = None) -> Prior:
    return Prior({mention_key(m): m.innovation_id for m in res.mentions}, dict(res.id_aliases),
                 dict(res.id_order), withdrawn if withdrawn is not None else {t: 1 for t in res.tombstones})


def ids_by_key(res) -> dict[str, str]:
    return {mention_key(m): m.innovation_id for m in res.mentions}


def test_id_format_and_content_derivation():
    ms = [Mention("a1", "Si Modis", region=LUTRA, published="2023-01-19"),
          Mention("a2", "Si Modis Lutra", region=LUTRA, published="2021-10-25")]
    res = resolve(ms, [], Prior(), SET, owners=REG)
    (e,) = res.entries
    assert re.fullmatch(r"i[0-9a-f]{12}", e.innovation_id)
    # founded by the earliest mention (a2, 2021): its key alone decides the id
    assert e.innovation_id == content_id(mention_key(ms[1]))
    alone = resolve(ms[1:], [], Prior(), SET, owners=REG)
    assert alone.entries[0].innovation_id == e.innovation_id


def _in_runs(mentions, parts, owners=None):
    prior, res = Prior(), None
    for part in parts:
        res = resolve(part, [], prior, SET, owners=owners)
        prior = prior_of(res)
    return res


def test_the_same_mentions_give_the_same_ids_in_one_run_in_halves_and_in_reverse():
    mentions, _ = bench_module().generate(1200, seed=5, n_regions=30)
    rng = random.Random(3)
    shuffled = mentions[:]
    rng.shuffle(shuffled)
    h = len(shuffled) // 2
    once = ids_by_key(resolve(mentions, [], Prior(), SET))
    halves = _in_runs(mentions, [shuffled[:h], shuffled])
    reverse = _in_runs(mentions, [shuffled[h:], shuffled[::-1]])
    assert ids_by_key(halves) == once == ids_by_key(reverse)
    # the entries are the same too (apart from the ids the earlier run published, now aliases)
    strip = lambda res: sorted((e.innovation_id, e.canonical_name, e.n_articles, e.events) for e in res.entries)
    assert strip(halves) == strip(reverse) == strip(resolve(mentions, [], Prior(), SET))


def test_every_id_of_an_earlier_run_still_resolves():
    mentions, _ = bench_module().generate(1200, seed=5, n_regions=30)
    rng = random.Random(7)
    rng.shuffle(mentions)
    run1 = resolve(mentions[:600], [], Prior(), SET)
    run2 = resolve(mentions, [], prior_of(run1), SET)
    before, after = ids_by_key(run1), ids_by_key(run2)
    live = {e.innovation_id for e in run2.entries}
    assert set(before.values()) != set(after.values())  # arrival in halves did change some ids ...
    for key, iid in before.items():
        # ... and each is still an entry, or an alias of an entry (the one most of its mentions went to)
        assert iid in live or run2.id_aliases.get(iid) in live
    assert not run2.tombstones  # nothing was withdrawn
    # a third run with the same mentions changes nothing
    run3 = resolve(mentions, [], prior_of(run2), SET)
    assert ids_by_key(run3) == after and run3.id_aliases == run2.id_aliases


def test_a_nightly_run_of_newer_articles_keeps_almost_every_id():
    mentions, _ = bench_module().generate(1200, seed=5, n_regions=30)
    mentions.sort(key=lambda m: (m.published, m.article_id))
    run1 = resolve(mentions[:600], [], Prior(), SET)
    run2 = resolve(mentions, [], prior_of(run1), SET)
    before, after = ids_by_key(run1), ids_by_key(run2)
    kept = sum(after[k] == v for k, v in before.items())
    # newer mentions never found a cluster that has older ones: only merges of two entries move ids
    assert kept / len(before) > 0.97


def test_a_merge_keeps_the_founders_id_and_the_other_becomes_an_alias():
    first = [Mention("a1", "Pildacil", region="", published="2023-01-01"),
             Mention("a2", "Pildacil Desa", region=LUTRA, published="2023-02-01")]
    run1 = resolve(first, [], Prior(), SET, owners=REG)
    assert len(run1.entries) == 2  # no owner evidence joins them yet
    id1, id2 = (ids_by_key(run1)[mention_key(m)] for m in first)
    # a new mention names it in Luwu Utara: now one innovation, founded by a1 (the earliest)
    more = first + [Mention("a3", "Pildacil", region=LUTRA, published="2023-03-01")]
    run2 = resolve(more, [], prior_of(run1), SET, owners=REG)
    (e,) = run2.entries
    assert e.innovation_id == id1
    assert run2.id_aliases == {id2: id1} and e.merged_ids == (id2,)
    # the same three mentions in one run: the same id (only the alias is history)
    assert resolve(more, [], Prior(), SET, owners=REG).entries[0].innovation_id == id1
    # a third run keeps resolving the retired id
    run3 = resolve(more, [], prior_of(run2), SET, owners=REG)
    assert run3.entries[0].innovation_id == id1 and run3.id_aliases[id2] == id1


def test_an_earlier_article_arriving_later_moves_the_id_and_the_old_one_resolves():
    later = [Mention("b1", "Kartu Tani", region=BELU, published="2024-05-01")]
    run1 = resolve(later, [], Prior(), SET)
    (old,) = ids_by_key(run1).values()
    earlier = Mention("b0", "Kartu Tani", region=BELU, published="2019-02-01")
    run2 = resolve(later + [earlier], [], prior_of(run1), SET)
    (e,) = run2.entries
    assert e.innovation_id == content_id(mention_key(earlier)) != old
    assert run2.id_aliases == {old: e.innovation_id}


def test_a_split_keeps_the_id_on_the_founders_part_and_the_other_names_it():
    ms = [Mention("a1", "Kartu Sehat", region="", published="2022-01-01"),
          Mention("a2", "Kartu Sehat", region="", published="2022-02-01"),
          Mention("a3", "Kartu Sehat", region="", published="2022-03-01")]
    run1 = resolve(ms, [], Prior(), SET, owners=REG)
    (old,) = {e.innovation_id for e in run1.entries}
    # the extractor now knows the regions: two innovations
    ms2 = [Mention("a1", "Kartu Sehat", region=LUTRA, published="2022-01-01"),
           Mention("a2", "Kartu Sehat", region=BELU, published="2022-02-01"),
           Mention("a3", "Kartu Sehat", region=LUTRA, published="2022-03-01")]
    run2 = resolve(ms2, [], prior_of(run1), SET, owners=REG)
    assert len(run2.entries) == 2
    ids = ids_by_key(run2)
    assert ids[mention_key(ms2[0])] == old == ids[mention_key(ms2[2])]
    other = next(e for e in run2.entries if e.innovation_id != old)
    assert other.innovation_id == content_id(mention_key(ms2[1])) and other.split_from == (old,)
    assert old not in run2.id_aliases


def test_an_id_with_no_mention_left_is_a_tombstone_until_it_comes_back():
    a = Mention("c1", "Sipadu", region=BELU, published="2022-01-01")
    b = Mention("c2", "Lapor Cepat", region=BELU, published="2022-01-02")
    run1 = resolve([a, b], [], Prior(), SET)
    ida = ids_by_key(run1)[mention_key(a)]
    run2 = resolve([b], [], prior_of(run1), SET)  # c1 corrected away, or its file removed
    assert run2.tombstones == (ida,) and ida not in run2.id_aliases
    run3 = resolve([b], [], prior_of(run2, {ida: 2}), SET)  # it stays a tombstone
    assert run3.tombstones == (ida,)
    run4 = resolve([a, b], [], prior_of(run3, {ida: 2}), SET)  # the same mention again: live again
    assert ida in {e.innovation_id for e in run4.entries} and not run4.tombstones


def test_an_alias_of_an_alias_follows_to_the_live_entry():
    m3 = Mention("d3", "Sigap", region=BELU, published="2023-03-01")
    m2 = Mention("d2", "Sigap", region=BELU, published="2022-03-01")
    m1 = Mention("d1", "Sigap", region=BELU, published="2021-03-01")
    run1 = resolve([m3], [], Prior(), SET)
    run2 = resolve([m3, m2], [], prior_of(run1), SET)
    run3 = resolve([m3, m2, m1], [], prior_of(run2), SET)
    (e,) = run3.entries
    i3, i2 = content_id(mention_key(m3)), content_id(mention_key(m2))
    assert e.innovation_id == content_id(mention_key(m1))
    assert run3.id_aliases == {i3: e.innovation_id, i2: e.innovation_id}
    assert e.merged_ids == tuple(sorted((i2, i3)))
