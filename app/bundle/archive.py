"""The ``.zhutui`` file: a zip with ``manifest.json`` listing every other member's SHA-256 and size.

Writing (``BundleWriter``) adds members and writes the manifest last, to a temporary name that is
renamed into place, so a half-written bundle never carries the final name.

Reading (``open_bundle``) trusts nothing in the file. Before anything is used it refuses, with a
``BundleError`` naming the file and the member: a file that is not a zip or is truncated, a
member name that is absolute, has a drive letter, a ``..`` or an empty part, a symbolic link, a
name that appears twice or is not listed in the manifest, a listed member that is missing, a
declared total over 2 GB or a member compressed more than 100:1, a manifest that is malformed or
from a newer format version, and (while every member is read through once) a size or hash that
differs from the manifest. Members are later read again through
``read_member``, which checks the hash again and never returns more than the manifest's size.

A bundle may have a password (``BundleWriter(password=…)``): every member, the manifest too, is
encrypted with WinZip AES-256 (``pyzipper``; 7-Zip opens it too); names stay visible (they name
no one). Reading needs one of ``open_bundle(passwords=…)``, else ``PasswordNeeded``; a bundle
with only some members encrypted, or with the old ZipCrypto, is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyzipper

from zhutui import __version__, diskspace, jsonsafe
from zhutui.bundle import SUFFIX  # noqa: F401 - callers import it from here too
from zhutui.errors import InputError
from zhutui.workspace.blobs import file_chunks

FORMAT = "zhutui-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_TOTAL = 2 * 1024**3  # bytes, all members uncompressed
MAX_RATIO = 100  # uncompressed : compressed, per member
MAX_MANIFEST = 32 * 1024**2
MAX_MEMBERS = 100_000
# Per bundle: a superior union's whole year is a few hundred applications with a few scans each.
MAX_APPLICATIONS = 2_000
MAX_ATTACHMENTS_PER_APPLICATION = 100
CHUNK = 1 << 20
# Already compressed: stored as they are (deflating them costs time and saves nothing).
STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".pdf", ".zip", ".gif", ".webp", ".heic", ".tif", ".tiff")
_DRIVE = re.compile(r"^[A-Za-z]:")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BundleError(InputError):
    """A bundle that is refused; nothing has been written."""

    def __init__(self, file: str | Path | None, member: str | None, message: str):
        super().__init__(file, member, message)


class PasswordNeeded(BundleError):
    """The bundle is protected by a password and none of those given opens it."""

    file: str  # always given

    def __init__(self, file: str | Path, wrong: bool):
        super().__init__(
            file,
            None,
            "密码不对，请重新输入（注意大小写）" if wrong else "这个交接包设有密码：请输入导出它的人告诉您的密码",
        )
        self.wrong = wrong


_BAD_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, pyzipper.BadZipFile, pyzipper.LargeZipFile)
KEY_HINT = "zhutui-key:"  # + the id of the workspace key a backup is sealed with, as the zip's comment
AES_METHOD = 99  # WinZip AES: the compression method zip readers see for an encrypted member


@dataclass(frozen=True)
class Member:
    name: str
    sha256: str
    size: int


@dataclass
class Bundle:
    """An opened, verified bundle. Use as a context manager (it holds the zip open)."""

    path: Path
    manifest: dict[str, Any]
    members: dict[str, Member]
    _zip: zipfile.ZipFile = field(repr=False)

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def read_member(self, name: str) -> bytes:
        """The member's bytes, checked again against the manifest's size and hash."""
        chunks = list(self.iter_member(name))
        return b"".join(chunks)

    def iter_member(self, name: str) -> Iterator[bytes]:
        member = self.members.get(name)
        if member is None:
            raise BundleError(self.path, name, "清单中没有这个文件")
        digest, size = hashlib.sha256(), 0
        for chunk in _read_capped(self.path, self._zip, name, member.size):
            digest.update(chunk)
            size += len(chunk)
            yield chunk
        if size != member.size or digest.hexdigest() != member.sha256:
            raise BundleError(self.path, name, "文件内容与清单不符（可能已损坏或被改动），未导入")


def check_member_name(name: Any) -> str | None:
    """Why ``name`` can't be a member name (in Chinese), or None when it is safe."""
    if not isinstance(name, str) or not name:
        return "文件名为空或不是文字"
    if "\x00" in name or any(ord(c) < 32 for c in name):
        return "文件名含控制字符"
    if name.startswith(("/", "\\")):
        return "文件名是绝对路径"
    if _DRIVE.match(name):
        return "文件名带盘符"
    if "\\" in name:
        return "文件名含反斜杠"
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "文件名含“..”或空的路径部分"
    return None


def open_bundle(
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    *,
    passwords: Sequence[bytes] = (),
    by_key: Callable[[str], bytes | None] | None = None,
) -> Bundle:
    """Open and verify ``path`` (see the module's docstring); raises ``BundleError``. A bundle
    that names the key it was sealed with (a backup: ``KEY_HINT``) is also tried with the
    password ``by_key`` gives for that key."""
    path = Path(path)
    zf = _open_zip(path)
    if not _encryption(path, zf):
        return _verified(path, zf, progress)
    hint = zf.comment.decode("ascii", "replace")
    zf.close()
    if by_key is not None and hint.startswith(KEY_HINT) and (own := by_key(hint[len(KEY_HINT) :])):
        passwords = [*passwords, own]
    for password in passwords:
        zf = _open_zip(path, password)
        try:
            return _verified(path, zf, progress)
        except _WrongPassword:
            continue
    raise PasswordNeeded(path, wrong=bool(passwords))


class _WrongPassword(BundleError):
    pass


def _encryption(path: Path, zf: zipfile.ZipFile) -> bool:
    """Whether the members are encrypted (all with AES; anything else is refused)."""
    if not any(info.flag_bits & 0x1 for info in zf.infolist()):
        return False
    for info in zf.infolist():
        if not info.flag_bits & 0x1 or info.compress_type != AES_METHOD:
            zf.close()
            raise BundleError(
                path,
                info.filename,
                "用了不安全的旧式 zip 加密，已拒绝" if info.flag_bits & 0x1 else "只有部分文件加密，已拒绝",
            )
    return True


def _verified(path: Path, zf: zipfile.ZipFile, progress) -> Bundle:
    try:
        manifest, members = _verify(path, zf, progress)
    except BaseException:
        zf.close()
        raise
    return Bundle(path, manifest, members, zf)


def _open_zip(path: Path, password: bytes | None = None) -> zipfile.ZipFile:
    try:
        if password is None:
            return zipfile.ZipFile(path)
        zf = pyzipper.AESZipFile(path)
        zf.setpassword(password)
        return zf
    except FileNotFoundError:
        raise BundleError(path, None, "文件不存在") from None
    except IsADirectoryError:
        raise BundleError(path, None, "这是文件夹，请选择 .zhutui 文件") from None
    except (*_BAD_ZIP, EOFError, ValueError, NotImplementedError):  # "zip file version 15.7"
        raise BundleError(
            path, None, "不是有效的交接包（.zhutui）：文件不完整或已损坏。请让对方重新导出后再发送"
        ) from None
    except OSError as exc:
        raise BundleError(path, None, f"无法读取（{exc.strerror or exc}）") from None


def _verify(path: Path, zf: zipfile.ZipFile, progress) -> tuple[dict[str, Any], dict[str, Member]]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BundleError(path, None, f"文件数超过 {MAX_MEMBERS} 个，不是本软件导出的交接包")
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        problem = check_member_name(name)
        if problem:
            raise BundleError(path, name, f"{problem}，可能是恶意文件，已拒绝")
        if name in names:
            raise BundleError(path, name, "同名文件出现了两次，已拒绝")
        names.add(name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise BundleError(path, name, "是符号链接，已拒绝")
        if info.is_dir():
            raise BundleError(path, name, "交接包中不应有文件夹条目，已拒绝")
        total += info.file_size
        if total > MAX_TOTAL:
            raise BundleError(path, None, "解压后超过 2 GB，已拒绝")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024:
            raise BundleError(path, name, f"压缩比超过 {MAX_RATIO}:1（疑似“压缩炸弹”），已拒绝")
    if MANIFEST not in names:
        raise BundleError(path, MANIFEST, "缺少清单文件，不是本软件导出的交接包")
    manifest = parse_manifest(path, _read_all(path, zf, MANIFEST, MAX_MANIFEST))
    members = {m.name: m for m in manifest_members(path, manifest)}
    for name in names - {MANIFEST}:
        if name not in members:
            raise BundleError(path, name, "不在清单中，已拒绝")
    for name in members:
        if name not in names:
            raise BundleError(path, name, "清单中的文件缺失，交接包不完整")
    done = 0
    grand = sum(m.size for m in members.values())
    for member in members.values():
        info = zf.getinfo(member.name)
        if info.file_size != member.size:
            raise BundleError(path, member.name, "文件大小与清单不符（可能已损坏或被改动），已拒绝")
        digest = hashlib.sha256()
        for chunk in _read_capped(path, zf, member.name, member.size):
            digest.update(chunk)
        if digest.hexdigest() != member.sha256:
            raise BundleError(path, member.name, "文件内容与清单不符（可能已损坏或被改动），已拒绝")
        done += member.size
        if progress:
            progress(done, grand)
    return manifest, members


def _read_capped(path: Path, zf: zipfile.ZipFile, name: str, size: int) -> Iterator[bytes]:
    """The member's bytes, failing rather than returning more than ``size``."""
    read = 0
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(min(CHUNK, size - read + 1)):
                read += len(chunk)
                if read > size:
                    raise BundleError(path, name, "文件比清单所写的大，已拒绝")
                yield chunk
    except BundleError:
        raise
    except RuntimeError as exc:
        if "password" in str(exc).lower():  # pyzipper: "Bad password for file …"
            raise _WrongPassword(path, name, "密码不对") from None
        raise BundleError(path, name, f"无法解压（{type(exc).__name__}）：文件不完整或已损坏") from None
    except (*_BAD_ZIP, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        raise BundleError(path, name, f"无法解压（{type(exc).__name__}）：文件不完整或已损坏") from None
    except OSError as exc:
        raise BundleError(path, name, f"无法读取（{exc.strerror or exc}）") from None


def _read_all(path: Path, zf: zipfile.ZipFile, name: str, cap: int) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > cap:
        raise BundleError(path, name, "清单文件过大，已拒绝")
    return b"".join(_read_capped(path, zf, name, info.file_size))


def parse_manifest(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        manifest = jsonsafe.parse(raw.decode("utf-8"))
    except (UnicodeDecodeError, jsonsafe.JsonProblem):
        raise BundleError(path, MANIFEST, "清单不是有效的 JSON，交接包已损坏") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(path, MANIFEST, "不是本软件的交接包（format 不符）")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError(path, "format_version", "清单中的格式版本无效")
    if version > FORMAT_VERSION:
        raise BundleError(
            path,
            "format_version",
            f"交接包由更新版本的本软件导出（格式 {version}，本软件只认到 {FORMAT_VERSION}）。请升级本软件后再导入",
        )
    for key in ("created_at", "created_by", "app_version", "purpose"):
        if not isinstance(manifest.get(key), str):
            raise BundleError(path, key, "清单缺少这一项或类型不对")
    return manifest


def manifest_members(path: Path, manifest: dict[str, Any]) -> list[Member]:
    raw = manifest.get("members")
    if not isinstance(raw, list):
        raise BundleError(path, "members", "清单缺少文件列表")
    out, seen = [], set()
    for i, item in enumerate(raw):
        where = f"members[{i}]"
        if not isinstance(item, dict):
            raise BundleError(path, where, "清单条目类型不对")
        name, sha, size = item.get("name"), item.get("sha256"), item.get("size")
        problem = check_member_name(name)
        if problem:
            raise BundleError(path, where, f"{problem}，可能是恶意文件，已拒绝")
        assert isinstance(name, str)  # check_member_name accepts nothing else
        if name == MANIFEST or name in seen:
            raise BundleError(path, where, "清单中的文件名重复")
        if not isinstance(sha, str) or not _SHA256.match(sha):
            raise BundleError(path, where, "清单中的 SHA-256 无效")
        if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_TOTAL:
            raise BundleError(path, where, "清单中的文件大小无效")
        seen.add(name)
        out.append(Member(name, sha, size))
    return out


class BundleWriter:
    """Writes a bundle to ``target``: ``add`` members, then ``finish(manifest)``; ``abort`` on failure."""

    def __init__(self, target: Path, password: bytes | None = None, key_id: str | None = None):
        self.target = Path(target)
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.target.parent, prefix=f".{self.target.name}.", suffix=".part")
            os.close(fd)
        except OSError as exc:
            raise InputError(self.target, None, diskspace.describe(exc, self.target.parent, "写入")) from None
        self.tmp = Path(tmp)
        if password:
            self.zip = pyzipper.AESZipFile(self.tmp, "w", allowZip64=True, encryption=pyzipper.WZ_AES)
            self.zip.setpassword(password)
            if key_id:
                self.zip.comment = (KEY_HINT + key_id).encode("ascii")
        else:
            self.zip = zipfile.ZipFile(self.tmp, "w", allowZip64=True)
        self._info = getattr(self.zip, "zipinfo_cls", zipfile.ZipInfo)
        self.members: list[dict[str, Any]] = []

    def add_bytes(self, name: str, data: bytes) -> None:
        self._add(name, [data])

    def add_file(self, name: str, source: Path) -> None:
        self._add(name, file_chunks(source))

    def _add(self, name: str, chunks) -> None:
        assert check_member_name(name) is None, name
        info = self._info(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        digest, size = hashlib.sha256(), 0
        try:
            with self.zip.open(info, "w", force_zip64=True) as out:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except OSError as exc:
            self.abort()
            raise InputError(self.target, name, diskspace.describe(exc, self.target.parent, "写入")) from None
        self.members.append({"name": name, "sha256": digest.hexdigest(), "size": size})

    def finish(self, manifest: dict[str, Any]) -> Path:
        body = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": __version__,
            **manifest,
            "members": self.members,
        }
        try:
            self.zip.writestr(
                self._info(MANIFEST, date_time=(1980, 1, 1, 0, 0, 0)),
                json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"),
                compress_type=zipfile.ZIP_DEFLATED,
            )
            self.zip.close()
            with open(self.tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(self.tmp, self.target)
        except OSError as exc:
            self.abort()
            raise InputError(self.target, None, diskspace.describe(exc, self.target.parent, "写入")) from None
        return self.target

    def abort(self) -> None:
        try:
            self.zip.close()
        except (OSError, ValueError):  # a member's write was cut short and left its handle open
            self.zip._writing = False  # zipfile's (and pyzipper's) own flag: close the file regardless
            with contextlib.suppress(OSError, ValueError):
                self.zip.close()
        self.tmp.unlink(missing_ok=True)
