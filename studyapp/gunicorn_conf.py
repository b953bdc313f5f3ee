"""gunicorn settings: `gunicorn -c python:studyapp.gunicorn_conf studyapp.wsgi`.

Sync workers suit this app: requests are short and database-bound. On PostgreSQL run as many
processes (and machines) as the load needs; on SQLite keep to one machine.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Load the app and every view once, before forking (studyapp/wsgi.py imports the URLconf).
preload_app = True
# No access log unless asked for (GUNICORN_ACCESS_LOG=- for stdout, or a file): the TLS proxy in front
# (nginx) logs every request already, and formatting and writing the line cost a worker 20–40 µs a
# request, a sixth of what Django takes for the bare /healthz.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server: object) -> None:
    """In the master, once the app is loaded (preload_app) and before any worker is forked: load the
    quiz step's templates (quizzes.step_html.templates_load) and fill the cache of source lines shown
    with feedback (quizzes.selectors.source_lines) for the active bank, so that every worker starts
    with both instead of compiling templates and making one query per question seen first; then close
    the master's connection, which no worker may inherit. The source lines are skipped, with a
    warning, when the database is not ready (a deploy before `migrate`)."""
    try:
        from django.db import DatabaseError

        from quizzes.models import Question
        from quizzes.selectors import source_lines
        from quizzes.step_html import templates_load
    except Exception:  # noqa: BLE001 - the app is not loaded here (preload_app off): nothing to warm
        return
    templates_load()
    try:
        source_lines(list(Question.objects.active().order_by("pk")[:SOURCE_LINES_WARMED]))
    except DatabaseError as error:
        server.log.warning("source lines not preloaded: %s", error)  # type: ignore[attr-defined]
    finally:
        _close_connections()


def pre_fork(server: object, worker: object) -> None:
    # Persistent connections (CONN_MAX_AGE) are per process: a worker must never share the master's.
    _close_connections()


SOURCE_LINES_WARMED = 4000  # below the cache's bound (quizzes.selectors._LINES_MAX)


def _close_connections() -> None:
    try:
        from django.db import connections
    except ImportError:
        return
    connections.close_all()
