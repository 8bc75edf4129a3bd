"""Inline SVG charts, drawn in Python so they show even before any script runs.

Every label comes from the data and is escaped with ``html.escape``; colours
and fonts come from classes styled in ``report.css``.  Layouts are deterministic:
the same tables give the same bytes.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from .data import clip

_LABEL_CHARS = 28  # fits the label column at the chart's font size


def _e(s) -> str:
    return escape(str(s), quote=True)


def _fmt(n: int) -> str:
    return f"{n:,}"


def empty(message: str) -> str:
    return f'<p class="empty">{_e(message)}</p>'


def bar_chart(items: list[tuple[str, int]], *, label: str, filterable: bool = False,
              no_filter: frozenset[str] = frozenset(), empty_text: str = "No data yet.",
              queries: dict[str, str] | None = None, share: bool = False) -> str:
    """Horizontal bars, largest first.  ``filterable`` bars carry ``data-q`` (click -> search;
    ``queries`` maps a bar to another search word than its label), except the buckets in
    ``no_filter`` ("other", "not stated") that no search could find.  ``share`` writes each
    bar's share of the total beside its count."""
    if not items:
        return empty(empty_text)
    row, top, left, width, right = 24, 6, 210, 640, 56
    span = width - left - right
    peak = max(v for _, v in items) or 1
    total = sum(v for _, v in items) or 1
    h = top * 2 + row * len(items)
    parts = [f'<svg class="chart bars" viewBox="0 0 {width} {h}" role="img" aria-label="{_e(label)}" '
             f'preserveAspectRatio="xMinYMin meet">']
    for i, (name, value) in enumerate(items):
        y = top + i * row
        w = max(span * value / peak, 2)
        link = filterable and name not in no_filter
        attrs = f' data-q="{_e((queries or {}).get(name, name))}" tabindex="0"' if link else ""
        shown = f"{_fmt(value)} ({100 * value / total:.0f}%)" if share else _fmt(value)
        parts.append(
            f'<g class="bar{" link" if link else ""}"{attrs}><title>{_e(name)}: {_fmt(value)}</title>'
            f'<text class="lbl" x="{left - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end">'
            f'{_e(clip(name, _LABEL_CHARS))}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" rx="3"/>'
            f'<text class="val" x="{left + w + 6:.1f}" y="{y + row / 2 + 4:.1f}">{shown}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(items: list[tuple[str, int]], *, label: str, empty_text: str = "No data yet.") -> str:
    """Vertical bars in the given order (years, left to right)."""
    if not items:
        return empty(empty_text)
    width, height, left, bottom, top = 620, 240, 16, 28, 22
    slot = (width - 2 * left) / len(items)
    bar = min(slot * 0.7, 56)
    peak = max(v for _, v in items) or 1
    span = height - top - bottom
    every = max(1, round(len(items) / 16))  # thin the axis labels when there are many years
    parts = [f'<svg class="chart cols" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}">',
             f'<line class="axis" x1="{left}" x2="{width - left}" y1="{height - bottom}" y2="{height - bottom}"/>']
    for i, (name, value) in enumerate(items):
        x = left + i * slot + (slot - bar) / 2
        h = max(span * value / peak, 2)
        y = height - bottom - h
        cx = x + bar / 2
        show = i % every == 0 or i == len(items) - 1
        parts.append(
            f'<g class="bar link" data-q="{_e(name)}" tabindex="0"><title>{_e(name)}: {_fmt(value)}</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="3"/>'
            f'<text class="val" x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle">{_fmt(value)}</text>'
            + (f'<text class="lbl" x="{cx:.1f}" y="{height - bottom + 17}" text-anchor="middle">'
               f'{_e(clip(name, 10))}</text>' if show else "")
            + "</g>")
    parts.append("</svg>")
    return "".join(parts)


def _node(name: str, nid: str, region: str) -> tuple[str, str]:
    """(key, label) of a graph node: an innovation by id or name, else a region."""
    label = name.strip() or region.strip() or "?"
    if region.strip() and name.strip():
        label = f"{name.strip()} · {region.strip()}"
    key = nid or (name.strip() or region.strip()).casefold() or "?"
    return key, label


def replication_graph(reps: list[dict], *, max_edges: int, empty_text: str = "No replications found yet.") -> str:
    """Who copies whom: sources on the left, replicating innovations/regions on the right.

    Right-hand nodes are ordered by the mean position of their sources (one barycentre
    pass), which keeps most edges from crossing without any randomness."""
    edges: Counter = Counter()
    labels: dict[tuple[str, str], str] = {}
    for r in reps:
        s = _node(r["source_name"], r["source_id"], r["source_region"])
        t = _node(r["target_name"], r["target_id"], r["target_region"])
        labels[("s", s[0])], labels[("t", t[0])] = s[1], t[1]
        edges[(s[0], t[0])] += 1
    if not edges:
        return empty(empty_text)
    kept = sorted(edges.items(), key=lambda kv: (-kv[1], labels[("s", kv[0][0])], labels[("t", kv[0][1])]))
    shown, hidden = kept[:max_edges], len(kept) - min(len(kept), max_edges)
    deg: Counter = Counter()
    for (s, _t), n in shown:
        deg[s] += n
    sources = sorted(deg, key=lambda k: (-deg[k], labels[("s", k)]))
    spos = {k: i for i, k in enumerate(sources)}
    near: dict[str, list[int]] = defaultdict(list)
    for (s, t), _n in shown:
        near[t].append(spos[s])
    targets = sorted(near, key=lambda k: (sum(near[k]) / len(near[k]), labels[("t", k)]))
    n_rows = max(len(sources), len(targets))
    row, top, width = 26, 18, 900
    lx, rx = 300, 600
    height = top * 2 + row * n_rows

    def ys(n: int) -> list[float]:  # centre a shorter column against the longer one
        off = (n_rows - n) * row / 2
        return [top + off + i * row + row / 2 for i in range(n)]

    sy = dict(zip(sources, ys(len(sources))))
    ty = dict(zip(targets, ys(len(targets))))
    parts = [f'<svg class="chart graph" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Replication graph: {len(shown)} links">']
    for (s, t), n in shown:
        y1, y2, mid = sy[s], ty[t], (lx + rx) / 2
        parts.append(f'<path class="edge" d="M{lx},{y1:.1f} C{mid},{y1:.1f} {mid},{y2:.1f} {rx},{y2:.1f}" '
                     f'stroke-width="{min(1.5 + n, 8):.1f}"><title>{_e(labels[("s", s)])} → '
                     f'{_e(labels[("t", t)])} ({n})</title></path>')
    for k in sources:
        lab = labels[("s", k)]
        parts.append(f'<g class="node src link" data-q="{_e(lab.split(" · ")[0])}" tabindex="0"><title>{_e(lab)}</title>'
                     f'<circle cx="{lx}" cy="{sy[k]:.1f}" r="6"/><text x="{lx - 12}" y="{sy[k] + 4:.1f}" '
                     f'text-anchor="end">{_e(clip(lab, 42))}</text></g>')
    for k in targets:
        lab = labels[("t", k)]
        parts.append(f'<g class="node dst link" data-q="{_e(lab.split(" · ")[0])}" tabindex="0"><title>{_e(lab)}</title>'
                     f'<circle cx="{rx}" cy="{ty[k]:.1f}" r="6"/><text x="{rx + 12}" y="{ty[k] + 4:.1f}">'
                     f'{_e(clip(lab, 42))}</text></g>')
    parts.append("</svg>")
    note = (f'<p class="note">Showing the {len(shown):,} most frequent links of {len(kept):,}; '
            f'the rest are in replications.csv.</p>' if hidden else "")
    legend = ('<p class="legend"><span class="dot src"></span>replicated innovation '
              '<span class="dot dst"></span>replicating innovation / region</p>')
    return legend + "".join(parts) + note
