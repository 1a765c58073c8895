"""The print PDFs of a batch: each form with its attachments, the 材料清单, and 打印全部.pdf.

``render_batch`` is the one pipeline behind ``zhutui render`` and the app's 输出 page: it checks
the batch, writes final PDFs when nothing is wrong and drafts (every page watermarked 草稿, file
names ending in _草稿) when the checks found errors or a draft was asked for. ``progress`` is
called after each step; ``cancelled`` is polled between steps, and a cancelled run leaves no
half-written file (every file is written whole, then renamed into place).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError

from zhutui import __version__, naming
from zhutui.appfile import Application, write_all
from zhutui.checks import Finding, check_batch
from zhutui.errors import Cancelled, InputError
from zhutui.fonts import PdfFonts, pdf_fonts
from zhutui.outputs import values
from zhutui.outputs.appendix import PdfPlaceholder, SourcePage, appendix_flowables, merge_pdf_pages, source_pages
from zhutui.outputs.formdocx import form_docx
from zhutui.outputs.formgrid import GridLayout
from zhutui.outputs.formpdf import FormLayout
from zhutui.outputs.pdfdoc import Document, PageDecor, make_styles
from zhutui.outputs.rendered import RenderedForm
from zhutui.paths import APP_TITLE
from zhutui.winpath import fit_name, units

CHECKLIST_STEM = "材料清单"
__all__ = ["Cancelled", "RenderResult", "render_batch", "render_form", "combine", "word_batch"]
COMBINED_STEM = "打印全部"
NO_EDGE_NOTE = (
    "这些照片未找到纸张边缘，已只做漂白处理（没有裁到纸张、没有矫正透视）：{pages}。"
    "如需更清晰，请把整张纸放在颜色较深的桌面上、四边都拍进画面后重新拍照，再重新生成。"
)
A4_W, A4_H = 595.2756, 841.8898  # points


@dataclass
class RenderResult:
    draft: bool
    findings: list[Finding]
    forms: list[RenderedForm] = field(default_factory=list)
    checklist: Path | None = None
    combined: Path | None = None
    # Characters no found font can draw (they print blank), per application file.
    missing_glyphs: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the user should know before printing
    documents: list[Path] = field(default_factory=list)  # the forms as Word files (.docx), when asked for

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def files(self) -> list[Path]:
        return [f.path for f in self.forms] + [p for p in (self.checklist, self.combined) if p] + self.documents


Progress = Callable[[int, int, str], None]  # (step done, steps in all, what was done)


def render_form(
    app: Application,
    today: dt.date,
    *,
    draft: bool,
    fonts: PdfFonts | None = None,
    pages: list[SourcePage] | None = None,
) -> tuple[bytes, int, int]:
    """One form and its attachments as PDF bytes; returns (pdf, form pages, attachment pages).
    ``pages`` are the attachments' pages when already prepared (``source_pages(app)``)."""
    fonts = fonts or pdf_fonts()
    styles = make_styles(fonts)
    header = (
        f"附件{app.form.attachment_no}　{app.form.printed_title(app.plan.year)}　{naming.subject(app.form, app.data)}"
    )
    decor = PageDecor(
        header=header,
        check_code=app.check_code,
        draft=draft,
        first_page_header=False,
        cover_pages=1 if app.form.cover else 0,
    )
    buffer = io.BytesIO()
    doc = Document(
        buffer,
        fonts,
        decor,
        title=f"{app.form.title}（{naming.subject(app.form, app.data)}）",
        subject=f"校验码 {app.check_code}",
    )
    placeholders: list[PdfPlaceholder] = []
    pages = source_pages(app) if pages is None else pages
    layout = GridLayout if app.form.layout == "grid" else FormLayout
    story = layout(app, fonts, styles).flowables(today)
    story += appendix_flowables(pages, fonts, styles, placeholders)
    try:
        doc.build_pages(story)
    except LayoutError:  # a cell taller than a page; the print caps make this a last resort
        raise InputError(
            app.path, None, "有一项内容太多，一页纸排不下，无法生成PDF。请运行“检查”，按提示缩短超长的内容后再生成"
        ) from None
    pdf = merge_pdf_pages(buffer.getvalue(), placeholders)
    total = doc.page
    return pdf, total - len(pages), len(pages)


def render_batch(
    apps: Sequence[Application],
    out_dir: Path,
    today: dt.date,
    *,
    draft: bool = False,
    sender: values.Sender | None = None,
    duplex: bool = False,
    docx: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RenderResult:
    """Check ``apps`` and write their print PDFs into ``out_dir`` (see the module's docstring).
    ``sender`` (the union's details from the settings) overrides the one read from the forms;
    ``duplex``: 打印全部.pdf for printing on both sides, every form starting on an odd page;
    ``docx``: each form also as a Word file, named as its PDF."""
    from zhutui.outputs.checklist import checklist_pdf

    apps, result, suffix = _checked(apps, today, draft)
    fonts = pdf_fonts()
    for app in apps:
        missing = fonts.missing(app.canonical_json())
        if missing:
            result.missing_glyphs[app.name] = "".join(sorted(missing))
    steps = len(apps) + 2
    stems = _stems(apps, out_dir, suffix)

    def step(done: int, what: str) -> None:
        if cancelled and cancelled():
            raise Cancelled()
        if progress:
            progress(done, steps, what)

    _make_folder(out_dir)
    step(0, "检查申报材料")
    documents = [(out_dir / f"{stem}{suffix}.docx", app) for app, stem in zip(apps, stems, strict=True)] if docx else []
    rendered: list[tuple[RenderedForm, bytes]] = []
    no_edge: list[str] = []  # photographed pages whose sheet's edge wasn't found: only whitened
    # Scans are decoded and re-encoded by Pillow, which releases the GIL: the next few
    # applications' pages are prepared on the other cores while this thread lays out the forms.
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        ahead: dict[int, Future] = {}
        try:
            for i, (app, stem) in enumerate(zip(apps, stems, strict=True)):
                for j in range(i, min(len(apps), i + 2 * workers)):
                    if j not in ahead:
                        ahead[j] = pool.submit(source_pages, apps[j])
                pages = ahead.pop(i).result()
                no_edge += [
                    f"{naming.describe(app.form, app.data)}的{page.title.removeprefix('附：')}"
                    for page in pages
                    if page.image is not None and page.image.no_edge
                ]
                pdf, form_pages, attachment_pages = render_form(
                    app, today, draft=result.draft, fonts=fonts, pages=pages
                )
                target = out_dir / f"{stem}{suffix}.pdf"
                rendered.append(
                    (RenderedForm(app, target, form_pages + attachment_pages, form_pages, attachment_pages), pdf)
                )
                step(i + 1, f"已生成 {target.name}")
        finally:
            for future in ahead.values():
                future.cancel()
    if no_edge:
        result.notes.append(NO_EDGE_NOTE.format(pages="；".join(no_edge)))
    who = sender or values.sender(apps)
    if not (who.contact and who.phone):
        result.notes.append(
            "材料清单中报送单位的联系人或电话是空的：请在申报的“单位工会”中填写（汇总多家单位时在“交接 → 汇总报送”中"
            "填写，命令行用 --contact 和 --phone）后重新生成，或打印后手写补上。"
        )
    checklist = checklist_pdf([r for r, _ in rendered], today, draft=result.draft, fonts=fonts, sender=who)
    checklist_path = out_dir / f"{CHECKLIST_STEM}{suffix}.pdf"
    year = apps[0].plan.year
    parts = [("材料清单", checklist)] + [(_bookmark(form.app), pdf) for form, pdf in rendered]
    combined = combine(parts, title=f"{year}年职工创新助推申报材料（打印全部）", author=who.name, duplex=duplex)
    step(steps - 1, "已生成材料清单")
    words = [(path, form_docx(app, today, draft=result.draft, fonts=fonts)) for path, app in documents]
    # Everything is in memory; only now do files appear: all of them, or (a full disk) none.
    combined_path = out_dir / f"{COMBINED_STEM}{suffix}.pdf"
    write_all(
        [*((form.path, pdf) for form, pdf in rendered), (checklist_path, checklist), (combined_path, combined), *words]
    )
    result.documents += [path for path, _ in words]
    result.forms += [form for form, _ in rendered]
    result.checklist = checklist_path
    result.combined = combined_path
    if progress:
        progress(steps, steps, f"已生成 {combined_path.name}")
    return result


def word_batch(
    apps: Sequence[Application],
    out_dir: Path,
    today: dt.date,
    *,
    draft: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RenderResult:
    """Check ``apps`` and write only their forms as Word files (``.docx``) into ``out_dir``,
    named as their PDFs; drafts (草稿 watermark, names ending in _草稿) as ``render_batch``."""
    apps, result, suffix = _checked(apps, today, draft)
    fonts = pdf_fonts()
    _make_folder(out_dir)
    words: list[tuple[Path, bytes]] = []
    for i, (app, stem) in enumerate(zip(apps, _stems(apps, out_dir, suffix), strict=True)):
        if cancelled and cancelled():
            raise Cancelled()
        path = out_dir / f"{stem}{suffix}.docx"
        words.append((path, form_docx(app, today, draft=result.draft, fonts=fonts)))
        if progress:
            progress(i + 1, len(apps), f"已生成 {path.name}")
    write_all(words)
    result.documents = [path for path, _ in words]
    return result


def _checked(apps: Sequence[Application], today: dt.date, draft: bool) -> tuple[list[Application], RenderResult, str]:
    """The applications in the paper stack's order (the notice's: 附件1 forms, then 附件3;
    otherwise as given), the result holding their findings (a draft when any is an error or
    one was asked for), and the file names' draft mark."""
    if not apps:
        raise InputError(None, None, "没有要生成的申报，请先添加或导入申报")
    apps = sorted(apps, key=lambda a: a.form.attachment_no)
    findings = check_batch(apps, today)
    result = RenderResult(draft=naming.is_draft(findings, draft), findings=findings)
    return apps, result, naming.draft_name("", result.draft)


def _make_folder(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(out_dir, None, f"无法创建输出文件夹（{exc.strerror or exc}），请换一个文件夹") from None


def _stems(apps: Sequence[Application], out_dir: Path, suffix: str) -> list[str]:
    """The forms' file names without extension, unique, short enough for Windows' path limit
    with the draft mark, a number when two share a name (_2) and ".docx"."""
    reserve = units(suffix) + len("_99.docx")
    return naming.unique_stems(
        [fit_name(out_dir, naming.form_file_stem(a.form, a.data), reserve=reserve) for a in apps]
    )


def _bookmark(app: Application) -> str:
    """附件1　王建国（一种…）: a form's bookmark in 打印全部.pdf."""
    about = naming.headline(app.form, app.data)
    return f"附件{app.form.attachment_no}　{naming.subject(app.form, app.data)}" + (
        f"（{naming.shortened(about, 24)}）" if about else ""
    )


def combine(parts: Sequence[tuple[str, bytes]], *, title: str = "", author: str = "", duplex: bool = False) -> bytes:
    """The PDFs one after another, to print in one go: a bookmark for each (its title), the
    document's title and author (the sender union); with ``duplex`` a blank page where one is
    needed so that each starts on an odd page (the front of a sheet)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for name, pdf in parts:
        if duplex and len(writer.pages) % 2:
            writer.add_blank_page(width=A4_W, height=A4_H)
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
        writer.add_outline_item(title=name, page_number=start)
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": f"{APP_TITLE} {__version__}"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
