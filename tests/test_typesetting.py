"""Chinese typesetting of the printed forms (issue 18, point 3): no line of any printed page
starts with closing punctuation or ends with opening punctuation, read from the layout's own
line breaks (every paragraph of the demo batch, and of a batch at every field's maximum
length)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import VALID_PATENT, VALID_PROJECT, make_scans, write_json
from zhutui import appfile
from zhutui.demo import generate
from zhutui.formdef import load_form
from zhutui.outputs import cjk
from zhutui.outputs.render import render_batch

TODAY = dt.date(2022, 10, 10)
# Prose with every kind of punctuation, as people write it (quotes, brackets, enumerations).
PROSE = (
    "该装置于2021年3月起在检修车间（二车间）投入使用，已在“城轨车辆转向架”等3条产线应用；"
    "效率提高约40%，返修率下降50%！是否推广？《应用报告》附后：详见第2页……"
)


@pytest.fixture
def lines(monkeypatch) -> list[str]:
    """Every line the printed pages' paragraphs are broken into while the fixture lives."""
    recorded: list[str] = []
    original = cjk.split

    def recording(frags, widths, calc_bounds):
        result = original(frags, widths, calc_bounds)
        recorded.extend("".join(getattr(w, "text", "") for w in line.words) for line in result.lines)
        return result

    monkeypatch.setattr(cjk, "split", recording)
    return recorded


def _broken(lines: list[str]) -> list[str]:
    return [line for line in lines if line and (line[0] in cjk.CANNOT_START or line[-1] in cjk.CANNOT_END)]


def test_the_rule_holds_at_every_width():
    from reportlab.lib.styles import ParagraphStyle

    from zhutui.fonts import pdf_fonts

    fonts = pdf_fonts()
    style = ParagraphStyle("p", fontName=fonts.song, fontSize=10.5, leading=16, wordWrap="CJK", alignment=4)
    for width in range(40, 420, 7):
        paragraph = cjk.Paragraph(PROSE * 2, style)
        paragraph.wrap(width, 10_000)
        found = cjk.lines_of(paragraph)
        assert "".join(found) == PROSE * 2  # nothing lost or doubled
        assert _broken(found) == [], width


def test_no_line_of_the_demo_batch_breaks_the_rules(lines, tmp_path):
    made = generate(tmp_path / "demo", patents=6, projects=3, with_errors=False, seed=5)
    apps = [appfile.load(p) for p in made.applications]
    render_batch(apps, tmp_path / "out", TODAY, draft=True)
    assert len(lines) > 500
    assert _broken(lines) == []


def _filled(length: int) -> str:
    """Prose of exactly ``length`` characters, not ending in opening punctuation of its own."""
    text = (PROSE * (length // len(PROSE) + 1))[:length]
    return text[:-1] + "。" if text[-1] in cjk.CANNOT_END else text


def _at_max_length(data: dict) -> dict:
    """``data`` with every free text at its form's maximum length (names and numbers as they are)."""
    form = load_form(data["form"])
    out = copy.deepcopy(data)
    for f in form.fields:
        if f.type in ("text", "longtext") and f.format is None and f.max_length and not f.suggestions:
            appfile.set_path(out, f.key, _filled(f.max_length))
        if f.type == "table" and f.max_items:
            rows = appfile.get_path(out, f.key) or []
            if rows:
                row = {
                    c.key: _filled(c.max_length) if c.type == "text" and c.max_length else rows[0].get(c.key)
                    for c in f.columns
                }
                appfile.set_path(out, f.key, [{k: v for k, v in row.items() if v is not None}] * f.max_items)
    return out


def test_no_line_at_every_fields_maximum_length_breaks_the_rules(lines, tmp_path):
    make_scans(tmp_path)
    paths = [
        write_json(tmp_path, "patent.json", _at_max_length(VALID_PATENT)),
        write_json(tmp_path, "project.json", _at_max_length(VALID_PROJECT)),
    ]
    apps = [appfile.load(Path(p)) for p in paths]
    render_batch(apps, tmp_path / "out", TODAY, draft=True)
    assert len(lines) > 300
    assert _broken(lines) == []
