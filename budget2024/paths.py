"""Which agreement file to read: ``--file``, else ``BUDGET_FILE``, else the shipped one.

Kept apart from :mod:`budget2024.load` (which re-exports these names) so that the
cache can find the file without importing the YAML and pydantic machinery.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_FILE = "BUDGET_FILE"
#: Follow-up files (separated by os.pathsep) when no --followup is given.
ENV_FOLLOWUP = "BUDGET_FOLLOWUP"


def default_file() -> Path:
    """The shipped agreement: installed with the package, or beside the source tree."""
    try:
        from importlib.resources import files

        res = files("budget2024.data").joinpath("agreement.yaml")
        if res.is_file():
            return Path(str(res))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    return Path(__file__).resolve().parent.parent / "data" / "agreement.yaml"


def resolve_file(option: Path | None) -> Path:
    """``--file`` wins over ``BUDGET_FILE``, which wins over the shipped file."""
    if option is not None:
        return option
    env = os.environ.get(ENV_FILE)
    if env:
        return Path(env)
    return default_file()
