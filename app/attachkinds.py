"""Which kind of attachment a file is, guessed from its name and (for a PDF) its first page's text.

Several files added at once each get their own kind: 专利证书.jpg is the patent certificate,
企业应用证明.pdf the proof of application, never both the kind the drop-down happened to show.
Only the kinds the application's form defines are guessed. A name that fits two kinds equally
well, or none, gives no guess; then the page itself is read (``kinds_from_content``, OCR in the
window's background process: a photo of a certificate reads as the certificate, a proof by its
title), and only what that doesn't settle is asked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from zhutui.errors import InputError
from zhutui.formdef import FormDef, all_forms

# The words that name each kind, as people name their scans. The longest word found decides: in
# 企业应用证明（附证书）.pdf, 企业应用证明 (6) wins over 证书 (2). Equally long words of two
# kinds decide nothing.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "patent_certificate": ("发明专利证书", "专利证书", "证书"),
    "application_proof": ("企业应用证明", "应用证明", "使用证明", "应用情况"),
    "approval_document": ("立项文件", "立项批复", "立项", "批复"),
    "fund_proof": ("拨付", "凭证", "银行", "转账", "回单", "记账", "启动资金"),
    "studio_certificate": ("工作室认定", "认定", "牌匾"),
    "stamped_form": ("盖章申报表", "盖章申报书", "申报表", "申报书"),
    "other": ("其他", "其它"),
}

PDF_TEXT_LIMIT = 20_000  # characters of the first page looked at: a title is near the top
PDF_SIZE_LIMIT = 200 * 1024 * 1024  # bytes: a larger "PDF" is not opened just to guess


def _normal(text: str) -> str:
    """Full-width forms folded, case folded, every space and line break gone (PDF text often has
    a space between Chinese characters)."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _scores(text: str) -> dict[str, int]:
    """Each kind named in ``text``, with the length of its longest word found there."""
    haystack = _normal(text)
    scores: dict[str, int] = {}
    for kind, words in KEYWORDS.items():
        lengths = [len(word) for word in words if _normal(word) in haystack]
        if lengths:
            scores[kind] = max(lengths)
    return scores


def kind_from_text(form: FormDef, text: str) -> str | None:
    """The kind whose most specific word occurs in ``text``, when ``form`` defines it; None for
    no word, a tie between two kinds, or a kind this form has no place for (专利证书 in a
    project's attachments)."""
    scores = _scores(text)
    if not scores:
        return None
    top = max(scores.values())
    winners = [kind for kind, length in scores.items() if length == top]
    if len(winners) != 1 or form.attachment_kind(winners[0]) is None:
        return None
    return winners[0]


def first_page_text(path: Path) -> str:
    """The text layer of a PDF's first page; "" for a scan without one, a damaged or locked file,
    or anything that is not a readable PDF. Never raises."""
    try:
        if path.suffix.lower() != ".pdf" or path.stat().st_size > PDF_SIZE_LIMIT:
            return ""
        from pypdf import PasswordType, PdfReader  # imported lazily: only needed for PDFs

        from zhutui.scanpdf import quiet_pypdf

        with quiet_pypdf(), path.open("rb") as fh:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                return ""
            if len(reader.pages) == 0:
                return ""
            return (reader.pages[0].extract_text() or "")[:PDF_TEXT_LIMIT]
    except Exception:  # noqa: BLE001 - a guess only: any failure to read means no text
        return ""


def guess_kind(form: FormDef, path: Path) -> str | None:
    """The kind of attachment ``path`` is, from its file name, else (when the name names no kind
    at all) from its first page's text; None when neither says, or one says two things."""
    path = Path(path)
    if _scores(path.stem):
        return kind_from_text(form, path.stem)  # the page's text never overrules the name
    return kind_from_text(form, first_page_text(path))


def kinds_from_content(
    form_name: str,
    paths: list[str],
    *,
    progress: Callable[[int, int, str], None],
    cancelled: Callable[[], bool],
) -> list[str | None]:
    """The kind of each scan its name didn't say, read from its first page by OCR (a photo of a
    certificate reads as the certificate). Runs in the window's background process; a file
    that can't be read, or says nothing, gives None (the user is asked)."""
    from zhutui.certfile import first_page
    from zhutui.certificate import Line, is_certificate
    from zhutui.ocr import read_lines

    form = all_forms().get(form_name)
    if form is None:  # a form this process doesn't know: nothing to guess with
        return [None] * len(paths)
    kinds: list[str | None] = []
    for i, path in enumerate(paths):
        if cancelled():
            break
        progress(i, len(paths), f"正在识别 {Path(path).name} 的内容")
        try:
            page = first_page(Path(path))
        except InputError:
            kinds.append(None)
            continue
        lines = page if isinstance(page, list) else [Line(line.text, line.score) for line in read_lines(page)]
        if is_certificate(lines) and form.attachment_kind("patent_certificate") is not None:
            kinds.append("patent_certificate")
        else:
            kinds.append(kind_from_text(form, "\n".join(line.text for line in lines[:12])))
    return kinds
