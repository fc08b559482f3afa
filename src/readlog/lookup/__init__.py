"""Open Library look-ups: the one HTTP client (`client`), its answers as plain data (`openlibrary`), covers
kept in the data dir (`covers`), filling books (`fill`), and the reader's series (`series`).

Nothing here is imported by other commands: `lookup`, `enrich`, `series` and `add --lookup` import it when
they run.
"""
