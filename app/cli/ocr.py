"""``zhutui ocr FILE``: the fields of a patent certificate read from its photo, scan or PDF.

Exit 0 when a certificate was read, 1 when the file is readable but shows no certificate, 2 when
the file is unusable (missing, empty, not an image or PDF, corrupt, encrypted), 3 when the OCR
engine itself can't load. ``--format json`` prints ``{"fields": {key: {"value", "confidence"}}}``
with the application file's keys and values as it stores them (SPEC, README).
"""

from __future__ import annotations

import argparse
import json

from zhutui.cli.common import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, err

# Below this confidence a field is printed as doubtful: on the demo's certificates every field
# read wrong was below it (one character misread: about 0.68), and one in seven read right.
DOUBTFUL = 0.7


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ocr",
        help="识别专利证书（照片、扫描件或PDF）上的发明名称、专利号、发明人、专利申请日、专利权人和授权公告日",
        description="离线识别专利证书上的各项内容（不联网）。退出码：0 已识别出专利证书；1 文件可读但不是专利证书；"
        "2 文件无法使用；3 识别组件无法加载。",
    )
    p.add_argument("file", metavar="FILE", help="专利证书的照片、扫描件（JPEG、PNG、TIFF、BMP）或PDF")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")


def run(args: argparse.Namespace) -> int:
    from zhutui.certfile import read_certificate_file
    from zhutui.certificate import LABELS
    from zhutui.ocr import OcrUnavailable

    # The certificate's own words for each field (a 发明专利证书's), in the order it prints them.
    labels = {key: words[0] for key, words in LABELS.items()}
    try:
        reading = read_certificate_file(args.file)
    except OcrUnavailable as exc:
        err(f"错误：{exc}")
        return EXIT_INTERNAL
    fields = {
        key: {"value": reading.fields[key].value, "confidence": reading.fields[key].confidence}
        for key in labels
        if key in reading.fields
    }
    if args.format == "json":
        print(json.dumps({"fields": fields}, ensure_ascii=False, indent=2))
    elif not reading.is_certificate:
        print(f"{args.file}：没有识别出专利证书。请确认所选文件是专利证书的扫描件或照片，且证书完整、清晰。")
    else:
        print(f"{args.file}：专利证书")
        for key, label in labels.items():
            if key not in fields:
                print(f"  {label}：（未识别出，请对照证书填写）")
                continue
            value = fields[key]["value"]
            shown = "；".join(value) if isinstance(value, list) else value
            flag = "" if fields[key]["confidence"] >= DOUBTFUL else "  （识别把握不大，请核对）"
            print(f"  {label}：{shown}{flag}")
    return EXIT_OK if reading.is_certificate else EXIT_FINDINGS
