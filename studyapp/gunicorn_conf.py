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
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
