from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "studyapp.people"
    label = "people"
    verbose_name = _("人员与组织")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from studyapp.http import session_refreshed_at_login

        user_logged_in.connect(session_refreshed_at_login, dispatch_uid="people.session_refreshed_at_login")
