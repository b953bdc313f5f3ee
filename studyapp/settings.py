"""The one settings module, configured from environment variables.

DATABASE_URL   sqlite:///… (default: var/db.sqlite3) or postgres://user:pass@host/db
SECRET_KEY     required when DEBUG is off
DEBUG          1/true to develop; off by default
ALLOWED_HOSTS  comma-separated; defaults to localhost names
HTTPS          1 when served behind TLS: secure cookies, HSTS, redirect to https
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules
DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "studyapp.documents",
    "studyapp.people",
    "quizzes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # An idle timeout: a signed-in session is saved again (its expiry moved on) once an hour.
    "studyapp.http.SessionRefreshMiddleware",
    # No LocaleMiddleware: one language is served, LANGUAGE_CODE, which Django uses (its own
    # messages too) when no other is activated; the middleware would work it out on every request.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with a cheaper read of the signed-in user (studyapp/people/authentication.py).
    "studyapp.people.authentication.AuthenticationMiddleware",
    # Cache-Control: private, no-store on every response to a signed-in user (people's own data).
    "studyapp.http.PrivatePagesMiddleware",
    # Every learning page needs a login; the login view itself is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-csp's, with the policy (CONTENT_SECURITY_POLICY) put together once per process.
    "studyapp.http.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "studyapp.urls"
WSGI_APPLICATION = "studyapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Each runs on every rendering; the admin needs these three.
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # csrf_token as Django's built-in processor gives it, masked more cheaply.
                "studyapp.http.csrf",
            ],
            # {% url %} reversing each URL once per process (replaces Django's tag everywhere).
            "builtins": ["studyapp.reversing"],
            # {% cachedfragment %}: a piece of a page rendered once per process (the site menu).
            "libraries": {"fragments": "studyapp.fragments"},
        },
    },
    {
        # The quiz step and its feedback, rendered on every answer (studyapp/jinja.py); asked for by
        # this engine's name only (quizzes/step_html.py), so no Django template is looked for here.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "studyapp.jinja.environment"},
    },
]

DATABASES: dict[str, dict[str, Any]] = {
    "default": dict(
        dj_database_url.parse(
            os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=os.environ.get("CONN_HEALTH_CHECKS", "1") == "1",
        )
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the kept connection's health checked only after it sat idle for
    # CONN_HEALTH_CHECK_IDLE seconds (default 1) instead of before every request (studyapp/postgresql/).
    DATABASES["default"]["ENGINE"] = "studyapp.postgresql"
    DATABASES["default"]["HEALTH_CHECK_IDLE_SECONDS"] = float(os.environ.get("CONN_HEALTH_CHECK_IDLE", "1"))
    # Parameters bound by the server, and a statement run a fifth time on a connection prepared there
    # (psycopg's prepare_threshold): the hot requests' statements are then neither parsed nor planned
    # again (a quiz step's read took longer to plan than to run). PG_SERVER_SIDE_BINDING=0 turns both
    # off, for a connection pooler in transaction mode that cannot keep prepared statements.
    if env_bool("PG_SERVER_SIDE_BINDING", True):
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue instead of failing half-way. Connections persist here too (CONN_MAX_AGE):
    # opening one, with its PRAGMAs, and closing it (a WAL checkpoint when it was the last) cost more
    # than a signed-in request's own queries. gunicorn's master closes its own before forking.
    # Django's backend, with the writers queued on a lock file beside the database and each statement's
    # placeholders converted once per process (studyapp/sqlite3/).
    DATABASES["default"]["ENGINE"] = "studyapp.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a login while its username and address are locked out, before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing (django-axes), two rules:
# - one username from one client address: LOCKOUT_FAILURE_LIMIT (5) failures lock that pair out
#   for AXES_COOLOFF_TIME (15 minutes after its last failure);
# - one username from all addresses together: only from LOCKOUT_USERNAME_FAILURE_LIMIT (50)
#   failures within the cool-off window, and then it slows down rather than locks: the username
#   waits LOCKOUT_USERNAME_FIRST_WAIT (1 minute) after its latest failure, twice as long after each
#   further failure (2, 4, 8 … minutes, at most the cool-off). The installed django-axes (8.x) has
#   no tiered lockouts of its own, so the tiers are AXES_FAILURE_LIMIT as a callable
#   (studyapp/people/lockouts.py): a username in its wait gets a limit of 0 (every address refused).
# Logins refused during a lockout are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
# off): one address hammering away stays at 5 failures per cool-off, so it takes many addresses to
# slow a username down for its owner, and a lockout does not last for ever while attacked.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
LOCKOUT_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOCKOUT_USERNAME_FAILURE_LIMIT = int(os.environ.get("AXES_USERNAME_FAILURE_LIMIT", "50"))
LOCKOUT_USERNAME_FIRST_WAIT = timedelta(minutes=1)
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429  # Too Many Requests
# The client address. Behind TRUSTED_PROXY_COUNT reverse proxies (env AXES_PROXY_COUNT; nginx and
# the like each append the address they received the request from to X-Forwarded-For), it is the
# header's entry written by the outermost proxy: the TRUSTED_PROXY_COUNT-th from the right. Entries
# further left come from the client and are not trusted. Without trusted proxies (the default) the
# header is ignored and the address is REMOTE_ADDR, since any client can send the header.
TRUSTED_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))


AXES_CLIENT_IP_CALLABLE = "studyapp.people.lockouts.axes_client_ip"
AXES_FAILURE_LIMIT = "studyapp.people.lockouts.axes_failure_limit"
AXES_LOCKOUT_CALLABLE = "studyapp.people.lockouts.axes_lockout_response"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quizzes:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up about a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
QUESTION_BANK_SEED = int(os.environ.get("QUESTION_BANK_SEED", "2026"))
SOURCE_DOCUMENT = BASE_DIR / "fixtures" / "acftu-18th-congress.md"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Nothing is loaded from outside the app: union networks are often intranets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Database sessions, read in one prebuilt statement per request (studyapp/sessions.py).
SESSION_ENGINE = "studyapp.sessions"
SESSION_COOKIE_HTTPONLY = True
# Sessions end SESSION_IDLE_HOURS (default 24) after they were last saved, not two weeks after the
# login. Not SESSION_SAVE_EVERY_REQUEST: that would be one UPDATE of the session row on every request
# of a signed-in user, on the quiz's hot path. To make this an idle timeout, a small middleware is to
# mark the session modified when its last refresh (a timestamp in it) is over an hour old, so that it
# is written at most hourly; until then the age counts from the login.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_IDLE_HOURS", "24")) * 60 * 60)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
