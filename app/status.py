"""Where a batch stands: what the home page shows, computed without Qt.

For the plan year: working days left until the deadline (official holidays and 调休), whether
the deadline has passed, whether the plan is still 待核对. For each application: how many
required fields are filled, its errors and warnings, which required attachment kinds are there,
and its first problem; for the batch, the next problem after a given one, so one button can walk
the user through everything that still needs doing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from zhutui.appfile import Application, is_empty
from zhutui.checks import Finding, check_batch
from zhutui.plans import Plan
from zhutui.workdays import Calendar

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class ApplicationStatus:
    app: Application
    required_filled: int
    required_total: int
    findings: tuple[Finding, ...]
    attachments_present: tuple[str, ...]  # labels of the required kinds that are attached
    attachments_missing: tuple[str, ...]  # labels of the required kinds still missing

    @property
    def errors(self) -> int:
        """Errors other than required fields still empty (those are 必填项 x/y, 待填)."""
        return sum(f.severity == "error" and not is_pending(self.app, f) for f in self.findings)

    @property
    def warnings(self) -> int:
        """Warnings not yet confirmed (确认无误)."""
        return sum(f.severity == "warning" and not f.confirmed for f in self.findings)

    @property
    def confirmed(self) -> int:
        return sum(f.confirmed for f in self.findings)

    @property
    def complete(self) -> bool:
        return self.required_filled == self.required_total and not self.attachments_missing

    @property
    def ready(self) -> bool:
        """Complete and without errors: it can be printed and submitted."""
        return self.complete and self.errors == 0

    @property
    def problems(self) -> list[Finding]:
        """Errors first, then warnings; advice (info) is not a problem."""
        found = [f for f in self.findings if f.severity != "info" and not f.confirmed]
        return sorted(found, key=lambda f: _SEVERITY_ORDER[f.severity])


@dataclass(frozen=True)
class BatchStatus:
    plan: Plan
    today: dt.date
    workdays_left: int
    deadline_passed: bool
    apps: tuple[ApplicationStatus, ...]

    @property
    def plan_unconfirmed(self) -> bool:
        return not self.plan.confirmed

    def next_problem(self, after: tuple[int, int] | None = None) -> tuple[int, Finding] | None:
        """The (application index, finding) after ``after`` (an index pair), wrapping around."""
        order = [(i, j, f) for i, s in enumerate(self.apps) for j, f in enumerate(s.problems)]
        if not order:
            return None
        if after is not None:
            for k, (i, j, _) in enumerate(order):
                if (i, j) > after:
                    return order[k][0], order[k][2]
        return order[0][0], order[0][2]


def is_pending(app: Application, finding: Finding) -> bool:
    """A finding at a required field of the form that is still empty (F001, or the field's own
    code such as P006), or a required attachment not added yet (P011): 待填, counted in 必填项 x/y
    and 必备附件 x/y rather than as an error."""
    if finding.path == "attachments":
        return is_missing_kind(app, finding)
    return finding.path in _required_keys(app) and is_empty(app.get(finding.path))


def is_missing_kind(app: Application, finding: Finding) -> bool:
    """A required attachment kind not added yet (P011, J010, …)."""
    return finding.path == "attachments" and finding.code in {
        k.missing_code for k in app.form.attachments if k.required
    }


def _required_keys(app: Application) -> frozenset[str]:
    return frozenset(f.key for f in app.form.fields if f.required)


def required_counts(app: Application) -> tuple[int, int]:
    required = [f for f in app.form.fields if f.required]
    filled = sum(not is_empty(app.get(f.key)) for f in required)
    return filled, len(required)


def application_status(app: Application, findings: Sequence[Finding]) -> ApplicationStatus:
    kinds = {entry.get("kind") for entry in app.data.get("attachments", []) if entry.get("file")}
    required = [k for k in app.form.attachments if k.required]
    filled, total = required_counts(app)
    return ApplicationStatus(
        app=app,
        required_filled=filled,
        required_total=total,
        findings=tuple(findings),
        attachments_present=tuple(k.label for k in required if k.kind in kinds),
        attachments_missing=tuple(k.label for k in required if k.kind not in kinds),
    )


def batch_status(plan: Plan, apps: Sequence[Application], today: dt.date) -> BatchStatus:
    findings = check_batch(apps, today) if apps else []
    by_app: dict[int, list[Finding]] = {id(a): [] for a in apps}
    names = {a.name: id(a) for a in apps}
    for f in findings:
        key = names.get(f.file)
        if key is not None:
            by_app[key].append(f)
    calendar = Calendar()
    return BatchStatus(
        plan=plan,
        today=today,
        workdays_left=calendar.workdays_until(today, plan.deadline),
        deadline_passed=today > plan.deadline,
        apps=tuple(application_status(a, by_app[id(a)]) for a in apps),
    )
