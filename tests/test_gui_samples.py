"""The sample batch stays apart (issue 16, point 8): marked 示例 everywhere, its own batch for the
batch rules, left out of outputs unless included, removed in one action."""

from __future__ import annotations

import copy

import pytest

from tests.gui_support import import_apps, make_window

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402


def test_the_first_start_sample_is_marked_as_samples(qtbot, tmp_path):
    from zhutui.gui.firstrun import offer_sample

    window, session = make_window(qtbot, tmp_path)
    offer_sample(session, window, ask=lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(session.records_changed, timeout=60_000):
        pass
    assert session.samples == {r.id for r in session.ws.records()} and len(session.samples) == 4
    window.close()


@pytest.fixture
def mixed(qtbot, workdir, patent):
    """One application of the user's own and a 'sample' of the same inventor (a P008 if mixed)."""
    from zhutui.workspace.store import Workspace

    sample = copy.deepcopy(patent)
    sample["patent"]["number"] = "ZL201910123456.2"
    sample["patent"]["title"] = "一种示例用的装置"
    with Workspace(workdir / "workspace") as ws:
        own, sample_id = import_apps(ws, workdir, patent, sample)
    window, session = make_window(qtbot, workdir)
    session.mark_samples([sample_id])
    session.records_changed.emit()
    with qtbot.waitSignal(session.status_changed, timeout=20_000):
        session.refresh_status()
    yield window, session, own, sample_id
    window.close()


def test_samples_are_marked_in_every_list_and_kept_out_of_the_batch_rules(qtbot, mixed):
    window, session, own, sample_id = mixed
    model = window.form_pages["patent"].model
    assert model.data(model.index(model.row_of(sample_id), 0)).endswith("（示例）")
    assert not model.data(model.index(model.row_of(own), 0)).endswith("（示例）")
    home = window.home
    rows = {
        home.table.item(i, 0).data(Qt.ItemDataRole.UserRole): home.table.item(i, 0).text()
        for i in range(home.table.rowCount())
    }
    assert rows[sample_id] == rows[own] + "（示例）"
    assert "1 份是示例" in home.totals.text()
    checks = window.checks.model
    names = {checks.data(checks.index(r, 1)) for r in range(checks.rowCount())}
    assert all(name.endswith("（示例）") for name in names if "示例" in name)
    codes = {f.code for _, f in session.snapshot.findings()}
    assert "P008" not in codes  # the same inventor in a sample is nobody's duplicate
    editor = window.form_pages["patent"]
    window.show_page(editor)
    editor.open_application(sample_id)
    assert editor.editor.title.text().endswith("（示例）")
    assert "P008" not in {f.code for f in editor.editor.findings}


def test_outputs_leave_samples_out_unless_included(qtbot, mixed, tmp_path):
    window, session, own, sample_id = mixed
    output = window.output
    assert output.samples.isVisibleTo(window) or not output.samples.isHidden()
    assert session.output_ids() == [own]
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    output.draft.setChecked(True)
    output.render()
    with qtbot.waitSignal(output.finished, timeout=60_000) as blocker:
        pass
    assert len(blocker.args[0].forms) == 1
    output.samples.setChecked(True)
    assert sorted(session.output_ids()) == sorted([own, sample_id])


def test_one_action_removes_every_sample(qtbot, mixed, monkeypatch):
    window, session, own, sample_id = mixed
    home = window.home
    assert not home.remove_samples_button.isHidden() and "1 份" in home.remove_samples_button.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(session.status_changed, timeout=20_000):
        home.remove_samples()
    assert [r.id for r in session.records()] == [own]
    assert session.samples == frozenset()
    assert home.remove_samples_button.isHidden() and window.output.samples.isHidden()
