"""Fault test: kill gunicorn workers during a burst of answers, then prove the database still agrees.

    .venv/bin/python scripts/fault_answers.py [--users 30] [--seconds 20] [--workers 4] [--seed 1]

Like scripts/loadtest.py it builds a throw-away SQLite database in a temporary folder (the document,
its question bank, the users), starts gunicorn on a free 127.0.0.1 port, and signs the users in.
Then, for --seconds, every user starts quizzes of ten mixed questions and answers them as fast as
the server lets it, from a thread of its own, while a killer thread sends SIGKILL to a random
gunicorn worker every second (the master starts a new one). A request cut off by the kill is sent
again, once, with the same token: the browser's retry.

Afterwards, with gunicorn stopped, it checks in the database that

1. every attempt's answered_count is the number of its Answer rows, and correct_count and credit
   are the sums of theirs (no counter lost or counted twice by a killed transaction);
2. no attempt has more answers than questions, and a finished one has them all;
3. every point a user answered has a PointState whose reps is the number of answers that reviewed
   it (≥ is what the brief asks; = is what a fresh database must give);
4. every answer a user was shown feedback for is in the database.

It prints the figures and PASS or FAIL for each check; exit status 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
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

PASSWORD = "fault-test-passphrase-2026"

# Run by manage.py shell in the throw-away database; prints the figures as JSON.
CHECK = r"""
import json, os
from collections import Counter, defaultdict
from django.db.models import Count, Sum
from quizzes.core.checking import Check
from quizzes.core.kinds import kind_of
from quizzes.models import Answer, Attempt, AttemptQuestion, PointState

confirmed = set(json.load(open(os.environ["FAULT_CONFIRMED"])))
out = {"attempts": 0, "answers": Answer.objects.count(), "point_states": PointState.objects.count(),
       "counter_mismatches": [], "overfull": [], "unfinished": [], "reps_mismatches": [],
       "confirmed": len(confirmed), "confirmed_missing": []}
for attempt in Attempt.objects.all():
    out["attempts"] += 1
    answers = list(Answer.objects.filter(attempt_question__attempt=attempt))
    right = sum(a.is_correct for a in answers)
    credit = sum(a.credit for a in answers)
    if (attempt.answered_count, attempt.correct_count) != (len(answers), right) or abs(attempt.credit - credit) > 1e-6:
        out["counter_mismatches"].append([attempt.pk, attempt.answered_count, len(answers), attempt.correct_count,
                                          right, round(attempt.credit, 4), round(credit, 4)])
    if len(answers) > attempt.question_count:
        out["overfull"].append(attempt.pk)
    if attempt.finished_at and attempt.deadline is None and len(answers) < attempt.question_count:
        out["unfinished"].append(attempt.pk)
reviews = Counter()
for answer in Answer.objects.select_related("attempt_question__question", "attempt_question__attempt"):
    item = answer.attempt_question
    question = item.question
    check = Check(marks=answer.marks, credit=answer.credit, is_correct=answer.is_correct)
    for key in kind_of(question.type).ratings(question, check, answer.elapsed_seconds, item.layout):
        reviews[(item.attempt.user_id, key)] += 1
states = {(s.user_id, s.point_text_key): s.reps for s in PointState.objects.all()}
out["points_answered"] = len(reviews)
for key, count in reviews.items():
    if states.get(key, 0) != count:
        out["reps_mismatches"].append([key[0], key[1], count, states.get(key)])
out["states_without_answers"] = len(set(states) - set(reviews))
stored = set(Answer.objects.values_list("attempt_question_id", flat=True))
out["confirmed_missing"] = sorted(confirmed - stored)
print("FAULT-CHECK " + json.dumps(out))
"""


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    confirmed: set[int] = field(default_factory=set)  # items whose answer the user saw feedback for
    posts: int = 0
    retried: int = 0
    cut_off: int = 0  # connection errors: the worker died under the request
    server_errors: int = 0  # 5xx
    refused: int = 0  # other unexpected statuses
    quizzes: int = 0
    kills: int = 0

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


def workers_of(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


class Cadre(QuizTaker):
    """A learner whose requests survive a worker killed under them, counting what happens."""

    def __init__(self, number: int, host: str, until: float, tally: Tally, seed: int) -> None:
        super().__init__(f"fault-cadre-{number}", host, random.Random(seed * 1000 + number))
        self.until = until
        self.tally = tally

    def request(self, name: str, method: str, path: str, **kwargs) -> requests.Response | None:
        """One request; sent again once when the worker died under it (None if that failed too)."""
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        for attempt in range(2):
            try:
                return self.http.request(method, self.host + path, **kwargs)
            except requests.RequestException:
                self.tally.add(cut_off=1, retried=int(attempt == 0))
        return None

    def log_in(self, password: str) -> bool:
        return any(super(Cadre, self).log_in(password) for _try in range(5))

    def run(self) -> None:
        while time.monotonic() < self.until:
            self.step()

    def started(self) -> None:
        self.tally.add(quizzes=1)

    def posting(self) -> None:
        self.tally.add(posts=1)

    def confirmed(self, item: int) -> None:
        with self.tally.lock:
            self.tally.confirmed.add(item)

    def start_refused(self, response: requests.Response | None) -> None:
        self._unexpected(response)

    question_refused = answer_refused = start_refused

    def _unexpected(self, response: requests.Response | None) -> None:
        if response is None:
            return
        if response.status_code >= 500:
            self.tally.add(server_errors=1)
        else:
            self.tally.add(refused=1)


def killer(master: int, until: float, tally: Tally, rng: random.Random) -> None:
    while time.monotonic() < until:
        time.sleep(1)
        workers = workers_of(master)
        if workers:
            try:
                os.kill(rng.choice(workers), signal.SIGKILL)
                tally.add(kills=1)
            except ProcessLookupError:
                pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=20, help="length of the burst")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tally = Tally()

    with tempfile.TemporaryDirectory(prefix="union-study-fault-") as tmp:
        env = server_env(tmp, database_url=f"sqlite:///{tmp}/fault.sqlite3", workers=args.workers)
        print(f"preparing a throw-away SQLite database with {args.users} users …", flush=True)
        prepare(env, users=args.users, username="fault-cadre", password=PASSWORD)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = start_gunicorn(env, port, open(Path(tmp) / "gunicorn.log", "w"))  # noqa: SIM115 - closed with the folder
        try:
            wait_for(server, port)
            cadres = [Cadre(n, host, 0, tally, args.seed) for n in range(1, args.users + 1)]
            signed_in = sum(cadre.log_in(PASSWORD) for cadre in cadres)
            print(f"gunicorn: {args.workers} workers on {host}; {signed_in}/{args.users} users signed in", flush=True)
            until = time.monotonic() + args.seconds
            for cadre in cadres:
                cadre.until = until
                cadre.start()
            kill_thread = threading.Thread(
                target=killer, args=(server.pid, until, tally, random.Random(args.seed)), daemon=True
            )
            kill_thread.start()
            for cadre in cadres:
                cadre.join(timeout=args.seconds + 120)
            kill_thread.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        worker_deaths = (Path(tmp) / "gunicorn.log").read_text().count("was sent SIGKILL")
        confirmed_file = Path(tmp) / "confirmed.json"
        confirmed_file.write_text(json.dumps(sorted(tally.confirmed)))
        out = manage({**env, "FAULT_CONFIRMED": str(confirmed_file)}, "shell", "-c", CHECK)
    figures = json.loads(next(line for line in out.splitlines() if line.startswith("FAULT-CHECK "))[12:])

    print(f"\n== burst: {args.seconds:.0f} s, {args.users} users, {args.workers} workers")
    print(f"workers killed           {tally.kills} (gunicorn logged {worker_deaths} SIGKILLs)")
    print(f"quizzes started          {tally.quizzes}")
    print(f"answers posted           {tally.posts}")
    print(f"answers confirmed        {len(tally.confirmed)}")
    print(f"requests cut off         {tally.cut_off} ({tally.retried} sent again)")
    print(f"server errors (5xx)      {tally.server_errors}")
    print(f"other refusals           {tally.refused}")
    print("\n== database")
    print(f"attempts                 {figures['attempts']}")
    print(f"answers                  {figures['answers']}")
    print(f"points answered          {figures['points_answered']}")
    print(f"point states             {figures['point_states']} ({figures['states_without_answers']} without answers)")

    checks = [
        (
            "attempt counters = their answers (answered_count, correct_count, credit)",
            not figures["counter_mismatches"],
            f"{len(figures['counter_mismatches'])} of {figures['attempts']} attempts differ"
            + (f": {figures['counter_mismatches'][:5]}" if figures["counter_mismatches"] else ""),
        ),
        (
            "no attempt has more answers than questions; a finished one has them all",
            not figures["overfull"] and not figures["unfinished"],
            f"{len(figures['overfull'])} overfull, {len(figures['unfinished'])} finished early",
        ),
        (
            "every answered point has a PointState with reps = its answers (≥ required)",
            not figures["reps_mismatches"],
            f"{len(figures['reps_mismatches'])} of {figures['points_answered']} points differ"
            + (f": {figures['reps_mismatches'][:5]}" if figures["reps_mismatches"] else ""),
        ),
        (
            "every answer confirmed to a user is stored",
            not figures["confirmed_missing"],
            f"{figures['confirmed'] - len(figures['confirmed_missing'])} of {figures['confirmed']} found",
        ),
        ("workers were killed during the burst", tally.kills > 0, f"{tally.kills} kills"),
    ]
    return report_checks(checks)


if __name__ == "__main__":
    sys.exit(main())
