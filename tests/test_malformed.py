"""Malformed input is refused, never a crash: exit 2 naming the file (and the key), the rest of
the batch still checked; a file that passes ``check`` renders, in bounded memory."""

from __future__ import annotations

import copy
import json

import pytest

from tests.conftest import VALID_PATENT, make_scans, write_json
from zhutui import appfile, jsonsafe
from zhutui.errors import InputError
from zhutui.workspace.store import Workspace

BASE = json.dumps(VALID_PATENT, ensure_ascii=False)

UNREADABLE = {
    "nested 100,000 deep": (
        '{"form":"patent","plan_year":2022,"patent":' + "[" * 100_000 + "]" * 100_000 + "}",
        None,
        "嵌套的层数太多",
    ),
    "a 10,000-digit year": (BASE.replace('"plan_year": 2022', '"plan_year": ' + "9" * 10_000), None, "10000 位"),
    "a 10,000-digit amount": (
        BASE.replace('"applied_since": "2021-08-01"', '"applied_since": ' + "1" * 10_000),
        None,
        "10000 位",
    ),
    "NaN": (BASE.replace('"plan_year": 2022', '"plan_year": NaN'), None, "NaN"),
    "NUL escaped in a field": (BASE.replace("一种数控车床", "一种\\u0000数控车床"), "patent.title", "控制字符"),
    "a lone surrogate in a field": (BASE.replace("一种数控车床", "一种\\ud800数控车床"), "patent.title", "半个字符"),
    "a control character in a name": (BASE.replace('"李四"', '"李\\u001b四"'), "patent.inventors[1]", "控制字符"),
    "a control character in an attachment": (
        BASE.replace('"scans/cert.jpg"', '"scans/\\u0007cert.jpg"'),
        "attachments[0].file",
        "控制字符",
    ),
    "20,001 characters": (BASE.replace("一种数控车床", "长" * 20_001), "patent.title", "内容太长"),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_unreadable_files_are_refused_with_the_file_and_key(case, run, workdir):
    text, key, expected = UNREADABLE[case]
    bad = workdir / "坏.json"
    bad.write_text(text, encoding="utf-8")
    good = write_json(workdir, "好.json", copy.deepcopy(VALID_PATENT))
    for command in (["check", bad, good], ["render", bad, good, "--out", workdir / "打印"]):
        status, out, err = run(*command, "--today", "2022-10-10")
        assert status == 2, (case, err)
        assert str(bad) in err and expected in err and "内部错误" not in err
        if key:
            assert f"{bad}：{key}：" in err
        assert str(good) not in err  # the good file of the batch was read fine


def test_a_raw_nul_byte_is_a_json_error_at_its_place(run, workdir):
    bad = workdir / "坏.json"
    bad.write_bytes(BASE.replace("一种数控车床", "一种\x00数控车床").encode("utf-8"))
    status, _, err = run("check", bad)
    assert status == 2 and "第1行" in err and "控制字符" in err


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("patent.title", "很长的标题" * 600),  # 3,000 characters
        ("inventor.id_number", "1" * 1500),
        ("patent.grant_date", "2" * 1500),
        ("inventor.phone", "8" * 1500),
        ("unit_union.name", "工" * 3000),
        ("superior_union.name", "区" * 3000),
        ("patent.inventors", ["张三" * 800, "李四"]),
    ],
)
def test_runaway_values_check_as_errors_and_still_print_as_drafts(field, value, run, workdir):
    data = copy.deepcopy(VALID_PATENT)
    parent, leaf = field.rsplit(".", 1)
    data[parent][leaf] = value
    if field == "patent.inventors":
        data["inventor"]["name"] = value[0]
    path = write_json(workdir, "a.json", data)
    status, out, err = run("check", path, "--today", "2022-10-10")
    assert status == 1, err
    for command in ("render", "summary"):
        status, out, err = run(command, path, "--out", workdir / "打印", "--today", "2022-10-10")
        assert status == 1 and "内部错误" not in err, err
    status, out, err = run("package", path, "--out", workdir / "邮件", "--today", "2022-10-10", "--draft")
    assert status == 1 and "内部错误" not in err, err
    (form,) = (workdir / "打印").glob("附件1_*草稿.pdf")
    assert form.stat().st_size > 10_000


def test_the_same_problems_typed_into_the_workspace_are_shown_at_their_field(tmp_path, workdir):
    """The window saves what was typed; a value that can't be used becomes a problem at its key
    (the rest of the form is still checked), not a crash."""
    with Workspace(tmp_path / "ws") as ws:
        app_id = ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        ws.set_field(app_id, "patent.title", "一种\x00装置")
        ws.set_field(app_id, "inventor.post", "车\ud800工")
        app, problems = ws.application_lenient(app_id)
        assert {(p.key, p.message) for p in problems} == {
            ("patent.title", jsonsafe.text_problem("\x00")),
            ("inventor.post", jsonsafe.text_problem("\ud800")),
        }
        assert app.get("patent.number") == VALID_PATENT["patent"]["number"]
        with pytest.raises(InputError):
            ws.application(app_id)


def test_words_line_breaks_are_text(workdir):
    """A vertical tab or form feed is what Word's manual line break pastes as: a line break."""
    data = copy.deepcopy(VALID_PATENT)
    data["patent"]["application_summary"] = "第一行\v第二行\f第三行"
    app = appfile.load(write_json(workdir, "a.json", data))
    assert app.get("patent.application_summary") == "第一行\n第二行\n第三行"


def test_limits_are_generous_for_real_values():
    assert jsonsafe.parse('{"a": 123456789012345678}') == {"a": 123456789012345678}
    assert jsonsafe.text_problem("第一段\n\t第二段，含制表符和换行") is None
    assert jsonsafe.text_problem("长" * jsonsafe.MAX_TEXT) is None
    with pytest.raises(jsonsafe.JsonProblem):
        jsonsafe.parse('{"a": 1234567890123456789}')


def test_a_bundle_with_an_unreadable_application_is_refused(tmp_path, workdir, run):
    from zhutui.bundle.exchange import export_bundle

    make_scans(workdir)
    with Workspace(tmp_path / "src") as ws:
        app_id = ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        export_bundle(ws, [app_id], tmp_path / "好.zhutui", created_by="x")
    import zipfile

    with zipfile.ZipFile(tmp_path / "好.zhutui") as zf:
        names = zf.namelist()
        members = {n: zf.read(n) for n in names}
    manifest = json.loads(members["manifest.json"])
    members["applications/0001.json"] = b'{"form": "patent", "plan_year": ' + b"9" * 5000 + b"}"
    for entry in manifest["members"]:
        if entry["name"] == "applications/0001.json":
            import hashlib

            entry["size"] = len(members["applications/0001.json"])
            entry["sha256"] = hashlib.sha256(members["applications/0001.json"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "坏.zhutui", "w") as zf:
        for name in names:
            zf.writestr(name, members[name])
    status, out, err = run("bundle", "import", tmp_path / "坏.zhutui", "--into", tmp_path / "ws")
    assert status == 2 and "坏.zhutui" in err and "applications/0001.json" in err and "5000 位" in err


# --------------------------------------------------------------------------- PDFs and images


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def _image_pdf(data: bytes, image: bytes) -> bytes:
    """One page showing one image XObject: ``data`` with the dictionary entries ``image``."""
    return _pdf(
        [
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> >>",
            _stream(data, b"/Type /XObject /Subtype /Image /BitsPerComponent 8 " + image + b" "),
        ]
    )


HOSTILE_PDFS = {
    # (PDF, passes check?): a lying /Count is harmless once the tree itself is read
    "a /Count of a billion": (_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>", PAGE]), True),
    "a /Count larger than the pages": (_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 5 >>", PAGE]), True),
    "a page tree that loops": (_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>", PAGE]), False),
    "a loop through a child": (
        _pdf(
            [
                CATALOG,
                b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                PAGE,
                b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
            ]
        ),
        False,
    ),
    "one page 5,000 times": (
        _pdf([CATALOG, b"<< /Type /Pages /Kids [" + b" ".join([b"3 0 R"] * 5000) + b"] /Count 5000 >>", PAGE]),
        False,
    ),
    "a page that is a number": (_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"42"]), False),
    "a broken media box": (
        _pdf(
            [
                CATALOG,
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 (x) 842] >>",
            ]
        ),
        False,
    ),
    "damaged contents": (
        _pdf(
            [
                CATALOG,
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                _stream(b"x\x9c" + b"\x00garbage" * 10, b"/Filter /FlateDecode "),
            ]
        ),
        False,
    ),
    "a decompression bomb": (
        _pdf(
            [
                CATALOG,
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                _stream(__import__("zlib").compress(b"0" * 200_000_000, 9), b"/Filter /FlateDecode "),
            ]
        ),
        False,
    ),
    "an image of 40,000 × 40,000": (
        _image_pdf(b"\x00" * 10, b"/Width 40000 /Height 40000 /ColorSpace /DeviceGray"),
        False,
    ),
    # Found by bench/bench_fuzz.py: contents that read but don't parse passed check and then
    # failed render (exit 2, "检查之后被修改"): check parses them as printing does.
    "contents that don't parse": (
        _pdf(
            [
                CATALOG,
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                _stream(b"BI /W 10 /H 10 ID xx"),
            ]
        ),
        False,
    ),
    # Found by bench/bench_fuzz.py: images whose data is damaged pass the checks (their pixels are
    # within bounds) and must print as they are (pypdf raised while listing them, in any type).
    "an image with too little data": (_image_pdf(b"\x00" * 10, b"/Width 100 /Height 100 /ColorSpace /DeviceRGB"), True),
    "an image 0 pixels wide": (_image_pdf(b"\x00" * 10, b"/Width 0 /Height 100 /ColorSpace /DeviceGray"), True),
    "a truncated JPEG image": (
        _image_pdf(
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01",
            b"/Width 800 /Height 600 /ColorSpace /DeviceRGB /Filter /DCTDecode",
        ),
        True,
    ),
}


def _limited(limit_bytes: int):
    import resource

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


@pytest.mark.parametrize("case", HOSTILE_PDFS)
def test_a_pdf_that_passes_check_renders_and_one_that_does_not_is_named(case, workdir, tmp_path):
    """check and render read a PDF the same way; render runs under a 1.5 GB address-space limit
    (a PDF claiming a billion pages once took 4 GB)."""
    import os
    import subprocess
    import sys

    data, passes = HOSTILE_PDFS[case]
    (workdir / "scans" / "proof.pdf").write_bytes(data)
    path = write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT))
    env = dict(os.environ)
    results = {}
    for command in ("check", "render"):
        extra = ["--out", str(tmp_path / "打印")] if command == "render" else []
        proc = subprocess.run(
            [sys.executable, "-m", "zhutui", command, str(path), "--today", "2022-10-10", *extra],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            preexec_fn=_limited(1536 * 1024 * 1024),
        )
        results[command] = proc
        assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr, (case, proc.stderr)
    check, render = results["check"], results["render"]
    if passes:
        assert check.returncode == 0 and render.returncode == 0, (check.stdout, render.stderr)
    else:
        assert check.returncode == 1 and "A002 attachments[1].file" in check.stdout and "proof.pdf" in check.stdout
        assert render.returncode == 1 and "A002" in render.stderr  # a draft with the problem page


def test_big_bitmaps_are_refused_before_they_are_decoded_and_big_jpegs_print(workdir, run):
    """A PNG decodes whole (3 bytes a pixel); a JPEG decodes straight at the printed size."""
    from PIL import Image

    from zhutui.scans import MAX_DECODED_PIXELS, inspect_file

    side = int(MAX_DECODED_PIXELS**0.5) + 10
    Image.new("L", (side, side), 255).save(workdir / "scans" / "huge.png")
    info = inspect_file(workdir / "scans" / "huge.png")
    assert info.problem == "A002" and "像素过多" in info.detail and "JPEG" in info.detail
    Image.new("RGB", (9000, 9000), "white").save(workdir / "scans" / "huge.jpg", quality=50)
    assert inspect_file(workdir / "scans" / "huge.jpg").problem is None
    data = copy.deepcopy(VALID_PATENT)
    data["attachments"][0]["file"] = "scans/huge.jpg"
    status, _, err = run(
        "render", write_json(workdir, "a.json", data), "--out", workdir / "打印", "--today", "2022-10-10"
    )
    assert status == 0, err


def test_decoding_waits_for_its_share_of_the_pixel_budget():
    import threading

    from zhutui.outputs.images import PixelBudget

    budget = PixelBudget(100)
    inside, peak = [0], [0]
    lock = threading.Lock()

    def decode() -> None:
        with budget.take(60):
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            threading.Event().wait(0.02)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=decode) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1 and budget.used == 0  # two 60-pixel decodes never overlap in 100
    with budget.take(1000):  # larger than the whole budget: takes all of it, does not wait forever
        assert budget.used == 100


def test_an_application_file_over_a_megabyte_is_refused_unread(tmp_path, run):
    big = tmp_path / "大.json"
    big.write_bytes(b"{" + b" " * (2 * 1024 * 1024) + b"}")
    code, _, err = run("check", big)
    assert code == 2 and "超过 1 MB" in err and str(big) in err
