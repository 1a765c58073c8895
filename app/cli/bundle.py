"""``zhutui bundle export|import``: hand-over bundles (``.zhutui``) out of and into a workspace.

Exit statuses: 0 done, 2 a refused bundle or unusable input (nothing written).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from zhutui.bundle import POLICIES, SUFFIX
from zhutui.cli.common import EXIT_OK, err, read_password
from zhutui.errors import InputError
from zhutui.workspace.vault import MIN_PASSPHRASE as MIN_PASSWORD


def workspace_folder(raw: str | None) -> Path:
    """The workspace a command names (``--into``, ``--workspace``), else the user's own."""
    from zhutui.workspace.store import default_folder

    return Path(raw).expanduser() if raw else default_folder()


def add_parser(sub: argparse._SubParsersAction) -> None:
    bundle = sub.add_parser("bundle", help="交接包（.zhutui）：导出申报交给下一级，或导入他人交来的申报")
    bsub = bundle.add_subparsers(dest="bundle_command", metavar="子命令", required=True)
    exp = bsub.add_parser(
        "export",
        help="把申报及其附件导出为一个 .zhutui 交接包",
        description="PATH 可以是申报文件（.json）、其文件夹或工作区文件夹；不给 PATH 时导出默认工作区中的全部申报。",
    )
    exp.add_argument("paths", nargs="*", metavar="PATH", help="申报文件（.json）、文件夹或工作区文件夹")
    exp.add_argument("--out", required=True, metavar="FILE.zhutui", help="要写入的交接包")
    exp.add_argument("--by", metavar="NAME", help="导出单位（默认取申报中的单位工会名称）")
    exp.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"从标准输入读取交接包的密码（一行，至少 {MIN_PASSWORD} 个字符；接收方导入时输入同一密码）",
    )
    imp = bsub.add_parser(
        "import",
        help="导入一个或多个交接包（上级工会可一次导入多家单位的）",
        description="先核验每个交接包（文件清单、大小、SHA-256），有问题的整批拒绝、"
        "不写入任何内容；与工作区已有申报相同（按表单定义的标识：如专利号相同，或工作室与项目名称相同）的"
        "按 --on-conflict 处理。",
    )
    imp.add_argument("bundles", nargs="+", metavar="FILE.zhutui", help="交接包")
    imp.add_argument("--into", metavar="DIR", help="导入到的工作区文件夹（默认：本机的工作区）")
    imp.add_argument(
        "--on-conflict",
        choices=POLICIES,
        default="keep",
        help="与已有申报相同时：keep 保留原有的（默认），replace 用导入的替换（原有的可撤销删除），both 两份都保留",
    )
    imp.add_argument("--password-stdin", action="store_true", help="从标准输入读取交接包的密码（一行）")


def run(args: argparse.Namespace) -> int:
    from zhutui.bundle.exchange import apply_import, plan_import
    from zhutui.workspace.lock import WorkspaceLock
    from zhutui.workspace.store import Workspace

    if args.bundle_command == "export":
        return _export(args)
    folder = workspace_folder(args.into)
    hint = "请在窗口的“交接”页用“导入交接包…”导入，或关闭窗口后再运行此命令。"
    with (
        WorkspaceLock(folder, "zhutui bundle import", hint),
        Workspace(folder) as ws,
        plan_import(ws, [Path(b) for b in args.bundles], passwords=read_password(args)) as plan,
    ):
        for item in plan.conflicts:
            assert item.conflict is not None  # what makes it a conflict
            existing = ws.record(item.conflict)
            err(
                f"与已有申报相同：{item.describe()}（{item.union or '未填单位工会'}），{item.reason}；"
                f"已有的是 {existing.id} 号申报。按 --on-conflict {args.on_conflict} 处理。"
            )
        result = apply_import(ws, plan, args.on_conflict)
        unions = sorted({i.union or "未填单位工会" for i in plan.items})
    print(f"已核验 {len(args.bundles)} 个交接包（{len(plan.items)} 份申报，来自：{'、'.join(unions)}）。")
    print(result.summary() + f" 工作区：{folder}")
    if len(unions) > 1:
        print(f"工作区中有多家单位工会的申报，请运行 zhutui check {folder} 检查跨单位的重复申报。")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from zhutui import naming
    from zhutui.batchpaths import collect_files
    from zhutui.bundle.exchange import export_bundle
    from zhutui.pipeline import is_workspace
    from zhutui.workspace.store import Workspace, default_folder

    out = Path(args.out)
    if out.suffix.lower() != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    sources = [Path(p) for p in args.paths] or [default_folder()]
    with tempfile.TemporaryDirectory(prefix="zhutui-export-") as tmp, Workspace(Path(tmp), temporary=True) as staging:
        picked: list[tuple[Workspace, int]] = []
        opened: list[Workspace] = []
        try:
            files = [str(p) for p in sources if not is_workspace(p)]
            for p in sources:
                if is_workspace(p):
                    ws = Workspace(p)
                    opened.append(ws)
                    picked += [(ws, r.id) for r in ws.records()]
            for file, root in (collect_files(files) if files else {}).items():
                picked.append((staging, staging.import_file(file, root)))
            for ws, app_id in picked:  # one bundle: copy everything into the staging workspace
                if ws is not staging:
                    record = ws.record(app_id)
                    new_id = staging.insert(
                        record.form, record.plan_year, record.data, uid=record.uid, created_at=record.created_at
                    )
                    for att in ws.attachments(app_id):
                        source = ws.attachment_file(att)
                        if source is not None and source.is_file():
                            staging.add_attachment(new_id, source, att.kind, att.title, as_taken=att.as_taken)
                        else:
                            staging.attach_missing(
                                new_id, att.original_name, att.kind, att.title, as_taken=att.as_taken
                            )
            records = staging.records()
            if not records:
                raise InputError(None, None, "没有可导出的申报")
            by = args.by or naming.main_union(r.data for r in staging.records())
            password = read_password(args, new=True)
            result = export_bundle(
                staging, [r.id for r in records], out, created_by=by, password=password[0] if password else None
            )
        finally:
            for ws in opened:
                ws.close()
    told = "，已设密码：请另行（电话或当面）告诉接收方。" if password else "。"
    print(
        f"已导出 {result.applications} 份申报、{result.attachments} 个附件到 {result.path}"
        f"（{result.size / 1024 / 1024:.1f} MB）{told}"
    )
    return EXIT_OK
