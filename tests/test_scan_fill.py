"""The application against its certificate as read (P022), and the values filled in from it
(P023, 来自扫描件，请核对): checks, the workspace's readings, the command line (issue 20)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import write_json
from zhutui import confirmations
from zhutui.appfile import from_data
from zhutui.checks import check_application
from zhutui.demo import generate
from zhutui.workspace.store import Workspace

TODAY = dt.date(2022, 10, 10)
READ = {
    "patent.title": "一种数控车床刀具快速定位装置",
    "patent.number": "ZL201810053768.3",
    "patent.grant_date": "2021-06-15",
    "patent.patentee": "北京精工机床有限公司",
    "patent.inventors": ["王建国", "李四"],
}


def _found(app, code: str) -> dict[str, str]:
    return {f.path: f.message for f in check_application(app, TODAY, files=False) if f.code == code}


def test_a_typed_grant_date_other_than_the_certificates_is_p022_at_the_field(patent):
    patent["patent"]["grant_date"] = "2021-06-16"
    app = from_data(patent)
    assert _found(app, "P022") == {}  # nothing read: nothing compared
    app.certificate = dict(READ)
    found = _found(app, "P022")
    assert list(found) == ["patent.grant_date"]
    assert (
        "授权公告日填写为“2021-06-16”" in found["patent.grant_date"]
        and "识别为“2021-06-15”" in found["patent.grant_date"]
    )


def test_inventors_in_another_order_and_every_compared_field(patent):
    patent["patent"].update(
        inventors=["李四", "王建国"],
        title="一种数控车床刀具定位装置",
        patentee="北京精工机床公司",
        number="ZL201810053769.X",
    )
    app = from_data(patent)
    app.certificate = dict(READ)
    found = _found(app, "P022")
    assert set(found) == {"patent.inventors", "patent.title", "patent.patentee", "patent.number"}
    assert "顺序不同" in found["patent.inventors"] and "李四、王建国" in found["patent.inventors"]


def test_widths_and_spaces_are_not_a_difference(patent):
    patent["patent"]["patentee"] = "北京精工机床有限公司 "
    app = from_data(patent)
    app.certificate = {**READ, "patent.title": "一种数控车床刀具快速定位装置"}
    assert _found(app, "P022") == {}


def test_p022_is_confirmable_like_other_warnings(patent):
    patent["patent"]["grant_date"] = "2021-06-16"
    patent[confirmations.KEY] = [{"code": "P022", "path": "patent.grant_date", "value": "2021-06-16"}]
    app = from_data(patent)
    app.certificate = dict(READ)
    (finding,) = [f for f in check_application(app, TODAY, files=False) if f.code == "P022"]
    assert finding.severity == "warning" and finding.confirmed


@pytest.fixture
def ws(tmp_path):
    with Workspace(tmp_path / "ws") as workspace:
        yield workspace


def test_filling_sets_only_empty_fields_and_marks_each_for_review(ws, workdir, patent):
    for key in ("title", "number", "inventors"):
        del patent["patent"][key]
    patent["patent"]["grant_date"] = "2021-06-16"  # typed: kept, and compared
    app_id = ws.import_file(write_json(workdir, "p.json", patent))
    assert ws.fill_from(app_id, READ) == ["patent.title", "patent.number", "patent.inventors"]
    app = ws.application(app_id)
    assert app.get("patent.grant_date") == "2021-06-16" and app.get("patent.inventors") == ["王建国", "李四"]
    review = _found(app, "P023")
    assert set(review) == {"patent.title", "patent.number", "patent.inventors"}
    assert all(m.startswith("来自扫描件，请核对") for m in review.values())
    # Edited: the user's own now. Confirmed: looked at.
    ws.set_field(app_id, "patent.title", "一种数控车床刀具快速定位装置（改）")
    ws.confirm(app_id, [("P023", "patent.number")])
    findings = [f for f in check_application(ws.application(app_id), TODAY, files=False) if f.code == "P023"]
    assert {(f.path, f.confirmed) for f in findings} == {("patent.number", True), ("patent.inventors", False)}


def test_the_reading_is_kept_by_hash_sealed_and_compared(ws, workdir, patent, tmp_path):
    patent["patent"]["grant_date"] = "2021-06-16"
    app_id = ws.import_file(write_json(workdir, "p.json", patent))
    (cert,) = [a for a in ws.attachments(app_id) if a.kind == "patent_certificate"]
    assert cert.sha256 and ws.certificate_values(app_id) is None
    ws.set_reading(cert.sha256, {"certificate": True, "values": READ})
    assert ws.reading(cert.sha256) == {"certificate": True, "values": READ}
    assert list(_found(ws.application(app_id), "P022")) == ["patent.grant_date"]
    if ws.vault.mode not in (None, "plain"):  # sealed like the applications: no name in the clear
        raw = ws.con.execute("SELECT data FROM readings").fetchone()[0]
        assert "王建国" not in raw and "精工" not in raw


def test_check_reads_the_certificates_when_asked(run, tmp_path):
    made = generate(tmp_path / "batch", patents=1, projects=0, with_errors=False, seed=4)
    (path,) = made.applications
    data = json.loads(path.read_text(encoding="utf-8"))
    data["patent"]["grant_date"] = "2021-01-02"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, findings = run.check(path)
    assert not [f for f in findings if f["code"] == "P022"]
    code, out, _err = run("check", str(path), "--today", "2022-10-10", "--format", "json", "--read-certificates")
    p022 = [f for f in json.loads(out)["findings"] if f["code"] == "P022"]
    assert [f["path"] for f in p022] == ["patent.grant_date"]
    assert "2021-01-02" in p022[0]["message"]
