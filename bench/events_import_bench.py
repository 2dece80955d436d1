"""`make bench-recs`, the events import's memory: `manage.py import_events` on CSVs of 1 M and 5 M rows (ROWS, in
millions), each in a process of its own, its peak resident memory and time printed. The import streams the file
twice (checked, then stored in one transaction), so the peak should not grow with the file. A throw-away
database of 2,000 products; nothing else is touched."""

import csv
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PROJECT, bench_env, manage  # noqa: E402

ROWS = [float(m) for m in os.environ.get("BENCH_EVENTS_MILLIONS", "1 5").split()]
PRODUCTS = 2000


def events_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    start = datetime(2026, 6, 1, tzinfo=UTC)
    kinds = np.array(["view", "cart", "purchase"])
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user", "sku", "event", "timestamp"])
        for first in range(0, rows, 100_000):
            n = min(100_000, rows - first)
            shoppers, products = rng.integers(0, 50_000, n), rng.integers(0, PRODUCTS, n)
            kind = kinds[rng.choice(3, n, p=[0.8, 0.12, 0.08])]
            for i in range(n):
                at = start + timedelta(seconds=int(first + i) * 2)
                writer.writerow([f"shopper-{shoppers[i]}", f"EV-{products[i]:05d}", kind[i], at.isoformat()])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="retail-bench-events-") as var_dir:
        env = bench_env(var_dir)
        manage("migrate", env=env)
        script = (
            "from catalog.models import Category, Product\n"
            "c = Category.objects.create(name='Bench')\n"
            f"Product.objects.bulk_create([Product(sku=f'EV-{{i:05d}}', title=f'P{{i}}', category=c) for i in range({PRODUCTS})])\n"
        )
        manage("shell", "-c", script, env=env)
        print(f"{'rows':>10}{'CSV MB':>10}{'peak RSS MB':>14}{'seconds':>10}")
        for millions in ROWS:
            rows = int(millions * 1_000_000)
            path = Path(var_dir) / f"events-{rows}.csv"
            events_csv(path, rows)
            # Each import in a process of its own, measured by a parent that does nothing else.
            measure = (
                "import resource, subprocess, sys\n"
                f"subprocess.run([sys.executable, 'manage.py', 'import_events', {str(path)!r}], check=True, "
                "capture_output=True)\n"
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            )
            began = time.perf_counter()
            peak_kb = int(
                subprocess.run(
                    [sys.executable, "-c", measure], cwd=PROJECT, env=env, check=True, capture_output=True, text=True
                ).stdout.split()[-1]
            )
            print(
                f"{rows:>10,}{path.stat().st_size / 1e6:>10.0f}{peak_kb / 1024:>14.0f}"
                f"{time.perf_counter() - began:>10.0f}",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
