"""How fast the rules package imports and estimates (a benchmark, not a test).

    python calculator/benchmarks/speed.py

Import time is measured in fresh interpreters (median of 9); estimate() over
every test case and a typical request (median of many calls).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from case_data import load_cases  # noqa: E402

TYPICAL = {
    "application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training",
    "theme": "professional_skills", "enterprise": {"fte": 12, "turnover": 1500000}, "cost": 2000,
}
IMPORT_PROBE = "import time; t = time.perf_counter(); import kmo_portefeuille; print(time.perf_counter() - t)"


def import_ms(runs: int = 9) -> list[float]:
    return [float(subprocess.check_output([sys.executable, "-c", IMPORT_PROBE])) * 1000 for _ in range(runs)]


def estimate_ms(request: dict, runs: int) -> list[float]:
    from kmo_portefeuille import estimate
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        estimate(request)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    from kmo_portefeuille import estimate
    imports = import_ms()
    start = time.perf_counter()
    estimate(TYPICAL)
    first = (time.perf_counter() - start) * 1000  # includes reading the data files once
    typical = estimate_ms(TYPICAL, 5000)
    per_case = [statistics.median(estimate_ms(case.request, 200)) for case in load_cases()]
    print(f"import kmo_portefeuille      median {statistics.median(imports):6.1f} ms  (min {min(imports):.1f}, max {max(imports):.1f})")
    print(f"first estimate (loads data)         {first:6.2f} ms")
    print(f"estimate, typical request    median {statistics.median(typical):6.3f} ms  (p95 {sorted(typical)[int(len(typical) * .95)]:.3f})")
    print(f"estimate, {len(per_case)} test cases     median {statistics.median(per_case):6.3f} ms  (max {max(per_case):.3f})")


if __name__ == "__main__":
    main()
