"""Django for a benchmark script: a throw-away SQLite database in a folder of its own (or the database
DATABASE_URL names), settings as in production (no debug pages, no query log except while counting),
and a fast password hasher for the thousands of accounts a benchmark builds."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url: str | None, keep: str | None = None, *, prefix: str = "bench-") -> None:
    sys.path.insert(0, str(ROOT))
    if not database_url:
        folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=prefix))
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["VAR_DIR"] = str(folder)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    os.environ["DEBUG"] = "1"  # no SECRET_KEY or collected static files needed; switched off below
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
