"""Property-based: whatever a bundle holds (a random manifest, random applications, random
bytes, a damaged valid bundle), importing it either works or is refused with ``BundleError``;
it never crashes, and a refused import writes nothing into the workspace."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_bundle import good_members, manifest_for, write_zip
from zhutui.bundle.archive import BundleError
from zhutui.bundle.exchange import apply_import, plan_import
from zhutui.workspace.store import Workspace

FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
names = st.one_of(
    st.sampled_from(
        [
            "applications/0001.json",
            "applications/0001/01_patent_certificate.jpg",
            "settings.json",
            "../x",
            "/abs",
            "C:/x",
            "a\\b",
            "",
            "a//b",
            "./a",
            "manifest.json",
        ]
    ),
    st.text(min_size=1, max_size=30),
)
member_entries = st.fixed_dictionaries(
    {},
    optional={
        "name": names | json_values,
        "sha256": st.text(max_size=64) | json_values,
        "size": st.integers(-5, 10**10) | json_values,
    },
)


def attempt(ws: Workspace, bundle: Path) -> None:
    """Import ``bundle``: it must succeed or be refused with BundleError, writing nothing then."""
    before = len(ws.records())
    try:
        with plan_import(ws, [bundle]) as plan:
            apply_import(ws, plan, "both")
    except BundleError as exc:
        assert exc.message and str(bundle) in str(exc)
        assert len(ws.records()) == before


@pytest.fixture
def ws(tmp_path):
    with Workspace(tmp_path / "ws") as workspace:
        yield workspace


@FUZZ
@given(
    manifest=st.dictionaries(
        st.sampled_from(
            [
                "format",
                "format_version",
                "app_version",
                "created_at",
                "created_by",
                "purpose",
                "applications",
                "members",
                "settings",
                "x",
            ]
        ),
        json_values,
        max_size=10,
    )
)
def test_random_manifests(ws, tmp_path, manifest):
    base = {"format": "zhutui-bundle", "format_version": 1}
    attempt(ws, write_zip(tmp_path / "r.zhutui", good_members(), {**base, **manifest}))


@FUZZ
@given(members=st.lists(member_entries, max_size=5), applications=json_values | st.lists(json_values, max_size=3))
def test_random_member_lists_and_application_entries(ws, tmp_path, members, applications):
    manifest = manifest_for(good_members(), applications=applications)
    manifest["members"] = manifest["members"] + members
    attempt(ws, write_zip(tmp_path / "m.zhutui", good_members(), manifest))


@FUZZ
@given(
    app=json_values,
    extra=st.dictionaries(
        st.sampled_from(["form", "plan_year", "attachments", "patent", "inventor", "studio", "project"]),
        json_values,
        max_size=5,
    ),
)
def test_random_applications(ws, tmp_path, app, extra):
    body = {"form": "patent", "plan_year": 2022, **extra} if isinstance(app, dict) else app
    members = {**good_members(), "applications/0001.json": json.dumps(body).encode()}
    attempt(ws, write_zip(tmp_path / "a.zhutui", members, manifest_for(members)))


@pytest.fixture(scope="module")
def valid_bundle(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("valid") / "v.zhutui"
    write_zip(path, good_members(), manifest_for(good_members()))
    return path.read_bytes()


@FUZZ
@given(data=st.data())
def test_damaged_bundles(ws, tmp_path, valid_bundle, data):
    raw = bytearray(valid_bundle)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(raw) // 2, len(raw)))
    path = tmp_path / "d.zhutui"
    path.write_bytes(bytes(raw[:cut]))
    attempt(ws, path)


@FUZZ
@given(blob=st.binary(max_size=2000))
def test_random_bytes(ws, tmp_path, blob):
    path = tmp_path / "b.zhutui"
    path.write_bytes(blob)
    attempt(ws, path)


@FUZZ
@given(name=names, data=st.binary(max_size=200))
def test_random_member_names_listed_in_the_manifest(ws, tmp_path, name, data):
    if not isinstance(name, str):
        return
    members = {**good_members(), name: data}
    manifest = manifest_for(good_members())
    manifest["members"].append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
    try:
        path = write_zip(tmp_path / "n.zhutui", members, manifest)
    except (ValueError, zipfile.BadZipFile):
        return  # a name zipfile itself can't write
    attempt(ws, path)
    assert not (tmp_path.parent / "x").exists()
