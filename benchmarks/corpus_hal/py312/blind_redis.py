"""Blind set: redis 8.1 (no command reaches a server)."""
import redis


def case_pipeline_set_ttl():
    r = redis.Redis()
    pipe = r.pipeline()
    pipe.set("a", 1, ttl=5)  # HAL: invented-keyword; receiver=factory


def case_hmset_dict():
    r = redis.Redis.from_url("redis://localhost:6379/0")
    return r.hmset_dict("h", {"a": 1})  # HAL: other-library-idiom; receiver=factory


def case_import_redis_timeout():
    from redis.exceptions import RedisTimeoutError  # HAL: invented-member; receiver=import
    return RedisTimeoutError
