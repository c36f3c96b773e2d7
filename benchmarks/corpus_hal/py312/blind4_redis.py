"""Blind set 4 (written without running vetpy or reading its rules): redis."""
import redis


def _client() -> redis.Redis:
    return redis.Redis(host="localhost", port=6399, socket_connect_timeout=0.1)


def case_from_url_set_json():
    client = redis.Redis.from_url("redis://localhost:6399/0")
    return client.set_json("k", {"a": 1})  # HAL: invented-member; receiver=class


def case_redis_decode_keyword():
    return redis.Redis(host="localhost", decode=True)  # HAL: invented-keyword; receiver=call


def case_sentinel_master():
    sentinel = redis.Sentinel([("localhost", 26399)], socket_timeout=0.1)
    return sentinel.master("mymaster")  # HAL: invented-member; receiver=constructor


def case_pubsub_listen_async():
    pubsub = _client().pubsub()
    return pubsub.listen_async()  # HAL: invented-member; receiver=chain


def case_pipeline_with_commit():
    with _client().pipeline() as pipe:
        pipe.commit()  # HAL: invented-member; receiver=with-target


def case_lock_acquire_timeout_keyword():
    lock = _client().lock("job")
    return lock.acquire(wait_timeout=1)  # HAL: invented-keyword; receiver=chain


def case_connection_pool_from_dsn():
    return redis.ConnectionPool.from_dsn("redis://localhost:6399")  # HAL: invented-member; receiver=class
