from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("练习与进度")

    def ready(self) -> None:
        from studyapp.documents.signals import version_activated

        from . import receivers

        version_activated.connect(receivers.regenerate_bank_on_activation, dispatch_uid="quizzes.bank_sync")
