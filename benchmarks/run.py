"""Measure budget2024 against hledger, ledger-cli and bean-check on the same ledger at several sizes.

For each K (see ``generate.py``) it runs ``budget totals --year 2025`` (as a table and as
JSON), ``budget committee "Klima- og Miljøudvalget"``, ``budget check-strategy`` and
``budget validate``, cold (no cache entry) and warm (with one), and the peers beside
them on a journal of the same appendix rows:

* ``ledger -f J balance -p 2025 --depth 2`` and ``hledger -f J balance -p 2025 --depth 2``
  (the year's totals per kind, as ``budget totals --year 2025``);
* ``bean-check F`` without its pickle cache and with it;
* and, as the floor of any cold load that parses with PyYAML, PyYAML's C loader alone on
  the agreement (``yaml.load(f, Loader=yaml.CSafeLoader)``, without positions or checks).

It prints the median wall time and the peak memory (RSS) of each, and ratios to
``python -c pass``, ``python -c "import typer"`` and the peers, all measured in the same
run, then the issue's targets with the numbers that meet or miss them. A peer that is
not installed is left out. Each measurement is repeated up to ``--repeat`` times, and
stops early once it has taken ``--budget`` seconds (so a 30-second run is made once).
Above ``--max-cold-k`` the cold runs are made once, with ``validate`` only (which always
loads in full); its run writes the cache entry the warm runs use.

The commands run from this checkout (``PYTHONPATH``), with a private cache directory,
after compiling the package's bytecode as an installation would.

Usage::

    python3 benchmarks/run.py                        # K = 1, 10, 100, 1000; about 6 minutes
    python3 benchmarks/run.py --max-k 100 --repeat 3 # quicker
    python3 benchmarks/run.py --json out.json        # the raw numbers too
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

COMMITTEE = "Klima- og Miljøudvalget"
OURS: dict[str, list[str]] = {
    "totals": ["totals", "--year", "2025"],
    "totals json": ["totals", "--year", "2025", "--format", "json"],
    "committee": ["committee", COMMITTEE],
    "check-strategy": ["check-strategy"],
    "validate": ["validate"],
}
#: PyYAML's C loader on the agreement, with nothing else: the floor of a cold load that parses with PyYAML.
_YAML_LOAD = "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)"
#: Exit statuses that are not failures: check-strategy exits 1 when a target fails.
OK_STATUS = {"check-strategy": {0, 1}}


@dataclass
class Result:
    name: str
    walls: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def wall(self) -> float | None:
        return statistics.median(self.walls) if self.walls and not self.error else None

    @property
    def rss_mb(self) -> float | None:
        return statistics.median(self.rss_kb) / 1024 if self.rss_kb and not self.error else None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "runs": len(self.walls), "median_s": self.wall, "peak_rss_mb": self.rss_mb,
                "walls": self.walls, "rss_kb": self.rss_kb, "error": self.error}


def _gnu_time() -> str | None:
    """GNU time, if installed: it reports the peak RSS of its child alone (see :func:`run_once`)."""
    path = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if path is None:
        return None
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if "GNU" in out.stdout + out.stderr else None


GNU_TIME = _gnu_time()


def run_once(cmd: list[str], env: dict[str, str], ok: set[int]) -> tuple[float, int, str | None]:
    """Wall time, peak RSS (KB) of the command, and an error message if it failed.

    Linux keeps a process's peak RSS across ``exec``, so a child forked from this (large)
    Python process would report at least this process's size. GNU time, a small program,
    reports its own child's peak instead; without it, the peak comes from ``wait4``.
    """
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss_file:
        full = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd] if GNU_TIME else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss
        if GNU_TIME:
            lines = rss_file.read().split()
            rss = int(lines[-1]) if lines and lines[-1].isdigit() else rss
        if p.returncode not in ok:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            return wall, rss, f"exit {p.returncode}: {' | '.join(tail)}"
    return wall, rss, None


@dataclass
class Spec:
    name: str
    cmd: list[str]
    before: Any = None
    ok: set[int] = field(default_factory=lambda: {0})


def measure(specs: list[Spec], env: dict[str, str], repeat: int, budget: float) -> dict[str, Result]:
    """Run the commands side by side, round after round (``before()`` before each run), up to
    ``repeat`` rounds; a command stops repeating once its runs have taken ``budget`` seconds."""
    results = {s.name: Result(s.name) for s in specs}
    spent = dict.fromkeys(results, 0.0)
    for _ in range(repeat):
        for s in specs:
            res = results[s.name]
            if res.error or (res.walls and spent[s.name] >= budget):
                continue
            if s.before is not None:
                s.before()
            wall, rss, error = run_once(s.cmd, env, s.ok)
            if error:
                res.error = error
                print(f"  {s.name}: {error}", file=sys.stderr)
                continue
            res.walls.append(wall)
            res.rss_kb.append(rss)
            spent[s.name] += wall
    for res in results.values():
        print(f"  {res.name}: {fmt_s(res.wall)} ({len(res.walls)} runs), {fmt_mb(res.rss_mb)}", file=sys.stderr)
    return results


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def fmt_mb(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f} MB"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else "?"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--k", type=int, nargs="+", default=list(generate.DEFAULT_KS), help="scale factors")
    p.add_argument("--max-k", type=int, default=None, help="leave out every K above this")
    p.add_argument("--max-cold-k", type=int, default=100, help="above this K, only one cold run (validate)")
    p.add_argument("--repeat", type=int, default=5, help="runs per measurement at most (default 5)")
    p.add_argument("--budget", type=float, default=8.0, help="seconds per measurement before it stops repeating")
    p.add_argument("--data", type=Path, default=HERE / "out", help="where the generated files are (or go)")
    p.add_argument("--no-peers", action="store_true", help="measure budget2024 only")
    p.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = p.parse_args(argv)
    ks = sorted(k for k in set(args.k) if args.max_k is None or k <= args.max_k)

    missing = [k for k in ks if not (args.data / f"agreement-K{k}.yaml").exists()
               or not (args.data / f"ledger-K{k}.journal").exists()]
    if missing:  # in another process, so that this one stays small
        print(f"generating K = {missing} in {args.data}", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(args.data), "--k",
                        *map(str, missing)], check=True)
    compileall.compile_dir(str(ROOT / "budget2024"), quiet=1)  # as `pip install` does

    py = sys.executable
    if GNU_TIME is None:
        print("GNU time is not installed: peak RSS includes this runner's own size", file=sys.stderr)
    cache_home = Path(tempfile.mkdtemp(prefix="budget-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGET_")}
    env.update({"PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache_home), "COLUMNS": "100"})

    def clear_cache() -> None:
        shutil.rmtree(cache_home / "budget2024", ignore_errors=True)

    peers = {} if args.no_peers else {name: shutil.which(name) for name in ("ledger", "hledger", "bean-check")}
    peers = {k: v for k, v in peers.items() if v}
    versions = {"ledger": ["ledger", "--version"], "hledger": ["hledger", "--version"],
                "bean-check": ["bean-check", "--version"]}
    info = {"machine": machine(), "peers": {k: first_line(versions[k]) for k in peers}}
    print(f"machine: {info['machine']}", file=sys.stderr)
    for name in set(versions) - set(peers):
        if not args.no_peers:
            print(f"{name} is not installed; left out", file=sys.stderr)

    started = time.perf_counter()
    rep, budget = args.repeat, args.budget
    base: dict[str, Result] = {}
    results: dict[int, dict[str, Result]] = {}
    for k in ks:
        rows = 121 * k
        print(f"K={k} ({rows:,} rows)", file=sys.stderr)
        agreement = args.data / f"agreement-K{k}.yaml"
        journal = args.data / f"ledger-K{k}.journal"
        beancount = args.data / f"beancount-K{k}.beancount"
        pickle = beancount.parent / f".{beancount.name}.picklecache"
        # the start-up commands are short and noisy: more rounds
        reps = max(rep, 15) if k == 1 else rep

        def ours(name: str, agreement: Path = agreement) -> list[str]:
            return [py, "-m", "budget2024", *OURS[name], "--file", str(agreement)]

        def no_pickle(pickle: Path = pickle) -> None:
            pickle.unlink(missing_ok=True)

        balance = ["balance", "-p", "2025", "--depth", "2"]
        # cold: no cache entry (budget2024), no pickle (bean-check); hledger beside them
        cold: list[Spec] = []
        if k <= args.max_cold_k:
            cold += [Spec(f"{name} cold", ours(name), clear_cache, OK_STATUS.get(name, {0})) for name in OURS]
            cold.append(Spec("yaml", [py, "-c", _YAML_LOAD, str(agreement)]))
        else:
            cold.append(Spec("validate cold", ours("validate"), clear_cache))
        if "hledger" in peers:
            cold.append(Spec("hledger", ["hledger", "-f", str(journal), *balance]))
        if "bean-check" in peers:
            cold.append(Spec("bean-check", ["bean-check", str(beancount)], no_pickle))
        r = measure(cold, env, reps if k <= args.max_cold_k else 1, budget)
        # warm: with the cache entry and bean-check's pickle; ledger beside them
        run_once(ours("totals json"), env, {0})
        warm = [Spec(f"{name} warm", ours(name), None, OK_STATUS.get(name, {0}))
                for name in OURS if not (name == "validate" and k > args.max_cold_k)]  # validate: warm is cold
        if "ledger" in peers:
            warm.append(Spec("ledger", ["ledger", "-f", str(journal), *balance]))
        if "bean-check" in peers:
            run_once(["bean-check", str(beancount)], env, {0})  # writes its cache if the load took > 1 s
            warm.append(Spec("bean-check cache", ["bean-check", str(beancount)]))
        if k == min(ks):
            warm += [Spec("python -c pass", [py, "-c", "pass"]), Spec("import typer", [py, "-c", "import typer"])]
        r.update(measure(warm, env, reps, budget))
        no_pickle()
        for name in ("python -c pass", "import typer"):
            if name in r:
                base[name] = r.pop(name)
        results[k] = r
    elapsed = time.perf_counter() - started
    shutil.rmtree(cache_home, ignore_errors=True)

    report(results, base, info, elapsed)
    if args.json:
        args.json.write_text(json.dumps({
            "info": info, "elapsed_s": elapsed,
            "baseline": {k: v.as_dict() for k, v in base.items()},
            "results": {str(k): {n: v.as_dict() for n, v in r.items()} for k, r in results.items()},
        }, indent=2) + "\n")
    return 0


def report(results: dict[int, dict[str, Result]], base: dict[str, Result], info: dict[str, Any],
           elapsed: float) -> None:
    out = sys.stdout
    pass_s = base["python -c pass"].wall if "python -c pass" in base else None
    typer_s = base["import typer"].wall if "import typer" in base else None
    out.write(f"Machine: {info['machine']}.\n")
    if info["peers"]:
        out.write("Peers: " + "; ".join(info["peers"].values()) + ".\n")
    out.write(f"Baselines: `python -c pass` {fmt_s(pass_s)}, `python -c \"import typer\"` {fmt_s(typer_s)}. "
              "Each cell is the median wall time and peak RSS of up to the given number of runs, made side by "
              "side (round after round) with the commands it is compared with. "
              f"The whole run took {elapsed / 60:.1f} minutes.\n\n")

    out.write("| rows | `budget` command | cold | warm | warm ÷ `python -c pass` | warm ÷ ledger "
              "| warm ÷ hledger | cold ÷ hledger |\n|---:|---|---:|---:|---:|---:|---:|---:|\n")
    for k, r in results.items():
        ledger_s = r["ledger"].wall if "ledger" in r else None
        hledger_s = r["hledger"].wall if "hledger" in r else None
        for name in OURS:
            cold, warm = r.get(f"{name} cold"), r.get(f"{name} warm")
            cs, ws = (cold.wall if cold else None), (warm.wall if warm else None)
            if cold is None and warm is None:
                continue
            out.write(f"| {121 * k:,} | `{' '.join(OURS[name][:1] + _shown(OURS[name][1:]))}` "
                      f"| {fmt_s(cs)}, {fmt_mb(cold.rss_mb if cold else None)} "
                      f"| {fmt_s(ws)}, {fmt_mb(warm.rss_mb if warm else None)} "
                      f"| {ratio(ws, pass_s)} | {ratio(ws, ledger_s)} | {ratio(ws, hledger_s)} "
                      f"| {ratio(cs, hledger_s)} |\n")
    out.write("\n| rows | ledger balance | hledger balance | bean-check (no cache) | bean-check (cache) "
              "| PyYAML `CSafeLoader` alone |\n|---:|---:|---:|---:|---:|---:|\n")
    for k, r in results.items():
        cells = []
        for name in ("ledger", "hledger", "bean-check", "bean-check cache", "yaml"):
            res = r.get(name)
            cells.append(f"{fmt_s(res.wall)}, {fmt_mb(res.rss_mb)}" if res and res.wall is not None else "–")
        out.write(f"| {121 * k:,} | " + " | ".join(cells) + " |\n")

    out.write("\nTargets:\n\n")
    small = results.get(1, {})
    checks: list[tuple[str, float | None, float | None, float]] = []
    if small:
        checks.append(("start-up: `budget totals --year 2025`, warm, ≤ 1.5 × `python -c \"import typer\"`",
                       _w(small, "totals warm"), typer_s, 1.5))
        checks.append(("start-up: `budget totals --year 2025 --format json`, warm, ≤ 1.2 × `import typer`",
                       _w(small, "totals json warm"), typer_s, 1.2))
    mid = results.get(100, {})
    if mid:
        checks.append(("12,100 rows, warm: `totals --year 2025` ≤ 0.5 × ledger", _w(mid, "totals warm"),
                       _w(mid, "ledger"), 0.5))
        checks.append(("12,100 rows, cold: `totals --year 2025` ≤ hledger", _w(mid, "totals cold"),
                       _w(mid, "hledger"), 1.0))
    big = results.get(1000, {})
    if big:
        checks.append(("121,000 rows, warm: `totals --year 2025` ≤ ledger (time)", _w(big, "totals warm"),
                       _w(big, "ledger"), 1.0))
        mem = big.get("totals warm"), big.get("ledger")
        checks.append(("121,000 rows, warm: `totals --year 2025` ≤ 0.5 × ledger (peak memory)",
                       mem[0].rss_mb if mem[0] else None, mem[1].rss_mb if mem[1] else None, 0.5))
    for text, ours_v, theirs, limit in checks:
        if ours_v is None or theirs is None:
            out.write(f"- {text}: not measured\n")
            continue
        verdict = "met" if ours_v <= limit * theirs else "**missed**"
        out.write(f"- {text}: {ours_v:.3f} against {limit} × {theirs:.3f} = {limit * theirs:.3f} "
                  f"({ours_v / theirs:.2f}×) — {verdict}\n")


def _w(r: dict[str, Result], name: str) -> float | None:
    res = r.get(name)
    return res.wall if res else None


def _shown(args: list[str]) -> list[str]:
    return [f'"{a}"' if " " in a else a for a in args]


if __name__ == "__main__":
    raise SystemExit(main())
