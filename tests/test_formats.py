"""The format registry (issue 17, point 2): each ``format:`` registered once, asked by every part."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from zhutui import formats
from zhutui.appfile import from_data
from zhutui.checks.context import Context
from zhutui.checks.fields import check_field
from zhutui.formdef import FieldDef
from zhutui.rules import catalogue

SAMPLES = {  # a messy value as typed → what the application file stores
    "name": ("王　建国 ", "王建国"),
    "id_number": ("11010519491231002x", "11010519491231002X"),
    "phone": ("010 8357 0885", "010-83570885"),
    "uscc": ("91350100m000100y43", "91350100M000100Y43"),
    "card_no": ("6214 6800 0001 2345 672", "6214680000012345672"),
    "patent_number": ("ＺＬ 2018 1 0053768．3", "ZL201810053768.3"),
    "email": (" GongHui＠163．COM", "GongHui@163.com"),
}


def test_every_format_is_registered_once_with_what_each_part_needs():
    assert set(formats.FORMATS) == set(SAMPLES)
    rules = catalogue()
    for name, fmt in formats.FORMATS.items():
        typed, stored = SAMPLES[name]
        assert fmt.normalise(typed) == stored, name
        assert fmt.normalise(stored) == stored, name  # normalising twice changes nothing
        if fmt.validate is not None:
            assert fmt.code in rules, name
            assert fmt.validate(stored, TODAY) is None, name
        assert fmt.placeholder or name in ("name",), name
    assert formats.get("id_number").as_text and not formats.get("name").as_text
    assert formats.get(None) is None and formats.get("nope") is None


def test_a_format_is_registered_whole_or_not_at_all():
    with pytest.raises(ValueError, match="twice"):
        formats.register(formats.Format("phone", str))
    with pytest.raises(ValueError, match="finding code"):
        formats.register(formats.Format("postcode", str, validate=lambda v, today: None))
    assert "postcode" not in formats.FORMATS


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("gonghui@163.com", True),
        ("wang.jianguo+zhutui@bj-union.org.cn", True),
        ("gonghui163.com", False),
        ("gonghui@163", False),
        ("工会@163.com", False),
        ("a@b@c.com", False),
    ],
)
def test_email_addresses(value, ok):
    assert (formats.check_email(value) is None) == ok


def test_an_email_field_is_normalised_checked_and_reported_with_f015(patent):
    app = from_data(patent)
    ctx = Context(app, dt.date(2022, 10, 20))
    field = FieldDef(key="unit_union.email", label="电子邮箱", type="text", format="email")
    check_field(ctx, field, "unit_union.email", formats.get("email").normalise("gonghui＠163"))
    (finding,) = ctx.findings
    assert finding.code == "F015" and finding.severity == "error" and "电子邮箱" in finding.message
    ctx.findings.clear()
    check_field(ctx, field, "unit_union.email", "gonghui@163.com")
    assert ctx.findings == []


def test_a_registered_format_is_one_a_form_definition_may_use(tmp_path, monkeypatch):
    from zhutui.errors import DefinitionError
    from zhutui.formdef import load_form
    from zhutui.paths import forms_dir

    text = (forms_dir() / "patent.yaml").read_text(encoding="utf-8")
    assert "format: patent_number" in text
    (tmp_path / "patent.yaml").write_text(
        text.replace("format: patent_number", "format: postcode", 1), encoding="utf-8"
    )
    with pytest.raises(DefinitionError) as caught:
        load_form("patent", tmp_path)
    assert caught.value.key.endswith("format") and "postcode" in str(caught.value)
    monkeypatch.setitem(formats.FORMATS, "postcode", formats.Format("postcode", str.strip, placeholder="6位邮编"))
    form = load_form("patent", tmp_path)
    assert form.field("patent.number").format == "postcode"
