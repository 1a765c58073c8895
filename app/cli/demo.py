"""``zhutui demo``: a realistic sample batch, optionally with one planted fault per rule."""

from __future__ import annotations

import argparse
from pathlib import Path

from zhutui.cli.common import EXIT_OK, UsageError


def add_parser(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="生成一批示例申报（含扫描件），用于试用和测试")
    demo.add_argument("dir", metavar="DIR", help="输出文件夹")
    demo.add_argument("--patents", type=int, default=3, help="发明专利申报份数（默认 3）")
    demo.add_argument("--projects", type=int, default=1, help="创新项目申报份数（默认 1）")
    demo.add_argument("--with-errors", action="store_true", help="预置一组有记录的错误，用于演示检查")
    demo.add_argument("--seed", type=int, default=2022, help="随机种子（默认 2022），相同种子生成相同内容")
    demo.add_argument("--plan-year", type=int, default=2022, help="计划年度（默认 2022）")


def run(args: argparse.Namespace) -> int:
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
