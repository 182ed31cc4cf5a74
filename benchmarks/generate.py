"""Write scaled agreements, and the same ledger as journals for the peers.

For each K, ``agreement-K{K}.yaml`` holds K copies of every initiative and every
appendix row of the source agreement: the original, and K-1 copies with ids of their
own (``k7.i12`` is copy 7 of the 12th initiative, ``k7.r3`` of the 3rd row), each row
linked to its own copy of the initiative. Bodies, chapters, sections, discrepancies,
figures and the strategy are not copied. K=1 is the source file itself, byte for byte.

So that K=1000 (121,000 rows) stays under the tool's 50 MB limit on agreement files,
the copies have short ids and leave out the optional prose: an initiative's ``text``,
``note`` and ``prose_amounts``, the notes on its bodies, and a row's ``note``.
Everything a report uses (titles, the responsible bodies, kinds, amounts, the raw row)
is copied. Every file is a valid agreement (``budget validate`` accepts it). The file
is written in YAML's compact flow style, one item per line.

The journals hold the same appendix rows: one transaction per row and year, on
1 January, with one account per row (``Budget:Drift:<row id>``), balanced against
``Equity:Budget``; ``ledger-K{K}.journal`` is read by both hledger and ledger-cli,
``beancount-K{K}.beancount`` by bean-check.

Usage::

    python3 benchmarks/generate.py --out benchmarks/out            # K = 1, 10, 100, 1000
    python3 benchmarks/generate.py --out /tmp/b --k 1 10 --source data/agreement.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "data" / "agreement.yaml"
DEFAULT_KS = (1, 10, 100, 1000)

#: Optional prose left out of the copies (not of the original, K's first copy).
_INITIATIVE_PROSE = ("text", "note", "prose_amounts")
_LINE_PROSE = ("note",)


def read_source(path: Path) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=loader)  # noqa: S506 - a safe loader
    if not isinstance(data, dict) or "lines" not in data or "initiatives" not in data:
        raise SystemExit(f"{path}: not an agreement file")
    return data


def scaled(data: dict[str, Any], k_total: int) -> dict[str, Any]:
    """The agreement with K copies of every initiative and row.

    Copy 1 is the original. Copy k > 1 has short ids (``k7.i12`` is the 12th initiative of
    copy 7, ``k7.r3`` its 3rd row), each row linked to its copy of the initiative, and no
    optional prose.
    """
    out = dict(data)
    initiatives: list[dict[str, Any]] = list(data["initiatives"])
    lines: list[dict[str, Any]] = list(data["lines"])
    index = {ini["id"]: i for i, ini in enumerate(data["initiatives"])}
    for k in range(2, k_total + 1):
        for i, ini in enumerate(data["initiatives"]):
            c = {key: v for key, v in ini.items() if key not in _INITIATIVE_PROSE}
            c["id"] = f"k{k}.i{i}"
            if c.get("bodies"):
                c["bodies"] = [{key: v for key, v in b.items() if key != "note"} for b in c["bodies"]]
            initiatives.append(c)
        for r, line in enumerate(data["lines"]):
            c = {key: v for key, v in line.items() if key not in _LINE_PROSE}
            c["id"] = f"k{k}.r{r}"
            if c.get("initiative") is not None:
                c["initiative"] = f"k{k}.i{index[c['initiative']]}"
            lines.append(c)
    out["initiatives"] = initiatives
    out["lines"] = lines
    return out


# ----------------------------------------------------------------------------- YAML, flow style


def flow(value: Any) -> str:
    """A compact YAML flow-style rendering of plain data."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return scalar(value)
    if isinstance(value, list):
        return "[" + ",".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{flow_key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__}")


_PLAIN_START = re.compile(r"^[A-Za-z0-9æøåÆØÅ(]")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}#&*!|>'\"%@`]|: |:$| $|\t|\n")
_scalars: dict[str, str] = {}


def scalar(text: str) -> str:
    """Text as a plain scalar where YAML reads it back as the same text, else double-quoted."""
    found = _scalars.get(text)
    if found is None:
        found = json.dumps(text, ensure_ascii=False)  # JSON strings are valid YAML double-quoted scalars
        if text and _PLAIN_START.match(text) and not _FLOW_UNSAFE.search(text) and _reads_as_text(text):
            found = text
        _scalars[text] = found
    return found


def flow_key(key: Any) -> str:
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    return scalar(str(key))


def _reads_as_text(text: str) -> bool:
    import yaml

    return bool(yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str")


def yaml_lines(data: dict[str, Any]) -> Iterator[str]:
    yield "# A scaled agreement written by benchmarks/generate.py; not a real agreement.\n"
    for key, value in data.items():
        if isinstance(value, list):
            yield f"{key}:\n"
            for item in value:
                yield f"  - {flow(item)}\n"
        elif isinstance(value, dict):
            yield f"{key}:\n"
            for k, v in value.items():
                yield f"  {flow_key(k)}: {flow(v)}\n"
        else:
            yield f"{key}: {flow(value)}\n"


# ----------------------------------------------------------------------------- journals


def _rows(data: dict[str, Any]) -> Iterator[tuple[str, str, str, int, int]]:
    """(row id, kind, title, year, amount) for every row and year, in the appendix's order."""
    for line in data["lines"]:
        for year, amount in sorted(line["amounts"].items()):
            yield line["id"], line["kind"], line["title"], int(year), int(amount)


def ledger_journal(data: dict[str, Any]) -> Iterator[str]:
    """A journal that hledger and ledger-cli both read: one transaction per row and year."""
    yield "; A scaled agreement's appendix rows, written by benchmarks/generate.py. Amounts in 1.000 kr.\n"
    for row_id, kind, title, year, amount in _rows(data):
        text = title.replace(";", ",").replace("\n", " ")
        yield (f"{year}-01-01 {text}\n"
               f"    Budget:{kind.capitalize()}:{row_id}  {amount} DKK\n"
               f"    Equity:Budget\n\n")


def beancount_account(kind: str, row_id: str) -> str:
    # components start with a capital letter or digit and hold letters, digits and dashes
    component = re.sub(r"[^A-Za-z0-9-]", "-", row_id)
    return f"Expenses:{kind.capitalize()}:R{component}"


def beancount_journal(data: dict[str, Any]) -> Iterator[str]:
    yield "; A scaled agreement's appendix rows, written by benchmarks/generate.py. Amounts in 1.000 kr.\n"
    yield 'option "operating_currency" "DKK"\n\n'
    yield "2000-01-01 open Equity:Budget\n"
    seen: dict[str, str] = {}
    accounts: dict[str, str] = {}
    for line in data["lines"]:
        account = beancount_account(line["kind"], line["id"])
        if account in seen and seen[account] != line["id"]:
            account = f"{account}-{len(seen)}"
        seen[account] = line["id"]
        accounts[line["id"]] = account
        yield f"2000-01-01 open {account}\n"
    yield "\n"
    for row_id, _kind, title, year, amount in _rows(data):
        yield (f"{year}-01-01 * {json.dumps(title, ensure_ascii=False)}\n"
               f"  {accounts[row_id]}  {amount} DKK\n"
               f"  Equity:Budget\n\n")


def write(path: Path, chunks: Iterator[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(chunks)


def generate(source: Path, out: Path, ks: list[int], journals: bool = True) -> list[Path]:
    data = read_source(source)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for k in ks:
        agreement = out / f"agreement-K{k}.yaml"
        if k == 1:
            shutil.copyfile(source, agreement)
            big = data
        else:
            big = scaled(data, k)
            write(agreement, yaml_lines(big))
        written.append(agreement)
        if journals:
            write(out / f"ledger-K{k}.journal", ledger_journal(big))
            write(out / f"beancount-K{k}.beancount", beancount_journal(big))
            written += [out / f"ledger-K{k}.journal", out / f"beancount-K{k}.beancount"]
        rows = len(big["lines"])
        size = agreement.stat().st_size
        print(f"K={k}: {rows:,} rows, {len(big['initiatives']):,} initiatives, {size / 1e6:.1f} MB -> {agreement}",
              file=sys.stderr)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the agreement to scale (default: shipped)")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="output directory")
    p.add_argument("--k", type=int, nargs="+", default=list(DEFAULT_KS), help="scale factors (default: 1 10 100 1000)")
    p.add_argument("--no-journals", action="store_true", help="write only the agreements")
    args = p.parse_args(argv)
    if any(k < 1 for k in args.k):
        p.error("K must be at least 1")
    generate(args.source, args.out, sorted(set(args.k)), journals=not args.no_journals)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
