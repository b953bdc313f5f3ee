import pytest
from django.conf import settings
from django.core.management import call_command

from studyapp.documents.models import DocumentVersion


@pytest.fixture(autouse=True)
def _fresh_source_lines_cache():
    # Ids of rolled-back rows come back in the next test, with other text behind them.
    from quizzes.selectors import source_lines_forget

    source_lines_forget()
    yield
    source_lines_forget()


@pytest.fixture
def seed_markdown() -> bytes:
    return settings.SOURCE_DOCUMENT.read_bytes()


@pytest.fixture
def seed_version(db) -> DocumentVersion:
    """The published document, loaded from fixtures/document.json as the run command does."""
    call_command("loaddata", "document", verbosity=0)
    return DocumentVersion.objects.get(is_active=True)


@pytest.fixture
def seed_bank(seed_version) -> DocumentVersion:
    """The seed document with its generated question bank, as after the run command."""
    from quizzes.bank import bank_sync

    bank_sync(version=seed_version)
    return seed_version


# --- Quizzes and progress ------------------------------------------------------------------------

from dataclasses import dataclass, field  # noqa: E402

from quizzes.models import Question  # noqa: E402
from studyapp.documents.models import Node  # noqa: E402
from tests import factories  # noqa: E402


@dataclass
class SmallBank:
    """A made-up active version: 2 tasks × 2 topics × 3 points, a fill-in and a single-choice question
    per point and a matching question per topic (its pairs' text keys are the topic's points)."""

    version: object
    tasks: list[Node] = field(default_factory=list)
    topics: list[Node] = field(default_factory=list)
    points: list[Node] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    def of_type(self, question_type: str) -> list[Question]:
        return [q for q in self.questions if q.type == question_type]


@pytest.fixture
def small_bank(db) -> SmallBank:
    version = factories.DocumentVersionFactory(is_active=True)
    part = factories.PartNodeFactory(version=version)
    bank = SmallBank(version=version)
    for task_number in ("一", "二"):
        task = factories.TaskNodeFactory(version=version, parent=part, number=task_number)
        bank.tasks.append(task)
        for _topic in range(2):
            topic = factories.TopicNodeFactory(version=version, parent=task)
            bank.topics.append(topic)
            points = [factories.PointNodeFactory(version=version, parent=topic) for _point in range(3)]
            bank.points.extend(points)
            for point in points:
                bank.questions.append(factories.QuestionFactory(source=point, task_number=task_number))
                bank.questions.append(factories.QuestionFactory(source=point, choice=True, task_number=task_number))
            bank.questions.append(
                factories.QuestionFactory(
                    source=points[0],
                    matching=True,
                    task_number=task_number,
                    pairs=[[f"关键词{i}·{p.pk}", p.text] for i, p in enumerate(points)],
                    source_text_keys=[p.text_key for p in points],
                )
            )
    return bank


@pytest.fixture
def every_kind_bank(small_bank) -> SmallBank:
    """The small bank with the contest kinds too: a true/false question per point of the first task
    (true on the first point of each topic, false on the others) and a multiple-select one per topic."""
    for topic in small_bank.topics[:2]:
        points = [p for p in small_bank.points if p.parent_id == topic.pk]
        for index, point in enumerate(points):
            small_bank.questions.append(
                factories.QuestionFactory(source=point, truefalse=True, shown=None if index == 0 else "职工之家建设")
            )
        small_bank.questions.append(factories.QuestionFactory(source=points[0], multiselect=True))
    return small_bank


@pytest.fixture
def learner(db):
    return factories.ProfileFactory(display_name="李干部", role="cadre").user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 is slow on purpose: half a second for every test user otherwise.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Study groups, assignments, reports ----------------------------------------------------------

from django.contrib.auth.models import Group  # noqa: E402

from studyapp.people.models import TRAINERS_GROUP  # noqa: E402


@pytest.fixture
def make_trainer(db):
    """make_trainer(name) → a user in the trainers group, with a cadre profile."""

    def make(display_name: str = "王培训"):
        user = factories.ProfileFactory(display_name=display_name, role="cadre").user
        user.groups.add(Group.objects.get_or_create(name=TRAINERS_GROUP)[0])
        return user

    return make


@pytest.fixture
def trainer(make_trainer):
    return make_trainer()


@pytest.fixture
def study_group(trainer):
    """A group trained by `trainer`, without learners yet."""
    group = factories.StudyGroupFactory(name="十八大精神学习班")
    factories.MembershipFactory(group=group, user=trainer, trainer=True)
    return group


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client
