"""Benchmark: what the database's round trips alone cost a signed-in request, under wrk as perf_wrk
runs it (gunicorn, 4 sync workers, 20 connections), beside the bare `/healthz`, `/ping` and a quiz step.

    .venv/bin/python scripts/bench_round_trips.py [--database-url URL] [--seconds 10]

Adds two views that do nothing but their statements, behind the whole middleware stack and the
sign-in like every page (served from a WSGI module written to a temporary folder; the app itself has no
such pages): `floor/read`, `/ping` plus one `SELECT %s`, and `floor/write`, that plus an UPDATE of the
learner's own row (an autocommitted write). On PostgreSQL each statement is a round trip to a server
process that shares the machine's cores with gunicorn and wrk; on SQLite a call into the library. The
shares of `/healthz` they reach are the ceiling of any page that needs as many statements: a quiz
step reads its item after the session (two statements), an answer reads and then writes (three).
Prints req/s, the share of `/healthz` and, per request, the CPU time of the gunicorn workers and of
the PostgreSQL server processes (from /proc). Run it on a quiet machine; compare only within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from throwaway_server import GUNICORN, ROOT, free_port, manage, server_env, wait_for

FLOOR_WSGI = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache


@never_cache
def read(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [request.user.pk])
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def write(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [request.user.pk])
        cursor.fetchone()
        cursor.execute("UPDATE auth_user SET last_name = %s WHERE id = %s", ["floor", request.user.pk])
    return HttpResponse("ok", content_type="text/plain")


# After the site's URLs, as /ping is the last of them: resolving a path costs as much as for /ping.
urlpatterns = [path("", include("studyapp.urls")), path("floor/read", read), path("floor/write", write)]
settings.ROOT_URLCONF = __name__
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
"""

SETUP = r"""
import json, sys
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from quizzes import services
out = []
for n in range(int(sys.argv[-1])):
    user = get_user_model().objects.create_user(f"floor{n}", password="floor-pass-2026")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    out.append([session.session_key, services.attempt_start(user=user, length=50).pk])
print("JSON" + json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("needs wrk (Debian package `wrk`)")
    folder = Path(tempfile.mkdtemp(prefix="bench-round-trips-"))
    env = server_env(str(folder), database_url=args.database_url or f"sqlite:///{folder}/floor.sqlite3", workers=4)
    for command in (["migrate", "--noinput", "-v0"], ["loaddata", "document", "-v0"], ["generate_questions"]):
        manage(env, *command)
    (folder / "setup.py").write_text(SETUP)
    made = manage(
        env, "shell", "-c", f"import sys; sys.argv=['x', '{args.users}']; exec(open('{folder}/setup.py').read())"
    )
    learners = json.loads(made.split("JSON", 1)[1])
    (folder / "floor_wsgi.py").write_text(FLOOR_WSGI)
    (folder / "get.lua").write_text(
        "local learners = {" + ",".join(f'{{"{key}", {quiz}}}' for key, quiz in learners) + "}\n"
        "local counter = 0\nlocal path = os.getenv('FLOOR_PATH')\n"
        "request = function()\n  counter = counter + 1\n  local l = learners[(counter % #learners) + 1]\n"
        "  local p = path == 'step' and ('/quiz/' .. l[2] .. '/') or path\n"
        "  return wrk.format('GET', p, {['Cookie']='sessionid=' .. l[1], ['HX-Request']='true'})\nend\n"
    )
    port = free_port()
    log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - the server's, closed with it
    server = subprocess.Popen(
        [*GUNICORN, "--pythonpath", f"{folder},{ROOT}", "--bind", f"127.0.0.1:{port}", "--workers", "4"]
        + ["--max-requests", "0", "floor_wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(server, port)
        base = f"http://127.0.0.1:{port}"
        _check(base, learners[0])
        _wrk(base, "/healthz", folder, "", 3)  # warm-up
        bare = None
        for name, path in (
            ("/healthz (anonymous)", "/healthz"),
            ("/ping: session and user", "/ping"),
            ("/ping + SELECT", "/floor/read"),
            ("/ping + SELECT + UPDATE", "/floor/write"),
            ("a quiz step", "step"),
        ):
            rate, cpu = _wrk(base, path, folder, "" if path == "/healthz" else path, args.seconds)
            bare = bare or rate
            print(
                f"{name:26s} {rate:8.0f} req/s  {rate / bare:5.0%} of /healthz   CPU per request: "
                f"gunicorn {cpu['gunicorn']:.3f} ms, PostgreSQL {cpu['postgres']:.3f} ms"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _check(base: str, learner: list) -> None:
    """Each path answers a signed-in learner itself (200, no redirect to the login page)."""
    import http.client
    from urllib.parse import urlsplit

    for path in ("/ping", "/floor/read", "/floor/write", f"/quiz/{learner[1]}/"):
        where = urlsplit(base)
        client = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
        client.request("GET", path, headers={"Cookie": f"sessionid={learner[0]}", "HX-Request": "true"})
        response = client.getresponse()
        if response.status != 200:
            sys.exit(f"{path}: {response.status} {response.getheader('Location') or ''}")
        client.close()


def _wrk(base: str, path: str, folder: Path, floor_path: str, seconds: int) -> tuple[float, dict[str, float]]:
    command = ["wrk", "-t2", "-c20", f"-d{seconds}s"]
    if floor_path:
        command += ["-s", str(folder / "get.lua")]
    before = {name: _cpu(pattern) for name, pattern in (("gunicorn", "floor_wsgi"), ("postgres", "postgres:"))}
    out = subprocess.run(
        command + [base + ("/" if floor_path else path)],
        capture_output=True,
        text=True,
        env=dict(os.environ, FLOOR_PATH=floor_path),
    ).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if failed:
        sys.exit(f"{path}: {failed.group(1)} of {total} responses were not 2xx (see {folder}/gunicorn.log)")
    cpu = {
        name: 1000 * (_cpu(pattern) - before[name]) / total
        for name, pattern in (("gunicorn", "floor_wsgi"), ("postgres", "postgres:"))
    }
    return rate, cpu


def _cpu(pattern: str) -> float:
    """Seconds of CPU (user and system) used so far by the processes whose command line has `pattern`."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if pattern not in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode():
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used += (int(fields[11]) + int(fields[12])) / ticks
    return used


if __name__ == "__main__":
    main()
