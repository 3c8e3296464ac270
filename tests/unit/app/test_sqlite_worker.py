"""The shared worker: the handle lives, is used and is closed on one thread, never the loop's."""

from __future__ import annotations

import asyncio
import threading

import pytest

from app.sqlite_worker import SqliteWorker


class Handle:
    def __init__(self) -> None:
        self.threads = [threading.current_thread().name]
        self.closed = False

    def note(self, extra: int) -> int:
        self.threads.append(threading.current_thread().name)
        return extra + 1

    def close(self) -> None:
        self.threads.append(threading.current_thread().name)
        self.closed = True


@pytest.mark.asyncio
async def test_open_call_and_close_run_on_one_worker_thread() -> None:
    worker: SqliteWorker[Handle] = SqliteWorker("probe")
    handles: list[Handle] = []

    def make() -> Handle:
        handles.append(Handle())
        return handles[0]

    await worker.open(make)
    await worker.open(make)  # a second open is a no-op
    assert await worker.call(Handle.note, 41) == 42
    await worker.aclose()
    await worker.aclose()  # idempotent

    (handle,) = handles
    assert handle.closed
    assert len(set(handle.threads)) == 1
    assert handle.threads[0].startswith("probe")
    assert threading.current_thread().name not in handle.threads
    assert not worker.is_open


@pytest.mark.asyncio
async def test_call_when_not_open_says_so() -> None:
    worker: SqliteWorker[Handle] = SqliteWorker("probe")
    with pytest.raises(RuntimeError, match="not open"):
        await worker.call(Handle.note, 1)


@pytest.mark.asyncio
async def test_a_failed_open_raises_and_leaves_it_closed() -> None:
    worker: SqliteWorker[Handle] = SqliteWorker("probe")

    def broken() -> Handle:
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        await worker.open(broken)
    assert not worker.is_open


def test_close_now_closes_from_synchronous_code() -> None:
    worker: SqliteWorker[Handle] = SqliteWorker("probe")
    asyncio.run(worker.open(Handle))
    worker.close_now()
    assert not worker.is_open
