"""core.queue: a beat job's fan-out stops at the broker's first refusal and says how many went."""

from kombu.exceptions import OperationalError

from core.queue import enqueue_each


class Task:
    name = "tests.fake_task"

    def __init__(self, refuse_from: int | None = None):
        self.sent, self.refuse_from = [], refuse_from

    def apply_async(self, args, kwargs):
        if self.refuse_from is not None and len(self.sent) >= self.refuse_from:
            raise OperationalError("Error 111 connecting to redis")
        self.sent.append(args)


def test_each_argument_is_queued_in_order_with_the_shared_ones():
    task = Task()
    assert enqueue_each(task, [3, 1, 2], "reminder") == 3
    assert task.sent == [(3, "reminder"), (1, "reminder"), (2, "reminder")]


def test_a_broker_outage_stops_the_fan_out_without_an_error():
    task = Task(refuse_from=2)
    assert enqueue_each(task, [3, 1, 2, 5]) == 2
    assert task.sent == [(3,), (1,)]
