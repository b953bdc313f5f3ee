"""Two gunicorn instances, one PostgreSQL: learners alternate between them; no answer is lost or doubled.

    .venv/bin/python scripts/two_instances.py [--learners 20] [--answers 20] [--workers 2] [--instances 2]
        [--repeat-every 4] [--seed 1] [--database-url URL]

It starts a throw-away PostgreSQL server (initdb and pg_ctl on a free 127.0.0.1 port, as ./scripts/test
does; as root the server runs as the `postgres` user) unless --database-url names an empty PostgreSQL
database. Then, as a deployment on two machines would:

1. migrates once, loads the document, generates its bank and creates the learners (one password hash
   computed once and reused);
2. gives every instance a folder of its own (VAR_DIR, as on a machine of its own) with a copy of the
   static files collected once, the same DATABASE_URL and SECRET_KEY, and starts gunicorn for each
   on a free port;
3. checks that a stylesheet named by one instance's page is served by the other (the same release's
   static files everywhere);
4. runs --learners learners at once, each in a thread of its own with its own cookies (shared by
   the instances, as a browser shares them behind one proxy), that log in on one instance and are
   recognised by the other (`/ping`), then take practice quizzes of ten mixed questions until each
   has had --answers answers accepted. The instances take turns: a quiz starts on one, its first
   question is read from the next, the answer is posted to the next again, and each following
   question one instance further on. With A and B: start on A, question from B, answer to A;
   question from A, answer to B; question from B, answer to A … so every answer is posted to
   another instance than the one its question came from, and each instance takes answers;
5. sends every --repeat-every-th answer twice with the same submit token, to the other instance
   too: alternately again after the first was accepted (a browser's retry) and to both instances at
   the same moment (a double click through a load balancer). Both must show the same feedback.

Afterwards, with gunicorn stopped, it checks in the database that sessions are kept there, that the
answers stored are exactly those the learners were shown feedback for, one per question of an
attempt and with the token sent, and that every attempt's answered_count, correct_count and credit
are those of its answers; and that no request failed or got a 5xx. It prints the figures (requests
per instance, answers, p50/p95 latencies, errors), PASS or FAIL for each check and a verdict line,
`two instances: PASS …` or `two instances: FAIL …`; exit status 1 on a FAIL.

Needs PostgreSQL's server binaries (Debian: apt-get install postgresql) unless --database-url is given,
and nothing beyond the project's own dependencies (the learners' HTTP client is the standard library's).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from throwaway_server import (
    QuizTaker,
    free_port,
    manage,
    prepare,
    report_checks,
    server_env,
    start_gunicorn,
    wait_for,
)

PASSWORD = "two-instances-passphrase-2026"
USERNAME = "two-instances-learner"
ANSWER = QuizTaker.ANSWER
REPEAT = "repeat"  # the second copy of an answer sent twice
VERDICT = re.compile(r'<h2 class="feedback-verdict"[^>]*>(.*?)</h2>', re.S)

# Run by manage.py shell in the shared database, after the servers stopped; prints the figures as JSON.
CHECK = r"""
import json, os
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Count, Q, Sum
from quizzes.models import Answer, Attempt

client = json.load(open(os.environ["TWO_INSTANCES_CLIENT"]))
confirmed = {int(item): token for item, token in client["confirmed"].items()}
stored, doubled = {}, []
for item, token in Answer.objects.values_list("attempt_question_id", "token"):
    if item in stored:
        doubled.append(item)
    stored[item] = token
counters = []
attempts = Attempt.objects.annotate(
    answers=Count("items__answer"),
    right=Count("items__answer", filter=Q(items__answer__is_correct=True)),
    credits=Sum("items__answer__credit"),
)
for attempt in attempts:
    if (attempt.answered_count, attempt.correct_count) != (attempt.answers, attempt.right) or abs(
        attempt.credit - (attempt.credits or 0.0)
    ) > 1e-6:
        counters.append([attempt.pk, attempt.answered_count, attempt.answers, attempt.correct_count, attempt.right])
cache = settings.CACHES["default"]["BACKEND"]
from importlib import import_module
from django.contrib.sessions.backends import cached_db, db
store = import_module(settings.SESSION_ENGINE).SessionStore
print("TWO-INSTANCES " + json.dumps({
    "vendor": connection.vendor,
    "session_engine": settings.SESSION_ENGINE,
    # the database's session store, or one built on it (studyapp.http); cached_db only with a shared cache
    "sessions_in_database": issubclass(store, db.SessionStore)
    and not (issubclass(store, cached_db.SessionStore) and "locmem" in cache),
    "cache": cache,
    "sessions": Session.objects.count(),
    "attempts": attempts.count(),
    "answers": Answer.objects.count(),
    "doubled": doubled,
    "missing": sorted(set(confirmed) - set(stored)),
    "unconfirmed": sorted(set(stored) - set(confirmed)),
    "wrong_token": sorted(item for item, token in confirmed.items() if item in stored and stored[item] != token),
    "counter_mismatches": counters,
}))
"""


# ---- PostgreSQL ---------------------------------------------------------------------------------------
def pg_bindir() -> Path | None:
    """The newest PostgreSQL server binaries, found as ./scripts/test finds them: initdb and pg_ctl on
    PATH, else Debian's /usr/lib/postgresql/<version>/bin."""
    ctl, initdb = shutil.which("pg_ctl"), shutil.which("initdb")
    if ctl and initdb:
        return Path(ctl).resolve().parent
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)],
    )
    for folder in reversed(folders):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


@contextmanager
def throwaway_postgres(tmp: Path) -> Iterator[str]:
    """A PostgreSQL server of its own on a free 127.0.0.1 port with an empty database owned by an
    ordinary role, stopped (and its data removed with `tmp`) afterwards; yields its DATABASE_URL."""
    bindir = pg_bindir()
    if bindir is None:
        sys.exit(
            "PostgreSQL's server binaries (initdb, pg_ctl) not found: apt-get install postgresql, or --database-url"
        )
    as_pg: list[str] = []
    home = tmp / "pg"
    home.mkdir()
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        as_pg = ["runuser", "-u", "postgres", "--"]
        tmp.chmod(0o755)
        shutil.chown(home, "postgres")
    data, port = home / "data", free_port()

    def run(*command: str | Path) -> None:
        result = subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False)
        if result.returncode:
            log = data / "server.log"
            sys.exit(
                f"{' '.join(map(str, command[:3]))} … failed:\n{result.stdout}{result.stderr}"
                + (log.read_text() if log.exists() else "")
            )

    # trust on 127.0.0.1 and the private socket folder only; no fsync: the data is thrown away.
    run(*as_pg, bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    run(*as_pg, bindir / "pg_ctl", "-D", data, "-l", data / "server.log", "-w", "-t", "60", "start", "-o", options)
    try:
        psql: list[str | Path] = [
            bindir / "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-qX",
        ]
        run(*psql, "-v", "ON_ERROR_STOP=1", "-c", "CREATE ROLE union_study LOGIN PASSWORD 'union_study'")
        run(*psql, "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE union_study OWNER union_study")
        yield f"postgres://union_study:union_study@127.0.0.1:{port}/union_study"
    finally:
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
        )


# ---- the learners' browser ----------------------------------------------------------------------------
@dataclass
class Response:
    status_code: int
    headers: Message
    text: str


class Browser:
    """What a learner needs of a browser, on the standard library: form posts, redirects not followed,
    and one jar of cookies for every port of 127.0.0.1 (cookies name no port), so that the instances
    share them as they share a browser's behind one address."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()  # an answer sent to two instances at once is two threads

    def request(
        self,
        method: str,
        url: str,
        *,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
        allow_redirects: bool = False,
    ) -> Response:
        assert not allow_redirects
        parts = urlsplit(url)
        head = dict(headers or {})
        body = urlencode(data).encode() if data is not None else None
        if body is not None:
            head["Content-Type"] = "application/x-www-form-urlencoded"
        with self.lock:
            if self.cookies:
                head["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
        try:
            connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body, head)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                with self.lock:
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)  # deleted (Django sets max-age=0)
                    else:
                        self.cookies[name] = morsel.value
        return Response(raw.status, raw.headers, text)


# ---- the load ------------------------------------------------------------------------------------------
@dataclass
class Sent:
    name: str  # login, ping, start, question, answer, repeat
    instance: int
    seconds: float
    status: int  # 0: no response (connection error or timeout)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: list[Sent] = field(default_factory=list)
    confirmed: dict[int, str] = field(default_factory=dict)  # item -> the token of the answer confirmed
    quizzes: int = 0
    refused: list[str] = field(default_factory=list)  # unexpected answers below 500
    not_signed_in: int = 0
    not_recognised: int = 0  # signed in on one instance, a stranger to the other
    short: int = 0  # learners who stopped before their answers (too many refusals)
    repeats: Counter = field(default_factory=Counter)  # again / together -> sent, and "…_bad"
    repeat_problems: list[str] = field(default_factory=list)

    def add(self, sent: Sent) -> None:
        with self.lock:
            self.sent.append(sent)


def verdict(response: Response | None) -> str | None:
    """The feedback's verdict on an answer's page, whitespace squeezed; None without feedback."""
    if response is None or response.status_code != 200:
        return None
    match = VERDICT.search(response.text)
    return " ".join(match.group(1).split()) if match else None


class Learner(QuizTaker):
    """A learner whose requests take turns over the instances (see `route`), with some answers sent
    twice with the same token."""

    def __init__(self, number: int, hosts: list[str], target: int, repeat_every: int, tally: Tally, seed: int):
        super().__init__(f"{USERNAME}-{number}", hosts[0], random.Random(seed * 1000 + number), http=Browser())
        self.number = number
        self.hosts = hosts
        self.target = target
        self.repeat_every = repeat_every
        self.tally = tally
        self.steps = 0
        self.posted = 0
        self.tokens: dict[int, str] = {}
        self.accepted: dict[int, str] = {}

    def route(self, name: str, method: str = "GET") -> int:
        """The instance for a request: the login form from one, its post to the next and the check
        that the session holds (`/ping`) on the first again, learners starting on different ones;
        start → question → answer each one instance further on, and the next step one further than
        this one; the second copy of an answer on another instance than the first."""
        count = len(self.hosts)
        if name == "login":
            return (self.number + (method == "POST")) % count
        if name == "ping":
            return self.number % count  # not where the login was posted
        offset = {"start": 0, "question": 1, ANSWER: 2, REPEAT: 3}[name]
        return (self.number + self.steps + offset * (count - 1)) % count

    def send(self, name: str, instance: int, method: str, path: str, **kwargs: Any) -> Response | None:
        kwargs.setdefault("timeout", 30)
        clock = time.perf_counter()
        try:
            response = self.http.request(method, self.hosts[instance] + path, **kwargs)
        except (OSError, http.client.HTTPException):
            self.tally.add(Sent(name, instance, time.perf_counter() - clock, 0))
            return None
        self.tally.add(Sent(name, instance, time.perf_counter() - clock, response.status_code))
        return response

    def request(self, name: str, method: str, path: str, **kwargs: Any) -> Response | None:
        if name != ANSWER:
            return self.send(name, self.route(name, method), method, path, **kwargs)
        item, token = int(kwargs["data"]["item"]), kwargs["data"]["token"]
        self.tokens[item] = token
        self.posted += 1
        first, other = self.route(ANSWER), self.route(REPEAT)
        if not self.repeat_every or self.posted % self.repeat_every:
            return self.send(ANSWER, first, method, path, **kwargs)
        if (self.posted // self.repeat_every) % 2:
            how = "again"  # a retry: the same submit once more, to the other instance
            response = self.send(ANSWER, first, method, path, **kwargs)
            repeated = self.send(REPEAT, other, method, path, **kwargs) if verdict(response) else None
        else:
            how = "together"  # a double click: to both instances at the same moment
            box: dict[str, Response | None] = {}
            twin = threading.Thread(target=lambda: box.update(r=self.send(REPEAT, other, method, path, **kwargs)))
            twin.start()
            response = self.send(ANSWER, first, method, path, **kwargs)
            twin.join()
            repeated = box.get("r")
        with self.tally.lock:
            self.tally.repeats[how] += 1
            if verdict(response) is None or verdict(repeated) != verdict(response):
                self.tally.repeats[f"{how}_bad"] += 1
                self.tally.repeat_problems.append(
                    f"{how} item {item}: {getattr(response, 'status_code', None)} {verdict(response)!r} / "
                    f"{getattr(repeated, 'status_code', None)} {verdict(repeated)!r}"
                )
        return response

    def step(self) -> None:
        super().step()
        self.steps += 1

    def run(self) -> None:
        if not self.log_in(PASSWORD):
            with self.tally.lock:
                self.tally.not_signed_in += 1
            return
        ping = self.request("ping", "GET", "/ping")
        if ping is None or ping.status_code != 200 or ping.text != "pong":
            with self.tally.lock:
                self.tally.not_recognised += 1
            return
        limit = 3 * self.target + 20  # each step starts a quiz or answers: a refusal must not spin forever
        while len(self.accepted) < self.target and self.steps < limit:
            self.step()
        with self.tally.lock:
            self.tally.confirmed.update(self.accepted)
            self.tally.short += len(self.accepted) < self.target

    # hooks
    def started(self) -> None:
        with self.tally.lock:
            self.tally.quizzes += 1

    def confirmed(self, item: int) -> None:
        self.accepted[item] = self.tokens[item]

    def start_refused(self, response: Any) -> None:
        self._refused("start", response)
        time.sleep(0.1)

    def question_refused(self, response: Any) -> None:
        self._refused("question", response)

    def answer_refused(self, response: Any) -> None:
        self._refused(ANSWER, response)

    def _refused(self, name: str, response: Response | None) -> None:
        if response is not None and response.status_code < 500:  # 5xx and failures: counted when sent
            with self.tally.lock:
                self.tally.refused.append(f"{name}: {response.status_code}")


def static_shared(hosts: list[str]) -> tuple[bool, str]:
    """Whether the stylesheet the first instance's login page names is served by every other."""
    browser = Browser()
    page = browser.request("GET", hosts[0] + "/accounts/login/")
    names = re.findall(r'href="(/static/[^"]+\.css)"', page.text)
    if not names:
        return False, f"no stylesheet on the login page ({page.status_code})"
    statuses = [browser.request("GET", host + names[-1]).status_code for host in hosts[1:]]
    return all(status == 200 for status in statuses), f"{names[-1]}: {statuses}"


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1] * 1000


# ---- the run -------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=20, help="learners answering at the same time")
    parser.add_argument("--answers", type=int, default=20, help="answers each learner gets accepted")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each instance")
    parser.add_argument("--instances", type=int, default=2, help="gunicorn instances (at least 2)")
    parser.add_argument("--repeat-every", type=int, default=4, help="send every n-th answer twice (0: none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", default="", help="an empty PostgreSQL database instead of a throw-away server"
    )
    args = parser.parse_args()
    if args.instances < 2:
        parser.error("--instances: at least 2")

    # Stopped by a signal (a test's timeout), still stop gunicorn and PostgreSQL: the `finally`s run.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(143))
    began = time.monotonic()
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="union-study-two-") as folder:
        tmp = Path(folder)
        database = nullcontext(args.database_url) if args.database_url else throwaway_postgres(tmp)
        with database as database_url:
            base = server_env(str(tmp), database_url=database_url, workers=args.workers)
            # Every instance: the same DATABASE_URL and SECRET_KEY, a VAR_DIR (static files) of its own.
            envs = [{**base, "VAR_DIR": str(tmp / f"instance-{n}")} for n in range(args.instances)]
            print(f"preparing {database_url.split('@')[-1]} with {args.learners} learners …", flush=True)
            prepare(envs[0], users=args.learners, username=USERNAME, password=PASSWORD)
            for env in envs[1:]:  # the release's static files, built once, copied to every machine
                shutil.copytree(Path(envs[0]["VAR_DIR"]) / "staticfiles", Path(env["VAR_DIR"]) / "staticfiles")
            ports = [free_port() for _env in envs]
            hosts = [f"http://127.0.0.1:{port}" for port in ports]
            logs = [open(tmp / f"gunicorn-{n}.log", "w") for n in range(args.instances)]  # noqa: SIM115
            servers = [start_gunicorn(env, port, log) for env, port, log in zip(envs, ports, logs, strict=True)]
            try:
                for server, port in zip(servers, ports, strict=True):
                    wait_for(server, port)
                prepared = time.monotonic() - began
                print(
                    f"{args.instances} gunicorn instances × {args.workers} workers on {', '.join(hosts)} "
                    f"(ready after {prepared:.0f} s); {args.learners} learners × {args.answers} answers …",
                    flush=True,
                )
                static_ok, static_detail = static_shared(hosts)
                learners = [
                    Learner(n, hosts, args.answers, args.repeat_every, tally, args.seed)
                    for n in range(1, args.learners + 1)
                ]
                clock = time.monotonic()
                for learner in learners:
                    learner.start()
                for learner in learners:
                    learner.join(timeout=300)
                seconds = time.monotonic() - clock
                stuck = sum(learner.is_alive() for learner in learners)
            finally:
                for server in servers:
                    server.terminate()
                for server in servers:
                    server.wait(timeout=30)
                for log in logs:
                    log.close()
            client = tmp / "client.json"
            client.write_text(json.dumps({"confirmed": {str(item): token for item, token in tally.confirmed.items()}}))
            out = manage({**envs[0], "TWO_INSTANCES_CLIENT": str(client)}, "shell", "-c", CHECK)
            server_log = "".join((tmp / f"gunicorn-{n}.log").read_text() for n in range(args.instances))
    figures = json.loads(next(line for line in out.splitlines() if line.startswith("TWO-INSTANCES "))[14:])
    return report(args, tally, figures, seconds, stuck, static_ok, static_detail, server_log)


def report(
    args: argparse.Namespace,
    tally: Tally,
    figures: dict[str, Any],
    seconds: float,
    stuck: int,
    static_ok: bool,
    static_detail: str,
    server_log: str,
) -> int:
    sent = tally.sent
    failed = [s for s in sent if s.status == 0]
    server_errors = [s for s in sent if s.status >= 500]
    names = ["login", "ping", "start", "question", ANSWER, REPEAT]
    print(
        f"\n== load: {args.learners} learners × {args.answers} answers over {args.instances} instances, {seconds:.1f} s"
    )
    header = "".join(f"{'instance ' + chr(65 + n):>12}" for n in range(args.instances))
    print(f"{'request':<10}{header}{'p50 ms':>9}{'p95 ms':>9}")
    for name in names:
        of_name = [s for s in sent if s.name == name]
        if not of_name:
            continue
        counts = "".join(f"{sum(s.instance == n for s in of_name):>12}" for n in range(args.instances))
        times = [s.seconds for s in of_name]
        print(f"{name:<10}{counts}{percentile(times, 0.5):>9.0f}{percentile(times, 0.95):>9.0f}")
    all_times = [s.seconds for s in sent]
    counts = "".join(f"{sum(s.instance == n for s in sent):>12}" for n in range(args.instances))
    print(f"{'all':<10}{counts}{percentile(all_times, 0.5):>9.0f}{percentile(all_times, 0.95):>9.0f}")
    print(f"requests {len(sent)} ({len(sent) / seconds:.0f}/s), quizzes started {tally.quizzes}")
    print(
        f"answers confirmed {len(tally.confirmed)}; sent twice: {tally.repeats['again']} again after the first, "
        f"{tally.repeats['together']} to two instances at once"
    )
    print(f"errors: {len(failed)} without response, {len(server_errors)} 5xx, {len(tally.refused)} other refusals")
    for problem in (tally.refused + tally.repeat_problems)[:10]:
        print(f"  {problem}")
    if server_errors or failed:
        print("gunicorn's log (last lines):\n" + "\n".join(server_log.splitlines()[-30:]))
    print("\n== database")
    print(
        f"sessions {figures['sessions']} ({figures['session_engine']}), attempts {figures['attempts']}, answers {figures['answers']}"
    )

    answers_per_instance = [
        sum(s.name == ANSWER and s.instance == n and s.status == 200 for s in sent) for n in range(args.instances)
    ]
    expected = args.learners * args.answers
    session_shared = figures["sessions_in_database"]
    checks = [
        ("the database is PostgreSQL", figures["vendor"] == "postgresql", figures["vendor"]),
        ("sessions are kept in the shared database", session_shared, f"SESSION_ENGINE {figures['session_engine']}"),
        (
            "every learner signed in on one instance is recognised by the other",
            not tally.not_signed_in and not tally.not_recognised,
            f"{args.learners - tally.not_signed_in} of {args.learners} signed in, {tally.not_recognised} not recognised",
        ),
        ("a stylesheet one instance names is served by the others", static_ok, static_detail),
        (
            "every instance took answers",
            all(count > 0 for count in answers_per_instance),
            " / ".join(map(str, answers_per_instance)),
        ),
        (
            "every learner got all their answers accepted",
            len(tally.confirmed) == expected and not stuck and not tally.short,
            f"{len(tally.confirmed)} of {expected} ({stuck} learners stuck, {tally.short} stopped short)",
        ),
        (
            "no 5xx, no request without response, no other refusal",
            not failed and not server_errors and not tally.refused,
            f"{len(server_errors)} 5xx, {len(failed)} without response, {len(tally.refused)} refused of {len(sent)}",
        ),
        (
            "answers sent twice show the same feedback from both instances",
            not tally.repeats["again_bad"] and not tally.repeats["together_bad"],
            f"{tally.repeats['again']} again ({tally.repeats['again_bad']} differ), "
            f"{tally.repeats['together']} together ({tally.repeats['together_bad']} differ)",
        ),
        (
            "the answers stored are exactly the answers confirmed, each once, with its token",
            not (figures["missing"] or figures["unconfirmed"] or figures["doubled"] or figures["wrong_token"]),
            f"{figures['answers']} stored, {len(tally.confirmed)} confirmed: {len(figures['missing'])} lost, "
            f"{len(figures['doubled'])} doubled, {len(figures['unconfirmed'])} never confirmed, "
            f"{len(figures['wrong_token'])} with another token",
        ),
        (
            "attempt counters = their answers (answered_count, correct_count, credit)",
            not figures["counter_mismatches"],
            f"{len(figures['counter_mismatches'])} of {figures['attempts']} attempts differ"
            + (f": {figures['counter_mismatches'][:5]}" if figures["counter_mismatches"] else ""),
        ),
    ]
    status = report_checks(checks)
    answer_times = [s.seconds for s in sent if s.name == ANSWER]
    summary = (
        f"{len(tally.confirmed)} answers by {args.learners} learners over {args.instances} instances, "
        f"{len(sent)} requests, answer p95 {percentile(answer_times, 0.95):.0f} ms, "
        f"{len(server_errors) + len(failed)} errors, {len(figures['missing'])} lost, {len(figures['doubled'])} doubled"
    )
    print(f"two instances: {'PASS' if status == 0 else 'FAIL'} ({summary})")
    return status


if __name__ == "__main__":
    sys.exit(main())
