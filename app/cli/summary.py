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
        help="生成汇总表：附件2、附件4（.xlsx）",
        description="生成附件2、附件4汇总表（只生成有申报的那一张）。",
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
    return EXIT_FINDINGS if errors else EXIT_OK
