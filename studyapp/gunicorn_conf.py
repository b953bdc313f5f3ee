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
    """In the master, once the app is loaded (preload_app) and before any worker is forked: run the
    apps' warm-up (studyapp.warmup: the quiz step's templates, the source lines shown with feedback),
    so that every worker starts with them; then close the master's connection, which no worker may
    inherit. A part that fails (a deploy before `migrate`) is logged as a warning and skipped."""
    try:
        from studyapp.warmup import warm
    except Exception:  # noqa: BLE001 - the app is not loaded here (preload_app off): nothing to warm
        return
    try:
        warm(server.log.warning)  # type: ignore[attr-defined]
    finally:
        _close_connections()


def pre_fork(server: object, worker: object) -> None:
    # Persistent connections (CONN_MAX_AGE) are per process: a worker must never share the master's.
    _close_connections()


def _close_connections() -> None:
    try:
        from django.db import connections
    except ImportError:
        return
    connections.close_all()
