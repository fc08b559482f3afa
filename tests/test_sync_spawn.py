"""How readlog starts git without importing subprocess (readlog.sync.process, os.posix_spawn on Linux) and
quotes the merge driver's command without shlex (readlog.sync.quick.shell_quote): git must see what it saw
under subprocess.Popen (a private umask, the signals Python ignores back to their defaults, its three pipes
even when readlog itself was started without a standard stream), and the quoting must be shlex's. A stand-in
for git reports what it got; counts and words, never times."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readlog.sync.process import Running
from readlog.sync.quick import shell_quote

NEAR_MISSES = [
    "",
    "python3",
    "/usr/bin/python3.11",
    "_@%+=:,./-",  # every character shlex leaves alone besides letters and digits
    "a b",
    "it's",
    "'",
    '"',
    "$HOME",
    "~/bin/python",
    "a\nb",
    "a\tb",
    "é",  # not ASCII: quoted, as shlex's ASCII-only \w does
    "C:\\Python\\python.exe",
    "/opt/my python/bin/python3",
    "a*b?[c]",
    "!",
    "#",
    "a;b|c&d",
    "(x)",
    "{x}",
    "^",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_the_merge_driver_is_quoted_as_shlex_quotes(text):
    assert shell_quote(text) == shlex.quote(text)


@given(st.text())
def test_any_text_is_quoted_as_shlex_quotes(text):
    assert shell_quote(text) == shlex.quote(text)


@pytest.fixture
def reporter(tmp_path: Path) -> Path:
    """A stand-in for git that says on stdout its umask and which signals it ignores (from /proc), and
    on stderr what it read on stdin."""
    fake = tmp_path / "git"
    fake.write_text(
        "#!/bin/sh\n"
        "umask\n"
        "grep '^SigIgn:' /proc/$$/status\n"
        "cat >&2\n"
    )  # fmt: skip
    fake.chmod(0o755)
    return fake


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_git_gets_a_private_umask_and_sigpipe_back_to_its_default(reporter, tmp_path):
    """Python ignores SIGPIPE; a child must not (Popen puts it back): git writing to a reader that left
    would otherwise not stop. And .git/ holds every book: what git writes is the reader's alone."""
    before = os.umask(0o022)
    try:
        code, out, err = Running(
            str(reporter), str(tmp_path), ("status",), dict(os.environ), b"given"
        ).finish()
    finally:
        os.umask(before)
    assert os.umask(before) == before  # (this process's own umask is as it was)
    umask, ignored = out.decode().split("\n")[:2]
    assert code == 0 and err == b"given"
    assert umask == "0077"
    sigpipe = 1 << (13 - 1)  # SIGPIPE, bit 13 of the mask
    assert not int(ignored.split()[1], 16) & sigpipe


def test_git_gets_its_pipes_when_readlog_was_started_without_standard_streams(reporter, tmp_path):
    """readlog run with stdin, stdout and stderr closed (a daemon, a cron job that closes them): the pipes
    it makes for git may then be descriptors 0, 1 and 2 themselves, and must still be git's."""
    result = tmp_path / "result"
    script = (
        "import os, sys\n"
        f"sys.path[:0] = {sys.path!r}\n"
        "from readlog.sync.process import Running\n"
        "for fd in (0, 1, 2):\n"
        "    os.close(fd)\n"
        f"code, out, err = Running({str(reporter)!r}, {str(tmp_path)!r}, ('cat-file',), dict(os.environ),"
        " b'from readlog').finish()\n"
        f"with open({str(result)!r}, 'w') as file:\n"
        "    file.write(repr((code, out.split(b'\\n')[0], err)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert done.returncode == 0
    assert result.read_text() == repr((0, b"0077", b"from readlog"))
