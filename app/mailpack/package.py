"""The e-mail package of a batch: one folder, the same as a .zip, and .eml drafts to send.

``build_package`` is the one pipeline behind ``zhutui package`` and the app's 输出 page::

    2022年职工创新助推_北京精工机床有限公司工会_20221025/
        材料清单.pdf
        附件1_01_王建国_申报表.pdf            the form, or its stamped scan once attached
        附件1_01_王建国_专利证书复印件.pdf    each attachment, cleaned and compressed for mail
        附件2_职工创新发明专利助推汇总表.xlsx
        附件3_01_数控加工创新工作室_申报书.pdf …
        邮件正文.txt
        邮件.eml   (or 邮件1_共2封.eml, 邮件2_共2封.eml when over the budget)
    2022年职工创新助推_北京精工机床有限公司工会_20221025.zip

File names stay short (at most 20 Chinese characters) and sort by application. The batch is
checked first: with error findings nothing is packaged unless a draft is asked for, and a draft
says so in every name, its forms carry the 草稿 watermark and its subject starts with 【草稿】.
Everything is written into a hidden ``.part`` folder and renamed into place at the end, so a
cancelled or failed run leaves nothing half-made; an unsent package of the same name is replaced.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from zhutui import diskspace, formats, naming
from zhutui.appfile import Application, write_atomic
from zhutui.checks import check_batch
from zhutui.checks.attachments import OUTSIDE
from zhutui.errors import Cancelled, InputError
from zhutui.mailpack import eml
from zhutui.mailpack.convert import ConvertedScan, scan_pdf
from zhutui.mailpack.names import (  # noqa: F401 - MAX_NAME_CHARS is part of this module's interface
    MAX_NAME_CHARS,
    eml_name,
    package_folder_name,
    short_name,
    split_messages,
    subject_line,
)
from zhutui.mailpack.placing import MANIFEST, publish, publish_target
from zhutui.mailpack.result import DEFAULT_BUDGET_MB, MB, PackageFile, PackageMessage, PackageResult
from zhutui.mailpack.ziparchive import write_zip
from zhutui.outputs import values
from zhutui.outputs.images import AS_TAKEN_MAIL, MAIL, Encoding
from zhutui.winpath import fit_name, notepad_bytes

LABEL_CHARS = 8  # of an attachment's own title (kind 其他材料) in its file name
BODY_FILE = "邮件正文.txt"
# Windows' path limit: room in a package's folder name for the staging name (.NAME.part) and
# the longest file inside (names keep to 20 Chinese characters, names.MAX_NAME_CHARS).
FOLDER_RESERVE = len("..part") + 1 + 40
CHECKLIST_FILE = "材料清单.pdf"
# A scan that alone exceeds the budget is made again this much smaller before giving up.
SMALLER = Encoding(quality=45, clean=True, turn=True)
SMALLER_AS_TAKEN = Encoding(quality=45)
SMALLER_DPI = 150

Progress = Callable[[int, int, str], None]


# --------------------------------------------------------------------------- the run


def build_package(
    apps: Sequence[Application],
    out_dir: Path,
    today: dt.date,
    *,
    draft: bool = False,
    budget_mb: float = DEFAULT_BUDGET_MB,
    sender: values.Sender | None = None,
    from_address: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> PackageResult:
    """Check ``apps`` and write their mail package into ``out_dir`` (see the module docstring).
    ``from_address``: the sending mailbox (the drafts' From), when one is configured."""
    if not apps:
        raise InputError(None, None, "没有要打包的申报，请先添加或导入申报")
    if budget_mb <= 0:
        raise InputError(None, "budget-mb", "每封邮件的容量上限应大于 0（默认 35 MB）")
    years = {a.plan.year for a in apps}
    if len(years) > 1:
        raise InputError(
            None,
            None,
            "这批申报属于不同的计划年度（" + "、".join(map(str, sorted(years))) + "），请按年度分别生成邮件包",
        )
    apps = sorted(apps, key=lambda a: a.form.attachment_no)
    findings = check_batch(apps, today)
    errors = [f for f in findings if f.severity == "error"]
    budget = int(budget_mb * MB)
    result = PackageResult(findings=findings, draft=naming.is_draft(findings, draft), budget=budget)
    if errors and not draft:
        return result
    plan = apps[0].plan
    who = sender or values.sender(apps)
    result.to = plan.email
    if not (who.contact and who.phone):
        result.notes.append(
            "邮件正文中没有写我单位的联系人和电话（申报中没有填，汇总多家单位时在“交接 → 汇总报送”中填写，"
            "命令行用 --contact 和 --phone）：可以补上后重新生成，或在邮件程序中打开邮件补上后发送。"
        )
    steps = len(apps) + 3

    def step(done: int, what: str) -> None:
        if cancelled and cancelled():
            raise Cancelled()
        if progress:
            progress(done, steps, what)

    name = fit_name(out_dir, package_folder_name(plan.year, who.name, today, result.draft), reserve=FOLDER_RESERVE)
    staging = out_dir / f".{name}.part"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
    except OSError as exc:
        raise InputError(out_dir, None, f"无法在输出文件夹中写入（{exc.strerror or exc}），请换一个文件夹") from None
    try:
        step(0, "检查申报材料")
        files, forms, no_edge = _write_application_files(apps, staging, today, result.draft, budget, step)
        if no_edge:
            from zhutui.outputs.render import NO_EDGE_NOTE

            result.notes.append(NO_EDGE_NOTE.format(pages="；".join(no_edge)))
        step(len(apps) + 1, "正在生成汇总表和材料清单")
        files[0:0] = _write_batch_files(apps, forms, staging, today, result.draft, who)
        result.files = files
        step(len(apps) + 2, "正在生成邮件")
        _write_messages(result, staging, plan, who, today, from_address)
        step(steps, "正在压缩为 .zip")
        # The zip is made whole before anything is replaced: a full disk leaves the old package.
        final = publish_target(out_dir / name)
        members = [(f"{final.name}/{f}", staging / f) for f in [*(f.name for f in result.files), BODY_FILE]]
        new_zip = write_zip(out_dir / f".{final.name}.zip.new", members, _zip_time(today))
        try:
            folder = result.folder = publish(staging, final)
            result.zip_path = new_zip.replace(out_dir / f"{folder.name}.zip")
        except OSError as exc:
            raise InputError(
                out_dir / name,
                None,
                f"无法放入输出文件夹（{exc.strerror or exc}）：旧的邮件包可能正被"
                "其他程序打开，请关闭后重试，或换一个输出文件夹",
            ) from None
    except InputError:  # a file of the package could not be written
        if diskspace.free_space(out_dir) < diskspace.LOW_SPACE:
            raise InputError(out_dir, None, diskspace.full_message(out_dir) + "。原有的邮件包未改动") from None
        raise
    except OSError as exc:  # a full disk, a folder made read-only while we wrote
        if diskspace.is_full(exc, out_dir):
            raise InputError(out_dir, None, diskspace.full_message(out_dir) + "。原有的邮件包未改动") from None
        raise InputError(
            out_dir,
            None,
            f"写入邮件包时出错（{exc.strerror or exc}）：磁盘可能已满或文件夹不可写，"
            "请腾出空间或换一个输出文件夹后重试",
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        for leftover in out_dir.glob(".*.zip.new"):
            leftover.unlink(missing_ok=True)
    if progress:
        progress(steps, steps, f"已生成 {folder.name}")
    return result


def _zip_time(today: dt.date) -> tuple[int, int, int, int, int, int]:
    now = dt.datetime.now()
    return (today.year, today.month, today.day, now.hour, now.minute, now.second - now.second % 2)


def _write_application_files(
    apps: Sequence[Application],
    staging: Path,
    today: dt.date,
    draft: bool,
    budget: int,
    step: Callable[[int, str], None],
) -> tuple[list[PackageFile], list, list[str]]:
    """Each application's form and attachments, written in order; returns the files, the
    RenderedForm records the 材料清单 needs and the photos whose sheet's edge wasn't found (as the
    print's note names them)."""
    from zhutui.fonts import pdf_fonts
    from zhutui.outputs.appendix import attachment_title

    fonts = pdf_fonts()
    width = max(2, len(str(len(apps))))
    numbers: dict[int, int] = {}
    files: list[PackageFile] = []
    forms = []
    no_edge: list[str] = []
    # Scans are decoded and re-encoded by Pillow, which releases the GIL: the next applications'
    # scans are prepared on the other cores while this thread lays out the forms (reportlab).
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_scans, app, budget, draft) for app in apps]
        try:
            for i, (app, future) in enumerate(zip(apps, futures, strict=True)):
                n = numbers[app.form.attachment_no] = numbers.get(app.form.attachment_no, 0) + 1
                prefix = f"附件{app.form.attachment_no}_{n:0{width}d}"
                scans = future.result()
                no_edge += [
                    f"{naming.describe(app.form, app.data)}的{attachment_title(app, entry)}"
                    for entry, scan in scans
                    if scan is not None and scan.no_edge
                ]
                made, form = _application_files(app, i + 1, prefix, scans, today, draft, fonts)
                for f, data in made:
                    write_atomic(staging / f.name, data)
                    files.append(f)
                forms.append(form)
                step(i + 1, f"已处理 {naming.subject(app.form, app.data)}")
        finally:
            for future in futures:
                future.cancel()
    return files, forms, no_edge


def _scans(app: Application, budget: int, draft: bool) -> list[tuple[dict, ConvertedScan | None]]:
    """Every attachment of ``app`` to mail, with its mail-ready PDF (None for one a draft leaves
    out because it can't be read; the checks report it as an error)."""
    from zhutui.outputs.appendix import attachment_title

    out: list[tuple[dict, ConvertedScan | None]] = []
    for entry in app.data.get("attachments", []):
        kind = app.form.attachment_kind(entry.get("kind", ""))
        if not entry.get("file") or (kind is not None and not kind.printed and kind.kind != "stamped_form"):
            continue
        try:
            path = app.attachment_file(entry)
            if path is None:  # outside the application's folder: never read (A001)
                raise InputError(app.path, None, f"{entry['file']}：{OUTSIDE}")
            out.append((entry, _scan(path, attachment_title(app, entry), budget, as_taken=bool(entry.get("as_taken")))))
        except InputError:
            if not draft:
                raise
            out.append((entry, None))
    return out


def _application_files(
    app: Application,
    group: int,
    prefix: str,
    scans: list[tuple[dict, ConvertedScan | None]],
    today: dt.date,
    draft: bool,
    fonts,
):
    """The files of one application: its form (or its stamped scan) and its attachments."""
    from zhutui.outputs.appendix import attachment_title
    from zhutui.outputs.render import combine, render_form
    from zhutui.outputs.rendered import RenderedForm

    subject = naming.safe_name(naming.subject(app.form, app.data))
    out: list[tuple[PackageFile, bytes]] = []

    def add(name: str, what: str, data: bytes, pages: int, scans: Sequence[ConvertedScan] = ()) -> None:
        out.append(
            (
                PackageFile(
                    name,
                    what,
                    len(data),
                    group,
                    app.form.form,
                    pages,
                    sum(s.scanned_pages for s in scans),
                    sum(s.scan_bytes for s in scans),
                ),
                data,
            )
        )

    form_name = short_name(prefix, subject, f"_{app.form.file_label}.pdf")
    stamped = [scan for entry, scan in scans if entry.get("kind") == "stamped_form" and scan]
    if stamped:
        parts = [(f"盖章扫描件{i}", s.data) for i, s in enumerate(stamped, 1)]
        data = stamped[0].data if len(stamped) == 1 else combine(parts)
        form_pages = sum(s.pages for s in stamped)
        add(form_name, f"{app.form.title}（盖章扫描件，{form_pages}页）", data, form_pages, stamped)
    else:
        data, form_pages, _ = render_form(app, today, draft=draft, fonts=fonts, pages=[])
        add(form_name, f"{app.form.title}（{form_pages}页，{naming.DRAFT if draft else '未盖章'}）", data, form_pages)
    used = {form_name}
    attachment_pages = 0
    for entry, scan in scans:
        kind = app.form.attachment_kind(entry.get("kind", ""))
        if scan is None or entry.get("kind") == "stamped_form":
            continue
        if kind is not None and kind.kind == "other" and entry.get("title"):
            label = naming.safe_name(entry["title"])[:LABEL_CHARS]
        else:
            label = kind.label if kind else naming.safe_name(entry.get("kind") or "附件")
        name, n = short_name(prefix, subject, f"_{label}.pdf"), 1
        while name in used:
            n += 1
            name = short_name(prefix, subject, f"_{label}_{n}.pdf")
        used.add(name)
        attachment_pages += scan.pages
        add(name, f"{attachment_title(app, entry)}（{scan.pages}页）", scan.data, scan.pages, [scan])
    form = RenderedForm(app, Path(form_name), form_pages + attachment_pages, form_pages, attachment_pages)
    return out, form


def _scan(path: Path, title: str, budget: int, *, as_taken: bool = False) -> ConvertedScan:
    """``path`` made ready to mail (cleaned, unless ``as_taken``); smaller when over ``budget``."""
    scan = scan_pdf(path, title, AS_TAKEN_MAIL if as_taken else MAIL)
    if len(scan.data) > budget and scan.scanned_pages:
        scan = scan_pdf(path, title, SMALLER_AS_TAKEN if as_taken else SMALLER, SMALLER_DPI)
    if len(scan.data) > budget:
        raise InputError(
            path,
            None,
            f"压缩后仍有 {len(scan.data) / MB:.1f} MB，超过每封邮件 {budget / MB:.0f} MB "
            "的上限。请把它拆分为几个较小的文件，或调大每封邮件的容量上限",
        )
    return scan


def _write_batch_files(
    apps: Sequence[Application], forms: list, staging: Path, today: dt.date, draft: bool, who: values.Sender
) -> list[PackageFile]:
    """材料清单 and the summary tables (附件2, 附件4), named short."""
    from pypdf import PdfReader

    from zhutui.fonts import pdf_fonts
    from zhutui.outputs.checklist import checklist_pdf
    from zhutui.outputs.summary import write_summaries

    checklist = checklist_pdf(forms, today, draft=draft, fonts=pdf_fonts(), sender=who)
    name = CHECKLIST_FILE if not draft else naming.draft_name(CHECKLIST_FILE.removesuffix(".pdf"), True) + ".pdf"
    write_atomic(staging / name, checklist)
    pages = len(PdfReader(io.BytesIO(checklist)).pages)
    what = f"材料清单（报送单位、材料目录、页数和校验码，{pages}页）"
    files = [PackageFile(name, what, len(checklist), 0, pages=pages)]
    tables_dir = staging / ".tables"
    tables_dir.mkdir()
    for path, app in zip(
        write_summaries(apps, tables_dir, today, draft=draft, sender=who), _one_per_form(apps), strict=True
    ):
        summary = app.form.table()
        name = short_name(
            f"附件{summary.attachment_no}", naming.safe_name(summary.title), naming.draft_name("", draft) + ".xlsx"
        )
        path.replace(staging / name)
        n = sum(1 for a in apps if a.form.form == app.form.form)
        files.append(
            PackageFile(
                name, f"{apps[0].plan.year}年{summary.title}（{n}项，Excel表格）", (staging / name).stat().st_size, 0
            )
        )
    tables_dir.rmdir()
    return files


def _one_per_form(apps: Sequence[Application]) -> list[Application]:
    """An application of each form whose summary table ``write_summaries`` writes, in its order."""
    from zhutui.outputs.summary import forms_with_tables

    return [next(a for a in apps if a.form.form == form.form) for form in forms_with_tables(apps)]


def _write_messages(
    result: PackageResult, staging: Path, plan, who: values.Sender, today: dt.date, from_address: str | None
) -> None:
    from zhutui.mailpack.body import body_text, counts_by_form, package_text

    messages = split_messages(result.files, result.budget)
    counts = counts_by_form(result.files)
    total = len(messages)
    for number, files in enumerate(messages, 1):
        subject = subject_line(plan.year, who.name, counts, result.draft, number, total)
        text = body_text(plan, who, today, files, counts, number, total, result.draft)
        message = eml.build_message(
            to=plan.email,
            subject=subject,
            body=text,
            attachments=[(f.name, staging / f.name) for f in files],
            sender=(who.name, from_address) if from_address and formats.check_email(from_address) is None else None,
        )
        name = eml_name(number, total, result.draft)
        data = eml.message_bytes(message)
        write_atomic(staging / name, data)
        result.messages.append(
            PackageMessage(name, subject, [f.name for f in files], sum(f.size for f in files), len(data))
        )
    write_atomic(staging / BODY_FILE, notepad_bytes(package_text(plan, who, today, result)))
    write_manifest(staging, result, plan.year, who.name, today)


def write_manifest(folder: Path, result: PackageResult, year: int, union: str, today: dt.date) -> None:
    manifest = {
        "format": 1,
        "plan_year": year,
        "union": union,
        "date": today.isoformat(),
        "draft": result.draft,
        "to": result.to,
        "budget": result.budget,
        "files": [asdict(f) for f in result.files],
        "messages": [asdict(m) for m in result.messages],
        "sent": [],
    }
    write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
