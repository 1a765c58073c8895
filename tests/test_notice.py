"""Reading a year's notice (issue 19, point 1 and 2): ``zhutui plans read-notice`` and
``zhutui plans new YEAR --from-notice``.

The two seeds read back exactly (the official 2022 notice equals forms/plans/2022.yaml fact for
fact; the newspaper report of the 2021 one gives its facts and null for the rest), and notices
written here with other facts (tests/notices/*.txt, their facts checked by hand in *.yaml) read
back as written, as .txt, .docx, a .pdf with text and pasted text. Files that are not such a
notice are refused with exit 2, naming the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhutui import plans
from zhutui.normalize import to_halfwidth_all
from zhutui.notice import read_notice, read_notice_file
from zhutui.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent
NOTICES = Path(__file__).resolve().parent / "notices"
# The shared seeds, copied here (a clean checkout has no ../shared): the official 2022 notice
# (seed 002), the 劳动午报 report of the 2021 one (seed 000), a report on the studios (seed 001).
OFFICIAL_2022 = NOTICES / "seed_2022_official.txt"
REPORT_2021 = NOTICES / "seed_2021_report.txt"
META = ("status", "unconfirmed", "source", "notice_sources")


def facts(plan: dict) -> dict:
    return {k: v for k, v in plan.items() if k not in META}


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (OFFICIAL_2022, ROOT / "forms" / "plans" / "2022.yaml"),
        (REPORT_2021, ROOT / "forms" / "plans" / "2021.yaml"),
        (NOTICES / "2023_official.txt", NOTICES / "2023_official.yaml"),
        (NOTICES / "2024_report.txt", NOTICES / "2024_report.yaml"),
    ],
    ids=["official-2022", "report-2021", "own-official-2023", "own-report-2024"],
)
def test_a_notice_reads_back_fact_for_fact(notice, expected):
    reading = read_notice_file(notice)
    assert facts(reading.plan) == facts(load_yaml(expected))
    # Every fact found names the sentence it came from, in the notice's words (full-width or
    # half-width punctuation, and line breaks, aside).
    flat = "".join(to_halfwidth_all(notice.read_text(encoding="utf-8")).split())
    for key, source in reading.sources.items():
        for sentence in filter(None, "".join(to_halfwidth_all(source).split()).split(".")):  # 。 reads as .
            assert sentence in flat, (key, sentence)


def test_what_the_notice_doesnt_state_is_null_never_last_years():
    plan = read_notice_file(REPORT_2021).plan
    assert plan["notice_issued"] is None and plan["submission"]["contacts"] is None
    assert plan["project"]["boost_cap"] is None and plan["patent"]["split"] is None
    assert all(t["split"] is None and t["quota"] is None for t in plan["project"]["tiers"])


def test_the_cli_prints_yaml_and_json_with_sources(run):
    status, out, err = run("plans", "read-notice", OFFICIAL_2022)
    assert status == 0, err
    import yaml

    printed = yaml.safe_load(out)
    assert facts(printed) == facts(load_yaml(ROOT / "forms" / "plans" / "2022.yaml"))
    assert printed["status"] == plans.UNCHECKED and "deadline" in printed["unconfirmed"]
    status, out, err = run("plans", "read-notice", OFFICIAL_2022, "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["plan"]["deadline"] == "2022-11-01" and data["plan"]["project"]["boost_cap"] == 0.5
    assert "2022年11月1日前完成材料报送" in data["sources"]["deadline"]
    assert "1:1" in data["sources"]["patent.split"] or "1：1" in data["sources"]["patent.split"]


def test_pasted_text_on_standard_input(run):
    status, out, err = run(
        "plans", "read-notice", "-", "--format", "json", stdin=(NOTICES / "2024_report.txt").read_text("utf-8")
    )
    assert status == 0, err
    assert json.loads(out)["plan"]["patent"]["amount"] == 4000


def test_word_and_pdf_notices_read_as_their_text(tmp_path):
    from docx import Document
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from zhutui.fonts import pdf_fonts

    lines = [line.strip() for line in (NOTICES / "2023_official.txt").read_text("utf-8").splitlines()]
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(tmp_path / "通知.docx")
    font = pdf_fonts().song
    pdf = canvas.Canvas(str(tmp_path / "通知.pdf"), pagesize=A4)
    y = 800
    for line in lines:
        while line:  # a line of the page holds 38 characters; the reader joins them again
            pdf.setFont(font, 11)
            pdf.drawString(40, y, line[:38])
            line, y = line[38:], y - 15
            if y < 40:
                pdf.showPage()
                y = 800
        y -= 4
    pdf.save()
    expected = facts(load_yaml(NOTICES / "2023_official.yaml"))
    assert facts(read_notice_file(tmp_path / "通知.docx").plan) == expected
    assert facts(read_notice_file(tmp_path / "通知.pdf").plan) == expected


def test_files_that_are_not_such_a_notice_exit_2_naming_the_file(run, tmp_path):
    from pypdf import PdfWriter

    other = NOTICES / "seed_not_a_notice.txt"  # a report on the studios, not a plan
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    encrypted = tmp_path / "加密.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    with encrypted.open("wb") as fh:
        writer.write(fh)
    blank = tmp_path / "扫描件.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with blank.open("wb") as fh:
        writer.write(fh)
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip at all")
    old_word = tmp_path / "通知.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    cases = {
        other: "不像是职工创新助推计划的实施方案通知",
        binary: "不是文字文件",
        encrypted: "密码",
        blank: "没有文字",
        broken: "Word 文件",
        old_word: ".doc",
        tmp_path / "没有.txt": "不存在",
    }
    for path, says in cases.items():
        status, out, err = run("plans", "read-notice", path)
        assert status == 2, (path, out)
        assert str(path) in err and says in err, err
        assert "Traceback" not in err


def test_a_gbk_text_file_reads_too(tmp_path):
    path = tmp_path / "通知.txt"
    path.write_bytes((NOTICES / "2024_report.txt").read_text("utf-8").encode("gb18030"))
    assert read_notice_file(path).plan["deadline"].isoformat() == "2024-11-08"


def test_wording_variants_of_the_same_facts():
    text = (
        "北京市总工会2025年职工创新助推计划实施方案\n一、职工创新发明专利助推\n"
        "每项职务发明专利给予人民币3000元助推资金，市总工会与区、局、集团（公司）工会按照1∶1的比例共同承担。\n"
        "每人每年限享受1次助推。\n三、相关要求\n请于11月20日前将材料报送至市职工技术协会。"
    )
    plan = read_notice(text).plan
    assert plan["year"] == 2025 and plan["deadline"].isoformat() == "2025-11-20"
    assert plan["patent"]["amount"] == 3000 and plan["patent"]["split"] == [1, 1]
    assert plan["patent"]["per_person_per_year"] == 1


# --------------------------------------------------------------------------- plans new --from-notice


def test_a_new_plan_from_its_notice_shows_what_changed_and_stays_to_be_checked(run):
    status, out, err = run("plans", "new", "2023", "--from-notice", NOTICES / "2023_official.txt")
    assert status == 0, err
    assert "＊" in out and "5,000" in out and "依据：" in out
    plan = plans.get_plan(2023)
    assert plan is not None and plan.origin == "user" and not plan.confirmed
    assert plan.deadline.isoformat() == "2023-10-31" and plan.email == "cxzt2023@bjzgh.org"
    assert plan.fact("patent.amount") == 5000 and plan.fact("project.boost_cap") == 0.4
    assert set(plan.unconfirmed) == set(plans.fact_keys(plan.raw))  # every fact 待核对 (D004)
    assert "2023年10月31日前" in plan.notice_sources["deadline"]


def test_confirm_read_leaves_only_what_the_notice_doesnt_state(run):
    status, out, err = run("plans", "new", "2024", "--from-notice", NOTICES / "2024_report.txt", "--confirm-read")
    assert status == 0, err
    plan = plans.get_plan(2024)
    assert plan is not None and not plan.confirmed
    assert "deadline" not in plan.unconfirmed and "patent.amount" not in plan.unconfirmed
    assert "submission.paper_address" in plan.unconfirmed and "project.boost_cap" in plan.unconfirmed
    # Not stated: taken from the previous plan (dates moved on), to be checked.
    assert plan.paper_address == plans.get_plan(2022).paper_address


def test_a_notice_of_another_year_is_refused(run):
    status, out, err = run("plans", "new", "2023", "--from-notice", NOTICES / "2024_report.txt")
    assert status == 2 and "2024年度" in err and plans.get_plan(2023) is None


VARIANTS = """北京市总工会办公室关于印发《北京市总工会2031年职工创新助推计划实施方案》的通知
北京市总工会办公室
二〇三一年三月十日
一、职工创新发明专利助推
重点关注：高端装备、现代农业。
每项职务发明专利助推资金为0.5万元，按照1∶2的比例分担。同一职工每年至多享受一次助推。
二、创新项目助推
项目须于2031年内经企业批准立项，在企业立项之日起三年内完成，最晚结题时间不得超过2034年6月30日。
每个创新工作室限报1项，获得助推的项目至多1项。
往年已获得项目助推资金但尚未通过结题验收的创新工作室，本年度不得申报。
1.市级示范性职工创新工作室创新项目助推资金为人民币20万元；
2.市级职工创新工作室创新项目助推资金为人民币10万元；
以上两类均由市总工会与区、局、集团（公司）工会按照1∶1的比例分担。
市、区两级工会助推资金合计不得超过项目总投入的60%。其中，20万元项目不超过5项，10万元项目不超过15项。
三、相关要求
本次申报截止时间为2031年11月20日。请将申报材料报送至北京市职工技术协会秘书处，电子版材料同时发送至a@b.cn。
联系人及电话：赵  宁（010-65123456）、
孙晓梅（010-65123457）
"""


def test_wording_variants_an_outside_reading_found():
    """Wordings an outside test of the reader used (the reader missed them at first)."""
    plan = read_notice(VARIANTS).plan
    assert plan["notice_issued"].isoformat() == "2031-03-10" and plan["deadline"].isoformat() == "2031-11-20"
    assert plan["focus_areas"] == ["高端装备", "现代农业"]
    assert plan["patent"]["amount"] == 5000 and plan["patent"]["split"] == [1, 2]
    assert plan["patent"]["per_person_per_year"] == 1
    project = plan["project"]
    assert (project["approval_from"].isoformat(), project["approval_to"].isoformat()) == ("2031-01-01", "2031-12-31")
    assert project["completion_years"] == 3 and project["latest_completion"].isoformat() == "2034-06-30"
    assert project["per_studio_applications"] == 1 and project["per_studio_funded"] == 1
    assert project["exclude_unfinished"] is True and project["boost_cap"] == 0.6
    assert project["tiers"] == [
        {"amount": 200000, "levels": ["municipal_demo"], "split": [1, 1], "quota": 5},
        {"amount": 100000, "levels": ["municipal"], "split": [1, 1], "quota": 15},
    ]
    assert plan["submission"]["paper_receiver"] == "北京市职工技术协会秘书处"
    assert plan["submission"]["contacts"] == [
        {"name": "赵宁", "phone": "010-65123456"},
        {"name": "孙晓梅", "phone": "010-65123457"},
    ]


def test_a_report_names_the_programmes_without_在():
    text = (
        "# 市总工会部署2032年职工创新助推工作\n《2032年职工创新助推计划实施方案》日前印发。"
        "发明专利助推方面，授权公告日在2031年1月1日至2031年12月31日期间的，每项助推资金3,000元，"
        "按1:2比例分担。创新项目助推方面，同一创新工作室申报不超过2项。"
        "本次申报截止时间为2032年\n11月10日。纸质材料报送至北京市职工技术协会(北京市西城区虎坊路13号)。"
    )
    plan = read_notice(text).plan
    assert plan["deadline"].isoformat() == "2032-11-10"
    assert plan["patent"]["amount"] == 3000 and plan["patent"]["split"] == [1, 2]
    assert plan["patent"]["grant_from"].isoformat() == "2031-01-01"
    assert plan["project"]["per_studio_applications"] == 2
    assert plan["submission"]["paper_receiver"] == "北京市职工技术协会"
    assert plan["submission"]["paper_address"] == "北京市西城区虎坊路13号"


def test_a_gbk_notice_pasted_on_standard_input(tmp_path):
    import subprocess
    import sys

    data = (NOTICES / "2024_report.txt").read_text("utf-8").encode("gb18030")
    done = subprocess.run(
        [sys.executable, "-m", "zhutui", "plans", "read-notice", "-", "--format", "json"],
        input=data,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert json.loads(done.stdout)["plan"]["deadline"] == "2024-11-08"


REPORT_VARIANTS = """# 2035年职工创新助推工作启动
今年的发明专利助推面向2034年度获得授权、已在企业生产中应用的职务发明专利，单项职务发明专利助推资金由去年的3000元提高至5000元，
市总工会与区、局、集团（公司）工会各承担一半，同一职工一年内至多获得一次助推。申报材料经市总工会核准后，助推资金将在60个工作日内发放至第一发明人的工会会员互助服务卡。
创新项目助推面向2035年立项的项目，自立项起三年内完成，最迟2038年6月30日前结题。市级（示范性）职工创新工作室的项目分20万元、10万元两档，区、局、集团（公司）级职工创新工作室的项目为5万元，分别由市总工会与区、局、集团（公司）工会按1∶1、1∶2比例分担。
工会助推资金原则上不超过项目总经费的一半。每个职工创新工作室最多可申报2个项目，最多1个项目获得助推。对于此前已获项目助推资金、项目尚未结题验收的工作室，暂停其本年度申报资格。
本次申报截止到6月13日（星期五），电子版请发送至 x@y.org 。
"""


def test_a_report_worded_freely():
    """Wordings a second outside test used."""
    plan = read_notice(REPORT_VARIANTS).plan
    assert plan["year"] == 2035 and plan["deadline"].isoformat() == "2035-06-13"
    patent, project = plan["patent"], plan["project"]
    assert (patent["grant_from"].isoformat(), patent["grant_to"].isoformat()) == ("2034-01-01", "2034-12-31")
    assert patent["amount"] == 5000 and patent["split"] == [1, 1] and patent["per_person_per_year"] == 1
    assert patent["payment"].startswith("申报材料经市总工会核准后")
    assert project["approval_from"].isoformat() == "2035-01-01" and project["completion_years"] == 3
    assert project["latest_completion"].isoformat() == "2038-06-30" and project["boost_cap"] == 0.5
    assert project["per_studio_applications"] == 2 and project["per_studio_funded"] == 1
    assert project["exclude_unfinished"] is True
    assert project["tiers"] == [
        {"amount": 200000, "levels": ["municipal_demo", "municipal"], "split": [1, 1], "quota": None},
        {"amount": 100000, "levels": ["municipal_demo", "municipal"], "split": [1, 1], "quota": None},
        {"amount": 50000, "levels": ["district"], "split": [1, 2], "quota": None},
    ]


def test_signature_at_the_end_and_a_department_before_a_contact():
    text = (
        "关于印发《北京市总工会2036年职工创新助推计划实施方案》的通知\n一、职工创新发明专利助推\n"
        "各单位于2036年10月9日（星期四）前完成材料报送。\n"
        "联系人：市总工会经济技术保护部　孙　悦，电话：63521568；北京市职工技术协会　杜建华，电话：83570886。\n"
        "附件：1.申报表\n北京市总工会办公室\n2036年2月20日\n"
    )
    plan = read_notice(text).plan
    assert plan["notice_issued"].isoformat() == "2036-02-20" and plan["deadline"].isoformat() == "2036-10-09"
    assert plan["submission"]["contacts"] == [
        {"name": "孙悦", "phone": "63521568"},
        {"name": "杜建华", "phone": "83570886"},
    ]


def test_wordings_a_third_outside_test_used():
    text = (
        "# 2041年职工创新助推计划发布\n北京市总工会于9月18日印发《2041年职工创新助推计划实施方案》。"
        "在创新项目助推方面，每个创新工作室限报2项，最多获得1项助推。"
        "据介绍，申报截至2041年11月5日，电子版发送至邮箱a@b.com。附件2、4仅需报送电子版。"
    )
    plan = read_notice(text).plan
    assert plan["notice_issued"].isoformat() == "2041-09-18" and plan["deadline"].isoformat() == "2041-11-05"
    assert plan["project"]["per_studio_applications"] == 2 and plan["project"]["per_studio_funded"] == 1
    assert plan["submission"]["electronic_only"] == [2, 4]
