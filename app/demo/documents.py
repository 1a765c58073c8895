"""What the demo's scanned documents say: certificate, application proof, approval letter,
fund transfer slip, studio recognition notice. Pure data; drawing is in ``scans.py``.

Line styles: ``kv`` a label and its value, ``pair`` two of them on one line (tab between),
``p`` a paragraph, ``right`` a right-aligned line (the first carries the seal), ``sign`` a
handwritten signature after the line before, ``small`` a note, ``gap`` an empty line.

Every seal carries 演示样例: these are demo pictures, not imitations of real documents."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from zhutui import identifiers as ids
from zhutui.demo.data import AttSpec, DemoApp, level_label
from zhutui.plans import cn_date

DEMO_MARK = "演示样例"


@dataclass
class Page:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (style, text)
    seal: str | None = None  # ring text of the red seal, drawn over the signature
    border: bool = False  # certificates have a decorative frame
    subtitle: str = ""
    header: str = ""  # a small line at the top left, above the title (a certificate's number)

    def text(self) -> str:
        """Everything written on the page, one line per line of the spec."""
        rows = [self.header, self.title, self.subtitle, *(text.replace("\t", " ") for _, text in self.lines)]
        return "\n".join(row for row in rows if row)


def _spaced_number(number: str) -> str:
    digits, check = number.removeprefix("ZL").split(".")
    if len(digits) == 12:
        return f"ZL {digits[:4]} {digits[4]} {digits[5:]}.{check}"
    return f"ZL {digits[:2]} {digits[2]} {digits[3:]}.{check}"


def pages_for(spec: AttSpec, app: DemoApp, rng: random.Random) -> list[Page]:
    builders = {
        "certificate": _certificate,
        "proof": _proof,
        "approval": _approval,
        "fund": _fund,
        "studio_cert": _studio_cert,
    }
    return builders[spec.doc](app, rng)


def _signed(app: DemoApp, rng: random.Random) -> dt.date:
    """The day the enterprise signed a proof: the week after the notice came out."""
    return dt.date(app.data["plan_year"], 10, 18) + dt.timedelta(days=rng.randint(0, 6))


def printed_date(day: dt.date) -> str:
    """A date as the patent office prints it: 2021年05月06日."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


# The first invention publication number (CN 1xxxxxxxx A, the grant keeps it with B) of some
# years: publication numbers grow by about 1.5 million a year.
_FIRST_PUBLICATION = {
    2015: 104_200_000,
    2016: 105_200_000,
    2017: 106_300_000,
    2018: 107_500_000,
    2019: 109_100_000,
    2020: 110_600_000,
    2021: 112_200_000,
    2022: 113_900_000,
    2023: 115_500_000,
    2024: 117_300_000,
    2025: 119_100_000,
}


def publication_number(filed: dt.date, granted: dt.date, rng: random.Random) -> str:
    """The grant publication number, ``CN 112345678 B``: the application was published some
    months after it was filed (18 at the latest, and not after the grant)."""
    published = min(granted, filed + dt.timedelta(days=rng.randint(90, 548)))
    year = min(max(published.year, min(_FIRST_PUBLICATION)), max(_FIRST_PUBLICATION))
    start = _FIRST_PUBLICATION[year]
    end = _FIRST_PUBLICATION.get(year + 1, start + 1_800_000)
    share = (published - dt.date(published.year, 1, 1)).days / 366
    return f"CN {start + int((end - start) * share) + rng.randint(0, 20_000)} B"


def _certificate(app: DemoApp, rng: random.Random) -> list[Page]:
    """The patent certificate as the patent office prints it (the 2020s layout): its number at
    the top, the title, the bibliographic lines, the standard paragraphs, the commissioner's
    signature under the office's seal. Its seal and a note say it is a demo picture."""
    d = app.doc
    parsed = ids.parse_patent_number(d["number"])
    utility = parsed is not None and not parsed.is_invention
    title = "实用新型专利证书" if utility else "发明专利证书"
    kind = "实用新型" if utility else "发明"
    page = Page(title, border=True, seal="国家知识产权局", header=f"证书号第{rng.randint(3_000_000, 4_900_000)}号")
    page.lines += [
        ("kv", f"{kind}名称：{d['title']}"),
        ("kv", f"发明人：{'；'.join(d['inventors'])}"),
        ("kv", f"专利号：{_spaced_number(d['number'])}"),
        ("kv", f"专利申请日：{printed_date(d['filed'])}"),
        ("kv", f"专利权人：{d['patentee']}"),
        ("kv", f"地址：{d['patentee_address']}"),
        (
            "pair",
            f"授权公告日：{printed_date(d['grant_date'])}\t"
            f"授权公告号：{publication_number(d['filed'], d['grant_date'], rng)}",
        ),
        (
            "p",
            f"国家知识产权局依照中华人民共和国专利法经过审查，决定授予专利权，颁发{kind}专利证书"
            "并在专利登记簿上予以登记。专利权自授权公告之日起生效。专利权期限为"
            f"{'十' if utility else '二十'}年，自申请日起算。",
        ),
        (
            "p",
            "专利证书记载专利权登记时的法律状况。专利权的转移、质押、无效、终止、恢复和专利权人的"
            "姓名或名称、国籍、地址变更等事项记载在专利登记簿上。",
        ),
        ("gap", ""),
        ("right", "局长"),
        ("sign", ""),
        ("small", f"（本图为{DEMO_MARK}，由申报助手生成，仅供试用）"),
    ]
    return [page]


def _proof(app: DemoApp, rng: random.Random) -> list[Page]:
    d = app.doc
    effects = rng.sample(app.ent.industry.effects, 2)
    workshop = rng.choice(app.ent.industry.workshops)
    page = Page("企业应用证明", seal=d["employer"])
    page.lines += [
        (
            "p",
            f"兹证明，我单位职工{d['inventor']}作为第一发明人完成的职务发明专利《{d['title']}》"
            f"（专利号：{d['number']}，授权公告日：{cn_date(d['grant_date'])}），自"
            f"{cn_date(d['since'])}起在我单位{workshop}的生产中推广应用。",
        ),
        ("p", f"该专利应用以来运行稳定，{effects[0]}，{effects[1]}，取得了良好的经济效益和社会效益。"),
        ("p", "特此证明。"),
        ("gap", ""),
        ("right", f"{d['employer']}（盖章）"),
        ("right", cn_date(_signed(app, rng))),
    ]
    return [page]


def _approval(app: DemoApp, rng: random.Random) -> list[Page]:
    d = app.doc
    short = app.ent.name.removeprefix("北京")[:2]
    first = Page(f"关于{d['project']}立项的批复", subtitle=f"{short}技字〔{d['approved'].year}〕{rng.randint(8, 96)}号")
    first.lines += [
        ("p", f"{d['studio']}："),
        (
            "p",
            f"你室报送的《{d['project']}立项申请书》收悉。经公司技术委员会评审，同意该项目立项，现将有关事项批复如下：",
        ),
        ("p", f"一、项目名称：{d['project']}。"),
        ("p", f"二、项目负责人：{d['leader']}。"),
        ("p", f"三、项目周期：{cn_date(d['approved'])}至{cn_date(d['planned'])}。"),
        (
            "p",
            f"四、项目总经费{d['total']:,}元，由公司科技创新专项资金列支，其中启动资金"
            f"{d['startup']:,}元由财务部在立项后一个月内拨付；同时申请北京市总工会职工创新助推资金。",
        ),
        (
            "p",
            "五、项目实施中应严格执行公司科技项目管理办法，按计划节点报送进度，专款专用，"
            "接受财务和审计部门的监督检查。",
        ),
    ]
    second = Page("")
    second.lines += [
        ("p", "六、项目完成后，由公司技术委员会组织结题验收，验收结果作为工作室年度考核和评先评优的重要依据。"),
        ("p", "七、请工会、技术中心和财务部按职责做好项目的组织协调、技术支持和经费保障工作。"),
        ("p", "此复。"),
        ("gap", ""),
        ("right", app.ent.name),
        ("right", cn_date(d["approved"])),
        ("gap", ""),
        ("small", "抄送：公司工会、技术中心、财务部、人力资源部"),
    ]
    second.seal = app.ent.name
    return [first, second]


def _fund(app: DemoApp, rng: random.Random) -> list[Page]:
    d = app.doc
    page = Page(
        "科技项目启动资金拨付单",
        seal=f"{app.ent.name}财务专用章",
        subtitle=f"编号：KJ{d['paid']:%Y%m%d}{rng.randint(10, 99)}",
    )
    page.lines += [
        ("kv", f"项目名称：{d['project']}"),
        ("kv", f"承担部门：{d['studio']}"),
        ("kv", f"项目负责人：{d['leader']}"),
        ("kv", f"拨付金额：¥{d['startup']:,}.00"),
        ("kv", "资金来源：公司科技创新专项资金"),
        ("kv", f"拨付日期：{cn_date(d['paid'])}"),
        ("kv", f"立项文件：见公司{d['approved'].year}年立项批复"),
        ("gap", ""),
        ("kv", "审批人：            财务负责人：            经办人："),
        ("right", cn_date(d["paid"])),
    ]
    return [page]


def _studio_cert(app: DemoApp, rng: random.Random) -> list[Page]:
    d = app.doc
    level = d["level"]
    issuer = "北京市总工会" if level != "district" else app.data["superior_union"]["name"]
    label = level_label(level)
    year = d["recognized_year"]
    page = Page(
        f"关于命名{year}年度{label}的决定",
        seal=issuer,
        subtitle=f"京工{'发' if level != 'district' else '字'}〔{year}〕{rng.randint(5, 60)}号",
    )
    page.lines += [
        (
            "p",
            "为深入推进职工技术创新活动，充分发挥劳模工匠和高技能人才的示范引领作用，经基层推荐、"
            "审核评议和公示，决定命名以下工作室为" + label + "。",
        ),
        ("p", f"{app.ent.name}　{d['studio']}（领军人：{d['leader']}）"),
        (
            "p",
            "希望受到命名的工作室珍惜荣誉，围绕企业生产经营中的技术难题开展创新攻关，"
            "在培养技能人才、推广先进操作法方面发挥更大作用。",
        ),
        ("gap", ""),
        ("right", issuer),
        ("right", cn_date(dt.date(year, rng.randint(4, 11), rng.randint(1, 28)))),
    ]
    return [page]
