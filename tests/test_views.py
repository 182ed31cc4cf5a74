"""The declared contract between the agreement's two implementations and the reports.

mypy checks the types (``model._satisfies_views``, ``cache._satisfies_views``); these tests check
what mypy cannot: that the views, the models and the cache's records name the same fields, that
reports and the ledger see only the views, and that nothing in the cache or the reports hides
from mypy behind a ``type: ignore``.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

from budget2024 import cache, cacherows, cacheschema, model, views

PACKAGE = Path(__file__).resolve().parent.parent / "budget2024"
MODELS = [name for name in cacheschema.MODELS if name != "Agreement"]


def members(protocol: type) -> set[str]:
    return {name for name, attr in vars(protocol).items() if isinstance(attr, property)}


@pytest.mark.parametrize("name", MODELS)
def test_each_view_record_and_model_name_the_same_fields(name: str) -> None:
    desc = cacheschema.MODELS[name]
    want = {*desc["fields"], *desc["props"]}
    assert members(getattr(views, name)) == want
    assert set(cacherows.RECORDS[name].__annotations__) == want
    assert cacherows.RECORDS[name]._fields == tuple(desc["fields"])
    assert cacherows.RECORDS[name]._props == tuple(desc["props"])
    pyd = getattr(model, name)
    assert set(pyd.model_fields) | {p for p, a in vars(pyd).items() if isinstance(a, property)} == want


def test_the_agreement_view_and_the_cached_agreement_name_every_top_level_key() -> None:
    assert members(views.Agreement) == set(cacheschema.ROOT) == set(model.Agreement.model_fields)
    assert set(cache.LazyAgreement.__annotations__) == set(cacheschema.ROOT)


def test_records_are_matched_by_class_not_by_name() -> None:
    meta = cacheschema.MODELS["Meta"]
    fields = {f: None for f in meta["fields"]}
    a = object.__new__(cacherows.Meta)
    object.__setattr__(a, "__dict__", dict(fields, years=None))
    impostor_class = type("Meta", (cacherows.DictRecord,), {"_fields": tuple(meta["fields"])})
    impostor_class._model = impostor_class
    b = object.__new__(impostor_class)
    object.__setattr__(b, "__dict__", dict(fields, years=None))
    assert a == a
    assert a != b  # same name, same values, another class


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):  # inside functions and `if TYPE_CHECKING` too
        if isinstance(node, ast.ImportFrom):
            out.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("path", [PACKAGE / "ledger.py", *sorted((PACKAGE / "reports").glob("*.py"))],
                         ids=lambda p: p.name)
def test_the_ledger_and_reports_read_the_views_never_the_models(path: Path) -> None:
    found = imports_of(path)
    assert not {m for m in found if m.rsplit(".", 1)[-1] == "model" or m.endswith("budget2024.model")}, found
    assert not {m for m in found if m.lstrip(".").startswith("cache") or ".cache" in m}, found


def type_ignores(path: Path) -> list[int]:
    """Lines with a ``type: ignore`` comment, outside ``load_agreement`` (which part 13a moves to the session)."""
    source = path.read_text(encoding="utf-8")
    skip: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == "load_agreement":
            skip.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return [tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT and "type: ignore" in tok.string and tok.start[0] not in skip]


@pytest.mark.parametrize("path", [PACKAGE / "cache.py", PACKAGE / "cachecodec.py", PACKAGE / "cacherows.py",
                                  PACKAGE / "views.py", PACKAGE / "ledger.py",
                                  *sorted((PACKAGE / "reports").glob("*.py"))], ids=lambda p: p.name)
def test_no_type_ignore_in_the_cache_the_views_or_the_reports(path: Path) -> None:
    assert type_ignores(path) == []
