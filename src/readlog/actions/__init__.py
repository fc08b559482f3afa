"""What the commands do: one function per verb. Each takes what the user typed (BOOK queries included,
validated here before anything is written) and returns a result for the CLI to render.

- books: add, show, reflect, quote, review, rate, edit and rm lookups
- lifecycle: start, progress, finish, abandon, pause
- queue: next, next add, next drop
- find: list, search, stats, goal, reindex
- transfer: export
"""
