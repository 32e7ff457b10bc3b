#!/usr/bin/env python3
"""Print wall time and peak memory of `jxcheck check` (rules backend) per report.

Targets (issue 2): under 0.3 s for the largest report (~101 KB) and under
150 MB peak resident memory. This script prints figures; it asserts nothing.

Usage: python scripts/benchmark.py [REPORTS_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import pathlib
import resource
import statistics
import sys
import time
import tracemalloc

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import load, pipeline  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reports", nargs="?", default=str(ROOT.parent / "shared" / "reports"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    paths = sorted(pathlib.Path(args.reports).glob("*.txt"))
    if not paths:
        print(f"no .txt reports in {args.reports}", file=sys.stderr)
        return 2
    # Warm up imports and compiled patterns once, as a long-running process would.
    pipeline.check_document(load.from_path(paths[0]))
    print(f"{'report':<28}{'KB':>8}{'median s':>10}{'max s':>8}{'py peak MB':>12}{'findings':>10}")
    total_times = []
    for path in paths:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = pipeline.check_document(load.from_path(path))
            times.append(time.perf_counter() - t0)
        tracemalloc.start()
        pipeline.check_document(load.from_path(path))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{path.name[:27]:<28}{path.stat().st_size / 1024:>8.1f}{statistics.median(times):>10.3f}"
              f"{max(times):>8.3f}{peak / 2**20:>12.1f}{len(report.findings):>10}")
        total_times.append(statistics.median(times))
    t0 = time.perf_counter()
    for path in paths:
        pipeline.check_document(load.from_path(path))
    all_five = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'all reports, one pass':<28}{sum(p.stat().st_size for p in paths) / 1024:>8.1f}"
          f"{all_five:>10.3f}")
    print(f"peak resident memory of this process (ru_maxrss): {rss:.1f} MB")
    print("targets: largest report < 0.3 s; peak memory < 150 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
