"""A Babel extraction method for the command line's help: the marked texts (``_``, ``N_``, ``T_``…)
as Babel's Python extractor finds them, and also every ``help="…"`` given as text to a call
(``typer.Option``, ``typer.Argument``, ``app.command``), every text default of a parameter named
``help`` (``def year_option(help="…")``) and the docstring of every command
(a function decorated with ``….command(…)`` or ``….callback(…)``), which typer shows as help.

Used by babel.cfg (``[scripts.babel_help.extract: **.py]``); the help is translated
when it is shown (budget2024/language.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from babel.messages.extract import extract_python


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, Any, Any, list[str]]]:
    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    source = fileobj.read()
    if isinstance(source, bytes):
        source = source.decode(options.get("encoding", "utf-8"))
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                value = kw.value
                if kw.arg == "help" and isinstance(value, ast.Constant) and isinstance(value.value, str) \
                        and value.value:
                    yield value.lineno, None, value.value, []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):  # def year_option(help: str = "…")
            args = node.args
            named = list(zip(args.args[len(args.args) - len(args.defaults):], args.defaults, strict=True))
            named += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
            for arg, default in named:
                if arg.arg == "help" and isinstance(default, ast.Constant) and isinstance(default.value, str):
                    yield default.lineno, None, default.value, []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(map(_is_command, node.decorator_list)):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield node.body[0].lineno, None, doc, []


def _is_command(decorator: ast.expr) -> bool:
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(func, ast.Attribute) and func.attr in {"command", "callback"}
