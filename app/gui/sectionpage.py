"""One step of the guided editor: a section of the form with its fields, help and findings.

Every row is built from the field's definition: its label (＊ when required), the input for its
type, the help text (the notice's rule quoted, ``{…}`` filled from the plan year) and, under it,
the messages of the live checks for that field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from zhutui.checks import Finding
from zhutui.formdef import FieldDef, SectionDef
from zhutui.gui.fields import FieldInput
from zhutui.gui.inputs import make_input
from zhutui.gui.models import SEVERITY_COLOURS, SEVERITY_LABELS
from zhutui.planfacts import help_text
from zhutui.plans import Plan

REQUIRED_MARK = '<span style="color:#b3261e">＊</span>'


PENDING_COLOUR = "#5b6673"
PENDING_TEXT = "待填"


def is_pending(field: FieldDef, empty: bool, f: Finding) -> bool:
    """Whether finding ``f`` at ``field`` only says a required value is still empty: the field
    itself (required, empty: F001 or its own code such as P006) or an empty cell of a table."""
    return (f.path == field.key and field.required and empty) or (f.code == "F001" and f.path != field.key)


def messages_html(
    findings: Sequence[Finding], *, pending: Callable[[Finding], bool] | None = None, links: bool = False
) -> str:
    """The findings as lines of rich text. ``pending``: which only say a required value is still
    empty, shown as one neutral 待填 (the user has not left the field yet). ``links``: a warning
    carries 确认无误 (``confirm:i``), a confirmed one 撤销确认 (``unconfirm:i``), ``i`` its index."""
    lines = []
    pending_shown = False
    for i, f in enumerate(findings):
        if pending is not None and pending(f):
            if not pending_shown:
                lines.append(f'<span style="color:{PENDING_COLOUR}">{PENDING_TEXT}</span>')
                pending_shown = True
            continue
        if f.confirmed:
            link = f'　<a href="unconfirm:{i}">撤销确认</a>' if links else ""
            lines.append(f'<span style="color:{PENDING_COLOUR}">✔ 已确认无误：{_escape(f.message)}</span>{link}')
            continue
        colour = SEVERITY_COLOURS[f.severity]
        link = f'　<a href="confirm:{i}">确认无误</a>' if links and f.severity == "warning" else ""
        lines.append(
            f'<span style="color:{colour}; font-weight:bold">{SEVERITY_LABELS[f.severity]}：</span>'
            f'<span style="color:{colour}">{_escape(f.message)}</span>{link}'
        )
    return "<br>".join(lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def severity_of(findings: Sequence[Finding], pending: Callable[[Finding], bool] | None = None) -> str:
    """The gravest finding that still asks something of the user (not confirmed, not 待填)."""
    shown = [f for f in findings if not f.confirmed and not (pending is not None and pending(f))]
    for severity in ("error", "warning", "info"):
        if any(f.severity == severity for f in shown):
            return severity
    return ""


class FieldRow(QFrame):
    """Label, input, help and the field's findings. The message line keeps its place (one line
    high even when empty) so that a message appearing or going away does not move the fields
    below; its links confirm a warning (``confirm_requested``: finding, confirmed or taken back)."""

    confirm_requested = Signal(object, bool)

    def __init__(self, field: FieldDef, plan: Plan, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setObjectName("fieldRow")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 2)
        layout.setSpacing(3)
        self.label = QLabel(field.label + (REQUIRED_MARK if field.required else ""))
        self.label.setObjectName("fieldLabel")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.input: FieldInput = make_input(field, plan)
        self.label.setBuddy(self.input.focus_widget())
        layout.addWidget(self.label)
        layout.addWidget(self.input)
        self.help = QLabel(help_text(field.help, plan))
        self.help.setObjectName("fieldHelp")
        self.help.setWordWrap(True)
        self.help.setVisible(bool(field.help))
        layout.addWidget(self.help)
        self.message = message_label()
        self.message.linkActivated.connect(self._link)
        layout.addWidget(self.message)
        self.findings: list[Finding] = []
        self.revealed = False  # left by the user, or 检查 asked: an empty required value is an error
        self.empty = True  # the field's value as last checked is empty

    def set_findings(
        self, findings: Sequence[Finding], revealed: bool | None = None, empty: bool | None = None
    ) -> None:
        self.findings = list(findings)
        if revealed is not None:
            self.revealed = revealed
        if empty is not None:
            self.empty = empty
        pending = self.pending if not self.revealed else None
        self.message.setText(messages_html(self.findings, pending=pending, links=True))
        self.setProperty("severity", severity_of(self.findings, pending))

    def pending(self, f: Finding) -> bool:
        return is_pending(self.field, self.empty, f)

    def reveal(self) -> None:
        if not self.revealed:
            self.set_findings(self.findings, True)

    def _link(self, href: str) -> None:
        action, _, index = href.partition(":")
        if index.isdigit() and int(index) < len(self.findings):
            self.confirm_requested.emit(self.findings[int(index)], action == "confirm")


def message_label() -> QLabel:
    """Rich text under a field whose height never drops below one line (the page holds still)."""
    label = QLabel()
    label.setObjectName("fieldMessage")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
    label.setMinimumHeight(label.fontMetrics().lineSpacing() + 2)
    return label


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
            notice = QLabel(help_text(section.help, plan))
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

    def to_top(self) -> None:
        self.verticalScrollBar().setValue(0)
