"""``zhutui summary``: the summary tables (附件2, 附件4 …) as ``.xlsx``."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from zhutui.cli.common import EXIT_FINDINGS, EXIT_OK, batch_sender, err, load_batch, print_errors_briefly
from zhutui.cli.render import add_output_arguments


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "summary",
        help="生成汇总表（.xlsx）：发明专利的附件2、创新项目的附件4等",
        description="生成本批各种申报的汇总表（如附件2、附件4；只生成本批有申报、且表单有汇总表的那几张）。",
    )
    add_output_arguments(parser, "填报日期（默认今天），YYYY-MM-DD", "标记为草稿")


def run(args: argparse.Namespace) -> int:
    from zhutui.checks import check_batch
    from zhutui.naming import is_draft
    from zhutui.outputs.summary import write_summaries

    apps = load_batch(args.paths, "未生成汇总表")
    today = args.today or dt.date.today()
    findings = check_batch(apps, today)
    errors = [f for f in findings if f.severity == "error"]
    written = write_summaries(
        apps, Path(args.out), today, draft=is_draft(findings, args.draft), sender=batch_sender(apps, args)
    )
    if errors:
        err(f"检查发现 {len(errors)} 个错误，汇总表标记为草稿，不能报送：")
        print_errors_briefly(findings)
    for path in written:
        print(path)
    if not written:
        print("本批申报的表单都没有汇总表，没有生成文件。")
    return EXIT_FINDINGS if errors else EXIT_OK
