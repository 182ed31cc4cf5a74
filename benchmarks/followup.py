"""`budget status` with a follow-up file that covers every initiative and every row, beside
``python -c "import typer"``.

The follow-up file is made up by :func:`followup_yaml` from the agreement itself: every initiative
gets a priority, a plan for each quarter and two status entries (March and September); every
appendix row a correction, actuals and a forecast. It is written to ``benchmarks/out/`` (not in
git). The script then times, round after round, a warm ``budget status`` (the agreement and the
follow-up file cached) as a piped table and as JSON, and the baselines, and prints the medians and
the ratios beside the target (at most 2 × ``import typer``).

Usage::

    python3 benchmarks/followup.py                    # 15 rounds on the shipped agreement
    python3 benchmarks/followup.py --repeat 31 --committee KMU
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

ROOT = generate.ROOT
TARGET = 2.0


def followup_yaml(data: dict[str, Any]) -> str:
    """A follow-up file for the agreement ``data`` (read by generate.read_source) covering every
    initiative and row of it, in its budget year. Made up, for measurements and tests only."""
    meta = data["agreement"]
    year = meta["budget_year"]
    key = generate.flow_key
    out = ["# Made up by benchmarks/followup.py: every initiative and row of the agreement; not real data.",
           "schema_version: 1",
           f"agreement: {{municipality: {generate.scalar(meta['municipality'])}, "
           f"title: {generate.scalar(meta['title'])}}}",
           f"year: {year}", "tasks:"]
    states = ["on-track", "delayed", "not-started", "done", "ongoing"]
    for i, ini in enumerate(data["initiatives"]):
        out.append(f"  {key(ini['id'])}:")
        out.append(f"    priority: {i + 1}")
        out.append("    plan: {Q1: Forberedelse, Q2: Igangsættelse, Q3: Gennemførelse, Q4: Afrapportering}")
        out.append("    status:")
        out.append(f"      - {{date: {year}-03-12, state: {states[i % 5]}, note: Status til martsmødet}}")
        out.append(f"      - {{date: {year}-09-10, state: {states[(i + 1) % 5]}}}")
    out.append("rows:")
    for line in data["lines"]:
        agreed = line["amounts"].get(year, 0)
        out.append(f"  {key(line['id'])}:")
        out.append(f"    corrections: [{{date: {year}-02-28, decision: \"KB {year}-02-28, pkt. 7\", "
                   f"amounts: {{{year}: 10}}}}]")
        out.append(f"    actuals: [{{as_of: {year}-06-30, amount: {agreed // 2}}}]")
        out.append(f"    forecast: [{{as_of: {year}-06-30, amount: {agreed + 10}}}]")
    return "\n".join(out) + "\n"


def write_followup(agreement: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(followup_yaml(generate.read_source(agreement)), encoding="utf-8")
    return out


def _time(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agreement", type=Path, default=generate.DEFAULT_SOURCE)
    ap.add_argument("--committee", default="Klima- og Miljøudvalget")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    args = ap.parse_args(argv)
    fu = write_followup(args.agreement, args.out / "followup-every-task.yaml")
    compileall.compile_dir(str(ROOT / "budget2024"), quiet=1)  # as `pip install` does
    year = generate.read_source(args.agreement)["agreement"]["budget_year"]
    with tempfile.TemporaryDirectory() as cache_home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGET_")}
        env.update({"XDG_CACHE_HOME": cache_home, "PYTHONPATH": str(ROOT)})
        status = [sys.executable, "-m", "budget2024", "status", args.committee, "--file", str(args.agreement),
                  "--followup", str(fu), "--as-of", f"{year}-09-30"]
        specs = {
            "python -c pass": [sys.executable, "-c", "pass"],
            'python -c "import typer"': [sys.executable, "-c", "import typer"],
            "budget status (table, piped), warm": status,
            "budget status --format json, warm": [*status, "--format", "json"],
            "budget followup --format json, warm": [sys.executable, "-m", "budget2024", "followup", "--file",
                                                    str(args.agreement), "--followup", str(fu), "--format", "json"],
        }
        for cmd in list(specs.values())[2:]:  # fill the caches: the agreement's and the follow-up file's
            subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=True)
        walls: dict[str, list[float]] = {name: [] for name in specs}
        for _ in range(args.repeat):  # round after round, so that the machine's load hits all alike
            for name, cmd in specs.items():
                walls[name].append(_time(cmd, env))
    med = {name: statistics.median(w) for name, w in walls.items()}
    typer_s = med['python -c "import typer"']
    n_tasks = sum(1 for line in fu.read_text(encoding="utf-8").splitlines() if line.startswith("    priority:"))
    print(f"follow-up file: {fu} ({fu.stat().st_size:,} bytes, {n_tasks} tasks); median of {args.repeat} rounds")
    print(f"{'command':<40} {'median':>8} {'÷ import typer':>15}")
    for name, m in med.items():
        print(f"{name:<40} {m:>7.3f}s {m / typer_s:>14.2f}×")
    worst = max(med["budget status (table, piped), warm"], med["budget status --format json, warm"])
    verdict = "met" if worst <= TARGET * typer_s else "missed"
    print(f"target: warm `budget status` <= {TARGET} × import typer: {worst:.3f} against {TARGET * typer_s:.3f} "
          f"({worst / typer_s:.2f}×) — {verdict}")
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
