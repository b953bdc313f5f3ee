from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.parsing import DocumentFormatError
from studyapp.documents.services import TitleChangeError, document_import, read_source

KIND_LABELS = {"title": "标题", **{kind.value: str(kind.label) for kind in Node.Kind}}


class Command(BaseCommand):
    help = "导入学习文件的 Markdown 文本，作为新版本保存（首个版本自动启用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Markdown 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入数据库")
        parser.add_argument("--activate", action="store_true", help="导入后立即启用为当前版本")
        parser.add_argument(
            "--confirm-title-change",
            action="store_true",
            help="与 --activate 同用：标题与当前版本不同时仍然启用（新文件将替换当前学习文件）",
        )

    def handle(self, *args, path: Path, dry_run: bool, activate: bool, confirm_title_change: bool, **options) -> None:
        try:
            data = read_source(path)
        except OSError as error:
            raise CommandError(f"无法读取 {path}：{error.strerror or error}") from None
        except DocumentFormatError as error:
            raise CommandError(f"{path.name}：{error}") from None
        try:
            result = document_import(
                source=data,
                source_name=path.name,
                activate=activate,
                dry_run=dry_run,
                same_title=activate and not confirm_title_change,
            )
        except TitleChangeError as error:
            raise CommandError(
                f"{path.name}：{error}未导入。核对无误后加 --confirm-title-change 再启用，或去掉 --activate 先导入预览。"
            ) from None
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
        if result.title_changed_from:
            self.stderr.write(
                f"注意：标题与当前版本的《{result.title_changed_from}》不同，可能是另一份文件；启用前请在预览页核对。"
                if not result.activated
                else f"注意：标题与原版本的《{result.title_changed_from}》不同，已按确认替换。"
            )
        active = DocumentVersion.objects.active().first()
        self.stdout.write(f"当前版本：v{active.number}（{active.source_name}）" if active else "当前版本：无")
