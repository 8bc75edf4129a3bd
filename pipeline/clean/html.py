"""Main text and metadata of an HTML page: parsed once, one trafilatura extraction, an lxml fallback.

The page is parsed once (``trafilatura.utils.load_html``); metadata (title, date
via htmldate, sitename, author, canonical URL) is read from that tree with
trafilatura's own metadata steps, minus the costly ones unused here, and the same
tree goes to a single ``bare_extraction`` call for the text.  When trafilatura
finds no main text (odd markup, truncated HTML) a plain lxml walk over the block
elements recovers the visible text, and the fallback is recorded in ``notes``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..settings import CleanSettings

_SKIP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "nav", "footer", "aside",
              "button", "select", "textarea", "object", "embed", "canvas", "head")
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
                         "table", "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl", "figure",
                         "figcaption", "hr", "address", "center"})


@dataclass(frozen=True)
class HtmlText:
    """What the page holds: main text (lines = paragraphs) and metadata."""

    text: str
    title: str = ""
    published: str = ""  # ISO date or ""
    outlet: str = ""
    author: str = ""
    url: str = ""  # canonical URL the page declares
    notes: tuple[str, ...] = ()


def _s(value) -> str:
    return " ".join(str(value).split()) if value else ""


def _date_params(settings: CleanSettings, url: str) -> dict:
    from trafilatura.settings import set_date_params

    return {**set_date_params(settings.extensive_date_search), "url": url or None}


def page_metadata(tree, url: str, settings: CleanSettings) -> dict:
    """Title, date, sitename, author (from meta tags / JSON-LD) and canonical URL of a parsed page.

    Built from trafilatura's own metadata steps, without the costly ones this
    project does not use (categories, tags, licence, the author search over the
    whole page: Indonesian bylines are read from the text instead).  That halves
    the cost of ``with_metadata=True``.
    """
    from htmldate import find_date
    from trafilatura import metadata as tm

    meta = tm.examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a single token is a handle or a site name, not a person
    try:
        meta = tm.extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - JSON-LD on real pages is often broken; meta tags remain
        pass
    title = meta.title or tm.extract_title(tree)
    canonical = meta.url or tm.extract_url(tree, url or None)
    date = find_date(tree, **_date_params(settings, canonical or url))
    sitename = meta.sitename or tm.extract_sitename(tree)
    if not sitename and canonical:
        m = tm.META_URL.match(canonical)
        sitename = m[1] if m else ""
    return {"title": _s(title), "date": _s(date)[:10], "sitename": _s(sitename).lstrip("@"),
            "author": _s(meta.author), "url": _s(canonical)}


def extract_html(html: str, url: str, settings: CleanSettings) -> HtmlText:
    """Main text + metadata of ``html`` (decoded); empty ``text`` when neither extractor found any."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        text, title = fallback_text(html)
        note = "fallback: trafilatura could not parse the page"
        return HtmlText(text, title, notes=(note,)) if text else HtmlText("", notes=(note, "no text"))
    notes: tuple[str, ...] = ()
    try:
        meta = page_metadata(tree, url, settings)
    except Exception as exc:  # noqa: BLE001 - uses trafilatura's metadata helpers; the text must survive
        meta = {"title": "", "date": "", "sitename": "", "author": "", "url": ""}
        notes = (f"metadata failed: {type(exc).__name__}: {exc}",)
    doc = trafilatura.bare_extraction(  # copies the tree: ``tree`` stays whole for the fallback
        tree, url=url or None, fast=settings.trafilatura_fast, favor_precision=True, include_comments=False,
        include_tables=True, with_metadata=False, deduplicate=False,
    )
    text = (doc.text or "") if doc is not None else ""
    if not text.strip():
        text, title = fallback_text(tree)
        meta["title"] = meta["title"] or title
        notes += ("fallback: trafilatura found no main text",) if text else ("trafilatura and the lxml fallback "
                                                                               "found no text",)
    return HtmlText(text, meta["title"], meta["date"], meta["sitename"], meta["author"], meta["url"], notes)


def fallback_text(page) -> tuple[str, str]:
    """(visible text with one line per block element, <title>) by a plain lxml walk.

    ``page`` is HTML source or an already parsed lxml tree (which is modified).
    """
    from lxml import etree
    from lxml import html as lhtml

    if isinstance(page, str):
        try:
            parser = lhtml.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
            root = lhtml.document_fromstring(page.encode("utf-8", "replace"), parser=parser)
        except (etree.ParserError, ValueError):
            return "", ""
    else:
        root = page
    title = _s(root.findtext(".//title"))
    etree.strip_elements(root, *_SKIP_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    body = root.find(".//body")
    body = root if body is None else body
    parts: list[str] = []
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.text and tag:
                parts.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el is not body and el.tail:
                parts.append(el.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line), title
