"""What a fetched response is (page, feed, sitemap) and which URLs it leads to.

Detection looks at the response itself (content type, then the root element), because a
seed is just a URL: the user does not say whether it is a feed.  XML is parsed without
entity expansion or network access.  Own parsing rather than trafilatura.feeds/sitemaps,
which fetch by themselves and filter out hosts such as 127.0.0.1 that tests serve from.
"""
from __future__ import annotations

import posixpath
import re
import zlib
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan.filters import extension_filter, is_not_crawlable
from lxml import etree, html

from pipeline.collect.warc import HTML_TYPES, TEXT_TYPES, bounded_decompress, media_type

_ROOT = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(rss|feed|RDF|urlset|sitemapindex|html)\b", re.I)
_ROOT_KIND = {b"rss": "feed", b"feed": "feed", b"rdf": "feed", b"urlset": "sitemap", b"sitemapindex": "sitemap", b"html": "page"}


def detect(content_type: str, body: bytes) -> str:
    """'feed', 'sitemap', 'page' (HTML or text) or 'other'."""
    mime = media_type(content_type)
    head = body[:4096]
    if head.startswith(b"\x1f\x8b"):  # a compressed sitemap served as a file
        head = _gunzip(body, 4096)
    match = _ROOT.search(head)
    if match and (not mime or "xml" in mime or mime in ("text/plain", "application/gzip", "application/x-gzip", "application/octet-stream")):
        return _ROOT_KIND[match.group(1).lower()]
    if mime in HTML_TYPES or mime in TEXT_TYPES:
        return "page"
    if not mime and match is None:
        return "page"
    return "other"


def feed_links(body: bytes, base: str) -> list[str]:
    """Article URLs of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom feed, in feed order."""
    root = _xml(body)
    if root is None:
        return []
    links = []
    for element in root.iter():
        name = _local(element)
        if name == "item":
            link = _child_text(element, "link") or _permalink_guid(element)
            if link:
                links.append(link)
        elif name == "entry":
            href = ""
            for child in element:
                if _local(child) == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
                    href = child.get("href")
                    break
            if href:
                links.append(href)
    return _absolute(links, base)


def sitemap_links(body: bytes, base: str) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index."""
    root = _xml(_gunzip(body, 50 * 1024 * 1024) if body.startswith(b"\x1f\x8b") else body)
    if root is None:
        return [], []
    pages, sitemaps = [], []
    for element in root.iter():
        name = _local(element)
        if name in ("url", "sitemap"):
            loc = _child_text(element, "loc")
            if loc:
                (pages if name == "url" else sitemaps).append(loc)
    return _absolute(pages, base), _absolute(sitemaps, base)


def page_links(body: bytes, base: str) -> list[str]:
    """Targets of ``<a href>`` in an HTML page (absolute, fragment-free, in page order)."""
    try:
        doc = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    base_href = doc.xpath("string(//base/@href)")
    base = urljoin(base, base_href) if base_href else base
    hrefs = [a.get("href", "") for a in doc.iter("a")]
    return _absolute([h for h in hrefs if h and not h.lstrip().lower().startswith(("javascript:", "mailto:", "tel:"))], base)


def worth_following(url: str, page: str) -> bool:
    """A link from ``page`` the crawler may follow: same site, http(s), not a file or a login page."""
    a, b = urlsplit(url), urlsplit(page)
    if a.scheme not in ("http", "https") or _site(a.netloc) != _site(b.netloc):
        return False
    return extension_filter(url) and not is_not_crawlable(url)


def normalize_url(url: str) -> str:
    """Canonical form for dedup: lower-case scheme and host, no default port, no fragment, dots resolved."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return url.strip()
    netloc = host if port in (None, {"http": 80, "https": 443}.get(scheme)) else f"{host}:{port}"
    if parts.username is not None or parts.password is not None:
        netloc = parts.netloc  # kept as is: such URLs are refused with a reason, not silently rewritten
    path = parts.path or "/"
    if "/." in path:  # resolve dot segments (normpath also folds repeated slashes)
        norm = "/" + posixpath.normpath(path).lstrip("/")
        path = norm + ("/" if path.endswith(("/", "/.", "/..")) and norm != "/" else "")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def _site(netloc: str) -> str:
    host = netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _absolute(links: list[str], base: str) -> list[str]:
    seen, out = set(), []
    for link in links:
        url = normalize_url(urljoin(base, link.strip()))
        if url not in seen:
            seen.add(url)
            out.append(url)
    return out


def _xml(body: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        return etree.fromstring(body.lstrip(), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(element, name: str) -> str:
    for child in element:
        if _local(child) == name and child.text and child.text.strip():
            return child.text.strip()
    return ""


def _permalink_guid(item) -> str:
    for child in item:
        if _local(child) == "guid" and child.get("isPermaLink", "true") == "true" and (child.text or "").startswith("http"):
            return child.text.strip()
    return ""


def _gunzip(body: bytes, limit: int) -> bytes:
    try:
        return bounded_decompress(body, "gzip", limit)
    except zlib.error:
        return b""
