"""The site's templates: Jinja2, set up once per process and compiled once (no re-reading of a template
file for each page), with two cheaper steps on the paths every page takes thousands of times:

- a context is plain dicts, so `book.title` looks the key up first (Jinja tries an attribute, fails with
  an exception, then the key); a key named like a dict method still gives the method, as Jinja does;
- `{{ value }}` escapes a plain string with five replaces instead of building a `Markup` per value; the
  bytes are markupsafe's (`&amp; &lt; &gt; &#39; &#34;`), and everything else goes through markupsafe.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from markupsafe import Markup, escape

from readlog.errors import ReadlogError

if TYPE_CHECKING:
    from jinja2 import Environment

    from readlog.exporters.site.context import Page
    from readlog.exporters.site.markdown import Markdown

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # text XML (and HTML) cannot carry
_DICT_NAMES = frozenset(dir(dict))


_ESCAPED: dict[str, str] = {}  # the same names, links and titles come up on thousands of pages


def escape_text(value: Any) -> str:
    """markupsafe.escape(value), as the text it gives."""
    if type(value) is str:
        done = _ESCAPED.get(value)
        if done is None:
            done = (
                value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&#39;")
                .replace('"', "&#34;")
            )
            if len(value) < 200 and len(_ESCAPED) < 200_000:
                _ESCAPED[value] = done
        return done
    kind = type(value)
    if kind is Markup:
        return value  # HTML already (the Markdown filters' output)
    if kind is int:
        return str(value)  # (not a bool: its own type)
    return str(escape(value))


def environment(folders: list[Path], markdown: Markdown | None = None) -> Environment:
    """Jinja2 loading templates from `folders`, the first that has a template's name winning; its Markdown
    filters `markdown`'s (a new renderer's if None)."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.compiler import CodeGenerator

    class _Output(CodeGenerator):
        def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
            if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
                self.write("environment.escape_text(")
                if finalize.src is not None:
                    self.write(finalize.src)
                return
            super()._output_child_pre(node, frame, finalize)

    class _Site(Environment):
        code_generator_class = _Output
        escape_text = staticmethod(escape_text)
        macros_written = False  # bookpage writes macros.html's lists (see _written_macros)

        def _load_template(self, name: str, globals: Any) -> Any:
            template = super()._load_template(name, globals)
            if name == "macros.html" and self.macros_written and not getattr(template, "written", False):
                _use_macros(template.module)  # (when a template first imports it: a rebuild may never)
                template.written = True  # type: ignore[attr-defined]
            return template

        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict and attribute not in _DICT_NAMES:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
            return super().getattr(obj, attribute)

    env = _Site(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a build reads each template once; a new build makes a new environment
        cache_size=-1,
    )
    env.filters.update(_filters(markdown))
    env.book_page = _book_page(folders)  # type: ignore[attr-defined]
    env.graph_page = _graph_page(folders)  # type: ignore[attr-defined]
    env.macros_written = _written_macros(folders)
    return env


def _filters(markdown: Markdown | None) -> dict[str, Callable[..., Any]]:
    """The site's Markdown filters, of `markdown` (a new renderer if None)."""
    if markdown is None:
        from readlog.exporters.site.markdown import Markdown

        markdown = Markdown()
    return {"markdown": markdown.markup, "markdown_text": markdown.html, "opening": markdown.opening}


class Templates:
    """A build's templates, with Jinja's environment (`environment`) made when a page first needs one of
    them: a book page that bookpage writes needs only the Markdown filter, and a rebuild after a review
    changed often renders that page alone, so it never imports Jinja or sets it up (a fiftieth of a second
    of its time)."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.book_page = _book_page(folders)
        self.graph_page = _graph_page(folders)
        from readlog.exporters.site.markdown import Markdown

        self.markdown = Markdown()  # (one renderer for every page, Jinja's too)
        self.filters = _filters(self.markdown)
        self._made: Environment | None = None

    def get_template(self, name: str) -> Any:
        if self._made is None:
            self._made = environment(self.folders, self.markdown)
        return self._made.get_template(name)


Renderer: TypeAlias = "Environment | Templates"  # what renders a page: Jinja's environment, or a build's


def _book_page(folders: list[Path]) -> Callable[[dict[str, Any], Any], str] | None:
    """bookpage.render, if book pages may be written by it: the templates Jinja would use for them are the
    package's (the last folder), as they were when it was written (its PINNED digest)."""
    from readlog.exporters.site import bookpage

    return _pinned(folders, bookpage.TEMPLATES, bookpage.PINNED, bookpage.render)


def _graph_page(folders: list[Path]) -> Callable[[dict[str, Any], Any], str] | None:
    """bookpage.graph, if the read-next map may be written by it (as `_book_page`: bookpage.PINNED_GRAPH)."""
    from readlog.exporters.site import bookpage

    return _pinned(folders, bookpage.GRAPH, bookpage.PINNED_GRAPH, bookpage.graph)


def _pinned(
    folders: list[Path], names: tuple[str, ...], pin: str, written: Callable[[dict[str, Any], Any], str]
) -> Callable[[dict[str, Any], Any], str] | None:
    """`written`, if the templates `names` are the package's (none overridden), as they were when it was
    written (their digest is `pin`); else None (Jinja renders the page)."""
    from readlog.exporters.site import bookpage

    *overrides, package = folders
    if any((folder / name).exists() for folder in overrides for name in names):
        return None
    try:
        same = bookpage.digest(package, names) == pin
    except OSError:
        return None
    return written if same else None


def _written_macros(folders: list[Path]) -> bool:
    """Whether macros.html's `book_list`, `title_link` and `status` are written by bookpage's functions of
    those names (the text of the macro, given the macro for what they leave to it): while the templates'
    macros are the package's as they were when those were written (bookpage.PINNED_MACROS)."""
    from readlog.exporters.site import bookpage

    *overrides, package = folders
    if any((folder / bookpage.MACROS).exists() for folder in overrides):
        return False
    try:
        return bookpage.digest(package, (bookpage.MACROS,)) == bookpage.PINNED_MACROS
    except OSError:
        return False


def _use_macros(module: Any) -> None:
    """macros.html's module (what `{% import %}` gives every template) with bookpage's macros."""
    import functools

    from readlog.exporters.site import bookpage

    for name, written in bookpage.MACROS_WRITTEN.items():
        setattr(module, name, functools.partial(written, getattr(module, name)))


def compile_all(env: Renderer, names: list[str]) -> None:
    """Compile these templates now, before worker processes start, so that each has them compiled. One
    that does not compile is left: if a page uses it, rendering that page says what is wrong."""
    from jinja2 import TemplateError

    for name in names:
        if (name == "book.html" and env.book_page is not None) or (  # type: ignore[union-attr]
            name == "graph.html" and env.graph_page is not None  # type: ignore[union-attr]
        ):
            continue  # (bookpage writes book pages and the map: Jinja compiles them only if a page asks)
        try:
            env.get_template(name)
        except (TemplateError, OSError, UnicodeDecodeError):
            continue


# NOT_XML's characters below space, in UTF-8
_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def render(env: Renderer, page: Page) -> str:
    if page.template is None:
        return page.full_text()
    return render_bytes(env, page).decode("utf-8")


def render_bytes(env: Renderer, page: Page) -> bytes:
    """The page's file: its template rendered, less what XML cannot carry (as UTF-8)."""
    if page.template is None:
        return page.full_text().encode("utf-8")
    if page.template == "book.html":
        direct = env.book_page  # type: ignore[union-attr]
    else:
        direct = env.graph_page if page.template == "graph.html" else None  # type: ignore[union-attr]
    if direct is not None:  # (the same text as Jinja's: see bookpage; no Jinja, not even its import)
        text = direct(page.full_context(), env.filters["markdown"])
    else:
        from jinja2 import TemplateError

        try:
            text = env.get_template(page.template).render(page.full_context())
        except TemplateError as error:
            raise ReadlogError(f"site template {page.template}: {error}") from None
    data = text.encode("utf-8")
    if not xml_safe(data):
        data = NOT_XML.sub("", text).encode("utf-8")
    return data


def xml_safe(data: bytes) -> bool:
    """Whether UTF-8 `data` holds none of NOT_XML's characters. Looked for in the bytes, much cheaper than a
    regular expression over the text: the controls in one pass; U+FFFE and U+FFFF (EF BF BE, EF BF BF) only
    where a byte EF is at all (one `memchr`: it leads U+F000 to U+FFFF alone, which pages seldom hold,
    while two three-byte searches cost twice the controls' pass)."""
    if len(data.translate(None, _CONTROLS)) != len(data):
        return False
    return b"\xef" not in data or (b"\xef\xbf\xbe" not in data and b"\xef\xbf\xbf" not in data)
