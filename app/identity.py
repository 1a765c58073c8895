"""What makes two applications the same one: a form's ``identity`` (``forms/*.yaml``).

One derivation for the batch's duplicate finding (``identity.duplicate_code``, P009 for a
patent) and for a hand-over bundle's conflicts with the workspace: the identity fields' values,
each compared as its format says (a patent number however it was typed; other texts without
white space). An application with an identity field empty, or not comparable, has no identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhutui import formats
from zhutui.appfile import get_path
from zhutui.formdef import FormDef

Key = tuple[str, ...]


def values(form: FormDef, data: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The identity fields' comparable values, or None when the application has no identity."""
    if form.identity is None:
        return None
    out = []
    for key in form.identity.fields:
        value = get_path(data, key)
        if value is None or isinstance(value, bool | list | dict):
            return None
        fmt = formats.get(form.field(key).format) or formats.PLAIN
        comparable = fmt.identity_of(str(value))
        if comparable is None:
            return None
        out.append(comparable)
    return tuple(out)


def key(form: FormDef, data: Mapping[str, Any]) -> Key | None:
    """The application's identity: its form and its identity values (None: it has none)."""
    found = values(form, data)
    return (form.form, *found) if found is not None else None


def reason(form: FormDef, data: Mapping[str, Any]) -> str:
    """Why two applications are the same: 专利号相同（ZL201810053768.3）."""
    found = values(form, data) or ()
    label = form.identity.label if form.identity is not None else "内容"
    return f"{label}相同（{'：'.join(found)}）"
