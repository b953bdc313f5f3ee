"""Proof that ./scripts/test's second pass really runs on PostgreSQL (production's database)."""

import os

import pytest
from django.db import connection

DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")), reason="DATABASE_URL is not PostgreSQL"
)
@pytest.mark.django_db
def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"  # the document is Chinese text
