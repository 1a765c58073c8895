"""``zhutui check``: the batch checked against its plan year's notice."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from zhutui.cli.common import EXIT_FINDINGS, EXIT_OK, PATHS_HELP, date_arg, load_batch


def add_parser(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser(
        "check", help="按当年通知检查申报文件", description="检查申报文件；文件夹下的所有 *.json 作为同一批检查。"
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    check.add_argument("--today", type=date_arg, help="按这一天检查截止日期（默认今天），YYYY-MM-DD")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    check.add_argument(
        "--read-certificates",
        action="store_true",
        help="识别附件中的专利证书，与填写的专利号、名称、授权公告日、专利权人和发明人核对（P022；每份约2秒）",
    )


def run(args: argparse.Namespace) -> int:
    from zhutui.checks import check_batch, count
    from zhutui.checks.report import text_report

    apps = load_batch(args.paths, "未做检查")
    if args.read_certificates:
        _read_certificates(apps)
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


def _read_certificates(apps: list) -> None:
    """Each patent application's first readable certificate attachment, read into
    ``Application.certificate`` (an unusable file is left to A001–A003; an engine that can't
    load is said once)."""
    from zhutui.certfile import read_certificate_file
    from zhutui.cli.common import err
    from zhutui.errors import InputError
    from zhutui.ocr import OcrUnavailable

    for app in apps:
        for entry in app.data.get("attachments", []):
            path = app.attachment_file(entry) if entry.get("kind") == "patent_certificate" else None
            if path is None:
                continue
            try:
                reading = read_certificate_file(path)
            except InputError:
                continue
            except OcrUnavailable as exc:
                err(f"注意：未能识别专利证书：{exc}")
                return
            if reading.is_certificate:
                app.certificate = reading.values()
                break
