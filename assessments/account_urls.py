from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, second_factor, sso

app_name = "accounts"

urlpatterns = [
    path("signin/", accounts.SignInView.as_view(), name="login"),
    path("signin/code/", second_factor.verify, name="second_factor"),
    path("signin/enrol/", second_factor.enrol, name="second_factor_enrol"),
    path("signin/recovery-codes/", second_factor.recovery_codes, name="recovery_codes"),
    path("sso/callback/", sso.callback, name="sso_callback"),
    path("sso/<slug:district>/", sso.choice, name="sso"),
    path("sso/<slug:district>/start/", sso.start, name="sso_start"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        accounts.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
