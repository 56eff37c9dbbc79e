"""
Running queued tasks in tests, as the worker does: django-tasks-db's own ``run_task`` on
each ready task (claimed first), until none is ready. Emails a task queues (after its own
commit, inside the test's transaction) are queued and run too.
"""

from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER = Worker(
    queue_names=["default"],
    interval=0,
    batch=True,
    backend_name="default",
    startup_delay=False,
    max_tasks=None,
    worker_id="test-worker",
    excluded_queue_names=[],
)


def committing():
    """
    Run what waits for the commit (queuing tasks) at the end of the block, as if its
    transaction committed there; tests run inside a transaction that never commits.
    """
    return TestCase.captureOnCommitCallbacks(execute=True)


def run_queued_tasks() -> int:
    """Run every ready task (those deferred to later wait); return how many ran."""
    ran = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        with committing():
            result.claim(WORKER.worker_id)
            WORKER.run_task(result)
        ran += 1
    return ran


def queued(task_path: str):
    """The tasks of one kind, queued or done, oldest first."""
    return DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at")
