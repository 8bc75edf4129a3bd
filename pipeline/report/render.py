"""Server-side parts of report.html: header numbers, article/run summaries, the data island.

Every value from the tables passes through ``html.escape``; the JSON data island
escapes ``<``, ``>``, ``&`` and U+2028/2029 so that no string can end the script element.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html import escape
from importlib import resources

from .data import text

_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_STATUS = ("ok", "skipped", "failed", "other")


def _e(v) -> str:
    return escape(text(v), quote=True)


def _n(v) -> str:
    return "–" if v is None or v == "" else f"{int(v):,}"


def asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def json_island(payload) -> str:
    """JSON safe to place between ``<script type="application/json">`` tags."""
    s = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def csp_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(css: str, js: str) -> str:
    """No network at all: only this file's own style and script (by hash) and data: images."""
    return (f"default-src 'none'; script-src {csp_hash(js)}; style-src {csp_hash(css)}; img-src data:; "
            f"base-uri 'none'; form-action 'none'")


def fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{{NAME}}`` in one pass, so inserted text is never scanned again."""
    def sub(m: re.Match) -> str:
        if m.group(1) not in values:
            raise KeyError(f"report template needs a value for {m.group(1)}")
        return values[m.group(1)]
    return _PLACEHOLDER.sub(sub, template)


def stats(items: list[tuple[str, object]]) -> str:
    return "".join(f'<div class="stat"><b>{_n(v)}</b><span>{_e(label)}</span></div>' for label, v in items)


def articles_section(summary: dict) -> str:
    total = summary["read"] or 1
    bar, x = [], 0.0
    for s in _STATUS:  # an SVG bar: inline style attributes are blocked by the page's CSP
        if summary[s]:
            w = 1000 * summary[s] / total
            bar.append(f'<rect class="s-{s}" x="{x:.2f}" y="0" width="{w:.2f}" height="14"/>')
            x += w
    keys = "".join(f'<span><i class="s-{s}"></i>{s} {_n(summary[s])}</span>'
                   for s in _STATUS if s != "other" or summary[s])
    out = [f'<h2>Articles <small>{_n(summary["read"])} read</small></h2>',
           f'<svg class="statusbar" viewBox="0 0 1000 14" preserveAspectRatio="none" role="img" '
           f'aria-label="article status">{"".join(bar)}</svg>',
           f'<div class="keys">{keys}</div>']
    if not summary["reasons"]:
        out.append('<p class="empty">Every article read was usable.</p>' if summary["read"]
                   else '<p class="empty">No articles in this output yet.</p>')
        return "".join(out)
    out.append('<table class="mini"><thead><tr><th>Status</th><th>Reason (grouped)</th>'
               '<th class="num">Articles</th></tr></thead><tbody>')
    for r in summary["reasons"]:
        out.append(f'<tr><td><span class="badge s-{_e(r["status"]) if r["status"] in _STATUS else "other"}">'
                   f'{_e(r["status"])}</span></td><td class="reason">{_e(r["reason"])}'
                   f'<small>e.g. {_e(r["source"])}: {_e(r["example"])}</small></td>'
                   f'<td class="num">{_n(r["count"])}</td></tr>')
    out.append("</tbody></table>")
    if summary["more_reasons"]:
        out.append(f'<p class="note">{_n(summary["more_reasons"])} rarer reasons are in articles.csv.</p>')
    return "".join(out)


def runs_section(runs: list[dict]) -> str:
    if not runs:
        return '<h2>Runs</h2><p class="empty">No run recorded in this output.</p>'
    last = runs[0]
    out = [f'<h2>Runs <small>latest: run {_e(last["run_id"])}, {_e(last["status"]) or "status unknown"}</small></h2>',
           '<table class="mini"><tbody>']
    for label, key in (("Started", "started"), ("Finished", "finished"), ("Duration", "duration")):
        if last.get(key):
            out.append(f"<tr><th>{label}</th><td>{_e(last[key])}</td></tr>")
    for label, key in (("Articles read", "n_read"), ("ok / skipped / failed", None), ("Mentions", "n_mentions"),
                       ("Innovations", "n_innovations"), ("new innovations", "n_new_innovations"),
                       ("Replications", "n_replications"), ("new replications", "n_new_replications")):
        val = (f'{_n(last.get("n_ok"))} / {_n(last.get("n_skipped"))} / {_n(last.get("n_failed"))}'
               if key is None else _n(last.get(key)))
        out.append(f'<tr><th>{label}</th><td class="num">{val}</td></tr>')
    out.append("</tbody></table>")
    if len(runs) > 1:
        out.append('<h3>Recent runs</h3><table class="mini"><thead><tr><th>Run</th><th>Started</th>'
                   '<th>Status</th><th class="num">Read</th><th class="num">New innovations</th>'
                   '<th class="num">Duration</th></tr></thead><tbody>')
        for r in runs:
            out.append(f'<tr><td>{_e(r["run_id"])}</td><td>{_e(r["started"])}</td><td>{_e(r["status"])}</td>'
                       f'<td class="num">{_n(r.get("n_read"))}</td><td class="num">{_n(r.get("n_new_innovations"))}'
                       f'</td><td class="num">{_e(r["duration"])}</td></tr>')
        out.append("</tbody></table>")
    return "".join(out)


def codebook_section(tables: list[dict]) -> str:
    """What each column of each table means and how it is derived (from the column spec)."""
    out = ['<h2>Codebook <small>the columns of every table: contract columns first, extras after</small></h2>',
           '<p class="note">The same descriptions are in datapackage.json (Frictionless Data Package of the CSV '
           'files) and metadata.json (<code>datasette inovasi.sqlite -m metadata.json</code>).</p>']
    for t in tables:
        where = f"{t['table']}.csv, .parquet and inovasi.sqlite" if t["public"] else "inovasi.sqlite only"
        keys = []
        if t["primary_key"]:
            keys.append("one row per " + ", ".join(t["primary_key"]))
        keys.extend(f"{fk} (empty: none)" for fk in t["foreign_keys"])
        out.append(f'<details class="codebook" id="codebook-{_e(t["table"])}"{" open" if t["public"] else ""}>'
                   f'<summary><b>{_e(t["table"])}</b> · {_e(t["description"])} <small>{_e(where)}</small></summary>')
        if keys:
            out.append(f'<p class="note">{_e("; ".join(keys))}</p>')
        out.append('<table class="mini"><thead><tr><th>Column</th><th>Type</th><th>Meaning</th>'
                   '<th>How derived</th></tr></thead><tbody>')
        for c in t["columns"]:
            tag = "" if c["contract"] else ' <small class="extra">extra</small>'
            out.append(f'<tr><td><code>{_e(c["name"])}</code>{tag}</td><td>{_e(c["type"])}</td>'
                       f'<td>{_e(c["meaning"])}</td><td>{_e(c["derived"])}</td></tr>')
        out.append("</tbody></table></details>")
    return "".join(out)
