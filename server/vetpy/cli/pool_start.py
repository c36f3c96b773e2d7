"""The end of the introspection workers that a ``vetpy check`` pool shared.

At the end of a pool's run the CLI closed its two shared workers (the standard library's, the
installed packages') one after the other, each close waiting for its worker to write what it
learned and exit (0.1-0.15 s each on a small project): the waits added up on the critical path.
They are ended side by side now; what each does is unchanged.

(Starting the workers before the fork, while the parent prepares it, was tried and dropped: a
process forked while a thread of the parent starts a worker inherits that thread's locks (a
module's import lock, say) and can hang on them: the pool tests' processes did, under load.)
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vetpy.resolve.members import MemberIndex, SharedWorker


def end(shared: list[tuple["MemberIndex", "SharedWorker"]]) -> None:
    """``unshare`` every (member index, service) pair at once (after the pool's processes have
    ended: no process is forked from here on), so that the waits overlap instead of adding up."""
    if len(shared) < 2:
        for members, service in shared:
            members.unshare(service)
        return
    threads = [threading.Thread(target=members.unshare, args=(service,), name="vetpy-worker-end")
               for members, service in shared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
