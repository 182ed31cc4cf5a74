"""The cost of the language: a warm ``budget totals --format json`` in English and in Danish, beside
``python -c "import typer"``.

English is the source language and reads no catalogue; Danish opens the compiled catalogue
(budget2024/locale/da/LC_MESSAGES/budget2024.mo) with the standard library's ``gettext``. The script
warms the cache once, then times the runs round after round (interleaved, so that a change in the
machine's load touches all of them alike) and prints the medians and the ratios beside the README's
start-up target (a warm ``totals --format json`` in at most 1.2 × ``import typer``), and the time
to load the catalogue alone.

Usage::

    python3 benchmarks/i18n.py               # 15 rounds
    python3 benchmarks/i18n.py --repeat 31
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.2


def _budget() -> list[str]:
    here = Path(sys.executable).parent / "budget"
    found = str(here) if here.exists() else shutil.which("budget")
    return [found] if found else [sys.executable, "-m", "budget2024"]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _catalogue_load(rounds: int) -> float:
    """Median seconds to open and parse the Danish catalogue, in this process."""
    from budget2024 import i18n

    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        i18n.set_language("da")
        times.append(time.perf_counter() - start)
        i18n.set_language("en")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="rounds (default 15)")
    args = parser.parse_args()
    budget = _budget()
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k not in {"BUDGET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}}
        env["XDG_CACHE_HOME"] = cache
        runs = {
            '`python -c "import typer"`': [sys.executable, "-c", "import typer"],
            "`budget --lang en totals --format json`, warm": [*budget, "--lang", "en", "totals", "--format", "json"],
            "`budget --lang da totals --format json`, warm": [*budget, "--lang", "da", "totals", "--format", "json"],
            "`budget --lang da totals --year 2025` (table, piped), warm": [*budget, "--lang", "da", "totals",
                                                                           "--year", "2025"],
        }
        for cmd in runs.values():  # warm the cache and the file system
            _time(cmd, env)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, cmd in runs.items():
                times[name].append(_time(cmd, env))
    medians = {name: statistics.median(t) for name, t in times.items()}
    base = medians['`python -c "import typer"`']
    print(f"{args.repeat} rounds; load average {os.getloadavg()[0]:.1f}")
    print("| command | median | ÷ `import typer` |")
    print("|---|---:|---:|")
    for name, median in medians.items():
        print(f"| {name} | {median:.3f} s | {median / base:.2f} × |")
    print(f"catalogue loaded in-process (gettext + .mo): {_catalogue_load(51) * 1000:.2f} ms")
    for lang in ("en", "da"):
        ratio = medians[f"`budget --lang {lang} totals --format json`, warm"] / base
        verdict = "met" if ratio <= TARGET else "missed"
        print(f"start-up, {lang}: totals --format json ≤ {TARGET} × import typer: {ratio:.2f} × — {verdict}")


if __name__ == "__main__":
    main()
