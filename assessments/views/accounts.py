"""Sign in and out, password change and reset, and accepting an invitation."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from .. import signin
from ..signin import SignInForm

# The methods of the form pages below (Django's form views would take PUT as a POST).
FORM_METHODS = ["get", "head", "post"]


class SignInView(auth_views.LoginView):
    http_method_names = FORM_METHODS
    authentication_form = SignInForm
    redirect_authenticated_user = True
    template_name = "registration/login.html"


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login(request):
    """
    The Django admin's sign-in page, replaced by the portal's, so that there is one sign-in
    with one throttle and one audit trail: every request (a POST too) is sent there with its
    ``next``, and no password is ever checked here. Someone already signed in who reaches it
    is not a platform admin: refused, rather than sent round between the two pages.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class PasswordChangeView(auth_views.PasswordChangeView):
    http_method_names = FORM_METHODS
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    """
    The same answer, by the same path, whether or not the address belongs to an account,
    and whether or not the request was refused for being one too many (``signin``).
    """

    http_method_names = FORM_METHODS
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        signin.request_password_reset(self.request, email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    http_method_names = FORM_METHODS
    success_url = reverse_lazy("accounts:password_reset_complete")


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """An invited person chooses their password through the link in their invitation."""

    http_method_names = FORM_METHODS
    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = True
