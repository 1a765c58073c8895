"""Patent checks (P codes) and the field checks on the patent form, each on both sides of its rule."""

from __future__ import annotations

import pytest

from tests.conftest import DELETE, codes, set_path, write_json
from zhutui.identifiers import make_patent_number


def check_one(run, workdir, data, **kw):
    status, findings = run.check(write_json(workdir, "a.json", data), **kw)
    return status, findings


def test_valid_patent_has_no_findings(run, workdir, patent):
    status, findings = check_one(run, workdir, patent)
    assert (status, findings) == (0, [])


# (field, value, expected (code, path) or None when the value must pass)
CASES = [
    # P001 / P002 / P003: the patent number, with real public numbers
    ("patent.number", "ZL 2014 1 0026192.3", None),
    ("patent.number", "ＺＬ２０１８１００５３７６８．３", None),
    ("patent.number", "cn201810053768.3", None),
    ("patent.number", "201810053768.3", None),
    ("patent.number", "ZL95115608.X", None),
    ("patent.number", "ZL95115608.x", None),
    ("patent.number", "ZL2018100537683", None),
    ("patent.number", "ZL201410026192·3", None),
    ("patent.number", "ZL：201410026192.3", None),
    ("patent.number", "ZL20181005376.3", ("P001", "patent.number")),
    ("patent.number", "发明专利", ("P001", "patent.number")),
    ("patent.number", "ZL201810053768", ("P001", "patent.number")),
    ("patent.number", "ZL201810053768.4", ("P002", "patent.number")),
    ("patent.number", "ZL201810053786.3", ("P002", "patent.number")),
    ("patent.number", "ZL201620406833.2", ("P003", "patent.number")),  # utility model
    ("patent.number", make_patent_number(2018, 3, 123456), ("P003", "patent.number")),  # design
    # P004: the grant window 2021-01-01 … 2021-12-31
    ("patent.grant_date", "2021-01-01", None),
    ("patent.grant_date", "2021-12-31", None),
    ("patent.grant_date", "2020-12-31", ("P004", "patent.grant_date")),
    ("patent.grant_date", "2022-01-01", ("P004", "patent.grant_date")),
    ("patent.grant_date", "2021/12/31", None),
    ("patent.grant_date", "2021-02-30", ("F003", "patent.grant_date")),
    # P005 / P006 / P007
    ("inventor.frontline", False, ("P005", "inventor.frontline")),
    ("inventor.frontline", DELETE, ("F001", "inventor.frontline")),
    ("inventor.union_card_no", DELETE, ("P006", "inventor.union_card_no")),
    ("inventor.union_card_no", "", ("P006", "inventor.union_card_no")),
    ("inventor.union_card_no", "6214680000012345673", ("F014", "inventor.union_card_no")),
    ("patent.inventors", ["李四", "王建国"], ("P007", "patent.inventors[0]")),
    ("patent.inventors", ["王 建国", "李四"], None),
    # P010: applied_since must exist and not be later than today (2022-10-10)
    ("patent.applied_since", DELETE, ("P010", "patent.applied_since")),
    ("patent.applied_since", "2022-10-10", None),
    ("patent.applied_since", "2022-10-11", ("P010", "patent.applied_since")),
    # P020 / P021
    ("patent.patentee", "某某大学", ("P020", "patent.patentee")),
    ("patent.patentee", "某某大学；北京精工机床有限公司", None),
    ("patent.field", "其他", ("P021", "patent.field")),
    ("patent.field", "医药健康", None),
    # F checks on this form
    ("patent.title", "", ("F001", "patent.title")),
    ("patent.title", "装" * 100, None),
    ("patent.title", "装" * 101, ("F002", "patent.title")),
    ("patent.application_summary", "效" * 501, ("F002", "patent.application_summary")),
    ("inventor.id_number", "11010519491231002x", None),
    ("inventor.id_number", "110105194912310021", ("F010", "inventor.id_number")),
    ("inventor.id_number", "11010519491331002X", ("F010", "inventor.id_number")),
    ("inventor.gender", "男", ("F011", "inventor.gender")),
    ("inventor.gender", "M", ("F004", "inventor.gender")),
    ("inventor.phone", "1380013800", ("F012", "inventor.phone")),
    ("inventor.phone", "83570885", ("F012", "inventor.phone")),
    ("inventor.phone", "010 8357 0885", None),
    ("unit_union.phone", "010-12345678", None),
    # Landlines: 8 digits after 010 / 02x, 7 or 8 after a four-digit area code
    ("unit_union.phone", "010-8357088", ("F012", "unit_union.phone")),
    ("unit_union.phone", "010-83570886", None),
    ("unit_union.phone", "021-1234567", ("F012", "unit_union.phone")),
    ("unit_union.phone", "0571-1234567", None),
    ("unit_union.phone", "0571-12345678", None),
    ("inventor.phone", "010-8357088", ("F012", "inventor.phone")),
    ("inventor.employer_uscc", "91350100M000100Y44", ("F013", "inventor.employer_uscc")),
    ("inventor.employer_uscc", DELETE, None),
    ("superior_union.name", "  ", ("F001", "superior_union.name")),
]


@pytest.mark.parametrize(("key", "value", "expected"), CASES, ids=[f"{k}={v!r}"[:60] for k, v, _ in CASES])
def test_patent_field_rule(run, workdir, patent, key, value, expected):
    set_path(patent, key, value)
    status, findings = check_one(run, workdir, patent)
    errors = [f for f in findings if f["severity"] == "error"]
    if expected is None:
        assert findings == []
        assert status == 0
    else:
        assert expected in codes(findings), findings
        assert status == (1 if errors else 0)


def test_pct_invention_is_accepted(run, workdir, patent):
    patent["patent"]["number"] = make_patent_number(2019, 8, 1234567)
    assert check_one(run, workdir, patent) == (0, [])


def test_p003_names_the_kind(run, workdir, patent):
    patent["patent"]["number"] = "ZL201620406833.2"
    _, findings = check_one(run, workdir, patent)
    (finding,) = findings
    assert finding["severity"] == "error"
    assert "实用新型" in finding["message"]


def test_missing_attachments(run, workdir, patent):
    patent["attachments"] = [{"kind": "other", "file": "scans/cert.jpg", "title": "说明"}]
    status, findings = check_one(run, workdir, patent)
    assert status == 1
    assert {("P011", "attachments"), ("P012", "attachments")} <= codes(findings)


def test_batch_same_person_and_same_patent(run, workdir, patent):
    first = write_json(workdir, "a.json", patent)
    second = dict(patent, patent=dict(patent["patent"], number="ZL201410026192.3"))
    b = write_json(workdir, "b.json", second)
    third = dict(patent, inventor=dict(patent["inventor"], id_number="110105198001010139", gender="男"))
    c = write_json(workdir, "c.json", third)
    status, findings = run.check(first, b, c)
    assert status == 1
    by_file = {(f["file"], f["code"], f["path"]) for f in findings}
    # a and b share the inventor's ID; a and c share the patent number.
    assert (str(first), "P008", "inventor.id_number") in by_file
    assert (str(b), "P008", "inventor.id_number") in by_file
    assert (str(c), "P008", "inventor.id_number") not in by_file
    assert (str(first), "P009", "patent.number") in by_file
    assert (str(c), "P009", "patent.number") in by_file
    assert (str(b), "P009", "patent.number") not in by_file


def test_batch_same_patent_written_differently(run, workdir, patent):
    a = write_json(workdir, "a.json", patent)
    other = dict(
        patent,
        patent=dict(patent["patent"], number="ＺＬ 2018 1 0053768．3"),
        inventor=dict(patent["inventor"], id_number="110105198001010139", gender="男"),
    )
    b = write_json(workdir, "b.json", other)
    _, findings = run.check(a, b)
    assert {f["code"] for f in findings} == {"P009"}
    assert len(findings) == 2


def test_one_person_in_two_plan_years_is_allowed(run, workdir, patent):
    a = write_json(workdir, "a.json", patent)
    older = dict(
        patent, plan_year=2021, patent=dict(patent["patent"], number="ZL201410026192.3", grant_date="2020-05-06")
    )
    b = write_json(workdir, "b.json", older)
    _, findings = run.check(a, b, today=None)
    assert "P008" not in {f["code"] for f in findings}
