from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.export import FORMATS, export_bank
from quizzes.models import Question
from studyapp.documents.selectors import active_version


class Command(BaseCommand):
    help = "把在用题库输出到标准输出：json（本系统格式）、gift 或 moodle-xml（供 Moodle 导入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--type", choices=Question.Type.values, default=None, help="只导出某一题型")

    def handle(self, *args, format: str, type: str | None, **options) -> None:
        version = active_version()
        if version is None:
            raise CommandError("尚未导入学习文件。")
        questions = Question.objects.active().select_related("source").order_by("position", "id")
        if type:
            questions = questions.filter(type=type)
        self.stdout.write(export_bank(questions, format=format, title=version.title, version=version.number), ending="")
