"""Sign in and out, password change and reset, and accepting an invitation."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from .. import audit, second_factor, signin, sso
from ..forms import RealmForm
from ..models import AuditEvent
from ..signin import SignInForm

# The methods of the form pages below (Django's form views would take PUT as a POST).
FORM_METHODS = ["get", "head", "post"]


NO_PASSWORDS_HERE = (
    "Your district signs in through its own sign-in page: continue without a password."
)


class SignInView(auth_views.LoginView):
    """
    Email first: an address of a district with single sign-on and no password typed goes
    on to the district's provider; a password is checked as before (``signin``), and a
    second factor asked for when needed (``second_factor``) before the session starts.
    """

    http_method_names = FORM_METHODS
    authentication_form = SignInForm
    redirect_authenticated_user = True
    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        email = RealmForm(request.POST).email_for_provider()
        config = sso.realm_for(email) if email else None
        if config is not None:
            query = urlencode({"email": email, "next": self.get_redirect_url()})
            url = reverse("accounts:sso", kwargs={"district": config.district.slug})
            return redirect(f"{url}?{query}")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if not sso.password_allowed(user):
            audit.record(
                self.request,
                "signin.password_off",
                district=user.district,
                outcome=AuditEvent.Outcome.REFUSED,
                email=user.email,
            )
            form.add_error(None, NO_PASSWORDS_HERE)
            return self.form_invalid(form)
        if second_factor.needed(user):
            second_factor.begin(
                self.request,
                user,
                backend=user.backend,
                next_url=self.get_success_url(),
                method="password",
            )
            return redirect("accounts:second_factor")
        return super().form_valid(form)


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

    def form_valid(self, form):
        """Someone who needs a second factor enrols one before their first session."""
        if not second_factor.needed(form.user):
            return super().form_valid(form)
        self.post_reset_login = False
        super().form_valid(form)
        second_factor.begin(
            self.request,
            form.user,
            backend=sso.BACKEND,
            next_url=reverse("home"),
            method="invitation",
        )
        return redirect("accounts:second_factor_enrol")
