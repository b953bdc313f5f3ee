"""Beyond one machine: scripts/two_instances.py on a small load (6 learners × 10 answers).

The script starts a PostgreSQL server of its own (initdb on a free port, in a temporary folder) and two
gunicorn instances on it, so pytest-django's test database is never touched. It runs once per
./scripts/test, in the SQLite pass: the PostgreSQL pass would only run the same thing again. Without
PostgreSQL's server binaries it is skipped, except under CI=true, where that is a failure (as
./scripts/test treats a missing PostgreSQL).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "two_instances.py"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
LEARNERS, ANSWERS = 6, 10


def postgres_binaries() -> bool:
    """Whether initdb and pg_ctl are there, looked for as ./scripts/test and the script look for them."""
    if shutil.which("pg_ctl") and shutil.which("initdb"):
        return True
    return any(
        (folder / "initdb").exists() and (folder / "pg_ctl").exists()
        for folder in Path("/usr/lib/postgresql").glob("*/bin")
    )


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "studyapp.sqlite3",
    reason="runs a PostgreSQL server of its own: once per ./scripts/test, in the SQLite pass",
)
def test_two_gunicorn_instances_on_one_postgresql_lose_and_double_no_answer():
    if not postgres_binaries():
        message = "PostgreSQL's server binaries (initdb, pg_ctl) not found (Debian: apt-get install postgresql)"
        if IN_CI:
            pytest.fail(f"{message}, and CI=true: PostgreSQL is required here")
        pytest.skip(message)
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CONN_MAX_AGE"}}

    script = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--learners", str(LEARNERS), "--answers", str(ANSWERS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = script.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        script.terminate()  # SIGTERM: the script stops its gunicorn instances and PostgreSQL server
        output, _ = script.communicate(timeout=60)
        pytest.fail(f"scripts/two_instances.py took over 4 minutes:\n{output}")

    assert script.returncode == 0, output
    verdict = re.search(r"^two instances: (PASS|FAIL) \((.*)\)$", output, re.M)
    assert verdict, output
    assert verdict.group(1) == "PASS", output
    assert verdict.group(2).startswith(f"{LEARNERS * ANSWERS} answers by {LEARNERS} learners over 2 instances")
    assert verdict.group(2).endswith("0 errors, 0 lost, 0 doubled")
