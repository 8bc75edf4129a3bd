"""Shared helpers of the benchmark scripts (plain scripts: run them with python)."""
from __future__ import annotations

import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}  # cpu: this process's own CPU seconds


def timed(fn, *args, clock: str = "wall", **kwargs) -> tuple[float, object]:
    """(seconds, result) of ``fn``; ``clock='cpu'`` counts the process's CPU time, steadier on a
    shared machine for work that stays in one process (no worker processes)."""
    now = CLOCKS[clock]
    t0 = now()
    result = fn(*args, **kwargs)
    return now() - t0, result


def median(values) -> float:
    return statistics.median(values)


def peak_rss_mb(children: bool = False) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_maxrss / 1024  # Linux reports KiB


# Words to vary synthetic articles so that near-duplicate detection does not fold them.
_SYL = ["ma", "si", "ta", "ra", "pe", "lo", "ku", "na", "ba", "de", "ri", "so", "ga", "mu", "te", "ya", "jo", "wi"]
_REGIONS = ["Kabupaten Belu", "Kabupaten Sikka", "Kota Kupang", "Kabupaten Luwu Utara", "Kabupaten Bantaeng",
            "Kota Makassar", "Kabupaten Banyuwangi", "Kota Surabaya", "Kabupaten Sleman", "Kota Padang",
            "Kabupaten Sumbawa Barat", "Kabupaten Timor Tengah Selatan", "Kota Bandung", "Kabupaten Gowa"]
_AGENCIES = ["Dinas Kesehatan", "Disdukcapil", "DPMPTSP", "Dinas Lingkungan Hidup", "Bapenda", "Dinas Sosial",
             "RSUD", "Dinas Pendidikan dan Kebudayaan", "Diskominfo", "DPMD"]
_FILLER = ("Kegiatan itu dihadiri para kepala perangkat daerah, camat, dan kepala desa. Menurut panitia, penilaian "
           "dilakukan oleh tim independen yang melibatkan akademisi dan tokoh masyarakat. Warga berharap layanan "
           "yang lebih cepat dan mudah dapat terus dirasakan sampai ke pelosok desa.")


def synthetic_article(i: int, rng: random.Random) -> str:
    """An Indonesian news-like article naming two made-up innovations (unique per i)."""
    def name():
        return "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize() + " " + \
            "".join(rng.choice(_SYL) for _ in range(2)).capitalize()

    region, year = rng.choice(_REGIONS), rng.randint(2019, 2025)
    a1, a2 = rng.sample(_AGENCIES, 2)
    n1, n2 = name(), name()
    words = " ".join(rng.choice(_SYL) + rng.choice(_SYL) for _ in range(40))
    return (f"Pemerintah {region} Dorong Inovasi {n1} Ikut KIPP {year}\n\n"
            f"Pemerintah {region} mendorong dua inovasi untuk mengikuti Kompetisi Inovasi Pelayanan Publik "
            f"(KIPP) tingkat provinsi tahun {year} (nomor {i}).\n\n"
            f"Dua inovasi tersebut masing-masing adalah {n1} ({a1}) dan {n2} ({a2}).\n\n"
            f"Baca Juga: Berita lain nomor {i} tentang jalan desa\n\n"
            f"Inovasi {n1} sudah lolos seleksi administrasi. {_FILLER}\n\n"
            f"Catatan lapangan: {words}.\n\n{_FILLER}\n")


def write_synthetic_corpus(folder: Path, n: int, seed: int = 7) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(n):
        (folder / f"syn_{i:06d}.txt").write_text(synthetic_article(i, rng), encoding="utf-8")
    return folder
