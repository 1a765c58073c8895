"""Reading a year's 实施方案 notice: the plan it states, each fact with the sentence it came from.

``notice_text`` reads a file (``.txt`` in UTF-8 or GB18030, ``.docx``, a ``.pdf`` with text);
``read_notice`` finds the facts of the plan schema (``forms/README.md``) in the text: the year,
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
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhutui.errors import InputError
from zhutui.normalize import cn_date, to_halfwidth
from zhutui.plans import CONFIRMED, UNCHECKED, Plan, derive_plan, fact_keys

# Levels of studio (the project form's studio.level choices) by the words a notice uses.
MUNICIPAL_LEVELS = ["municipal_demo", "municipal"]
DISTRICT_LEVELS = ["district"]
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(\d+|[一二两三四五六七八九十])"
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_AMOUNT = r"(\d[\d,]*(?:\.\d+)?)(万)?元"  # 3000元, 3,000元, 0.3万元
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
# A split as notices word it: 按1:1比例分担, 按照1∶2的比例共同承担.
_RATIO = r"按(?:照)?(\d+)[:：∶比](\d+)(?:的)?比例(?:分担|承担|共同承担)?"
_MAX_BYTES = 20 * 1024 * 1024  # a notice is a few pages; anything bigger is not one


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


# --------------------------------------------------------------------------- files


def notice_text(path: Path) -> str:
    """The text of a notice file (``.txt``, ``.docx``, ``.pdf`` with text); InputError naming
    the file when it can't be read."""
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise InputError(path, None, "文件太大，不像是一份通知（通知一般只有几页）。请选择通知的文字版")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, "文件不存在，请重新选择") from None
    except IsADirectoryError:
        raise InputError(path, None, "这是一个文件夹，请选择通知文件") from None
    except OSError as exc:
        raise InputError(path, None, f"无法读取文件（{exc.strerror or exc}）") from None
    suffix = path.suffix.lower()
    if suffix == ".docx" or data[:2] == b"PK":
        return _docx_text(path, data)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return _pdf_text(path, data)
    if suffix in (".doc", ".wps"):
        raise InputError(path, None, "旧版 Word（.doc）文件无法读取，请在 Word 或 WPS 中另存为 .docx 或 .txt 后再选择")
    return _plain_text(path, data)


def _plain_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(path, None, "不是文字文件，无法读取。请选择通知的 .txt、.docx 或 .pdf 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(path, None, "文字编码无法识别（既不是 UTF-8 也不是 GBK），请另存为 UTF-8 文本后再选择")


def _docx_text(path: Path, data: bytes) -> str:
    import zipfile

    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(path, None, f"Word 文件已损坏或不是 .docx，无法读取（{exc}）") from None
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a broken package
        raise InputError(path, None, f"Word 文件无法读取（{type(exc).__name__}）") from None
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("　".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from zhutui.scanpdf import quiet_pypdf

    try:
        with quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise InputError(path, None, "PDF 有密码保护，无法读取。请用没有密码的文件，或把通知的文字复制粘贴进来")
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(path, None, f"PDF 已损坏，无法读取（{exc}）") from None
    if len(re.sub(r"\s", "", text)) < 20:
        raise InputError(path, None, "PDF 里没有文字（可能是扫描的图片）。请用通知的文字版，或把通知的文字复制粘贴进来")
    return text


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
        plan: dict[str, Any] = {
            "source": self._title(year),
            "notice_issued": self._notice_issued(),
            "deadline": self._deadline(year),
            "submission": {
                "email": self._email(),
                "paper_receiver": self._text(
                    "submission.paper_receiver", r"纸质(?:版)?(?:材料)?(?:报送|寄送|送)至([^，。；,;、]+)"
                ),
                "paper_address": self._address(),
                "contacts": self._contacts(),
                "electronic_only": self._electronic_only(),
            },
            "focus_areas": self._focus_areas(),
            "patent": {
                **self._window("patent", self.patent, r"授权|知识产权局"),
                "amount": self._amount(),
                "split": self._split_near("patent.split", self.patent, r"每项"),
                "per_person_per_year": self._count(
                    "patent.per_person_per_year", self.patent, r"每人每年(?:最多|至多|限|只能)?享受" + _NUM + r"次"
                ),
                "payment": self._transfer("patent.payment", self.patent),
            },
            "project": {
                **self._approval(),
                "completion_years": self._count(
                    "project.completion_years", self.project, r"立项之日起" + _NUM + r"年内完成"
                ),
                "latest_completion": self._date(
                    "project.latest_completion", r"最晚结题时间(?:不超过|不晚于|为)" + _DATE, self.project
                ),
                "boost_cap": self._cap(),
                "per_studio_applications": self._count(
                    "project.per_studio_applications",
                    self.project,
                    r"同一(?:个)?(?:职工)?(?:创新)?工作室申报(?:项目)?(?:不能|不得|不)?(?:超过|多于)" + _NUM + r"项",
                ),
                "per_studio_funded": self._count(
                    "project.per_studio_funded", self.project, r"获得助推的项目(?:至多|最多|不超过)" + _NUM + r"项"
                ),
                "exclude_unfinished": self._flag(
                    "project.exclude_unfinished",
                    self.project,
                    r"未完成结题验收的(?:职工)?(?:创新)?工作室不(?:能|得)申报",
                ),
                "disbursement": self._transfer("project.disbursement", self.project),
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
        return _number(found.group(1)) if found else None

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
        found = self._find("deadline", r"于?" + _DATE + after)
        if found:
            return _to_date(*found.groups()[:3])
        found = self._find("deadline", r"于?(?<!年)(\d{1,2})月(\d{1,2})日" + after)
        return _to_date(str(year), *found.groups()[:2]) if found and year else None

    def _notice_issued(self) -> dt.date | None:
        """The date the notice was signed: a line holding only a date, before the plan's text
        (a report says 近日印发: none)."""
        for line in self.lines:
            found = re.fullmatch(_DATE, line)
            if found:
                self.sources["notice_issued"] = line
                return _to_date(*found.groups())
            if re.match(r"[一二三四五六七八九十]+、", line):
                break  # the plan's sections have begun
        return None

    def _email(self) -> str | None:
        for pattern in (r"电子版[^。；]*?(" + _EMAIL + ")", r"邮箱[：:]?(" + _EMAIL + ")", "(" + _EMAIL + ")"):
            found = self._find("submission.email", pattern)
            if found:
                return found.group(1).rstrip(".")
        return None

    def _address(self) -> str | None:
        for line, written in zip(self.lines, self.raw_lines, strict=True):
            found = re.match(r"(?:地址|通讯地址|邮寄地址)[：:](.+)", line)
            if found:
                self.sources["submission.paper_address"] = written
                return found.group(1).strip()
        return self._text("submission.paper_address", r"(?:寄送|报送)地址(?:为|是)?[：:]?([^，。；]+)")

    def _contacts(self) -> list[dict[str, str]] | None:
        for line, written in zip(self.lines, self.raw_lines, strict=True):
            found = re.match(r"联系人(?:及电话)?[：:](.+)", line)
            if not found:
                continue
            pairs = re.findall(
                r"([\u4e00-\u9fff]{2,4})[，,、]?(?:电话)?[：:]?((?:010-?)?\d{7,8}|1\d{10})", found.group(1)
            )
            if pairs:
                self.sources["submission.contacts"] = written
                return [{"name": name, "phone": phone} for name, phone in pairs]
        return None

    def _electronic_only(self) -> list[int] | None:
        found = self._find("submission.electronic_only", r"(?:只|仅)(?:需)?报送电子版")
        if not found:
            return None
        numbers = re.findall(r"附件(\d+)", self.sources["submission.electronic_only"])
        if not numbers:
            del self.sources["submission.electronic_only"]
            return None
        return [int(n) for n in numbers]

    def _focus_areas(self) -> list[str] | None:
        found = self._find("focus_areas", r"重点关注(.+?)等(?:首都)?(?:高精尖)?(?:产业)?(?:发展)?领域")
        if not found:
            return None
        return [area for area in re.split(r"[、，,]", found.group(1)) if area]

    def _window(self, part: str, sentences: list[str], near: str) -> dict[str, dt.date | None]:
        """The grant window: two dates joined by 至 in the sentence naming the grant."""
        for sentence in sentences:
            found = re.search(_DATE + r"(?:至|到|—|-|～|~)" + _DATE, sentence)
            if found and re.search(near, sentence):
                self.sources[f"{part}.grant_from"] = self.sources[f"{part}.grant_to"] = sentence
                g = found.groups()
                return {"grant_from": _to_date(*g[:3]), "grant_to": _to_date(*g[3:])}
        return {"grant_from": None, "grant_to": None}

    def _amount(self) -> int | None:
        found = self._find(
            "patent.amount", r"每项(?:职务)?发明专利(?:给予|助推|奖励)(?:人民币)?" + _AMOUNT, self.patent
        )
        return _money(found.group(1), found.group(2)) if found else None

    def _split_near(self, key: str, sentences: list[str], near: str) -> list[int] | None:
        for sentence in sentences:
            found = re.search(_RATIO, sentence)
            if found and re.search(near, sentence):
                self.sources[key] = sentence
                return [int(found.group(1)), int(found.group(2))]
        return None

    def _transfer(self, key: str, sentences: list[str]) -> str | None:
        """The programme's 资金划拨 text: what follows that heading, in its sentence or the next."""
        for i, sentence in enumerate(sentences):
            found = re.match(r"(?:\d+[.、．])?资金(?:划拨|拨付|发放)[。.．:：]?(.*)", sentence)
            if not found:
                continue
            text = found.group(1) or (sentences[i + 1] if i + 1 < len(sentences) else "")
            if text:
                self.sources[key] = text if found.group(1) == "" else sentence
                return _official(text)
        return None

    def _approval(self) -> dict[str, dt.date | None]:
        found = self._find("project.approval_from", r"于(\d{4})年(?:度)?内立项", self.project)
        if found:
            self.sources["project.approval_to"] = self.sources["project.approval_from"]
            year = int(found.group(1))
            return {"approval_from": dt.date(year, 1, 1), "approval_to": dt.date(year, 12, 31)}
        for sentence in self.project:
            window = re.search(_DATE + r"(?:至|到|—|-|～|~)" + _DATE, sentence)
            if window and "立项" in sentence:
                self.sources["project.approval_from"] = self.sources["project.approval_to"] = sentence
                g = window.groups()
                return {"approval_from": _to_date(*g[:3]), "approval_to": _to_date(*g[3:])}
        return {"approval_from": None, "approval_to": None}

    def _cap(self) -> float | None:
        found = self._find(
            "project.boost_cap", r"助推资金(?:总额|总数)?不(?:超过|得超过|高于)[^。；;]*?(\d+(?:\.\d+)?)%", self.project
        )
        if not found:
            return None
        share = float(found.group(1)) / 100
        return int(share) if share.is_integer() else round(share, 4)

    def _tiers(self) -> list[dict[str, Any]] | None:
        """The project tiers: each sentence giving a level's amounts (10万元、5万元两个等级),
        the split that sentence gives, and the quotas (助推10万元项目10项)."""
        tiers: list[dict[str, Any]] = []
        sources: list[str] = []
        for sentence in self.project:
            if not re.search(r"工作室[^。；;]*?助推资金(?:分为|为)", sentence):
                continue
            head = sentence.split("助推资金")[0]
            levels = MUNICIPAL_LEVELS if "市级" in head else DISTRICT_LEVELS if re.search("区|局|集团", head) else None
            if levels is None:
                continue
            amounts = [_money(n, unit) for n, unit in re.findall(_AMOUNT, sentence)]
            split = re.search(_RATIO, sentence)
            for amount in amounts:
                tiers.append(
                    {
                        "amount": amount,
                        "levels": list(levels),
                        "split": [int(split.group(1)), int(split.group(2))] if split else None,
                        "quota": None,
                    }
                )
            sources.append(sentence)
        if not tiers:
            return None
        quotas = self._find(None, r"助推(?:[\d,.]+万?元(?:的)?项目\d+项[、，,]?)+", self.project)
        if quotas:
            sources.append(quotas.string)
            for n, unit, count in re.findall(_AMOUNT + r"(?:的)?项目(\d+)项", quotas.group(0)):
                for tier in tiers:
                    if tier["amount"] == _money(n, unit):
                        tier["quota"] = int(count)
        self.sources["project.tiers"] = "".join(dict.fromkeys(sources))
        return tiers


# --------------------------------------------------------------------------- text


def _flat(line: str) -> str:
    """A line as matched: half-width digits and letters (punctuation as written, full-width or
    not), no spaces (高  珊 is 高珊; a report's 2021 年 is 2021年)."""
    return re.sub(r"\s+", "", to_halfwidth(line))


def _sentences(text: str) -> list[str]:
    """The text's sentences, flattened: lines joined (a sentence broken over lines, as in a
    newspaper's columns, is whole again), then split after 。；! ? and before a numbered item
    or heading (一、 （二） 3.)."""
    lines = [_flat(line) for line in text.splitlines()]
    joined = ""
    for line in lines:
        if not line:
            continue
        heading = re.match(_HEADING, line)
        ends = joined[-1:] in ("。", "；", ";", "!", "?", "！", "？", "：", ":") or not joined
        previous = joined.rsplit("\n", 1)[-1]
        apart = heading or ends or _alone(line) or _alone(previous) or _closes(previous)
        joined += ("\n" if apart else "") + line
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


def _parts(sentences: list[str]) -> list[str | None]:
    """Which programme's part of the text each sentence is in: from the heading or first
    mention of the patent programme to the project one's (a report retells them in turn: 在职工
    创新发明专利助推方面 … 在创新项目助推方面), until another numbered part (三、相关要求)."""
    parts: list[str | None] = []
    part = None
    for s in sentences:
        if re.search(r"^[一二三四五六七八九十]+、(?:职工创新)?发明专利助推|在(?:职工创新)?发明专利助推方面", s):
            part = "patent"
        elif re.search(r"^[一二三四五六七八九十]+、(?:职工)?创新项目助推|在创新项目助推方面", s):
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
