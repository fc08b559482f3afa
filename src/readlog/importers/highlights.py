"""E-reader highlights on the import registry: Kindle, KOReader, Kobo, Readwise.

They bring quotes and notes, not books (`adds_books = False`): their records are applied by
`readlog.highlights.apply`, which finds each book through identity's highlight policy (or creates it as
`--create` says) and writes quotes idempotently. Each format's parser stays in `readlog.highlights`; this
module is only how the registry sees them: a `sniff` from the first bytes, a `parse`, and where a folder
(a device, a backup, a KOReader `*.sdr` tree) keeps the format's files.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from readlog.errors import ReadlogError
from readlog.importers.base import Importer, ImportOptions, Note, Reject, Row

if TYPE_CHECKING:
    from readlog.highlights.records import Parsed
    from readlog.importers import ImportReport
    from readlog.journal import Journal

# What a highlights format is told from: the first 4 KB (as before they were on the registry; a longer
# head would let a separator line deep in another kind of file count).
HEAD = 4096


class HighlightsImporter(Importer):
    """A format whose records are highlights of books: matched, never read as rows of books."""

    source = None
    adds_books = False
    folders: ClassVar[tuple[str, ...]] = ()  # glob patterns of this format's files inside a folder

    def __init__(self) -> None:
        super().__init__()
        self.header = ["text"]  # a --rejects file: line, reason, the highlight's text
        self.readers: list[type[HighlightsImporter]] = [type(self)]  # the formats a folder is searched for

    @classmethod
    @abstractmethod
    def sniff(cls, head: bytes, filename: str) -> bool: ...

    @abstractmethod
    def parse(self, path: Path) -> Parsed:
        """The file's highlights as plain records (highlights.records), its rejects and what was skipped."""

    def read(self, path: Path) -> Iterator[Row | Reject | Note]:
        raise ReadlogError(
            f"{self.label} highlights are applied to books (`readlog import`), not read as rows"
        )

    @classmethod
    def for_folder(cls, readers: Iterable[type[Importer]]) -> HighlightsImporter:
        """An importer for a folder holding the files of any of these highlights formats."""
        importer = cls()
        importer.readers = [r for r in readers if issubclass(r, HighlightsImporter)]
        return importer

    def run(self, journal: Journal, path: Path, options: ImportOptions) -> ImportReport:
        from datetime import date

        from readlog.highlights.apply import apply
        from readlog.importers import ImportReport

        # (options.create is one of highlights.apply.CREATE, or None: importers.run_import checks it)
        fmt, parsed = (
            self.read_folder(path) if path.is_dir() else (self.name, self._reader_of(path).parsed(path))
        )
        result = apply(journal, fmt, parsed, options.dry_run, options.create, date.today(), options.choose)
        report = ImportReport(format=result.format, header=self.header, adds_books=False, highlights=result)
        report.added = [b.title for b in result.books if b.created]
        updated = [b for b in result.books if not b.created and not b.not_created and b.changed]
        report.updated = [b.title for b in updated]  # (a book the file brought nothing new: not updated)
        report.added_slugs = [b.slug for b in result.books if b.created]
        report.updated_slugs = [b.slug for b in updated]
        # (skipped: not in the journal and not made, `--create none`; or here with nothing new from the file:
        # so every book the file names is counted once, as an export's re-run counts its rows)
        report.skipped = [b.title for b in result.books if b.not_created or not (b.created or b.changed)]
        report.rejected = [Reject(r.line, r.reason, [r.text]) for r in result.rejects]
        report.warnings = list(result.warnings)
        return report

    def parsed(self, path: Path) -> Parsed:
        """`parse`, and a warning naming the lines that were not UTF-8 (read as Windows-1252)."""
        parsed = self.parse(path)
        if parsed.fallback_lines:
            from readlog.text import fallback_message

            parsed.warnings.append(
                f"{path}: {fallback_message(parsed.fallback_lines, parsed.fallback_encoding)}"
            )
        return parsed

    def read_folder(self, folder: Path) -> tuple[str, Parsed]:
        """Every file of these formats under `folder`, each read by the format its content says, merged
        into one set of records (one book's highlights from two devices are one group)."""
        patterns = [pattern for reader in self.readers for pattern in reader.folders]
        found = [p for p in folder_files(folder, patterns) if not p.name.endswith(".old")]
        files = sorted(p for p in found if p.is_file())
        odd = [f"{p} is {_what_is(p)}, not a file: not read" for p in sorted(set(found) - set(files))]
        if not files and odd:  # (a fifo or a folder named My Clippings.txt: said as the file given is)
            raise ReadlogError(f"{folder} holds no highlights: {odd[0].removesuffix(': not read')}")
        if not files:
            wanted = ", ".join(
                f"{r.label} {' or '.join(f.rsplit('/', 1)[-1] for f in r.folders)}"
                for r in self.readers
                if r.folders
            )
            raise ReadlogError(f"{folder} holds no highlights: no {wanted}")
        names: list[str] = []
        merged: Parsed | None = None
        for path in files:
            reader = self._reader_of(path)
            names.append(reader.name)
            parsed = reader.parsed(path)
            for reject in parsed.rejects:
                reject.reason = f"{path.relative_to(folder)}: {reject.reason}"
            if merged is None:
                merged = parsed
            else:
                merged.extend(parsed)
        assert merged is not None
        merged.warnings.extend(odd)
        return "+".join(dict.fromkeys(names)), merged

    def _reader_of(self, path: Path) -> HighlightsImporter:
        """The format of this file, told from its content: one of `readers` (a file given with `--from`
        that is not that format is refused, never read as nothing)."""
        try:
            with path.open("rb") as handle:
                head = handle.read(HEAD)
        except OSError as error:
            raise ReadlogError(f"cannot read {path}: {error.strerror}") from None
        from readlog.text import utf16_as_utf8

        head = utf16_as_utf8(head, str(path), partial=True)  # (a file saved as UTF-16 is read as UTF-8)
        for reader in self.readers:
            if reader.sniff(head, path.name):
                found = reader()
                found.encoding = self.encoding  # (`import --encoding`)
                return found
        labels = " or ".join(r.label for r in self.readers)
        raise ReadlogError(f"{path} is not a {labels} highlights file")


class KoboImporter(HighlightsImporter):
    name, label = "kobo", "Kobo"
    folders = ("**/KoboReader.sqlite",)

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        from readlog.highlights import kobo

        return kobo.sniff(head[:HEAD])

    def parse(self, path: Path) -> Parsed:
        from readlog.highlights import kobo

        return kobo.parse(path, self.encoding)


class KoreaderImporter(HighlightsImporter):
    """KOReader's JSON export, or a `metadata.*.lua` sidecar (a `*.sdr` folder beside each book)."""

    name, label = "koreader", "KOReader"
    folders = ("**/metadata.*.lua",)

    reads_utf16 = True  # (device_bytes)

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        from readlog.highlights import koreader

        head = head[:HEAD]
        return koreader.sniff_json(head) or filename.endswith(".lua") and koreader.sniff_lua(head, filename)

    def parse(self, path: Path) -> Parsed:
        from readlog.highlights import koreader

        raw = device_bytes(path)
        if not path.name.endswith(".lua") or koreader.sniff_json(raw[:HEAD]):
            return koreader.parse_json(raw, self.encoding, str(path))
        folder = path.parent.name
        fallback = folder.removesuffix(".sdr") if folder.endswith(".sdr") else path.stem
        return koreader.parse_lua(raw, fallback, self.encoding, str(path))


class ReadwiseImporter(HighlightsImporter):
    name, label = "readwise", "Readwise"

    reads_utf16 = True  # (device_bytes)

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        from readlog.highlights import readwise

        return readwise.sniff(head[:HEAD])

    def parse(self, path: Path) -> Parsed:
        from readlog.highlights import readwise

        return readwise.parse(device_bytes(path), self.encoding, str(path))


class KindleImporter(HighlightsImporter):
    """`My Clippings.txt` from a Kindle's `documents` folder."""

    name, label = "kindle", "Kindle"
    folders = ("**/My Clippings.txt",)

    reads_utf16 = True  # (device_bytes)

    @classmethod
    def sniff(cls, head: bytes, filename: str) -> bool:
        from readlog.highlights import kindle

        return kindle.sniff(head[:HEAD])

    def parse(self, path: Path) -> Parsed:
        from readlog.highlights import kindle

        return kindle.parse(device_bytes(path), self.encoding, str(path))


# In the order they were told apart before they joined the registry: the most specific first.
BUILTINS: tuple[type[HighlightsImporter], ...] = (
    KoboImporter,
    KoreaderImporter,
    ReadwiseImporter,
    KindleImporter,
)


# A folder given to `import` is a device or a backup of one: its formats' files are looked for this many
# folders down at most (KOReader's `koreader/docsettings/mnt/onboard/Books/Author/Title.sdr/metadata.epub.lua`
# is 7), through this many names at most, never through a link. More is no device (`/tmp`, a home folder,
# given by mistake): refused, naming what to give instead, before anything is read.
FOLDER_DEPTH = 10
FOLDER_NAMES = 100_000


def folder_files(folder: Path, patterns: Iterable[str]) -> list[Path]:
    """The paths under `folder` that the formats' `folders` patterns name (`**/NAME`: NAME, fnmatch-style,
    at any depth up to FOLDER_DEPTH; any other pattern: as Path.glob reads it): files, and what is named so
    but is not one (a named pipe, a folder), which read_folder says. A folder that vanishes or cannot be read
    while it is searched is passed over."""
    import fnmatch
    import os

    anywhere = [p[3:] for p in patterns if p.startswith("**/") and "/" not in p[3:]]
    found = {p for pattern in patterns if pattern[3:] not in anywhere for p in folder.glob(pattern)}
    if anywhere:
        seen = 0
        root_depth = len(folder.parts)
        for where, folders, names in os.walk(folder, onerror=lambda error: None):
            seen += len(folders) + len(names)
            if seen > FOLDER_NAMES:
                raise ReadlogError(
                    f"{folder} holds more than {FOLDER_NAMES:,} files and folders: not an e-reader or a "
                    "backup of one; give the device's folder, or the highlights file itself"
                )
            if len(Path(where).parts) - root_depth >= FOLDER_DEPTH:
                folders.clear()  # (no deeper)
            for name in [*names, *folders]:
                if any(fnmatch.fnmatchcase(name, wanted) for wanted in anywhere):
                    found.add(Path(where, name))
    return list(found)


def device_bytes(path: Path) -> bytes:
    """A device's text file's bytes, as UTF-8 when it was saved as UTF-16 (text.utf16_as_utf8)."""
    from readlog.text import utf16_as_utf8

    return utf16_as_utf8(path.read_bytes(), str(path))


def _what_is(path: Path) -> str:
    """What a path that is not a regular file is: `a named pipe`, `a folder`..."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return "gone or unreadable"
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")]
    return next((kind for test, kind in kinds if test(mode)), "a device")


def readers() -> list[type[HighlightsImporter]]:
    """The highlights formats on the registry (plugins' too), in sniffing order."""
    from readlog.importers import registry

    return [i for i in registry() if issubclass(i, HighlightsImporter)]


def read(path: Path) -> tuple[str, Parsed]:
    """A file's or folder's highlights, whichever formats they are: (format name, records)."""
    known = readers()
    importer = known[0].for_folder(known)
    if path.is_dir():
        return importer.read_folder(path)
    reader = importer._reader_of(path)
    return reader.name, reader.parsed(path)
