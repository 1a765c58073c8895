"""Planted faults of patent applications, and the field (F) and attachment (A) faults that
fit either form."""

from __future__ import annotations

import copy
import datetime as dt

from zhutui import identifiers as ids
from zhutui.checks.planrules import patent_rules
from zhutui.demo import faults_project as fp
from zhutui.demo.data import Batch, DemoApp, max_length
from zhutui.demo.faults import (
    FaultCtx,
    FaultDef,
    att_applies,
    att_fault,
    bad_date,
    drop_digit,
    fs,
    remove_att,
    spoil_uscc,
)


def _pt(app: DemoApp) -> dict:
    return app.data["patent"]


def _inv(app: DemoApp) -> dict:
    return app.data["inventor"]


def _f001(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    del _inv(app)["post"]
    return "inventor.post", "第一发明人的“岗位（工种）”没有填写"


def _f002(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pt(app)
    extra = (
        "此外，该专利技术还在公司组织的职工技术交流和岗位练兵活动中进行了展示，参与培训的青年"
        "职工普遍反映操作方法直观易学，对提高班组整体技能水平起到了积极作用。"
    )
    limit = max_length("patent", "patent.application_summary")
    while len(p["application_summary"]) <= limit + 20:
        p["application_summary"] += extra
    return "patent.application_summary", f"“应用情况及效益”写了{len(p['application_summary'])}字，超过{limit}字"


def _f003(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _pt(app)["grant_date"] = bad_date(_pt(app)["grant_date"])
    return "patent.grant_date", f"授权公告日写成了不存在的日期 {_pt(app)['grant_date']}"


def _f010(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    id_number = _inv(app)["id_number"]
    wrong = ctx.rng.choice([c for c in "0123456789X" if c != id_number[-1]])
    _inv(app)["id_number"] = id_number[:-1] + wrong
    return "inventor.id_number", "身份证号最后一位（校验码）输错"


def _f011(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _inv(app)["gender"] = "女" if _inv(app)["gender"] == "男" else "男"
    return "inventor.gender", f"性别误选为“{_inv(app)['gender']}”，与身份证号不符"


def _f012(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _inv(app)["phone"] = drop_digit(_inv(app)["phone"], ctx.rng)
    return "inventor.phone", f"手机号少输了一位（{_inv(app)['phone']}）"


def _f013(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _inv(app)["employer_uscc"] = spoil_uscc(_inv(app)["employer_uscc"], ctx.rng)
    return "inventor.employer_uscc", "单位统一社会信用代码中有一位输错"


def _f014(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    card = _inv(app)["union_card_no"]
    _inv(app)["union_card_no"] = card[:-1] + str((int(card[-1]) + ctx.rng.randint(1, 9)) % 10)
    return "inventor.union_card_no", "工会会员互助服务卡号最后一位输错（警告：未通过银行卡校验）"


def _p001(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    number = _pt(app)["number"]
    i = ctx.rng.randrange(7, 13)
    _pt(app)["number"] = number[:i] + number[i + 1 :]
    return "patent.number", f"专利号漏了一位数字（{_pt(app)['number']}），无法识别"


def _p002(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    number = _pt(app)["number"]
    wrong = ctx.rng.choice([c for c in "0123456789X" if c != number[-1]])
    _pt(app)["number"] = number[:-1] + wrong
    return "patent.number", f"专利号校验位输错（应为 {number[-1]}，填成 {wrong}）"


def _p003(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    year = app.doc["filed"].year
    number = ids.make_patent_number(year, 2, ctx.rng.randrange(2_000_000, 2_999_999))
    _pt(app)["number"] = app.doc["number"] = number
    return "patent.number", f"申报的是实用新型专利（{number}），不是发明专利"


def _p004(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    grant = patent_rules(ctx.batch.plan).grant_from - dt.timedelta(days=1)
    _pt(app)["grant_date"] = grant.isoformat()
    app.doc["grant_date"] = grant
    return "patent.grant_date", f"授权公告日 {grant.isoformat()} 不在本年度申报范围内"


def _p005(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _inv(app)["frontline"] = False
    _inv(app)["post"] = "技术中心工程师"
    return "inventor.frontline", "第一发明人是技术中心工程师，不是一线职工"


def _p006(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    del _inv(app)["union_card_no"]
    return "inventor.union_card_no", "没有填写工会会员互助服务卡号"


def _p007(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    names = _pt(app)["inventors"]
    names[0], names[1] = names[1], names[0]
    return "patent.inventors[0]", f"发明人顺序填反：第一位写成了“{names[0]}”"


def _p008(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    other = ctx.partners[0]
    app.data["inventor"] = copy.deepcopy(other.data["inventor"])
    app.data["unit_union"] = copy.deepcopy(other.data["unit_union"])
    name, employer = _inv(other)["name"], _inv(other)["employer"]
    _pt(app)["inventors"][0] = name
    _pt(app)["patentee"] = employer
    app.doc.update(inventor=name, employer=employer, patentee=employer, patentee_address=other.doc["patentee_address"])
    app.doc["inventors"][0] = name
    app.ent = other.ent
    app.stem = f"{app.stem.split('_', 1)[0]}_{name}"
    return "inventor.id_number", (f"第一发明人{name}本年度已在 {other.rel_json} 申报，同一人申报了两项（两份都会报出）")


def _p009(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    other = ctx.partners[0]
    _pt(app)["number"] = _pt(other)["number"]
    return "patent.number", f"专利号与 {other.rel_json} 相同（复制时填错，两份都会报出）"


def _p010(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _pt(app)["applied_since"] = "2099-01-01"
    return "patent.applied_since", "应用起始日期误填为 2099-01-01，晚于今天"


def _p020(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    group = app.ent.name.removesuffix("有限公司").removesuffix("股份") + "集团有限公司"
    _pt(app)["patentee"] = app.doc["patentee"] = group
    return "patent.patentee", f"专利权人是上级集团“{group}”，与第一发明人工作单位不同（警告）"


def _has_uscc(app: DemoApp, batch: Batch) -> bool:
    return "employer_uscc" in _inv(app)


def _two_inventors(app: DemoApp, batch: Batch) -> bool:
    return len(_pt(app)["inventors"]) >= 2


def _not_method(app: DemoApp, batch: Batch) -> bool:
    return not _pt(app)["title"].endswith("方法")


def _first_patent(host: DemoApp, mates: list[DemoApp], batch: Batch) -> list[DemoApp] | None:
    found = [m for m in mates if m.form == "patent"]
    return found[:1] or None


_PHOTO, _PDF = ("photo",), ("scan_pdf",)
PATENT_FAULTS = (
    FaultDef(
        "P008",
        "patent",
        fs("inventor", "patent.inventors", "patent.patentee", "unit_union"),
        _p008,
        partner_tokens=fs("inventor"),
        partners=_first_patent,
    ),
    FaultDef("P009", "patent", fs("patent.number"), _p009, partner_tokens=fs("patent.number"), partners=_first_patent),
    FaultDef("P001", "patent", fs("patent.number"), _p001),
    FaultDef("P002", "patent", fs("patent.number"), _p002),
    FaultDef("P003", "patent", fs("patent.number"), _p003, _not_method),
    FaultDef("P004", "patent", fs("patent.grant_date"), _p004),
    FaultDef("P005", "patent", fs("inventor.frontline", "inventor.post"), _p005),
    FaultDef("P006", "patent", fs("inventor.union_card_no"), _p006),
    FaultDef("P007", "patent", fs("patent.inventors"), _p007, _two_inventors),
    FaultDef("P010", "patent", fs("patent.applied_since"), _p010),
    FaultDef("P011", "patent", fs("att.patent_certificate"), remove_att("patent_certificate", "专利证书复印件")),
    FaultDef("P012", "patent", fs("att.application_proof"), remove_att("application_proof", "企业应用证明")),
    FaultDef("P020", "patent", fs("patent.patentee"), _p020),
)
FIELD_FAULTS = (
    FaultDef("F001", "patent", fs("inventor.post"), _f001),
    FaultDef("F001", "project", fs("studio.leader.post"), fp.f001),
    FaultDef("F002", "patent", fs("patent.application_summary"), _f002),
    FaultDef("F002", "project", fs("project.background"), fp.f002),
    FaultDef("F003", "patent", fs("patent.grant_date"), _f003),
    FaultDef("F003", "project", fs("dates", "project.startup_funds_date"), fp.f003),
    FaultDef("F010", "patent", fs("inventor.id_number"), _f010),
    FaultDef("F011", "patent", fs("inventor.gender", "inventor.id_number"), _f011),
    FaultDef("F012", "patent", fs("inventor.phone"), _f012),
    FaultDef("F012", "project", fs("studio.leader.phone"), fp.f012),
    FaultDef("F013", "patent", fs("inventor.employer_uscc"), _f013, _has_uscc),
    FaultDef("F013", "project", fs("studio.enterprise_uscc"), fp.f013),
    FaultDef("F014", "patent", fs("inventor.union_card_no"), _f014),
)
_A001 = att_fault(("photo", "scan_pdf"), "missing", "附件文件 {file} 不存在（已被移走或改名）")
_A002 = att_fault(_PHOTO, "truncated", "附件 {file} 只复制了一部分，JPEG 文件不完整")
_A003 = att_fault(_PDF, "encrypted", "附件 {file} 设置了打开密码（123456）")
_A004 = att_fault(_PHOTO, "lowres", "附件 {file} 是 600×850 像素的小图（警告：分辨率过低）")
ATTACHMENT_FAULTS = tuple(
    FaultDef(code, form, frozenset(), planter, att_applies(shapes))
    for code, planter, shapes in (
        ("A001", _A001, ("photo", "scan_pdf")),
        ("A002", _A002, _PHOTO),
        ("A003", _A003, _PDF),
        ("A004", _A004, _PHOTO),
    )
    for form in ("patent", "project")
)
# Faults on several applications and the most constrained ones first, then one code after another.
ALL_FAULTS = (
    *PATENT_FAULTS[:2],
    *fp.GROUP_FAULTS,
    *PATENT_FAULTS[2:],
    *fp.PROJECT_FAULTS,
    *FIELD_FAULTS,
    *ATTACHMENT_FAULTS,
)
