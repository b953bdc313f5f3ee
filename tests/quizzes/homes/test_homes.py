"""Each role lands on its own home at `/`: admins on the admin home, trainers on theirs (their own groups
only), everyone else on the learner's dashboard; everyone keeps their own study at /study/."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.groups import services as group_services
from quizzes.homes import staff
from quizzes.homes.choice import home_for
from quizzes.models import DailyActivity, QuestionReport
from studyapp.documents.models import ImportLog
from studyapp.people.models import OrganisationManager
from tests.factories import AssignmentFactory, MembershipFactory, OrganisationFactory, ProfileFactory, UserFactory
from tests.support import answer_all, right_answer

pytestmark = pytest.mark.django_db

HOME = "/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_staff=True)


# --- The choice ------------------------------------------------------------------------------------


def test_the_home_is_chosen_by_role(admin, trainer, study_group, learner, django_assert_num_queries):
    MembershipFactory(group=study_group, user=learner)

    with django_assert_num_queries(0):
        assert home_for(admin) == "admin"
    with django_assert_num_queries(1):
        assert home_for(trainer) == "trainer"
    assert home_for(learner) == "learner"


def test_someone_in_the_trainers_group_who_trains_no_group_is_a_learner_at_home(make_trainer):
    assert home_for(make_trainer("没有小组")) == "learner"


def test_an_organisation_manager_who_trains_nothing_keeps_the_learner_dashboard(learner):
    OrganisationManager.objects.create(user=learner, organisation=OrganisationFactory())

    response = client_for(learner).get(HOME)

    assert home_for(learner) == "learner"
    assert response.templates[0].name == "quizzes/dashboard.html"


# --- The pages ---------------------------------------------------------------------------------------


def test_a_learner_who_neither_trains_nor_administers_gets_the_dashboard(learner_client, small_bank):
    response = learner_client.get(HOME)

    assert response.status_code == 200
    assert response.templates[0].name == "quizzes/dashboard.html"
    assert "培训师首页" not in response.content.decode() and "管理首页" not in response.content.decode()


def test_the_trainer_home_shows_only_the_trainers_own_groups(trainer_client, trainer, study_group, small_bank):
    other = MembershipFactory(trainer=True).group
    AssignmentFactory(group=other, title="别的小组的测验")

    html = trainer_client.get(HOME).content.decode()

    assert "培训师首页" in html and study_group.name in html
    assert other.name not in html and "别的小组的测验" not in html
    assert f'href="{reverse("quizzes:study")}"' in html


def test_the_trainer_home_shows_whats_due_and_who_has_not_started(trainer_client, study_group, small_bank):
    started = MembershipFactory(group=study_group, user=ProfileFactory(display_name="张已交").user).user
    begun = MembershipFactory(group=study_group, user=ProfileFactory(display_name="李做了一半").user).user
    MembershipFactory(group=study_group, user=ProfileFactory(display_name="王没开始").user)
    closes = timezone.now() + timedelta(days=2)
    assignment = AssignmentFactory(group=study_group, title="第一次测验", length=3, closes_at=closes)
    AssignmentFactory(
        group=study_group,
        title="已截止的测验",
        closes_at=timezone.now() - timedelta(minutes=1),
        opens_at=timezone.now() - timedelta(days=2),
    )
    AssignmentFactory(
        group=study_group,
        title="下周的测验",
        opens_at=timezone.now() + timedelta(days=7),
        closes_at=timezone.now() + timedelta(days=9),
    )
    answer_all(group_services.assignment_start(assignment=assignment, user=started), started)
    group_services.assignment_start(assignment=assignment, user=begun)

    response = trainer_client.get(HOME)
    html = response.content.decode()
    (home,) = response.context["groups"]
    (due,) = home.due

    assert due.assignment == assignment and (due.started, due.submitted, due.learners) == (2, 1, 3)
    assert due.not_started == ["王没开始"]
    assert "第一次测验" in html and "已截止的测验" not in html and "下周的测验" not in html
    assert "未开始 1 人：</strong>王没开始" in html
    assert "已开始 2 · 已交 1 / 3 人" in html
    assert timezone.localtime(closes).strftime("%-m月%-d日 %H:%M") in html


def test_the_trainer_home_lists_the_groups_weakest_tasks_by_the_one_mastery_rule(
    trainer_client, study_group, small_bank
):
    from quizzes.core.scheduling import Rating

    member = MembershipFactory(group=study_group).user
    # Every point of the first task mastered: the second is the weaker.
    services.points_review(
        user=member, ratings={p.text_key: Rating.Easy for p in small_bank.points[:6]}, now=timezone.now()
    )

    response = trainer_client.get(HOME)
    (home,) = response.context["groups"]

    assert [weak.column.node for weak in home.weakest] == [small_bank.tasks[1], small_bank.tasks[0]]
    assert [weak.mastery.percent for weak in home.weakest] == [0, 100]
    assert "掌握 0%" in response.content.decode()


def test_the_trainer_home_takes_the_same_queries_for_one_group_and_for_five(
    trainer_client, trainer, small_bank, django_assert_num_queries
):
    def add_group():
        group = MembershipFactory(user=trainer, trainer=True).group
        for _ in range(3):
            user = MembershipFactory(group=group).user
            attempt = group_services.assignment_start(assignment=AssignmentFactory(group=group, length=2), user=user)
            item = attempt.items.select_related("question").first()
            services.answer_submit(item=item, user=user, given=right_answer(item.question))

    # session with its user, the home's choice, the trainer's profile (the greeting); groups, learners, open
    # assignments, their attempts, the active version, its outline, the mastered points
    add_group()
    with django_assert_num_queries(10):
        trainer_client.get(HOME)
    for _ in range(4):
        add_group()
    with django_assert_num_queries(10):
        response = trainer_client.get(HOME)
    assert len(response.context["groups"]) == 5


def test_the_admin_home_shows_document_imports_bank_and_usage(admin, small_bank, django_assert_num_queries):
    version = small_bank.version
    ImportLog.objects.create(version=version, action=ImportLog.Action.IMPORT, source_name="图解.md", user=admin)
    question = small_bank.questions[0]
    QuestionReport.objects.create(question=question, reporter=admin, text="错字")
    QuestionReport.objects.create(question=question, reporter=admin, text="已处理", status="resolved")
    learners = [UserFactory() for _ in range(3)]
    today = staff.study_day(timezone.now())  # Asia/Shanghai's, whatever the server's
    DailyActivity.objects.create(user=learners[0], day=today, answers=5)
    DailyActivity.objects.create(user=learners[1], day=today - timedelta(days=6), answers=7)
    DailyActivity.objects.create(user=learners[2], day=today - timedelta(days=7), answers=9)  # too long ago
    DailyActivity.objects.create(user=learners[2], day=today, answers=0, finished=1)  # no answer: not active

    client = client_for(admin)
    # session with its user, their profile (the greeting); the active version, its imports, the bank's counts,
    # reviews and reports, usage
    with django_assert_num_queries(7):
        response = client.get(HOME)
    html = response.content.decode()
    home = response.context["home"]

    assert "管理首页" in html and version.title in html and "图解.md" in html
    assert home.usage == staff.Usage(active_today=1, active_week=2, answers_today=5, answers_week=12)
    assert home.open_reports == 1 and home.bank["total"] == len(small_bank.questions)
    assert f'href="{reverse("documents:versions")}"' in html and f'href="{reverse("curation:bank")}"' in html
    assert f'href="{reverse("quizzes:study")}"' in html


def test_everyone_keeps_their_own_study_at_study(admin, trainer, study_group, learner, small_bank):
    for user in (admin, trainer, learner):
        response = client_for(user).get(reverse("quizzes:study"))
        assert response.status_code == 200 and response.templates[0].name == "quizzes/dashboard.html"


def test_the_homes_need_a_login(client):
    assert client.get(HOME).status_code == 302
    assert client.get(reverse("quizzes:study")).status_code == 302


def test_a_trainer_who_also_learns_in_another_group_sees_only_the_group_they_train_at_home(
    trainer_client, trainer, study_group, small_bank
):
    joined = MembershipFactory(user=trainer).group  # a learner there

    response = trainer_client.get(HOME)

    assert [home.group for home in response.context["groups"]] == [study_group]
    assert joined.name not in response.content.decode()
    # Their own assignments as a learner are on their own study page.
    AssignmentFactory(group=joined, title="我要做的测验")
    assert client_for(trainer).get(reverse("groups:assignments")).content.decode().count("我要做的测验") == 1
