"""The cache on Redis, kept working while Redis is down.

allauth's login rate limits live in the cache: with Django's plain Redis backend a Redis outage turns
every login into a server error. Here a failed call is answered by a local in-memory cache of the
process instead (limits then count per process, which is weaker but keeps them), and Redis is tried
again a few seconds later.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 5
# Shared by the threads of a process: once Redis failed, nobody waits for it until RETRY_AFTER_SECONDS.
_down_until = {"at": 0.0}


def _delegate(name):
    def method(self, *args, **kwargs):
        if time.monotonic() >= _down_until["at"]:
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except REDIS_DOWN as error:
                _down_until["at"] = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning("Redis cache unavailable, using this process's memory for now: %s", error)
        return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback = LocMemCache(
            f"fallback-{server}",
            {"KEY_PREFIX": params.get("KEY_PREFIX", ""), "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )

    add = _delegate("add")
    get = _delegate("get")
    set = _delegate("set")
    touch = _delegate("touch")
    delete = _delegate("delete")
    get_many = _delegate("get_many")
    has_key = _delegate("has_key")
    incr = _delegate("incr")
    set_many = _delegate("set_many")
    delete_many = _delegate("delete_many")
    clear = _delegate("clear")
