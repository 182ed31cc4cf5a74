"""Resident memory per input byte of a full load (``budget --no-cache validate``).

For each input it runs ``budget --no-cache validate --file F`` in a fresh process (the full load:
YAML, pydantic, checks, with positions read again when there is a problem to report) and prints
the peak resident memory of that process, its size above the interpreter's own (``python -c
pass`` with the package imported), and that excess divided by the file's size: the bytes of
memory a full load needs per byte of input. Two shapes:

* ``agreement-K{K}``: the benchmark agreement (``generate.py``), K = 1000 is 121,000 rows;
* ``agreement-K{K}-one-mistake``: the same with one unknown key at its end, so that the file is
  read again with positions (the most a load of an agreement-shaped file needs);
* ``flow-list-{MB}``: a file that is one long flow list of small numbers (``a: [1, 1, …]``), the
  shape that costs a reader the most memory per byte.

Usage::

    python3 benchmarks/memory.py                     # K = 100 and 1000, flow lists of 1 and 4 MB
    python3 benchmarks/memory.py --k 1000 --flow-mb 10
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def peak_rss(cmd: list[str], env: dict[str, str]) -> tuple[int, int]:
    """(exit status, peak resident memory in bytes) of one run of ``cmd`` in a fresh process."""
    code = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], env=env, capture_output=True, text=True, check=True)
    status, kb = out.stdout.split()
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB on Linux
    return int(status), int(kb) * scale


def flow_list(path: Path, mb: float) -> Path:
    n = int(mb * 1024 * 1024) // 3
    path.write_text("a: [" + ", ".join(["1"] * n) + "]\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--k", type=int, nargs="*", default=[100, 1000], help="agreement scale factors")
    p.add_argument("--flow-mb", type=float, nargs="*", default=[1, 4], help="sizes of flow-list files, in MB")
    p.add_argument("--data", type=Path, default=HERE / "out", help="where the generated files are (or go)")
    args = p.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGET_NO_CACHE": "1"}
    budget = [sys.executable, "-m", "budget2024"]
    _, base = peak_rss([sys.executable, "-c", "import budget2024.cli, budget2024.load"], env)
    inputs: list[tuple[str, Path]] = []
    for k in args.k:
        f = args.data / f"agreement-K{k}.yaml"
        if not f.exists():
            generate.write(f, generate.yaml_lines(generate.scaled(generate.read_source(generate.DEFAULT_SOURCE), k)))
        inputs.append((f"agreement-K{k} ({k * 121:,} rows)", f))
        # one mistake: the problems are located, so the file is read again with positions
        bad = args.data / f"agreement-K{k}-one-mistake.yaml"
        if not bad.exists() or bad.stat().st_mtime < f.stat().st_mtime:
            with f.open("rb") as src, bad.open("wb") as out:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
                out.write(b"unknown_key: 1\n")
        inputs.append(("  … with one mistake", bad))
    for mb in args.flow_mb:
        inputs.append((f"flow-list-{mb:g}MB", flow_list(args.data / f"flow-list-{mb:g}MB.yaml", mb)))
    print(f"baseline (interpreter and package imported): {base / 1e6:.0f} MB")
    print(f"{'input':<32} {'size':>10} {'exit':>4} {'peak RSS':>10} {'above base':>11} {'B/byte':>7}")
    for name, f in inputs:
        size = f.stat().st_size
        status, rss = peak_rss([*budget, "validate", "--file", str(f)], env)
        per = (rss - base) / size
        print(f"{name:<32} {size / 1e6:>8.1f}MB {status:>4} {rss / 1e6:>8.0f}MB {(rss - base) / 1e6:>9.0f}MB "
              f"{per:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
