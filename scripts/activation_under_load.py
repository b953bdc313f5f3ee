"""Activation under load: a 50× seed-sized document is imported and activated while learners answer.

    .venv/bin/python scripts/activation_under_load.py [--users 20] [--workers 4] [--multiple 50]
        [--warm-up 5] [--after 5] [--seed 1]

Like scripts/fault_answers.py it builds a throw-away database (SQLite in a temporary folder unless
DATABASE_URL names an empty one; one with users is refused) with the seed document, its question
bank and the users, starts gunicorn on a free 127.0.0.1 port and signs the users in. Every user
then starts practice quizzes of ten mixed questions and answers them as fast as the server lets it,
from a thread of its own, recording the status and latency of every request.

After --warm-up seconds, another process imports the seed's body repeated --multiple times (built
by scripts/bench_activation.py's document(), within the parser's limits) and activates it, as staff
would from the command line:

    manage.py import_document <file> --activate

The load goes on until that command ends and --after seconds more. The new bank retires questions
of quizzes in progress: their learners must get an answer (a 4xx or a normal page), never a 5xx.

It prints the activation's time, the answers submitted and stored during it, the 5xx and the other
errors, p50/p95 answer latency before and during the activation, and PASS (exit status 0) or FAIL:
FAIL on any 5xx, on a failed activation, or when the answers stored are not exactly those the
users were shown feedback for.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests
from throwaway_server import (
    PYTHON,
    ROOT,
    QuizTaker,
    free_port,
    manage,
    prepare,
    report_checks,
    server_env,
    start_gunicorn,
    wait_for,
)

PASSWORD = "activation-load-passphrase-2026"
ANSWER = QuizTaker.ANSWER

# Run by manage.py shell in the throw-away database; prints the stored answers as JSON.
STORED = r"""
import json
from quizzes.models import Answer, Question
from studyapp.documents.models import DocumentVersion
rows = Answer.objects.values_list("attempt_question_id", "answered_at")
active = DocumentVersion.objects.filter(is_active=True).values_list("number", flat=True).first()
print("STORED " + json.dumps({
    "answers": {str(item): at.timestamp() for item, at in rows},
    "active_version": active,
    "questions_active": Question.objects.filter(is_active=True).count(),
    "questions_retired": Question.objects.filter(is_active=False).count(),
    "retired_items": list(rows.filter(attempt_question__question__is_active=False).values_list(
        "attempt_question_id", flat=True)),
}))
"""


def _bench_activation():
    """scripts/bench_activation.py as a module (for its document())."""
    spec = importlib.util.spec_from_file_location("bench_activation", Path(__file__).with_name("bench_activation.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Request:
    name: str  # start, question, answer
    started: float  # time.time()
    seconds: float
    status: int  # 0: no response (connection error or timeout)
    outcome: str = ""  # of an answer: "feedback", or what came instead


@dataclass
class Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[Request] = field(default_factory=list)
    confirmed: dict[int, float] = field(default_factory=dict)  # item -> when its feedback arrived
    quizzes: int = 0

    def add(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)


class Learner(QuizTaker):
    """A learner whose every request is logged with its status and latency."""

    def __init__(self, number: int, host: str, log: Log, stop: threading.Event, seed: int) -> None:
        super().__init__(f"activation-learner-{number}", host, random.Random(seed * 1000 + number))
        self.log = log
        self.stop = stop

    def request(self, name: str, method: str, path: str, **kwargs) -> requests.Response | None:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 120)
        started, clock = time.time(), time.perf_counter()
        try:
            response = self.http.request(method, self.host + path, **kwargs)
        except requests.RequestException as error:
            self.log.add(Request(name, started, time.perf_counter() - clock, 0, type(error).__name__))
            return None
        request = Request(name, started, time.perf_counter() - clock, response.status_code)
        if name == ANSWER:
            request.outcome = "feedback" if "feedback-verdict" in response.text else "no feedback"
        self.log.add(request)
        return response

    def run(self) -> None:
        while not self.stop.is_set():
            self.step()

    def started(self) -> None:
        with self.log.lock:
            self.log.quizzes += 1

    def start_refused(self, response: requests.Response | None) -> None:
        time.sleep(0.2)  # refused: don't spin

    def confirmed(self, item: int) -> None:
        with self.log.lock:
            self.log.confirmed[item] = time.time()

    def answer_refused(self, response: requests.Response | None) -> None:
        if response is not None and response.status_code >= 400:
            self.attempt_url = ""  # refused (e.g. its question gone): start another quiz


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile of `values` in milliseconds (0 for none)."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--multiple", type=int, default=50, help="the new document is the seed's body this many times")
    parser.add_argument("--warm-up", type=float, default=5, help="seconds of load before the activation")
    parser.add_argument("--after", type=float, default=5, help="seconds of load after the activation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    text = _bench_activation().document(args.multiple)
    log = Log()
    stop = threading.Event()

    with tempfile.TemporaryDirectory(prefix="union-study-activation-") as tmp:
        database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/activation.sqlite3"
        env = server_env(tmp, database_url=database, workers=args.workers)
        print(f"preparing {env['DATABASE_URL'].split('@')[-1]} with {args.users} users …", flush=True)
        prepare(env, users=args.users, username="activation-learner", password=PASSWORD)
        source = Path(tmp) / f"seed-{args.multiple}x.md"
        source.write_text(text, encoding="utf-8")
        gunicorn_log = Path(tmp) / "gunicorn.log"
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = start_gunicorn(env, port, open(gunicorn_log, "w"))  # noqa: SIM115 - closed with the folder
        try:
            wait_for(server, port)
            learners = [Learner(n, host, log, stop, args.seed) for n in range(1, args.users + 1)]
            signed_in = sum(learner.log_in(PASSWORD) for learner in learners)
            print(f"gunicorn: {args.workers} workers on {host}; {signed_in}/{args.users} users signed in", flush=True)
            loaded = time.time()
            for learner in learners:
                learner.start()
            time.sleep(args.warm_up)
            print(
                f"activating {source.name} ({len(text.encode())} bytes, {text.count(chr(10))} lines) …",
                flush=True,
            )
            window_start = time.time()
            command = subprocess.run(
                [PYTHON, "manage.py", "import_document", str(source), "--activate"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            window_end = time.time()
            time.sleep(args.after)
            stop.set()
            for learner in learners:
                learner.join(timeout=180)
            unloaded = time.time()
        finally:
            server.terminate()
            server.wait(timeout=30)
        out = manage(env, "shell", "-c", STORED)
        server_log = gunicorn_log.read_text()
    stored = json.loads(next(line for line in out.splitlines() if line.startswith("STORED "))[7:])
    answered_at = {int(item): at for item, at in stored["answers"].items()}

    activation = window_end - window_start
    answers = [r for r in log.requests if r.name == ANSWER]
    before = [r for r in answers if r.started < window_start]
    during = [r for r in answers if window_start <= r.started < window_end]
    after = [r for r in answers if r.started >= window_end]
    server_errors = [r for r in log.requests if r.status >= 500]
    others = Counter(
        f"{r.name} {r.status or r.outcome}"
        for r in log.requests
        if r.status == 0
        or (400 <= r.status < 500)
        or (r.name == ANSWER and r.status == 200 and r.outcome != "feedback")
    )
    confirmed = set(log.confirmed)
    stored_items = set(answered_at)
    submitted_during = sum(window_start <= at < window_end for at in log.confirmed.values())
    stored_during = sum(window_start <= at < window_end for at in answered_at.values())
    # Answers to questions the activation retired, given once it had ended: quizzes begun before it.
    retired_after = sum(answered_at[item] >= window_end for item in stored["retired_items"])

    print(f"\n== activation of the {args.multiple}× document (manage.py import_document --activate)")
    print(f"exit status              {command.returncode}")
    for line in (command.stdout.strip().splitlines() + command.stderr.strip().splitlines())[-4:]:
        print(f"  | {line}")
    print(f"activation time          {activation:.2f} s")
    print(f"active version after     v{stored['active_version']}")
    print(f"questions                {stored['questions_active']} active, {stored['questions_retired']} retired")
    print(f"\n== load: {args.users} learners, {args.workers} workers, {unloaded - loaded:.1f} s")
    print(f"quizzes started          {log.quizzes}")
    print(f"requests                 {len(log.requests)}")
    print(f"answers posted           {len(answers)} ({len(before)} before, {len(during)} during, {len(after)} after)")
    print(f"answers confirmed        {len(confirmed)} (feedback shown), {len(stored_items)} stored")
    print(f"during the activation    {submitted_during} confirmed, {stored_during} stored")
    print(f"retired, answered after  {retired_after} answers to questions retired by the activation")
    print(f"server errors (5xx)      {len(server_errors)}")
    print(f"other errors             {sum(others.values())}" + "".join(f"\n  {n:>6} × {k}" for k, n in others.items()))
    print("\n== answer latency        p50 ms   p95 ms   max ms   count")
    for label, rows in (("before", before), ("during", during), ("after", after)):
        seconds = [r.seconds for r in rows]
        print(
            f"{label:<24}{percentile(seconds, 0.5):>7.0f}{percentile(seconds, 0.95):>9.0f}"
            f"{max(seconds, default=0) * 1000:>9.0f}{len(rows):>8}"
        )

    if server_errors:
        print("\n== gunicorn log (errors)")
        print(server_log[-6000:])
    checks = [
        ("the activation succeeded", command.returncode == 0, f"exit status {command.returncode}"),
        ("answers were submitted during the activation", submitted_during > 0, f"{submitted_during} confirmed"),
        ("no 5xx", not server_errors, f"{len(server_errors)} responses ≥ 500"),
        (
            "answers stored = answers submitted (confirmed)",
            stored_items == confirmed,
            f"{len(confirmed)} confirmed, {len(stored_items)} stored, "
            f"{len(confirmed - stored_items)} confirmed but missing, {len(stored_items - confirmed)} stored unconfirmed",
        ),
    ]
    return report_checks(checks)


if __name__ == "__main__":
    sys.exit(main())
