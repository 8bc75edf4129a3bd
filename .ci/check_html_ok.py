"""CI: run the pipeline on the sample corpus and require every HTML input to come out ``ok``.

A fresh install that misses a run-time dependency (e.g. lxml_html_clean for jusText) turns
every HTML page into a ``failed`` row; this makes that a red CI run instead of a silent loss.
"""
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

root = Path(__file__).resolve().parents[1]
with tempfile.TemporaryDirectory() as out:
    subprocess.run(["inovasi", "run", str(root / "corpora" / "sample"), "--out", out, "--quiet"], check=True)
    rows = list(csv.DictReader(open(Path(out) / "articles.csv", encoding="utf-8")))
    html = [r for r in rows if r["source"].endswith((".html", ".htm"))]
    bad = [r for r in html if r["status"] == "failed"]
    if not html or bad:
        for r in bad[:5]:
            print(f"ci: {r['source']}: {r['status']} {r['reason']}", file=sys.stderr)
        sys.exit(f"ci: {len(bad)} of {len(html)} HTML pages failed after a fresh install")
    print(f"ci: {len(html)} HTML pages ok after a fresh install")
