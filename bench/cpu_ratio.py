"""Each readlog command against the floor (bench/scale.py's FLOOR) in CPU time as well as wall time, on the
journal READLOG_HOME names: user + sys of each child process (resource.getrusage(RUSAGE_CHILDREN)), median
of K pairs interleaved with the floor. On a machine shared with others CPU time moves far less than wall time.

    READLOG_HOME=/tmp/j/readlog READLOG_CACHE=/tmp/j/cache python bench/cpu_ratio.py 5 "list --limit 20" next
    PIPED=1 python bench/cpu_ratio.py 5 stats       # piped instead of on a pseudo-terminal
    AGAINST=/tmp/base/src python bench/cpu_ratio.py 7 next recall
        # also each command run from another copy of readlog's source (e.g. `git archive main src`),
        # interleaved in the same pairs: an A/B, with the median of the per-pair CPU ratio new / base

Timing never fails anything: this prints numbers for the notes and docs/PERFORMANCE.md.
"""

import os
import resource
import shlex
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import FLOOR
from startup import run_piped, run_pty

K = int(sys.argv[1])
cmds = sys.argv[2:]
py = sys.executable
rl = str(Path(sys.executable).with_name("readlog"))
runner = run_piped if os.environ.get("PIPED") else run_pty
env = dict(os.environ)
env.pop("PYTHONDONTWRITEBYTECODE", None)  # every run would compile readlog's modules again
against = os.environ.get("AGAINST")
base_env = {**env, "PYTHONPATH": against} if against else env


def one(argv, env=env):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    w = runner(argv, env)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return w, (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)


argvs = {"floor": [py, "-c", FLOOR]} | {c: [rl, *shlex.split(c)] for c in cmds}
envs = {k: env for k in argvs}
if against:
    for c in cmds:
        argvs[f"{c} @base"] = [rl, *shlex.split(c)]
        envs[f"{c} @base"] = base_env
res = {k: ([], []) for k in argvs}
ratios = {k: ([], []) for k in argvs}
for _ in range(K):
    fw, fc = one(argvs["floor"])
    res["floor"][0].append(fw)
    res["floor"][1].append(fc)
    for k, a in argvs.items():
        if k == "floor":
            continue
        w, c = one(a, envs[k])
        res[k][0].append(w)
        res[k][1].append(c)
        ratios[k][0].append(w / fw)
        ratios[k][1].append(c / fc)
for k in argvs:
    w, c = res[k]
    extra = (
        ""
        if k == "floor"
        else f"  wall/floor {statistics.median(ratios[k][0]):.2f}x  cpu/floor {statistics.median(ratios[k][1]):.2f}x"
    )
    print(
        f"{k:30} wall {statistics.median(w) * 1000:7.1f} ms  cpu {statistics.median(c) * 1000:7.1f} ms{extra}"
    )
if against:
    for c in cmds:
        new, old = res[c][1], res[f"{c} @base"][1]
        pairs = [n / o for n, o in zip(new, old, strict=True)]
        print(f"{c:30} cpu new/base, median of pairs {statistics.median(pairs):.3f}x")
