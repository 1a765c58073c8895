"""Chinese line breaking for the printed forms (issue 18, point 3).

reportlab breaks CJK text anywhere and knows only some of the characters that may not start a
line (not ，：；？！》 among them), and it lets one such character hang into the margin, out of
a table cell. ``Paragraph`` here breaks as Chinese typesetting does (GB/T 15834, the 避头尾 of
every office suite): no line starts with closing punctuation (，。、；：？！）》」』… and their
kin) and none ends with opening punctuation (（《「『“); a character that would break the rule
is taken to the next line with the one before it, and the line is justified by the paragraph's
alignment. A run of Latin letters or digits (2021, ZL201810053768.3, 50%) is not broken where a
line may end before it. ``lines_of`` gives the lines a paragraph was broken into (for tests).
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus.paragraph import ParaLines, _handleBulletWidth, cjkU, makeCJKParaLine

# No line starts with these (closing punctuation, GB/T 15834), nor with half-width ones.
CANNOT_START = "，。、；：？！）》」』…〕】〉］｝”’·％" + ",.;:?!)]}%"
# No line ends with these (opening punctuation).
CANNOT_END = "（《「『〔【〈［｛“‘" + "([{"
_FUZZ = 1e-6


def _latin(char: str) -> bool:
    """A character of a Latin word or number, which breaks only at its ends."""
    return char.isascii() and (char.isalnum() or char in "._-/@%+#")


def script_changes(text: str) -> int:
    """How often ``text`` changes between Chinese and Latin letters or digits (2022年12月10日: 5),
    where word processors add a little space by default."""
    chars = [c for c in text if not c.isspace()]
    return sum(
        1 for a, b in zip(chars, chars[1:], strict=False) if _latin(a) != _latin(b) and (_ideograph(a) or _ideograph(b))
    )


def _ideograph(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def break_point(chars: list[str], start: int, end: int) -> int:
    """Where the line that begins at ``start`` ends when ``chars[start:end]`` is all that fits
    (``chars[end]`` does not): moved back over characters that may not start or end a line and
    to the start of a Latin run, never back to ``start`` (a line holds at least one character)."""
    b = end
    while b > start + 1 and (chars[b] in CANNOT_START or chars[b - 1] in CANNOT_END):
        b -= 1
    if _latin(chars[b]) and _latin(chars[b - 1]):
        run = b - 1
        while run > start and _latin(chars[run - 1]):
            run -= 1
        if run > start:
            b = run
            while b > start + 1 and (chars[b] in CANNOT_START or chars[b - 1] in CANNOT_END):
                b -= 1
    return b


def split(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """``frags`` broken into lines of at most ``max_widths`` (the widths of the lines in turn)."""
    glyphs: list[Any] = []
    for f in frags:
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(cjkU(t, f, "utf8") for t in text)
        else:
            glyphs.append(cjkU(text, f, "utf8"))  # a <br/>, an image: a frag of its own
    chars = [str(g) for g in glyphs]
    lines: list[Any] = []
    start = 0
    while start < len(glyphs):
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used, i, line_break = 0.0, start, False
        while i < len(glyphs):
            used += glyphs[i].width
            if hasattr(glyphs[i].frag, "lineBreak"):
                line_break = True
                i += 1
                break
            if used > max_width + _FUZZ and i > start:
                used -= glyphs[i].width
                break
            i += 1
        end = i
        if not line_break and end < len(glyphs):
            end = break_point(chars, start, end)
            used = sum(g.width for g in glyphs[start:end])
        lines.append(makeCJKParaLine(glyphs[start:end], max_width, used, max_width - used, line_break, calc_bounds))
        start = end
    return ParaLines(kind=1, lines=lines)


class Paragraph(_Paragraph):
    """reportlab's Paragraph, CJK text broken by ``split``."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802 - reportlab's API
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        self.height = 0
        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return split(self.frags, list(maxWidths), auto_leading not in ("", "off"))


# Where a label may be broken: after the end of a phrase (an enumeration such as 区、局、集团（公司）
# and a word stay whole).
_BREAK_AFTER = "，的）/ "
_PAREN_BONUS = 0.8  # a break between ）and （ counts as this much narrower: （盖章） on a line of its own


def label_pieces(label: str, font: str, size: float = 10.5) -> list[str]:
    """``label`` as the one or two lines that need the least width, broken only between
    phrases (``_BREAK_AFTER``; between two parentheses by preference; of equal widths the later
    break); one line when it has no such place."""
    best = [label]
    best_score = stringWidth(label, font, size)
    for i in range(1, len(label)):
        if label[i - 1] in _BREAK_AFTER and not label[i:].lstrip().startswith("/"):
            pieces = [label[:i].rstrip(), label[i:].lstrip()]
            score = max(stringWidth(p, font, size) for p in pieces) * (_PAREN_BONUS if label[i] == "（" else 1)
            if score <= best_score + 0.5:
                best, best_score = pieces, min(score, best_score)
    return best


def lines_of(paragraph: _Paragraph) -> list[str]:
    """The text of each line ``paragraph`` was broken into (after it was wrapped)."""
    lines = getattr(getattr(paragraph, "blPara", None), "lines", [])
    out = []
    for line in lines:
        words = getattr(line, "words", None)
        if words is None:  # a line of reportlab's own (single-frag) kind
            out.append("".join(line[1]) if isinstance(line, tuple) else str(line))
        else:
            out.append("".join(getattr(w, "text", "") for w in words))
    return out
