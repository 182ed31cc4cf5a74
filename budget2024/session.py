"""The one place that opens the agreement and its overlays for a command.

It resolves each path once, reads each file's bytes once (:mod:`budget2024.filebytes`), hashes
them once, takes the agreement from the cache or loads it in full (and stores it), and merges the
figures overlays. Commands ask it for what they need; reports get data that is already checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache, filebytes
from .errors import LoadError, Problem
from .paths import display_name, resolve_file

if TYPE_CHECKING:
    from .followup import FollowUp
    from .keyfigures import Figures, StrategyInput
    from .ledger import Ledger
    from .views import Agreement

#: The SHA-256 of the bytes each agreement was loaded from in this process, by resolved path.
_loaded_sha: dict[Path, str] = {}


def load_agreement(option: Path | None, *, use_cache: bool = True, trust_cache: bool = True,
                   given: str | None = None) -> Agreement:
    """The agreement ``--file``/``BUDGET_FILE``/the shipped file names, from the cache if it can.

    ``use_cache=False`` neither reads nor writes the cache (``--no-cache``);
    ``trust_cache=False`` always loads in full but refreshes the entry (``budget validate``); ``given``
    names the argument the path came from when it is not ``--file`` (for the hint of a missing file).
    """
    path = resolve_file(option)
    display = display_name(path)
    raw = filebytes.read_bytes(path, display, given or filebytes.AGREEMENT_GIVEN)
    return _agreement(path, display, raw, use_cache=use_cache, trust_cache=trust_cache)


def _agreement(path: Path, display: str, raw: bytes, *, use_cache: bool = True,
               trust_cache: bool = True) -> Agreement:
    """The agreement in ``raw`` (the bytes of ``path``): the same bytes are hashed, parsed and
    stored, so that an entry's key always names its content."""
    directory = cache.cache_dir() if use_cache and not cache.disabled() else None
    cache.last_status = "off"
    sha = filebytes.sha256(raw) if directory is not None else None
    if sha is not None:
        _loaded_sha[path] = sha
    if directory is not None and sha is not None:
        if trust_cache:
            ident = cache.identity(sha)
            entry = cache.entry_path(directory, ident)
            cached = cache.read_entry(entry, ident, path, len(raw))
            # the parts the command declared are decoded and type-checked now, before any report runs:
            # a part that fails makes the entry a miss (a full load, and the entry rewritten)
            if cached is not None and cached.prepare(cache.expected_reads):
                cache.last_status = "hit"
                cache._debug(f"hit {entry}")
                cache.settle()
                return cached
        else:
            cache.last_status = "refresh"
    from .load import load_bytes

    agreement = load_bytes(raw, display)
    del raw
    cache.settle()
    if directory is not None and sha is not None:
        cache.write_entry(directory, path, cache.identity(sha), agreement)  # made from exactly the bytes hashed
    return agreement


def load_inputs(file: Path | None, overlays: Sequence[Path] = ()) -> StrategyInput:
    """The agreement with its strategy and key figures checked, and the overlays merged in order.

    Every problem in every file is collected before :class:`LoadError` is raised.
    """
    from .keyfigures import StrategyInput, figures_from_agreement, merge  # only check-strategy needs them
    from .ledger import Ledger
    from .strategy_checks import locate, strategy_findings

    problems: list[Problem] = []
    path = resolve_file(file)
    display = display_name(path)
    agreement: Agreement | None = None
    try:
        raw = filebytes.read_bytes(path, display)  # read once: the problems below are located in these same bytes
        agreement = _agreement(path, display, raw)
        if strategy_findings(agreement):  # rare: parse the same bytes again, with positions, to locate them
            from .load import validate_source
            from .yamlsource import decode, parse

            source = parse(decode(raw, display), display)
            agreement = validate_source(source)
            problems.extend(locate(source, strategy_findings(agreement)))
    except LoadError as exc:
        problems.extend(exc.problems)
    layers: list[Figures] = []
    names: list[str] = []
    for overlay in overlays:
        layer, found = _overlay(overlay, agreement)
        problems.extend(found)
        if layer is not None:
            layers.append(layer)
        names.append(str(overlay))
    if problems or agreement is None:
        raise LoadError(problems)
    figures = merge(figures_from_agreement(agreement, display), *layers)
    return StrategyInput(Ledger(agreement), figures, display, names)


def _overlay(overlay: Path, agreement: Agreement | None) -> tuple[Figures | None, list[Problem]]:
    """One figures overlay's figures (None when it cannot be read) and its problems."""
    from .figures import overlay_figures, overlay_rows, rows_figures
    from .keyfigures import merge
    from .yamlsource import load_source  # only with an overlay: a warm run without one needs no PyYAML

    try:
        source = load_source(overlay, given="--figures")
    except LoadError as exc:
        return None, list(exc.problems)
    layer, found = overlay_figures(source)
    lists, more = overlay_rows(source)
    found.extend(more)
    if lists and agreement is not None:
        from_rows, more = rows_figures(agreement, source, lists)
        found.extend(more)
        layer = merge(layer, from_rows)
    return layer, found


def ledger_inputs(ledger: Ledger, file: Path | None) -> StrategyInput:
    """The strategy's inputs for an agreement already loaded from ``file``, without overlays: what
    :func:`load_inputs` gives, without reading the file again (unless it has problems to locate,
    which :func:`load_inputs` then raises)."""
    from .keyfigures import StrategyInput, figures_from_agreement
    from .strategy_checks import strategy_findings

    display = str(resolve_file(file))
    if strategy_findings(ledger.agreement):
        return load_inputs(file)
    return StrategyInput(ledger, figures_from_agreement(ledger.agreement, display), display, [])


def load_followup(paths: Sequence[Path], ledger: Ledger, agreement_file: Path | None, *,
                  trust_cache: bool = True) -> FollowUp:
    """The follow-up files combined and checked against the agreement; raises LoadError.

    Each file's bytes are read once: they are hashed for the cache key and, on a miss, parsed.
    A valid entry (same bytes of every file, same agreement file, same code) is used instead
    of YAML and pydantic; ``trust_cache=False`` always loads in full (``budget validate``).
    The key names the agreement by the hash of the bytes it was loaded from in this process.
    """
    from .followup import CACHE_FORMAT, entry_path, read_entry, read_file, sha, write_entry

    agreement_sha = _loaded_sha.get(resolve_file(agreement_file))
    raws: list[tuple[str, bytes | None]] = [(str(p), read_file(p)) for p in paths]
    directory = cache.cache_dir() if not cache.disabled() else None
    key: dict[str, Any] | None = None
    if directory is not None and all(raw is not None for _, raw in raws):
        if agreement_sha is None:
            try:
                agreement_sha = cache.file_sha256(resolve_file(agreement_file))
            except OSError:
                agreement_sha = None
        if agreement_sha is not None:
            key = {**cache.identity(agreement_sha), "followup_format": CACHE_FORMAT,
                   "followup": [[name, sha(raw or b"")] for name, raw in raws]}
    entry = entry_path(directory, key) if directory is not None and key is not None else None
    if entry is not None and key is not None and trust_cache:
        found = read_entry(entry, key)
        if found is not None:
            cache._debug(f"follow-up hit {entry}")
            return found
    from .followup_load import load_full

    result = load_full(raws, ledger)
    if entry is not None and key is not None:
        write_entry(entry, key, result)
    return result


def load_bytes(raw: bytes, display: str) -> Agreement:
    """An agreement given as bytes (``git show REV:PATH``), loaded in full: it has no file to key a cache entry by."""
    from .load import load_bytes as load

    return load(raw, display)
