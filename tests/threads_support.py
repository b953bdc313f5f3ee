"""Marks for tests that run work in threads at the same moment against the real database."""

import pytest
from django.db import connection

THREADED_DATABASE = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's in-memory test database cannot be shared by threads; its IMMEDIATE transactions "
        "serialise writers in production",
    ),
]
