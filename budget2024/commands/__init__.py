"""Subcommands beyond the core ones in :mod:`budget2024.cli`, and the one list of every command.

Each module registers its commands on :data:`budget2024.cli.app` when imported.
"""

#: Every command of ``budget``, with the module that registers it.
#: Adding a command is adding it here (and writing it in that module); the app imports a
#: module only when one of its commands runs, and the tests check they cover every name here.
COMMANDS: dict[str, str] = {
    "validate": "budget2024.cli",
    "totals": "budget2024.cli",
    "lines": "budget2024.cli",
    "committee": "budget2024.commands.committee",
    "committees": "budget2024.commands.committee",
    "list": "budget2024.commands.committee",
    "show": "budget2024.commands.committee",
    "reconcile": "budget2024.commands.reconcile",
    "check-strategy": "budget2024.commands.strategy",
    "export": "budget2024.commands.export",
    "site": "budget2024.commands.site",
    "status": "budget2024.commands.followup",
    "followup": "budget2024.commands.followup",
    "diff": "budget2024.commands.diff",
    "schema": "budget2024.commands.schema",
}


def _parts(*spec: str) -> frozenset[str]:
    """``_parts("agreement", "lines: id kind")`` is {"agreement", "lines.id", "lines.kind"}."""
    out: set[str] = set()
    for item in spec:
        table, _, cols = item.partition(":")
        if cols:
            out.update(f"{table}.{c}" for c in cols.split())
        else:
            out.add(table)
    return frozenset(out)


_LINES = "lines: id kind amounts initiative section"
_BODIES = "bodies: id name aliases"
_ROLES = ("initiatives: id section bodies", "sections: id bodies")

#: The parts of the agreement each command reads: a cache entry's parts are decoded and type-checked
#: before the command's report runs ("agreement" a whole part or table, "lines.amounts" one column;
#: None every part). Reading an undeclared part is a bug: the tests fail on it
#: (``cache.strict_reads``); elsewhere it is decoded then, and exits 3 if it does not decode.
READS: dict[str, frozenset[str] | None] = {
    "validate": frozenset(),  # always a full load
    "schema": frozenset(),
    "totals": _parts("agreement", "lines: kind amounts initiative section", "initiatives: id section",
                     "stated_figures", "tax_rates"),
    "lines": _parts("agreement", _LINES, "lines: body label note raw title", _BODIES, *_ROLES),
    "committee": _parts("agreement", _LINES, "lines: body label note raw title", _BODIES,
                        "bodies: committee section_17_4 finance", *_ROLES, "initiatives: title", "sections: title"),
    "committees": _parts("agreement", _LINES, "lines: body", _BODIES, "bodies: committee section_17_4 finance",
                         *_ROLES),
    "list": _parts("lines: id kind initiative section title", _BODIES, *_ROLES,
                   "initiatives: prose_amounts text title", "sections: title", "agreement"),
    "check-strategy": _parts("agreement", "key_figures", "strategy", "lines: id kind amounts initiative label title",
                             "initiatives: id section"),
    "show": None,
    "reconcile": None,
    "export": None,
    "site": None,
    "status": None,
    "followup": None,
    "diff": None,
}


def reads(command: str | None) -> frozenset[str] | None:
    """The parts ``command`` declares it reads (None: every part, as for a command not in :data:`READS`)."""
    return READS.get(command) if command is not None else None
