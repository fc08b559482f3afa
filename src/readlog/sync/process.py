"""How readlog starts git: the environment, the executable and the process itself (a deadline, a process
group for the network, nothing left running). Kept light (os, and os.posix_spawn rather than subprocess
on Linux: no dataclasses, no pathlib, no readlog error types) because a `readlog sync` with nothing to
do runs git through here before anything else is imported (readlog.sync.quick); `Git.run`
(readlog.sync.git) is the same process with readlog's errors and parsed results on top.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found, unused-ignore]  # signal's numbers, without its enums
import _thread
import contextlib
import os
import sys

TYPE_CHECKING = False  # typing's own costs a tenth of a quick sync's imports; type checkers read this one
if TYPE_CHECKING:
    from collections.abc import Sequence

# Variables that would point git at another repository or index than the one we name with -C.
REPOSITORY_VARIABLES = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
        "GIT_PREFIX",
    }
)
TIMEOUT = 300  # seconds: a local git command on a big journal may take a while, never forever
# A fetch or a push (the remote's hooks included) gets one total deadline, and git gives up on a link that
# moves less than a kilobyte a second for 20 s: a stalled remote makes `sync` give up within a minute.
NETWORK_TIMEOUT = 45
NETWORK_COMMANDS = frozenset({"fetch", "push", "ls-remote", "clone"})
LOW_SPEED_LIMIT = 1000  # bytes a second
LOW_SPEED_TIME = 20  # seconds


class Missing(Exception):
    """No git on PATH (readlog.sync.git says it in readlog's words)."""


class Expired(Exception):
    """The command ran past its deadline and was stopped (with everything it started)."""


def git_path() -> str | None:
    """Where `git` is: shutil.which("git")'s answer on POSIX (the first executable file named git in a
    folder of PATH), without importing shutil (bz2, lzma: a tenth of a quick sync's own time)."""
    if os.name != "posix":
        import shutil

        return shutil.which("git")
    path = os.environ.get("PATH")
    if path is None:
        try:
            path = os.confstr("CS_PATH")
        except (AttributeError, ValueError):
            path = os.defpath
    if not path:
        return None
    seen = set()
    for folder in path.split(os.pathsep):
        if folder in seen:
            continue
        seen.add(folder)
        name = os.path.join(folder, "git")
        if os.path.exists(name) and os.access(name, os.F_OK | os.X_OK) and not os.path.isdir(name):
            return name
    return None


def environment() -> dict[str, str]:
    """The caller's environment less anything that redirects git, plus: no prompts, English messages."""
    env = {k: v for k, v in os.environ.items() if k not in REPOSITORY_VARIABLES}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="",
        SSH_ASKPASS="",
        GCM_INTERACTIVE="never",
        LC_ALL="C",
        LANGUAGE="C",
        GIT_MERGE_AUTOEDIT="no",
        GIT_EDITOR=":",
    )
    env.setdefault(
        "GIT_SSH_COMMAND",
        "ssh -o BatchMode=yes -o ConnectTimeout=20 -o ServerAliveInterval=10 -o ServerAliveCountMax=2",
    )
    env.setdefault("GIT_HTTP_LOW_SPEED_LIMIT", str(LOW_SPEED_LIMIT))
    env.setdefault("GIT_HTTP_LOW_SPEED_TIME", str(LOW_SPEED_TIME))
    return env


class _Late(Exception):
    """A wait reached its deadline (inside this module: callers see Expired)."""


class _Child:
    """A process readlog started, with readlog's ends of the pipes to it as descriptors (`stdin` None when
    it reads /dev/null; each -1 once closed): the little of subprocess.Popen that Running uses."""

    __slots__ = ("pid", "returncode", "stdin", "stdout", "stderr", "_popen")

    def __init__(self, pid: int, stdin: int | None, stdout: int, stderr: int, popen: object = None):
        self.pid, self._popen = pid, popen
        self.returncode: int | None = None
        self.stdin: int | None = stdin
        self.stdout, self.stderr = stdout, stderr

    def poll(self) -> int | None:
        """Its exit code (minus the signal that ended it), reaped; None while it runs."""
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.poll()  # type: ignore[attr-defined]
                return self.returncode
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by someone else: gone, its code unknown (as Popen says)
                pid, status = self.pid, 0
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Its exit code, waited for (with `timeout`: _Late after that many seconds)."""
        if self._popen is not None:
            import subprocess

            try:
                self.returncode = self._popen.wait(timeout)  # type: ignore[attr-defined]
            except subprocess.TimeoutExpired:
                raise _Late from None
            assert self.returncode is not None
            return self.returncode
        if timeout is None:
            if self.returncode is None:
                try:
                    status = os.waitpid(self.pid, 0)[1]
                except ChildProcessError:  # (as in poll)
                    status = 0
                self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode
        import time

        deadline, pause = time.monotonic() + timeout, 0.0005
        while (code := self.poll()) is None:
            if time.monotonic() >= deadline:
                raise _Late
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        return code

    def kill(self, group: bool) -> None:
        """SIGKILL to it (never to a process id reaped already: it may be another's by now), or with
        `group` to its whole process group (what it started may outlive it)."""
        if group:
            os.killpg(self.pid, _SIGKILL)
        elif self.poll() is None:
            os.kill(self.pid, _SIGKILL)

    def close(self) -> None:
        """Close readlog's ends of the pipes (each once)."""
        for name in ("stdin", "stdout", "stderr"):
            fd = getattr(self, name)
            if fd is not None and fd >= 0:
                setattr(self, name, -1)
                with contextlib.suppress(OSError):
                    os.close(fd)


# How a child is started: os.posix_spawn on Linux (vfork and exec, as subprocess does), without importing
# subprocess (with locale, re, enum, signal and selectors: a quarter of a quick sync's imports, all before
# its first git could start); subprocess.Popen elsewhere.
_SPAWN = sys.platform.startswith("linux") and hasattr(os, "posix_spawn")
_SIGPIPE, _SIGXFSZ, _SIGKILL = _signal.SIGPIPE, _signal.SIGXFSZ, _signal.SIGKILL
_UMASK = _thread.allocate_lock()  # the process's umask is set for the length of a spawn, one at a time
PRIVATE = 0o077  # .git/ holds every book too: what git writes is the reader's alone, whatever their umask


def _start(argv: list[str], env: dict[str, str], has_stdin: bool, network: bool) -> _Child:
    """`argv` started with pipes to its stdin (else /dev/null), stdout and stderr, in a session of its own
    when `network`, its umask PRIVATE, the signals Python ignores back to their defaults (as Popen)."""
    if not _SPAWN:
        return _start_popen(argv, env, has_stdin, network)
    ours: list[int] = []  # readlog's ends (stdin's, stdout's, stderr's)
    theirs: list[int] = []  # the child's, closed here once it has them
    try:
        actions: list[tuple] = []
        if has_stdin:
            read, write = _pipe()
            ours.append(write)
            theirs.append(read)
            actions.append((os.POSIX_SPAWN_DUP2, read, 0))
        else:
            actions.append((os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0))
        for target in (1, 2):
            read, write = _pipe()
            ours.append(read)
            theirs.append(write)
            actions.append((os.POSIX_SPAWN_DUP2, write, target))
        with _UMASK:
            mask = os.umask(PRIVATE)
            try:
                pid = os.posix_spawn(
                    argv[0], argv, env, file_actions=actions, setsid=network, setsigdef=(_SIGPIPE, _SIGXFSZ)
                )
            finally:
                os.umask(mask)
    except BaseException:
        for fd in ours:
            os.close(fd)
        raise
    finally:
        for fd in theirs:
            os.close(fd)
    return _Child(pid, ours[0] if has_stdin else None, ours[-2], ours[-1])


def _pipe() -> tuple[int, int]:
    """os.pipe(), both ends above the standard three (and not inherited): a child end that is 0, 1 or 2
    already (this process started without one of them) would be "duplicated" onto itself, which keeps
    its close-on-exec flag on a C library older than POSIX 2024's rule (glibc before 2.29), so it would
    be closed at exec."""
    ends = os.pipe()
    if min(ends) > 2:
        return ends
    import fcntl

    try:
        return fcntl.fcntl(ends[0], fcntl.F_DUPFD_CLOEXEC, 3), fcntl.fcntl(ends[1], fcntl.F_DUPFD_CLOEXEC, 3)
    finally:
        os.close(ends[0])
        os.close(ends[1])


def _start_popen(argv: list[str], env: dict[str, str], has_stdin: bool, network: bool) -> _Child:
    import subprocess

    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if has_stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        umask=PRIVATE,
        start_new_session=network,
    )
    pipes = [pipe for pipe in (process.stdin, process.stdout, process.stderr) if pipe is not None]
    fds = [os.dup(pipe.fileno()) for pipe in pipes]  # (readlog's own, closed by _Child.close)
    for pipe in pipes:
        pipe.close()
    return _Child(process.pid, fds[0] if has_stdin else None, fds[-2], fds[-1], process)


class Running:
    """One git process started by `start`; `finish` waits for it (to its deadline) and returns
    (exit code, stdout, stderr). Starting one and finishing it later lets a fetch run while the local
    steps do."""

    def __init__(
        self,
        executable: str,
        root: str,
        args: Sequence[str],
        env: dict[str, str],
        stdin: bytes | None = None,
        timeout: float | None = None,
        record: str | None = None,  # a file to keep the process id in while it runs (network commands)
    ):
        self.args = list(args)
        self.record = record
        self.network = bool(args) and args[0] in NETWORK_COMMANDS
        self.timeout = timeout if timeout is not None else NETWORK_TIMEOUT if self.network else TIMEOUT
        self.stdin = stdin
        self.result: tuple[int, bytes, bytes] | None = None
        self.expired = False
        try:
            self.process = _start([executable, "-C", root, *args], env, stdin is not None, self.network)
        except FileNotFoundError:
            raise Missing(executable) from None
        if record is not None:  # see wait_for_orphan
            try:
                with open(record, "w", encoding="ascii") as file:
                    file.write(f"{self.process.pid}\n")
            except OSError:
                self.record = None

    def _forget(self) -> None:
        if self.record is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.record)
            self.record = None

    def finish(self) -> tuple[int, bytes, bytes]:
        """(exit code, stdout, stderr), waited for to the deadline. A command that talks to the remote
        runs, with everything it starts (a remote helper, ssh, a local remote's hooks), in a process group
        of its own, all stopped at its deadline, so nothing is left holding readlog's pipes. Raises Expired
        at the deadline; Ctrl-C stops git too."""
        if self.result is not None:
            return self.result
        if self.expired:
            raise Expired(self.timeout)
        try:
            out, err = self._communicate()
        except BaseException as error:  # the deadline, or Ctrl-C: nothing of git's may outlive readlog
            self.stop()
            if isinstance(error, _Late):
                self.expired = True
                raise Expired(self.timeout) from None
            raise
        self._forget()
        code = self.process.returncode
        assert code is not None
        self.result = code, out, err
        return self.result

    def _communicate(self) -> tuple[bytes, bytes]:
        """Popen.communicate(stdin, timeout), less its wait at the end: once git has closed its output,
        communicate polls for its exit, sleeping 1, 2, 4 ms..., a millisecond or more on most of a sync's
        git commands; here the wait is for the process's own descriptor (Linux), or blocking."""
        import select
        import time

        process = self.process
        deadline = time.monotonic() + self.timeout
        chunks: dict[int, list[bytes]] = {process.stdout: [], process.stderr: []}
        data = memoryview(self.stdin or b"")
        written = 0
        poller = select.poll()
        waiting = set(chunks)
        if process.stdin is not None:
            if data:
                poller.register(process.stdin, select.POLLOUT)
                waiting.add(process.stdin)
            else:
                os.close(process.stdin)
                process.stdin = -1
        for fd in chunks:
            poller.register(fd, select.POLLIN)
        while waiting:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Late
            for fd, _ in poller.poll(remaining * 1000):
                if fd == process.stdin:
                    try:  # no more than the pipe surely takes: a blocked write while git waits for
                        # us to read what it wrote would wait for ever
                        written += os.write(fd, data[written : written + select.PIPE_BUF])
                    except BrokenPipeError:
                        written = len(data)  # git stopped reading: what it says tells why
                    if written >= len(data):
                        poller.unregister(fd)
                        waiting.discard(fd)
                        os.close(fd)
                        process.stdin = -1
                    continue
                chunk = os.read(fd, 65536)
                if chunk:
                    chunks[fd].append(chunk)
                else:
                    poller.unregister(fd)
                    waiting.discard(fd)
        out, err = (b"".join(chunks[fd]) for fd in (process.stdout, process.stderr))
        process.close()
        self._wait(deadline)
        return out, err

    def _wait(self, deadline: float) -> None:
        """Wait for git's exit (its output is closed: it is ending) until the deadline."""
        import time

        process = self.process
        if process.poll() is not None:
            return
        try:
            pidfd = os.pidfd_open(process.pid)
        except (AttributeError, OSError):  # not Linux, or an old kernel
            process.wait(max(deadline - time.monotonic(), 0))
            return
        try:
            import select

            poller = select.poll()
            poller.register(pidfd, select.POLLIN)
            if not poller.poll(max(deadline - time.monotonic(), 0) * 1000):
                raise _Late
        finally:
            os.close(pidfd)
        process.wait()

    def stop(self) -> None:
        """Stop the command now, with everything it started, and close its pipes."""
        process = self.process
        with contextlib.suppress(OSError):
            process.kill(group=self.network)
        with contextlib.suppress(Exception):
            process.wait(5)
        process.close()
        self._forget()


NETWORK_PID = "readlog-network"  # in .git/: the process id of the fetch or push running (see wait_for_orphan)


def wait_for_orphan(root: str, git_dir: str) -> None:
    """A fetch or a push runs in a session of its own (so its deadline stops all it started), so when
    readlog is killed (kill -9, its terminal closed) the git it started goes on, holding the remote's refs
    and their locks for a while. Its process id is kept in .git/readlog-network while it runs: if the file
    is there and names a git still running on this journal (Linux's /proc tells), it is waited for, up to
    the network deadline, before this sync starts its own (else they would fight over the same refs)."""
    import time

    path = os.path.join(git_dir, NETWORK_PID)
    try:
        with open(path, encoding="ascii") as file:
            pid = int(file.read().strip())
    except (OSError, ValueError):
        return
    deadline = time.monotonic() + NETWORK_TIMEOUT
    while _running_on(pid, root) and time.monotonic() < deadline:
        time.sleep(0.05)
    with contextlib.suppress(OSError):
        os.unlink(path)


def _running_on(pid: int, root: str) -> bool:
    """Whether process `pid` is a network git readlog started on `root` (`git -C ROOT fetch ...`)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            argv = file.read().split(b"\0")
    except OSError:
        return False  # gone (or no /proc: not waited for, as before)
    return len(argv) > 3 and argv[1:3] == [b"-C", os.fsencode(root)] and argv[3].decode() in NETWORK_COMMANDS


class RunningGit:
    """A git process working in the journal's repository, as /proc tells: `name` ("`git add`, process
    123"), its command ("add"), when it started (seconds since the epoch, None where /proc/stat can't
    say) and the lock files it has open."""

    __slots__ = ("name", "command", "started", "open")

    def __init__(self, name: str, command: str, started: float | None, open: frozenset[str]) -> None:
        self.name, self.command, self.started, self.open = name, command, started, open

    def holds(self, lock: str) -> bool:
        """Whether it has `lock` (a real path) open: git keeps a lock open while it writes it."""
        return lock in self.open

    def may_hold(self, lock: str, changed: float) -> bool:
        """Whether it could be the git that made `lock`, last changed at `changed`: one that has it open,
        or one that started before that (a second's slack: the boot time /proc gives is in whole
        seconds) and whose command writes (git closes a lock it keeps across a `git commit`'s editor). A
        git started after the lock was made, or a `git log` in a pager, never made it."""
        if self.holds(lock):
            return True
        if self.command in READING_COMMANDS:
            return False
        return self.started is None or self.started <= changed + 1


READING_COMMANDS = frozenset(
    "log show cat-file blame annotate grep shortlog whatchanged rev-list rev-parse ls-files ls-tree "  # noqa: SIM905
    "ls-remote diff-tree for-each-ref show-ref describe name-rev cherry help version".split()
)  # git commands that only read the repository (they take no lock file)


def git_running_in(root: str, git_dir: str) -> list[RunningGit] | None:
    """The git processes working in the repository at `root`, as Linux's /proc tells: a git runs in its
    work tree's top folder (`-C` and its own search both go there), or names it in its arguments
    (`--git-dir=`). None where there is no /proc to ask (not Linux)."""
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return None
    if not os.path.isdir("/proc/self/fd"):
        return None
    places = [os.path.realpath(root), os.path.realpath(git_dir)]
    boot = _boot_time()
    found = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/comm", "rb") as file:
                if not file.read().startswith(b"git") or int(pid) == os.getpid():
                    continue
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                argv = [os.fsdecode(arg) for arg in file.read(4096).split(b"\0") if arg]
            where = [os.readlink(f"/proc/{pid}/cwd")]
        except (OSError, ValueError):
            continue  # gone meanwhile, or not ours to look at
        where += [arg.partition("=")[2] if arg.startswith("--") else arg for arg in argv[1:]]
        if any(os.path.isabs(path) and _under(os.path.realpath(path), places) for path in where if path):
            command = _git_command(argv)
            name = f"`{command}`, process {pid}"
            started = _started(pid, boot)
            found.append(RunningGit(name, command.removeprefix("git "), started, _open_locks(pid)))
    return found


def _boot_time() -> float | None:
    try:
        with open("/proc/stat", "rb") as file:
            for line in file:
                if line.startswith(b"btime "):
                    return float(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _started(pid: str, boot: float | None) -> float | None:
    """When process `pid` started, in seconds since the epoch (/proc/PID/stat's 22nd field: clock ticks
    since boot)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            fields = file.read().rpartition(b")")[2].split()
        return None if boot is None else boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _open_locks(pid: str) -> frozenset[str]:
    """The lock files process `pid` has open (real paths)."""
    found = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.endswith(".lock"):
                    found.add(target)
    return frozenset(found)


def _git_command(argv: list[str]) -> str:
    """`git add`, from a git's arguments: its command, without the options before it (`-C DIR`, `-c X=Y`)."""
    words = iter(argv[1:])
    for word in words:
        if word in ("-C", "-c", "--git-dir", "--work-tree", "--namespace"):
            next(words, None)
        elif not word.startswith("-"):
            return f"git {word}"[:40]
    return os.path.basename(argv[0])[:40] if argv else "git"


def _under(path: str, places: list[str]) -> bool:
    return any(path == place or path.startswith(place.rstrip("/") + "/") for place in places)
