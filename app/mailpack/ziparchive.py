"""A .zip whose Chinese file names unpack right everywhere the receivers look at them.

Windows Explorer on Chinese Windows ignores the zip UTF-8 flag and reads names in the ANSI code
page (GBK, cp936); 7-Zip, WinRAR, Bandizip, 360压缩 and Info-ZIP's unzip read the Info-ZIP
Unicode Path extra field (0x7075) when its CRC matches the header's name. So each name is stored
as GBK without the UTF-8 flag, and the exact UTF-8 name rides along in 0x7075. A character GBK
lacks becomes "_" in the GBK name only.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

UNICODE_PATH = 0x7075
LEGACY_ENCODING = "gbk"


def legacy_name(name: str) -> bytes:
    """``name`` in GBK, each character GBK lacks replaced by "_"."""
    try:
        return name.encode(LEGACY_ENCODING)
    except UnicodeEncodeError:
        return b"".join(legacy_name(char) if len(name) > 1 else b"_" for char in name)


def unicode_path_field(header_name: bytes, name: str) -> bytes:
    """The 0x7075 extra field: version 1, CRC-32 of the header's name bytes, the UTF-8 name."""
    data = struct.pack("<BI", 1, zlib.crc32(header_name)) + name.encode("utf-8")
    return struct.pack("<HH", UNICODE_PATH, len(data)) + data


class _ChineseZipInfo(zipfile.ZipInfo):
    """A ZipInfo that writes its name as GBK (no UTF-8 flag) with the 0x7075 field."""

    def __init__(self, name: str, date_time: tuple[int, int, int, int, int, int]):
        super().__init__(name, date_time)
        self.legacy = legacy_name(self.filename)
        if not self.filename.isascii():
            self.extra = unicode_path_field(self.legacy, self.filename)

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's hook
        return self.legacy, self.flag_bits & ~0x800


def write_zip(
    target: Path,
    members: Iterable[tuple[str, Path]],
    date_time: tuple[int, int, int, int, int, int] = (2022, 1, 1, 0, 0, 0),
) -> Path:
    """Write ``target`` with each (name in the archive, file) deflated; names use "/" for folders.
    Written to a temporary name first and renamed, so a cancelled or failed run leaves no zip."""
    partial = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for name, source in members:
                info = _ChineseZipInfo(name, date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                large = source.stat().st_size > 2**31
                with open(source, "rb") as src, archive.open(info, "w", force_zip64=large) as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def read_names(path: Path) -> list[tuple[str, str | None]]:
    """Each member's name read as GBK (what Chinese Windows shows) and from its 0x7075 field
    (None when absent or when its CRC does not match the name), for checks and tests."""
    out = []
    with zipfile.ZipFile(path, metadata_encoding=LEGACY_ENCODING) as archive:
        for info in archive.infolist():
            header = info.filename.encode(LEGACY_ENCODING)
            out.append((info.filename, _unicode_path(info.extra, header)))
    return out


def _unicode_path(extra: bytes, header: bytes) -> str | None:
    pos = 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, pos)
        data = extra[pos + 4 : pos + 4 + size]
        if kind == UNICODE_PATH and size >= 5 and data[0] == 1:
            (crc,) = struct.unpack_from("<I", data, 1)
            return data[5:].decode("utf-8") if crc == zlib.crc32(header) else None
        pos += 4 + size
    return None
