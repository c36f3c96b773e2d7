"""When a failed introspection worker may start again (:class:`vetpy.resolve.members.WorkerClient`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """When a failed worker may start again.

    After the k-th failure in a row the next start waits ``first * 2**(k-1)`` seconds (at most
    ``cap``); after ``pause_after`` failures in a row it waits ``pause`` seconds, so that an
    interpreter or package that breaks every worker does not cost a process every few seconds.
    A question arriving while the worker rests waits for the restart only if that is at most
    ``wait_at_most`` seconds away; otherwise it is answered "unverifiable" at once (and is not
    remembered: the next analysis asks again).
    """

    first: float = 0.5
    cap: float = 30.0
    pause_after: int = 5
    pause: float = 300.0
    wait_at_most: float = 2.0

    def delay(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        if failures >= self.pause_after:
            return self.pause
        return min(self.first * 2 ** (failures - 1), self.cap)


class WorkerResting(Exception):
    """The worker failed recently and is not restarted yet (no question was sent)."""
