"""The package's .zip: GBK names for Chinese Windows, 0x7075 UTF-8 names for everything else."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest

from zhutui.mailpack.ziparchive import legacy_name, read_names, write_zip

FOLDER = "2022年职工创新助推_北京精工机床有限公司工会_20221025"
NAMES = [
    f"{FOLDER}/附件1_职工创新发明专利助推申报表_王建国.pdf",
    f"{FOLDER}/附件2_职工创新发明专利助推汇总表_北京精工机床有限公司工会.xlsx",
    f"{FOLDER}/附件/王建国_专利证书复印件.jpg",
    f"{FOLDER}/附件/𠀀喆_企业应用证明.pdf",  # U+20000 is not in GBK
    f"{FOLDER}/readme.txt",
]


@pytest.fixture
def archive(tmp_path):
    members = []
    for i, name in enumerate(NAMES):
        source = tmp_path / f"src{i}"
        source.write_bytes(f"内容{i}".encode() * (i + 1))
        members.append((name, source))
    return write_zip(tmp_path / "包.zip", members), members


def test_names_read_as_gbk_and_through_the_unicode_path_field(archive):
    path, members = archive
    names = read_names(path)
    assert [gbk for gbk, _ in names][:3] == NAMES[:3]  # what Chinese Windows Explorer shows
    assert names[3][0] == f"{FOLDER}/附件/_喆_企业应用证明.pdf"  # GBK lacks the character
    assert [utf8 for _, utf8 in names] == NAMES  # 7-Zip, WinRAR, Bandizip, unzip
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        assert not any(info.flag_bits & 0x800 for info in infos)  # no UTF-8 flag: GBK is meant
        assert [z.read(info) for info in infos] == [source.read_bytes() for _, source in members]
    assert not list(path.parent.glob("*.part"))


def test_legacy_names_are_plain_gbk_bytes():
    assert legacy_name("附件1.pdf") == "附件1.pdf".encode("gbk")
    assert legacy_name("𠀀.pdf") == b"_.pdf"


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP unzip not installed")
def test_info_zip_unzip_restores_the_utf8_names(archive, tmp_path):
    path, members = archive
    out = tmp_path / "解压"
    env = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    subprocess.run(["unzip", "-q", str(path), "-d", str(out)], check=True, env=env)
    found = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert found == sorted(NAMES)
    assert (out / NAMES[3]).read_bytes() == members[3][1].read_bytes()
