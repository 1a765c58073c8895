"""``zhutui demo``: a realistic batch of applications with scanned attachments, as an
enterprise union under one superior union would prepare it, optionally with a documented set of
planted faults (one per rule code where the batch has room).

Layout of ``DIR``::

    发明专利/01_王建国.json            one patent application (SPEC §4, canonical JSON)
    发明专利/01_王建国/专利证书.jpg     its attachments, paths relative to the JSON's folder
    发明专利/01_王建国/企业应用证明.pdf
    创新项目/01_李明劳模创新工作室.json
    创新项目/01_李明劳模创新工作室/立项文件.pdf …
    预置错误清单.md                     with --with-errors: what was planted where

Deterministic: the same seed gives the same files (JSON byte for byte; images and PDFs too on
the same machine, as they depend on the CJK font found).
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhutui import appfile
from zhutui.demo.batch import build_batch
from zhutui.demo.data import Batch, DemoApp
from zhutui.errors import InputError
from zhutui.plans import Plan, get_plan

if TYPE_CHECKING:
    from zhutui.demo.faults import Planted

__all__ = ["DemoResult", "PlantedFault", "generate", "FAULTS_FILE"]

FAULTS_FILE = "预置错误清单.md"


@dataclass(frozen=True)
class PlantedFault:
    file: Path  # the application file (DIR/…/NN_name.json)
    code: str  # the rule code the check reports
    path: str  # the JSON path the check reports, e.g. patent.number, attachments[0].file
    description: str  # Chinese: what was done


@dataclass
class DemoResult:
    applications: list[Path] = field(default_factory=list)
    faults: list[PlantedFault] = field(default_factory=list)
    faults_file: Path | None = None


def generate(
    out_dir: Path, *, patents: int, projects: int, with_errors: bool, seed: int, plan_year: int = 2022
) -> DemoResult:
    """Write a demo batch into ``out_dir`` (which must not exist or be empty)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, None, "已有同名的文件。示例申报要生成到一个新的或空的文件夹，请换一个名称")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise InputError(
            out_dir,
            None,
            "这个文件夹不是空的。示例申报只生成到新的或空的文件夹，以免与已有申报混在一起，请换一个文件夹名",
        )
    if patents < 0 or projects < 0:
        raise ValueError("patents and projects must not be negative")
    plan = get_plan(plan_year)
    if plan is None:
        raise InputError(None, "--plan-year", f"没有{plan_year}年度的计划，请先用 zhutui plans new 创建")

    batch, planted = prepare(plan, patents=patents, projects=projects, with_errors=with_errors, seed=seed)
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        return _write(out_dir, batch, planted, with_errors, seed)
    except BaseException:  # never leave half a batch behind: the folder was empty before
        for child in list(out_dir.iterdir()):
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        if created:
            out_dir.rmdir()
        raise


def _write(out_dir: Path, batch: Batch, planted: list[Planted], with_errors: bool, seed: int) -> DemoResult:
    from zhutui.demo.files import Job, render_all
    from zhutui.demo.scans import Renderer, find_font

    jobs = [
        Job(spec, app, out_dir / app.folder / app.stem / spec.name)
        for app in batch.apps
        for spec in app.attachments
        if spec.variant != "removed"
    ]
    render_all(jobs, Renderer(find_font(), seed))
    result = DemoResult()
    for app in batch.apps:
        result.applications.append(_save(app, out_dir))
    for p in planted:
        result.faults.append(PlantedFault(out_dir / p.app.rel_json, p.code, resolve_path(p.path, p.app), p.description))
    if with_errors:
        result.faults_file = _write_faults(out_dir, result.faults, seed)
    return result


def prepare(plan: Plan, *, patents: int, projects: int, with_errors: bool, seed: int) -> tuple[Batch, list[Planted]]:
    """The batch's content and its planted faults, before any file is written."""
    from zhutui.demo.faults import plant_faults
    from zhutui.demo.faults_patent import ALL_FAULTS

    batch = build_batch(random.Random(seed), plan, patents, projects)
    planted = plant_faults(batch, random.Random(f"{seed}/faults"), ALL_FAULTS) if with_errors else []
    return batch, planted


def application_data(app: DemoApp) -> dict[str, Any]:
    """The application file's content (attachment paths relative to its folder)."""
    data = dict(app.data)
    data["attachments"] = [
        {"kind": spec.kind, "file": f"{app.stem}/{spec.name}", **({"title": spec.title} if spec.title else {})}
        for spec in app.attachments
        if spec.variant != "removed"
    ]
    return data


def _save(app: DemoApp, out_dir: Path) -> Path:
    path = out_dir / app.rel_json
    appfile.save(appfile.from_data(application_data(app), path))
    return path


def resolve_path(path: str, app: DemoApp) -> str:
    """``attachments[<kind>].file`` → ``attachments[<index>].file`` in the saved file."""
    kept = [spec.kind for spec in app.attachments if spec.variant != "removed"]
    return re.sub(r"attachments\[([a-z_]+)\]", lambda m: f"attachments[{kept.index(m.group(1))}]", path)


def _write_faults(out_dir: Path, faults: list[PlantedFault], seed: int) -> Path:
    lines = [
        "# 预置错误清单",
        "",
        f"本批示例申报（随机种子 {seed}）中有意预置了以下 {len(faults)} 处错误，每个检查代码一处，"
        "用于演示“检查”功能：运行 `zhutui check` 检查本文件夹，应能报出下表中的每一项。",
        "",
        "部分错误会连带产生其他提示（例如同一人申报两项时两份都会报出），表中只列出预置的那一处。",
        "",
        "| 文件 | 代码 | 字段 | 说明 |",
        "| --- | --- | --- | --- |",
    ]
    for f in faults:
        rel = f.file.relative_to(out_dir).as_posix()
        lines.append(f"| {rel} | {f.code} | `{f.path}` | {f.description.replace('|', '｜')} |")
    target = out_dir / FAULTS_FILE
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
