"""Login keeps working while Redis (the cache of the rate limits) is down: a real redis-server, killed."""

import pytest
from django.core.cache import cache

from accountant_portal.settings import base
from tests.conftest import PASSWORD
from tests.outages import cache_settings

LOGIN = "/cuentas/login/"


@pytest.fixture
def limits_on_redis(settings, redis_server):
    """The production rate limits, counted in the test's own Redis."""
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.CACHES = cache_settings(redis_server.url)
    return redis_server


def test_login_keeps_working_while_redis_is_down(client, accountant, limits_on_redis):
    assert client.post(LOGIN, {"login": accountant.email, "password": "mal"}).status_code == 200
    assert limits_on_redis.client().keys("*allauth*"), "the limits were not counted in this Redis"
    limits_on_redis.kill()

    wrong = client.post(LOGIN, {"login": accountant.email, "password": "mal"})
    assert wrong.status_code == 200 and "no son correct" in wrong.content.decode()
    right = client.post(LOGIN, {"login": accountant.email, "password": PASSWORD})
    assert right.status_code == 302 and right.url == "/contador/"
    assert client.get("/contador/").status_code == 200


def test_the_per_account_lockout_still_holds_while_redis_is_down(client, accountant, limits_on_redis):
    limits_on_redis.kill()
    for _attempt in range(5):
        client.post(LOGIN, {"login": accountant.email, "password": "mal"})
    locked = client.post(LOGIN, {"login": accountant.email, "password": PASSWORD})
    assert locked.status_code in (200, 429) and "/contador/" != locked.get("Location")
    assert "demasiados" in locked.content.decode().lower()


def test_the_cache_goes_back_to_redis_once_it_is_up_again(limits_on_redis, monkeypatch):
    monkeypatch.setattr("core.cache.RETRY_AFTER_SECONDS", 0)  # no wait before trying Redis again
    limits_on_redis.kill()
    cache.set("clave", "en memoria")  # answered by this process's memory
    assert cache.get("clave") == "en memoria"
    limits_on_redis.start()
    cache.get("clave")  # the first call after the restart may still meet the broken connection
    cache.set("clave", "en redis")
    assert limits_on_redis.client().keys("*clave*") and cache.get("clave") == "en redis"
