"""App-wide constants and the one place that finds files: shipped resources and user folders.

Shipped data (``forms/``, ``resources/``) is found next to the package in a source checkout
and under ``sys._MEIPASS`` in a frozen build. User data lives in platformdirs' user data
folder; ``ZHUTUI_DATA_DIR`` points it elsewhere (tests, development, portable use).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "zhutui"
APP_AUTHOR = "zhutui"
APP_TITLE = "职工创新助推申报助手"
DATA_DIR_ENV = "ZHUTUI_DATA_DIR"


def install_root() -> Path:
    """The folder holding ``forms/`` and ``resources/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    return install_root() / "forms"


def resources_dir() -> Path:
    return install_root() / "resources"


def user_data_dir() -> Path:
    """The user's data folder (not created here)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def user_plans_dir() -> Path:
    return user_data_dir() / "plans"
