import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhutui.identifiers import (
    ID_PROVINCES,
    USCC_CHARSET,
    PatentNumber,
    birth_date_from_id,
    check_card_no,
    check_id_number,
    check_phone,
    check_uscc,
    gender_from_id,
    id_check_char,
    luhn_check_digit,
    luhn_ok,
    make_card_no,
    make_id_number,
    make_patent_number,
    make_uscc,
    normalize_card_no,
    normalize_id_number,
    normalize_patent_number,
    normalize_phone,
    normalize_uscc,
    parse_patent_number,
    patent_check_char,
    uscc_check_char,
)

TODAY = dt.date(2025, 6, 1)

# ---------------------------------------------------------------- patents


@pytest.mark.parametrize(
    ("raw", "normalized", "kind"),
    [
        ("ZL201810053768.3", "ZL201810053768.3", "invention"),
        ("ZL201620406833.2", "ZL201620406833.2", "utility_model"),
        ("ZL 2014 1 0026192.3", "ZL201410026192.3", "invention"),
        ("ZL95115608.X", "ZL95115608.X", "invention"),
        ("ｚｌ２０１８１００５３７６８．３", "ZL201810053768.3", "invention"),
        ("CN201810053768.3", "ZL201810053768.3", "invention"),
        ("201810053768.3", "ZL201810053768.3", "invention"),
        ("2018100537683", "ZL201810053768.3", "invention"),
        ("专利号：ZL201810053768.3", "ZL201810053768.3", "invention"),
        ("专利号: zl 201810053768 . 3 ", "ZL201810053768.3", "invention"),
        ("zl95115608x", "ZL95115608.X", "invention"),
        ("cn 95115608．x", "ZL95115608.X", "invention"),
    ],
)
def test_real_patent_numbers(raw, normalized, kind):
    p = parse_patent_number(raw)
    assert p is not None
    assert p.check_ok
    assert p.normalized == normalized
    assert str(p) == normalized
    assert p.kind == kind
    assert normalize_patent_number(raw) == normalized


def test_patent_properties():
    p = parse_patent_number("ZL201810053768.3")
    assert (p.digits, p.check, p.type_digit, p.year) == ("201810053768", "3", 1, 2018)
    assert p.is_invention
    old = parse_patent_number("ZL95115608.X")
    assert (old.type_digit, old.year, old.is_invention) == (1, 1995, True)
    assert parse_patent_number("ZL201620406833.2").is_invention is False


def test_patent_wrong_check_char_still_parses():
    p = parse_patent_number("ZL201810053768.4")
    assert p is not None
    assert p.check_ok is False
    assert p.normalized == "ZL201810053768.4"
    assert parse_patent_number("ZL95115608.1").check_ok is False


@pytest.mark.parametrize(
    ("type_digit", "kind", "is_invention"),
    [
        (1, "invention", True),
        (2, "utility_model", False),
        (3, "design", False),
        (8, "pct_invention", True),
        (9, "pct_utility_model", False),
    ],
)
def test_every_valid_type_digit(type_digit, kind, is_invention):
    number = make_patent_number(2019, type_digit, 1234567)
    p = parse_patent_number(number)
    assert p.check_ok
    assert (p.type_digit, p.kind, p.is_invention, p.year) == (type_digit, kind, is_invention, 2019)
    digits8 = f"02{type_digit}12345"
    p8 = parse_patent_number(digits8 + patent_check_char(digits8))
    assert (p8.kind, p8.year, p8.check_ok) == (kind, 2002, True)


@pytest.mark.parametrize("type_digit", [0, 4, 5, 6, 7])
def test_invalid_type_digit_unrecognisable(type_digit):
    digits = f"2019{type_digit}1234567"
    assert parse_patent_number(digits + "." + patent_check_char(digits)) is None
    digits8 = f"99{type_digit}12345"
    assert parse_patent_number(digits8 + "." + patent_check_char(digits8)) is None


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("198510000001", True),
        ("198410000001", False),
        ("209910000001", True),
        ("210010000001", False),
        ("85100001", True),
        ("84100001", False),
        ("99100001", True),
        ("00100001", True),
        ("03100001", True),
        ("04100001", False),
    ],
)
def test_patent_year_plausibility(digits, ok):
    p = parse_patent_number(digits + patent_check_char(digits))
    assert (p is not None) is ok


def test_eight_digit_years():
    assert parse_patent_number("85100001" + patent_check_char("85100001")).year == 1985
    assert parse_patent_number("03100001" + patent_check_char("03100001")).year == 2003


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ZL",
        "ZL2018100537.3",
        "ZL2018100537683.3",
        "ZL20181005376X.3",
        "ZL201810053768.A",
        "US201810053768.3",
        "CN101234567A",
        "ZL201810053768..3",
        "一种装置",
        "ZL9511560.8",
    ],
)
def test_unrecognisable_patent_numbers(raw):
    assert parse_patent_number(raw) is None


def test_normalize_patent_number_unparseable_returns_cleaned_input():
    assert normalize_patent_number("  ZL2018-1005 \u3000") == "ZL2018-1005"
    assert normalize_patent_number("待授权") == "待授权"


def test_patent_check_char_and_dataclass_validation():
    assert patent_check_char("201810053768") == "3"
    assert patent_check_char("95115608") == "X"
    with pytest.raises(ValueError):
        patent_check_char("1234567")
    with pytest.raises(ValueError):
        PatentNumber("20181005376", "3")
    with pytest.raises(ValueError):
        PatentNumber("201840053768", "3")
    with pytest.raises(ValueError):
        make_patent_number(2019, 4, 1)


_YEAR8 = st.sampled_from([*range(85, 100), 0, 1, 2, 3])
_TYPES = st.sampled_from([1, 2, 3, 8, 9])


@st.composite
def patent_numbers(draw) -> str:
    if draw(st.booleans()):
        return make_patent_number(draw(st.integers(1985, 2099)), draw(_TYPES), draw(st.integers(0, 9_999_999)))
    digits = f"{draw(_YEAR8):02d}{draw(_TYPES)}{draw(st.integers(0, 99_999)):05d}"
    return f"ZL{digits}.{patent_check_char(digits)}"


@given(patent_numbers())
def test_generated_patent_numbers_pass(number):
    p = parse_patent_number(number)
    assert p is not None
    assert p.check_ok
    assert p.normalized == number


@given(patent_numbers(), st.data())
def test_any_single_changed_char_of_patent_number_is_caught(number, data):
    positions = [i for i, c in enumerate(number) if c in "0123456789X"]
    i = data.draw(st.sampled_from(positions))
    new = data.draw(st.sampled_from("0123456789X").filter(lambda c: c != number[i]))
    changed = number[:i] + new + number[i + 1 :]
    p = parse_patent_number(changed)
    assert p is None or not p.check_ok


def _fullwidth(c: str) -> str:
    return chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c


@given(patent_numbers(), st.data())
def test_formatting_noise_never_changes_normalized_patent(number, data):
    digits, check = number[2:].split(".")
    prefix = data.draw(st.sampled_from(["", "ZL", "zl", "Zl", "CN", "cn", "ZL ", "专利号：", "专利号:ZL", "ＺＬ"]))
    body = "".join(d + data.draw(st.sampled_from(["", "", " ", "  ", "\u3000"])) for d in digits)
    dot = data.draw(st.sampled_from(["", ".", "．", " . "]))
    check = check.lower() if data.draw(st.booleans()) else check
    noisy = prefix + body + dot + check
    if data.draw(st.booleans()):
        noisy = "".join(_fullwidth(c) if data.draw(st.booleans()) else c for c in noisy)
    noisy = data.draw(st.sampled_from(["", " ", "\u3000"])) + noisy + " "
    assert normalize_patent_number(noisy) == number


# ---------------------------------------------------------------- 身份证号


def test_id_check_char_known_value():
    assert id_check_char("11010519491231002") == "X"
    assert check_id_number("11010519491231002X", TODAY) is None
    assert check_id_number("11010519491231002x", TODAY) is None
    assert check_id_number(" 110105 19491231 002x ", TODAY) is None
    assert check_id_number("１１０１０５１９４９１２３１００２Ｘ", TODAY) is None


def test_normalize_id_number():
    assert normalize_id_number(" 110105 1949１２３１ 002x") == "11010519491231002X"


def _id(birth: str, region: str = "110105", seq: str = "002") -> str:
    first17 = region + birth + seq
    return first17 + id_check_char(first17)


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("1101051949123100", "身份证号应为18位（现为16位）"),
        ("11010519491231002X1", "身份证号应为18位（现为19位）"),
        ("", "身份证号应为18位（现为0位）"),
        ("110105491231002", "旧版"),
        ("1101051949123100XX", "身份证号只能含数字，最后一位可以是X"),
        ("11010519491231002Y", "身份证号只能含数字，最后一位可以是X"),
        (_id("19491231", region="100105"), "身份证号前两位地区码无效"),
        (_id("19491231", region="910105"), "身份证号前两位地区码无效"),
        (_id("20210230"), "身份证号中的出生日期不存在"),
        (_id("20211301"), "身份证号中的出生日期不存在"),
        (_id("18991231"), "早于1900年"),
        (_id("20250602"), "晚于今天"),
        ("110105194912310021", "身份证号校验位不符，可能有数字输错，请对照身份证逐位核对"),
    ],
)
def test_id_rejection_reasons(raw, reason_part):
    reason = check_id_number(raw, TODAY)
    assert reason is not None
    assert reason_part in reason
    assert "请" in reason


def test_id_reason_does_not_reveal_check_digit():
    reason = check_id_number("110105194912310021", TODAY)
    assert "X" not in reason.replace("最后一位可以是X", "")


def test_id_birth_date_boundaries():
    assert check_id_number(_id(TODAY.strftime("%Y%m%d")), TODAY) is None
    tomorrow = TODAY + dt.timedelta(days=1)
    assert "晚于今天" in check_id_number(_id(tomorrow.strftime("%Y%m%d")), TODAY)
    assert check_id_number(_id("19000101"), TODAY) is None
    assert check_id_number(_id("20000229"), TODAY) is None
    assert "不存在" in check_id_number(_id("19000229"), TODAY)


@pytest.mark.parametrize("prov", sorted(ID_PROVINCES))
def test_every_province_code_accepted(prov):
    assert check_id_number(_id("19800101", region=f"{prov}0101"), TODAY) is None


def test_gender_and_birth_from_id():
    assert gender_from_id("11010519491231002X") == "女"
    assert gender_from_id("110105194912310011") == "男"
    assert gender_from_id("11010519491231001x") == "男"
    assert gender_from_id("1101051949123100") is None
    assert gender_from_id("11010519491231A02X") is None
    assert birth_date_from_id("11010519491231002X") == dt.date(1949, 12, 31)
    assert birth_date_from_id(_id("20210230")) is None
    assert birth_date_from_id("abc") is None


_REGIONS = st.builds(lambda p, rest: f"{p}{rest:04d}", st.sampled_from(sorted(ID_PROVINCES)), st.integers(0, 9999))
_BIRTHS = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


@given(_REGIONS, _BIRTHS, st.integers(0, 99), st.booleans())
def test_generated_id_numbers_pass(region, birth, seq, male):
    n = make_id_number(region, birth, seq, male)
    assert len(n) == 18
    assert check_id_number(n, TODAY) is None
    assert check_id_number(n.lower(), TODAY) is None
    assert gender_from_id(n) == ("男" if male else "女")
    assert birth_date_from_id(n) == birth


@given(_REGIONS, _BIRTHS, st.integers(0, 99), st.booleans(), st.data())
def test_any_single_changed_char_of_id_number_is_caught(region, birth, seq, male, data):
    n = make_id_number(region, birth, seq, male)
    i = data.draw(st.integers(0, 17))
    new = data.draw(st.sampled_from("0123456789X").filter(lambda c: c != n[i]))
    assert check_id_number(n[:i] + new + n[i + 1 :], TODAY) is not None


def test_make_id_number_rejects_bad_input():
    with pytest.raises(ValueError):
        make_id_number("11010", dt.date(1990, 1, 1), 1, True)
    with pytest.raises(ValueError):
        make_id_number("110105", dt.date(1990, 1, 1), 100, True)


# ---------------------------------------------------------------- 统一社会信用代码


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        "91110108551385082Q",
        "91440300708461136T",
        "9135 0100 m000 100y43",
        "９１３５０１００Ｍ０００１００Ｙ４３",
    ],
)
def test_published_uscc_pass(code):
    assert check_uscc(code) is None


def test_uscc_check_char():
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"
    assert normalize_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    with pytest.raises(ValueError):
        uscc_check_char("91350100M000100I4")


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("91350100M000100Y4", "应为18位（现为17位）"),
        ("", "应为18位（现为0位）"),
        ("91350100M000100I43", "无效字符"),
        ("91350100O000100Y43", "无效字符"),
        ("9135A100M000100Y43", "第3至8位应为数字"),
        ("91350100M000100Y44", "校验位不符"),
    ],
)
def test_uscc_rejection_reasons(raw, reason_part):
    reason = check_uscc(raw)
    assert reason is not None
    assert reason_part in reason
    assert "请" in reason


_USCC_CHARS = st.sampled_from(USCC_CHARSET)


@st.composite
def uscc_codes(draw) -> str:
    head = draw(_USCC_CHARS) + draw(_USCC_CHARS)
    region = f"{draw(st.integers(0, 999_999)):06d}"
    tail = "".join(draw(st.lists(_USCC_CHARS, min_size=9, max_size=9)))
    return make_uscc(head + region + tail)


@given(uscc_codes())
def test_generated_uscc_pass(code):
    assert check_uscc(code) is None
    assert check_uscc(code.lower()) is None


@given(uscc_codes(), st.data())
def test_any_single_changed_char_of_uscc_is_caught(code, data):
    i = data.draw(st.integers(0, 17))
    new = data.draw(_USCC_CHARS.filter(lambda c: c != code[i]))
    assert check_uscc(code[:i] + new + code[i + 1 :]) is not None


# ---------------------------------------------------------------- union card


def test_luhn_known_values():
    assert luhn_check_digit("7992739871") == "3"  # the textbook example 79927398713
    assert luhn_check_digit("621700000000000000") == "4"
    assert luhn_ok("6217000000000000004")
    assert luhn_ok("6217 0000 0000 0000 004")
    assert luhn_ok("6217-0000-0000-0000-004")
    assert luhn_ok("".join(chr(ord(c) + 0xFEE0) for c in "6217000000000000004"))
    assert not luhn_ok("6217000000000000005")
    assert not luhn_ok("4111111111111")  # Luhn-valid but 13 digits
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("62170000000000000000")  # 20 digits
    assert not luhn_ok("621700000000000000A")
    assert normalize_card_no(" 6217-0000 0000 0000 004 ") == "6217000000000000004"


def test_check_card_no_reasons():
    assert check_card_no("6217000000000000004") is None
    assert "16至19位" in check_card_no("621700000000")
    assert "校验不通过" in check_card_no("6217000000000000005")


@given(st.sampled_from(["621", "6217", "62", "622202", "9"]), st.integers(16, 19), st.data())
def test_generated_card_numbers_pass_and_single_digit_typos_fail(prefix, length, data):
    serial = data.draw(st.integers(0, 10 ** (length - 1 - len(prefix)) - 1))
    card = make_card_no(prefix, length, serial)
    assert len(card) == length
    assert card.startswith(prefix)
    assert luhn_ok(card)
    i = data.draw(st.integers(0, length - 1))
    new = data.draw(st.sampled_from("0123456789").filter(lambda c: c != card[i]))
    assert not luhn_ok(card[:i] + new + card[i + 1 :])


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("19912345678", "19912345678"),
        ("010-83570885", "010-83570885"),
        ("010 83570885", "010-83570885"),
        ("01083570885", "010-83570885"),
        ("(010)83570885", "010-83570885"),
        ("（010）83570885", "010-83570885"),
        ("010-8357-0885", "010-83570885"),
        ("０１０－８３５７０８８５", "010-83570885"),
        ("0755-2345678", "0755-2345678"),
        ("07552345678", "0755-2345678"),
        ("022-23456789", "022-23456789"),
        ("010-83570885-123", "010-83570885-123"),
        ("010-83570885转123", "010-83570885-123"),
        ("010-83570885 转 8012", "010-83570885-8012"),
        ("+86 10 8357 0885", "010-83570885"),
        ("010-83570886", "010-83570886"),
        ("0571-1234567", "0571-1234567"),
        ("0571-12345678", "0571-12345678"),
        ("(0571)1234567", "0571-1234567"),
        ("057112345678", "0571-12345678"),
        ("0755-2345678-12", "0755-2345678-12"),
    ],
)
def test_valid_phones(raw, normalized):
    assert check_phone(raw) is None
    assert normalize_phone(raw) == normalized


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("83570885", "请加区号，如 010-83570885"),
        ("8357088", "请加区号"),
        ("8357-0885", "请加区号"),
        ("12800138000", "手机号应以13至19开头"),
        ("1380013800", "手机号应为11位（现为10位）"),
        ("138001380001", "手机号应为11位（现为12位）"),
        ("13800138000/13900139000", "只填写一个"),
        ("", "请填写电话号码"),
        ("打电话找王老师", "无法识别"),
        ("010-0123456", "无法识别"),
        ("0101-83570885", "无法识别"),
        # A three-digit area code (010, 02x) takes 8 digits; the 7 of a four-digit code's town are too few
        ("010-8357088", "区号010后的座机号码应为8位（现为7位），可能少输了一位"),
        ("0108357088", "应为8位（现为7位）"),
        ("(010)8357088", "应为8位（现为7位）"),
        ("+86 10 8357088", "应为8位（现为7位）"),
        ("010-8357088转123", "应为8位（现为7位）"),
        ("021-1234567", "区号021后的座机号码应为8位（现为7位）"),
        ("029 1234567", "区号029后的座机号码应为8位"),
    ],
)
def test_invalid_phones(raw, reason_part):
    reason = check_phone(raw)
    assert reason is not None
    assert reason_part in reason
    assert normalize_phone(raw) == raw.strip()


@given(st.sampled_from("3456789"), st.integers(0, 999_999_999))
def test_generated_mobiles_pass(second, rest):
    mobile = f"1{second}{rest:09d}"
    assert check_phone(mobile) is None
    assert normalize_phone(f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}") == mobile


@given(st.sampled_from(["010", *(f"02{d}" for d in range(10))]), st.integers(1_000_000, 9_999_999))
def test_three_digit_area_codes_take_eight_digits(area, seven):
    assert check_phone(f"{area}-{seven}") is not None
    assert check_phone(f"{area}-{seven}5") is None
    assert normalize_phone(f"{area} {seven}5") == f"{area}-{seven}5"


@given(st.integers(310, 999), st.integers(1_000_000, 9_999_999))
def test_four_digit_area_codes_take_seven_or_eight_digits(area, seven):
    assert check_phone(f"0{area}-{seven}") is None
    assert check_phone(f"0{area}-{seven}5") is None
