"""The fields of a 发明专利证书 from the text lines an OCR engine read on it (issue 20).

Engine-independent: ``read_certificate`` takes the lines in reading order, each with the
engine's confidence, and finds 发明名称, 专利号, 发明人 (in order), 专利权人, 授权公告日 and
专利申请日 by their labels, the value after the label on its line or, when the engine read label
and value as two boxes, on the next line. Values are normalised as the application file stores
them: ``ZL201910944636.4``, ISO dates, the inventors as a list. A field's confidence is the
lowest of the lines it came from, halved when the value fails its own check (a patent number's
check character, a date that isn't one). Keys are the application file's (``patent.title`` …),
as ``zhutui ocr --format json`` prints them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from zhutui.identifiers import parse_patent_number
from zhutui.normalize import to_halfwidth_all


@dataclass(frozen=True)
class Line:
    """One line of text an OCR engine read, with its confidence (0..1)."""

    text: str
    score: float = 1.0


@dataclass(frozen=True)
class Field:
    value: Any
    confidence: float
    source: str  # the text it was read from
    last_line: int = 0  # the index of the last line it was read from


# Each field's labels on the certificate, as printed (实用新型 certificates say 实用新型名称).
LABELS: dict[str, tuple[str, ...]] = {
    "patent.title": ("发明名称", "实用新型名称", "外观设计名称"),
    "patent.inventors": ("发明人", "设计人"),
    "patent.number": ("专利号",),
    "patent.filing_date": ("专利申请日", "申请日"),
    "patent.patentee": ("专利权人",),
    "patent.grant_date": ("授权公告日",),
}


def shown_on_certificate(keys: Iterable[str]) -> list[str]:
    """Of a form's field keys (in its order), those a certificate shows: what is filled in from
    it and compared with it."""
    return [key for key in keys if key in LABELS]


# What OCR reads for a label's characters: 日 as 目 or 曰, 授 as 受.
_LABEL_LOOKALIKES = {"日": "[日目曰]", "授": "[授受]"}


def _lookalike(label: str) -> str:
    """A label as a pattern that also matches it spaced out as certificates print the shorter
    ones (发 明 人, 专 利 号: aligned with the four-character labels) and what OCR reads for it."""
    return r"\s*".join(_LABEL_LOOKALIKES.get(char, re.escape(char)) for char in label)


# The certificate's other labels: where a value read on the same line as one of them ends.
OTHER_LABELS = ("授权公告号", "证书号", "地址", "专利权期限")
_ANY_LABEL = "|".join(
    _lookalike(label)
    for label in sorted(
        {label for labels in LABELS.values() for label in labels} | set(OTHER_LABELS), key=len, reverse=True
    )
)
_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")


def is_certificate(lines: Sequence[Line]) -> bool:
    """Whether the lines are a patent certificate's: its title, or its number and name labels."""
    text = "".join(re.sub(r"\s", "", line.text) for line in lines)
    return "专利证书" in text or ("专利号" in text and re.search("发明名称|实用新型名称", text) is not None)


def read_certificate(lines: Sequence[Line]) -> dict[str, Field] | None:
    """The fields found on the certificate (a field not found is left out); None when the lines
    are not a patent certificate's."""
    if not is_certificate(lines):
        return None
    cleaned, origin = _rejoined(
        [Line(re.sub(r"\s+", " ", to_halfwidth_all(line.text)).strip(), line.score) for line in lines]
    )
    found: dict[str, Field] = {}
    for key, labels in LABELS.items():
        raw = _value_after(cleaned, labels)
        if raw is None:
            continue
        text, score, source, last = raw
        parsed = _PARSERS[key](text)
        if parsed is None:
            continue
        value, ok = parsed
        found[key] = Field(value, round(score * (1 if ok else 0.5), 3), source, origin[last])
    return found


def _rejoined(lines: list[Line]) -> tuple[list[Line], list[int]]:
    """The lines with a label's first character read as a box of its own put back in front of
    the rest (a label spaced out wide, 专  利  号: "专" and "利号：ZL …"; "地" and "址：…"); and for
    each line the index of the last of ``lines`` it holds."""
    out: list[Line] = []
    origin: list[int] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and len(line.text) <= 2 and not re.match(_ANY_LABEL, lines[i + 1].text):
            joined = line.text + lines[i + 1].text
            if re.match(_ANY_LABEL, joined):
                out.append(Line(joined, min(line.score, lines[i + 1].score)))
                origin.append(i + 1)
                i += 2
                continue
        out.append(line)
        origin.append(i)
        i += 1
    return out, origin


def _value_after(lines: Sequence[Line], labels: tuple[str, ...]) -> tuple[str, float, str, int] | None:
    """The text after one of ``labels`` (and its colon) on its line, or on the next line when the
    label stands alone; with the lowest score of the lines used, the source text and the index
    of the last line used."""
    # Not inside a longer label: 申请日 in 专利申请日 is preceded by a Chinese character.
    label_re = re.compile(rf"(?<![\u4e00-\u9fff])(?:{'|'.join(_lookalike(label) for label in labels)})\s*[:：]?\s*")
    for i, line in enumerate(lines):
        found = label_re.search(line.text)
        if found is None:
            continue
        rest = line.text[found.end() :]
        # Another label on the same line: after a space, or right after the value with its colon.
        rest = re.split(rf"\s(?:{_ANY_LABEL})|(?:{_ANY_LABEL})\s*[:：]", rest)[0].strip()
        if rest:
            if _continues(lines, i):  # a long title or list of names wraps onto a line of its own
                nxt = lines[i + 1]
                return rest + nxt.text.strip(), min(line.score, nxt.score), f"{line.text} {nxt.text}", i + 1
            return rest, line.score, line.text, i
        # The value as a box of its own: the next line, or the one after when a line of another
        # field's (证书号…, read on a slant) came in between.
        for j in range(i + 1, min(i + 3, len(lines))):
            nxt = lines[j]
            if not re.match(_ANY_LABEL, nxt.text):
                if _continues(lines, j):  # and wrapped onto another line
                    more = lines[j + 1]
                    return (
                        nxt.text + more.text.strip(),
                        min(line.score, nxt.score, more.score),
                        f"{nxt.text} {more.text}",
                        j + 1,
                    )
                return nxt.text, min(line.score, nxt.score), f"{line.text} {nxt.text}", j
            if not re.match(_lookalike("证书号"), nxt.text):
                break
    return None


# A certificate prints Chinese punctuation in its names and titles (the engine often reads it
# as ASCII, and the lines are read half-width): （集团）, 甲公司；乙公司.
_CHINESE_PUNCTUATION = str.maketrans({"(": "（", ")": "）", ";": "；", ":": "：", ",": "，", "?": "？", "!": "！"})


def _continues(lines: Sequence[Line], i: int) -> bool:
    """Whether line ``i + 1`` carries on line ``i``'s value: it has no label and the line after
    it starts with one (the next field), so it sits between two fields."""
    if i + 2 >= len(lines):
        return False
    nxt = lines[i + 1].text
    if re.match(_ANY_LABEL, nxt) or re.match(r"\s*\S{1,3}\s*[:：]", nxt):  # a label, or the end of one (址：)
        return False
    return re.match(_ANY_LABEL, lines[i + 2].text) is not None


def _title(text: str) -> tuple[str, bool] | None:
    # A comma or colon between digits stays as it is (聚（3,4-乙烯二氧噻吩）, 1:2).
    text = re.sub(r"(?<!\d)[,:]|[,:](?!\d)|[()?!;]", lambda m: m[0].translate(_CHINESE_PUNCTUATION), text.strip(" :："))
    text = re.sub(r"(?<=[\u4e00-\u9fff）]) (?=[\u4e00-\u9fff（])", "", text)  # a space read between characters
    return (text, True) if len(text) >= 2 else None


# What OCR reads for the letters and digits of a patent number: ZL as 2L, Z1, ZI (and a speck
# after it as a dot); 0 as O, 1 as l.
_ZL = re.compile(r"^\W*[Z2][L1lI|][\s.,·:：]*")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"})


def _number(text: str) -> tuple[str, bool] | None:
    text = _ZL.sub("ZL", text.strip())
    if text.startswith("ZL"):  # the rest are digits, a dot and a check character (X)
        body = text[2:]
        check = body[-1:] if body[-1:] in ("X", "x") else ""
        digits = re.sub(r"[,，·。:：;；、]", ".", body[: len(body) - len(check)])  # the dot read as a comma
        text = "ZL" + digits.translate(_DIGIT_LOOKALIKES) + check
    parsed = parse_patent_number(text)
    if parsed is None:
        return None
    return parsed.normalized, parsed.check_ok


def _names(text: str) -> tuple[list[str], bool] | None:
    # A name holds none of these: a separator read as a colon or a comma is still a separator.
    names = [n for n in re.split(r"[;；,，、:：\s]+", text.strip(" :：")) if n]
    return (names, all(2 <= len(n) <= 6 for n in names)) if names else None


def _date(text: str) -> tuple[str, bool] | None:
    found = _DATE.search(text)
    if found is None:
        return None
    try:
        return dt.date(*(int(g) for g in found.groups())).isoformat(), True
    except ValueError:
        return None


_PARSERS = {
    "patent.title": _title,
    "patent.number": _number,
    "patent.inventors": _names,
    "patent.patentee": _title,
    "patent.grant_date": _date,
    "patent.filing_date": _date,
}
