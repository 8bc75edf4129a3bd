"""Stable innovation ids: kept across runs, the older id survives a merge, content-derived new ids."""
from __future__ import annotations

import re

from pipeline.records import Mention
from pipeline.resolve import Prior, mention_key, resolve
from pipeline.resolve.normalise import StaticOwners
from pipeline.settings import Settings

from test_resolve_helpers import bench_module

SET = Settings()
REG = StaticOwners({"Kabupaten Luwu Utara": ["Lutra", "Luwu Utara"]})


def prior_of(res) -> Prior:
    return Prior({mention_key(m): m.innovation_id for m in res.mentions}, dict(res.id_aliases), dict(res.id_order))


def ids_by_key(res) -> dict[str, str]:
    return {mention_key(m): m.innovation_id for m in res.mentions}


def test_id_format_and_content_derivation():
    ms = [Mention("a1", "Si Modis", region="Kabupaten Luwu Utara", published="2023-01-19"),
          Mention("a2", "Si Modis Lutra", region="Kabupaten Luwu Utara", published="2021-10-25")]
    res = resolve(ms, [], Prior(), SET, owners=REG)
    (e,) = res.entries
    assert re.fullmatch(r"i[0-9a-f]{12}", e.innovation_id)
    # derived from the earliest mention (a2, 2021): the same id when resolved alone
    alone = resolve(ms[1:], [], Prior(), SET, owners=REG)
    assert alone.entries[0].innovation_id == e.innovation_id
    assert res.id_order[e.innovation_id] == 1


def test_ids_kept_when_a_second_run_adds_mentions():
    bench = bench_module()
    mentions, _ = bench.generate(1200, seed=5, n_regions=30)
    half = mentions[: len(mentions) // 2]
    run1 = resolve(half, [], Prior(), SET)
    run2 = resolve(mentions, [], prior_of(run1), SET)
    before, after = ids_by_key(run1), ids_by_key(run2)
    live = {e.innovation_id for e in run2.entries}
    for key, iid in before.items():
        now = after[key]
        # every earlier id is still an entry, or an alias of the entry its mentions went to
        assert now == iid or run2.id_aliases.get(iid) == now
        assert iid in live or iid in run2.id_aliases
    kept = sum(after[k] == v for k, v in before.items())
    assert kept / len(before) > 0.97
    # earlier ordinals are kept; new ids come after them
    for iid, n in run1.id_order.items():
        assert run2.id_order[iid] == n
    assert min(run2.id_order[i] for i in live - set(run1.id_order)) > max(run1.id_order.values())


def test_a_merge_of_two_prior_entries_keeps_the_older_id():
    lutra = "Kabupaten Luwu Utara"
    first = [Mention("a1", "Pildacil", region="", published="2023-01-01"),
             Mention("a2", "Pildacil Desa", region=lutra, published="2023-02-01")]
    run1 = resolve(first, [], Prior(), SET, owners=REG)
    assert len(run1.entries) == 2  # no owner evidence joins them yet
    id1, id2 = (ids_by_key(run1)[mention_key(m)] for m in first)
    older = min((id1, id2), key=run1.id_order.get)
    newer = ({id1, id2} - {older}).pop()
    # a new mention names it in Luwu Utara: now one innovation
    run2 = resolve(first + [Mention("a3", "Pildacil", region=lutra, published="2023-03-01")], [],
                   prior_of(run1), SET, owners=REG)
    (e,) = run2.entries
    assert e.innovation_id == older
    assert run2.id_aliases[newer] == older and e.merged_ids == (newer,)
    # and a third run keeps resolving the retired id
    run3 = resolve(first + [Mention("a3", "Pildacil", region=lutra)], [], prior_of(run2), SET, owners=REG)
    assert run3.entries[0].innovation_id == older and run3.id_aliases[newer] == older


def test_resumed_run_equals_uninterrupted_run():
    bench = bench_module()
    mentions, _ = bench.generate(600, seed=9, n_regions=20)
    once = resolve(mentions, [], Prior(), SET)
    again = resolve(list(reversed(mentions)), [], Prior(), SET)  # e.g. after a crash, store order differs
    assert ids_by_key(once) == ids_by_key(again)
    # and with its own prior it changes nothing
    third = resolve(mentions, [], prior_of(once), SET)
    assert ids_by_key(third) == ids_by_key(once) and third.id_aliases == once.id_aliases


def test_a_split_gives_the_old_id_to_the_larger_part():
    lutra, belu = "Kabupaten Luwu Utara", "Kabupaten Belu"
    ms = [Mention("a1", "Kartu Sehat", region="", published="2022-01-01"),
          Mention("a2", "Kartu Sehat", region="", published="2022-02-01"),
          Mention("a3", "Kartu Sehat", region="", published="2022-03-01")]
    run1 = resolve(ms, [], Prior(), SET, owners=REG)
    (old,) = {e.innovation_id for e in run1.entries}
    # the extractor now knows the regions: two innovations
    ms2 = [Mention("a1", "Kartu Sehat", region=lutra), Mention("a2", "Kartu Sehat", region=belu),
           Mention("a3", "Kartu Sehat", region=lutra)]
    run2 = resolve(ms2, [], prior_of(run1), SET, owners=REG)
    assert len(run2.entries) == 2
    ids = ids_by_key(run2)
    assert ids[mention_key(ms2[0])] == old == ids[mention_key(ms2[2])]
    assert ids[mention_key(ms2[1])] != old
