"""The state store: what goes in comes back out (hypothesis round-trips), batches are atomic."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.records import Article, Event, Mention, Replication
from pipeline.store import Store, main_event

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
events = st.lists(st.builds(Event, competition=text, scope=text, stage=text,
                            year=st.one_of(st.none(), st.integers(1990, 2100))), max_size=3).map(tuple)


@st.composite
def batches(draw):
    n = draw(st.integers(1, 4))
    items = []
    for i in range(n):
        aid = f"a{i:016x}"
        art = Article(aid, f"src/{i}.txt", "ok", text=draw(text), title=draw(text), published="2023-05-01")
        names = draw(st.lists(st.text(alphabet="ABCDEFGHIJ xyz", min_size=1, max_size=12).filter(str.strip),
                              max_size=3, unique_by=lambda s: s.strip().casefold()))
        mentions = [Mention(aid, name, expansion=draw(text), agency=draw(text), region=draw(text),
                            events=draw(events), people=tuple(draw(st.lists(text, max_size=2))),
                            evidence=draw(text), published="2023-05-01") for name in names]
        repls = [Replication(aid, draw(text), draw(text), evidence=draw(text))]
        items.append((art.source, art.source, "1:1", art, mentions, repls))
    return items


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=batches())
def test_committed_mentions_and_replications_load_back_equal(tmp_path_factory, batch):
    out = tmp_path_factory.mktemp("store")
    with Store(out) as store:
        run_id = store.start_run("2026-01-01T00:00:00", ["x"], "{}")
        store.commit_batch(run_id, batch)
        loaded = store.load_mentions()
        expected = [m for *_, ms, _ in batch for m in ms]
        assert sorted(loaded, key=repr) == sorted(expected, key=repr)
        assert len(store.load_replications()) == len(batch)
        assert set(store.seen_sources()) == {src for src, *_ in batch}


def test_a_failing_batch_leaves_nothing_behind(tmp_path):
    with Store(tmp_path) as store:
        run_id = store.start_run("t", [], "{}")
        good = Article("a1", "s1", "ok", text="t")
        bad = ("s2", "s2", "1", Article("a2", "s2", "ok", text="t"), [object()], [])  # not a Mention
        with pytest.raises(AttributeError):
            store.commit_batch(run_id, [("s1", "s1", "1", good, [], []), bad])
        assert store.seen_sources() == {}
        assert not store.has_article("a1")


def test_a_run_left_running_is_marked_interrupted_by_the_next(tmp_path):
    with Store(tmp_path) as store:
        store.start_run("t1", [], "{}")
    with Store(tmp_path) as store:
        store.start_run("t2", [], "{}")
        assert [r["status"] for r in store.runs()] == ["interrupted", "running"]


def test_main_event_is_the_latest_year_first_listed_among_equals():
    ev = '[{"stage": "Top 99", "year": 2023}, {"stage": "Top 45", "year": 2023}, {"stage": "x", "year": 2021}]'
    assert main_event(ev)["stage"] == "Top 99"
    assert main_event("[]") == {}
    assert main_event('[{"stage": "a", "year": null}, {"stage": "b", "year": 2020}]')["stage"] == "b"
