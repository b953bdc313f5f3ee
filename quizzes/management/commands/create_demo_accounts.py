from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from quizzes.groups.demo import demo_group_ensure
from studyapp.people.services import demo_accounts_ensure


class Command(BaseCommand):
    help = (
        "创建（或重置）演示账号：管理员、培训师、两名工会干部、两名会员，并打印登录名和密码；"
        "再创建演示学习小组“十八大精神学习班”、两次测验和几位学员的学习记录（已有则不重复）。"
    )

    def handle(self, *args, **options) -> None:
        accounts = demo_accounts_ensure()
        rows = [(_("身份"), _("登录名"), _("密码"), _("姓名"), _("所在组织"))]
        rows += [(a.label, a.username, a.password, a.display_name, a.organisation) for a in accounts]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(self.style.SUCCESS(_("演示账号已就绪（%(count)d 个）。") % {"count": len(accounts)}))
        self._demo_group()

    def _demo_group(self) -> None:
        demo = demo_group_ensure()
        if demo is None:
            return
        self.stdout.write(
            _("演示学习小组：%(name)s（培训师 trainer，邀请码 %(code)s）")
            % {"name": demo.group.name, "code": demo.group.invite_code_display}
        )
        if not demo.assignments:
            self.stdout.write(_("题库为空：演示测验和学习记录在生成题库后再运行本命令时创建。"))
        elif demo.answers_recorded:
            self.stdout.write(_("已记录演示作答 %(count)d 次。") % {"count": demo.answers_recorded})


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
