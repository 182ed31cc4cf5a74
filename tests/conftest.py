from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHIPPED = ROOT / "data" / "agreement.yaml"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small fixture agreement."""
    dst = tmp_path / "mini.yaml"
    shutil.copy(FIXTURES / "mini.yaml", dst)
    return dst


@pytest.fixture(scope="session")
def shipped_ledger():
    from budget2024.ledger import Ledger
    from budget2024.load import load

    return Ledger(load(SHIPPED))


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never see the developer's BUDGET_FILE, and never write a cache in $HOME."""
    monkeypatch.delenv("BUDGET_FILE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")
    # English unless a test chooses: a developer's Danish locale must not change the suite's results
    monkeypatch.setenv("BUDGET_LANG", "en")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _english_after() -> object:
    """Each test starts in English, whatever language an earlier test's command chose."""
    from budget2024 import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


def budget_executable() -> str:
    """The installed console script, beside this interpreter (no PATH or pyenv shims needed)."""
    here = Path(sys.executable).parent / "budget"
    if here.exists():
        return str(here)
    found = shutil.which("budget")
    if found is None:
        pytest.fail("the budget console script is not installed; run `pip install .`")
    return found
