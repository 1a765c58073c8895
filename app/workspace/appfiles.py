"""Application files (SPEC §4) in and out of the workspace (a part of ``store.Workspace``):
import with the attachments copied in, export with the attachments copied out beside the file,
named to fit Windows' path limit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhutui import appfile, naming
from zhutui.formdef import load_form
from zhutui.winpath import fit_name
from zhutui.workspace import blobs
from zhutui.workspace.attachstore import Attachments

EXPORT_RESERVE = len("_99.json") + len("/01_application_proof.jpeg")


@dataclass(frozen=True)
class Record:
    """An application as the workspace keeps it: ``data`` as typed (without attachments)."""

    id: int
    uid: str
    form: str
    plan_year: int
    data: dict[str, Any]
    created_at: str
    updated_at: str


class ApplicationFiles(Attachments):
    """The application-file methods of ``Workspace`` (which gives ``create``, ``record`` and
    ``canonical_data``)."""

    if TYPE_CHECKING:

        def create(self, form: str, plan_year: int, data: dict[str, Any] | None = None) -> int: ...
        def record(self, app_id: int) -> Record: ...
        def canonical_data(self, app_id: int) -> dict[str, Any]: ...

    def import_file(self, path: Path, files_root: Path | None = None) -> int:
        """Import an application file and copy its attachments in; a missing attachment file,
        or one outside ``files_root`` (default: the file's folder), is kept as an entry without
        content, so the checks report it."""
        return import_file(self, path, files_root)

    def export(self, app_id: int, target: Path) -> Path:
        """Write the application file ``target`` with its attachments (``export``)."""
        return export(self, app_id, target)

    def export_into(self, app_id: int, folder: Path) -> Path:
        """``export`` under a free name in ``folder``: 附件1_张三.json, then 附件1_张三_2.json…"""
        return export_into(self, app_id, folder)


def import_file(ws: ApplicationFiles, path: Path, files_root: Path | None = None) -> int:
    """Import an application file and copy its attachments in; a missing attachment file, or
    one outside ``files_root`` (default: the file's folder), is kept as an entry without
    content, so the checks report it."""
    app = appfile.load(path, files_root=files_root)
    app_id = ws.create(app.form.form, app.plan.year, app.data)
    for entry in app.data.get("attachments", []):
        source = app.attachment_file(entry)  # None: outside the file's folder, never read
        kind, title, as_taken = entry.get("kind", "other"), entry.get("title"), bool(entry.get("as_taken"))
        if source is not None and source.is_file():
            ws.add_attachment(app_id, source, kind, title, as_taken=as_taken)
        else:
            ws.attach_missing(app_id, entry.get("file", ""), kind, title, as_taken=as_taken)
    return app_id


def export(ws: ApplicationFiles, app_id: int, target: Path) -> Path:
    """Write the application file ``target`` (…/name.json) in its canonical form (as saving
    writes it: normalised, in the definition's order) with its attachments in the folder
    ``target`` without the suffix (…/name/), named by kind and order."""
    data = ws.canonical_data(app_id)  # what loading gives (nothing typed is lost: canonical_data)
    folder = target.with_suffix("")
    entries = []
    for i, att in enumerate(ws.attachments(app_id), 1):
        source = ws.attachment_file(att)
        name = f"{i:02d}_{att.kind}{att.suffix or blobs.clean_suffix(att.original_name)}"
        entry: dict[str, Any] = {"kind": att.kind, "file": f"{folder.name}/{name}"}
        if att.title:
            entry["title"] = att.title
        if att.as_taken:  # false is not written: the file stays as it was
            entry["as_taken"] = True
        if source is not None and source.exists():
            blobs.copy_out(source, folder / name)
        entries.append(entry)
    if entries:
        data["attachments"] = entries
    form = load_form(data["form"])
    appfile.write_atomic(target, appfile.dumps(appfile.in_definition_order(form, data)).encode("utf-8"))
    return target


def export_into(ws: ApplicationFiles, app_id: int, folder: Path) -> Path:
    """``export`` under a free name in ``folder``: 附件1_张三.json, then 附件1_张三_2.json…"""
    record = ws.record(app_id)
    # Windows' path limit: room for a number (_2), ".json", and the scans' folder inside.
    stem = fit_name(folder, naming.export_stem(load_form(record.form), record.data), reserve=EXPORT_RESERVE)
    target, n = folder / f"{stem}.json", 2
    while target.exists() or target.with_suffix("").exists():
        target, n = folder / f"{stem}_{n}.json", n + 1
    return export(ws, app_id, target)
