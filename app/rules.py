"""The rule catalogue (``forms/rules.yaml``): stable codes, their severity, rule and message.

At the bottom of the layers (the application file needs to know which codes are warnings, for
its ``confirmed`` key; the checks make their findings from it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from zhutui.errors import DefinitionError
from zhutui.paths import forms_dir
from zhutui.yamlio import Reader, load_yaml

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    rule: str
    message: str


def catalogue(path: Path | None = None) -> dict[str, Rule]:
    return _catalogue(path or forms_dir() / "rules.yaml")


@functools.cache
def _catalogue(path: Path) -> dict[str, Rule]:
    data = load_yaml(path)
    root = Reader(path, "", data)
    rules = {}
    for code in data:
        r = root.sub(code, root.take(code, dict, required=True))
        severity = r.take("severity", str, required=True)
        if severity not in SEVERITIES:
            raise r.error("severity", f"应为 {', '.join(SEVERITIES)} 之一")
        rules[code] = Rule(code, severity, r.take("rule", str, required=True), r.take("message", str, required=True))
        r.done()
    root.done()
    if not rules:
        raise DefinitionError(path, None, "规则目录为空")
    return rules


def warning_codes() -> list[str]:
    """The codes that can be confirmed (确认无误): the warnings of the catalogue."""
    return [r.code for r in catalogue().values() if r.severity == "warning"]
