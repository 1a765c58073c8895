"""App-wide constants and the one place that finds files: shipped data and user folders.

Shipped data (``forms/``, ``resources/``) is found by ``asset()`` alone, in each of the three
layouts the app runs from:

* an installed wheel (or a frozen bundle, which copies the wheel's layout under
  ``sys._MEIPASS``): inside the package, ``zhutui/forms`` and ``zhutui/resources``;
* a source checkout (plain or editable install): the repository's ``forms/`` and ``resources/``
  next to ``app/``, the folder the ``zhutui`` package is mapped to.

User data lives in platformdirs' user data folder (``%LOCALAPPDATA%\\zhutui\\zhutui`` on
Windows); ``ZHUTUI_DATA_DIR`` points it elsewhere (tests, development, portable use).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platformdirs.api import PlatformDirsABC

APP_NAME = "zhutui"
APP_AUTHOR = "zhutui"
APP_TITLE = "职工创新助推申报助手"
DATA_DIR_ENV = "ZHUTUI_DATA_DIR"

_PACKAGE_DIR = Path(__file__).resolve().parent
# A file each layout must have: proves that a candidate root is the app's data and not a
# stranger's ``forms`` folder.
_MARKER = Path("forms") / "rules.yaml"


def data_roots(package_dir: Path = _PACKAGE_DIR, frozen: str | None = None) -> list[Path]:
    """Where ``forms/`` and ``resources/`` may be, in order: a frozen bundle's package folder,
    the installed package, the checkout's root."""
    roots = []
    if frozen:
        roots.append(Path(frozen) / "zhutui")
    roots += [package_dir, package_dir.parent]
    return roots


@functools.cache
def _data_root() -> Path:
    roots = data_roots(frozen=getattr(sys, "_MEIPASS", None))
    for root in roots:
        if (root / _MARKER).is_file():
            return root
    # A broken installation: say where the files were looked for (developers and IT staff read it).
    from zhutui.errors import DefinitionError

    raise DefinitionError(
        None,
        None,
        "安装不完整：找不到表单定义 forms/rules.yaml（已查找："
        + "；".join(str(r) for r in roots)
        + "）。请重新安装职工创新助推申报助手。",
    )


def asset(*parts: str) -> Path:
    """A shipped file or folder: ``asset("forms", "plans")``, ``asset("resources", "styles", "app.qss")``."""
    if not parts or parts[0] not in ("forms", "resources"):
        raise ValueError(f"not a shipped folder: {parts!r}")
    return _data_root().joinpath(*parts)


FORMS_DIR_ENV = "ZHUTUI_FORMS_DIR"


def forms_dir() -> Path:
    """The form definitions, plans and rule catalogue: the shipped ``forms/``, or the folder
    ``ZHUTUI_FORMS_DIR`` names (a copy with forms of one's own: tests, trying a new form)."""
    override = os.environ.get(FORMS_DIR_ENV)
    return Path(override).expanduser() if override else asset("forms")


def resources_dir() -> Path:
    return asset("resources")


def user_data_dir() -> Path:
    """The user's data folder (not created here)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return platform_data_dir(sys.platform)


def platform_data_dir(platform: str) -> Path:
    """platformdirs' user data folder as it is on ``platform`` (``win32``, ``darwin``, ``linux``):
    on Windows ``%LOCALAPPDATA%\\zhutui\\zhutui`` (local, not roaming: a workspace of scans must
    not travel with a roaming profile)."""
    Dirs: type[PlatformDirsABC]
    if platform == "win32":
        from platformdirs.windows import Windows as Dirs
    elif platform == "darwin":
        from platformdirs.macos import MacOS as Dirs
    else:
        from platformdirs.unix import Unix as Dirs
    return Path(Dirs(APP_NAME, APP_AUTHOR).user_data_dir)


def user_plans_dir() -> Path:
    return user_data_dir() / "plans"


def log_dir() -> Path:
    return user_data_dir() / "logs"
