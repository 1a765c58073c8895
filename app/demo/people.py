"""People and organisations of a demo batch: names, ID numbers, phones, union cards,
enterprises with their USCCs and unions. Identifiers come from ``app.identifiers``."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from zhutui import identifiers as ids
from zhutui.demo import texts


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
MALE_GIVEN = _words(
    "建国 建军 志强 国庆 卫东 海涛 立新 永刚 振华 俊杰 文博 宏伟 "
    "晓东 明辉 学军 长江 德明 宝山 春雷 庆丰 玉龙 志刚 亚军 占国 "
    "树林 铁军 新民 少华 鹏 磊 军 强 伟 勇 涛 斌 浩 超 亮 鑫 "
    "凯 帅 雷 峰 刚 健 昊天 子豪 宇航 嘉诚 浩然 思远 一鸣 天宇"
)
FEMALE_GIVEN = _words(
    "秀兰 桂芳 丽华 淑琴 红梅 晓燕 海燕 丽娟 玉梅 春艳 雪梅 慧敏 "
    "静怡 婷婷 欣怡 雨桐 佳慧 晓静 丽 芳 娜 敏 静 燕 艳 霞 颖 "
    "璐 琳 萍 雪 倩 悦 蕾 梦瑶 思琪 诗涵 子涵 晨曦 晓红"
)

BEIJING_REGIONS = (
    "110101",
    "110102",
    "110105",
    "110106",
    "110107",
    "110108",
    "110109",
    "110111",
    "110112",
    "110113",
    "110114",
    "110115",
    "110116",
    "110117",
    "110118",
    "110119",
)
OLD_BEIJING_REGIONS = ("110103", "110104")  # 崇文区、宣武区: still on IDs of people born before 2010
OTHER_REGIONS = (
    "130102",
    "130229",
    "130602",
    "120101",
    "140105",
    "150102",
    "210102",
    "230103",
    "340104",
    "370102",
    "370283",
    "410105",
    "420106",
    "130984",
    "131082",
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "182",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
)
CARD_PREFIX = "621468"  # demo BIN of the 京卡 (工会会员互助服务卡)
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class Person:
    name: str
    gender: str
    id_number: str
    birth: dt.date
    phone: str
    card_no: str


@dataclass
class Enterprise:
    name: str
    uscc: str
    industry: texts.Industry
    union_contact: str
    union_phone: str
    address: str = ""  # 北京市海淀区上地信息路26号 (in the superior union's district)
    postcode: str = ""
    used_titles: set[str] = field(default_factory=set)

    @property
    def union_name(self) -> str:
        return f"{self.name}工会"


@dataclass(frozen=True)
class SuperiorUnion:
    name: str
    region: str  # 6-digit division code used in the enterprises' USCCs


SUPERIOR_UNIONS = (
    SuperiorUnion("北京市朝阳区总工会", "110105"),
    SuperiorUnion("北京市海淀区总工会", "110108"),
    SuperiorUnion("北京市丰台区总工会", "110106"),
    SuperiorUnion("北京市顺义区总工会", "110113"),
    SuperiorUnion("北京市昌平区总工会", "110114"),
    SuperiorUnion("北京经济技术开发区总工会", "110115"),
    SuperiorUnion("北京市通州区总工会", "110112"),
    SuperiorUnion("北京市大兴区总工会", "110115"),
)


# Each superior union's district as an address starts, its postcodes and some of its roads
# (real roads; the numbers are made up).
DISTRICTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "北京市朝阳区总工会": (
        "北京市朝阳区",
        ("100015", "100016", "100020", "100022", "100101", "100102", "100124"),
        ("酒仙桥路", "望京街", "东三环中路", "建国路", "北苑路", "来广营西路", "广顺北大街", "东四环北路"),
    ),
    "北京市海淀区总工会": (
        "北京市海淀区",
        ("100080", "100083", "100085", "100089", "100094", "100095", "100193"),
        ("上地信息路", "中关村大街", "学院路", "西三环北路", "北四环西路", "丰秀中路", "永丰路", "东北旺西路"),
    ),
    "北京市丰台区总工会": (
        "北京市丰台区",
        ("100070", "100071", "100073", "100074", "100076"),
        ("南四环西路", "丰台北路", "海鹰路", "汽车博物馆东路", "丰管路", "航丰路", "育仁南路"),
    ),
    "北京市顺义区总工会": (
        "北京市顺义区",
        ("101300", "101312", "101318"),
        ("林河大街", "天竺路", "顺通路", "顺强路", "空港融慧园", "裕华路"),
    ),
    "北京市昌平区总工会": (
        "北京市昌平区",
        ("102200", "102206", "102208", "102209"),
        ("超前路", "生命园路", "回龙观西大街", "沙阳路", "振兴路", "白浮泉路"),
    ),
    "北京经济技术开发区总工会": (
        "北京市北京经济技术开发区",
        ("100176",),
        ("科创十三街", "荣华中路", "景园北街", "宏达北路", "永昌北路", "经海三路", "地盛北街"),
    ),
    "北京市通州区总工会": (
        "北京市通州区",
        ("101100", "101101", "101102", "101111"),
        ("新华西街", "兴光五街", "运河东大街", "聚富苑民族工业区", "景盛南四街"),
    ),
    "北京市大兴区总工会": (
        "北京市大兴区",
        ("102600", "102609", "102629"),
        ("兴华大街", "天贵街", "金星路", "永兴路", "华佗路", "福苑路"),
    ),
}


def make_address(rng: random.Random, superior: SuperiorUnion) -> tuple[str, str]:
    """An enterprise's address in the superior union's district, and its postcode."""
    district, postcodes, roads = DISTRICTS[superior.name]
    number = f"{rng.randint(1, 99)}号"
    if rng.random() < 0.4:
        number = f"{rng.randint(1, 40)}号院{rng.randint(1, 12)}号楼"
    return f"{district}{rng.choice(roads)}{number}", rng.choice(postcodes)


class People:
    """Hands out people with batch-unique names, ID numbers, phones and card numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names: set[str] = set()
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.cards: set[str] = set()

    def name(self, male: bool) -> str:
        while True:
            given = self.rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
            candidate = self.rng.choice(SURNAMES) + given
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def landline(self) -> str:
        while True:
            number = f"010-{self.rng.choice('568')}{self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(
        self, *, born_from: int = 1965, born_to: int = 1998, male: bool | None = None, beijing_share: float = 0.75
    ) -> Person:
        rng = self.rng
        male = rng.random() < 0.72 if male is None else male
        birth = dt.date(born_from, 1, 1) + dt.timedelta(
            days=rng.randrange((dt.date(born_to, 12, 31) - dt.date(born_from, 1, 1)).days)
        )
        if rng.random() < beijing_share:
            regions = BEIJING_REGIONS + (OLD_BEIJING_REGIONS if birth.year < 1990 else ())
        else:
            regions = OTHER_REGIONS
        while True:
            id_number = ids.make_id_number(rng.choice(regions), birth, rng.randrange(100), male)
            if id_number not in self.ids:
                self.ids.add(id_number)
                break
        while True:
            card = ids.make_card_no(CARD_PREFIX, 19, rng.randrange(10**12))
            if card not in self.cards:
                self.cards.add(card)
                break
        return Person(self.name(male), "男" if male else "女", id_number, birth, self.mobile(), card)


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714: 8 digits and a check character)."""
    body = f"{rng.randrange(10**7, 10**8)}"
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_enterprise_uscc(rng: random.Random, region: str, used: set[str]) -> str:
    while True:
        body = "91" + region + _org_code(rng)
        if any(c not in _ORG_CHARS for c in body):
            continue
        uscc = ids.make_uscc(body)
        if uscc not in used:
            used.add(uscc)
            return uscc


def make_enterprises(rng: random.Random, people: People, superior: SuperiorUnion, count: int) -> list[Enterprise]:
    industries = rng.sample(texts.INDUSTRIES, min(count, len(texts.INDUSTRIES)))
    used: set[str] = set()
    out = []
    for industry in industries:
        name = rng.choice(industry.enterprise_names)
        contact = people.name(rng.random() < 0.45)
        uscc = make_enterprise_uscc(rng, superior.region, used)
        # The address from its own generator: the batch's other content stays what it was.
        address, postcode = make_address(random.Random(f"address/{uscc}"), superior)
        out.append(Enterprise(name, uscc, industry, contact, people.landline(), address, postcode))
    return out
