"""How readlog starts git: the environment, the executable and the process itself (a deadline, a process
group for the network, nothing left running). Kept light (os, subprocess, shutil: no dataclasses, no
pathlib, no readlog error types) because a `readlog sync` with nothing to do runs git through here before
anything else is imported (readlog.sync.quick); `Git.run` (readlog.sync.git) is the same process with
readlog's errors and parsed results on top.
"""

from __future__ import annotations

import contextlib
import os
import subprocess

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
            self.process = subprocess.Popen(
                [executable, "-C", root, *args],
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                umask=0o077,  # .git/ holds every book too: the reader's alone, whatever their umask
                start_new_session=self.network,
            )
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
            if isinstance(error, subprocess.TimeoutExpired):
                self.expired = True
                raise Expired(self.timeout) from None
            raise
        self._forget()
        self.result = self.process.returncode, out, err
        return self.result

    def _communicate(self) -> tuple[bytes, bytes]:
        """Popen.communicate(stdin, timeout), less its wait at the end: once git has closed its output,
        communicate polls for its exit, sleeping 1, 2, 4 ms..., a millisecond or more on most of a sync's
        git commands; here the wait is for the process's own descriptor (Linux), or blocking."""
        import select
        import selectors
        import time

        process = self.process
        assert process.stdout is not None and process.stderr is not None
        deadline = time.monotonic() + self.timeout
        chunks: dict[int, list[bytes]] = {process.stdout.fileno(): [], process.stderr.fileno(): []}
        data = memoryview(self.stdin or b"")
        written = 0
        with selectors.PollSelector() as selector:
            if process.stdin is not None:
                if data:
                    selector.register(process.stdin, selectors.EVENT_WRITE)
                else:
                    process.stdin.close()
            for pipe in (process.stdout, process.stderr):
                selector.register(pipe, selectors.EVENT_READ)
            while selector.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise subprocess.TimeoutExpired(self.args, self.timeout)
                for key, _ in selector.select(remaining):
                    if key.fileobj is process.stdin:
                        try:  # no more than the pipe surely takes: a blocked write while git waits for
                            # us to read what it wrote would wait for ever
                            written += os.write(key.fd, data[written : written + select.PIPE_BUF])
                        except BrokenPipeError:
                            written = len(data)  # git stopped reading: what it says tells why
                        if written >= len(data):
                            selector.unregister(key.fileobj)
                            process.stdin.close()
                        continue
                    chunk = os.read(key.fd, 65536)
                    if chunk:
                        chunks[key.fd].append(chunk)
                    else:
                        selector.unregister(key.fileobj)
                        key.fileobj.close()  # type: ignore[union-attr]
            out, err = (b"".join(chunks[pipe]) for pipe in chunks)
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
        except (AttributeError, OSError):  # not Linux, or an old kernel: Popen's own wait
            process.wait(max(deadline - time.monotonic(), 0))
            return
        try:
            import select

            poller = select.poll()
            poller.register(pidfd, select.POLLIN)
            if not poller.poll(max(deadline - time.monotonic(), 0) * 1000):
                raise subprocess.TimeoutExpired(self.args, self.timeout)
        finally:
            os.close(pidfd)
        process.wait()

    def stop(self) -> None:
        """Stop the command now, with everything it started, and close its pipes."""
        import signal

        process = self.process
        with contextlib.suppress(OSError):
            if self.network:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        with contextlib.suppress(Exception):
            process.wait(5)
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
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
