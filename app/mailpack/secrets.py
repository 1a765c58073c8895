"""The mailbox's 授权码 (or password) in the system's secret store, never in a file.

Where no store exists every call raises ``NoSecretStore`` with a message for the user: the app
then asks for the code each time it sends and keeps it only in memory.
"""

from __future__ import annotations

from zhutui.secretstore import (  # noqa: F401
    BACKEND_MODULES,
    NO_STORE,
    PREFERRED_BACKENDS,
    NoSecretStore,
    backend,
    bundled_backends,
    delete_secret_of,
    get_secret_of,
    preferred_backend,
    set_secret_of,
    store_available,
)

SERVICE = "职工创新助推申报助手 SMTP"


def get_secret(account: str) -> str | None:
    """The stored 授权码 of ``account`` (an e-mail address), or None when none is stored."""
    return get_secret_of(SERVICE, account)


def set_secret(account: str, secret: str) -> None:
    set_secret_of(SERVICE, account, secret)


def delete_secret(account: str) -> None:
    delete_secret_of(SERVICE, account)
