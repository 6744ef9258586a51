"""magnet_watch.locks, the flock both the report build and curation hold: nested holds in one
thread are free, another holder (another thread or process) is named to on_busy."""

from __future__ import annotations

import os
import threading

from magnet_watch.locks import Holder, LockBusy, hold_lock


def refuse(holder: Holder) -> None:
    raise LockBusy(f"taken by pid {holder.pid}", holder)


def test_another_thread_is_refused_naming_the_holder_and_a_nested_hold_is_free(tmp_path):
    lock = tmp_path / ".x.lock"
    refused: list[LockBusy] = []

    def other_thread():
        try:
            with hold_lock(lock, "second", refuse):
                pass
        except LockBusy as exc:
            refused.append(exc)

    with hold_lock(lock, "first  run\nof x", refuse):
        with hold_lock(lock, "nested", refuse):  # the same thread: no deadlock, no refusal
            thread = threading.Thread(target=other_thread)
            thread.start()
            thread.join(timeout=30)
    (busy,) = refused
    assert (busy.holder.pid, busy.holder.command) == (str(os.getpid()), "first run of x")
    assert busy.holder.since.endswith(" UTC")
    with hold_lock(lock, "third", refuse):  # released: free again
        assert lock.read_text().splitlines()[1] == "third"


def test_a_waiting_holder_is_told_and_gets_the_lock_when_it_is_released(tmp_path):
    lock = tmp_path / ".x.lock"
    told: list[Holder] = []
    waiting, got = threading.Event(), threading.Event()

    def wait(holder: Holder) -> None:
        told.append(holder)
        waiting.set()

    def waiter():
        with hold_lock(lock, "waiter", wait):
            got.set()

    with hold_lock(lock, "first", refuse):
        thread = threading.Thread(target=waiter)
        thread.start()
        assert waiting.wait(timeout=30)  # told who holds it, then waits
        assert not got.wait(timeout=0.2)
    thread.join(timeout=30)
    assert got.is_set()
    assert [h.command for h in told] == ["first"]


def test_an_empty_record_reads_as_unknown(tmp_path):
    from magnet_watch.locks import read_holder

    empty = tmp_path / "empty.lock"
    empty.touch()
    fd = os.open(empty, os.O_RDONLY)
    try:
        assert read_holder(fd) == Holder("unknown", "unknown", "unknown")
    finally:
        os.close(fd)
