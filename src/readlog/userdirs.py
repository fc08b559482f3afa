"""readlog's folders in the user's home, as platformdirs names them, without importing platformdirs where
the answer is plain: on Linux with an absolute $HOME and each $XDG_*_HOME absolute or unset (importing
platformdirs 4 costs more than a quick `readlog sync` does in all). Anything else asks platformdirs;
tests/test_sync_quick.py holds the answers equal."""

from __future__ import annotations

import os
import sys

_XDG = {"config": ("XDG_CONFIG_HOME", ".config"), "data": ("XDG_DATA_HOME", ".local/share")}


def user_dir(kind: str) -> str:
    """platformdirs.user_config_dir("readlog", appauthor=False) for "config", user_data_dir for "data"."""
    variable, under_home = _XDG[kind]
    home = os.environ.get("HOME", "")
    if sys.platform.startswith("linux") and home.startswith("/"):
        base = os.environ.get(variable, "")
        if not base.startswith("/"):
            base = os.path.join(home, under_home)
        return os.path.join(base, "readlog")
    import platformdirs

    ask = platformdirs.user_config_dir if kind == "config" else platformdirs.user_data_dir
    return ask("readlog", appauthor=False)


def git_folder(path: str) -> bool:
    """Whether `path` is a git repository's own folder (HEAD, objects/ and refs/ at its top): a journal's
    `.git`, or a bare repository such as the remote `sync init` makes (never a journal: journal.py)."""
    isfile, isdir, join = os.path.isfile, os.path.isdir, os.path.join
    return isfile(join(path, "HEAD")) and isdir(join(path, "objects")) and isdir(join(path, "refs"))


def own_git_dir(root: str) -> str | None:
    """The git folder of a journal at `root` whose repository is its own: `root/.git`, or where a `.git`
    file points (`gitdir: ...`: a worktree, a submodule, `git init --separate-git-dir`); None without one.
    Read without running git, for what looks there (a merge in progress: MERGE_HEAD)."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8") as file:
            first = file.readline(4096)
    except (OSError, UnicodeDecodeError):
        return None
    if not first.startswith("gitdir:"):
        return None
    return os.path.join(root, first[len("gitdir:") :].strip())  # (a relative one is from root)
