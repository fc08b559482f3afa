"""Where a review comes from on the command line: --review TEXT, --review-file PATH (or - for stdin), or
the editor. Shared by `add`, `finish` and `review`; holds no commands."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from readlog.cli.app import State, interactive, read_source, unread_stdin_notice
from readlog.errors import Cancelled, ReadlogError, UsageError
from readlog.text import split_review

if TYPE_CHECKING:
    from pathlib import Path

    from readlog.actions.books import Entry, Review, ReviewText
    from readlog.actions.session import Journal
    from readlog.editor import Again

T = TypeVar("T")


class Unchanged(Cancelled):
    """The review came back from the editor as it went in: nothing to save. `review` says so and exits 0
    (as `edit` does); for `add` and `finish`, whose work waited on the review, it cancels them."""


def given_review(
    text: str | None,
    review_file: str | None,
    headline: str | None,
    edit: bool = False,
    text_option: str = "--review",
) -> "ReviewText | None":
    """The review typed as options, or None. Stdin is read only for `--review-file -` (or TEXT `-`).
    A --headline alone changes only the headline (`only_headline`). With --edit, what is typed here is
    what the editor starts from (`start_of`)."""
    from readlog.actions.books import ReviewText

    if text is not None and review_file is not None:
        raise UsageError(f"give {text_option} or --review-file, not both", "--review-file")
    if text == "-":
        review_file, text = "-", None
    if review_file is not None or text is not None:
        # One rule for every way in: a first line `# Headline` is the headline, typed or from a file
        # (TEXT kept it in the body, where `show`, the site and a post each drew it otherwise)
        source = read_source(review_file) if review_file is not None else str(text)
        own_headline, body = split_review(source)
        if headline and own_headline and headline.strip() != own_headline:
            # (two headlines: taking the option's dropped the text's line without a word)
            where = "review file" if review_file is not None else "review"
            raise UsageError(
                f"the {where} starts with a headline of its own ({own_headline!r}) and --headline "
                "gives another: keep one",
                "--headline",
            )
        return ReviewText(headline or own_headline, body)
    if not edit:
        unread_stdin_notice("pass --review-file - to read the review from it")
    if headline:
        return ReviewText(headline, None, only_headline=True)
    return None


def command_line(ctx: typer.Context, *words: str) -> str:
    """A readlog command for the reader to run next (a kept draft's way back): its words quoted for the
    shell, and `--data-dir` when the journal was named so (an environment's $READLOG_HOME holds still)."""
    import shlex

    state = ctx.find_root().obj
    if isinstance(state, State) and state.data_dir_given:
        words = (*words, "--data-dir", str(state.journal.root))
    return shlex.join(("readlog", *words))


def edits_current(typed: "ReviewText | None", current: "Review | None") -> bool:
    """Whether `--edit` opens the book's own review (no new text typed with it): the reader rewrites what
    they see, so no "replace it?" question comes first (the old text still goes to trash/ when changed)."""
    return current is not None and not current.is_empty() and (typed is None or typed.only_headline)


def start_of(typed: "ReviewText | None", current: "Review | None") -> "Review | None":
    """What `--edit` opens: the review typed with it (TEXT, --review, --review-file), else the current one
    (a --headline alone goes on top of it, in `edited_review`). A text given with --edit was dropped
    without a word before."""
    if typed is None or typed.only_headline:
        return current
    from readlog.actions.books import draft_review

    return draft_review(typed)


def edited_review(
    journal: "Journal",
    name: str,
    title: str,
    current: "Review | None",
    headline: str | None,
    save: "Callable[[ReviewText], T]",
    nothing: str = "nothing was saved",
    kept: "Path | None" = None,
    private: bool = False,
    again: "Again | None" = None,
    of_a_book: bool = True,
) -> T:
    """Write the review in the editor, then `save` it. The draft stays in drafts/ if saving fails; an
        untouched or emptied text cancels. With `kept`, a draft from before is taken up again: in the editor
        on a terminal, as it is without one. `private`: the review saved will be private, and the template
        says so. With no terminal and no editor named, refused (the fallback `vi` needs a terminal). `again`:
    the command that takes the draft up, named when it is kept. `of_a_book`: the review of a book in the
    journal (not `add --edit`'s), which another shell may save meanwhile."""
    from readlog import editor
    from readlog.actions.books import ReviewText
    from readlog.errors import ReadlogError

    if kept is not None:
        with editor.resume(kept, again) as session:
            written = session.edit() if interactive() else read_source(str(kept))
            new_headline, body = split_review(written)
            if not (new_headline or body):
                raise Cancelled(f"empty review: {nothing}")
            return save(ReviewText(new_headline, body))

    if not interactive() and not editor.editor_chosen():
        raise ReadlogError(
            "no terminal for an editor: set $EDITOR, or give the review as text (--review-file - reads stdin)"
        )
    if current is not None and not current.is_empty():
        template = editor.review_template(title, headline or current.headline, current.body, private)
    else:
        template = editor.review_template(title, headline, None, private)
    opened = journal.load(name).book.review if of_a_book else None  # (as the editor opens: see below)
    with editor.draft(journal, name, template, again=again) as draft:
        written = draft.edit()
        if written == template:
            raise Unchanged(f"the review was left as it was: {nothing}")
        new_headline, body = split_review(written)
        if not (new_headline or body):
            raise Cancelled(f"empty review: {nothing}")
        if of_a_book:
            _not_changed_meanwhile(journal, name, title, opened)
        return save(ReviewText(new_headline, body))


def edited_book_review(
    journal: "Journal",
    entry: "Entry",
    typed: "ReviewText | None",
    headline: str | None,
    save: "Callable[[ReviewText], T]",
    **options: Any,
) -> T:
    """`edited_review` of the review of a book in the journal (`finish --edit`, `review --edit`): the
    editor opens what was typed, else the book's review (`start_of`)."""
    current = start_of(typed, entry.book.review)
    return edited_review(journal, entry.slug, entry.book.title, current, headline, save, **options)


def _not_changed_meanwhile(journal: "Journal", name: str, title: str, opened: "Review | None") -> None:
    """The review as the editor opened it is still the book's: one saved meanwhile from another shell (or
    readlog) is not written over (it was, kept only in trash/: try-out 24b). Raised inside the draft's
    session, so the reader's text stays in drafts/ with the command that takes it up."""
    from readlog.errors import ReadlogError

    if journal.load(name).book.review != opened:
        raise ReadlogError(
            f"the review of “{title}” changed while you were editing it (saved from another shell?): "
            "yours was not written over it"
        )


def no_empty_review(
    typed: "ReviewText | None", edit: bool, text: str | None, review_file: str | None
) -> None:
    """`--review ""` (or an empty --review-file) with `add` or `finish`: refused before anything is written
    (the book was added or finished, and the empty review dropped without a word)."""
    if not typed and not edit and (text is not None or review_file is not None):
        raise ReadlogError(
            "the review given is empty: give its text, or leave --review out (nothing was written)"
        )
