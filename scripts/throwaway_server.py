"""What the load, fault and activation scripts share: a throw-away database filled as the app fills it,
gunicorn on a free loopback port, reading the answer form's fields from a page, and a learner who
logs in and takes practice quizzes."""

from __future__ import annotations

import os
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(Path(sys.executable))
GUNICORN = [str(Path(PYTHON).parent / "gunicorn"), "-c", "python:studyapp.gunicorn_conf"]


def server_env(tmp: str, *, database_url: str, workers: int) -> dict[str, str]:
    """The environment of a production-like server on a throw-away folder and database."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "VAR_DIR": tmp,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_ACCESS_LOG": "",
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "ERROR",
    }


def start_gunicorn(env: dict[str, str], port: int, stderr: IO[Any] | None = None) -> subprocess.Popen:
    """gunicorn serving the app on 127.0.0.1:`port` with `env` (`wait_for` it before sending requests)."""
    return subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "studyapp.wsgi"], cwd=ROOT, env=env, stderr=stderr
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(env: dict[str, str], *, users: int, username: str, password: str) -> None:
    """Migrate, load the document, generate its bank, collect static files and create `users`
    users named `username`-1 … with `password`. Refuses a database that already has users: the
    scripts load the fixture over whatever is there and count every answer."""
    manage(env, "migrate", "--noinput", "-v0")
    existing = manage(env, "shell", "-c", "from django.contrib.auth.models import User; print(User.objects.count())")
    if int(existing.strip().splitlines()[-1]):
        sys.exit("this needs an empty database: this one already has users")
    manage(env, "loaddata", "document", "-v0")
    manage(env, "generate_questions")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model;"
        "from django.contrib.auth.hashers import make_password;"
        f"h = make_password({password!r}); User = get_user_model();"
        f"User.objects.bulk_create([User(username=f'{username}-{{i}}', password=h) for i in range(1, {users} + 1)])",
    )


def wait_for(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.3)


def field_value(html: str, name: str) -> str:
    """The value of the (hidden) input `name` on the page."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def select_options(html: str, name: str) -> list[str]:
    """The option values of select `name` on the page."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="(\d+)"', select.group(1)) if select else []


def answer_fields(html: str, rng: random.Random) -> dict[str, str]:
    """A random answer to the question on the page, from the form's own fields: a word typed into
    every blank, one of the choices, a partner for every pair (item and token not included)."""
    data = {}
    for index in re.findall(r'name="blank-(\d+)"', html):
        data[f"blank-{index}"] = rng.choice(["引领力", "12351", "安康杯", "不知道"])
    choices = re.findall(r'name="choice" value="(\d+)"', html)
    if choices:
        data["choice"] = rng.choice(choices)
    for index in re.findall(r'name="pair-(\d+)"', html):
        options = select_options(html, f"pair-{index}")
        data[f"pair-{index}"] = rng.choice(options) if options else "0"
    return data


def report_checks(checks: list[tuple[str, bool, str]]) -> int:
    """Print each (label, passed, detail) and the verdict; the exit status (0 when all passed)."""
    print("\n== checks")
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {detail}")
    passed = all(ok for _label, ok, _detail in checks)
    print("\nPASS" if passed else "\nFAIL")
    return 0 if passed else 1


class QuizTaker(threading.Thread):
    """A learner with a session of their own who logs in, starts mixed practice quizzes of ten and
    answers every question at random through the answer form. Subclasses send the requests (`request`)
    and keep what they count through the hooks."""

    ANSWER = "answer"

    def __init__(self, username: str, host: str, rng: random.Random, http: Any = None) -> None:
        super().__init__(daemon=True)
        if http is None:
            import requests  # only the scripts that run learners need it installed

            http = requests.Session()
        self.username = username
        self.host = host
        self.rng = rng
        self.http = http  # a requests.Session, or anything with its `cookies.get` and `request`
        self.attempt_url = ""

    def csrf(self) -> str:
        return self.http.cookies.get("csrftoken", "")

    def request(self, name: str, method: str, path: str, **kwargs: Any) -> Any:
        """The response to one request named `name`, or None when none came."""
        raise NotImplementedError

    def log_in(self, password: str) -> bool:
        self.request("login", "GET", "/accounts/login/")
        response = self.request(
            "login",
            "POST",
            "/accounts/login/",
            data={"username": self.username, "password": password, "csrfmiddlewaretoken": self.csrf()},
        )
        return response is not None and response.status_code == 302

    def step(self) -> None:
        """Start a quiz if none is open, read its question, answer it."""
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf()}
        if not self.attempt_url:
            response = self.request(
                "start",
                "POST",
                "/quiz/start/",
                data={"scope": "document", "question_type": "mixed", "length": "10"},
                headers=headers,
            )
            if response is None or response.status_code != 302:
                self.start_refused(response)
                return
            self.attempt_url = response.headers["Location"]
            self.started()
        response = self.request("question", "GET", self.attempt_url, headers={"HX-Request": "true"})
        if response is None:
            return
        if response.status_code in (301, 302) or response.headers.get("HX-Redirect"):
            self.attempt_url = ""  # finished
            return
        html = response.text
        item = re.search(r'name="item" value="(\d+)"', html)
        if response.status_code != 200 or not item:
            self.question_refused(response)
            self.attempt_url = ""
            return
        data = {
            "item": item.group(1),
            "token": field_value(html, "token") or secrets.token_hex(8),
            **answer_fields(html, self.rng),
        }
        self.posting()
        response = self.request(self.ANSWER, "POST", self.attempt_url + "answer/", data=data, headers=headers)
        if response is not None and response.status_code == 200 and "feedback-verdict" in response.text:
            self.confirmed(int(item.group(1)))
        else:
            self.answer_refused(response)

    # Hooks: what a script counts. By default nothing.
    def started(self) -> None:
        pass

    def start_refused(self, response: Any) -> None:
        pass

    def question_refused(self, response: Any) -> None:
        pass

    def posting(self) -> None:
        pass

    def confirmed(self, item: int) -> None:
        pass

    def answer_refused(self, response: Any) -> None:
        pass
