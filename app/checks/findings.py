"""Findings: what a check found, made from the rule catalogue (``zhutui.rules``)."""

from __future__ import annotations

from dataclasses import dataclass

from zhutui.rules import catalogue


@dataclass(frozen=True)
class Finding:
    file: str
    code: str
    severity: str
    path: str
    message: str
    confirmed: bool = False  # a warning the user confirmed (``zhutui.confirmations``)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "file": self.file,
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }
        if self.confirmed:
            out["confirmed"] = True
        return out


class _Params(dict):
    """A message's values; a placeholder no check gives (a form's ``duplicate_code`` may name any
    rule) reads as nothing rather than failing the check."""

    def __missing__(self, key: str) -> str:
        return ""


def make_finding(file: str, code: str, path: str, params: dict[str, object], prefix: str = "") -> Finding:
    rule = catalogue()[code]
    message = prefix + rule.message.format_map(_Params({k: "" if v is None else v for k, v in params.items()}))
    return Finding(file=file, code=code, severity=rule.severity, path=path, message=message)
