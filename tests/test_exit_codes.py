"""Exit codes by error class: every `ReadlogError` carries its own (`UsageError` 2, the rest 1), and the
CLI edge only reads it. The class is chosen where the error is made: a value checked for a command-line
`Option` fails as a usage error; the same check on a book file's field fails as exit 1."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from readlog import errors
from readlog.model import parse_rating, parse_status


def test_each_error_class_carries_its_exit_code():
    assert errors.ReadlogError.exit_code == 1
    assert errors.UsageError.exit_code == 2
    assert issubclass(errors.UsageError, errors.InvalidValue)  # callers catching InvalidValue still do
    for cls in (errors.InvalidValue, errors.BookFileError, errors.NewerSchema, errors.BookNotFound,
                errors.AmbiguousBook, errors.BookExists, errors.ConflictError, errors.Cancelled):  # fmt: skip
        assert cls.exit_code == 1, cls


def test_the_same_check_is_a_usage_error_only_for_a_command_line_option():
    with pytest.raises(errors.UsageError) as usage:
        parse_rating("11", errors.Option("--rating"))
    assert usage.value.exit_code == 2 and str(usage.value).startswith("--rating: '11'")
    with pytest.raises(errors.InvalidValue) as in_file:
        parse_rating("11", "rating")
    assert type(in_file.value) is errors.InvalidValue and in_file.value.exit_code == 1
    # a name that looks like an option is not enough: it is the Option type that says so
    with pytest.raises(errors.InvalidValue) as looks:
        parse_status("done", "--status")
    assert type(looks.value) is errors.InvalidValue


def test_a_usage_error_keeps_its_class_across_processes():
    error = errors.invalid("--year: 0 is out of range", errors.Option("--year"))
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is errors.UsageError and back.exit_code == 2 and back.field == "--year"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["add", "X", "-a", "Y", "--rating", "11"], 2),  # a value outside the option's range
        (["list", "--sort", "rtaing"], 2),  # outside its choices
        (["list", "--from", "2025", "--to", "2024"], 2),  # options that contradict each other
        (["search", "   "], 2),  # an argument with nothing in it
        (["progress", "dune", "12x"], 2),  # AT that is no position
        (["show", "no such book at all"], 1),  # understood, impossible
        (["export", "--format", "pdf"], 2),
    ],
)
def test_exit_codes_hold_through_the_cli(run, args, code):
    run("add", "Dune", "-a", "Frank Herbert", "--status", "reading")
    result = run(*args, code=code)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_a_bad_value_in_a_book_file_is_exit_1_even_for_a_usage_like_name(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "odd.toml").write_text('title = "Odd"\nrating = 11\n')
    result = run("show", "odd", code=1)
    assert "rating: 11" in result.stderr


def test_the_cli_edge_reads_the_class_not_the_wording():
    source = (Path(errors.__file__).parent / "cli" / "app.py").read_text()
    assert "error.exit_code" in source
    assert ".field" not in source and "is_usage_error" not in source
