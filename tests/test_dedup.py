"""Near-duplicate and exact-duplicate stories across articles and runs."""
from __future__ import annotations

import hashlib
import random

from pipeline.clean import DuplicateIndex
from pipeline.clean.dedup import shingles
from pipeline.records import Article
from pipeline.settings import Settings

S = Settings()

STORY = (
    "Rumah Sakit Umum Daerah Kabupaten Ngada memperkenalkan inovasi Obat Pulang Rumah bagi pasien penyakit kronis "
    "yang tinggal jauh dari kota. Melalui layanan itu petugas farmasi mengantar obat bulanan ke puskesmas terdekat "
    "sehingga pasien tidak perlu menempuh perjalanan berjam-jam. Direktur rumah sakit mengatakan sudah lebih dari "
    "empat ratus pasien terdaftar sejak layanan dimulai awal tahun dan jumlahnya terus bertambah setiap bulan. "
    "Inovasi tersebut kini diusulkan mengikuti Kompetisi Inovasi Pelayanan Publik tingkat provinsi. Pemerintah "
    "daerah berencana menambah dua kendaraan pengantar obat agar jadwal pengiriman tidak terlambat pada musim hujan. "
    "Kepala dinas kesehatan berharap puskesmas di kecamatan lain ikut menyiapkan ruang penyimpanan obat yang layak."
)
WORDS = ("inovasi layanan desa warga puskesmas pemerintah kabupaten kota dinas pelayanan publik aplikasi data "
         "kepala bupati camat sekolah pasar jalan air bersih sampah pajak izin usaha tani nelayan ibu anak gizi "
         "bantuan sosial digital kartu antrean dokumen akta surat kantor relawan").split()


def art(aid: str, text: str, status="ok") -> Article:
    return Article(article_id=aid, source=f"{aid}.txt", status=status, text=text,
                   content_hash=hashlib.sha1(text.encode()).hexdigest())


def random_story(rng: random.Random, n=120) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def test_new_story_is_returned_unchanged_and_indexed():
    idx = DuplicateIndex(S)
    a = art("a1", STORY)
    assert idx.check(a) is a and "a1" in idx and len(idx) == 1


def test_exact_copy_is_a_duplicate_of_the_first():
    idx = DuplicateIndex(S)
    idx.check(art("a1", STORY))
    out = idx.check(art("a2", STORY))
    assert (out.status, out.reason, out.duplicate_of) == ("skipped", "duplicate of a1", "a1")
    assert out.text == STORY  # the text stays for the record
    assert "a2" not in idx  # a duplicate is not indexed: later copies point to the first


def test_syndicated_copy_with_one_word_changed_is_a_near_duplicate():
    idx = DuplicateIndex(S)
    idx.check(art("a1", STORY))
    copy = STORY.replace("memperkenalkan", "meluncurkan")
    a, b = set(shingles(STORY, S.clean.shingle_words)), set(shingles(copy, S.clean.shingle_words))
    assert len(a & b) / len(a | b) > 0.88  # the true Jaccard, well above the 0.85 threshold
    out = idx.check(art("a2", copy))
    assert out.status == "skipped" and out.duplicate_of == "a1"


def test_two_changes_in_a_short_story_fall_below_the_threshold():
    idx = DuplicateIndex(S)
    idx.check(art("a1", STORY))
    copy = STORY.replace("memperkenalkan", "meluncurkan").replace("sudah lebih dari", "telah lebih dari") \
        .replace("Pemerintah daerah", "Pemkab")
    a, b = set(shingles(STORY, S.clean.shingle_words)), set(shingles(copy, S.clean.shingle_words))
    assert len(a & b) / len(a | b) < 0.8
    assert idx.check(art("a2", copy)).ok


def test_different_stories_on_the_same_topic_are_not_duplicates():
    idx = DuplicateIndex(S)
    idx.check(art("a1", STORY))
    other = ("Pemerintah Kabupaten Ngada memperkenalkan inovasi Obat Pulang Rumah. " +
             "Bupati meninjau gudang farmasi dan meminta pengiriman obat ke pulau kecil dipercepat sebelum "
             "musim angin barat. Ia juga meminta camat mendata warga lanjut usia yang belum terlayani.")
    assert idx.check(art("a2", other)).ok


def test_half_overlap_is_not_a_duplicate():
    rng = random.Random(7)
    a, b = random_story(rng), random_story(rng)
    idx = DuplicateIndex(S)
    idx.check(art("a1", a + " " + b))
    assert idx.check(art("a2", a + " " + random_story(rng))).ok


def test_preloaded_stories_from_earlier_runs_are_found():
    idx = DuplicateIndex(S)
    idx.add("old1", STORY)
    out = idx.check(art("new1", STORY.replace("Ngada", "Ngada,")))
    assert out.duplicate_of == "old1"
    out = idx.check(art("new2", STORY))  # exact copy of the preloaded text
    assert out.duplicate_of == "old1"


def test_the_same_article_checked_again_is_not_its_own_duplicate():
    idx = DuplicateIndex(S)
    a = art("a1", STORY)
    idx.add("a1", STORY)
    assert idx.check(a) is a


def test_skipped_and_empty_articles_are_left_alone():
    idx = DuplicateIndex(S)
    skipped = art("a1", STORY, status="skipped")
    assert idx.check(skipped) is skipped and len(idx) == 0
    empty = art("a2", "")
    assert idx.check(empty) is empty


def test_first_of_several_copies_is_named():
    idx = DuplicateIndex(S)
    for i in range(3):
        idx.check(art(f"x{i}", random_story(random.Random(i))))
    idx.check(art("first", STORY))
    for i in range(5):
        assert idx.check(art(f"copy{i}", STORY + f" Salinan {i}.")).duplicate_of == "first"


def test_shingles():
    assert shingles("Satu dua tiga", 5) == [b"satu dua tiga"]
    assert shingles("", 5) == []
    assert len(shingles(" ".join(["kata"] * 10), 5)) == 6


def test_many_articles_keep_working():
    # 3000 distinct random stories plus a copy of each 100th: every copy found, no false hit
    rng = random.Random(42)
    idx = DuplicateIndex(S)
    stories = [random_story(rng, 80) for _ in range(3000)]
    for i, t in enumerate(stories):
        assert idx.check(art(f"s{i}", t)).ok, i
    for i in range(0, 3000, 100):
        out = idx.check(art(f"c{i}", stories[i].replace(".", " juga.")))
        assert out.duplicate_of == f"s{i}"


def test_a_stored_signature_indexes_like_the_text():
    # the signature round-trips as bytes, and an index rebuilt from signatures (no text)
    # decides every check exactly as one rebuilt by hashing the texts again
    rng = random.Random(7)
    stories = [random_story(rng, 90) for _ in range(50)] + [STORY]
    first = DuplicateIndex(S)
    for i, t in enumerate(stories):
        first.check(art(f"s{i}", t))
    by_text, by_sig = DuplicateIndex(S), DuplicateIndex(S)
    for i, t in enumerate(stories):
        sig = first.signature(f"s{i}")
        assert sig is not None and len(sig) == 4 * S.clean.near_dup_num_perm
        by_text.add(f"s{i}", t)
        by_sig.add_signature(f"s{i}", hashlib.sha1(t.encode()).hexdigest(), sig)
        assert by_sig.signature(f"s{i}") == sig
    probes = [STORY.replace("memperkenalkan", "meluncurkan"), STORY, stories[3], random_story(rng, 90)]
    for k, text in enumerate(probes):
        a, b = by_text.check(art(f"p{k}", text)), by_sig.check(art(f"p{k}", text))
        assert (a.status, a.duplicate_of) == (b.status, b.duplicate_of)
    assert by_sig.check(art("q", STORY)).duplicate_of == f"s{len(stories) - 1}"


def test_a_signature_of_other_parameters_is_refused():
    idx = DuplicateIndex(S)
    idx.check(art("a1", STORY))
    other = DuplicateIndex(S.with_section("clean", near_dup_num_perm=64))
    assert other.params != idx.params
    try:
        other.add_signature("a1", "", idx.signature("a1"))
    except ValueError as exc:
        assert "expected 64" in str(exc)
    else:
        raise AssertionError("a 128-value signature was accepted by a 64-permutation index")
    assert idx.signature("missing") is None


def test_band_index_proposes_what_datasketch_lsh_proposes():
    # oracle: the same signatures in datasketch's MinHashLSH (same bands) give the same candidates
    from datasketch import MinHash, MinHashLSH

    rng = random.Random(3)
    idx = DuplicateIndex(S)
    lsh = MinHashLSH(num_perm=S.clean.near_dup_num_perm, params=(idx._b, idx._r))
    base = [random_story(rng, 60) for _ in range(200)]
    texts = base + [t.replace(" ", " juga ", 3) for t in base[:40]] + [" ".join(t.split()[:45]) for t in base[40:80]]

    def mh(sig):
        return MinHash(num_perm=S.clean.near_dup_num_perm, hashvalues=sig, permutations=idx._perm, scheme="affine32")

    for i, t in enumerate(base):
        sig = idx._minhash(t)
        idx._insert(f"s{i}", "", sig)
        lsh.insert(f"s{i}", mh(sig))
    n_with_candidates = 0
    for t in texts:
        sig = idx._minhash(t)
        got, want = idx._candidates(sig), set(lsh.query(mh(sig)))
        assert got == want  # a 64-bit key per band: a collision (verified anyway) is not expected here
        n_with_candidates += bool(want)
    assert n_with_candidates >= 200  # the test exercised real hits, not empty sets
