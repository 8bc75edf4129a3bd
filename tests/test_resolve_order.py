"""Order independence: the same set of mentions gives the same resolution, whatever the order."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.records import Mention, Replication
from pipeline.resolve import Prior, resolve
from pipeline.resolve.normalise import StaticOwners
from pipeline.settings import Settings

from test_resolve_helpers import bench_module

SET = Settings()
REG = StaticOwners({"Kabupaten Luwu Utara": ["Lutra"]})
_bench = bench_module()
MENTIONS, _ = _bench.generate(150, seed=3, n_regions=4)
MENTIONS = MENTIONS + [
    Mention("x1", "Si Modis", region="Kabupaten Luwu Utara", published="2023-01-19"),
    Mention("x2", "Si Modis Lutra", region="Kabupaten Luwu Utara", agency="Diskominfo SP", published="2021-10-25"),
    Mention("x2", "ANC Hipnoterapi", region="Kabupaten Luwu Utara"),
    Mention("x2", "Hypnogreen", region="Kabupaten Luwu Utara"),
    Mention("x3", "SiModis", region=""),
]
REPLS = [Replication("x2", "ANC Hipnoterapi", "Hypnogreen"), Replication("x9", "Si Modis", "", "Kota Palopo")]
BASE = resolve(MENTIONS, REPLS, Prior(), SET, owners=REG)


def _view(res):
    return (res.entries, res.mentions, res.replications, res.merges, dict(res.id_aliases), dict(res.id_order))


@settings(max_examples=15, deadline=None)
@given(st.permutations(MENTIONS), st.permutations(REPLS))
def test_permutations_give_the_same_resolution(ms, rs):
    assert _view(resolve(ms, rs, Prior(), SET, owners=REG)) == _view(BASE)


def test_the_base_resolution_is_not_trivial():
    assert len(BASE.entries) < len(MENTIONS)
    assert any(x.decision.startswith("merge") for x in BASE.merges)
