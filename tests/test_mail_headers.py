"""Mail headers of the package's drafts (issue 18, point 8): From, Date and Message-ID on every
draft; encoded-words of at most 75 characters, header lines folded; each attachment name decoded
in one piece by Python's email (both policies), ripmime and mutt; the body names the sender's
contact."""

from __future__ import annotations

import email
import re
import shutil
import subprocess
import time
from email import policy
from pathlib import Path

import pytest

from zhutui.mailpack import eml

WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=")
LONG_NAME = "一二三四五六七八九十" * 3 + ".pdf"  # two words: the splitting is decoded as one name too


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """A demo batch's mail package, sent from a configured mailbox, with the sender's contact."""
    from zhutui import cli

    root = tmp_path_factory.mktemp("mailheaders")
    assert cli.main(["demo", str(root / "batch"), "--patents", "2", "--projects", "1"]) == 0
    status = cli.main(
        [
            "package",
            str(root / "batch"),
            "--out",
            str(root / "out"),
            "--today",
            "2022-10-20",
            "--from",
            "gonghui@163.com",
            "--contact",
            "赵敏",
            "--phone",
            "010-83570885",
        ]
    )
    assert status == 0
    folder = next(p for p in (root / "out").iterdir() if p.is_dir())
    return folder, next(folder.glob("*.eml"))


def _head(raw: bytes) -> list[str]:
    return raw.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")


def _part_heads(raw: bytes) -> list[str]:
    """Every header line of the message and of its parts."""
    lines = []
    for block in re.split(rb"\r\n--=+[0-9]+==(?:--)?\r\n", raw):
        head = block.split(b"\r\n\r\n", 1)[0]
        if b":" in head.split(b"\r\n", 1)[0]:
            lines += head.decode("ascii").split("\r\n")
    return lines


def test_every_draft_has_from_date_and_message_id(package):
    folder, path = package
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["From"].addresses[0].addr_spec == "gonghui@163.com"
    assert message["From"].addresses[0].display_name.replace(" ", "") == folder.name.split("_")[1]
    assert message["Date"].datetime is not None
    assert re.fullmatch(r"<[^<>@\s]+@163\.com>", message["Message-ID"])
    assert message["X-Unsent"] == "1" and message["To"] == "jscxfwb@163.com"
    assert message["Subject"].startswith("【2022年职工创新助推】") and message["Subject"].endswith("创新项目1项")


def test_encoded_words_are_short_and_lines_folded(package):
    _, path = package
    raw = path.read_bytes()
    lines = _part_heads(raw)
    assert any(line.startswith(" filename=") for line in lines)  # parameters on a line of their own
    for line in lines:
        assert len(line) <= 998
        for word in WORD.findall(line):
            assert len(word) <= 75, word
        if WORD.search(line) and not line.startswith((" name=", " filename=")):
            assert len(line) <= 76, line  # RFC 2047 §2 (an attachment's name is kept in one word)


def _expected_names(folder: Path, raw: bytes) -> list[str]:
    message = email.message_from_bytes(raw, policy=policy.default)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert set(names) <= {p.name for p in folder.iterdir()}
    return names


def test_python_decodes_every_name_in_one_piece(package):
    folder, path = package
    raw = path.read_bytes()
    names = _expected_names(folder, raw)
    old = email.message_from_bytes(raw)  # compat32, as most tools still read
    assert [eml.attachment_name(p) for p in old.walk() if p.get_filename()] == names


def test_a_long_name_is_split_between_characters_and_read_as_one():
    words = eml.encoded_words(LONG_NAME)
    assert len(words) == 2 and all(len(w) <= 75 for w in words)
    part = eml.attachment_part(LONG_NAME, b"%PDF")
    assert email.message_from_bytes(part.as_bytes(), policy=policy.default).get_filename() == LONG_NAME
    # 20 Chinese characters are one GB18030 word (in UTF-8 they would not be: 92 characters).
    assert len(eml.encoded_words("一二三四五六七八九十" * 2)) == 1
    assert len(eml.encoded_words("一二三四五六七八九十" * 2, "utf-8")) == 2


def test_ripmime_unpacks_every_name_in_one_piece(package, tmp_path):
    folder, path = package
    names = _expected_names(folder, path.read_bytes())
    subprocess.run(["ripmime", "-i", str(path), "-d", str(tmp_path)], check=True, capture_output=True)
    found = {p.name.encode("utf-8", "surrogateescape").decode("gb18030") for p in tmp_path.iterdir()}
    assert set(names) <= found


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux to drive mutt")
def test_mutt_shows_every_name_in_one_piece(package, tmp_path):
    folder, path = package
    names = _expected_names(folder, path.read_bytes())
    mbox = tmp_path / "x.mbox"
    mbox.write_bytes(b"From zhutui@localhost Thu Oct 20 09:30:00 2022\n" + path.read_bytes().replace(b"\r\n", b"\n"))
    rc = tmp_path / "muttrc"
    rc.write_text(
        'set rfc2047_parameters=yes\nset charset=utf-8\nset header_cache=""\nset attach_format="%u%D%I %t%4n %d"\n',
        encoding="utf-8",
    )
    session = f"zhutui-mutt-{time.monotonic_ns()}"
    env = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "xterm"}
    command = f"mutt -n -F {rc} -R -f {mbox}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "220", "-y", "60", command], env=env, check=True)
    try:
        screen = ""
        for keys in ("Enter", "v"):
            time.sleep(1.5)
            subprocess.run(["tmux", "send-keys", "-t", session, keys], env=env, check=True)
        for _ in range(20):
            time.sleep(0.5)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-t", session, "-p"], env=env, capture_output=True, text=True, check=True
            ).stdout
            if all(name in screen for name in names):
                break
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], env=env, check=False)
    for name in names:
        assert name in screen, screen


def test_the_body_names_the_senders_contact(package):
    folder, _ = package
    body = (folder / "邮件正文.txt").read_bytes().decode("utf-8-sig")
    assert re.search(
        r"如材料有疑问，请与我单位联系人联系：\w+，电话 [\d-]+。", body
    )  # the unit union's, from the forms
    assert "通知所列联系人：高珊 83570885，李梦遥 83570883。" in body


def test_without_a_contact_the_body_says_nothing_and_the_package_says_so(tmp_path):
    from zhutui.mailpack.body import contact_line
    from zhutui.outputs.values import Sender

    assert contact_line(Sender("北京市朝阳区总工会", "", "", "")) == []
    assert contact_line(Sender("北京市朝阳区总工会", "赵六", "", "")) == [
        "　　如材料有疑问，请与我单位联系人联系：赵六。"
    ]
