"""Health probes: /salud/ answers while the process runs; /salud/listo/ names each service that does not."""

import json

import pytest
from celery.contrib.testing.worker import start_worker

from accountant_portal.celery import app
from tests.outages import broker_at

pytestmark = pytest.mark.usefixtures("db")


def test_alive_answers_anonymous_probes_without_touching_other_services(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/salud/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def _ready(client):
    response = client.get("/salud/listo/")
    body = response.json()
    return response.status_code, body["status"], {name: c["status"] for name, c in body["checks"].items()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_queue")
def test_ready_when_database_redis_and_a_worker_answer(client):
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10):
        assert _ready(client) == (200, "ok", {"database": "ok", "redis": "ok", "celery": "ok"})


def test_not_ready_without_a_worker_names_the_check(client):
    assert _ready(client) == (503, "fail", {"database": "ok", "redis": "ok", "celery": "fail"})


def test_not_ready_when_redis_is_down_and_says_nothing_of_where_it_is(client, redis_server, settings):
    settings.REDIS_URL = redis_server.url
    with broker_at(redis_server.url):
        redis_server.kill()
        response = client.get("/salud/listo/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"]["status"] == "fail" and checks["celery"]["status"] == "fail"
    assert checks["database"]["status"] == "ok"
    text = json.dumps(response.json())
    assert str(redis_server.port) not in text and "redis://" not in text and "Error" not in text


def test_health_urls_refuse_writes(client):
    assert client.post("/salud/").status_code == 405
    assert client.post("/salud/listo/").status_code == 405
