from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "studyapp.documents"
    label = "documents"
    verbose_name = _("学习文件")
