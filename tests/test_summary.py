"""The summary tables 附件2 / 附件4: real .xlsx files written and read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tests.conftest import set_path, write_json
from zhutui import appfile, naming
from zhutui.demo import generate
from zhutui.errors import InputError
from zhutui.formdef import load_form
from zhutui.identifiers import make_id_number
from zhutui.outputs import summary, values

TODAY = dt.date(2022, 10, 25)
UNION = "北京精工机床有限公司工会"
PATENT_FILE = f"附件2_职工创新发明专利助推汇总表_{UNION}.xlsx"
PROJECT_FILE = f"附件4_创新项目助推汇总表_{UNION}.xlsx"


def load_app(folder: Path, name: str, data: dict) -> appfile.Application:
    return appfile.load(write_json(folder, name, data))


def open_sheet(path: Path):
    return openpyxl.load_workbook(path).active


def header(ws) -> list[str]:
    return [c.value for c in ws[3]]


def row_cells(ws, row: int) -> dict[str, openpyxl.cell.Cell]:
    """The cells of one table row by header label."""
    return {label: ws.cell(row, i) for i, label in enumerate(header(ws), start=1)}


def labels(form_name: str, consolidated: bool = False) -> list[str]:
    return [c.label for c in load_form(form_name).summary.columns if consolidated or not c.consolidated]


def test_file_names_forms_present_and_patent_first(tmp_path, patent, project):
    p = load_app(tmp_path, "p.json", patent)
    j = load_app(tmp_path, "j.json", project)
    only_patent = summary.write_summaries([p], tmp_path / "a", TODAY)
    assert [x.name for x in only_patent] == [PATENT_FILE]
    assert sorted(x.name for x in (tmp_path / "a").iterdir()) == [PATENT_FILE]  # no temp file left
    only_project = summary.write_summaries([j], tmp_path / "b", TODAY)
    assert [x.name for x in only_project] == [PROJECT_FILE]
    both = summary.write_summaries([j, p], tmp_path / "c", TODAY)
    assert [x.name for x in both] == [PATENT_FILE, PROJECT_FILE]
    assert all(x.is_file() and x.parent == tmp_path / "c" for x in both)
    assert summary.write_summaries([], tmp_path / "d", TODAY) == []


def test_title_sender_and_header_rows(tmp_path, patent):
    [path] = summary.write_summaries([load_app(tmp_path, "p.json", patent)], tmp_path / "out", TODAY)
    ws = open_sheet(path)
    n = len(labels("patent"))
    assert ws.title == "职工创新发明专利助推汇总表"
    assert ws["A1"].value == "2022年职工创新发明专利助推汇总表"
    assert ws["A1"].font.b and ws["A1"].font.sz >= 14
    assert ws["A1"].alignment.horizontal == "center"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"A1:{get_column_letter(n)}1" in merged
    info = [c.value for c in ws[2] if c.value]
    assert info == [f"填报单位（盖章）：{UNION}", "联系人：赵敏", "电话：010-83570885", "填报日期：2022年10月25日"]
    assert sum(1 for r in merged if r.endswith("2") and r.startswith(tuple("ABCDEFGHIJKLMNOPQ"))) >= 3
    assert header(ws) == labels("patent")
    assert header(ws)[0] == "序号" and header(ws)[-1] == "校验码"
    for cell in ws[3]:
        assert cell.font.b and cell.alignment.wrap_text and cell.border.left.style == "thin"
    assert ws.max_column == n


def test_patent_row_values_and_types(tmp_path, patent):
    id_number = make_id_number("110105", dt.date(1975, 3, 8), 12, male=True)
    assert id_number.isdigit() and len(id_number) == 18
    set_path(patent, "inventor.id_number", id_number)
    set_path(patent, "inventor.union_card_no", "0214680000012345672")  # 19 digits, leading zero
    app = load_app(tmp_path, "p.json", patent)
    [path] = summary.write_summaries([app], tmp_path, TODAY)
    ws = open_sheet(path)
    assert ws.max_row == 5  # title, sender, header, one application, totals
    row = row_cells(ws, 4)
    assert row["序号"].value == 1
    assert row["专利名称"].value == "一种数控车床刀具快速定位装置"
    assert row["第一发明人"].value == "王建国"
    assert row["性别"].value == "女"
    assert row["校验码"].value == app.check_code
    assert row["授权公告日"].value == dt.datetime(2021, 6, 15)
    assert row["授权公告日"].is_date and row["授权公告日"].number_format == "yyyy-mm-dd"
    for label, exact in (
        ("专利号", "ZL201810053768.3"),
        ("身份证号", id_number),
        ("工会会员互助服务卡号", "0214680000012345672"),
        ("联系电话", "13800138000"),
        ("校验码", app.check_code),
    ):
        cell = row[label]
        assert cell.value == exact, label
        assert cell.data_type == "s" and cell.number_format == "@", label
    amount = row["助推金额（元）"]
    assert amount.value == 3000 and amount.data_type == "n" and amount.number_format == "#,##0"
    assert row["其中市总工会（元）"].value == 1500
    assert row["其中区、局、集团（公司）工会（元）"].value == 1500
    for cell in row.values():
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
        assert cell.alignment.vertical == "center"
        assert cell.font.name == "宋体"


def test_patent_totals(tmp_path, patent):
    first = load_app(tmp_path, "a.json", patent)
    set_path(patent, "inventor.name", "李四")
    set_path(patent, "patent.inventors", ["李四"])
    set_path(patent, "patent.number", "ZL201410026192.3")
    second = load_app(tmp_path, "b.json", patent)
    [path] = summary.write_summaries([first, second], tmp_path / "out", TODAY)
    ws = open_sheet(path)
    assert [ws.cell(r, 1).value for r in (4, 5)] == [1, 2]
    assert [row_cells(ws, r)["第一发明人"].value for r in (4, 5)] == ["王建国", "李四"]  # order given
    totals = row_cells(ws, 6)
    assert totals["序号"].value == "合计"
    assert totals["专利名称"].value == "共2项"
    assert totals["助推金额（元）"].value == 6000
    assert totals["其中市总工会（元）"].value == 3000
    assert totals["其中区、局、集团（公司）工会（元）"].value == 3000
    assert totals["身份证号"].value is None and totals["校验码"].value is None
    assert all(c.font.b for c in totals.values())
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for c in totals.values())
    assert ws.max_row == 6


def test_project_tiers_split_and_totals(tmp_path, project):
    city_level = load_app(tmp_path, "a.json", project)  # 100000, municipal_demo, 1:1
    set_path(project, "studio.name", "李梅职工创新工作室")
    set_path(project, "studio.level", "district")
    set_path(project, "project.requested_tier", 30000)
    set_path(project, "project.total_budget", 100000)
    set_path(
        project,
        "project.budget",
        [
            {"item": "材料费", "amount": 70000, "source": "enterprise"},
            {"item": "测试加工费", "amount": 30000, "source": "boost"},
        ],
    )
    district = load_app(tmp_path, "b.json", project)
    [path] = summary.write_summaries([city_level, district], tmp_path / "out", TODAY)
    assert path.name == PROJECT_FILE
    ws = open_sheet(path)
    assert ws["A1"].value == "2022年创新项目助推汇总表"
    assert header(ws) == labels("project")
    first, second, totals = row_cells(ws, 4), row_cells(ws, 5), row_cells(ws, 6)
    assert first["工作室级别"].value == "市级示范性职工创新工作室"
    assert second["工作室级别"].value == "区、局、集团（公司）级职工创新工作室"
    assert first["项目类别"].value == "技术攻关"
    assert first["企业立项日期"].value == dt.datetime(2022, 3, 1)
    assert first["计划完成日期"].number_format == "yyyy-mm-dd"
    assert first["联系电话"].value == "13800138000" and first["联系电话"].data_type == "s"
    tier = first["申请助推金额（元）"]
    assert tier.value == 100000 and tier.data_type == "n" and tier.number_format == "#,##0"
    assert [first[k].value for k in ("其中市总工会（元）", "其中区、局、集团（公司）工会（元）")] == [50000, 50000]
    assert second["申请助推金额（元）"].value == 30000
    assert [second[k].value for k in ("其中市总工会（元）", "其中区、局、集团（公司）工会（元）")] == [10000, 20000]
    assert second["校验码"].value == district.check_code
    assert totals["序号"].value == "合计" and totals["项目名称"].value == "共2项"
    assert totals["项目总经费（元）"].value == 500000
    assert totals["启动资金（元）"].value == 400000
    assert totals["申请助推金额（元）"].value == 130000
    assert totals["其中市总工会（元）"].value == 60000
    assert totals["其中区、局、集团（公司）工会（元）"].value == 70000
    assert totals["项目总经费（元）"].number_format == "#,##0"


def test_shares_with_fen(tmp_path, project, monkeypatch):
    app = load_app(tmp_path, "a.json", project)
    monkeypatch.setattr(
        values, "boost", lambda a: values.Boost(100000, Decimal("33333.33"), Decimal("66666.67"), (1, 2))
    )
    [path] = summary.write_summaries([app, app], tmp_path / "out", TODAY)
    ws = open_sheet(path)
    city = row_cells(ws, 4)["其中市总工会（元）"]
    assert city.value == pytest.approx(33333.33) and city.number_format == "#,##0.00"
    totals = row_cells(ws, 6)
    assert totals["其中市总工会（元）"].value == pytest.approx(66666.66)
    assert totals["其中区、局、集团（公司）工会（元）"].value == 133333.34
    assert totals["其中区、局、集团（公司）工会（元）"].number_format == "#,##0.00"
    assert summary.money_cell(Decimal("33333.33")).text == "33,333.33"
    assert summary.money_cell(Decimal("1500.00")).value == 1500


def test_drafts_values_as_typed_stay_text(tmp_path, patent):
    set_path(patent, "patent.grant_date", "2021-02-30")  # impossible date: kept as typed
    set_path(patent, "patent.title", '=HYPERLINK("http://x")')  # never a formula
    del patent["inventor"]["phone"]
    app = load_app(tmp_path, "p.json", patent)
    assert summary.summary_rows([app], app.form)[0][3] == "2021-02-30"
    [path] = summary.write_summaries([app], tmp_path, TODAY)
    row = row_cells(open_sheet(path), 4)
    assert row["授权公告日"].value == "2021-02-30" and row["授权公告日"].data_type == "s"
    assert row["专利名称"].value == '=HYPERLINK("http://x")' and row["专利名称"].data_type == "s"
    assert row["联系电话"].value is None
    assert row["联系电话"].number_format == "@"  # typed in later, it still stays text


def test_page_setup_freeze_and_widths(tmp_path, patent):
    [path] = summary.write_summaries([load_app(tmp_path, "p.json", patent)], tmp_path, TODAY)
    ws = open_sheet(path)
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.horizontalCentered
    widths = {label: ws.column_dimensions[get_column_letter(i)].width for i, label in enumerate(header(ws), 1)}
    identifiers = {"专利号", "身份证号", "工会会员互助服务卡号", "联系电话", "校验码"}
    assert all(6 <= w <= summary.MAX_WIDTH for label, w in widths.items() if label not in identifiers)
    assert widths["专利名称"] == summary.MAX_WIDTH  # 14 wide characters: wraps at the cap
    assert widths["身份证号"] >= 18 and widths["工会会员互助服务卡号"] >= 19  # identifiers never wrap
    assert widths["序号"] < widths["身份证号"]
    assert summary.text_width("王建国a1") == 8


def test_draft_naming(tmp_path, patent, project):
    apps = [load_app(tmp_path, "p.json", patent), load_app(tmp_path, "j.json", project)]
    paths = summary.write_summaries(apps, tmp_path / "out", TODAY, draft=True)
    assert [p.name for p in paths] == [
        PATENT_FILE.replace(".xlsx", "_草稿.xlsx"),
        PROJECT_FILE.replace(".xlsx", "_草稿.xlsx"),
    ]
    assert open_sheet(paths[0])["A1"].value == "2022年职工创新发明专利助推汇总表（草稿）"
    assert open_sheet(paths[1])["A1"].value == "2022年创新项目助推汇总表（草稿）"


def test_rewrite_replaces_the_file(tmp_path, patent):
    app = load_app(tmp_path, "p.json", patent)
    out = tmp_path / "out"
    [first] = summary.write_summaries([app], out, TODAY)
    [again] = summary.write_summaries([app, app], out, TODAY)
    assert first == again and open_sheet(again).max_row == 6
    assert sorted(p.name for p in out.iterdir()) == [PATENT_FILE]


def test_unwritable_folder_names_the_file(tmp_path, patent):
    app = load_app(tmp_path, "p.json", patent)
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    with pytest.raises(InputError) as info:
        summary.write_summaries([app], blocker / "out", TODAY)
    assert info.value.file == str(blocker / "out" / PATENT_FILE)
    assert "无法保存" in info.value.message and "文件夹权限" in info.value.message


def test_demo_batch(tmp_path):
    result = generate(tmp_path / "demo", patents=3, projects=2, with_errors=False, seed=3)
    apps = [appfile.load(p) for p in result.applications]
    patents = [a for a in apps if a.form.form == "patent"]
    projects = [a for a in apps if a.form.form == "project"]
    paths = summary.write_summaries(apps, tmp_path / "out", TODAY)
    sender = values.sender(apps)
    assert [p.name for p in paths] == [
        f"附件2_职工创新发明专利助推汇总表_{naming.safe_name(sender.name)}.xlsx",
        f"附件4_创新项目助推汇总表_{naming.safe_name(sender.name)}.xlsx",
    ]
    for path, group in zip(paths, (patents, projects), strict=True):
        ws = open_sheet(path)
        assert ws.max_row == 3 + len(group) + 1
        for r, app in enumerate(group, start=4):
            row = row_cells(ws, r)
            assert row["序号"].value == r - 3
            assert row["校验码"].value == app.check_code
            assert row["助推金额（元）" if app.form.form == "patent" else "申请助推金额（元）"].data_type == "n"
        if group is patents:
            for r, app in enumerate(group, start=4):
                row = row_cells(ws, r)
                assert row["专利号"].value == app.get("patent.number")
                assert row["身份证号"].value == app.get("inventor.id_number")
                assert row["身份证号"].data_type == "s" and row["身份证号"].number_format == "@"
                assert row["工会会员互助服务卡号"].value == app.get("inventor.union_card_no")
                assert row["第一发明人"].value == app.get("inventor.name")
            assert row_cells(ws, ws.max_row)["助推金额（元）"].value == 3000 * len(group)
        else:
            total = sum(a.get("project.requested_tier") for a in group)
            assert row_cells(ws, ws.max_row)["申请助推金额（元）"].value == total
