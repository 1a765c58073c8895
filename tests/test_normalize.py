import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhutui.normalize import (
    clean_name,
    clean_text,
    identity_text,
    normalize_date,
    normalize_money,
    parse_date,
    to_halfwidth,
    to_halfwidth_all,
)

# ---------------------------------------------------------------- half-width


def test_to_halfwidth_converts_letters_and_digits_only():
    assert to_halfwidth("ＺＬ２０１８ａｂｃ") == "ZL2018abc"
    assert to_halfwidth("你好，世界！（１）") == "你好，世界！（1）"


def test_to_halfwidth_all_converts_punctuation_and_dashes():
    assert to_halfwidth_all("０１０－８３５７０８８５") == "010-83570885"
    assert to_halfwidth_all("（０１０）") == "(010)"
    assert to_halfwidth_all("２０２１．６／１５") == "2021.6/15"
    assert to_halfwidth_all("a—b–c") == "a-b-c"
    assert to_halfwidth_all("a\u3000b") == "a b"
    assert to_halfwidth_all("！～") == "!~"


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_to_halfwidth_all_inverts_fullwidth_ascii(s):
    full = "".join(chr(ord(c) + 0xFEE0) for c in s)
    assert to_halfwidth_all(full) == s


# ---------------------------------------------------------------- text and names


def test_clean_text_strips_edges_and_line_endings():
    assert clean_text("\u3000 \u200b中文\ufeff \n") == "中文"
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("  第一段\r\n  第二段  ") == "第一段\n  第二段"
    assert clean_text("１２３") == "123"
    assert clean_text("你好，世界") == "你好，世界"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("王 建国", "王建国"),
        ("王　建国", "王建国"),
        ("  王  建 国 ", "王建国"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提 · 艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("John  Smith", "John Smith"),
        ("Mary Ann O'Neil", "Mary Ann O'Neil"),
        ("\u200b李\u200b四\ufeff", "李四"),
        ("北京某某有限公司 工会", "北京某某有限公司工会"),
        ("ＡＢＣ 公司", "ABC 公司"),
    ],
)
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "raw",
    [
        "2021-06-15",
        "2021-6-15",
        "2021.6.15",
        "2021.06.15",
        "2021/6/15",
        "2021年6月15日",
        "2021年06月15号",
        "2021 年 6 月 15 日",
        "2021年6月15",
        "２０２１－０６－１５",
        "２０２１年６月１５日",
        "  2021-06-15\u3000",
        "20210615",
        "２０２１０６１５",
    ],
)
def test_normalize_date_accepted_forms(raw):
    assert normalize_date(raw) == "2021-06-15"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-02-30", "2021-02-30"),
        ("2021-13-01", "2021-13-01"),
        ("20210230", "20210230"),
        ("2021年2月29日", "2021年2月29日"),
        ("2021-6/15", "2021-6/15"),
        ("21-6-15", "21-6-15"),
        ("明年六月", "明年六月"),
        ("  2021-02-30  ", "2021-02-30"),
        ("", ""),
    ],
)
def test_normalize_date_impossible_left_unchanged(raw, expected):
    assert normalize_date(raw) == expected


def test_normalize_date_leap_days():
    assert normalize_date("2020年2月29日") == "2020-02-29"
    assert normalize_date("2000.2.29") == "2000-02-29"
    assert normalize_date("1900.2.29") == "1900.2.29"


def test_normalize_date_non_strings():
    assert normalize_date(dt.date(2021, 6, 15)) == "2021-06-15"
    assert normalize_date(dt.datetime(2021, 6, 15, 8, 30)) == "2021-06-15"
    assert normalize_date(20210615) == "2021-06-15"
    assert normalize_date(None) == ""


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_normalize_date_round_trips_all_forms(d):
    iso = d.isoformat()
    forms = [
        iso,
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
    ]
    assert all(normalize_date(f) == iso for f in forms)
    assert parse_date(normalize_date(f"{d.year}-{d.month}-{d.day}")) == d


@given(st.text(max_size=20))
def test_normalize_date_never_raises(s):
    out = normalize_date(s)
    assert isinstance(out, str)
    assert parse_date(out) is None or out == parse_date(out).isoformat()


def test_parse_date_is_strict():
    assert parse_date("2021-06-15") == dt.date(2021, 6, 15)
    assert parse_date("2020-02-29") == dt.date(2020, 2, 29)
    assert parse_date("2021-6-15") is None
    assert parse_date("20210615") is None
    assert parse_date("2021-02-30") is None
    assert parse_date(" 2021-06-15") is None
    assert parse_date("２０２１-06-15") is None
    assert parse_date("") is None


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (100000, 100000),
        (0, 0),
        (100000.0, 100000),
        (Decimal("50000.00"), 50000),
        ("100000", 100000),
        ("１０００００", 100000),
        (" 100 000 ", 100000),
        ("100,000", 100000),
        ("1,000,000", 1000000),
        ("１００，０００", 100000),
        ("100000元", 100000),
        ("100000元整", 100000),
        ("¥100000", 100000),
        ("￥100,000.00", 100000),
        ("人民币100000元整", 100000),
        ("人民币 10 万元", 100000),
        ("10万", 100000),
        ("10万元", 100000),
        ("1.5万元", 15000),
        ("1.2345万", 12345),
        ("100000.0", 100000),
        ("100000.00", 100000),
        ("30000.00元", 30000),
    ],
)
def test_normalize_money_reads(raw, expected):
    assert normalize_money(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        True,
        False,
        None,
        1.5,
        float("nan"),
        float("inf"),
        "1000.5",
        "1000.50",
        "100.000",
        "十万",
        "",
        "   ",
        "10,00",
        "1,0000",
        "万",
        "1.23456万",
        "abc",
        "100元5角",
        [100],
    ],
)
def test_normalize_money_rejects(raw):
    assert normalize_money(raw) is None


@given(st.integers(min_value=0, max_value=10**12))
def test_normalize_money_formatted_integers(n):
    assert normalize_money(f"{n:,}") == n
    assert normalize_money(f"¥{n}.00元") == n
    assert normalize_money(str(n).translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})) == n


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("北京精工机床（集团）有限公司", "北京精工机床(集团)有限公司"),
        ("北京精工机床（集团）有限公司", "北京精工机床 ( 集团 ) 有限公司"),
        ("ＣＮＣ第１创新工作室", "CNC第1创新工作室"),
        ("王建国\u3000创新工作室", "王建国创新工作室"),
        ("王建国\u200b创新工作室", "王建国创新工作室"),
    ],
)
def test_identity_text_folds_widths_and_spaces(a, b):
    assert identity_text(a) == identity_text(b)


def test_identity_text_keeps_what_tells_names_apart():
    assert identity_text("王建国创新工作室") != identity_text("王建军创新工作室")
    assert identity_text("北京精工机床（集团）有限公司") != identity_text("北京精工机床集团有限公司")
