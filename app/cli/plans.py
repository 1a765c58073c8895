"""``zhutui plans``: the plan years, and next year's plan derived from the latest one."""

from __future__ import annotations

import argparse

from zhutui.cli.common import EXIT_OK
from zhutui.errors import InputError


def add_parser(sub: argparse._SubParsersAction) -> None:
    plans = sub.add_parser("plans", help="列出计划年度，或由最新年度创建新年度计划")
    plans_sub = plans.add_subparsers(dest="plans_command", metavar="子命令")
    new = plans_sub.add_parser("new", help="由已有年度推算新年度计划（日期顺延，标记待核对）")
    new.add_argument("year", type=int, help="新年度，如 2023")
    new.add_argument("--from", dest="base", type=int, help="作为依据的年度（默认最新年度）")


def run(args: argparse.Namespace) -> int:
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
