"""The ``zhutui`` command line: the same pipeline as the desktop app, for batches and scripts.

One module per command (``check``, ``render``, ``summary``, ``package``, ``send``, ``bundle``,
``backup``, ``restore``, ``plans``, ``ocr``, ``demo``, ``about``, ``gui``), each with ``add_parser`` and
``run``; what they share is in ``common`` (exit statuses, messages, the batch). A command imports
what it needs when it runs, so a command starts with no more than it uses.

Exit statuses (a fixed contract): 0 no error finding, 1 at least one error finding, 2 unusable
input (the message on stderr names the file and the key or line), 3 an internal error (the
details go to a log file, never a traceback on screen).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from zhutui import __version__, cli_zh
from zhutui.cli import about, backup, bundle, check, demo, gui, ocr, package, plans, render, restore, send, summary
from zhutui.cli.common import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, Unreadable, UsageError, err
from zhutui.errors import InputError
from zhutui.paths import APP_TITLE, DATA_DIR_ENV

# Each command's module, in the order ``zhutui --help`` lists them.
COMMANDS: dict[str, ModuleType] = {
    "gui": gui,
    "check": check,
    "render": render,
    "summary": summary,
    "package": package,
    "send": send,
    "bundle": bundle,
    "backup": backup,
    "restore": restore,
    "plans": plans,
    "ocr": ocr,
    "about": about,
    "demo": demo,
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits with 2 too, but prints in English
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    cli_zh.install()
    parser = _Parser(prog="zhutui", description=f"{APP_TITLE}：检查、生成并报送职工创新助推申报材料。")
    parser.add_argument("--version", action="version", version=f"zhutui {__version__}", help="显示版本号并退出")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="数据文件夹（工作区、用户计划、日志），默认为系统的用户数据文件夹"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for module in COMMANDS.values():
        module.add_parser(sub)
    return parser


def _log_internal_error() -> Path | None:
    from zhutui.private import log_exception

    return log_exception(f"命令行 {sys.argv!r}")[1]


def with_gui_command(argv: list[str], commands: Sequence[str]) -> list[str]:
    """``zhutui FILE.zhutui`` (a double-click on a bundle, the Windows file association) means
    ``zhutui gui FILE.zhutui``: a first argument that is a file or folder, not a command."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] == "--data-dir" else 1
    if i < len(argv) and argv[i] not in commands:
        token = argv[i]
        if token.lower().endswith((".zhutui", ".json")) or os.path.exists(token):
            return [*argv[:i], "gui", *argv[i:]]
    return argv


def _usable_streams() -> None:
    """A windowed Windows program (the bundle's zhutui.exe, pip's zhutui-gui) has no standard
    streams: what would be printed goes nowhere instead of failing."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the process's life
        elif hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def gui_main() -> None:
    """The ``zhutui-gui`` launcher (no console window on Windows): the window, with any files."""
    sys.exit(main(["gui", *sys.argv[1:]]))


def _warn_unprotected(say: bool = True) -> None:
    """Say it plainly when a workspace this command used keeps personal data unencrypted."""
    from zhutui.workspace import vault

    for folder, warning in vault.unprotected_seen().items():
        if say:
            err(f"注意：{folder}：{warning}")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from zhutui.background import CHILD_FLAG

    if argv == [CHILD_FLAG]:  # the frozen bundle running background work for its window
        from zhutui.background import child_main

        child_main()
        return EXIT_OK
    _usable_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(with_gui_command(argv, list(COMMANDS)))
        if args.data_dir is not None:
            os.environ[DATA_DIR_ENV] = str(args.data_dir.expanduser().resolve())
        _warn_unprotected(say=False)  # only what this command uses (in-process callers run several)
        try:
            return int(COMMANDS[args.command or "gui"].run(args))
        finally:
            _warn_unprotected()
    except Unreadable:
        return EXIT_INPUT
    except UsageError as exc:
        err(f"命令参数有误：{exc}\n用法见 zhutui --help")
        return EXIT_INPUT
    except InputError as exc:
        err(f"错误：{exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        err("已取消。")
        return 130
    except BrokenPipeError:  # the reader stopped reading (zhutui about | head): nothing is wrong
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - Python flushes it at exit
        return EXIT_OK
    except Exception:  # noqa: BLE001 - last resort: no traceback on screen
        log = _log_internal_error()
        err("内部错误，操作未完成。" + (f"详细信息已写入 {log}，请把此文件发给技术支持。" if log else ""))
        return EXIT_INTERNAL
