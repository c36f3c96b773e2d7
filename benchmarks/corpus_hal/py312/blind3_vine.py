"""Blind set 3 (written without running vetpy or reading its rules): vine 5."""
import vine


def case_promise_done():
    p = vine.promise(lambda: 1)
    p()
    # asyncio.Future.done(); a vine promise has ``ready``
    return p.done()  # HAL: other-library-idiom; receiver=constructor


def case_promise_add_done_callback():
    p = vine.promise(lambda: 1)
    # concurrent.futures / asyncio; vine chains with then()
    p.add_done_callback(print)  # HAL: other-library-idiom; receiver=constructor
    return p
