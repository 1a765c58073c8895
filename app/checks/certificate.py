"""The application against its patent certificate as read from the scan (issue 20).

P022: a typed value differs from what the certificate says (专利号, 授权公告日, 发明人 and their
order, 专利权人, 专利名称): the field is named with both values; the user corrects the typo or
confirms (the reading may be wrong). P023: a value filled in from the scan and not yet looked at
(来自扫描件，请核对) until the user confirms it or changes it. The reading itself is not made here
(the checks read no scans): ``Application.certificate`` (the fields read with enough
confidence, ``CertificateReading.values``) and ``from_scan`` carry it.
"""

from __future__ import annotations

from typing import Any

from zhutui.appfile import is_empty
from zhutui.certificate import shown_on_certificate
from zhutui.checks.context import Context
from zhutui.normalize import identity_text


def shown(value: Any) -> str:
    return "、".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _key(value: Any) -> Any:
    if isinstance(value, list):
        return [identity_text(str(v)) for v in value]
    return identity_text(str(value))


def check_certificate(ctx: Context) -> None:
    app = ctx.app
    for key, filled in app.from_scan.items():
        if app.form.has(key) and app.get(key) == filled:
            ctx.emit("P023", key, value=shown(filled), label=app.form.field(key).label)
    read = app.certificate
    if not read:
        return
    for key in shown_on_certificate(f.key for f in app.form.fields):
        if key in app.from_scan and app.get(key) == app.from_scan[key]:
            continue
        typed, seen = app.get(key), read.get(key)
        if is_empty(typed) or is_empty(seen) or _key(typed) == _key(seen):
            continue
        detail = ""
        if key == "patent.inventors" and sorted(_key(typed)) == sorted(_key(seen)):
            detail = "人员相同但顺序不同，须按证书上的顺序填写。"
        ctx.emit("P022", key, value=shown(typed), read=shown(seen), label=app.form.field(key).label, detail=detail)
