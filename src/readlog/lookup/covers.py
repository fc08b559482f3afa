"""Covers kept under the data dir, `covers/<slug>.jpg`, exactly as served: an answer that is not an image,
or larger than 2 MB, is refused rather than re-encoded. The book file refers to its cover with a top-level
`cover = "covers/<slug>.jpg"` (relative to the data dir)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from readlog.files import atomic_write
from readlog.lookup.client import MAX_IMAGE, BadAnswer

if TYPE_CHECKING:
    from readlog.journal import Journal
    from readlog.lookup.client import Client

COVER_KEY = "cover"
COVERS_DIR = "covers"
# What the bytes begin with decides the type, never the name or the Content-Type alone.
_MAGIC = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


@dataclass
class Cover:
    data: bytes
    extension: str  # jpg, png, gif or webp: what the bytes are


def image_type(data: bytes) -> str | None:
    for magic, extension in _MAGIC:
        if data.startswith(magic):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def fetch(client: Client, cover_id: int) -> Cover | None:
    """The large cover with this id, or None where Open Library has none."""
    answer = client.get_image(f"/b/id/{int(cover_id)}-L.jpg?default=false")
    if answer is None:
        return None
    if len(answer.body) > MAX_IMAGE:  # the client refuses these already; a cached one is checked again
        raise BadAnswer(f"cover {cover_id} is larger than {MAX_IMAGE // (1024 * 1024)} MB: refused")
    extension = image_type(answer.body)
    declared = answer.content_type.split(";")[0].strip().lower()
    if extension is None or (declared and not declared.startswith("image/")):
        raise BadAnswer(f"cover {cover_id} is not an image ({declared or 'no type'}): refused")
    return Cover(answer.body, extension)


def relative_path(slug: str, cover: Cover) -> str:
    return f"{COVERS_DIR}/{slug}.{cover.extension}"


def save(journal: Journal, slug: str, cover: Cover) -> str:
    """Write the cover atomically beside the journal; returns the path the book file records. Call it
    under the journal's lock (inside `journal.modify`), like every other write to the data dir."""
    journal.path_for(slug)  # refuses anything that is not a slug before it becomes a file name
    relative = relative_path(slug, cover)
    target = journal.root / relative
    from readlog.private import private_dir

    private_dir(target.parent)
    atomic_write(target, cover.data)
    return relative
