"""One step of the guided editor: a section of the form with its fields, help and findings.

Every row is built from the field's definition: its label (＊ when required), the input for its
type, the help text (the notice's rule quoted, ``{…}`` filled from the plan year) and, under it,
the messages of the live checks for that field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from zhutui.checks import Finding
from zhutui.formdef import FieldDef, SectionDef
from zhutui.gui.fields import FieldInput, make_input
from zhutui.gui.models import SEVERITY_COLOURS, SEVERITY_LABELS
from zhutui.plans import Plan

REQUIRED_MARK = '<span style="color:#b3261e">＊</span>'


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# A space YAML's folding put between two lines of Chinese text (next to a CJK character or
# full-width punctuation) is not a space in Chinese.
_FOLDED_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def fill(text: str, plan: Plan | None = None) -> str:
    """A help text with the plan year's facts in its ``{…}`` placeholders, Chinese lines joined."""
    if not text:
        return ""
    if plan is not None:
        text = text.format_map(_Blank(plan.template_values))
    return _FOLDED_SPACE.sub("", " ".join(text.split()))


def messages_html(findings: Sequence[Finding]) -> str:
    lines = []
    for f in findings:
        colour = SEVERITY_COLOURS[f.severity]
        lines.append(f'<span style="color:{colour}; font-weight:bold">{SEVERITY_LABELS[f.severity]}：</span>'
                     f'<span style="color:{colour}">{_escape(f.message)}</span>')
    return "<br>".join(lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def severity_of(findings: Sequence[Finding]) -> str:
    for severity in ("error", "warning", "info"):
        if any(f.severity == severity for f in findings):
            return severity
    return ""


class FieldRow(QFrame):
    """Label, input, help and the field's findings."""

    def __init__(self, field: FieldDef, plan: Plan, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setObjectName("fieldRow")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        self.label = QLabel(field.label + (REQUIRED_MARK if field.required else ""))
        self.label.setObjectName("fieldLabel")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.input: FieldInput = make_input(field, plan)
        self.label.setBuddy(self.input.focus_widget())
        layout.addWidget(self.label)
        layout.addWidget(self.input)
        self.help = QLabel(fill(field.help, plan))
        self.help.setObjectName("fieldHelp")
        self.help.setWordWrap(True)
        self.help.setVisible(bool(field.help))
        layout.addWidget(self.help)
        self.message = QLabel()
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.hide()
        layout.addWidget(self.message)
        self.findings: list[Finding] = []

    def set_findings(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        self.message.setText(messages_html(findings))
        self.message.setVisible(bool(findings))
        self.setProperty("severity", severity_of(findings))


class SectionPage(QScrollArea):
    """A scrollable page with the section's title, its help and one row per field."""

    submitted = Signal(object)  # the FieldRow where Enter was pressed

    def __init__(self, section: SectionDef, plan: Plan, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("sectionBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 24)
        title = QLabel(section.title)
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        if section.help:
            notice = QLabel(fill(section.help, plan))
            notice.setObjectName("sectionHelp")
            notice.setWordWrap(True)
            layout.addWidget(notice)
        self.rows: list[FieldRow] = []
        for field in section.fields:
            row = FieldRow(field, plan)
            row.input.submitted.connect(lambda r=row: self.submitted.emit(r))
            self.rows.append(row)
            layout.addWidget(row)
        layout.addStretch(1)
        self.setWidget(body)

    def row(self, key: str) -> FieldRow | None:
        return next((r for r in self.rows if r.field.key == key), None)

    def reveal(self, row: FieldRow) -> None:
        self.ensureWidgetVisible(row, 0, 40)
