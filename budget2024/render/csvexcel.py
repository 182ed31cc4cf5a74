"""CSV for Danish Excel (``--format csv-excel``): the rows and machine headers of ``--format csv``,
separated by semicolons, with a decimal comma, in UTF-8 with a byte-order mark (without it Excel
reads the file as ANSI and garbles æ, ø and å).

``--format csv`` stays comma-separated UTF-8 without a mark, for programs.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator, Sequence
from typing import IO, Any

BOM = "\ufeff"


def excel_value(value: Any) -> Any:
    """A cell as Danish Excel reads it: a number with a decimal comma and no thousands separator
    (Excel would read '4.250' as 4,25); everything else as it is."""
    if isinstance(value, bool) or not isinstance(value, float):
        return value
    if value.is_integer():
        return str(int(value))
    return repr(value).replace(".", ",")


def write_csv_excel(header: Sequence[str], rows: Sequence[Sequence[Any]], out: IO[str]) -> None:
    """One table: the mark, then the header and rows separated by semicolons (CRLF, as Excel writes)."""
    out.write(BOM)
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(header)
    w.writerows([excel_value(v) for v in row] for row in rows)


#: True while the renderers' CSV (render.to_csv) is written for Danish Excel
_active = [False]


@contextlib.contextmanager
def csv_for_excel() -> Iterator[None]:
    """While inside, the renderers' CSV (render.to_csv) is written for Danish Excel."""
    saved = _active[0]
    _active[0] = True
    try:
        yield
    finally:
        _active[0] = saved
