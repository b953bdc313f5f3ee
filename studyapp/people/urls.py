from django.contrib.auth import views as auth_views
from django.urls import path

from . import enrolment_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # First sign-in of an enrolled person, with their one-time activation code.
    path("activate/", enrolment_views.activate, name="activate"),
    # Bulk enrolment (staff): upload → preview → import → the activation codes sheet, once.
    path("enrolment/", enrolment_views.enrolment_upload, name="enrolment"),
    path("enrolment/template.xlsx", enrolment_views.enrolment_template, name="enrolment_template"),
    path("enrolment/reissue/", enrolment_views.enrolment_reissue, name="enrolment_reissue"),
    path("enrolment/<int:pk>/", enrolment_views.enrolment_detail, name="enrolment_detail"),
    path("enrolment/<int:pk>/apply/", enrolment_views.enrolment_apply, name="enrolment_apply"),
    path("enrolment/<int:pk>/codes/", enrolment_views.enrolment_codes, name="enrolment_codes"),
]
