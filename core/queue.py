"""Queueing Celery tasks so that a broker (Redis) outage never breaks the page that queues them.

The work itself is always recorded in the database first (a job, an invitation, an outgoing e-mail):
when the broker cannot be reached, the row keeps saying it waits, and a beat job queues it again.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisError, OSError)


def enqueue(task, *args, **kwargs) -> bool:
    """Queue `task` now; False (and a warning in the log) when the broker cannot be reached."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BROKER_ERRORS as error:
        logger.warning("Could not queue %s%r, a beat job will queue it again: %s", task.name, args, error)
        return False
    return True


def enqueue_each(task, arguments, *more) -> int:
    """A beat job's fan-out: `task(argument, *more)` queued for each argument, in order, stopping at the first
    the broker refuses (the rest are what the job's next run finds still to do). Returns how many."""
    queued = 0
    for argument in arguments:
        if not enqueue(task, argument, *more):
            break
        queued += 1
    return queued


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the current transaction commits (nothing if it rolls back); see enqueue."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
