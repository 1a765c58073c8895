"""Tests for app.scans: real files built in tmp_path with Pillow, reportlab and pypdf."""

from __future__ import annotations

import logging
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from zhutui import scans
from zhutui.scans import MIN_DPI, SUPPORTED_SUFFIXES, ScanInfo, dpi_at_a4, inspect_file

A4_SHORT_IN = 210 / 25.4
A4_LONG_IN = 297 / 25.4
TYPES = "JPEG、PNG、TIFF、BMP、PDF"


def _jpeg(path: Path, size: tuple[int, int] = (600, 400), orientation: int | None = None, **kwargs: object) -> Path:
    im = Image.effect_noise(size, 60).convert("RGB")  # noise: real entropy-coded data
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif
    im.save(path, "JPEG", quality=85, **kwargs)
    return path


def _png(path: Path, size: tuple[int, int]) -> Path:
    Image.new("L", size, 255).save(path, "PNG")
    return path


def _pdf(path: Path, pages: int) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.drawString(100, 700, f"page {n + 1}")
        c.showPage()
    c.save()
    return path


def _encrypted_pdf(path: Path, user: str, owner: str | None) -> Path:
    writer = PdfWriter(clone_from=_pdf(path.with_suffix(".plain.pdf"), 2))
    # RC4 works with pypdf's pure-Python fallback; AES needs the `cryptography` package.
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def _cut(path: Path, keep: float | int) -> Path:
    data = path.read_bytes()
    n = int(len(data) * keep) if isinstance(keep, float) else len(data) - keep
    path.write_bytes(data[:n])
    return path


def _ok(info: ScanInfo) -> None:
    assert info.problem is None, info.detail
    assert info.detail == ""


# --- good images ------------------------------------------------------------------------


def test_jpeg_with_exif_orientation_reports_upright_size(tmp_path: Path) -> None:
    info = inspect_file(_jpeg(tmp_path / "cert.jpg", (2000, 1500), orientation=6))
    _ok(info)
    assert (info.kind, info.format, info.pages) == ("image", "JPEG", 1)
    assert (info.width_px, info.height_px) == (1500, 2000)
    # short 1500 px / 8.27 in = 181.4, long 2000 px / 11.69 in = 171.0 -> the minimum
    assert info.dpi_at_a4 == pytest.approx(2000 / A4_LONG_IN)
    assert info.dpi_at_a4 == pytest.approx(171.04, abs=0.01)
    assert info.low_resolution is False
    assert info.resolution_detail == ""


@pytest.mark.parametrize(
    ("orientation", "size"), [(1, (2000, 1500)), (3, (2000, 1500)), (8, (1500, 2000)), (None, (2000, 1500))]
)
def test_jpeg_orientations(tmp_path: Path, orientation: int | None, size: tuple[int, int]) -> None:
    info = inspect_file(_jpeg(tmp_path / "x.jpg", (2000, 1500), orientation=orientation))
    _ok(info)
    assert (info.width_px, info.height_px) == size


def test_progressive_jpeg(tmp_path: Path) -> None:
    info = inspect_file(_jpeg(tmp_path / "p.jpg", progressive=True))
    _ok(info)
    assert (info.format, info.width_px, info.height_px) == ("JPEG", 600, 400)


def test_png(tmp_path: Path) -> None:
    info = inspect_file(_png(tmp_path / "scan.png", (1000, 1414)))
    _ok(info)
    assert (info.kind, info.format, info.pages, info.width_px, info.height_px) == ("image", "PNG", 1, 1000, 1414)
    # short side 1000 / 8.27 in = 120.95 dpi, long side 1414 / 11.69 in = 120.93 dpi
    assert info.dpi_at_a4 == pytest.approx(1414 / A4_LONG_IN)
    assert info.dpi_at_a4 < 1000 / A4_SHORT_IN
    assert info.low_resolution is True


@pytest.mark.parametrize("compression", ["raw", "tiff_lzw", "group4"])
def test_multipage_tiff(tmp_path: Path, compression: str) -> None:
    frames = [Image.new("1", (1654, 2339), 1) for _ in range(3)]  # A4 at 200 dpi
    path = tmp_path / "fax.tif"
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:], compression=compression)
    info = inspect_file(path)
    _ok(info)
    assert (info.format, info.pages, info.width_px, info.height_px) == ("TIFF", 3, 1654, 2339)
    assert info.dpi_at_a4 == pytest.approx(2339 / A4_LONG_IN)  # 200.03
    assert not info.low_resolution


def test_bmp(tmp_path: Path) -> None:
    path = tmp_path / "scan.bmp"
    Image.new("RGB", (1300, 1800), "white").save(path, "BMP")
    info = inspect_file(path)
    _ok(info)
    assert (info.kind, info.format, info.pages, info.width_px, info.height_px) == ("image", "BMP", 1, 1300, 1800)


def test_png_named_jpg_is_fine(tmp_path: Path) -> None:
    info = inspect_file(_png(tmp_path / "photo.jpg", (1300, 1800)))
    _ok(info)
    assert (info.format, info.width_px) == ("PNG", 1300)


def test_pdf_named_jpg_is_fine(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.jpg", 1)
    info = inspect_file(path)
    _ok(info)
    assert (info.kind, info.format, info.pages) == ("pdf", "PDF", 1)


def test_jpeg_with_trailing_padding_or_appended_video(tmp_path: Path) -> None:
    padded = _jpeg(tmp_path / "padded.jpg")
    padded.write_bytes(padded.read_bytes() + bytes(200))
    _ok(inspect_file(padded))
    # Motion photo: an MP4 appended after the JPEG's EOI, far longer than 1 KB.
    motion = _jpeg(tmp_path / "motion.jpg")
    motion.write_bytes(motion.read_bytes() + b"\x00\x00\x00\x18ftypmp42" + os.urandom(50_000))
    info = inspect_file(motion)
    _ok(info)
    assert (info.width_px, info.height_px) == (600, 400)


def test_png_with_data_after_iend(tmp_path: Path) -> None:
    path = _png(tmp_path / "x.png", (300, 300))
    path.write_bytes(path.read_bytes() + os.urandom(5000))
    _ok(inspect_file(path))


def test_accepts_str_path(tmp_path: Path) -> None:
    path = _png(tmp_path / "x.png", (10, 10))
    info = inspect_file(str(path))
    _ok(info)
    assert info.path == path


# --- corrupt / unsupported --------------------------------------------------------------


def test_truncated_jpeg(tmp_path: Path) -> None:
    info = inspect_file(_cut(_jpeg(tmp_path / "t.jpg", (800, 600)), 0.7))
    assert (info.problem, info.kind, info.format) == ("A002", "image", "JPEG")
    assert "不完整或已损坏" in info.detail and "重新扫描" in info.detail
    assert info.width_px is None and info.dpi_at_a4 is None and not info.low_resolution


def test_truncated_progressive_jpeg_missing_only_eoi(tmp_path: Path) -> None:
    info = inspect_file(_cut(_jpeg(tmp_path / "t.jpg", progressive=True), 2))
    assert (info.problem, info.format) == ("A002", "JPEG")


def test_jpeg_cut_inside_header(tmp_path: Path) -> None:
    info = inspect_file(_cut(_jpeg(tmp_path / "t.jpg", orientation=6), 0.01))
    assert (info.problem, info.format) == ("A002", "JPEG")


@pytest.mark.parametrize("keep", [0.7, 12])  # 70 % of the file; everything but IEND
def test_truncated_png(tmp_path: Path, keep: float | int) -> None:
    path = tmp_path / "t.png"
    Image.effect_noise((500, 500), 60).save(path, "PNG")
    info = inspect_file(_cut(path, keep))
    assert (info.problem, info.kind, info.format) == ("A002", "image", "PNG")


def test_truncated_bmp(tmp_path: Path) -> None:
    path = tmp_path / "t.bmp"
    Image.new("RGB", (400, 300)).save(path, "BMP")
    info = inspect_file(_cut(path, 1000))
    assert (info.problem, info.format) == ("A002", "BMP")


def test_truncated_tiff(tmp_path: Path) -> None:
    path = tmp_path / "t.tif"
    Image.effect_noise((400, 300), 60).save(path, "TIFF")  # pixel data after the header
    info = inspect_file(_cut(path, 0.5))
    assert (info.problem, info.format) == ("A002", "TIFF")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\x13\x37" + os.urandom(4096))
    info = inspect_file(path)
    assert (info.problem, info.kind, info.format, info.pages) == ("A002", None, None, 0)
    assert TYPES in info.detail and "PDF 或 JPEG" in info.detail


def test_jpeg_magic_with_garbage(tmp_path: Path) -> None:
    path = tmp_path / "x.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 4000)
    info = inspect_file(path)
    assert (info.problem, info.format) == ("A002", "JPEG")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.touch()
    info = inspect_file(path)
    assert info.problem == "A002"
    assert "空的" in info.detail and TYPES in info.detail and "PDF 或 JPEG" in info.detail


def test_docx_like_zip(tmp_path: Path) -> None:
    path = tmp_path / "证明.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    info = inspect_file(path)
    assert (info.problem, info.kind) == ("A002", None)
    assert "Word" in info.detail and TYPES in info.detail and "PDF 或 JPEG" in info.detail


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "note.pdf"
    path.write_text("这不是扫描件", encoding="utf-8")
    assert inspect_file(path).problem == "A002"


@pytest.mark.skipif(scans.HEIF_AVAILABLE, reason="a HEIF decoder is installed")
def test_heic_without_decoder(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100))
    info = inspect_file(path)
    assert info.problem == "A002"
    assert "HEIC" in info.detail and "JPEG" in info.detail
    assert ".heic" not in SUPPORTED_SUFFIXES


def test_decompression_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _png(tmp_path / "huge.png", (200, 200))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 40,000 px > 2 × limit
    info = inspect_file(path)
    assert (info.problem, info.format) == ("A002", "PNG")
    assert "像素数过大" in info.detail


# --- missing / unreadable ---------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    info = inspect_file(tmp_path / "nope.jpg")
    assert (info.problem, info.kind, info.pages) == ("A001", None, 0)
    assert "文件不存在" in info.detail and "重新选择" in info.detail


def test_directory(tmp_path: Path) -> None:
    info = inspect_file(tmp_path)
    assert info.problem == "A001"
    assert "文件夹" in info.detail


def test_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _png(tmp_path / "locked.png", (10, 10))

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # Root ignores file modes, so deny the open itself (the module's own name lookup).
    monkeypatch.setattr("zhutui.scans.open", deny, raising=False)
    info = inspect_file(path)
    assert info.problem == "A001"
    assert "无法读取" in info.detail


# --- PDFs -------------------------------------------------------------------------------


def test_pdf_two_pages(tmp_path: Path) -> None:
    info = inspect_file(_pdf(tmp_path / "proof.pdf", 2))
    _ok(info)
    assert (info.kind, info.format, info.pages) == ("pdf", "PDF", 2)
    assert (info.width_px, info.height_px, info.dpi_at_a4) == (None, None, None)
    assert info.low_resolution is False


@pytest.mark.parametrize("keep", [0.7, 10])  # 70 % of the file; everything but "%%EOF\n"
def test_truncated_pdf(tmp_path: Path, keep: float | int) -> None:
    info = inspect_file(_cut(_pdf(tmp_path / "t.pdf", 2), keep))
    assert (info.problem, info.kind, info.format) == ("A002", "pdf", "PDF")
    assert "PDF 文件不完整或已损坏" in info.detail


def test_pdf_header_with_garbage(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(3000) + b"\n%%EOF\n")
    info = inspect_file(path)
    assert (info.problem, info.format) == ("A002", "PDF")


def test_pdf_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    with path.open("wb") as fh:
        PdfWriter().write(fh)
    info = inspect_file(path)
    assert (info.problem, info.format) == ("A002", "PDF")
    assert "没有任何页面" in info.detail


def test_pdf_with_user_password(tmp_path: Path) -> None:
    path = _encrypted_pdf(tmp_path / "locked.pdf", user="secret", owner=None)
    assert PdfReader(path).is_encrypted  # the fixture really is encrypted
    info = inspect_file(path)
    assert (info.problem, info.kind, info.format, info.pages) == ("A003", "pdf", "PDF", 0)
    assert "密码" in info.detail and "重新选择" in info.detail


def test_pdf_with_owner_password_only(tmp_path: Path) -> None:
    path = _encrypted_pdf(tmp_path / "restricted.pdf", user="", owner="owner-secret")
    assert PdfReader(path).is_encrypted
    info = inspect_file(path)
    _ok(info)
    assert (info.kind, info.pages) == ("pdf", 2)


def test_pypdf_noise_is_suppressed_and_level_restored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = _pdf(tmp_path / "src.pdf", 2).read_bytes()
    start = data.rindex(b"startxref") + len(b"startxref\n")
    offset = int(data[start:].split()[0])
    path = tmp_path / "bad-xref.pdf"  # wrong startxref pointer: pypdf repairs it and logs
    path.write_bytes(data[:start] + str(offset - 7).encode() + data[start + len(str(offset)) :])
    logger = logging.getLogger("pypdf")
    before = logger.level
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        assert len(PdfReader(path).pages) == 2
        assert any(r.name.startswith("pypdf") for r in caplog.records)  # noisy on its own
        caplog.clear()
        info = inspect_file(path)
        assert caplog.records == []
    _ok(info)
    assert info.pages == 2
    assert logger.level == before


# --- resolution -------------------------------------------------------------------------


def test_low_resolution(tmp_path: Path) -> None:
    info = inspect_file(_png(tmp_path / "small.png", (800, 1100)))
    _ok(info)  # low resolution is a warning (A004), not a problem
    # short side 800 / 8.27 = 96.8 dpi, long side 1100 / 11.69 = 94.1 dpi -> 94.1
    assert info.dpi_at_a4 == pytest.approx(1100 / A4_LONG_IN)
    assert info.dpi_at_a4 == pytest.approx(94.07, abs=0.01)
    assert info.low_resolution is True
    assert "94 dpi" in info.resolution_detail and str(MIN_DPI) in info.resolution_detail


# The exact thresholds: 150 dpi × 210/25.4 in = 1240.16 px, 150 dpi × 297/25.4 in = 1753.94 px.
@pytest.mark.parametrize(
    ("size", "low"),
    [
        ((1241, 1754), False),  # first sizes at or above 150 dpi on both sides
        ((1754, 1241), False),  # landscape is matched to A4 landscape
        ((1240, 1754), True),  # short side 149.98 dpi
        ((1241, 1753), True),  # long side 149.92 dpi
        ((1240, 1753), True),
    ],
)
def test_resolution_boundary(tmp_path: Path, size: tuple[int, int], low: bool) -> None:
    info = inspect_file(_png(tmp_path / "b.png", size))
    _ok(info)
    assert info.low_resolution is low
    assert (info.dpi_at_a4 is not None and info.dpi_at_a4 >= MIN_DPI) is not low


def test_dpi_formula_values() -> None:
    assert dpi_at_a4(1241, 1754) == pytest.approx(150.005, abs=0.001)
    assert dpi_at_a4(1240, 1754) == pytest.approx(149.981, abs=0.001)
    assert dpi_at_a4(1241, 1753) == pytest.approx(149.920, abs=0.001)
    assert dpi_at_a4(2480, 3508) == pytest.approx(299.962, abs=0.001)  # "A4 at 300 dpi"
    assert dpi_at_a4(3508, 2480) == dpi_at_a4(2480, 3508)


def test_supported_suffixes() -> None:
    assert {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf"} <= SUPPORTED_SUFFIXES
    assert (".heic" in SUPPORTED_SUFFIXES) is scans.HEIF_AVAILABLE


# --- scanned pages inside a PDF ---------------------------------------------------------


def _scan_pdf(path: Path, sizes: list[tuple[int, int] | None], pagesize: tuple[float, float] = A4) -> Path:
    """A scanner's PDF: each page one JPEG drawn over the whole page (None: a page of text)."""
    c = canvas.Canvas(str(path), pagesize=pagesize)
    for n, size in enumerate(sizes):
        if size is None:
            c.drawString(100, 700, f"page {n + 1}")
        else:
            jpeg = path.with_name(f"{path.stem}-{n}.jpg")
            Image.new("L", size, 250).save(jpeg, "JPEG")  # plain: quick to write at 300 dpi too
            c.drawImage(str(jpeg), 0, 0, width=pagesize[0], height=pagesize[1])
        c.showPage()
    c.save()
    return path


def test_low_resolution_scan_in_a_pdf(tmp_path: Path) -> None:
    info = inspect_file(_scan_pdf(tmp_path / "scan.pdf", [(300, 420)]))
    _ok(info)
    assert (info.kind, info.pages, info.low_page) == ("pdf", 1, 1)
    # 300 px across 8.27 in, 420 px up 11.69 in: the coarser, 35.9 dpi (as the same image would be)
    assert info.dpi_at_a4 == pytest.approx(dpi_at_a4(300, 420), rel=1e-3)
    assert info.low_resolution is True


def test_a4_scan_at_300_dpi_in_a_pdf(tmp_path: Path) -> None:
    info = inspect_file(_scan_pdf(tmp_path / "scan.pdf", [(2480, 3508)]))
    _ok(info)
    assert info.dpi_at_a4 == pytest.approx(dpi_at_a4(2480, 3508), rel=1e-3)
    assert info.low_resolution is False


def test_pillow_pdf_of_a_small_image(tmp_path: Path) -> None:
    """Pillow makes the page as large as the image at its resolution (300 × 420 pt at 72 dpi).
    Printed, the page is scaled to fit A4 (its width binds): 300 px over 8.27 in."""
    path = tmp_path / "photo.pdf"
    Image.effect_noise((300, 420), 60).convert("RGB").save(path, "PDF", resolution=72)
    info = inspect_file(path)
    _ok(info)
    assert info.dpi_at_a4 == pytest.approx(300 / A4_SHORT_IN, rel=1e-3)
    assert info.low_resolution is True


def test_the_coarsest_scanned_page_is_reported(tmp_path: Path) -> None:
    info = inspect_file(_scan_pdf(tmp_path / "three.pdf", [(2480, 3508), None, (620, 877)]))
    _ok(info)
    assert info.pages == 3 and info.low_page == 3
    assert info.dpi_at_a4 == pytest.approx(75, abs=0.1)


def test_a_pdf_without_scans_has_no_resolution(tmp_path: Path) -> None:
    info = inspect_file(_pdf(tmp_path / "text.pdf", 2))
    _ok(info)
    assert info.dpi_at_a4 is None and info.low_page is None and info.low_resolution is False


def test_a_small_picture_on_a_page_is_no_scan(tmp_path: Path) -> None:
    """A logo of 60 × 60 px on a typed page: the page is not a scan, its resolution no matter."""
    path = tmp_path / "letter.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(100, 700, "letter")
    c.drawImage(str(_jpeg(tmp_path / "logo.jpg", (60, 60))), 50, 750, width=60, height=60)
    c.save()
    info = inspect_file(path)
    _ok(info)
    assert info.dpi_at_a4 is None


def test_a_landscape_scan_drawn_turned_on_a_portrait_page(tmp_path: Path) -> None:
    path = tmp_path / "turned.pdf"
    jpeg = tmp_path / "wide.jpg"
    Image.new("L", (3508, 2480), 250).save(jpeg, "JPEG")
    c = canvas.Canvas(str(path), pagesize=A4)
    c.translate(A4[0], 0)
    c.rotate(90)
    c.drawImage(str(jpeg), 0, 0, width=A4[1], height=A4[0])
    c.save()
    info = inspect_file(path)
    assert info.dpi_at_a4 == pytest.approx(dpi_at_a4(2480, 3508), rel=1e-3)


def test_a_scan_drawn_inside_a_form(tmp_path: Path) -> None:
    path = tmp_path / "form.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.beginForm("page")
    c.drawImage(str(_jpeg(tmp_path / "s.jpg", (300, 420))), 0, 0, width=A4[0], height=A4[1])
    c.endForm()
    c.doForm("page")
    c.save()
    info = inspect_file(path)
    _ok(info)
    assert info.low_page == 1 and info.dpi_at_a4 == pytest.approx(dpi_at_a4(300, 420), rel=1e-3)


def test_a_sharp_mask_over_a_coarse_colour_layer_is_sharp(tmp_path: Path) -> None:
    """A scanner's compact PDF: a coarse colour image with the text in a sharp 1-bit /SMask."""
    from pypdf.generic import DecodedStreamObject, NameObject, NumberObject

    path = _scan_pdf(tmp_path / "compact.pdf", [(620, 877)])
    writer = PdfWriter(clone_from=path)
    mask = DecodedStreamObject()
    mask.set_data(b"\xff" * (2480 // 8 * 3508))
    mask.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(2480),
            NameObject("/Height"): NumberObject(3508),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(1),
        }
    )
    image = next(iter(writer.pages[0]["/Resources"]["/XObject"].values())).get_object()
    image[NameObject("/SMask")] = writer._add_object(mask)
    out = tmp_path / "compact2.pdf"
    writer.write(out)
    assert inspect_file(path).low_resolution is True
    info = inspect_file(out)
    _ok(info)
    assert info.dpi_at_a4 == pytest.approx(dpi_at_a4(2480, 3508), rel=1e-3)


def test_image_data_is_never_decoded(tmp_path: Path) -> None:
    """The resolution comes from the image's /Width and /Height: an image whose data is
    garbage (it would fail to decode) is measured all the same."""
    from pypdf.generic import DecodedStreamObject, NameObject, NumberObject

    writer = PdfWriter(clone_from=_scan_pdf(tmp_path / "scan.pdf", [(2480, 3508)]))
    xobjects = writer.pages[0]["/Resources"]["/XObject"]
    garbage = DecodedStreamObject()
    garbage.set_data(b"not a JPEG at all" * 100)
    garbage.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(300),
            NameObject("/Height"): NumberObject(420),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    xobjects[next(iter(xobjects))] = writer._add_object(garbage)
    out = tmp_path / "garbage.pdf"
    writer.write(out)
    info = inspect_file(out)
    _ok(info)
    assert info.low_resolution is True and info.low_page == 1


def test_odd_drawing_commands_leave_the_resolution_unknown(tmp_path: Path) -> None:
    """A transformation with a name among its numbers: nothing to measure, and no damage."""
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=_scan_pdf(tmp_path / "scan.pdf", [(300, 420)]))
    page = writer.pages[0]
    name = next(iter(page["/Resources"]["/XObject"]))
    contents = DecodedStreamObject()
    contents.set_data(f"q 595.27 0 0 841.89 /Oops 0 cm {name} Do Q".encode())
    page[NameObject("/Contents")] = writer._add_object(contents)
    out = tmp_path / "odd.pdf"
    writer.write(out)
    info = inspect_file(out)
    _ok(info)
    assert info.pages == 1 and info.dpi_at_a4 is None


def test_scans_in_encrypted_and_broken_pdfs_keep_their_findings(tmp_path: Path) -> None:
    scan = _scan_pdf(tmp_path / "scan.pdf", [(300, 420)])
    writer = PdfWriter(clone_from=scan)
    writer.encrypt(user_password="secret", owner_password=None, algorithm="RC4-128")
    with (tmp_path / "locked.pdf").open("wb") as fh:
        writer.write(fh)
    locked = inspect_file(tmp_path / "locked.pdf")
    assert (locked.problem, locked.dpi_at_a4) == ("A003", None)
    # Opened without a password (an owner password only): measured like any other.
    writer = PdfWriter(clone_from=scan)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    with (tmp_path / "restricted.pdf").open("wb") as fh:
        writer.write(fh)
    assert inspect_file(tmp_path / "restricted.pdf").low_resolution is True
    cut = inspect_file(_cut(_scan_pdf(tmp_path / "cut.pdf", [(300, 420)]), 0.6))
    assert (cut.problem, cut.dpi_at_a4) == ("A002", None)
