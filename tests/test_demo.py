"""``zhutui demo``: a realistic batch that passes every check, the planted faults that every
check finds, scans that look like scans, determinism, and refusing to mix batches.

The two 50 + 5 batches are generated once per module (about 20 s each on two cores)."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps
from pypdf import PdfReader

from zhutui import appfile, cli
from zhutui import identifiers as ids
from zhutui.certificate import Line, read_certificate
from zhutui.checks import check_batch
from zhutui.demo import FAULTS_FILE, application_data, generate, prepare, resolve_path
from zhutui.demo.data import AttSpec, DemoApp
from zhutui.demo.documents import DEMO_MARK, Page, pages_for
from zhutui.demo.files import ENCRYPT_PASSWORD
from zhutui.demo.photos import upright
from zhutui.demo.scans import SEAL_RED, Renderer, draw_page, find_font
from zhutui.plans import get_plan

TODAY = "2022-10-20"
ALL_CODES = {
    *(f"F0{n:02d}" for n in (1, 2, 3, 10, 11, 12, 13, 14)),
    *(f"P0{n:02d}" for n in (*range(1, 13), 20)),
    *(f"J0{n:02d}" for n in range(1, 16)),
    "A001",
    "A002",
    "A003",
    "A004",
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZHUTUI_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))
        yield


@pytest.fixture(scope="module")
def valid_dir(tmp_path_factory, data_dir) -> Path:
    out = tmp_path_factory.mktemp("demo") / "示例申报"
    assert cli.main(["demo", str(out), "--patents", "50", "--projects", "5"]) == 0
    return out


@pytest.fixture(scope="module")
def faulty(tmp_path_factory, data_dir):
    out = tmp_path_factory.mktemp("demo") / "含错误"
    return out, generate(out, patents=50, projects=5, with_errors=True, seed=7)


def _check(capsys, folder: Path, *extra: str) -> tuple[int, list[dict]]:
    status = cli.main(["check", str(folder), "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert status != 2, err
    return status, json.loads(out)["findings"]


def _errors(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == "error"]


# --------------------------------------------------------------------------- valid batch


def test_valid_batch_passes_every_check(valid_dir, capsys):
    status, findings = _check(capsys, valid_dir, "--today", TODAY)
    problems = [f for f in findings if f["severity"] != "info"]
    assert status == 0 and not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    assert {f["code"] for f in findings} <= {"P021", "J021"}  # "其他" is only advice


def test_valid_batch_after_the_deadline_only_warns(valid_dir, capsys):
    status, findings = _check(capsys, valid_dir)
    assert status == 0, json.dumps(_errors(findings), ensure_ascii=False, indent=1)
    if dt.date.today() > dt.date(2022, 11, 1):
        assert "D001" in {f["code"] for f in findings}


def test_layout_and_content(valid_dir):
    patents = sorted((valid_dir / "发明专利").glob("*.json"))
    projects = sorted((valid_dir / "创新项目").glob("*.json"))
    assert len(patents) == 50 and len(projects) == 5
    assert set(valid_dir.rglob("*.json")) == {*patents, *projects}
    assert not (valid_dir / FAULTS_FILE).exists()
    for path in patents + projects:
        assert re.fullmatch(r"\d{2}_[\u4e00-\u9fff·]+", path.stem), path.name
        raw = path.read_text(encoding="utf-8")
        app = appfile.load(path)
        assert raw == app.canonical_json()  # saved canonically, Chinese not escaped
        for entry in app.data["attachments"]:
            assert Path(entry["file"]).parts[0] == path.stem
            assert (path.parent / entry["file"]).is_file()
    apps = [appfile.load(p) for p in patents]
    assert len({a.get("inventor.id_number") for a in apps}) == 50
    assert len({a.get("patent.number") for a in apps}) == 50
    assert len({a.get("superior_union.name") for a in apps}) == 1
    for a in apps:
        assert a.get("patent.title").startswith("一种")
        assert a.get("patent.inventors")[0] == a.get("inventor.name")
        assert a.get("patent.patentee") == a.get("inventor.employer")
        assert a.get("inventor.union_card_no").isdigit() and len(a.get("inventor.union_card_no")) == 19
        assert 1965 <= int(a.get("inventor.id_number")[6:10]) <= 1998
    for path in projects:
        p = appfile.load(path).data["project"]
        assert 3 <= len(p["team"]) <= 6
        for key in ("background", "content", "innovation", "goals", "talent_plan", "foundation"):
            assert 200 <= len(p[key]) <= 800, (key, len(p[key]))


# --------------------------------------------------------------------------- planted faults


def test_every_planted_fault_is_found(faulty, capsys):
    out, result = faulty
    assert {f.code for f in result.faults} == ALL_CODES  # 50 + 5 has room for every code
    status, findings = _check(capsys, out, "--today", TODAY)
    assert status == 1
    found = {(str(Path(f["file"]).resolve()), f["code"], f["path"]) for f in findings}
    missing = [f for f in result.faults if (str(f.file.resolve()), f.code, f.path) not in found]
    assert not missing, missing
    assert len({f.file for f in result.faults}) >= 25  # spread over many applications


def test_faults_file_lists_every_fault(faulty):
    out, result = faulty
    assert result.faults_file == out / FAULTS_FILE
    text = result.faults_file.read_text(encoding="utf-8")
    assert "| 文件 | 代码 | 字段 | 说明 |" in text
    for f in result.faults:
        assert f"| {f.file.relative_to(out).as_posix()} | {f.code} | `{f.path}` |" in text


def test_encrypted_pdf_opens_with_its_password(faulty):
    _, result = faulty
    fault = next(f for f in result.faults if f.code == "A003")
    app = appfile.load(fault.file)
    index = int(re.search(r"\[(\d+)\]", fault.path).group(1))
    reader = PdfReader(fault.file.parent / app.data["attachments"][index]["file"])
    assert reader.is_encrypted and reader.decrypt(ENCRYPT_PASSWORD)
    assert len(reader.pages) == 1


@pytest.mark.parametrize("year", [2022, 2021])
def test_many_seeds_in_memory(year):
    """Without files: valid batches have no finding but advice, planted faults are all found."""
    plan = get_plan(year)
    today = dt.date(year, 10, 20)
    for seed in range(25):
        rng = random.Random(seed)
        patents, projects = rng.choice((0, 1, 2, 5, 12)), rng.choice((0, 1, 2, 3, 4, 7))
        for with_errors in (False, True):
            batch, planted = prepare(plan, patents=patents, projects=projects, with_errors=with_errors, seed=seed)
            apps = [appfile.from_data(application_data(a), Path("/nowhere") / a.rel_json) for a in batch.apps]
            findings = [f for f in check_batch(apps, today) if f.code != "A001"]  # no files here
            if not with_errors:
                assert [f for f in findings if f.severity != "info"] == [], (seed, findings)
                continue
            found = {(f.file, f.code, f.path) for f in findings}
            for p in planted:
                if p.code.startswith("A"):
                    continue
                key = (str(Path("/nowhere") / p.app.rel_json), p.code, resolve_path(p.path, p.app))
                assert key in found, (seed, patents, projects, p.code, p.path)


# --------------------------------------------------------------------------- scans


def _attachments(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.rglob(f"*{suffix}") if p.parent.parent.name in ("发明专利", "创新项目"))


def _red_pixels(image: Image.Image) -> int:
    """Pixels that are truly red (seal ink), counted on an 800 px copy."""
    return _red_mask(image).histogram()[255]


def _red_mask(image: Image.Image, least: int = 140, over_green: int = 80) -> Image.Image:
    small = ImageOps.exif_transpose(image).convert("RGB")
    small.thumbnail((800, 800))
    r, g, b = small.split()
    masks = (
        r.point(lambda v: 255 * (v > least)),
        g.point(lambda v: 255 * (v < 90)),
        b.point(lambda v: 255 * (v < 90)),
        ImageChops.subtract(r, g).point(lambda v: 255 * (v > over_green)),
    )
    combined = masks[0]
    for mask in masks[1:]:
        combined = ImageChops.darker(combined, mask)
    return combined


def _valid_specs(valid_dir: Path) -> dict[Path, tuple[AttSpec, DemoApp]]:
    """The attachments of the valid batch (the command's defaults: seed 2022) by file."""
    batch, _ = prepare(get_plan(2022), patents=50, projects=5, with_errors=False, seed=2022)
    return {
        valid_dir / app.folder / app.stem / spec.name: (spec, app) for app in batch.apps for spec in app.attachments
    }


def test_photos_look_like_phone_photos(valid_dir):
    photos = _attachments(valid_dir, ".jpg")
    specs = _valid_specs(valid_dir)
    assert len(photos) >= 40
    orientations, untagged = set(), set()
    for path in photos:
        spec, _ = specs[path]
        with Image.open(path) as im:
            assert im.format == "JPEG"
            assert 3000 <= max(im.size) <= 4000, (path, im.size)
            orientation = im.getexif().get(0x0112)
            assert orientation == (spec.orientation if spec.tagged else None), path
            orientations.add(orientation)
            if not spec.tagged:
                untagged.add(spec.orientation)
                assert (im.width > im.height) == (spec.orientation in (6, 8)), path  # lying sideways
            w, h = upright(im, spec).size
            assert h > w, path  # upright: an A4 page in portrait
        assert 700_000 <= path.stat().st_size <= 2_500_000, (path, path.stat().st_size)
    assert orientations & {3, 6, 8} and 1 in orientations
    assert untagged & {6, 8}  # some lie on their side with no EXIF to say so
    for path in photos[:12]:
        with Image.open(path) as im:
            mask = _red_mask(upright(im, specs[path][0]), least=100, over_green=60)  # in the hand's shadow, too
        assert mask.histogram()[255] > 150, path  # the seal is truly red (smaller with more desk around)
        left, _, right, _ = mask.getbbox()
        assert (left + right) / 2 > mask.width / 2, path  # seals sit on the right: page upright


def _sheet_corners(im: Image.Image) -> tuple[list[tuple[float, float]], float]:
    """The sheet's outline in a photo (800 px): the corners of the largest bright region, and
    its share of the picture."""
    import cv2
    import numpy as np

    small = im.convert("L")
    small.thumbnail((800, 800))
    grey = cv2.GaussianBlur(np.asarray(small), (5, 5), 0)
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    outline = max(contours, key=cv2.contourArea)
    corners = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True).reshape(-1, 2)
    return [(float(x), float(y)) for x, y in corners], cv2.contourArea(outline) / grey.size


def _off_rectangle(corners: list[tuple[float, float]]) -> float:
    """How far (px) the corners are from the nearest rectangle's (the least-area one around them)."""
    import cv2
    import numpy as np

    box = cv2.boxPoints(cv2.minAreaRect(np.array(corners, dtype=np.float32)))
    return max(min(float(np.hypot(x - bx, y - by)) for bx, by in box) for x, y in corners)


def test_photos_show_the_sheet_at_a_slant_with_desk_around_it(valid_dir):
    """The sheet's four corners, measured from the picture, are no rectangle (the camera was not
    straight above it, as the old demo photos were); its edges stay in view, with more or less
    desk around them."""
    specs = _valid_specs(valid_dir)
    photos = _attachments(valid_dir, ".jpg")[:16]
    slanted, shares = 0, []
    for path in photos:
        with Image.open(path) as im:
            corners, share = _sheet_corners(upright(im, specs[path][0]))
        if len(corners) != 4:
            continue  # another paper, the pen or a shadow joined the sheet's outline
        shares.append(share)
        slanted += _off_rectangle(corners) > 4
    assert len(shares) >= len(photos) * 0.6
    assert slanted >= len(shares) * 0.75, (slanted, len(shares))
    assert all(share < 0.9 for share in shares)  # desk on every side
    assert max(shares) - min(shares) > 0.15  # more desk in some than in others


def test_the_certificate_says_what_the_application_says(valid_dir):
    """The patent certificate's page carries every line of the real one (证书号, 发明名称, 发明人,
    专利号 spaced as printed, 专利申请日, 专利权人, 地址, 授权公告日, 授权公告号, the office's
    paragraph, 局长, the office's seal) and the demo marking; read as an OCR engine's lines, its
    fields are the application's."""
    seen = 0
    for spec, app in _valid_specs(valid_dir).values():
        if spec.doc != "certificate":
            continue
        (page,) = pages_for(spec, app, random.Random(spec.seed))
        text = page.text()
        assert page.title == "发明专利证书" and page.seal == "国家知识产权局" and page.border
        for pattern in (
            r"^证书号第\d{7}号$",
            r"^发明名称：\S+$",
            r"^发明人：\S+(；\S+)*$",
            r"^专利号：ZL \d{4} 1 \d{7}\.[\dX]$",
            r"^专利申请日：\d{4}年\d\d月\d\d日$",
            r"^专利权人：\S+$",
            r"^地址：\d{6} 北京市\S+区\S+号",
            r"^授权公告日：\d{4}年\d\d月\d\d日 授权公告号：CN 1\d{8} B$",
            r"^国家知识产权局依照中华人民共和国专利法经过审查，决定授予专利权，颁发发明专利证书",
            r"^局长$",
        ):
            assert re.search(pattern, text, re.MULTILINE), (pattern, text)
        assert DEMO_MARK in text
        fields = read_certificate([Line(line) for line in text.splitlines()])
        assert fields is not None
        patent = application_data(app)["patent"]
        assert {key.removeprefix("patent."): f.value for key, f in fields.items() if f.confidence == 1} == {
            "title": patent["title"],
            "number": patent["number"],
            "inventors": patent["inventors"],
            "patentee": patent["patentee"],
            "grant_date": patent["grant_date"],
            "filing_date": app.doc["filed"].isoformat(),
        }
        number = ids.parse_patent_number(patent["number"])
        assert number is not None and number.year == app.doc["filed"].year
        assert app.ent.address in text and app.ent.address.startswith("北京市")
        seen += 1
    assert seen >= 30


def test_some_attachments_are_scanned_pdfs(valid_dir):
    pdfs = _attachments(valid_dir, ".pdf")
    assert len(pdfs) >= 20
    approvals = [p for p in pdfs if p.name == "立项文件.pdf"]
    assert len(approvals) == 5
    for path in pdfs[:5] + approvals:
        reader = PdfReader(path)
        assert not reader.is_encrypted
        assert len(reader.pages) == (2 if path.name == "立项文件.pdf" else 1)
        images = reader.pages[0].images
        assert len(images) == 1
        im = Image.open(io.BytesIO(images[0].data))
        assert im.format == "JPEG" and im.width >= 1600  # about 200 dpi
    reader = PdfReader(approvals[0])
    assert _red_pixels(Image.open(io.BytesIO(reader.pages[1].images[0].data))) > 300


@pytest.mark.parametrize("font", ["found", None])
def test_pages_without_and_with_a_cjk_font(font):
    path = find_font() if font else None
    if font and path is None:
        pytest.skip("no CJK font on this machine")
    page = Page(
        "企业应用证明",
        [
            ("p", "兹证明，我单位职工王建国作为第一发明人完成的职务发明专利" * 2),
            ("right", "北京精工机床有限公司"),
            ("right", "2022年10月20日"),
        ],
        seal="北京精工机床有限公司",
    )
    im = draw_page(page, 620, 877, (240, 238, 230), Renderer(path, 1), random.Random(1))
    assert _red_pixels(im) > 100
    dark = im.convert("L").point(lambda v: 255 * (v < 160)).histogram()[255]
    assert dark > 500  # text, or grey bars standing in for it
    assert SEAL_RED[0] > 150 > SEAL_RED[1] + 100


# --------------------------------------------------------------------------- determinism, refusal


def test_same_seed_same_files(tmp_path, data_dir):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        generate(out, patents=4, projects=3, with_errors=True, seed=11)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    other = tmp_path / "c"
    generate(other, patents=4, projects=3, with_errors=True, seed=12)
    assert sorted(p.name for p in other.rglob("*.json")) != [p.name for p in files if p.suffix == ".json"]


def test_non_empty_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "batch"
    out.mkdir()
    (out / "mine.json").write_text("{}", encoding="utf-8")
    assert cli.main(["demo", str(out), "--patents", "2", "--projects", "1"]) == 2
    assert "不是空的" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["mine.json"]
    file = tmp_path / "afile"
    file.write_text("x", encoding="utf-8")
    assert cli.main(["demo", str(file)]) == 2


def test_empty_folder_is_accepted(tmp_path, capsys):
    out = tmp_path / "empty"
    out.mkdir()
    assert cli.main(["demo", str(out), "--patents", "1", "--projects", "0"]) == 0
    assert "生成 1 份示例申报" in capsys.readouterr().out
    assert len(list(out.rglob("*.json"))) == 1
    status, findings = _check(capsys, out, "--today", TODAY)
    assert status == 0, findings


def test_a_failed_run_leaves_nothing_behind(tmp_path, monkeypatch):
    from zhutui.demo import files

    calls = []

    def failing(job, renderer):
        calls.append(job)
        if len(calls) > 3:
            raise OSError("disk full")
        job.path.parent.mkdir(parents=True, exist_ok=True)
        job.path.write_bytes(b"partial")

    monkeypatch.setattr(files, "render", failing)
    monkeypatch.setattr(files, "render_all", lambda jobs, r: [failing(j, r) for j in jobs])
    out = tmp_path / "new"
    with pytest.raises(OSError):
        generate(out, patents=3, projects=1, with_errors=False, seed=1)
    assert not out.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(OSError):
        generate(empty, patents=3, projects=1, with_errors=False, seed=1)
    assert empty.is_dir() and not any(empty.iterdir())
