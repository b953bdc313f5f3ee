"""Benchmark: the CPU time of the hot requests inside one process, without a server or a load tool.

    .venv/bin/python scripts/bench_requests.py [--requests 300] [--runs 3] [--database-url URL] [--wall]

Builds a throw-away database (SQLite in a temporary folder unless --database-url names an empty
PostgreSQL database) with the document, its bank, ten learners signed in and five 50-question
quizzes each (the step shown is of the last, answers go to the other four), then calls the WSGI
application directly with the headers ../shared/tools/perf_wrk.py sends: `/healthz` (anonymous),
`/ping`, a quiz step as htmx fragment and as full page, and answers (each a well-formed wrong answer
to a question not answered yet; the feedback is shown). Prints, per run, the CPU time per request of
each (time.process_time: steadier than the wall clock on a shared machine; on PostgreSQL the
server's own time is not in it; `--wall`: the wall-clock time instead, which on PostgreSQL counts the
round trips and the server's work too) and the shares of /healthz, then the best run and the answers
stored.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
USERS = 10
QUIZZES = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--wall", action="store_true", help="wall-clock time rather than the process's CPU time")
    parser.add_argument("--profile", default="", help="a request's name (step, answer…): print its cProfile instead")
    parser.add_argument("--profile-out", default="", help="with --profile: also save the profile there (pstats)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-requests-")
    os.environ.update(
        VAR_DIR=folder,
        DATABASE_URL=args.database_url or f"sqlite:///{folder}/bench.sqlite3",
        SECRET_KEY="bench-" + secrets.token_hex(8),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="studyapp.settings",
    )
    os.environ.pop("DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("loaddata", "document", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("generate_questions", stdout=io.StringIO())
    from quizzes.models import Answer, Question
    from quizzes.selectors import source_lines
    from studyapp.wsgi import application

    learners, posts = _learners(args.requests * (args.runs + 1))
    source_lines(list(Question.objects.active()))  # as gunicorn's master does (studyapp/gunicorn_conf.py)
    best: dict[str, float] = {}
    requests = _requests(learners, iter(posts))
    if args.profile:
        _profile(application, requests[args.profile], args.requests, args.profile_out)
        return
    for run in range(1, args.runs + 1):
        clock = time.perf_counter if args.wall else time.process_time
        times = {name: _time(application, make, args.requests, clock) for name, make in requests.items()}
        best = {name: min(best.get(name, value), value) for name, value in times.items()}
        print(f"run {run}: " + _line(times))
    print("best:  " + _line(best))
    print(f"answers stored {Answer.objects.count()} of {(args.requests + 10) * args.runs} posted")


def _learners(answers: int) -> tuple[list[tuple[str, int]], list[tuple[str, int, str]]]:
    """(session key, a quiz) per learner, and the answers to post: (session key, quiz, form body)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from quizzes import services
    from quizzes.models import AttemptQuestion

    learners, posts = [], []
    for number in range(USERS):
        user = User.objects.create_user(f"bench{number}", password="bench-pass-2026")
        session = SessionStore()
        session.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
                "_refreshed": int(time.time()),
            }
        )
        session.create()
        quizzes = [services.attempt_start(user=user, length=50).pk for _ in range(QUIZZES)]
        learners.append((session.session_key or "", quizzes[-1]))
        # The last quiz is the one whose step is shown: answers go to the others.
        items = (
            AttemptQuestion.objects.filter(attempt_id__in=quizzes[:-1]).select_related("question").order_by("position")
        )
        for item in items:
            question = item.question
            body = "&".join(f"{name}={value}" for name, value in _post_data(question, item.layout))
            posts.append(
                (session.session_key or "", item.attempt_id, f"item={item.pk}&token={secrets.token_hex(8)}&{body}")
            )
    posts.sort(key=lambda post: post[2])  # learners and quizzes interleaved
    if len(posts) < answers:
        sys.exit(f"{len(posts)} questions to answer, {answers} needed: fewer --requests or --runs")
    return learners, posts


def _post_data(question: Any, layout: dict[str, Any]) -> list[tuple[str, Any]]:
    data = question.kind.post_data(question, layout, question.kind.wrong_answer(question))
    return [
        (name, value) for name, values in data.items() for value in (values if isinstance(values, list) else [values])
    ]


def _requests(
    learners: list[tuple[str, int]], answers: Iterator[tuple[str, int, str]]
) -> dict[str, Callable[[int], dict]]:
    csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it unmasked in the form field

    def answer(_index: int) -> dict:
        session, quiz, body = next(answers)
        return _environ("POST", f"/quiz/{quiz}/answer/", session, csrf, f"csrfmiddlewaretoken={csrf}&{body}")

    def learner(index: int) -> tuple[str, int]:
        return learners[index % len(learners)]

    return {
        "healthz": lambda index: _environ("GET", "/healthz", htmx=False),
        # GETs carry the session cookie alone, as perf_wrk sends them (a form's CSRF secret is then new)
        "ping": lambda index: _environ("GET", "/ping", learner(index)[0]),
        "step": lambda index: _environ("GET", f"/quiz/{learner(index)[1]}/", learner(index)[0]),
        "full step": lambda index: _environ("GET", f"/quiz/{learner(index)[1]}/", learner(index)[0], htmx=False),
        "answer": answer,
    }


def _environ(method: str, path: str, session: str = "", csrf: str = "", body: str = "", htmx: bool = True) -> dict:
    data = body.encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(data)),
    }
    if session:
        environ["HTTP_COOKIE"] = f"sessionid={session}" + (f"; csrftoken={csrf}" if csrf else "")
    if htmx:
        environ["HTTP_HX_REQUEST"] = "true"
    if method == "POST":
        environ.update(CONTENT_TYPE="application/x-www-form-urlencoded", HTTP_REFERER="http://127.0.0.1/")
    return environ


def _time(application: Callable, make: Callable[[int], dict], count: int, clock: Callable[[], float]) -> float:
    """Milliseconds per request by `clock`, after a few requests to warm up."""
    statuses: list[str] = []

    def start_response(status: str, headers: list, *exc_info: Any) -> None:
        statuses.append(status)

    for index in range(10):
        b"".join(application(make(index), start_response))
    started = clock()
    for index in range(count):
        b"".join(application(make(index), start_response))
    elapsed = clock() - started
    wrong = [status for status in statuses if not status.startswith("200")]
    if wrong:
        sys.exit(f"unexpected responses: {wrong[:3]}")
    return elapsed / count * 1000


def _profile(application: Callable, make: Callable[[int], dict], count: int, dump: str = "") -> None:
    """cProfile of `count` requests made by `make`, after the warm-up: the 40 costliest functions by
    their own time, then by time with what they call; `dump`: a file for pstats too."""
    import cProfile
    import pstats

    _time(application, make, 10, time.process_time)
    profiler = cProfile.Profile()
    profiler.enable()
    _time(application, lambda index: make(index + 10), count, time.process_time)
    profiler.disable()
    stats = pstats.Stats(profiler)
    if dump:
        stats.dump_stats(dump)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(40)


def _line(times: dict[str, float]) -> str:
    shares = "  ".join(f"{name} {times['healthz'] / times[name]:.0%}" for name in ("ping", "step", "answer"))
    return "  ".join(f"{name} {value:.3f} ms" for name, value in times.items()) + f"   shares of /healthz: {shares}"


if __name__ == "__main__":
    main()
