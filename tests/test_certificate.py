"""The fields of a patent certificate from OCR lines (issue 20's reader, engine-independent)."""

from __future__ import annotations

from zhutui.certificate import Line, read_certificate

# What an engine reads on a demo certificate, line by line (boxes in reading order).
READ = [
    Line("发明专利证书", 0.99),
    Line("证书号第3053636号", 0.97),
    Line("发明名称：一种晶圆传送机械手定位校准方法", 0.98),
    Line("发明人：秦永刚；傅斌", 0.96),
    Line("专利号：ZL 2019 1 0944636.4", 0.95),
    Line("专利申请日：2019年7月21日", 0.97),
    Line("专利权人：北京燕芯微电子有限公司", 0.98),
    Line("授权公告日：2021年1月25日", 0.99),
    Line("授权公告号：CN 111684425 B", 0.9),
]


def test_the_fields_are_read_and_normalised_as_the_file_stores_them():
    fields = read_certificate(READ)
    assert fields is not None
    values = {key: f.value for key, f in fields.items()}
    assert values == {
        "patent.title": "一种晶圆传送机械手定位校准方法",
        "patent.inventors": ["秦永刚", "傅斌"],
        "patent.number": "ZL201910944636.4",
        "patent.filing_date": "2019-07-21",
        "patent.patentee": "北京燕芯微电子有限公司",
        "patent.grant_date": "2021-01-25",
    }
    assert fields["patent.number"].confidence == 0.95 and "ZL 2019" in fields["patent.number"].source


def test_a_label_and_its_value_read_as_two_boxes():
    lines = [
        Line("发明专利证书"),
        Line("专利号", 0.9),
        Line("ZL201910944636.4", 0.8),
        Line("授权公告日"),
        Line("2021.1.25"),
    ]
    fields = read_certificate(lines)
    assert fields["patent.number"].value == "ZL201910944636.4" and fields["patent.number"].confidence == 0.8
    assert fields["patent.grant_date"].value == "2021-01-25"


def test_a_misread_check_character_halves_the_confidence():
    lines = [*READ[:4], Line("专利号：ZL 2019 1 0944636.7", 0.95)]
    assert read_certificate(lines)["patent.number"].confidence == 0.475


def test_something_else_is_not_a_certificate():
    assert read_certificate([Line("企业应用证明"), Line("兹证明，我单位职工……")]) is None


def test_a_value_ends_where_the_next_label_on_its_line_begins():
    lines = [
        Line("发明专利证书"),
        Line("专利权人：北京燕芯微电子有限公司地址：100085北京市海淀区上地十街10号"),
        Line("授权公告日：2021年05月06日授权公告号：CN 111684425 B"),
        Line("发明名称：一种晶圆传送机械手定位校准方法 发明人：秦永刚；傅斌"),
        Line("专利号：ZL 2019 1 0944636.4"),
    ]
    fields = read_certificate(lines)
    assert fields is not None
    assert fields["patent.patentee"].value == "北京燕芯微电子有限公司"
    assert fields["patent.grant_date"].value == "2021-05-06"
    assert fields["patent.title"].value == "一种晶圆传送机械手定位校准方法"
    assert fields["patent.inventors"].value == ["秦永刚", "傅斌"]


def test_names_and_titles_keep_the_certificates_chinese_punctuation():
    lines = [
        Line("发明专利证书"),
        Line("发明名称：一种印刷电路板(PCB)钻孔定位精度检测方法"),
        Line("专利权人：国网北京市电力公司;北京公共交通控股(集团)有限公司"),
        Line("专利号：ZL 2015 1 0402216.5"),
    ]
    fields = read_certificate(lines)
    assert fields is not None
    assert fields["patent.title"].value == "一种印刷电路板（PCB）钻孔定位精度检测方法"
    assert fields["patent.patentee"].value == "国网北京市电力公司；北京公共交通控股（集团）有限公司"


def test_spaced_out_labels_and_a_title_wrapped_onto_a_second_line():
    lines = [
        Line("发明专利证书"),
        Line("证书号第5912044号"),
        Line("发明名称：一种基于多源数据融合的变电站巡检机器人路径规划方法、"),
        Line("电子设备及计算机可读存储介质"),
        Line("发 明 人：包钰；甄珩；尚可"),
        Line("专 利 号：ZL 2022 1 0630194.8"),
        Line("专利申请日：2022年06月01日"),
        Line("专利权人：国网北京市电力公司"),
        Line("地"),
        Line("址：100031北京市西城区前门西大街41号"),
        Line("授权公告日：2023年10月27日"),
    ]
    fields = read_certificate(lines)
    assert fields is not None
    values = {key: f.value for key, f in fields.items()}
    assert values["patent.title"] == "一种基于多源数据融合的变电站巡检机器人路径规划方法、电子设备及计算机可读存储介质"
    assert values["patent.inventors"] == ["包钰", "甄珩", "尚可"]
    assert values["patent.number"] == "ZL202210630194.8"
    assert values["patent.patentee"] == "国网北京市电力公司"


def test_a_value_read_apart_from_its_label_past_a_line_read_in_between():
    lines = [
        Line("发明专利证书"),
        Line("发明名称："),
        Line("证书号第3012758号"),
        Line("一种含氟聚酰亚胺薄膜的制备方法"),
    ]
    lines += [Line("发明人："), Line("郑琰"), Line("专利号："), Line("ZL 2016 1 0128841.X")]
    fields = read_certificate(lines)
    assert fields is not None
    assert fields["patent.title"].value == "一种含氟聚酰亚胺薄膜的制备方法"
    assert fields["patent.inventors"].value == ["郑琰"]


def test_a_comma_between_digits_is_the_formulas_own():
    lines = [
        Line("发明专利证书"),
        Line("发明名称：聚(3,4-乙烯二氧噻吩)导电油墨,其制备方法"),
        Line("专利号：ZL 2015 1 0402216.5"),
    ]
    fields = read_certificate(lines)
    assert fields is not None
    assert fields["patent.title"].value == "聚（3,4-乙烯二氧噻吩）导电油墨，其制备方法"


def test_a_title_read_apart_from_its_label_and_wrapped():
    lines = [
        Line("发明专利证书"),
        Line("发明名称:"),
        Line("一种面向城市轨道交通的多列车协同节能运行优化方法、装置、设"),
    ]
    lines += [
        Line("备及存储介质"),
        Line("发明人:"),
        Line("令狐嘉懿；訾琦"),
        Line("专利号："),
        Line("ZL 2015 1 0402216.5"),
    ]
    fields = read_certificate(lines)
    assert fields is not None
    assert fields["patent.title"].value == "一种面向城市轨道交通的多列车协同节能运行优化方法、装置、设备及存储介质"
    assert fields["patent.inventors"].value == ["令狐嘉懿", "訾琦"]


def test_what_ocr_reads_for_a_label_or_a_numbers_dot():
    # Seen on the demo's photos: 授 read 受, a speck after ZL read as a dot, the number's dot read 、.
    lines = [*READ[:4], Line("专利号：ZL.2019 1 0944636.4"), *READ[5:7], Line("受权公告日：2021年1月25日")]
    values = {key: f.value for key, f in (read_certificate(lines) or {}).items()}
    assert values["patent.number"] == "ZL201910944636.4" and values["patent.grant_date"] == "2021-01-25"
    lines[4] = Line("专利号：ZL201910944636、4")
    assert read_certificate(lines)["patent.number"].value == "ZL201910944636.4"


def test_the_last_line_each_field_was_read_from():
    fields = read_certificate(READ)
    assert fields is not None
    assert fields["patent.title"].last_line == 2 and fields["patent.grant_date"].last_line == 7
    wrapped = read_certificate([READ[0], Line("发明名称：一种很长的"), Line("晶圆传送方法"), Line("发明人：秦永刚")])
    assert wrapped["patent.title"].value == "一种很长的晶圆传送方法" and wrapped["patent.title"].last_line == 2


def test_a_widely_spaced_labels_first_character_read_as_a_box_of_its_own():
    lines = [*READ[:4], Line("专"), Line("利号：ZL 2019 1 0944636.4"), *READ[5:7], Line("地"), Line("址：100037北京市")]
    lines += [READ[7], Line("国家知识产权局依照中华人民共和国专利法")]
    fields = read_certificate(lines)
    assert fields is not None
    assert fields["patent.number"].value == "ZL201910944636.4" and fields["patent.number"].last_line == 5
    assert fields["patent.grant_date"].value == "2021-01-25" and fields["patent.grant_date"].last_line == 10
