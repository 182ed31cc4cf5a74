"""budget2024: a command-line ledger for Ballerup Kommune's budget agreement 2024."""

__version__ = "0.1.0"
