"""Small things users hit: date pickers open in the plan's window, date placeholders show a date
inside it, and the 设置 page shows the plan's facts as readable text (edited in their raw form)."""

from __future__ import annotations

import datetime as dt

from tests.gui_support import make_window
from zhutui.formdef import load_form
from zhutui.planfacts import date_window
from zhutui.plans import fact_keys, get_plan


def _date_input(qtbot, form: str, key: str):
    from zhutui.gui.inputs import make_input

    widget = make_input(load_form(form).field(key), get_plan(2022))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _open_calendar(widget):
    from PySide6.QtWidgets import QCalendarWidget, QToolButton

    button = widget.findChild(QToolButton)
    menu = button.menu()
    menu.popup(button.mapToGlobal(button.rect().bottomLeft()))  # what a click shows, without blocking
    calendar = next(a.defaultWidget() for a in menu.actions() if isinstance(a.defaultWidget(), QCalendarWidget))
    return menu, calendar


def test_date_placeholders_lie_in_the_plan_windows(qtbot):
    grant = _date_input(qtbot, "patent", "patent.grant_date")
    assert grant.edit.placeholderText() == "如 2021-07-02"  # grant window 2021-01-01 … 2021-12-31
    assert _date_input(qtbot, "project", "project.approved_on").edit.placeholderText() == "如 2022-07-02"
    assert _date_input(qtbot, "project", "project.planned_completion").edit.placeholderText() == "如 2023-07-02"
    assert _date_input(qtbot, "patent", "patent.applied_since").edit.placeholderText() == "如 2022-10-17"
    assert _date_input(qtbot, "patent", "patent.number").edit.placeholderText() == "如 ZL201810053768.3"


def test_empty_grant_date_picker_opens_in_the_grant_window(qtbot):
    widget = _date_input(qtbot, "patent", "patent.grant_date")
    menu, calendar = _open_calendar(widget)
    qtbot.waitUntil(menu.isVisible)
    start, end = date_window(get_plan(2022), "grant")
    shown = dt.date(calendar.yearShown(), calendar.monthShown(), 1)
    assert start.replace(day=1) <= shown <= end
    menu.close()
    # a typed date is selected and shown instead; picking a day fills the field
    widget.edit.setText("2021-03-05")
    menu, calendar = _open_calendar(widget)
    assert calendar.selectedDate().toString("yyyy-MM-dd") == "2021-03-05"
    assert (calendar.yearShown(), calendar.monthShown()) == (2021, 3)
    calendar.clicked.emit(calendar.selectedDate().addDays(2))
    assert widget.value() == "2021-03-07" and not menu.isVisible()


def test_picker_without_window_opens_in_the_plan_year(qtbot):
    widget = _date_input(qtbot, "patent", "patent.applied_since")
    menu, calendar = _open_calendar(widget)
    assert calendar.yearShown() == 2022
    today = dt.date.today()
    if today.year == 2022:
        assert calendar.monthShown() == today.month
    menu.close()


def test_settings_show_facts_readable_and_edit_them_raw(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QMessageBox

    from zhutui.gui.settings import RAW_ROLE

    window, session = make_window(qtbot, tmp_path)
    page = window.settings
    window.show_page(page)
    plan = session.plan
    keys = fact_keys(plan.raw)
    shown = {key: page.facts.item(i, 1).text() for i, key in enumerate(keys)}
    assert shown["submission.contacts"] == "高珊 83570885、李梦遥 83570883"
    assert shown["patent.split"] == "1 : 1"
    assert shown["patent.amount"] == "3,000元"
    assert shown["deadline"] == "2022年11月1日"
    assert shown["submission.electronic_only"] == "附件2、附件4"
    assert all("[" not in text and "{" not in text for text in shown.values()), shown

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.derive_next()
    row = fact_keys(session.plan.raw).index("patent.split")
    item = page.facts.item(row, 1)
    assert item.text() == "1 : 1" and item.data(RAW_ROLE) == "[1, 1]"
    page.facts.scrollToItem(item)
    page.facts.editItem(item)
    editor = next(e for e in page.facts.viewport().findChildren(QLineEdit) if e.isVisible())
    assert editor.text() == "[1, 1]"  # edited in the raw form
    editor.selectAll()
    qtbot.keyClicks(editor, "[1, 2]")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: item.data(RAW_ROLE) == "[1, 2]")  # the delegate commits queued
    assert item.text() == "1 : 2"
    page.confirm("patent.split")
    assert session.plan.fact("patent.split") == (1, 2) and "patent.split" not in session.plan.unconfirmed
    assert page.facts.item(row, 1).text() == "1 : 2"
    window.close()
