"""A timeline of one big import (issue 25, goal 3): each process's span, user and system CPU, and the stages it
spent them in, to see where a core idles (the head before the workers parse, the tail after them) and what is
done twice.

    python bench/import_timeline.py                     # 10,000 generated Goodreads rows (import_speed's)
    python bench/import_timeline.py --rows 2000 --src ../main/src
    python bench/import_timeline.py --export FILE       # a real export instead

The import runs as `readlog import` would, with a sitecustomize (written to a temp folder, first on the path
after SRC) that wraps the pipeline's named steps: each step's calls, the CPU of the thread that ran them
(`time.thread_time`: a sync thread's renames apart from the main thread's work), their wall time, and when
its first call began and its last ended; each process's own user and system CPU (`os.times`, at its exit:
the worker processes end with `os._exit`, wrapped too). A first import, untimed, writes the byte code. Times
are from the main process's start; wall times on a loaded machine are noise, CPU is not. Nothing fails on a
number: this prints.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_speed import fresh, write_export  # noqa: E402

# module -> its wrapped steps ("Class.method" or a function)
STEPS = {
    "readlog.cli": ["main"],
    "readlog.importers": [
        "run_import",
        "detect",
        "_import_rows",
        "_Taking.take",
        "_Writer._write",
        "_Writer.finish",
        "_Recorder._landed",
        "_Recorder.finish",
        "_Recorder.index_soon",
        "record_import",
        "_record_open",
        "_record_take",
        "_record_index_now",
        "_record_end",
        "_format_chunk",
        "prepare",
    ],  # fmt: skip
    "readlog.importers.base": [
        "CsvImporter.check_first",
        "CsvImporter._opened",
        "_Ahead.hand_out",
        "_parse_chunk",
        "_write_texts",
    ],  # fmt: skip
    "readlog.pool": ["answer", "worker_pool", "start_server"],
    "readlog.files": ["BulkWriter._make_durable", "BulkWriter.write_temp", "BulkWriter._settle"],
    "readlog.journal": ["Journal.fresh_index"],
}

SITECUSTOMIZE = r"""
import os
if os.environ.get("TIMELINE_LOG"):
    import atexit, functools, importlib.abc, json, sys, time
    _LOG, _STEPS = os.environ["TIMELINE_LOG"], json.loads(os.environ["TIMELINE_STEPS"])
    _now = functools.partial(time.clock_gettime, time.CLOCK_BOOTTIME)
    with open("/proc/self/stat") as _f:
        _S = {"start": int(_f.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK"), "steps": {}}
    def _forked():
        _S.update(start=_now(), steps={}, done=False)
    os.register_at_fork(after_in_child=_forked)
    def _dump():
        if _S.get("done"):
            return
        _S["done"] = True
        t = os.times()
        with open(_LOG, "a") as out:
            out.write(json.dumps({"pid": os.getpid(), "start": _S["start"], "end": _now(), "user": t.user,
                                  "sys": t.system, "steps": _S["steps"]}) + "\n")
    atexit.register(_dump)
    _exit = os._exit
    def _exiting(code):
        _dump()
        _exit(code)
    os._exit = _exiting
    def _wrap(fn, name):
        @functools.wraps(fn)
        def step(*args, **kwargs):
            cpu, wall = time.thread_time(), _now()
            try:
                return fn(*args, **kwargs)
            finally:
                done = _S["steps"].setdefault(name, [0, 0.0, 0.0, wall, 0.0])
                done[0] += 1
                done[1] += time.thread_time() - cpu
                done[4] = _now()
                done[2] += done[4] - wall
        return step
    def _patch(module):
        for dotted in _STEPS.get(module.__name__, []):
            owner, _, name = dotted.rpartition(".")
            holder = getattr(module, owner) if owner else module
            fn = getattr(holder, name, None)
            if callable(fn) and not isinstance(vars(holder).get(name), (classmethod, staticmethod)):
                setattr(holder, name, _wrap(fn, dotted))
    class _Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name not in _STEPS:
                return None
            for finder in sys.meta_path:
                spec = None if finder is self else finder.find_spec(name, path, target)
                if spec is not None:
                    run = spec.loader.exec_module
                    def exec_module(module, run=run):
                        run(module)
                        _patch(module)
                    spec.loader.exec_module = exec_module
                    return spec
            return None
    sys.meta_path.insert(0, _Finder())
"""


def role(steps: dict[str, list[float]]) -> str:
    if "main" in steps:
        return "main"
    if "_parse_chunk" in steps:
        return "parse worker"
    if "_record_take" in steps or "_record_open" in steps:
        return "recorder"
    if "_format_chunk" in steps:
        return "format worker"
    return "fork server / tracker"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--export", type=Path, help="a real export (else one of --rows generated rows)")
    parser.add_argument("--src", default=str(Path(__file__).resolve().parent.parent / "src"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export = args.export
        if export is None:
            export = tmp / "goodreads_library_export.csv"
            write_export(export, args.rows)
        hook = tmp / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        log = tmp / "timeline.jsonl"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.abspath(args.src), str(hook)])}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # (the first run writes the byte code: not timed)
        for timed in (False, True):
            home = fresh(tmp / "home")
            run_env = {**env, "READLOG_HOME": str(home), "READLOG_CACHE": str(home / ".cache")}
            if timed:
                run_env.update(TIMELINE_LOG=str(log), TIMELINE_STEPS=json.dumps(STEPS))
            done = subprocess.run(
                [sys.executable, "-m", "readlog", "import", str(export)], env=run_env, capture_output=True
            )
            if done.returncode != 0:
                sys.exit(f"the import failed: {done.stderr.decode(errors='replace')}")
        processes = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    origin = min(p["start"] for p in processes)
    total = 0.0
    for p in sorted(processes, key=lambda p: p["start"]):
        total += p["user"] + p["sys"]
        print(f"{role(p['steps']):22s} pid {p['pid']:>7}  {p['start'] - origin:6.3f} - {p['end'] - origin:6.3f} s  "
              f"user {p['user']:.2f} s  sys {p['sys']:.2f} s")  # fmt: skip
        for name, (calls, cpu, wall, first, last) in sorted(p["steps"].items(), key=lambda kv: kv[1][3]):
            print(f"    {name:28s} {calls:>6} calls  thread CPU {cpu:6.3f} s  wall {wall:6.3f} s  "
                  f"{first - origin:6.3f} - {last - origin:6.3f} s")  # fmt: skip
    print(f"CPU of every process: {total:.2f} s; from the main process's start to the last one's end: "
          f"{max(p['end'] for p in processes) - origin:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
