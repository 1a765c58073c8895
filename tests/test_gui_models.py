"""The list and findings models, sorted and filtered through their proxies (no widgets)."""

from __future__ import annotations

import pytest

from tests.gui_support import TODAY, import_apps

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from zhutui.gui.models import ID_ROLE, SORT_ROLE, ApplicationsModel, FindingsModel, filter_proxy  # noqa: E402
from zhutui.gui.session import Session  # noqa: E402
from zhutui.workspace.store import Workspace  # noqa: E402


@pytest.fixture
def session(qapp, workdir, patent):
    ws = Workspace(workdir / "workspace")
    second = dict(
        patent,
        inventor=dict(patent["inventor"], name="李四", id_number="110105198001010139", gender="男"),
        patent=dict(patent["patent"], number="ZL201810053768.4", inventors=["李四"]),
    )
    import_apps(ws, workdir, patent, second)
    s = Session(ws, TODAY)
    yield s
    s.close()


def texts(model, column):
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_application_rows_sort_and_filter(qtbot, session):
    model = ApplicationsModel(session, "patent")
    assert model.rowCount() == 2 and model.headers[:2] == ["第一发明人", "专利名称"]
    assert sorted(texts(model, 0)) == ["李四", "王建国"]
    assert texts(model, 3) == ["…", "…"]  # no status yet
    with qtbot.waitSignal(session.status_changed, timeout=10_000):
        session.refresh_status()
    proxy = filter_proxy(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    names = texts(proxy, 0)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert texts(proxy, 0) == names[::-1]
    # the second has a wrong check digit and an inventor list not starting with 王建国 → errors
    errors = dict(zip(texts(model, 0), texts(model, 3), strict=True))
    assert errors["王建国"] == "0" and int(errors["李四"]) >= 1
    assert dict(zip(texts(model, 0), texts(model, 6), strict=True)) == {"王建国": "可以打印", "李四": "有错误"}
    proxy.sort(3, Qt.SortOrder.DescendingOrder)
    assert texts(proxy, 0)[0] == "李四"
    assert proxy.data(proxy.index(0, 3), SORT_ROLE) >= 1
    proxy.setFilterFixedString("王建")
    assert texts(proxy, 0) == ["王建国"]
    assert isinstance(proxy.data(proxy.index(0, 0), ID_ROLE), int)


def test_edits_and_deletes_reach_the_model(qtbot, session):
    model = ApplicationsModel(session, "patent")
    app_id = model.record_id(0)
    session.set_field(app_id, "inventor.name", "赵六")
    assert model.data(model.index(model.row_of(app_id), 0)) == "赵六"
    session.delete([app_id])
    assert model.rowCount() == 1
    session.undelete([app_id])
    assert model.rowCount() == 2


def test_findings_model_names_application_and_place(qtbot, session):
    model = FindingsModel(session)
    with qtbot.waitSignal(session.status_changed, timeout=10_000):
        session.refresh_status()
    rows = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    by_code = {row[3]: row for row in rows}
    assert by_code["P002"][:3] == ["错误", "发明专利助推｜李四", "专利号"]
    assert "校验位" in by_code["P002"][4]
    severities = [model.data(model.index(r, 0), SORT_ROLE) for r in range(model.rowCount())]
    assert severities == sorted(severities)  # errors first
    app_id, finding = model.finding(0)
    assert isinstance(app_id, int) and finding.severity == "error"


def test_values_that_cannot_be_used_are_findings_at_their_field(qtbot, session):
    app_id = session.records("patent")[0].id
    session.set_field(app_id, "patent.grant_date", "去年六月")
    app, findings = session.live_check(app_id)
    assert app is not None
    assert any(f.path == "patent.grant_date" and f.severity == "error" for f in findings)
    with qtbot.waitSignal(session.status_changed, timeout=10_000):
        session.refresh_status()
    assert any(f.path == "patent.grant_date" for _, f in session.snapshot.findings())


def test_emitting_signals_keeps_reference_counts(qapp):
    """PySide6 6.12.0 returned True from emit() without a reference: on Python 3.11 every emit
    dropped True's refcount until the interpreter aborted (the pin in pyproject.toml)."""
    import sys

    from zhutui.gui.worker import JobSignals

    signals = JobSignals()
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        signals.finished.emit(None)
        signals.progress.emit(1, 2, "x")
    assert (sys.getrefcount(True), sys.getrefcount(None)) >= before


def test_batch_findings_name_other_applications_by_their_subject(qtbot, session):
    first, second = session.records("patent")
    session.set_field(second.id, "inventor.id_number", session.ws.record(first.id).data["inventor"]["id_number"])
    with qtbot.waitSignal(session.status_changed, timeout=10_000):
        session.refresh_status()
    messages = [f.message for _, f in session.snapshot.findings() if f.code == "P008"]
    assert len(messages) == 2
    assert any("发明专利助推“李四”" in m for m in messages) and not any("applications" in m for m in messages)
