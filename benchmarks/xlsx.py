"""The two workbook writers side by side, and `budget lines --format xlsx` beside `--format csv`.

Prints the medians of: the import of XlsxWriter and of openpyxl (each in a fresh interpreter),
writing the same table (ROWS rows of a text and four numbers, with a number format) with each,
and the whole command writing the appendix as a workbook and as CSV. openpyxl is only in the
test extras; the script says so when it is missing.

Usage::

    python3 benchmarks/xlsx.py                 # 7 rounds, 2,000 rows
    python3 benchmarks/xlsx.py --repeat 15 --rows 20000
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRITE = {
    "xlsxwriter": """
import xlsxwriter, sys
book = xlsxwriter.Workbook(sys.argv[1]); ws = book.add_worksheet(); f = book.add_format({"num_format": "#,##0"})
for i in range(int(sys.argv[2])):
    ws.write_string(i, 0, f"title {i}")
    for j in range(1, 5):
        ws.write_number(i, j, i * j - 500, f)
book.close()
""",
    "openpyxl": """
import openpyxl, sys
book = openpyxl.Workbook(); ws = book.active
for i in range(int(sys.argv[2])):
    ws.append([f"title {i}", *[i * j - 500 for j in range(1, 5)]])
    for c in ws[i + 1][1:]:
        c.number_format = "#,##0"
book.save(sys.argv[1])
""",
}


def median_ms(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "t.xlsx")
        base = median_ms([py, "-c", "pass"], args.repeat)
        print(f"{'':28} {'median ms':>10}")
        print(f"{'python -c pass':28} {base:10.0f}")
        for lib, code in WRITE.items():
            try:
                imp = median_ms([py, "-c", f"import {lib}"], args.repeat) - base
                write = median_ms([py, "-c", code, out, str(args.rows)], args.repeat) - base
            except subprocess.CalledProcessError:
                print(f"{lib:28} not installed")
                continue
            print(f"{'import ' + lib:28} {imp:10.0f}")
            print(f"{lib + f' {args.rows} rows':28} {write:10.0f}  (import included)")
        budget = str(Path(py).with_name("budget"))
        csv = median_ms([budget, "lines", "--format", "csv"], args.repeat)
        xlsx = median_ms([budget, "lines", "--format", "xlsx", "--output", out, "--force"], args.repeat)
        print(f"{'budget lines --format csv':28} {csv:10.0f}")
        print(f"{'budget lines --format xlsx':28} {xlsx:10.0f}")


if __name__ == "__main__":
    main()
