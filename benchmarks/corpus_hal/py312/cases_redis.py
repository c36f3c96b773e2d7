"""redis-py 8: invented keywords/members, aioredis 1.x idioms (no connection is opened)."""
import redis
from redis import asyncio as aioredis


def make_client() -> redis.Redis:
    return redis.Redis(host="localhost", port=6379, decode_responses=True)


def case_decode_response_kw():
    return redis.Redis(host="localhost", decode_response=True)  # HAL: invented-keyword; receiver=call


def case_expire_at():
    r = make_client()
    r.expire_at("k", 1700000000)  # HAL: invented-member; receiver=helper-return


def case_pipeline_exec():
    r = make_client()
    with r.pipeline() as pipe:
        pipe.set("a", 1)
        pipe.exec()  # HAL: other-library-idiom; receiver=with-target


def case_create_redis_pool():
    return aioredis.create_redis_pool("redis://localhost")  # HAL: other-library-idiom; receiver=module


def case_pubsub_on_message():
    ps = make_client().pubsub()
    ps.on_message(print)  # HAL: invented-member; receiver=chain


def case_lock_retry_kw():
    r = redis.Redis()
    return r.lock("job", timeout=5, retry=3)  # HAL: invented-keyword; receiver=constructor


def case_set_expire_kw():
    r = make_client()
    r.set("session", "v", expire=60)  # HAL: invented-keyword; receiver=helper-return


def case_strict_redis_from_url_ping_async():
    r = redis.Redis.from_url("redis://localhost:6379/0")
    return r.ping_async()  # HAL: invented-member; receiver=factory


async def case_async_client_getset_kw():
    r = aioredis.Redis()
    await r.get("k", default="x")  # HAL: invented-keyword; receiver=constructor



def case_get_arity():
    r = make_client()
    return r.get("a", "b")  # HAL: arity; receiver=helper-return
