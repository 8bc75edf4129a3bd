"""Name families that split one innovation over several ids (invented examples).

A national and a regional mention of one name and long form; syllable acronyms over roots
and stop words; a name abbreviating a long form's head and repeating its tail; a whole
government written as the agency.
"""
from __future__ import annotations

from pipeline.records import Mention, Replication
from pipeline.resolve import Prior, resolve
from pipeline.resolve.blocking import build_units, candidate_pairs
from pipeline.resolve.compare import compare, owner_evidence
from pipeline.resolve.normalise import StaticOwners, acronym_score, spaced, tail_acronym_score
from pipeline.settings import ResolveSettings, Settings

from test_resolve_compare import unit

S = ResolveSettings()
SET = Settings()
LONG = "Sistem Informasi Pangan Rawan Kekeringan"


def test_national_and_regional_mention_of_one_name_and_long_form_merge():
    nat = unit("SIPARAK", "nasional", "Kementerian Pertanian", expansion=LONG)
    reg = unit("SiParak", "kota semarang", "Pemerintah Kota Semarang", expansion=LONG.lower())
    c = compare(nat, reg, S)
    assert c.accept and c.crossing and "national and regional" in c.decision
    assert c.scores["long_form"] == 100.0


def test_the_crossing_needs_the_long_forms_and_a_national_side():
    nat = unit("SIPARAK", "nasional", expansion=LONG)
    other = unit("SIPARAK", "kota semarang", expansion="Sistem Izin Pasar Rakyat")
    assert not compare(nat, other, S).accept  # another long form: another innovation
    assert not compare(nat, unit("SIPARAK", "kota semarang"), S).accept  # no long form to agree on
    # two regional governments' copies stay apart even with one long form (annotation guide, section 4)
    a, b = unit("SIPARAK", "kota semarang", expansion=LONG), unit("SIPARAK", "kabupaten belu", expansion=LONG)
    c = compare(a, b, S)
    assert not c.accept and c.decision == "forbidden: different region"


def _ids(res):
    return {(m.article_id, m.region): m.innovation_id for m in res.mentions}


def test_a_national_entry_joins_one_regional_entry_never_two():
    ms = [Mention("a1", "SIPARAK", LONG, agency="Kementerian Pertanian", region="Nasional"),
          Mention("a2", "SIPARAK", LONG, agency="Dinas Pertanian", region="Kota Semarang")]
    res = resolve(ms, [], Prior(), SET, owners=StaticOwners())
    assert len(res.entries) == 1
    assert any("national and regional" in x.decision for x in res.merges)
    assert not any(x.decision.startswith("forbidden") for x in res.merges)  # no "kept apart" row for them
    # a second region's copy: the national mention joins one of them, the two regions stay apart
    ms.append(Mention("a3", "SIPARAK", LONG, agency="Dinas Pertanian", region="Kabupaten Belu"))
    res = resolve(ms, [], Prior(), SET, owners=StaticOwners())
    ids = _ids(res)
    assert ids[("a2", "Kota Semarang")] != ids[("a3", "Kabupaten Belu")]
    assert ids[("a1", "Nasional")] in (ids[("a2", "Kota Semarang")], ids[("a3", "Kabupaten Belu")])
    assert len(res.entries) == 2
    # the result does not depend on the order of the mentions
    again = resolve(list(reversed(ms)), [], Prior(), SET, owners=StaticOwners())
    assert _ids(again) == ids


def test_a_replication_keeps_the_national_and_regional_mentions_apart():
    ms = [Mention("a1", "SIPARAK", LONG, region="Nasional"),
          Mention("a1", "SIPARAK Semarang", LONG, region="Kota Semarang")]
    rep = Replication("a1", "SIPARAK", "SIPARAK Semarang", "Kota Semarang")
    res = resolve(ms, [rep], Prior(), SET, owners=StaticOwners({"Kota Semarang": ["Semarang"]}))
    assert len(res.entries) == 2


def test_syllable_acronyms_use_roots_after_prefixes_and_stop_words():
    # "dar" comes from the root of "kedaruratan", not from its first letter
    assert acronym_score("pandar", spaced("Pangkalan Kedaruratan")) == 100.0
    # "da" from a stop word the acronym needs; an unused stop word lowers the share
    assert acronym_score("tadakar", spaced("Tanggap Dalam Kebakaran")) == 100.0
    assert acronym_score("takar", spaced("Tanggap Dalam Kebakaran")) == 100.0  # stop word skipped
    # the first word still gives the first letter; an unrelated long form is no match
    assert acronym_score("darpan", spaced("Kedaruratan Pangkalan")) == 0.0
    assert acronym_score("pandar", spaced("Pasar Ikan Segar")) == 0.0


def test_a_name_abbreviating_the_head_of_a_long_form_that_shares_its_tail():
    assert tail_acronym_score("rapi warga desa", "rumah aspirasi pelayanan informasi warga desa", 12) == 100.0
    assert tail_acronym_score("rapi warga desa", "ruang pustaka warga desa", 12) == 0.0
    assert tail_acronym_score("warga desa", "warga desa", 12) == 0.0  # nothing left to abbreviate
    a = unit("Rapi Warga Desa", "kabupaten sumedang")
    b = unit("Rumah Aspirasi Pelayanan Informasi Warga Desa", "kabupaten sumedang")
    c = compare(a, b, S)
    assert c.accept and c.decision == "merge: acronym of the long form"
    assert not compare(a, unit("Rumah Aspirasi Pelayanan Informasi Warga Desa", ""), S).accept  # owner needed
    # blocking finds the pair
    ms = [Mention("a1", "Rapi Warga Desa", region="Kabupaten Sumedang"),
          Mention("a2", "Rumah Aspirasi Pelayanan Informasi Warga Desa", region="Kabupaten Sumedang")]
    units, _ = build_units(ms, [f"{m.article_id}|{m.name}" for m in ms], StaticOwners())
    assert candidate_pairs(units, S) == {(0, 1)}


def test_a_whole_government_as_agency_is_no_agency_evidence():
    ms = [Mention("a1", "Rapi Warga Desa", agency="Pemerintah Kabupaten Sumedang", region="Kabupaten Sumedang"),
          Mention("a2", "Rumah Aspirasi Pelayanan Informasi Warga Desa", agency="Dinas Sosial",
                  region="Kabupaten Sumedang")]
    units, _ = build_units(ms, [f"{m.article_id}|{m.name}" for m in ms], StaticOwners())
    assert units[0].agencies == frozenset() and owner_evidence(units[0], units[1]) == ("same", "missing")
    res = resolve(ms, [], Prior(), SET, owners=StaticOwners())
    assert len(res.entries) == 1
