"""BulkWriter's temp files (issue 25, the import's file writes): written with os.write under names that
count up from one random start, in the `.NAME.XXXXXXXX.tmp` shape `check --fix` and the clean-up know; a
name already taken is passed over, never written into."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from readlog.checkup import stray_temp_files
from readlog.files import BulkWriter
from readlog.journal import Journal

TEMP = re.compile(r"\.(.+)\.([0-9a-f]{8})\.tmp")


def _temps(folder: Path) -> dict[str, str]:
    """target name -> temp name, for every temp file in `folder`."""
    found = {}
    for p in folder.iterdir():
        match = TEMP.fullmatch(p.name)
        if match:
            found[match[1]] = p.name
    return found


def test_temp_files_hold_the_exact_text_privately_under_the_known_shape(tmp_path):
    writer = BulkWriter(batch=100)
    texts = {f"b{n}.toml": f'title = "\u00e9t\u00e9 {n}"\n' * (n + 1) for n in range(5)}
    for name, text in texts.items():
        writer.add(tmp_path / name, text)
    temps = _temps(tmp_path)
    assert sorted(temps) == sorted(texts)
    for name, temp in temps.items():
        assert (tmp_path / temp).read_bytes() == texts[name].encode("utf-8")
        assert stat.S_IMODE((tmp_path / temp).stat().st_mode) == 0o600
    numbers = sorted(int(TEMP.fullmatch(t)[2], 16) for t in temps.values())  # type: ignore[index]
    assert len(set(numbers)) == 5
    writer.flush()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(texts)
    assert (tmp_path / "b3.toml").read_text(encoding="utf-8") == texts["b3.toml"]


def test_a_taken_temp_name_is_passed_over_never_written_into(tmp_path):
    writer = BulkWriter(batch=100)
    writer.add(tmp_path / "a.toml", "a = 1\n")
    used = int(TEMP.fullmatch(_temps(tmp_path)["a.toml"])[2], 16)  # type: ignore[index]
    following = f"{(used + 1) & 0xFFFFFFFF:08x}"
    squatter = tmp_path / f".b.toml.{following}.tmp"  # the very name the next file would get
    squatter.write_text("not readlog's\n")
    writer.add(tmp_path / "b.toml", "b = 2\n")
    assert squatter.read_text() == "not readlog's\n"
    temp_b = [p for p in tmp_path.iterdir() if p.name.startswith(".b.toml.") and p != squatter]
    assert len(temp_b) == 1 and temp_b[0].read_text() == "b = 2\n"
    writer.add(tmp_path / "c.toml", "c = 3\n")  # and the writer goes on
    writer.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == [squatter.name]  # its own temp files removed


def test_an_empty_text_is_an_empty_file(tmp_path):
    writer = BulkWriter(batch=100)
    writer.add(tmp_path / "e.toml", "")
    writer.flush()
    assert (tmp_path / "e.toml").read_bytes() == b""


def test_check_finds_an_interrupted_imports_temp_files(tmp_path):
    journal = Journal(tmp_path / "data")
    journal.books_dir.mkdir(parents=True)
    writer = BulkWriter(batch=100)
    writer.add(journal.path_for("dune"), 'title = "Dune"\n')
    writer.add(journal.path_for("emma"), 'title = "Emma"\n')
    found = stray_temp_files(journal)
    assert sorted(TEMP.fullmatch(p.name)[1] for p in found) == ["dune.toml", "emma.toml"]  # type: ignore[index]
    writer.discard()
    assert stray_temp_files(journal) == []


def test_a_bare_file_name_gets_its_temp_file_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writer = BulkWriter(batch=100)
    writer.add(Path("bare.toml"), "x = 1\n")
    assert list(_temps(tmp_path)) == ["bare.toml"]
    writer.flush()
    assert (tmp_path / "bare.toml").read_text() == "x = 1\n"
