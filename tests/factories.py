import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="zh_CN")
    last_name = factory.Faker("last_name", locale="zh_CN")
    password = factory.django.Password("correct horse battery staple")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "documents.Document"
        django_get_or_create = ("slug",)

    slug = "acftu-18th-congress"
    title = "中国工会十八大精神图解"


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "documents.DocumentVersion"

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "中国工会十八大精神图解"
    source_name = "test.md"
    source_sha256 = factory.Sequence(lambda n: f"{n:064d}")
    source_text = "# 中国工会十八大精神图解\n"
    is_active = False


# --- Documents, questions, people (quizzes and progress tests) ---------------------------------

import itertools  # noqa: E402

from quizzes.models import Question  # noqa: E402
from studyapp.documents.models import Node  # noqa: E402
from studyapp.people.models import Organisation, Profile  # noqa: E402

ANSWER = "终身职业技能培训"
_POSITIONS = itertools.count()


def _next_position(node) -> int:
    # Drawn once the parent exists, so a parent always comes before its children in document order.
    _parent = node.parent
    return next(_POSITIONS)


class NodeFactory(factory.django.DjangoModelFactory):
    """A line (要点) by default; headings through the subclasses below."""

    class Meta:
        model = Node

    version = factory.SubFactory(DocumentVersionFactory)
    parent = None
    kind = Node.Kind.POINT
    number = ""
    text = factory.Sequence(lambda n: f"推动落实第{n}项{ANSWER}制度")
    position = factory.LazyAttribute(_next_position)
    depth = 3
    line = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"{0xA0000 + n:016x}")
    text_key = factory.Sequence(lambda n: f"{0xB0000 + n:016x}")


class PartNodeFactory(NodeFactory):
    kind = Node.Kind.PART
    depth = 0
    text = factory.Sequence(lambda n: f"第{n}部分")


class TaskNodeFactory(NodeFactory):
    kind = Node.Kind.TASK
    depth = 1
    number = "一"
    text = factory.Sequence(lambda n: f"任务{n}：坚持党的全面领导")
    parent = factory.SubFactory(PartNodeFactory, version=factory.SelfAttribute("..version"))


class TopicNodeFactory(NodeFactory):
    kind = Node.Kind.TOPIC
    depth = 2
    text = factory.Sequence(lambda n: f"专题{n}：深化产业工人队伍建设改革")
    parent = factory.SubFactory(TaskNodeFactory, version=factory.SelfAttribute("..version"))


class PointNodeFactory(NodeFactory):
    parent = factory.SubFactory(TopicNodeFactory, version=factory.SelfAttribute("..version"))


def _heading(node: Node, kind: str) -> Node | None:
    while node is not None and node.kind != kind:
        node = node.parent
    return node


class QuestionFactory(factory.django.DjangoModelFactory):
    """A fill-in question blanking ANSWER out of its source line; traits `choice`, `matching`,
    `truefalse` (the line as written, or with `shown` in place of ANSWER when `shown` is given) and
    `multiselect` (ANSWER and two more right among five options)."""

    class Meta:
        model = Question

    class Params:
        answer = ANSWER
        shown = None
        truefalse = factory.Trait(
            type=Question.Type.TRUEFALSE,
            prompt=factory.LazyAttribute(lambda o: o.source.text.replace(o.answer, o.shown or o.answer, 1)),
            blanks=factory.LazyAttribute(
                lambda o: [
                    {
                        "answer": o.answer,
                        "accepted": [o.answer],
                        "group": 0,
                        "any_order": False,
                        "shown": o.shown or o.answer,
                    }
                ]
            ),
            answer_index=factory.LazyAttribute(lambda o: 0 if o.shown and o.shown != o.answer else 1),
        )
        multiselect = factory.Trait(
            type=Question.Type.MULTISELECT,
            prompt=factory.LazyAttribute(
                lambda o: f"下列属于“{o.source.parent.text if o.source.parent else ''}”工作要点的有（ ）。"
            ),
            blanks=[],
            choices=factory.LazyAttribute(lambda o: [o.answer, "职工书屋建设", "劳动竞赛", "民主管理", "安康杯"]),
            correct_choices=[0, 2, 3],
        )
        choice = factory.Trait(
            type=Question.Type.CHOICE,
            prompt=factory.LazyAttribute(lambda o: f"“{o.source.text.replace(o.answer, '＿＿')}”中的空白处应是？"),
            blanks=[],
            choices=factory.LazyAttribute(lambda o: [o.answer, "职工书屋建设", "劳动竞赛", "民主管理"]),
            answer_index=0,
        )
        matching = factory.Trait(
            type=Question.Type.MATCHING,
            prompt="把左边的词语与右边的说法连起来。",
            blanks=[],
            pairs=[["大国工匠", "高技能人才"], ["安康杯", "安全生产"], ["职工书屋", "文化阵地"]],
        )

    key = factory.Sequence(lambda n: f"q{n:010d}")
    type = Question.Type.CLOZE
    source = factory.SubFactory(PointNodeFactory)
    prompt = factory.LazyAttribute(lambda o: o.source.text.replace(o.answer, "＿＿＿＿", 1))
    blanks = factory.LazyAttribute(
        lambda o: [{"answer": o.answer, "accepted": [o.answer], "group": None, "any_order": False}]
    )
    pairs = []
    choices = []
    answer_index = None
    correct_choices = []
    source_key = factory.LazyAttribute(lambda o: o.source.key if o.source else "")
    source_text_keys = factory.LazyAttribute(lambda o: [o.source.text_key] if o.source else [])
    task = factory.LazyAttribute(lambda o: getattr(_heading(o.source, Node.Kind.TASK), "text", ""))
    task_number = "一"
    task_key = factory.LazyAttribute(lambda o: getattr(_heading(o.source, Node.Kind.TASK), "key", ""))
    topic = factory.LazyAttribute(lambda o: getattr(_heading(o.source, Node.Kind.TOPIC), "text", ""))
    topic_key = factory.LazyAttribute(lambda o: getattr(_heading(o.source, Node.Kind.TOPIC), "key", ""))
    created_in = factory.LazyAttribute(lambda o: o.source.version)
    position = factory.Sequence(lambda n: n)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"第{n}基层工会")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"会员{n}")
    role = Profile.Role.MEMBER
    organisation = factory.SubFactory(OrganisationFactory)


# --- Study groups and assignments ------------------------------------------------------------------

import datetime as _datetime  # noqa: E402

from django.utils import timezone  # noqa: E402

from quizzes.models import Assignment  # noqa: E402
from studyapp.people.models import Membership, StudyGroup  # noqa: E402
from studyapp.people.services import invite_code_new  # noqa: E402


class StudyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyGroup

    name = factory.Sequence(lambda n: f"学习班{n}")
    invite_code = factory.LazyFunction(invite_code_new)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A learner in a group (with a profile); trait `trainer` for one of its trainers."""

    class Meta:
        model = Membership

    class Params:
        trainer = factory.Trait(role=Membership.Role.TRAINER)

    group = factory.SubFactory(StudyGroupFactory)
    user = factory.LazyFunction(lambda: ProfileFactory().user)
    role = Membership.Role.MEMBER


class AssignmentFactory(factory.django.DjangoModelFactory):
    """Open now for a week, ten questions drawn per member from the whole document."""

    class Meta:
        model = Assignment

    group = factory.SubFactory(StudyGroupFactory)
    title = factory.Sequence(lambda n: f"第{n}次测验")
    mode = Assignment.Mode.GENERATED
    length = 10
    opens_at = factory.LazyFunction(lambda: timezone.now() - _datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + _datetime.timedelta(days=7))
