"""Benchmark: the organisation roll-up report over 100,000 people.

    .venv/bin/python scripts/bench_org_report.py [--people 100000] [--answers 30] [--runs 5] [--keep DIR]
    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_org_report.py [--reuse]

Builds, in a throw-away SQLite database (or in DATABASE_URL when set — which must then be a database
you can throw away; with --reuse, the tree already built there is measured again), a three-level
tree — a province, 20 cities, 10 grass-roots unions under each — with `people` people spread over the
unions (and a few attached to the cities), and the aggregates that `answers` answers each would have
left: the answers in quizzes of ten, each quiz on its own study day in the last 60 days (DailyActivity
rows written directly with bulk_create, the per-person totals, ActivityTotal, following by the
database's triggers; the answers themselves are not built: the report never reads them). One person
in six has not taken part. On PostgreSQL the new tables are then vacuumed and analysed, as autovacuum
does within a minute of such a load in a running database: measured before that, the planner works
from empty statistics and the figures were 2–8 times slower (the province over all time 1.8 s
against 0.7 s).

Then, as the province's manager (Django test client, warm), times the roll-up page of the province over
all time and over 近30天, a city's page, the htmx region, and the XLSX export: the median of `runs` runs,
the SQL queries and the ratio to the one-second goal.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 1.0
CITIES, UNITS = 20, 10


def setup(database_url: str | None, keep: str | None = None) -> None:
    from bench_django import setup as django_setup

    django_setup(database_url, keep, prefix="bench-org-")


def build(people: int, answers_each: int, seed: int = 2026):
    """The tree, the people, their aggregates and the province's manager; returns (manager, province, city)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from quizzes.core.rules import study_day
    from quizzes.models import DailyActivity
    from studyapp.people.models import Organisation, OrganisationManager, Profile

    rng = random.Random(seed)
    today = study_day(timezone.now())
    with transaction.atomic():
        province = Organisation.objects.create(name="压测省总工会")
        cities = [Organisation.objects.create(name=f"压测市{c:02d}", parent=province) for c in range(CITIES)]
        units = [
            Organisation.objects.create(name=f"压测市{c:02d}基层工会{u:02d}", parent=city)
            for c, city in enumerate(cities)
            for u in range(UNITS)
        ]
        password = make_password("bench-password")
        User.objects.bulk_create(
            [User(username=f"org-{index:06d}", password=password) for index in range(people)], batch_size=5000
        )
        ids = list(User.objects.filter(username__startswith="org-").order_by("username").values_list("pk", flat=True))
        profiles = []
        for index, user_id in enumerate(ids):
            # One person in a hundred works in a city's own office, the rest in its unions.
            organisation = cities[index % CITIES] if index % 100 == 0 else units[index % len(units)]
            profiles.append(Profile(user_id=user_id, display_name=f"成员{index:06d}", organisation=organisation))
        Profile.objects.bulk_create(profiles, batch_size=5000)
        rows = []
        per_quiz = 10
        for user_id in ids:
            if rng.random() < 1 / 6:
                continue  # has not taken part
            skill = rng.uniform(0.4, 0.95)
            days = rng.sample(range(60), max(1, answers_each // per_quiz))
            left = answers_each
            for offset in days:
                n = min(per_quiz, left)
                left -= n
                right = sum(rng.random() < skill for _ in range(n))
                rows.append(
                    DailyActivity(
                        user_id=user_id,
                        day=today - timedelta(days=offset),
                        answers=n,
                        correct=right,
                        credit=float(right),
                        finished=1,
                    )
                )
        DailyActivity.objects.bulk_create(rows, batch_size=5000)
        manager = User.objects.create(username="bench-org-manager", password=password)
        Profile.objects.create(user=manager, display_name="压测主任", organisation=province)
        OrganisationManager.objects.create(user=manager, organisation=province)
    print(f"built: {people} people in {1 + CITIES + len(units)} organisations, {len(rows)} daily aggregates")
    return manager, province, cities[0]


def measure(client, url: str, runs: int, **headers) -> tuple[float, int, int]:
    """Median seconds of `runs` warm runs, queries of one more run, response bytes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, **headers)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return statistics.median(times), len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=30, help="answers per person")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="build the SQLite database in DIR (reused when it is there)")
    parser.add_argument("--reuse", action="store_true", help="reuse the tree already built in DATABASE_URL")
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"), args.keep)
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from studyapp.people.models import Organisation

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    reuse = args.keep or args.reuse
    province = Organisation.objects.filter(name="压测省总工会", parent=None).first() if reuse else None
    if province is None:
        manager, province, city = build(args.people, args.answers)
        print(f"build time: {time.perf_counter() - started:.1f} s on {connection.vendor}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    else:
        manager = User.objects.get(username="bench-org-manager")
        city = province.children.order_by("name").first()
        print(f"reusing the tree in {args.keep or connection.settings_dict['NAME']}")
    client = Client()
    client.force_login(manager)
    report = reverse("orgs:report", args=[province.pk])
    cases = [
        ("province, all time", report, {}),
        ("province, 近30天", report + "?range=30", {}),
        ("province, 近7天 (htmx region)", report + "?range=7", {"HTTP_HX_REQUEST": "true"}),
        ("a city, all time", reverse("orgs:report", args=[city.pk]), {}),
        ("province people list, page 1", reverse("orgs:people", args=[province.pk]), {}),
        ("XLSX export, province", reverse("orgs:export_xlsx", args=[province.pk]), {}),
    ]
    print(f"{'':34}{'median':>10}{'queries':>9}{'bytes':>10}{'of 1 s':>9}   ({args.runs} runs, {connection.vendor})")
    for label, url, headers in cases:
        seconds, queries, size = measure(client, url, args.runs, **headers)
        print(f"{label:34}{seconds * 1000:>8.0f}ms{queries:>9}{size:>10}{seconds / GOAL_SECONDS:>9.2f}")


if __name__ == "__main__":
    main()
