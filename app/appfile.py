"""The application file (SPEC §4): strict load, normalisation, canonical save, 校验码.

Loading walks the JSON against the form definition: an unknown key, a value of the wrong JSON
type, a missing or unknown ``form`` / ``plan_year`` raise ``InputError`` naming the file and
the key. Field *contents* (an empty required field, an impossible date, a wrong check digit)
are not load errors: they load as typed, normalised, and the checks report them.

The canonical form orders keys as the form definition does, drops empty values, and is written
as UTF-8 JSON with ``ensure_ascii=False``; ``save(load(x))`` is idempotent.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhutui import confirmations, diskspace, formats, jsonsafe, rules
from zhutui import normalize as norm
from zhutui.errors import InputError
from zhutui.formdef import FieldDef, FormDef, all_forms
from zhutui.plans import Plan, load_plans

ATTACHMENT_KEYS = ("kind", "file", "title", "as_taken")  # as_taken: printed and mailed as photographed


@dataclass
class Application:
    """One loaded, normalised application: its form, its plan, its data and where it lives."""

    form: FormDef
    plan: Plan
    data: dict[str, Any]
    path: Path | None = None
    # The folder every attachment must lie in (default: the application file's own folder).
    files_root: Path | None = None
    app_id: int | None = None  # its id in the workspace it was read from (None: a file)
    # Not part of the file: what its patent certificate was read as (``zhutui.certfile``; field
    # key → value as the file stores it; None: not read), and the values filled in from that
    # reading, as filled (the workspace keeps both; P022 and P023 compare them).
    certificate: dict[str, Any] | None = None
    from_scan: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "（未保存的申报）"

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def get(self, key: str, default: Any = None) -> Any:
        return get_path(self.data, key, default)

    def attachment_file(self, entry: dict[str, Any]) -> Path | None:
        """The file an attachment entry names, or None when it names none or one outside
        ``files_root`` (an absolute path, ``..``, a link leading out): a file sent by someone
        else must never make the app read, print or mail a file of this computer."""
        file = entry.get("file")
        if not isinstance(file, str) or not file:
            return None
        root = os.path.realpath(self.files_root or self.base_dir)
        target = os.path.realpath(self.base_dir / file)
        try:
            inside = os.path.commonpath([root, target]) == root
        except ValueError:  # another drive on Windows
            inside = False
        return Path(target) if inside else None

    def canonical_json(self) -> str:
        return dumps(self.data)

    @property
    def check_code(self) -> str:
        """校验码: the first 8 hex characters of SHA-256 of the canonical JSON of what is printed
        (confirming a warning changes nothing on paper, so not the code either)."""
        printed = {k: v for k, v in self.data.items() if k != confirmations.KEY}
        return hashlib.sha256(dumps(printed).encode("utf-8")).hexdigest()[:8]


def get_path(data: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """The value at the dotted ``key`` (``studio.leader.name``) of application data, or ``default``."""
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return default
        node = node[part]
    return node


def remove_path(data: Any, key: str) -> bool:
    """Remove the value at a finding's path such as ``project.budget[2].amount``; True if found."""
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", key)]
    node = data
    for part in parts[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = parts[-1]
    try:
        if isinstance(node, list) and isinstance(last, int):
            node.pop(last)
        elif isinstance(node, dict) and last in node:
            del node[last]
        else:
            return False
    except IndexError:
        return False
    return True


def set_path(data: dict[str, Any], key: str, value: Any) -> None:
    """Set ``data[a][b]…`` for the dotted ``key``; an empty value removes it (and empty parents)."""
    *parents, leaf = key.split(".")
    chain = [data]
    for part in parents:
        node = chain[-1].get(part)
        if not isinstance(node, dict):
            if is_empty(value):
                return
            node = chain[-1][part] = {}
        chain.append(node)
    if is_empty(value):
        chain[-1].pop(leaf, None)
        for parent, part in zip(reversed(chain[:-1]), reversed(parents), strict=True):
            if not parent[part]:
                del parent[part]
    else:
        chain[-1][leaf] = value


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- loading


MAX_FILE = 1024**2  # bytes; a real application file is about 10 KB


def load(path: str | Path, plans: dict[int, Plan] | None = None, *, files_root: Path | None = None) -> Application:
    """Load one application file; ``plans`` (from ``load_plans()``) saves reloading them per file.
    ``files_root``: the folder its attachments must lie in (default: the file's own folder)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE + 1)
        if len(raw) > MAX_FILE:
            raise InputError(
                path, None, f"文件超过 {MAX_FILE // 1024 // 1024} MB，不是申报文件（申报文件一般约 10 KB）"
            )
    except FileNotFoundError:
        raise InputError(path, None, "文件不存在") from None
    except IsADirectoryError:
        raise InputError(path, None, "这是文件夹，不是申报文件") from None
    except OSError as exc:
        raise InputError(path, None, f"无法读取文件（{exc.strerror or exc}）") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, None, "文件不是 UTF-8 编码，请用本软件或支持 UTF-8 的编辑器另存") from None
    try:
        data = jsonsafe.parse(text)
    except jsonsafe.JsonProblem as exc:
        raise InputError(path, exc.where, exc.message) from None
    app = from_data(data, path, plans)
    app.files_root = files_root
    return app


def from_data(data: Any, path: Path | None = None, plans: dict[int, Plan] | None = None) -> Application:
    """Validate and normalise an application given as parsed JSON."""
    file = path if path is not None else "（申报数据）"
    if not isinstance(data, dict):
        raise InputError(file, None, "申报文件的内容应为 JSON 对象 { … }")
    form_name = data.get("form")
    definitions = all_forms()
    forms = tuple(definitions)
    if form_name is None:
        raise InputError(file, "form", f"缺少 form（表单类型：{' 或 '.join(forms)}）")
    if not isinstance(form_name, str) or form_name not in forms:
        shown = _shown(form_name) if isinstance(form_name, str) else _json_type(form_name)
        raise InputError(file, "form", f"未知的表单类型“{shown}”，应为 {' 或 '.join(forms)}")
    year = data.get("plan_year")
    if year is None:
        raise InputError(file, "plan_year", "缺少 plan_year（计划年度，如 2022）")
    if not isinstance(year, int) or isinstance(year, bool):
        raise InputError(file, "plan_year", f"类型错误：应为整数年份（如 2022），现为 {_json_type(year)}")
    plans = plans if plans is not None else load_plans()
    if year not in plans:
        known = "、".join(str(y) for y in plans)
        raise InputError(file, "plan_year", f"没有{year}年度的计划（现有：{known}）。新年度请先在“设置”中创建计划")
    form = definitions[form_name]
    out: dict[str, Any] = {"form": form_name, "plan_year": year}
    for key in data:
        if key not in ("form", "plan_year", "attachments", confirmations.KEY) and key not in form.object_keys:
            raise InputError(file, key, _unknown_key_message(key, form.object_keys))
    tree = form.field_tree
    for obj in form.object_keys:
        if obj in data and data[obj] is not None:
            value = _load_object(file, obj, data[obj], tree[obj])
            if value:
                out[obj] = value
    attachments = _load_attachments(file, data.get("attachments"))
    if attachments:
        out["attachments"] = attachments
    confirmed = confirmations.load(file, data.get(confirmations.KEY), rules.warning_codes())
    if confirmed:
        out[confirmations.KEY] = confirmed
    return Application(form=form, plan=plans[year], data=out, path=path)


def in_definition_order(form: FormDef, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (already normalised) with its keys in the order of the canonical form: the order
    loading gives (``form``, ``plan_year``, the form's objects and fields in definition order,
    ``attachments``, ``confirmed``), so that a value set in place keeps the 校验码 a load gives."""
    out: dict[str, Any] = {k: data[k] for k in ("form", "plan_year") if k in data}
    for obj in form.object_keys:
        if obj in data:
            out[obj] = _ordered(data[obj], form.field_tree[obj])
    for key in ("attachments", confirmations.KEY):
        if key in data:
            out[key] = data[key]
    return out


def _ordered(value: Any, node: Any) -> Any:
    if isinstance(node, dict):
        if not isinstance(value, dict):
            return value
        return {k: _ordered(value[k], spec) for k, spec in node.items() if k in value}
    if node.type == "table" and isinstance(value, list):
        columns = {c.key: c for c in node.columns}
        return [_ordered(row, columns) for row in value]
    return value


MAX_UNUSABLE_VALUES = 50


def from_data_leniently(
    data: dict[str, Any], path: Path | None = None, plans: dict[int, Plan] | None = None
) -> tuple[Application, list[InputError]]:
    """``from_data`` for what the user is still typing: a value that can't be used as it is
    (十万 typed as an amount) is left out and returned as a problem at its key, instead of
    failing the whole application. ``form`` and ``plan_year`` must be usable (else InputError)."""
    data = copy.deepcopy(data)
    problems: list[InputError] = []
    for _ in range(MAX_UNUSABLE_VALUES):
        try:
            return from_data(data, path, plans), problems
        except InputError as exc:
            if not exc.key or exc.key in ("form", "plan_year") or not remove_path(data, exc.key):
                raise
            problems.append(exc)
    raise InputError(path or "（申报数据）", None, "无法使用的内容太多，请逐项检查")


def normalise_field(
    form: FormDef, key: str, value: Any, file: Path | str = "（申报数据）"
) -> tuple[Any, list[InputError]]:
    """The field ``key`` of ``form`` as loading normalises it (None: empty), with the values in
    it that can't be used left out and returned as problems (``from_data_leniently`` for one
    field: what an edit costs)."""
    holder: dict[str, Any] = {}
    set_path(holder, key, copy.deepcopy(value))
    problems: list[InputError] = []
    spec = form.field(key)
    for _ in range(MAX_UNUSABLE_VALUES):
        raw = get_path(holder, key)
        try:
            loaded = _load_value(file, key, raw, spec)
            return (None if is_empty(loaded) else loaded), problems
        except InputError as exc:
            if not exc.key or not remove_path(holder, exc.key):
                raise
            problems.append(exc)
    raise InputError(file, key, "无法使用的内容太多，请逐项检查")


def _unknown_key_message(key: str, allowed: tuple[str, ...] | list[str]) -> str:
    return f"未知的键“{key}”（拼写错误？此处可用：{', '.join(allowed)}）"


def _load_object(file: Any, where: str, value: Any, node: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(file, where, f"类型错误：应为对象 {{ … }}，现为 {_json_type(value)}")
    for key in value:
        if key not in node:
            raise InputError(file, f"{where}.{key}", _unknown_key_message(key, list(node)))
    out: dict[str, Any] = {}
    for key, spec in node.items():  # definition order = canonical order
        if key not in value:
            continue
        path = f"{where}.{key}"
        if isinstance(spec, dict):
            loaded = _load_object(file, path, value[key], spec) if value[key] is not None else None
        else:
            loaded = _load_value(file, path, value[key], spec)
        if not is_empty(loaded):
            out[key] = loaded
    return out


def is_empty(value: Any) -> bool:
    """An empty value: dropped from the canonical form, and a required field left blank."""
    return value is None or value == "" or value == [] or value == {}


def _load_value(file: Any, path: str, value: Any, f: FieldDef) -> Any:
    if value is None:
        return None
    t = f.type
    if t in ("text", "longtext", "date", "choice") and isinstance(value, str):
        text = norm.clean_text(_checked_text(file, path, value))
        if t == "date":
            return norm.normalize_date(text)
        if t == "choice" and isinstance(f.choices[0].value, int):
            money = norm.normalize_money(text)
            return money if money is not None else text
        fmt = formats.get(f.format)
        return fmt.normalise(text) if fmt is not None else text
    if t == "choice" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if t == "money":
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            money = norm.normalize_money(value)
            if money is not None:
                return money
        shown = _shown(json.dumps(value, ensure_ascii=False))
        raise InputError(file, path, f"应为整数金额（元），如 200000，现为 {shown}")
    if t == "year":
        if isinstance(value, str) and norm.to_halfwidth(value.strip()).isdigit():
            return int(norm.to_halfwidth(value.strip()))
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise InputError(file, path, f"应为四位年份，如 2019，现为 {_json_type(value)}")
    if t == "bool":
        if isinstance(value, bool):
            return value
        raise InputError(file, path, f"类型错误：应为 true 或 false，现为 {_json_type(value)}")
    if t == "person_list":
        if not isinstance(value, list):
            raise InputError(file, path, f'类型错误：应为姓名列表 ["张三", "李四"]，现为 {_json_type(value)}')
        names = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise InputError(file, f"{path}[{i}]", f"类型错误：应为姓名文字，现为 {_json_type(item)}")
            names.append(norm.clean_name(_checked_text(file, f"{path}[{i}]", item)))
        return names
    if t == "table":
        if not isinstance(value, list):
            raise InputError(file, path, f"类型错误：应为列表 [ {{ … }}, … ]，现为 {_json_type(value)}")
        columns = {c.key: c for c in f.columns}
        return [_load_object(file, f"{path}[{i}]", row, columns) for i, row in enumerate(value)]
    expected = {"text": "文字", "longtext": "文字", "date": '日期文字，如 "2022-10-17"', "choice": "文字"}[t]
    raise InputError(file, path, f"类型错误：应为{expected}，现为 {_json_type(value)}")


def load_attachments(file: Any, value: Any) -> list[dict[str, Any]]:
    """The ``attachments`` list as loading reads it (texts cleaned, types checked)."""
    return _load_attachments(file, value)


def _load_attachments(file: Any, value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(file, "attachments", f"类型错误：应为列表 [ {{ … }}, … ]，现为 {_json_type(value)}")
    out = []
    for i, item in enumerate(value):
        where = f"attachments[{i}]"
        if not isinstance(item, dict):
            raise InputError(file, where, f'类型错误：应为对象 {{"kind": …, "file": …}}，现为 {_json_type(item)}')
        entry: dict[str, Any] = {}
        for key in item:
            if key not in ATTACHMENT_KEYS:
                raise InputError(file, f"{where}.{key}", _unknown_key_message(key, ATTACHMENT_KEYS))
        for key in ATTACHMENT_KEYS:
            v = item.get(key)
            if v is None:
                continue
            if key == "as_taken":  # true: its pages are not cleaned in the outputs
                if load_as_taken(file, f"{where}.{key}", v):
                    entry[key] = True
                continue
            if not isinstance(v, str):
                raise InputError(file, f"{where}.{key}", f"类型错误：应为文字，现为 {_json_type(v)}")
            v = _checked_text(file, f"{where}.{key}", v)
            v = norm.clean_text(v) if key != "file" else v.strip()
            if v:
                entry[key] = v
        out.append(entry)
    return out


def load_as_taken(file: Any, path: str, value: Any) -> bool:
    """An attachment's ``as_taken`` (absent: false); anything but true or false is refused
    (the hand-over bundles read it here too)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InputError(file, path, f"类型错误：应为 true 或 false，现为 {_json_type(value)}")
    return value


def _shown(text: str, limit: int = 40) -> str:
    """A value quoted in a message: a long one cut short."""
    return text if len(text) <= limit else text[:limit] + f"…（共{len(text)}字）"


def _checked_text(file: Any, path: str, value: str) -> str:
    problem = jsonsafe.text_problem(value)
    if problem:
        raise InputError(file, path, problem)
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"数字 {_shown(repr(value))}"
    if isinstance(value, str):
        return f"文字“{_shown(value)}”"
    if isinstance(value, list):
        return "列表"
    return "对象"


# --------------------------------------------------------------------------- saving


def save(app: Application, path: str | Path | None = None) -> Path:
    """Write the canonical JSON atomically (temp file, fsync, rename); returns the path."""
    target = Path(path) if path is not None else app.path
    if target is None:
        raise ValueError("no path to save to")
    write_atomic(target, app.canonical_json().encode("utf-8"))
    return target


def write_atomic(target: Path, payload: bytes) -> None:
    """Replace ``target`` with ``payload`` so that a crash leaves the old or the new file, whole.

    Raises ``InputError`` naming the file when the disk is full or the folder not writable.
    """
    write_all([(target, payload)])


def write_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every file, or none: each goes to a temporary name first (flushed to disk), and only
    when all are written are they renamed into place (renaming needs no space). A full disk half
    way leaves the old files as they were and no new one (a set of print PDFs never lacks its
    材料清单). Raises ``InputError`` naming the file and saying what to do."""
    written: list[tuple[str, Path]] = []
    target = files[0][0] if files else Path()
    try:
        for target, payload in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            written.append((tmp, target))
            os.chmod(tmp, _file_mode(target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
        while written:
            tmp, target = written[0]
            os.replace(tmp, target)
            written.pop(0)
    except OSError as exc:
        if diskspace.is_full(exc, target.parent):
            raise InputError(target, None, diskspace.full_message(target.parent) + "。原文件未改动") from None
        reason = exc.strerror or str(exc)
        hint = "；如该文件正在 Excel、WPS 或 PDF 阅读器中打开，请先关闭" if isinstance(exc, PermissionError) else ""
        message = f"无法保存（{reason}），原文件未改动。请检查磁盘空间和文件夹权限{hint}"
        raise InputError(target, None, message) from None
    finally:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)


def _file_mode(target: Path) -> int:
    """The replaced file's permissions, or the usual rw-r--r-- (mkstemp's own are owner-only)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o644
