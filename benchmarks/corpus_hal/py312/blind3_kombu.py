"""Blind set 3 (written without running vetpy or reading its rules): kombu 5."""
import kombu


def case_message_acknowledge():
    with kombu.Connection("memory://") as conn:
        queue = conn.SimpleQueue("blind3-ack")
        queue.put({"a": 1})
        message = queue.get(block=False)
        # the method is ack()
        message.acknowledge()  # HAL: invented-member; receiver=factory
        queue.close()


def case_connection_is_connected():
    with kombu.Connection("memory://") as conn:
        # ``connected`` is a property
        return conn.is_connected()  # HAL: invented-member; receiver=with-target


def case_simple_queue_empty():
    conn = kombu.Connection("memory://")
    queue = conn.SimpleQueue("blind3-empty")
    try:
        # queue.Queue.empty(); SimpleQueue has qsize()
        return queue.empty()  # HAL: other-library-idiom; receiver=factory
    finally:
        queue.close()
        conn.release()
