"""What a mail package holds: its files, its messages and the run's result (``package``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line reads this module's constants without loading the checks
    from zhutui.checks import Finding

MB = 1024 * 1024
DEFAULT_BUDGET_MB = 35  # 163 takes about 50 MB per message and base64 adds a third (FACTS.md)


@dataclass
class PackageFile:
    name: str
    what: str  # for the mail body: 申报表（盖章扫描件，2页）
    size: int
    group: int  # 0: the batch's own files; n: the n-th application's
    form: str = ""  # the application's form ("patent", "project"); "" for the batch's own files
    pages: int = 0
    scanned_pages: int = 0
    scan_bytes: int = 0


@dataclass
class PackageMessage:
    eml: str  # file name in the package folder
    subject: str
    files: list[str]
    files_bytes: int
    size: int  # of the .eml


@dataclass
class PackageResult:
    findings: list[Finding]
    draft: bool
    folder: Path | None = None  # None: not packaged (error findings and no draft asked for)
    zip_path: Path | None = None
    files: list[PackageFile] = field(default_factory=list)
    messages: list[PackageMessage] = field(default_factory=list)
    budget: int = DEFAULT_BUDGET_MB * MB
    to: str | None = None
    notes: list[str] = field(default_factory=list)  # what the user should do before sending

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def scanned_pages(self) -> int:
        return sum(f.scanned_pages for f in self.files)

    @property
    def scan_bytes(self) -> int:
        return sum(f.scan_bytes for f in self.files)
