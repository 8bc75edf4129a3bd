"""The scale benchmark runs at a CI size and reports time, memory, quality and the time ratio."""
from __future__ import annotations

import re
import subprocess
import sys

from test_resolve_helpers import ROOT, bench_module


def test_bench_runs_on_tiny_sizes():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "resolve_scale.py"), "--sizes", "300,600"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    rows = [ln for ln in lines if ln.startswith("n=")]
    assert len(rows) == 2
    for row in rows:
        assert re.search(r"resolve\s+[\d.]+s\s+peak RSS\s+[\d,]+ MB", row)
        f1 = float(re.search(r"F1=([\d.]+)", row).group(1))
        assert f1 >= 0.9
    assert re.match(r"time ratio 300 -> 600 \(2x input\): [\d.]+", lines[-1])


def test_generator_is_seeded_and_noisy():
    bench = bench_module()
    a, ta = bench.generate(400, seed=1)
    b, tb = bench.generate(400, seed=1)
    assert a == b and ta == tb
    names = {m.name for m in a}
    assert any(n.isupper() for n in names) and any(n.islower() for n in names)
    assert any(m.expansion for m in a) and any(not m.region for m in a)
    assert len(set(ta)) < len(a)  # innovations are mentioned more than once
