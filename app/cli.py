"""The ``zhutui`` command line: the same pipeline as the desktop app, for batches and scripts.

Exit statuses (a fixed contract): 0 no error finding, 1 at least one error finding, 2 unusable
input (the message on stderr names the file and the key or line), 3 an internal error (the
details go to a log file, never a traceback on screen).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from zhutui import __version__, cli_zh
from zhutui.errors import InputError
from zhutui.paths import APP_TITLE, DATA_DIR_ENV

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """Bad command-line arguments (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits with 2 too, but prints in English
        raise UsageError(message)


PATHS_HELP = "申报文件（.json）、其文件夹、工作区文件夹或交接包（.zhutui）；多个一起作为同一批"


def add_sender_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--contact", default="", help="汇总多家单位工会的申报时：填报单位（区、局、集团（公司）工会）的联系人"
    )
    parser.add_argument("--phone", default="", help="汇总多家单位工会的申报时：填报单位的联系电话")


def batch_sender(apps: list, args: argparse.Namespace):
    """The sender of the tables and the 材料清单: from the forms; a consolidated batch (several
    enterprise unions) is the superior union's, with --contact and --phone."""
    from zhutui.outputs import values

    return values.sender(apps, args.contact, args.phone)


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，如 2022-10-25（现为“{text}”）") from None


def build_parser() -> argparse.ArgumentParser:
    cli_zh.install()
    parser = _Parser(prog="zhutui", description=f"{APP_TITLE}：检查、生成并报送职工创新助推申报材料。")
    parser.add_argument("--version", action="version", version=f"zhutui {__version__}", help="显示版本号并退出")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="数据文件夹（工作区、用户计划、日志），默认为系统的用户数据文件夹"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")

    gui = sub.add_parser(
        "gui",
        help="打开窗口（不带命令运行 zhutui 时也是打开窗口）",
        description="打开窗口；给出交接包（.zhutui）时打开导入预览，给出申报文件或其文件夹时导入它们。"
        "窗口已经打开时，交给已打开的窗口并把它切换到前面。",
    )
    gui.add_argument("paths", nargs="*", metavar="FILE", help="交接包（.zhutui）、申报文件（.json）或其文件夹")
    gui.add_argument("--today", type=_date_arg, help="按这一天计算截止日期和检查（默认今天），YYYY-MM-DD")

    check = sub.add_parser(
        "check", help="按当年通知检查申报文件", description="检查申报文件；文件夹下的所有 *.json 作为同一批检查。"
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    check.add_argument("--today", type=_date_arg, help="按这一天检查截止日期（默认今天），YYYY-MM-DD")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")

    outputs = (
        (
            "render",
            "生成打印用PDF：申报表（书）及附件、材料清单、打印全部.pdf",
            "检查后生成打印用PDF；有错误时生成带“草稿”水印的草稿（退出码 1）。",
            "按这一天检查和填写日期（默认今天），YYYY-MM-DD",
            "生成草稿（每页带“草稿”水印），用于核对",
        ),
        (
            "summary",
            "生成汇总表：附件2、附件4（.xlsx）",
            "生成附件2、附件4汇总表（只生成有申报的那一张）。",
            "填报日期（默认今天），YYYY-MM-DD",
            "标记为草稿",
        ),
    )
    for name, help_text, description, today_help, draft_help in outputs:
        out = sub.add_parser(name, help=help_text, description=description)
        out.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
        out.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
        out.add_argument("--today", type=_date_arg, help=today_help)
        out.add_argument("--draft", action="store_true", help=draft_help)
        add_sender_arguments(out)

    from zhutui.bundle.cli import add_parsers as add_bundle_parsers
    from zhutui.mailpack.cli import add_parsers as add_mail_parsers

    add_mail_parsers(sub, _date_arg)
    add_bundle_parsers(sub)

    plans = sub.add_parser("plans", help="列出计划年度，或由最新年度创建新年度计划")
    plans_sub = plans.add_subparsers(dest="plans_command", metavar="子命令")
    new = plans_sub.add_parser("new", help="由已有年度推算新年度计划（日期顺延，标记待核对）")
    new.add_argument("year", type=int, help="新年度，如 2023")
    new.add_argument("--from", dest="base", type=int, help="作为依据的年度（默认最新年度）")

    sub.add_parser("about", help="版本、数据文件夹、日志文件夹、PDF字体、密码保管库和使用的开源软件及其许可证")

    demo = sub.add_parser("demo", help="生成一批示例申报（含扫描件），用于试用和测试")
    demo.add_argument("dir", metavar="DIR", help="输出文件夹")
    demo.add_argument("--patents", type=int, default=3, help="发明专利申报份数（默认 3）")
    demo.add_argument("--projects", type=int, default=1, help="创新项目申报份数（默认 1）")
    demo.add_argument("--with-errors", action="store_true", help="预置一组有记录的错误，用于演示检查")
    demo.add_argument("--seed", type=int, default=2022, help="随机种子（默认 2022），相同种子生成相同内容")
    demo.add_argument("--plan-year", type=int, default=2022, help="计划年度（默认 2022）")
    return parser


# --------------------------------------------------------------------------- check


class _Unreadable(Exception):
    """Some files of the batch could not be loaded; their messages were printed."""


def load_batch(paths: Sequence[str], doing: str) -> list:
    """Every application named by ``paths``; prints each unreadable file's problem and raises
    ``_Unreadable`` (exit 2) when any could not be loaded."""
    from zhutui import appfile, batchpaths
    from zhutui.bundle.cli import bundle_applications, is_bundle, is_workspace, workspace_applications
    from zhutui.plans import load_plans

    apps, problems = [], []
    plans = load_plans()
    files = []
    for raw in paths:
        path = Path(raw)
        if is_workspace(path) or is_bundle(path):
            found, unusable = (workspace_applications if is_workspace(path) else bundle_applications)(path)
            apps += found
            problems += unusable
        else:
            files.append(raw)
    for path, root in (batchpaths.collect_files(files) if files else {}).items():
        try:
            apps.append(appfile.load(path, plans, files_root=root))
        except InputError as exc:
            problems.append(exc)
    if problems:
        for problem in problems:
            _err(f"错误：{problem}")
        _err(f"有 {len(problems)} 个文件无法读取，{doing}。请按上面的提示修改后重试。")
        raise _Unreadable()
    return apps


def cmd_check(args: argparse.Namespace) -> int:
    from zhutui.checks import check_batch, count
    from zhutui.checks.report import text_report

    apps = load_batch(args.paths, "未做检查")
    findings = check_batch(apps, args.today or dt.date.today())
    counts = count(findings)
    if args.format == "json":
        json.dump(
            {"findings": [f.as_dict() for f in findings], "counts": counts}, sys.stdout, ensure_ascii=False, indent=2
        )
        sys.stdout.write("\n")
    else:
        print(text_report(findings, counts, len(apps)))
    return EXIT_FINDINGS if counts["error"] else EXIT_OK


# --------------------------------------------------------------------------- render, summary


def _print_errors_briefly(findings, limit: int = 20) -> None:
    errors = [f for f in findings if f.severity == "error"]
    for f in errors[:limit]:
        _err(f"  {f.file}：{f.code} {f.path}：{f.message}")
    if len(errors) > limit:
        _err(f"  ……另有 {len(errors) - limit} 个错误，完整清单请运行 zhutui check。")


def cmd_render(args: argparse.Namespace) -> int:
    from zhutui.outputs.render import render_batch

    apps = load_batch(args.paths, "未生成PDF")
    today = args.today or dt.date.today()
    result = render_batch(apps, Path(args.out), today, draft=args.draft, sender=batch_sender(apps, args))
    errors = result.errors
    if errors:
        _err(f"检查发现 {len(errors)} 个错误，只生成了草稿（每页带“草稿”水印，不能报送）：")
        _print_errors_briefly(result.findings)
    for name, chars in result.missing_glyphs.items():
        _err(
            f"警告：{name} 中的字符“{chars}”在已安装的中文字体中都没有，打印出来是空白。"
            "请改用常用字，或在 resources/fonts 中放入包含这些字的 TrueType 字体。"
        )
    for form in result.forms:
        print(f"{form.path}（{form.pages}页）")
    print(result.checklist)
    print(result.combined)
    kind = "草稿" if result.draft else "打印用PDF"
    print(f"已生成 {len(result.forms)} 份申报的{kind}、材料清单和打印全部.pdf，在 {args.out}。")
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from zhutui.checks import check_batch
    from zhutui.outputs.summary import write_summaries

    apps = load_batch(args.paths, "未生成汇总表")
    today = args.today or dt.date.today()
    findings = check_batch(apps, today)
    errors = [f for f in findings if f.severity == "error"]
    written = write_summaries(
        apps, Path(args.out), today, draft=args.draft or bool(errors), sender=batch_sender(apps, args)
    )
    if errors:
        _err(f"检查发现 {len(errors)} 个错误，汇总表标记为草稿，不能报送：")
        _print_errors_briefly(findings)
    for path in written:
        print(path)
    return EXIT_FINDINGS if errors else EXIT_OK


# --------------------------------------------------------------------------- plans


def cmd_plans(args: argparse.Namespace) -> int:
    from zhutui.plans import derive_plan, get_plan, latest_plan, load_plans, save_user_plan

    if args.plans_command == "new":
        base = get_plan(args.base) if args.base else latest_plan()
        if base is None:
            raise InputError(None, "--from", f"没有{args.base}年度的计划")
        plan = save_user_plan(derive_plan(base, args.year))
        print(f"已由{base.year}年度推算出{plan.year}年度计划（{plan.path}），截止日期{plan.deadline}。")
        print("所有信息均标记为待核对：请对照当年通知逐项核对后确认。")
        return EXIT_OK
    print("年度  截止日期    状态    来源  电子版邮箱")  # aligned for double-width CJK
    for plan in load_plans().values():
        origin = "内置" if plan.origin == "shipped" else "用户"
        status = "已确认" if plan.confirmed else "待核对"
        print(f"{plan.year}  {plan.deadline}  {status}  {origin}  {plan.email or '未公布'}")
    return EXIT_OK


# --------------------------------------------------------------------------- demo


def cmd_demo(args: argparse.Namespace) -> int:
    from zhutui.demo import generate

    if args.patents < 0 or args.projects < 0:
        raise UsageError("--patents 和 --projects 不能为负数")
    result = generate(
        Path(args.dir),
        patents=args.patents,
        projects=args.projects,
        with_errors=args.with_errors,
        seed=args.seed,
        plan_year=args.plan_year,
    )
    print(f"已在 {args.dir} 生成 {len(result.applications)} 份示例申报。")
    if args.with_errors:
        print(f"预置的错误见 {result.faults_file}。")
    return EXIT_OK


# --------------------------------------------------------------------------- about


def cmd_about(args: argparse.Namespace) -> int:
    from zhutui.about import report

    print(report())
    return EXIT_OK


# --------------------------------------------------------------------------- gui


def cmd_gui(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not any(
        os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        raise InputError(
            None,
            None,
            "没有图形桌面（DISPLAY 未设置），无法打开窗口。请在桌面环境里运行，"
            "或用 xvfb-run -a zhutui 在虚拟屏幕上运行；命令行的用法见 zhutui --help",
        )
    try:
        from zhutui.gui.main import run
    except ImportError as exc:  # Qt's system libraries missing (a server without a desktop)
        raise InputError(
            None, None, f"无法打开窗口：缺少图形界面所需的系统库（{exc}）。请先运行 bash installer/setup.sh run 安装"
        ) from None
    return run(today=getattr(args, "today", None), paths=getattr(args, "paths", None) or [])


# --------------------------------------------------------------------------- main


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _log_internal_error() -> Path | None:
    from zhutui.private import append_error_log

    return append_error_log(f"zhutui {__version__} {sys.argv!r}\n{traceback.format_exc()}")


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


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    return [
        name for action in parser._actions if isinstance(action, argparse._SubParsersAction) for name in action.choices
    ]


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
            _err(f"注意：{folder}：{warning}")


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
        args = parser.parse_args(with_gui_command(argv, _command_names(parser)))
        from zhutui.bundle.cli import cmd_backup, cmd_bundle, cmd_restore
        from zhutui.mailpack.cli import cmd_package, cmd_send

        handlers = {
            "check": cmd_check,
            "render": cmd_render,
            "summary": cmd_summary,
            "package": cmd_package,
            "send": cmd_send,
            "plans": cmd_plans,
            "demo": cmd_demo,
            "gui": cmd_gui,
            "bundle": cmd_bundle,
            "backup": cmd_backup,
            "restore": cmd_restore,
            "about": cmd_about,
        }
        if args.data_dir is not None:
            os.environ[DATA_DIR_ENV] = str(args.data_dir.expanduser().resolve())
        _warn_unprotected(say=False)  # only what this command uses (in-process callers run several)
        try:
            return handlers[args.command or "gui"](args)
        finally:
            _warn_unprotected()
    except _Unreadable:
        return EXIT_INPUT
    except UsageError as exc:
        _err(f"命令参数有误：{exc}\n用法见 zhutui --help")
        return EXIT_INPUT
    except InputError as exc:
        _err(f"错误：{exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err("已取消。")
        return 130
    except Exception:  # noqa: BLE001 - last resort: no traceback on screen
        log = _log_internal_error()
        _err("内部错误，操作未完成。" + (f"详细信息已写入 {log}，请把此文件发给技术支持。" if log else ""))
        return EXIT_INTERNAL


if __name__ == "__main__":
    # Run the imported module, not this __main__ copy: commands import their helpers (and
    # exception classes such as UsageError) from zhutui.cli.
    from zhutui.cli import main as _main

    sys.exit(_main())
