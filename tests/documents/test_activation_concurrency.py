"""Activating a large document does not stop the site: while its question bank is generated,
learners log in and answer. The bank is generated before the transaction that swaps it
in, so the database's write lock (SQLite has one for the whole database) is held only to write."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from quizzes import bank, services
from quizzes.models import Attempt
from quizzes.selectors import attempt_current_item
from studyapp.documents.models import DocumentVersion
from studyapp.documents.services import document_import, version_activate
from tests.support import form_data

pytestmark = pytest.mark.django_db(transaction=True)

HEADING = re.compile(r"^(#{2,6} .+)$", re.M)
PASSWORD = "correct-horse-2026"


def large_copy(times: int) -> bytes:
    """The seed document with its body `times` over, the headings of each copy made distinct."""
    title, _, body = settings.SOURCE_DOCUMENT.read_text(encoding="utf-8").strip().partition("\n\n")
    copies = [body] + [HEADING.sub(rf"\1·{copy}", body) for copy in range(2, times + 1)]
    return "\n\n".join([title, *copies]).encode()


@pytest.fixture
def shared_database(tmp_path) -> Iterator[None]:
    """A database every thread reaches: on SQLite a copy of the in-memory test database in a file,
    in WAL mode with IMMEDIATE transactions as in production (new connections open the file; this
    thread's in-memory connection is left alone, so the test database is untouched); on
    PostgreSQL the test database itself."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "shared.sqlite3"
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(path)  # the dict new connections are made from
    try:
        yield
    finally:
        connection.settings_dict["NAME"] = name


def in_thread(function, *args):
    """Run `function` in a thread of its own (its own connection) and return its result."""
    result: list = []

    def run() -> None:
        try:
            result.append(function(*args))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def set_up() -> tuple[DocumentVersion, User, Attempt]:
    """The seed active with its bank, a large version waiting, and a learner with a quiz begun."""
    document_import(source=settings.SOURCE_DOCUMENT.read_bytes(), source_name="seed.md")
    large = document_import(source=large_copy(8), source_name="large.md").version
    assert large is not None and not large.is_active
    learner = User.objects.create_user("learner", password=PASSWORD)
    return large, learner, services.attempt_start(user=learner, length=50)


def learn(
    learner: User, attempt: Attempt, ready: threading.Event, activating: threading.Event, done: threading.Event
) -> list[tuple[str, int | str, bool]]:
    """Log in and answer, one after the other, until the activation is done: (what, status or
    error, whether it finished while the activation was still running) for each request."""
    results: list[tuple[str, int | str, bool]] = []
    logging_in, answering = Client(), Client()
    answering.force_login(learner)
    for client in (logging_in, answering):  # the first request loads the URLs and the middleware
        client.get(reverse("login"))
    ready.set()
    activating.wait(timeout=30)
    while not results or not done.is_set():
        for what in ("login", "answer"):
            try:
                if what == "login":
                    logging_in.cookies.clear()  # a new visitor: the login writes a new session
                    response = logging_in.post(reverse("login"), {"username": "learner", "password": PASSWORD})
                else:
                    item = attempt_current_item(attempt)
                    if item is None:
                        attempt = services.attempt_start(user=learner, length=50)
                        item = attempt_current_item(attempt)
                    assert item is not None
                    response = answering.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item))
                results.append((what, response.status_code, not done.is_set()))
            except Exception as error:  # noqa: BLE001 - "database is locked" and the like are the failure
                results.append((what, f"{type(error).__name__}: {error}", not done.is_set()))
        time.sleep(0.02)
    return results


def test_logins_and_answers_go_on_while_a_large_version_is_activated(shared_database, monkeypatch):
    large, learner, attempt = in_thread(set_up)
    bank.generated_bank.cache_clear()
    ready, activating, done = threading.Event(), threading.Event(), threading.Event()
    generate = bank.generated_bank

    def generated_bank(source_text: str, seed: int):
        activating.set()
        return generate(source_text, seed)

    monkeypatch.setattr(bank, "generated_bank", generated_bank)

    def activate() -> None:
        try:
            ready.wait(timeout=30)
            version_activate(version=large)
        finally:
            done.set()
            connections.close_all()

    activation = threading.Thread(target=activate)
    activation.start()
    try:
        results = in_thread(learn, learner, attempt, ready, activating, done)
    finally:
        activation.join()

    assert [r for r in results if not isinstance(r[1], int) or r[1] >= 500] == []
    assert {status for what, status, _during in results if what == "login"} == {302}
    assert {status for what, status, _during in results if what == "answer"} == {200}
    during = [what for what, _status, during in results if during]
    # Not merely queued behind the activation: both kinds of writes went through while it ran.
    assert during.count("login") >= 3 and during.count("answer") >= 3, f"writes during the activation: {during}"
    assert in_thread(lambda: DocumentVersion.objects.get(is_active=True).pk) == large.pk
