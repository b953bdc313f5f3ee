"""Load test: simulated cadres log in and take quizzes against gunicorn, on loopback only.

    .venv/bin/pip install '.[load]'
    .venv/bin/python scripts/loadtest.py [--users 50] [--seconds 60] [--workers 4] [--database-url URL]

It builds a throw-away database (SQLite in a temporary folder unless --database-url names an empty
one, e.g. a fresh PostgreSQL database; one with users is refused), loads the document and its
question bank, creates the users, starts gunicorn on a free 127.0.0.1 port and runs these phases
with locust, in this one process:

1. warm-up: the cadres log in (password hashing is slow on purpose) and start quizzes;
2. paced: each cadre starts a mixed quiz of ten questions, fetches each question as the htmx
   fragment and submits an answer, again and again, with a short think time (THINK): the
   latency a cadre sees while 49 others work at the same time;
3. capacity: the same cadres without think time: the most quiz requests a second the server
   can take;
4. minimal: the same cadres without think time request /ping, the cheapest signed-in page
   (session and user loaded, nothing else): the floor under every page a cadre opens;
5. for reference, anonymous users request /healthz, which does not even load a session.

It prints requests per second, p50/p95/p99 latencies and errors of each phase, the ratio of the
quiz capacity to the minimal view's, and checks that the database holds exactly the answers the
users were told were recorded. Exit status 1 when a target is missed: no errors, no lost
answers, answer submission p95 under 50 ms (paced), quiz throughput at least 40% of the minimal
view's.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from dataclasses import dataclass

import gevent

# Importing locust patches the standard library for gevent; the modules above are patched in place.
from locust import FastHttpUser, between, constant, task
from locust.env import Environment
from locust.event import Events
from throwaway_server import (
    answer_fields,
    field_value,
    free_port,
    manage,
    prepare,
    server_env,
    start_gunicorn,
    wait_for,
)

PASSWORD = "load-test-passphrase-2026"
ANSWER = "/quiz/[id]/answer/"
QUESTION = "/quiz/[id]/"
# Seconds between two requests of one cadre in the paced phase: brisk (a real cadre spends 10-30 s
# reading, thinking and typing per question), so 50 of them ask about 20 requests a second.
THINK = (1.5, 3.5)


class Counters:
    answers_recorded = 0


class QuizCadre(FastHttpUser):
    """Logs in, then takes mixed quizzes of ten questions, answering through the htmx form."""

    wait_time = between(*THINK)
    user_count = 0
    minimal_only = False  # switched on for the phase that measures the minimal signed-in view

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
        if QuizCadre.minimal_only:
            self.client.get("/ping", name="/ping")
            return
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
            # Finished: a redirect to the result page (HX-Redirect for htmx).
            if response.status_code in (301, 302) or response.headers.get("HX-Redirect"):
                self.attempt_url = ""
                return
            html = response.text or ""
            item = re.search(r'name="item" value="(\d+)"', html)
            if response.status_code != 200 or not item:
                response.failure(f"no question on the page: {response.status_code}")
                self.attempt_url = ""
                return
        data = {"item": item.group(1), "token": field_value(html, "token"), **answer_fields(html, self.rng)}
        with self.client.post(
            self.attempt_url + "answer/", data=data, headers=self.htmx_headers(), name=ANSWER, catch_response=True
        ) as response:
            if response.status_code == 200 and "feedback-verdict" in (response.text or ""):
                Counters.answers_recorded += 1
            else:
                response.failure(f"answer not recorded: {response.status_code}")


class MinimalVisitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="/healthz")


def answers_in_database(env: dict[str, str]) -> int:
    out = manage(env, "shell", "-c", "from quizzes.models import Answer; print(Answer.objects.count())")
    return int(out.strip().splitlines()[-1])


@dataclass
class Row:
    name: str
    count: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float


@dataclass
class Phase:
    title: str
    rows: list[Row]
    errors: list[str]

    @property
    def total(self) -> Row:
        return self.rows[-1]

    def row(self, name: str) -> Row:
        return next(row for row in self.rows if row.name.startswith(name))


def snapshot(title: str, environment: Environment, seconds: float) -> Phase:
    """The statistics gathered since the last reset, as rows (the last one totals them)."""

    def row(name: str, entry) -> Row:
        return Row(
            name,
            entry.num_requests,
            entry.num_failures,
            entry.num_requests / seconds,
            entry.get_response_time_percentile(0.5),
            entry.get_response_time_percentile(0.95),
            entry.get_response_time_percentile(0.99),
        )

    entries = sorted((e for e in environment.stats.entries.values() if e.num_requests), key=lambda e: e.name)
    rows = [row(f"{e.name} {e.method}", e) for e in entries] + [row("all", environment.stats.total)]
    errors = [f"×{e.occurrences}: {e.method} {e.name}: {e.error}" for e in environment.stats.errors.values()]
    return Phase(title, rows, errors)


def measure(environment: Environment, title: str, seconds: float) -> Phase:
    environment.stats.reset_all()
    gevent.sleep(seconds)
    return snapshot(title, environment, seconds)


def start(user_class: type, host: str, users: int) -> Environment:
    # Own events per environment, so each one's statistics hold only its own requests. stop_timeout:
    # at the end each user finishes the request it is making, so that every answer the server
    # stored was also seen by its user.
    environment = Environment(user_classes=[user_class], host=host, events=Events(), stop_timeout=30)
    environment.create_local_runner().start(users, spawn_rate=max(1, users / 5))
    return environment


def stop(environment: Environment) -> None:
    environment.runner.quit()
    environment.runner.greenlet.join()


def show(phase: Phase) -> None:
    print(f"\n== {phase.title}")
    print(f"{'request':<30}{'count':>8}{'fail':>6}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for row in phase.rows:
        print(
            f"{row.name:<30}{row.count:>8}{row.failures:>6}{row.rps:>8.1f}{row.p50:>9.0f}{row.p95:>9.0f}{row.p99:>9.0f}"
        )
    for error in phase.errors:
        print(f"  error {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=45, help="length of each measured phase")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warm-up", type=float, default=30, help="seconds for the users to log in before measuring")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="union-study-load-") as tmp:
        database = args.database_url or f"sqlite:///{tmp}/load.sqlite3"
        env = server_env(tmp, database_url=database, workers=args.workers)
        print(f"preparing {env['DATABASE_URL'].split('@')[-1]} with {args.users} users …")
        prepare(env, users=args.users, username="load-cadre", password=PASSWORD)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = start_gunicorn(env, port)
        try:
            wait_for(server, port)
            print(f"gunicorn: {args.workers} workers on {host}; {args.users} users, {args.seconds:.0f} s a phase")
            cadres = start(QuizCadre, host, args.users)
            warm = measure(cadres, f"warm-up: log in and start ({args.warm_up:.0f} s)", args.warm_up)
            paced = measure(cadres, f"paced: think time {THINK[0]}-{THINK[1]} s", args.seconds)
            QuizCadre.wait_time = constant(0)
            capacity = measure(cadres, "capacity: quiz without think time", args.seconds)
            QuizCadre.minimal_only = True
            minimal = measure(cadres, "minimal signed-in view (/ping), same cadres, no think time", args.seconds)
            stop(cadres)
            visitors = start(MinimalVisitor, host, args.users)
            gevent.sleep(3)
            anonymous = measure(visitors, "for reference: /healthz, anonymous, no session", args.seconds)
            stop(visitors)
        finally:
            server.terminate()
            server.wait(timeout=30)
        recorded = answers_in_database(env)

    for phase in (warm, paced, capacity, minimal, anonymous):
        show(phase)
    answer = paced.row(ANSWER)
    ratio = capacity.total.rps / minimal.total.rps if minimal.total.rps else 0.0
    failures = sum(phase.total.failures for phase in (warm, paced, capacity, minimal, anonymous))
    checks = [
        ("no errors", failures == 0, f"{failures} failed requests"),
        (
            "answers submitted = answers in the database",
            recorded == Counters.answers_recorded,
            f"{Counters.answers_recorded} submitted, {recorded} stored",
        ),
        ("answer submission p95 < 50 ms (paced)", answer.p95 < 50, f"{answer.p95:.0f} ms over {answer.count} answers"),
        (
            "quiz throughput ≥ 40% of the minimal view's",
            ratio >= 0.4,
            f"{capacity.total.rps:.1f} / {minimal.total.rps:.1f} requests/s = {ratio:.0%} "
            f"(of the anonymous /healthz: {capacity.total.rps / anonymous.total.rps:.0%})",
        ),
    ]
    print("\n== targets")
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {detail}")
    return 0 if all(ok for _label, ok, _detail in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
