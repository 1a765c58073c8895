"""Heavy work (rendering the batch, packaging) in a child process, reporting progress back.

Python runs one thread at a time: a rendering thread inside the app's own process would take the
interpreter from the window for tens of milliseconds at a time, and the window would stutter.
A child process has its own interpreter, so the window keeps answering, and the memory the
rendering needs is handed back to the system when it ends.

``run_in_process(fn, args, progress, cancelled)`` calls ``fn(*args, progress=…, cancelled=…)``
in a fresh ``python`` and waits for it in the calling thread (a worker thread of the app):
progress is relayed, cancelling is passed on, the result or the error comes back as if ``fn`` had
run here. No Qt here.

The protocol is pickles over the child's standard input and a private copy of its standard output
(the child's own stdout goes to stderr, so a library's stray print can't break it). The parent
writes ``sys.path``, the workspace keys this process holds (``vault.process_keys``: a workspace
protected by a passphrase opens in the child too; over the pipe, never on disk), then
``(fn, args)``; one byte, or the end of the pipe when the app closed or
was killed, tells the child to stop. The child writes ``(kind, payload)`` frames.
Unlike ``multiprocessing``'s spawn, the child never re-imports the parent's main script.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

from zhutui.errors import Cancelled, InputError

Progress = Callable[[int, int, str], None]
POLL_S = 0.1
STDERR_TAIL = 8000


class ChildFailed(Exception):
    """The child process raised an unexpected error or died; ``details`` says what it printed."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


def run_in_process(
    fn: Callable[..., Any],
    args: tuple,
    progress: Progress,
    cancelled: Callable[[], bool],
    command: list[str] | None = None,
) -> Any:
    """``fn(*args, progress=, cancelled=)`` in a child process; see the module's docstring.
    ``fn`` must be a module-level function and its arguments and result picklable. ``command``
    starts another child than ``child_command()`` (the frozen bundle's smoke test)."""
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console window flashes up
    child = subprocess.Popen(
        command or child_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        creationflags=flags,
        env=_child_env(),
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    frames: queue.Queue[tuple[str, Any]] = queue.Queue()
    stderr: list[bytes] = []
    readers = [
        threading.Thread(target=_read_frames, args=(child.stdout, frames), daemon=True),
        threading.Thread(target=_read_tail, args=(child.stderr, stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        from zhutui.workspace import vault

        pickle.dump(list(sys.path), child.stdin)
        pickle.dump(vault.process_keys(), child.stdin)
        pickle.dump((fn, args), child.stdin)
        child.stdin.flush()
        asked_to_stop = False
        while True:
            if cancelled() and not asked_to_stop:
                _stop(child.stdin)
                asked_to_stop = True
            try:
                kind, payload = frames.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if kind == "progress":
                progress(*payload)
            elif kind == "result":
                return payload
            elif kind == "cancelled":
                raise Cancelled
            elif kind == "input_error":
                raise InputError(*payload)
            elif kind == "failed":
                raise ChildFailed(*payload)
            else:  # "gone": the pipe ended without an answer
                child.wait(timeout=30)
                for reader in readers:
                    reader.join(timeout=5)
                raise ChildFailed(
                    f"后台处理意外中止（退出码 {child.returncode}）。请再试一次；如果再次出现，请检查磁盘空间和内存。",
                    b"".join(stderr).decode("utf-8", "replace"),
                )
    except OSError as exc:  # the child could not be started or fed
        raise ChildFailed(f"无法启动后台处理：{exc}") from exc
    finally:
        _stop(child.stdin)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


CHILD_FLAG = "--background-child"  # ``zhutui --background-child``: the frozen bundle's child
CLI_EXECUTABLE = "zhutui-cli.exe"  # Windows: the bundle's console executable (installer/zhutui.spec)


def child_command(executable: str | None = None, frozen: bool | None = None, platform: str = sys.platform) -> list[str]:
    """How to start a child: the same ``python`` with ``-c``, or in a frozen bundle (which has no
    interpreter to give ``-c`` to) the bundle's own executable with ``CHILD_FLAG``. On Windows
    the bundle's windowed ``zhutui.exe`` has no standard streams, so its console twin runs the
    child (started with CREATE_NO_WINDOW: no window appears)."""
    executable = executable or sys.executable
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    if not frozen:
        return [executable, "-c", "from zhutui.background import child_main; child_main()"]
    if platform == "win32":
        console = os.path.join(os.path.dirname(executable), CLI_EXECUTABLE)
        if os.path.exists(console):
            executable = console
    return [executable, CHILD_FLAG]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"  # its stderr is read back as UTF-8
    return env


def _stop(pipe: IO[bytes]) -> None:
    try:
        pipe.write(b"x")
        pipe.close()
    except (OSError, ValueError):  # already closed, or the child is gone
        pass


def _read_frames(pipe: IO[bytes], frames: queue.Queue) -> None:
    try:
        while True:
            frames.put(pickle.load(pipe))
    except (EOFError, OSError, pickle.UnpicklingError):
        frames.put(("gone", None))


def _read_tail(pipe: IO[bytes], tail: list[bytes]) -> None:
    for line in pipe:
        tail.append(line)
        while sum(map(len, tail)) > STDERR_TAIL and len(tail) > 1:
            del tail[0]


# ---------------------------------------------------------------------- in the child


def child_main() -> None:
    messages = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the frames
    source = sys.stdin.buffer
    parent_path = pickle.load(source)
    if not getattr(sys, "frozen", False):  # a frozen child imports from its own bundle only
        sys.path[:0] = [p for p in parent_path if p not in sys.path]
    keys = pickle.load(source)
    from zhutui.workspace import vault

    vault.take_keys(keys)
    fn, args = pickle.load(source)
    stop = threading.Event()
    lock = threading.Lock()

    def watch() -> None:
        source.read(1)  # a byte, or the end when the app closed or was killed
        stop.set()

    def send(kind: str, payload: Any) -> None:
        with lock:
            pickle.dump((kind, payload), messages)
            messages.flush()

    threading.Thread(target=watch, daemon=True).start()
    try:
        result = fn(
            *args, progress=lambda done, total, text: send("progress", (done, total, text)), cancelled=stop.is_set
        )
        if stop.is_set():
            raise Cancelled
    except Cancelled:
        send("cancelled", None)
    except InputError as exc:
        send("input_error", (exc.file, exc.key, exc.message))
    except OSError as exc:
        send("failed", (f"无法读写文件：{exc}", _traceback()))
    except Exception as exc:  # noqa: BLE001 - reported to the app, which shows it to the user
        send("failed", (f"内部错误：{exc}", _traceback()))
    else:
        send("result", result)
    messages.close()


def _traceback() -> str:
    import traceback

    return traceback.format_exc()
