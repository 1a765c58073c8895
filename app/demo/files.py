"""Writing the attachment files of a demo batch: phone photos (JPEG with EXIF), scanner PDFs,
and the spoiled variants (missing, truncated, encrypted, low resolution). Runs in threads:
Pillow releases the GIL while resizing and encoding, and each file has its own seed."""

from __future__ import annotations

import hashlib
import io
import os
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageChops

from zhutui.demo.data import AttSpec, DemoApp
from zhutui.demo.documents import Page, pages_for
from zhutui.demo.photos import photo
from zhutui.demo.scans import JPEG_QUALITY, LOWRES_SIZE, SCAN_DPI, Renderer, draw_page
from zhutui.outputs.images import jpeg_reader

if TYPE_CHECKING:
    from pypdf import PdfWriter

ENCRYPT_PASSWORD = "123456"


@dataclass
class Job:
    spec: AttSpec
    app: DemoApp
    path: Path


def scan(page: Page, r: Renderer, rng: random.Random) -> bytes:
    """A flatbed scan at SCAN_DPI: white page, a hint of skew and grain; JPEG bytes."""
    w, h = int(210 / 25.4 * SCAN_DPI), int(297 / 25.4 * SCAN_DPI)
    image = draw_page(page, w, h, (250, 250, 247), r, rng)
    angle = rng.uniform(-0.6, 0.6)
    image = image.rotate(angle, Image.Resampling.BICUBIC, fillcolor=(252, 252, 250))
    image = ImageChops.add(image, r.grain((w, h), 3), 1, -128)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, dpi=(SCAN_DPI, SCAN_DPI))
    return out.getvalue()


def _fixed_file_id(writer: PdfWriter, file_id: bytes) -> None:
    """pypdf draws the file identifier (which keys RC4 encryption) from ``secrets``; a fixed
    one keeps the encrypted demo PDF reproducible."""
    from pypdf.generic import ArrayObject, ByteStringObject

    def generate() -> None:
        writer._ID = ArrayObject((ByteStringObject(file_id), ByteStringObject(file_id)))

    writer.generate_file_identifiers = generate  # type: ignore[method-assign]  # deliberately replaced


def _pdf(path: Path, scans: list[bytes], encrypt: bool) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from zhutui.outputs import pdfdoc  # noqa: F401 - binary streams, as scanners write (no ASCII85)

    class ScannerCanvas(canvas.Canvas):
        """Pages of images only, as a scanner writes them: no font at all (a plain canvas
        names an unembedded Helvetica in every page's preamble)."""

        def _make_preamble(self) -> None:
            self._preamble = "1 0 0 1 0 0 cm"

    buf = io.BytesIO()
    c = ScannerCanvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(path.stem)
    c.setCreator("Scanner")
    for data in scans:
        c.drawImage(jpeg_reader(data), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    payload = buf.getvalue()
    if encrypt:
        from pypdf import PdfWriter

        writer = PdfWriter(clone_from=io.BytesIO(payload))
        _fixed_file_id(writer, hashlib.md5(payload).digest())
        # RC4 works with pypdf's pure-Python fallback; AES needs the `cryptography` package.
        writer.encrypt(user_password=ENCRYPT_PASSWORD, owner_password=None, algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        payload = out.getvalue()
    path.write_bytes(payload)


def render(job: Job, r: Renderer) -> None:
    spec = job.spec
    if spec.variant == "missing":
        return
    rng = random.Random(spec.seed)
    pages = pages_for(spec, job.app, rng)
    year = job.app.data["plan_year"]
    job.path.parent.mkdir(parents=True, exist_ok=True)
    if spec.shape == "scan_pdf":
        _pdf(job.path, [scan(p, r, rng) for p in pages], spec.variant == "encrypted")
        return
    if spec.variant == "lowres":
        image, exif = photo(pages[0], r, rng, 1, year, final=(1500, 2000))
        image = image.resize(LOWRES_SIZE, Image.Resampling.LANCZOS)
        image.save(job.path, "JPEG", quality=JPEG_QUALITY, exif=exif)
        return
    image, exif = photo(pages[0], r, rng, spec.orientation, year, tagged=spec.tagged)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY + rng.randint(-4, 2), exif=exif)
    data = out.getvalue()
    if spec.variant == "truncated":  # the copy broke off: only part of the file arrived
        data = data[: int(len(data) * rng.uniform(0.45, 0.7))]
    job.path.write_bytes(data)


def render_all(jobs: list[Job], r: Renderer) -> None:
    workers = max(1, min(3, os.cpu_count() or 1))
    if workers == 1 or len(jobs) < 2:
        for job in jobs:
            render(job, r)
        return
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(render, job, r) for job in jobs]:
            future.result()
