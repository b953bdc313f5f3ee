"""What the load and fault scripts share: a throw-away database filled as the app fills it, gunicorn
on a free loopback port, and reading the answer form's fields from a page."""

from __future__ import annotations

import random
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(Path(sys.executable))
GUNICORN = [str(Path(PYTHON).parent / "gunicorn"), "-c", "python:studyapp.gunicorn_conf"]


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
