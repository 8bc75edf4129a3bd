"""Near-duplicate stories (syndication, re-posts) across a run and across runs.

MinHash of word shingles (datasketch's permutations and band choice, tuned to a lower
candidate threshold so that pairs at the real threshold are not missed by banding);
candidates are checked against the stored signatures so that only pairs whose
estimated Jaccard reaches ``settings.clean.near_dup_threshold`` count.  Exact copies (same content hash)
are caught by a dict before any hashing.  Memory: one 32-bit signature per
article (``num_perm`` x 4 bytes) plus the LSH buckets; lookups are O(1)
amortised, so 10^5 articles stay fast.  Signatures are stored with the articles
(``state.sqlite``), so a nightly run re-indexes earlier stories without re-hashing them.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import numpy as np

from ..records import Article
from ..settings import Settings

_WORD = re.compile(r"\w+")


_P = np.uint64(0x100000001B3)  # FNV prime: multiplier of the rolling shingle hash
_WORD_CACHE_MAX = 1_000_000


def _hash32(data: bytes) -> int:
    # stable across processes (unlike hash()), well mixed (crc32 is linear and skews estimates)
    return int.from_bytes(hashlib.blake2b(data, digest_size=4).digest(), "little")


def shingles(text: str, k: int) -> list[bytes]:
    """Word k-shingles of the case-folded text (one shingle for texts shorter than k words)."""
    words = _WORD.findall(text.casefold())
    if len(words) <= k:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)]


class _WordHashes:
    """Per-word hashes (cached: news vocabularies are small) combined into k-shingle hashes
    with numpy, so an article costs one dict lookup per word instead of one hash per shingle."""

    def __init__(self, k: int):
        self.k = k
        self.cache: dict[str, int] = {}

    def __call__(self, text: str) -> np.ndarray:
        words = _WORD.findall(text.casefold())
        if not words:
            return np.empty(0, dtype=np.uint32)
        cache = self.cache
        if len(cache) > _WORD_CACHE_MAX:
            cache.clear()
        for w in set(words).difference(cache):
            cache[w] = _hash32(w.encode("utf-8"))
        wh = np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
        n = max(len(words) - self.k + 1, 1)
        h = np.zeros(n, dtype=np.uint64)
        for j in range(min(self.k, len(words))):
            h = h * _P + wh[j:j + n]  # uint64 arithmetic wraps: a polynomial hash of the window
        return ((h >> np.uint64(32)) ^ h).astype(np.uint32)


class DuplicateIndex:
    """Index of the stories seen so far; ``check`` marks a repeat as skipped."""

    def __init__(self, settings: Settings):
        from datasketch import MinHash, MinHashLSH

        cs = settings.clean
        self.threshold = cs.near_dup_threshold
        self.num_perm = cs.near_dup_num_perm
        self.k = cs.shingle_words
        self._perm = MinHash(num_perm=self.num_perm, seed=1).permutations  # generated once, reused
        self._shingle_hashes = _WordHashes(self.k)
        # datasketch chooses the banding (b bands of r rows) for the candidate threshold; the
        # bands live in plain dicts keyed by one 64-bit hash per band, which costs a tenth of
        # MinHashLSH.insert (a nightly run re-indexes the whole archive). LSH only proposes
        # candidates; each is verified against ``threshold`` on the signatures.
        lsh = MinHashLSH(threshold=min(cs.near_dup_candidate_threshold, self.threshold), num_perm=self.num_perm)
        self._b, self._r = lsh.b, lsh.r
        rng = np.random.RandomState(2)
        self._mix = rng.randint(1, 2**62, size=self._r, dtype=np.int64).astype(np.uint64) | np.uint64(1)
        self._bands: list[dict[int, str | list[str]]] = [{} for _ in range(self._b)]
        self._by_hash: dict[str, str] = {}  # content hash -> first article id
        self._sig: dict[str, np.ndarray] = {}  # article id -> signature (insertion order = age)
        self._order: dict[str, int] = {}

    @property
    def params(self) -> str:
        """What a stored signature depends on: one made under other parameters is not reused."""
        return f"minhash-affine32-blake2b-words:v1:{self.num_perm}:{self.k}"

    def signature(self, article_id: str) -> bytes | None:
        """The indexed story's signature as bytes (to persist), or None (no words / not indexed)."""
        sig = self._sig.get(article_id)
        return None if sig is None else sig.astype("<u4").tobytes()

    def add_signature(self, article_id: str, content_hash: str, signature: bytes) -> None:
        """Index a story from an earlier run by its stored signature (no text, no hashing)."""
        sig = np.frombuffer(signature, dtype="<u4").astype(np.uint32)
        if len(sig) != self.num_perm:
            raise ValueError(f"signature of {article_id} has {len(sig)} values, expected {self.num_perm}")
        self._insert(article_id, content_hash, sig)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._order

    def _minhash(self, text: str) -> np.ndarray | None:
        hv = self._shingle_hashes(text)
        if not len(hv):
            return None
        # datasketch's affine32 scheme (murmur finaliser, then h*a+b mod 2^32), vectorised
        # over the shingle hashes we already have as an array
        h = np.unique(hv)
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
        a, b = self._perm
        return (h[:, None] * a + b).min(axis=0).astype(np.uint32)

    def _band_keys(self, sig: np.ndarray) -> list[int]:
        rows = sig[: self._b * self._r].reshape(self._b, self._r).astype(np.uint64)
        return (rows * self._mix).sum(axis=1, dtype=np.uint64).tolist()  # wraps: a 64-bit hash per band

    def _insert(self, article_id: str, content_hash: str, sig: np.ndarray | None) -> None:
        if content_hash:
            self._by_hash.setdefault(content_hash, article_id)
        if article_id in self._order:
            return
        self._order[article_id] = len(self._order)
        if sig is None:
            return
        self._sig[article_id] = sig
        for table, key in zip(self._bands, self._band_keys(sig)):
            held = table.get(key)
            if held is None:
                table[key] = article_id  # most buckets hold one story: no list for it
            elif isinstance(held, list):
                held.append(article_id)
            else:
                table[key] = [held, article_id]

    def _candidates(self, sig: np.ndarray) -> set[str]:
        out: set[str] = set()
        for table, key in zip(self._bands, self._band_keys(sig)):
            held = table.get(key)
            if isinstance(held, list):
                out.update(held)
            elif held is not None:
                out.add(held)
        return out

    def add(self, article_id: str, text: str) -> None:
        """Index a story from an earlier run (no check)."""
        self._insert(article_id, hashlib.sha1(text.encode("utf-8")).hexdigest(), self._minhash(text))

    def sign(self, text: str) -> bytes | None:
        """The signature of ``text`` as bytes (what a prepare task computes and ``check`` reuses),
        or None when it has no words."""
        sig = self._minhash(text)
        return None if sig is None else sig.astype("<u4").tobytes()

    def _from_bytes(self, signature: bytes) -> np.ndarray:
        sig = np.frombuffer(signature, dtype="<u4").astype(np.uint32)
        if len(sig) != self.num_perm:
            raise ValueError(f"a signature of {len(sig)} values, expected {self.num_perm}")
        return sig

    def find(self, article_id: str, text: str, content_hash: str = "",
             signature: bytes | None = None) -> tuple[str, np.ndarray | None]:
        """(id of the first indexed story that ``text`` repeats or ``""``, its signature);
        ``signature``: the text's own, when already computed (``sign``)."""
        content_hash = content_hash or hashlib.sha1(text.encode("utf-8")).hexdigest()
        first = self._by_hash.get(content_hash, "")
        if first and first != article_id:
            return first, None
        sig = self._minhash(text) if signature is None else self._from_bytes(signature)
        if sig is None:
            return "", None
        best = ""
        for cand in self._candidates(sig):
            if cand == article_id:
                continue
            if float(np.mean(self._sig[cand] == sig)) >= self.threshold and (
                    not best or self._order[cand] < self._order[best]):
                best = cand
        return best, sig

    def check(self, article: Article, signature: bytes | None = None) -> Article:
        """``article`` unchanged (and indexed) when new; else skipped as ``duplicate of <first id>``.
        ``signature``: its text's, when a prepare task computed it (``sign``)."""
        if not article.ok or not article.text:
            return article
        if article.article_id in self._order:
            return article  # the same article seen again (a re-run): not a duplicate of itself
        first, sig = self.find(article.article_id, article.text, article.content_hash, signature)
        if first:
            return replace(article, status="skipped", reason=f"duplicate of {first}", duplicate_of=first)
        content_hash = article.content_hash or hashlib.sha1(article.text.encode("utf-8")).hexdigest()
        self._insert(article.article_id, content_hash, sig)
        return article


def repeat_id(article: Article) -> str:
    """The id of a second input with ``article``'s id (the same URL, or the same bytes, from
    another source): a distinct row, derived from the first id and its own source."""
    return "a" + hashlib.sha1(f"{article.article_id}|{article.source}".encode()).hexdigest()[:16]


def mark_repeat(article: Article) -> Article:
    """``article`` under its ``repeat_id``; an ok one becomes ``skipped`` as a duplicate of the first."""
    if not article.ok:
        return replace(article, article_id=repeat_id(article))
    return replace(article, article_id=repeat_id(article), status="skipped",
                   reason=f"duplicate of {article.article_id}", duplicate_of=article.article_id)
