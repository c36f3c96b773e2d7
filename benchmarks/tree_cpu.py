"""Wall and CPU time of a command's whole process tree, orphans included.

``/usr/bin/time`` counts the children its command waits for; vetpy's introspection workers end
on their own after vetpy has exited, so nobody waits for them and their CPU is left out.  This
runs the command as a child subreaper (Linux ``PR_SET_CHILD_SUBREAPER``): orphaned descendants
are re-parented here and waited for, so ``RUSAGE_CHILDREN`` holds them all.

    python benchmarks/tree_cpu.py vetpy check . --quiet
"""
from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    start = time.monotonic()
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, check=False).returncode
    wall = time.monotonic() - start
    while True:  # the orphans, re-parented here
        try:
            os.wait()
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"wall {wall:.2f} s (tree done {time.monotonic() - start:.2f}), cpu {usage.ru_utime + usage.ru_stime:.2f} s "
          f"(user {usage.ru_utime:.2f}), largest resident set {usage.ru_maxrss // 1024} MB, exit {code}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
