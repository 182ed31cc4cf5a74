"""A faster start for the typer app: build only the command that runs; convert plain values without pydantic.

Interface: :class:`LazyTyper` (an app that builds only the command named on the command line)
and :func:`install` (converts plain option values as typer does, handing everything else, every
invalid value included, to typer; a no-op on an untested typer). The README's performance
section has the measurements and the long form; ``tests/test_perf.py`` checks both against typer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

import typer

#: A fast converter returns this to hand the value to typer's own conversion.
MISS: Any = object()

Fast = Callable[[Any, Any, Any], Any]


class LazyTyper(typer.Typer):
    """A Typer app that builds only the command named on the command line.

    ``global_flags`` are the app callback's options that take no value; they may stand
    before the command. Any other option before the command (``--help`` included) makes
    the whole app be built, as does a name that is not a command.

    ``lazy_commands`` maps the name of a command to the module that registers it, so that
    the module is imported only when that command runs, or when anything reads the whole
    list of commands (``--help``, typer's ``get_command``, the test runner).
    """

    def __init__(self, *, global_flags: Iterable[str] = (), lazy_commands: dict[str, str] | None = None,
                 command_order: Iterable[str] = (), **kwargs: Any) -> None:
        self.command_order = tuple(command_order)  # the order of the help's list of commands
        self.lazy_commands = dict(lazy_commands or {})  # as given; _lazy holds those not yet imported
        self._lazy = dict(self.lazy_commands)
        self._narrow = False  # True while only the named command is in play
        self._sealed = False  # True once the module that made the app has registered its own commands
        super().__init__(**kwargs)
        self.global_flags = frozenset(global_flags)

    @property
    def registered_commands(self) -> list[Any]:  # typer has a plain attribute here
        if self._lazy and self._sealed and not self._narrow:
            self.load_commands()
        if self.command_order and not self._narrow:  # the help lists them in one order, whatever was imported first
            rank = {name: i for i, name in enumerate(self.command_order)}
            self._registered.sort(key=lambda c: rank.get(command_name(c), len(rank)))
        return self._registered

    @registered_commands.setter
    def registered_commands(self, value: list[Any]) -> None:
        self._registered = value

    @property
    def registered_groups(self) -> list[Any]:  # sub-apps (add_typer), in the same one order
        if self.command_order and not self._narrow:
            rank = {name: i for i, name in enumerate(self.command_order)}
            self._groups.sort(key=lambda g: rank.get(str(g.name or g.typer_instance.info.name), len(rank)))
        return self._groups

    @registered_groups.setter
    def registered_groups(self, value: list[Any]) -> None:
        self._groups = value

    def seal(self) -> None:
        """Called after the app's own module has registered its commands: from now on, reading
        the list of commands imports the lazy ones (they are listed after the app's own)."""
        self._sealed = True

    def load_commands(self, names: Iterable[str] | None = None) -> None:
        """Import the modules of these lazy commands (of all of them by default)."""
        wanted = list(self._lazy) if names is None else [n for n in names if n in self._lazy]
        modules = {self._lazy.pop(n) for n in wanted}
        for module in sorted(modules):
            __import__(module)  # (importlib.import_module would hide it from python -X importtime)

    def _first_command(self, argv: Sequence[str]) -> str | None:
        for token in argv:
            if token in self.global_flags:
                continue
            return None if token.startswith("-") else token
        return None

    def only_command(self, argv: Sequence[str]) -> str | None:
        """The command that ``argv`` (without the program name) runs, if that is certain."""
        token = self._first_command(argv)
        if token is None:
            return None
        names = {command_name(c) for c in self._registered}
        if token not in names and token not in self._lazy:
            return None
        return token

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        argv = kwargs.get("args", args[0] if args else None)
        name = self.only_command(sys.argv[1:] if argv is None else list(argv))
        if name is None:
            return super().__call__(*args, **kwargs)
        self._narrow = True
        everything = self._registered
        try:
            self.load_commands([name])
            self._registered = [c for c in everything if command_name(c) == name]
            return super().__call__(*args, **kwargs)
        finally:
            self._registered = everything
            self._narrow = False


def command_name(info: Any) -> str:
    """The name typer gives a registered command."""
    if info.name:
        return str(info.name)
    return str(info.callback.__name__).lower().replace("_", "-")


#: The typer releases (major.minor) the fast conversion was tested against; any other typer runs as it is.
TESTED_TYPER = ("0.29",)


def install() -> bool:
    """Wrap typer's parameter conversion; True if typer is one it was tested with and has the hook."""
    if ".".join(getattr(typer, "__version__", "").split(".")[:2]) not in TESTED_TYPER:
        return False
    try:
        from typer import _coercion, _param_types, core
    except ImportError:  # pragma: no cover - another typer
        return False
    original = getattr(core, "build_runtime_param", None)
    base = getattr(_coercion, "RuntimeParam", None)
    if original is None or base is None:  # pragma: no cover - another typer
        return False
    if getattr(original, "budget2024_fast", False):
        return True
    choose = getattr(_param_types, "coerce_cli_choice", None)
    check_path = getattr(_param_types, "coerce_cli_path", None)
    if choose is None or check_path is None:  # pragma: no cover - another typer
        return False

    class FastRuntimeParam(base):  # type: ignore[misc,valid-type]
        """Converts plain values itself; hands the rest to typer's runtime parameter."""

        def __init__(self, descriptor: Any, fast: Fast) -> None:
            super().__init__(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
            object.__setattr__(self, "descriptor", descriptor)  # the base is a frozen dataclass
            object.__setattr__(self, "fast", fast)
            object.__setattr__(self, "slow", [])

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            result = self.fast(value, param, ctx)
            if result is MISS:
                if not self.slow:
                    self.slow.append(build_original(self.descriptor))
                return self.slow[0]._coerce_value(value, param, ctx)
            return result

    build_original: Callable[[Any], Any] = original

    def build(descriptor: Any) -> Any:
        fast = _fast_for(descriptor, choose, check_path)
        if fast is None:
            return build_original(descriptor)
        return FastRuntimeParam(descriptor, fast)

    build.budget2024_fast = True  # type: ignore[attr-defined]
    setattr(core, "build_runtime_param", build)  # noqa: B010 - typer's own module, not a typed API
    return True


def _fast_for(descriptor: Any, choose: Callable[..., Any], check_path: Callable[..., Any]) -> Fast | None:
    """A fast converter for this parameter, or None to leave it to typer entirely."""
    import typing

    if getattr(descriptor, "file_annotation", None) is not None:
        return None
    info = descriptor.parameter_info
    parser = getattr(info, "parser", None)
    annotation = descriptor.annotation
    if parser is not None:
        return _parsed(parser, many=typing.get_origin(annotation) is list)
    if typing.get_origin(annotation) is list:
        (item_type,) = typing.get_args(annotation) or (None,)
        item = _leaf(item_type, info, choose, check_path)
        if item is None:
            return None

        def many(value: Any, param: Any, ctx: Any) -> Any:
            if not isinstance(value, list | tuple):
                return MISS
            out = []
            for v in value:
                r = item(v, param, ctx)
                if r is MISS:
                    return MISS
                out.append(r)
            return out

        return many
    return _leaf(annotation, info, choose, check_path)


def _parsed(parser: Callable[[str], Any], many: bool = False) -> Fast:
    """A parser of our own: called on the text as typer calls it; its BadParameter (or ValueError) is a bad value."""

    def parse(v: Any, param: Any, ctx: Any) -> Any:
        if isinstance(v, Enum):  # a default already of the parsed type (--format's Format.table)
            return v
        # a repeatable option (--followup, --figures): each of its values parsed
        if not (type(v) is str or many and isinstance(v, list | tuple) and all(type(x) is str for x in v)):
            return MISS
        try:
            return [parser(x) for x in v] if type(v) is not str else parser(v)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), ctx=ctx, param=param) from None

    return parse


def _leaf(annotation: Any, info: Any, choose: Callable[..., Any], check_path: Callable[..., Any]) -> Fast | None:
    if annotation is str:
        return lambda v, param, ctx: v if type(v) is str else MISS
    if annotation is bool:
        return lambda v, param, ctx: v if type(v) is bool else MISS
    if annotation is int:
        if getattr(info, "min", None) is not None or getattr(info, "max", None) is not None:
            return None

        def whole(v: Any, param: Any, ctx: Any) -> Any:
            if type(v) is int:
                return v
            if type(v) is str and v.isascii():
                digits = v[1:] if v[:1] in ("+", "-") else v
                if digits.isdigit() and len(digits) <= 18:
                    return int(v)
            return MISS

        return whole
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = tuple(annotation)
        case_sensitive = getattr(info, "case_sensitive", True)

        def choice(v: Any, param: Any, ctx: Any) -> Any:
            try:
                return choose(v, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
            except ValueError:
                return MISS  # typer's conversion says what is wrong, in its own words

        return choice
    if annotation is Path and getattr(info, "path_type", None) is None and getattr(info, "parser", None) is None:

        def path(v: Any, param: Any, ctx: Any) -> Any:
            if isinstance(v, Path):
                p = v
            elif type(v) is str and v:
                p = Path(v)
            else:
                return MISS
            return check_path(p, info, path_type=Path, param=param, ctx=ctx)

        return path
    return None
