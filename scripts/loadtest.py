"""Load test: simulated cadres log in and take quizzes against gunicorn, on loopback only.

    .venv/bin/pip install '.[load]'
    .venv/bin/python scripts/loadtest.py [--users 50] [--seconds 60] [--workers 4] [--database-url URL]

It builds a throw-away database (SQLite in a temporary folder unless --database-url names one,
e.g. a PostgreSQL test database), loads the document and its question bank, creates the users,
starts gunicorn on a free 127.0.0.1 port and runs two phases of the same load with locust, in
this one process:

1. quiz: each user logs in, starts a mixed quiz of ten questions, fetches each question as
   the htmx fragment and submits an answer, again and again;
2. minimal: the same number of users, with the same think time, request /healthz, a view that
   does nothing but still passes through the whole middleware stack.

It prints requests per second, p50/p95/p99 latencies and errors for both, the ratio of their
throughputs, and checks that the database holds exactly the answers the users were told were
recorded. Exit status 1 when a target is missed: no errors, no lost answers, answer submission
p95 under 50 ms, quiz throughput at least 40% of the minimal view's.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gevent

# Importing locust patches the standard library for gevent; the modules above are patched in place.
from locust import FastHttpUser, between, task
from locust.env import Environment
from locust.event import Events

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(Path(sys.executable))
PASSWORD = "load-test-passphrase-2026"
ANSWER = "/quiz/[id]/answer/"
QUESTION = "/quiz/[id]/"
THINK = (0.5, 1.5)  # seconds a cadre spends reading between requests


class Counters:
    answers_recorded = 0


class QuizCadre(FastHttpUser):
    """Logs in, then takes mixed quizzes of ten questions, answering through the htmx form."""

    wait_time = between(*THINK)
    user_count = 0

    def on_start(self) -> None:
        QuizCadre.user_count += 1
        self.username = f"load-cadre-{QuizCadre.user_count}"
        self.rng = random.Random(QuizCadre.user_count)
        self.attempt_url = ""
        self.client.get("/accounts/login/", name="/accounts/login/")
        self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
            name="/accounts/login/ (POST)",
        )

    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def htmx_headers(self) -> dict[str, str]:
        return {"HX-Request": "true", "X-CSRFToken": self.csrf()}

    @task
    def answer_next_question(self) -> None:
        if not self.attempt_url:
            with self.client.post(
                "/quiz/start/",
                data={
                    "scope": "document",
                    "question_type": "mixed",
                    "length": "10",
                    "csrfmiddlewaretoken": self.csrf(),
                },
                name="/quiz/start/",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"quiz not started: {response.status_code}")
                    return
                self.attempt_url = response.headers["Location"]
        with self.client.get(
            self.attempt_url, headers={"HX-Request": "true"}, name=QUESTION, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code in (301, 302):  # finished: the result page
                self.attempt_url = ""
                return
            html = response.text or ""
            item = re.search(r'name="item" value="(\d+)"', html)
            if response.status_code != 200 or not item:
                response.failure(f"no question on the page: {response.status_code}")
                self.attempt_url = ""
                return
        data = {"item": item.group(1), "token": _field(html, "token")}
        for index in re.findall(r'name="blank-(\d+)"', html):
            data[f"blank-{index}"] = self.rng.choice(["引领力", "12351", "安康杯", "不知道"])
        choices = re.findall(r'name="choice" value="(\d+)"', html)
        if choices:
            data["choice"] = self.rng.choice(choices)
        for index in re.findall(r'name="pair-(\d+)"', html):
            options = _options(html, f"pair-{index}")
            data[f"pair-{index}"] = self.rng.choice(options) if options else "0"
        with self.client.post(
            self.attempt_url + "answer/", data=data, headers=self.htmx_headers(), name=ANSWER, catch_response=True
        ) as response:
            if response.status_code == 200 and "quiz-feedback" in (response.text or ""):
                Counters.answers_recorded += 1
            else:
                response.failure(f"answer not recorded: {response.status_code}")


class MinimalVisitor(FastHttpUser):
    wait_time = between(*THINK)

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="/healthz")


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="(\d+)"', select.group(1)) if select else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(env: dict[str, str], users: int) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "loaddata", "document", "-v0")
    manage(env, "generate_questions")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model;"
        "from django.contrib.auth.hashers import make_password;"
        f"h = make_password({PASSWORD!r}); User = get_user_model();"
        f"User.objects.bulk_create([User(username=f'load-cadre-{{i}}', password=h) for i in range(1, {users} + 1)])",
    )


def answers_in_database(env: dict[str, str]) -> int:
    out = manage(env, "shell", "-c", "from quizzes.models import Answer; print(Answer.objects.count())")
    return int(out.strip().splitlines()[-1])


def run_phase(user_class: type, host: str, users: int, seconds: float) -> Environment:
    # Own events per phase, so each phase's statistics hold only its own requests.
    environment = Environment(user_classes=[user_class], host=host, events=Events())
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(1, users / 5))
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return environment


def describe(name: str, environment: Environment, seconds: float) -> dict[str, float]:
    total = environment.stats.total
    print(f"\n== {name}")
    print(f"{'request':<28}{'count':>8}{'fail':>6}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for entry in sorted(environment.stats.entries.values(), key=lambda e: e.name):
        print(
            f"{entry.name + ' ' + entry.method:<28}{entry.num_requests:>8}{entry.num_failures:>6}"
            f"{entry.num_requests / seconds:>8.1f}{entry.get_response_time_percentile(0.5):>9.0f}"
            f"{entry.get_response_time_percentile(0.95):>9.0f}{entry.get_response_time_percentile(0.99):>9.0f}"
        )
    rps = total.num_requests / seconds
    print(
        f"{'all':<28}{total.num_requests:>8}{total.num_failures:>6}{rps:>8.1f}"
        f"{total.get_response_time_percentile(0.5):>9.0f}{total.get_response_time_percentile(0.95):>9.0f}"
        f"{total.get_response_time_percentile(0.99):>9.0f}"
    )
    for error in environment.stats.errors.values():
        print(f"  error ×{error.occurrences}: {error.method} {error.name}: {error.error}")
    return {"rps": rps, "failures": total.num_failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="union-study-load-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "VAR_DIR": tmp,
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/load.sqlite3",
            "ALLOWED_HOSTS": "127.0.0.1",
            "GUNICORN_ACCESS_LOG": "",
            "WEB_CONCURRENCY": str(args.workers),
            "LOG_LEVEL": "ERROR",
        }
        print(f"preparing {env['DATABASE_URL'].split('@')[-1]} with {args.users} users …")
        prepare(env, args.users)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "-c",
                "python:studyapp.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
            ]
            + ["studyapp.wsgi"],
            cwd=ROOT,
            env=env,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        sys.exit("gunicorn did not start")
                    time.sleep(0.3)
            print(f"gunicorn: {args.workers} workers on {host}; {args.users} users, {args.seconds:.0f} s a phase")
            quiz = run_phase(QuizCadre, host, args.users, args.seconds)
            minimal = run_phase(MinimalVisitor, host, args.users, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
        recorded = answers_in_database(env)

    quiz_figures = describe("quiz: log in, start, fetch question, submit answer", quiz, args.seconds)
    minimal_figures = describe("minimal view (/healthz)", minimal, args.seconds)
    answer = quiz.stats.get(ANSWER, "POST")
    answer_p95 = answer.get_response_time_percentile(0.95)
    ratio = quiz_figures["rps"] / minimal_figures["rps"] if minimal_figures["rps"] else 0.0
    checks = [
        (
            "errors",
            quiz_figures["failures"] + minimal_figures["failures"] == 0,
            f"{quiz_figures['failures']} + {minimal_figures['failures']}",
        ),
        (
            "answers submitted = answers in the database",
            recorded == Counters.answers_recorded,
            f"{Counters.answers_recorded} submitted, {recorded} stored",
        ),
        ("answer submission p95 < 50 ms", answer_p95 < 50, f"{answer_p95:.0f} ms over {answer.num_requests} answers"),
        (
            "quiz throughput ≥ 40% of the minimal view's",
            ratio >= 0.4,
            f"{quiz_figures['rps']:.1f} / {minimal_figures['rps']:.1f} rps = {ratio:.0%}",
        ),
    ]
    print("\n== targets")
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {detail}")
    return 0 if all(ok for _label, ok, _detail in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
