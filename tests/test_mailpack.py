"""The mail package (``zhutui package``): real .eml files parsed back with Python's ``email``,
the real zip read both ways and unpacked with Info-ZIP, real PDFs read with pypdf and poppler."""

from __future__ import annotations

import email
import io
import json
import re
import shutil
import subprocess
import zipfile
from email import policy
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from tests.conftest import TODAY, make_scans, write_json
from zhutui import appfile
from zhutui.demo import generate
from zhutui.errors import Cancelled, InputError
from zhutui.mailpack import eml
from zhutui.mailpack.package import MANIFEST, MAX_NAME_CHARS, PackageFile, build_package, split_messages
from zhutui.mailpack.ziparchive import read_names
from zhutui.outputs.images import MAIL, clean_document, prepare_image

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("unzip"),
    reason="poppler-utils and unzip are installed by installer/setup.sh test",
)
MB = 1024 * 1024


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mail")
    made = generate(folder / "batch", patents=3, projects=2, with_errors=False, seed=7)
    apps = [appfile.load(a) for a in made.applications]
    result = build_package(apps, folder / "out", TODAY)
    return apps, result


def _messages(result):
    return [(m, (result.folder / m.eml).read_bytes()) for m in result.messages]


def test_demo_package_is_final_with_every_file(demo):
    apps, result = demo
    assert not result.draft and result.folder is not None
    assert result.folder.name == f"2022年职工创新助推_{_union(apps)}_{TODAY:%Y%m%d}"
    names = sorted(p.name for p in result.folder.iterdir() if p.name != MANIFEST)
    expected = sorted([f.name for f in result.files] + ["邮件正文.txt", "邮件.eml"])
    assert names == expected
    files = [f.name for f in result.files]
    assert files[:3] == ["材料清单.pdf", "附件2_职工创新发明专利助推汇总表.xlsx", "附件4_创新项目助推汇总表.xlsx"]
    assert "附件1_01_" in files[3] and files[3].endswith("_申报表.pdf")
    assert sum(f.endswith("_申报书.pdf") for f in files) == 2
    assert all(sum(not c.isascii() for c in f) <= MAX_NAME_CHARS for f in files)
    assert "附件3_02_清源水处理工艺_启动资金拨付凭证.pdf" in files  # a studio loses its common ending first
    # Every form and attachment is a PDF that opens; every attachment of the demo is in it.
    attachments = sum(len(a.data["attachments"]) for a in apps)
    assert len(files) == 3 + len(apps) + attachments
    for f in result.files:
        if f.name.endswith(".pdf"):
            assert len(PdfReader(result.folder / f.name).pages) == max(1, f.pages)


def _union(apps) -> str:
    from zhutui.outputs.values import sender

    return sender(apps).name


def test_eml_parses_with_every_attachment_named_and_byte_for_byte(demo):
    apps, result = demo
    ((message, raw),) = _messages(result)
    for pol in (policy.default, policy.compat32):
        parsed = email.message_from_bytes(raw, policy=pol)
        assert str(parsed["To"]) == "jscxfwb@163.com"
        assert parsed["X-Unsent"] == "1"
        subject = str(email.header.make_header(email.header.decode_header(str(parsed["Subject"]))))
        assert subject == f"【2022年职工创新助推】{_union(apps)} 发明专利3项 创新项目2项"
        parts = [p for p in parsed.walk() if p.get_content_maintype() != "multipart"]
        body, attachments = parts[0], parts[1:]
        assert body.get_content_type() == "text/plain"
        names = [eml.attachment_name(p) for p in attachments]
        assert names == [f.name for f in result.files]
        for part, name in zip(attachments, names, strict=True):
            assert part.get_payload(decode=True) == (result.folder / name).read_bytes()
        if pol is policy.default:  # the modern API decodes the encoded-words itself
            assert [p.get_filename() for p in attachments] == names


def test_raw_headers_carry_the_encoded_words_in_name_and_filename(demo):
    _, result = demo
    ((_, raw),) = _messages(result)
    head_text = raw.decode("ascii")  # everything is 7-bit: base64 bodies, encoded-word headers
    unfolded = re.sub(r"\r\n[ \t]+", " ", head_text)
    for f in result.files:
        word = " ".join(eml.encoded_words(f.name))  # one word, or two for the longest names (≤ 75 each)
        assert re.search(r'Content-Type: [\w/.+-]+; name="' + re.escape(word) + '"', unfolded), f.name
        assert re.search(r'Content-Disposition: attachment; filename="' + re.escape(word) + '"', unfolded)
    assert "filename*" not in unfolded  # no RFC 2231 continuations
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_body_lists_every_file_and_reminds_of_the_paper_copy(demo):
    apps, result = demo
    ((_, raw),) = _messages(result)
    body = email.message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()
    for f in result.files:
        assert f.name in body
    assert "北京市西城区虎坊路13号北京职工服务中心南配楼2104室" in body
    assert "高珊 83570885" in body and "李梦遥 83570883" in body
    assert "2022年11月1日前" in body and "北京市职工技术协会" in body
    text = (result.folder / "邮件正文.txt").read_text("utf-8-sig")
    assert "收件人：jscxfwb@163.com" in text and all(f.name in text for f in result.files)


def test_zip_names_read_right_as_gbk_and_through_the_unicode_field(demo, tmp_path):
    _, result = demo
    folder = result.folder.name
    expected = [f"{folder}/{f.name}" for f in result.files] + [f"{folder}/邮件正文.txt"]
    names = read_names(result.zip_path)
    assert [gbk for gbk, _ in names] == expected
    assert [utf8 for _, utf8 in names] == expected
    with zipfile.ZipFile(result.zip_path) as archive:
        for info in archive.infolist():
            assert not info.flag_bits & 0x800
    subprocess.run(
        ["unzip", "-q", str(result.zip_path), "-d", str(tmp_path)],
        check=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    for name in expected:
        assert (tmp_path / name).read_bytes() == (result.folder / Path(name).name).read_bytes()


def test_scans_are_compact_at_most_200_dpi_and_keep_red_seals(demo):
    _, result = demo
    scanned = [f for f in result.files if f.scanned_pages]
    assert scanned and result.scan_bytes / result.scanned_pages <= 250 * 1024
    seals = 0
    for f in scanned:
        reader = PdfReader(result.folder / f.name)
        for page in reader.pages:
            width_in = float(page.mediabox.width) / 72
            for image in page.images:
                assert image.image.width / width_in <= 201
                seals += image.image.mode == "RGB"
    assert seals  # the demo's certificates carry red seals: those pages stay in colour


def test_clean_document_whitens_paper_keeps_red_and_leaves_photos():
    page = Image.new("RGB", (1200, 1700), (170, 160, 140))  # grey-brown paper under a lamp
    for y in range(200, 1500, 60):
        page.paste((40, 40, 40), (150, y, 1050, y + 12))  # lines of text
    plain = clean_document(page)
    assert plain.mode == "L" and plain.getpixel((100, 100)) == 255 and plain.getpixel((600, 206)) < 60
    ImageDraw.Draw(page).ellipse((800, 1300, 1000, 1500), outline=(200, 30, 30), width=8)  # a red seal's ring
    sealed = clean_document(page)
    assert sealed.mode == "RGB"
    r, g, b = sealed.getpixel((804, 1400))
    assert r > 180 and g < 90 and b < 90
    dark_photo = Image.new("RGB", (1200, 1700), (60, 80, 50))
    assert clean_document(dark_photo) is None


def test_stamped_scan_replaces_the_unstamped_form(tmp_path, workdir, patent):
    stamped = Image.new("RGB", (1654, 2339), "white")
    stamped.paste((200, 20, 20), (1100, 1900, 1400, 2200))
    stamped.save(workdir / "scans" / "stamped.jpg", quality=85)
    patent["attachments"].append({"kind": "stamped_form", "file": "scans/stamped.jpg"})
    app = appfile.load(write_json(workdir, "p.json", patent))
    result = build_package([app], tmp_path / "out", TODAY)
    form = next(f for f in result.files if f.name.endswith("_申报表.pdf"))
    assert "盖章扫描件" in form.what and form.pages == 1
    reader = PdfReader(result.folder / form.name)
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1
    assert not [f for f in result.files if "盖章" in f.name]  # not attached a second time


def test_a_photo_whose_sheets_edge_is_not_found_is_named_in_the_packages_notes(tmp_path, workdir, patent):
    """As the print says it (render's NO_EDGE_NOTE): the sheet runs out of the picture, so the
    mailed copy is only whitened, not cropped; the user is told which photo to take again."""
    photo = Image.new("RGB", (2000, 2600), (70, 55, 45))  # a dark desk
    photo.paste((235, 232, 225), (200, 0, 1600, 2180))  # the sheet, running out at the top
    draw = ImageDraw.Draw(photo)
    for y in range(300, 2000, 70):
        draw.rectangle((350, y, 1450, y + 14), fill=(40, 40, 40))
    photo.save(workdir / "scans" / "cert.jpg", quality=90)
    result = build_package([appfile.load(write_json(workdir, "p.json", patent))], tmp_path / "out", TODAY)
    (note,) = [n for n in result.notes if "未找到纸张边缘" in n]
    assert "专利证书" in note and "重新拍照" in note
    shutil.rmtree(tmp_path / "out")
    make_scans(workdir)  # a sheet photographed whole: nothing to say
    result = build_package([appfile.load(workdir / "p.json")], tmp_path / "out", TODAY)
    assert not [n for n in result.notes if "未找到纸张边缘" in n]


def test_errors_package_nothing_unless_draft(tmp_path, run):
    made = generate(tmp_path / "batch", patents=3, projects=1, with_errors=True, seed=3)
    status, out, err = run(
        "package", str(tmp_path / "batch"), "--out", str(tmp_path / "out"), "--today", TODAY.isoformat()
    )
    assert status == 1 and "没有生成邮件包" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    status, out, err = run(
        "package", str(tmp_path / "batch"), "--out", str(tmp_path / "out"), "--today", TODAY.isoformat(), "--draft"
    )
    assert status == 1 and "草稿邮件包" in out
    (folder,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir()]
    assert folder.name.endswith("_草稿")
    raw = (folder / "邮件_草稿.eml").read_bytes()
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert str(parsed["Subject"]).startswith("【草稿】")
    form = next(folder.glob("附件1_01_*_申报表.pdf"))
    text = subprocess.run(["pdftotext", str(form), "-"], capture_output=True, text=True, check=True).stdout
    assert "草稿" in text
    assert len(made.applications) == 4


def test_over_budget_splits_into_numbered_messages_without_splitting_files(tmp_path, demo):
    apps, _ = demo
    result = build_package(apps, tmp_path, TODAY, budget_mb=0.6)
    total = len(result.messages)
    assert total > 1
    seen = []
    for i, m in enumerate(result.messages, 1):
        assert m.eml == f"邮件{i}_共{total}封.eml"
        assert m.subject.endswith(f"（{i}/{total}）")
        assert m.files_bytes <= 0.6 * MB or len(m.files) == 1
        parsed = email.message_from_bytes((result.folder / m.eml).read_bytes(), policy=policy.default)
        names = [p.get_filename() for p in parsed.iter_attachments()]
        assert names == m.files
        body = parsed.get_body(("plain",)).get_content()
        assert f"分{total}封邮件发送，本邮件为第{i}封" in body
        seen += names
    assert seen == [f.name for f in result.files]
    # An application's files stay in one message whenever they fit in one.
    for f in result.files:
        group = [g.name for g in result.files if g.group == f.group]
        if f.group and sum(g.size for g in result.files if g.group == f.group) <= 0.6 * MB:
            assert any(set(group) <= set(m.files) for m in result.messages)


def test_split_messages_keeps_groups_together():
    files = [
        PackageFile(f"f{i}", "", size, group)
        for i, (size, group) in enumerate([(10, 0), (40, 1), (40, 1), (30, 2), (30, 2), (120, 3), (5, 4)])
    ]
    messages = split_messages(files, 100)
    assert [[f.name for f in m] for m in messages] == [["f0", "f1", "f2"], ["f3", "f4"], ["f5"], ["f6"]]


def test_a_file_too_big_for_any_message_is_reported(tmp_path, workdir, patent):
    app = appfile.load(write_json(workdir, "p.json", patent))
    with pytest.raises(InputError) as caught:
        build_package([app], tmp_path / "out", TODAY, budget_mb=0.001)
    assert "超过每封邮件" in caught.value.message and caught.value.file is not None
    assert not (tmp_path / "out").exists() or not [p for p in (tmp_path / "out").iterdir()]


def test_a_draft_leaves_out_an_attachment_outside_the_folder(tmp_path, workdir, patent):
    # Its InputError (A001, never read) once named a missing ``Application.file``: AttributeError.
    patent["attachments"][0]["file"] = "../outside.jpg"
    app = appfile.load(write_json(workdir, "p.json", patent))
    result = build_package([app], tmp_path / "out", TODAY, draft=True)
    assert result.draft and result.folder is not None and result.errors
    assert [f.name for f in result.files if f.name.startswith("附件1_01_")] == [
        "附件1_01_王建国_申报表.pdf",
        "附件1_01_王建国_企业应用证明.pdf",
    ]


def test_repackaging_replaces_an_unsent_package_and_keeps_a_sent_one(tmp_path, workdir, patent):
    app = appfile.load(write_json(workdir, "p.json", patent))
    first = build_package([app], tmp_path, TODAY)
    again = build_package([app], tmp_path, TODAY)
    assert again.folder == first.folder and again.folder.exists()
    manifest = json.loads((again.folder / MANIFEST).read_text("utf-8"))
    manifest["sent"] = [{"eml": "邮件.eml", "message_id": "<x@y>", "sent_at": "2022-10-25T10:00:00"}]
    (again.folder / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    third = build_package([app], tmp_path, TODAY)
    assert third.folder.name == first.folder.name + "_2"
    assert json.loads((first.folder / MANIFEST).read_text("utf-8"))["sent"]  # the sent one is untouched
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_cancel_leaves_nothing(tmp_path, demo):
    apps, _ = demo
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        build_package(apps, tmp_path, TODAY, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_cli_package_reports_sizes(tmp_path, run, demo):
    apps, _ = demo
    status, out, err = run(
        "package",
        *[str(a.path) for a in apps],
        "--out",
        str(tmp_path),
        "--today",
        TODAY.isoformat(),
        "--budget-mb",
        "20",
    )
    assert status == 0, err
    assert "（上限 20 MB）" in out and "平均每页" in out and "收件人 jscxfwb@163.com" in out
    status, _, err = run("package", str(tmp_path / "missing.json"), "--out", str(tmp_path))
    assert status == 2 and "missing.json" in err


def test_mail_encoding_is_smaller_than_print_and_readable_size(workdir):
    photo = Image.new("RGB", (3000, 4000), (180, 175, 160))
    for y in range(400, 3600, 120):
        photo.paste((30, 30, 30), (300, y, 2700, y + 25))
    path = workdir / "photo.jpg"
    photo.save(path, quality=92)
    (print_page,) = prepare_image(path, 500, 760)
    (mail_page,) = prepare_image(path, 500, 760, encoding=MAIL)
    assert len(mail_page.data) < len(print_page.data)
    assert 150 <= mail_page.dpi <= 200
    with Image.open(io.BytesIO(mail_page.data)) as im:
        assert im.mode == "L"


def test_an_attachment_as_taken_in_the_workspace_is_mailed_as_photographed(tmp_path, workdir, patent):
    from tests.test_render import _desk_photo
    from zhutui.pipeline import package_workspace
    from zhutui.workspace.store import Workspace

    _desk_photo(workdir / "scans" / "cert.jpg")  # a sheet on a dark desk
    with Workspace(tmp_path / "ws") as ws:
        app_id = ws.import_file(write_json(workdir, "p.json", patent))
        cert = ws.attachments(app_id)[0]
    corners = {}
    for taken in (False, True):
        with Workspace(tmp_path / "ws") as ws:
            ws.set_as_taken(cert.id, taken)
        result = package_workspace(
            tmp_path / "ws",
            [app_id],
            tmp_path / f"out-{taken}",
            TODAY,
            True,
            20,
            progress=lambda *_: None,
            cancelled=lambda: False,
        )
        (mailed,) = [f for f in result.files if "证书" in f.name]
        (image,) = [
            im.image.convert("L") for page in PdfReader(result.folder / mailed.name).pages for im in page.images
        ]
        corners[taken] = image.getpixel((5, 5))
    assert corners[True] < 100 < corners[False]  # the desk stays dark; cleaned, it is gone or whitened
