"""Real task workers for tests: django-tasks-db's worker loop in a thread, or `manage.py db_worker` in a process.

Both read the test database: a file on SQLite, so another process shares it, and the test database on PostgreSQL.
Tests using them are transactional (the worker sees only committed rows).
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}
IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": settings.TASK_QUEUES}
}
ROOT = Path(__file__).resolve().parent.parent


def wait_until(predicate, *, timeout: float = 120, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


class ThreadWorker:
    """The worker loop of `db_worker`, in a thread of the test process (it sees the test's settings)."""

    def __init__(self):
        self.worker = Worker(
            queue_names=["*"],
            interval=0.05,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-thread",
            excluded_queue_names=[],
        )
        self.thread = threading.Thread(target=self._run, name="task-worker", daemon=True)

    def _run(self):
        from django.db import connections

        try:
            self.worker.run()
        finally:
            connections.close_all()

    def start(self) -> "ThreadWorker":
        self.thread.start()
        return self

    def stop(self):
        self.worker.running = False
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "the worker thread did not stop"


def database_url() -> str:
    """The test database as a DATABASE_URL, for a worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class ProcessWorker:
    """`manage.py db_worker` in its own process, configured like the test (database, mail server, media)."""

    def __init__(self, log: Path):
        self.log = log
        self.process = None

    def environment(self) -> dict:
        env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT), "DEBUG": "false"}
        options = settings.MAILERS["default"].get("OPTIONS", {})
        if settings.MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
            env |= {"EMAIL_HOST": options["host"], "EMAIL_PORT": str(options["port"]), "EMAIL_TIMEOUT": "5"}
        return env

    def start(self) -> "ProcessWorker":
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.05",
                   "--queue-name", "*"]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.environment(), stdout=out, stderr=out)
        return self

    def crash(self):
        """SIGKILL: the worker dies wherever it is, as in a power cut; its task stays "running"."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
