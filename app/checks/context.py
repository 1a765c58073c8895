"""What a check sees: one application, the day it runs, and a place to put findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from zhutui.appfile import Application
from zhutui.checks.findings import Finding, make_finding


@dataclass
class Context:
    app: Application
    today: dt.date
    findings: list[Finding] = field(default_factory=list)

    @property
    def plan(self):
        return self.app.plan

    def emit(self, code: str, path: str, *, prefix: str = "", **params: Any) -> None:
        """A finding of rule ``code`` at ``path``; ``prefix`` names the place first (a table's row)."""
        values = {"verb": "填写", **self.app.plan.template_values, "today": self.today.isoformat(), **params}
        self.findings.append(make_finding(self.app.name, code, path, values, prefix))
