"""``zhutui plans``: the plan years, and next year's plan derived from the latest one."""

from __future__ import annotations

import argparse

from zhutui.cli.common import EXIT_OK
from zhutui.errors import InputError


def add_parser(sub: argparse._SubParsersAction) -> None:
    plans = sub.add_parser("plans", help="列出计划年度，或由最新年度创建新年度计划")
    plans_sub = plans.add_subparsers(dest="plans_command", metavar="子命令")
    new = plans_sub.add_parser(
        "new", help="新建年度计划：由当年通知读取（--from-notice），或由已有年度推算（日期顺延），均标记待核对"
    )
    new.add_argument("year", type=int, help="新年度，如 2023")
    new.add_argument("--from", dest="base", type=int, help="作为依据（对照）的年度（默认最新年度）")
    new.add_argument(
        "--from-notice",
        dest="notice",
        metavar="FILE",
        help="当年的实施方案通知（.txt、.docx 或有文字的 .pdf；- 表示从标准输入读取粘贴的文字）",
    )
    new.add_argument(
        "--confirm-read",
        action="store_true",
        help="把从通知读到的信息直接标记为已核对（请先核对打印出的对照表）；没读到的仍待核对",
    )
    read = plans_sub.add_parser(
        "read-notice",
        help="读取实施方案通知，打印其中写明的计划信息（没写明的为 null）",
        description="读取实施方案通知（.txt、.docx 或有文字的 .pdf；- 表示标准输入），打印其中写明的计划。"
        "读到计划年度和报送截止日期时退出码 0；文件无法读取或不是这样的通知时退出码 2。",
    )
    read.add_argument("file", metavar="FILE", help="通知文件，或 - （从标准输入读取）")
    read.add_argument("--format", choices=("yaml", "json"), default="yaml", help="输出格式（默认 yaml）")


def run(args: argparse.Namespace) -> int:
    from zhutui.plans import derive_plan, get_plan, latest_plan, load_plans, save_user_plan

    if args.plans_command == "read-notice":
        return _read_notice(args)
    if args.plans_command == "new" and args.notice:
        return _new_from_notice(args)
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


def _reading(source: str):
    """The notice at ``source`` (a file, or ``-``: the text on standard input), read."""
    import sys
    from pathlib import Path

    from zhutui.notice import read_notice, read_notice_file, require_notice
    from zhutui.noticefile import plain_text

    if source == "-":  # bytes, decoded as a file is (UTF-8 or GB18030)
        stdin = getattr(sys.stdin, "buffer", None)
        text = plain_text(None, stdin.read()) if stdin is not None else sys.stdin.read()
        return require_notice(read_notice(text), None)
    return read_notice_file(Path(source))


def _read_notice(args: argparse.Namespace) -> int:
    import json

    from zhutui.yamlio import dump_yaml

    reading = _reading(args.file)
    if args.format == "json":  # dates as 2022-11-01
        print(json.dumps({"plan": reading.plan, "sources": reading.sources}, ensure_ascii=False, indent=2, default=str))
    else:
        print(dump_yaml(reading.plan), end="")
    return EXIT_OK


def _new_from_notice(args: argparse.Namespace) -> int:
    from zhutui.notice import plan_from_notice
    from zhutui.planfacts import fact_display
    from zhutui.plans import fact_label, get_plan, latest_plan, save_user_plan

    base = get_plan(args.base) if args.base else latest_plan()
    if base is None:
        raise InputError(None, "--from", f"没有{args.base}年度的计划")
    reading = _reading(args.notice)
    made = plan_from_notice(reading, args.year, base, confirm_read=args.confirm_read)
    print(f"{'事项':<12}  {base.year}年  →  {args.year}年（通知）")
    for row in made.rows:
        mark = "＊" if row.changed else "　"
        now = fact_display(row.key, row.read) if row.found else "（通知中未写明，沿用待核对）"
        print(f"{mark}{fact_label(row.key)}：{fact_display(row.key, row.previous)}  →  {now}")
        if row.source:
            print(f"　　依据：{row.source}")
    plan = save_user_plan(made.raw)
    found = sum(r.found for r in made.rows)
    print(
        f"已由通知建立{plan.year}年度计划（{plan.path}）：读到{found}项，＊为与{base.year}年不同的项；"
        + ("读到的已标记为已核对，" if args.confirm_read else "")
        + f"其余{len(plan.unconfirmed)}项待核对，请在“设置”中逐项核对确认。"
    )
    return EXIT_OK
