"""``clean_document``: one RawDocument in, one Article out, whatever the bytes are.

sniff/decode -> (HTML: trafilatura once, lxml fallback) -> normalise + text rules
-> length and language checks -> content hash.  Bad input never raises: it
becomes an Article with status ``skipped``/``failed`` and a reason.
"""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import replace

from ..failures import is_systemic
from ..records import Article, RawDocument
from ..settings import Settings
from .dates import to_iso, url_date
from .html import extract_html
from .language import detect_language
from .rules import load_rules
from .sniff import sniff_decode
from .text import clean_text

log = logging.getLogger("pipeline.clean")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _sha1(data: bytes | str) -> str:
    return hashlib.sha1(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data).hexdigest()


def canonical_url(url: str) -> str:
    """courlan's normalisation (lower-case host, default port and tracking parameters
    dropped, query sorted) without the #fragment, which never changes the document."""
    url = (url or "").strip()
    try:
        from courlan import normalize_url

        url = normalize_url(url)
    except Exception:  # noqa: BLE001 - courlan raises assorted errors on malformed URLs
        pass
    return url.split("#", 1)[0]


def article_id_for(raw: RawDocument) -> str:
    """``a`` + 16 hex of SHA-1 of the canonical URL, else of the raw content."""
    if raw.url and raw.url.strip():
        return "a" + _sha1(canonical_url(raw.url))[:16]
    return "a" + _sha1(raw.content or b"")[:16]


def clean_document(raw: RawDocument, settings: Settings) -> Article:
    """The cleaned Article of ``raw``; never raises for bad input."""
    try:
        raw_hash = _sha1(raw.content or b"")
        aid = article_id_for(raw) if raw.url and raw.url.strip() else "a" + raw_hash[:16]
    except Exception as exc:  # noqa: BLE001 - e.g. content of a wrong type from a broken producer
        return Article(article_id="a" + _sha1(raw.source or "")[:16], source=raw.source, status="failed",
                       reason=f"{type(exc).__name__}: {exc}")
    base = Article(article_id=aid, source=raw.source, status="ok", url=raw.url, outlet=raw.outlet,
                   title=raw.title, content_hash=raw_hash)
    if raw.status != "ok":
        return replace(base, status=raw.status, reason=raw.reason or f"marked {raw.status} by the reader")
    try:
        return _clean(raw, base, settings)
    except Exception as exc:  # noqa: BLE001 - the contract: a reason, not a crash
        if is_systemic(exc):  # issue 16: a broken environment or a bug is not the article's failure
            raise
        log.warning("clean failed for %s: %s: %s", raw.source, type(exc).__name__, exc)
        return replace(base, status="failed", reason=f"{type(exc).__name__}: {exc}")


def _year_hints(raw: RawDocument, url: str) -> tuple[int, ...]:
    """Years the record states outside the text (its date field, its URL): they date ``Rabu (26/1)``."""
    return tuple(int(y) for y in _YEAR.findall(f"{raw.published or ''} {url or ''}"))


def _clean(raw: RawDocument, base: Article, settings: Settings) -> Article:
    cs = settings.clean
    rules = load_rules(cs.rules_file)
    dec = sniff_decode(raw.content, raw.kind, rules)
    if dec.skip:
        return replace(base, status="skipped", reason=dec.skip)
    notes = list(dec.notes)
    published = to_iso(raw.published, cs.rules_file)
    if dec.kind == "html":
        page = extract_html(dec.text, raw.url, cs)
        notes.extend(page.notes)
        if not page.text.strip():
            return replace(base, status="skipped", reason="no text found in HTML")
        ct = clean_text(page.text, cs, known_title=raw.title or page.title, rules=rules)
        title = raw.title or page.title or ct.title
        published = published or page.published or url_date(raw.url or page.url, cs.rules_file) \
            or ct.date_in_text(cs.rules_file, _year_hints(raw, raw.url or page.url))
        outlet = raw.outlet or page.outlet or ct.outlet
        author, url = page.author or ct.author, raw.url or page.url
    else:
        ct = clean_text(dec.text, cs, take_title=True, known_title=raw.title, rules=rules)
        title = raw.title or ct.title
        published = published or url_date(raw.url, cs.rules_file) or ct.date_in_text(cs.rules_file, _year_hints(raw, raw.url))
        outlet, author, url = raw.outlet or ct.outlet, ct.author, raw.url
    if ct.truncated:
        notes.append(f"text cut to {cs.max_text_chars} chars")
    if notes:
        log.info("%s: %s", raw.source, "; ".join(notes))
    art = replace(base, url=url, outlet=outlet, title=title, published=published, author=author,
                  dateline=ct.dateline, text=ct.text, content_hash=_sha1(ct.text), removed=ct.removed)
    n = len(ct.text)
    if n < cs.min_text_chars:
        return replace(art, status="skipped", reason=f"too short ({n} chars)")
    if cs.language_check:
        lang = detect_language(ct.text[: cs.language_sample_chars], cs.language_file)
        art = replace(art, language=lang)
        if lang not in cs.languages:
            return replace(art, status="skipped", reason=f"not Indonesian ({lang or 'no letters'})")
    return art
