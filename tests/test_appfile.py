"""The application file: strict load, normalisation, canonical save, 校验码."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DELETE, VALID_PATENT, VALID_PROJECT, set_path, write_json
from zhutui import appfile
from zhutui.errors import InputError


@pytest.mark.parametrize("data", [VALID_PATENT, VALID_PROJECT], ids=["patent", "project"])
def test_save_load_is_idempotent(tmp_path, data):
    src = write_json(tmp_path, "in.json", data)
    first = appfile.save(appfile.load(src), tmp_path / "once.json")
    second = appfile.save(appfile.load(first), tmp_path / "twice.json")
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert "王建国" in text and "\\u" not in text  # UTF-8, ensure_ascii=False
    assert json.loads(text) == json.loads(json.dumps(data))  # already canonical values


def test_canonical_order_follows_the_definition(tmp_path):
    shuffled = {k: VALID_PATENT[k] for k in reversed(list(VALID_PATENT))}
    shuffled["inventor"] = {k: VALID_PATENT["inventor"][k] for k in reversed(list(VALID_PATENT["inventor"]))}
    a = appfile.load(write_json(tmp_path, "a.json", VALID_PATENT))
    b = appfile.load(write_json(tmp_path, "b.json", shuffled))
    assert a.canonical_json() == b.canonical_json()
    assert list(json.loads(a.canonical_json())) == [
        "form",
        "plan_year",
        "patent",
        "inventor",
        "unit_union",
        "superior_union",
        "attachments",
    ]
    assert a.check_code == b.check_code and len(a.check_code) == 8
    int(a.check_code, 16)


def test_check_code_changes_with_content(tmp_path):
    a = appfile.load(write_json(tmp_path, "a.json", VALID_PATENT))
    changed = copy.deepcopy(VALID_PATENT)
    changed["patent"]["title"] += "改"
    assert appfile.load(write_json(tmp_path, "b.json", changed)).check_code != a.check_code


def test_what_people_type_is_normalised(tmp_path):
    data = copy.deepcopy(VALID_PATENT)
    data["patent"].update(
        number="ＺＬ 2018 1 0053768．3",
        grant_date="2021年6月15日",
        applied_since="2021.8.1",
        title="  一种数控车床刀具快速定位装置　",
        inventors=["王 建国", "李　四"],
    )
    data["inventor"].update(
        id_number="11010519491231002x",
        phone="138 0013 8000",
        union_card_no="6214 6800 0001 2345 672",
        employer_uscc="91350100m000100y43",
    )
    data["unit_union"]["phone"] = "(010)83570885"
    app = appfile.load(write_json(tmp_path, "a.json", data))
    assert app.get("patent.number") == "ZL201810053768.3"
    assert app.get("patent.grant_date") == "2021-06-15"
    assert app.get("patent.applied_since") == "2021-08-01"
    assert app.get("patent.title") == "一种数控车床刀具快速定位装置"
    assert app.get("patent.inventors") == ["王建国", "李四"]
    assert app.get("inventor.id_number") == "11010519491231002X"
    assert app.get("inventor.phone") == "13800138000"
    assert app.get("inventor.union_card_no") == "6214680000012345672"
    assert app.get("inventor.employer_uscc") == "91350100M000100Y43"
    assert app.get("unit_union.phone") == "010-83570885"


def test_money_and_year_normalisation(tmp_path):
    data = copy.deepcopy(VALID_PROJECT)
    data["project"].update(startup_funds="200,000元", total_budget="40万元", requested_tier="100000")
    data["studio"]["recognized_year"] = "２０１９"
    app = appfile.load(write_json(tmp_path, "a.json", data))
    assert app.get("project.startup_funds") == 200000
    assert app.get("project.total_budget") == 400000
    assert app.get("project.requested_tier") == 100000
    assert app.get("studio.recognized_year") == 2019


def test_impossible_values_are_kept_as_typed(tmp_path):
    data = copy.deepcopy(VALID_PATENT)
    data["patent"].update(grant_date="2021-02-30", number="ZL12345")
    app = appfile.load(write_json(tmp_path, "a.json", data))
    assert app.get("patent.grant_date") == "2021-02-30"
    assert app.get("patent.number") == "ZL12345"


def test_empty_values_are_dropped(tmp_path):
    data = copy.deepcopy(VALID_PATENT)
    data["patent"]["abstract"] = ""
    data["inventor"]["employer_uscc"] = None
    app = appfile.load(write_json(tmp_path, "a.json", data))
    assert "abstract" not in app.data["patent"] and "employer_uscc" not in app.data["inventor"]


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(VALID_PATENT, ensure_ascii=False).encode())
    assert appfile.load(path).get("inventor.name") == "王建国"


def _broken(**changes):
    """VALID_PATENT with ``inventor__phone=…`` set, or removed when the value is None."""
    data = copy.deepcopy(VALID_PATENT)
    for key, value in changes.items():
        set_path(data, key.replace("__", "."), DELETE if value is None else value)
    return data


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        (_broken(form=None), "form", "缺少 form"),
        (_broken(form="patents"), "form", "未知的表单类型"),
        (_broken(plan_year=None), "plan_year", "缺少 plan_year"),
        (_broken(plan_year="2022"), "plan_year", "整数"),
        (_broken(plan_year=2019), "plan_year", "没有2019年度的计划"),
        (_broken(patent__titel="x"), "patent.titel", "未知的键"),
        (_broken(inventer={}), "inventer", "未知的键"),
        (_broken(inventor__frontline="是"), "inventor.frontline", "true 或 false"),
        (_broken(inventor__phone=13800138000), "inventor.phone", "应为文字"),
        (_broken(patent__inventors="王建国"), "patent.inventors", "姓名列表"),
        (_broken(patent__inventors=["王建国", 3]), "patent.inventors[1]", "姓名文字"),
        (_broken(patent__grant_date=20210615), "patent.grant_date", "日期"),
        (_broken(patent=[]), "patent", "应为对象"),
        (_broken(attachments={"kind": "x"}), "attachments", "列表"),
        (_broken(attachments=[{"kind": "other", "path": "a.jpg"}]), "attachments[0].path", "未知的键"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_strict_load_names_file_and_key(tmp_path, data, key, words):
    path = write_json(tmp_path, "bad.json", data)
    with pytest.raises(InputError) as err:
        appfile.load(path)
    assert err.value.file == str(path)
    assert err.value.key == key
    assert words in err.value.message


def test_wrong_types_in_project_tables(tmp_path):
    data = copy.deepcopy(VALID_PROJECT)
    data["project"]["budget"][1]["amount"] = "十万"
    with pytest.raises(InputError) as err:
        appfile.load(write_json(tmp_path, "bad.json", data))
    assert err.value.key == "project.budget[1].amount"
    data["project"]["budget"][1] = {"item": "x", "amount": 1, "source": "boost", "note": "?"}
    with pytest.raises(InputError) as err:
        appfile.load(write_json(tmp_path, "bad.json", data))
    assert err.value.key == "project.budget[1].note"


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('{"form": "patent",\n "plan_year": 2022\n "patent": {}}', "第3行第2列", "缺少逗号"),
        ('{"form": "patent", }', "第1行第20列", "JSON"),
        ('{"form": "patent", "form": "project"}', "form", "两次"),
        ("[1, 2]", None, "JSON 对象"),
        ("", "第1行第1列", "JSON"),
    ],
)
def test_malformed_json(tmp_path, text, where, words):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        appfile.load(path)
    assert err.value.key == where and words in err.value.message


def test_not_utf8(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps(VALID_PATENT, ensure_ascii=False).encode("gbk"))
    with pytest.raises(InputError, match="UTF-8"):
        appfile.load(path)


def test_save_failure_keeps_the_old_file(tmp_path, monkeypatch):
    path = write_json(tmp_path, "a.json", VALID_PATENT)
    before = path.read_bytes()
    app = appfile.load(path)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(appfile.os, "fsync", full_disk)
    with pytest.raises(InputError) as err:
        appfile.save(app)
    assert "原文件未改动" in err.value.message and err.value.file == str(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]  # no temp file left


# Any text a person can type or paste: no lone surrogates, no invisible control characters
# but tab and the line breaks (those others are refused, see test_unusable_text_is_refused…).
printable = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\t\n\r\v\f"), max_size=40
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=printable, summary=printable, name=printable, phone=printable, date=printable)
def test_round_trip_of_any_text(tmp_path, title, summary, name, phone, date):
    data = copy.deepcopy(VALID_PATENT)
    data["patent"].update(title=title, application_summary=summary, grant_date=date)
    data["inventor"].update(name=name, phone=phone)
    app = appfile.load(write_json(tmp_path, "a.json", data))
    again = appfile.from_data(json.loads(app.canonical_json()), app.path)
    assert again.canonical_json() == app.canonical_json()


@pytest.mark.parametrize(
    ("confirmed", "key"),
    [
        ("F014", "confirmed"),
        ([["F014"]], "confirmed[0]"),
        ([{"code": "F014"}], "confirmed[0].path"),
        ([{"code": 14, "path": "inventor.union_card_no"}], "confirmed[0].code"),
        ([{"code": "F014", "path": "inventor.union_card_no", "by": "me"}], "confirmed[0].by"),
        ([{"code": "F999", "path": "x"}], "confirmed[0].code"),
        ([{"code": "F014", "path": "p"}] * 201, "confirmed"),
    ],
)
def test_a_malformed_confirmation_list_is_refused_naming_the_key(patent, confirmed, key):
    from zhutui.appfile import from_data
    from zhutui.errors import InputError

    patent["confirmed"] = confirmed
    with pytest.raises(InputError) as caught:
        from_data(patent)
    assert caught.value.key == key
