from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.parsing import DocumentFormatError
from studyapp.documents.services import document_import

KIND_LABELS = {"title": "标题", **{kind.value: str(kind.label) for kind in Node.Kind}}


class Command(BaseCommand):
    help = "导入学习文件的 Markdown 文本，作为新版本保存（首个版本自动启用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Markdown 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入数据库")
        parser.add_argument("--activate", action="store_true", help="导入后立即启用为当前版本")

    def handle(self, *args, path: Path, dry_run: bool, activate: bool, **options) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取 {path}：{error.strerror}") from None
        try:
            result = document_import(source=data, source_name=path.name, activate=activate, dry_run=dry_run)
        except DocumentFormatError as error:
            raise CommandError(f"{path.name}：{error}") from None

        self.stdout.write(f"《{result.parsed.title}》")
        counts = {"title": 1, **result.counts}
        for kind, label in KIND_LABELS.items():
            self.stdout.write(f"  {label}（{kind}）：{counts.get(kind, 0)}")
        if dry_run:
            self.stdout.write("试运行：未写入数据库。")
        elif result.duplicate_of:
            self.stdout.write(f"与已有版本 v{result.duplicate_of.number} 内容相同，未新建版本。")
        else:
            assert result.version is not None  # only a dry run imports no version
            self.stdout.write(f"已保存为版本 v{result.version.number}。")
        active = DocumentVersion.objects.active().first()
        self.stdout.write(f"当前版本：v{active.number}（{active.source_name}）" if active else "当前版本：无")
