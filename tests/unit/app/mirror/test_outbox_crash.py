"""kill -9 during an outbox replay: the next replay delivers every edit exactly once.

The dangerous moment is after the store took an edit and before the outbox marked it
sent: the child process kills itself right there (SIGKILL, no cleanup), at a customer
update or at an address creation, the one write that is not idempotent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.customer import AddressDraft
from app.domain.patch import CustomerPatch
from app.domain.query import CustomerQuery
from app.services.context import Services

REPLAY = """
import asyncio, os, signal, sys
from app.mirror.repository import MirrorRepository
from app.services.context import Services

kill_at = int(sys.argv[1])
marked = 0
original = MirrorRepository.outbox_set_state

def set_state(self, seq, state, detail=None):
    global marked
    if state == "done":
        marked += 1
        if marked == kill_at:  # sent, not yet marked: the worst moment to die
            print("killed", seq, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    return original(self, seq, state, detail)

MirrorRepository.outbox_set_state = set_state

async def main():
    ctx = await Services.create().open_store("demo", demo_customers=80)
    await ctx.mirror.replay()
    print("finished", flush=True)

asyncio.run(main())
"""

CUSTOMERS = 3  # each: a company change and a new address, queued in that order


def _draft(n: int) -> AddressDraft:
    return AddressDraft(address_1=f"Crashweg {n}", city="Köln", country_code="de")


async def _queue_offline_edits() -> tuple[list[str], dict[str, int]]:
    ctx = await Services.create().open_store("demo", demo_customers=80)
    try:
        assert ctx.mirror is not None
        assert ctx.demo is not None
        await ctx.mirror.sync()
        page = await ctx.customers.search(CustomerQuery(page_size=CUSTOMERS))
        ids = [c.id for c in page.items]
        before = {cid: len((await ctx.customers.get(cid)).addresses) for cid in ids}
        ctx.demo.faults.offline = True
        for n, cid in enumerate(ids):
            await ctx.customers.update(cid, CustomerPatch(company=f"Crash {n} GmbH"))
            await ctx.customers.add_address(cid, _draft(n))
            assert ctx.customers.last_write.queued
        assert ctx.mirror.state.pending_edits == 2 * CUSTOMERS
        return ids, before
    finally:
        await ctx.aclose()


def _replay_and_die(kill_at: int) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", REPLAY, str(kill_at)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert proc.returncode == -9, proc.stderr
    assert proc.stdout.startswith("killed"), proc.stdout


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("kill_at", [1, 2, 5])  # a customer update, an address creation, …
async def test_a_replay_killed_mid_way_delivers_each_edit_exactly_once(
    app_home: Path, kill_at: int
) -> None:
    ids, before = await _queue_offline_edits()
    _replay_and_die(kill_at)

    ctx = await Services.create().open_store("demo", demo_customers=80)
    try:
        assert ctx.mirror is not None
        pending = len(await ctx.mirror.edits())
        assert pending == 2 * CUSTOMERS - (kill_at - 1)  # the killed one is still pending
        report = await ctx.mirror.replay()
        assert not report.failed
        assert not report.conflicts
        assert await ctx.mirror.edits() == []
        for n, cid in enumerate(ids):
            server = await ctx.backend.get_customer(cid)  # type: ignore[attr-defined]
            assert server.company == f"Crash {n} GmbH"
            created = [a for a in server.addresses if a.address_1 == f"Crashweg {n}"]
            assert len(created) == 1, f"address of customer {n} created {len(created)} times"
            assert len(server.addresses) == before[cid] + 1
        assert (await ctx.mirror.replay()).sent == 0  # nothing left to send twice
    finally:
        await ctx.aclose()
