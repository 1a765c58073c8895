"""A new form is one file in ``forms/`` (issue 17): two forms the programme doesn't have, written
from ``forms/README.md`` alone (``tests/forms_extra/``), are loaded, checked, printed, tabulated,
packaged, handed over and edited with no code of their own.

``mentor.yaml`` (名师带徒) has a boost from its own section of the plan file, an identity with a
duplicate finding (F006) and a summary table; ``honor.yaml`` is the smallest valid form: no
boost, no rule set, no plan facts, no summary table.
"""

from __future__ import annotations

import copy
import email
import re
import shutil
import subprocess
import zipfile
from email import policy
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from tests.conftest import VALID_PATENT, make_scans, write_json
from tests.gui_support import make_window
from zhutui import appfile
from zhutui.errors import DefinitionError
from zhutui.formdef import all_forms, parse_form
from zhutui.paths import FORMS_DIR_ENV, forms_dir

EXTRA = Path(__file__).parent / "forms_extra"

MENTOR = {
    "form": "mentor",
    "plan_year": 2022,
    "mentor": {
        "name": "欧阳一明",
        "gender": "女",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "email": "ＯＵＹＡＮＧ＠Example.COM ",
        "skill": "数控机床装调",
        "since": "2022年3月1日",
        "apprentices": [{"name": "李小龙", "post": "车工"}, {"name": "王芳"}],
        "plan": "每周两次现场教学，年内使两名徒弟取得高级工证书。",
    },
    "unit_union": {"name": "北京精工机床有限公司工会", "contact": "赵敏", "phone": "010-83570885"},
    "superior_union": {"name": "北京市朝阳区总工会"},
    "attachments": [{"kind": "skill_certificate", "file": "scans/cert.jpg"}],
}
HONOR = {
    "form": "honor",
    "plan_year": 2022,
    "honor": {"title": "一种刀具快速定位方法", "holder": "王建国", "year": "２０２１"},
}


@pytest.fixture
def forms_copy(tmp_path, monkeypatch) -> Path:
    """The shipped ``forms/`` with the two extra forms, and a ``mentor`` section in 2022's plan."""
    folder = tmp_path / "forms"
    shutil.copytree(forms_dir(), folder)
    for path in EXTRA.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    plan = folder / "plans" / "2022.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        + "\nmentor:\n  amount: 5000\n  split: [1, 1]\n  apply_from: 2022-01-01\n  max_apprentices: 3\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(FORMS_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def batch(forms_copy, tmp_path) -> Path:
    folder = tmp_path / "申报"
    make_scans(folder)
    write_json(folder, "mentor.json", MENTOR)
    write_json(folder, "honor.json", HONOR)
    write_json(folder, "patent.json", VALID_PATENT)
    return folder


def test_the_forms_are_discovered_in_their_order(forms_copy):
    forms = all_forms()
    assert list(forms) == ["patent", "project", "mentor", "honor"]  # by attachment_no
    assert forms["mentor"].new_label == "新建名师带徒申报" and forms["mentor"].count_label == "名师带徒"
    assert forms["honor"].boost is None and forms["honor"].summary is None and forms["honor"].rules == ()


def test_a_form_section_of_the_plan_is_read_by_its_fact_types(forms_copy):
    from zhutui.planfacts import fact_display
    from zhutui.plans import fact_label, get_plan

    plan = get_plan(2022)
    assert plan.section("mentor") == {
        "amount": 5000,
        "split": (1, 1),
        "apply_from": plan.section("mentor")["apply_from"],
        "max_apprentices": 3,
    }
    assert fact_label("mentor.amount") == "每名师傅助推金额（元）"
    assert fact_display("mentor.amount", 5000) == "5,000元"
    assert fact_display("mentor.max_apprentices", 3) == "3人"
    assert fact_display("mentor.split", [1, 1]) == "1 : 1"
    assert get_plan(2021).section("mentor") == dict.fromkeys(("amount", "split", "apply_from", "max_apprentices"))
    assert "每名师傅助推5,000元" in "师傅须为{plan_year}年在岗；每名师傅助推{mentor.amount}元".format_map(
        plan.template_values
    )


def test_check_uses_the_definition_alone(run, batch):
    status, findings = run.check(batch)
    assert status == 0, findings
    # What was typed is normalised as the formats say: the e-mail address, the date, the year.
    loaded = appfile.load(batch / "mentor.json")
    assert loaded.get("mentor.email") == "OUYANG@example.com" and loaded.get("mentor.since") == "2022-03-01"


def test_findings_of_a_third_form(run, batch):
    broken = copy.deepcopy(MENTOR)
    broken["mentor"]["email"] = "ouyang.example.com"
    broken["mentor"]["apprentices"][0].pop("name")
    del broken["attachments"]
    write_json(batch, "mentor.json", broken)
    write_json(batch, "mentor2.json", MENTOR)  # the same mentor twice: F006 at the identity
    status, findings = run.check(batch)
    found = {(f["code"], f["path"]) for f in findings if "mentor" in f["file"]}
    assert status == 1
    assert {
        ("F015", "mentor.email"),
        ("F001", "mentor.apprentices[0].name"),
        ("F001", "attachments"),
        ("F006", "mentor.id_number"),
    } <= found
    missing = next(f for f in findings if f["code"] == "F001" and f["path"] == "attachments")
    assert missing["message"] == "请添加“师傅技能证书”。"
    f006 = next(f for f in findings if f["code"] == "F006")
    assert "师傅身份证号“11010519491231002X”相同的申报在本批中重复出现" in f006["message"]
    # No rule set of another form applies: nothing P or J.
    assert not [c for c, _ in found if c[0] in "PJ"]


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_render_summary_and_package(run, batch, tmp_path):
    out = tmp_path / "打印"
    status, _, err = run("render", batch, "--out", out, "--today", "2022-10-10")
    assert status == 0, err
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert "附件5_名师带徒助推申报表_欧阳一明.pdf" in pdfs and "附件7_自主创新成果登记表_王建国.pdf" in pdfs
    mentor = _pdf_text(out / "附件5_名师带徒助推申报表_欧阳一明.pdf")
    assert "北京市总工会2022年名师带徒助推申报表" in mentor and "李小龙" in mentor
    assert "5,000元（人民币伍仟元整）" in mentor and "2,500元（人民币贰仟伍佰元整）" in mentor
    honor = _pdf_text(out / "附件7_自主创新成果登记表_王建国.pdf")
    assert "一种刀具快速定位方法" in honor and "助推资金" not in honor and "未公布" not in honor

    status, _, err = run("summary", batch, "--out", tmp_path / "表", "--today", "2022-10-10")
    assert status == 0, err
    tables = sorted(p.name for p in (tmp_path / "表").glob("*.xlsx"))
    assert [t.split("_")[0] for t in tables] == ["附件2", "附件6"]  # honor has no table
    sheet = load_workbook(next((tmp_path / "表").glob("附件6_*.xlsx"))).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "欧阳一明" in cells and "11010519491231002X" in cells and "5000" in cells and "2500" in cells

    status, _, err = run("package", batch, "--out", tmp_path / "邮件", "--today", "2022-10-10")
    assert status == 0, err
    eml = next((tmp_path / "邮件").glob("*/邮件.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    files = sorted(p.name for p in eml.parent.iterdir())
    assert any(n.startswith("附件5_01_欧阳一明") for n in files) and any(n.startswith("附件6_") for n in files)
    assert any(n.startswith("附件7_") for n in files) and not any(n.startswith("附件8_") for n in files)
    with zipfile.ZipFile(next((tmp_path / "邮件").glob("*.zip"))) as zf:
        pdfs_in_zip = [n for n in zf.namelist() if n.endswith((".pdf", ".xlsx"))]
    assert len(pdfs_in_zip) == len([n for n in files if n.endswith((".pdf", ".xlsx"))])
    assert message["Subject"].endswith("发明专利1项 名师带徒1项 创新成果1项")
    body = message.get_body(("plain",)).get_content()
    assert "发明专利助推申报1项、名师带徒申报1项、创新成果申报1项" in body
    names = [part.get_filename() for part in message.iter_attachments()]
    assert any(n.startswith("附件5_01_欧阳一明") for n in names) and any(n.startswith("附件6_") for n in names)


def test_bundles_know_the_identity(run, batch, tmp_path):
    workspace = tmp_path / "工作区"
    status, _, err = run("bundle", "export", batch, "--out", tmp_path / "a.zhutui")
    assert status == 0, err
    assert run("bundle", "import", tmp_path / "a.zhutui", "--into", workspace)[0] == 0
    status, out, err = run("bundle", "import", tmp_path / "a.zhutui", "--into", workspace)
    assert status == 0, err
    assert "师傅身份证号相同" in out + err


def test_a_broken_third_form_names_file_and_key(forms_copy):
    data = yaml.safe_load((EXTRA / "mentor.yaml").read_text(encoding="utf-8"))
    for mutate, key in [
        (lambda d: d["boost"]["amount"].update(plan="mentor.nope"), "boost.amount.plan"),
        (lambda d: d.update(rules=["mentoring"]), "rules[0]"),
        (lambda d: d["plan"]["facts"][0].update(type="yuan"), "plan.facts[0].type"),
        (lambda d: d["identity"].update(duplicate_code="X999"), "identity.duplicate_code"),
        (lambda d: d.pop("boost"), "summary.columns[4].value"),
        # What would fail later, at a check or on a page, fails when the definition is read.
        (lambda d: d["sections"][0]["fields"][0].update(missing_code="Z123"), "sections[0].fields[0].missing_code"),
        (lambda d: d["attachments"][0].update(missing_code="Z123"), "attachments[0].missing_code"),
        (lambda d: d["sections"][0].update(help="{mentor.amout}"), "sections[0].help"),
        (lambda d: d["sections"][0].update(help="{plan_yr}年"), "sections[0].help"),
        (lambda d: d["sections"][0].update(help="多于{一"), "sections[0].help"),
        (lambda d: d["sections"][0]["fields"][1].update(help="{0}"), "sections[0].fields[1].help"),
        (lambda d: d.update(intro="{mentor.amount.x}"), "intro"),
        (lambda d: d["summary"]["columns"][1].update(field="mentor.apprentices"), "summary.columns[1].field"),
        (lambda d: d["attachments"][1].update(kind="skill_certificate"), "attachments[1].kind"),
        (lambda d: d["sections"][1].update(key="mentor"), "sections[1].key"),
        (lambda d: d["sections"][0]["fields"][6].update(format="name"), "sections[0].fields[6].format"),
    ]:
        broken = copy.deepcopy(data)
        mutate(broken)
        with pytest.raises(DefinitionError) as err:
            parse_form(Path("forms/mentor.yaml"), broken)
        assert err.value.key == key, (key, str(err.value))


def test_two_forms_can_not_share_an_attachment_number(forms_copy):
    text = (forms_copy / "honor.yaml").read_text(encoding="utf-8").replace("attachment_no: 7", "attachment_no: 1")
    (forms_copy / "honor.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        all_forms()
    assert err.value.key == "attachment_no" and "附件1已由 " in str(err.value)
    assert {"honor.yaml", "patent.yaml"} <= set(re.findall(r"\w+\.yaml", str(err.value)))


def test_an_application_of_an_unknown_form_is_refused(run, batch):
    write_json(batch, "x.json", {**HONOR, "form": "apprentice"})
    status, _, err = run("check", batch / "x.json")
    assert status == 2 and "未知的表单类型“apprentice”，应为 patent 或 project 或 mentor 或 honor" in err


def test_the_app_edits_a_third_form(qtbot, batch, tmp_path):

    from zhutui.workspace.store import Workspace

    with Workspace(tmp_path / "workspace") as ws:
        mentor_id = ws.import_file(batch / "mentor.json")
    window, session = make_window(qtbot, tmp_path)
    try:
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert titles[:5] == ["首页", "发明专利助推", "创新项目助推", "名师带徒", "创新成果"]
        assert set(window.home.new_buttons) == {"patent", "project", "mentor", "honor"}
        assert window.home.new_buttons["honor"].text() == "新建创新成果申报"
        # The mentor's application opens in its editor, built from the definition: a finding at its field.
        window.open_problem(mentor_id, "mentor.email")
        editor = window.form_pages["mentor"].editor
        row = editor.row("mentor.email")
        row.input.edit.setFocus()
        row.input.edit.selectAll()
        qtbot.keyClick(row.input.edit, Qt.Key.Key_Delete)
        qtbot.keyClicks(row.input.edit, "ouyang.example.com")
        qtbot.waitUntil(lambda: "@" in row.message.text())
        assert row.property("severity") == "error"
        assert session.ws.record(mentor_id).data["mentor"]["email"] == "ouyang.example.com"
        # A new one of the smallest form, from 首页.
        window.home.new_buttons["honor"].click()
        editor = window.form_pages["honor"].editor
        assert session.ws.record(editor.app_id).form == "honor"
        title = editor.row("honor.title").input.edit
        title.setFocus()
        qtbot.keyClicks(title, "abc")
        assert session.ws.record(editor.app_id).data["honor"]["title"] == "abc"
        # A form without a boost has no boost in 设置 either way, and its union fields are filled.
        assert window.form_pages["mentor"].model.rowCount() == 1
    finally:
        window.close()


def test_a_relative_workspace_folder_finds_its_attachments(run, batch, tmp_path, monkeypatch):
    from zhutui.workspace.store import Workspace

    with Workspace(tmp_path / "ws") as ws:
        ws.import_file(batch / "mentor.json")
    monkeypatch.chdir(tmp_path)
    status, findings = run.check("ws")
    assert status == 0, findings


def test_the_rule_sets_name_their_placeholders():
    from zhutui.plans import get_plan
    from zhutui.rulesets import RULE_SETS

    plan = get_plan(2022)
    for rule_set in RULE_SETS.values():
        assert set(rule_set.placeholders(plan.section(rule_set.section))) == set(rule_set.placeholder_names)
