"""Finding a body by its id, name or alias: exact, else a unique prefix, else a unique substring,
with or without Danish letters (``okonomi`` and ``oekonomi`` both find "Økonomiudvalget")."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from ..folding import fold_variants
from ..i18n import T_
from ..ledger import Ledger
from . import ReportError

if TYPE_CHECKING:  # reports run on cached data without importing pydantic
    from ..views import Body


class BodyNameError(ReportError):
    """A name that matches no body, or more than one.

    ``candidates`` are the matching names (``ambiguous``), else the closest ones.
    """

    def __init__(self, message: str, candidates: list[str], ambiguous: bool = False) -> None:
        super().__init__(message)
        self.candidates = candidates
        self.ambiguous = ambiguous


# ----------------------------------------------------------------------------- folding


def _compact(text: str) -> str:
    """Letters and digits only: 'klima- og miljø' and 'klima og miljø' compare equal."""
    return "".join(c for c in text if c.isalnum())


def _keys(text: str) -> set[str]:
    return {k for v in fold_variants(text) for k in (v, _compact(v)) if k}


def _query_keys(query: str) -> set[str]:
    return _keys(query.strip())


# ----------------------------------------------------------------------------- names


def _body_names(body: Body) -> list[str]:
    return [body.id, body.name, *body.aliases]


def resolve_body(ledger: Ledger, name: str) -> Body:
    """Find one body by its id, name or alias: exact, else a unique prefix, else a unique substring.

    Case, accents and Danish letters are ignored. Raises :class:`BodyNameError` with the closest
    names when nothing matches or when more than one body matches.
    """
    query = _query_keys(name)
    if not query:
        raise BodyNameError(T_("no committee name given"), _closest(ledger, name))
    body_keys = {b.id: set().union(*(_keys(n) for n in _body_names(b))) for b in ledger.bodies.values()}
    tiers = (
        lambda q, k: q == k,
        lambda q, k: k.startswith(q),
        lambda q, k: q in k,
    )
    for matches_ in tiers:
        found = [bid for bid, keys in body_keys.items() if any(matches_(q, k) for q in query for k in keys)]
        if len(found) == 1:
            return ledger.bodies[found[0]]
        if len(found) > 1:
            names = [ledger.bodies[b].name for b in found]
            ranked = sorted(names, key=lambda n: -_similarity(name, n))
            raise BodyNameError(T_("'{name}' matches {count} bodies", name=name, count=len(found)), ranked,
                                ambiguous=True)
    raise BodyNameError(T_("no committee or body matches '{name}'", name=name), _closest(ledger, name))


def _similarity(a: str, b: str) -> float:
    fa, fb = min(fold_variants(a)), min(fold_variants(b))
    return difflib.SequenceMatcher(None, fa, fb).ratio()


def _closest(ledger: Ledger, name: str, n: int = 3) -> list[str]:
    """The names of the bodies nearest to ``name`` (by difflib over names, ids and aliases)."""
    scored: dict[str, float] = {}
    for body in ledger.bodies.values():
        scored[body.name] = max(_similarity(name, alias) for alias in _body_names(body))
    ranked = sorted(scored, key=lambda k: -scored[k])
    close = [k for k in ranked if scored[k] >= 0.4][:n]
    return close or ranked
