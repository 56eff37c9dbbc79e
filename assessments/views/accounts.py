"""Sign in and out, password change and reset, and accepting an invitation."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from ..signin import SignInForm


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True
    template_name = "registration/login.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address belongs to an account."""

    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """An invited person chooses their password through the link in their invitation."""

    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = True
