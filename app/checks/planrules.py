"""The two programmes' plan facts, typed, for their rule sets (``rules: [patent]`` / ``[project]``).

The plan file's ``patent`` and ``project`` sections are read like any form's section (by the
fact types their definitions give, ``zhutui.plans``); the P and J rules read them through these
views. Facts a definition marks required are never None here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhutui.plans import Plan, Tier, add_years


@dataclass(frozen=True)
class PatentRules:
    grant_from: dt.date
    grant_to: dt.date
    amount: int
    split: tuple[int, int] | None
    per_person_per_year: int | None
    payment: str | None


@dataclass(frozen=True)
class ProjectRules:
    approval_from: dt.date
    approval_to: dt.date
    completion_years: int
    latest_completion: dt.date | None
    boost_cap: float | None
    per_studio_applications: int | None
    per_studio_funded: int | None
    exclude_unfinished: bool
    disbursement: str | None
    tiers: tuple[Tier, ...]

    def tiers_for(self, level: str) -> tuple[int, ...]:
        return tuple(t.amount for t in self.tiers if level in t.levels)

    def tier(self, amount: int) -> Tier | None:
        return next((t for t in self.tiers if t.amount == amount), None)


def patent_rules(plan: Plan) -> PatentRules:
    return PatentRules(**plan.section("patent"))


def project_rules(plan: Plan) -> ProjectRules:
    return ProjectRules(**plan.section("project"))


def latest_completion(plan: Plan, approved: dt.date) -> dt.date:
    """The latest allowed completion: approval + N years, capped by the plan's latest date."""
    rules = project_rules(plan)
    limit = add_years(approved, rules.completion_years)
    latest = rules.latest_completion
    return min(limit, latest) if latest else limit
