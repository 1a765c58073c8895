"""Deadline checks (D codes, official calendar with 调休) and attachment file checks (A codes)."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.conftest import codes, write_json
from zhutui.plans import confirm_fact, derive_plan, get_plan, save_user_plan
from zhutui.workdays import Calendar


def deadline_codes(run, workdir, data, today):
    _, findings = run.check(write_json(workdir, "a.json", data), today=today)
    return {f["code"]: f for f in findings if f["code"].startswith("D")}


# 2022 deadline: Tuesday 2022-11-01. Working days after today up to and including it.
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2022-10-24", set()),  # Mon: 6 working days left
        ("2022-10-25", {"D002"}),  # Tue: 5 left
        ("2022-11-01", {"D002"}),  # the deadline day itself: 0 left
        ("2022-11-02", {"D001"}),  # the day after
    ],
)
def test_deadline_window(run, workdir, patent, today, expected):
    found = deadline_codes(run, workdir, patent, dt.date.fromisoformat(today))
    assert set(found) == expected
    for f in found.values():
        assert f["severity"] == "warning" and f["path"] == "plan_year"


def test_d002_counts_the_official_calendar():
    cal = Calendar()
    # 2022 National Day: 1–7 October off, Saturday 8 and Sunday 9 October are 调休 working days.
    assert cal.workdays_until(dt.date(2022, 9, 30), dt.date(2022, 10, 10)) == 3
    assert not cal.guessed_years


def test_d002_message_gives_the_number_of_days(run, workdir, patent):
    found = deadline_codes(run, workdir, patent, dt.date(2022, 10, 27))
    assert "只剩3个工作日" in found["D002"]["message"]
    on_the_day = deadline_codes(run, workdir, patent, dt.date(2022, 11, 1))["D002"]["message"]
    assert "今天就是截止日" in on_the_day and "0个工作日" not in on_the_day


def _user_plan(year: int, **changes) -> None:
    raw = derive_plan(get_plan(2022), year)
    for key, value in changes.items():
        raw = confirm_fact(raw, key, value)
    for key in list(raw["unconfirmed"]):
        raw = confirm_fact(raw, key)
    save_user_plan(raw)


def _for_year(data: dict, year: int) -> dict:
    shift = year - 2022
    p = dict(data["patent"], grant_date=f"{2021 + shift}-06-15", applied_since=f"{2021 + shift}-08-01")
    return dict(data, plan_year=year, patent=p)


def test_d003_deadline_on_a_holiday_and_weekend(run, workdir, patent):
    _user_plan(2023, deadline=dt.date(2023, 10, 1))  # National Day holiday (a Sunday too)
    found = deadline_codes(run, workdir, _for_year(patent, 2023), dt.date(2023, 9, 1))
    assert set(found) == {"D003"}
    assert found["D003"]["severity"] == "info"
    assert "2023-09-28" in found["D003"]["message"]  # 29–30 Sep are holidays too


def test_d005_outside_the_calendar_data(run, workdir, patent):
    _user_plan(2030)
    found = deadline_codes(run, workdir, _for_year(patent, 2030), dt.date(2030, 10, 28))
    assert set(found) == {"D002", "D005"}  # Mon 28 Oct → Fri 1 Nov 2030: 4 Mon–Fri days
    assert "只剩4个工作日" in found["D002"]["message"]
    assert "2030" in found["D005"]["message"]


def test_d004_unconfirmed_plan_is_an_error(run, workdir, patent):
    save_user_plan(derive_plan(get_plan(2022), 2024))
    status, findings = run.check(write_json(workdir, "a.json", _for_year(patent, 2024)), today=dt.date(2024, 9, 1))
    d004 = [f for f in findings if f["code"] == "D004"]
    assert status == 1 and len(d004) == 1 and d004[0]["severity"] == "error"


# ------------------------------------------------------------------ attachments


def _attach(data: dict, file: str) -> dict:
    data["attachments"][0]["file"] = file
    return data


def test_a001_missing_file(run, workdir, patent):
    _, findings = run.check(write_json(workdir, "a.json", _attach(patent, "scans/nope.jpg")))
    assert codes(findings) == {("A001", "attachments[0].file")}


def test_a002_corrupt_and_unsupported(run, workdir, patent):
    good = (workdir / "scans" / "cert.jpg").read_bytes()
    (workdir / "scans" / "cut.jpg").write_bytes(good[: len(good) // 2])
    (workdir / "scans" / "note.docx").write_bytes(b"PK\x03\x04" + b"\0" * 200)
    patent["attachments"].append({"kind": "other", "file": "scans/note.docx", "title": "说明"})
    _, findings = run.check(write_json(workdir, "a.json", _attach(patent, "scans/cut.jpg")))
    assert codes(findings) == {("A002", "attachments[0].file"), ("A002", "attachments[2].file")}


def test_a003_encrypted_pdf(run, workdir, patent):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="RC4-128")
    with open(workdir / "scans" / "locked.pdf", "wb") as fh:
        writer.write(fh)
    patent["attachments"][1]["file"] = "scans/locked.pdf"
    status, findings = run.check(write_json(workdir, "a.json", patent))
    assert status == 1
    assert codes(findings) == {("A003", "attachments[1].file")}


@pytest.mark.parametrize(("size", "low"), [((1241, 1754), False), ((1240, 1754), True)])
def test_a004_resolution_boundary(run, workdir, patent, size, low):
    Image.new("RGB", size, "white").save(workdir / "scans" / "small.png")
    status, findings = run.check(write_json(workdir, "a.json", _attach(patent, "scans/small.png")))
    assert status == 0
    assert codes(findings) == ({("A004", "attachments[0].file")} if low else set())


def _scan_pdf(path, sizes) -> None:
    """A PDF as a scanner writes it: each page an A4 page with one image drawn over all of it."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for n, size in enumerate(sizes):
        image = path.with_name(f"{path.stem}-{n}.jpg")
        Image.new("L", size, 250).save(image, "JPEG")
        c.drawImage(str(image), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()


@pytest.mark.parametrize(("size", "low"), [((300, 420), True), ((2480, 3508), False)])
def test_a004_low_resolution_scan_inside_a_pdf(run, workdir, patent, size, low):
    _scan_pdf(workdir / "scans" / "scan.pdf", [size])
    status, findings = run.check(write_json(workdir, "a.json", _attach(patent, "scans/scan.pdf")))
    assert status == 0  # a warning
    assert codes(findings) == ({("A004", "attachments[0].file")} if low else set())
    if low:
        assert "scans/scan.pdf分辨率约36 dpi" in findings[0]["message"]


def test_a004_names_the_coarse_page_of_a_pdf(run, workdir, patent):
    _scan_pdf(workdir / "scans" / "scan.pdf", [(2480, 3508), (620, 877)])
    _, findings = run.check(write_json(workdir, "a.json", _attach(patent, "scans/scan.pdf")))
    assert codes(findings) == {("A004", "attachments[0].file")}
    assert "scans/scan.pdf的第2页分辨率约75 dpi" in findings[0]["message"]


def test_a003_and_a002_pdfs_with_scans_keep_their_findings(run, workdir, patent):
    _scan_pdf(workdir / "scans" / "scan.pdf", [(300, 420)])
    writer = PdfWriter(clone_from=workdir / "scans" / "scan.pdf")
    writer.encrypt("secret", algorithm="RC4-128")
    with open(workdir / "scans" / "locked.pdf", "wb") as fh:
        writer.write(fh)
    data = (workdir / "scans" / "scan.pdf").read_bytes()
    (workdir / "scans" / "cut.pdf").write_bytes(data[: len(data) // 2])
    patent["attachments"][1]["file"] = "scans/locked.pdf"
    _, findings = run.check(write_json(workdir, "a.json", _attach(patent, "scans/cut.pdf")))
    assert codes(findings) == {("A002", "attachments[0].file"), ("A003", "attachments[1].file")}


def test_attachment_paths_are_relative_to_the_json_file(run, workdir, patent, tmp_path, monkeypatch):
    sub = workdir / "deep"
    (sub / "scans").mkdir(parents=True)
    for name in ("cert.jpg", "proof.pdf"):
        (sub / "scans" / name).write_bytes((workdir / "scans" / name).read_bytes())
    path = write_json(sub, "a.json", patent)
    monkeypatch.chdir("/")
    assert run.check(path) == (0, [])


@pytest.mark.parametrize(
    "file", ["../scans/cert.jpg", "{abs}/scans/cert.jpg", "scans/../../scans/cert.jpg", "link/cert.jpg"]
)
def test_attachments_outside_the_json_files_folder_are_never_read(run, workdir, patent, file):
    """A file from someone else must not make the app read this computer's files: an absolute
    path, ``..`` or a link leading out of the application's folder is refused (A001)."""
    sub = workdir / "申报"
    sub.mkdir()
    (sub / "link").symlink_to(workdir / "scans")
    patent["attachments"][0]["file"] = file.format(abs=workdir)
    status, findings = run.check(write_json(sub, "a.json", patent))
    (finding,) = [f for f in findings if f["path"] == "attachments[0].file"]
    assert status == 1 and finding["code"] == "A001" and "文件夹之外" in finding["message"]


def test_unknown_attachment_kind(run, workdir, patent):
    patent["attachments"].append({"kind": "photo", "file": "scans/cert.jpg"})
    _, findings = run.check(write_json(workdir, "a.json", patent))
    assert codes(findings) == {("F004", "attachments[2].kind")}
