"""The shared introspection workers of a pool are ended side by side (vetpy.cli.pool_start)."""

from __future__ import annotations

import threading

from vetpy.cli.pool_start import end


class _Members:
    """A member index whose ``unshare`` waits until every other one has started too."""

    def __init__(self, barrier: threading.Barrier, log: list[str]) -> None:
        self.barrier, self.log = barrier, log

    def unshare(self, service: str) -> None:
        self.log.append(f"start {service}")
        self.barrier.wait()  # ended one after the other, the first would wait here until the timeout
        self.log.append(f"end {service}")


def test_every_shared_worker_is_ended_and_the_waits_overlap() -> None:
    log: list[str] = []
    barrier = threading.Barrier(2, timeout=10)
    end([(_Members(barrier, log), "stdlib"), (_Members(barrier, log), "installed")])  # type: ignore[list-item]
    assert not barrier.broken
    assert sorted(log[:2]) == ["start installed", "start stdlib"]  # both started before either ended
    assert sorted(log[2:]) == ["end installed", "end stdlib"]


def test_one_or_no_shared_worker() -> None:
    log: list[str] = []
    end([(_Members(threading.Barrier(1), log), "stdlib")])  # type: ignore[list-item]
    assert log == ["start stdlib", "end stdlib"]
    end([])
