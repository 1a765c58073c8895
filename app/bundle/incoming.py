"""Reading the applications of an opened bundle (a part of ``exchange``): every application
member parsed and checked, its attachments matched to members; a malformed one refuses the
whole bundle. Manifest texts are display strings, kept only when usable.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhutui import jsonsafe, naming
from zhutui.appfile import MAX_FILE, load_as_taken
from zhutui.bundle.archive import MAX_APPLICATIONS, MAX_ATTACHMENTS_PER_APPLICATION, Bundle, BundleError
from zhutui.errors import InputError
from zhutui.formdef import form_names, load_form

MAX_APP_JSON = MAX_FILE  # one application file: a real one is about 10 KB


@dataclass(frozen=True)
class IncomingAttachment:
    kind: str
    title: str | None
    member: str | None  # None: the sender didn't have the file either
    name: str  # the name the user gave the file
    as_taken: bool = False  # its pages used as taken, not cleaned (an application file's "as_taken")


@dataclass
class Incoming:
    """One application in a bundle, read and checked, with what it conflicts with here."""

    bundle: Path
    member: str  # its application file in the bundle
    created_by: str
    form: str
    plan_year: int
    data: dict[str, Any]
    attachments: list[IncomingAttachment]
    uid: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    conflict: int | None = None  # the workspace id of the same application
    reason: str = ""  # why it is the same: 专利号相同 …

    @property
    def union(self) -> str:
        return naming.union(self.data)

    def describe(self) -> str:
        return describe(self.form, self.data)


def describe(form_name: str, data: dict[str, Any]) -> str:
    """发明专利助推“王建国”（一种……装置）: whom and what (``naming.describe``)."""
    return naming.describe(load_form(form_name), data)


def _text(value: Any) -> str | None:
    """A text from the manifest, kept only when it is a usable one (no NUL, no half character:
    it is stored and shown); else None, and the default is used."""
    return value if isinstance(value, str) and not jsonsafe.text_problem(value) else None


def _stamp(value: Any) -> str | None:
    """A time from the manifest, kept only when it is one (ISO 8601)."""
    try:
        return value if isinstance(value, str) and dt.datetime.fromisoformat(value) else None
    except ValueError:
        return None


def read_applications(bundle: Bundle) -> list[Incoming]:
    """Every application of an opened bundle; a malformed one refuses the whole bundle."""
    raw = bundle.manifest.get("applications")
    if not isinstance(raw, list):
        raise BundleError(bundle.path, "applications", "清单缺少申报列表")
    if len(raw) > MAX_APPLICATIONS:
        raise BundleError(
            bundle.path,
            "applications",
            f"有 {len(raw)} 份申报，一个交接包最多 {MAX_APPLICATIONS} 份。请让对方分成几个交接包导出",
        )
    out = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"applications[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            raise BundleError(bundle.path, where, "清单中的申报条目无效")
        member = item["file"]
        if member not in bundle.members:
            raise BundleError(bundle.path, member, "清单列出的申报文件不存在")
        if member in seen:
            raise BundleError(
                bundle.path, member, "同一个申报文件在清单中出现了不止一次，不是本软件导出的交接包，已拒绝"
            )
        seen.add(member)
        if bundle.members[member].size > MAX_APP_JSON:
            raise BundleError(bundle.path, member, "申报文件过大，已拒绝")
        data = _parse_application(bundle, member)
        names = item.get("original_names")
        names = names if isinstance(names, list) else []
        folder = posixpath.dirname(member)
        if len(data.get("attachments") or []) > MAX_ATTACHMENTS_PER_APPLICATION:
            raise BundleError(bundle.path, member, f"附件超过 {MAX_ATTACHMENTS_PER_APPLICATION} 个，已拒绝")
        attachments = []
        for n, entry in enumerate(data.pop("attachments", None) or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
                raise BundleError(bundle.path, f"{member}：attachments[{n}]", "附件条目无效")
            file = entry.get("file")
            title = _text(entry.get("title"))
            try:  # checked as loading an application file checks it: true, false or absent
                as_taken = load_as_taken(bundle.path, f"{member}：attachments[{n}].as_taken", entry.get("as_taken"))
            except InputError as exc:
                raise BundleError(exc.file, exc.key, exc.message) from None
            joined = posixpath.join(folder, file) if isinstance(file, str) and file else None
            stored = joined if joined in bundle.members else None
            name = _text(names[n]) if n < len(names) else None
            attachments.append(
                IncomingAttachment(
                    entry["kind"],
                    title,
                    stored,
                    name or (posixpath.basename(file) if isinstance(file, str) else ""),
                    as_taken,
                )
            )
        out.append(
            Incoming(
                bundle.path,
                member,
                _text(bundle.manifest.get("created_by")) or "",
                data["form"],
                data["plan_year"],
                data,
                attachments,
                _text(item.get("uid")),
                _stamp(item.get("created_at")),
                _stamp(item.get("updated_at")),
            )
        )
    return out


def json_member(bundle: Bundle, member: str, what: str) -> dict[str, Any]:
    """The member as a JSON object; anything else refuses the bundle, naming ``what`` it is."""
    try:
        data = jsonsafe.parse(bundle.read_member(member).decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleError(bundle.path, member, f"{what}不是 UTF-8 编码的 JSON") from None
    except jsonsafe.JsonProblem as exc:
        raise BundleError(bundle.path, member, f"{what}不是有效的 JSON（{exc.message}）") from None
    if not isinstance(data, dict):
        raise BundleError(bundle.path, member, f"{what}的内容应为 JSON 对象")
    return data


def _parse_application(bundle: Bundle, member: str) -> dict[str, Any]:
    data = json_member(bundle, member, "申报文件")
    if data.get("form") not in form_names():
        raise BundleError(bundle.path, member, f"form 应为 {' 或 '.join(form_names())}")
    year = data.get("plan_year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2999:
        raise BundleError(bundle.path, member, "plan_year 应为年份，如 2022")
    if not isinstance(data.get("attachments", []), list):
        raise BundleError(bundle.path, member, "attachments 应为列表")
    return data
