"""Blind set 2 (written without running vetpy or reading its rules): anyio 4."""
import anyio


async def _noop():
    return None


def case_memory_stream_put_nowait():
    send, receive = anyio.create_memory_object_stream(10)
    # asyncio.Queue.put_nowait; the send stream has send_nowait
    send.put_nowait(1)  # HAL: other-library-idiom; receiver=unpack
    return receive


async def case_open_file_read_text():
    handle = await anyio.open_file(__file__)
    try:
        return await handle.read_text()  # HAL: other-library-idiom; receiver=await
    finally:
        await handle.aclose()
