"""Load the YAML files of ``forms/`` with errors that name the file, the key and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from zhutui.errors import DefinitionError

# libyaml's loader when PyYAML was built with it (10× faster: the app reads forms and plans at
# start-up); the same safe constructors either way.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError(path, None, "文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(path, None, f"无法读取（{exc}）") from None
    try:
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError(path, where, f"YAML 格式错误：{problem}") from None


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


class Reader:
    """Typed access to one mapping of a definition file; every error names file and key.

    ``Reader(file, "sections[2]", mapping)`` checks that ``mapping`` is a dict; ``take`` reads
    keys with type checks, ``done`` fails on keys nobody read (typos must not vanish).
    """

    def __init__(self, file: Path, where: str, data: Any):
        self.file = file
        self.where = where
        if not isinstance(data, dict):
            raise self.error(None, f"应为映射（键: 值），现为 {type(data).__name__}")
        self.data = data
        self._seen: set[str] = set()

    def key(self, name: str | None) -> str:
        if not name:
            return self.where or "（根）"
        return f"{self.where}.{name}" if self.where else name

    def error(self, name: str | None, message: str) -> DefinitionError:
        return DefinitionError(self.file, self.key(name), message)

    def take(
        self,
        name: str,
        types: type | tuple[type, ...],
        *,
        required: bool = False,
        default: Any = None,
        nullable: bool = False,
    ) -> Any:
        self._seen.add(name)
        if name not in self.data or (self.data[name] is None and not nullable):
            if required:
                raise self.error(name, "缺少此项")
            return default
        value = self.data[name]
        if value is None:
            return None
        if isinstance(value, bool) and bool not in _as_tuple(types):
            raise self.error(name, f"类型错误：应为 {_names(types)}，现为 bool")
        if not isinstance(value, types):
            raise self.error(name, f"类型错误：应为 {_names(types)}，现为 {type(value).__name__}")
        return value

    def sub(self, name: str, value: Any) -> Reader:
        return Reader(self.file, self.key(name), value)

    def done(self) -> None:
        unknown = [k for k in self.data if k not in self._seen]
        if unknown:
            raise self.error(str(unknown[0]), "未知的键（拼写错误？）")


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _names(types: type | tuple[type, ...]) -> str:
    return " 或 ".join(t.__name__ for t in _as_tuple(types))
