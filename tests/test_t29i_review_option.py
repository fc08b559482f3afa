"""Try-out 29b #4: `review BOOK --review TEXT` was refused ("No such option: --review (Possible options:
--review-file)"), though `add` and `finish` take `--review TEXT`. It gives the text as TEXT does; TEXT and
--review together are a usage error (exit 2), nothing written."""

from __future__ import annotations


def test_review_takes_the_review_option_as_add_and_finish_do(run, books):
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01")
    err = run("review", "piranesi", "--review", "Any activity counts.").stderr
    assert "Saved the review of “Piranesi”" in err, err
    assert "Any activity counts." in (books / "piranesi.toml").read_text()


def test_review_with_both_text_and_the_option_is_a_usage_error_that_writes_nothing(run, books):
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01")
    before = (books / "piranesi.toml").read_bytes()
    err = run("review", "piranesi", "One text.", "--review", "Another.", code=2).stderr
    assert err == "readlog: error: give the review as TEXT or --review, not both\n", err
    err = run("review", "piranesi", "--review", "One.", "--review-file", "-", code=2).stderr
    assert "give --review or --review-file, not both" in err, err
    assert (books / "piranesi.toml").read_bytes() == before
