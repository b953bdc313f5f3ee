"""A short document (the first two tasks of the published one) and an updated version of it: one line
reworded, one added, one removed, the rest as it was. Imported through the services, as staff do."""

from __future__ import annotations

from pathlib import Path

from quizzes.models import Question
from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.services import document_import

V1 = (Path(__file__).resolve().parent / "data" / "revision-v1.md").read_bytes()
CHANGED_OLD = "加强职工文化阵地建设"
CHANGED_NEW = "加强职工文化阵地和网上阵地建设"
ADDED = "推进职工书屋提质增效"
REMOVED = "探索新产业新业态竞赛活动新形式"
UNCHANGED = "推动落实终身职业技能培训制度"


def v2_text() -> bytes:
    text = V1.decode()
    text = text.replace(f"{CHANGED_OLD}  \n", f"{CHANGED_NEW}  \n").replace(f"{REMOVED}  \n", "")
    text = text.replace("履行工会牵头抓总职责  \n", f"履行工会牵头抓总职责  \n{ADDED}  \n")
    return text.encode()


def import_v1() -> DocumentVersion:
    version = document_import(source=V1, source_name="v1.md").version
    assert version is not None and version.is_active
    return version


def import_v2() -> DocumentVersion:
    version = document_import(source=v2_text(), source_name="v2.md", activate=True).version
    assert version is not None and version.is_active
    return version


def line(version: DocumentVersion, text: str) -> Node:
    return version.nodes.studyable().get(text=text)


def questions_on(version: DocumentVersion, text: str) -> list[Question]:
    key = line(version, text).text_key
    return [q for q in Question.objects.active().order_by("pk") if key in (q.source_text_keys or ())]
