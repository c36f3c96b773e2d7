"""Blind set 3 (written without running vetpy or reading its rules): threadpoolctl 3."""
import numpy  # noqa: F401  (loads OpenBLAS: threadpool_info() lists it)
import threadpoolctl
from threadpoolctl import threadpool_limits


def case_limits_restore():
    with threadpool_limits(limits=1) as limiter:
        # the method is restore_original_limits()
        limiter.restore()  # HAL: invented-member; receiver=with-target


def case_max_threads_keyword():
    # the keyword is ``limits``
    return threadpoolctl.threadpool_limits(max_threads=1)  # HAL: invented-keyword; receiver=call


def case_info_loop_attribute():
    total = 0
    for lib in threadpoolctl.threadpool_info():
        # each entry is a dict: lib["num_threads"]
        total += lib.num_threads  # HAL: invented-member; receiver=loop
    return total


def case_controller_limit_positional():
    controller = threadpoolctl.ThreadpoolController()
    # limit() takes keyword-only arguments
    return controller.limit(1)  # HAL: arity; receiver=constructor
