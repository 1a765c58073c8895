"""The system's secret store (Windows' Credential Manager, the macOS Keychain, the Secret
Service on Linux) through ``keyring``, for the app's secrets: the mailbox's 授权码
(``mailpack/secrets.py``) and the workspace key (``workspace/vault.py``). Where no store works
(a bare Linux, a locked or broken store) every call raises ``NoSecretStore``.
"""

from __future__ import annotations

import contextlib
import os
import sys

NO_STORE = "本机没有可用的系统密码保管库（钥匙串），授权码不会被保存：每次发送时需要重新输入。授权码不会写入任何文件。"


class NoSecretStore(Exception):
    """No usable secret store; ``str(exc)`` is the Chinese message for the user."""

    def __init__(self, detail: str = ""):
        super().__init__(NO_STORE)
        self.detail = detail


# The system's own store per platform: Windows' Credential Manager (keyring's WinVaultKeyring)
# and the macOS Keychain. keyring finds them through its entry points; a frozen bundle missing
# that metadata would silently get the fail backend (FACTS.md), so these are asked for by name
# then. Linux keeps keyring's own choice (Secret Service, KWallet, libsecret: whichever runs).
PREFERRED_BACKENDS = {
    "win32": "keyring.backends.Windows.WinVaultKeyring",
    "darwin": "keyring.backends.macOS.Keyring",
}


# Every backend module a platform of ours uses; the frozen bundle must carry all of them
# (installer/zhutui.spec's HIDDEN_IMPORTS, checked by tests/test_installer.py).
BACKEND_MODULES = (
    "keyring.backends.Windows",  # Windows: Credential Manager
    "keyring.backends.macOS",  # macOS: Keychain
    "keyring.backends.SecretService",  # Linux: GNOME Keyring, KeePassXC … over D-Bus
    "keyring.backends.libsecret",  # Linux: the same through libsecret
    "keyring.backends.kwallet",  # Linux: KDE Wallet
)


def bundled_backends() -> list[str]:
    """The backend modules that can be imported here (in a frozen bundle: that it carries)."""
    import importlib

    found = []
    for name in BACKEND_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - missing, or broken on this platform
            continue
        found.append(name.rsplit(".", 1)[1])
    return found


def preferred_backend(platform: str = sys.platform) -> str | None:
    return PREFERRED_BACKENDS.get(platform)


def backend(platform: str = sys.platform):
    """The keyring backend to use: keyring's choice, or the platform's store by name when
    keyring found none (``PYTHON_KEYRING_BACKEND`` always wins: it is keyring's own switch)."""
    import keyring
    from keyring.backends import fail

    chosen = keyring.get_keyring()
    wanted = preferred_backend(platform)
    if isinstance(chosen, fail.Keyring) and wanted and not os.environ.get("PYTHON_KEYRING_BACKEND"):
        from keyring.core import load_keyring

        with contextlib.suppress(Exception):  # not usable here either: keep the fail backend
            chosen = load_keyring(wanted)
    return chosen


def _call(name: str, *args):
    from keyring.errors import PasswordDeleteError

    try:
        return getattr(backend(), name)(*args)
    except PasswordDeleteError:
        return None  # nothing stored: nothing to forget
    except Exception as exc:  # noqa: BLE001 - KeyringError, and D-Bus, OS and backends' own errors
        raise NoSecretStore(type(exc).__name__) from None


def get_secret_of(service: str, account: str) -> str | None:
    """The secret stored for ``account`` under ``service``, or None when none is stored."""
    return _call("get_password", service, account)


def set_secret_of(service: str, account: str, secret: str) -> None:
    _call("set_password", service, account, secret)


def delete_secret_of(service: str, account: str) -> None:
    _call("delete_password", service, account)


def store_available() -> bool:
    """Whether a secret store can be used here (without touching any stored secret)."""
    from keyring.backends import fail

    try:
        return not isinstance(backend(), fail.Keyring)
    except Exception:  # noqa: BLE001 - a broken backend counts as none
        return False
