"""Blind set 2 (written without running vetpy or reading its rules): asgiref 3.13."""
from asgiref.sync import async_to_sync


async def _fetch():
    return 1


def case_async_to_sync_thread_sensitive():
    # thread_sensitive= belongs to sync_to_async
    return async_to_sync(_fetch, thread_sensitive=True)  # HAL: other-library-idiom; receiver=call
