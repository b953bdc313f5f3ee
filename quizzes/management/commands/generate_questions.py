from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.bank import bank_prepare, bank_seed, bank_sync
from quizzes.models import Question
from studyapp.documents.selectors import active_version


class Command(BaseCommand):
    help = "根据当前启用的文件版本重新生成题库（确定性：同一文本、同一种子得到同一题库）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=None, help="随机种子（默认取 QUESTION_BANK_SEED）")

    def handle(self, *args, seed: int | None, **options) -> None:
        version = active_version()
        if version is None:
            raise CommandError("尚未导入学习文件：请先运行 loaddata document 或 import_document。")
        prepared = bank_prepare(source_text=version.source_text, seed=seed)  # outside the write transaction
        change = bank_sync(version=version, seed=seed, prepared=prepared)
        counts = {kind: Question.objects.active().filter(type=kind).count() for kind in Question.Type.values}
        self.stdout.write(
            f"版本 v{version.number}，种子 {bank_seed() if seed is None else seed}："
            f"新增 {change.created}，恢复 {change.reactivated}，保留 {change.kept}，停用 {change.retired}。"
        )
        labels = dict(Question.Type.choices)
        self.stdout.write("在用题目：" + "，".join(f"{labels[kind]} {count}" for kind, count in counts.items()))
