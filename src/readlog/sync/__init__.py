"""One journal on every machine: the data dir as a git repository, merged book by book.

- `git.py`: the only place that runs git (a subprocess with an explicit environment, nothing interactive);
- `merge.py`: a pure three-way merge of parsed book files, with the rules for matching array items;
- `describe.py`: what changed between two versions of a book, in words (commit messages, `readlog log`);
- `driver.py`: the merge driver git calls for `books/*.toml` and `goals.toml`;
- `repo.py`: `sync init` and `sync` (commit, fetch, merge, push) under the journal lock;
- `history.py`: `readlog log` and a book as it was at a date or revision;
- `conflicts.py`: the `[[conflicts]]` a merge records in a book, and `readlog resolve`;
- `render.py`: Rich renderables for conflicts and history (pure).
"""
