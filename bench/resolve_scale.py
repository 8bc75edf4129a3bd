"""Resolve at scale: synthetic innovation mentions, 100k and 1M by default.

    python bench/resolve_scale.py --sizes 100000,1000000
    python bench/resolve_scale.py --sizes 1000,10000        # CI-sized
    python bench/resolve_scale.py --repeat 3                # medians of 3 runs per size

Each size runs in a fresh subprocess (with ``--repeat``, the sizes take turns, so a noisy
neighbour on the machine hits all of them alike, and the medians are reported); it prints the time of ``resolve()`` (generation is
timed separately), the peak RSS of the subprocess (``ru_maxrss``, includes the generated
input), the pairwise precision/recall/F1 of the clusters against the generator's truth,
and, for two or more sizes, the time ratio between the last two sizes.

The generator builds Indonesian-looking names from syllables and words ("Si Modis",
"Lapbukit", "Kampung Berdaya", acronyms with their expansions), spreads innovations
over the real regions of the gazetteer (the same name recurring in other regions as a
different innovation) and writes each mention with the noise that news has: case and
spacing changes, hyphens, a typo, a region suffix ("... Lutra"), the long form instead
of the acronym, a missing region or agency.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.records import Event, Mention  # noqa: E402
from pipeline.settings import CORPORA_DIR, Settings  # noqa: E402

SYLLABLES = ("ka ki ku ke ko sa si su se so ta ti tu te to ma mi mu me mo na ni nu ne no la li lu le lo "
             "ra ri ru re ro pa pi pu pe po ba bi bu be bo da di du de do ga gi gu ge go ja ji ju jo "
             "wa wi we ha hi hu ya yu tan kar mas dang rin bang sih pin lung dar kit lam pur sen tor gar "
             "bun lan mat pat rang sung tam won kap gen sar ban dut rak bol jem tang sep lin").split()
WORDS = ("layanan sistem informasi desa sehat pintar kampung digital mandiri cerdas pasar bersih gerakan "
         "pelayanan terpadu keliling online warga sekolah ibu anak bayi gizi pangan tani nelayan pajak "
         "perizinan kependudukan kesehatan pendidikan lingkungan sampah air bersama aman tangguh berdaya "
         "inovasi jemput bola antar tempat cepat mudah murah ramah terintegrasi berbasis aplikasi data "
         "administrasi keluarga remaja lansia posyandu puskesmas rumah sakit ambulans darurat bencana "
         "arsip perpustakaan buku baca literasi kartu akta nikah surat izin usaha mikro koperasi ekspor "
         "hutan sungai laut pantai irigasi sawah benih pupuk ternak ikan garam jalan jembatan lampu parkir "
         "pengaduan konsultasi edukasi pelatihan beasiswa guru siswa kelas vaksin stunting imunisasi obat "
         "klinik apotek bidan dokter perawat ambulan pemadam kebakaran banjir gempa relawan pemuda olahraga "
         "wisata budaya seni kuliner kerajinan batik tenun pasar rakyat harga stok distribusi logistik "
         "transportasi angkutan terminal pelabuhan bandara listrik internet jaringan sinyal menara").split()
AGENCIES = ("Dinas Kesehatan", "Disdukcapil", "DPMPTSP", "Dinas Pendidikan", "Bappeda", "DLH", "Diskominfo",
            "Dinas Pertanian", "Dinas Sosial", "RSUD", "Bapenda", "DPMD", "Dinas Perhubungan", "Puskesmas")
STAGES = ("pengajuan proposal", "seleksi administrasi", "Top 99", "Top 45", "juara")


def load_regions() -> list[tuple[str, str, list[str]]]:
    """(region name, province, suffixes) from the gazetteer CSVs."""
    gz = CORPORA_DIR / "gazetteers"
    aliases: dict[str, list[str]] = {}
    with open(gz / "region_aliases.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            aliases.setdefault(row["region"], []).append(row["alias"])
    out = []
    with open(gz / "regions.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append((row["name"], row["province"], [row["core"], *aliases.get(row["name"], [])]))
    return out


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _acronym(rng: random.Random, words: list[str]) -> str:
    return "".join(w[: rng.randint(1, 3)] for w in words)


def make_innovation(rng: random.Random) -> tuple[str, str]:
    """(name, expansion) of one innovation."""
    r = rng.random()
    if r < 0.30:  # acronym with its long form
        words = rng.sample(WORDS, rng.randint(3, 5))
        name = _acronym(rng, words)
        name = name.upper() if rng.random() < 0.5 else name.capitalize()
        return name, " ".join(w.capitalize() for w in words)
    if r < 0.50:
        return "Si " + _word(rng).capitalize(), ""
    if r < 0.70:
        return " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(2, 3))), ""
    if r < 0.85:
        return f"{_word(rng).capitalize()} {rng.choice(WORDS).capitalize()}", ""
    return _word(rng).capitalize(), ""


def _typo(rng: random.Random, s: str) -> str:
    i = rng.randrange(1, len(s) - 1)
    op = rng.random()
    if op < 0.4:
        return s[:i] + s[i + 1:]
    if op < 0.7:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + rng.choice("aiueonrst") + s[i + 1:]


def written(rng: random.Random, name: str, expansion: str, suffixes: list[str]) -> tuple[str, str]:
    """One way an article writes the name (and whether it gives the long form)."""
    exp = expansion if expansion and rng.random() < 0.5 else ""
    if expansion and rng.random() < 0.05:
        return expansion, ""  # the long form as the name
    r = rng.random()
    if r < 0.15:
        name = name.upper()
    elif r < 0.25:
        name = name.lower()
    if name.lower().startswith("si ") and rng.random() < 0.3:
        name = name[:2] + name[3:]  # "SiModis"
    if " " in name and rng.random() < 0.05:
        name = name.replace(" ", "-", 1)
    if len(name) >= 7 and rng.random() < 0.08:
        name = _typo(rng, name)
    if suffixes and rng.random() < 0.08:
        name = f"{name} {rng.choice(suffixes)}"
    return name, exp


def generate(n: int, seed: int = 7, mentions_per_innovation: float = 4.0, n_regions: int | None = None):
    """``n`` mentions and the true innovation of each (for pairwise scores).

    ``n_regions`` limits the regions used (the first ones of a seeded shuffle), e.g. to keep
    the number of innovations per region constant while ``n`` grows.
    """
    rng = random.Random(seed)
    regions = load_regions()
    if n_regions:
        random.Random(seed).shuffle(regions)
        regions = regions[:n_regions]
    n_inn = max(1, int(n / mentions_per_innovation))
    pool = [make_innovation(rng) for _ in range(max(1, n_inn // 10))]  # names that recur elsewhere
    innovations = []
    seen = set()
    for k in range(n_inn):
        region = rng.choice(regions)
        name, exp = rng.choice(pool) if rng.random() < 0.1 else make_innovation(rng)
        # one innovation per name (and long form) and region
        while (name.lower(), region[0]) in seen or (exp and (exp, region[0]) in seen):
            name, exp = make_innovation(rng)
        seen.add((name.lower(), region[0]))
        seen.add((exp, region[0]))
        innovations.append((k, name, exp, rng.choice(AGENCIES), region))
    mentions, truth = [], []
    per_article = 5
    for i in range(n):
        k, name, exp, agency, (region, province, sufs) = innovations[rng.randrange(n_inn)]
        wname, wexp = written(rng, name, exp, sufs)
        art = f"a{(i // per_article):016x}"
        year = rng.randint(2019, 2024)
        events = (Event("KIPP", region, rng.choice(STAGES), year),) if rng.random() < 0.5 else ()
        mentions.append(Mention(
            article_id=art, name=wname, expansion=wexp,
            agency=agency if rng.random() < 0.7 else "",
            region=region if rng.random() < 0.97 else "",
            province=province, events=events, published=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
        truth.append(k)
    return mentions, truth


def pairwise(truth, pred) -> tuple[float, float, float]:
    """Pairwise precision/recall/F1 from cluster sizes (no pair enumeration)."""
    def pairs(c):
        return sum(v * (v - 1) // 2 for v in c.values())
    tp = pairs(Counter(zip(truth, pred)))
    p_all, t_all = pairs(Counter(pred)), pairs(Counter(truth))
    p = tp / p_all if p_all else 1.0
    r = tp / t_all if t_all else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_one(n: int) -> dict:
    from pipeline.resolve import Prior, mention_key, resolve

    t0 = time.perf_counter()
    mentions, truth = generate(n)
    t1 = time.perf_counter()
    res = resolve(mentions, [], Prior(), Settings())
    t2 = time.perf_counter()
    ids = {mention_key(m) + "\x00" + m.name + m.region: m.innovation_id for m in res.mentions}
    pred = [ids[mention_key(m) + "\x00" + m.name + m.region] for m in mentions]
    p, r, f = pairwise(truth, pred)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"n": n, "generate_s": round(t1 - t0, 2), "resolve_s": round(t2 - t1, 2),
            "peak_rss_mb": round(rss_kb / 1024), "entries": len(res.entries),
            "true_innovations": len(set(truth)), "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f, 4), **{k: v for k, v in res.stats.items() if k != "mentions"}}


def _run_child(n: int) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"size {n} failed:\n{proc.stderr}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _print_row(row: dict, label: str = "") -> None:
    print(f"n={row['n']:>9,}  resolve {row['resolve_s']:8.2f}s  peak RSS {row['peak_rss_mb']:6,} MB  "
          f"entries {row['entries']:,} (true {row['true_innovations']:,})  "
          f"P={row['precision']:.3f} R={row['recall']:.3f} F1={row['f1']:.3f}  "
          f"pairs {row['candidate_pairs']:,} comparisons {row['comparisons']:,}{label}", flush=True)
    phases = " ".join(f"{k[3:]}={v / 1000:.1f}s" for k, v in row.items() if k.startswith("ms_"))
    print(f"    phases: {phases}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000", help="comma-separated mention counts")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size; medians are reported")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    sizes = [int(x) for x in args.sizes.split(",") if x]
    runs: dict[int, list[dict]] = {n: [] for n in sizes}
    for rep in range(max(1, args.repeat)):
        for n in sizes:
            row = _run_child(n)
            if row is None:
                return 1
            runs[n].append(row)
            _print_row(row, f"  (run {rep + 1})" if args.repeat > 1 else "")
    results = [_median_row(runs[n]) for n in sizes]
    if args.repeat > 1:
        for row in results:
            print(f"median of {len(runs[row['n']])}: n={row['n']:,} resolve {row['resolve_s']:.2f}s "
                  f"peak RSS {row['peak_rss_mb']:,} MB F1={row['f1']:.3f}", flush=True)
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        ratio = b["resolve_s"] / a["resolve_s"] if a["resolve_s"] else float("inf")
        print(f"time ratio {a['n']:,} -> {b['n']:,} ({b['n'] / a['n']:.0f}x input): {ratio:.2f}")
    return 0


def _median_row(rows: list[dict]) -> dict:
    """The run with the median resolve time (of an even count, the lower middle one)."""
    return sorted(rows, key=lambda r: r["resolve_s"])[(len(rows) - 1) // 2]


if __name__ == "__main__":
    sys.exit(main())
