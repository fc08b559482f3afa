"""bookfile.update_data (what sync's merge and `resolve` write through) keeps a CRLF file's line endings, as
`update` does since session 23 (t23e): a merged CRLF file came back with LF lines among CRLF ones.
Mutation: the CRLF branch of update_data removed: the changed line ends in LF and this fails."""

from __future__ import annotations

import tomllib

from readlog import bookfile

TEXT = 'title = "Dune"\r\nauthors = ["Frank Herbert"]\r\nstatus = "want"\r\n# mine\r\nrating = 3\r\n'


def test_a_crlf_file_changed_by_values_keeps_every_line_ending():
    data = tomllib.loads(TEXT.replace("\r\n", "\n"))
    data["rating"] = 4
    data["pages"] = 412
    text = bookfile.update_data(TEXT, data)
    assert tomllib.loads(text)["rating"] == 4 and tomllib.loads(text)["pages"] == 412
    lines = text.split("\n")[:-1]
    assert lines and all(line.endswith("\r") for line in lines), text
    assert "# mine\r\n" in text


def test_an_lf_file_stays_lf():
    text = bookfile.update_data(
        TEXT.replace("\r\n", "\n"), {**tomllib.loads(TEXT.replace("\r\n", "\n")), "rating": 4}
    )
    assert "\r" not in text
