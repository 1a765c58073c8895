"""Fuzz campaign: 10,000 malformed inputs through the ``zhutui`` command line, counted by exit status.

In-process, counts times --scale: 6,000 mutated application files through ``check``, 600 through ``render``, 1,000
applications with a mutated PDF attachment through ``check`` and ``render``, 2,000 mutated bundles through ``bundle
import``, 400 through ``restore`` into a one-application workspace (which must open after). The rule: exit 0, 1 or 2,
never 3, no traceback on stderr, under a 3 GB address-space limit. Failing inputs go under --keep; then exit status 1.

Run:  .venv/bin/python bench/bench_fuzz.py [--scale F] [--seed N] [--keep DIR] [--quick]
"""

import argparse
import contextlib
import copy
import hashlib
import io
import json
import os
import random
import resource
import shlex
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
import zlib
from collections import Counter
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
rl_config.invariant = 1  # PDFs without their time and a random id: the same seeds, so the same inputs, every run
GB, MB, TIMEOUT_S, TODAY, SEP = 1024**3, 1024**2, 120, ["--today", "2022-10-10"], "|"
WHEN = "2022-10-20T09:30:00+08:00"  # the seed bundles' times, and their uids fixed too
COUNTS = {"check": 6000, "render": 600, "pdf": 1000, "import": 2000, "restore": 400}  # in the order they run
PATHS = dict(zip(["1 check json", "2 render json", "3 pdf attachment", "4 import", "5 restore"], COUNTS, strict=True))
DEEP = "[" * 100_000 + "]" * 100_000
RAWS = [
    DEEP,
    '{"a":' * 30_000 + "1" + "}" * 30_000,
    "9" * 10_000,
    "-" + "1" * 5_000,
    "1" * 4301,
    '""',
    "[" + "{}," * 9_999 + "{}]",
    "[" + '"张三",' * 9_999 + '"张三"]',
    "{" + '"k":1,' * 9_999 + '"k":1}',
] + (
    "null|true|false|[]|{}|[1, 2]|[[[]]]|1000000000000000000|18446744073709551616|NaN|Infinity|-Infinity|1e999|"
    "-1e999|-0.0|1e-400|0.5|2022.0|-1|0|9223372036854775808|-9223372036854775809|1234567890123456789|[1, [2, [3]]]|"
    '{"": {"": null}}|" "|"\\t\\r\\n"|'
    r'"\ud800"|"a\udfffb"|"\udc00\ud800"|"x\u0000y"|"\u001b[31m\u0007"|'
    r'"\u0008\u000b\u000c\u007f"|"\u0085\u2028\u2029"|"\u202e\ufeff"|"\ud83d\ude00"'
).split(SEP)
TEXTS = ["长" * 3000, "x" * 100_000, "a" * 20_001, "王" * 40, "ZL" + "9" * 300] + (
    "二〇二二年|2022-13-45|2022-02-30|0000-00-00|9999-12-31|2022/10/10|20221010|2022-10-10T25:61:00|１２３|"
    "%s%n{0}{__class__}|<b>&amp;|NUL|CON|patent|project"
).split(SEP)
FILES = ["../" * 40 + "etc/passwd", "scans/" + "x" * 300 + ".pdf"] + (
    "/etc/passwd|/dev/zero|/proc/self/environ|../../x|scans|scans/|.||scans/missing.pdf|scans/cert.jpg|"
    r"scans/proof.pdf|scans\cert.jpg|C:\Windows\win.ini|\\server\share\a.pdf|file:///etc/passwd|scans/./cert.jpg|"
    "scans//proof.pdf"
).split(SEP)
NAMES = ["x" * 300, "applications/0001.json\x00"] + (
    r"../x|/abs|C:/x|a\b||a//b|./a|manifest.json|applications/../../x|applications/|applications/0001.json/|"
    "ａpplications/0001.json|applications/0002.json|settings.json|applications/0001/../0001.json"
).split(SEP)
KEYED = {
    "file": [json.dumps(f) for f in FILES],
    "name": [json.dumps(n) for n in NAMES],
    "original_names": [json.dumps(FILES), json.dumps(["a"] * 10_000)],
    "size": ["0", "-5", "1.5", '"12"', "9" * 5000, str(10**12)],
    "sha256": [json.dumps("0" * 64), '""', "7", '"A"'],
    "members": ["{}", '"x"', "[1]", "[" + "{}," * 99_999 + "{}]"],
}
TOKENS = [b"\x00", b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xc0\xaf", b"\xef\xbb\xbf", b"\r\n", b"PK\x03\x04"] + (
    b'{|}|[|]|"|,|:|\\|\\u|\\ud800|1e999|NaN|-|/*|obj|endobj| R |<<|>>|stream|endstream|9999999999|'
    b"/Count 1000000000|%%EOF|xref"
).split(SEP.encode())
SETTINGS = ["union", "plan_year", "mail_budget_mb", "output_dir", "consolidator", "mailbox", "window_geometry"]
FAMILIES = {"zipbytes": 24, "bomb": 3, "manifest": 32, "members": 10, "app": 16, "attachment": 6, "settings": 9}
PDF = {
    k.encode(): [o.encode("latin-1") for o in v.split(SEP)]
    for k, v in {  # a hand-made PDF's parts; 1st: sane
        "pages": "2 0 R|1 0 R|99 0 R|3 0 R|42",
        "count": "1|0|-1|5|1000000000|99999999999999999999999|(x)",
        "kids": "[3 0 R]|[3 0 R 2 0 R]|[2 0 R]|[4 0 R]|[99 0 R]|3 0 R|[]|[" + " 3 0 R" * 5000 + "]|" + "[" * 10_000,
        "box": "0 0 595 842|0 0 1e9 1e9|0 0 14400 14400|0 0 200000 200000|0 0 0 0|0 0 -595 842|0 0 (x) 842|1e308 0 0 1",
        "extra": "|/Rotate 45|/Rotate 900000000000|/UserUnit 75000|/Contents 3 0 R|/Resources 3 0 R",
        "image": "/Width 9 /Height 9|/Width 100000 /Height 100000|/Width 40000 /Height 40000|/Width 0 /Height 0|"
        "/Width -1 /Height (x)|/Width 9 /Height 9 /BitsPerComponent 99|/Width 9 /Height 9 /ColorSpace /DeviceRGB|"
        "/Width 2000000000 /Height 2000000000",
        "filter": "|/Filter /FlateDecode|/Filter /DCTDecode|/Filter /JPXDecode|/Filter /CCITTFaxDecode|/Filter /No",
        "pixels": "\x00" * 81 + "|\xff\xd8\xff\xe0garbage|BOMB",
        "cfilter": "|/Filter /FlateDecode",
        "content": "q 9 0 0 9 0 0 cm /Im0 Do Q|BT /F1 12 Tf 72 700 Td (x) Tj ET|x\x9c\x00garbage|BOMB|"
        + "q " * 100_000
        + "|"
        + "[" * 50_000,
        "page": "<< /Type /Page /Parent 2 0 R /MediaBox [%(box)s] /Resources << /XObject "
        "<< /Im0 5 0 R >> >> /Contents 6 0 R %(extra)s >>|42|<< /Type /Pages >>",
        "trailer": "|/Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /O <00> /U <00> /P -4 >>|/Encrypt 99 0 R|"
        "/Encrypt << /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -1 >>|/Encrypt <<>>|/Prev 9",
    }.items()
}
OBJECTS = [
    b"<< /Type /Catalog /Pages %(pages)s >>",
    b"<< /Type /Pages /Kids %(kids)s /Count %(count)s >>",
    b"%(page)s",
    b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
    b"<< /Type /XObject /Subtype /Image /ColorSpace "
    b"/DeviceGray /BitsPerComponent 8 %(image)s %(filter)s /Length %(plen)d >>\nstream\n%(pixels)s\nendstream",
    b"<< %(cfilter)s /Length %(clen)d >>\nstream\n%(content)s\nendstream",
]


def dump(obj, subs: dict[str, str], rng: random.Random | None = None) -> bytes:
    text = json.dumps(obj, ensure_ascii=bool(rng and rng.random() < 0.3), indent=rng.choice([None, 2]) if rng else None)
    for quoted, value in subs.items():
        text = text.replace(quoted, value)
    return text.encode("utf-8", "surrogatepass")


def hostile(rng: random.Random, key, old) -> str:
    """A hostile replacement for ``old`` at ``key``, as raw JSON (for a ``file``, mostly a hostile path)."""
    if (r := rng.random()) < 0.6 and key in KEYED:
        return rng.choice(KEYED[key])
    if r < 0.05 or (r < 0.2 and isinstance(old, int)):
        return rng.choice(KEYED["file"]) if r < 0.05 else str(rng.choice([old + 1, old - 1, -old, old * 10**6]))
    return json.dumps(rng.choice(TEXTS), ensure_ascii=r < 0.7) if 0.55 < r < 0.85 else rng.choice(RAWS)


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """Flipped bits and bytes, inserted tokens and junk, deleted, truncated and duplicated runs, re-encodings."""
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 3, 5])):
        i, j = rng.randrange(len(b) + 1), rng.randrange(len(b) + 1)
        if (op := rng.choices(range(8), (3, 2, 3, 2, 2, 1, 2, 0.4))[0]) < 2 and b:
            for k in rng.sample(range(len(b)), min(len(b), rng.randint(1, 8))):
                b[k] = b[k] ^ (1 << rng.randrange(8)) if op else rng.randrange(256)
        elif op in (2, 3):
            b[i:i] = rng.choice(TOKENS) if op == 2 else rng.randbytes(rng.randint(1, 16))
        elif op in (4, 5):
            del b[i : i + rng.randint(1, 64) if op == 4 else None]
        elif op == 6:
            b[j:j] = b[i : i + rng.randint(1, 4096)]
        elif op == 7:
            b = bytearray(
                rng.choice(
                    [
                        b"",
                        b" \n",
                        b"\x00" * 64,
                        b"\xef\xbb\xbf" + b,
                        rng.randbytes(200),
                        bytes(b).decode("utf-8", "replace").encode("utf-16"),
                    ]
                )
            )
    return bytes(b)


def mutate_json(rng: random.Random, data: dict) -> tuple[str, bytes]:
    """Byte damage to ``data``'s text ("bytes"), or ("struct") 1-3 of its values replaced by hostile ones or removed,
    list items repeated, unknown or duplicate keys added; raw JSON goes in through placeholders."""
    if (r := rng.random()) < 0.03:
        return "struct", rng.choice([DEEP, "[]", "null", "1", '"patent"', "[" * 500_000]).encode()
    if r < 0.4:
        return "bytes", mutate_bytes(rng, dump(data, {}, rng))
    data, subs = copy.deepcopy(data), {}

    def raw(text: str) -> str:  # a placeholder that dump() replaces by the raw JSON text
        subs[json.dumps(tag := f"@@{len(subs)}@@")] = text
        return tag

    def spots(node, out: list) -> list:  # every (container, key) pair below node
        for key in list(node if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else ()):
            spots(node[key], out).append((node, key))
        return out

    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if not (places := spots(data, [])):
            break
        (parent, key), op = rng.choice(places), rng.random()
        if op < 0.5:
            parent[key] = raw(hostile(rng, key, parent[key]))
        elif op < 0.65:
            del parent[key]
        elif op < 0.75 and isinstance(parent, list):
            parent[key:key] = [parent[key]] * rng.choice([1, 50, 3000])
        else:  # an unknown key, or a duplicate one (after the original)
            d = rng.choice([data] + [p[k] for p, k in places if isinstance(p[k], dict)])
            dup = rng.choice(list(d)) if d and op > 0.88 else None
            d[raw(json.dumps(dup) if dup else f'"x{len(subs)}"')] = raw(hostile(rng, dup, d.get(dup)))
    return "struct", dump(data, subs, rng)


def hostile_pdf(rng: random.Random, bomb: bytes) -> bytes:
    """Lying /Count, /Kids loops, broken or huge boxes, 100000 x 100000 images, bombs, encryption, a wrong xref."""
    p = {k: v[0] if rng.random() < 0.6 else rng.choice(v) for k, v in PDF.items()}
    p.update({k: bomb[:5000] if k == b"pixels" else bomb for k in (b"pixels", b"content") if p[k] == b"BOMB"})
    p.update({b"plen": len(p[b"pixels"]), b"clen": len(p[b"content"]), b"page": p[b"page"] % p})
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(OBJECTS, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, obj % p)
    return (
        out
        + b"xref\n0 7\n0000000000 65535 f \n"
        + b"".join(b"%010d 00000 n \n" % o for o in offsets)
        + (
            b"trailer\n<< /Size 7 /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n"
            % (p[b"trailer"], len(out) + (0 if rng.random() < 0.6 else rng.choice([1, -7, 100, -(10**6)])))
        )
    )  # startxref, or pointing elsewhere


def rezip(members: list[tuple[str, bytes]], manifest: bytes | dict) -> bytes:
    """A zip of ``members`` and the manifest: bytes as given, or a dict with the listed members' sizes and hashes."""
    if isinstance(manifest, dict):
        data = dict(members)
        for e in manifest["members"] if isinstance(manifest.get("members"), list) else []:
            if isinstance(e, dict) and isinstance(e.get("name"), str) and e["name"] in data:
                e["size"], e["sha256"] = len(data[e["name"]]), hashlib.sha256(data[e["name"]]).hexdigest()
        manifest = dump(manifest, {})
    with zipfile.ZipFile(buf := io.BytesIO(), "w") as zf:
        for name, data in [*members, ("manifest.json", manifest)]:
            zf.writestr(zipfile.ZipInfo(name, (2022, 10, 20, 9, 30, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


class Campaign:
    def __init__(self, work: Path, keep: Path, seed: int, imported: int):
        """Seeds: a valid patent and project with scans, bundles of them, a backup, a zip bomb, PDFs."""
        from tests import conftest
        from zhutui import cli, paths, private

        self.work, self.keep, self.seed, self.cli, self.c, self.failures = work, keep, seed, cli, conftest, []
        self.log, self.case, self.one = paths.log_dir() / private.ERROR_LOG, work / "case", work / "one.zhutui"
        self.name, self.kinds, self.imported = "", [], imported  # restore picks from the bundles import got
        from zhutui.bundle.backup import make_backup
        from zhutui.workspace.store import Workspace

        (c := self.c).make_scans(seed := self.work / "seed")
        pj, rj = c.write_json(seed, "patent.json", c.VALID_PATENT), c.write_json(seed, "project.json", c.VALID_PROJECT)
        for argv in (
            ["bundle", "export", pj, rj, "--out", seed / "two.zhutui"],
            ["bundle", "export", pj, "--out", self.one],
            ["bundle", "import", self.one, "--into", self.work / "template"],
        ):
            assert self.run(Counter(), "seed", argv, []) == 0, argv
        with Workspace(self.work / "template") as ws:
            ws.set_setting("union", {"unit_union.name": "北京精工机床有限公司工会"})
            backup = c.bundle_members(make_backup(ws, seed / "backups").path, ws)
            self.uids = sorted(r.uid for r in ws.records())
        self.settings, self.seeds, self.workspace = json.loads(backup["settings.json"]), [], Workspace
        for members in (c.bundle_members(seed / "two.zhutui"), backup):  # a handover and a backup
            manifest, listed = json.loads(members.pop("manifest.json")) | {"created_at": WHEN}, list(members.items())
            for k, entry in enumerate(manifest["applications"]):
                entry.update(uid=f"{k + 1:032x}", created_at=WHEN, updated_at=WHEN)
            self.seeds.append((rezip(listed, manifest), listed, manifest))
        zeros, manifest = bytes(300 * MB), copy.deepcopy(manifest)  # a 300 MB attachment; 200 MB of zeros in a PDF
        manifest["members"].append({"name": "applications/0001/03.pdf"})
        self.bomb = zlib.compress(memoryview(zeros)[: 200 * MB], 9)
        self.zip_bomb = rezip([*listed, ("applications/0001/03.pdf", zeros)], manifest)
        image = ImageReader(io.BytesIO((seed / "scans" / "cert.jpg").read_bytes()))  # by path: named from the temp path
        (pdf := canvas.Canvas(buf := io.BytesIO(), pageCompression=0)).drawImage(image, 0, 0)
        pdf.save()
        self.pdfs = [(seed / "scans" / "proof.pdf").read_bytes(), buf.getvalue(), b"", b"%PDF-"]

    def json_case(self, i: int) -> tuple[str, bytes]:
        rng = random.Random(f"{self.seed}-json-{i}")
        return mutate_json(rng, rng.choice([self.c.VALID_PATENT] * 2 + [self.c.VALID_PROJECT]))

    def pdf_case(self, rng: random.Random) -> bytes:
        if (r := rng.random()) < 0.45:
            return mutate_bytes(rng, rng.choice(self.pdfs))
        pdf = rng.choice(self.pdfs) if r > 0.95 else hostile_pdf(rng, self.bomb)
        return mutate_bytes(rng, pdf) if 0.85 < r <= 0.95 else pdf

    def bundle_case(self, i: int) -> tuple[str, bytes]:
        """Bundle ``i`` (the same for import and restore): a handover or a backup with one kind of damage."""
        rng = random.Random(f"{self.seed}-bundle-{i}")
        family = rng.choices(list(FAMILIES), FAMILIES.values())[0]  # settings: in a backup
        seed, members, manifest = self.seeds[1] if family == "settings" else rng.choice(self.seeds)
        members, manifest = list(members), copy.deepcopy(manifest)
        if family in ("zipbytes", "bomb"):
            data = seed if family == "zipbytes" else self.zip_bomb
            return family, mutate_bytes(rng, data) if family == "zipbytes" or rng.random() < 0.3 else data
        if family == "manifest":  # lies about sizes and hashes, bad or repeated names, missing keys, wrong types
            return family, rezip(members, mutate_json(rng, manifest)[1])
        if family == "members":  # a zip member missing, twice, unlisted, or listed (with its hash) under a bad name
            if (op := rng.randrange(4)) == 0:
                members.pop(rng.randrange(len(members)))
            else:
                members.append((name := rng.choice(members)[0] if op == 1 else rng.choice(NAMES), rng.randbytes(99)))
            manifest["members"] += [{"name": name}] if op == 3 else []
        elif family == "settings":  # wrong types at known keys, or damaged JSON
            data = mutate_json(rng, {**self.settings, **dict.fromkeys(rng.sample(SETTINGS, 3))})[1]
            members = [(n, data if n == "settings.json" else d) for n, d in members]
        else:  # the application or an attachment damaged, and hashed again: it reaches its reader
            k = rng.choice([k for k, (n, _) in enumerate(members) if n.endswith(".json") == (family == "app")])
            name, data = members[k]
            members[k] = (
                name,
                mutate_json(rng, json.loads(data))[1]
                if family == "app"
                else self.pdf_case(rng)
                if name.endswith(".pdf")
                else mutate_bytes(rng, data),
            )
        return family, rezip(members, manifest)  # sizes and hashes right: each damage reaches its reader

    def new_case(self) -> Path:
        shutil.rmtree(self.case, ignore_errors=True)
        return shutil.copytree(self.work / "seed" / "scans", self.case / "scans").parent  # the case folder

    def run(self, t: Counter, label: str, argv: list, named: list[Path], note: str = "") -> object:
        argv, out, err = [str(a) for a in argv], io.StringIO(), io.StringIO()
        log_at, _ = self.log.stat().st_size if self.log.exists() else 0, signal.alarm(TIMEOUT_S)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = self.cli.main(argv)
        except (Exception, SystemExit):  # out of the CLI's own last resort: a traceback
            status, _ = "raised", err.write(traceback.format_exc())
        finally:
            signal.alarm(0)
        t.update({"runs": 1, f"exit {status}": 1, "tracebacks": "Traceback" in (text := err.getvalue())})
        if "Traceback" in text or status not in (0, 1, 2):
            log = self.log.read_bytes()[log_at:].decode("utf-8", "replace") if self.log.exists() else ""
            self.save(label, f"exit {status}", argv, text + (f"\n--- error log:\n{log}" if log else ""), note)
        elif status == 2 and not any(str(p) in text for p in named):
            t["exit-2-unnamed"] += 1
            if t["exit-2-unnamed"] <= 5:
                self.save(label, "exit 2 not naming the input", argv, text, note, failure=False)
        return status

    def save(self, label: str, why: str, argv: list, text: str, note: str = "", failure: bool = True) -> None:
        dest = self.keep / ("" if failure else "exit-2-unnamed") / label
        shutil.copytree(self.case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("out"))
        command = shlex.join([sys.executable, "-m", "zhutui", *(str(a).replace(str(self.case), ".") for a in argv)])
        (dest / "command.txt").write_text(
            f"# {self.name}: {why}; in this folder\n{note}ZHUTUI_DATA_DIR=$(mktemp -d) {command}\n", "utf-8"
        )
        (dest / "stderr.txt").write_text(text, "utf-8", "backslashreplace")
        self.failures += [(self.name, f"{label} ({why}), saved in {dest}", text)] if failure else []

    def verify(self, t: Counter, label: str, folder: Path, uids: list[str] | None) -> None:  # given uids: just those
        try:
            with self.workspace(folder) as ws:
                found = sorted(r.uid for r in ws.records() if ws.application_lenient(r.id))
                ws.invalid_settings()
            assert uids is None or found == uids, f"the workspace holds {found}, not {uids}"
        except Exception:  # noqa: BLE001 - any failure is the finding
            t["verify-failed"] += 1
            self.save(f"{label}-verify", "workspace check failed", ["check", folder], traceback.format_exc())

    def path_check(self, t: Counter, n: int) -> None:
        rng, i = random.Random(f"{self.seed}-groups"), 0
        while i < n:
            size, case = 1 if rng.random() < 0.7 else min(rng.randint(2, 6), n - i), self.new_case()
            files = [case / f"c{k:05d}.json" for k in range(i, i + size)]
            for k, path in enumerate(files, i):
                self.kinds.append((mutated := self.json_case(k))[0])
                path.write_bytes(mutated[1])
            files += [self.c.write_json(case, "good.json", self.c.VALID_PATENT)] if rng.random() < 0.2 else []
            paths = [case] if size > 1 and rng.random() < 0.3 else files  # a batch: the files, or their folder
            status = self.run(t, f"json-{i:05d}", ["check", *paths, "--format", "json", *TODAY], files[:size])
            self.kinds[-size:] = [f"{kind} {status}" for kind in self.kinds[-size:]]  # 0 or 1: all of them loaded
            t["inputs"], i = t["inputs"] + size, i + size

    def path_render(self, t: Counter, n: int) -> None:
        rng = random.Random(f"{self.seed}-render")
        loaded = [k for k, kind in enumerate(self.kinds) if kind in ("struct 0", "struct 1")]  # these reach render
        picks = rng.sample(loaded, min(len(loaded), n - n // 7))  # and a seventh (at least) of any kind
        for k in sorted(picks + rng.sample(sorted(set(range(len(self.kinds))) - set(picks)), n - len(picks))):
            (path := self.new_case() / f"r{k:05d}.json").write_bytes(self.json_case(k)[1])
            self.run(t, f"render-{k:05d}", ["render", path, "--out", self.case / "out", *TODAY], [path])
            t["inputs"] += 1

    def path_pdf(self, t: Counter, n: int) -> None:
        for i in range(n):  # a new name each time: inspections are cached by path, size and time
            pdf, rng = self.new_case() / "scans" / f"p{i:05d}.pdf", random.Random(f"{self.seed}-pdf-{i}")
            pdf.write_bytes(self.pdf_case(rng))
            (app := copy.deepcopy(self.c.VALID_PATENT))["attachments"][1]["file"] = f"scans/{pdf.name}"
            path = self.c.write_json(self.case, "a.json", app)
            for command in (["check", path, "--format", "json"], ["render", path, "--out", self.case / "out"]):
                self.run(t, f"pdf-{i:05d}-{command[0]}", [*command, *TODAY], [path, pdf])
            t["inputs"] += 1

    def path_import(self, t: Counter, n: int) -> None:
        for i in range(n):
            (family, data), rng, case = self.bundle_case(i), random.Random(f"{self.seed}-import-{i}"), self.new_case()
            (bundle := case / "in.zhutui").write_bytes(data)
            label, extra = f"bundle-{i:05d}-{family}", [shutil.copy(self.one, case)] if rng.random() < 0.1 else []
            argv = ["bundle", "import", bundle, *extra, "--into", case / "ws", "--on-conflict", ("keep", "both")[i % 2]]
            if self.run(t, label, argv, [bundle]) == 2 and (case / "ws" / "workspace.db").exists():
                self.verify(t, label, case / "ws", [])  # refused (with a good one too, all of it): nothing written
            t.update({"inputs": 1, family: 1})

    def path_restore(self, t: Counter, n: int) -> None:
        note = "# first: rm -r ws (the state after the run); zhutui bundle import one.zhutui --into ws\n"
        for i in sorted(random.Random(f"{self.seed}-restore").sample(range(self.imported), min(n, self.imported))):
            (family, data), case, label = self.bundle_case(i), self.new_case(), f"restore-{i:05d}"
            (bundle := case / "in.zhutui").write_bytes(data)
            shutil.copy(self.one, case)
            shutil.copytree(self.work / "template", case / "ws")
            status = self.run(t, f"{label}-{family}", ["restore", bundle, "--into", case / "ws"], [bundle], note)
            self.verify(t, f"{label}-{family}", case / "ws", None if status == 0 else self.uids)
            t.update({"inputs": 1, family: 1})


def line(name: str, t: Counter, seconds: float) -> str:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    other = {k[5:]: v for k, v in t.items() if k.startswith("exit ") and k[5:] not in ("0", "1", "2", "3")}
    return (
        f"{name:<16} inputs {t['inputs']:>5}  runs {t['runs']:>5}  exit { ({s: t[f'exit {s}'] for s in range(4)}) }"
        f"  other {other or 0}  tracebacks {t['tracebacks']}  exit-2-unnamed {t['exit-2-unnamed']}  "
        f"verify-failed {t['verify-failed']}  wall {seconds:6.1f} s  peak RSS {peak:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every path's count (default 1.0)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: --scale 0.05")
    parser.add_argument("--seed", type=int, default=1, help="the same seed makes the same inputs (default 1)")
    parser.add_argument("--keep", type=Path, help="where failing inputs are saved (default: a new temporary folder)")
    args = parser.parse_args()
    n = {k: max(1, round(v * (0.05 if args.quick else args.scale))) for k, v in COUNTS.items()}
    resource.setrlimit(resource.RLIMIT_AS, (3 * GB, 3 * GB))

    def alarm(*_) -> None:
        raise TimeoutError(f"still running after {TIMEOUT_S} s")  # in the error log, with where it was

    signal.signal(signal.SIGALRM, alarm)
    warnings.filterwarnings("ignore", "Duplicate name")  # zipfile's, writing bundles with a name twice
    os.environ["ZHUTUI_DATA_DIR"] = str((work := Path(tempfile.mkdtemp(prefix="zhutui-fuzz-"))) / "data")
    from tests import conftest, keyring_file  # noqa: F401 - conftest installs the test secret store (workspace keys)

    (keep := args.keep or Path(tempfile.mkdtemp(prefix="zhutui-fuzz-keep-"))).mkdir(parents=True, exist_ok=True)
    tallies, started = [], time.perf_counter()
    try:
        campaign = Campaign(work, keep, args.seed, n["import"])
        for name, key in PATHS.items():
            campaign.name, t, start = name, Counter(), time.perf_counter()
            getattr(campaign, f"path_{key}")(t, n[key])
            tallies.append((name, t, time.perf_counter() - start))
            print(line(*tallies[-1]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(Path(os.environ[keyring_file.ENV]).parent, ignore_errors=True)
    total = ("total", sum((t for _, t, _ in tallies), Counter()), time.perf_counter() - started)
    print("\n".join(["", *(line(*x) for x in [*tallies, total]), f"bundles: { {f: total[1][f] for f in FAMILIES} }"]))
    for name, where, text in campaign.failures[:5]:
        print(f"\n--- {name}: {where}\n{text if len(text) < 3000 else text[:600] + ' [...] ' + text[-2400:]}")
    print(f"\n{len(campaign.failures)} failing inputs, saved in {keep}")
    return 1 if campaign.failures else 0


if __name__ == "__main__":
    sys.exit(main())
