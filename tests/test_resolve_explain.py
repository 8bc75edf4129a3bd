"""explain(): an entry found by id, retired id or (fuzzy) name, with mentions and merge scores."""
from __future__ import annotations

from pipeline.records import Mention
from pipeline.resolve import Prior, explain, mention_key, resolve
from pipeline.resolve.normalise import StaticOwners
from pipeline.settings import Settings

SET = Settings()
REG = StaticOwners({"Kabupaten Luwu Utara": ["Lutra", "Luwu Utara"]})
LUTRA = "Kabupaten Luwu Utara"
MS = [Mention("a3", "Si Modis", region=LUTRA, published="2023-01-19", evidence="Si Modis diajukan ke KIPP."),
      Mention("a4", "Si Modis Lutra", region=LUTRA, agency="Diskominfo SP", published="2021-10-25"),
      Mention("a5", "SIMBARA", region="Nasional", agency="Kementerian Keuangan"),
      Mention("a6", "Sistem Informasi Mineral dan Batubara", region="Nasional", agency="Kementerian Keuangan"),
      Mention("a7", "JEMPOL PINK", region="Kabupaten Belu"), Mention("a8", "Jempol Pink", region="Kabupaten Malaka")]


def test_explain_by_id_shows_entry_mentions_and_scores():
    res = resolve(MS, [], Prior(), SET, owners=REG)
    iid = next(m.innovation_id for m in res.mentions if m.name == "SIMBARA")
    text = explain(iid, res.entries, res.mentions, res.merges, res.id_aliases)
    assert text.startswith("SIMBARA  [" + iid + "]")
    assert "Kementerian Keuangan, Nasional" in text
    assert "aliases: Sistem Informasi Mineral dan Batubara" in text
    assert "'Sistem Informasi Mineral dan Batubara' in a6" in text
    assert "merge: acronym of the long form" in text and "acronym=100.0" in text


def test_explain_by_name_alias_and_fuzzy_name():
    res = resolve(MS, [], Prior(), SET, owners=REG)
    for q in ("si modis lutra", "SiModis", "Si Modiss"):
        text = explain(q, res)
        assert text.splitlines()[0].startswith("Si Modis  [")
        assert "aliases: Si Modis Lutra" in text
        assert "same name key and region" in text
        assert '"Si Modis diajukan ke KIPP."' in text
    both = explain("Jempol Pink", res)
    assert both.count("JEMPOL PINK") + both.count("Jempol Pink  [") >= 2  # one block per region
    assert "Kabupaten Belu" in both and "Kabupaten Malaka" in both
    assert "forbidden: different region" in both


def test_explain_retired_id_and_unknown_query():
    first = [Mention("a1", "Pildacil", published="2023-01-01"),
             Mention("a2", "Pildacil Desa", region=LUTRA, published="2023-02-01")]
    run1 = resolve(first, [], Prior(), SET, owners=REG)
    prior = Prior({mention_key(m): m.innovation_id for m in run1.mentions}, run1.id_aliases, run1.id_order)
    run2 = resolve(first + [Mention("a3", "Pildacil", region=LUTRA)], [], prior, SET, owners=REG)
    (retired,) = run2.id_aliases
    text = explain(retired, run2)
    assert f"retired id {retired} now resolves to {run2.id_aliases[retired]}" in text
    assert f"retired ids that resolve here: {retired}" in text
    miss = explain("Kartu Tani Digital Nusantara", run2)
    assert miss.startswith("No innovation matches 'Kartu Tani Digital Nusantara'.")
