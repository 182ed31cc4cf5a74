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
