"""Markup in the document, in answers and in names is shown as text on every page, never run."""

import random

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Question
from studyapp.documents.models import Node
from studyapp.documents.services import document_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src=x onerror="alert(2)">'

HOSTILE = f"""# 测试文件{SCRIPT}

## 部分{IMAGE}

### (一) 任务{SCRIPT}

#### 专题{IMAGE}

开展“安康杯{SCRIPT}”竞赛活动，推进全国工会系统12351维权服务热线建设  
深化“暖边绿境”关爱职工专项行动{IMAGE}，巩固提高引领力、组织力、服务力  
推动落实终身职业技能培训制度，努力培养造就更多大国工匠、高技能人才  
叫响做实工会送温暖、送清凉、金秋助学、职工医疗互助等工作品牌
""".encode()


def assert_escaped(body: str) -> None:
    assert SCRIPT not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body or "&lt;img" in body


@pytest.fixture
def hostile_version(db):
    return document_import(source=HOSTILE, source_name="hostile.md").version


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="editor", is_staff=True, is_superuser=True))
    return client


def test_the_importer_keeps_markup_as_text(hostile_version):
    texts = list(hostile_version.nodes.values_list("text", flat=True))

    assert any(SCRIPT in text for text in texts) and any("onerror" in text for text in texts)


def test_document_markup_is_escaped_in_the_reader(staff_client, hostile_version):
    topic = hostile_version.nodes.get(kind=Node.Kind.TOPIC)

    for url in (reverse("documents:toc"), topic.get_absolute_url(), topic.parent.get_absolute_url()):
        assert_escaped(staff_client.get(url).content.decode())


def test_document_markup_is_escaped_in_the_bank_and_the_version_pages(staff_client, hostile_version):
    assert Question.objects.active().exists()

    assert_escaped(staff_client.get(reverse("quizzes:bank")).content.decode())
    assert_escaped(staff_client.get(reverse("documents:version", kwargs={"number": 1})).content.decode())
    assert_escaped(staff_client.get(reverse("documents:versions")).content.decode())


def test_markup_in_an_answer_is_escaped_in_feedback_and_review(client, hostile_version):
    learner = UserFactory(username="learner")
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, question_type="cloze", length=3, rng=random.Random(0))
    item = attempt.items.select_related("question").order_by("position").first()
    fields = {f"blank-{index}": SCRIPT for index in range(len(item.question.blanks))}

    feedback = client.post(reverse("quizzes:answer", kwargs={"pk": attempt.pk}), {"item": item.pk, **fields})
    question_page = client.get(reverse("quizzes:take", kwargs={"pk": attempt.pk}))
    review = client.get(reverse("quizzes:result", kwargs={"pk": attempt.pk}))

    assert feedback.status_code == 200
    for response in (feedback, question_page, review):
        assert_escaped(response.content.decode())


def test_markup_in_a_name_is_escaped_on_the_dashboard(client, hostile_version):
    learner = UserFactory(username="learner", first_name=SCRIPT)
    client.force_login(learner)

    body = client.get(reverse("quizzes:home")).content.decode()

    assert SCRIPT not in body
