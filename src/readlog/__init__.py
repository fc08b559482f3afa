"""readlog: a reading journal you own, kept as plain TOML files."""

__version__ = "0.1.0"
