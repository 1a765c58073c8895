"""Personal data at rest: the workspace's texts sealed with AES-256-GCM.

What is sealed: every application (``applications.data``: ID numbers, union card numbers,
phones), each attachment's original name and title (often a person's name) and every setting
value. Sealed text is ``enc1:`` + base64(nonce, ciphertext, tag), bound to its column (the
GCM associated data), so a value can't be moved to another column unnoticed. A value without
the prefix is plain text: a workspace from before this feature, or one whose user chose not to
encrypt; opening it with a key seals it (``Workspace`` does, then vacuums the file).

Where the key is, the workspace's ``vault`` table says (``mode``):

* ``keyring``: a random 256-bit key in the system's secret store (Windows' Credential Manager),
  under ``SERVICE`` and the workspace's ``key_id``; the default wherever a store works.
* ``passphrase``: derived from the user's passphrase with scrypt (salt in the table); asked at
  each start (``ZHUTUI_PASSPHRASE`` for the command line), checked against a sealed marker.
* ``plain``: the user chose no encryption; the app says so plainly on every start.
* ``temporary``: a key that lives only in this process (a checked bundle's temporary
  workspace, removed when the process ends).

No mode yet and no secret store (a bare Linux): nothing is sealed and ``Vault.warning`` says
so; the window asks the user to choose a passphrase or plain text. It never falls back silently.
Keys once had are kept for this process (``_KEYS``): the window's worker threads open their
own connections to the same workspace.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from zhutui.errors import InputError
from zhutui.secretstore import NoSecretStore  # noqa: F401 - callers catch vault.NoSecretStore

SERVICE = "职工创新助推申报助手 工作区密钥"
PREFIX = "enc1:"
PASSPHRASE_ENV = "ZHUTUI_PASSPHRASE"
KEYRING, PASSPHRASE, PLAIN, TEMPORARY = "keyring", "passphrase", "plain", "temporary"
MODES = (KEYRING, PASSPHRASE, PLAIN, TEMPORARY)
MIN_PASSPHRASE = 8
_SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024**2}
_CHECK = "zhutui-vault-check"
_KEYS: dict[str, bytes] = {}  # key_id -> key, for this process
_UNPROTECTED: dict[str, str] = {}  # workspace folder -> its warning, for the command line to say

UNPROTECTED = (
    "本机没有可用的系统凭据管理器，工作区中的身份证号、工会会员卡号和电话未加密保存。"
    "请在“设置 → 个人信息保护”中设置口令加密，或确认不加密保存"
)
PLAIN_WARNING = (
    "工作区中的身份证号、工会会员卡号和电话未加密保存（您选择了不加密）。可在“设置 → 个人信息保护”中改为加密"
)


class VaultLocked(InputError):
    """The workspace is encrypted and its key can't be had here; nothing was changed."""


class NeedPassphrase(VaultLocked):
    """The workspace is protected by a passphrase and none was given."""


@dataclass(frozen=True)
class Vault:
    mode: str | None  # None: not chosen (no secret store here): nothing sealed, ``warning`` says so
    key_id: str | None = None
    key: bytes | None = None

    @property
    def sealing(self) -> bool:
        return self.key is not None

    @property
    def warning(self) -> str | None:
        """What the user must be told about this workspace's protection (None: it is encrypted)."""
        if self.mode is None:
            return UNPROTECTED
        if self.mode == PLAIN:
            return PLAIN_WARNING
        return None

    def seal(self, text: str, column: str) -> str:
        if self.key is None:
            return text
        nonce = secrets.token_bytes(12)
        body = _aead(self.key).encrypt(nonce, text.encode("utf-8", "surrogatepass"), column.encode())
        return PREFIX + base64.b64encode(nonce + body).decode("ascii")

    def unseal(self, stored: str, column: str, where: Path) -> str:
        if not stored.startswith(PREFIX):
            return stored
        if self.key is None:
            raise VaultLocked(
                where, None, "工作区中有加密的内容，但没有它的密钥：请用加密它的方式（系统凭据管理器或口令）打开"
            )
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.b64decode(stored[len(PREFIX) :], validate=True)
            return _aead(self.key).decrypt(raw[:12], raw[12:], column.encode()).decode("utf-8", "surrogatepass")
        except (ValueError, binascii.Error, InvalidTag):
            raise InputError(where, None, "工作区中的一项加密内容已损坏，无法解密。请从备份恢复") from None

    def bundle_password(self) -> bytes | None:
        """The password of this workspace's own backups (derived from the key; None: plain)."""
        if self.key is None or self.mode == TEMPORARY:
            return None
        return _backup_password(self.key)


@functools.lru_cache(maxsize=8)
def _aead(key: bytes):
    """AES-256-GCM with ``key`` (``cryptography``: one object a key, a few µs a value)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def _backup_password(key: bytes) -> bytes:
    return hmac.new(key, b"zhutui backup v1", hashlib.sha256).hexdigest().encode("ascii")


def backup_password_of(key_id: str) -> bytes | None:
    """The backup password of the workspace key ``key_id`` when this process or the secret
    store has that key (a backup of a workspace since replaced or removed), else None."""
    key = _KEYS.get(key_id)
    if key is None:
        try:
            key = _keyring_key(key_id, Path(key_id))
        except VaultLocked:  # not in the store (another user's backup), or no store here
            return None
    return _backup_password(key)


def process_keys() -> dict[str, bytes]:
    """The workspace keys this process has (for a child process it starts: ``background``)."""
    return dict(_KEYS)


def take_keys(keys: dict[str, bytes]) -> None:
    _KEYS.update({k: v for k, v in keys.items() if isinstance(k, str) and isinstance(v, bytes)})


def note_opened(folder: Path, vault: Vault) -> None:
    if vault.warning:
        _UNPROTECTED[str(folder)] = vault.warning
    else:
        _UNPROTECTED.pop(str(folder), None)


def unprotected_seen() -> dict[str, str]:
    """The workspaces opened since the last call whose personal data is not encrypted (each
    command of the command line says it once for what it used)."""
    seen = dict(_UNPROTECTED)
    _UNPROTECTED.clear()
    return seen


# ----------------------------------------------------------------------------- the table


def config(con: sqlite3.Connection) -> dict[str, str]:
    return dict(con.execute("SELECT name, value FROM vault"))


def _write_config(con: sqlite3.Connection, values: dict[str, str]) -> None:
    con.execute("DELETE FROM vault")
    con.executemany("INSERT INTO vault (name, value) VALUES (?, ?)", sorted(values.items()))


def open_vault(con: sqlite3.Connection, where: Path, *, passphrase: str | None = None) -> Vault:
    """The vault of the open database ``con`` (at ``where``, for messages); raises
    ``VaultLocked`` / ``NeedPassphrase`` when the key can't be had. No mode yet: ``Vault(None)``
    (the caller decides, see ``choose_default``)."""
    cfg = config(con)
    mode, key_id = cfg.get("mode"), cfg.get("key_id", "")
    if mode is None:
        return Vault(None)
    if mode not in MODES:
        raise VaultLocked(where, None, "工作区的加密设置无法识别（可能由更新版本的本软件写入）。请升级软件后再打开")
    if mode == PLAIN:
        return Vault(PLAIN)
    key = _KEYS.get(key_id)
    if key is None and mode == KEYRING:
        key = _keyring_key(key_id, where)
    elif key is None and mode == PASSPHRASE:
        given = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
        if not given:
            raise NeedPassphrase(
                where, None, f"工作区已用口令加密：请输入口令（命令行：设置环境变量 {PASSPHRASE_ENV}）"
            )
        key = derive(given, bytes.fromhex(cfg.get("salt", "")))
    elif key is None:
        raise VaultLocked(where, None, "这是另一个程序的临时工作区，其密钥已随该程序结束而丢弃")
    vault = Vault(mode, key_id, key)
    if not _check_ok(vault, cfg.get("check", ""), where):
        if mode == PASSPHRASE:
            raise NeedPassphrase(where, None, "口令不对，请重新输入（注意大小写和输入法）")
        raise VaultLocked(where, None, "系统凭据管理器中的工作区密钥与工作区不符。请从备份恢复，或联系技术支持")
    _KEYS[key_id] = key
    return vault


def _check_ok(vault: Vault, check: str, where: Path) -> bool:
    try:
        return vault.unseal(check, "check", where) == _CHECK
    except InputError:
        return False


def choose_default(temporary: bool = False) -> str | None:
    """The mode for a workspace that has none: ``temporary`` for throw-away workspaces, the
    secret store when there is one, otherwise None (the user must choose)."""
    if temporary:
        return TEMPORARY
    from zhutui.secretstore import store_available

    return KEYRING if store_available() else None


def make(con: sqlite3.Connection, mode: str | None, *, passphrase: str | None = None) -> Vault:
    """Give the database ``con`` a new key of ``mode`` (None: no choice made, nothing sealed).
    Writes the table inside the caller's transaction; the caller seals what is stored."""
    if mode is None:
        cfg, vault = {}, Vault(None)
    elif mode == PLAIN:
        cfg, vault = {"mode": PLAIN}, Vault(PLAIN)
    elif mode == PASSPHRASE:
        if not passphrase or len(passphrase) < MIN_PASSPHRASE:
            raise ValueError(f"a passphrase of at least {MIN_PASSPHRASE} characters is needed")
        salt = secrets.token_bytes(16)
        vault = Vault(PASSPHRASE, uuid.uuid4().hex, derive(passphrase, salt))
        cfg = {"mode": PASSPHRASE, "salt": salt.hex()}
    elif mode in (KEYRING, TEMPORARY):
        vault = Vault(mode, uuid.uuid4().hex, secrets.token_bytes(32))
        if mode == KEYRING:
            _store_key(vault)
        cfg = {"mode": mode}
    else:
        raise ValueError(mode)
    if vault.key_id and vault.key:
        cfg["key_id"] = vault.key_id
        cfg["check"] = vault.seal(_CHECK, "check")
        _KEYS[vault.key_id] = vault.key
    _write_config(con, cfg)
    return vault


def adopt(con: sqlite3.Connection, cfg: dict[str, str], other: Vault) -> Vault:
    """Give the database ``con`` the vault table ``cfg`` of the workspace whose vault is
    ``other`` (the same key: a workspace rebuilt to replace that one, by a restore)."""
    _write_config(con, cfg)
    return other


def derive(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)


# ----------------------------------------------------------------------------- the store


def _store_key(vault: Vault) -> None:
    from zhutui import secretstore as store

    encoded = base64.b64encode(vault.key or b"").decode("ascii")
    store.set_secret_of(SERVICE, vault.key_id or "", encoded)
    if store.get_secret_of(SERVICE, vault.key_id or "") != encoded:  # a store that doesn't keep it
        raise store.NoSecretStore("the stored key did not read back")


def _keyring_key(key_id: str, where: Path) -> bytes:
    from zhutui import secretstore as store

    try:
        encoded = store.get_secret_of(SERVICE, key_id)
    except store.NoSecretStore:
        raise VaultLocked(
            where,
            None,
            "工作区的个人信息已加密，密钥保存在系统凭据管理器中，但现在无法使用凭据管理器。"
            "请用平时的 Windows 账户登录后重新打开本软件",
        ) from None
    if not encoded:
        raise VaultLocked(
            where,
            None,
            "工作区的个人信息已加密，但系统凭据管理器中找不到它的密钥"
            "（可能换了电脑或 Windows 账户）。请在原来的电脑上导出交接包，或从交接包恢复",
        )
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise VaultLocked(where, None, "系统凭据管理器中的工作区密钥已损坏。请从交接包恢复，或联系技术支持") from None
