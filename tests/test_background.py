"""Work in a child process (app.background): results, progress, cancelling and failures come back."""

from __future__ import annotations

import os
import sys
import time

import pytest

from zhutui.background import CHILD_FLAG, CLI_EXECUTABLE, ChildFailed, child_command, run_in_process
from zhutui.errors import Cancelled, InputError


def count_to(n, *, progress, cancelled):
    for i in range(n):
        progress(i + 1, n, f"第{i + 1}步")
    return {"pid": os.getpid(), "n": n}


def until_cancelled(*, progress, cancelled):
    progress(0, 1, "started")
    deadline = time.monotonic() + 30
    while not cancelled() and time.monotonic() < deadline:
        time.sleep(0.01)
    if cancelled():
        raise Cancelled
    return "not cancelled"


def bad_input(*, progress, cancelled):
    raise InputError("申报.json", "patent.number", "专利号无效")


def crash(*, progress, cancelled):
    raise ZeroDivisionError("boom")


def die(*, progress, cancelled):
    os._exit(3)


def test_result_and_progress_come_back_from_another_process():
    seen = []
    result = run_in_process(count_to, (3,), lambda *a: seen.append(a), lambda: False)
    assert result["n"] == 3 and result["pid"] != os.getpid()
    assert seen == [(1, 3, "第1步"), (2, 3, "第2步"), (3, 3, "第3步")]


def noisy(*, progress, cancelled):
    print("a library chatting on stdout")
    os.write(1, b"even straight to the file descriptor\n")
    return "fine"


def test_output_printed_by_the_work_does_not_disturb_the_answer():
    assert run_in_process(noisy, (), lambda *a: None, lambda: False) == "fine"


def test_cancelling_stops_the_child():
    started = []
    with pytest.raises(Cancelled):
        run_in_process(until_cancelled, (), lambda *a: started.append(a), lambda: bool(started))


def test_an_input_error_keeps_its_file_key_and_message():
    with pytest.raises(InputError) as caught:
        run_in_process(bad_input, (), lambda *a: None, lambda: False)
    assert (caught.value.file, caught.value.key, caught.value.message) == ("申报.json", "patent.number", "专利号无效")


def test_a_crash_reports_the_childs_traceback():
    with pytest.raises(ChildFailed) as caught:
        run_in_process(crash, (), lambda *a: None, lambda: False)
    assert "内部错误：boom" in str(caught.value)
    assert "ZeroDivisionError" in caught.value.details and "def crash" not in caught.value.details
    assert "in crash" in caught.value.details


def test_a_child_that_dies_is_reported_not_waited_for():
    with pytest.raises(ChildFailed) as caught:
        run_in_process(die, (), lambda *a: None, lambda: False)
    assert "退出码 3" in str(caught.value)


def test_the_zhutui_command_with_the_child_flag_is_a_child():
    """What the frozen bundle does (it has no interpreter to give -c to): the app's own
    command started with CHILD_FLAG. Here through ``python -m zhutui``; the bundle's smoke test
    (installer/smoke_test.py) does the same with the frozen executable."""
    seen = []
    result = run_in_process(
        count_to, (2,), lambda *a: seen.append(a), lambda: False, command=[sys.executable, "-m", "zhutui", CHILD_FLAG]
    )
    assert result["n"] == 2 and len(seen) == 2


def test_how_a_child_is_started(tmp_path):
    python = "/venv/bin/python"
    assert child_command(python, frozen=False)[:2] == [python, "-c"]
    frozen = str(tmp_path / "zhutui")
    assert child_command(frozen, frozen=True, platform="linux") == [frozen, CHILD_FLAG]
    # Windows: the windowed zhutui.exe has no standard streams; its console twin runs children.
    exe = tmp_path / "zhutui.exe"
    assert child_command(str(exe), frozen=True, platform="win32") == [str(exe), CHILD_FLAG]
    (tmp_path / CLI_EXECUTABLE).write_bytes(b"")
    assert child_command(str(exe), frozen=True, platform="win32") == [str(tmp_path / CLI_EXECUTABLE), CHILD_FLAG]
