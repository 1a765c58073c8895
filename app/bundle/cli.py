"""``zhutui bundle export|import``, ``zhutui backup`` and ``zhutui restore``; and bundles or
workspace folders as the PATHs of ``check``, ``render``, ``summary`` and ``package``.

Exit statuses follow ``zhutui.cli``: 0 done, 2 a refused bundle or unusable input (nothing written).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from zhutui.appfile import Application
from zhutui.bundle.archive import SUFFIX
from zhutui.bundle.exchange import POLICIES, apply_import, export_bundle, plan_import
from zhutui.errors import InputError
from zhutui.workspace.db import DB_NAME
from zhutui.workspace.lock import WorkspaceLock
from zhutui.workspace.store import Workspace, default_folder
from zhutui.workspace.tempspace import temp_workspace_folder
from zhutui.workspace.vault import MIN_PASSPHRASE as MIN_PASSWORD

PASSWORD_ENV = "ZHUTUI_BUNDLE_PASSWORD"


def add_parsers(sub) -> None:
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
        "不写入任何内容；与工作区已有申报相同（专利号相同，或工作室与项目名称相同）的"
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
    bak = sub.add_parser("backup", help="立即备份工作区（全部申报、附件和设置，不含授权码）")
    bak.add_argument("--workspace", metavar="DIR", help="工作区文件夹（默认：本机的工作区）")
    bak.add_argument("--out", metavar="DIR", help="备份存放的文件夹（默认：数据文件夹中的 backups）")
    res = sub.add_parser(
        "restore",
        help="用备份或交接包替换工作区（当前工作区先自动备份）",
        description="核验后在工作区旁重建，成功后才替换当前工作区；当前工作区先备份到数据文件夹的 backups 中。",
    )
    res.add_argument("file", metavar="FILE.zhutui", help="备份或交接包")
    res.add_argument("--into", metavar="DIR", help="要替换的工作区文件夹（默认：本机的工作区）")
    res.add_argument(
        "--password-stdin", action="store_true", help="从标准输入读取交接包的密码（一行；本机工作区自己的备份不需要）"
    )


def read_password(args: argparse.Namespace, *, new: bool = False) -> list[bytes]:
    """The bundle password given for this command: a line on standard input (``--password-stdin``)
    or ``ZHUTUI_BUNDLE_PASSWORD``; none: []."""
    import os
    import sys

    from zhutui.cli import UsageError

    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = os.environ.get(PASSWORD_ENV, "")
    if new and password and len(password) < MIN_PASSWORD:
        raise UsageError(f"交接包的密码至少 {MIN_PASSWORD} 个字符")
    if getattr(args, "password_stdin", False) and not password:
        raise UsageError("--password-stdin：标准输入中没有密码")
    return [password.encode("utf-8")] if password else []


def _workspace_folder(raw: str | None) -> Path:
    return Path(raw).expanduser() if raw else default_folder()


def is_workspace(path: Path) -> bool:
    return path.is_dir() and (path / DB_NAME).is_file()


def is_bundle(path: Path) -> bool:
    return path.suffix.lower() == SUFFIX and path.is_file()


def workspace_applications(folder: Path) -> tuple[list[Application], list[InputError]]:
    """Every application of a workspace, as the checks and outputs see them."""
    apps, problems = [], []
    with Workspace(folder) as ws:
        for record in ws.records():
            try:
                apps.append(ws.application(record.id))
            except InputError as exc:
                problems.append(exc)
    return apps, problems


def bundle_applications(path: Path) -> tuple[list[Application], list[InputError]]:
    """The applications of a bundle, imported into a temporary workspace that lives until exit;
    each is named after its member (``甲.zhutui/applications/0001.json``)."""
    folder = temp_workspace_folder()
    apps, problems = [], []
    with Workspace(folder, temporary=True) as ws:
        with plan_import(ws, [path], passwords=read_password(argparse.Namespace())) as plan:
            members = [item.member for item in plan.items]
            added = apply_import(ws, plan, "both").added
        for app_id, member in zip(added, members, strict=True):
            try:
                app = ws.application(app_id)
                app.path = path / member
                apps.append(app)
            except InputError as exc:
                problems.append(InputError(path / member, exc.key, exc.message))
    return apps, problems


def cmd_bundle(args: argparse.Namespace) -> int:
    from zhutui.cli import EXIT_OK, _err

    if args.bundle_command == "export":
        return _export(args)
    folder = _workspace_folder(args.into)
    hint = "请在窗口的“交接”页用“导入交接包…”导入，或关闭窗口后再运行此命令。"
    with (
        WorkspaceLock(folder, "zhutui bundle import", hint),
        Workspace(folder) as ws,
        plan_import(ws, [Path(b) for b in args.bundles], passwords=read_password(args)) as plan,
    ):
        for item in plan.conflicts:
            assert item.conflict is not None  # what makes it a conflict
            existing = ws.record(item.conflict)
            _err(
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
    from zhutui.batchpaths import collect_files
    from zhutui.cli import EXIT_OK

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
                            staging.add_attachment(new_id, source, att.kind, att.title)
                        else:
                            staging.attach_missing(new_id, att.original_name, att.kind, att.title)
            records = staging.records()
            if not records:
                raise InputError(None, None, "没有可导出的申报")
            by = args.by or _union_of(staging)
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


def _union_of(ws: Workspace) -> str:
    names = [
        str(r.data.get("unit_union", {}).get("name", ""))
        for r in ws.records()
        if isinstance(r.data.get("unit_union"), dict)
    ]
    return max(set(names) - {""}, key=names.count, default="")


def cmd_backup(args: argparse.Namespace) -> int:
    from zhutui.bundle.backup import make_backup
    from zhutui.cli import EXIT_OK

    with Workspace(_workspace_folder(args.workspace)) as ws:
        result = make_backup(ws, Path(args.out) if args.out else None)
    print(f"已备份 {result.applications} 份申报、{result.attachments} 个附件和设置到 {result.path}。")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from zhutui.bundle.backup import restore
    from zhutui.cli import EXIT_OK, _err

    folder = _workspace_folder(args.into)
    hint = "请在窗口的“设置 → 备份与恢复”中恢复，或关闭窗口后再运行此命令。"
    with WorkspaceLock(folder, "zhutui restore", hint):
        result = restore(Path(args.file), folder, passwords=read_password(args))
    print(
        f"已恢复 {result.applications} 份申报、{result.attachments} 个附件"
        + ("和设置" if result.settings else "")
        + f"到工作区 {folder}。"
    )
    if result.dropped_settings:
        _err(result.dropped_note())
    if result.safety_backup:
        print(f"恢复前的工作区已备份为 {result.safety_backup}（需要时可用 zhutui restore 恢复回去）。")
    return EXIT_OK
