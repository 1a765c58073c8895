"""Every check of SPEC §5 over a batch of applications.

``check_batch(apps, today)`` returns the findings of each application (field, form, deadline
and attachment checks) plus the batch rules across all of them, in a stable order.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Callable, Iterable
from types import ModuleType

from zhutui import confirmations
from zhutui.appfile import Application
from zhutui.checks.attachments import check_attachments
from zhutui.checks.batch import check_duplicates
from zhutui.checks.certificate import check_certificate
from zhutui.checks.context import Context
from zhutui.checks.deadline import check_deadline
from zhutui.checks.fields import check_fields
from zhutui.checks.findings import Finding
from zhutui.rules import SEVERITIES, catalogue
from zhutui.rulesets import RULE_SETS

__all__ = ["Finding", "batch_findings_of", "check_batch", "check_application", "count", "catalogue"]


@functools.cache
def _rule_module(name: str) -> ModuleType:
    """The module of the registered rule set ``name`` (``zhutui.rulesets``)."""
    return importlib.import_module(RULE_SETS[name].module)


def _check_one(app: Application, today: dt.date, *, files: bool = True) -> Context:
    ctx = Context(app, today)
    check_fields(ctx)
    for name in app.form.rules:
        _rule_module(name).check(ctx)
    check_deadline(ctx)
    check_certificate(ctx)
    if files:
        check_attachments(ctx)
    return ctx


def check_application(app: Application, today: dt.date, *, files: bool = True) -> list[Finding]:
    """Findings of one application on its own (no batch rules); confirmed warnings marked."""
    return confirmations.mark(app.data, _check_one(app, today, files=files).findings)


def check_batch(apps: Iterable[Application], today: dt.date) -> list[Finding]:
    ctxs = [_check_one(app, today) for app in apps]
    _check_across(ctxs)
    return [f for ctx in ctxs for f in confirmations.mark(ctx.app.data, ctx.findings)]


def batch_findings_of(app: Application, others: Iterable[Application], today: dt.date) -> list[Finding]:
    """The batch rules' findings (P008, P009, J008) of ``app`` among ``others``: what the editor
    shows at the field while the rest of the batch stays as last checked."""
    ctx = Context(app, today)
    _check_across([ctx, *(Context(other, today) for other in others)])
    return ctx.findings


def _check_across(ctxs: list[Context]) -> None:
    """The batch rules: each registered rule set's among the applications of the forms it
    applies to (in the registry's order), then the duplicates of every form's ``identity``."""
    for name in RULE_SETS:
        batch_rule: Callable[[list[Context]], None] | None = getattr(_rule_module(name), "check_batch", None)
        members = [ctx for ctx in ctxs if name in ctx.app.form.rules]
        if batch_rule is not None and members:
            batch_rule(members)
    check_duplicates(ctxs)


def count(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts
