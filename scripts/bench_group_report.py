"""Benchmark: the group report and its exports for a large group.

    .venv/bin/python scripts/bench_group_report.py [--members 1000] [--answers 100] [--runs 5]

Builds, in a throw-away SQLite database (or in DATABASE_URL when set — which must then be a database
you can throw away), the published document with its question bank and a study group of `members`
learners with `answers` answers each: two fixed assignments of 20 questions each (started by every
learner, completed by most) and practice quizzes of 10 for the rest, spread over 30 days, with the
points' memory states they would have left. Rows are made with factory-boy's `build()` and written
with `bulk_create()`; the answer checking and FSRS scheduling of the services are bypassed on purpose
(hours for 100,000 answers), the memory states are drawn instead.

Then renders the report as the trainer (Django test client): the whole page, the htmx fragment of
the member table, the two parts the page loads after itself with htmx (the scores over time with the
per-question analysis, and the integrity signals: they read every answer they analyse), the CSV and
the XLSX export; prints the median server time of `runs` runs, the number of SQL queries, the response
sizes and the ratio of the time to the goal (page 150 ms, member table 100 ms, each part 300 ms, CSV
300 ms, XLSX 500 ms; below 1.00 meets it).

On PostgreSQL the new tables are vacuumed and analysed after the build, as autovacuum would do.
Runs on both databases, one child process each: SQLite, then PostgreSQL — DATABASE_URL when it is set,
else a throw-away server started as scripts/test starts one (initdb and pg_ctl on PATH or under
/usr/lib/postgresql; as root, run as the `postgres` user), else skipped. `--database sqlite|postgres`
runs one. Outside CI: it prints figures, it asserts nothing about them.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS_MS = {
    "report page": 150,
    "report page, sorted by score": 150,
    "member table (htmx)": 100,
    "analysis part (htmx)": 300,
    "analysis part, practice (htmx)": 300,
    "integrity part (htmx)": 300,
    "CSV export": 300,
    "XLSX export": 500,
}


def setup(database_url: str | None, keep: str | None = None) -> None:
    from bench_django import setup as django_setup

    django_setup(database_url, keep, prefix="bench-report-")


def build(members: int, answers_each: int, seed: int = 2026) -> tuple[object, object]:
    """The document, its bank and the group; returns (trainer, group)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from quizzes.bank import bank_sync
    from quizzes.models import Answer, Attempt, AttemptQuestion, PointState, Question
    from studyapp.documents.models import DocumentVersion
    from studyapp.people.models import TRAINERS_GROUP, Membership, Profile
    from tests import factories

    rng = random.Random(seed)
    if not DocumentVersion.objects.filter(is_active=True).exists():
        call_command("loaddata", "document", verbosity=0)
    version = DocumentVersion.objects.get(is_active=True)
    if not Question.objects.exists():
        bank_sync(version=version)
    questions = list(Question.objects.active())
    now = timezone.now()

    with transaction.atomic():
        trainer = factories.ProfileFactory(display_name="王培训", role="cadre", user__username="bench-trainer").user
        trainer.groups.add(Group.objects.get_or_create(name=TRAINERS_GROUP)[0])
        group = factories.StudyGroupFactory(name="压测学习班")
        Membership.objects.create(group=group, user=trainer, role=Membership.Role.TRAINER)
        organisation = factories.OrganisationFactory()
        password = make_password("bench-password")
        users = factories.UserFactory.build_batch(members, password=password)
        for index, user in enumerate(users):
            user.username = f"bench-{index:05d}"
        User = type(users[0])
        User.objects.bulk_create(users, batch_size=1000)
        users = list(User.objects.filter(username__startswith="bench-0").order_by("username"))
        Profile.objects.bulk_create(
            [
                Profile(
                    user=user,
                    display_name=f"学员{index:04d}",
                    role=Profile.Role.CADRE if index % 4 == 0 else Profile.Role.MEMBER,
                    organisation=organisation,
                )
                for index, user in enumerate(users)
            ],
            batch_size=1000,
        )
        Membership.objects.bulk_create(
            # Joined before all their activity, so the trainer sees (and the bench reads) all of it.
            [
                Membership(group=group, user=user, role=Membership.Role.MEMBER, joined_at=now - timedelta(days=60))
                for user in users
            ],
            batch_size=1000,
        )
        assignments = [
            factories.AssignmentFactory.create(
                group=group,
                title=f"压测测验{n + 1}",
                mode="fixed",
                question_ids=[q.pk for q in rng.sample(questions, 20)],
                length=20,
                opens_at=now - timedelta(days=30 - 10 * n),
                closes_at=now + timedelta(days=5),
            )
            for n in range(2)
        ]
        by_id = {q.pk: q for q in questions}

        attempts: list[Attempt] = []
        plans: list[tuple[list[int], float, object]] = []  # question ids, skill, start
        for user in users:
            skill = rng.uniform(0.35, 0.95)
            left = answers_each
            for assignment in assignments:
                if left <= 0:
                    break
                ids = assignment.question_ids[: min(len(assignment.question_ids), left)]
                start = assignment.opens_at + timedelta(hours=rng.uniform(1, 200))
                attempts.append(
                    Attempt(
                        user=user,
                        kind=Attempt.Kind.ASSIGNMENT,
                        assignment=assignment,
                        scope_label=assignment.title,
                        question_count=len(assignment.question_ids),
                        started_at=start,
                        deadline=assignment.closes_at,
                    )
                )
                plans.append((ids, skill, start))
                left -= len(ids)
            while left > 0:
                ids = [q.pk for q in rng.sample(questions, min(10, left))]
                start = now - timedelta(days=rng.uniform(0.1, 30))
                attempts.append(Attempt(user=user, question_count=len(ids), started_at=start))
                plans.append((ids, skill, start))
                left -= len(ids)
        Attempt.objects.bulk_create(attempts, batch_size=2000)  # ids come back on SQLite ≥ 3.35 and PostgreSQL

        items = [
            AttemptQuestion(attempt=attempt, question_id=qid, position=position)
            for attempt, (ids, _skill, _start) in zip(attempts, plans, strict=True)
            for position, qid in enumerate(ids)
        ]
        AttemptQuestion.objects.bulk_create(items, batch_size=5000)

        answers, states = [], {}
        cursor = 0
        for attempt, (ids, skill, start) in zip(attempts, plans, strict=True):
            moment = start
            credit = correct = 0
            for qid in ids:
                item = items[cursor]
                cursor += 1
                question = by_id[qid]
                right = rng.random() < skill
                moment += timedelta(seconds=rng.uniform(10, 60))
                answers.append(
                    Answer(
                        attempt_question=item,
                        given=question.kind.sample_answer(question, right, rng),
                        marks=[right],
                        credit=1.0 if right else 0.0,
                        is_correct=right,
                        elapsed_seconds=30.0,
                        answered_at=moment,
                    )
                )
                credit += right
                correct += right
                for key in question.source_text_keys or []:
                    stability = rng.uniform(1, 20) if right else 0.2
                    states[(attempt.user_id, key)] = PointState(
                        user_id=attempt.user_id,
                        point_text_key=key,
                        card={},
                        due=moment + timedelta(days=stability),
                        stability=stability,
                        stable_until=moment + timedelta(days=stability),
                        last_rating=3 if right else 1,
                        last_review=moment,
                        reps=1,
                    )
            attempt.answered_count = len(ids)
            attempt.correct_count = correct
            attempt.credit = float(credit)
            attempt.last_answer_at = moment
            # One learner in ten leaves an assignment half done.
            complete = attempt.assignment_id is None or rng.random() > 0.1
            attempt.finished_at = moment if complete and len(ids) == attempt.question_count else None
            if not complete:
                attempt.answered_count = min(attempt.answered_count, attempt.question_count // 2)
        Answer.objects.bulk_create(answers, batch_size=5000)
        Attempt.objects.bulk_update(
            attempts, ["answered_count", "correct_count", "credit", "last_answer_at", "finished_at"], batch_size=2000
        )
        PointState.objects.bulk_create(list(states.values()), batch_size=5000)
    print(
        f"built: {members} learners, {len(attempts)} attempts, {len(answers)} answers, {len(states)} point states, "
        f"{len(questions)} questions"
    )
    return trainer, group


def measure(client, url: str, runs: int, **headers) -> tuple[float, int, int]:
    """Median seconds, queries of the last run, response bytes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return statistics.median(times), len(queries), len(response.content)


def run(args: argparse.Namespace) -> None:
    """Build (or reuse) the data in the database of DATABASE_URL (or a throw-away SQLite) and measure."""
    setup(os.environ.get("DATABASE_URL"), args.keep)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from studyapp.people.models import StudyGroup

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    group = StudyGroup.objects.filter(name="压测学习班").first() if args.keep else None
    if group is None:
        trainer, group = build(args.members, args.answers)
        print(f"build time: {time.perf_counter() - started:.1f} s on {connection.vendor}")
        if connection.vendor == "postgresql":
            # As autovacuum would after such a load: without statistics the planner takes every
            # table for a few rows and joins the answers by nested loops (the practice analysis 3× slower).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    else:
        trainer = group.memberships.trainers().get().user
        print(f"reusing the group in {args.keep}: {group.memberships.learners().count()} learners")
    client = Client()
    client.force_login(trainer)
    cases = [
        ("report page", reverse("groups:report", args=[group.pk]), {}),
        ("report page, sorted by score", reverse("groups:report", args=[group.pk]) + "?sort=-score", {}),
        (
            "member table (htmx)",
            reverse("groups:report", args=[group.pk]) + "?sort=-active",
            {"HTTP_HX_REQUEST": "true"},
        ),
        ("analysis part (htmx)", reverse("groups:report_analysis", args=[group.pk]), {"HTTP_HX_REQUEST": "true"}),
        (
            "analysis part, practice (htmx)",
            reverse("groups:report_analysis", args=[group.pk]) + "?source=practice",
            {"HTTP_HX_REQUEST": "true"},
        ),
        ("integrity part (htmx)", reverse("groups:report_integrity", args=[group.pk]), {"HTTP_HX_REQUEST": "true"}),
        ("CSV export", reverse("groups:export_csv", args=[group.pk]), {}),
        ("XLSX export", reverse("groups:export_xlsx", args=[group.pk]), {}),
    ]
    print(
        f"{connection.vendor}: {'':24}{'median':>10}{'goal':>8}{'ratio':>7}{'queries':>9}{'bytes':>11}   ({args.runs} runs)"
    )
    for label, url, headers in cases:
        seconds, queries, size = measure(client, url, args.runs, **headers)
        goal = GOALS_MS[label]
        print(f"  {label:30}{seconds * 1000:>8.0f}ms{goal:>6}ms{seconds * 1000 / goal:>7.2f}{queries:>9}{size:>11}")
    print("  where the time goes (selectors alone, median):")
    from quizzes.groups import analysis, filters, integrity, reports

    parts = [
        ("member_report", lambda: reports.member_report(viewer=trainer, group=group, filter=filters.ReportFilter())),
        (
            "report_analysis (with chart)",
            lambda: analysis.report_analysis(viewer=trainer, group=group, assignment="all"),
        ),
        ("question_analysis", lambda: analysis.question_analysis(viewer=trainer, group=group, assignment="all")),
        ("score_timeline", lambda: analysis.score_timeline(viewer=trainer, group=group, assignment="all")),
        ("integrity_signals", lambda: integrity.integrity_signals(viewer=trainer, group=group)),
    ]
    for label, call in parts:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        print(f"    {label:30}{statistics.median(times) * 1000:>8.0f}ms")


def pg_bindir() -> str | None:
    """Where initdb and pg_ctl are, as scripts/test finds them."""
    if shutil.which("pg_ctl") and shutil.which("initdb"):
        return str(Path(os.path.realpath(shutil.which("pg_ctl") or "")).parent)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return str(found[-1]) if found and (found[-1] / "initdb").exists() else None


def throwaway_postgres(folder: Path) -> tuple[str, list[str]] | None:
    """Start a throw-away PostgreSQL under `folder` (fsync off); (its URL, the pg_ctl stop command)."""
    bindir = pg_bindir()
    if bindir is None:
        return None
    as_pg: list[str] = []
    data = folder / "data"
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    sys.path.insert(0, str(ROOT / "scripts"))
    from throwaway_server import free_port

    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(
        [
            *as_pg,
            f"{bindir}/initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        check=True,
        **quiet,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run(
        [*as_pg, f"{bindir}/pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w", "start", "-o", options],
        check=True,
        **quiet,
    )
    return f"postgres://postgres@127.0.0.1:{port}/postgres", [
        *as_pg,
        f"{bindir}/pg_ctl",
        "-D",
        str(data),
        "-m",
        "fast",
        "stop",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=100, help="answers per learner")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="build the SQLite database in DIR (reused when it is there)")
    parser.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(args)
        return
    forwarded = ["--members", str(args.members), "--answers", str(args.answers), "--runs", str(args.runs)]
    given_url = os.environ.get("DATABASE_URL", "")
    if args.database in ("both", "sqlite"):
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        keep = ["--keep", args.keep] if args.keep else []
        subprocess.run([sys.executable, __file__, "--child", *forwarded, *keep], env=env, check=True)
    if args.database in ("both", "postgres"):
        if given_url.startswith("postgres"):
            subprocess.run([sys.executable, __file__, "--child", *forwarded], check=True)
            return
        folder = Path(tempfile.mkdtemp(prefix="bench-report-pg-"))
        os.chmod(folder, 0o755)
        try:
            started = throwaway_postgres(folder / "pg") if (folder / "pg").mkdir() is None else None
        except (OSError, subprocess.CalledProcessError, LookupError) as error:
            print(f"postgresql: skipped, no throw-away server could be started ({error})")
            return
        if started is None:
            print("postgresql: skipped, PostgreSQL is not installed and DATABASE_URL is not set")
            return
        url, stop = started
        try:
            env = {**os.environ, "DATABASE_URL": url}
            subprocess.run([sys.executable, __file__, "--child", *forwarded], env=env, check=True)
        finally:
            subprocess.run(stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
