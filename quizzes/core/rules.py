"""Small rules that several parts ask, each written once: quiz lengths, difficulty bands, the task
label, the blank pattern in a prompt, how a duration reads, and the study day's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

# --- Quiz lengths ---------------------------------------------------------------------------------

QUIZ_LENGTHS = (5, 10, 20)  # offered on the start form
MAX_QUIZ_LENGTH = 50  # a practice quiz or an assignment

# --- Difficulty (0 easy … 1 hard), in three bands ---------------------------------------------------

DIFFICULTY_BANDS = {"easy": (0.0, 0.34), "medium": (0.34, 0.67), "hard": (0.67, 1.01)}
DIFFICULTY_LABELS = {"easy": "易", "medium": "中", "hard": "难"}


def difficulty_band(difficulty: float) -> str:
    """ "easy", "medium" or "hard"."""
    return next((band for band, (low, high) in DIFFICULTY_BANDS.items() if low <= difficulty < high), "hard")


# --- Labels and prompts ---------------------------------------------------------------------------

BLANK = re.compile(r"＿+")  # a blank in a prompt: a run of full-width low lines


def task_label(number: str, title: str) -> str:
    """A task as the document numbers it: “（一）title”, or the title alone."""
    return f"（{number}）{title}" if number else title


# --- Durations -------------------------------------------------------------------------------------


def duration_text(value: float | timedelta | None) -> str:
    """A duration as Chinese reads it: 49秒, 11分49秒, 5分钟, 1小时2分, 1小时; "" for None.

    Seconds are dropped from an hour on. The quiz's countdown (static/js/countdown.js) writes the
    same.
    """
    if value is None:
        return ""
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours and minutes:
        return _("%(hours)d小时%(minutes)d分") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d小时") % {"hours": hours}
    if minutes and seconds:
        return _("%(minutes)d分%(seconds)d秒") % {"minutes": minutes, "seconds": seconds}
    if minutes:
        return _("%(minutes)d分钟") % {"minutes": minutes}
    return _("%(seconds)d秒") % {"seconds": seconds}


# --- Study days -----------------------------------------------------------------------------------

# Study days are calendar days in China, wherever the server runs.
STUDY_TIMEZONE = ZoneInfo("Asia/Shanghai")


def study_day(moment: datetime) -> date:
    """The Asia/Shanghai calendar day of `moment` (an aware datetime)."""
    return moment.astimezone(STUDY_TIMEZONE).date()


def end_of_study_day(moment: datetime) -> datetime:
    """Midnight at the end of `moment`'s study day: what is due before it is due today."""
    return datetime.combine(study_day(moment) + timedelta(days=1), time.min, tzinfo=STUDY_TIMEZONE)


def study_day_start(day: date) -> datetime:
    """Midnight at the start of study day `day`."""
    return datetime.combine(day, time.min, tzinfo=STUDY_TIMEZONE)
