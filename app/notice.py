"""Reading a year's 实施方案 notice: the plan it states, each fact with the sentence it came from.

``noticefile.notice_text`` reads a file (``.txt`` in UTF-8 or GB18030, ``.docx``, a ``.pdf``
with text); ``read_notice`` finds the facts of the plan schema (``forms/README.md``) in the text: the year,
the notice's date, the deadline, where the copies go, the focus areas, the patent programme's
window, amount, split and payment, the project programme's approval window, completion, cap,
per-studio limits, tiers and disbursement. A fact the text does not state is None (null in the
plan), never carried over from another year.

Two kinds of text are read: the official notice (the union's own wording, as in the 2022 one)
and a newspaper report of one (the same facts retold, e.g. 劳动午报 on the 2021 one). The text
is read as the union writes it: sentences end with 。；, numbers are Arabic or Chinese (两年,
一次), dates are 2022年11月1日, amounts 3000元 or 10万元, ratios 1:1; full-width and half-width
forms are the same, and a line broken inside a sentence (a newspaper's columns) is joined.
Each fact's source is the sentence, as the notice words it, that it was read from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhutui.errors import InputError
from zhutui.normalize import cn_date, to_halfwidth
from zhutui.noticefile import notice_text
from zhutui.plans import CONFIRMED, UNCHECKED, Plan, derive_plan, fact_keys

# Levels of studio (the project form's studio.level choices) by the words a notice uses.
MUNICIPAL_LEVELS = ["municipal_demo", "municipal"]
DISTRICT_LEVELS = ["district"]
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(\d+|[一二两三四五六七八九十])"
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_RANGE = r"(?:至|到|—|-|～|~)"
_AMOUNT = r"(\d[\d,]*(?:\.\d+)?)(万)?元"  # 3000元, 3,000元, 0.3万元
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
# A split as notices word it: 按1:1比例分担, 按照1∶2的比例共同承担.
_RATIO = r"按(?:照)?(\d+)[:：∶比](\d+)(?:的)?比例(?:分担|承担|共同承担)?"


class NotANotice(InputError):
    """A readable text that does not state a plan year and a deadline."""


@dataclass
class NoticeReading:
    """What a notice states: the plan in the plan file's shape (unstated facts None; every fact
    待核对 until a person has checked it), and for each fact found, by dotted key, the sentence
    it was read from."""

    plan: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        """Whether it reads as a notice: a plan year and a deadline."""
        return self.plan.get("year") is not None and self.plan.get("deadline") is not None


# --------------------------------------------------------------------------- reading


def read_notice_file(path: Path) -> NoticeReading:
    """The plan a notice file states; NotANotice (an InputError) when it states no plan year
    and deadline."""
    return require_notice(read_notice(notice_text(path)), path)


def require_notice(reading: NoticeReading, path: Path | None) -> NoticeReading:
    """``reading``, when it reads as a notice; else NotANotice naming ``path`` (None: pasted text)."""
    if not reading.found:
        what = "计划年度" if reading.plan.get("year") is None else "材料报送截止日期"
        raise NotANotice(
            path, None, f"没有读到{what}，不像是职工创新助推计划的实施方案通知。请选择通知的全文（含“实施方案”正文）"
        )
    return reading


@dataclass(frozen=True)
class FactRow:
    """One fact of a plan made from a notice, beside the previous plan's."""

    key: str
    previous: Any  # the previous plan's value
    read: Any  # what the notice states (None: not stated)
    source: str  # the sentence it was read from ("" when not found)

    @property
    def found(self) -> bool:
        return self.read is not None

    @property
    def changed(self) -> bool:
        return self.found and self.read != self.previous


@dataclass(frozen=True)
class NewPlan:
    raw: dict[str, Any]  # the plan file's content
    rows: list[FactRow]


def plan_from_notice(reading: NoticeReading, year: int, base: Plan, *, confirm_read: bool = False) -> NewPlan:
    """The plan for ``year`` from its notice: what the notice states, each fact beside
    ``base``'s; a fact it doesn't state is taken from ``base`` as ``derive_plan`` does (dates
    moved on). Every fact stays 待核对 (D004) until confirmed, those read too unless
    ``confirm_read``; the source sentences are kept with the plan (``notice_sources``)."""
    stated = reading.plan.get("year")
    if stated != year:
        raise InputError(
            None, "year", f"这份通知是{stated}年度的，不是{year}年度的。请选择{year}年的通知，或改新建{stated}年度"
        )
    raw = derive_plan(base, year)
    rows = []
    unconfirmed = []
    for key in fact_keys(raw):
        read = get_path(reading.plan, key)
        previous = get_path(base.raw, key)
        rows.append(FactRow(key, previous, read, reading.sources.get(key, "")))
        if read is not None:
            _set(raw, key, read)
        if read is None or not confirm_read:
            unconfirmed.append(key)
    raw["unconfirmed"] = unconfirmed
    raw["status"] = UNCHECKED if unconfirmed else CONFIRMED
    raw["source"] = f"{reading.plan.get('source') or f'{year}年实施方案通知'}（由本软件读取通知）"
    raw["notice_sources"] = {r.key: r.source for r in rows if r.source}
    return NewPlan(raw, rows)


def get_path(raw: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        if not isinstance(raw, dict):
            return None
        raw = raw.get(part)  # type: ignore[assignment]
    return raw


def _set(raw: dict[str, Any], key: str, value: Any) -> None:
    *parents, leaf = key.split(".")
    for part in parents:
        raw = raw.setdefault(part, {})
    raw[leaf] = value


def read_notice(text: str) -> NoticeReading:
    """The plan ``text`` states (see the module's docstring)."""
    return _Reader(text).read()


class _Reader:
    def __init__(self, text: str):
        self.lines = [_flat(line) for line in text.splitlines()]
        self.raw_lines = [" ".join(line.split()) for line in text.splitlines()]  # sources as written
        self.sentences = _sentences(text)
        self.sources: dict[str, str] = {}
        self._bracketed_address: str | None = None
        # The two programmes' parts of the text: the patent one, then the project one.
        parts = _parts(self.sentences)
        self.patent = [s for s, part in zip(self.sentences, parts, strict=True) if part == "patent"]
        self.project = [s for s, part in zip(self.sentences, parts, strict=True) if part == "project"]

    def read(self) -> NoticeReading:
        reading = self._read()
        reading.sources = {k: _official(v) for k, v in reading.sources.items()}
        return reading

    def _read(self) -> NoticeReading:
        year = self._year()
        tiers = self._tiers()
        everywhere = self.sentences
        plan: dict[str, Any] = {
            "source": self._title(year),
            "notice_issued": self._notice_issued(),
            "deadline": self._deadline(year),
            "submission": {
                "email": self._email(),
                "paper_receiver": self._receiver(),
                "paper_address": self._address(),
                "contacts": self._contacts(),
                "electronic_only": self._electronic_only(),
            },
            "focus_areas": self._focus_areas(),
            "patent": {
                **self._window("patent", self.patent or everywhere, r"授权|知识产权局"),
                "amount": self._amount(),
                "split": self._split_near("patent.split", self.patent, r"每项|单项|发明专利")
                or self._split_near("patent.split", everywhere, r"每项(?:职务)?发明专利")
                or self._split_near("patent.split", [x for x in everywhere if "专利" in x], r"每项|单项")
                or self._halves("patent.split", self.patent),
                "per_person_per_year": self._count(
                    "patent.per_person_per_year",
                    everywhere,
                    r"(?:每人|每名职工|同一职工|同一发明人)(?:每年度?|一年内|每一年度)(?:最多|至多|限|只能|仅|可)?"
                    r"(?:享受|获得|申报)" + _NUM + r"(?:次|项)",
                ),
                "payment": self._transfer(
                    "patent.payment",
                    self.patent or [x for x in everywhere if "发明人" in x],
                    r"(?:发放|划拨|拨付|打)(?:至|到|入)[^。；;]*(?:服务卡|第一发明人)",
                ),
            },
            "project": {
                **self._approval(),
                "completion_years": self._count(
                    "project.completion_years", everywhere, r"立项(?:之日)?(?:起|后)" + _NUM + r"年(?:内|之内)完成"
                ),
                "latest_completion": self._date(
                    "project.latest_completion",
                    r"(?:最晚|最迟|结题(?:时间|日期))[^。；;，,\d]{0,8}?" + _DATE,
                    everywhere,
                ),
                "boost_cap": self._cap(),
                "per_studio_applications": self._count(
                    "project.per_studio_applications",
                    everywhere,
                    r"(?:同一|每个|每一)(?:个)?(?:职工)?(?:创新)?工作室(?:的)?(?:申报(?:数量|项目)?)?(?:不能|不得|不)?"
                    r"(?:超过|多于|限报|限申报|最多可申报|最多申报|至多申报|可申报|最多|至多)"
                    + _NUM
                    + r"(?:个)?(?:项|个项目)",
                ),
                "per_studio_funded": self._count(
                    "project.per_studio_funded",
                    everywhere,
                    r"(?:获得?助推的?(?:项目)?(?:至多|最多|不超过|限)" + _NUM + r"(?:个|项)"
                    r"|(?:至多|最多)"
                    + _NUM
                    + r"个?项目获得?助推|(?:至多|最多)(?:可)?获得"
                    + _NUM
                    + r"(?:个|项)(?:项目)?助推)",
                ),
                "exclude_unfinished": self._flag(
                    "project.exclude_unfinished",
                    everywhere,
                    r"(?:未|尚未)(?:按期)?(?:完成|通过)?结题验收的[^。；;]{0,12}?工作室[^。；;]{0,12}?"
                    r"(?:不(?:能|得|予)(?:再次|再)?申报|暂停[^。；;]{0,6}?申报)",
                ),
                "disbursement": self._transfer(
                    "project.disbursement",
                    self.project,
                    r"拨付[^。；;]*(?:%|余款|剩余|其余|两个阶段|两批|两次|一次性)|(?:两个阶段|两批|两次|一次性)[^。；;]*拨付",
                ),
                "tiers": tiers,
            },
        }
        if plan["source"] and plan["notice_issued"]:
            plan["source"] += f"（{cn_date(plan['notice_issued'])}）"
        facts = fact_keys(plan)
        # Every fact 待核对 (listed last, after the facts themselves).
        return NoticeReading({"year": year, "status": UNCHECKED, **plan, "unconfirmed": facts}, self.sources)

    # ------------------------------------------------------------------ helpers

    def _find(self, key: str | None, pattern: str, sentences: list[str] | None = None) -> re.Match | None:
        """The first match of ``pattern`` in a sentence; its sentence becomes ``key``'s source."""
        for sentence in self.sentences if sentences is None else sentences:
            found = re.search(pattern, sentence)
            if found:
                if key:
                    self.sources[key] = sentence
                return found
        return None

    def _date(self, key: str, pattern: str, sentences: list[str] | None = None) -> dt.date | None:
        found = self._find(key, pattern, sentences)
        return _to_date(*found.groups()[:3]) if found else None

    def _text(self, key: str, pattern: str, sentences: list[str] | None = None) -> str | None:
        found = self._find(key, pattern, sentences)
        return found.group(1).strip() if found else None

    def _count(self, key: str, sentences: list[str], pattern: str) -> int | None:
        found = self._find(key, pattern, sentences)
        return _number(next(g for g in found.groups() if g)) if found else None

    def _flag(self, key: str, sentences: list[str], pattern: str) -> bool | None:
        return True if self._find(key, pattern, sentences) else None

    # ------------------------------------------------------------------ the facts

    def _year(self) -> int | None:
        found = self._find("year", r"(\d{4})年(?:度)?职工创新助推计划实施方案")
        if found is None:
            found = self._find("year", r"(\d{4})年(?:度)?职工创新(?:发明专利|项目)?助推")
        return int(found.group(1)) if found else None

    def _title(self, year: int | None) -> str | None:
        """Where the facts come from: the notice's title, or the report's headline."""
        headline = next((s for s in self.sentences if s.startswith("#") and "助推" in s), None)
        if headline:  # a report's headline
            return _official(headline.lstrip("#"))
        for sentence in self.sentences:
            if "实施方案" in sentence and re.search("通知|印发", sentence):
                return _official(sentence)
        return f"{year}年职工创新助推计划实施方案" if year else None

    def _deadline(self, year: int | None) -> dt.date | None:
        """The day materials are due: 于2022年11月1日前完成材料报送 (or 11月1日前, in the plan's year)."""
        after = r"(?:（含）|\(含\))?前[^。；;，,]{0,10}?(?:报送|提交|上报|报至|寄送)"
        closes = r"(?:截止|结束)"
        with_year = (
            r"于?" + _DATE + after,
            r"截止(?:时间|日期)?(?:为|是|到|至|:|：)?" + _DATE,
            r"(?:申报|报送)(?:时间)?截至" + _DATE,
            r"(?:于|到|至)" + _DATE + closes,
        )
        for pattern in with_year:
            found = self._find("deadline", pattern)
            if found:
                return _to_date(*found.groups()[:3])
        day = r"(?<![年\d])(\d{1,2})月(\d{1,2})日"
        for pattern in (
            r"于?" + day + after,
            r"截止(?:时间|日期)?(?:为|是|到|至|:|：)?" + day,
            r"(?:申报|报送)(?:时间)?截至" + day,
            r"(?:于|到|至)" + day + closes,
        ):
            found = self._find("deadline", pattern)
            if found and year:
                return _to_date(str(year), *found.groups()[:2])
        return None

    def _notice_issued(self) -> dt.date | None:
        """The date the notice was signed: a line holding only a date, right under the issuer's
        name (北京市总工会办公室; at the top or at the end), or before the plan's text (a report
        says 近日印发: none)."""
        lines = [line for line in self.lines if line]
        for before, line in zip(["", *lines], lines, strict=False):
            found = re.fullmatch(_DATE, line)
            if found and _closes(before):
                self.sources["notice_issued"] = line
                return _to_date(*found.groups())
        for line in lines:
            found = re.fullmatch(_DATE, line)
            if found:
                self.sources["notice_issued"] = line
                return _to_date(*found.groups())
            if re.match(r"[一二三四五六七八九十]+、", line):
                break  # the plan's sections have begun
        # A report: 北京市总工会于9月18日印发《2040年……实施方案》 (the plan's year when none is given).
        found = self._find("notice_issued", r"于(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:正式)?印发")
        year = found.group(1) or self._year() if found else None
        return _to_date(str(year), found.group(2), found.group(3)) if found and year else None

    def _email(self) -> str | None:
        for pattern in (r"电子版[^。；]*?(" + _EMAIL + ")", r"邮箱[：:]?(" + _EMAIL + ")", "(" + _EMAIL + ")"):
            found = self._find("submission.email", pattern)
            if found:
                return found.group(1).rstrip(".")
        return None

    def _receiver(self) -> str | None:
        """Where the paper copy goes: 纸质版材料报送至X, or 将申报材料报送至X (an address in
        brackets after it is the paper address)."""
        for pattern in (
            r"纸质(?:版)?(?:材料)?(?:请|须|需|应)?(?:报送|寄送|送|邮寄|递交)至",
            r"将(?:申报)?材料(?:报送|寄送|送|邮寄)至",
            r"(?<!电子版)(?<!电子)材料(?:报送|寄送|邮寄)至",
        ):
            found = self._find("submission.paper_receiver", pattern + r"([^，。；,;、（(]+)(?:[（(]([^）)]+)[）)])?")
            if found:
                if found.group(2) and re.search(r"[区县市路街].*号", found.group(2)):
                    self._bracketed_address = re.sub(r"^(?:地址|通讯地址)[：:]", "", found.group(2))
                    self.sources["submission.paper_address"] = self.sources["submission.paper_receiver"]
                return found.group(1)
        return None

    def _address(self) -> str | None:
        for line, written in zip(self.lines, self.raw_lines, strict=True):
            found = re.match(r"(?:地址|通讯地址|邮寄地址|寄送地址)[：:](.+)", line)
            if found:
                self.sources["submission.paper_address"] = written
                return found.group(1).strip()
        if self._bracketed_address:
            return self._bracketed_address
        return self._text("submission.paper_address", r"(?:寄送|报送|邮寄)地址(?:为|是)?[：:]?([^，。；]+)")

    def _contacts(self) -> list[dict[str, str]] | None:
        """联系人：高  珊83570885    李梦遥83570883 (names and phones on that line and on the
        lines right after it that hold only names and phones; a phone may be in brackets or
        after 电话：)."""
        pair = r"([\u4e00-\u9fff]{2,4})[，,、;；]?(?:联系)?(?:电话)?[：:]?[（(]?((?:010-?)?\d{7,8}|1\d{10})[）)]?"
        for i, (line, written) in enumerate(zip(self.lines, self.raw_lines, strict=True)):
            found = re.search(r"联系人(?:及(?:联系)?电话)?[：:](.+)", line)
            if not found:
                continue
            pairs = re.findall(pair, found.group(1))
            shown = [written]
            for more, more_written in zip(self.lines[i + 1 :], self.raw_lines[i + 1 :], strict=False):
                if not more or not re.fullmatch(rf"(?:{pair}[，,、;；。]?)+", more):
                    break
                pairs += re.findall(pair, more)
                shown.append(more_written)
            if pairs:
                self.sources["submission.contacts"] = " ".join(shown)
                return [{"name": _person(name), "phone": phone} for name, phone in pairs]
        return None

    def _electronic_only(self) -> list[int] | None:
        found = self._find("submission.electronic_only", r"(?:只|仅)(?:需)?报(?:送)?电子版")
        if not found:
            return None
        numbers = [
            n
            for listed in re.findall(r"附件(\d+(?:[、和与及,，]\d+)*)", self.sources["submission.electronic_only"])
            for n in re.findall(r"\d+", listed)
        ]
        if not numbers:
            del self.sources["submission.electronic_only"]
            return None
        return [int(n) for n in numbers]

    def _focus_areas(self) -> list[str] | None:
        lead = r"(?:重点关注|重点支持|重点聚焦|聚焦|重点领域)(?:的领域)?(?:为|是|包括)?[：:]?"
        found = self._find("focus_areas", lead + r"((?:[^、。；;，,]+、)+[^、。；;，,等]+)等")
        if found is None:
            found = self._find("focus_areas", lead + r"((?:[^、。；;，,]+、)+[^、。；;，,]+)[。；;]?$")
        if not found:
            return None
        return [area for area in re.split(r"[、，,]", found.group(1)) if area]

    def _window(self, part: str, sentences: list[str], near: str) -> dict[str, dt.date | None]:
        """The grant window: two dates joined by 至 in the sentence naming the grant (the second
        may leave out its year: 2029年1月1日至12月31日), or a whole year (2032年度获得授权)."""
        for sentence in sentences:
            found = re.search(_DATE + _RANGE + r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日", sentence)
            if found and re.search(near, sentence):
                self.sources[f"{part}.grant_from"] = self.sources[f"{part}.grant_to"] = sentence
                g = found.groups()
                return {"grant_from": _to_date(*g[:3]), "grant_to": _to_date(g[3] or g[0], g[4], g[5])}
        for sentence in sentences:
            found = re.search(r"(\d{4})年(?:度)?(?:内)?(?:获得|取得)?(?:国家知识产权局)?授权", sentence)
            if found:
                self.sources[f"{part}.grant_from"] = self.sources[f"{part}.grant_to"] = sentence
                year = int(found.group(1))
                return {"grant_from": dt.date(year, 1, 1), "grant_to": dt.date(year, 12, 31)}
        return {"grant_from": None, "grant_to": None}

    def _amount(self) -> int | None:
        raised = self._find(
            "patent.amount", r"(?:每项|单项)[^。；;]{0,20}?(?:提高至|提高到|调整为|增至|增加到)" + _AMOUNT
        )
        if raised:  # 由去年的3000元提高至5000元
            return _money(raised.group(1), raised.group(2))
        pattern = r"(?:每项|单项)(?:职务)?(?:发明)?(?:专利)?[^。；;，,\d]{0,10}?" + _AMOUNT
        about_patents = self.patent or [x for x in self.sentences if "专利" in x]
        found = self._find("patent.amount", pattern, about_patents) or self._find(
            "patent.amount", r"(?:每项|单项)(?:职务)?发明专利[^。；;]{0,8}?" + _AMOUNT
        )
        return _money(found.group(1), found.group(2)) if found else None

    def _split_near(self, key: str, sentences: list[str], near: str) -> list[int] | None:
        for sentence in sentences:
            found = re.search(_RATIO, sentence)
            if found and re.search(near, sentence):
                self.sources[key] = sentence
                return [int(found.group(1)), int(found.group(2))]
        return None

    def _halves(self, key: str, sentences: list[str]) -> list[int] | None:
        """各承担一半: a split of 1:1."""
        return [1, 1] if self._find(key, r"各(?:承担|负担|分担)(?:一半|50%)", sentences) else None

    def _transfer(self, key: str, sentences: list[str], says: str) -> str | None:
        """When and how the money is paid: the sentence of the programme's part that ``says``
        it (a 资金划拨 or 发放 heading before it left out)."""
        for sentence in sentences:
            text = re.sub(r"^(?:\d+[.、．]|[（(][一二三四五六七八九十]+[）)])?[^。：:，,]{0,6}?[。：:]", "", sentence)
            if re.search(says, text) and not re.fullmatch(r"[^。]{0,8}[。：:]?", text):
                self.sources[key] = sentence
                return text
        return None

    def _approval(self) -> dict[str, dt.date | None]:
        found = self._find(
            "project.approval_from",
            r"(?:于|面向)(\d{4})年(?:度)?内?(?:经企业批准|由企业批准|经批准|批准)?立项",
            self.sentences,
        )
        if found:
            self.sources["project.approval_to"] = self.sources["project.approval_from"]
            year = int(found.group(1))
            return {"approval_from": dt.date(year, 1, 1), "approval_to": dt.date(year, 12, 31)}
        for sentence in self.project or self.sentences:
            window = re.search(_DATE + _RANGE + _DATE, sentence)
            if window and "立项" in sentence:
                self.sources["project.approval_from"] = self.sources["project.approval_to"] = sentence
                g = window.groups()
                return {"approval_from": _to_date(*g[:3]), "approval_to": _to_date(*g[3:])}
        return {"approval_from": None, "approval_to": None}

    def _cap(self) -> float | None:
        found = self._find(
            "project.boost_cap",
            r"助推资金(?:总额|总数|合计)?(?:原则上)?(?:不得超过|不超过|不得高于|不高于|最多为)[^。；;]*?"
            r"(?:(\d+(?:\.\d+)?)%|(一半|半数))",
        )
        if not found:
            return None
        share = float(found.group(1)) / 100 if found.group(1) else 0.5
        return int(share) if share.is_integer() else round(share, 4)

    def _tiers(self) -> list[dict[str, Any]] | None:
        """The project tiers: in each sentence naming studio levels (市级（示范性）…工作室,
        区、局、集团（公司）级…工作室) and amounts of 万元, each amount belongs to the level named
        before it; the split is the sentence's ratio (分别按1∶1、1∶2: one a level, in turn) or a
        later 以上……按1∶1比例分担's; the quotas come from 助推10万元项目10项 / 10万元项目不超过10项."""
        tiers: list[dict[str, Any]] = []
        sources: list[str] = []
        quota = _AMOUNT + r"(?:的)?项目(?:不超过|不多于|至多|最多|约)?(\d+)项"
        sentences = self.project or self.sentences
        for sentence in sentences:
            ratios = _ratios(sentence)
            if re.match(r"(?:\d+[.、．])?以上", sentence) and ratios:  # 以上两类均由……按1:1比例分担
                for tier in tiers:
                    tier["split"] = tier["split"] or ratios[0]
                sources.append(sentence)
                continue
            if re.search(quota, sentence):
                continue
            marks = [(m.start(), _levels(m.group(0))) for m in re.finditer(_LEVEL, sentence)]
            amounts = [(m.start(), _money(m.group(1), m.group(2))) for m in re.finditer(_AMOUNT, sentence)]
            amounts = [(at, amount) for at, amount in amounts if amount >= 10000]
            if not marks or not amounts:
                continue
            groups: list[list[dict[str, Any]]] = []
            for at, amount in amounts:
                before = [i for i, (start, _) in enumerate(marks) if start < at]
                if not before:
                    continue
                levels = marks[before[-1]][1]
                if not groups or groups[-1][0]["levels"] != levels:
                    groups.append([])
                groups[-1].append({"amount": amount, "levels": levels, "split": None, "quota": None})
            if not groups:
                continue
            for i, group in enumerate(groups):
                split = ratios[i] if len(ratios) == len(groups) else ratios[0] if len(ratios) == 1 else None
                for tier in group:
                    tier["split"] = split
                tiers += group
            sources.append(sentence)
        if not tiers:
            return None
        for sentence in sentences:
            counts = re.findall(quota, sentence)
            if not counts:
                continue
            sources.append(sentence)
            for n, unit, count in counts:
                for tier in tiers:
                    if tier["amount"] == _money(n, unit):
                        tier["quota"] = int(count)
        self.sources["project.tiers"] = "".join(dict.fromkeys(sources))
        return tiers


# A studio level as tiers name it: followed by its studios (区、局、集团（公司）工会 is a union).
_LEVEL = (
    r"(?:市级[（(]示范性[）)]|市级示范性|市级|区、局、集团[（(]公司[）)]|区、局、集团|区级)"
    r"(?=级?(?:职工)?(?:创新)?工作室)"
)


def _ratios(sentence: str) -> list[list[int]]:
    """The splits a sentence gives: 按1:1比例, or 分别按1∶1、1∶2比例 (one a level, in turn)."""
    both = re.search(r"按(?:照)?((?:\d+[:：∶比]\d+[、和与,，]?){2,})(?:的)?比例", sentence)
    if both:
        return [[int(a), int(b)] for a, b in re.findall(r"(\d+)[:：∶比](\d+)", both.group(1))]
    return [[int(a), int(b)] for a, b in re.findall(_RATIO, sentence)]


def _person(name: str) -> str:
    """A contact's name without the end of a department's before it (保护部孙悦 → 孙悦)."""
    cut = max((i for i, c in enumerate(name[:-2]) if c in "部处科室会心所局"), default=-1)
    return name[cut + 1 :]


def _levels(head: str) -> list[str] | None:
    """Which studio levels a tier sentence is about, by the words before 助推资金: 市级（示范性）
    both municipal levels, 市级示范性 the demonstration ones, 市级 the others, 区、局、集团 the
    district ones."""
    if "市级" in head:
        if re.search(r"[（(]示范性[）)]", head):
            return MUNICIPAL_LEVELS
        return ["municipal_demo"] if "示范性" in head else ["municipal"]
    return DISTRICT_LEVELS if re.search("区|局|集团", head) else None


# --------------------------------------------------------------------------- text


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def _cn_small(text: str) -> int:
    """一 … 三十一 as a number."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _arabic_dates(line: str) -> str:
    """二〇二六年三月十日 as 2026年3月10日 (a signature's date)."""

    def arabic(m: re.Match) -> str:
        year = "".join(str(_CN_DIGITS[c]) for c in m.group(1))
        return f"{year}年{_cn_small(m.group(2))}月{_cn_small(m.group(3))}日"

    return _CN_DATE.sub(arabic, line)


def _flat(line: str) -> str:
    """A line as matched: half-width digits and letters (punctuation as written, full-width or
    not), no spaces (高  珊 is 高珊; a report's 2021 年 is 2021年)."""
    flat = _arabic_dates(re.sub(r"\s+", "", to_halfwidth(line)))
    flat = re.sub(r"[（(](?:星期|周)[一二三四五六日天][）)]", "", flat)  # 2030年9月20日（星期五）
    return re.sub(r"百分之([一二三四五六七八九十]{1,3})", lambda m: f"{_cn_small(m.group(1))}%", flat)


def _sentences(text: str) -> list[str]:
    """The text's sentences, flattened: lines joined (a sentence broken over lines, as in a
    newspaper's columns, is whole again), then split after 。；! ? and before a numbered item
    or heading (一、 （二） 3.)."""
    lines = [_flat(line) for line in text.splitlines()]
    joined = last = ""
    for line in lines:
        if not line:
            continue
        heading = re.match(_HEADING, line)
        ends = joined[-1:] in ("。", "；", ";", "!", "?", "！", "？", "：", ":") or not joined
        # A short line ending as a title or signature does ends its sentence (…的通知,
        # 北京市总工会办公室); a long one ending so is a sentence running on (…通过市总工会 / 和企业…).
        apart = heading or ends or _alone(line) or _alone(last) or (_closes(last) and len(last) <= 40)
        joined += ("\n" if apart else "") + line
        last = line
    parts = re.split(r"(?<=[。；;!?！？])|\n", joined)
    return [p for p in (part.strip() for part in parts) if p]


_HEADING = r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.．、](?!\d))"


def _alone(line: str) -> bool:
    """A line that is a sentence by itself though it has no full stop: a date, a 联系人 or 地址
    line, a heading (一、职工创新发明专利助推), a headline."""
    return bool(
        re.fullmatch(_DATE, line)
        or (re.match(_HEADING, line) and len(line) <= 24 and "。" not in line)
        or re.match(r"(?:联系人|邮箱|地址|附件|电话)[：:]", line)
        or line.startswith(("#", "□", "本报记者", "本报讯"))
    )


def _closes(line: str) -> bool:
    """A line that ends a sentence though it has no full stop: a title, a signature."""
    return line.endswith(("的通知", "实施方案", "办公室", "总工会"))


_PATENT = r"发明专利助推"
_PROJECT = r"创新项目助推"


def _parts(sentences: list[str]) -> list[str | None]:
    """Which programme's part of the text each sentence is in: from the heading or first
    sentence about the patent programme alone (一、职工创新发明专利助推; a report's 在职工创新
    发明专利助推方面 or 今年职工创新发明专利助推对象为) to the project one's, until another
    numbered part (三、相关要求). A sentence naming both programmes changes nothing."""
    parts: list[str | None] = []
    part = None
    for s in sentences:
        patent, project = bool(re.search(_PATENT, s)), bool(re.search(_PROJECT, s))
        if patent and not project and not s.startswith(("附件", "其中")) and not re.match(r"\d+[.、．]北京", s):
            part = "patent"
        elif project and not patent and not s.startswith(("附件", "其中")) and not re.match(r"\d+[.、．]北京", s):
            part = "project"
        elif re.match(r"^[一二三四五六七八九十]+、", s):
            part = None
        parts.append(part)
    return parts


def _official(text: str) -> str:
    """A sentence in the notice's full-width punctuation (the plan keeps it so; a report's
    half-width commas become the official ones, 3,000 and a ratio's 1:1 stay)."""
    text = text.replace(";", "；").replace("(", "（").replace(")", "）")
    text = re.sub(r"(?<!\d),|,(?!\d{3})", "，", text)  # 3,000 keeps its comma
    return re.sub(r"(?<!\d):|:(?!\d)", "：", text)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMERALS[text]


def _money(number: str, unit: str | None) -> int:
    value = float(number.replace(",", "")) * (10000 if unit else 1)
    return int(round(value))


def _to_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
