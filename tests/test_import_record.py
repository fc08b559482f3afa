"""`imports.toml`, what each source's last import held, is written without tomlkit (its import cost an
import's end 40-65 ms): the same text tomlkit wrote, read back the same."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import tomlkit

from readlog.importers import IMPORTS_FILE, last_imports, record_import


def _as_tomlkit_wrote(imports: dict[str, dict[str, object]]) -> str:
    doc = tomlkit.document()
    doc.add(
        tomlkit.comment(
            "What each source's last import held (readlog writes this: an older export is refused)"
        )
    )
    for name in sorted(imports):
        table = tomlkit.table()
        for key, value in imports[name].items():
            table[key] = value
        doc[name] = table
    return tomlkit.dumps(doc)


def test_the_record_is_the_text_tomlkit_wrote(tmp_path: Path) -> None:
    record_import(tmp_path, "storygraph", tmp_path / 'my "odd" export – été.csv', date(2023, 1, 31))
    record_import(tmp_path, "goodreads", tmp_path / "goodreads_library_export.csv", date(2024, 5, 1))
    before = (tmp_path / IMPORTS_FILE).read_text(encoding="utf-8")
    record_import(tmp_path, "goodreads", tmp_path / "older.csv", date(2022, 1, 1))  # never goes back
    text = (tmp_path / IMPORTS_FILE).read_text(encoding="utf-8")
    assert text == before  # an older export's import leaves the newer one's record whole (its file too)
    kept = last_imports(tmp_path)
    assert kept["goodreads"]["latest"] == date(2024, 5, 1)
    assert kept["goodreads"]["file"] == "goodreads_library_export.csv"
    assert kept["storygraph"]["file"] == 'my "odd" export – été.csv'
    assert text == _as_tomlkit_wrote(kept)
    assert tomllib.loads(text) == kept
