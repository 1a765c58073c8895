"""``zhutui render``: the PDFs to print, stamp and post (drafts when the batch has errors)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from zhutui.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    PATHS_HELP,
    add_sender_arguments,
    batch_sender,
    date_arg,
    err,
    load_batch,
    print_errors_briefly,
)


def add_output_arguments(parser: argparse.ArgumentParser, today_help: str, draft_help: str) -> None:
    """The arguments ``render`` and ``summary`` share."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    parser.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    parser.add_argument("--today", type=date_arg, help=today_help)
    parser.add_argument("--draft", action="store_true", help=draft_help)
    add_sender_arguments(parser)


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "render",
        help="生成打印用PDF：申报表（书）及附件、材料清单、打印全部.pdf",
        description="检查后生成打印用PDF；有错误时生成带“草稿”水印的草稿（退出码 1）。",
    )
    add_output_arguments(
        parser, "按这一天检查和填写日期（默认今天），YYYY-MM-DD", "生成草稿（每页带“草稿”水印），用于核对"
    )
    parser.add_argument(
        "--duplex", action="store_true", help="打印全部.pdf 用于双面打印：每份申报从单数页（纸的正面）开始"
    )
    parser.add_argument(
        "--docx", action="store_true", help="每份申报表（书）另存一份 Word 文档（.docx），与 PDF 同名，不含附件扫描件"
    )


def run(args: argparse.Namespace) -> int:
    from zhutui.outputs.render import render_batch

    apps = load_batch(args.paths, "未生成PDF")
    today = args.today or dt.date.today()
    result = render_batch(
        apps,
        Path(args.out),
        today,
        draft=args.draft,
        sender=batch_sender(apps, args),
        duplex=args.duplex,
        docx=args.docx,
    )
    errors = result.errors
    if errors:
        err(f"检查发现 {len(errors)} 个错误，只生成了草稿（每页带“草稿”水印，不能报送）：")
        print_errors_briefly(result.findings)
    for name, chars in result.missing_glyphs.items():
        err(
            f"警告：{name} 中的字符“{chars}”在已安装的中文字体中都没有，打印出来是空白。"
            "请改用常用字，或在 resources/fonts 中放入包含这些字的 TrueType 字体。"
        )
    for note in result.notes:
        err(f"注意：{note}")
    for form in result.forms:
        print(f"{form.path}（{form.pages}页）")
    print(result.checklist)
    print(result.combined)
    for path in result.documents:
        print(path)
    kind = "草稿" if result.draft else "打印用PDF"
    word = f"，以及 {len(result.documents)} 份 Word 文档" if result.documents else ""
    print(f"已生成 {len(result.forms)} 份申报的{kind}、材料清单和打印全部.pdf{word}，在 {args.out}。")
    return EXIT_FINDINGS if errors else EXIT_OK
