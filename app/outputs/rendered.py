"""One application's print PDF as made: what the 材料清单 lists and the mail package attaches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zhutui.appfile import Application


@dataclass(frozen=True)
class RenderedForm:
    app: Application
    path: Path
    pages: int  # all pages: the form and its attachments
    form_pages: int
    attachment_pages: int
