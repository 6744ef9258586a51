"""The test suite's shared builds (``helpers.shared.once_per_run``): done once per test run
however many xdist workers ask at the same time, and tried again after a failure."""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest
from helpers.shared import once_per_run, run_folder


class Factory:
    """What once_per_run reads of pytest's tmp_path_factory: the base temporary folder."""

    def __init__(self, base: Path):
        self.base = base

    def getbasetemp(self) -> Path:
        return self.base


def _make(folder: Path) -> str:
    """Record one call in the shared folder's parent, write a file, and return a result; it
    takes a second, so that workers asking at about the same time ask while it runs."""
    with open(folder.parent / "calls", "a") as calls:
        calls.write(f"{os.getpid()}\n")
    time.sleep(1)
    (folder / "built.txt").write_text("built", encoding="utf-8")
    return f"result of {folder.name}"


def _ask(base: str, worker: str) -> tuple[str, str]:
    os.environ["PYTEST_XDIST_WORKER"] = worker
    folder, result = once_per_run(Factory(Path(base) / worker), "thing", _make)
    return str(folder), result


def test_workers_asking_at_once_share_one_build_in_their_common_folder(tmp_path):
    for worker in ("gw0", "gw1", "gw2", "gw3"):
        (tmp_path / worker).mkdir()
    with ProcessPoolExecutor(max_workers=4, mp_context=get_context("spawn")) as pool:
        answers = list(pool.map(_ask, [str(tmp_path)] * 4, ["gw0", "gw1", "gw2", "gw3"]))
    assert len((tmp_path / "calls").read_text().split()) == 1
    assert set(answers) == {(str(tmp_path / "once-thing"), "result of once-thing")}
    assert (tmp_path / "once-thing" / "built.txt").read_text() == "built"


def test_a_build_that_failed_is_tried_again_in_an_empty_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    factory = Factory(tmp_path)
    assert run_folder(factory) == tmp_path  # without xdist: the run's own base folder

    def fail(folder: Path):
        (folder / "half.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("the build failed")

    with pytest.raises(RuntimeError, match="the build failed"):
        once_per_run(factory, "thing", fail)
    folder, result = once_per_run(factory, "thing", _make)
    assert result == "result of once-thing"
    assert sorted(p.name for p in folder.iterdir()) == ["built.txt"]
    assert once_per_run(factory, "thing", fail) == (folder, result)  # done: never run again
