"""Writes a Fiscal Data Package (see :mod:`budget2024.reports.fdp`) to a folder, atomically."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from .files import write_folder


def write_fdp(export: dict[str, Any], out_dir: Path, *, force: bool = False) -> dict[str, Any]:
    """Write ``datapackage.json`` and the CSV resource into ``out_dir`` (built in a temporary
    folder beside it and renamed into place); returns a summary of what was written."""
    descriptor = export["descriptor"]
    columns: list[str] = export["columns"]
    rows: list[dict[str, Any]] = export["rows"]
    (resource,) = descriptor["resources"]

    def fill(folder: Path) -> None:
        data = folder / resource["path"]
        data.parent.mkdir(parents=True, exist_ok=True)
        with open(data, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(columns)
            w.writerows([["" if row[c] is None else row[c] for c in columns] for row in rows])
        with open(folder / "datapackage.json", "w", encoding="utf-8") as fh:
            json.dump(descriptor, fh, ensure_ascii=False, indent=2)
            fh.write("\n")

    write_folder(out_dir, fill, force=force)
    return {"folder": str(out_dir), "descriptor": str(out_dir / "datapackage.json"),
            "resources": [{"name": resource["name"], "path": str(out_dir / resource["path"]), "rows": len(rows)}]}
