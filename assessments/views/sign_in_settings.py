"""The district admin's page of the district's sign-in settings (``assessments.sign_in_settings``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import sign_in_settings
from ..access import role_required
from ..audit import client_address
from ..roles import Role


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def edit(request):
    config = sign_in_settings.settings_of(request.user.district)
    form = sign_in_settings.SignInSettingsForm(
        request.POST if request.method == "POST" else None, instance=config
    )
    if form.is_valid():
        sign_in_settings.save(form, actor=request.user, address=client_address(request))
        messages.success(request, "The sign-in settings were saved.")
        return redirect("administration:sign_in")
    context = {
        "form": form,
        "has_secret": bool(config.client_secret_encrypted),
        "updated_at": config.updated_at,
        "domains": config.district.domains.all(),
    }
    return render(request, "assessments/administration/sign_in.html", context)
