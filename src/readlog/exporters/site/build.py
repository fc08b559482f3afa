"""Build: content -> context -> templates -> files, written beside OUTDIR and swapped in.

A page is rendered only when its context (or a template, or readlog) changed since the last build: each
page's digest is kept in OUTDIR/.readlog-site.json, and an unchanged page is hard-linked from the last
build instead. The new site is complete on disk before it replaces the old one, so a crash leaves the old
site or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import json
import marshal
import os
import re
import shutil
import signal
import stat
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog import __version__, code_stamp
from readlog.errors import BookFileError, ReadlogError
from readlog.exporters.site import parallel
from readlog.exporters.site.content import (
    Stamp,
    cache_path,
    forget_pickles,
    load_books,
    stamp_books,
)
from readlog.exporters.site.context import GENERATORS, URLS, Options, Page, Site, sitemap
from readlog.files import fsync_dir
from readlog.privacy import left_out_lines
from readlog.stopping import Ending, ending_raised, held_off

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from jinja2 import Environment

    from readlog.exporters.site.engine import Renderer, Templates
    from readlog.journal import Journal

MARKER = ".readlog-site.json"  # in every site readlog builds: page digests, and proof the folder is ours
MAYBE_KEPT = "kept"  # in the marker, if any: names kept that may be an older build's (`kept_unmade`)
STYLESHEET = "style.css"  # the template of the stylesheet (its place in the site: URLS["style"])
PARALLEL_FROM = 500  # pages to render: fewer are rendered sooner by one process than by forking
SYNC_FROM = 500  # pages to write: more are made durable by one system-wide sync (see _make_durable)
CHUNK = 32  # book pages a process takes at a time (see _plan)
OVERRIDES = "site"  # <data dir>/site/: templates and style.css that replace the built-in ones


@dataclass
class BuildResult:
    outdir: Path
    files: int  # files in the site
    written: int  # rendered and written by this build
    kept: int  # unchanged since the last build, carried over
    pages: list[str] = field(default_factory=list)  # paths written by this build
    # pages of the last build written again though nothing they are made from changed: their file in OUTDIR
    # was changed or deleted by hand (`_write_page`)
    mended: int = 0
    problems: list[BookFileError] = field(default_factory=list)
    # what the site leaves out as private, in words for `site` to say (privacy.left_out_lines)
    left_out: list[str] = field(default_factory=list)
    # unfinished sites of stopped builds holding the reader's things, kept for the reader (`Aside`)
    set_aside: list[Aside] = field(default_factory=list)
    # OUTDIR's marker could not be read (a merge conflict in it): every page made again, the rest kept
    marker_unread: bool = False
    # of what was kept then, the top-level names readlog's pages take that this build did not make (a
    # `tags/` once the last tag is gone): maybe an older build's (review 31g F2), recorded as such in the
    # marker (`MAYBE_KEPT`) and named by every build while they are there (try-out 32b #6)
    kept_unmade: list[str] = field(default_factory=list)
    # of those, the pages readlog made that name a book now private (`_naming_private`): removed once the
    # new site is in place (`_unpublished`), or, where one could not be removed, named
    removed_private: list[str] = field(default_factory=list)
    kept_private: list[str] = field(default_factory=list)
    # what no build made inside readlog's folders of OUTDIR, kept where it was (`_keep_inside`)
    kept_inside: list[str] = field(default_factory=list)
    # pages readlog's templates made that no manifest listed, in its folders, not made by this build: removed
    removed_unlisted: list[str] = field(default_factory=list)
    # dot-files (`.DS_Store`) in readlog's folders of OUTDIR that the new site does not have: removed with it
    removed_dots: list[str] = field(default_factory=list)


# A big build's books, pages and contexts (millions of small objects at 10,000 books): freeing them one by
# one, or the cyclic collector looking them over once, takes a tenth of a second or more after the site is
# done. A build of KEEP_FROM books or more keeps them (and leaves them out of cyclic collection:
# `gc.freeze`, with whatever else the process holds) until the next build starts, or to the end of
# `readlog site`'s process, which ends right after (readlog.__main__: `os._exit`). A smaller build frees
# them as it ends, as any function does (a few milliseconds).
KEEP_FROM = 1000
_LAST_BUILD: list[object] = []


def build_site(journal: Journal, outdir: Path, options: Options, force: bool = False) -> BuildResult:
    """Build (or rebuild) the site in `outdir`. Stopped by SIGTERM or SIGHUP (a closed terminal), as by
    Ctrl-C: the unfinished site is taken away and the old one stays whole, then `Ending` is raised (for the
    caller to say so and end the process by the signal: readlog.stopping.end_by)."""
    if _LAST_BUILD:  # (a process that builds again: `--serve`, tests)
        _LAST_BUILD.clear()
        gc.unfreeze()
        if gc.isenabled():
            gc.collect()  # what became cyclic garbage since the last build, before this one freezes it again
    # The build makes millions of small objects that all live to its end: collecting them is wasted time.
    from readlog.pool import collector_paused

    with collector_paused():
        try:
            with ending_raised():
                return _build(journal, outdir, options, force)
        finally:
            parallel.reap()  # (the processes that shared the pages, ended meanwhile: see fork_map)
            if _LAST_BUILD:
                gc.freeze()


def _build(journal: Journal, outdir: Path, options: Options, force: bool) -> BuildResult:
    outdir = typed = Path(os.path.abspath(outdir))
    if outdir.is_symlink() and outdir.is_dir():  # (`site www` where www links to the folder served)
        outdir = outdir.resolve()
    made = _missing_above(outdir)
    try:
        check_target(journal, outdir, force)
        dead = _clear_dead()
        with _locked(outdir):
            result = _build_locked(journal, outdir, options, force, typed)
    except BaseException:
        _remove_empty(made)
        raise
    # (one that `_beside` gave back is gone; one found through a linked parent too is named once)
    named = {os.path.realpath(folder) for folder, _ in result.set_aside}
    result.set_aside += [
        aside for aside in dead if os.path.realpath(aside[0]) not in named and os.path.lexists(aside[0])
    ]
    return result


def _missing_above(outdir: Path) -> list[Path]:
    """The folders above OUTDIR that are not there yet (`check_target` makes them), the deepest first."""
    missing = []
    for folder in outdir.parents:
        if os.path.lexists(folder):
            break
        missing.append(folder)
    return missing


def _remove_empty(made: list[Path]) -> None:
    """A build that failed or was stopped leaves no folder it made above OUTDIR (a new `~/public/books`
    stopped left `~/public`): each, the deepest first, removed if it is still empty."""
    for folder in made:
        try:
            os.rmdir(folder)
        except FileNotFoundError:  # (never made: the build stopped before)
            continue
        except OSError:  # (not empty: something else was put there meanwhile)
            return


@contextlib.contextmanager
def _locked(outdir: Path) -> Iterator[None]:
    """One build of OUTDIR at a time (a `--serve` rebuild and a build by hand wait for each other), through
    the journal's own lock helper. The lock file lives in readlog's cache dir, named after OUTDIR, so
    nothing is left beside the site."""
    import zlib

    from readlog.files import hold_lock
    from readlog.index import cache_dir
    from readlog.private import private_dir

    folder = cache_dir() / "site-locks"
    lock = folder / f"{zlib.crc32(str(outdir).encode('utf-8', 'surrogateescape')):08x}.lock"
    with contextlib.ExitStack() as stack:
        try:
            private_dir(folder)
            stack.enter_context(hold_lock(lock, f"the site in {outdir}"))
        except OSError as error:
            raise ReadlogError(f"cannot write the site's lock in {folder}: {error.strerror}") from None
        yield


def _build_locked(
    journal: Journal, outdir: Path, options: Options, force: bool = False, typed: Path | None = None
) -> BuildResult:
    """The build, under OUTDIR's lock; `typed` OUTDIR as the reader gave it (a link to it: `_beside`)."""
    overrides = journal.root / OVERRIDES
    salt = _salt(overrides)
    previous, previous_inputs, since, maybe = _manifest(outdir)
    unread = not previous and os.path.isfile(outdir / MARKER)  # (damaged: a merge conflict in it)
    aside = _beside(outdir, typed)  # (on every build, one with nothing to do too: named till the reader acts)
    with contextlib.suppress(OSError):  # (one a build killed right after its swap left: never published)
        os.unlink(outdir / THEIRS_MOVED)
    files = _page_stamps(outdir, previous)
    listed: tuple[list[str], dict[str, Stamp] | None]
    books_digest = None
    if previous_inputs is not None:
        listed = stamp_books(journal)
        books_digest = _books_digest(listed[1])
        inputs = _inputs(books_digest, options, salt)
        # (a site holding what may be an older build's: every build names it, and what it says of private
        # books, `_naming_private`)
        same = previous and not maybe and inputs == previous_inputs
        said = _said(journal, books_digest) if same else None
        if said is not None and all(_file_stamp(f"{outdir}/{p}") == files.get(p) for p in previous):
            # Not one input changed since the last build (which had no problem file: see the manifest), and
            # its files are all there as it wrote them: nothing to do, not even reading the books (what they
            # leave out as private is what the last build of these files said: `_said`).
            forget_pickles(cache_path(journal.root))  # (as load_books does: never left to be read)
            return BuildResult(outdir, len(previous), 0, len(previous), left_out=said, set_aside=aside)
    else:  # (no last build to compare with: the books are stamped as they are parsed, see load_books)
        listed = (journal.slugs(), None)
    claim = _Claim.take(outdir)
    try:
        staging = _staging(outdir, claim.staging)
        # The last build's pages linked into the new site by another process while this one reads the books
        # and works out which pages changed (see _LinkAhead); waited for before any page is made.
        ahead = _LinkAhead.start(files, str(staging), str(outdir))
        try:
            result = _build_staged(
                journal,
                outdir,
                options,
                overrides,
                salt,
                (previous, since, files, maybe),
                (listed, books_digest),
                staging,
                ahead,
                force=force,
            )
            result.set_aside = aside
            result.marker_unread = unread
            return result
        except BaseException as error:
            _abandon(staging, ahead, isinstance(error, (KeyboardInterrupt, Ending)))
            if isinstance(error, OSError) and error.errno == errno.EBUSY:  # (a mount point it missed)
                raise ReadlogError(_cannot_swap(outdir)) from None
            raise
    finally:
        claim.release()


def _abandon(staging: Path, ahead: _LinkAhead, stopped: bool) -> None:
    """The unfinished site gone from beside OUTDIR when a failed build returns. Stopped by Ctrl-C (`stopped`),
    the reader is not kept waiting: deleting 8,000 pages took up to 9 s, and a second Ctrl-C then broke off
    the deletion (the folder left) or ended in a traceback. So further Ctrl-Cs are ignored while the command
    ends, and the folder is moved into readlog's cache dir in one rename, where a process of its own deletes
    it (and whatever an earlier one left there) unwaited for; where it cannot be moved (another file system),
    it is deleted here, as it is after any other failure. One still holding something of the reader's that it
    moved there (its `THEIRS_MOVED`: one could not be moved back into OUTDIR) is never deleted: the next
    build gives it back or names it (`_beside`)."""
    if stopped:
        with contextlib.suppress(ValueError):  # (only the main thread sets handlers: a --serve rebuild's)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            held_off()  # (a second SIGTERM too: `ending_raised` gives it back its default after)
    ahead.stop()
    if any(os.path.lexists(staging / name) for name in _vouched(staging)):  # (one not moved back: named)
        return
    if stopped and _delete_elsewhere(staging):
        return
    shutil.rmtree(staging, ignore_errors=True)


def _delete_elsewhere(folder: Path) -> bool:
    """`folder` moved into readlog's cache dir (`TRASH`) in one rename and deleted there by a process of its
    own, which readlog does not wait for; False if it could not be moved (another file system)."""
    import subprocess

    from readlog.index import cache_dir
    from readlog.private import private_dir

    trash = cache_dir() / TRASH
    try:
        private_dir(trash)
        if not stat.S_ISDIR(os.lstat(trash).st_mode):  # (a link: its deleter would empty where it leads)
            return False
        os.rename(folder, trash / folder.name)
    except OSError:
        return False
    with contextlib.suppress(OSError):  # (without the process, the next one started deletes it)
        subprocess.Popen(
            [sys.executable or "python3", "-I", "-S", "-c", _DELETE, str(trash)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # (not stopped with `site` by a Ctrl-C at the terminal)
        )
    return True


def _build_staged(
    journal: Journal,
    outdir: Path,
    options: Options,
    overrides: Path,
    salt: str,
    before: tuple[dict[str, str], Since, dict[str, str], list[str]],
    books: tuple[tuple[list[str], dict[str, Stamp] | None], str | None],
    staging: Path,
    ahead: _LinkAhead,
    force: bool = False,
) -> BuildResult:
    """The build once its staging folder is made: `before` the last build's page digests and what its book
    pages were made from (`_manifest`), and its files' stamps (`_page_stamps`), `books` the listed books
    (`stamp_books`, or their slugs alone) and their digest, if they were stamped."""
    listed, books_digest = books
    previous, since, files, since_kept = before
    names = _template_names(overrides)
    if not previous and len(listed[0]) >= ROOMY_FROM:  # (a rebuild's memory only grows: nothing to keep)
        _roomy_malloc()
    # (if other processes parse the books, this one sets up Jinja and compiles the templates meanwhile: a
    # first build's)
    envs: list[Templates] = []
    content = load_books(journal, listed=listed, meanwhile=lambda: envs.append(_compiled(overrides, names)))
    if content.problems and not force:
        _unreadable_refused(journal, outdir, content.problems, bool(content.books), previous)
    env = envs[0] if envs else templates(overrides)
    if books_digest is None:  # (the books that parsed are all there were, if none is a problem: see manifest)
        books_digest = _books_digest(content.stamps)
    inputs = _inputs(books_digest, options, salt)
    left_out = left_out_lines(
        [(content.books[slug].title, held) for slug, held in content.hidden.items()],
        content.private_books(),
        "the site",
    )
    site = Site(content.books, options, content.stamps, content.lines, public=True, digests=content.digests,
                editions=content.editions, finders=content.finders)  # fmt: skip
    new_root, old_root = str(staging), str(outdir)  # plain strings: pathlib costs here at 10,000 pages
    # Every page, known by its digest (a page that lists books, or a book's page, by its key: its context is
    # made only if it must be rendered); those whose digest changed are the build's work. With no last
    # build, every page is: their digests are worked out by the processes that render them.
    kinds = [(kind, kind.pages(site)) for kind in GENERATORS]
    lists = _lists(site, options, salt)
    known: list[list[str]] | None = None
    if previous:
        same = since[1] if lists is not None and since[0] == lists else {}
        known = [_known(pages, salt, same) for _, pages in kinds]
        to_render = sum(
            1 for (_, pages), digests in zip(kinds, known, strict=True)
            for page, digest in zip(pages, digests, strict=True) if previous.get(page.path) != digest
        )  # fmt: skip
    else:
        to_render = sum(len(pages) for _, pages in kinds)
    linked = ahead.wait()  # (before any process is forked: they all know which pages are in already)
    shares = parallel.workers(enough=to_render >= PARALLEL_FROM)
    last = len(GENERATORS)  # (the sitemap and the stylesheet: see `pages_of`)
    plan = _plan(site, [(kind.split, len(pages)) for kind, pages in kinds])
    tasks = parallel.Tasks(len(plan))
    if shares > 1:  # compiled once, here (if not while the books were parsed), so every process has them
        compile_all(env, names)

    # A build that ends with one system-wide sync writes its pages back while it renders (`_Flusher`).
    flusher = _Flusher() if to_render > SYNC_FROM and hasattr(os, "sync") else None

    def share(number: int) -> list[Made]:
        """The pages of this process: the parts of the plan it takes, as it is free to."""
        if number == 0 and flusher is not None:  # (this process, once the others are forked: see _Flusher)
            flusher.start()
        made: list[Made] = []
        folders: set[str] = {new_root}
        for task in tasks:
            for part in plan[task]:
                make(part, made, folders)
        return made

    tail: list[Page] = []

    def pages_of(order: int) -> list[Page]:
        if order < last:
            return kinds[order][1]
        if not tail:
            paths = [page.path for _, pages in kinds for page in pages]
            tail.extend((sitemap(site, paths), Page(URLS["style"], None, text=_stylesheet(overrides))))
        return tail

    def make(part: Part, made: list[Made], folders: set[str]) -> None:
        """One part of the plan: its pages rendered (or carried over) into the new site."""
        order, first, end = part
        pages = pages_of(order)
        digests = known[order] if known is not None and order < last else None
        for place in range(first, end):
            page = pages[place]
            digest = digests[place] if digests is not None else _digest(page, salt)
            folder = os.path.dirname(f"{new_root}/{page.path}")
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            lazy = page.make is not None
            written, stamp = _write_page(env, page, digest, (previous, files), new_root, old_root, linked)
            if lazy:  # (made for this page alone: its memory goes to the next page's, not new memory)
                page.context = {}
            made.append((order, place, page.path, digest, written, folder, stamp))

    try:
        made = sorted(item for part in parallel.fork_map(shares, share, tasks, later=True) for item in part)
    finally:
        if flusher is not None:
            flusher.stop()
    _unlink_stale(new_root, linked, {item[2] for item in made})
    result = BuildResult(outdir, len(made), 0, 0, problems=content.problems, left_out=left_out)
    result.pages = [path for _, _, path, _, written, _, _ in made if written]
    result.written = len(result.pages)
    result.kept = len(made) - result.written
    result.mended = sum(1 for item in made if item[4] == MENDED)
    digests = {path: digest for _, _, path, digest, _, _, _ in made}
    # The inputs only of a build without a problem file: a build that has one reads the books again, to
    # tell of it again.
    stamps = {path: f"{page.stamp} {digests[path]}" for _, pages in kinds for page in pages
              if page.stamp is not None and (path := page.path) in digests}  # fmt: skip
    manifest: dict[str, Any] = {"generator": "readlog", "version": __version__,
                "inputs": None if content.problems else inputs, "pages": digests,
                "lists": lists, "stamps": stamps}  # fmt: skip
    theirs = _theirs(staging, outdir, previous)
    _top_in_the_way(staging, outdir, previous, since_kept)
    inside = _keep_inside(staging, outdir, previous, theirs, since_kept)
    # What a build whose marker could not be read kept that is named like readlog's pages (an older build's
    # `tags/`, maybe) stays recorded as such, and is named by every build while it is there (try-out 32b #6:
    # the next build's fresh marker made it the reader's, published for good, never named again).
    maybe = sorted(name for name in theirs if name in _PAGE_ROOTS and (not previous or name in since_kept))
    if maybe:
        manifest[MAYBE_KEPT] = maybe
    (staging / MARKER).write_text(json.dumps(manifest, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    if flusher is not None:
        flusher.join()  # (its sync under way, if any, ends before the last: see _Flusher)
    folders = {new_root} | {item[5] for item in made} | _kept_folders(staging, inside.kept + inside.quiet)
    _make_durable(staging, result.pages + [MARKER], folders)
    result.kept_unmade, result.kept_inside, result.removed_unlisted = maybe, inside.kept, inside.removed
    result.removed_dots = inside.dropped
    private = set(content.stamps).difference(content.books) if maybe else set()
    naming = _naming_private(outdir, maybe, _private_marks(journal, private))
    _swap_keeping_theirs(staging, outdir, theirs, len(previous))
    fsync_dir(outdir.parent)
    result.removed_private, result.kept_private = _unpublished(outdir, naming)
    _keep_page_stamps(outdir, {path: stamp for _, _, path, _, _, _, stamp in made if stamp})
    if not content.problems:
        _keep_said(journal, books_digest, left_out)
    if len(content.books) >= KEEP_FROM:
        _LAST_BUILD[:] = [listed, content, site, kinds, known, made, digests, manifest]  # (see KEEP_FROM)
    return result


# A first build of OUTDIR of ROOMY_FROM books or more has glibc's malloc keep the memory it frees
# (`_roomy_malloc`).
ROOMY_FROM = 1000
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (glibc's malloc.h)
_ROOMY: list[bool] = []  # (told once a process)


def _roomy_malloc() -> None:
    """glibc's malloc told to keep the memory a big build frees (M_TRIM_THRESHOLD: never handed back), and
    to take blocks of up to 32 MB from that memory (M_MMAP_THRESHOLD: a page's text, a shard of the cache,
    library.json) rather than map each anew and unmap it when freed. The kernel hands out memory a page at
    a time, each a fault (3 us on this project's machines): by default, a cold build at 10,000 books asked
    for a third of its memory again after giving it back (145,000 faults in its three processes; 100,000
    so). Set once a process, for the rest of it (`readlog site` ends with its build; `--serve` keeps what
    its biggest build used). Not glibc (musl, other systems): nothing."""
    if _ROOMY:
        return
    _ROOMY.append(True)
    mallopt = _glibc_mallopt()
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # (glibc's most)
        mallopt(_M_TRIM_THRESHOLD, 1 << 30)


def _glibc_mallopt() -> Callable[[int, int], int] | None:
    try:
        if not sys.platform.startswith("linux") or not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
        import ctypes

        mallopt: Callable[[int, int], int] = ctypes.CDLL(None).mallopt
    except (ValueError, OSError, AttributeError):  # (no such name: not glibc)
        return None
    return mallopt


# a part of the plan: a kind's place (len(GENERATORS): the sitemap and stylesheet), its pages first:end
Part = tuple[int, int, int]
# A book page costs about as much to make as this many books shown in lists (shelves, tags, authors, years:
# a book's summary and its <li>): see `_plan`.
LIST_ENTRIES_PER_PAGE = 7


def _plan(site: Site, kinds: list[tuple[bool, int]]) -> list[list[Part]]:
    """The build's work in tasks, taken by the processes as each is free (parallel.Tasks), each task its
    parts; `kinds` is each kind's (split, pages). The kinds of page that are made whole (the lists: a few
    pages, some long), then the sitemap, which lists every page, and the stylesheet; then the split kinds
    (book pages) in runs of CHUNK pages. The lists show the same books, and a process makes each book's
    summary and <li> once for all its lists: made by one process, they are made once, not once in each
    (a tenth of a second of CPU at 10,000 books). So they are one task while the book pages are enough to
    keep the other processes busy meanwhile (a journal with few reviews has few book pages: its lists
    stay a task each, so that no process is left with most of the work)."""
    whole: list[Part] = [(order, 0, pages) for order, (split, pages) in enumerate(kinds) if not split]
    whole.append((len(kinds), 0, 2))
    split_pages = sum(pages for split, pages in kinds if split)
    chunk = max(CHUNK, -(-split_pages // (parallel.Tasks.LIMIT - len(whole))))  # (a huge site: longer runs)
    runs = [[(order, at, min(at + chunk, pages))] for order, (split, pages) in enumerate(kinds) if split
            for at in range(0, pages, chunk)]  # fmt: skip
    shown = len(site.books) + len(site.finished)  # (the shelves and the years)
    for groups in (site.tags, site.authors):
        shown += sum(len(slugs) for _, slugs in groups.values())
    together = shown <= LIST_ENTRIES_PER_PAGE * split_pages
    return ([whole] if together else [[part] for part in whole]) + runs


# kind's place, page's place, path, digest, what was done (`_write_page`), folder, file's stamp
Made = tuple[int, int, str, str, int, str, str | None]


def _known(pages: list[Page], salt: str, same: dict[str, str]) -> list[str]:
    """The digest of each page. A book page whose file has the stamp it had at the last build, in lists as
    they were (`same`: path -> that build's stamp and digest, see `_lists`), has that build's digest: its
    key (where its picks lead) is not asked."""
    digests = []
    for page in pages:
        if page.stamp is not None:
            stamp, _, digest = same.get(page.path, "").partition(" ")
            if stamp == page.stamp and digest:
                digests.append(digest)
                continue
        digests.append(_digest(page, salt))
    return digests


def _template_names(overrides: Path) -> list[str]:
    names: set[str] = set()
    for folder in (overrides, _package_templates()):
        if folder.is_dir():
            names.update(p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".html", ".xml"))
    return sorted(names)


KEPT, WRITTEN, MENDED = 0, 1, 2  # what `_write_page` did with a page


def _write_page(
    env: Renderer,
    page: Page,
    digest: str,
    last: tuple[dict[str, str], dict[str, str]],
    new_root: str,
    old_root: str,
    linked: frozenset[str] = frozenset(),
) -> tuple[int, str | None]:
    """The page into the new site: carried over from the last build (`last`: its page digests and files'
    stamps) if it is the same and its file is as that build left it (or left there, if it is `linked` in
    already: `_link_all` looked), else rendered, and written unless its file holds the very bytes. KEPT,
    WRITTEN, or MENDED (written though its digest is the same: its file was changed or deleted by hand), and
    the file's stamp (`_file_stamp`)."""
    previous, files = last
    path = page.path
    target, old = f"{new_root}/{path}", f"{old_root}/{path}"
    there = path in linked
    done = WRITTEN
    if previous.get(path) == digest:
        if there:
            return KEPT, files[path]
        found = _file_stamp(old)
        if found is None or found != files.get(path):  # (changed by hand, or no stamp kept: _page_stamps)
            done = MENDED
        elif _carry_over(old, target):
            return KEPT, files[path]
    data = render_bytes(env, page)
    if (
        # (a text page's digest is of its bytes: changed means different)
        (page.template is not None or done == MENDED)
        and path in previous
        and _same_bytes(old, data)
        and (there or _carry_over(old, target))
    ):
        # a new context that renders the same, or a file only touched: the file stays the one it was
        return KEPT, _file_stamp(old)
    if there:
        os.unlink(target)  # (the link only: the last build's file stays as it is in the old site)
    return done, _write_new(target, data)


def _file_stamp(path: str) -> str | None:
    """A page's file as its kept stamp knows it (`_page_stamps`), "SIZE MTIME_NS" (a link or a folder in its
    place is not it); None if it is not there."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return f"{found.st_size} {found.st_mtime_ns}"


AHEAD_FROM = 500  # pages of the last build: fewer are linked in sooner than a process is forked for them
# A page's path in the last build's manifest, to be linked ahead: folders and names of the site's own
# (OUTDIR's manifest is only trusted to name pages inside it)
_PAGE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)*")


class _LinkAhead:
    """The last build's pages hard-linked into the new site by a forked process, while the build reads the
    books and works out which pages changed: a rebuild after one edit carries thousands of pages over, and
    each link is a system call that need not wait for that. A page this build does not make again is
    unlinked after (`_unlink_stale`), one it makes anew replaces its link (`_write_page`). Only where a
    fork is (parallel.can_fork), for a last build of AHEAD_FROM pages or more."""

    def __init__(self, new_root: str, paths: list[str], pid: int = 0, answer: int = -1) -> None:
        self.new_root, self.paths, self.pid, self.answer = new_root, paths, pid, answer

    @classmethod
    def start(cls, files: dict[str, str], new_root: str, old_root: str) -> _LinkAhead:
        """Started for the last build's pages, `files` (path -> its file's stamp)."""
        if len(files) < AHEAD_FROM or not parallel.can_fork():
            return cls(new_root, [])
        paths = [path for path in files if _PAGE_PATH.fullmatch(path)]
        read_end, write_end = os.pipe()
        pid = parallel.fork()
        if pid == 0:  # pragma: no cover - runs in the child (coverage does not follow a fork)
            os.close(read_end)
            _link_all(paths, files, (new_root, old_root), write_end)
        os.close(write_end)
        return cls(new_root, paths, pid, read_end)

    def wait(self) -> frozenset[str]:
        """The pages linked in: all it was given but those the process could not link (gone from the last
        build, not a file, or not as that build wrote it); none if the process failed (its links are taken
        out again)."""
        if self.answer == -1:
            return frozenset()
        chunks = []
        while chunk := os.read(self.answer, 1 << 16):
            chunks.append(chunk)
        os.close(self.answer)
        self.answer = -1
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        answer = b"".join(chunks).decode("utf-8", "surrogateescape").split("\n")
        if os.waitstatus_to_exitcode(status) != 0 or answer[-1] != "done":
            # (what it linked is not known: the new site starts again from an empty folder)
            shutil.rmtree(self.new_root, ignore_errors=True)
            os.mkdir(self.new_root, 0o755)
            return frozenset()
        return frozenset(self.paths).difference(answer[:-1])

    def stop(self) -> None:
        """The process stopped, if it runs (the build failed or was interrupted)."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.answer != -1:
            os.close(self.answer)
            self.answer = -1


def _link_all(
    paths: list[str], files: dict[str, str], roots: tuple[str, str], answer: int
) -> None:  # pragma: no cover
    """In the forked process: each page whose file is as the last build wrote it (its stamp in `files`)
    linked from the old root into the new, and the paths it did not link written to `answer`, one a line,
    then `done`."""
    code = 1
    new_root, old_root = roots
    try:
        failed: list[str] = []
        folders = {new_root}
        for path in paths:
            target, old = f"{new_root}/{path}", f"{old_root}/{path}"
            folder = os.path.dirname(target)
            if _file_stamp(old) != files[path]:  # (changed by hand: `_write_page` writes it again)
                failed.append(path)
                continue
            try:
                if folder not in folders:
                    os.makedirs(folder, exist_ok=True)
                    folders.add(folder)
                os.link(old, target, follow_symlinks=False)
            except OSError:
                failed.append(path)
        data = memoryview(
            "".join(f"{path}\n" for path in failed).encode("utf-8", "surrogateescape") + b"done"
        )
        while data:
            data = data[os.write(answer, data) :]
        code = 0
    finally:
        os._exit(code)


def _unlink_stale(new_root: str, linked: frozenset[str], made: set[str]) -> None:
    """Pages of the last build linked ahead that this build does not make (a book gone, a tag no longer
    used) taken out of the new site, and folders left empty by that."""
    folders = set()
    for path in linked.difference(made):
        os.unlink(f"{new_root}/{path}")
        folders.add(os.path.dirname(path))
    for folder in sorted(folders, key=len, reverse=True):
        while folder:
            try:
                os.rmdir(f"{new_root}/{folder}")  # (only if empty)
            except OSError:
                break
            folder = os.path.dirname(folder)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write_new(path: str, data: bytes) -> str:
    """A new file of the staging folder, written whole: open, write, close (no buffer, no terminal check,
    no seek: the three calls a page needs, where `open()` makes six). Its mode as `open()` gives one. Its
    stamp (`_file_stamp`) returned."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        found = os.fstat(fd)
        return f"{found.st_size} {found.st_mtime_ns}"
    except OSError as error:  # (a full disk, a file size limit: os.write names no file)
        from readlog.errors import CannotWrite

        raise CannotWrite(error.errno, error.strerror, path) from error
    finally:
        os.close(fd)


FLUSH_EVERY = 0.25  # seconds between a big build's syncs while it renders (`_Flusher`)


class _Flusher:
    """A big build's pages written back to the disk while it renders, not all after: a thread of the build's
    process calls `os.sync()` every FLUSH_EVERY seconds (the system call lets the renderers run meanwhile),
    so that the sync that makes the site durable before it is swapped in (`_make_durable`) finds little
    left to write. That one still comes after every page: these only start the disk's work sooner (a cold
    build at 10,000 books writes about 130 MB, its pages and the parse cache; the last sync took a quarter
    of a second to half a second, with both cores idle). Started once the processes that share the work
    are forked (a thread is never forked with them: parallel.can_fork), and joined before the last sync; a
    sync under way when the build fails or is stopped is left to end on its own (the thread is a daemon),
    not waited for."""

    def __init__(self) -> None:
        import threading

        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="readlog-site-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(FLUSH_EVERY):
            os.sync()

    def stop(self) -> None:
        self._stopped.set()

    def join(self) -> None:
        if self._thread.is_alive():
            self._thread.join()


def _make_durable(staging: Path, written: list[str], folders: set[str]) -> None:
    """Everything on disk before the swap: the few files a rebuild wrote, and their folders, each fsynced
    (at the same time, from threads: the file system commits them together), a whole build with one
    system-wide sync (one fsync per page would make a 10,000-book build far slower)."""
    if len(written) > SYNC_FROM and hasattr(os, "sync"):
        os.sync()
        return
    folders_too = sorted(folders) if os.name == "posix" else []  # (as fsync_dir: a folder opens on POSIX)
    _fsync_all([str(staging / path) for path in written] + folders_too)


def _fsync_all(paths: list[str]) -> None:
    """fsync each of `paths` (files or folders), from up to 16 threads; the first error is raised."""
    import threading

    errors: list[OSError] = []

    def sync(share: list[str]) -> None:
        for path in share:
            try:
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as error:
                errors.append(error)

    threads = [threading.Thread(target=sync, args=(paths[n::16],)) for n in range(min(16, len(paths)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def check_target(journal: Journal, outdir: Path, force: bool) -> None:
    """OUTDIR must be a folder readlog built (or a new or empty one), never the journal or around it."""
    root = journal.root.resolve()
    target = outdir.resolve()
    if root.is_relative_to(target):
        raise ReadlogError(f"{outdir} holds the journal itself: build the site somewhere else")
    if target.is_relative_to(root):  # books/, site/ (the templates), drafts/, trash/ live there
        raise ReadlogError(f"{outdir} is inside the journal's folder: build the site somewhere else")
    if outdir.exists() or outdir.is_symlink():
        if not outdir.is_dir() or outdir.is_symlink():
            raise ReadlogError(f"{outdir} is not a folder: give a folder for the site")
        if _mount_point(outdir):
            raise ReadlogError(_cannot_swap(outdir))
        if not (outdir / MARKER).is_file() and not force:
            try:  # (a clone to publish into: its `.git`, a CNAME, are kept, see _swap_keeping_theirs)
                with os.scandir(outdir) as entries:
                    empty = all(e.name[0] == "." or e.name in THEIRS for e in entries)
            except OSError as error:
                raise ReadlogError(f"cannot read {outdir}: {error.strerror}") from None
            if not empty:
                raise ReadlogError(
                    f"{outdir} is not a readlog site (no {MARKER}): use --force to replace what is in it "
                    f"({_replaced(outdir)}; dot-entries such as .git and a CNAME are kept)"
                )
        elif not force and not _holds_books(journal) and (pages := _book_pages(outdir)):
            raise ReadlogError(
                f"{journal.root} holds no books: building would take the {pages} book pages out of {outdir} "
                "(the wrong journal folder?); use --force to publish it empty"
            )
    parent = outdir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReadlogError(f"cannot create {parent}: {error.strerror}") from None
    if not os.access(parent, os.W_OK):
        raise ReadlogError(f"cannot write in {parent}: the site is built beside {outdir.name} and swapped in")


def _holds_books(journal: Journal) -> bool:
    """Whether the journal has a book file (one is enough: no folder read further)."""
    try:
        with os.scandir(journal.books_dir) as entries:
            return any(entry.name.endswith(".toml") and entry.name[0] != "." for entry in entries)
    except OSError:
        return False


def _book_pages(outdir: Path) -> int:
    """How many book pages the last build into `outdir` made (review 29b #1: an empty folder given as the
    journal replaced a published site with an empty one, exit 0)."""
    return len(_last_book_pages(outdir, _manifest(outdir)[0]))


def _last_book_pages(outdir: Path, previous: dict[str, str]) -> set[str]:
    """The book pages of the last build into `outdir` (`previous`: its manifest's pages); where its manifest
    cannot be read (try-out 31a #1: a merge conflict in it), the pages in its books/ folder."""
    folder = URLS["book"].split("/", 1)[0]
    if previous or not os.path.isfile(outdir / MARKER):
        return {path for path in previous if path.startswith(folder + "/")}
    try:
        return {f"{folder}/{name}" for name in os.listdir(outdir / folder) if name.endswith(".html")}
    except OSError:
        return set()


def _unreadable_refused(
    journal: Journal, outdir: Path, problems: list[BookFileError], any_read: bool, previous: dict[str, str]
) -> None:
    """Book files that cannot be read (a merge conflict, a sync half done) never take pages of the last
    build out of the site unasked: refused, naming how many and the first few pages (try-out 30a #4: not
    one file readable; 31a #4: all but one, and the site went out without its book pages, exit 0). A file
    whose book had no page is only said (`BuildResult.problems`): it takes nothing out."""
    had = _last_book_pages(outdir, previous)
    if not had:
        return
    if not any_read:
        raise ReadlogError(
            f"not one of the {len(problems)} book files of {journal.root} can be read (see `readlog "
            f"check`): building would take the {len(had)} book pages out of {outdir}; use --force to "
            "publish so"
        )
    lost = sorted({URLS["book"].format(slug=Path(problem.path).stem) for problem in problems} & had)
    if lost:
        files = "book file" if len(problems) == 1 else "book files"
        pages, them = ("book page", "it") if len(lost) == 1 else ("book pages", "them")
        raise ReadlogError(
            f"{len(problems)} {files} of {journal.root} cannot be read (see `readlog check`): building would "
            f"take {len(lost)} {pages} out of {outdir} ({_first_few(lost)}); use --force to publish without "
            f"{them}"
        )


def _first_few(names: list[str], shown: int = 3) -> str:
    """`names`, the first few: "README.md, drafts/, notes.txt and 4 more"."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"{', '.join(names[:shown])}{more}"


def _replaced(outdir: Path, shown: int = 3) -> str:
    """What `--force` deletes of a folder readlog did not make, named: "README.md, drafts/ and 4 more"."""
    with os.scandir(outdir) as entries:
        names = sorted(
            e.name + ("/" if e.is_dir(follow_symlinks=False) else "")
            for e in entries
            if e.name[0] != "." and e.name not in THEIRS
        )
    return f"it deletes {_first_few(names, shown)}"


def _mount_point(folder: Path) -> bool:
    """Whether `folder` is a mount point (which no rename can replace): another file system's, or a bind
    mount of a folder of this one (Linux's /proc/self/mountinfo tells those)."""
    if os.path.ismount(folder):
        return True
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as mounts:
            points = {line.split(" ")[4] for line in mounts if line.count(" ") > 4}
    except OSError:
        return False
    unescaped = {re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), point) for point in points}
    return os.path.realpath(folder) in unescaped


def _cannot_swap(outdir: Path) -> str:
    return (
        f"{outdir} is a mount point: the site is built beside it and renamed into its place, which a mount "
        f"point cannot be; give a folder inside it (`readlog site {outdir}/site`)"
    )


def _staging(outdir: Path, staging: Path) -> Path:
    """A fresh folder beside OUTDIR, `staging` (`_Claim`); left-overs of a crashed build of it are cleared
    first: `_beside`."""
    try:
        staging.mkdir(mode=0o755)
    except OSError as error:
        raise ReadlogError(f"cannot write beside {outdir}: {error.strerror}") from None
    return staging


# An unfinished site of a stopped build kept beside its OUTDIR for what it holds of the reader's, and the
# line that names it (`_given_back`), said on every build until the reader moves it
Aside = tuple[Path, str]


def _beside(outdir: Path, typed: Path | None = None) -> list[Aside]:
    """The unfinished sites of stopped builds in OUTDIR's folder, and in the folder of OUTDIR as the reader
    gave it (`typed`: a link left where OUTDIR was, review 31d F3), each once (no other build of OUTDIR runs:
    `_locked`). OUTDIR's own gives back what the reader kept in OUTDIR that it holds (`_given_back`) and is
    removed if it holds nothing else of the reader's; one that does stays, named. Another name's whose
    folder is gone, is no longer a folder there, or is a link now (try-out 31a #3: renamed, no build of its
    own will find it; review 31d F2: a link cannot prove it leads to that same folder, and things moved
    through one had gone into another site) is named but left as it is, for the reader to move; once they
    have (review 31d F6: its copy of the site stayed hidden forever), it is removed if it got as far as its
    moves (its `THEIRS_MOVED`: a build that has not may still run, the first of a new folder). Another
    folder's, where that folder is, is its own builds' (one may be running)."""
    aside: list[Aside] = []
    parents = {os.path.realpath(folder.parent): folder.parent for folder in (typed or outdir, outdir)}
    for parent in parents.values():  # (one folder, through a link or not, scanned once: as OUTDIR's)
        try:
            with os.scandir(parent) as entries:
                found = [
                    Path(e.path)
                    for e in entries
                    if _UNFINISHED.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
                ]
        except OSError:
            continue
        aside += _beside_in(found, outdir)
    return aside


def _beside_in(found: list[Path], outdir: Path) -> list[Aside]:
    aside: list[Aside] = []
    for unfinished in found:
        origin = unfinished.with_name(_outdir_name(unfinished.name))
        try:
            if origin == outdir:
                kept = _given_back(unfinished, outdir)
                if kept is None:
                    shutil.rmtree(unfinished, ignore_errors=True)
            elif origin.is_symlink() or not origin.is_dir():
                kept = _given_back(unfinished, origin, back=False)
                if kept is None and os.path.lexists(unfinished / THEIRS_MOVED):
                    shutil.rmtree(unfinished, ignore_errors=True)  # (review 31d F6: the reader moved theirs)
            else:
                continue
        except OSError:  # (neither given back nor removed: it stays)
            continue
        if kept is not None:
            aside.append(kept)
    return aside


BUILDS = "site-builds"  # in readlog's cache dir: a file per build running, naming its unfinished site
_UNFINISHED = re.compile(r"\..+\.building-[0-9a-f]{8}")  # (the name `_Claim` gives it, beside OUTDIR)


class _Claim:
    """A build's mark in readlog's cache dir (`BUILDS`): a file naming the unfinished site it makes beside
    OUTDIR, locked while the build (or a process it forked) runs. A build killed outright (SIGKILL, a power
    cut) cannot take its folder away; the next `site`, of any OUTDIR, takes the lock of its mark, which
    proves no process works in that folder any longer, and removes both (`_clear_dead`). Where there is no
    flock (not POSIX), no mark: OUTDIR's own next build still clears it (`_beside`)."""

    def __init__(self, staging: Path, fd: int | None = None, path: Path | None = None) -> None:
        self.staging, self.fd, self.path = staging, fd, path

    @classmethod
    def take(cls, outdir: Path) -> _Claim:
        staging = outdir.with_name(f".{outdir.name}.building-{os.urandom(4).hex()}")
        try:
            import fcntl

            from readlog.index import cache_dir
            from readlog.private import private_dir

            folder = private_dir(cache_dir() / BUILDS)
            name = f"{os.getpid()}-{staging.name.rpartition('-')[2]}"
            made = folder / f"{name}.tmp"  # (named `.lock` only once locked: `_clear_dead` never takes it)
            fd = os.open(made, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except (ImportError, OSError):
            return cls(staging)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, os.fsencode(staging))
            path = made.with_suffix(".lock")
            os.rename(made, path)
        except OSError:
            os.close(fd)
            made.unlink(missing_ok=True)
            return cls(staging)
        return cls(staging, fd, path)

    def release(self) -> None:
        """The mark taken away with its lock, once the unfinished site is gone (swapped in, or taken away);
        if it is still there (a signal before the build could take it away), the mark stays, unlocked,
        for the next build to clear."""
        if self.path is not None and not os.path.lexists(self.staging):
            self.path.unlink(missing_ok=True)
        self.path = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _clear_dead() -> list[Aside]:
    """The unfinished sites of builds that no longer run (their mark in `BUILDS` not locked: `_Claim`),
    wherever they were made, taken away with their marks, what they hold of the reader's given back first
    (`_given_back`). One holding what cannot be given back stays with its mark, named by every build that
    finds the mark (try-out 31a #3: dropped once its OUTDIR was renamed, it was said nowhere again)."""
    aside: list[Aside] = []
    try:
        import fcntl

        from readlog.index import cache_dir

        marks = [e.path for e in os.scandir(cache_dir() / BUILDS) if e.name.endswith((".lock", ".tmp"))]
    except (ImportError, OSError):
        return aside
    for mark in marks:
        try:
            fd = os.open(mark, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            unfinished = Path(os.fsdecode(os.read(fd, 1 << 16).split(b"\0")[0]))
        except OSError:  # (its build runs: the lock is held)
            os.close(fd)
            continue
        kept = None
        try:
            named = mark.endswith(".lock") and unfinished.is_absolute()  # (a `.tmp`: its build made none)
            if (
                named
                and _UNFINISHED.fullmatch(unfinished.name)
                and stat.S_ISDIR(os.lstat(unfinished).st_mode)
                and (kept := _given_back(unfinished, unfinished.with_name(_outdir_name(unfinished.name))))
                is None
                and not _delete_elsewhere(unfinished)
            ):
                shutil.rmtree(unfinished, ignore_errors=True)
        except OSError:  # (gone: swapped in, removed by OUTDIR's next build, or by the reader)
            pass
        finally:
            if kept is None:
                with contextlib.suppress(OSError):
                    os.unlink(mark)
            else:
                aside.append(kept)
            os.close(fd)
    return aside


# In an unfinished site: the names of the reader's things moved into it from OUTDIR (`_swap_keeping_theirs`),
# written (and synced) before they are moved, so that a build killed outright before its swap leaves word
# of them beside them, whatever path or cache dir the next build goes by (`_given_back`). Never left in
# OUTDIR.
THEIRS_MOVED = ".readlog-kept"


def _outdir_name(unfinished: str) -> str:
    return unfinished[1:].rpartition(".building-")[0]


def _vouched(unfinished: Path) -> set[str]:
    """The names an unfinished site's `THEIRS_MOVED` gives (none if it cannot be read)."""
    try:
        with open(unfinished / THEIRS_MOVED, "rb") as record:
            names = {os.fsdecode(name) for name in record.read().split(b"\0") if name}
    except OSError:
        return set()
    return {name for name in names if name not in (".", "..") and "/" not in name}


def _theirs_in(unfinished: Path, vouched: set[str]) -> list[str]:
    """What an unfinished site holds of the reader's: what its record (`vouched`) says was moved there, and
    anything its own build does not make (review 31d F1: a name readlog may make, `tags/`, was counted as
    readlog's even where that build made none, and the reader's own `tags/` deleted with a leftover whose
    record was damaged): anything its `MARKER` lists no page under, which is on disk before any move
    (`_build_staged`). Without one, the build was stopped before any move, or the reader changed it: if a
    record is there, everything but the marks is theirs."""
    try:
        names = os.listdir(unfinished)
    except FileNotFoundError:
        return []
    made = _made_by(unfinished)
    if made is None:
        made = frozenset(names) if not os.path.lexists(unfinished / THEIRS_MOVED) else frozenset()
    return sorted(
        name for name in names if name in vouched or name not in made and name not in (MARKER, THEIRS_MOVED)
    )


def _made_by(site: Path) -> frozenset[str] | None:
    """The top-level names of the pages `site`'s marker lists; None if it cannot be read."""
    pages = _manifest(site)[0]
    if not pages:
        return None
    return frozenset(path.split("/", 1)[0] for path in pages)


def _given_back(unfinished: Path, outdir: Path, back: bool = True) -> Aside | None:
    """What the reader kept in OUTDIR that a build killed before its swap had moved into its unfinished
    site (its `THEIRS_MOVED` names it), moved back into OUTDIR (a SIGKILL in that instant had lost a
    `.git`), unless not `back`. None if the unfinished site then holds nothing of the reader's
    (`_theirs_in`); else it stays, and the line naming it: what it holds, and why it was not put back
    (OUTDIR holding another entry of that name now, OUTDIR gone or a link now, or not named by the record:
    try-out 31a #2, a damaged, emptied or deleted record had the next build delete the reader's `.git` with
    the rest)."""
    names = _vouched(unfinished)
    linked = outdir.is_symlink()  # (review 31d F2: never through a link, which may lead to another site)
    home = back and not linked and outdir.is_dir()
    for name in names if home else ():
        if os.path.lexists(unfinished / name) and not os.path.lexists(outdir / name):  # (else not moved yet)
            with contextlib.suppress(OSError):
                os.rename(unfinished / name, outdir / name)
    left = _theirs_in(unfinished, names)
    if not left:
        return None
    if linked:
        why = f"{outdir.name} is a link now, which may lead to another site"
    elif not home:
        why = f"{outdir.name} is gone or is not that folder now"
    elif not names.issuperset(left):
        why = f"its {THEIRS_MOVED}, damaged or deleted, does not name them all"
    else:
        why = f"{outdir.name} has that name again"
    return unfinished, (
        f"{unfinished} holds {_first_few(left)} of yours, which a stopped build had moved out of {outdir} "
        f"and could not put back ({why}): move it by hand"
    )


def _listed(outdir: Path) -> list[str]:
    try:
        return os.listdir(outdir)
    except OSError as error:
        raise ReadlogError(f"cannot read {outdir}: {error.strerror}") from None


def _keeping(staging: Path, names: list[str]) -> None:
    """`names`, the reader's, said in the unfinished site's `THEIRS_MOVED` and on disk (the file, and its
    entry in the folder) before any of them is moved there (try-out 31a #2: written unsynced, a power cut
    could leave a moved `.git` there without its word)."""
    fd = os.open(staging / THEIRS_MOVED, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, b"".join(os.fsencode(name) + b"\0" for name in names))
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(staging)


def _carry_over(old: str, new: str) -> bool:
    """An unchanged page from the last build: a hard link (no copy, no rewrite) where the disk allows."""
    try:
        os.link(old, new, follow_symlinks=False)
        return True
    except OSError:
        return False


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _swap(staging: Path, outdir: Path, pages: int) -> None:
    """Put the new site in OUTDIR's place: an atomic exchange where the system has one (Linux), else two
    renames (between them OUTDIR is briefly absent, never half-written). The old site (of `pages` pages)
    is then discarded."""
    if not outdir.exists():
        os.rename(staging, outdir)
        return
    if _exchange(staging, outdir):
        _discard(staging, pages)  # now the old site
        return
    old = outdir.with_name(f".{outdir.name}.old-{os.urandom(4).hex()}")
    os.rename(outdir, old)
    os.rename(staging, outdir)
    _discard(old, pages)


THEIRS = ("CNAME",)  # besides dot-entries: what a reader keeps in a site folder that readlog never makes


# The top-level names readlog's pages take in some build (`tags/`, `authors.html`...).
_PAGE_ROOTS = frozenset(url.split("/", 1)[0].split("#", 1)[0] for url in URLS.values())


def _theirs(staging: Path, outdir: Path, previous: dict[str, str]) -> list[str]:
    """The top-level entries of OUTDIR that are the reader's, for `_swap_keeping_theirs` to keep: every entry
    no path of the last build's manifest (`previous`) begins with; of a folder whose manifest cannot be
    read, every entry but the new site's; of a folder readlog had not made (no manifest: `--force`), its
    dot-entries and `CNAME` only. Never one a page of the new site (in `staging`) takes."""
    if not outdir.is_dir():
        return []
    made: frozenset[str] | None = frozenset(path.split("/", 1)[0] for path in previous)
    if not previous:  # (its manifest unread, see `_manifest`; else no manifest: `--force`)
        made = frozenset() if os.path.isfile(outdir / MARKER) else None  # (but the new site's)
    return [
        name for name in _listed(outdir)
        if (name not in made if made is not None else name[0] == "." or name in THEIRS)
        and name not in (MARKER, THEIRS_MOVED) and not os.path.lexists(staging / name)
    ]  # fmt: skip


def _top_in_the_way(staging: Path, outdir: Path, previous: dict[str, str], maybe: list[str]) -> None:
    """A top-level entry of the reader's where the new site has one of its own stops the build, OUTDIR as it
    was (review 32c #7: their file `books`, their link `tags -> elsewhere`, was replaced without a word, while
    one a level down stops the build, `_keep_inside`): a link (readlog makes none), a file where the new
    site has a folder, or a folder where it has a file (readlog's are never the one and then the other),
    and, where the marker can be read, a file no page of the last build is, nor a name it records as maybe
    an older build's (`maybe`). A folder of the reader's where readlog makes one is walked (`_keep_inside`).
    Nothing for a folder readlog did not make (no marker: `--force` replaces it)."""
    if not os.path.isfile(outdir / MARKER):
        return
    made = {path.split("/", 1)[0] for path in previous}
    for name in sorted(_listed(outdir)):
        if name in (MARKER, THEIRS_MOVED) or not os.path.lexists(staging / name):
            continue
        mode, folder = os.lstat(outdir / name).st_mode, os.path.isdir(staging / name)
        if stat.S_ISLNK(mode):
            kind = "a link"
        elif stat.S_ISDIR(mode) != folder:
            kind = "a folder" if stat.S_ISDIR(mode) else "a file"
        elif not folder and previous and name not in made and name not in maybe:
            kind = "a file"
        else:
            continue
        takes = f"its folder {name}/" if folder else "its page"
        raise ReadlogError(
            f"{outdir / name} is not readlog's ({kind}), and this build makes {takes} there: rename it or "
            f"move it out of {outdir}; {outdir} is as it was"
        )


# A page readlog's templates made carries this in its head (base.html's): what proves a page is readlog's
# where no manifest lists it (an older build's, kept while the marker could not be read)
GENERATOR_MARK = b'<meta name="generator" content="readlog">'


def _readlogs_page(path: str) -> bool:
    """Whether `path` is an HTML file (not a link) that readlog's templates made: `GENERATOR_MARK` in its
    head."""
    if not path.endswith(".html"):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and GENERATOR_MARK in os.read(fd, 4096)
    except OSError:
        return False
    finally:
        os.close(fd)


@dataclass
class _Inside:
    """What `_keep_inside` found in readlog's folders of OUTDIR that no page of the last build is."""

    kept: list[str] = field(default_factory=list)  # the reader's, linked into the new site where they were
    removed: list[str] = field(default_factory=list)  # an older build's pages this build does not make
    quiet: list[str] = field(default_factory=list)  # the reader's dot-files, kept and not named
    dropped: list[str] = field(default_factory=list)  # dot-files in a folder the new site does not have


def _keep_inside(
    staging: Path, outdir: Path, previous: dict[str, str], theirs: list[str], maybe: list[str] | None = None
) -> _Inside:
    """What the reader put inside readlog's own folders of OUTDIR (`authors/photo.jpg`: try-out 32b #8, it was
    deleted with the old site, nothing said), kept: every entry of a folder swapped out with the old site
    (one the last build made pages in, or one a page of the new site takes) that is no page of the last
    build's manifest (`previous`) nor a folder of one, hard-linked into the new site at the same path (a
    copy where it cannot be linked), so that OUTDIR holds it whatever becomes of this build. A page
    readlog's templates made (`GENERATOR_MARK`) is an older build's where no readable manifest says what the
    last build made, or in a folder the manifest records as maybe an older build's (`maybe`: MAYBE_KEPT):
    replaced, or removed if this build does not make it; beside a readable manifest that does not list it,
    it is the reader's (a copy of a page saved as `frank-herbert-print.html`: review 32c #1), kept. Where
    the manifest cannot be read, every page of the new site takes its path, as before;
    where it can, a file of the reader's at a path a page of the new site takes stops the build, OUTDIR as
    it was. Nothing for a folder readlog did not make (no marker: `--force` replaces it)."""
    inside = _Inside()
    if not os.path.isfile(outdir / MARKER):
        return inside
    found: list[str] = []
    dots: list[str] = []  # (a `.DS_Store`, an editor's swap file: see below)

    def holds_pages(folder: str) -> bool:  # (a folder of the reader's with no page in it is theirs whole)
        return not previous or any(path.startswith(folder) for path in previous)

    def older(path: str) -> bool:  # (where a page readlog made that no manifest lists is an older build's)
        return not previous or path.split("/", 1)[0] in (maybe or ())

    def walk(folder: str) -> None:
        prefix = folder + "/"
        # (a folder of 10,000 pages: their names looked up, the few left over looked at)
        for name in sorted(n for n in os.listdir(outdir / folder) if prefix + n not in previous):
            path = prefix + name
            if stat.S_ISDIR(os.lstat(outdir / path).st_mode) and holds_pages(path + "/"):
                walk(path)
            elif older(path) and _readlogs_page(f"{outdir}/{path}"):
                if not os.path.lexists(staging / path):
                    inside.removed.append(path)
            elif not os.path.lexists(staging / path):
                (dots if name[0] == "." and not os.path.isdir(outdir / path) else found).append(path)
            elif previous:
                raise ReadlogError(
                    f"{outdir / path} is not a page readlog made, and a page of this build takes its place: "
                    f"move it out of {outdir / folder} (keep your files at the top of {outdir}); "
                    f"{outdir} is as it was"
                )

    try:
        for name in sorted(_listed(outdir)):
            if (
                name not in theirs
                and name not in (MARKER, THEIRS_MOVED)
                and stat.S_ISDIR(os.lstat(outdir / name).st_mode)
                and (os.path.isdir(staging / name) or holds_pages(name + "/"))
            ):
                walk(name)
        for path in found:
            os.makedirs(os.path.dirname(staging / path), exist_ok=True)
            if stat.S_ISDIR(os.lstat(outdir / path).st_mode):
                shutil.copytree(outdir / path, staging / path, symlinks=True, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(outdir / path), str(staging / path))
        # A dot-file (Finder's `.DS_Store`, an editor's swap file: review 32c #8) is kept quietly where the
        # new site has its folder (named on every build, it was noise), and goes with a folder the new
        # site does not have, named once: alone, it made that folder the reader's, published for good.
        for path in dots:
            if os.path.isdir(os.path.dirname(staging / path)):
                _link_or_copy(str(outdir / path), str(staging / path))
                inside.quiet.append(path)
            else:
                inside.dropped.append(path)
    except OSError as error:
        raise ReadlogError(
            f"cannot keep {error.filename or outdir} in the new site ({error.strerror}): the site is built "
            f"beside {outdir.name} and swapped in; {outdir} is as it was"
        ) from None
    inside.kept = found
    return inside


def _kept_folders(staging: Path, kept: list[str]) -> set[str]:
    """The folders of the new site that hold what `_keep_inside` linked (or copied) there: each synced with
    the pages', so that the swap never lands before their entries do (the old site's are deleted after)."""
    folders = set()
    for path in kept:
        folders.add(os.path.dirname(f"{staging}/{path}"))
        for folder, _, _ in os.walk(f"{staging}/{path}"):  # (a folder of the reader's: each folder in it)
            folders.add(folder)
    return folders


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _private_marks(journal: Journal, private: set[str]) -> dict[str, list[str]]:
    """What names each book now private (`private`: their slugs) in a page readlog's templates made: a link
    to its page or to its place on the shelves, its anchor there, and its title as the templates write it
    (`<cite>TITLE</cite>`: review 32c #2, a book with no page of its own is listed by its title alone). Its
    book file is read for the title (the site's cache keeps nothing of a private book but its slug)."""
    marks: dict[str, list[str]] = {}
    if not private:
        return marks
    from markupsafe import escape

    for slug in sorted(private):
        marks[slug] = [f"books/{slug}.html", f'#{slug}"', f'id="{slug}"']
        with contextlib.suppress(ReadlogError, OSError, ValueError):  # (changed since: its slug still says)
            marks[slug].append(f">{escape(journal.load(slug).book.title)}</cite>")
    return marks


def _naming_private(outdir: Path, names: list[str], marks: dict[str, list[str]]) -> list[str]:
    """Of the pages readlog's templates made (`GENERATOR_MARK`) in the kept entries `names` of OUTDIR, those
    that name a book now private: its own page, or one holding any of its `marks` (`_private_marks`)."""
    if not marks:
        return []
    needles = [mark for found in marks.values() for mark in found]
    own = {f"books/{slug}.html" for slug in marks}
    naming = []
    for name in names:
        for folder, _, files in os.walk(outdir / name):
            for file in sorted(files):
                path = os.path.join(folder, file)
                if _readlogs_page(path):
                    with contextlib.suppress(OSError), open(path, encoding="utf-8", errors="replace") as page:
                        text = page.read()
                        where = os.path.relpath(path, outdir)
                        if where in own or any(needle in text for needle in needles):
                            naming.append(where)
    return sorted(naming)


def _unpublished(outdir: Path, naming: list[str]) -> tuple[list[str], list[str]]:
    """The older build's pages in OUTDIR that name a book now private (`_naming_private`) removed, once the
    new site is in place (review 32c #2: named, they stayed published; the reader made the book private to
    have it off the site, and readlog makes no such page now), and a folder they leave empty. Gives those
    removed, and those that could not be (named, to delete by hand)."""
    removed, left = [], []
    for path in naming:
        try:
            os.unlink(outdir / path)
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError:
            left.append(path)
            continue
        folder = os.path.dirname(path)
        while folder:  # (a folder it leaves empty goes too: nothing of the reader's was in it)
            try:
                os.rmdir(outdir / folder)
            except OSError:
                break
            folder = os.path.dirname(folder)
    return removed, left


def _swap_keeping_theirs(staging: Path, outdir: Path, theirs: list[str], pages: int) -> list[str]:
    """`_swap`, with what the reader keeps at the top of OUTDIR beside readlog's pages (`.git` to publish
    it, `CNAME`, a README) moved into the new site first, never discarded with the old one (review 29b #2:
    a rebuild deleted the site's git repository): every entry no path of the last build's manifest begins
    with; of a folder whose manifest cannot be read (try-out 31a #1: a merge conflict in it was read as a
    site with nothing else in it), every entry but the new site's (review 31d F1: every name readlog may
    make was counted as its own, and the reader's `tags/` deleted); of a folder readlog had not made
    (no manifest: `--force`), its dot-entries and `CNAME` only. Never over a page of the new site. They are
    said in the new site's `THEIRS_MOVED` before they are moved (a build killed outright meanwhile:
    `_given_back`). Stopped or failed before the new site is in OUTDIR (review 29d #1; a Ctrl-C among the
    moves too, review 30c #2), they are moved back; one that cannot be moved (a folder the reader may not
    move, a mount point) stops the build before anything is discarded (review 30c #1: the loop had ended
    there, and what came after it was deleted with the old site). Gives the names moved."""
    moved: list[str] = []
    try:
        if theirs:
            _keeping(staging, theirs)
        for name in theirs:
            try:
                os.rename(outdir / name, staging / name)
            except OSError as error:
                raise ReadlogError(
                    f"cannot move {outdir / name} into the new site ({error.strerror}): the site is "
                    f"built beside {outdir.name} and swapped in, and what you keep in it goes with "
                    f"it; {outdir} is as it was"
                ) from None
            moved.append(name)
        _swap(staging, outdir, pages)
    except BaseException:
        for name in moved:  # (not swapped in: they go back where they were)
            if os.path.lexists(staging / name) and not os.path.lexists(outdir / name):
                with contextlib.suppress(OSError):
                    os.rename(staging / name, outdir / name)
        raise
    with contextlib.suppress(OSError):
        os.unlink(outdir / THEIRS_MOVED)
    return moved


DISCARD_FROM = 500  # pages of an old site: fewer are deleted sooner than a process is started for them
TRASH = "site-trash"  # in readlog's cache dir: old sites, and unfinished ones a Ctrl-C stopped, being deleted
# The process that deletes them: every folder in the trash (one another build left, if its process was
# stopped, too), at a low priority (the reader's next command comes first).
_DELETE = """import os, shutil, sys
if hasattr(os, "nice"):
    os.nice(10)
for name in os.listdir(sys.argv[1]):
    shutil.rmtree(os.path.join(sys.argv[1], name), ignore_errors=True)
"""


def _discard(old: Path, pages: int) -> None:
    """The old site gone from beside OUTDIR when `site` returns. A big one (thousands of files: a tenth of a
    second to delete) is deleted by a process of its own (`_delete_elsewhere`); a small one, or one that
    cannot be moved (another file system), is deleted here."""
    if pages >= DISCARD_FROM and sys.executable and _delete_elsewhere(old):
        return
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    if os.uname().sysname != "Linux":  # pragma: no cover - other systems take the two renames
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # pragma: no cover - a libc without renameat2
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


# What the last build's book pages were made from (see `_lists`, Page.stamp): the digest of its lists,
# options and templates, and each book page's file stamp and digest (path -> "STAMP DIGEST"), or (None, {})
Since = tuple["str | None", dict[str, str]]


def _manifest(outdir: Path) -> tuple[dict[str, str], str | None, Since, list[str]]:
    """The last build's page digests, the digest of all its inputs, what its book pages were made from, and
    the top-level names it kept that may be an older build's (`MAYBE_KEPT`)."""
    nothing: Since = (None, {})
    try:
        data = json.loads((outdir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, None, nothing, []
    if not isinstance(data, dict) or not isinstance(data.get("pages"), dict):
        return {}, None, nothing, []
    pages = {k: v for k, v in data["pages"].items() if isinstance(v, str)}
    inputs, lists, stamps = data.get("inputs"), data.get("lists"), data.get("stamps")
    since = nothing
    if isinstance(lists, str) and isinstance(stamps, dict):
        since = (lists, {k: v for k, v in stamps.items() if type(v) is str})
    kept = data.get(MAYBE_KEPT)
    maybe = [n for n in kept if type(n) is str and n in _PAGE_ROOTS] if isinstance(kept, list) else []
    return pages, inputs if isinstance(inputs, str) else None, since, maybe


# Each page's file in OUTDIR as the last build left it (`_file_stamp`: its size and mtime), so that a page
# changed or deleted there by hand is made again, not carried over. Kept in readlog's cache dir, a file per
# OUTDIR (named as its lock is: `_locked`), never in OUTDIR's manifest: the stamps are this disk's, and the
# site stays the same bytes for the same journal. A page without its stamp (an older readlog kept none, the
# cache was cleared, OUTDIR was moved or copied) is rendered and compared with its file, once: written only
# if they differ.
PAGE_STAMPS, PAGE_STAMPS_FORM = "site-pages", 1


def _page_stamps_path(outdir: Path) -> Path:
    import zlib

    from readlog.index import cache_dir

    return cache_dir() / PAGE_STAMPS / f"{zlib.crc32(os.fsencode(outdir)):08x}.json"


def _page_stamps(outdir: Path, previous: dict[str, str]) -> dict[str, str]:
    """The kept stamp of each page of the last build (`previous`) in `outdir`, of those that have one."""
    try:
        data = json.loads(_page_stamps_path(outdir).read_bytes())
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("form") != PAGE_STAMPS_FORM
        or data.get("outdir") != os.fsdecode(outdir)
        or not isinstance(files := data.get("files"), dict)
    ):
        return {}
    return {path: stamp for path in previous if type(stamp := files.get(path)) is str}


def _keep_page_stamps(outdir: Path, files: dict[str, str]) -> None:
    from readlog.private import private_dir, write_private

    path = _page_stamps_path(outdir)
    data = {"form": PAGE_STAMPS_FORM, "outdir": os.fsdecode(outdir), "files": files}
    with contextlib.suppress(OSError):  # (only a cache: without it, the next build compares the pages)
        private_dir(path.parent)
        write_private(path, json.dumps(data).encode("utf-8", "surrogateescape"))


def _lists(site: Site, options: Options, salt: str) -> str | None:
    """What every book page depends on besides its own file, as one digest: every book's small part (where
    its picks lead, its tags' and authors' pages: `Site.lists_key`), the options and the templates; None
    for a site without the books' digests."""
    if site.digests is None:
        return None
    return hashlib.sha256(f"{salt}\0{options!r}\0{site.lists_key()}".encode()).hexdigest()[:32]


def _books_digest(stamps: dict[str, Any]) -> str:
    """Every book file's stamp, in one digest."""
    return hashlib.sha256(marshal.dumps(sorted(stamps.items()), 2)).hexdigest()[:32]


def _inputs(books_digest: str, options: Options, salt: str) -> str:
    """Everything a build depends on, in one digest: each book file's stamp (`_books_digest`), the options,
    the templates."""
    return hashlib.sha256(f"{salt}\0{options!r}\0{books_digest}".encode()).hexdigest()[:32]


# What the books leave out as private, as the last build said it (privacy.left_out_lines), with the digest of
# the files it was said of: a build with nothing to do says it again without reading the books. Kept with the
# site's content cache (private to the reader: it names books), never in OUTDIR (a published folder).
SAID = "left-out.json"


def _said(journal: Journal, books_digest: str) -> list[str] | None:
    """What the last build said these very files leave out as private; None if it is not known."""
    try:
        data = json.loads((cache_path(journal.root) / SAID).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("books") != books_digest:
        return None
    lines = data.get("left_out")
    return lines if isinstance(lines, list) and all(type(line) is str for line in lines) else None


def _keep_said(journal: Journal, books_digest: str, lines: list[str]) -> None:
    from readlog.private import private_dir, write_private

    folder = cache_path(journal.root)
    with contextlib.suppress(OSError):  # (only a cache: without it, the next build reads the books)
        private_dir(folder)
        write_private(folder / SAID, json.dumps({"books": books_digest, "left_out": lines}).encode())


def _digest(page: Page, salt: str) -> str:
    """What the page is made from, hashed. Contexts are plain data built in a fixed order, so marshal
    (format 2: no back-references, the same bytes for the same values) serialises them fast and stably."""
    digest = hashlib.sha256(f"{salt}\0{page.template}\0".encode())
    if page.template is None:
        if page.writing is not None and page.parts is not None:  # (the text not made: its parts hashed)
            for part in page.parts():
                digest.update(part.encode("utf-8"))
        else:
            digest.update(page.full_text().encode("utf-8"))
    elif (key := page.page_key()) is not None:
        digest.update(key.encode("utf-8"))
    else:
        digest.update(marshal.dumps(page.context, 2))
    return digest.hexdigest()[:32]


def _salt(overrides: Path) -> str:
    """What every page depends on besides its context: readlog's version and code (the Markdown renderer
    and the template filters are code), the templates in use, where pages live and which kinds of page
    there are."""
    digest = hashlib.sha256(f"{__version__}\0{code_stamp()}".encode())
    digest.update(json.dumps([URLS, [kind.name for kind in GENERATORS]], sort_keys=True).encode())
    for folder in (_package_templates(), overrides):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _package_templates() -> Path:
    return Path(str(resources.files("readlog.exporters.site") / "templates"))


def _stylesheet(overrides: Path) -> str:
    custom = overrides / STYLESHEET
    path = custom if custom.is_file() else _package_templates() / STYLESHEET
    return path.read_text(encoding="utf-8")


# --- templates --------------------------------------------------------------------------------------------


def environment(overrides: Path) -> Environment:
    """Jinja2 with the package's templates, any of which a file of the same name in `overrides` replaces."""
    from readlog.exporters.site import engine

    return engine.environment(_template_folders(overrides))


def _template_folders(overrides: Path) -> list[Path]:
    return [*([overrides] if overrides.is_dir() else []), _package_templates()]


def render(env: Renderer, page: Page) -> str:
    from readlog.exporters.site import engine

    return engine.render(env, page)


def render_bytes(env: Renderer, page: Page) -> bytes:
    from readlog.exporters.site import engine

    return engine.render_bytes(env, page)


def templates(overrides: Path) -> Templates:
    """A build's templates (`environment`'s, made when a page first needs one of them)."""
    from readlog.exporters.site import engine

    return engine.Templates(_template_folders(overrides))


def _compiled(overrides: Path, names: list[str]) -> Templates:
    env = templates(overrides)
    compile_all(env, names)
    return env


def compile_all(env: Renderer, names: list[str]) -> None:
    from readlog.exporters.site import engine

    engine.compile_all(env, names)
