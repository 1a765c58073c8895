"""The findings of a batch as the text ``zhutui check`` prints."""

from __future__ import annotations

from collections.abc import Sequence

from zhutui.checks.findings import Finding

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def text_report(findings: Sequence[Finding], counts: dict[str, int], n_apps: int) -> str:
    """Each file's findings under its name, then the totals. A plan-level finding (deadline,
    plan status) that every file of the batch shares is printed once, not once per file."""
    lines: list[str] = []
    plan_level: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.path == "plan_year":
            plan_level.setdefault((f.code, f.message), []).append(f)
    shared = {key for key, group in plan_level.items() if n_apps > 1 and len(group) == n_apps}
    for code, message in shared:
        f = plan_level[(code, message)][0]
        lines.append(f"全部 {n_apps} 份申报：{SEVERITY_NAMES[f.severity]} {code}：{message}")
    current = None
    for f in findings:
        if (f.code, f.message) in shared and f.path == "plan_year":
            continue
        if f.file != current:
            current = f.file
            lines.append(f"\n{f.file}")
        mark = "（已确认）" if f.confirmed else ""
        lines.append(f"  {SEVERITY_NAMES[f.severity]}{mark} {f.code} {f.path}：{f.message}")
    confirmed = sum(f.confirmed for f in findings)
    warnings = f"{counts['warning']} 个警告" + (f"（其中 {confirmed} 个已确认无误）" if confirmed else "")
    summary = f"检查了 {n_apps} 份申报：{counts['error']} 个错误，{warnings}，{counts['info']} 条提示。"
    if counts["error"]:
        summary += "有错误的申报不能正式报送，请按提示修改。"
    lines.append(("\n" if findings else "") + summary)
    return "\n".join(lines)
