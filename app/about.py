"""What the 关于 dialog and ``zhutui about`` say: the version, where the data lives, the fonts the
PDFs embed, the secret store, and the libraries the app is built from with their licences.

Qt-free: the dialog shows these facts, IT staff read them with ``zhutui about`` (also in the
frozen bundle, where they prove that the data, the fonts and the keyring backends were found).
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib import metadata

from zhutui import __version__
from zhutui.errors import DefinitionError
from zhutui.formdef import all_forms
from zhutui.paths import APP_TITLE, forms_dir, log_dir, user_data_dir


@dataclass(frozen=True)
class Component:
    name: str
    distribution: str | None  # for the installed version; None: Python itself
    licence: str  # SPDX expression
    website: str
    role: str

    @property
    def version(self) -> str:
        if self.distribution is None:
            return platform.python_version()
        try:
            return metadata.version(self.distribution)
        except metadata.PackageNotFoundError:
            return "未安装"


# What the app ships (wheel dependencies, and everything the frozen bundle copies in).
COMPONENTS = (
    Component("Python", None, "PSF-2.0", "https://www.python.org", "运行环境"),
    Component("Qt / PySide6", "PySide6_Essentials", "LGPL-3.0-only", "https://www.qt.io", "窗口界面"),
    Component("PySide6 附加模块（QtPdf）", "PySide6_Addons", "LGPL-3.0-only", "https://www.qt.io", "PDF预览"),
    Component("ReportLab", "reportlab", "BSD-3-Clause", "https://www.reportlab.com", "生成PDF"),
    Component("pypdf", "pypdf", "BSD-3-Clause", "https://github.com/py-pdf/pypdf", "合并和读取PDF"),
    Component("Pillow", "pillow", "MIT-CMU", "https://python-pillow.org", "扫描件处理"),
    Component("openpyxl", "openpyxl", "MIT", "https://openpyxl.readthedocs.io", "汇总表（xlsx）"),
    Component("keyring", "keyring", "MIT", "https://github.com/jaraco/keyring", "系统密码保管库"),
    Component("platformdirs", "platformdirs", "MIT", "https://github.com/tox-dev/platformdirs", "数据文件夹"),
    Component("PyYAML", "PyYAML", "MIT", "https://pyyaml.org", "表单定义"),
    Component(
        "chinese-calendar", "chinesecalendar", "MIT", "https://github.com/LKI/chinese-calendar", "法定节假日和调休"
    ),
    Component("python-docx", "python-docx", "MIT", "https://github.com/python-openxml/python-docx", "Word版申报表"),
    Component("cryptography", "cryptography", "Apache-2.0 OR BSD-3-Clause", "https://cryptography.io", "加密保存"),
    Component(
        "RapidOCR（含 PP-OCR 模型）",
        "rapidocr",
        "Apache-2.0",
        "https://github.com/RapidAI/RapidOCR",
        "离线识别专利证书",
    ),
    Component("ONNX Runtime", "onnxruntime", "MIT", "https://onnxruntime.ai", "运行识别模型"),
    Component("pyclipper（Clipper）", "pyclipper", "MIT", "https://github.com/fonttools/pyclipper", "识别文字行"),
    Component("OpenCV", "opencv-python-headless", "Apache-2.0", "https://opencv.org", "照片转扫描件"),
    Component("NumPy", "numpy", "BSD-3-Clause", "https://numpy.org", "图像计算"),
)


def secret_store() -> tuple[str, list[str]]:
    """The keyring backend in use and every backend keyring found (by its entry points)."""
    try:
        from keyring.backend import get_all_keyring

        from zhutui.mailpack.secrets import backend

        current = backend()
        found = sorted({f"{type(b).__module__}.{type(b).__name__}" for b in get_all_keyring()})
        return f"{type(current).__module__}.{type(current).__name__}", found
    except Exception as exc:  # noqa: BLE001 - a broken keyring is reported, not raised
        return f"不可用（{type(exc).__name__}）", []


def fonts() -> dict[str, str]:
    """The font file of each PDF role, or the reason there is none."""
    from zhutui.fonts import FontError, find_fonts

    try:
        return {role: str(font.path) + (f"#{font.index}" if font.index else "") for role, font in find_fonts().items()}
    except FontError as exc:
        return {"song": exc.message}


def facts() -> list[tuple[str, str]]:
    """(label, value) lines for the dialog and ``zhutui about``."""
    from zhutui.mailpack.secrets import bundled_backends, store_available
    from zhutui.workspace.store import default_folder

    backend, found = secret_store()
    font_names = {"song": "宋体（正文）", "hei": "黑体（标题）", "fang": "仿宋（长文）"}
    lines = [
        ("版本", f"{APP_TITLE} {__version__}"),
        ("运行方式", "独立安装包" if getattr(sys, "frozen", False) else f"Python {platform.python_version()}"),
        ("数据文件夹", str(user_data_dir())),
        ("工作区", str(default_folder())),
        ("日志文件夹", str(log_dir())),
        ("表单定义", str(forms_dir())),
        ("表单", _forms()),
        *((f"PDF字体：{font_names.get(role, role)}", path) for role, path in fonts().items()),
        ("系统密码保管库", backend + ("（可用）" if store_available() else "（不可用：授权码不会被保存）")),
        ("可用的保管库后端", "、".join(found) or "无"),
        ("已包含的保管库后端", "、".join(bundled_backends()) or "无"),
    ]
    return lines


def _forms() -> str:
    """The forms of the forms folder, or why they can't be read (IT staff look here first)."""
    try:
        return "、".join(f"附件{f.attachment_no} {f.title}（{f.form}）" for f in all_forms().values())
    except DefinitionError as exc:
        return f"无法读取：{exc}"


def report() -> str:
    """Everything above as plain text (``zhutui about``, and 复制 in the dialog)."""
    lines = [f"{label}：{value}" for label, value in facts()]
    lines.append("")
    lines.append("使用的开源软件（名称、版本、许可证）：")
    lines += [f"  {c.name} {c.version}  {c.licence}  {c.website}" for c in COMPONENTS]
    lines.append(
        "PDF中嵌入的是本机已安装的中文字体（Windows 的宋体、黑体、仿宋，或 Linux 的文鼎、文泉驿字体），"
        "本程序不附带字体文件。"
    )
    return "\n".join(lines)
