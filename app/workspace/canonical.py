"""The applications as the checks read them, normalised once (a part of ``store.Workspace``).

Each application is kept twice, both sealed: as typed (``applications.data``, what the editor
shows back) and as checked (``applications.canonical``: the normalised data and the values that
can't be used as typed, with ``canonical_stamp``, the app's version and the form definition's
digest it was normalised by). An edit normalises its field alone; reads normalise nothing; a
record of another version or definition is normalised again when the workspace opens.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhutui import __version__, appfile, confirmations, rules
from zhutui.appfile import get_path, set_path
from zhutui.errors import InputError
from zhutui.formdef import FormDef, all_forms
from zhutui.plans import load_plans
from zhutui.workspace import db
from zhutui.workspace.protection import column

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from zhutui.workspace.protection import Sealer

CANONICAL = column("applications", "canonical")


class Normalised:
    """The normalised-once methods of ``Workspace`` (which gives ``con``, ``folder``, ``sealer``,
    ``transaction``, ``_write``, ``_row``, ``_typed``, ``file_data``, ``_attachment_entries``,
    ``record``, and from ``Readings`` ``certificate_values`` and ``scan_fills``)."""

    con: sqlite3.Connection
    folder: Path
    sealer: Sealer

    if TYPE_CHECKING:
        transaction: Callable[[], AbstractContextManager[None]]

        def _write(self, sql: str, params: tuple = ()) -> sqlite3.Cursor: ...
        def _row(self, app_id: int) -> dict[str, Any]: ...
        def _typed(self, row: dict[str, Any]) -> dict[str, Any]: ...
        def file_data(self, app_id: int) -> dict[str, Any]: ...
        def _attachment_entries(self, app_id: int) -> list[dict[str, Any]]: ...
        def record(self, app_id: int) -> Any: ...
        def certificate_values(self, app_id: int) -> dict[str, Any] | None: ...
        def scan_fills(self, app_id: int) -> dict[str, Any]: ...

    def application(self, app_id: int) -> appfile.Application:
        """The application as the checks and outputs see it (raises ``InputError`` naming the
        first value that can't be used). Its ``path`` is a name unique in the workspace (no such
        file is written): findings name it; ``app_id`` says which application it is."""
        app, problems = self.application_lenient(app_id)
        if problems:
            raise problems[0]
        return app

    def application_lenient(self, app_id: int) -> tuple[appfile.Application, list[InputError]]:
        """The application as the checks see it, with the values that can't be used as typed
        (e.g. 十万 typed as a money amount) left out and returned as problems at their keys;
        the typed value stays saved. Read from what was normalised when it was written: nothing
        is normalised again here (a record normalised by an older version or form definition is
        renewed when the workspace is opened, ``_normalise_stale``; until then it is read the
        slow way)."""
        row = self._row(app_id)
        path = self._app_path(app_id)
        payload = self._canonical(row)
        if payload is None:
            app, problems = appfile.from_data_leniently(self.file_data(app_id), path)
        else:
            plans = load_plans()
            if row["plan_year"] not in plans:  # the plan is gone since: the message loading gives
                appfile.from_data({"form": row["form"], "plan_year": row["plan_year"]}, path, plans)
            data = {k: v for k, v in payload["data"].items() if k != confirmations.KEY}
            attachments = self._attachment_entries(app_id)
            if attachments:
                data["attachments"] = appfile.load_attachments(path, attachments)
            if confirmations.KEY in payload["data"]:
                data[confirmations.KEY] = payload["data"][confirmations.KEY]
            plan = plans[row["plan_year"]]
            app = appfile.Application(form=all_forms()[row["form"]], plan=plan, data=data, path=path)
            problems = [InputError(path, key, message) for key, message in payload["problems"]]
        app.files_root = self.folder  # its attachments are the workspace's own copies
        app.app_id = app_id
        app.certificate = self.certificate_values(app_id)
        app.from_scan = self.scan_fills(app_id)
        return app, problems

    def canonical_data(self, app_id: int) -> dict[str, Any]:
        """The application file an export or a bundle writes: the canonical form (normalised, in
        the definition's order, without attachments), a value that can't be used kept as it was
        typed (nothing the user typed is lost; loading the file names it)."""
        app, problems = self.application_lenient(app_id)
        data = {k: v for k, v in app.data.items() if k != "attachments"}
        typed = self.record(app_id).data
        for problem in problems:
            field = (problem.key or "").split("[", 1)[0]  # a table cell or a list item: the field as typed
            value = get_path(typed, field) if field else None
            if value is not None:
                set_path(data, field, value)
        return appfile.in_definition_order(app.form, data)

    # ------------------------------------------------------------------ normalised once

    def _app_path(self, app_id: int) -> Path:
        return self.folder / "applications" / f"{app_id}.json"

    def _normalised(self, form: str, data: dict[str, Any]) -> tuple[str | None, str | None]:
        """The sealed canonical record of the typed ``data`` and its stamp; (None, None) when it
        can't be made (an unknown plan year: reading then says so, as loading would)."""
        definition = all_forms().get(form)
        if definition is None:
            return None, None
        try:
            app, problems = appfile.from_data_leniently(data, Path(f"{form}.json"))
        except InputError:
            return None, None
        return self._sealed_canonical(app.data, {p.key or "": p.message for p in problems}), _stamp(definition)

    def _field_normalised(self, row: dict[str, Any], data: dict[str, Any], key: str) -> tuple[str | None, str | None]:
        """The canonical record after the field ``key`` was set in the typed ``data``: only that
        field is normalised again (a keystroke's cost), the rest is as it was normalised before."""
        form = all_forms().get(row["form"])
        payload = self._canonical(row)
        if form is None or payload is None or not form.has(key):
            return self._normalised(row["form"], data)
        file = Path(f"{row['form']}.json")
        try:
            value, problems = appfile.normalise_field(form, key, get_path(data, key), file)
            confirmed = confirmations.load(file, data.get(confirmations.KEY), rules.warning_codes())
        except InputError:
            return self._normalised(row["form"], data)
        canonical = payload["data"]
        new_key = get_path(canonical, key) is None and value is not None
        set_path(canonical, key, value)
        if confirmed:
            canonical[confirmations.KEY] = confirmed
        else:
            canonical.pop(confirmations.KEY, None)
        kept = {k: m for k, m in payload["problems"] if not _under(k, key)}
        kept.update({p.key or "": p.message for p in problems})
        if new_key:  # a key added last: put it in the definition's order (the 校验码 depends on it)
            canonical = appfile.in_definition_order(form, canonical)
        return self._sealed_canonical(canonical, kept), _stamp(form)

    def _sealed_canonical(self, data: dict[str, Any], problems: dict[str, str]) -> str | None:
        payload = {"data": data, "problems": [[k, m] for k, m in problems.items()]}
        return self.sealer.seal(json.dumps(payload, ensure_ascii=False), CANONICAL)

    def _canonical(self, row: dict[str, Any]) -> dict[str, Any] | None:
        """The canonical record of ``row``, when it is there and was made by this app and the
        form definition as they are now."""
        form = all_forms().get(row["form"])
        if row.get("canonical") is None or form is None or row.get("canonical_stamp") != _stamp(form):
            return None
        try:
            return json.loads(self.sealer.unseal(row["canonical"], CANONICAL) or "")
        except ValueError:
            return None

    def _normalise_stale(self) -> None:
        """Normalise again, once, the applications written by another version of the app or of
        their form definition (a workspace from before schema 3 has none normalised). A
        workspace that can't be written now (a read-only stick) is read the slow way instead."""
        forms = all_forms()
        rows = self.con.execute("SELECT id, form, canonical_stamp FROM applications").fetchall()
        stale = [row_id for row_id, form, stamp in rows if form in forms and stamp != _stamp(forms[form])]
        if not stale:
            return
        with contextlib.suppress(InputError, sqlite3.OperationalError, db.WorkspaceReplaced), self.transaction():
            for row_id in stale:
                row = self._row(row_id)
                canonical, canonical_stamp = self._normalised(row["form"], self._typed(row))
                if canonical is not None:
                    self._write(
                        "UPDATE applications SET canonical = ?, canonical_stamp = ? WHERE id = ?",
                        (canonical, canonical_stamp, row_id),
                    )


def _stamp(form: FormDef) -> str:
    """What a canonical record was normalised by: this version of the app and of the form."""
    return f"{__version__}:{form.digest}"


def _under(path: str, key: str) -> bool:
    """Whether a problem's ``path`` lies in the field ``key`` (``project.budget[1].amount`` in
    ``project.budget``)."""
    return path == key or path.startswith((f"{key}[", f"{key}."))
