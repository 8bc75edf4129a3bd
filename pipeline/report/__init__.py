"""report.html: one self-contained page over a run's output folder.

``build_report(out_dir)`` reads ``out_dir/inovasi.sqlite`` and writes
``out_dir/report.html`` atomically.  The page needs no network: CSS and JS are
inlined (allowed by hash in its Content-Security-Policy), charts are inline SVG,
and the registry travels once as escaped JSON that a small script pages through.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from ..settings import Settings
from ..store import describe
from . import charts, data, render

__all__ = ["build_report", "build_html"]


def build_report(out_dir: Path, settings: Settings | None = None) -> Path:
    """Write ``out_dir/report.html`` from ``out_dir/inovasi.sqlite``; return its path."""
    out = Path(out_dir)
    db_path = out / "inovasi.sqlite"
    if not db_path.is_file():
        raise FileNotFoundError(f"no inovasi.sqlite in {out}: run the pipeline first (inovasi run --out {out})")
    page = build_html(data.load_tables(db_path), settings or Settings())
    final = out / "report.html"
    tmp = out / f".report.html.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(page)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


def build_html(tables: dict, settings: Settings) -> str:
    """The page as a string, from the tables of ``data.load_tables``."""
    rs = settings.report
    rules = data.load_rules(rs.rules_file)
    reg = data.registry_view(tables["registry"], rs, rules)
    known = {r[0] for r in reg.rows}
    names = {r[0]: r[1] for r in reg.rows}
    mentions, more = data.mention_view(tables["mentions"], known, rs)
    reps = data.replication_view(tables["replications"], names, rs)
    art_summary = data.article_summary(tables["articles"], rs, rules)
    runs = data.run_summary(tables["runs"], rs)

    # Articles referred to by mentions, events and replications, embedded once each (no text).
    wanted = ({m["article_id"] for ms in mentions.values() for m in ms}
              | {e["article_id"] for evs in reg.events.values() for e in evs}
              | {r["article_id"] for r in reps}) - {""}
    found = data.article_index(tables["articles"], wanted)
    order = sorted(wanted)
    ref = {aid: i for i, aid in enumerate(order)}
    articles = [[aid, *(lambda a: [a["title"], a["url"], a["source"], a["outlet"], a["published"]])(
        found.get(aid, {"title": "", "url": "", "source": aid, "outlet": "", "published": ""}))] for aid in order]

    payload = {
        "cols": data.ROW_COLUMNS,
        "rows": reg.rows,
        "pageSize": rs.page_size,
        "digitalWord": next((w for v, _, w in rules.digital_labels if v == "true"), ""),
        "articles": articles,
        "events": {iid: _timeline(evs, ref) for iid, evs in reg.events.items() if evs},
        "mentions": {iid: [[ref.get(m["article_id"], -1), m["name"], m["agency"], m["region"], m["stage"],
                            m["year"], m["evidence"]] for m in ms] for iid, ms in mentions.items()},
        "more": more,
        "replications": [[ref.get(r["article_id"], -1), r["source_name"], r["source_id"], r["source_region"],
                          r["target_name"], r["target_id"], r["target_region"], r["evidence"]] for r in reps],
    }

    years = sorted(reg.by_year.items(), key=lambda kv: kv[0])
    by_province = data.top(reg.by_province, rs.max_bars)
    by_stage = data.top(reg.by_stage, rs.max_bars)
    by_sector = data.top(reg.by_sector, rs.max_bars)
    latest = runs[0] if runs else {}
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sub = f"Report generated {generated}"
    if latest:
        sub += f" · latest run {latest['run_id']} ({latest['status'] or 'status unknown'}"
        sub += f", finished {latest['finished']})" if latest.get("finished") else ")"
    provinces = len([p for p in reg.by_province if not p.startswith("(")])
    css, js = render.asset("report.css"), render.asset("report.js")
    if "</script" in js.lower() or "</style" in css.lower():
        raise ValueError("report assets must not contain closing script/style tags")
    return render.fill(render.asset("template.html"), {
        "CSP": render.csp(css, js),
        "TITLE": render._e(f"Inovasi report · {len(reg.rows):,} innovations"),
        "CSS": css,
        "JS": js,
        "SUBTITLE": render._e(sub),
        "STATS": render.stats([("innovations", len(reg.rows)), ("mentions", len(tables["mentions"])),
                               ("replications", len(tables["replications"])), ("provinces", provinces),
                               ("articles ok", art_summary["ok"]), ("articles read", art_summary["read"]),
                               ("runs", len(tables["runs"]))]),
        "CHART_PROVINCE": charts.bar_chart(by_province, label="Innovations by province", filterable=True,
                                           no_filter=frozenset([data.NO_PROVINCE, by_province[-1][0]])
                                           if len(reg.by_province) > rs.max_bars else frozenset([data.NO_PROVINCE])),
        "CHART_YEAR": charts.column_chart(years[-rs.max_bars:], label="Innovations by year"),
        "CHART_AGENCY": charts.bar_chart(data.top(reg.by_agency_type, rs.max_bars), label="Innovations by agency type",
                                         filterable=True, no_filter=frozenset([rules.agency_unknown, rules.agency_other])),
        "CHART_STAGE": charts.bar_chart(by_stage, label="Innovations by competition stage", filterable=True,
                                        no_filter=frozenset([by_stage[-1][0]] if len(reg.by_stage) > rs.max_bars else []),
                                        empty_text="No competition stages reported yet."),
        "CHART_SECTOR": charts.bar_chart(by_sector, label="Innovations by sector", filterable=True,
                                         no_filter=frozenset(s for s, _ in by_sector if s not in reg.by_sector)
                                         | {rules.sector_unknown},
                                         queries={s: rules.sector_word.format(s) for s in reg.by_sector}),
        "CHART_DIGITAL": charts.bar_chart(
            [(lab, reg.by_digital[lab]) for _, lab, _ in rules.digital_labels if reg.by_digital.get(lab)],
            label="Digital share of innovations", filterable=True, share=True,
            queries={lab: word for _, lab, word in rules.digital_labels if word},
            no_filter=frozenset(lab for _, lab, word in rules.digital_labels if not word)),
        "CHART_GRAPH": charts.replication_graph(reps, max_edges=rs.max_graph_edges),
        "ARTICLES": render.articles_section(art_summary),
        "RUNS": render.runs_section(runs),
        "CODEBOOK": render.codebook_section(describe.codebook()),
        "FOOTER": render._e(f"{len(reg.rows):,} innovations · evidence cut at {rs.max_evidence_chars} characters, "
                            f"up to {rs.max_mentions_per_innovation} mentions per innovation; the full tables are "
                            "the CSV/Parquet files next to this report."),
        "DATA": render.json_island(payload),
    })


def _timeline(events: list[dict], ref: dict[str, int]) -> list[list]:
    """One entry per distinct (competition, scope, stage, year), with the articles reporting it."""
    merged: dict[tuple, list[int]] = {}
    for e in events:
        refs = merged.setdefault((e["competition"], e["scope"], e["stage"], e["year"]), [])
        r = ref.get(e["article_id"], -1)
        if r >= 0 and r not in refs:
            refs.append(r)
    return [[*key, refs] for key, refs in merged.items()]
