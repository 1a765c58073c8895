"""Batch rules: what the applications checked together say of each other.

The rule sets' own batch rules (P008, J008) group the batch with ``groups``; the duplicate
finding of a form's ``identity`` (``duplicate_code``: P009 for the same patent twice) is here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable

from zhutui import identity
from zhutui.appfile import Application
from zhutui.checks.context import Context


def groups(ctxs: list[Context], key: Callable[[Application], Hashable | None]) -> list[list[Context]]:
    """The contexts grouped by ``key`` of their application (None: in no group)."""
    found: dict[Hashable, list[Context]] = defaultdict(list)
    for ctx in ctxs:
        k = key(ctx.app)
        if k is not None:
            found[k].append(ctx)
    return list(found.values())


def others(ctx: Context, group: list[Context]) -> str:
    """The other applications of ``group``, named as findings name them."""
    return "、".join(other.app.name for other in group if other is not ctx)


def check_duplicates(ctxs: list[Context]) -> None:
    """The same application (its form's ``identity``) more than once in the batch."""
    for group in groups(ctxs, lambda app: identity.key(app.form, app.data)):
        form = group[0].app.form
        if len(group) < 2 or form.identity is None or form.identity.duplicate_code is None:
            continue
        where = form.identity.fields[0]
        for ctx in group:
            ctx.emit(
                form.identity.duplicate_code,
                where,
                label=form.identity.label,
                value=ctx.app.get(where)
                if len(form.identity.fields) == 1
                else "：".join(identity.values(form, ctx.app.data) or ()),
                count=len(group),
                others=others(ctx, group),
            )
