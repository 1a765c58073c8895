"""The mailbox's 授权码 (or password) in the system's secret store, never in a file.

``keyring`` uses the Windows Credential Locker, the macOS Keychain or the Secret Service
(GNOME Keyring, KWallet) on Linux. Where none exists (a bare Linux, a locked or broken store)
every call raises ``NoSecretStore`` with a message for the user: the app then asks for the code
each time it sends and keeps it only in memory.
"""

from __future__ import annotations

SERVICE = "职工创新助推申报助手 SMTP"
NO_STORE = ("本机没有可用的系统密码保管库（钥匙串），授权码不会被保存：每次发送时需要重新输入。"
            "授权码不会写入任何文件。")


class NoSecretStore(Exception):
    """No usable secret store; ``str(exc)`` is the Chinese message for the user."""

    def __init__(self, detail: str = ""):
        super().__init__(NO_STORE)
        self.detail = detail


def _call(fn, *args):
    from keyring.errors import PasswordDeleteError

    try:
        return fn(*args)
    except PasswordDeleteError:
        return None  # nothing stored: nothing to forget
    except Exception as exc:  # noqa: BLE001 - KeyringError, and D-Bus, OS and backends' own errors
        raise NoSecretStore(type(exc).__name__) from None


def get_secret(account: str) -> str | None:
    """The stored 授权码 of ``account`` (an e-mail address), or None when none is stored."""
    import keyring

    return _call(keyring.get_password, SERVICE, account)


def set_secret(account: str, secret: str) -> None:
    import keyring

    _call(keyring.set_password, SERVICE, account, secret)


def delete_secret(account: str) -> None:
    import keyring

    _call(keyring.delete_password, SERVICE, account)


def store_available() -> bool:
    """Whether a secret store can be used here (without touching any stored secret)."""
    import keyring
    from keyring.backends import fail

    try:
        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # noqa: BLE001 - a broken backend counts as none
        return False
