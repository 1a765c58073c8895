"""The registered rule sets: the form-specific checks that stay Python (SPEC §5's P and J rules).

A form definition names the rule sets that apply to it (``rules: [patent]`` in ``forms/*.yaml``);
every other check (required fields, lengths, formats, dates, attachments, the deadline, the
identity's duplicates) comes from the definition alone. A rule set is registered here once, by
name, with the module that holds its checks (``check(ctx)`` for one application and, when it
has batch rules, ``check_batch(ctxs)``), and the placeholders it adds to help texts and finding
messages, computed from its form's section of the plan file. The module is imported when the
checks run, so this registry stays at the bottom of the layers.

Adding a rule set: a module under ``zhutui/checks/`` with ``check`` (and ``check_batch``), its
codes in ``forms/rules.yaml``, one ``RuleSet`` here, and its name in a form's ``rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zhutui.normalize import cn_date

Section = Mapping[str, Any]  # a form's section of the plan file, as validated by ``zhutui.plans``


@dataclass(frozen=True)
class RuleSet:
    name: str
    module: str  # holds ``check(ctx)`` and, optionally, ``check_batch(ctxs)``
    section: str  # the plan file's section its rules read (its form's ``plan.section``)
    placeholders: Callable[[Section], dict[str, str]] = field(default=lambda section: {})
    placeholder_names: tuple[str, ...] = ()  # the keys ``placeholders`` gives, for every form's texts


def _date(section: Section, key: str) -> str:
    value = section.get(key)
    return cn_date(value) if isinstance(value, dt.date) else "未公布"


def _patent_placeholders(section: Section) -> dict[str, str]:
    return {"grant_from": _date(section, "grant_from"), "grant_to": _date(section, "grant_to")}


def _project_placeholders(section: Section) -> dict[str, str]:
    latest = section.get("latest_completion")
    return {
        "approval_from": _date(section, "approval_from"),
        "approval_to": _date(section, "approval_to"),
        "latest_completion_clause": f"，最晚结题时间不超过{cn_date(latest)}" if isinstance(latest, dt.date) else "",
    }


RULE_SETS: dict[str, RuleSet] = {
    rule_set.name: rule_set
    for rule_set in (
        RuleSet("patent", "zhutui.checks.patent", "patent", _patent_placeholders, ("grant_from", "grant_to")),
        RuleSet(
            "project",
            "zhutui.checks.project",
            "project",
            _project_placeholders,
            ("approval_from", "approval_to", "latest_completion_clause"),
        ),
    )
}
