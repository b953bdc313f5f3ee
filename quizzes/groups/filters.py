"""What a trainer asked the group report for: sorting, filters and the page, read from the query
string and checked, and written back into links."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _lazy

from studyapp.people.models import Profile

SORT_KEYS = ("name", "score", "completion", "active")
STATE_CHOICES = [("done", _lazy("已完成")), ("partial", _lazy("未完成")), ("none", _lazy("未开始"))]
STATES = tuple(value for value, _label in STATE_CHOICES)
# Which answers the per-question analysis, the score chart and the integrity signals read: the group's
# assignments (the default: what the trainer set) or the learners' own practice since joining, never
# both mixed.
SOURCE_CHOICES = [("assignments", _lazy("小组测验")), ("practice", _lazy("自主练习"))]
SOURCES = tuple(value for value, _label in SOURCE_CHOICES)
# Dropped from the search text: control characters (NUL among them: PostgreSQL refuses a query with
# it, a 500) and lone surrogates, which cannot be sent to the database at all; nobody types them.
UNSEARCHABLE_CATEGORIES = frozenset({"Cc", "Cs"})
SEARCH_LENGTH = 50


def search_text(value: object) -> str:
    """The search box's text, without unsearchable characters, trimmed, at most SEARCH_LENGTH long."""
    text = "".join(char for char in str(value) if unicodedata.category(char) not in UNSEARCHABLE_CATEGORIES)
    return text.strip()[:SEARCH_LENGTH]


@dataclass(frozen=True)
class ReportFilter:
    """The report's query parameters, checked: sort=name|score|completion|active (a leading “-” sorts
    descending), role=cadre|member, state=done|partial|none, q=name or login, assignment=ID|all (all,
    like none, is every assignment of the group), source=assignments|practice, page."""

    sort: str = "name"
    descending: bool = False
    role: str = ""
    state: str = ""
    q: str = ""
    assignment: str = ""
    source: str = "assignments"
    page: int = 1

    @classmethod
    def from_query(cls, data: QueryDict | dict) -> ReportFilter:
        sort = str(data.get("sort", "") or "name")
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        role = str(data.get("role", ""))
        state = str(data.get("state", ""))
        assignment = str(data.get("assignment", ""))
        source = str(data.get("source", ""))
        try:
            page = max(1, int(data.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        return cls(
            sort=sort if sort in SORT_KEYS else "name",
            descending=descending and sort in SORT_KEYS,
            role=role if role in Profile.Role.values else "",
            state=state if state in STATES else "",
            q=search_text(data.get("q", "")),
            assignment=assignment if assignment == "all" or assignment.isdigit() else "",
            source=source if source in SOURCES else "assignments",
            page=page,
        )

    @property
    def sort_param(self) -> str:
        return ("-" if self.descending else "") + self.sort

    def query(self, **changes: Any) -> str:
        """The query string of this filter with `changes`, without defaults."""
        current = replace(self, **changes)
        params = {
            "sort": current.sort_param if current.sort_param != "name" else "",
            "role": current.role,
            "state": current.state,
            "q": current.q,
            "assignment": current.assignment,
            "source": current.source if current.source != "assignments" else "",
            "page": current.page if current.page > 1 else "",
        }
        return urlencode({key: value for key, value in params.items() if value})

    @property
    def analysis_scope(self) -> str:
        """What analysis.analysed_answers() reads for this filter: "practice", the chosen assignment's
        id, or "all" of the group's assignments."""
        if self.source == "practice":
            return "practice"
        return self.assignment if self.assignment.isdigit() else "all"

    @property
    def part_query(self) -> str:
        """The query of the report's parts that read the answers (the analysis, the integrity signals):
        the assignment chosen and the source, nothing of the member table's sorting and filters."""
        return ReportFilter(assignment=self.assignment, source=self.source).query()

    @property
    def source_queries(self) -> dict[str, str]:
        """For each source, the query that shows it (the rest of the filter kept)."""
        return {source: self.query(source=source, page=1) for source in SOURCES}

    def sorted_by(self, key: str) -> str:
        """The query that sorts by `key`: ascending first (descending for numbers), toggled when it already is."""
        if self.sort == key:
            return self.query(descending=not self.descending, page=1)
        return self.query(sort=key, descending=key != "name", page=1)
