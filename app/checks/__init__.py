"""Every check of SPEC §5 over a batch of applications.

``check_batch(apps, today)`` returns the findings of each application (field, form, deadline
and attachment checks) plus the batch rules across all of them, in a stable order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from zhutui import confirmations
from zhutui.appfile import Application
from zhutui.checks.attachments import check_attachments
from zhutui.checks.batch import check_batch_rules
from zhutui.checks.context import Context
from zhutui.checks.deadline import check_deadline
from zhutui.checks.fields import check_fields
from zhutui.checks.findings import Finding
from zhutui.checks.patent import check_patent
from zhutui.checks.project import check_project
from zhutui.rules import SEVERITIES, catalogue

__all__ = ["Finding", "batch_findings_of", "check_batch", "check_application", "count", "catalogue"]

_FORM_CHECKS = {"patent": check_patent, "project": check_project}


def _check_one(app: Application, today: dt.date, *, files: bool = True) -> Context:
    ctx = Context(app, today)
    check_fields(ctx)
    _FORM_CHECKS[app.form.form](ctx)
    check_deadline(ctx)
    if files:
        check_attachments(ctx)
    return ctx


def check_application(app: Application, today: dt.date, *, files: bool = True) -> list[Finding]:
    """Findings of one application on its own (no batch rules); confirmed warnings marked."""
    return confirmations.mark(app.data, _check_one(app, today, files=files).findings)


def check_batch(apps: Iterable[Application], today: dt.date) -> list[Finding]:
    ctxs = [_check_one(app, today) for app in apps]
    check_batch_rules(ctxs)
    return [f for ctx in ctxs for f in confirmations.mark(ctx.app.data, ctx.findings)]


def batch_findings_of(app: Application, others: Iterable[Application], today: dt.date) -> list[Finding]:
    """The batch rules' findings (P008, P009, J008) of ``app`` among ``others``: what the editor
    shows at the field while the rest of the batch stays as last checked."""
    ctx = Context(app, today)
    check_batch_rules([ctx, *(Context(other, today) for other in others)])
    return ctx.findings


def count(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts
