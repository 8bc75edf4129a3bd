"""Blocking: comparisons grow near-linearly with the input, and big blocks are capped."""
from __future__ import annotations

from dataclasses import replace

from pipeline.records import Mention
from pipeline.resolve import Prior, resolve
from pipeline.resolve.api import _sorted_mentions
from pipeline.resolve.blocking import (BlockStats, Unit, _windows, acronym_keys, build_units, candidate_pairs,
                                       form_keys, word_frequencies)
from pipeline.resolve.compare import compare
from pipeline.resolve.normalise import StaticOwners, default_owners, spaced
from pipeline.settings import Settings

from test_resolve_helpers import bench_module

SET = Settings()


def _units(n: int, n_regions: int):
    mentions, _ = bench_module().generate(n, seed=21, n_regions=n_regions)
    keyed = _sorted_mentions(mentions)
    units, _ = build_units([m for _, m in keyed], [k for k, _ in keyed], default_owners())
    return units


def _block(units, s):
    stats = BlockStats()
    pairs = candidate_pairs(units, s, stats)
    return stats, pairs


def test_comparisons_grow_linearly_with_regions_and_names():
    # ten times the mentions over ten times the regions (the same names per region)
    s = SET.resolve
    (small, p_small), (big, p_big) = _block(_units(3_000, 30), s), _block(_units(30_000, 300), s)
    assert small.comparisons > 0 and p_small
    assert big.comparisons / small.comparisons <= 12
    assert len(p_big) / len(p_small) <= 12


def test_block_cap_bounds_comparisons_per_member_in_one_dense_region():
    s = replace(SET.resolve, max_block_size=8)
    units = _units(15_000, 1)
    stats, _ = _block(units, s)
    assert stats.split > 0
    df = word_frequencies(units)
    memberships = sum(len(form_keys(f, u.region, df, s)) for u in units for f in u.forms)
    memberships += sum(len(acronym_keys(u, s)) for u in units)
    regionless = sum(not u.region for u in units)
    # a member sits in at most two overlapping windows, each with at most cap-1 partners
    assert stats.comparisons <= 2 * (s.max_block_size - 1) * memberships + regionless * s.global_window
    uncapped, _ = _block(units, SET.resolve)
    assert uncapped.comparisons > stats.comparisons


def test_windows_overlap_and_cover_every_member():
    members = list(range(10))
    wins = list(_windows(members, 4))
    assert all(len(w) <= 4 for w in wins)
    assert set().union(*map(set, wins)) == set(members)
    assert list(_windows(members, 20)) == [members]


def test_pairs_found_by_each_kind_of_key():
    lutra = "kabupaten luwu utara"

    def u(i, name, region=lutra, exp=""):
        sp = spaced(name)
        return Unit(i, sp.replace(" ", ""), sp, region, (sp, spaced(exp)) if exp else (sp,), frozenset(), [i])

    units = [u(0, "Lapbukit"), u(1, "Lapbukt"),  # prefix: a typo
             u(2, "Pripong Abong"), u(3, "Posyandu Remaja Pripong Abong"),  # rare word
             u(4, "SIMBARA", "nasional"), u(5, "Sistem Informasi Mineral dan Batubara", "nasional"),  # acronym
             u(6, "Si Modis", ""), u(7, "SiModis"),  # no region: the global key
             u(8, "Gersipah"), u(9, "Kelas Buby")]  # unrelated
    stats = BlockStats()
    pairs = candidate_pairs(units, SET.resolve, stats)
    assert {(0, 1), (2, 3), (4, 5), (6, 7)} <= pairs
    assert not any(8 in p or 9 in p for p in pairs)
    assert stats.comparisons < len(units) * (len(units) - 1) // 2 * 3


def test_regions_partition_blocks():
    ms = [Mention(f"a{i}", "Kartu Tani", region=r) for i, r in enumerate(["Kabupaten Belu", "Kabupaten Sikka"])]
    res = resolve(ms, [], Prior(), SET, owners=StaticOwners())
    assert res.stats["candidate_pairs"] == 0 and len(res.entries) == 2


def _without_regions(units):
    return [replace(u, region="") for u in units]


def test_the_regionless_pool_is_cut_into_small_windows():
    # region-less names are one national pool that grows with the input: its blocks are
    # windowed at ``regionless_block_size``, so comparisons per name stay bounded
    s = SET.resolve
    units = _without_regions(_units(6_000, 20))
    stats, _ = _block(units, s)
    assert stats.split > 0
    df = word_frequencies(units)
    memberships = sum(len(form_keys(f, u.region, df, s)) for u in units for f in u.forms)
    memberships += sum(len(acronym_keys(u, s)) for u in units)
    assert stats.comparisons <= 2 * (s.regionless_block_size - 1) * memberships
    wide, _ = _block(units, replace(s, regionless_block_size=s.max_block_size))
    assert wide.comparisons > stats.comparisons


def _unit(i, name, region="", exp="", agency=""):
    sp = spaced(name)
    forms = (sp, spaced(exp)) if exp else (sp,)
    return Unit(i, sp.replace(" ", ""), sp, region, forms, frozenset({agency} - {""}), [i])


def test_pairs_without_region_skip_only_what_compare_rejects():
    lutra = "kabupaten luwu utara"
    long_form = "Klinik Online Pendidikan Vaksin"
    units = [_unit(0, "Klopenv", lutra, exp=long_form), _unit(1, "Klopeuv", exp=long_form),  # best form pair: 100
             _unit(2, "Sidamanu", lutra), _unit(3, "Sidamunu"),  # ratio 87.5, no agency: below the bar
             _unit(4, "Sidamanx", lutra, agency="dinkes"), _unit(5, "Sidamunx", agency="dinkes"),  # same agency
             _unit(6, "Pidara", lutra), _unit(7, "Pidatra"),  # short: needs the same known region
             _unit(8, "Kartini Sehat", lutra), _unit(9, "Kartini Sehatt")]  # plain threshold met
    pairs = candidate_pairs(units, SET.resolve)
    assert {(0, 1), (4, 5), (8, 9)} <= pairs
    assert (2, 3) not in pairs and (6, 7) not in pairs
    for a, b in [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)]:
        assert compare(units[a], units[b], SET.resolve).accept == ((a, b) in pairs), (a, b)


def test_a_large_acronym_block_is_windowed_and_still_finds_the_long_form():
    lutra = "kabupaten luwu utara"
    units = [_unit(0, "SIMBARA", lutra), _unit(1, "Sistem Informasi Mineral dan Batubara", lutra)]
    # many acronym candidates and long forms on the same key ("sim")
    units += [_unit(2 + i, f"Si{c}{d}bara", lutra) for i, (c, d) in enumerate(
        (c, d) for c in "abcdefgh" for d in "klmn")]
    units += [_unit(len(units) + i, f"Sistem Inovasi Mandiri {w}", lutra) for i, w in enumerate(
        ["Desa", "Kota", "Warga", "Pasar", "Sekolah", "Rumah"])]
    s = replace(SET.resolve, max_block_size=8)
    stats = BlockStats()
    pairs = candidate_pairs(units, s, stats)
    assert stats.split > 0 and (0, 1) in pairs
    assert (0, 1) in candidate_pairs(units, SET.resolve)
