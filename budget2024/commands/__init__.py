"""Subcommands beyond the core ones in :mod:`budget2024.cli`.

Each module registers its commands on :data:`budget2024.cli.app` when imported.
"""
