from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("练习与进度")

    def ready(self) -> None:
        # The document app's contract (studyapp/documents/signals.py): the bank follows its versions,
        # and the reader shows each heading's mastery. Imported here so that loading the app does not
        # load the segmenter.
        from django.contrib.auth.signals import user_logged_in

        from studyapp.documents import signals
        from studyapp.warmup import warm_with

        from . import bank, progress, selectors, step_html
        from .curation import services as curation
        from .orgs import services as orgs

        signals.version_preparing.connect(bank.bank_on_preparing, dispatch_uid="quizzes.bank_prepare")
        signals.version_activated.connect(bank.bank_on_activation, dispatch_uid="quizzes.bank_sync")
        signals.version_previewed.connect(bank.bank_on_preview, dispatch_uid="quizzes.bank_preview")
        signals.reader_opened.connect(progress.progress_on_reading, dispatch_uid="quizzes.reader_progress")
        user_logged_in.connect(curation.curator_at_login, dispatch_uid="quizzes.curator_at_login")
        user_logged_in.connect(orgs.manager_at_login, dispatch_uid="quizzes.manager_at_login")
        # Before gunicorn forks its workers: the step's templates, then the bank's source lines.
        warm_with("题目模板", step_html.templates_load)
        warm_with("题目出处", selectors.source_lines_preload)
