"""What makes two applications the same one: a form's ``identity`` (``forms/*.yaml``).

One derivation for the batch's duplicate finding (``identity.duplicate_code``, P009 for a
patent) and for a hand-over bundle's conflicts with the workspace: the identity fields' values,
each compared as its format says (a patent number however it was typed; other texts as
``normalize.identity_text`` says: （集团） = (集团), no white space). An application with an
identity field empty, or not comparable, has no identity. The batch rules that ask whether two
applications name the same studio or enterprise (J008) compare by ``comparable`` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhutui import formats
from zhutui.appfile import get_path
from zhutui.formdef import FormDef

Key = tuple[str, ...]


def comparable(form: FormDef, key: str, value: object) -> str | None:
    """Field ``key``'s ``value`` as two applications' values are compared (its format's
    identity); None when it is empty or can't be compared."""
    if value is None or isinstance(value, bool | list | dict):
        return None
    field = form.field(key) if form.has(key) else None
    fmt = (formats.get(field.format) if field else None) or formats.PLAIN
    return fmt.identity_of(str(value))


def values(form: FormDef, data: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The identity fields' comparable values, or None when the application has no identity."""
    if form.identity is None:
        return None
    out = []
    for key in form.identity.fields:
        found = comparable(form, key, get_path(data, key))
        if found is None:
            return None
        out.append(found)
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
